//go:build amd64 && !purego

package gemm

import (
	"unsafe"

	"golang.org/x/sys/cpu"
)

//go:generate go run ./asmgen

// avx512 is the AVX-512F kernel set: tiles of 6 rows × 4·16 lanes held in
// 24 Z accumulators, masked loads and stores for the ragged last vector,
// scatter (and gather) for transposed tiles.
var avx512 = kernelSet{
	name:       "avx512",
	mr:         6,
	vl:         16,
	nvMax:      4,
	transStore: true,
	tile:       func(rows, nv int, a *kargs) { tab512[rows][nv](a) },
	sparse:     func(rows, nv int, a *kargs) { tabS512[rows][nv](a) },
	dot:        func(ia, jb int, a *kargs) { tabDot512[ia][jb](a) },
	mask:       func(t int) uint64 { return 1<<t - 1 },
	packT:      packT512Slices,
	copyV: func(dst, src unsafe.Pointer, rows, lanes, sps, dps int) {
		nv := (lanes + 15) / 16
		copyPanel512(dst, src, rows, nv, 1<<(lanes-16*(nv-1))-1, sps, dps)
	},
	orRows:   orRows512,
	compress: compressRows512,
	expand:   expandRows512,
}

// avx2 is the AVX2+FMA kernel set: tiles of 6 rows × 2·8 lanes held in 12
// Y accumulators; transposed tiles go through the driver's scratch tile.
var avx2 = kernelSet{
	name:  "avx2+fma",
	mr:    6,
	vl:    8,
	nvMax: 2,
	tile:  func(rows, nv int, a *kargs) { tab256[rows][nv](a) },
	mask:  func(t int) uint64 { return uint64(t) },
	packT: genericPackT,
	copyV: copyVGo,
}

// packT512Slices is packT for the AVX-512 set: 16 rows per gather sweep.
func packT512Slices(dst, a []float32, rows, k, lda, ldd int) {
	if rows == 0 || k == 0 {
		return
	}
	// Bounds: the last element read is a[(rows-1)·lda + k-1], the last
	// written dst[(k-1)·ldd + rows-1].
	_ = a[(rows-1)*lda+k-1]
	_ = dst[(k-1)*ldd+rows-1]
	for i := 0; i < rows; i += 16 {
		r := min(16, rows-i)
		packT512(unsafe.Pointer(&dst[i]), unsafe.Pointer(&a[i*lda]), r, k, 4*lda, 4*ldd)
	}
}

// bestKernels lists the kernel sets this CPU can run, best first.
func bestKernels() []*kernelSet {
	var ks []*kernelSet
	if cpu.X86.HasAVX512F && cpu.X86.HasAVX512VL {
		ks = append(ks, &avx512)
	}
	if cpu.X86.HasAVX2 && cpu.X86.HasFMA {
		ks = append(ks, &avx2)
	}
	return append(ks, &generic)
}
