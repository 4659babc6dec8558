package gemm

import "sync"

// Compact is a matrix x[rows×n] with many columns that are zero in every
// row (a column is one pixel over a batch of MNIST images), made ready
// once for the sparse products that read it: a layer's forward product
// (MulABTCompact) and its weight gradient (MulATBRowsCompact) skip the
// same blank columns, and the first of them to run finds them and copies
// out the others for both.
type Compact struct {
	x       []float32
	rows, n int
	ready   bool
	c       cols
	kept    []float32 // the kept columns of x, rows × c.kept, and colPad floats of room
}

// Set makes s stand for x[rows×n], which must not change while s is in
// use. The columns are found by the first product that needs them.
func (s *Compact) Set(x []float32, rows, n int) {
	s.x, s.rows, s.n, s.ready = x, rows, n, false
}

// Holds reports whether s stands for x[rows×·], set by Set on the same
// slice, so that a second product of the same batch reuses its columns.
func (s *Compact) Holds(x []float32, rows int) bool {
	return s.rows == rows && len(s.x) == len(x) && len(x) > 0 && &s.x[0] == &x[0]
}

// cols returns the columns of x to keep, with x's kept columns in s.kept,
// finding them on the first call after Set.
func (s *Compact) cols(ks *kernelSet) *cols {
	if !s.ready {
		s.c.mark(ks, s.x, s.rows, s.n)
		if need := s.rows*s.c.kept + colPad; cap(s.kept) < need {
			s.kept = make([]float32, need)
		}
		s.kept = s.kept[:s.rows*s.c.kept+colPad]
		s.c.compress(ks, s.kept, s.x, s.rows)
		s.ready = true
	}
	return &s.c
}

var compactPool = sync.Pool{New: func() any { return new(Compact) }}
