package network

import (
	"fmt"
	"math"

	"drtp/neuron"
)

// Output is the output layer's non-linearity.
type Output int

const (
	// OutSigmoid is the logistic output (the paper's default, with BCE).
	OutSigmoid Output = iota
	// OutSoftmax normalises each output row to probabilities.
	OutSoftmax
	// OutTanh is the hyperbolic tangent (regression, with MSE).
	OutTanh
	// OutNone is the identity. With CE the outputs are logits and the loss
	// applies the softmax, as PyTorch's F.cross_entropy.
	OutNone
)

func (o Output) String() string {
	return [...]string{"sigmoid", "softmax", "tanh", "none"}[o]
}

// ParseOutput returns the output non-linearity named s.
func ParseOutput(s string) (Output, error) {
	for o := OutSigmoid; o <= OutNone; o++ {
		if o.String() == s {
			return o, nil
		}
	}
	return 0, fmt.Errorf("unknown output activation %q: expected sigmoid, softmax, tanh or none", s)
}

// Loss is the training objective J. All losses are means, as PyTorch's
// defaults: BCE and MSE over batch and classes, CE over the batch.
type Loss int

const (
	// BCE is binary cross-entropy, −mean(y* log y + (1−y*) log(1−y)), with
	// the logarithms clamped at −100 as PyTorch does (eq. L1).
	BCE Loss = iota
	// CE is cross-entropy over the softmax of the outputs,
	// −mean_n Σ_c y*_c log p_c (eq. L2).
	CE
	// MSE is the mean squared error, mean((y − y*)²) (eq. L3).
	MSE
)

func (l Loss) String() string { return [...]string{"bce", "ce", "mse"}[l] }

// ParseLoss returns the loss named s.
func ParseLoss(s string) (Loss, error) {
	for l := BCE; l <= MSE; l++ {
		if l.String() == s {
			return l, nil
		}
	}
	return 0, fmt.Errorf("unknown loss %q: expected bce, ce or mse", s)
}

// CheckPair reports whether loss l makes sense on output o.
func CheckPair(l Loss, o Output) error {
	switch {
	case l == BCE && (o == OutTanh || o == OutNone):
		return fmt.Errorf("loss bce needs outputs in (0, 1): use --output-act sigmoid or softmax, not %s", o)
	case l == CE && o != OutSoftmax && o != OutNone:
		return fmt.Errorf("loss ce applies a softmax: use --output-act softmax or none, not %s", o)
	}
	return nil
}

// outputLayer applies the output non-linearity and computes the loss and its
// gradient at z_K. Softmax with CE and sigmoid with BCE use their combined,
// numerically stable gradients (y − y*)/N and (y − y*)/(N·C).
type outputLayer struct {
	out  Output
	loss Loss
	c    int // classes / outputs
}

// probs reports whether the CE softmax is applied to z (output "none").
func (o outputLayer) apply(y, z []float32) {
	switch o.out {
	case OutSigmoid:
		neuron.Sigmoid{}.Apply(y, z)
	case OutSoftmax:
		neuron.Softmax(y, z, o.c)
	case OutTanh:
		neuron.Tanh{}.Apply(y, z)
	case OutNone:
		if o.loss == CE {
			neuron.Softmax(y, z, o.c) // the probabilities F.cross_entropy sees
		} else {
			copy(y, z)
		}
	}
}

const logClamp = -100 // PyTorch's BCE clamps log at −100

func clampedLog(v float32) float64 {
	if v <= 0 {
		return logClamp
	}
	return math.Max(math.Log(float64(v)), logClamp)
}

// value returns the mean loss of y against t for n samples.
func (o outputLayer) value(y, t []float32, n int) float64 {
	var s float64
	m := n * o.c
	switch o.loss {
	case BCE:
		for i := 0; i < m; i++ {
			// A term whose weight is 0 (one-hot targets: one of the two)
			// adds exactly 0, since clampedLog is finite: skip its log.
			var v float64
			if t[i] != 0 {
				v = float64(t[i]) * clampedLog(y[i])
			}
			if t[i] != 1 {
				v += float64(1-t[i]) * clampedLog(1-y[i])
			}
			s -= v
		}
		return s / float64(m)
	case CE:
		for i := 0; i < m; i++ {
			if t[i] != 0 {
				s -= float64(t[i]) * clampedLog(y[i])
			}
		}
		return s / float64(n)
	default:
		for i := 0; i < m; i++ {
			d := float64(y[i] - t[i])
			s += d * d
		}
		return s / float64(m)
	}
}

// grad sets dz = ∂J/∂z_K for outputs y = g(z) and targets t (eqs. L1–L3
// through the output non-linearity).
func (o outputLayer) grad(dz, z, y, t []float32, n int) {
	m := n * o.c
	switch {
	case o.loss == BCE && o.out == OutSigmoid:
		s := float32(1 / float64(m))
		for i := 0; i < m; i++ {
			dz[i] = (y[i] - t[i]) * s
		}
		return
	case o.loss == CE:
		s := float32(1 / float64(n))
		for i := 0; i < m; i++ {
			dz[i] = (y[i] - t[i]) * s
		}
		return
	}
	// General case: ∂J/∂y, then through g.
	s := float32(1 / float64(m))
	for i := 0; i < m; i++ {
		if o.loss == BCE {
			const eps = 1e-12
			yy := math.Min(math.Max(float64(y[i]), eps), 1-eps)
			dz[i] = float32((yy-float64(t[i]))/(yy*(1-yy))) * s
		} else {
			dz[i] = 2 * (y[i] - t[i]) * s
		}
	}
	switch o.out {
	case OutSigmoid:
		for i := 0; i < m; i++ {
			dz[i] *= y[i] * (1 - y[i])
		}
	case OutTanh:
		for i := 0; i < m; i++ {
			dz[i] *= 1 - y[i]*y[i]
		}
	case OutSoftmax:
		for r := 0; r < m; r += o.c {
			yr, dr := y[r:r+o.c], dz[r:r+o.c]
			var dot float32
			for j := range yr {
				dot += dr[j] * yr[j]
			}
			for j := range yr {
				dr[j] = yr[j] * (dr[j] - dot)
			}
		}
	}
}
