package plots

import (
	"fmt"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Trace is the membrane potential of one neuron, sampled every DT ms from
// t = 0.
type Trace struct {
	// Label names the neuron in the legend, e.g. "hidden neuron 12".
	Label string
	// DT is the sampling step, ms.
	DT float64
	// V is the membrane potential at t = i·DT, in the unit of the plot's
	// y label (mV, or units of the threshold θ).
	V []float64
	// Spikes, when not nil, are the neuron's spike times (ms). When nil,
	// spikes are taken where V reaches the threshold from below.
	Spikes []float64
}

// MembranePlot draws the membrane traces on one time axis (ms), the
// threshold as a dashed line, and each spike as a vertical stroke of the
// trace's colour in a lane of its own above the traces. yLabel gives the unit of V,
// e.g. "membrane potential (mV)" or "v (units of θ)".
//
// MembranePlot returns an error if traces is empty, a trace has no
// samples, a DT that is not positive and finite, a NaN or infinite
// potential or spike time, or a spike time outside the trace, or the
// threshold is not finite.
func MembranePlot(title, yLabel string, traces []Trace, threshold float64) (*plot.Plot, error) {
	if len(traces) == 0 {
		return nil, fmt.Errorf("plots: membrane %q: %w", title, errEmpty)
	}
	if !isFinite(threshold) {
		return nil, fmt.Errorf("plots: membrane %q: threshold %v not finite", title, threshold)
	}
	vmin, vmax, tmax := threshold, threshold, 0.0
	labels := make([]string, len(traces))
	for i, tr := range traces {
		name := fmt.Sprintf("trace %d (%q)", i, tr.Label)
		switch {
		case len(tr.V) == 0:
			return nil, fmt.Errorf("plots: membrane %q: %s: %w", title, name, errEmpty)
		case !isFinite(tr.DT) || tr.DT <= 0:
			return nil, fmt.Errorf("plots: membrane %q: %s: dt %v ms: must be positive and finite", title, name, tr.DT)
		}
		if err := checkFinite("v", tr.V); err != nil {
			return nil, fmt.Errorf("plots: membrane %q: %s: %w", title, name, err)
		}
		if err := checkFinite("spikes", tr.Spikes); err != nil {
			return nil, fmt.Errorf("plots: membrane %q: %s: %w", title, name, err)
		}
		end := float64(len(tr.V)-1) * tr.DT
		for j, t := range tr.Spikes {
			if t < 0 || t > end {
				return nil, fmt.Errorf("plots: membrane %q: %s: spike %d at %v ms outside [0, %v]", title, name, j, t, end)
			}
		}
		for _, v := range tr.V {
			vmin, vmax = math.Min(vmin, v), math.Max(vmax, v)
		}
		tmax = math.Max(tmax, end)
		labels[i] = tr.Label
	}
	if vmax == vmin {
		vmin--
	}
	// Spike strokes sit above the threshold (or the highest potential, if
	// higher), each trace in its own lane, a tenth of the potential range
	// high, so that neurons firing at the same steps stay distinguishable.
	base := math.Max(threshold, vmax)
	lane := 0.1 * (vmax - vmin)
	top := base + lane*float64(len(traces))

	p := newPlot(title, "time (ms)", yLabel)
	addGrid(p, true)
	styles := assignStyles(labels)
	leg := newSideLegend()
	thr := &plotter.Line{
		XYs: plotter.XYs{{X: 0, Y: threshold}, {X: tmax, Y: threshold}},
		LineStyle: draw.LineStyle{
			Color:  refColor,
			Width:  vg.Points(0.9),
			Dashes: []vg.Length{vg.Points(4), vg.Points(3)},
		},
	}
	p.Add(thr)
	for i, tr := range traces {
		sty := draw.LineStyle{Color: styles[i].color, Width: vg.Points(1), Dashes: styles[i].dashes}
		line := &plotter.Line{XYs: make(plotter.XYs, len(tr.V)), LineStyle: sty}
		for j, v := range tr.V {
			line.XYs[j] = plotter.XY{X: float64(j) * tr.DT, Y: v}
		}
		p.Add(line)
		spikes := tr.Spikes
		if spikes == nil {
			spikes = spikeTimes(tr.V, tr.DT, threshold)
		}
		stroke := draw.LineStyle{Color: styles[i].color, Width: vg.Points(1)}
		lo := base + lane*(float64(i)+0.15)
		for _, t := range spikes {
			p.Add(&plotter.Line{XYs: plotter.XYs{{X: t, Y: lo}, {X: t, Y: lo + 0.7*lane}}, LineStyle: stroke})
		}
		leg.add(tr.Label, line)
	}
	leg.add("threshold θ", thr)
	p.Add(leg)
	// The y axis starts at a round value (0 for the usual v ≥ 0 in units
	// of θ) and leaves a little room above the spike strokes.
	step, _ := niceStep(vmin, top)
	p.X.Min, p.X.Max = 0, tmax
	p.Y.Min = step * math.Floor(vmin/step+1e-9)
	p.Y.Max = top + 0.04*(top-p.Y.Min)
	return p, nil
}

// spikeTimes returns the times (ms) at which v reaches theta from below,
// v sampled every dt ms from t = 0 (a first sample at or above theta counts).
func spikeTimes(v []float64, dt, theta float64) []float64 {
	var ts []float64
	for i, x := range v {
		if x >= theta && (i == 0 || v[i-1] < theta) {
			ts = append(ts, float64(i)*dt)
		}
	}
	return ts
}
