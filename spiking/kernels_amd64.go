//go:build amd64 && !purego

package spiking

import (
	"unsafe"

	"golang.org/x/sys/cpu"
)

//go:generate go run ./asmgen

// axpy256 sets y[i] += a·x[i] for i < n with 8-lane AVX, multiplying then
// adding (no fused multiply-add).
//
//go:noescape
func axpy256(a float32, x, y *float32, n int)

// hasAVX allows the eight-lane float kernels (axpy256, dot4, addRowsAVX).
var hasAVX = cpu.X86.HasAVX

// hasAVX2 allows the kernels that need AVX2's integer instructions.
var hasAVX2 = cpu.X86.HasAVX2

// hasAVX512 allows the sixteen-lane kernels (addRows512, stepCurrents512,
// groupAdd512), which do the adds of their eight-lane counterparts in the
// same order.
var hasAVX512 = cpu.X86.HasAVX512F

// axpy sets y += a·x (len(y) ≤ len(x)), the inner loop of the
// event-driven forward pass and of the summed update: one weight row per
// spike. Its results equal the scalar loop's exactly.
func axpy(a float32, x, y []float32) {
	if len(y) == 0 {
		return
	}
	x = x[:len(y)]
	if hasAVX {
		axpy256(a, &x[0], &y[0], len(y))
		return
	}
	gonumBLAS.Saxpy(len(y), a, x, 1, y, 1)
}

// dot4 computes, for four rows and the first 16·blocks elements of x, the
// partial sums of gonum's SSE dot product in the same order (see
// kernels_amd64.s); finishDot completes them.
//
//go:noescape
func dot4(acc *[4][8]float32, w0, w1, w2, w3, x *float32, blocks int)

// addDots sets cur[i] += Σ_j w[i·n+j]·x[j] for every row i, with the same
// result, bit for bit, as gonum's Sdot (which the readout used before),
// four rows at a time: the dense-input path of a narrow layer.
func addDots(cur, w, x []float32, n int) {
	// gonum's kernel first steps to a 16-byte boundary of x; Go aligns
	// slices this long, and anything else takes gonum's own path.
	if !hasAVX || n == 0 || uintptr(unsafe.Pointer(&x[0]))&15 != 0 {
		addDotsGonum(cur, w, x, n)
		return
	}
	x = x[:n]
	w = w[:len(cur)*n]
	blocks := n / 16
	var acc [4][8]float32
	for i := 0; i < len(cur); i += 4 {
		dot4(&acc, rowAt(w, n, len(cur), i), rowAt(w, n, len(cur), i+1), rowAt(w, n, len(cur), i+2), rowAt(w, n, len(cur), i+3), &x[0], blocks)
		finishRows(cur, acc[:], i, w, x, n, 16*blocks)
	}
}

// rowAt is the first weight of row i of the rows × n matrix w, or of its
// last row past the end: a short last group of rows repeats its last row.
func rowAt(w []float32, n, rows, i int) *float32 { return &w[min(i, rows-1)*n] }

// finishRows completes the dot products of the group of rows starting at
// row i from their partial sums acc (finishDot) and adds them to cur.
func finishRows(cur []float32, acc [][8]float32, i int, w, x []float32, n, done int) {
	for r := 0; r < len(acc) && i+r < len(cur); r++ {
		cur[i+r] += finishDot(&acc[r], w[(i+r)*n:(i+r+1)*n], x, done)
	}
}

// dotSpikes10x512 and dotSpikes4x512 compute, for ten or four rows and
// the first 16·blocks elements of an x of zeros and ones, the partial sums
// dot4 computes, with masked adds (see kernels512_amd64.s).
//
//go:noescape
func dotSpikes10x512(acc *[10][8]float32, rows *[10]*float32, x *float32, blocks int)

//go:noescape
func dotSpikes4x512(acc *[4][8]float32, rows *[4]*float32, x *float32, blocks int)

// addDotsSpikes is addDots for an x whose elements are 0 or 1 (a layer's
// spikes): the same numbers, bit for bit, from masked adds instead of
// products where AVX-512 runs, ten rows at a time (the readout of ten
// classes in one pass over x).
func addDotsSpikes(cur, w, x []float32, n int) {
	if !hasAVX512 || n == 0 || uintptr(unsafe.Pointer(&x[0]))&15 != 0 {
		addDots(cur, w, x, n)
		return
	}
	x = x[:n]
	w = w[:len(cur)*n]
	blocks := n / 16
	for i := 0; i < len(cur); {
		if len(cur)-i > 4 {
			var acc [10][8]float32
			var rows [10]*float32
			for r := range rows {
				rows[r] = rowAt(w, n, len(cur), i+r)
			}
			dotSpikes10x512(&acc, &rows, &x[0], blocks)
			finishRows(cur, acc[:], i, w, x, n, 16*blocks)
			i += 10
			continue
		}
		var acc [4][8]float32
		var rows [4]*float32
		for r := range rows {
			rows[r] = rowAt(w, n, len(cur), i+r)
		}
		dotSpikes4x512(&acc, &rows, &x[0], blocks)
		finishRows(cur, acc[:], i, w, x, n, 16*blocks)
		i += 4
	}
}

// addRowsAVX adds count scaled weight rows into y (see kernels_amd64.s).
//
//go:noescape
func addRowsAVX(y *float32, n int, w *float32, stride int, idx *int32, a *float32, count int)

// addRows512 adds count unscaled weight rows into y, sixteen lanes at a
// time (see kernels512_amd64.s).
//
//go:noescape
func addRows512(y *float32, n int, w *float32, stride int, idx *int32, count int)

// stepCurrents512 sets a layer's input currents for every step of a
// sample, sixteen lanes at a time (see kernels512_amd64.s).
//
//go:noescape
func stepCurrents512(cur *float32, n int, b *float32, w *float32, stride int, idx *int32, off *int32, T int)

// stepCurrents sets cur[t·stride + e] = b[e] + Σ_k w[idx[k]·stride + e]
// over the events k of step t, idx[off[t]:off[t+1]], for every step t < T
// and e < stride: the currents of a layer whose input is known for the
// whole sample, the same numbers as copying b and calling sumRows step by
// step. With AVX-512 the columns go 64 at a time over all the steps (then
// 32, 16 and 8 to end the row), so that those columns of the rows that
// fire stay in L1.
func stepCurrents(cur, b, w []float32, stride int, idx, off []int32, T int) {
	n8 := 0 // columns done by the kernel
	if hasAVX512 && T > 0 {
		n8 = stride &^ 7
	}
	if n8 > 0 {
		_ = cur[T*stride-1]
		_ = b[stride-1]
		_ = off[T]
		for _, j := range idx[off[0]:off[T]] {
			_ = w[(int(j)+1)*stride-1] // every row inside w
		}
		var first *int32 // read only for events, and there may be none
		if len(idx) > 0 {
			first = &idx[0]
		}
		stepCurrents512(&cur[0], n8, &b[0], &w[0], stride, first, &off[0], T)
	}
	stepCurrentsGo(cur[n8:], stride, b[n8:], w[n8:], stride, idx, off, T)
}

// stepCurrentsPanels512 is stepCurrents512 for weights in column panels
// of in rows (see panels.go and kernels512_amd64.s).
//
//go:noescape
func stepCurrentsPanels512(cur *float32, n int, b *float32, w *float32, stride int, in int, idx *int32, off *int32, T int)

// groupAddPanels512 is groupAdd512 for a gradient in column panels of in
// rows and m in column panels of T rows (see panels.go and
// kernels512_amd64.s).
//
//go:noescape
func groupAddPanels512(gW *float32, m *float32, T int, n int, in int, js *int32, off *int32, steps *int32, nact int)

// rateReg512 adds eq. R1's term to m for the first n neurons, n a
// multiple of 16 (see kernels_amd64.s).
//
//go:noescape
func rateReg512(m, count, psi *float32, spiked *bool, n int, lambda, inv, rho float32)

// rateRegArch runs rateReg512 on the first len(m)&^15 neurons and returns
// how many it did (0 without AVX-512); count, psi and spiked hold at least
// len(m).
func rateRegArch(m, count, psi []float32, spiked []bool, lambda, inv, rho float32) int {
	n := len(m) &^ 15
	if !hasAVX512 || n == 0 {
		return 0
	}
	_, _, _ = count[n-1], psi[n-1], spiked[n-1]
	rateReg512(&m[0], &count[0], &psi[0], &spiked[0], n, lambda, inv, rho)
	return n
}

// panelsFast reports whether the panel kernels run here: only then does a
// layer keep its weights in panels (layer.panels).
var panelsFast = hasAVX512

// stepCurrentsPanelsArch runs stepCurrentsPanels512 on the first out&^7
// columns and returns how many it did (0 without AVX-512).
func stepCurrentsPanelsArch(cur, b, w []float32, out, in int, idx, off []int32, T int) int {
	n8 := out &^ 7
	if !hasAVX512 || n8 == 0 || T == 0 {
		return 0
	}
	_ = cur[T*out-1]
	_ = b[out-1]
	_ = w[in*out-1]
	_ = off[T]
	for _, j := range idx[off[0]:off[T]] {
		if uint(j) >= uint(in) {
			panic("spiking: stepCurrentsPanels: input event out of range")
		}
	}
	var first *int32 // read only for events, and there may be none
	if len(idx) > 0 {
		first = &idx[0]
	}
	stepCurrentsPanels512(&cur[0], n8, &b[0], &w[0], out, in, first, &off[0], T)
	return n8
}

// groupAddPanelsArch runs groupAddPanels512 on the first out&^7 columns
// and returns how many it did (0 without AVX-512). js is not empty.
func groupAddPanelsArch(gW, m []float32, out, in, T int, js, off, steps []int32) int {
	n8 := out &^ 7
	if !hasAVX512 || n8 == 0 {
		return 0
	}
	_ = gW[in*out-1]
	_ = m[T*out-1]
	_ = off[len(js)]
	for _, j := range js {
		if uint(j) >= uint(in) {
			panic("spiking: groupAddPanels: input out of range")
		}
	}
	for _, t := range steps[off[0]:off[len(js)]] {
		if uint(t) >= uint(T) {
			panic("spiking: groupAddPanels: step out of range")
		}
	}
	groupAddPanels512(&gW[0], &m[0], T, n8, in, &js[0], &off[0], &steps[0], len(js))
	return n8
}

// groupAddAVX adds the grouped rows of m into rows of gW (see
// kernels_amd64.s).
//
//go:noescape
func groupAddAVX(gW *float32, m *float32, stride int, n int, js *int32, off *int32, steps *int32, nact int)

// groupAdd512 is groupAddAVX sixteen lanes at a time (see
// kernels512_amd64.s).
//
//go:noescape
func groupAdd512(gW *float32, m *float32, stride int, n int, js *int32, off *int32, steps *int32, nact int)

// groupAddFast reports whether groupAdd has its kernel here; without it
// the summed update adds one input's rows at a time (sumRows, axpy).
var groupAddFast = hasAVX

// groupAdd is groupAddGo with the AVX kernel for the columns it can take
// (multiples of 8); it gives the same numbers, bit for bit.
func groupAdd(gW, m []float32, stride int, js, off, steps []int32) {
	n8 := stride &^ 7
	if !hasAVX || n8 == 0 || len(js) == 0 {
		groupAddGo(gW, stride, m, stride, stride, js, off, steps)
		return
	}
	_ = off[len(js)]
	for _, j := range js {
		_ = gW[(int(j)+1)*stride-1] // every row inside gW
	}
	for _, t := range steps[off[0]:off[len(js)]] {
		_ = m[(int(t)+1)*stride-1] // every row inside m
	}
	if hasAVX512 {
		groupAdd512(&gW[0], &m[0], stride, n8, &js[0], &off[0], &steps[0], len(js))
	} else {
		groupAddAVX(&gW[0], &m[0], stride, n8, &js[0], &off[0], &steps[0], len(js))
	}
	groupAddGo(gW[n8:], stride, m[n8:], stride, stride-n8, js, off, steps)
}

// ones are the scales of rows added without one (spikes); rowsPiece is how
// many rows one call of addRowsAVX takes.
const rowsPiece = 1024

var ones = func() (o [rowsPiece]float32) {
	for i := range o {
		o[i] = 1
	}
	return
}()

// sumRows sets y[e] += a[k]·w[idx[k]·stride + e] for every k, in order,
// and e < len(y) (a nil: every a[k] = 1): the same numbers as one axpy per
// row, with y kept in registers across the rows.
func sumRows(y, w []float32, stride int, idx []int32, a []float32) {
	if len(y) == 0 || len(idx) == 0 {
		return
	}
	if !hasAVX {
		sumRowsGo(y, w, stride, idx, a)
		return
	}
	for _, j := range idx {
		_ = w[int(j)*stride+len(y)-1] // every row inside w
	}
	n8 := len(y) &^ 7
	n512 := 0 // elements done by addRows512: unscaled rows only
	if hasAVX512 && a == nil {
		n512 = n8
	}
	for lo := 0; lo < len(idx); lo += rowsPiece {
		hi := min(lo+rowsPiece, len(idx))
		scale := &ones[0]
		if a != nil {
			scale = &a[lo]
		}
		if n512 > 0 {
			addRows512(&y[0], n512, &w[0], stride, &idx[lo], hi-lo)
		}
		if n8 > n512 {
			addRowsAVX(&y[n512], n8-n512, &w[n512], stride, &idx[lo], scale, hi-lo)
		}
		var as []float32
		if a != nil {
			as = a[lo:hi]
		}
		sumRowsGo(y[n8:], w[n8:], stride, idx[lo:hi], as)
	}
}

// spikeVector writes the spike flags s of a layer as 0/1 floats into dst,
// eight at a time (see kernels_amd64.s).
//
//go:noescape
func spikeVector(dst *float32, s *bool, n int)

// spikesDense sets dst[j] = 1 where s[j] and 0 elsewhere: the dense input
// of a narrow layer straight from the flags of the LIF layer below, the
// same vector scatter would build from its spike list.
func spikesDense(dst []float32, s []bool) {
	dst = dst[:len(s)]
	done := 0
	if hasAVX2 && len(s) >= 8 {
		done = len(s) &^ 7
		spikeVector(&dst[0], &s[0], done)
	}
	for j := done; j < len(s); j++ {
		dst[j] = b2f(s[j])
	}
}
