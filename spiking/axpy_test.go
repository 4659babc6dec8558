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

func BenchmarkAxpy1000(b *testing.B) {
	x := make([]float32, 784*1000)
	y := make([]float32, 1000)
	rng := rand.New(rand.NewPCG(1, 2))
	rows := make([]int, 1024)
	for i := range rows {
		rows[i] = rng.IntN(784)
	}
	for b.Loop() {
		for _, j := range rows {
			axpy(1, x[j*1000:(j+1)*1000], y)
		}
	}
}

func BenchmarkSaxpyGonum1000(b *testing.B) {
	x := make([]float32, 784*1000)
	y := make([]float32, 1000)
	rng := rand.New(rand.NewPCG(1, 2))
	rows := make([]int, 1024)
	for i := range rows {
		rows[i] = rng.IntN(784)
	}
	for b.Loop() {
		for _, j := range rows {
			gonumBLAS.Saxpy(1000, 1, x[j*1000:(j+1)*1000], 1, y, 1)
		}
	}
}
