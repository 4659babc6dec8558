package gemm

import (
	"runtime"
	"sync"
	"sync/atomic"
	"unsafe"

	"drtp/internal/parallel"
)

// threads is the worker count set by SetThreads; 0 means GOMAXPROCS.
var threads atomic.Int64

// SetThreads sets how many goroutines (cores) one product may use. n ≤ 0
// restores the default, runtime.GOMAXPROCS(0) at the time of each call.
func SetThreads(n int) {
	threads.Store(int64(max(n, 0)))
}

// Threads reports how many goroutines one product may use.
func Threads() int {
	if t := threads.Load(); t > 0 {
		return int(t)
	}
	return runtime.GOMAXPROCS(0)
}

// active is the kernel set in use: the best one the CPU supports.
var active atomic.Pointer[kernelSet]

func init() { active.Store(bestKernels()[0]) }

// Kernel names the micro-kernel family in use: "avx512", "avx2+fma" or
// "generic".
func Kernel() string { return active.Load().name }

// useKernel switches to the named kernel set (a test hook). It reports
// false, and changes nothing, when the CPU cannot run that set.
func useKernel(name string) bool {
	for _, ks := range bestKernels() {
		if ks.name == name {
			active.Store(ks)
			return true
		}
	}
	return false
}

func check(name string, dst, a, b []float32, m, n, k int) {
	if m < 0 || n < 0 || k < 0 {
		panic("gemm: " + name + ": negative dimension")
	}
	if len(dst) < m*n || len(a) < m*k || len(b) < k*n {
		panic("gemm: " + name + ": slice too short for the shape")
	}
}

// trivial handles the empty shapes: nothing to do when m·n = 0, zeros
// when k = 0. It reports whether the product is done.
func trivial(dst []float32, m, n, k int) bool {
	if m == 0 || n == 0 {
		return true
	}
	if k == 0 {
		clear(dst[:m*n])
		return true
	}
	return false
}

// laneEff is the fraction of useful lanes when x lanes are cut into
// vectors of vl.
func laneEff(x, vl int) float64 {
	return float64(x) / float64((x+vl-1)/vl*vl)
}

// swapBonus is how much better (in lane efficiency) the transposed tile
// orientation must be before it is chosen over the plain one.
const swapBonus = 0.25

// MulABT sets dst[m×n] = a[m×k] · b[n×k]ᵀ (forward pass: Y = X Wᵀ with W
// of shape out×in). It panics if a slice is shorter than its shape.
//
// For n ≤ 64 the tiles are dot products of rows of a and b read in place
// (eq. 5 of the package doc); otherwise the tile rows walk the rows of b
// in place and the lanes are the rows of a, packed step-major (eq. 4).
func MulABT(dst, a, b []float32, m, n, k int) {
	check("MulABT", dst, a, b, m, n, k)
	if trivial(dst, m, n, k) {
		return
	}
	ks := active.Load()
	j := getJob()
	if ks.dot != nil && n <= dotMaxN {
		// Few rows of b: dot products of rows, nothing packed.
		j.setDot(ks, m, n, k)
		j.s, j.srs = unsafe.Pointer(&a[0]), 4*k
		j.v, j.vps = unsafe.Pointer(&b[0]), 4*k
		j.c, j.crs, j.ccs = unsafe.Pointer(&dst[0]), 4*n, 4
		j.run()
		putJob(j)
		return
	}
	j.set(ks, n, m, k)
	buf := packLaneBlocks(j, a, m, k)
	j.s, j.srs, j.sps = unsafe.Pointer(&b[0]), 4*k, 4
	j.c, j.crs, j.ccs, j.trans = unsafe.Pointer(&dst[0]), 4, 4*n, true
	j.run()
	putJob(j)
	putBuf(buf)
}

// packLaneBlocks packs a[m×k] transposed into one panel per lane block of
// j, each k rows of j.lbw floats: V(p, l) for l in block lb is at
// lb·k·lbw + p·lbw + (l - lb·lbw). It sets j.v, j.vps and j.vlb and returns
// the buffer, to be put back after the product. A large a is packed on
// every core the product uses, each taking a range of steps.
func packLaneBlocks(j *job, a []float32, m, k int) *[]float32 {
	lbw := j.lbw
	nLB := (m + lbw - 1) / lbw
	buf := getBuf(nLB * k * lbw)
	j.pack = packTask{ks: j.ks, dst: *buf, a: a, m: m, k: k, lbw: lbw}
	if j.threads < 2 || m*k < packSplitMin {
		j.pack.Do(0, k)
	} else {
		parallel.Range(k, &j.pack)
	}
	j.pack = packTask{}
	j.v, j.vps, j.vlb = unsafe.Pointer(&(*buf)[0]), 4*lbw, 4*k*lbw
	return buf
}

// packSplitMin is the fewest floats packLaneBlocks packs on every core:
// the 60 × 6272 input of the CONV network's FC layer took 0.15–0.23 ms on
// one core, between two products on two.
const packSplitMin = 1 << 17

// packTask is the packing of packLaneBlocks, for parallel.Range over
// steps.
type packTask struct {
	ks        *kernelSet
	dst, a    []float32
	m, k, lbw int
}

// Do packs the steps [p0, p1) of every lane block.
func (t *packTask) Do(p0, p1 int) {
	for l0 := 0; l0 < t.m; l0 += t.lbw {
		t.ks.packT(t.dst[l0*t.k+p0*t.lbw:], t.a[l0*t.k+p0:], min(t.lbw, t.m-l0), p1-p0, t.k, t.lbw)
	}
}

// MulABTSparse is MulABT for an a with many zero columns (a column p is
// a[0..m-1][p], e.g. one pixel over a batch of MNIST images): steps p at
// which every row of a is zero are skipped, so the cost falls with the
// fraction of such columns. It treats 0·x as 0 for every x of b, Inf and
// NaN included, where MulABT would give NaN.
func MulABTSparse(dst, a, b []float32, m, n, k int) {
	s := compactPool.Get().(*Compact)
	s.Set(a, m, k)
	MulABTCompact(dst, s, b, n)
	s.Set(nil, 0, 0)
	compactPool.Put(s)
}

// MulABTCompact is MulABTSparse with a[m×k] given as a Compact, whose
// columns a later MulATBRowsCompact of the same a reuses.
func MulABTCompact(dst []float32, a *Compact, b []float32, n int) {
	m, k := a.rows, a.n
	check("MulABTSparse", dst, a.x, b, m, n, k)
	if trivial(dst, m, n, k) {
		return
	}
	ks := active.Load()
	if ks.sparse == nil {
		MulABT(dst, a.x, b, m, n, k)
		return
	}
	// The steps to keep are the columns of a with a non-zero value: they
	// are compressed out of a before it is packed, and their byte offsets
	// into a row of b listed for the kernels.
	c := a.cols(ks)
	if c.kept == 0 {
		clear(dst[:m*n])
		return
	}
	ib := getIdx(c.kept)
	for _, r := range c.runs {
		for i := range r.n {
			(*ib)[r.from+i] = 4 * (r.to + i)
		}
	}
	j := getJob()
	j.set(ks, n, m, c.kept)
	buf := packLaneBlocks(j, a.compacted(ks), m, c.kept)
	j.s, j.srs, j.sps = unsafe.Pointer(&b[0]), 4*k, 4
	j.idx = *ib
	j.c, j.crs, j.ccs, j.trans = unsafe.Pointer(&dst[0]), 4, 4*n, true
	j.run()
	putJob(j)
	putIdx(ib)
	putBuf(buf)
}

// MulAB sets dst[m×n] = a[m×k] · b[k×n] (backward pass: δX = δZ W). It
// panics if a slice is shorter than its shape.
//
// The tile rows are the rows of a and the lanes the columns of b, both
// read in place (eq. 2 of the package doc); when n is much narrower than a
// vector and m is not, a is packed and the tiles are transposed instead.
func MulAB(dst, a, b []float32, m, n, k int) {
	check("MulAB", dst, a, b, m, n, k)
	if trivial(dst, m, n, k) {
		return
	}
	ks := active.Load()
	j := getJob()
	if laneEff(m, ks.vl) > laneEff(n, ks.vl)+swapBonus {
		j.set(ks, n, m, k)
		buf := packLaneBlocks(j, a, m, k)
		j.s, j.srs, j.sps = unsafe.Pointer(&b[0]), 4, 4*n
		j.c, j.crs, j.ccs, j.trans = unsafe.Pointer(&dst[0]), 4, 4*n, true
		j.run()
		putBuf(buf)
	} else {
		j.set(ks, m, n, k)
		j.s, j.srs, j.sps = unsafe.Pointer(&a[0]), 4*k, 4
		j.v, j.vps, j.packV = unsafe.Pointer(&b[0]), 4*n, aliasing(4*n)
		j.c, j.crs, j.ccs = unsafe.Pointer(&dst[0]), 4*n, 4
		j.run()
	}
	putJob(j)
}

// MulATB sets dst[m×n] = a[k×m]ᵀ · b[k×n] (weight gradient: ∇W = δZᵀ X).
// It panics if a slice is shorter than its shape.
//
// The tile rows are the columns of a and the lanes the columns of b, both
// read in place (eq. 3 of the package doc); when n is much narrower than a
// vector and m is not, the roles swap and the tiles are stored transposed.
func MulATB(dst, a, b []float32, m, n, k int) {
	check("MulATB", dst, a, b, m, n, k)
	if trivial(dst, m, n, k) {
		return
	}
	ks := active.Load()
	j := getJob()
	if laneEff(m, ks.vl) > laneEff(n, ks.vl)+swapBonus {
		j.set(ks, n, m, k)
		j.s, j.srs, j.sps = unsafe.Pointer(&b[0]), 4, 4*n
		j.v, j.vps, j.packV = unsafe.Pointer(&a[0]), 4*m, aliasing(4*m)
		j.c, j.crs, j.ccs, j.trans = unsafe.Pointer(&dst[0]), 4, 4*n, true
	} else {
		j.set(ks, m, n, k)
		j.s, j.srs, j.sps = unsafe.Pointer(&a[0]), 4, 4*m
		j.v, j.vps, j.packV = unsafe.Pointer(&b[0]), 4*n, aliasing(4*n)
		j.c, j.crs, j.ccs = unsafe.Pointer(&dst[0]), 4*n, 4
	}
	j.run()
	putJob(j)
}

// Rows receives the rows of a product from MulATBRows.
type Rows interface {
	// Rows is handed rows [i0, i1) of the product, row-major in c
	// ((i1−i0)·n values), which is valid during the call only. Calls for
	// different rows may run at the same time on different goroutines.
	Rows(i0, i1 int, c []float32)
}

// stripPackK is the largest k for which MulATBRows reads the panels of b
// in place even at an aliasing stride: a panel of k ≤ 256 rows (one
// batch) spreads over enough L1 sets, and copying it for each strip cost
// more than it saved (6% on the 6272-wide layer).
const stripPackK = 256

// stripBytes is the size MulATBRows aims its strips of rows at: they are
// written and read back within L2 (1 MiB on the development machine)
// while the panels of b stay in L1 and L2 between row blocks.
var stripBytes = 1 << 20

// MulATBRows computes a[k×m]ᵀ · b[k×n] as MulATB does, bit for bit, but
// hands it to r in strips of whole rows, each as soon as it is final, from
// a buffer of the goroutine that computed it, instead of writing it to a
// dst: a caller that consumes the product once (an optimiser step on the
// weight gradient) keeps it in cache and never sends it to memory. Every
// row is handed over exactly once.
func MulATBRows(a, b []float32, m, n, k int, r Rows) {
	if checkRows("MulATBRows", a, b, m, n, k) {
		return
	}
	ks := active.Load()
	if k == 0 || laneEff(m, ks.vl) > laneEff(n, ks.vl)+swapBonus {
		// Few columns: the product is small; the plain path transposes.
		buf := getBuf(m * n)
		MulATB(*buf, a, b, m, n, k)
		r.Rows(0, m, *buf)
		putBuf(buf)
		return
	}
	runRows(ks, a, b, m, n, k, nil, r)
}

// runRows computes a[k×m]ᵀ · v[k×l] in strips of rows for r. With c, v
// holds only the kept columns of a b[k×c.n], and each strip is expanded
// to full columns before r sees it.
func runRows(ks *kernelSet, a, v []float32, m, l, k int, c *cols, r Rows) {
	full := l
	if c != nil {
		full = c.n
	}
	j := getJob()
	j.set(ks, m, l, k)
	planRows(j, full, r)
	j.cols = c
	j.s, j.srs, j.sps = unsafe.Pointer(&a[0]), 4, 4*m
	j.v, j.vps, j.packV = unsafe.Pointer(&v[0]), 4*l, aliasing(4*l) && k > stripPackK
	j.crs, j.ccs = 4*l, 4
	j.run()
	putJob(j)
}

// checkRows panics if a or b is too short for its shape, and reports
// whether the product is empty (m·n = 0).
func checkRows(name string, a, b []float32, m, n, k int) bool {
	if m < 0 || n < 0 || k < 0 {
		panic("gemm: " + name + ": negative dimension")
	}
	if len(a) < k*m || len(b) < k*n {
		panic("gemm: " + name + ": slice too short for the shape")
	}
	return m == 0 || n == 0
}

// planRows cuts the product of j into strips of whole rows of full width
// n for r.
func planRows(j *job, n int, r Rows) {
	// Strips of at most about stripBytes, and if there are enough rows
	// 2·chunksPerThread per thread (small strips cost little here: each
	// re-reads b, which stays in L2 for the FC layers), cut evenly.
	g := max(1, stripBytes/(4*n*j.mr))
	if j.threads > 1 {
		g = min(g, (j.nRB+2*chunksPerThread*j.threads-1)/(2*chunksPerThread*j.threads))
	}
	j.g, j.cpl = g, (j.nRB+g-1)/g
	j.nChunks = j.cpl
	j.threads = min(j.threads, j.nChunks)
	j.rows = r
}

// MulATBRowsSparse is MulATBRows for a b with many all-zero columns (a
// column j is b[0..k-1][j], one pixel over a batch of MNIST images): the
// product's column j is then zero, so only the other columns are
// computed, from a compacted copy of b, and each strip is handed over
// with zeros put back in the skipped columns. The cost falls with the
// fraction of such columns (below a quarter, it is MulATBRows). It treats
// 0·x as 0 for every x of a, Inf and NaN included.
func MulATBRowsSparse(a, b []float32, m, n, k int, r Rows) {
	s := compactPool.Get().(*Compact)
	s.Set(b, k, n)
	MulATBRowsCompact(a, s, m, r)
	s.Set(nil, 0, 0)
	compactPool.Put(s)
}

// MulATBRowsCompact is MulATBRowsSparse with b[k×n] given as a Compact,
// reusing the columns an earlier MulABTCompact of the same b found.
func MulATBRowsCompact(a []float32, b *Compact, m int, r Rows) {
	k, n := b.rows, b.n
	if checkRows("MulATBRowsSparse", a, b.x, m, n, k) {
		return
	}
	ks := active.Load()
	if k == 0 || laneEff(m, ks.vl) > laneEff(n, ks.vl)+swapBonus {
		MulATBRows(a, b.x, m, n, k, r)
		return
	}
	c := b.cols(ks)
	if c.kept == 0 {
		// b is zero: so is the product.
		z := getBuf(m * n)
		clear(*z)
		r.Rows(0, m, *z)
		putBuf(z)
		return
	}
	if c.kept*4 > n*3 {
		// Too few columns to skip for the compaction to pay.
		MulATBRows(a, b.x, m, n, k, r)
		return
	}
	runRows(ks, a, b.compacted(ks), m, c.kept, k, c, r)
}

// Pools of packing buffers and step lists; steady-state calls reuse them.
var (
	bufPool sync.Pool // *[]float32
	idxPool sync.Pool // *[]int32
)

func getBuf(n int) *[]float32 {
	b, _ := bufPool.Get().(*[]float32)
	if b == nil {
		b = new([]float32)
	}
	if cap(*b) < n {
		*b = make([]float32, n)
	}
	*b = (*b)[:n]
	return b
}

func putBuf(b *[]float32) { bufPool.Put(b) }

func getIdx(n int) *[]int32 {
	b, _ := idxPool.Get().(*[]int32)
	if b == nil {
		b = new([]int32)
	}
	if cap(*b) < n {
		*b = make([]int32, n)
	}
	*b = (*b)[:n]
	return b
}

func putIdx(b *[]int32) { idxPool.Put(b) }
