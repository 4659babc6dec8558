package network

import (
	"math"
	"slices"

	"drtp/modulator"
)

// predictBudget bounds the activation buffers of a prediction through CONV
// layers, in float32 values (32 MB): larger batches are run in chunks of
// samples.
var predictBudget = 1 << 23

// Predict runs the forward pass on b without dropout or learning and returns
// the outputs y_K (n × C, a view into the workspace, valid until the next
// call) and the step's loss and correct count.
func (n *Net) Predict(b Batch) ([]float32, Result) {
	n.checkBatch(b)
	n.colOf = -1
	nb, c, in := b.N, n.out.c, n.cfg.Inputs
	chunk := nb
	if mc := n.maxCol(); mc > 0 {
		// im2col, z, and the two ping-pong buffers.
		chunk = max(1, min(nb, predictBudget/(mc+3*n.maxWidth())))
	}
	var y []float32
	if chunk == nb {
		y = n.predict(b.X[:nb*in], nb)
	} else {
		y = n.ws.get(roleOut, 0, nb*c)
		for i := 0; i < nb; i += chunk {
			m := min(chunk, nb-i)
			copy(y[i*c:(i+m)*c], n.predict(b.X[i*in:(i+m)*in], m))
		}
	}
	return y, Result{Loss: n.out.value(y, b.T, nb), Correct: correct(y, b.Labels, nb, c)}
}

// predict runs the forward pass on the nb samples of x and returns y_K.
func (n *Net) predict(x []float32, nb int) []float32 {
	w := n.maxWidth()
	cur, next := n.ws.get(roleA, 0, nb*w), n.ws.get(roleB, 0, nb*w)
	z := n.ws.get(roleZ, 0, nb*w)
	in := x
	for k, l := range n.Layers {
		zk, yk := z[:nb*l.zw], next[:nb*l.zw]
		n.forwardLayer(k, zk, in, nb)
		if k == len(n.Layers)-1 {
			n.out.apply(yk, zk)
			return yk
		}
		if l.Conv != nil && n.poolFirst(l) {
			p := cur[:nb*l.out]
			n.poolAct(p, zk, l, nb)
			in = p
			continue
		}
		n.act(l).Apply(yk, zk)
		if l.Conv != nil {
			p := cur[:nb*l.out]
			maxPool(p, yk, l.ch, nb, l.h, l.w)
			in = p
			continue
		}
		in = yk
		cur, next = next, cur
	}
	panic("unreachable")
}

// Angles returns, for each hidden layer (CONV layers included), the angle in
// degrees between the δz_k the network's rule prescribes on batch b and the
// δz_k backpropagation prescribes at the same weights (eq. M8), without
// learning. Dropout is off. An angle is NaN where the rule has no signal
// (shallow). Frozen CONV layers are measured too: their rule still
// prescribes a signal, which they ignore.
func (n *Net) Angles(dst []float64, b Batch) []float64 { return n.angles(dst, b, false) }

// OutputAngles is Angles for the loss gradients at the layers' outputs,
// δy_k, before the derivative f'(z_k) weighs them (the quantity of the
// paper's Figs. S1–S3): s B_k for a direct rule, B_{k+1}ᵀ δz_{k+1} for
// FA, W_{k+1}ᵀ δz_{k+1} for BP. A CONV layer's δy is taken on its whole
// map, which BP's reaches only at the pooling maxima.
func (n *Net) OutputAngles(dst []float64, b Batch) []float64 { return n.angles(dst, b, true) }

// angles is Angles, or with output OutputAngles.
func (n *Net) angles(dst []float64, b Batch, output bool) []float64 {
	n.checkBatch(b)
	n.colOf = -1
	nb, c, K := b.N, n.out.c, len(n.Layers)-1
	dst = dst[:0]
	_, zK, yK := n.forwardKeep(b, false, true)
	// BP's δz, layer by layer, into the angle buffers.
	bp := make([][]float32, K+1) // small: K slice headers
	bp[K] = n.angleBuf('P', K, nb*c)
	n.out.grad(bp[K], zK, yK, b.T, nb)
	for k := K; k > 0; k-- {
		bp[k-1] = n.angleBuf('P', k-1, nb*n.Layers[k-1].zw)
		n.chainStep(k, bp[k-1], bp[k], nb, true, false, true)
	}
	// BP's δy_{k−1} from its δz_k, for each hidden layer.
	want := bp[:K]
	if output {
		want = make([][]float32, K)
		for k := 1; k <= K; k++ {
			want[k-1] = n.angleBuf('Y', k-1, nb*n.Layers[k-1].zw)
			n.outputGrad(k, want[k-1], bp[k], nb, true)
		}
	}
	// The rule's δz or δy.
	switch r := n.cfg.Rule.(type) {
	case modulator.Chain:
		if r.Transport() {
			for k := 0; k < K; k++ {
				dst = append(dst, 0)
			}
			return dst
		}
		dz := bp[K]
		for k := K; k > 0; k-- {
			rule := n.angleBuf('R', k-1, nb*n.Layers[k-1].zw)
			dIn := n.inputGrad(k, rule, dz, nb, false, false, true)
			if output {
				n.throughPrev(k, rule, dIn, nb, true, false) // δy_{k−1}
				dst = append(dst, modulator.Angle(rule, want[k-1]))
			}
			n.throughPrev(k, rule, dIn, nb, true, true) // δz_{k−1}, from δy in place for FC
			dz = rule
		}
		if output {
			slices.Reverse(dst)
			return dst
		}
		for k := 0; k < K; k++ {
			dst = append(dst, modulator.Angle(n.angleBuf('R', k, nb*n.Layers[k].zw), bp[k]))
		}
	case modulator.ThirdFactor:
		e := n.angleBuf('E', 0, nb*c)
		for i := range e {
			e[i] = yK[i] - b.T[i]
		}
		s := n.angleBuf('S', 0, nb*c)
		if !r.Signal(s, b.T[:nb*c], e) {
			for k := 0; k < K; k++ {
				dst = append(dst, math.NaN())
			}
			return dst
		}
		for k := 0; k < K; k++ {
			l := n.Layers[k]
			out := nb * l.zw
			d := n.angleBuf('R', k, out)
			if output {
				for i := range d {
					d[i] = 1 // s B_k alone
				}
			} else {
				copy(d, n.ws.get(roleDeriv, k, out))
			}
			n.modulate(d, l, s, nil, n.angleBuf('T', k, out), nb)
			dst = append(dst, modulator.Angle(d, want[k]))
		}
	}
	return dst
}

// outputGrad sets dy = δy_{k−1}, the gradient at layer k−1's output before
// its f', from dz = δz_k, back through layer k's forward weights
// (transport) or B_k; for a CONV layer k−1, on its whole map, through its
// pooling (zero but at the maxima).
func (n *Net) outputGrad(k int, dy, dz []float32, nb int, transport bool) {
	n.throughPrev(k, dy, n.inputGrad(k, dy, dz, nb, transport, false, true), nb, true, false)
}

// angleBuf returns a buffer for the alignment measurement, which is an
// observation, not part of training: it is kept out of ActivationBytes.
func (n *Net) angleBuf(role byte, layer, size int) []float32 {
	before := n.ws.bytes
	g := n.ws.get(role, 1000+layer, size)
	n.ws.bytes = before
	return g
}
