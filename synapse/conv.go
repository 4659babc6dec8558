package synapse

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sync"

	"drtp/internal/gemm"
	"drtp/internal/parallel"
	"drtp/internal/vec"
)

// Conv is a 2-D convolution with biases (eqs. S4–S7), PyTorch's Conv2d with
// square kernels, one stride and one zero padding for both axes.
//
// Layouts (row-major, n samples):
//
//	x    n × InC × InH × InW        inputs, NCHW as PyTorch
//	col  InC·K·K × n·OutH·OutW      im2col: row (ci·K + ky)·K + kx, column
//	                                 (s·OutH + oy)·OutW + ox
//	z    OutC × n·OutH·OutW         outputs, channel-major over the batch
//	                                 ("CNHW"), so that one product covers the
//	                                 whole batch
//	W    OutC × InC·K·K             PyTorch's [OutC, InC, K, K] flattened
//
// OutH = ⌊(InH + 2·Pad − K)/Stride⌋ + 1, likewise OutW (eq. S4).
type Conv struct {
	InC, InH, InW    int // input channels, height and width (pixels)
	OutC             int // output channels (kernels)
	K, Stride, Pad   int // kernel side, stride and zero padding (pixels)
	OutH, OutW       int // output height and width (pixels), eq. S4
	W                []float32
	B                []float32 // OutC biases
	colRows, outArea int       // InC·K·K and OutH·OutW
}

// ConvOutSize is the output side ⌊(in + 2·pad − k)/stride⌋ + 1 of a
// convolution (eq. S4), or 0 when the kernel does not fit in the padded
// input.
func ConvOutSize(in, k, stride, pad int) int {
	if stride < 1 || in+2*pad < k {
		return 0
	}
	return (in+2*pad-k)/stride + 1
}

// NewConv returns a zero Conv synapse of the given shape. It panics when the
// shape is impossible (a programmer error: check with ConvOutSize first).
func NewConv(inC, inH, inW, outC, k, stride, pad int) *Conv {
	oh, ow := ConvOutSize(inH, k, stride, pad), ConvOutSize(inW, k, stride, pad)
	if inC < 1 || outC < 1 || k < 1 || pad < 0 || oh < 1 || ow < 1 {
		panic(fmt.Sprintf("synapse: NewConv: impossible shape %d×%d×%d in, %d out, kernel %d, stride %d, pad %d", inC, inH, inW, outC, k, stride, pad))
	}
	c := &Conv{InC: inC, InH: inH, InW: inW, OutC: outC, K: k, Stride: stride, Pad: pad, OutH: oh, OutW: ow}
	c.colRows, c.outArea = inC*k*k, oh*ow
	c.W = make([]float32, outC*c.colRows)
	c.B = make([]float32, outC)
	return c
}

// FanIn is InC·K·K, the inputs of one output value.
func (c *Conv) FanIn() int { return c.colRows }

// InSize is InC·InH·InW, the values of one input sample.
func (c *Conv) InSize() int { return c.InC * c.InH * c.InW }

// OutSize is OutC·OutH·OutW, the values of one output sample.
func (c *Conv) OutSize() int { return c.OutC * c.outArea }

// ColSize is the length of the im2col buffer for n samples:
// InC·K·K · n·OutH·OutW.
func (c *Conv) ColSize(n int) int { return c.colRows * n * c.outArea }

// Initialize draws c's weights and biases with the given scheme, as Dense's
// Initialize with fan_in = InC·K·K: InitDefault is PyTorch's Conv2d default
// (kaiming_uniform_ with a = √5, that is ±1/√fan_in; biases ±1/√fan_in).
func (c *Conv) Initialize(scheme Init, rng *rand.Rand) {
	fanIn := float64(c.colRows)
	switch scheme {
	case InitHe:
		Uniform(c.W, math.Sqrt(6/fanIn), rng)
	case InitZero:
		clear(c.W)
	default:
		Uniform(c.W, 1/math.Sqrt(fanIn), rng)
	}
	Uniform(c.B, 1/math.Sqrt(fanIn), rng)
}

func (c *Conv) check(name, what string, got, need int) {
	if got < need {
		panic(fmt.Sprintf("synapse: Conv.%s: %s of %d values, need %d", name, what, got, need))
	}
}

// Im2Col writes into col (InC·K·K × n·OutH·OutW) the input patches of x
// (n × InC × InH × InW): col[(ci·K+ky)·K+kx][(s·OutH+oy)·OutW+ox] =
// x[s][ci][oy·Stride+ky−Pad][ox·Stride+kx−Pad], 0 in the padding (eq. S5).
func (c *Conv) Im2Col(col, x []float32, n int) {
	c.check("Im2Col", "col", len(col), c.ColSize(n))
	c.check("Im2Col", "x", len(x), n*c.InSize())
	t := convTasks.Get().(*convTask)
	*t = convTask{c: c, op: opIm2Col, a: col, b: x, n: n}
	c.run(t, c.colRows, len(col))
}

// im2colRows fills the rows [r0, r1) of col (see Im2Col).
func (c *Conv) im2colRows(col, x []float32, n, r0, r1 int) {
	np := n * c.outArea
	inArea := c.InH * c.InW
	for r := r0; r < r1; r++ {
		ci, ky, kx := r/(c.K*c.K), r/c.K%c.K, r%c.K
		row := col[r*np : (r+1)*np]
		// Output columns ox whose input column ix = ox·S+kx−P is inside
		// the image: [lo, hi).
		lo, hi := c.validRange(kx, c.InW, c.OutW)
		for s := 0; s < n; s++ {
			plane := x[(s*c.InC+ci)*inArea : (s*c.InC+ci+1)*inArea]
			for oy := 0; oy < c.OutH; oy++ {
				dst := row[(s*c.OutH+oy)*c.OutW : (s*c.OutH+oy+1)*c.OutW]
				iy := oy*c.Stride + ky - c.Pad
				if iy < 0 || iy >= c.InH || lo >= hi {
					clear(dst)
					continue
				}
				src := plane[iy*c.InW : (iy+1)*c.InW]
				clear(dst[:lo])
				if c.Stride == 1 {
					copy(dst[lo:hi], src[lo+kx-c.Pad:])
				} else {
					ix := lo*c.Stride + kx - c.Pad
					for ox := lo; ox < hi; ox++ {
						dst[ox] = src[ix]
						ix += c.Stride
					}
				}
				clear(dst[hi:])
			}
		}
	}
}

// convTask is one of Conv's row loops, split across cores by
// parallel.Range; pooled so that a parallel call allocates nothing.
type convTask struct {
	c    *Conv
	op   int
	a, b []float32
	n    int
}

const (
	opIm2Col   = iota // rows of col (a) from x (b)
	opBias            // a[o] += B[o], rows of z (a)
	opBiasGrad        // b[o] = Σ a[o], rows of dz (a) into gB (b)
)

var convTasks = sync.Pool{New: func() any { return new(convTask) }}

// Do runs the rows [lo, hi) of the task's loop.
func (t *convTask) Do(lo, hi int) {
	c, np := t.c, t.n*t.c.outArea
	switch t.op {
	case opIm2Col:
		c.im2colRows(t.a, t.b, t.n, lo, hi)
	case opBias:
		for o := lo; o < hi; o++ {
			vec.AddConst(t.a[o*np:(o+1)*np], c.B[o])
		}
	case opBiasGrad:
		for o := lo; o < hi; o++ {
			t.b[o] = sum(t.a[o*np : (o+1)*np])
		}
	}
}

// sum returns Σ x. Eight running sums, added pairwise at the end, let the
// core overlap eight additions instead of waiting on one chain: four to
// five times faster than a single accumulator on the long rows of dz.
func sum(x []float32) float32 {
	var s [8]float32
	i := 0
	for ; i+8 <= len(x); i += 8 {
		v := x[i : i+8 : i+8]
		s[0] += v[0]
		s[1] += v[1]
		s[2] += v[2]
		s[3] += v[3]
		s[4] += v[4]
		s[5] += v[5]
		s[6] += v[6]
		s[7] += v[7]
	}
	for j, v := range x[i:] {
		s[j] += v
	}
	return ((s[0] + s[4]) + (s[1] + s[5])) + ((s[2] + s[6]) + (s[3] + s[7]))
}

// convSplitMin is the fewest floats a row loop must touch before it is
// split across cores: below it the other core starts too late to help.
const convSplitMin = 1 << 16

// run runs t over rows [0, rows) touching size floats, on every core when
// the loop is large enough, and returns t to its pool.
func (c *Conv) run(t *convTask, rows, size int) {
	if size < convSplitMin {
		t.Do(0, rows)
	} else {
		parallel.Range(rows, t)
	}
	*t = convTask{}
	convTasks.Put(t)
}

// validRange returns the output positions [lo, hi) along one axis of size
// out whose input position o·Stride + k − Pad lies in [0, in).
func (c *Conv) validRange(k, in, out int) (lo, hi int) {
	// o·S + k − P ≥ 0  ⇔  o ≥ ⌈(P − k)/S⌉
	if d := c.Pad - k; d > 0 {
		lo = (d + c.Stride - 1) / c.Stride
	}
	// o·S + k − P ≤ in − 1  ⇔  o ≤ ⌊(in − 1 − k + P)/S⌋
	if d := in - 1 - k + c.Pad; d >= 0 {
		hi = min(out, d/c.Stride+1)
	}
	return min(lo, hi), hi
}

// Col2Im adds each value of dcol (InC·K·K × n·OutH·OutW) to the input
// position it was copied from by Im2Col, into dx (n × InC × InH × InW),
// which it first clears (the adjoint of Im2Col, eq. S7).
func (c *Conv) Col2Im(dx, dcol []float32, n int) {
	c.check("Col2Im", "dcol", len(dcol), c.ColSize(n))
	c.check("Col2Im", "dx", len(dx), n*c.InSize())
	clear(dx[:n*c.InSize()])
	np := n * c.outArea
	inArea := c.InH * c.InW
	r := 0
	for ci := 0; ci < c.InC; ci++ {
		for ky := 0; ky < c.K; ky++ {
			for kx := 0; kx < c.K; kx++ {
				row := dcol[r*np : (r+1)*np]
				r++
				lo, hi := c.validRange(kx, c.InW, c.OutW)
				if lo >= hi {
					continue
				}
				for s := 0; s < n; s++ {
					plane := dx[(s*c.InC+ci)*inArea : (s*c.InC+ci+1)*inArea]
					for oy := 0; oy < c.OutH; oy++ {
						iy := oy*c.Stride + ky - c.Pad
						if iy < 0 || iy >= c.InH {
							continue
						}
						src := row[(s*c.OutH+oy)*c.OutW : (s*c.OutH+oy+1)*c.OutW]
						dst := plane[iy*c.InW : (iy+1)*c.InW]
						ix := lo*c.Stride + kx - c.Pad
						for ox := lo; ox < hi; ox++ {
							dst[ix] += src[ox]
							ix += c.Stride
						}
					}
				}
			}
		}
	}
}

// Forward sets z (OutC × n·OutH·OutW) = W · col + b, after filling col with
// the patches of x (eq. S5). col is kept for Grad.
func (c *Conv) Forward(z, x, col []float32, n int) {
	c.check("Forward", "z", len(z), n*c.OutSize())
	c.Im2Col(col, x, n)
	np := n * c.outArea
	gemm.MulAB(z, c.W, col, c.OutC, np, c.colRows)
	t := convTasks.Get().(*convTask)
	*t = convTask{c: c, op: opBias, a: z, n: n}
	c.run(t, c.OutC, c.OutC*np)
}

// Grad sets gW = dz · colᵀ and gB = Σ dz over the batch and positions
// (eq. S6), for dz shaped as z and col as Forward left it.
func (c *Conv) Grad(gW, gB, dz, col []float32, n int) {
	c.check("Grad", "gW", len(gW), len(c.W))
	c.check("Grad", "gB", len(gB), c.OutC)
	c.check("Grad", "dz", len(dz), n*c.OutSize())
	c.check("Grad", "col", len(col), c.ColSize(n))
	np := n * c.outArea
	gemm.MulABT(gW, dz, col, c.OutC, c.colRows, np)
	t := convTasks.Get().(*convTask)
	*t = convTask{c: c, op: opBiasGrad, a: dz, b: gB, n: n}
	c.run(t, c.OutC, c.OutC*np)
}

// Backward sets dx (n × InC × InH × InW) to the error carried back from dz
// (shaped as z) through the kernels w (OutC × InC·K·K): w = W is
// backpropagation, a fixed random kernel of the same shape is feedback
// alignment. dcol (ColSize(n) values) is scratch (eq. S7).
func (c *Conv) Backward(dx, dz, w, dcol []float32, n int) {
	c.check("Backward", "w", len(w), len(c.W))
	c.check("Backward", "dz", len(dz), n*c.OutSize())
	c.check("Backward", "dcol", len(dcol), c.ColSize(n))
	np := n * c.outArea
	gemm.MulATB(dcol, w, dz, c.colRows, np, c.OutC)
	c.Col2Im(dx, dcol, n)
}
