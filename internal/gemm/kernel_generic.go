package gemm

import "unsafe"

// generic is the portable kernel set, in plain Go. A tile (up to 4 rows
// of 4·16 lanes) is computed in register blocks of 2 rows × 4 lanes, whose
// eight sums stay in local variables over the whole kc loop.
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
	copyV:      copyVGo,
}

// genericTile computes one tile as described by kargs (all layouts, the
// transposed store and the sparse step list included).
func genericTile(rows, nv int, a *kargs) {
	lanes := (nv-1)*16 + int(a.mask)
	var acc [4][64]float32
	for r := 0; r < rows; r += 2 {
		r1 := min(r+1, rows-1) // a lone last row is computed twice
		s0 := unsafe.Add(a.s, r*a.srs)
		s1 := unsafe.Add(a.s, r1*a.srs)
		for l := 0; l < lanes; l += 4 {
			if l+4 > lanes {
				// Ragged lanes one at a time.
				for ; l < lanes; l++ {
					var c0, c1 float32
					for p := 0; p < a.kc; p++ {
						so := a.step(p)
						x := *(*float32)(unsafe.Add(a.v, p*a.vps+4*l))
						c0 += *(*float32)(unsafe.Add(s0, so)) * x
						c1 += *(*float32)(unsafe.Add(s1, so)) * x
					}
					acc[r][l], acc[r1][l] = c0, c1
				}
				break
			}
			var c00, c01, c02, c03, c10, c11, c12, c13 float32
			kc, vps, sps, idx := a.kc, a.vps, a.sps, a.idx
			vp := unsafe.Add(a.v, 4*l)
			for p, so := 0, 0; p < kc; p++ {
				if idx != nil {
					so = int(*(*int32)(unsafe.Add(idx, 4*p)))
				}
				v := (*[4]float32)(vp)
				x0, x1 := *(*float32)(unsafe.Add(s0, so)), *(*float32)(unsafe.Add(s1, so))
				c00 += x0 * v[0]
				c01 += x0 * v[1]
				c02 += x0 * v[2]
				c03 += x0 * v[3]
				c10 += x1 * v[0]
				c11 += x1 * v[1]
				c12 += x1 * v[2]
				c13 += x1 * v[3]
				so += sps
				if p+1 < kc {
					vp = unsafe.Add(vp, vps) // never past the last row
				}
			}
			acc[r][l], acc[r][l+1], acc[r][l+2], acc[r][l+3] = c00, c01, c02, c03
			acc[r1][l], acc[r1][l+1], acc[r1][l+2], acc[r1][l+3] = c10, c11, c12, c13
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

// step returns the byte offset of step p in a row of S.
func (a *kargs) step(p int) int {
	if a.idx != nil {
		return int(*(*int32)(unsafe.Add(a.idx, 4*p)))
	}
	return p * a.sps
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
