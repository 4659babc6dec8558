package plots

import (
	"fmt"
	"image/color"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Sample is a set of observed values of one series, such as the
// hidden-layer activations of a network trained with one rule.
type Sample struct {
	Label  string    // legend entry; a rule name gets the rule's colour
	Values []float64 // observations, in the unit of the x label
}

// Default bin counts, used when bins is 0.
const (
	DefaultDensityBins = 50
	DefaultRateBins    = 20
)

// Densities draws the estimated probability density of each sample (as in
// the paper's Figs S4–S6) as a step outline over a light fill. All samples
// share bins equal in width over the range of all values, and the density
// of bin b of sample s is (eq. P4)
//
//	p_b = n_b / (n w),
//
// with n_b the count in the bin, n the sample's size and w the bin width,
// so that each outline has area 1. bins = 0 means DefaultDensityBins.
//
// Densities returns an error if samples is empty, a sample has no values
// or a NaN or infinite one, or bins is negative.
func Densities(title, xLabel string, samples []Sample, bins int) (*plot.Plot, error) {
	bins, err := checkBins(bins, DefaultDensityBins)
	if err != nil {
		return nil, fmt.Errorf("plots: densities %q: %w", title, err)
	}
	if len(samples) == 0 {
		return nil, fmt.Errorf("plots: densities %q: %w", title, errEmpty)
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	labels := make([]string, len(samples))
	for i, s := range samples {
		if len(s.Values) == 0 {
			return nil, fmt.Errorf("plots: densities %q: sample %d (%q): %w", title, i, s.Label, errEmpty)
		}
		if err := checkFinite("values", s.Values); err != nil {
			return nil, fmt.Errorf("plots: densities %q: sample %d (%q): %w", title, i, s.Label, err)
		}
		for _, v := range s.Values {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
		labels[i] = s.Label
	}
	if lo == hi {
		lo, hi = lo-0.5, hi+0.5
	}
	lo, hi = snapRange(lo, hi)

	p := newPlot(title, xLabel, "probability density")
	addGrid(p, true)
	styles := assignStyles(labels)
	leg := newSideLegend()
	for i, s := range samples {
		dens := make([]float64, bins)
		Density(dens, s.Values, lo, hi)
		line := &plotter.Line{
			XYs: outline(lo, hi, dens),
			LineStyle: draw.LineStyle{
				Color:  styles[i].color,
				Width:  vg.Points(1.1),
				Dashes: styles[i].dashes,
			},
			FillColor: withAlpha(styles[i].color, 0.12),
		}
		p.Add(line)
		leg.add(s.Label, line)
	}
	if len(leg.entries) > 0 {
		p.Add(leg)
	}
	p.Y.Min = 0
	return p, nil
}

// outline is the step outline of the density p over equal bins on
// [lo, hi], closed to zero at both ends.
func outline(lo, hi float64, p []float64) plotter.XYs {
	w := (hi - lo) / float64(len(p))
	pts := make(plotter.XYs, 0, 2*len(p)+2)
	pts = append(pts, plotter.XY{X: lo, Y: 0})
	for b, d := range p {
		x0 := lo + float64(b)*w
		pts = append(pts, plotter.XY{X: x0, Y: d}, plotter.XY{X: x0 + w, Y: d})
	}
	return append(pts, plotter.XY{X: hi, Y: 0})
}

// Binned is a density already estimated over equal bins (eq. P4), such as
// a network's hidden activations recorded at one epoch of training.
type Binned struct {
	Label  string    // legend entry
	Lo, Hi float64   // range of the bins, in the unit of the x label
	P      []float64 // density in each of len(P) equal bins
}

// DensityCurves draws densities already estimated, such as one run's
// hidden activations at successive epochs (the paper's Fig. S4), as step
// outlines shaded from light (the first curve) to dark (the last).
//
// DensityCurves returns an error if curves is empty, a curve has no bins
// or a NaN, infinite or negative density, or its range is not finite and
// increasing.
func DensityCurves(title, xLabel string, curves []Binned) (*plot.Plot, error) {
	if len(curves) == 0 {
		return nil, fmt.Errorf("plots: density curves %q: %w", title, errEmpty)
	}
	p := newPlot(title, xLabel, "probability density")
	addGrid(p, true)
	leg := newSideLegend()
	for i, c := range curves {
		name := fmt.Sprintf("plots: density curves %q: curve %d (%q)", title, i, c.Label)
		if len(c.P) == 0 {
			return nil, fmt.Errorf("%s: %w", name, errEmpty)
		}
		if !isFinite(c.Lo) || !isFinite(c.Hi) || c.Lo >= c.Hi {
			return nil, fmt.Errorf("%s: range [%v, %v] is not finite and increasing", name, c.Lo, c.Hi)
		}
		if err := checkFinite("densities", c.P); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		for b, d := range c.P {
			if d < 0 {
				return nil, fmt.Errorf("%s: densities[%d] = %v is negative", name, b, d)
			}
		}
		line := &plotter.Line{
			XYs:       outline(c.Lo, c.Hi, c.P),
			LineStyle: draw.LineStyle{Color: ramp(i, len(curves)), Width: vg.Points(1.1)},
		}
		p.Add(line)
		leg.add(c.Label, line)
	}
	p.Add(leg)
	p.Y.Min = 0
	return p, nil
}

// ramp is the colour of series i of n ordered ones (epochs, say): from a
// light blue for the first to a dark one for the last.
func ramp(i, n int) color.NRGBA {
	light, dark := [3]float64{170, 206, 235}, [3]float64{8, 48, 107}
	t := 1.0
	if n > 1 {
		t = float64(i) / float64(n-1)
	}
	var c [3]uint8
	for k := range c {
		c[k] = uint8(light[k] + t*(dark[k]-light[k]) + 0.5)
	}
	return color.NRGBA{R: c[0], G: c[1], B: c[2], A: 255}
}

// Density writes to dst the histogram density of values over len(dst)
// equal bins on [lo, hi] (eq. P4): the estimate Densities draws, for
// callers that keep it rather than the values.
func Density(dst, values []float64, lo, hi float64) {
	histogram(dst, values, lo, hi)
	scale := float64(len(dst)) / ((hi - lo) * float64(len(values)))
	for b := range dst {
		dst[b] *= scale // n_b / (n w), w = (hi − lo)/len(dst)
	}
}

// histogram writes to counts the number of values in each of len(counts)
// equal bins over [lo, hi]; the last bin includes hi.
func histogram(counts, values []float64, lo, hi float64) {
	clear(counts)
	n := len(counts)
	for _, v := range values {
		b := int(float64(n) * (v - lo) / (hi - lo))
		b = min(max(b, 0), n-1)
		counts[b]++
	}
}

// RateHistogram draws how many neurons fire at each rate (Hz), over bins
// equal in width from 0 Hz to the highest rate, with the mean rate marked
// by a dashed line. bins = 0 means DefaultRateBins.
//
// RateHistogram returns an error if ratesHz is empty or has a NaN,
// infinite or negative rate, or bins is negative.
func RateHistogram(title string, ratesHz []float64, bins int) (*plot.Plot, error) {
	bins, err := checkBins(bins, DefaultRateBins)
	if err != nil {
		return nil, fmt.Errorf("plots: rate histogram %q: %w", title, err)
	}
	if len(ratesHz) == 0 {
		return nil, fmt.Errorf("plots: rate histogram %q: %w", title, errEmpty)
	}
	if err := checkFinite("rates", ratesHz); err != nil {
		return nil, fmt.Errorf("plots: rate histogram %q: %w", title, err)
	}
	hi, mean := 0.0, 0.0
	for i, r := range ratesHz {
		if r < 0 {
			return nil, fmt.Errorf("plots: rate histogram %q: rates[%d] = %v Hz is negative", title, i, r)
		}
		hi = math.Max(hi, r)
		mean += r
	}
	mean /= float64(len(ratesHz))
	if hi == 0 {
		hi = 1
	}
	counts := make([]float64, bins)
	histogram(counts, ratesHz, 0, hi)
	w := hi / float64(bins)
	h := &plotter.Histogram{
		Bins:      make([]plotter.HistogramBin, bins),
		Width:     w,
		FillColor: withAlpha(Blue, 0.75),
		LineStyle: draw.LineStyle{Color: color.White, Width: vg.Points(0.5)},
	}
	var top float64
	for b, n := range counts {
		h.Bins[b] = plotter.HistogramBin{Min: float64(b) * w, Max: float64(b+1) * w, Weight: n}
		top = math.Max(top, n)
	}

	p := newPlot(title, "firing rate (Hz)", "neurons")
	addGrid(p, false)
	p.Add(h)
	m := &plotter.Line{
		XYs: plotter.XYs{{X: mean, Y: 0}, {X: mean, Y: top * 1.05}},
		LineStyle: draw.LineStyle{
			Color:  Vermillion,
			Width:  vg.Points(1.2),
			Dashes: []vg.Length{vg.Points(4), vg.Points(2.5)},
		},
	}
	p.Add(m)
	leg := newSideLegend()
	leg.add("mean "+strconv.FormatFloat(mean, 'f', 1, 64)+" Hz", m)
	p.Add(leg)
	p.X.Min, p.Y.Min = 0, 0
	return p, nil
}
