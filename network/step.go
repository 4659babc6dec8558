package network

import (
	"fmt"
	"sync/atomic"

	"drtp/internal/parallel"
	"drtp/internal/vec"
	"drtp/modulator"
	"drtp/neuron"
	"drtp/synapse"
)

// Buffer roles in the workspace.
const (
	roleA      = 'a' // ping-pong activations, shared by all layers; y_k when kept
	roleB      = 'b'
	roleZ      = 'z' // pre-activations z_k
	roleDelta  = 'd' // δy_k / δz_k
	roleDeriv  = 'f' // f'(z_k)
	roleDrop   = 'm' // dropped-out input copy
	roleSig    = 's' // class-space signal s
	roleIn     = 'i' // per-layer input y_{k−1}, kept for the backward pass
	roleMask   = 'k' // per-layer dropout scale, kept for the backward pass
	roleDelta2 = 'e' // second δ buffer for chains
	roleCol    = 'c' // im2col of a CONV layer's input, shared
	rolePool   = 'p' // pooled CONV output, kept for the backward pass
	roleDerivP = 'g' // f'(z_k) at the maxima of a CONV layer's pooling windows
	roleUp     = 'u' // gradient at a pooled CONV output
	roleTmp    = 't' // sample-major s B_k before its CONV reordering
	roleOut    = 'o' // outputs of a prediction run in chunks
	roleYK     = 'y' // y_K of the update-unlocked path, apart from the ping-pong pair
	roleGradW  = 'W' // weight gradient, shared (not an activation)
	roleGradB  = 'B'
)

// Batch is one minibatch: n samples of inputs X (n × Inputs), targets
// T (n × C) and, for classification, Labels (n class indices).
type Batch struct {
	X, T   []float32
	Labels []int
	N      int
}

// Result is what one step measured on its batch.
type Result struct {
	Loss    float64 // mean loss (see Loss)
	Correct int     // correctly classified samples (0 for regression)
}

// TrainBatch runs one training step on b and updates the weights.
//
// DRTP and shallow take the locally-updated path: each hidden layer learns as
// soon as its output exists, and its input is dropped at once. The other
// rules buffer the forward pass, then send their signal back.
func (n *Net) TrainBatch(b Batch) Result {
	n.checkBatch(b)
	n.colOf = -1
	if tf, ok := n.cfg.Rule.(modulator.ThirdFactor); ok && !tf.NeedsError() {
		return n.trainLocal(b, tf)
	}
	return n.trainBuffered(b)
}

func (n *Net) checkBatch(b Batch) {
	if len(b.X) < b.N*n.cfg.Inputs || len(b.T) < b.N*n.out.c || (b.Labels != nil && len(b.Labels) < b.N) {
		panic(fmt.Sprintf("network: batch of %d has X %d, T %d, labels %d values", b.N, len(b.X), len(b.T), len(b.Labels)))
	}
}

// maxWidth is the largest per-sample width of an input, a z_k or a layer
// output.
func (n *Net) maxWidth() int {
	m := n.cfg.Inputs
	for _, l := range n.Layers {
		m = max(m, l.zw, l.out)
	}
	return m
}

// maxCol is the largest per-sample im2col length of the CONV layers (0
// without CONV layers).
func (n *Net) maxCol() int {
	m := 0
	for _, l := range n.Layers {
		if l.Conv != nil {
			m = max(m, l.Conv.ColSize(1))
		}
	}
	return m
}

// dropout writes into dst the input x with each value dropped with the
// configured probability and the rest scaled by 1/(1−p) (inverted dropout).
// When scale is non-nil the per-value factor is kept there.
func (n *Net) dropout(dst, x, scale []float32) {
	p := n.cfg.Dropout
	keep := float32(1 / (1 - p))
	for i, v := range x {
		f := keep
		if n.rng.Float64() < p {
			f = 0
		}
		dst[i] = v * f
		if scale != nil {
			scale[i] = f
		}
	}
}

// forwardLayer sets z = W_k in + b_k for layer k (eq. N1; CONV: synapse
// eq. S5, leaving the im2col of in in the shared col buffer).
func (n *Net) forwardLayer(k int, z, in []float32, nb int) {
	l := n.Layers[k]
	if l.Conv == nil {
		l.Syn.Forward(z, in, nb)
		return
	}
	col := n.ws.get(roleCol, 0, nb*n.maxCol())[:l.Conv.ColSize(nb)]
	l.Conv.Forward(z, in, col, nb)
	n.colOf = k
}

// trainLocal is the update-unlocked path (eq. M1 with M6 or M7): layer k
// fires, learns from s B_k and hands its output on; nothing is kept.
func (n *Net) trainLocal(b Batch, tf modulator.ThirdFactor) Result {
	nb, w, c := b.N, n.maxWidth(), n.out.c
	cur, next := n.ws.get(roleA, 0, nb*w), n.ws.get(roleB, 0, nb*w)
	z := n.ws.get(roleZ, 0, nb*w)
	delta := n.ws.get(roleDelta, 0, nb*w)
	s := n.ws.get(roleSig, 0, nb*c)
	active := tf.Signal(s, b.T[:nb*c], nil)
	var labels []int // y* B_k is a row of B_k: no product needed
	if _, drtp := tf.(modulator.DRTP); drtp && b.Labels != nil {
		labels = b.Labels[:nb]
	}

	in := b.X[:nb*n.cfg.Inputs]
	K := len(n.Layers) - 1
	for k, l := range n.Layers[:K] {
		if l.Syn != nil && n.cfg.Dropout > 0 {
			d := n.ws.get(roleDrop, 0, nb*w)[:nb*l.in]
			n.dropout(d, in, nil)
			in = d
		}
		zk, yk := z[:nb*l.zw], next[:nb*l.zw]
		n.forwardLayer(k, zk, in, nb)
		learns := active && !l.frozen
		if l.Conv != nil && !learns && n.poolFirst(l) {
			// Nothing to learn here: pool z, then apply f to a quarter of
			// the values. The input is no longer needed: cur takes the
			// output.
			p := cur[:nb*l.out]
			n.poolAct(p, zk, l, nb)
			in = p
			continue
		}
		// f, and to learn f' ⊙ s B_k (eqs. M1, M6), in one pass over each
		// sample (FC) or each channel of each sample (CONV), on every
		// core; then the update.
		dk := delta[:nb*l.zw]
		var tmp []float32
		if learns && labels == nil {
			tmp = n.ws.get(roleTmp, 0, nb*w)
		}
		n.hidden = n.directRows(l, nb, s, labels, tmp)
		n.hidden.act, n.hidden.z, n.hidden.y = n.act(l), zk, yk
		if learns {
			n.hidden.d = dk
		}
		n.hidden.run()
		n.hidden = hiddenRows{}
		if learns && k == K-1 && l.Conv == nil {
			// The output layer needs y_k, not this update: it learns on
			// another core while layer k does.
			o := n.outputStep(K, yk, b)
			p := parallel.Go(o)
			n.learn(k, dk, in, nb)
			p.Wait()
			return o.r
		}
		if learns {
			n.learn(k, dk, in, nb)
		}
		if l.Conv == nil {
			// The input of layer k is no longer needed: its buffer takes
			// the output of layer k+1.
			in = yk
			cur, next = next, cur
			continue
		}
		// The input of layer k is no longer needed (its im2col was): cur
		// takes the pooled output.
		p := cur[:nb*l.out]
		maxPool(p, yk, l.ch, nb, l.h, l.w)
		in = p
	}
	o := n.outputStep(K, in, b)
	o.Work()
	return o.r
}

// hiddenRows is the element-wise part of a hidden layer's step over
// blocks [lo, hi) of z_k: a sample's row for an FC layer, one channel of
// one sample for a CONV layer (whose maps are channel-major: block b is
// channel b/nb of sample b mod nb). With act set it applies y = f(z); with
// d set it forms δz = f'(z) ⊙ s B_k (eqs. M1, M6), or without act
// multiplies the f'(z) already in d by s B_k. The signal s B_k is the row
// of B_k the sample's label selects or, with no labels, the sample's row
// of sig.
type hiddenRows struct {
	act          neuron.Activation
	z, y, d, sig []float32
	blocks, size int // blocks of size values
	nb           int // samples
	conv         bool
	l            *Layer
	labels       []int
}

// directRows returns the hiddenRows of layer l for nb samples with the
// signal s B_k: the rows of B_k the labels select or, without labels and
// with a tmp buffer (n × zw values), s projected into tmp.
func (n *Net) directRows(l *Layer, nb int, s []float32, labels []int, tmp []float32) hiddenRows {
	h := hiddenRows{blocks: nb, size: l.zw, nb: nb, l: l, labels: labels}
	if l.Conv != nil {
		h.blocks, h.size, h.conv = l.ch*nb, l.h*l.w, true
	}
	if labels == nil && tmp != nil {
		h.sig = tmp[:nb*l.zw]
		l.Feedback.Project(h.sig, s, nb)
	}
	return h
}

// run does every block, split across the cores when they hold at least
// parallel.MinGrain values.
func (h *hiddenRows) run() {
	if h.blocks*h.size < parallel.MinGrain {
		h.Do(0, h.blocks)
		return
	}
	parallel.Range(h.blocks, h)
}

// Do implements parallel.Task over blocks.
func (h *hiddenRows) Do(lo, hi int) {
	if h.act != nil {
		z, y := h.z[lo*h.size:hi*h.size], h.y[lo*h.size:hi*h.size]
		h.act.Apply(y, z)
		if h.d == nil {
			return
		}
		h.act.Deriv(h.d[lo*h.size:hi*h.size], z, y)
	}
	for b := lo; b < hi; b++ {
		r, off := b, 0
		if h.conv {
			r, off = b%h.nb, b/h.nb*h.size // the signal is channel-major too
		}
		mulInto(h.d[b*h.size:(b+1)*h.size], sampleSignal(h.l.Feedback, h.labels, h.sig, r, h.l.zw)[off:])
	}
}

// sampleSignal returns sample r's signal s B_k (width values): the row of
// B_k its label selects, or with no labels its row of the projection sig.
func sampleSignal(fb *modulator.Feedback, labels []int, sig []float32, r, width int) []float32 {
	if labels != nil {
		return fb.Row(labels[r])
	}
	return sig[r*width : (r+1)*width]
}

// poolFirst reports whether CONV layer l may pool before its activation:
// for a non-decreasing f, max f(z) = f(max z), so f is applied to a quarter
// of the values. (A fast approximation of f that is not monotone to the
// last bit may then differ from pooling f(z) by a rounding step.)
func (n *Net) poolFirst(l *Layer) bool {
	switch n.act(l).(type) {
	case neuron.Tanh, neuron.Sigmoid, neuron.ReLU, neuron.Identity:
		return true
	}
	return false
}

// poolAct sets p to the pooled output f(maxpool(z)) of CONV layer l.
func (n *Net) poolAct(p, z []float32, l *Layer, nb int) {
	maxPool(p, z, l.ch, nb, l.h, l.w)
	n.act(l).Apply(p, p)
}

// modulate multiplies dk, in the layout of z_k and holding f'(z_k), by the
// direct signal s B_k of hidden layer l (eqs. M4–M6). With labels (DRTP on
// one-hot targets) each sample's signal is the row of B_k its label
// selects, read without any product. Without labels the product s B_k is
// formed in tmp (n × zw values), sample-major.
func (n *Net) modulate(dk []float32, l *Layer, s []float32, labels []int, tmp []float32, nb int) {
	n.hidden = n.directRows(l, nb, s, labels, tmp)
	n.hidden.d = dk
	n.hidden.run()
	n.hidden = hiddenRows{}
}

// outputStep is the output layer's part of an update-unlocked step: its
// forward pass from in, the output non-linearity, the loss and its
// gradient, and the update, with every buffer fetched beforehand (the
// workspace is not safe for concurrent use), so that it may run on a
// helper core while the last hidden layer learns. It is one piece of
// work: Work runs it on the first goroutine to call.
type outputStep struct {
	n                    *Net
	K                    int
	b                    Batch
	in, z, y, dz, gW, gB []float32
	taken                atomic.Bool
	r                    Result
}

// outputStep readies the output layer K's step on input in (applying its
// dropout now, on the caller, which owns the random source).
func (n *Net) outputStep(K int, in []float32, b Batch) *outputStep {
	nb, c, l := b.N, n.out.c, n.Layers[K]
	if n.cfg.Dropout > 0 {
		// Its own buffer: the last hidden layer may be learning from the
		// shared one.
		d := n.ws.get(roleDrop, K, nb*l.in)
		n.dropout(d, in, nil)
		in = d
	}
	o := &n.outStep
	o.n, o.K, o.b, o.in = n, K, b, in
	o.z, o.y, o.dz = n.ws.get(roleZ, 0, nb*c), n.ws.get(roleYK, 0, nb*c), n.ws.get(roleDelta2, 0, nb*c)
	o.gW, o.gB = n.grads(K)
	o.taken.Store(false)
	return o
}

// Work implements parallel.Job.
func (o *outputStep) Work() {
	if !o.taken.CompareAndSwap(false, true) {
		return
	}
	n, b, nb := o.n, o.b, o.b.N
	n.forwardLayer(o.K, o.z, o.in, nb)
	n.out.apply(o.y, o.z)
	o.r = Result{Loss: n.out.value(o.y, b.T, nb), Correct: correct(o.y, b.Labels, nb, n.out.c)}
	n.out.grad(o.dz, o.z, o.y, b.T, nb)
	n.learnWith(o.K, o.dz, o.in, nb, o.gW, o.gB)
}

// learn hands layer k's gradient to its optimiser: ∇W = δzᵀ y_{k−1} and
// ∇b = Σ δz (eq. N3), or for a CONV layer synapse eq. S6 on the im2col of
// its input in. Frozen layers do not learn. An FC layer whose optimiser
// takes pieces (Adam) is updated strip by strip as ∇W is formed, which
// never stores ∇W (synapse.Dense.GradStep).
func (n *Net) learn(k int, dz, in []float32, nb int) {
	gW, gB := n.grads(k)
	n.learnWith(k, dz, in, nb, gW, gB)
}

// learnWith is learn with the gradient buffers gW (nil when the optimiser
// takes pieces) and gB given.
func (n *Net) learnWith(k int, dz, in []float32, nb int, gW, gB []float32) {
	l := n.Layers[k]
	if l.frozen {
		return
	}
	w, b := l.params()
	if opt, ok := l.pieceOpt(); ok {
		l.Syn.GradStep(gB, dz, in, nb, opt)
		l.optB.Step(b, gB)
		return
	}
	if l.Conv != nil {
		col := n.ws.get(roleCol, 0, nb*n.maxCol())[:l.Conv.ColSize(nb)]
		if n.colOf != k {
			l.Conv.Im2Col(col, in, nb)
			n.colOf = k
		}
		l.Conv.Grad(gW, gB, dz, col, nb)
	} else {
		l.Syn.Grad(gW, gB, dz, in, nb)
	}
	l.optW.Step(w, gW)
	l.optB.Step(b, gB)
}

// grads returns the gradient buffers of layer k: gW (nil when the layer
// is frozen or its optimiser takes pieces) and gB. The hidden layers share
// one pair; the output layer has its own, as it may learn at the same
// time as the last hidden layer. They are parameter memory, not
// activation memory, so they are kept out of ActivationBytes.
func (n *Net) grads(k int) (gW, gB []float32) {
	l := n.Layers[k]
	if l.frozen {
		return nil, nil
	}
	w, b := l.params()
	owner := 0
	if k == len(n.Layers)-1 {
		owner = 1
	}
	before := n.ws.bytes
	gB = n.ws.get(roleGradB, owner, len(b))
	if _, ok := l.pieceOpt(); !ok {
		gW = n.ws.get(roleGradW, owner, len(w))
	}
	n.ws.bytes = before
	return gW, gB
}

// pieceOpt returns the optimiser of l's weights if it takes the gradient
// in pieces, strip by strip as synapse.Dense.GradStep forms it (an FC
// layer with Adam), so that ∇W needs no buffer.
func (l *Layer) pieceOpt() (synapse.PieceOptimizer, bool) {
	opt, ok := l.optW.(synapse.PieceOptimizer)
	return opt, ok && l.Conv == nil
}

// mulInto sets a[i] *= b[i] (b may be longer than a).
func mulInto(a, b []float32) { vec.Mul(a, b[:len(a)]) }

// correct counts the rows of y whose largest value is at the label.
func correct(y []float32, labels []int, nb, c int) int {
	if labels == nil {
		return 0
	}
	k := 0
	for r := 0; r < nb; r++ {
		if argmax(y[r*c:(r+1)*c]) == labels[r] {
			k++
		}
	}
	return k
}

func argmax(v []float32) int {
	best := 0
	for i, x := range v {
		if x > v[best] {
			best = i
		}
	}
	return best
}

// forwardKeep runs the forward pass keeping, for each layer k, its input
// ins[k] (after dropout, with the dropout scale when drop is set), y_k and
// f'(z_k), and returns z_K and y_K. It is the update-locked part of BP, FA,
// DFA and sDFA: every layer's activations are held until the signal returns.
// Unless all is set, the frozen CONV layers below every learning layer keep
// nothing but their pooled output.
func (n *Net) forwardKeep(b Batch, drop, all bool) (ins [][]float32, zK, yK []float32) {
	nb := b.N
	drop = drop && n.cfg.Dropout > 0
	if cap(n.ins) < len(n.Layers) {
		n.ins = make([][]float32, len(n.Layers))
	}
	ins = n.ins[:len(n.Layers)]
	in := b.X[:nb*n.cfg.Inputs]
	for k, l := range n.Layers {
		if drop && l.Syn != nil {
			d := n.ws.get(roleIn, k, nb*l.in)
			n.dropout(d, in, n.ws.get(roleMask, k, nb*l.in))
			in = d
		}
		ins[k] = in
		z := n.ws.get(roleZ, k, nb*l.zw)
		n.forwardLayer(k, z, in, nb)
		if l.Conv != nil && !all && k < n.firstLearner && n.poolFirst(l) {
			p := n.ws.get(rolePool, k, nb*l.out)
			n.poolAct(p, z, l, nb)
			in = p
			continue
		}
		y := n.ws.get(roleA, k, nb*l.zw)
		if k == len(n.Layers)-1 {
			n.out.apply(y, z)
			return ins, z, y
		}
		act := n.act(l)
		act.Apply(y, z)
		if l.Conv == nil || n.direct() {
			// A chain needs a CONV layer's f' only at the pooling maxima
			// (chainStep); the direct rules modulate all of z_k.
			act.Deriv(n.ws.get(roleDeriv, k, nb*l.zw), z, y)
		}
		if l.Conv != nil {
			p := n.ws.get(rolePool, k, nb*l.out)
			maxPool(p, y, l.ch, nb, l.h, l.w)
			in = p
			continue
		}
		in = y
	}
	panic("unreachable")
}

// trainBuffered is the update-locked path of BP, FA (eqs. M2, M3), DFA and
// sDFA (M4, M5): a full forward pass, then the signal from the output.
func (n *Net) trainBuffered(b Batch) Result {
	nb, c := b.N, n.out.c
	ins, zK, yK := n.forwardKeep(b, true, false)
	K := len(n.Layers) - 1
	r := Result{Loss: n.out.value(yK, b.T, nb), Correct: correct(yK, b.Labels, nb, c)}
	dz := n.ws.get(roleDelta, K, nb*c)
	n.out.grad(dz, zK, yK, b.T, nb)

	switch rule := n.cfg.Rule.(type) {
	case modulator.ThirdFactor:
		// Direct: every hidden layer hears s B_k at once.
		e := n.ws.get(roleDelta2, 0, nb*c)
		for i := range e {
			e[i] = yK[i] - b.T[i]
		}
		s := n.ws.get(roleSig, 0, nb*c)
		if rule.Signal(s, b.T[:nb*c], e) {
			for k := 0; k < K; k++ {
				l := n.Layers[k]
				if l.frozen {
					continue
				}
				dk := n.ws.get(roleDelta, k, nb*l.zw)
				copy(dk, n.ws.get(roleDeriv, k, nb*l.zw))
				n.modulate(dk, l, s, nil, n.ws.get(roleTmp, 0, nb*l.zw), nb)
				n.learn(k, dk, ins[k], nb)
			}
		}
		n.learn(K, dz, ins[K], nb)
	case modulator.Chain:
		// Chain: δz_{k−1} from δz_k, then layer k learns (its weights are no
		// longer needed, so updating them now equals PyTorch's
		// backward-then-step).
		for k := K; k >= 0; k-- {
			var dprev []float32
			if k > n.firstLearner {
				dprev = n.ws.get(roleDelta, k-1, nb*n.Layers[k-1].zw)
				n.chainStep(k, dprev, dz, nb, rule.Transport(), true, false)
			}
			n.learn(k, dz, ins[k], nb)
			dz = dprev
		}
	}
	return r
}

// chainStep sets dprev = δz_{k−1} from dz = δz_k (eqs. M2, M3): the
// gradient at layer k's input (inputGrad), then back through layer k−1
// (throughPrev). observe marks a measurement (Angles): its scratch buffers
// are not activation memory.
func (n *Net) chainStep(k int, dprev, dz []float32, nb int, transport, masked, observe bool) {
	dIn := n.inputGrad(k, dprev, dz, nb, transport, masked, observe)
	n.throughPrev(k, dprev, dIn, nb, observe, true)
}

// throughPrev sets dprev from dIn, the gradient at layer k's input: for a
// CONV layer k−1, through its pooling onto its whole map; with deriv,
// times f'_{k−1} (δz_{k−1}), else not (δy_{k−1}). When layer k−1 is FC, dIn
// is dprev itself.
func (n *Net) throughPrev(k int, dprev, dIn []float32, nb int, observe, deriv bool) {
	prev := n.Layers[k-1]
	if prev.Conv != nil {
		y := n.ws.get(roleA, k-1, nb*prev.zw)
		if !deriv {
			unpool(dprev, dIn, y, nil, prev.ch, nb, prev.h, prev.w)
			return
		}
		// Only the maximum of each pooling window receives a gradient, and
		// there y_{k−1} equals the pooled output p: f' is taken on p alone,
		// a quarter of the map (derivAtMax).
		p := n.ws.get(rolePool, k-1, nb*prev.out)
		var fp []float32
		if observe {
			fp = n.angleBuf('G', k-1, nb*prev.out)
		} else {
			fp = n.ws.get(roleDerivP, k-1, nb*prev.out)
		}
		derivAtMax(fp, n.act(prev), p)
		unpool(dprev, dIn, y, fp, prev.ch, nb, prev.h, prev.w)
		return
	}
	if deriv {
		mulInto(dprev, n.ws.get(roleDeriv, k-1, nb*prev.zw))
	}
}

// inputGrad returns the gradient at layer k's input from dz = δz_k: back
// through layer k's forward weights (transport, BP) or its fixed random B_k
// (FA), then, with masked, through the dropout of layer k's input. When
// layer k−1 is FC that input is its output and the gradient is written to
// dprev; after a CONV layer it is the pooled map, in a buffer of its own.
func (n *Net) inputGrad(k int, dprev, dz []float32, nb int, transport, masked, observe bool) []float32 {
	l, prev := n.Layers[k], n.Layers[k-1]
	dIn := dprev // the gradient at layer k's input = layer k−1's output
	if prev.Conv != nil {
		if observe {
			dIn = n.angleBuf('U', k, nb*l.in)
		} else {
			dIn = n.ws.get(roleUp, k, nb*l.in)
		}
	}
	switch {
	case l.Conv != nil:
		w := l.Conv.W
		if !transport {
			w = l.Feedback.B
		}
		dcol := n.ws.get(roleCol, 0, nb*n.maxCol())[:l.Conv.ColSize(nb)]
		n.colOf = -1
		l.Conv.Backward(dIn, dz, w, dcol, nb)
	case transport:
		l.Syn.Backward(dIn, dz, nb)
	default:
		l.Feedback.Project(dIn, dz, nb) // B is Out × In: dz[nb×Out] · B
	}
	if masked && l.Syn != nil && n.cfg.Dropout > 0 {
		mulInto(dIn, n.ws.get(roleMask, k, nb*l.in))
	}
	return dIn
}

// derivAtMax sets d to f'(z) at the maxima of the pooling windows, from
// their pooled outputs p = f(z_max). It passes p for both z and y to
// act.Deriv, which is exact for package neuron's activations: each is
// non-decreasing, so the window's largest y sits at its largest z; tanh's
// and the sigmoid's f' are functions of y; and ReLU's test z > 0 gives
// the same answer as y > 0 (TestDerivAtMaxMatchesFullDerivative).
func derivAtMax(d []float32, act neuron.Activation, p []float32) {
	act.Deriv(d, p, p)
}

// direct reports whether the rule sends a signal straight to every hidden
// layer (DFA, sDFA, DRTP, shallow) rather than back along a chain.
func (n *Net) direct() bool {
	_, ok := n.cfg.Rule.(modulator.ThirdFactor)
	return ok
}
