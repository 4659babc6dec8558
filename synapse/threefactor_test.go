package synapse

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestThreeFactorHandComputed(t *testing.T) {
	// w is In × Out = 3 × 2. Rows 0 and 2 get −η x̄_j (d ⊙ ψ) with η = 0.1,
	// d = (1, −2), ψ = (0.5, 0.25): m = (0.5, −0.5);
	// row 0: x̄ = 2 → −0.1·2·(0.5, −0.5) = (−0.1, 0.1);
	// row 2: x̄ = 1 → (−0.05, 0.05).
	w := []float32{1, 1, 1, 1, 1, 1}
	m := make([]float32, 2)
	Modulate(m, []float32{1, -2}, []float32{0.5, 0.25})
	ThreeFactor(w, 2, -0.1, m, []int32{0, 2}, []float32{2, 1})
	want := []float32{0.9, 1.1, 1, 1, 0.95, 1.05}
	for i := range w {
		if math.Abs(float64(w[i]-want[i])) > 1e-6 {
			t.Fatalf("w = %v, want %v", w, want)
		}
	}
	// No third factor: nothing moves.
	Modulate(m, nil, []float32{0.5, 0.25})
	ThreeFactor(w, 2, -0.1, m, []int32{0, 1, 2}, nil)
	for i := range w {
		if math.Abs(float64(w[i]-want[i])) > 1e-6 {
			t.Fatalf("d = nil changed w: %v", w)
		}
	}
}

func TestSummedEqualsOnline(t *testing.T) {
	// Eq. T3: the summed update from reverse traces and input events equals
	// the sum over steps of the online outer products with forward traces.
	const in, out, steps = 7, 20, 30
	alpha := float32(0.9)
	rng := rand.New(rand.NewPCG(1, 1))
	m := make([]float32, steps*out)
	for i := range m {
		if rng.IntN(3) > 0 {
			m[i] = float32(rng.NormFloat64())
		}
	}
	events := make([][]int32, steps)
	for t := range events {
		for j := 0; j < in; j++ {
			if rng.IntN(4) == 0 {
				events[t] = append(events[t], int32(j))
			}
		}
	}
	online := make([]float32, in*out)
	tr := NewTrace(in, alpha)
	for t := 0; t < steps; t++ {
		tr.Step(events[t], nil)
		ThreeFactor(online, out, 1, m[t*out:(t+1)*out], tr.Idx, tr.Val)
	}
	summed := make([]float32, in*out)
	ReverseTrace(m, steps, out, alpha)
	for t := 0; t < steps; t++ {
		ThreeFactor(summed, out, 1, m[t*out:(t+1)*out], events[t], nil)
	}
	for i := range online {
		if math.Abs(float64(online[i]-summed[i])) > 1e-4*(1+math.Abs(float64(online[i]))) {
			t.Fatalf("entry %d: online %g, summed %g", i, online[i], summed[i])
		}
	}
}

func TestReverseTraceHandComputed(t *testing.T) {
	// α = ½, one column: m = (1, 0, 4) → m̃ = (1 + ½·2, 0 + ½·4, 4) = (2, 2, 4).
	m := []float32{1, 0, 4}
	ReverseTrace(m, 3, 1, 0.5)
	if m[0] != 2 || m[1] != 2 || m[2] != 4 {
		t.Fatalf("m̃ = %v, want [2 2 4]", m)
	}
}

func TestTraceAndThreeFactorAllocateNothing(t *testing.T) {
	const in, out = 100, 64
	tr := NewTrace(in, 0.9)
	w := make([]float32, in*out)
	m := make([]float32, out)
	idx := []int32{3, 50, 99}
	allocs := testing.AllocsPerRun(50, func() {
		tr.Step(idx, nil)
		ThreeFactor(w, out, -0.01, m, tr.Idx, tr.Val)
	})
	if allocs != 0 {
		t.Fatalf("%g allocations per step", allocs)
	}
}
