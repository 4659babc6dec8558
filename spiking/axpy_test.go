package spiking

import (
	"math/rand/v2"
	"testing"
)

func TestAxpyMatchesScalarLoop(t *testing.T) {
	// Lengths around the 32- and 8-lane blocks, and MNIST's row of 1000.
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 1, 7, 8, 9, 31, 32, 33, 63, 64, 65, 100, 1000} {
		x := make([]float32, n+3)
		y := make([]float32, n)
		for i := range x {
			x[i] = float32(rng.NormFloat64())
		}
		for i := range y {
			y[i] = float32(rng.NormFloat64())
		}
		a := float32(rng.NormFloat64())
		want := append([]float32(nil), y...)
		for i := range want {
			want[i] += a * x[i]
		}
		axpy(a, x, y)
		for i := range y {
			if y[i] != want[i] {
				t.Fatalf("n = %d, i = %d: %g, want %g (bit-exact)", n, i, y[i], want[i])
			}
		}
	}
}

// benchRows adds 1024 random rows of a 784 × 1000 matrix into one
// vector with add, as the forward pass does for input spikes.
func benchRows(b *testing.B, add func(row, y []float32)) {
	x := make([]float32, 784*1000)
	y := make([]float32, 1000)
	rng := rand.New(rand.NewPCG(1, 2))
	rows := make([]int, 1024)
	for i := range rows {
		rows[i] = rng.IntN(784)
	}
	for b.Loop() {
		for _, j := range rows {
			add(x[j*1000:(j+1)*1000], y)
		}
	}
}

func BenchmarkAxpy1000(b *testing.B) {
	benchRows(b, func(row, y []float32) { axpy(1, row, y) })
}

func BenchmarkSaxpyGonum1000(b *testing.B) {
	benchRows(b, func(row, y []float32) { gonumBLAS.Saxpy(1000, 1, row, 1, y, 1) })
}
