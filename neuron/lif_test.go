package neuron

import (
	"math"
	"testing"
)

// run drives one LIF neuron with the currents in and returns v and s after
// each step.
func run(p LIFParams, dt float64, in []float32) (v []float32, s []bool) {
	st := NewLIFState(1)
	spikes := make([]int32, 0, 1)
	for _, x := range in {
		spikes = p.Step(st, []float32{x}, dt, spikes)
		v = append(v, st.V[0])
		s = append(s, len(spikes) == 1)
	}
	return v, s
}

func TestLIFTrajectory(t *testing.T) {
	// α = exp(−dt/τ). With τ = dt/ln 2, α = ½ exactly, so every value
	// below is a hand calculation in binary fractions.
	half := LIFParams{TauMem: 1 / math.Ln2, Theta: 1}
	cases := []struct {
		name  string
		p     LIFParams
		in    []float32
		wantV []float32
		wantS []bool
	}{
		{
			// v1 = 0.6; v2 = 0.3+0.6 = 0.9; v3 = 0.45+0.6 = 1.05 ≥ 1 → spike;
			// v4 = 0.525+0.6−1 = 0.125 (N2, subtraction outside the leak);
			// v5 = 0.0625+0.6 = 0.6625.
			name:  "subtract",
			p:     half,
			in:    []float32{0.6, 0.6, 0.6, 0.6, 0.6},
			wantV: []float32{0.6, 0.9, 1.05, 0.125, 0.6625},
			wantS: []bool{false, false, true, false, false},
		},
		{
			// Same drive, reset to zero: v4 = 0 + 0.6 = 0.6; v5 = 0.3+0.6 = 0.9.
			name:  "zero",
			p:     LIFParams{TauMem: half.TauMem, Theta: 1, Reset: ResetZero},
			in:    []float32{0.6, 0.6, 0.6, 0.6, 0.6},
			wantV: []float32{0.6, 0.9, 1.05, 0.6, 0.9},
			wantS: []bool{false, false, true, false, false},
		},
		{
			// Refractory 2 ms at dt = 1 ms: n_ref = 2. Spike at step 1
			// (v = 1.5); step 2 applies the reset and holds: 0.5; step 3
			// holds 0.5 (input ignored); step 4 integrates: 0.25+1.5 = 1.75
			// → spike; step 5 holds 0.75.
			name:  "refractory",
			p:     LIFParams{TauMem: half.TauMem, Theta: 1, Refractory: 2},
			in:    []float32{1.5, 1.5, 1.5, 1.5, 1.5},
			wantV: []float32{1.5, 0.5, 0.5, 1.75, 0.75},
			wantS: []bool{true, false, false, true, false},
		},
		{
			// Refractory with reset to zero: held at 0, then 0 + 1.5.
			name:  "refractory zero",
			p:     LIFParams{TauMem: half.TauMem, Theta: 1, Refractory: 2, Reset: ResetZero},
			in:    []float32{1.5, 1.5, 1.5, 1.5},
			wantV: []float32{1.5, 0, 0, 1.5},
			wantS: []bool{true, false, false, true},
		},
		{
			// Strong drive without refractoriness fires every step:
			// v2 = 1.25+1.5−1 = 1.75; v3 = 0.875+1.5−1 = 1.375.
			name:  "every step",
			p:     half,
			in:    []float32{2.5, 1.5, 1.5},
			wantV: []float32{2.5, 1.75, 1.375},
			wantS: []bool{true, true, true},
		},
		{
			// Threshold at exactly θ fires (H(0) = 1, eq. N3).
			name:  "at threshold",
			p:     LIFParams{TauMem: half.TauMem, Theta: 2},
			in:    []float32{2},
			wantV: []float32{2},
			wantS: []bool{true},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v, s := run(c.p, 1, c.in)
			for k := range c.in {
				if math.Abs(float64(v[k]-c.wantV[k])) > 1e-6 || s[k] != c.wantS[k] {
					t.Errorf("step %d: v = %g, s = %v; want %g, %v", k+1, v[k], s[k], c.wantV[k], c.wantS[k])
				}
			}
		})
	}
}

func TestLIFFreeDecayIsAlphaToTheT(t *testing.T) {
	// Without input, v[t] = α^t v[0] (eq. N2 with i = 0, no spike).
	for _, tau := range []float64{5, 20, 100} {
		p := LIFParams{TauMem: tau, Theta: 1}
		st := NewLIFState(1)
		st.V[0] = 0.9
		zero := []float32{0}
		for step := 1; step <= 50; step++ {
			p.Step(st, zero, 1, nil)
			want := 0.9 * math.Exp(-float64(step)/tau)
			if math.Abs(float64(st.V[0])-want) > 1e-5 {
				t.Fatalf("τ = %g, t = %d: v = %g, want 0.9·e^(−t/τ) = %g", tau, step, st.V[0], want)
			}
		}
	}
}

func TestPostFactors(t *testing.T) {
	v := []float32{-1, 0, 0.25, 0.5, 1, 1.5, 1.75, 2, 3}
	cases := []struct {
		name string
		f    PostFactor
		want []float32
	}{
		// max(0, 1 − |v − 1|), θ = 1.
		{"triangle", Triangle{}, []float32{0, 0, 0.25, 0.5, 1, 0.5, 0.25, 0, 0}},
		// window (0.5, 1.5) for h = ½.
		{"boxcar", Boxcar{}, []float32{0, 0, 0, 0, 1, 0, 0, 0, 0}},
		// window (0, 2) for h = 1.
		{"boxcar wide", Boxcar{Half: 1}, []float32{0, 0, 1, 1, 1, 1, 1, 0, 0}},
		// 1/(1 + |v − 1|)²: 1/9, 1/4, 1/1.75², 1/1.5², 1, … symmetric.
		{"fast sigmoid", FastSigmoid{}, []float32{1.0 / 9, 0.25, 1 / (1.75 * 1.75), 1 / 2.25, 1, 1 / 2.25, 1 / (1.75 * 1.75), 0.25, 1.0 / 9}},
		// ψ = 1 everywhere.
		{"straight-through", StraightThrough{}, []float32{1, 1, 1, 1, 1, 1, 1, 1, 1}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			psi := make([]float32, len(v))
			c.f.Psi(psi, v, 1)
			for i := range v {
				if math.Abs(float64(psi[i]-c.want[i])) > 1e-6 {
					t.Errorf("ψ(%g) = %g, want %g", v[i], psi[i], c.want[i])
				}
			}
		})
	}
}

func TestPostIsZeroWhileRefractory(t *testing.T) {
	// n_ref = 1: the step after a spike is silent, so ψ = 0 there even
	// though v = 1.5 − 1 = 0.5 gives a triangle of 0.5.
	p := LIFParams{TauMem: 20, Theta: 1, Refractory: 1}
	st := NewLIFState(1)
	psi := []float32{0}
	p.Step(st, []float32{1.5}, 1, nil)
	p.Post(Triangle{}, psi, st)
	if psi[0] != 0.5 { // 1 − |1.5 − 1|
		t.Fatalf("ψ at the spike = %g, want 0.5", psi[0])
	}
	p.Step(st, []float32{1.5}, 1, nil)
	p.Post(Triangle{}, psi, st)
	if psi[0] != 0 || st.V[0] != 0.5 {
		t.Fatalf("refractory step: ψ = %g, v = %g; want 0, 0.5", psi[0], st.V[0])
	}
}

func TestLIReadout(t *testing.T) {
	// u[t] = ½u[t−1] + i: 1, 1.5, 0.75 (eq. N7 with α = ½).
	p := LIParams{TauMem: 1 / math.Ln2}
	u := []float32{0}
	want := []float32{1, 1.5, 0.75}
	for k, i := range []float32{1, 1, 0} {
		p.Step(u, []float32{i}, 1)
		if math.Abs(float64(u[0]-want[k])) > 1e-6 {
			t.Fatalf("step %d: u = %g, want %g", k+1, u[0], want[k])
		}
	}
}

func TestStepAllocatesNothing(t *testing.T) {
	const n = 256
	p := DefaultLIF()
	p.Refractory = 2
	st := NewLIFState(n)
	in := make([]float32, n)
	for i := range in {
		in[i] = float32(i) / n
	}
	spikes := make([]int32, 0, n)
	psi := make([]float32, n)
	allocs := testing.AllocsPerRun(100, func() {
		spikes = p.Step(st, in, 1, spikes)
		p.Post(Triangle{}, psi, st)
	})
	if allocs != 0 {
		t.Fatalf("Step + Post allocate %g times per call, want 0", allocs)
	}
}

func TestValidate(t *testing.T) {
	cases := []struct {
		p  LIFParams
		ok bool
	}{
		{DefaultLIF(), true},
		{LIFParams{TauMem: 0, Theta: 1}, false},
		{LIFParams{TauMem: 20, Theta: 0}, false},
		{LIFParams{TauMem: 20, Theta: 1, Refractory: -1}, false},
		{LIFParams{TauMem: math.NaN(), Theta: 1}, false},
	}
	for _, c := range cases {
		if err := c.p.Validate(); (err == nil) != c.ok {
			t.Errorf("Validate(%+v) = %v, want ok %v", c.p, err, c.ok)
		}
	}
}

// BenchmarkLIFStep1000 steps 1000 neurons (a hidden layer of the default
// network) and, separately, computes their triangle post factor.
func BenchmarkLIFStep1000(b *testing.B) {
	const n = 1000
	p := DefaultLIF()
	st := NewLIFState(n)
	in := make([]float32, n)
	for i := range in {
		in[i] = float32(i%7) * 0.03
	}
	spikes := make([]int32, 0, n)
	psi := make([]float32, n)
	b.Run("step", func(b *testing.B) {
		for b.Loop() {
			spikes = p.Step(st, in, 1, spikes)
		}
	})
	b.Run("post", func(b *testing.B) {
		for b.Loop() {
			p.Post(Triangle{}, psi, st)
		}
	})
}
