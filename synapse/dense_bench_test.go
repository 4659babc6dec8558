package synapse

import (
	"fmt"
	"testing"
)

// BenchmarkGradStep times one weight update with Adam at batch 60 of the
// FC layers of the paper's MNIST networks (784 → 1000, 1000 → 1000, and
// the CONV network's 6272 → 1000): the gradient product, then Adam over
// the stored ∇W (separate), or Adam on each strip of ∇W as it is formed
// (fused, Dense.GradStep). 784-blank is the first layer on images whose
// border (rows 0–2 and 25–27, columns 0–3 and 24–27) is blank in every
// sample, 44% of the pixels (a batch of 60 MNIST images has 35–42% of its
// pixels blank in every image), skipped by SparseInput.
func BenchmarkGradStep(b *testing.B) {
	const out, n = 1000, 60
	for _, in := range []int{784, -784, 1000, 6272} {
		sparse := in < 0
		in = max(in, -in)
		d := NewDense(in, out)
		d.Initialize(InitDefault, newRand(1))
		d.SparseInput = sparse
		x, dz := randVec(n*in, 1), randVec(n*out, 2)
		name := fmt.Sprint(in)
		if sparse {
			name = "784-blank"
			for i := range x {
				if y, c := i%784/28, i%28; y < 3 || y >= 25 || c < 4 || c >= 24 {
					x[i] = 0
				}
			}
		}
		gW, gB := make([]float32, in*out), make([]float32, out)
		opt := Adam{LR: 1e-4}.New(len(d.W)).(*AdamState)
		for _, c := range []struct {
			name string
			f    func()
		}{
			{"separate", func() { d.Grad(gW, gB, dz, x, n); opt.Step(d.W, gW) }},
			{"fused", func() { d.GradStep(gB, dz, x, n, opt) }},
		} {
			b.Run(fmt.Sprintf("%s-%d/%s", name, out, c.name), func(b *testing.B) {
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
