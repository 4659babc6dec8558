package synapse

import "testing"

// benchConv times one operation of the MNIST CONV network's convolution
// (CONV_32_5_1_2 on 1 × 28 × 28 images, batch 60) and reports samples/s.
func benchConv(b *testing.B, op func(c *Conv, z, x, col, gW, gB, dx []float32, n int)) {
	const n = 60
	c := NewConv(1, 28, 28, 32, 5, 1, 2)
	c.Initialize(InitDefault, newRand(1))
	x := randVec(n*c.InSize(), 2)
	z := make([]float32, n*c.OutSize())
	col := make([]float32, c.ColSize(n))
	gW, gB := make([]float32, len(c.W)), make([]float32, c.OutC)
	dx := make([]float32, len(x))
	c.Forward(z, x, col, n)
	op(c, z, x, col, gW, gB, dx, n)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		op(c, z, x, col, gW, gB, dx, n)
	}
	b.ReportMetric(float64(b.N*n)/b.Elapsed().Seconds(), "samples/s")
}

func BenchmarkConvForward(b *testing.B) {
	benchConv(b, func(c *Conv, z, x, col, _, _, _ []float32, n int) { c.Forward(z, x, col, n) })
}

func BenchmarkConvIm2Col(b *testing.B) {
	benchConv(b, func(c *Conv, _, x, col, _, _, _ []float32, n int) { c.Im2Col(col, x, n) })
}

func BenchmarkConvGrad(b *testing.B) {
	benchConv(b, func(c *Conv, z, _, col, gW, gB, _ []float32, n int) { c.Grad(gW, gB, z, col, n) })
}

func BenchmarkConvBackward(b *testing.B) {
	benchConv(b, func(c *Conv, z, _, col, _, _, dx []float32, n int) { c.Backward(dx, z, c.W, col, n) })
}
