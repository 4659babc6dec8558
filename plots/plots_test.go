package plots

import (
	"bytes"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

var (
	nan = math.NaN()
	inf = math.Inf(1)
)

func TestEMAMatchesHandComputedValues(t *testing.T) {
	for _, tc := range []struct {
		name string
		x    []float64
		m    float64
		want []float64
	}{
		// s0 = 1; s1 = .5·1 + .5·2 = 1.5; s2 = .5·1.5 + .5·3 = 2.25;
		// s3 = .5·2.25 + .5·0 = 1.125.
		{"momentum 0.5", []float64{1, 2, 3, 0}, 0.5, []float64{1, 1.5, 2.25, 1.125}},
		// s0 = 10; s1 = .95·10 = 9.5; s2 = .95·9.5 = 9.025;
		// s3 = .95·9.025 + .05·100 = 13.57375.
		{"momentum 0.95", []float64{10, 0, 0, 100}, 0.95, []float64{10, 9.5, 9.025, 13.57375}},
		// m = 0 follows the input; m = 1 holds the first value.
		{"momentum 0", []float64{3, 1, 4}, 0, []float64{3, 1, 4}},
		{"momentum 1", []float64{3, 1, 4}, 1, []float64{3, 3, 3}},
		{"empty", nil, 0.95, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := make([]float64, len(tc.x))
			EMA(got, tc.x, tc.m)
			for i := range got {
				if math.Abs(got[i]-tc.want[i]) > 1e-12 {
					t.Fatalf("EMA(%v, %v) = %v, want %v", tc.x, tc.m, got, tc.want)
				}
			}
			// In place gives the same.
			in := append([]float64(nil), tc.x...)
			EMA(in, in, tc.m)
			for i := range in {
				if in[i] != got[i] {
					t.Fatalf("in place: %v, want %v", in, got)
				}
			}
		})
	}
}

func TestEMAPanicsOnProgrammerError(t *testing.T) {
	for _, tc := range []struct {
		name   string
		dst, x []float64
		m      float64
	}{
		{"length mismatch", make([]float64, 2), make([]float64, 3), 0.5},
		{"momentum above 1", make([]float64, 2), make([]float64, 2), 1.5},
		{"momentum NaN", make([]float64, 2), make([]float64, 2), nan},
	} {
		t.Run(tc.name, func(t *testing.T) {
			defer func() {
				r := recover()
				if s, ok := r.(string); !ok || !strings.HasPrefix(s, "plots: ") {
					t.Errorf("recovered %v, want a panic with a plots: message", r)
				}
			}()
			EMA(tc.dst, tc.x, tc.m)
		})
	}
}

// curve returns a valid two-point curve, changed by f.
func curve(f func(c *Curve)) []Curve {
	c := Curve{Label: "DRTP", X: []float64{0, 1}, Y: []float64{50, 40}, Std: []float64{1, 1}}
	f(&c)
	return []Curve{c}
}

func TestConstructorsRejectBadData(t *testing.T) {
	errCurves := func(cs []Curve) error { _, err := ErrorCurves("t", "x", "y", cs, false); return err }
	logCurves := func(cs []Curve) error { _, err := ErrorCurves("t", "x", "y", cs, true); return err }
	alignCurves := func(cs []Curve) error { _, err := AlignmentCurves("t", "x", cs); return err }
	raster := func(ls []LayerSpikes, d float64) error { _, err := RasterPlot("t", ls, d); return err }
	layer := func(sp ...Spike) []LayerSpikes {
		return []LayerSpikes{{Name: "in", Neurons: 4, Spikes: sp}}
	}
	membrane := func(tr []Trace, th float64) error { _, err := MembranePlot("t", "v", tr, th); return err }
	trace := func(f func(*Trace)) []Trace {
		tr := Trace{Label: "n", DT: 1, V: []float64{0, 0.5, 1}}
		f(&tr)
		return []Trace{tr}
	}
	dens := func(s []Sample, bins int) error { _, err := Densities("t", "x", s, bins); return err }
	rates := func(r []float64, bins int) error { _, err := RateHistogram("t", r, bins); return err }
	binned := func(f func(*Binned)) error {
		b := Binned{Label: "epoch 1", Lo: -1, Hi: 1, P: []float64{0.5, 0.5}}
		f(&b)
		_, err := DensityCurves("t", "x", []Binned{b})
		return err
	}

	for _, tc := range []struct {
		name  string
		err   error
		empty bool // the error should wrap errEmpty
	}{
		{"error curves: none", errCurves(nil), true},
		{"error curves: empty curve", errCurves(curve(func(c *Curve) { c.X, c.Y, c.Std = nil, nil, nil })), true},
		{"error curves: NaN y", errCurves(curve(func(c *Curve) { c.Y[1] = nan })), false},
		{"error curves: Inf x", errCurves(curve(func(c *Curve) { c.X[0] = inf })), false},
		{"error curves: NaN std", errCurves(curve(func(c *Curve) { c.Std[0] = nan })), false},
		{"error curves: negative std", errCurves(curve(func(c *Curve) { c.Std[0] = -1 })), false},
		{"error curves: x/y lengths", errCurves(curve(func(c *Curve) { c.X = c.X[:1] })), false},
		{"error curves: std length", errCurves(curve(func(c *Curve) { c.Std = c.Std[:1] })), false},
		{"error curves: log axis, nothing positive", logCurves(curve(func(c *Curve) { c.Y = []float64{0, -1} })), false},
		{"alignment: none", alignCurves(nil), true},
		{"alignment: NaN y", alignCurves(curve(func(c *Curve) { c.Y[0] = nan })), false},
		{"alignment: -Inf y", alignCurves(curve(func(c *Curve) { c.Y[0] = math.Inf(-1) })), false},
		{"alignment: angle above 180", alignCurves(curve(func(c *Curve) { c.Y[0] = 181 })), false},
		{"alignment: x/y lengths", alignCurves(curve(func(c *Curve) { c.Y = append(c.Y, 1) })), false},
		{"raster: no layers", raster(nil, 10), true},
		{"raster: no neurons", raster([]LayerSpikes{{Name: "in"}}, 10), true},
		{"raster: NaN time", raster(layer(Spike{T: nan}), 10), false},
		{"raster: Inf time", raster(layer(Spike{T: inf}), 10), false},
		{"raster: time after duration", raster(layer(Spike{T: 11}), 10), false},
		{"raster: negative time", raster(layer(Spike{T: -1}), 10), false},
		{"raster: negative neuron", raster(layer(Spike{T: 1, Neuron: -1}), 10), false},
		{"raster: neuron out of layer", raster(layer(Spike{T: 1, Neuron: 4}), 10), false},
		{"raster: NaN duration", raster(layer(), nan), false},
		{"raster: zero duration", raster(layer(), 0), false},
		{"membrane: none", membrane(nil, 1), true},
		{"membrane: empty trace", membrane(trace(func(tr *Trace) { tr.V = nil }), 1), true},
		{"membrane: NaN v", membrane(trace(func(tr *Trace) { tr.V[1] = nan }), 1), false},
		{"membrane: Inf v", membrane(trace(func(tr *Trace) { tr.V[1] = inf }), 1), false},
		{"membrane: zero dt", membrane(trace(func(tr *Trace) { tr.DT = 0 }), 1), false},
		{"membrane: NaN dt", membrane(trace(func(tr *Trace) { tr.DT = nan }), 1), false},
		{"membrane: NaN spike", membrane(trace(func(tr *Trace) { tr.Spikes = []float64{nan} }), 1), false},
		{"membrane: spike after trace", membrane(trace(func(tr *Trace) { tr.Spikes = []float64{5} }), 1), false},
		{"membrane: NaN threshold", membrane(trace(func(*Trace) {}), nan), false},
		{"membrane: Inf threshold", membrane(trace(func(*Trace) {}), inf), false},
		{"densities: none", dens(nil, 10), true},
		{"densities: empty sample", dens([]Sample{{Label: "BP"}}, 10), true},
		{"densities: NaN value", dens([]Sample{{Label: "BP", Values: []float64{0, nan}}}, 10), false},
		{"densities: Inf value", dens([]Sample{{Label: "BP", Values: []float64{inf}}}, 10), false},
		{"densities: negative bins", dens([]Sample{{Label: "BP", Values: []float64{1}}}, -1), false},
		{"density curves: none", func() error { _, err := DensityCurves("t", "x", nil); return err }(), true},
		{"density curves: no bins", binned(func(b *Binned) { b.P = nil }), true},
		{"density curves: NaN density", binned(func(b *Binned) { b.P[1] = nan }), false},
		{"density curves: negative density", binned(func(b *Binned) { b.P[0] = -0.1 }), false},
		{"density curves: empty range", binned(func(b *Binned) { b.Hi = b.Lo }), false},
		{"density curves: Inf range", binned(func(b *Binned) { b.Hi = inf }), false},
		{"rates: none", rates(nil, 10), true},
		{"rates: NaN", rates([]float64{1, nan}, 10), false},
		{"rates: Inf", rates([]float64{inf}, 10), false},
		{"rates: negative rate", rates([]float64{-1}, 10), false},
		{"rates: negative bins", rates([]float64{1}, -3), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.err == nil {
				t.Fatal("no error")
			}
			if !strings.HasPrefix(tc.err.Error(), "plots: ") {
				t.Errorf("error %q lacks the package prefix", tc.err)
			}
			if tc.empty && !errors.Is(tc.err, errEmpty) {
				t.Errorf("error %q does not say the data is empty", tc.err)
			}
		})
	}
}

func TestConstructorsAcceptEdgeCases(t *testing.T) {
	for _, tc := range []struct {
		name string
		make func() (*plot.Plot, error)
	}{
		{"log axis with zeros leaves gaps", func() (*plot.Plot, error) {
			return ErrorCurves("t", "x", "y", curve(func(c *Curve) { c.Y = []float64{0, 5}; c.Std = []float64{0, 10} }), true)
		}},
		{"curve without std or label", func() (*plot.Plot, error) {
			return ErrorCurves("", "x", "y", curve(func(c *Curve) { c.Label, c.Std = "", nil }), false)
		}},
		{"single-point alignment curve", func() (*plot.Plot, error) {
			return AlignmentCurves("t", "x", curve(func(c *Curve) { c.X, c.Y, c.Std = c.X[:1], c.Y[:1], nil }))
		}},
		{"silent raster layer", func() (*plot.Plot, error) {
			return RasterPlot("t", []LayerSpikes{{Neurons: 3}, {Name: "out", Neurons: 2, Spikes: []Spike{{T: 10, Neuron: 1}}}}, 10)
		}},
		{"flat membrane trace", func() (*plot.Plot, error) {
			return MembranePlot("t", "v (mV)", []Trace{{DT: 0.1, V: []float64{-70, -70}}}, -70)
		}},
		{"identical values", func() (*plot.Plot, error) {
			return Densities("t", "x", []Sample{{Label: "DRTP", Values: []float64{1, 1, 1}}}, 0)
		}},
		{"all rates zero", func() (*plot.Plot, error) {
			return RateHistogram("t", []float64{0, 0}, 0)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := tc.make()
			if err != nil {
				t.Fatal(err)
			}
			if err := Render(new(bytes.Buffer), p, "png", 2*vg.Inch, 1.5*vg.Inch, 50); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestRuleColorIsFixedPerRule(t *testing.T) {
	for _, tc := range []struct {
		label string
		want  any
		ok    bool
	}{
		// The fixed palette, doc.go.
		{"BP", Black, true},
		{"FA", Orange, true},
		{"DFA", SkyBlue, true},
		{"sDFA", Blue, true},
		{"DRTP", Vermillion, true},
		{"shallow", ReddishPurple, true},
		{"drtp (layer 1)", Vermillion, true},
		{"sDFA-test", Blue, true},
		{"BP: train", Black, true},
		{"layer 1", nil, false},
		{"DRTPx", nil, false},
		{"", nil, false},
	} {
		c, ok := RuleColor(tc.label)
		if ok != tc.ok || (ok && c != tc.want) {
			t.Errorf("RuleColor(%q) = %v, %v; want %v, %v", tc.label, c, ok, tc.want, tc.ok)
		}
	}
}

func TestAssignStylesSeparatesSeries(t *testing.T) {
	st := assignStyles([]string{"DRTP train", "DRTP test", "layer 1", "layer 2", "BP"})
	if st[0].color != Vermillion || st[1].color != Vermillion {
		t.Errorf("DRTP series got %v, %v; want vermillion", st[0].color, st[1].color)
	}
	if st[0].dashes != nil || st[1].dashes == nil {
		t.Errorf("DRTP train/test dashes %v, %v: want solid then dashed", st[0].dashes, st[1].dashes)
	}
	// Unnamed series take the first free colours of otherColors, skipping
	// the vermillion DRTP and the black BP already use.
	if st[2].color != Blue || st[3].color != BluishGreen {
		t.Errorf("layer colours %v, %v; want blue, bluish green", st[2].color, st[3].color)
	}
	if st[4].color != Black || st[4].dashes != nil {
		t.Errorf("BP style %+v, want solid black", st[4])
	}
	// More unnamed series than colours: the eighth reuses the first
	// colour, dashed.
	many := assignStyles([]string{"a", "b", "c", "d", "e", "f", "g", "h"})
	if many[7].color != many[0].color || many[7].dashes == nil {
		t.Errorf("eighth series %+v, want %v dashed", many[7], many[0].color)
	}
}

func TestLogTicksLabelRoundValues(t *testing.T) {
	labels := func(lo, hi float64) []string {
		var l []string
		for _, tk := range (logTicks{}).Ticks(lo, hi) {
			if tk.Label != "" {
				l = append(l, tk.Label)
			}
		}
		return l
	}
	for _, tc := range []struct {
		lo, hi float64
		want   string
	}{
		{1, 100, "1 10 100"},                 // decades only
		{0.1, 10, "0.1 1 10"},                // below one
		{0.02, 0.9, "0.02 0.05 0.1 0.2 0.5"}, // one decade: 1, 2, 5
		{3, 4, "3 4"},                        // less than 2, 5 in range: every digit
	} {
		if got := strings.Join(labels(tc.lo, tc.hi), " "); got != tc.want {
			t.Errorf("logTicks(%v, %v) labels %q, want %q", tc.lo, tc.hi, got, tc.want)
		}
	}
	if got := (logTicks{}).Ticks(0, 1); got != nil {
		t.Errorf("logTicks(0, 1) = %v, want none", got)
	}
}

func TestLinearTicksLabelRoundSteps(t *testing.T) {
	for _, tc := range []struct {
		lo, hi float64
		want   string
	}{
		{0, 100, "0 20 40 60 80 100"},
		{-1, 1, "-1.0 -0.5 0.0 0.5 1.0"},
		{0, 1.2, "0.0 0.2 0.4 0.6 0.8 1.0 1.2"},
		{0, 18000, "0 5000 10000 15000"},
		{0, 1, "0.0 0.2 0.4 0.6 0.8 1.0"},
		{0, 1.5, "0.00 0.25 0.50 0.75 1.00 1.25 1.50"},
		{0, 60000, "0 10k 20k 30k 40k 50k 60k"},
		{0, 2.5e6, "0 0.5M 1.0M 1.5M 2.0M 2.5M"},
		{0, 6e6, "0 1M 2M 3M 4M 5M 6M"},
	} {
		var l []string
		for _, tk := range (linearTicks{}).Ticks(tc.lo, tc.hi) {
			if tk.Label != "" {
				l = append(l, tk.Label)
			}
		}
		if got := strings.Join(l, " "); got != tc.want {
			t.Errorf("linearTicks(%v, %v) labels %q, want %q", tc.lo, tc.hi, got, tc.want)
		}
	}
}

func TestDensityHasUnitArea(t *testing.T) {
	// Eq. P4: Σ_b p_b w = Σ_b n_b / n = 1. Values 0, 0.1, 0.5, 0.9, 1 on
	// [0, 1] in 4 bins of w = 0.25: counts 2, 0, 1, 2 (1 falls in the last
	// bin), densities 2/(5·0.25) = 1.6, 0, 0.8, 1.6.
	d := make([]float64, 4)
	Density(d, []float64{0, 0.1, 0.5, 0.9, 1}, 0, 1)
	want := []float64{1.6, 0, 0.8, 1.6}
	for i := range d {
		if math.Abs(d[i]-want[i]) > 1e-12 {
			t.Fatalf("density = %v, want %v", d, want)
		}
	}
}

func TestRasterPlacesNeuronsInBands(t *testing.T) {
	// Eq. P3 with L = 2, g = 0.12: layer 0 (top) spans [1.12, 2.12],
	// layer 1 spans [0, 1].
	r, err := NewRaster([]LayerSpikes{{Neurons: 4}, {Neurons: 2}}, 50)
	if err != nil {
		t.Fatal(err)
	}
	if got := r.bandBottom(0); math.Abs(got-1.12) > 1e-12 {
		t.Errorf("bandBottom(0) = %v, want 1.12", got)
	}
	if got := r.bandBottom(1); got != 0 {
		t.Errorf("bandBottom(1) = %v, want 0", got)
	}
	xmin, xmax, ymin, ymax := r.DataRange()
	if xmin != 0 || xmax != 50 || ymin != 0 || math.Abs(ymax-2.12) > 1e-12 {
		t.Errorf("DataRange = %v %v %v %v, want 0 50 0 2.12", xmin, xmax, ymin, ymax)
	}
	if r.Layers[0].Name != "layer 0" {
		t.Errorf("default name %q, want \"layer 0\"", r.Layers[0].Name)
	}
}

func TestNewRasterCopiesInput(t *testing.T) {
	in := []LayerSpikes{{Name: "in", Neurons: 2, Spikes: []Spike{{T: 1, Neuron: 0}}}}
	r, err := NewRaster(in, 10)
	if err != nil {
		t.Fatal(err)
	}
	in[0].Spikes[0].T = 5
	if r.Layers[0].Spikes[0].T != 1 {
		t.Error("NewRaster shares its input's spikes")
	}
}

func TestSpikeTimesFindUpwardCrossings(t *testing.T) {
	// θ = 1, dt = 0.5 ms: samples 2 (1.0) and 5 (1.2) reach θ from below;
	// sample 3 (1.1) stays above and is not a new spike.
	got := spikeTimes([]float64{0, 0.5, 1, 1.1, 0, 1.2}, 0.5, 1)
	want := []float64{1, 2.5}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("spikeTimes = %v, want %v", got, want)
	}
}

func TestSaveWritesEachFormatAtomically(t *testing.T) {
	p, err := ErrorCurves("t", "epoch", "error (%)", errorFixture()[:2], true)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, tc := range []struct {
		file  string
		magic string
	}{
		{"fig.png", "\x89PNG"},
		{"fig.svg", "<?xml"},
		{"fig.PDF", "%PDF"},
	} {
		path := filepath.Join(dir, tc.file)
		if err := Save(p, path, 0, 0); err != nil {
			t.Fatalf("Save %s: %v", tc.file, err)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(b, []byte(tc.magic)) {
			t.Errorf("%s starts %q, want %q", tc.file, b[:min(8, len(b))], tc.magic)
		}
	}
	if err := Save(p, filepath.Join(dir, "fig.jpg"), 0, 0); err == nil {
		t.Error("Save .jpg: no error")
	}
	if err := Save(p, filepath.Join(dir, "no", "such", "dir.png"), 0, 0); err == nil {
		t.Error("Save into a missing directory: no error")
	}
	if err := Save(p, filepath.Join(dir, "bad.png"), -vg.Inch, 0); err == nil {
		t.Error("Save with a negative width: no error")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 3 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("directory holds %v, want the 3 figures and no temporary files", names)
	}
}

func TestSavePNGIsAtDPI(t *testing.T) {
	p, err := RateHistogram("t", []float64{1, 2, 3}, 0)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "r.png")
	if err := Save(p, path, 2*vg.Inch, vg.Inch); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	img, err := decodeRGBA(b)
	if err != nil {
		t.Fatal(err)
	}
	// 2 in × 1 in at 300 dpi.
	if w, h := img.Bounds().Dx(), img.Bounds().Dy(); w != 600 || h != 300 {
		t.Errorf("PNG is %d × %d px, want 600 × 300", w, h)
	}
}

func TestRenderReportsErrors(t *testing.T) {
	good, err := RateHistogram("t", []float64{1, 2}, 0)
	if err != nil {
		t.Fatal(err)
	}
	// A log axis over negative data makes gonum/plot panic while drawing.
	bad := plot.New()
	bad.Y.Scale = plot.LogScale{}
	line, err := plotter.NewLine(plotter.XYs{{X: 0, Y: -1}, {X: 1, Y: -2}})
	if err != nil {
		t.Fatal(err)
	}
	bad.Add(line)
	for _, tc := range []struct {
		name   string
		p      *plot.Plot
		format string
		w      vg.Length
		dpi    int
	}{
		{"nil plot", nil, "png", 0, 0},
		{"unknown format", good, "gif", 0, 0},
		{"NaN width", good, "png", vg.Length(nan), 0},
		{"negative dpi", good, "png", 0, -1},
		{"panic while drawing", bad, "svg", 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := Render(new(bytes.Buffer), tc.p, tc.format, tc.w, 0, tc.dpi)
			if err == nil || !strings.HasPrefix(err.Error(), "plots: render: ") {
				t.Errorf("Render: %v, want a plots: render: error", err)
			}
		})
	}
}
