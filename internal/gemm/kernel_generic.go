package gemm

import "unsafe"

// generic is the portable kernel set, in plain Go. Its tiles are 4 rows of
// up to 4·16 lanes; the inner loop keeps one row of lanes in a local
// array and updates it with the broadcast S value (an axpy per step).
var generic = kernelSet{
	name:       "generic",
	mr:         4,
	vl:         16,
	nvMax:      4,
	transStore: true,
	tile:       genericTile,
	sparse:     genericTile,
	mask:       func(t int) uint64 { return uint64(t) },
	packT:      genericPackT,
}

// genericTile computes one tile as described by kargs (all layouts, the
// transposed store and the sparse step list included).
func genericTile(rows, nv int, a *kargs) {
	lanes := (nv-1)*16 + int(a.mask)
	var acc [4][64]float32
	for r := 0; r < rows; r++ {
		row := acc[r][:lanes]
		for p := 0; p < a.kc; p++ {
			so := r*a.srs + p*a.sps
			if a.idx != nil {
				so = r*a.srs + int(*(*int32)(unsafe.Add(a.idx, 4*p)))
			}
			sv := *(*float32)(unsafe.Add(a.s, so))
			if sv == 0 {
				continue
			}
			vrow := unsafe.Slice((*float32)(unsafe.Add(a.v, p*a.vps)), lanes)
			for l, x := range vrow {
				row[l] += sv * x
			}
		}
	}
	for r := 0; r < rows; r++ {
		for l, x := range acc[r][:lanes] {
			dst := (*float32)(unsafe.Add(a.c, r*a.crs+l*a.ccs))
			if a.flags&flagAcc != 0 {
				x += *dst
			}
			*dst = x
		}
	}
}

// genericPackT sets dst[p·ldd + i] = a[i·lda + p] for i < rows, p < k.
func genericPackT(dst, a []float32, rows, k, lda, ldd int) {
	for i := 0; i < rows; i++ {
		src := a[i*lda : i*lda+k]
		for p, x := range src {
			dst[p*ldd+i] = x
		}
	}
}
