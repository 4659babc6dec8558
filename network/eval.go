package network

import (
	"math"

	"drtp/modulator"
)

// Predict runs the forward pass on b without dropout or learning and returns
// the outputs y_K (n × C, a view into the workspace, valid until the next
// call) and the step's loss and correct count.
func (n *Net) Predict(b Batch) ([]float32, Result) {
	n.checkBatch(b)
	nb, w := b.N, n.maxWidth()
	cur, next := n.ws.get(roleA, 0, nb*w), n.ws.get(roleB, 0, nb*w)
	z := n.ws.get(roleZ, 0, nb*w)
	in := b.X[:nb*n.cfg.Inputs]
	for k, l := range n.Layers {
		out := nb * l.Syn.Out
		zk, yk := z[:out], next[:out]
		l.Syn.Forward(zk, in, nb)
		if k == len(n.Layers)-1 {
			n.out.apply(yk, zk)
			return yk, Result{Loss: n.out.value(yk, b.T, nb), Correct: correct(yk, b.Labels, nb, n.out.c)}
		}
		n.cfg.Hidden.Apply(yk, zk)
		in = yk
		cur, next = next, cur
	}
	panic("unreachable")
}

// Angles returns, for each hidden layer, the angle in degrees between the
// δz_k the network's rule prescribes on batch b and the δz_k backpropagation
// prescribes at the same weights (eq. M8), without learning. Dropout is off.
// An angle is NaN where the rule has no signal (shallow).
func (n *Net) Angles(dst []float64, b Batch) []float64 {
	n.checkBatch(b)
	nb, c, K := b.N, n.out.c, len(n.Layers)-1
	dst = dst[:0]
	_, zK, yK := n.forwardKeep(b, false)
	// BP's δz, layer by layer, into the angle buffers.
	bp := make([][]float32, K+1) // small: K slice headers
	bp[K] = n.angleBuf('P', K, nb*c)
	n.out.grad(bp[K], zK, yK, b.T, nb)
	for k := K; k > 0; k-- {
		prev := n.Layers[k-1].Syn.Out
		bp[k-1] = n.angleBuf('P', k-1, nb*prev)
		n.Layers[k].Syn.Backward(bp[k-1], bp[k], nb)
		mulInto(bp[k-1], n.ws.get(roleDeriv, k-1, nb*prev))
	}
	// The rule's δz.
	switch r := n.cfg.Rule.(type) {
	case modulator.Chain:
		if r.Transport() {
			for k := 0; k < K; k++ {
				dst = append(dst, 0)
			}
			return dst
		}
		dz := bp[K]
		rule := make([][]float32, K)
		for k := K; k > 0; k-- {
			prev := n.Layers[k-1].Syn.Out
			rule[k-1] = n.angleBuf('R', k-1, nb*prev)
			n.Layers[k].Feedback.Project(rule[k-1], dz, nb)
			mulInto(rule[k-1], n.ws.get(roleDeriv, k-1, nb*prev))
			dz = rule[k-1]
		}
		for k := 0; k < K; k++ {
			dst = append(dst, modulator.Angle(rule[k], bp[k]))
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
			out := nb * n.Layers[k].Syn.Out
			d := n.angleBuf('R', k, out)
			n.Layers[k].Feedback.Project(d, s, nb)
			mulInto(d, n.ws.get(roleDeriv, k, out))
			dst = append(dst, modulator.Angle(d, bp[k]))
		}
	}
	return dst
}

// angleBuf returns a buffer for the alignment measurement, which is an
// observation, not part of training: it is kept out of ActivationBytes.
func (n *Net) angleBuf(role byte, layer, size int) []float32 {
	before := n.ws.bytes
	g := n.ws.get(role, 1000+layer, size)
	n.ws.bytes = before
	return g
}
