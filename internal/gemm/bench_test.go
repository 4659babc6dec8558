package gemm

import (
	"cmp"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
)

// Network shapes m×n×k of the three products (DESIGN.md: MNIST 784-…-10
// with batch 60, CIFAR-10 3072-…-10 with batch 100, hidden widths 500 and
// 1000). MulABT is the forward pass (batch × out × in), MulAB the backward
// pass and the DRTP projection (batch × in × out), MulATB the weight
// gradient (out × in × batch). The MNIST CONV network
// (CONV_32_5_1_2_FC_1000_FC_10, batch 60) adds its FC layer of 6272 inputs
// and its convolution: MulAB z = W·col (32 × 47040 × 25) and MulABT
// ∇W = δZ·colᵀ (32 × 25 × 47040).
var (
	benchABT = [][3]int{{60, 1000, 784}, {60, 500, 784}, {60, 500, 500}, {60, 1000, 1000}, {60, 10, 1000},
		{100, 1000, 3072}, {100, 1000, 1000}, {100, 10, 1000}, {60, 1000, 6272}, {32, 25, 47040}}
	benchAB = [][3]int{{60, 784, 1000}, {60, 1000, 1000}, {60, 1000, 10}, {60, 500, 10},
		{100, 3072, 1000}, {100, 1000, 10}, {60, 6272, 1000}, {32, 47040, 25}}
	benchATB = [][3]int{{1000, 784, 60}, {500, 784, 60}, {1000, 1000, 60}, {10, 1000, 60},
		{1000, 3072, 100}, {10, 1000, 100}, {1000, 6272, 60}}
)

// benchThreads, when positive, is passed to SetThreads for the benchmarks
// (go test -bench . -args -threads=1 for the one-core rate).
var (
	benchThreads = flag.Int("threads", 0, "goroutines per product in benchmarks (0: default)")
	benchKC      = flag.Int("kc", 0, "k block of the benchmarks (0: default kcMax)")
)

// benchMul times f on random inputs of shape m×n×k and reports GFLOP/s,
// counting 2·m·n·k floating-point operations per product: the mean rate,
// and best-GFLOP/s from the fastest single call, which on a shared
// machine is the one least disturbed by other jobs.
func benchMul(b *testing.B, m, n, k int, f func(dst, a, bb []float32, m, n, k int)) {
	rng := rand.New(rand.NewPCG(1, 1))
	benchMulOn(b, m, n, k, randSlice(rng, m*k), randSlice(rng, k*n), f)
}

// benchMulOn is benchMul on given inputs.
func benchMulOn(b *testing.B, m, n, k int, x, y []float32, f func(dst, a, bb []float32, m, n, k int)) {
	dst := make([]float32, m*n)
	SetThreads(*benchThreads)
	defer SetThreads(0)
	if *benchKC > 0 {
		defer func(kc int) { kcMax = kc }(kcMax)
		kcMax = *benchKC
	}
	f(dst, x, y, m, n, k)
	flops := 2 * float64(m) * float64(n) * float64(k)
	best := time.Duration(math.MaxInt64)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		f(dst, x, y, m, n, k)
		best = min(best, time.Since(t0))
	}
	b.ReportMetric(flops*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
	b.ReportMetric(flops/best.Seconds()/1e9, "best-GFLOP/s")
}

func benchShapes(b *testing.B, shapes [][3]int, f func(dst, a, bb []float32, m, n, k int)) {
	for _, s := range shapes {
		b.Run(fmt.Sprintf("%dx%dx%d", s[0], s[1], s[2]), func(b *testing.B) { benchMul(b, s[0], s[1], s[2], f) })
	}
}

func BenchmarkMulABT(b *testing.B) { benchShapes(b, benchABT, MulABT) }
func BenchmarkMulAB(b *testing.B)  { benchShapes(b, benchAB, MulAB) }
func BenchmarkMulATB(b *testing.B) { benchShapes(b, benchATB, MulATB) }

// BenchmarkMulATBRows is MulATB handing its rows to a consumer that does
// nothing with them: the cost of computing in strips.
func BenchmarkMulATBRows(b *testing.B) {
	benchShapes(b, benchATB, func(_, a, bb []float32, m, n, k int) { MulATBRows(a, bb, m, n, k, nopRows{}) })
}

// mnistLike returns an m×784 batch shaped like MNIST for the sparse
// product: a fraction 0.374 of the pixel columns is zero in every image,
// the mean over random batches of 60 training images (measured from
// train-images-idx3-ubyte, 200 batches: 0.334 to 0.415), taken as a
// border around the image; 81% of all pixels are zero in MNIST, so the
// other columns are zero with probability 0.69.
func mnistLike(rng *rand.Rand, m int) []float32 {
	const side, blank, zero = 28, 0.374, 0.69
	x := make([]float32, m*side*side)
	// The blank border: the pixels farthest from the centre.
	border := make([]bool, side*side)
	nBlank := int(math.Round(blank * side * side))
	order := make([]int, side*side)
	for i := range order {
		order[i] = i
	}
	dist := func(p int) float64 {
		dr, dc := float64(p/side)-13.5, float64(p%side)-13.5
		return max(math.Abs(dr), math.Abs(dc))
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(dist(b), dist(a)) })
	for _, p := range order[:nBlank] {
		border[p] = true
	}
	for i := 0; i < m; i++ {
		for p := range side * side {
			if !border[p] && rng.Float64() >= zero {
				x[i*side*side+p] = rng.Float32()
			}
		}
	}
	return x
}

// BenchmarkMulABTSparse compares MulABT and MulABTSparse on the first layer
// of the MNIST network (60×1000×784) with an MNIST-like batch.
func BenchmarkMulABTSparse(b *testing.B) {
	rng := rand.New(rand.NewPCG(2, 2))
	m, n, k := 60, 1000, 784
	x := mnistLike(rng, m)
	w := randSlice(rng, n*k)
	for _, c := range []struct {
		name string
		f    func(dst, a, bb []float32, m, n, k int)
	}{{"dense", MulABT}, {"sparse", MulABTSparse}} {
		b.Run(fmt.Sprintf("%s/%dx%dx%d", c.name, m, n, k), func(b *testing.B) {
			benchMulOn(b, m, n, k, x, w, c.f)
		})
	}
}

// The gonum baseline: blas32.Sgemm (pure Go with SSE assembly for the inner
// products), the implementation this package replaced.
func gonumABT(dst, a, bb []float32, m, n, k int) {
	blas32.Implementation().Sgemm(blas.NoTrans, blas.Trans, m, n, k, 1, a, k, bb, k, 0, dst, n)
}

func gonumAB(dst, a, bb []float32, m, n, k int) {
	blas32.Implementation().Sgemm(blas.NoTrans, blas.NoTrans, m, n, k, 1, a, k, bb, n, 0, dst, n)
}

func gonumATB(dst, a, bb []float32, m, n, k int) {
	blas32.Implementation().Sgemm(blas.Trans, blas.NoTrans, m, n, k, 1, a, m, bb, n, 0, dst, n)
}

func BenchmarkGonumABT(b *testing.B) { benchShapes(b, benchABT, gonumABT) }
func BenchmarkGonumAB(b *testing.B)  { benchShapes(b, benchAB, gonumAB) }
func BenchmarkGonumATB(b *testing.B) { benchShapes(b, benchATB, gonumATB) }

// BenchmarkInCache runs small products whose operands stay in L1/L2: the
// micro-kernel's own rate, without memory traffic.
func BenchmarkInCache(b *testing.B) {
	b.Run("MulAB/60x256x256", func(b *testing.B) { benchMul(b, 60, 256, 256, MulAB) })
	b.Run("MulAB/60x64x512", func(b *testing.B) { benchMul(b, 60, 64, 512, MulAB) })
	b.Run("MulABT/60x96x512", func(b *testing.B) { benchMul(b, 60, 96, 512, MulABT) })
}
