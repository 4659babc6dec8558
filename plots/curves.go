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

// Curve is one series over training progress, usually the mean over trials
// of one learning rule.
type Curve struct {
	// Label names the series in the legend. A label whose first word is a
	// rule name (BP, FA, DFA, sDFA, DRTP, shallow) gets that rule's colour;
	// see RuleColor. An empty label leaves the series out of the legend.
	Label string
	// X is the training progress of each point (epochs or samples seen).
	X []float64
	// Y is the value at each point, in the unit of the y-axis label.
	Y []float64
	// Std, when not nil, is one standard deviation over trials at each
	// point, drawn as a band Y ± Std (eq. P2). It must not be negative.
	Std []float64
}

// AlignmentMomentum is the momentum of the moving average that smooths
// alignment angles (eq. P1), as in the captions of the paper's Figs 2, 3
// and S3.
const AlignmentMomentum = 0.95

// bandAlpha is the opacity of the ±1 std bands.
const bandAlpha = 0.22

// EMA writes to dst the exponential moving average of x with the given
// momentum m (eq. P1):
//
//	s_0 = x_0,   s_t = m s_{t−1} + (1 − m) x_t.
//
// dst may be x itself. EMA panics if len(dst) != len(x) or m is outside
// [0, 1].
func EMA(dst, x []float64, momentum float64) {
	if len(dst) != len(x) {
		panic("plots: EMA: len(dst) != len(x)")
	}
	if !(momentum >= 0 && momentum <= 1) {
		panic("plots: EMA: momentum outside [0, 1]")
	}
	if len(x) == 0 {
		return
	}
	s := x[0]
	dst[0] = s
	for t := 1; t < len(x); t++ {
		s = momentum*s + (1-momentum)*x[t]
		dst[t] = s
	}
}

// ErrorCurves draws error or loss curves, one per curve, each with its ±1
// std band when Std is set (eq. P2). xLabel and yLabel should give units,
// e.g. "epoch" and "test error (%)". With logY the y axis is logarithmic,
// as in the paper's Figs 2 and 3; points whose value is not positive are
// then left out (the curve has a gap there), and band edges below the axis
// are cut at the axis. On a linear axis, bands stop at 0 unless some value
// is negative.
//
// ErrorCurves returns an error if curves is empty, a curve is empty or has
// mismatched lengths, a value is NaN or ±Inf, a std is negative, or (with
// logY) no value is positive.
func ErrorCurves(title, xLabel, yLabel string, curves []Curve, logY bool) (*plot.Plot, error) {
	if len(curves) == 0 {
		return nil, fmt.Errorf("plots: error curves %q: %w", title, errEmpty)
	}
	for i, c := range curves {
		if err := checkCurve(i, c); err != nil {
			return nil, fmt.Errorf("plots: error curves %q: %w", title, err)
		}
	}
	p := newPlot(title, xLabel, yLabel)
	if !logY {
		// Errors and losses are not negative: when no value is, bands
		// stop at 0.
		floor := 0.0
		for _, c := range curves {
			for _, y := range c.Y {
				if y < 0 {
					floor = math.Inf(-1)
				}
			}
		}
		addCurves(p, curves, floor, math.Inf(1))
		return p, nil
	}

	// The log axis spans the positive values and band edges, rounded out
	// to a leading digit.
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, c := range curves {
		for j, y := range c.Y {
			if y <= 0 {
				continue
			}
			s := 0.0
			if c.Std != nil {
				s = c.Std[j]
			}
			lo = math.Min(lo, y)
			if y-s > 0 {
				lo = math.Min(lo, y-s)
			}
			hi = math.Max(hi, y+s)
		}
	}
	if math.IsInf(lo, 1) {
		return nil, fmt.Errorf("plots: error curves %q: log y axis: no positive value", title)
	}
	lo, hi = floorLead(lo), ceilLead(hi)
	if lo == hi {
		lo, hi = lo/2, hi*2
	}
	p.Y.Scale = plot.LogScale{}
	p.Y.Tick.Marker = logTicks{}
	addCurves(p, curves, lo, math.Inf(1))
	p.Y.Min, p.Y.Max = lo, hi
	return p, nil
}

// AlignmentCurves draws alignment angles in degrees (the angle between a
// rule's modulatory signal and BP's, one curve per rule or per layer),
// smoothed by EMA with AlignmentMomentum (eq. P1) as in the paper. Std, when
// set, is smoothed by the same filter and drawn as a ±1 std band (eq. P2).
// A dashed line marks 90°, the angle of an update orthogonal to BP's. The y
// axis starts at 0° and reaches at least 90°. xLabel should give the unit of
// X, e.g. "epoch" or "samples seen".
//
// AlignmentCurves returns an error if curves is empty, a curve is empty or
// has mismatched lengths, a value is NaN or ±Inf, a std is negative, or an
// angle is outside [0°, 180°].
func AlignmentCurves(title, xLabel string, curves []Curve) (*plot.Plot, error) {
	if len(curves) == 0 {
		return nil, fmt.Errorf("plots: alignment curves %q: %w", title, errEmpty)
	}
	smooth := make([]Curve, len(curves))
	xmin, xmax, ymax := math.Inf(1), math.Inf(-1), 90.0
	for i, c := range curves {
		if err := checkCurve(i, c); err != nil {
			return nil, fmt.Errorf("plots: alignment curves %q: %w", title, err)
		}
		for j, y := range c.Y {
			if y < 0 || y > 180 {
				return nil, fmt.Errorf("plots: alignment curves %q: curve %d (%q): angle y[%d] = %v outside [0, 180]", title, i, c.Label, j, y)
			}
		}
		s := Curve{Label: c.Label, X: c.X, Y: make([]float64, len(c.Y))}
		EMA(s.Y, c.Y, AlignmentMomentum)
		if c.Std != nil {
			s.Std = make([]float64, len(c.Std))
			EMA(s.Std, c.Std, AlignmentMomentum)
		}
		for j, y := range s.Y {
			if s.Std != nil {
				y += s.Std[j]
			}
			ymax = math.Max(ymax, math.Min(y, 180))
		}
		for _, x := range c.X {
			xmin, xmax = math.Min(xmin, x), math.Max(xmax, x)
		}
		smooth[i] = s
	}
	p := newPlot(title, xLabel, "angle to BP (°)")
	ref := &plotter.Line{
		XYs: plotter.XYs{{X: xmin, Y: 90}, {X: xmax, Y: 90}},
		LineStyle: draw.LineStyle{
			Color:  refColor,
			Width:  vg.Points(0.8),
			Dashes: []vg.Length{vg.Points(4), vg.Points(3)},
		},
	}
	addCurves(p, smooth, 0, 180, ref)
	p.Y.Min, p.Y.Max = 0, ymax+5
	p.Y.Tick.Marker = degreeTicks{}
	return p, nil
}

// addCurves adds to p a grid, the std bands, the extra plotters (such as
// reference lines), the curves and their legend. Band edges are cut to
// [lo, hi]; when lo > 0 (a log axis), points at or below zero are left out.
func addCurves(p *plot.Plot, curves []Curve, lo, hi float64, extra ...plot.Plotter) {
	labels := make([]string, len(curves))
	for i, c := range curves {
		labels[i] = c.Label
	}
	styles := assignStyles(labels)
	addGrid(p, true)
	leg := newSideLegend()
	var lines []plot.Plotter
	for i, c := range curves {
		line := &plotter.Line{LineStyle: draw.LineStyle{
			Color:  styles[i].color,
			Width:  curveWidth,
			Dashes: styles[i].dashes,
		}}
		var bnd *band
		if c.Std != nil {
			bnd = &band{color: withAlpha(styles[i].color, bandAlpha)}
		}
		for _, r := range runs(c.Y, lo > 0) {
			l := *line
			l.XYs = make(plotter.XYs, r[1]-r[0])
			for j := r[0]; j < r[1]; j++ {
				l.XYs[j-r[0]] = plotter.XY{X: c.X[j], Y: c.Y[j]}
			}
			lines = append(lines, &l)
			if bnd == nil {
				continue
			}
			b := *bnd
			b.x = append([]float64(nil), c.X[r[0]:r[1]]...)
			b.lo = make([]float64, r[1]-r[0])
			b.hi = make([]float64, r[1]-r[0])
			for j := r[0]; j < r[1]; j++ {
				b.lo[j-r[0]] = math.Max(c.Y[j]-c.Std[j], lo)
				b.hi[j-r[0]] = math.Min(c.Y[j]+c.Std[j], hi)
			}
			p.Add(&b)
		}
		if bnd != nil {
			leg.add(c.Label, bnd, line)
		} else {
			leg.add(c.Label, line)
		}
	}
	p.Add(extra...)
	p.Add(lines...)
	if len(leg.entries) > 0 {
		p.Add(leg)
	}
}

// runs returns the [start, end) index ranges of y to draw as connected
// lines: all of y, or with positive set its maximal runs of positive values.
func runs(y []float64, positive bool) [][2]int {
	if !positive {
		return [][2]int{{0, len(y)}}
	}
	var rs [][2]int
	start := -1
	for i, v := range y {
		switch {
		case v > 0 && start < 0:
			start = i
		case v <= 0 && start >= 0:
			rs = append(rs, [2]int{start, i})
			start = -1
		}
	}
	if start >= 0 {
		rs = append(rs, [2]int{start, len(y)})
	}
	return rs
}

// band fills the area between two curves lo and hi over x.
type band struct {
	x, lo, hi []float64
	color     color.Color
}

var (
	_ plot.Plotter     = (*band)(nil)
	_ plot.DataRanger  = (*band)(nil)
	_ plot.Thumbnailer = (*band)(nil)
)

// Plot fills the band, implementing plot.Plotter.
func (b *band) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	pts := make([]vg.Point, 0, 2*len(b.x))
	for i, x := range b.x {
		pts = append(pts, vg.Point{X: trX(x), Y: trY(b.hi[i])})
	}
	for i := len(b.x) - 1; i >= 0; i-- {
		pts = append(pts, vg.Point{X: trX(b.x[i]), Y: trY(b.lo[i])})
	}
	c.FillPolygon(b.color, c.ClipPolygonXY(pts))
}

// DataRange implements plot.DataRanger.
func (b *band) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmin, xmax = plotter.Range(plotter.Values(b.x))
	ymin, _ = plotter.Range(plotter.Values(b.lo))
	_, ymax = plotter.Range(plotter.Values(b.hi))
	return xmin, xmax, ymin, ymax
}

// Thumbnail draws a filled strip, implementing plot.Thumbnailer.
func (b *band) Thumbnail(c *draw.Canvas) {
	h := c.Max.Y - c.Min.Y
	y0, y1 := c.Min.Y+0.1*h, c.Max.Y-0.1*h
	c.FillPolygon(b.color, []vg.Point{
		{X: c.Min.X, Y: y0}, {X: c.Max.X, Y: y0},
		{X: c.Max.X, Y: y1}, {X: c.Min.X, Y: y1},
	})
}

// floorLead rounds v > 0 down to one significant digit (0.0347 → 0.03).
func floorLead(v float64) float64 {
	e := math.Floor(math.Log10(v))
	m := math.Floor(v/math.Pow(10, e) + 1e-9)
	return pow10m(m, int(e))
}

// ceilLead rounds v > 0 up to one significant digit (0.0347 → 0.04).
func ceilLead(v float64) float64 {
	e := math.Floor(math.Log10(v))
	m := math.Ceil(v/math.Pow(10, e) - 1e-9)
	return pow10m(m, int(e))
}

// pow10m returns m × 10^e, exactly rounded for small e.
func pow10m(m float64, e int) float64 {
	if e < 0 {
		return m / math.Pow10(-e)
	}
	return m * math.Pow10(e)
}

// logTicks marks a log axis: a major tick at each power of ten, minor ticks
// at its multiples 2…9. When fewer than two powers of ten fall in range, the
// multiples 2 and 5 are labelled too, and when still fewer than two labels
// fall in range, every multiple is.
type logTicks struct{}

var _ plot.Ticker = logTicks{}

// Ticks implements plot.Ticker.
func (logTicks) Ticks(lo, hi float64) []plot.Tick {
	if !(lo > 0) || !(hi > lo) || math.IsInf(hi, 1) {
		return nil
	}
	e0 := int(math.Floor(math.Log10(lo)))
	e1 := int(math.Ceil(math.Log10(hi)))
	inRange := func(v float64) bool { return v >= lo*(1-1e-9) && v <= hi*(1+1e-9) }
	count := func(labelled func(m int) bool) int {
		n := 0
		for e := e0; e <= e1; e++ {
			for m := 1; m <= 9; m++ {
				if labelled(m) && inRange(pow10m(float64(m), e)) {
					n++
				}
			}
		}
		return n
	}
	labelled := func(m int) bool { return m == 1 }
	if count(labelled) < 2 {
		labelled = func(m int) bool { return m == 1 || m == 2 || m == 5 }
		if count(labelled) < 2 {
			labelled = func(int) bool { return true }
		}
	}
	var ticks []plot.Tick
	for e := e0; e <= e1; e++ {
		for m := 1; m <= 9; m++ {
			v := pow10m(float64(m), e)
			if !inRange(v) {
				continue
			}
			t := plot.Tick{Value: v}
			if labelled(m) {
				t.Label = strconv.FormatFloat(v, 'g', -1, 64)
			}
			ticks = append(ticks, t)
		}
	}
	return ticks
}

// degreeTicks marks an angle axis: labelled every 30°, minor every 15°.
type degreeTicks struct{}

var _ plot.Ticker = degreeTicks{}

// Ticks implements plot.Ticker.
func (degreeTicks) Ticks(lo, hi float64) []plot.Tick {
	if !isFinite(lo) || !isFinite(hi) {
		return nil
	}
	var ticks []plot.Tick
	for v := 15 * math.Ceil(lo/15); v <= hi; v += 15 {
		t := plot.Tick{Value: v}
		if math.Mod(v, 30) == 0 {
			t.Label = strconv.FormatFloat(v, 'f', -1, 64)
		}
		ticks = append(ticks, t)
	}
	return ticks
}

// linearTicks marks a linear axis with 4 to 7 labelled ticks a round step
// apart (1, 2, 2.5 or 5 times a power of ten) and a minor tick between
// each pair.
type linearTicks struct{}

var _ plot.Ticker = linearTicks{}

// niceStep returns the labelled tick step for [lo, hi] and the number of
// decimals its labels need (negative for steps of tens and more).
func niceStep(lo, hi float64) (step float64, decimals int) {
	e := math.Floor(math.Log10((hi - lo) / 5))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		step = m * math.Pow(10, e)
		if (hi-lo)/step <= 7 {
			break
		}
	}
	decimals = int(-math.Floor(math.Log10(step) + 1e-9))
	if math.Abs(step*math.Pow(10, float64(decimals))-2.5) < 1e-9 {
		decimals++ // 0.25, 2.5
	}
	return step, decimals
}

// Ticks implements plot.Ticker.
func (linearTicks) Ticks(lo, hi float64) []plot.Tick {
	if !(hi > lo) || !isFinite(hi-lo) {
		return nil
	}
	step, dec := niceStep(lo, hi)
	half := step / 2
	var ticks []plot.Tick
	for i := math.Ceil(lo/half - 1e-9); ; i++ {
		v := i * half
		if v > hi+1e-9*step {
			break
		}
		if math.Abs(v) < 1e-9*step {
			v = 0 // not "-0"
		}
		t := plot.Tick{Value: v}
		if math.Mod(i, 2) == 0 {
			t.Label = tickLabel(v, step, dec)
		}
		ticks = append(ticks, t)
	}
	return ticks
}

// tickLabel writes v with dec decimals (niceStep's), or, for steps of 100 000 and more
// (training samples), in millions or thousands with an SI suffix: 2.5M
// rather than 2500000.
func tickLabel(v, step float64, dec int) string {
	switch {
	case step >= 1e4 && v == 0:
		return "0"
	case step >= 1e5:
		return strconv.FormatFloat(v/1e6, 'f', max(0, dec+6), 64) + "M"
	case step >= 1e4:
		return strconv.FormatFloat(v/1e3, 'f', max(0, dec+3), 64) + "k"
	}
	return strconv.FormatFloat(v, 'f', max(dec, 0), 64)
}

// snapRange widens [lo, hi] to the nearest minor tick of linearTicks on
// each side when that adds at most 2% of the range, so that round limits
// (±1 for tanh activations) are reached and labelled.
func snapRange(lo, hi float64) (float64, float64) {
	step, _ := niceStep(lo, hi)
	half := step / 2
	l := half * math.Floor(lo/half+1e-9)
	h := half * math.Ceil(hi/half-1e-9)
	if lo-l <= 0.02*(hi-lo) {
		lo = l
	}
	if h-hi <= 0.02*(hi-lo) {
		hi = h
	}
	return lo, hi
}
