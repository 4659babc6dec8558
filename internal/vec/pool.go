package vec

import "fmt"

// MaxPool2 sets p[r·pw + j] to the maximum of the 2×2 window at rows 2r,
// 2r+1 and columns 2j, 2j+1 of y, a map of rows of w floats (w ≥ 2·pw),
// for r < rows and j < pw: max-pooling with stride 2 (a last odd row or
// column of y is not read). The maximum is Go's max builtin's, bit for
// bit, for every input but NaN (the kernels may then return another
// window value). It runs on the calling goroutine and panics if a slice is
// too short.
func MaxPool2(p, y []float32, rows, pw, w int) {
	checkPool("MaxPool2", rows, pw, w, len(y), len(p))
	if rows == 0 || pw == 0 {
		return
	}
	if !maxPoolArch(p, y, rows, pw, w) {
		maxPoolGo(p, y, rows, pw, w)
	}
}

// Unpool2 is the adjoint of MaxPool2: it sets the 2·rows × 2·pw corner of
// d, laid out as y, to zero except at the first maximum of each window of
// y (row-major order within the window, as PyTorch's CPU kernel breaks
// ties), which receives g[r·pw + j], times f[r·pw + j] when f is not nil.
// Columns from 2·pw on are not written. For every y without NaN it gives
// the same bits on every instruction set. It runs on the calling goroutine
// and panics if a slice is too short.
func Unpool2(d, y, g, f []float32, rows, pw, w int) {
	checkPool("Unpool2", rows, pw, w, len(y), len(g))
	checkPool("Unpool2", rows, pw, w, len(d), len(g))
	if f != nil {
		checkPool("Unpool2", rows, pw, w, len(y), len(f))
	}
	if rows == 0 || pw == 0 {
		return
	}
	if !unpoolArch(d, y, g, f, rows, pw, w) {
		unpoolGo(d, y, g, f, rows, pw, w)
	}
}

// checkPool panics unless a map of ny floats holds 2·rows rows of w ≥ 2·pw
// and a pooled map of np floats holds rows × pw.
func checkPool(name string, rows, pw, w, ny, np int) {
	if rows < 0 || pw < 0 || w < 2*pw {
		panic(fmt.Sprintf("vec: %s: %d rows of %d windows in rows of %d", name, rows, pw, w))
	}
	if rows > 0 && pw > 0 && (ny < (2*rows-1)*w+2*pw || np < rows*pw) {
		panic(fmt.Sprintf("vec: %s: %d and %d floats for %d rows of %d windows in rows of %d", name, ny, np, rows, pw, w))
	}
}

// poolMasks returns the full 16-window chunks of a row of pw windows and
// the masks of the ragged last chunk, packed as the pooling kernels read
// them: bits 0–15 its windows, 16–31 and 32–47 the lanes of its two input
// vectors (2·(pw mod 16) floats).
func poolMasks(pw int) (full int, masks uint64) {
	t := pw % 16
	lo, hi := min(16, 2*t), max(0, 2*t-16)
	return pw / 16, (1<<t - 1) | (1<<lo-1)<<16 | (1<<hi-1)<<32
}

// maxPoolGo is MaxPool2 in Go. (The max builtin compiles without branches:
// five times faster than comparisons on random data.)
func maxPoolGo(p, y []float32, rows, pw, w int) {
	for r := 0; r < rows; r++ {
		o := p[r*pw : (r+1)*pw]
		r0 := y[2*r*w : 2*r*w+2*pw]
		r1 := y[(2*r+1)*w : (2*r+1)*w+2*pw]
		for j := range o {
			o[j] = max(r0[2*j], r0[2*j+1], r1[2*j], r1[2*j+1])
		}
	}
}

// unpoolGo is Unpool2 in Go. It writes every element of the window rows
// once, selecting the window's maximum without branches.
func unpoolGo(d, y, g, f []float32, rows, pw, w int) {
	for r := 0; r < rows; r++ {
		gr := g[r*pw : (r+1)*pw]
		var fr []float32
		if f != nil {
			fr = f[r*pw : (r+1)*pw]
		}
		r0 := y[2*r*w : 2*r*w+2*pw]
		r1 := y[(2*r+1)*w : (2*r+1)*w+2*pw]
		d0 := d[2*r*w : 2*r*w+2*pw]
		d1 := d[(2*r+1)*w : (2*r+1)*w+2*pw]
		for j, v := range gr {
			a, b := r0[2*j], r0[2*j+1]
			e, ff := r1[2*j], r1[2*j+1]
			// The first maximum of each row, then of the two rows.
			top := b2i(b > a)
			bottom := 2 + b2i(ff > e)
			sel := b2i(max(e, ff) > max(a, b))
			idx := top + sel*(bottom-top)
			d0[2*j], d0[2*j+1], d1[2*j], d1[2*j+1] = 0, 0, 0, 0
			if fr != nil {
				v *= fr[j]
			}
			d[2*r*w+2*j+idx&1+idx>>1*w] = v
		}
	}
}

// b2i is 1 for true and 0 for false (compiled to a flag move, no branch).
func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
