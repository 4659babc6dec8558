package synapse

import (
	"encoding/gob"
	"fmt"
	"math"

	"drtp/internal/parallel"
	"drtp/internal/vec"
)

func init() {
	// Checkpoints store optimisers behind the Optimizer interface.
	gob.Register(&SGDState{})
	gob.Register(&AdamState{})
	gob.Register(&RMSpropState{})
}

// Method is an optimisation method: a recipe that makes one Optimizer per
// parameter tensor. Hyper-parameters left at zero take PyTorch's defaults
// (torch.optim, version 1.13), listed on each type.
type Method interface {
	// New returns an optimiser holding the state for a tensor of n values.
	New(n int) Optimizer
	// Rate is the learning rate η.
	Rate() float64
	String() string
}

// Optimizer applies one update to a parameter tensor given its gradient:
// p ← p − step(g). It keeps the per-element state it needs (momentum,
// moments) and allocates nothing in Step.
type Optimizer interface {
	Step(p, g []float32)
}

// A PieceOptimizer can also take one step in pieces: Begin, then StepPiece
// on pieces that together cover the tensor once (from several goroutines
// at a time, as they are disjoint). The result is Step's, bit for bit.
// Dense.GradStep uses it to update each strip of W from its gradient while
// that is still in cache.
type PieceOptimizer interface {
	Optimizer
	// Begin starts a step of a tensor of n values.
	Begin(n int)
	// StepPiece updates p, the values [off, off+len(p)) of the tensor,
	// along their gradient g.
	StepPiece(p, g []float32, off int)
}

// SGD is stochastic gradient descent with momentum μ, optionally Nesterov's
// (NAG). The zero value has no momentum, as PyTorch's default; the command
// line's sgd and nag use μ = 0.9.
//
//	b ← μ b + g   (b = g on the first step)
//	p ← p − η b           (plain momentum)
//	p ← p − η (g + μ b)   (Nesterov)
type SGD struct {
	LR       float64 // η
	Momentum float64 // μ (0: plain gradient descent)
	Nesterov bool
}

// Adam is Kingma & Ba's method with PyTorch's defaults β1 = 0.9,
// β2 = 0.999, ε = 1e-8:
//
//	m ← β1 m + (1−β1) g;  v ← β2 v + (1−β2) g²
//	p ← p − η/(1−β1^t) · m / (√v/√(1−β2^t) + ε)
type Adam struct {
	LR, Beta1, Beta2, Eps float64
}

// RMSprop is Hinton's method with PyTorch's defaults α = 0.99, ε = 1e-8:
//
//	v ← α v + (1−α) g²;  p ← p − η g / (√v + ε)
type RMSprop struct {
	LR, Alpha, Eps float64
}

var (
	_ Method = SGD{}
	_ Method = Adam{}
	_ Method = RMSprop{}
)

// ParseMethod returns the method named s (sgd, nag, adam, rmsprop) with
// learning rate lr and PyTorch's defaults otherwise.
func ParseMethod(s string, lr float64) (Method, error) {
	switch s {
	case "sgd":
		return SGD{LR: lr, Momentum: 0.9}, nil
	case "nag":
		return SGD{LR: lr, Momentum: 0.9, Nesterov: true}, nil
	case "adam":
		return Adam{LR: lr}, nil
	case "rmsprop":
		return RMSprop{LR: lr}, nil
	}
	return nil, fmt.Errorf("unknown optimiser %q: expected adam, sgd, nag or rmsprop", s)
}

func orDefault(v, d float64) float64 {
	if v == 0 {
		return d
	}
	return v
}

// Rate returns η.
func (m SGD) Rate() float64 { return m.LR }

func (m SGD) String() string {
	if m.Nesterov {
		return "nag"
	}
	return "sgd"
}

// New returns SGD state for n values.
func (m SGD) New(n int) Optimizer {
	return &SGDState{LR: float32(m.LR), Mu: float32(m.Momentum), Nesterov: m.Nesterov, Buf: make([]float32, n)}
}

// SGDState is SGD's per-tensor state (exported so checkpoints can hold it).
type SGDState struct {
	LR, Mu   float32
	Nesterov bool
	Started  bool
	Buf      []float32 // momentum buffer b
}

// Step applies one SGD update.
func (s *SGDState) Step(p, g []float32) {
	checkStep("SGD", p, g, s.Buf)
	if !s.Started {
		copy(s.Buf, g)
		s.Started = true
	} else {
		for i, gi := range g {
			s.Buf[i] = s.Mu*s.Buf[i] + gi
		}
	}
	if s.Nesterov {
		for i, gi := range g {
			p[i] -= s.LR * (gi + s.Mu*s.Buf[i])
		}
		return
	}
	for i, bi := range s.Buf {
		p[i] -= s.LR * bi
	}
}

// Rate returns η.
func (m Adam) Rate() float64  { return m.LR }
func (m Adam) String() string { return "adam" }

// New returns Adam state for n values.
func (m Adam) New(n int) Optimizer {
	return &AdamState{
		LR: m.LR, Beta1: orDefault(m.Beta1, 0.9), Beta2: orDefault(m.Beta2, 0.999), Eps: orDefault(m.Eps, 1e-8),
		M: make([]float32, n), V: make([]float32, n),
	}
}

// AdamState is Adam's per-tensor state (exported so checkpoints can hold it).
type AdamState struct {
	LR, Beta1, Beta2, Eps float64
	T                     int       // steps taken
	M, V                  []float32 // first and second moment estimates

	p, g             []float32 // the tensor and gradient of the current Step
	step, invSqrtBC2 float32
}

// Step applies one Adam update, split across cores for large tensors (an
// optimiser step is bound by memory bandwidth, not arithmetic).
func (s *AdamState) Step(p, g []float32) {
	checkStep("Adam", p, g, s.M)
	s.Begin(len(p))
	s.p, s.g = p, g
	parallel.For(len(p), s)
	s.p, s.g = nil, nil
}

// Begin starts step t+1: it counts the step and sets the bias corrections
// that every piece of the step shares.
func (s *AdamState) Begin(n int) {
	if n != len(s.M) {
		panic(fmt.Sprintf("synapse: Adam.Begin: a step of %d values, state for %d", n, len(s.M)))
	}
	s.T++
	bc1 := 1 - math.Pow(s.Beta1, float64(s.T))
	bc2 := 1 - math.Pow(s.Beta2, float64(s.T))
	s.step = float32(s.LR / bc1)
	s.invSqrtBC2 = float32(1 / math.Sqrt(bc2))
}

// StepPiece updates p, the values [off, off+len(p)) of the tensor, from
// their gradient g, in float32 with vector instructions (vec.Adam, eq. 1
// of internal/vec).
func (s *AdamState) StepPiece(p, g []float32, off int) {
	end := off + len(p)
	vec.Adam(p, g, s.M[off:end], s.V[off:end],
		float32(s.Beta1), float32(s.Beta2), s.step, s.invSqrtBC2, float32(s.Eps))
}

// Do updates the elements [lo, hi) of the tensor given to Step.
func (s *AdamState) Do(lo, hi int) { s.StepPiece(s.p[lo:hi], s.g[lo:hi], lo) }

// Rate returns η.
func (m RMSprop) Rate() float64  { return m.LR }
func (m RMSprop) String() string { return "rmsprop" }

// New returns RMSprop state for n values.
func (m RMSprop) New(n int) Optimizer {
	return &RMSpropState{LR: float32(m.LR), Alpha: float32(orDefault(m.Alpha, 0.99)), Eps: float32(orDefault(m.Eps, 1e-8)), V: make([]float32, n)}
}

// RMSpropState is RMSprop's per-tensor state (exported so checkpoints can
// hold it).
type RMSpropState struct {
	LR, Alpha, Eps float32
	V              []float32 // running mean of g²
}

// Step applies one RMSprop update.
func (s *RMSpropState) Step(p, g []float32) {
	checkStep("RMSprop", p, g, s.V)
	for i, gi := range g {
		s.V[i] = s.Alpha*s.V[i] + (1-s.Alpha)*gi*gi
		p[i] -= s.LR * gi / (sqrt32(s.V[i]) + s.Eps)
	}
}

func sqrt32(x float32) float32 { return float32(math.Sqrt(float64(x))) }

func checkStep(name string, p, g, state []float32) {
	if len(p) != len(g) || len(p) != len(state) {
		panic(fmt.Sprintf("synapse: %s.Step: lengths p %d, g %d, state %d differ", name, len(p), len(g), len(state)))
	}
}
