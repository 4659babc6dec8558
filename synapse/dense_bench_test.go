package synapse

import (
	"fmt"
	"testing"
)

// BenchmarkGradStep times one weight update with Adam at batch 60 of the
// FC layers of the paper's MNIST networks (784 → 1000, 1000 → 1000, and
// the CONV network's 6272 → 1000): the gradient product, then Adam over
// the stored ∇W (separate), or Adam on each strip of ∇W as it is formed
// (fused, Dense.GradStep).
func BenchmarkGradStep(b *testing.B) {
	const out, n = 1000, 60
	for _, in := range []int{784, 1000, 6272} {
		d := NewDense(in, out)
		d.Initialize(InitDefault, newRand(1))
		x, dz := randVec(n*in, 1), randVec(n*out, 2)
		gW, gB := make([]float32, in*out), make([]float32, out)
		opt := Adam{LR: 1e-4}.New(len(d.W)).(*AdamState)
		for _, c := range []struct {
			name string
			f    func()
		}{
			{"separate", func() { d.Grad(gW, gB, dz, x, n); opt.Step(d.W, gW) }},
			{"fused", func() { d.GradStep(gB, dz, x, n, opt) }},
		} {
			b.Run(fmt.Sprintf("%d-%d/%s", in, out, c.name), func(b *testing.B) {
				c.f()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					c.f()
				}
				b.ReportMetric(float64(b.N*n)/b.Elapsed().Seconds(), "samples/s")
			})
		}
	}
}
