package gemm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"unsafe"
)

// product names one of the three products with its reference.
type product struct {
	name string
	mul  func(dst, a, b []float32, m, n, k int)
	// at and bt give the (i, p) element of a and the (p, j) element of b.
	at func(a []float32, i, p, m, k int) float32
	bt func(b []float32, p, j, n, k int) float32
}

var products = []product{
	{"MulABT", MulABT,
		func(a []float32, i, p, m, k int) float32 { return a[i*k+p] },
		func(b []float32, p, j, n, k int) float32 { return b[j*k+p] }},
	{"MulABTSparse", MulABTSparse,
		func(a []float32, i, p, m, k int) float32 { return a[i*k+p] },
		func(b []float32, p, j, n, k int) float32 { return b[j*k+p] }},
	{"MulAB", MulAB,
		func(a []float32, i, p, m, k int) float32 { return a[i*k+p] },
		func(b []float32, p, j, n, k int) float32 { return b[p*n+j] }},
	{"MulATB", MulATB,
		func(a []float32, i, p, m, k int) float32 { return a[p*m+i] },
		func(b []float32, p, j, n, k int) float32 { return b[p*n+j] }},
}

// randSlice returns n values drawn uniformly from [-1, 1).
func randSlice(rng *rand.Rand, n int) []float32 {
	x := make([]float32, n)
	for i := range x {
		x[i] = 2*rng.Float32() - 1
	}
	return x
}

// testCase is one product on random inputs with its float64 reference.
type testCase struct {
	pr        product
	m, n, k   int
	a, b      []float32
	want, tol []float64
}

// newCase draws inputs in [-1, 1) for pr at shape m, n, k and computes the
// reference by a float64 triple loop. With zeroCols every third column of
// a (as the product sees it: a[i, p] for p ≡ 0 mod 3) is zero, like the
// blank border pixels of MNIST. The tolerance is the forward error bound
// of a k-term float32 dot product, k·ε·Σ|a||b| (Higham, Accuracy and
// Stability of Numerical Algorithms, 2nd ed., eq. 3.5), with ε = 2⁻²⁴ and
// k+1 in place of k so that k = 0 and 1 keep a margin.
func newCase(rng *rand.Rand, pr product, m, n, k int, zeroCols bool) *testCase {
	c := &testCase{pr: pr, m: m, n: n, k: k, a: randSlice(rng, m*k), b: randSlice(rng, k*n)}
	ai := make([]float64, m*k) // ai[i*k+p] = a(i, p)
	bj := make([]float64, n*k) // bj[j*k+p] = b(p, j)
	for i := 0; i < m; i++ {
		for p := 0; p < k; p++ {
			if zeroCols && p%3 == 0 {
				if pr.name == "MulATB" {
					c.a[p*m+i] = 0
				} else {
					c.a[i*k+p] = 0
				}
			}
			ai[i*k+p] = float64(pr.at(c.a, i, p, m, k))
		}
	}
	for j := 0; j < n; j++ {
		for p := 0; p < k; p++ {
			bj[j*k+p] = float64(pr.bt(c.b, p, j, n, k))
		}
	}
	const eps = 1.0 / (1 << 24)
	c.want = make([]float64, m*n)
	c.tol = make([]float64, m*n)
	for i := 0; i < m; i++ {
		ar := ai[i*k : i*k+k]
		for j := 0; j < n; j++ {
			br := bj[j*k : j*k+k]
			var s, mag float64
			for p, x := range ar {
				s += x * br[p]
				mag += math.Abs(x * br[p])
			}
			c.want[i*n+j] = s
			c.tol[i*n+j] = float64(k+1) * eps * mag
		}
	}
	return c
}

// check runs the product with the active kernel set and compares it with
// the reference; dst starts as NaN (so that reading it shows) and has a
// guard after it, and the inputs must come back unchanged.
func (c *testCase) check(t *testing.T) {
	t.Helper()
	m, n, k, name := c.m, c.n, c.k, c.pr.name
	a0 := append([]float32(nil), c.a...)
	b0 := append([]float32(nil), c.b...)
	dst := make([]float32, m*n+3)
	for i := range dst {
		dst[i] = float32(math.NaN())
	}
	dst[m*n], dst[m*n+1], dst[m*n+2] = 7, 8, 9
	c.pr.mul(dst[:m*n], c.a, c.b, m, n, k)
	bad := 0
	for i, want := range c.want {
		got := float64(dst[i])
		if d := math.Abs(got - want); !(d <= c.tol[i]) {
			if bad < 5 {
				t.Errorf("%s m=%d n=%d k=%d: dst[%d,%d] = %g, want %g (|Δ| %g > tol %g)",
					name, m, n, k, i/n, i%n, got, want, d, c.tol[i])
			}
			bad++
		}
	}
	if bad > 0 {
		t.Fatalf("%s m=%d n=%d k=%d: %d of %d wrong", name, m, n, k, bad, m*n)
	}
	if dst[m*n] != 7 || dst[m*n+1] != 8 || dst[m*n+2] != 9 {
		t.Fatalf("%s m=%d n=%d k=%d: wrote past dst[m·n]", name, m, n, k)
	}
	for i := range c.a {
		if c.a[i] != a0[i] {
			t.Fatalf("%s m=%d n=%d k=%d: a[%d] modified", name, m, n, k, i)
		}
	}
	for i := range c.b {
		if c.b[i] != b0[i] {
			t.Fatalf("%s m=%d n=%d k=%d: b[%d] modified", name, m, n, k, i)
		}
	}
}

// checkAll checks every case with every kernel set the CPU supports.
func checkAll(t *testing.T, cases []*testCase) {
	forEachKernel(t, func(t *testing.T) {
		for _, c := range cases {
			c.check(t)
		}
	})
}

// forEachKernel runs f with each kernel set this CPU supports forced.
func forEachKernel(t *testing.T, f func(t *testing.T)) {
	saved := active.Load()
	defer active.Store(saved)
	for _, ks := range bestKernels() {
		t.Run(ks.name, func(t *testing.T) {
			if !useKernel(ks.name) {
				t.Fatalf("useKernel(%q) refused a supported kernel", ks.name)
			}
			f(t)
		})
	}
}

// withKnobs runs f with the driver knobs set (the k blocks of the tiles
// and of the dot-product tiles, the smallest parallel product), then
// restores them.
func withKnobs(kc, kcd, parMin int, f func()) {
	kc0, kcd0, par0 := kcMax, kcDot, parMinFlops
	kcMax, kcDot, parMinFlops = kc, kcd, parMin
	defer func() { kcMax, kcDot, parMinFlops = kc0, kcd0, par0 }()
	f()
}

// Ragged sizes around the tile edges (6 rows, 16/64 lanes) and the network
// shapes' factors.
var (
	edgeDims = []int{1, 7, 17, 33, 60, 100, 257}
	edgeK    = []int{0, 1, 7, 17, 60, 257}
)

func TestProductsMatchTripleLoopOnRaggedShapes(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var cases []*testCase
	for _, pr := range products {
		for _, m := range edgeDims {
			for _, n := range edgeDims {
				for _, k := range edgeK {
					cases = append(cases, newCase(rng, pr, m, n, k, false))
				}
			}
		}
	}
	checkAll(t, cases)
}

func TestProductsMatchTripleLoopOnNetworkShapes(t *testing.T) {
	shapes := []struct{ m, n, k int }{
		{60, 1000, 784}, {60, 10, 1000}, {60, 784, 1000}, {1000, 784, 60},
		{60, 1000, 10}, {10, 1000, 60}, {1000, 10, 60}, {100, 500, 1000},
		{60, 300, 2500}, // a of more than packSplitMin floats: packed on every core
	}
	rng := rand.New(rand.NewPCG(3, 4))
	var cases []*testCase
	for _, pr := range products {
		for _, s := range shapes {
			cases = append(cases, newCase(rng, pr, s.m, s.n, s.k, pr.name == "MulABTSparse"))
		}
	}
	checkAll(t, cases)
}

// The k blocks (kcMax, kcDot) and the parallel split (parMinFlops) are
// exercised at small sizes by shrinking the knobs.
func TestProductsMatchWithKBlocksAndThreads(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	var cases []*testCase
	for _, pr := range products {
		for _, s := range []struct{ m, n, k int }{{60, 100, 33}, {33, 17, 60}, {100, 257, 17}, {7, 1000, 8}, {60, 256, 20}, {128, 5, 9}} {
			cases = append(cases, newCase(rng, pr, s.m, s.n, s.k, true))
		}
	}
	withKnobs(7, 16, 0, func() { checkAll(t, cases) })
}

// Strides that are multiples of 512 bytes (n = 128, 256) make the driver
// copy V panels first (aliasing); m = 128 fills two full lane blocks.
func TestProductsMatchOnAliasingStrides(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	var cases []*testCase
	for _, pr := range products {
		for _, s := range []struct{ m, n, k int }{{60, 256, 100}, {128, 128, 33}, {17, 512, 7}, {256, 9, 40}} {
			cases = append(cases, newCase(rng, pr, s.m, s.n, s.k, false))
		}
	}
	checkAll(t, cases)
}

func TestPackTTransposesEveryEdge(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	for _, ks := range bestKernels() {
		for _, rows := range []int{1, 5, 15, 16, 17, 40} {
			for _, k := range []int{1, 3, 15, 16, 17, 50} {
				lda, ldd := k+3, rows+5
				a := randSlice(rng, rows*lda)
				dst := make([]float32, k*ldd)
				for i := range dst {
					dst[i] = -7 // untouched marker
				}
				ks.packT(dst, a, rows, k, lda, ldd)
				for p := 0; p < k; p++ {
					for i := 0; i < ldd; i++ {
						want := float32(-7)
						if i < rows {
							want = a[i*lda+p]
						}
						if got := dst[p*ldd+i]; got != want {
							t.Fatalf("%s rows=%d k=%d: dst[%d,%d] = %g, want %g", ks.name, rows, k, p, i, got, want)
						}
					}
				}
			}
		}
	}
}

func TestSparseSkipsAllZeroColumns(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	var cases []*testCase
	for _, k := range []int{1, 3, 17, 100} {
		cases = append(cases, newCase(rng, products[1], 17, 33, k, true))
	}
	checkAll(t, cases)
	forEachKernel(t, func(t *testing.T) {
		// All of a zero: dst must be zeroed, not left as NaN.
		rng := rand.New(rand.NewPCG(7, 9))
		m, n, k := 7, 9, 5
		a := make([]float32, m*k)
		b := randSlice(rng, n*k)
		dst := make([]float32, m*n)
		for i := range dst {
			dst[i] = float32(math.NaN())
		}
		MulABTSparse(dst, a, b, m, n, k)
		for i, x := range dst {
			if x != 0 {
				t.Fatalf("dst[%d] = %g, want 0 for an all-zero a", i, x)
			}
		}
	})
}

// A tile is computed the same way whichever goroutine runs it, so results
// are bit-identical for any thread count, and products running at the same
// time from several goroutines do not disturb each other.
func TestConcurrentCallsMatchOneThreadBitForBit(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 16))
	type call struct {
		pr      product
		m, n, k int
		a, b    []float32
		want    []float32
	}
	var calls []*call
	for _, pr := range products {
		for _, s := range []struct{ m, n, k int }{{60, 100, 50}, {33, 257, 17}, {100, 10, 70}} {
			c := &call{pr: pr, m: s.m, n: s.n, k: s.k, a: randSlice(rng, s.m*s.k), b: randSlice(rng, s.k*s.n)}
			c.want = make([]float32, s.m*s.n)
			SetThreads(1)
			pr.mul(c.want, c.a, c.b, s.m, s.n, s.k)
			calls = append(calls, c)
		}
	}
	defer SetThreads(0)
	SetThreads(3)
	withKnobs(kcMax, kcDot, 0, func() {
		errs := make(chan string, 8*len(calls))
		var wg sync.WaitGroup
		for g := 0; g < 8; g++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				dst := make([]float32, 100*257)
				for rep := 0; rep < 5; rep++ {
					for _, c := range calls {
						got := dst[:c.m*c.n]
						c.pr.mul(got, c.a, c.b, c.m, c.n, c.k)
						for i := range got {
							if got[i] != c.want[i] {
								errs <- fmt.Sprintf("%s m=%d n=%d k=%d: dst[%d] = %g, one thread gave %g",
									c.pr.name, c.m, c.n, c.k, i, got[i], c.want[i])
								return
							}
						}
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for e := range errs {
			t.Error(e)
		}
	})
}

func TestShortSlicePanics(t *testing.T) {
	for _, pr := range products {
		t.Run(pr.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Fatal("no panic for a too-short dst")
				}
			}()
			pr.mul(make([]float32, 5), make([]float32, 6), make([]float32, 6), 2, 3, 2)
		})
	}
}

// The shapes are above parMinFlops, so the helper goroutines take part.
func TestSteadyStateDoesNotAllocate(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops items at random under the race detector")
	}
	rng := rand.New(rand.NewPCG(9, 10))
	a, b := randSlice(rng, 200*300), randSlice(rng, 200*300)
	dst := make([]float32, 200*300)
	sparseB := slices.Clone(b[:60*300]) // half its columns zero
	for i := range sparseB {
		if i%2 == 0 {
			sparseB[i] = 0
		}
	}
	// A batch operand of more than packSplitMin floats, packed on every core.
	wideA, wideB := randSlice(rng, 60*2500), randSlice(rng, 100*2500)
	forEachKernel(t, func(t *testing.T) {
		for _, c := range []struct {
			name string
			f    func()
		}{
			{"MulABT", func() { MulABT(dst, a, b, 60, 200, 300) }},
			{"MulABT, wide a", func() { MulABT(dst, wideA, wideB, 60, 100, 2500) }},
			{"MulABTSparse", func() { MulABTSparse(dst, a, b, 60, 200, 300) }},
			{"MulAB", func() { MulAB(dst, a, b, 60, 300, 200) }},
			{"MulATB", func() { MulATB(dst, a, b, 200, 300, 60) }},
			{"MulATBRows", func() { MulATBRows(a, b, 200, 300, 60, nopRows{}) }},
			{"MulATBRowsSparse", func() { MulATBRowsSparse(a, sparseB, 200, 300, 60, nopRows{}) }},
		} {
			c.f()
			// sync.Pool may drop its items at a GC during the run, so allow
			// a fraction of an allocation per call.
			if allocs := testing.AllocsPerRun(50, c.f); allocs > 0.2 {
				t.Errorf("%s: %v allocations per call, want 0", c.name, allocs)
			}
		}
	})
}

// nopRows takes the rows of MulATBRows and does nothing with them.
type nopRows struct{}

func (nopRows) Rows(int, int, []float32) {}

func TestThreadsDefaultsAndOverride(t *testing.T) {
	defer SetThreads(0)
	SetThreads(3)
	if got := Threads(); got != 3 {
		t.Fatalf("Threads() = %d after SetThreads(3)", got)
	}
	SetThreads(0)
	if got := Threads(); got < 1 {
		t.Fatalf("Threads() = %d after SetThreads(0), want GOMAXPROCS", got)
	}
}

func TestKernelNamesBestSupported(t *testing.T) {
	if got, want := Kernel(), bestKernels()[0].name; got != want {
		t.Fatalf("Kernel() = %q, want %q", got, want)
	}
	if useKernel("no-such-kernel") {
		t.Fatal("useKernel accepted an unknown name")
	}
}

func ExampleMulABT() {
	// Y = X Wᵀ for a batch of two inputs of size 3 and a layer of 2 units.
	x := []float32{1, 2, 3, 4, 5, 6}
	w := []float32{1, 0, 1, 0, 1, 0}
	y := make([]float32, 4)
	MulABT(y, x, w, 2, 2, 3)
	fmt.Println(y)
	// Output: [4 2 10 5]
}

// The assembly reads kargs at fixed offsets (asmgen/main.go, offS…offIdx).
func TestKargsLayoutMatchesAssembly(t *testing.T) {
	var a kargs
	for _, f := range []struct {
		name      string
		got, want uintptr
	}{
		{"s", unsafe.Offsetof(a.s), 0}, {"srs", unsafe.Offsetof(a.srs), 8}, {"sps", unsafe.Offsetof(a.sps), 16},
		{"v", unsafe.Offsetof(a.v), 24}, {"vps", unsafe.Offsetof(a.vps), 32}, {"c", unsafe.Offsetof(a.c), 40},
		{"crs", unsafe.Offsetof(a.crs), 48}, {"ccs", unsafe.Offsetof(a.ccs), 56}, {"kc", unsafe.Offsetof(a.kc), 64},
		{"mask", unsafe.Offsetof(a.mask), 72}, {"flags", unsafe.Offsetof(a.flags), 80}, {"idx", unsafe.Offsetof(a.idx), 88},
	} {
		if f.got != f.want {
			t.Errorf("kargs.%s at offset %d, the assembly reads %d", f.name, f.got, f.want)
		}
	}
}
