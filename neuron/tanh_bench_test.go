package neuron

import "testing"

func BenchmarkTanhApply(b *testing.B) {
	z := make([]float32, 60000)
	for i := range z {
		z[i] = float32(i%200-100) / 50
	}
	y := make([]float32, len(z))
	for i := 0; i < b.N; i++ {
		Tanh{}.Apply(y, z)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(z)), "ns/elem")
}
