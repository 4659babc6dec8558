package gemm

import "unsafe"

// kargs is the argument block of one micro-kernel call: the tile
//
//	C[rows×lanes] (+)= S[rows×kc] · V[kc×lanes]
//
// with S(r, p) at s + r·srs + p·sps, V(p, l) at v + p·vps + 4l and
// C(r, l) at c + r·crs + l·ccs (all strides in bytes). Lanes are grouped
// in nv vectors of the kernel's width; the last one is partial. The field
// order is the one the assembly reads (asmgen offsets): do not reorder.
type kargs struct {
	s     unsafe.Pointer
	srs   int
	sps   int
	v     unsafe.Pointer
	vps   int
	c     unsafe.Pointer
	crs   int
	ccs   int
	kc    int
	mask  uint64 // AVX-512: bit mask of the valid lanes of the last vector (dot tiles: of the last kc mod 16 steps); AVX2 and generic: their count
	flags int
	idx   unsafe.Pointer // sparse kernels: int32 byte offsets of the kc steps into S
}

// Flag bits of kargs.flags.
const (
	flagAcc   = 1 // add the tile to C instead of overwriting it
	flagTrans = 2 // C lanes are strided by ccs; only for kernels with transStore
)

// kernelSet is one family of micro-kernels (one instruction set).
type kernelSet struct {
	name string
	// mr is the largest number of broadcast rows per tile, vl the lanes of
	// one vector and nvMax the largest number of vectors per tile.
	mr, vl, nvMax int
	// transStore reports whether the kernels store transposed tiles
	// (flagTrans) themselves; otherwise the driver goes through a scratch
	// tile.
	transStore bool
	// tile runs the kernel for a tile of rows ≤ mr and nv ≤ nvMax vectors.
	tile func(rows, nv int, a *kargs)
	// sparse, if not nil, is tile reading the S steps through kargs.idx.
	sparse func(rows, nv int, a *kargs)
	// mask gives kargs.mask for a last vector with t valid lanes.
	mask func(t int) uint64
	// packT sets dst[p·ldd + i] = a[i·lda + p] for i < rows, p < k
	// (transposes a row block into lane-contiguous steps).
	packT func(dst, a []float32, rows, k, lda, ldd int)
	// dot, if not nil, runs the dot-product tile C[ia×jb] (+)= X·Yᵀ
	// for ia ≤ dotA rows of X and jb ≤ dotB rows of Y (see asmgen genDot).
	dot func(ia, jb int, a *kargs)
	// copyV copies rows of lanes floats from src (row stride sps bytes)
	// to dst (row stride dps bytes).
	copyV func(dst, src unsafe.Pointer, rows, lanes, sps, dps int)
	// orRows, compress and expand, if not nil, are the column kernels of
	// the sparse products (asmgen cols.go, type cols); nil takes the Go
	// loops of cols.
	orRows           func(acc, b unsafe.Pointer, rows, nc, bs int, tail uint64)
	compress, expand func(dst, src unsafe.Pointer, chunks *uint64, rows, nc, ds, ss int, tail uint64)
}

// copyVGo is copyV in plain Go.
func copyVGo(dst, src unsafe.Pointer, rows, lanes, sps, dps int) {
	for r := 0; r < rows; r++ {
		copy(unsafe.Slice((*float32)(unsafe.Add(dst, r*dps)), lanes),
			unsafe.Slice((*float32)(unsafe.Add(src, r*sps)), lanes))
	}
}

// Dot-product tiles: rows of a and of b per tile.
const (
	dotA = 4
	dotB = 6
)

// maxTile is the largest tile (floats) of any kernel set: the size of the
// scratch tile used for transposed stores.
const maxTile = 6 * 64
