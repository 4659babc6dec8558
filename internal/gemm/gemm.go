package gemm

import (
	"runtime"
	"sync"
	"sync/atomic"
	"unsafe"
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
// The tile rows walk the rows of b in place and the lanes are the rows of
// a, which is packed step-major (eq. 2 of the package doc).
func MulABT(dst, a, b []float32, m, n, k int) {
	check("MulABT", dst, a, b, m, n, k)
	if trivial(dst, m, n, k) {
		return
	}
	ks := active.Load()
	ld := (m + 15) &^ 15
	buf := getBuf(k * ld)
	ks.packT(*buf, a, m, k, k, ld)
	j := getJob()
	j.set(ks, n, m, k)
	j.s, j.srs, j.sps = unsafe.Pointer(&b[0]), 4*k, 4
	j.v, j.vps = unsafe.Pointer(&(*buf)[0]), 4*ld
	j.c, j.crs, j.ccs, j.trans = unsafe.Pointer(&dst[0]), 4, 4*n, true
	j.run()
	putJob(j)
	putBuf(buf)
}

// MulABTSparse is MulABT for an a with many zero columns (a column p is
// a[0..m-1][p], e.g. one pixel over a batch of MNIST images): steps p at
// which every row of a is zero are skipped, so the cost falls with the
// fraction of such columns. It treats 0·x as 0 for every x of b, Inf and
// NaN included, where MulABT would give NaN.
func MulABTSparse(dst, a, b []float32, m, n, k int) {
	check("MulABTSparse", dst, a, b, m, n, k)
	if trivial(dst, m, n, k) {
		return
	}
	ks := active.Load()
	if ks.sparse == nil {
		MulABT(dst, a, b, m, n, k)
		return
	}
	ld := (m + 15) &^ 15
	buf := getBuf(k * ld)
	ks.packT(*buf, a, m, k, k, ld)
	ib := getIdx(k)
	kk := compactSteps(*buf, *ib, m, k, ld)
	if kk == 0 {
		clear(dst[:m*n])
	} else {
		j := getJob()
		j.set(ks, n, m, kk)
		j.s, j.srs, j.sps = unsafe.Pointer(&b[0]), 4*k, 4
		j.idx = *ib
		j.v, j.vps = unsafe.Pointer(&(*buf)[0]), 4*ld
		j.c, j.crs, j.ccs, j.trans = unsafe.Pointer(&dst[0]), 4, 4*n, true
		j.run()
		putJob(j)
	}
	putIdx(ib)
	putBuf(buf)
}

// compactSteps removes the all-zero rows of the packed panel v[k×ld]
// (each row holds the m values of one step p), moving the others up, and
// writes their byte offsets 4p into idx. It returns how many remain.
func compactSteps(v []float32, idx []int32, m, k, ld int) int {
	kk := 0
	for p := 0; p < k; p++ {
		row := v[p*ld : p*ld+m]
		nz := false
		for _, x := range row {
			if x != 0 {
				nz = true
				break
			}
		}
		if !nz {
			continue
		}
		if kk != p {
			copy(v[kk*ld:kk*ld+m], row)
		}
		idx[kk] = int32(4 * p)
		kk++
	}
	return kk
}

// MulAB sets dst[m×n] = a[m×k] · b[k×n] (backward pass: δX = δZ W). It
// panics if a slice is shorter than its shape.
//
// The tile rows are the rows of a and the lanes the columns of b, both
// read in place; when n is much narrower than a vector and m is not, a is
// packed and the tiles are transposed instead.
func MulAB(dst, a, b []float32, m, n, k int) {
	check("MulAB", dst, a, b, m, n, k)
	if trivial(dst, m, n, k) {
		return
	}
	ks := active.Load()
	j := getJob()
	if laneEff(m, ks.vl) > laneEff(n, ks.vl)+swapBonus {
		ld := (m + 15) &^ 15
		buf := getBuf(k * ld)
		ks.packT(*buf, a, m, k, k, ld)
		j.set(ks, n, m, k)
		j.s, j.srs, j.sps = unsafe.Pointer(&b[0]), 4, 4*n
		j.v, j.vps = unsafe.Pointer(&(*buf)[0]), 4*ld
		j.c, j.crs, j.ccs, j.trans = unsafe.Pointer(&dst[0]), 4, 4*n, true
		j.run()
		putBuf(buf)
	} else {
		j.set(ks, m, n, k)
		j.s, j.srs, j.sps = unsafe.Pointer(&a[0]), 4*k, 4
		j.v, j.vps = unsafe.Pointer(&b[0]), 4*n
		j.c, j.crs, j.ccs = unsafe.Pointer(&dst[0]), 4*n, 4
		j.run()
	}
	putJob(j)
}

// MulATB sets dst[m×n] = a[k×m]ᵀ · b[k×n] (weight gradient: ∇W = δZᵀ X).
// It panics if a slice is shorter than its shape.
//
// The tile rows are the columns of a and the lanes the columns of b, both
// read in place; when n is much narrower than a vector and m is not, the
// roles swap and the tiles are stored transposed.
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
		j.v, j.vps = unsafe.Pointer(&a[0]), 4*m
		j.c, j.crs, j.ccs, j.trans = unsafe.Pointer(&dst[0]), 4, 4*n, true
	} else {
		j.set(ks, m, n, k)
		j.s, j.srs, j.sps = unsafe.Pointer(&a[0]), 4, 4*m
		j.v, j.vps = unsafe.Pointer(&b[0]), 4*n
		j.c, j.crs, j.ccs = unsafe.Pointer(&dst[0]), 4*n, 4
	}
	j.run()
	putJob(j)
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
