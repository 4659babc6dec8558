package gemm

import "sync"

// Compact is a matrix x[rows×n] with many columns that are zero in every
// row (a column is one pixel over a batch of MNIST images), made ready
// once for the sparse products that read it: a layer's forward product
// (MulABTCompact) and its weight gradient (MulATBRowsCompact) skip the
// same blank columns, and the first of them to run finds them and copies
// out the others for both.
type Compact struct {
	x              []float32
	rows, n        int
	marked, packed bool
	c              cols
	kept           []float32 // the kept columns of x, rows × c.kept, and colPad floats of room
}

// Set makes s stand for x[rows×n], which must not change while s is in
// use. The columns are found by the first product that needs them.
func (s *Compact) Set(x []float32, rows, n int) {
	s.x, s.rows, s.n, s.marked, s.packed = x, rows, n, false, false
}

// Holds reports whether s stands for x[rows×·], set by Set on the same
// slice, so that a second product of the same batch reuses its columns.
func (s *Compact) Holds(x []float32, rows int) bool {
	return s.rows == rows && len(s.x) == len(x) && len(x) > 0 && &s.x[0] == &x[0]
}

// cols returns the columns of x to keep, finding them on the first call
// after Set.
func (s *Compact) cols(ks *kernelSet) *cols {
	if !s.marked {
		s.c.mark(ks, s.x, s.rows, s.n)
		s.marked = true
	}
	return &s.c
}

// compacted returns the kept columns of x (rows × kept, and colPad floats
// of room), copying them out on the first call after Set.
func (s *Compact) compacted(ks *kernelSet) []float32 {
	c := s.cols(ks)
	if !s.packed {
		need := s.rows*c.kept + colPad
		if cap(s.kept) < need {
			s.kept = make([]float32, need)
		}
		s.kept = s.kept[:need]
		c.compress(ks, s.kept, s.x, s.rows)
		s.packed = true
	}
	return s.kept
}

var compactPool = sync.Pool{New: func() any { return new(Compact) }}
