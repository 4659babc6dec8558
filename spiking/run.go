package spiking

import (
	"math"
	mathbits "math/bits"
	"math/rand/v2"

	"gonum.org/v1/gonum/blas"

	"drtp/encode"
	"drtp/neuron"
	"drtp/synapse"
)

// worker simulates one sample at a time with its own state, so that
// several workers can run samples of a batch in parallel on shared,
// read-only weights. It accumulates gradients and statistics.
type worker struct {
	n      *Net
	enc    encode.Encoder
	ev     encode.Events
	in     []int32 // the input events of the current step (recorders)
	pcg    *rand.PCG
	rng    *rand.Rand
	ls     []*lstate
	target []float32 // y*, one-hot (C)
	e      []float32 // output error e[t] (C), eq. O1/O2
	sig    []float32 // class-space signal s[t] of the rule (C)
	tspk   []float32 // target spikes s*[t] of the spiking dendrite (C)
	counts []float32 // output spikes so far (C)
	vsum   []float32 // Σ_t of the output potentials (C)
	gW, gB [][]float32
	bpW    [][]float32 // surrogate-BP gradient of each hidden layer (angles)
	st     tally
	view   StepView
}

// lstate is a worker's state of one layer.
type lstate struct {
	lif    *neuron.LIFState // V doubles as the readout u of an integrating output
	cur    []float32        // input current i[t] (Out)
	curs   []float32        // first layer: i[t] of every step, T × Out (stepCurrents)
	spikes []int32          // neurons that fired at this step
	psi    []float32        // ψ[t] (Out)
	m      []float32        // m[t] = d[t] ⊙ ψ[t], T × Out (eq. T2), reverse-traced after the sample (eq. T3)
	mbp    []float32        // surrogate-BP δ[t] ⊙ ψ[t], T × Out (angles)
	evIdx  []int32          // the layer's input events, all steps
	evVal  []float32        // their values (analog input only)
	evOff  []int32          // events of step t: evIdx[evOff[t]:evOff[t+1]]
	dense  []float32        // the input as a dense vector (narrow layers, dense steps), T × In: row t for step t
	group  eventGroups      // the input events grouped by input (wide layers)
	dend   *Dendrite        // third factor of a hidden layer
	trace  *synapse.Trace   // pre-synaptic traces (online)
	traceB float32          // trace of the always-on bias input (online)
	count  []float32        // spikes of each neuron so far in the sample (eq. R1; hidden layers, RateReg > 0)
}

// tally accumulates what Stats reports.
type tally struct {
	samples, errors int
	loss            float64
	inSpikes        float64
	spikes          []float64 // per layer
	synEvents       float64
	angleSum        []float64 // per hidden layer
	angleN          []int
}

func (t *tally) reset() {
	spikes, as, an := t.spikes, t.angleSum, t.angleN
	clear(spikes)
	clear(as)
	clear(an)
	*t = tally{spikes: spikes, angleSum: as, angleN: an}
}

func (t *tally) add(o *tally) {
	t.samples += o.samples
	t.errors += o.errors
	t.loss += o.loss
	t.inSpikes += o.inSpikes
	t.synEvents += o.synEvents
	for k := range t.spikes {
		t.spikes[k] += o.spikes[k]
	}
	for k := range t.angleSum {
		t.angleSum[k] += o.angleSum[k]
		t.angleN[k] += o.angleN[k]
	}
}

func newWorker(n *Net) *worker {
	cfg := &n.cfg
	C := n.layers[len(n.layers)-1].out
	T := cfg.Steps
	w := &worker{
		n: n, enc: cfg.enc(),
		pcg:    rand.NewPCG(0, 0),
		target: make([]float32, C), e: make([]float32, C), sig: make([]float32, C),
		tspk: make([]float32, C), counts: make([]float32, C), vsum: make([]float32, C),
	}
	w.rng = rand.New(w.pcg)
	w.ev.Idx = make([]int32, 0, n.inputs)
	w.st.spikes = make([]float64, len(n.layers))
	w.st.angleSum = make([]float64, len(n.layers))
	w.st.angleN = make([]int, len(n.layers))
	alphaD := float32(0)
	if cfg.Dendrite {
		alphaD = float32(math.Exp(-cfg.DT / cfg.TauDend))
	}
	for _, L := range n.layers {
		s := &lstate{
			lif:    neuron.NewLIFState(L.out),
			cur:    make([]float32, L.out),
			spikes: make([]int32, 0, L.out),
			psi:    make([]float32, L.out),
			m:      make([]float32, T*L.out),
			evOff:  make([]int32, T+1),
		}
		if L.narrow {
			s.dense = make([]float32, T*L.in)
		} else if len(w.ls) == 0 {
			s.curs = make([]float32, T*L.out)
		}
		if L.fb != nil {
			s.dend = NewDendrite(L.fb, alphaD)
			s.mbp = make([]float32, T*L.out)
		}
		if cfg.Online {
			s.trace = synapse.NewTrace(L.in, n.alphaX)
		}
		if L.fb != nil && cfg.RateReg > 0 {
			s.count = make([]float32, L.out)
		}
		w.ls = append(w.ls, s)
		w.gW = append(w.gW, make([]float32, len(L.wT)))
		w.gB = append(w.gB, make([]float32, L.out))
		var bp []float32
		if L.fb != nil && cfg.AngleEvery > 0 {
			bp = make([]float32, len(L.wT))
		}
		w.bpW = append(w.bpW, bp)
	}
	w.view.Layers = make([]LayerView, len(n.layers))
	return w
}

// mode says what a run of one sample does besides simulating.
type mode struct {
	learn  bool     // compute the factors of eq. T2 and learn from them
	online bool     // apply eq. T2 at every step (else sum over the sample, eq. T3)
	angle  bool     // also compute the surrogate-BP update of each hidden layer
	rec    Recorder // observer of every step, or nil
	sample int      // sample index given to the recorder
}

// run simulates one sample x with label (used only when learning) for T
// steps: the single time loop of the engine. It returns the predicted
// class. Summed updates are added to w.gW and w.gB; online updates change
// the network's weights during the run.
func (w *worker) run(x []float32, label int, md mode) (int, error) {
	n := w.n
	cfg := &n.cfg
	T, dt := cfg.Steps, cfg.DT
	K := len(n.layers)
	out := w.ls[K-1]
	outL := n.layers[K-1]
	C := outL.out
	rho := float32(cfg.TargetRate * dt / 1000)
	rhoD := float32(cfg.DendRate * dt / 1000)
	softmaxErr := cfg.OutputError == "softmax"

	w.enc.Reset(x, w.pcg)
	for _, s := range w.ls {
		s.lif.Reset()
		s.evIdx, s.evVal = s.evIdx[:0], s.evVal[:0]
		if s.dend != nil {
			s.dend.Reset()
		}
		if s.trace != nil {
			s.trace.Reset()
			s.traceB = 0
		}
	}
	clear(w.counts)
	clear(w.vsum)
	clear(w.target)
	if md.learn {
		w.target[label] = 1
	}
	hidden := md.learn && n.hidden
	angle := md.angle && n.hidden
	ahead, curs := w.inputAhead(md)

	for t := 0; t < T; t++ {
		// Input events of this step (eqs. E1–E4).
		var idx []int32
		var val []float32
		if ahead {
			s0 := w.ls[0]
			lo, hi := s0.evOff[t], s0.evOff[t+1]
			idx = s0.evIdx[lo:hi]
			if len(s0.evVal) > 0 {
				val = s0.evVal[lo:hi]
			}
		} else {
			w.enc.Step(t, &w.ev)
			idx, val = w.ev.Idx, w.ev.Val
		}
		w.in = idx
		w.st.inSpikes += float64(len(idx))

		// Forward: each layer integrates the events of the one below
		// (eqs. N1–N3, N7), one weight row per event.
		for k, L := range n.layers {
			s := w.ls[k]
			cur := s.cur
			switch {
			case k == 0 && curs != nil:
				cur = curs[t*L.out : (t+1)*L.out] // computed for every step at once
			case L.narrow && len(idx) >= denseMin(L):
				// The dense input of step t, kept for the summed update.
				x := s.dense[t*L.in : (t+1)*L.in]
				copy(cur, L.b)
				if below := k - 1; below >= 0 && !n.layers[below].integ && val == nil {
					spikesDense(x, w.ls[below].lif.S) // the events are these flags
				} else {
					scatter(x, idx, val)
				}
				if val == nil { // x holds zeros and ones
					addDotsSpikes(cur, L.w, x, L.in)
				} else {
					addDots(cur, L.w, x, L.in)
				}
			default:
				// The event-driven pass: one weight row per input event.
				if L.panels { // New puts a layer in panels only where inputAhead computes its currents
					panic("spiking: a layer in column panels on the row-major path")
				}
				copy(cur, L.b)
				sumRows(cur[:L.out], L.wT, L.out, idx, val)
			}
			w.st.synEvents += float64(len(idx) * L.out)
			if md.learn && !md.online && !(k == 0 && ahead) {
				s.evOff[t] = int32(len(s.evIdx))
				s.evIdx = append(s.evIdx, idx...)
				if val != nil {
					s.evVal = append(s.evVal, val...)
				}
			}
			if s.trace != nil && md.learn {
				s.trace.Step(idx, val)
				s.traceB = n.alphaX*s.traceB + 1
			}
			if L.integ {
				n.li.Step(s.lif.V, cur, dt)
				s.spikes = s.spikes[:0]
			} else {
				s.spikes = n.lif.Step(s.lif, cur, dt, s.spikes)
			}
			w.st.spikes[k] += float64(len(s.spikes))
			idx, val = s.spikes, nil
		}

		// Readout and output error (eqs. O1, O2).
		v := out.lif.V
		for c := range C {
			w.vsum[c] += v[c]
		}
		if outL.integ {
			neuron.Softmax(w.e, v, len(v))
			for c := range C {
				w.e[c] -= w.target[c]
			}
		} else {
			for _, c := range out.spikes {
				w.counts[c]++
			}
			if softmaxErr {
				neuron.Softmax(w.e, v, len(v))
				for c := range C {
					w.e[c] -= w.target[c]
				}
			} else {
				for c := range C {
					w.e[c] = -rho * w.target[c]
				}
				for _, c := range out.spikes {
					w.e[c]++
				}
			}
		}

		if md.learn {
			w.factors(t, hidden, angle, rhoD)
			if md.online {
				w.applyOnline(t, hidden)
			}
		}
		if md.rec != nil {
			if err := w.record(md, t); err != nil {
				return 0, err
			}
		}
	}
	if md.learn && !md.online {
		for k := range n.layers {
			if k < K-1 && !hidden {
				continue
			}
			gB := w.gB[k]
			if !n.layers[k].learnB {
				gB = nil
			}
			w.accumulate(k, w.ls[k].m, w.gW[k], gB)
			if angle && k < K-1 {
				w.accumulate(k, w.ls[k].mbp, w.bpW[k], nil)
			}
		}
	}
	return w.predict(label, md.learn, rho), nil
}

// inputAhead draws the input events of every step of the sample before
// the time loop, into the first layer's event lists, unless something
// else draws from w.pcg during the sample (the spiking dendrite's target
// spikes), whose draws would then come in another order. The input does
// not depend on the network, so the events are the same as drawn step by
// step. If moreover the first layer is wide, its input spikes and its
// weights fixed for the sample (no online learning), it also computes that
// layer's currents for every step at once (stepCurrents) and returns them,
// T × Out; else curs is nil.
func (w *worker) inputAhead(md mode) (ahead bool, curs []float32) {
	n := w.n
	if n.cfg.Dendrite {
		return false, nil
	}
	T := n.cfg.Steps
	s, L := w.ls[0], n.layers[0]
	for t := 0; t < T; t++ {
		w.enc.Step(t, &w.ev)
		s.evOff[t] = int32(len(s.evIdx))
		s.evIdx = append(s.evIdx, w.ev.Idx...)
		s.evVal = append(s.evVal, w.ev.Val...)
	}
	s.evOff[T] = int32(len(s.evIdx))
	if s.curs == nil || len(s.evVal) > 0 || md.online {
		return true, nil
	}
	if L.panels {
		stepCurrentsPanels(s.curs, L.b, L.wT, L.out, L.in, s.evIdx, s.evOff, T)
	} else {
		stepCurrents(s.curs, L.b, L.wT, L.out, s.evIdx, s.evOff, T)
	}
	return true, s.curs
}

// factors computes, at step t, the post-synaptic term m = d ⊙ ψ of every
// learning layer (eq. T2 with the third factors of eqs. D1–D4 and O1–O2)
// and, for angles, the surrogate-BP term δ ⊙ ψ.
func (w *worker) factors(t int, hidden, angle bool, rhoD float32) {
	n := w.n
	cfg := &n.cfg
	K := len(n.layers)
	// Output layer: its own error (eq. O1/O2), times ψ unless integrating.
	outL, out := n.layers[K-1], w.ls[K-1]
	mo := out.m[t*outL.out : (t+1)*outL.out]
	if outL.integ {
		copy(mo, w.e)
	} else {
		n.lif.Post(cfg.OutputPost, out.psi, out.lif)
		synapse.Modulate(mo, w.e, out.psi)
	}
	if !hidden && !angle {
		return
	}
	// Hidden layers: the dendrite's third factor (eqs. D1–D4).
	needErr := cfg.rule.NeedsError()
	for k := 0; k < K-1; k++ {
		L, s := n.layers[k], w.ls[k]
		n.lif.Post(cfg.Post, s.psi, s.lif)
		switch {
		case cfg.Dendrite:
			// D2: Poisson target spikes through B into a leaky compartment.
			for c := range w.tspk {
				w.tspk[c] = 0
				if w.target[c] != 0 && w.rng.Float32() < rhoD {
					w.tspk[c] = 1
				}
			}
			s.dend.Step(w.tspk)
		case needErr:
			// D3, D4: the output error of this step.
			cfg.rule.Signal(w.sig, w.target, w.e)
			s.dend.Step(w.sig)
		case t == 0:
			// D1: the label alone, fixed for the sample.
			cfg.rule.Signal(w.sig, w.target, nil)
			s.dend.Step(w.sig)
		}
		m := s.m[t*L.out : (t+1)*L.out]
		synapse.Modulate(m, s.dend.D, s.psi)
		if s.count != nil {
			w.regularize(m, s, t)
		}
	}
	if !angle {
		return
	}
	// Surrogate BP at the same state: δ_K = e ⊙ ψ_K, then
	// δ_k = (W_{k+1}ᵀ δ_{k+1}) ⊙ ψ_k down the layers (eq. A1).
	delta := mo
	for k := K - 2; k >= 0; k-- {
		L, up, s := n.layers[k], n.layers[k+1], w.ls[k]
		d := s.mbp[t*L.out : (t+1)*L.out]
		gonumBLAS.Sgemv(blas.NoTrans, up.in, up.out, 1, up.wT, up.out, delta, 1, 0, d, 1)
		for i := range d {
			d[i] *= s.psi[i]
		}
		delta = d
	}
}

// regularize adds the firing-rate term of eq. R1 at step t to a hidden
// layer's m[t] = d[t] ⊙ ψ[t]: λ (r_i[t] − ρ_h) ψ_i[t], r_i[t] the neuron's
// spikes per step so far in the sample, this step's included.
func (w *worker) regularize(m []float32, s *lstate, t int) {
	cfg := &w.n.cfg
	if t == 0 {
		clear(s.count)
	}
	lambda := float32(cfg.RateReg)
	rho := float32(cfg.HiddenRate * cfg.DT / 1000)
	inv := 1 / float32(t+1)
	spiked := s.lif.S[:len(m)]
	for i := rateRegArch(m, s.count, s.psi, spiked, lambda, inv, rho); i < len(m); i++ {
		s.count[i] += b2f(spiked[i])
		m[i] += lambda * (s.count[i]*inv - rho) * s.psi[i]
	}
}

// applyOnline applies eq. T2 at step t with plain SGD: W ← W − η m[t] x̄[t]ᵀ
// over the inputs with a non-zero trace, b ← b − η m[t] x̄_b[t].
func (w *worker) applyOnline(t int, hidden bool) {
	n := w.n
	K := len(n.layers)
	for k, L := range n.layers {
		if k < K-1 && !hidden {
			continue
		}
		s := w.ls[k]
		m := s.m[t*L.out : (t+1)*L.out]
		synapse.ThreeFactor(L.wT, L.out, -L.lr, m, s.trace.Idx, s.trace.Val)
		if !L.learnB {
			continue
		}
		a := -L.lr * s.traceB
		for i, mi := range m {
			L.b[i] += a * mi
		}
	}
}

// accumulate adds the summed update of layer k (eq. T3) to gW and gB:
// m is reverse-traced in place, then every input event of step t adds the
// row m̃[t] to the gradient row of its input.
func (w *worker) accumulate(k int, m, gW, gB []float32) {
	L, s := w.n.layers[k], w.ls[k]
	T := w.n.cfg.Steps
	s.evOff[T] = int32(len(s.evIdx))
	reverseTrace(m, T, L.out, w.n.alphaX)
	analog := len(s.evVal) > 0
	if !L.narrow {
		s.group.accumulate(gW, m, L, s, T, analog)
	}
	for t := 0; t < T && L.narrow; t++ {
		lo, hi := s.evOff[t], s.evOff[t+1]
		if lo == hi {
			continue
		}
		var vals []float32
		if analog {
			vals = s.evVal[lo:hi]
		}
		mt := m[t*L.out : (t+1)*L.out]
		// Narrow layer, gradient Out × In: the same outer product m̃[t] s[t]ᵀ,
		// as Out axpys over a dense input when the step is busy.
		if int(hi-lo) >= denseMin(L) {
			x := s.dense[t*L.in : (t+1)*L.in] // built by the forward pass
			for i, mi := range mt {
				if mi != 0 {
					axpy(mi, x, gW[i*L.in:(i+1)*L.in])
				}
			}
			continue
		}
		for k, j := range s.evIdx[lo:hi] {
			a := float32(1)
			if vals != nil {
				a = vals[k]
			}
			for i, mi := range mt {
				gW[i*L.in+int(j)] += a * mi
			}
		}
	}
	if gB != nil {
		for t := 0; t < T; t++ {
			for i, v := range m[t*L.out : (t+1)*L.out] {
				gB[i] += v
			}
		}
	}
}

// eventGroups sorts a sample's input events by input, so that the summed
// update of eq. T3 touches each gradient row once: an input that spiked at
// steps t1, t2, … adds Σ m̃[t_k] (rows of m̃, which stay in cache) to its
// gradient row in a single three-factor update, instead of one per spike.
type eventGroups struct {
	off  []int32   // events of input j: order[off[j]:off[j+1]]
	next []int32   // write cursors of the counting sort
	step []int32   // the step of each grouped event
	val  []float32 // its value (analog input)
	sum  []float32 // Σ_k val_k m̃[t_k] of one input (Out)
	js   []int32   // the inputs with events, in order
	aoff []int32   // events of input js[a]: step[aoff[a]:aoff[a+1]]
	mp   []float32 // m̃ in column panels of T rows (a layer in panels)
	mask []uint64  // the steps at which each input spiked, bit t for step t (T ≤ 64)
}

// accumulate adds Σ_t m̃[t] s[t]ᵀ to gW (In × Out) from the layer's
// recorded events, m being already reverse-traced.
func (g *eventGroups) accumulate(gW, m []float32, L *layer, s *lstate, T int, analog bool) {
	out := L.out
	if L.panels || (!analog && groupAddFast) {
		// Spikes (a layer in panels takes nothing else): every grouped row
		// has weight 1, and one kernel adds all the groups, columns
		// outermost (groupAdd, groupAddPanels).
		if !analog && T <= 64 {
			g.groupsByMask(s, L.in, T)
		} else {
			g.sortByInput(s, L.in, T, analog)
			g.groups(L.in)
		}
		if L.panels {
			g.mp = toPanelsInto(g.mp, m, T, out)
			groupAddPanels(gW, g.mp, out, L.in, T, g.js, g.aoff, g.step)
		} else {
			groupAdd(gW, m, out, g.js, g.aoff, g.step)
		}
		return
	}
	g.sortByInput(s, L.in, T, analog)
	g.sum = grow(g.sum, L.out)
	for j := 0; j < L.in; j++ {
		lo, hi := g.off[j], g.off[j+1]
		if lo == hi {
			continue
		}
		a := func(p int32) float32 {
			if analog {
				return g.val[p]
			}
			return 1
		}
		// The three-factor update of input j's gradient row (eq. T2,
		// as synapse.ThreeFactor, with this package's AVX axpy).
		row := gW[j*out : (j+1)*out]
		if hi-lo == 1 {
			t := int(g.step[lo])
			if a := a(lo); a != 0 {
				axpy(a, m[t*out:(t+1)*out], row)
			}
			continue
		}
		clear(g.sum)
		var vals []float32
		if analog {
			vals = g.val[lo:hi]
		}
		sumRows(g.sum, m, out, g.step[lo:hi], vals)
		axpy(1, g.sum, row)
	}
}

// reverseTrace sets m̃[t] = m[t] + α m̃[t+1] from the last step back, in
// place, for m of T rows of n (eq. T3 as synapse.ReverseTrace, with this
// package's AVX axpy: the same numbers).
func reverseTrace(m []float32, T, n int, alpha float32) {
	for t := T - 2; t >= 0; t-- {
		axpy(alpha, m[(t+1)*n:(t+2)*n], m[t*n:(t+1)*n])
	}
}

// sortByInput sorts the layer's events by input (a stable counting sort):
// input j's events are step[off[j]:off[j+1]], in step order, with their
// values in val for analog input.
func (g *eventGroups) sortByInput(s *lstate, in, T int, analog bool) {
	g.off = grow(g.off, in+1)
	g.next = grow(g.next, in)
	clear(g.off)
	for _, j := range s.evIdx {
		g.off[j+1]++
	}
	for j := 1; j <= in; j++ {
		g.off[j] += g.off[j-1]
	}
	copy(g.next, g.off[:in])
	E := len(s.evIdx)
	g.step = grow(g.step, E)
	if analog {
		g.val = grow(g.val, E)
	}
	for t := 0; t < T; t++ {
		for k := s.evOff[t]; k < s.evOff[t+1]; k++ {
			j := s.evIdx[k]
			p := g.next[j]
			g.step[p] = int32(t)
			if analog {
				g.val[p] = s.evVal[k]
			}
			g.next[j]++
		}
	}
}

// groupsByMask sets js, aoff and step as the counting sort and groups do,
// for spikes over at most 64 steps, each input at most once a step (as
// every encoder and layer emits them): it marks the steps at which each
// input spiked in a bit mask, then lists each input's steps from its
// mask, in increasing order.
func (g *eventGroups) groupsByMask(s *lstate, in, T int) {
	g.mask = grow(g.mask, in)
	clear(g.mask)
	for t := range T {
		for _, j := range s.evIdx[s.evOff[t]:s.evOff[t+1]] {
			g.mask[j] |= 1 << t
		}
	}
	g.step = grow(g.step, len(s.evIdx))
	g.js, g.aoff = g.js[:0], g.aoff[:0]
	n := int32(0)
	for j, bits := range g.mask {
		if bits == 0 {
			continue
		}
		g.js = append(g.js, int32(j))
		g.aoff = append(g.aoff, n)
		for ; bits != 0; bits &= bits - 1 {
			g.step[n] = int32(mathbits.TrailingZeros64(bits))
			n++
		}
	}
	g.aoff = append(g.aoff, n)
}

// groups lists the inputs with events (js) and where their events start
// (aoff), from the counting sort's offsets.
func (g *eventGroups) groups(in int) {
	g.js, g.aoff = g.js[:0], g.aoff[:0]
	for j := 0; j < in; j++ {
		if g.off[j] < g.off[j+1] {
			g.js = append(g.js, int32(j))
			g.aoff = append(g.aoff, g.off[j])
		}
	}
	g.aoff = append(g.aoff, g.off[in])
}

// grow returns s resized to n, reallocating only when its capacity is short.
func grow[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}

// predict returns the predicted class and, when learning, tallies the
// loss and the error.
func (w *worker) predict(label int, learn bool, rho float32) int {
	n := w.n
	outL := n.layers[len(n.layers)-1]
	T := float32(n.cfg.Steps)
	pred := 0
	if outL.integ {
		for c := range w.vsum {
			if w.vsum[c] > w.vsum[pred] {
				pred = c
			}
		}
	} else {
		// Most spikes; ties go to the larger summed potential.
		for c := range w.counts {
			if w.counts[c] > w.counts[pred] || (w.counts[c] == w.counts[pred] && w.vsum[c] > w.vsum[pred]) {
				pred = c
			}
		}
	}
	if label < 0 {
		return pred
	}
	w.st.samples++
	if pred != label {
		w.st.errors++
	}
	// Loss: squared error of the output rates against the target rate
	// (spikes), or cross-entropy of the time-averaged readout (integrated).
	var loss float64
	if outL.integ {
		for c := range w.e {
			w.e[c] = w.vsum[c] / T
		}
		neuron.Softmax(w.e, w.e, len(w.e))
		loss = -math.Log(math.Max(float64(w.e[label]), 1e-30))
	} else {
		for c, cnt := range w.counts {
			d := float64(cnt/T - rhoTarget(c == label, rho))
			loss += d * d
		}
		loss /= float64(len(w.counts))
	}
	w.st.loss += loss
	return pred
}

func rhoTarget(on bool, rho float32) float32 {
	if on {
		return rho
	}
	return 0
}

// denseMin is the number of input events of a step above which a narrow
// layer works on the dense input vector: Out dot products of length In
// cost about as much as In/8 events handled one by one.
func denseMin(L *layer) int { return max(32, L.in/8) }

// scatter sets x to the dense vector of the events (idx, val).
func scatter(x []float32, idx []int32, val []float32) {
	clear(x)
	if val == nil {
		for _, j := range idx {
			x[j] = 1
		}
		return
	}
	for k, j := range idx {
		x[j] = val[k]
	}
}

// addDotsGonum sets cur[i] += Σ_j w[i·n+j]·x[j] with gonum's Sdot, one row
// at a time.
func addDotsGonum(cur, w, x []float32, n int) {
	for i := range cur {
		cur[i] += gonumBLAS.Sdot(n, w[i*n:(i+1)*n], 1, x, 1)
	}
}

// finishDot completes a dot product of w and x from the eight partial sums
// of its first done elements (16 per block, lanes 0–3 gonum's SUM and 4–7
// its P_SUM), as gonum's SSE DotUnitary does: P_SUM added into SUM after
// the blocks, then four elements at a time into SUM, then one at a time
// into its first lane, and the four lanes added pairwise. Each product is
// rounded before it is added (no fused multiply-add in any build).
func finishDot(acc *[8]float32, w, x []float32, done int) float32 {
	sum := [4]float32{acc[0], acc[1], acc[2], acc[3]}
	if done > 0 {
		for l := range sum {
			sum[l] += acc[4+l]
		}
	}
	i := done
	for ; i+4 <= len(x); i += 4 {
		for l := range sum {
			sum[l] += float32(w[i+l] * x[i+l])
		}
	}
	for ; i < len(x); i++ {
		sum[0] += float32(w[i] * x[i])
	}
	return (sum[0] + sum[1]) + (sum[2] + sum[3])
}

// groupAddGo sets, for columns e < cols and every active input a,
// gW[js[a]·gStride + e] += Σ_p m[steps[p]·mStride + e] over p in
// [off[a], off[a+1]): the sum starts from zero and adds the rows in order,
// except that a single row is added to gW directly (eq. T3 for the inputs
// of one sample, grouped by input).
func groupAddGo(gW []float32, gStride int, m []float32, mStride, cols int, js, off, steps []int32) {
	if cols <= 0 {
		return
	}
	for a, j := range js {
		row := gW[int(j)*gStride : int(j)*gStride+cols]
		lo, hi := off[a], off[a+1]
		if hi-lo == 1 {
			src := m[int(steps[lo])*mStride : int(steps[lo])*mStride+cols]
			for e := range row {
				row[e] += src[e]
			}
			continue
		}
		for e := range row {
			var sum float32
			for _, t := range steps[lo:hi] {
				sum += m[int(t)*mStride+e]
			}
			row[e] += sum
		}
	}
}

// stepCurrentsGo sets cur[t·curStride + e] = b[e] + Σ_k w[idx[k]·wStride
// + e] over the events k of step t, for e < len(b): step by step, b
// copied and the rows of the step's events added with sumRows.
func stepCurrentsGo(cur []float32, curStride int, b, w []float32, wStride int, idx, off []int32, T int) {
	if len(b) == 0 {
		return
	}
	for t := range T {
		y := cur[t*curStride : t*curStride+len(b)]
		copy(y, b)
		sumRows(y, w, wStride, idx[off[t]:off[t+1]], nil)
	}
}

// sumRowsGo is sumRows in Go, element by element: y[e] += a[k]·w[idx[k]·
// stride + e] over k in order, each product rounded before the add.
func sumRowsGo(y, w []float32, stride int, idx []int32, a []float32) {
	for k, j := range idx {
		row := w[int(j)*stride : int(j)*stride+len(y)]
		if a == nil {
			for e, x := range row {
				y[e] += x
			}
			continue
		}
		ak := a[k]
		for e, x := range row {
			y[e] += float32(ak * x)
		}
	}
}

// b2f is 1 for true and 0 for false.
func b2f(b bool) float32 {
	if b {
		return 1
	}
	return 0
}
