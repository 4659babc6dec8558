package synapse

import (
	"slices"
	"testing"
)

// GradStep, which updates each strip of W as soon as its gradient is
// ready, leaves W, the gradient, the biases' gradient and Adam's moments
// exactly as Grad followed by Step does, step after step.
func TestGradStepMatchesGradThenStep(t *testing.T) {
	for _, s := range []struct {
		name        string
		in, out, nb int
		sparse      bool // SparseInput, with a third of the input columns zero
	}{
		{"hidden layer", 784, 1000, 60, false},
		{"hidden layer, blank pixels skipped", 784, 1000, 60, true},
		{"aliasing stride", 1024, 300, 32, false},
		{"output layer", 1000, 10, 60, false},
		{"narrow input (one strip)", 3, 200, 5, false},
	} {
		t.Run(s.name, func(t *testing.T) {
			rng := newRand(7)
			fused, plain := NewDense(s.in, s.out), NewDense(s.in, s.out)
			fused.Initialize(InitDefault, rng)
			copy(plain.W, fused.W)
			optF := Adam{LR: 1e-3}.New(len(fused.W)).(*AdamState)
			optP := Adam{LR: 1e-3}.New(len(plain.W)).(*AdamState)
			gWP := make([]float32, len(plain.W))
			gBF, gBP := make([]float32, s.out), make([]float32, s.out)
			x, dz := make([]float32, s.nb*s.in), make([]float32, s.nb*s.out)
			for step := 1; step <= 3; step++ {
				Uniform(x, 1, rng)
				Uniform(dz, 1, rng)
				if s.sparse {
					fused.SparseInput = true
					for i := range x {
						if i%s.in < s.in/3 {
							x[i] = 0
						}
					}
				}
				fused.GradStep(gBF, dz, x, s.nb, optF)
				plain.Grad(gWP, gBP, dz, x, s.nb)
				optP.Step(plain.W, gWP)
				for _, c := range []struct {
					what      string
					got, want []float32
				}{{"W", fused.W, plain.W}, {"∇b", gBF, gBP}, {"Adam m", optF.M, optP.M}, {"Adam v", optF.V, optP.V}} {
					if !slices.Equal(c.got, c.want) {
						t.Fatalf("step %d: %s differs from Grad then Step", step, c.what)
					}
				}
				if optF.T != step {
					t.Fatalf("step %d: Adam counted %d steps", step, optF.T)
				}
			}
		})
	}
}

// With SparseInput, GradStep reuses the blank columns the Forward of the
// same batch found: its update equals that of a GradStep on its own, step
// after step, with the batch refilled in place between steps and another
// batch's Forward (an evaluation) in between.
func TestGradStepAfterForwardMatchesGradStepAlone(t *testing.T) {
	const in, out, nb = 784, 300, 60
	rng := newRand(9)
	shared, alone := NewDense(in, out), NewDense(in, out)
	shared.Initialize(InitDefault, rng)
	copy(alone.W, shared.W)
	shared.SparseInput, alone.SparseInput = true, true
	optS := Adam{LR: 1e-3}.New(len(shared.W)).(*AdamState)
	optA := Adam{LR: 1e-3}.New(len(alone.W)).(*AdamState)
	x, other, dz := make([]float32, nb*in), make([]float32, nb*in), make([]float32, nb*out)
	z := make([]float32, nb*out)
	gBS, gBA := make([]float32, out), make([]float32, out)
	for step := 1; step <= 3; step++ {
		Uniform(x, 1, rng)
		Uniform(other, 1, rng)
		Uniform(dz, 1, rng)
		for i := range x {
			if c := i % in; c < in/3+10*step || c%7 == step {
				x[i] = 0 // different blank columns at every step
			}
			if i%in >= in/2 {
				other[i] = 0
			}
		}
		shared.Forward(z, x, nb)
		if step == 2 {
			shared.Forward(z, other, nb) // GradStep must not take its columns
		}
		shared.GradStep(gBS, dz, x, nb, optS)
		alone.GradStep(gBA, dz, x, nb, optA)
		if !slices.Equal(shared.W, alone.W) || !slices.Equal(gBS, gBA) {
			t.Fatalf("step %d: the update after Forward differs from GradStep alone", step)
		}
	}
}
