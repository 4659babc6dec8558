package encode

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestPoissonRateWithinConfidenceInterval(t *testing.T) {
	const (
		inputs = 100
		steps  = 1000
	)
	cases := []struct {
		name    string
		x       float32
		maxRate float64 // Hz
		dt      float64 // ms
		p       float64 // expected probability per step, eq. E1
	}{
		{"half at 200 Hz", 0.5, 200, 1, 0.1},   // 0.5·200·1/1000
		{"full at 400 Hz", 1, 400, 1, 0.4},     // 1·400·1/1000
		{"dt 0.5 ms", 0.8, 250, 0.5, 0.1},      // 0.8·250·0.5/1000
		{"clipped at 1", 1, 2000, 1, 1},        // min(1, 2)
		{"silent input", 0, 500, 1, 0},         // x = 0
		{"above one is one", 1.5, 100, 1, 0.1}, // x clipped to 1
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			src := rand.NewPCG(1, 2)
			x := make([]float32, inputs)
			for i := range x {
				x[i] = c.x
			}
			enc := NewPoisson(c.maxRate, c.dt)
			enc.Reset(x, src)
			var ev Events
			n := 0
			for s := 0; s < steps; s++ {
				enc.Step(s, &ev)
				n += ev.Len()
				if !slices.IsSorted(ev.Idx) {
					t.Fatalf("step %d: indices not increasing: %v", s, ev.Idx)
				}
			}
			trials := float64(inputs * steps)
			mean := trials * c.p
			// Binomial: 4 standard deviations (two-sided p ≈ 6e-5).
			sd := math.Sqrt(trials * c.p * (1 - c.p))
			if math.Abs(float64(n)-mean) > 4*sd+1e-9 {
				t.Fatalf("%d spikes, want %g ± %g (4σ)", n, mean, 4*sd)
			}
		})
	}
}

func TestPoissonSameSeedSameSpikes(t *testing.T) {
	x := []float32{0.1, 0.9, 0, 0.5}
	draw := func() []int32 {
		enc := NewPoisson(300, 1)
		enc.Reset(x, rand.NewPCG(7, 8))
		var ev Events
		var all []int32
		for s := 0; s < 50; s++ {
			enc.Step(s, &ev)
			all = append(all, ev.Idx...)
			all = append(all, -1)
		}
		return all
	}
	if a, b := draw(), draw(); !slices.Equal(a, b) {
		t.Fatal("same seed gave different spike trains")
	}
}

func TestLatencyFirstSpikeTimes(t *testing.T) {
	cases := []struct {
		name string
		enc  *Latency
		x    []float32
		want []int // step of each input's spike, −1 for none
	}{
		{
			// eq. E2, T = 11: (1−x)·10 → 0, 5, 7.5→8 (round half away), 9;
			// 0.05 ≤ x_θ = 0.1: none.
			name: "linear",
			enc:  NewLatency(11, 1, 0, 0.1, true),
			x:    []float32{1, 0.5, 0.25, 0.1001, 0.05},
			want: []int{0, 5, 8, 9, -1},
		},
		{
			// eq. E3, τ = 10 ms, x_θ = 0.2, Δt = 1 ms, T = 20:
			// 10 ln(1/0.8) = 2.23 → 2; 10 ln 2 = 6.93 → 7;
			// 10 ln 5 = 16.09 → 16; 10 ln 21 = 30.4 ≥ 20 → none; 0.2 → none.
			name: "log",
			enc:  NewLatency(20, 1, 10, 0.2, false),
			x:    []float32{1, 0.4, 0.25, 0.21, 0.2},
			want: []int{2, 7, 16, -1, -1},
		},
		{
			// eq. E3 at Δt = 0.5 ms doubles the steps: 4.46 → 4; 13.86 → 14.
			name: "log half-ms steps",
			enc:  NewLatency(40, 0.5, 10, 0.2, false),
			x:    []float32{1, 0.4},
			want: []int{4, 14},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.enc.Reset(c.x, nil)
			got := make([]int, len(c.x))
			for i := range got {
				got[i] = -1
			}
			var ev Events
			for s := 0; s < c.enc.Steps; s++ {
				c.enc.Step(s, &ev)
				for _, j := range ev.Idx {
					if got[j] != -1 {
						t.Fatalf("input %d spiked twice (steps %d and %d)", j, got[j], s)
					}
					got[j] = s
				}
			}
			if !slices.Equal(got, c.want) {
				t.Fatalf("first spikes %v, want %v", got, c.want)
			}
			for j, x := range c.x {
				if f := c.enc.FirstSpike(x); f != c.want[j] {
					t.Errorf("FirstSpike(%g) = %d, want %d", x, f, c.want[j])
				}
			}
		})
	}
}

func TestCurrentInjectsGainTimesInput(t *testing.T) {
	enc := NewCurrent(0.5)
	enc.Reset([]float32{0, 0.2, 1, 0, 0.6}, nil)
	var ev Events
	for s := 0; s < 3; s++ {
		enc.Step(s, &ev)
		// 0.5·0.2, 0.5·1, 0.5·0.6 on inputs 1, 2, 4 at every step (eq. E4).
		if !slices.Equal(ev.Idx, []int32{1, 2, 4}) || !slices.Equal(ev.Val, []float32{0.1, 0.5, 0.3}) {
			t.Fatalf("step %d: %v %v", s, ev.Idx, ev.Val)
		}
	}
}

func TestOneHot(t *testing.T) {
	dst := []float32{9, 9, 9, 9, 9, 9}
	OneHot(dst, []int{2, 0}, 3)
	if want := []float32{0, 0, 1, 1, 0, 0}; !slices.Equal(dst, want) {
		t.Fatalf("OneHot = %v, want %v", dst, want)
	}
}

func TestBernoulliExtremes(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	got := Bernoulli(nil, []float32{0, 1, 0, 1}, rng)
	if !slices.Equal(got, []int32{1, 3}) {
		t.Fatalf("p ∈ {0, 1}: %v, want [1 3]", got)
	}
}

func TestEncoderStepAllocatesNothing(t *testing.T) {
	x := make([]float32, 784)
	for i := range x {
		x[i] = float32(i%5) / 4
	}
	src := rand.NewPCG(5, 6)
	encs := []Encoder{NewPoisson(500, 1), NewLatency(50, 1, 10, 0.1, false), NewCurrent(1)}
	for _, enc := range encs {
		ev := Events{Idx: make([]int32, 0, len(x)), Val: make([]float32, 0, len(x))}
		enc.Reset(x, src)
		s := 0
		allocs := testing.AllocsPerRun(20, func() {
			enc.Step(s%50, &ev)
			s++
		})
		if allocs != 0 {
			t.Errorf("%s: Step allocates %g times", enc, allocs)
		}
	}
}

// TestPoissonDrawsOnePerLitInputInOrder: a step of the Poisson encoder
// draws, from its source, one number per lit input in index order, and
// spikes where the draw's top 32 bits fall below p_j·2³²: the spikes of
// rand.PCG's draws, whatever the number of lit inputs.
func TestPoissonDrawsOnePerLitInputInOrder(t *testing.T) {
	for _, lit := range []int{0, 1, 2, 3, 4, 151} {
		x := make([]float32, 200)
		for j := range lit {
			x[j+j%3] = float32(j%5+1) / 5
		}
		enc := NewPoisson(400, 1)
		src := rand.NewPCG(7, uint64(lit))
		ref := rand.NewPCG(7, uint64(lit))
		enc.Reset(x, src)
		var ev Events
		for step := range 5 {
			enc.Step(step, &ev)
			var want []int32
			for j, v := range x {
				if v > 0 && ref.Uint64()>>32 < uint64(float64(v)*0.4*(1<<32)) {
					want = append(want, int32(j))
				}
			}
			if !slices.Equal(ev.Idx, want) {
				t.Fatalf("%d lit inputs, step %d: spikes %v, want %v", lit, step, ev.Idx, want)
			}
		}
		if src.Uint64() != ref.Uint64() {
			t.Errorf("%d lit inputs: the source did not go on where the draws ended", lit)
		}
	}
}
