package spiking

import (
	"bytes"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"drtp/dataset"
	"drtp/modulator"
	"drtp/neuron"
	"drtp/synapse"
)

// tinyConfig is a 2-2-2 network driven by direct current for one step of
// 1 ms, with α = exp(−1/τ_m) = ½ (τ_m = 1/ln 2 ms), θ = 1, online SGD with
// η = 0.1 and a target rate of 500 Hz (ρ* = 0.5 per step).
func tinyConfig(rule modulator.Rule) Config {
	c := DefaultConfig()
	c.Topology = "FC_2_FC_2"
	c.Rule = rule
	c.Steps = 1
	c.Encode = "current"
	c.Gain = 1
	c.TauMem = 1 / math.Ln2
	c.TargetRate = 500
	c.Online = true
	c.LR = 0.1
	c.Workers = 1
	c.HiddenBias = true
	c.OutputLR = 1
	c.RateReg = 0 // the hand calculations add eq. R1 only where a case asks for it
	return c
}

// tinyNet sets the weights of the hand calculation:
// W1 = [[0.8, 0.4], [0.2, −0.2]], W2 = [[0.5, 0.3], [−0.5, 0.7]], biases 0,
// B = [[1, −1], [0.5, 2]].
func tinyNet(t *testing.T, c Config) *Net {
	t.Helper()
	n, err := New(c, 2, 2)
	if err != nil {
		t.Fatal(err)
	}
	set := func(k int, w []float32) {
		d := synapse.NewDense(2, 2)
		copy(d.W, w)
		if err := n.SetDense(k, d); err != nil {
			t.Fatal(err)
		}
	}
	set(0, []float32{0.8, 0.4, 0.2, -0.2})
	set(1, []float32{0.5, 0.3, -0.5, 0.7})
	copy(n.layers[0].fb.B, []float32{1, -1, 0.5, 2})
	return n
}

func tinySet() *dataset.Set {
	return &dataset.Set{Name: "tiny", X: []float32{1, 0.5}, T: []float32{1, 0}, Labels: []int{0}, N: 1, Features: 2, Outputs: 2, Shape: [3]int{1, 1, 2}}
}

func near(a, b []float32) bool {
	for i := range a {
		if math.Abs(float64(a[i]-b[i])) > 1e-6 {
			return false
		}
	}
	return true
}

func TestOnlineUpdateByHand(t *testing.T) {
	// Step 0, input currents x = (1, 0.5) (eq. E4, gain 1).
	// Hidden: i = W1 x = (0.8+0.2, 0.2−0.1) = (1.0, 0.1): neuron 0 fires
	// (eq. N3); ψ = (1 − |1−1|, 1 − |0.1−1|) = (1, 0.1) (eq. N5).
	// Output: i = W2 (1, 0) = (0.5, −0.5), no spike, ψ = 1 (straight-through).
	// Label 0: e = s − ρ* y* = (−0.5, 0) (eq. O1).
	// Traces after the step (eq. T1): x̄ = (1, 0.5), hidden x̄ = (1, 0),
	// bias x̄_b = 1.
	// Output (eq. T2, η = 0.1): ΔW2 row 0 = −0.1·(−0.5)·(1, 0) = (0.05, 0),
	// Δb2 = (0.05, 0), for every rule.
	wantW2 := []float32{0.55, 0.3, -0.5, 0.7}
	wantB2 := []float32{0.05, 0}
	cases := []struct {
		rule   modulator.Rule
		m      [2]float32 // m = d ⊙ ψ of the hidden layer
		wantW1 []float32
		reg    bool // the rate regulariser, λ = 0.4 towards 250 Hz
	}{
		// DRTP (eq. D1): d = B row 0 = (1, −1); m = (1, −0.1).
		{modulator.DRTP{}, [2]float32{1, -0.1}, nil, false},
		// DFA (eq. D3): d = Bᵀ e = −0.5·(1, −1) = (−0.5, 0.5); m = (−0.5, 0.05).
		{modulator.DFA{}, [2]float32{-0.5, 0.05}, nil, false},
		// sDFA (eq. D4): sign e = (−1, 0); d = (−1, 1); m = (−1, 0.1).
		{modulator.SDFA{}, [2]float32{-1, 0.1}, nil, false},
		// Shallow: d = 0, the hidden layer does not move.
		{modulator.Shallow{}, [2]float32{0, 0}, nil, false},
		// DRTP with eq. R1: rates so far r = (1, 0) per step, ρ_h = 0.25;
		// m = (1, −0.1) + 0.4·(0.75·1, −0.25·0.1) = (1.3, −0.11).
		{modulator.DRTP{}, [2]float32{1.3, -0.11}, nil, true},
		// Shallow with eq. R1: still frozen.
		{modulator.Shallow{}, [2]float32{0, 0}, nil, true},
	}
	for _, c := range cases {
		name := c.rule.String()
		if c.reg {
			name += "+rate-reg"
		}
		t.Run(name, func(t *testing.T) {
			cfg := tinyConfig(c.rule)
			if c.reg {
				cfg.RateReg, cfg.HiddenRate = 0.4, 250
			}
			n := tinyNet(t, cfg)
			if _, err := n.TrainEpoch(tinySet(), rand.New(rand.NewPCG(1, 1)), nil); err != nil {
				t.Fatal(err)
			}
			// ΔW1_ij = −η m_i x̄_j, Δb1_i = −η m_i x̄_b.
			W1 := []float32{0.8, 0.4, 0.2, -0.2}
			for i := range 2 {
				for j, x := range []float32{1, 0.5} {
					W1[i*2+j] -= 0.1 * c.m[i] * x
				}
			}
			B1 := []float32{-0.1 * c.m[0], -0.1 * c.m[1]}
			d1, d2 := n.Dense(0), n.Dense(1)
			if !near(d1.W, W1) || !near(d1.B, B1) {
				t.Errorf("hidden W = %v b = %v, want %v %v", d1.W, d1.B, W1, B1)
			}
			if !near(d2.W, wantW2) || !near(d2.B, wantB2) {
				t.Errorf("output W = %v b = %v, want %v %v", d2.W, d2.B, wantW2, wantB2)
			}
		})
	}
}

func TestSummedEqualsOnlineForOneStep(t *testing.T) {
	// With one step and one sample, summing over the sample (eq. T3) then
	// taking one SGD step (the first SGD step is p − η g) must equal the
	// online update (eq. T2).
	for _, rule := range []modulator.Rule{modulator.DRTP{}, modulator.DFA{}} {
		on := tinyNet(t, tinyConfig(rule))
		cs := tinyConfig(rule)
		cs.Online = false
		cs.Batch = 1
		cs.Method = synapse.SGD{LR: 0.1}
		sum := tinyNet(t, cs)
		for _, n := range []*Net{on, sum} {
			if _, err := n.TrainEpoch(tinySet(), rand.New(rand.NewPCG(1, 1)), nil); err != nil {
				t.Fatal(err)
			}
		}
		for k := range 2 {
			a, b := on.Dense(k), sum.Dense(k)
			if !near(a.W, b.W) || !near(a.B, b.B) {
				t.Errorf("%s layer %d: online %v %v, summed %v %v", rule, k, a.W, a.B, b.W, b.B)
			}
		}
	}
}

func TestDendriteLeakyCompartment(t *testing.T) {
	// Eq. D2 with α_d = ½, B = [[1, −1], [0.5, 2]]: target spikes of
	// class 0 at steps 0 and 2, none at step 1:
	// d0 = (1, −1); d1 = (0.5, −0.5); d2 = (0.25+1, −0.25−1) = (1.25, −1.25).
	fb := &modulator.Feedback{Rows: 2, Cols: 2, B: []float32{1, -1, 0.5, 2}}
	d := NewDendrite(fb, 0.5)
	want := [][]float32{{1, -1}, {0.5, -0.5}, {1.25, -1.25}}
	for t0, s := range [][]float32{{1, 0}, {0, 0}, {1, 0}} {
		d.Step(s)
		if !near(d.D, want[t0]) {
			t.Fatalf("step %d: d = %v, want %v", t0, d.D, want[t0])
		}
	}
	// Without a compartment, d = Bᵀ s: s = (−0.5, 1) → (−0.5+0.5, 0.5+2).
	d = NewDendrite(fb, 0)
	d.Step([]float32{-0.5, 1})
	if !near(d.D, []float32{0, 2.5}) {
		t.Fatalf("d = %v, want [0 2.5]", d.D)
	}
}

// synthetic returns n samples of c classes over f inputs in [0, 1]: each
// class lights a fixed random fifth of the inputs; seed draws the noise.
func synthetic(n, f, c int, seed uint64) *dataset.Set {
	rng := rand.New(rand.NewPCG(1234, 3))
	proto := make([][]float32, c)
	for k := range proto {
		proto[k] = make([]float32, f)
		for j := range proto[k] {
			if rng.IntN(5) == 0 {
				proto[k][j] = 0.6 + 0.4*rng.Float32()
			}
		}
	}
	rng = rand.New(rand.NewPCG(seed, 3))
	s := &dataset.Set{Name: "synthetic", X: make([]float32, n*f), T: make([]float32, n*c), Labels: make([]int, n), N: n, Features: f, Outputs: c, Shape: [3]int{1, 1, f}}
	for i := range n {
		k := i % c
		s.Labels[i] = k
		s.T[i*c+k] = 1
		for j := range f {
			v := proto[k][j] + 0.2*float32(rng.NormFloat64())
			s.X[i*f+j] = min(1, max(0, v))
		}
	}
	return s
}

func smallConfig(rule modulator.Rule) Config {
	c := DefaultConfig()
	c.Topology = "FC_64_FC_4"
	c.Rule = rule
	c.Steps = 20
	c.Batch = 8
	c.LR = 3e-3
	c.OutputLR = 1
	c.LRDecay = 1
	c.MaxRate = 400
	c.WeightInit = 4
	c.OutputInit = 1
	c.Seed = 7
	return c
}

func TestShallowFreezesHiddenLayer(t *testing.T) {
	set := synthetic(64, 32, 4, 1)
	for _, online := range []bool{false, true} {
		c := smallConfig(modulator.Shallow{})
		c.Online = online
		n, err := New(c, 32, 4)
		if err != nil {
			t.Fatal(err)
		}
		before, out := n.Dense(0), n.Dense(1)
		rng := rand.New(rand.NewPCG(2, 2))
		for range 3 {
			if _, err := n.TrainEpoch(set, rng, nil); err != nil {
				t.Fatal(err)
			}
		}
		after := n.Dense(0)
		if !near(before.W, after.W) || !near(before.B, after.B) {
			t.Errorf("online %v: shallow changed the hidden weights", online)
		}
		if near(out.W, n.Dense(1).W) {
			t.Errorf("online %v: the output layer did not learn", online)
		}
	}
}

func TestDRTPAlignsWithSurrogateBP(t *testing.T) {
	// One example, repeated. With output weights starting at zero (the
	// setting of the paper's alignment argument), the readout learns from
	// the hidden code DRTP shapes, W_2 comes to point along −B, and the
	// hidden update must then lie within 90° of what surrogate-gradient BP
	// would do at the same state (eq. A2). The softmax error (eq. O1′)
	// keeps a signed error at the label; the rate error of eq. O1 averages
	// to zero once the target rate is reached, leaving BP only noise.
	// The third factor alone must stay within 90° at every iteration; with
	// the rate regulariser of eq. R1, whose term no task gradient has, the
	// update must still point along BP's on average.
	cases := []struct {
		name      string
		rateReg   float64
		everyStep bool
	}{
		{"third factor alone", 0, true},
		{"with the rate regulariser", DefaultRateReg(modulator.DRTP{}), false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			set := synthetic(4, 32, 4, 5).Head(1)
			c := smallConfig(modulator.DRTP{})
			c.Batch = 1
			c.OutputInit = 0
			c.OutputError = "softmax"
			c.RateReg = tc.rateReg
			n, err := New(c, 32, 4)
			if err != nil {
				t.Fatal(err)
			}
			rng := rand.New(rand.NewPCG(9, 9))
			x := set.X[:32]
			var sum float64
			for it := 0; it < 60; it++ {
				if _, err := n.TrainEpoch(set, rng, nil); err != nil {
					t.Fatal(err)
				}
				if it < 20 {
					continue
				}
				a, err := n.Alignment(x, set.Labels[0], rng)
				if err != nil {
					t.Fatal(err)
				}
				if tc.everyStep && !(a[0] < 90) {
					t.Fatalf("iteration %d: angle %.1f°, want < 90°", it, a[0])
				}
				sum += a[0]
			}
			if mean := sum / 40; !(mean < 90) {
				t.Errorf("mean angle over iterations 20–59: %.1f°, want < 90°", mean)
			} else {
				t.Logf("mean angle over iterations 20–59: %.1f°", mean)
			}
		})
	}
}

func TestLearnsSyntheticTask(t *testing.T) {
	// A 4-class task a linear readout can solve: every rule, the shallow
	// one included, must get well below chance (75% error) in a few epochs.
	train, test := synthetic(256, 32, 4, 1), synthetic(128, 32, 4, 2)
	for _, rule := range []modulator.Rule{modulator.DRTP{}, modulator.DFA{}, modulator.SDFA{}, modulator.Shallow{}} {
		n, err := New(smallConfig(rule), 32, 4)
		if err != nil {
			t.Fatal(err)
		}
		rng := rand.New(rand.NewPCG(1, 2))
		for range 4 {
			if _, err := n.TrainEpoch(train, rng, nil); err != nil {
				t.Fatal(err)
			}
		}
		st, err := n.Evaluate(test)
		if err != nil {
			t.Fatal(err)
		}
		if st.Error > 20 {
			t.Errorf("%s: test error %.1f%%, want ≤ 20%%", rule, st.Error)
		}
	}
}

func TestSameSeedSameNumbers(t *testing.T) {
	train := synthetic(64, 32, 4, 1)
	run := func() (Stats, []float32) {
		n, err := New(smallConfig(modulator.DRTP{}), 32, 4)
		if err != nil {
			t.Fatal(err)
		}
		st, err := n.TrainEpoch(train, rand.New(rand.NewPCG(4, 4)), nil)
		if err != nil {
			t.Fatal(err)
		}
		return st, n.Dense(0).W
	}
	a, wa := run()
	b, wb := run()
	if a.Loss != b.Loss || a.Error != b.Error || !near(wa, wb) {
		t.Fatalf("two runs with the same seeds differ: %v / %v", a.Loss, b.Loss)
	}
}

func TestRecordersObserveWithoutChanging(t *testing.T) {
	set := synthetic(8, 32, 4, 1)
	n, err := New(smallConfig(modulator.DRTP{}), 32, 4)
	if err != nil {
		t.Fatal(err)
	}
	var raster, membrane bytes.Buffer
	spikes := NewSpikeCSV(&raster)
	mem := NewMembraneCSV(&membrane, 1, 0, 5)
	rates := NewRates(1)
	x := set.X[:32]
	plain, err := n.Simulate(x, rand.New(rand.NewPCG(1, 1)), nil)
	if err != nil {
		t.Fatal(err)
	}
	seen, err := n.Simulate(x, rand.New(rand.NewPCG(1, 1)), Recorders{spikes, mem, rates})
	if err != nil {
		t.Fatal(err)
	}
	if plain != seen {
		t.Fatalf("prediction %d with recorders, %d without", seen, plain)
	}
	if err := spikes.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := mem.Flush(); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(raster.String()), "\n")
	if lines[0] != "sample,step,layer,neuron" {
		t.Fatalf("raster header %q", lines[0])
	}
	// One line per spike: the input, hidden and output counts of Rates.
	var total float64
	for _, layer := range rates.Counts {
		for _, c := range layer {
			total += c
		}
	}
	if len(lines)-1 != int(total) {
		t.Fatalf("%d raster lines, %g spikes counted", len(lines)-1, total)
	}
	// Two neurons × 20 steps of potentials, plus the header.
	if got := strings.Count(membrane.String(), "\n"); got != 1+2*20 {
		t.Fatalf("%d membrane lines, want 41", got)
	}
	if rates.Steps != 20 || len(rates.Hz(1)) != 64 {
		t.Fatalf("rates: %d steps, %d hidden neurons", rates.Steps, len(rates.Hz(1)))
	}
}

func TestRunAllocatesNothing(t *testing.T) {
	set := synthetic(4, 32, 4, 1)
	for _, online := range []bool{false, true} {
		c := smallConfig(modulator.DFA{})
		c.Online = online
		c.AngleEvery = 1
		n, err := New(c, 32, 4)
		if err != nil {
			t.Fatal(err)
		}
		w := n.pool[0]
		x := set.X[:32]
		w.run(x, 1, mode{learn: true, online: online, angle: !online}) // grow the event buffers
		allocs := testing.AllocsPerRun(10, func() {
			w.run(x, 1, mode{learn: true, online: online, angle: !online})
		})
		if allocs != 0 {
			t.Errorf("online %v: %g allocations per sample", online, allocs)
		}
	}
}

func TestConfigErrors(t *testing.T) {
	cases := []struct {
		name    string
		edit    func(*Config)
		classes int
		want    string
	}{
		{"bp", func(c *Config) { c.Rule = modulator.BP{} }, 10, "third-factor"},
		{"conv", func(c *Config) { c.Topology = "CONV_8_3_1_1_FC_10" }, 10, "FC layers only"},
		{"classes", func(c *Config) {}, 5, "5 classes"},
		{"encoder", func(c *Config) { c.Encode = "morse" }, 10, "morse"},
		{"readout", func(c *Config) { c.Readout = "vote" }, 10, "vote"},
		{"steps", func(c *Config) { c.Steps = 0 }, 10, "steps"},
		{"dendrite", func(c *Config) { c.Rule = modulator.DFA{}; c.Dendrite = true }, 10, "DRTP"},
		{"tau", func(c *Config) { c.TauMem = -1 }, 10, "TauMem"},
		{"rate above one spike a step", func(c *Config) { c.MaxRate = 1500 }, 10, "MaxRate = 1500 Hz at DT = 1 ms"},
		{"rate above one spike a step at a longer step", func(c *Config) { c.DT = 2; c.MaxRate = 600 }, 10, "≤ 500 Hz"},
		{"negative rate regulariser", func(c *Config) { c.RateReg = -1 }, 10, "RateReg"},
		{"hidden rate above one spike a step", func(c *Config) { c.RateReg = 0.1; c.HiddenRate = 1500 }, 10, "HiddenRate = 1500 Hz"},
	}
	for _, c := range cases {
		cfg := DefaultConfig()
		c.edit(&cfg)
		_, err := New(cfg, 784, c.classes)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want it to mention %q", c.name, err, c.want)
		}
	}
}

func TestEncodersAndReadouts(t *testing.T) {
	// Every encoder and readout runs and learns something on the synthetic
	// task (error below 50%, chance being 75%).
	train := synthetic(128, 32, 4, 1)
	edits := map[string]func(*Config){
		"latency":        func(c *Config) { c.Encode = "latency" },
		"latency-linear": func(c *Config) { c.Encode = "latency-linear" },
		"current":        func(c *Config) { c.Encode = "current" },
		"integrated":     func(c *Config) { c.Readout = "integrated" },
		"dendrite":       func(c *Config) { c.Dendrite = true },
		"refractory":     func(c *Config) { c.Refractory = 2; c.Reset = neuron.ResetZero },
		"boxcar":         func(c *Config) { c.Post = neuron.Boxcar{} },
	}
	for name, edit := range edits {
		c := smallConfig(modulator.DRTP{})
		edit(&c)
		n, err := New(c, 32, 4)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		rng := rand.New(rand.NewPCG(1, 2))
		for range 4 {
			if _, err := n.TrainEpoch(train, rng, nil); err != nil {
				t.Fatal(err)
			}
		}
		st, err := n.Evaluate(train)
		if err != nil {
			t.Fatal(err)
		}
		if st.Error > 50 {
			t.Errorf("%s: error %.1f%%, want ≤ 50%%", name, st.Error)
		}
	}
}

func TestGroupedUpdateEqualsPerStep(t *testing.T) {
	// The summed update groups a wide layer's events by input (one gradient
	// row per input); it must equal eq. T3 applied step by step.
	set := synthetic(4, 32, 4, 1)
	for _, enc := range []string{"poisson", "current"} {
		c := smallConfig(modulator.DRTP{})
		c.Encode = enc
		n, err := New(c, 32, 4)
		if err != nil {
			t.Fatal(err)
		}
		w := n.pool[0]
		w.pcg.Seed(1, 1)
		w.run(set.X[:32], 1, mode{learn: true})
		L, s := n.layers[0], w.ls[0]
		if L.narrow {
			t.Fatal("hidden layer of 64 should be wide")
		}
		ref := make([]float32, len(L.wT))
		for step := 0; step < c.Steps; step++ {
			lo, hi := s.evOff[step], s.evOff[step+1]
			var vals []float32
			if len(s.evVal) > 0 {
				vals = s.evVal[lo:hi]
			}
			synapse.ThreeFactor(ref, L.out, 1, s.m[step*L.out:(step+1)*L.out], s.evIdx[lo:hi], vals)
		}
		var norm float64
		for i := range ref {
			d := float64(ref[i] - w.gW[0][i])
			if math.Abs(d) > 1e-4*(1+math.Abs(float64(ref[i]))) {
				t.Fatalf("%s: entry %d: grouped %g, per step %g", enc, i, w.gW[0][i], ref[i])
			}
			norm += float64(ref[i]) * float64(ref[i])
		}
		if norm == 0 {
			t.Fatalf("%s: no update at all: the test would prove nothing", enc)
		}
	}
}

func TestAnglesOverABatch(t *testing.T) {
	// The batch measurement leaves the network unchanged, gives NaN for the
	// shallow rule and an angle in [0°, 180°] otherwise (eq. A2).
	set := synthetic(16, 32, 4, 1)
	for _, rule := range []modulator.Rule{modulator.DRTP{}, modulator.Shallow{}} {
		n, err := New(smallConfig(rule), 32, 4)
		if err != nil {
			t.Fatal(err)
		}
		before := n.Dense(0).W
		a, err := n.Angles(nil, set, []int{0, 1, 2, 3, 4, 5, 6, 7}, rand.New(rand.NewPCG(1, 1)))
		if err != nil {
			t.Fatal(err)
		}
		if len(a) != 1 {
			t.Fatalf("%s: %d angles for one hidden layer", rule, len(a))
		}
		if _, shallow := rule.(modulator.Shallow); shallow != math.IsNaN(a[0]) || (!shallow && !(a[0] >= 0 && a[0] <= 180)) {
			t.Errorf("%s: angle %g", rule, a[0])
		}
		if !near(before, n.Dense(0).W) {
			t.Errorf("%s: measuring changed the weights", rule)
		}
		if _, err := n.Angles(nil, set, []int{99}, rand.New(rand.NewPCG(1, 1))); err == nil {
			t.Errorf("%s: sample 99 of 16 accepted", rule)
		}
	}
}

func TestGroupsByMaskMatchCountingSort(t *testing.T) {
	// Grouping the events by input through bit masks (T ≤ 64) must list
	// the same inputs, the same steps in the same order, as the counting
	// sort it replaces, from no events to every input at every step.
	cases := []struct {
		name string
		T    int
		p    float64 // probability that an input spikes at a step
	}{
		{"no events", 50, 0},
		{"one step", 1, 0.3},
		{"sparse", 50, 0.05},
		{"default", 50, 0.3},
		{"64 steps", 64, 0.3},
		{"every input every step", 64, 1},
	}
	const in = 97
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(5, uint64(c.T)))
			s := &lstate{evOff: make([]int32, c.T+1)}
			for step := range c.T {
				s.evOff[step] = int32(len(s.evIdx))
				for j := range in {
					if rng.Float64() < c.p {
						s.evIdx = append(s.evIdx, int32(j))
					}
				}
			}
			s.evOff[c.T] = int32(len(s.evIdx))
			var sorted, masked eventGroups
			sorted.sortByInput(s, in, c.T, false)
			sorted.groups(in)
			masked.groupsByMask(s, in, c.T)
			if !slices.Equal(masked.js, sorted.js) || !slices.Equal(masked.aoff, sorted.aoff) {
				t.Fatalf("inputs %v at %v, want %v at %v", masked.js, masked.aoff, sorted.js, sorted.aoff)
			}
			E := len(s.evIdx)
			if !slices.Equal(masked.step[:E], sorted.step[:E]) {
				t.Fatalf("steps %v, want %v", masked.step[:E], sorted.step[:E])
			}
		})
	}
}
