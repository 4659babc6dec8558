package gemm

import (
	"sync"
	"sync/atomic"
	"unsafe"

	"drtp/internal/parallel"
)

// Tuning knobs of the driver (variables so that benchmarks can vary them).
var (
	// kcMax is the largest number of steps p a tile runs before storing
	// (the k block): one block of V, kcMax·64 floats, then stays in L2.
	kcMax = 1024
	// parMinFlops is the smallest product (2·m·n·k) split across
	// goroutines; below it waking a second core costs more than it saves.
	parMinFlops = 1 << 21
	// kcDot is the k block (floats, a multiple of 16) of the dot-product
	// tiles. Blocking k did not pay on Zen 4 (the rows stream from L2 fast
	// enough, and each block costs a reduction per output), so it is large.
	kcDot = 4096
	// dotMaxN is the largest n for which MulABT uses dot-product tiles
	// instead of packing a (measured: 107 against 76 GFLOP/s on one core at
	// n = 10, 108 against 101 at n = 64, equal beyond).
	dotMaxN = 64
	// chunksPerThread is how many pieces of work each goroutine gets on
	// average, so that a core slowed by other jobs is caught up by the rest.
	chunksPerThread = 4
)

// job is one product cut into tiles: C[R×L] = S[R×K] · V[K×L] with the
// layout of kargs. A chunk is a run of row blocks within one lane block;
// goroutines take chunks from next until none is left.
type job struct {
	ks      *kernelSet
	r, l, k int

	s        unsafe.Pointer
	srs, sps int
	idx      []int32 // sparse: byte offsets of the steps into S
	v        unsafe.Pointer
	vps      int
	vlb      int  // bytes between lane-block panels of V when it is packed by lane block; 0 when V is one matrix
	packV    bool // copy each V panel into the worker's buffer first (strides that alias in cache)
	c        unsafe.Pointer
	crs, ccs int
	trans    bool
	dot      bool     // dot-product tiles (rows of S against rows of V, both along k)
	rows     Rows     // MulATBRows: chunks are strips of whole rows, computed into the worker's strip buffer and handed here
	cols     *cols    // MulATBRowsSparse: where the computed lanes go in rows of full width, the rest being zero
	pack     packTask // packLaneBlocks' work, kept here so that splitting it allocates nothing

	mr      int // rows per row block
	lbw     int // lanes per lane block
	nRB     int // row blocks
	g       int // row blocks per chunk
	cpl     int // chunks per lane block
	nChunks int
	threads int

	next atomic.Int64
}

// worker is the per-goroutine state: the kernel argument block and the
// scratch tile for kernel sets that cannot store transposed tiles.
type worker struct {
	ka      kargs
	scratch [maxTile]float32
	panel   []float32 // packed V panel, kcMax × lane block
	strip   []float32 // rows of C computed for MulATBRows, with colPad floats of room past them (cols.expand reads there)
	full    []float32 // the same rows with the skipped columns of MulATBRowsSparse put back
}

var (
	jobPool    = sync.Pool{New: func() any { return new(job) }}
	workerPool = sync.Pool{New: func() any { return new(worker) }}
)

func getJob() *job { return jobPool.Get().(*job) }

func putJob(j *job) {
	j.s, j.v, j.c, j.idx, j.rows, j.cols = nil, nil, nil, nil, nil, nil
	jobPool.Put(j)
}

// set resets j for a product of r rows, l lanes and k steps and plans its
// chunks; the caller then fills in the operands.
func (j *job) set(ks *kernelSet, r, l, k int) {
	j.plan(ks, r, l, k, ks.mr, ks.nvMax*ks.vl)
	j.dot = false
}

// setDot is set for dot-product tiles: r rows of S (dotA per tile) against
// l rows of V (dotB per tile), k floats long.
func (j *job) setDot(ks *kernelSet, r, l, k int) {
	j.plan(ks, r, l, k, dotA, dotB)
	j.dot = true
}

// plan cuts the product into row blocks of mr and lane blocks of lbw and
// those into chunks.
func (j *job) plan(ks *kernelSet, r, l, k, mr, lbw int) {
	j.ks, j.r, j.l, j.k = ks, r, l, k
	j.idx, j.trans, j.vlb, j.packV = nil, false, 0, false
	j.mr, j.lbw = mr, lbw
	nLB := (l + j.lbw - 1) / j.lbw
	j.nRB = (r + mr - 1) / mr
	j.threads = Threads()
	if 2*r*l*k < parMinFlops {
		j.threads = 1
	}
	cpl := 1
	if j.threads > 1 {
		cpl = min(j.nRB, max(1, (chunksPerThread*j.threads+nLB-1)/nLB))
	}
	j.g = (j.nRB + cpl - 1) / cpl
	j.cpl = (j.nRB + j.g - 1) / j.g
	j.nChunks = nLB * j.cpl
	j.threads = min(j.threads, j.nChunks)
	j.next.Store(0)
}

// run computes the product with up to j.threads goroutines: the caller
// and pool helpers that join while chunks are left (parallel.Run).
func (j *job) run() {
	parallel.Run(j, j.threads-1)
}

// Work implements parallel.Job: it takes chunks until none is left, with
// a worker (scratch state) of its own.
func (j *job) Work() {
	w := workerPool.Get().(*worker)
	j.work(w)
	workerPool.Put(w)
}

// work takes chunks until none is left.
func (j *job) work(w *worker) {
	for {
		ci := int(j.next.Add(1) - 1)
		if ci >= j.nChunks {
			break
		}
		if j.dot {
			j.dotChunk(w, ci)
		} else {
			j.chunk(w, ci)
		}
	}
	w.ka = kargs{}
}

// chunk computes chunk ci: row blocks [rb0, rb1) of lane block lb in
// place, or with j.rows a strip of whole rows (rowStrip).
func (j *job) chunk(w *worker, ci int) {
	if j.rows != nil {
		j.rowStrip(w, ci)
		return
	}
	lb, part := ci/j.cpl, ci%j.cpl
	rb0 := part * j.g
	j.block(w, lb, rb0, min(rb0+j.g, j.nRB), unsafe.Add(j.c, rb0*j.mr*j.crs))
}

// rowStrip computes row blocks [rb0, rb1) of every lane block into the
// worker's strip buffer and hands those rows to j.rows.
func (j *job) rowStrip(w *worker, ci int) {
	rb0 := ci * j.g
	rb1 := min(rb0+j.g, j.nRB)
	r0, r1 := rb0*j.mr, min(rb1*j.mr, j.r)
	n := (r1 - r0) * j.l
	if len(w.strip) < n+colPad {
		w.strip = make([]float32, n+colPad)
	}
	for lb := 0; lb*j.lbw < j.l; lb++ {
		j.block(w, lb, rb0, rb1, unsafe.Pointer(&w.strip[0]))
	}
	if j.cols == nil {
		j.rows.Rows(r0, r1, w.strip[:n])
		return
	}
	nf := (r1 - r0) * j.cols.n
	if len(w.full) < nf {
		w.full = make([]float32, nf)
	}
	j.cols.expand(j.ks, w.full, w.strip, r1-r0)
	j.rows.Rows(r0, r1, w.full[:nf])
}

// block computes row blocks [rb0, rb1) of lane block lb, k block by k
// block, so that the block of V is reused by every row block. c0 is where
// row rb0·mr of C starts.
func (j *job) block(w *worker, lb, rb0, rb1 int, c0 unsafe.Pointer) {
	ks := j.ks
	l0 := lb * j.lbw
	lw := min(j.lbw, j.l-l0)
	nv := (lw + ks.vl - 1) / ks.vl
	tail := lw - (nv-1)*ks.vl
	viaScratch := j.trans && !ks.transStore
	tile := ks.tile
	if j.idx != nil {
		tile = ks.sparse
	}
	ka := &w.ka
	ka.srs, ka.sps, ka.vps = j.srs, j.sps, j.vps
	ka.mask = ks.mask(tail)
	v := unsafe.Add(j.v, 4*l0)
	if j.vlb != 0 {
		v = unsafe.Add(j.v, lb*j.vlb)
	}
	packV := j.packV && rb1-rb0 > 1
	if packV {
		if n := kcMax * j.lbw; len(w.panel) < n {
			w.panel = make([]float32, n)
		}
		ka.vps = 4 * j.lbw
	}
	for p0 := 0; p0 < j.k; p0 += kcMax {
		ka.kc = min(kcMax, j.k-p0)
		ka.flags = 0
		if p0 > 0 {
			ka.flags = flagAcc
		}
		sOff := p0 * j.sps
		if j.idx != nil {
			sOff = 0
			ka.idx = unsafe.Pointer(&j.idx[p0])
		}
		ka.v = unsafe.Add(v, p0*j.vps)
		if packV {
			ks.copyV(unsafe.Pointer(&w.panel[0]), ka.v, ka.kc, lw, j.vps, ka.vps)
			ka.v = unsafe.Pointer(&w.panel[0])
		}
		for rb := rb0; rb < rb1; rb++ {
			r0 := rb * j.mr
			rows := min(j.mr, j.r-r0)
			ka.s = unsafe.Add(j.s, r0*j.srs+sOff)
			c := unsafe.Add(c0, (rb-rb0)*j.mr*j.crs+l0*j.ccs)
			if viaScratch {
				flags := ka.flags
				ka.c, ka.crs, ka.ccs, ka.flags = unsafe.Pointer(&w.scratch[0]), 4*nv*ks.vl, 4, 0
				tile(rows, nv, ka)
				ka.flags = flags
				scatterTile(c, w.scratch[:], rows, lw, nv*ks.vl, j.ccs, flags&flagAcc != 0)
				continue
			}
			ka.c, ka.crs, ka.ccs = c, j.crs, j.ccs
			if j.trans {
				ka.flags |= flagTrans
			}
			tile(rows, nv, ka)
			ka.flags &^= flagTrans
		}
	}
}

// dotChunk computes row blocks [rb0, rb1) of lane block lb with
// dot-product tiles: rows of S (a) against rows of V (b), k block by
// k block.
func (j *job) dotChunk(w *worker, ci int) {
	lb, part := ci/j.cpl, ci%j.cpl
	l0 := lb * j.lbw
	jb := min(j.lbw, j.l-l0)
	rb0 := part * j.g
	rb1 := min(rb0+j.g, j.nRB)
	ka := &w.ka
	ka.srs, ka.vps, ka.crs, ka.ccs = j.srs, j.vps, j.crs, j.ccs
	for p0 := 0; p0 < j.k; p0 += kcDot {
		ka.kc = min(kcDot, j.k-p0)
		ka.mask = 1<<(ka.kc%16) - 1
		ka.flags = 0
		if p0 > 0 {
			ka.flags = flagAcc
		}
		ka.v = unsafe.Add(j.v, l0*j.vps+4*p0)
		for rb := rb0; rb < rb1; rb++ {
			r0 := rb * j.mr
			ka.s = unsafe.Add(j.s, r0*j.srs+4*p0)
			ka.c = unsafe.Add(j.c, r0*j.crs+l0*j.ccs)
			j.ks.dot(min(j.mr, j.r-r0), jb, ka)
		}
	}
}

// aliasing reports whether rows of V at a stride of vps bytes fall into
// few cache sets (a multiple of 512 bytes leaves at most 8 of the 64 L1
// set positions), so that a panel of them would evict itself.
func aliasing(vps int) bool { return vps%512 == 0 }

// scatterTile stores the scratch tile t[rows×ld] (its first lw lanes)
// transposed: element (r, l) goes to c + 4r + l·ccs, added when acc.
func scatterTile(c unsafe.Pointer, t []float32, rows, lw, ld, ccs int, acc bool) {
	for l := 0; l < lw; l++ {
		col := unsafe.Slice((*float32)(unsafe.Add(c, l*ccs)), rows)
		for r := range col {
			if acc {
				col[r] += t[r*ld+l]
			} else {
				col[r] = t[r*ld+l]
			}
		}
	}
}
