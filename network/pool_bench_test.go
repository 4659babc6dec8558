package network

import (
	"math/rand/v2"
	"testing"
)

// BenchmarkMaxPool pools the MNIST CONV layer's output (32 × 28 × 28, batch
// 60) and routes a gradient back, scaled as in the backward pass.
func BenchmarkMaxPool(b *testing.B) {
	const c, n, h, w = 32, 60, 28, 28
	rng := rand.New(rand.NewPCG(1, 1))
	y := make([]float32, c*n*h*w)
	for i := range y {
		y[i] = float32(rng.NormFloat64())
	}
	p := make([]float32, c*n*h*w/4)
	b.Run("forward", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			maxPool(p, y, c, n, h, w)
		}
	})
	dy := make([]float32, len(y))
	b.Run("adjoint", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			unpool(dy, p, y, p, c, n, h, w)
		}
	})
}
