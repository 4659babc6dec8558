package network

import (
	"sync"

	"drtp/internal/parallel"
)

// Max-pooling of CONV outputs: 2×2 windows, stride 2, floor mode (an odd
// last row or column is dropped), as PyTorch's MaxPool2d(2, 2) (eq. N4).
// The CONV output y is in the channel-major batch layout of synapse.Conv
// (c × n × h × w, "CNHW"); the pooled map is written sample-major
// (n × c × h/2 × w/2, NCHW), which is PyTorch's flattening order for the
// FC layer that follows and the input layout of a following CONV layer.

// maxPool sets p (n × c × ⌊h/2⌋ × ⌊w/2⌋) to the maxima of the 2×2 windows
// of y (c × n × h × w). (The max builtin compiles without branches: five
// times faster than comparisons on random data.)
func maxPool(p, y []float32, c, n, h, w int) {
	poolParallel(&poolTask{p: p, y: y, c: c, n: n, h: h, w: w})
}

// maxPoolChannels is maxPool for the channels [c0, c1).
func maxPoolChannels(p, y []float32, c, n, h, w, c0, c1 int) {
	ph, pw := h/2, w/2
	for ch := c0; ch < c1; ch++ {
		for s := 0; s < n; s++ {
			in := y[(ch*n+s)*h*w : (ch*n+s+1)*h*w]
			out := p[(s*c+ch)*ph*pw : (s*c+ch+1)*ph*pw]
			for py := 0; py < ph; py++ {
				o := out[py*pw : (py+1)*pw]
				r0 := in[2*py*w : 2*py*w+2*len(o)]
				r1 := in[(2*py+1)*w : (2*py+1)*w+2*len(o)]
				for px := range o {
					o[px] = max(r0[2*px], r0[2*px+1], r1[2*px], r1[2*px+1])
				}
			}
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

// unpoolChannels is unpool for the channels [c0, c1). It writes every
// element of dy once, row pair by row pair, rather than clearing dy and
// then scattering into it.
func unpoolChannels(dy, dp, y, scale []float32, c, n, h, w, c0, c1 int) {
	ph, pw := h/2, w/2
	for ch := c0; ch < c1; ch++ {
		for s := 0; s < n; s++ {
			base := (ch*n + s) * h * w
			in := y[base : base+h*w]
			d := dy[base : base+h*w]
			g := dp[(s*c+ch)*ph*pw : (s*c+ch+1)*ph*pw]
			var fs []float32
			if scale != nil {
				fs = scale[(s*c+ch)*ph*pw : (s*c+ch+1)*ph*pw]
			}
			for py := 0; py < ph; py++ {
				gr := g[py*pw : (py+1)*pw]
				var fr []float32
				if fs != nil {
					fr = fs[py*pw : (py+1)*pw]
				}
				r0 := in[2*py*w : 2*py*w+2*len(gr)]
				r1 := in[(2*py+1)*w : (2*py+1)*w+2*len(gr)]
				d0 := d[2*py*w : 2*py*w+2*len(gr)]
				d1 := d[(2*py+1)*w : (2*py+1)*w+2*len(gr)]
				for px, v := range gr {
					a, b := r0[2*px], r0[2*px+1]
					e, f := r1[2*px], r1[2*px+1]
					// The first maximum of each row, then of the two rows,
					// selected without branches.
					top := b2i(b > a)
					bottom := 2 + b2i(f > e)
					sel := b2i(max(e, f) > max(a, b))
					idx := top + sel*(bottom-top)
					d0[2*px], d0[2*px+1], d1[2*px], d1[2*px+1] = 0, 0, 0, 0
					at := 2*py*w + 2*px + (idx & 1) + (idx>>1)*w
					if fr != nil {
						v *= fr[px]
					}
					d[at] = v
				}
				if w%2 == 1 {
					d0, d1 = d[2*py*w:(2*py+1)*w], d[(2*py+1)*w:(2*py+2)*w]
					d0[w-1], d1[w-1] = 0, 0
				}
			}
			if h%2 == 1 {
				clear(d[(h-1)*w:])
			}
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
