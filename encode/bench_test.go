package encode

import (
	"math/rand/v2"
	"testing"
)

// BenchmarkPoissonStep draws the 50 steps of one MNIST-like sample at
// 400 Hz (150 lit pixels of 784, the spiking engine's defaults).
func BenchmarkPoissonStep(b *testing.B) {
	x := make([]float32, 784)
	for j := 300; j < 450; j++ {
		x[j] = float32(j%7+1) / 7
	}
	enc := NewPoisson(400, 1)
	src := rand.NewPCG(1, 2)
	var ev Events
	for b.Loop() {
		enc.Reset(x, src)
		for t := range 50 {
			enc.Step(t, &ev)
		}
	}
}
