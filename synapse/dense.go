package synapse

import (
	"fmt"

	"drtp/internal/gemm"
	"drtp/internal/vec"
)

// Dense is a fully-connected synapse matrix with biases: z = W y + b
// (eq. S1). W is Out × In, row-major: row i holds the weights onto
// post-synaptic neuron i.
type Dense struct {
	In, Out int
	W       []float32 // Out × In weights
	B       []float32 // Out biases
	// SparseInput says the inputs are often exactly zero (raw pixels), so
	// Forward and GradStep skip the input columns that are zero across the
	// batch. Forward keeps the columns it found for the update that
	// follows: the next GradStep of the same x reuses them, so x must not
	// change in between (as a framework keeps a layer's input for its
	// backward pass).
	SparseInput bool

	in   gemm.Compact // the sparse input batch of the last Forward, until GradStep uses it
	step pieceStep    // GradStep's hand-off to the optimiser, kept so that it allocates nothing
}

// NewDense returns a zero Dense synapse of the given shape.
func NewDense(in, out int) *Dense {
	return &Dense{In: in, Out: out, W: make([]float32, in*out), B: make([]float32, out)}
}

func (d *Dense) check(name string, rows int, lens ...int) {
	for _, l := range lens {
		if l < rows {
			panic(fmt.Sprintf("synapse: Dense.%s: buffer of %d, need %d", name, l, rows))
		}
	}
}

// Forward sets z[n×Out] = x[n×In] Wᵀ + b for a batch of n samples (eq. S1).
// With SparseInput it records the batch's blank columns for GradStep, so
// Forward calls on one Dense must not overlap.
func (d *Dense) Forward(z, x []float32, n int) {
	d.check("Forward", n*d.Out, len(z))
	d.check("Forward", n*d.In, len(x))
	if d.SparseInput {
		d.in.Set(x[:n*d.In], n, d.In)
		gemm.MulABTCompact(z, &d.in, d.W, d.Out)
	} else {
		gemm.MulABT(z, x, d.W, n, d.Out, d.In)
	}
	for r := 0; r < n; r++ {
		vec.Add(z[r*d.Out:(r+1)*d.Out], d.B)
	}
}

// Backward sets dx[n×In] = dz[n×Out] W: the error carried back through the
// forward weights (weight transport, eq. S3).
func (d *Dense) Backward(dx, dz []float32, n int) {
	d.check("Backward", n*d.In, len(dx))
	d.check("Backward", n*d.Out, len(dz))
	gemm.MulAB(dx, dz, d.W, n, d.In, d.Out)
}

// Grad sets gW = dzᵀ x (summed over the batch) and gB = Σ_n dz: the
// outer-product update of eq. S2 before the optimiser.
func (d *Dense) Grad(gW, gB, dz, x []float32, n int) {
	d.check("Grad", d.In*d.Out, len(gW))
	d.check("Grad", d.Out, len(gB))
	gemm.MulATB(gW, dz, x, d.Out, d.In, n)
	d.gradB(gB, dz, n)
}

// GradStep is Grad followed by opt.Step(W, ∇W), fused: each strip of rows
// of ∇W = dzᵀ x goes to the optimiser as soon as the product has finished
// it, while it is still in cache, and ∇W itself is never stored (for the
// 1000 × 6272 layer of the CONV network that saves writing 25 MB to memory
// and reading it back at every step). W and opt end as after the two
// calls, bit for bit; gB is set as by Grad and the biases' step is left to
// the caller.
func (d *Dense) GradStep(gB, dz, x []float32, n int, opt PieceOptimizer) {
	d.check("GradStep", d.Out, len(gB))
	d.check("GradStep", n*d.Out, len(dz))
	d.check("GradStep", n*d.In, len(x))
	opt.Begin(len(d.W))
	d.step = pieceStep{opt: opt, w: d.W, in: d.In}
	if d.SparseInput {
		x = x[:n*d.In]
		if !d.in.Holds(x, n) {
			d.in.Set(x, n, d.In)
		}
		gemm.MulATBRowsCompact(dz, &d.in, d.Out, &d.step)
		d.in.Set(nil, 0, 0)
	} else {
		gemm.MulATBRows(dz, x, d.Out, d.In, n, &d.step)
	}
	d.step = pieceStep{}
	d.gradB(gB, dz, n)
}

// pieceStep hands rows of ∇W to an optimiser as pieces of W.
type pieceStep struct {
	opt PieceOptimizer
	w   []float32 // Out × In weights
	in  int
}

func (s *pieceStep) Rows(i0, i1 int, g []float32) {
	s.opt.StepPiece(s.w[i0*s.in:i1*s.in], g, i0*s.in)
}

// gradB sets gB = Σ_n dz.
func (d *Dense) gradB(gB, dz []float32, n int) {
	clear(gB)
	for r := 0; r < n; r++ {
		vec.Add(gB, dz[r*d.Out:(r+1)*d.Out])
	}
}
