package gemm

import (
	"math"
	"unsafe"
)

// cols describes which columns of rows of n floats MulATBRowsSparse
// keeps (those with a non-zero value in some row), both as runs of
// consecutive columns, for the Go loops, and as one word per chunk of 16
// columns, for the kernels: the chunk's mask of kept columns in the low
// 16 bits and the number of kept columns before it in the high 32.
type cols struct {
	n, kept int
	runs    []colRun
	chunks  []uint64
	acc     []uint32 // OR of the magnitude bits of each column
}

// colRun is a run of n consecutive kept columns: from in the compacted
// rows, to in the full ones.
type colRun struct{ from, to, n int32 }

// colPad is how many floats past the end of a buffer the column kernels
// may read (expand) or write (compress).
const colPad = 16

// mark sets c to the columns of b[k×n] that hold a non-zero value (−0
// counts as zero).
func (c *cols) mark(ks *kernelSet, b []float32, k, n int) {
	c.n, c.kept, c.runs = n, 0, c.runs[:0]
	if cap(c.acc) < n {
		c.acc = make([]uint32, n)
	}
	acc := c.acc[:n]
	clear(acc)
	if ks.orRows != nil && k > 0 && n > 0 {
		_ = b[k*n-1]
		ks.orRows(unsafe.Pointer(&acc[0]), unsafe.Pointer(&b[0]), k, (n+15)/16, 4*n, c.tail())
	} else {
		// Without a branch: which pixels are blank is a coin toss per
		// element for the branch predictor.
		for p := 0; p < k; p++ {
			row := b[p*n : (p+1)*n]
			acc := acc[:len(row)]
			for j, x := range row {
				acc[j] |= math.Float32bits(x)
			}
		}
	}
	nc := (n + 15) / 16
	if cap(c.chunks) < nc {
		c.chunks = make([]uint64, nc)
	}
	c.chunks = c.chunks[:nc]
	for ch := range c.chunks {
		var mask uint64
		before := c.kept
		for j := 16 * ch; j < min(n, 16*ch+16); j++ {
			if acc[j]&^(1<<31) == 0 {
				continue
			}
			mask |= 1 << (j - 16*ch)
			if rs := c.runs; len(rs) > 0 && int(rs[len(rs)-1].to+rs[len(rs)-1].n) == j {
				c.runs[len(rs)-1].n++
			} else {
				c.runs = append(rs, colRun{from: int32(c.kept), to: int32(j), n: 1})
			}
			c.kept++
		}
		c.chunks[ch] = mask | uint64(before)<<32
	}
}

// tail is the mask of the last chunk's columns.
func (c *cols) tail() uint64 {
	if t := c.n % 16; t != 0 {
		return 1<<t - 1
	}
	return 1<<16 - 1
}

// compress sets rows of dst (the kept columns, kept apart; colPad floats
// of room past the last) from rows of src (n apart).
func (c *cols) compress(ks *kernelSet, dst, src []float32, rows int) {
	if rows == 0 || c.kept == 0 {
		return
	}
	_ = dst[rows*c.kept+colPad-1]
	_ = src[rows*c.n-1]
	if ks.compress != nil {
		ks.compress(unsafe.Pointer(&dst[0]), unsafe.Pointer(&src[0]), &c.chunks[0], rows, len(c.chunks), 4*c.kept, 4*c.n, c.tail())
		return
	}
	for p := 0; p < rows; p++ {
		d, s := dst[p*c.kept:(p+1)*c.kept], src[p*c.n:(p+1)*c.n]
		for _, r := range c.runs {
			copy(d[r.from:r.from+r.n], s[r.to:r.to+r.n])
		}
	}
}

// expand sets rows of dst (n apart) from the compacted rows of src (kept
// apart; colPad floats of room past the last), zero in the columns not
// kept.
func (c *cols) expand(ks *kernelSet, dst, src []float32, rows int) {
	if rows == 0 {
		return
	}
	_ = dst[rows*c.n-1]
	_ = src[rows*c.kept+colPad-1]
	if ks.expand != nil {
		ks.expand(unsafe.Pointer(&dst[0]), unsafe.Pointer(&src[0]), &c.chunks[0], rows, len(c.chunks), 4*c.n, 4*c.kept, c.tail())
		return
	}
	for i := 0; i < rows; i++ {
		d, s := dst[i*c.n:(i+1)*c.n], src[i*c.kept:(i+1)*c.kept]
		end := 0
		for _, r := range c.runs {
			clear(d[end:r.to])
			end = int(r.to + r.n)
			copy(d[r.to:end], s[r.from:r.from+r.n])
		}
		clear(d[end:])
	}
}
