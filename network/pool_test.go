package network

import (
	"math/rand/v2"
	"slices"
	"testing"

	"drtp/neuron"
)

// TestMaxPoolAndAdjointByHand pools two channels of one 3 × 5 map (floor
// mode: the last row and column are dropped) and sends a gradient back.
// Windows chosen by hand: ties go to the first maximum in row-major order,
// as PyTorch's CPU kernel.
func TestMaxPoolAndAdjointByHand(t *testing.T) {
	y := []float32{
		// channel 0: windows [1 1; 1 1] (tie: top-left) and [0 2; 2 1]
		// (tie: top-right); column 4 and row 2 are dropped.
		1, 1, 0, 2, 9,
		1, 1, 2, 1, 9,
		9, 9, 9, 9, 9,
		// channel 1: windows [0 1; 3 3] (tie: bottom-left) and
		// [−1 −2; −3 −0.5] (bottom-right).
		0, 1, -1, -2, 9,
		3, 3, -3, -0.5, 9,
		9, 9, 9, 9, 9,
	}
	p := make([]float32, 4)
	maxPool(p, y, 2, 1, 3, 5)
	wantP := []float32{1, 2, 3, -0.5}
	if !slices.Equal(p, wantP) {
		t.Fatalf("pooled = %v, want %v", p, wantP)
	}
	dy := make([]float32, len(y))
	for i := range dy {
		dy[i] = 7 // unpool must clear it
	}
	unpool(dy, []float32{10, 20, 30, 40}, y, nil, 2, 1, 3, 5)
	want := []float32{
		10, 0, 0, 20, 0,
		0, 0, 0, 0, 0,
		0, 0, 0, 0, 0,
		0, 0, 0, 0, 0,
		30, 0, 0, 40, 0,
		0, 0, 0, 0, 0,
	}
	if !slices.Equal(dy, want) {
		t.Fatalf("dy = %v, want %v", dy, want)
	}

	// With a factor (f'(z) at the maxima in the backward pass), each
	// routed value is multiplied by the factor at its pooled position, and
	// nothing else changes.
	unpool(dy, []float32{10, 20, 30, 40}, y, []float32{2, 3, 5, 7}, 2, 1, 3, 5)
	want[0], want[3], want[20], want[23] = 10*2, 20*3, 30*5, 40*7
	if !slices.Equal(dy, want) {
		t.Fatalf("scaled: dy = %v, want %v", dy, want)
	}
}

// TestDerivAtMaxMatchesFullDerivative: the gradient back through pooling
// and the activation is the same whether f' is taken on the whole CONV
// output or, by derivAtMax, on the pooled output alone, for every hidden
// activation (ties, zeros and negative inputs included).
func TestDerivAtMaxMatchesFullDerivative(t *testing.T) {
	const c, n, h, w = 3, 2, 5, 6
	rng := rand.New(rand.NewPCG(4, 4))
	z := make([]float32, c*n*h*w)
	for i := range z {
		switch rng.IntN(5) {
		case 0:
			z[i] = 0
		case 1:
			z[i] = -1 // ties below zero
		default:
			z[i] = float32(rng.NormFloat64() * 3)
		}
	}
	dp := make([]float32, c*n*(h/2)*(w/2))
	for i := range dp {
		dp[i] = float32(rng.NormFloat64())
	}
	for _, act := range []neuron.Activation{neuron.Tanh{}, neuron.Sigmoid{}, neuron.ReLU{}, neuron.Identity{}} {
		t.Run(act.String(), func(t *testing.T) {
			y := make([]float32, len(z))
			act.Apply(y, z)
			full := make([]float32, len(z))
			act.Deriv(full, z, y)
			want := make([]float32, len(z))
			unpool(want, dp, y, nil, c, n, h, w)
			for i := range want {
				want[i] *= full[i]
			}
			p := make([]float32, len(dp))
			maxPool(p, y, c, n, h, w)
			fp := make([]float32, len(p))
			derivAtMax(fp, act, p)
			got := make([]float32, len(z))
			unpool(got, dp, y, fp, c, n, h, w)
			for i := range want {
				if got[i] != want[i] {
					t.Fatalf("element %d: %v with f' at the maxima, %v with f' everywhere", i, got[i], want[i])
				}
			}
		})
	}
}
