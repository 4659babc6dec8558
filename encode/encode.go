package encode

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
)

// Events are the inputs active at one time step, in increasing index order:
// Idx[k] is an input index and, for an analog encoder, Val[k] its value
// (the current it injects). Val is nil for spikes, which all carry 1.
// Encoders reuse both slices from step to step.
type Events struct {
	Idx []int32
	Val []float32
}

// Len returns the number of active inputs.
func (e *Events) Len() int { return len(e.Idx) }

// Encoder turns one sample into input events, step by step (eqs. E1–E4).
// Reset starts a sample and Step(t) must then be called with t = 0, 1, …;
// an encoder allocates nothing once its buffers have grown to the input
// size.
type Encoder interface {
	// Reset starts a new sample x, whose values lie in [0, 1] (larger ones
	// are treated as 1, smaller as 0), drawing any randomness from src: a
	// concrete PCG, so that a draw is a direct, inlined call (a rand.Rand
	// over src gives the same numbers, one interface call slower).
	Reset(x []float32, src *rand.PCG)
	// Step sets ev to the inputs active at step t (t = 0 is the first).
	Step(t int, ev *Events)
	// String names the encoder as the command line spells it.
	String() string
}

var (
	_ Encoder = (*Poisson)(nil)
	_ Encoder = (*Latency)(nil)
	_ Encoder = (*Current)(nil)
)

// Poisson is rate coding: at every step, input j spikes independently with
// probability p_j = min(1, x_j · MaxRate · DT / 1000) (eq. E1), a Bernoulli
// process that approaches a Poisson process of rate x_j·MaxRate as DT → 0.
// Inputs with x_j ≤ 0 never spike and cost nothing.
type Poisson struct {
	MaxRate float64 // rate of an input of value 1, Hz
	DT      float64 // step, ms

	src *rand.PCG
	nz  []int32  // inputs with p_j > 0
	thr []uint64 // p_j · 2³², so that a spike is u32 < thr
}

// NewPoisson returns a rate encoder with maximum rate maxRate Hz and steps
// of dt ms.
func NewPoisson(maxRate, dt float64) *Poisson { return &Poisson{MaxRate: maxRate, DT: dt} }

// Reset starts sample x.
func (p *Poisson) Reset(x []float32, src *rand.PCG) {
	p.src = src
	p.nz, p.thr = p.nz[:0], p.thr[:0]
	pmax := p.MaxRate * p.DT / 1000
	for j, v := range x {
		if !(v > 0) {
			continue
		}
		pj := math.Min(1, math.Min(1, float64(v))*pmax)
		if t := uint64(pj * (1 << 32)); t > 0 {
			p.nz = append(p.nz, int32(j))
			p.thr = append(p.thr, t)
		}
	}
}

// Step draws the spikes of step t (eq. E1). Every lit input is written to
// the next free slot and kept only when it spikes: no branch on a draw
// that is unpredictable by design.
func (p *Poisson) Step(t int, ev *Events) {
	ev.Val = nil
	idx := slices.Grow(ev.Idx[:0], len(p.nz))[:len(p.nz)]
	thr := p.thr[:len(p.nz)]
	n := 0
	for k, j := range p.nz {
		idx[n] = j
		n += b2i(p.src.Uint64()>>32 < thr[k])
	}
	ev.Idx = idx[:n]
}

// b2i is 1 for true and 0 for false, without a branch.
func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func (p *Poisson) String() string { return "poisson" }

// Bernoulli appends to dst[:0] the indices j for which a uniform draw falls
// below p[j] (one Bernoulli trial per entry, eq. E1 with p given), and
// returns it. It is the plain-function form of the Poisson encoder, also
// used for target spike trains.
func Bernoulli(dst []int32, p []float32, rng *rand.Rand) []int32 {
	dst = dst[:0]
	for j, pj := range p {
		if pj > 0 && rng.Float32() < pj {
			dst = append(dst, int32(j))
		}
	}
	return dst
}

// Latency is time-to-first-spike coding: each input spikes at most once, the
// brighter the earlier. Inputs with x_j ≤ Threshold never spike. With
// Linear, input j spikes at step
//
//	t_j = round((1 − x_j)(Steps − 1))                                 (E2)
//
// and otherwise at the logarithmic time of an RC circuit charged by x_j,
//
//	t_j = round(τ ln(x_j / (x_j − x_θ)) / DT),   x_θ = Threshold      (E3)
//
// dropping spikes that would fall at or after step Steps.
type Latency struct {
	Steps     int     // T, steps per sample
	DT        float64 // step, ms
	Tau       float64 // τ of the logarithmic code, ms
	Threshold float64 // x_θ, in [0, 1)
	Linear    bool    // eq. E2 instead of E3

	off   []int32 // off[t]:off[t+1] indexes order for step t
	order []int32
	when  []int32 // step of each input, −1 for none
}

// NewLatency returns a latency encoder over steps steps of dt ms; linear
// selects eq. E2, otherwise eq. E3 with time constant tau ms. Inputs at or
// below threshold never spike.
func NewLatency(steps int, dt, tau, threshold float64, linear bool) *Latency {
	return &Latency{Steps: steps, DT: dt, Tau: tau, Threshold: threshold, Linear: linear}
}

// FirstSpike returns the step at which an input of value x spikes
// (eq. E2 or E3), or −1 if it never does within Steps.
func (l *Latency) FirstSpike(x float32) int {
	v := math.Min(1, float64(x))
	if !(v > l.Threshold) {
		return -1
	}
	var t float64
	if l.Linear {
		t = math.Round((1 - v) * float64(l.Steps-1))
	} else {
		t = math.Round(l.Tau * math.Log(v/(v-l.Threshold)) / l.DT)
	}
	if t >= float64(l.Steps) {
		return -1
	}
	return int(t)
}

// Reset computes every input's spike step and sorts them by step (a
// counting sort, so Step costs only its own spikes); src is unused.
func (l *Latency) Reset(x []float32, src *rand.PCG) {
	if l.Steps < 1 {
		panic("encode: Latency.Reset: Steps must be ≥ 1")
	}
	l.off = grow(l.off, l.Steps+1)
	clear(l.off)
	l.when = grow(l.when, len(x))
	n := 0
	for j, v := range x {
		t := l.FirstSpike(v)
		l.when[j] = int32(t)
		if t >= 0 {
			l.off[t+1]++
			n++
		}
	}
	for t := 1; t <= l.Steps; t++ {
		l.off[t] += l.off[t-1]
	}
	l.order = grow(l.order, n)
	next := l.off[:l.Steps] // reuse as write cursors, restored below
	for j, t := range l.when {
		if t >= 0 {
			l.order[next[t]] = int32(j)
			next[t]++
		}
	}
	// next[t] now equals the old off[t+1]: shift back.
	for t := l.Steps; t > 0; t-- {
		l.off[t] = l.off[t-1]
	}
	l.off[0] = 0
}

// Step sets ev to the inputs whose first spike is at step t.
func (l *Latency) Step(t int, ev *Events) {
	ev.Idx, ev.Val = ev.Idx[:0], nil
	if t < 0 || t >= l.Steps {
		return
	}
	ev.Idx = append(ev.Idx, l.order[l.off[t]:l.off[t+1]]...)
}

func (l *Latency) String() string {
	if l.Linear {
		return "latency-linear"
	}
	return "latency"
}

// Current is direct-current coding: at every step input j injects the
// constant current Gain·x_j (eq. E4), an analog event for every input with
// x_j > 0. It is deterministic.
type Current struct {
	Gain float64 // current per unit input per step, membrane units

	idx []int32
	val []float32
}

// NewCurrent returns a direct-current encoder with the given gain.
func NewCurrent(gain float64) *Current { return &Current{Gain: gain} }

// Reset starts sample x; src is unused.
func (c *Current) Reset(x []float32, src *rand.PCG) {
	c.idx, c.val = c.idx[:0], c.val[:0]
	for j, v := range x {
		if v > 0 {
			c.idx = append(c.idx, int32(j))
			c.val = append(c.val, float32(c.Gain*math.Min(1, float64(v))))
		}
	}
}

// Step sets ev to every non-zero input with its current.
func (c *Current) Step(t int, ev *Events) {
	ev.Idx = append(ev.Idx[:0], c.idx...)
	ev.Val = append(ev.Val[:0], c.val...)
}

func (c *Current) String() string { return "current" }

// OneHot sets dst (len(labels) × c, row-major) to the one-hot encoding of
// labels: dst[r·c + labels[r]] = 1 and 0 elsewhere (eq. E5).
func OneHot(dst []float32, labels []int, c int) {
	if len(dst) < len(labels)*c {
		panic(fmt.Sprintf("encode: OneHot: dst of %d for %d labels × %d classes", len(dst), len(labels), c))
	}
	clear(dst[:len(labels)*c])
	for r, l := range labels {
		if l < 0 || l >= c {
			panic(fmt.Sprintf("encode: OneHot: label %d outside [0, %d)", l, c))
		}
		dst[r*c+l] = 1
	}
}

// grow returns s resized to n, reallocating only when its capacity is short.
func grow[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}
