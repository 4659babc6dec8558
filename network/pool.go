package network

import (
	"sync"

	"drtp/internal/parallel"
	"drtp/internal/vec"
)

// Max-pooling of CONV outputs: 2×2 windows, stride 2, floor mode (an odd
// last row or column is dropped), as PyTorch's MaxPool2d(2, 2) (eq. N4).
// The CONV output y is in the channel-major batch layout of synapse.Conv
// (c × n × h × w, "CNHW"); the pooled map is written sample-major
// (n × c × h/2 × w/2, NCHW), which is PyTorch's flattening order for the
// FC layer that follows and the input layout of a following CONV layer.

// maxPool sets p (n × c × ⌊h/2⌋ × ⌊w/2⌋) to the maxima of the 2×2 windows
// of y (c × n × h × w).
func maxPool(p, y []float32, c, n, h, w int) {
	poolParallel(&poolTask{p: p, y: y, c: c, n: n, h: h, w: w})
}

// maxPoolChannels is maxPool for the channels [c0, c1), one map at a time
// (vec.MaxPool2).
func maxPoolChannels(p, y []float32, c, n, h, w, c0, c1 int) {
	ph, pw := h/2, w/2
	for ch := c0; ch < c1; ch++ {
		for s := 0; s < n; s++ {
			in := y[(ch*n+s)*h*w : (ch*n+s+1)*h*w]
			vec.MaxPool2(p[(s*c+ch)*ph*pw:(s*c+ch+1)*ph*pw], in, ph, pw, w)
		}
	}
}

// unpool is the adjoint of maxPool, times a factor: it sets dy (c × n × h
// × w) to zero except at the maximum of each window of y, which receives
// the pooled gradient dp (n × c × ⌊h/2⌋ × ⌊w/2⌋) times the factor f at the
// same pooled position (f shaped as dp; nil for 1). With f = f'(z) at each
// window's maximum, it takes the gradient back through the pooling and the
// activation in one pass (eq. M2 for a CONV layer). Ties go to the first
// maximum in row-major window order, as PyTorch's CPU kernel.
func unpool(dy, dp, y, f []float32, c, n, h, w int) {
	poolParallel(&poolTask{unpool: true, p: dp, y: y, f: f, dy: dy, c: c, n: n, h: h, w: w})
}

// unpoolChannels is unpool for the channels [c0, c1), one map at a time
// (vec.Unpool2 writes every element of the windows once, rather than
// clearing dy and then scattering into it), then the odd last column and
// row, which no window covers.
func unpoolChannels(dy, dp, y, scale []float32, c, n, h, w, c0, c1 int) {
	ph, pw := h/2, w/2
	for ch := c0; ch < c1; ch++ {
		for s := 0; s < n; s++ {
			base := (ch*n + s) * h * w
			d := dy[base : base+h*w]
			g := dp[(s*c+ch)*ph*pw : (s*c+ch+1)*ph*pw]
			var fs []float32
			if scale != nil {
				fs = scale[(s*c+ch)*ph*pw : (s*c+ch+1)*ph*pw]
			}
			vec.Unpool2(d, y[base:base+h*w], g, fs, ph, pw, w)
			if w%2 == 1 {
				for r := 0; r < 2*ph; r++ {
					d[r*w+w-1] = 0
				}
			}
			if h%2 == 1 {
				clear(d[(h-1)*w:])
			}
		}
	}
}

// poolTask is maxPool or unpool over a range of channels, for
// parallel.Range.
type poolTask struct {
	unpool      bool
	p, y, f, dy []float32
	c, n, h, w  int
}

// Do pools (or unpools) the channels [lo, hi).
func (t *poolTask) Do(lo, hi int) {
	if t.unpool {
		unpoolChannels(t.dy, t.p, t.y, t.f, t.c, t.n, t.h, t.w, lo, hi)
		return
	}
	maxPoolChannels(t.p, t.y, t.c, t.n, t.h, t.w, lo, hi)
}

// poolSplitMin is the smallest CONV output (floats) pooled on every core.
const poolSplitMin = 1 << 16

var poolTasks = sync.Pool{New: func() any { return new(poolTask) }}

// poolParallel runs the task described by t over every channel, split
// across cores for large maps, through a pooled copy so that nothing is
// allocated.
func poolParallel(t *poolTask) {
	if t.c*t.n*t.h*t.w < poolSplitMin {
		t.Do(0, t.c)
		return
	}
	pt := poolTasks.Get().(*poolTask)
	*pt = *t
	parallel.Range(t.c, pt)
	*pt = poolTask{}
	poolTasks.Put(pt)
}
