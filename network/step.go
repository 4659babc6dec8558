package network

import (
	"fmt"

	"drtp/modulator"
)

// Buffer roles in the workspace.
const (
	roleA      = 'a' // ping-pong activations, shared by all layers
	roleB      = 'b'
	roleZ      = 'z' // pre-activations z_k
	roleDelta  = 'd' // δy_k / δz_k
	roleDeriv  = 'f' // f'(z_k)
	roleDrop   = 'm' // dropped-out input copy
	roleSig    = 's' // class-space signal s
	roleIn     = 'i' // per-layer input y_{k−1}, kept for the backward pass
	roleMask   = 'k' // per-layer dropout scale, kept for the backward pass
	roleDelta2 = 'e' // second δ buffer for chains
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

func (n *Net) maxWidth() int {
	m := n.cfg.Inputs
	for _, l := range n.Layers {
		m = max(m, l.Syn.Out)
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

// trainLocal is the update-unlocked path (eq. M1 with M6 or M7): layer k
// fires, learns from s B_k and hands its output on; nothing is kept.
func (n *Net) trainLocal(b Batch, tf modulator.ThirdFactor) Result {
	nb, w, c := b.N, n.maxWidth(), n.out.c
	cur, next := n.ws.get(roleA, 0, nb*w), n.ws.get(roleB, 0, nb*w)
	z := n.ws.get(roleZ, 0, nb*w)
	delta := n.ws.get(roleDelta, 0, nb*w)
	deriv := n.ws.get(roleDeriv, 0, nb*w)
	s := n.ws.get(roleSig, 0, nb*c)
	active := tf.Signal(s, b.T[:nb*c], nil)
	_, oneHot := tf.(modulator.DRTP)
	oneHot = oneHot && b.Labels != nil

	in := b.X[:nb*n.cfg.Inputs]
	for k, l := range n.Layers {
		width := l.Syn.In * nb
		if n.cfg.Dropout > 0 {
			d := n.ws.get(roleDrop, 0, nb*w)[:width]
			n.dropout(d, in, nil)
			in = d
		}
		out := l.Syn.Out * nb
		zk, yk := z[:out], next[:out]
		l.Syn.Forward(zk, in, nb)
		if k == len(n.Layers)-1 {
			return n.learnOutput(l, zk, yk, in, b)
		}
		n.cfg.Hidden.Apply(yk, zk)
		if active {
			dk := delta[:out]
			if oneHot {
				l.Feedback.ProjectLabels(dk, b.Labels[:nb]) // y* B_k: a row of B_k
			} else {
				l.Feedback.Project(dk, s, nb)
			}
			n.cfg.Hidden.Deriv(deriv[:out], zk, yk)
			mulInto(dk, deriv[:out])
			n.update(l, dk, in, nb)
		}
		// The input of layer k is no longer needed: its buffer takes the
		// output of layer k+1.
		in = yk
		cur, next = next, cur
	}
	panic("unreachable")
}

// learnOutput applies the output non-linearity to z_K, computes the loss and
// its gradient and updates the output layer from its input in.
func (n *Net) learnOutput(l *Layer, zK, yK, in []float32, b Batch) Result {
	nb, c := b.N, n.out.c
	n.out.apply(yK, zK)
	r := Result{Loss: n.out.value(yK, b.T, nb), Correct: correct(yK, b.Labels, nb, c)}
	dz := n.ws.get(roleDelta2, 0, nb*c)
	n.out.grad(dz, zK, yK, b.T, nb)
	n.update(l, dz, in, nb)
	return r
}

// update hands ∇W = δzᵀ y_{k−1} and ∇b = Σ δz to the layer's optimiser.
func (n *Net) update(l *Layer, dz, in []float32, nb int) {
	gW := n.gradBuf(roleGradW, len(l.Syn.W))
	gB := n.gradBuf(roleGradB, len(l.Syn.B))
	l.Syn.Grad(gW, gB, dz, in, nb)
	l.optW.Step(l.Syn.W, gW)
	l.optB.Step(l.Syn.B, gB)
}

// gradBuf returns a gradient buffer shared by all layers. It is parameter
// memory, not activation memory, so it is kept out of ActivationBytes.
func (n *Net) gradBuf(role byte, size int) []float32 {
	before := n.ws.bytes
	g := n.ws.get(role, 0, size)
	n.ws.bytes = before
	return g
}

// mulInto sets a[i] *= b[i].
func mulInto(a, b []float32) {
	b = b[:len(a)]
	for i := range a {
		a[i] *= b[i]
	}
}

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
// ins[k] (after dropout, with the dropout scale when drop is set) and
// f'(z_k), and returns z_K and y_K. It is the update-locked part of BP, FA,
// DFA and sDFA: every layer's activations are held until the signal returns.
func (n *Net) forwardKeep(b Batch, drop bool) (ins [][]float32, zK, yK []float32) {
	nb := b.N
	drop = drop && n.cfg.Dropout > 0
	if cap(n.ins) < len(n.Layers) {
		n.ins = make([][]float32, len(n.Layers))
	}
	ins = n.ins[:len(n.Layers)]
	in := b.X[:nb*n.cfg.Inputs]
	for k, l := range n.Layers {
		if drop {
			d := n.ws.get(roleIn, k, nb*l.Syn.In)
			n.dropout(d, in, n.ws.get(roleMask, k, nb*l.Syn.In))
			in = d
		}
		ins[k] = in
		out := nb * l.Syn.Out
		z := n.ws.get(roleZ, k, out)
		y := n.ws.get(roleA, k, out)
		l.Syn.Forward(z, in, nb)
		if k == len(n.Layers)-1 {
			n.out.apply(y, z)
			return ins, z, y
		}
		n.cfg.Hidden.Apply(y, z)
		n.cfg.Hidden.Deriv(n.ws.get(roleDeriv, k, out), z, y)
		in = y
	}
	panic("unreachable")
}

// trainBuffered is the update-locked path of BP, FA (eqs. M2, M3), DFA and
// sDFA (M4, M5): a full forward pass, then the signal from the output.
func (n *Net) trainBuffered(b Batch) Result {
	nb, c := b.N, n.out.c
	ins, zK, yK := n.forwardKeep(b, true)
	K := len(n.Layers) - 1
	r := Result{Loss: n.out.value(yK, b.T, nb), Correct: correct(yK, b.Labels, nb, c)}
	dz := n.ws.get(roleDelta, K, nb*c)
	n.out.grad(dz, zK, yK, b.T, nb)

	if tf, ok := n.cfg.Rule.(modulator.ThirdFactor); ok {
		// Direct: every hidden layer hears s B_k at once.
		e := n.ws.get(roleDelta2, 0, nb*c)
		for i := range e {
			e[i] = yK[i] - b.T[i]
		}
		s := n.ws.get(roleSig, 0, nb*c)
		if tf.Signal(s, b.T[:nb*c], e) {
			for k := 0; k < K; k++ {
				l := n.Layers[k]
				dk := n.ws.get(roleDelta, k, nb*l.Syn.Out)
				l.Feedback.Project(dk, s, nb)
				mulInto(dk, n.ws.get(roleDeriv, k, nb*l.Syn.Out))
				n.update(l, dk, ins[k], nb)
			}
		}
		n.update(n.Layers[K], dz, ins[K], nb)
		return r
	}

	// Chain: δy_{k−1} = δz_k M_k, then layer k learns (its M is no longer
	// needed, so updating it now equals PyTorch's backward-then-step).
	for k := K; k >= 0; k-- {
		l := n.Layers[k]
		if k > 0 {
			prev := n.Layers[k-1]
			dprev := n.ws.get(roleDelta, k-1, nb*prev.Syn.Out)
			n.backThrough(l, dprev, dz, nb)
			if n.cfg.Dropout > 0 {
				mulInto(dprev, n.ws.get(roleMask, k, nb*l.Syn.In))
			}
			mulInto(dprev, n.ws.get(roleDeriv, k-1, nb*prev.Syn.Out))
			n.update(l, dz, ins[k], nb)
			dz = dprev
			continue
		}
		n.update(l, dz, ins[k], nb)
	}
	return r
}

// backThrough sets dx = dz M for the chain rules: M = W (BP) or the fixed
// random B of FA.
func (n *Net) backThrough(l *Layer, dx, dz []float32, nb int) {
	if l.Feedback != nil {
		l.Feedback.Project(dx, dz, nb) // B is Out × In: dz[nb×Out] · B
		return
	}
	l.Syn.Backward(dx, dz, nb)
}
