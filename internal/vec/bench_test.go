package vec

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"drtp/internal/parallel"
)

// Sizes of the benchmarks: FC_1000_FC_10's parameters (784·1000 +
// 1000·10 weights, DESIGN.md's MNIST network) and its hidden layer over a
// batch of 60 (60·1000 activations).
const (
	benchParams = 785010
	benchActs   = 60000
)

// timeCalls runs f b.N times and reports, per element of n, the mean and
// the fastest call's time (ns/elem, best-ns/elem) and, when bytes > 0
// (memory traffic per element), the matching rates in GB/s. On a shared
// machine the fastest call is the one least disturbed by other jobs.
func timeCalls(b *testing.B, n, bytes int, f func()) {
	f()
	best := time.Duration(math.MaxInt64)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		f()
		best = min(best, time.Since(t0))
	}
	mean := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	b.ReportMetric(mean/float64(n), "ns/elem")
	b.ReportMetric(float64(best.Nanoseconds())/float64(n), "best-ns/elem")
	if bytes > 0 {
		b.ReportMetric(float64(n*bytes)/mean, "GB/s")
		b.ReportMetric(float64(n*bytes)/float64(best.Nanoseconds()), "best-GB/s")
	}
}

// eachKernel runs the benchmark once per instruction set.
func eachKernel(b *testing.B, f func(b *testing.B)) {
	defer useKernel(kernels()[0])
	for _, name := range kernels() {
		useKernel(name)
		b.Run(name, f)
	}
}

func randVec(rng *rand.Rand, n int, scale float64) []float32 {
	x := make([]float32, n)
	for i := range x {
		x[i] = float32(rng.NormFloat64() * scale)
	}
	return x
}

// adamTask splits Adam over the cores, as synapse.AdamState does.
type adamTask struct{ p, g, m, v []float32 }

func (t *adamTask) Do(lo, hi int) {
	Adam(t.p[lo:hi], t.g[lo:hi], t.m[lo:hi], t.v[lo:hi], 0.9, 0.999, 1e-3, 30, 1e-8)
}

// BenchmarkAdam: one Adam step over FC_1000_FC_10's 785,010 parameters,
// 28 bytes of memory traffic per parameter (reads p, g, m, v, writes p,
// m, v), on one goroutine (serial) and split over the cores by
// parallel.For (split); scalar is the loop AdamState.Do had before.
func BenchmarkAdam(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	t := &adamTask{randVec(rng, benchParams, 0.05), randVec(rng, benchParams, 1e-3),
		randVec(rng, benchParams, 1e-4), randVec(rng, benchParams, 1e-7)}
	for i := range t.v {
		t.v[i] *= t.v[i]
	}
	b.Run("scalar", func(b *testing.B) {
		timeCalls(b, benchParams, 28, func() { adamRef(t.p, t.g, t.m, t.v, 0.9, 0.999, 1e-3, 30, 1e-8) })
	})
	eachKernel(b, func(b *testing.B) {
		b.Run("serial", func(b *testing.B) { timeCalls(b, benchParams, 28, func() { t.Do(0, benchParams) }) })
		b.Run("split", func(b *testing.B) { timeCalls(b, benchParams, 28, func() { parallel.For(benchParams, t) }) })
	})
}

// mulTask splits Mul over the cores.
type mulTask struct{ d, a []float32 }

func (t *mulTask) Do(lo, hi int) { Mul(t.d[lo:hi], t.a[lo:hi]) }

// BenchmarkBandwidth is the memory-bandwidth yardstick for Adam: Mul
// (reads two arrays, writes one: 12 bytes per element) and copy (8 bytes
// per element) over arrays of Adam's footprint, 4·785,010 floats
// (12.6 MB) in all, serial and split over the cores.
func BenchmarkBandwidth(b *testing.B) {
	n := 2 * benchParams
	rng := rand.New(rand.NewPCG(1, 1))
	t := &mulTask{randVec(rng, n, 1), randVec(rng, n, 1)}
	for i := range t.a {
		t.a[i] = 1 // keep d finite over many calls
	}
	b.Run("mul/serial", func(b *testing.B) { timeCalls(b, n, 12, func() { t.Do(0, n) }) })
	b.Run("mul/split", func(b *testing.B) { timeCalls(b, n, 12, func() { parallel.For(n, t) }) })
	b.Run("copy/serial", func(b *testing.B) { timeCalls(b, n, 8, func() { copy(t.d, t.a) }) })
}

// actTask splits an activation over the cores.
type actTask struct {
	f    func(y, z []float32)
	y, z []float32
}

func (t *actTask) Do(lo, hi int) { t.f(t.y[lo:hi], t.z[lo:hi]) }

func benchAct(b *testing.B, f func(y, z []float32), n int) {
	rng := rand.New(rand.NewPCG(1, 1))
	t := &actTask{f, make([]float32, n), randVec(rng, n, 2)}
	eachKernel(b, func(b *testing.B) {
		b.Run("serial", func(b *testing.B) { timeCalls(b, n, 0, func() { t.Do(0, n) }) })
		b.Run("split", func(b *testing.B) { timeCalls(b, n, 0, func() { parallel.For(n, t) }) })
	})
}

// BenchmarkTanh: FC_1000_FC_10's hidden layer over a batch of 60 (60,000
// values, normal with σ = 2).
func BenchmarkTanh(b *testing.B) { benchAct(b, Tanh, benchActs) }

// BenchmarkSigmoid: as BenchmarkTanh.
func BenchmarkSigmoid(b *testing.B) { benchAct(b, Sigmoid, benchActs) }

// BenchmarkMul: the hidden signal δz = δy ⊙ f'(z) of one layer (60,000
// values, 12 bytes of traffic each).
func BenchmarkMul(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	d, a := randVec(rng, benchActs, 1), randVec(rng, benchActs, 1)
	eachKernel(b, func(b *testing.B) { timeCalls(b, benchActs, 12, func() { Mul(d, a) }) })
}

// BenchmarkMulTanhDeriv: as BenchmarkMul, with f' = 1 − y² formed on the
// fly.
func BenchmarkMulTanhDeriv(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	d, y := randVec(rng, benchActs, 1), randVec(rng, benchActs, 0.5)
	eachKernel(b, func(b *testing.B) { timeCalls(b, benchActs, 12, func() { MulTanhDeriv(d, y) }) })
}

// BenchmarkPool pools 60 maps of 28 × 28 (one channel of the MNIST CONV
// layer over a batch, 188 KB: in cache, so that the kernels' own speed
// shows) and routes a scaled gradient back; ns/elem per input value.
func BenchmarkPool(b *testing.B) {
	const maps, rows, pw, w = 60, 14, 14, 28
	y := poolInput(maps*2*rows*w, 1)
	p := make([]float32, maps*rows*pw)
	d := make([]float32, len(y))
	b.Run("max", func(b *testing.B) {
		eachKernel(b, func(b *testing.B) {
			timeCalls(b, len(y), 0, func() {
				for m := 0; m < maps; m++ {
					MaxPool2(p[m*rows*pw:], y[m*2*rows*w:], rows, pw, w)
				}
			})
		})
	})
	b.Run("adjoint", func(b *testing.B) {
		eachKernel(b, func(b *testing.B) {
			timeCalls(b, len(y), 0, func() {
				for m := 0; m < maps; m++ {
					Unpool2(d[m*2*rows*w:], y[m*2*rows*w:], p[m*rows*pw:], p[m*rows*pw:], rows, pw, w)
				}
			})
		})
	})
}
