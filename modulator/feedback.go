package modulator

import (
	"fmt"
	"math"
	"math/rand/v2"

	"drtp/internal/gemm"
)

// Feedback is a fixed random matrix B (Rows × Cols, row-major), drawn once
// and never trained. For a direct rule Rows = C classes and Cols = n_k, the
// width of hidden layer k; for FA it has the shape of the forward weights.
type Feedback struct {
	Rows, Cols int
	B          []float32
}

// NewFeedback draws a Rows × Cols matrix uniform in ±√(6/Cols), PyTorch's
// kaiming_uniform_ for a tensor of that shape (fan-in = Cols).
func NewFeedback(rows, cols int, rng *rand.Rand) *Feedback {
	f := &Feedback{Rows: rows, Cols: cols, B: make([]float32, rows*cols)}
	bound := math.Sqrt(6 / float64(cols))
	for i := range f.B {
		f.B[i] = float32((2*rng.Float64() - 1) * bound)
	}
	return f
}

// Row returns row r of B (a view): B_kᵀ y* for the one-hot target of class r.
func (f *Feedback) Row(r int) []float32 { return f.B[r*f.Cols : (r+1)*f.Cols] }

// Project sets dst[n×Cols] = s[n×Rows] · B (eqs. M4–M6 for a batch of n).
func (f *Feedback) Project(dst, s []float32, n int) {
	if len(dst) < n*f.Cols || len(s) < n*f.Rows {
		panic(fmt.Sprintf("modulator: Feedback.Project: buffers %d, %d too short for %d×%d", len(dst), len(s), n, f.Cols))
	}
	gemm.MulAB(dst, s, f.B, n, f.Cols, f.Rows)
}

// ProjectLabels sets each row r of dst[n×Cols] to the row of B that label[r]
// selects: y* B for one-hot targets, with no arithmetic at all.
func (f *Feedback) ProjectLabels(dst []float32, labels []int) {
	for r, c := range labels {
		copy(dst[r*f.Cols:(r+1)*f.Cols], f.Row(c))
	}
}
