//go:build amd64 && !purego

package spiking

import "golang.org/x/sys/cpu"

// axpy256 sets y[i] += a·x[i] for i < n with 8-lane AVX, multiplying then
// adding (no fused multiply-add).
//
//go:noescape
func axpy256(a float32, x, y *float32, n int)

var hasAVX = cpu.X86.HasAVX

// axpy sets y += a·x (len(y) ≤ len(x)), the inner loop of the
// event-driven forward pass and of the summed update: one weight row per
// spike. Its results equal the scalar loop's exactly.
func axpy(a float32, x, y []float32) {
	if len(y) == 0 {
		return
	}
	x = x[:len(y)]
	if hasAVX {
		axpy256(a, &x[0], &y[0], len(y))
		return
	}
	gonumBLAS.Saxpy(len(y), a, x, 1, y, 1)
}
