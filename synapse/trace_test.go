package synapse

import (
	"math"
	"testing"
)

func TestTraceDecaysAsAlphaToTheT(t *testing.T) {
	// One spike at t = 0, none after: x̄[t] = α^t (eq. T1).
	for _, alpha := range []float32{0.5, 0.9, 0.95} {
		tr := NewTrace(3, alpha)
		tr.Step([]int32{1}, nil)
		for step := 1; step <= 40; step++ {
			tr.Step(nil, nil)
			want := math.Pow(float64(alpha), float64(step))
			if got := tr.At(1); math.Abs(float64(got)-want) > 1e-5*want+1e-7 {
				t.Fatalf("α = %g, t = %d: x̄ = %g, want α^t = %g", alpha, step, got, want)
			}
		}
		if tr.At(0) != 0 || tr.At(2) != 0 || len(tr.Idx) != 1 {
			t.Fatalf("inputs that never spiked have traces: %v %v", tr.Idx, tr.Val)
		}
	}
}

func TestTraceAccumulates(t *testing.T) {
	// α = ½; input 0 spikes at t = 0, 1, 3; input 2 gets 0.5 at t = 1.
	// x̄_0: 1, 1.5, 0.75, 1.375; x̄_2: 0, 0.5, 0.25, 0.125 (hand, eq. T1).
	tr := NewTrace(3, 0.5)
	steps := []struct {
		idx    []int32
		val    []float32
		x0, x2 float32
	}{
		{[]int32{0}, nil, 1, 0},
		{[]int32{0, 2}, []float32{1, 0.5}, 1.5, 0.5},
		{nil, nil, 0.75, 0.25},
		{[]int32{0}, nil, 1.375, 0.125},
	}
	for k, s := range steps {
		tr.Step(s.idx, s.val)
		if tr.At(0) != s.x0 || tr.At(2) != s.x2 {
			t.Fatalf("step %d: x̄ = %g, %g; want %g, %g", k, tr.At(0), tr.At(2), s.x0, s.x2)
		}
	}
	tr.Reset()
	if tr.At(0) != 0 || len(tr.Idx) != 0 {
		t.Fatal("Reset left traces behind")
	}
}
