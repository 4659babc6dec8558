package network

import "testing"

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
	for i := range wantP {
		if p[i] != wantP[i] {
			t.Fatalf("pooled = %v, want %v", p, wantP)
		}
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
	for i := range want {
		if dy[i] != want[i] {
			t.Fatalf("dy = %v, want %v", dy, want)
		}
	}

	// With a factor (f'(z) in the backward pass), each routed value is
	// multiplied by the factor at its position, and nothing else changes.
	scale := make([]float32, len(y))
	for i := range scale {
		scale[i] = float32(i + 1)
	}
	unpool(dy, []float32{10, 20, 30, 40}, y, scale, 2, 1, 3, 5)
	for i := range want {
		if w := want[i] * scale[i]; dy[i] != w {
			t.Fatalf("scaled: dy[%d] = %v, want %v", i, dy[i], w)
		}
	}
}
