package modulator

import (
	"fmt"
	"strings"
)

// Rule is a learning rule for the hidden layers. Concrete rules are either a
// Chain (BP, FA) or a ThirdFactor (DFA, sDFA, DRTP, shallow).
type Rule interface {
	String() string
}

// Chain is a rule whose hidden signal is carried back layer by layer from the
// output: δy_k = δz_{k+1} M_{k+1} (eqs. M2, M3).
type Chain interface {
	Rule
	// Transport reports whether M is the forward weight matrix itself (BP)
	// rather than a fixed random matrix of the same shape (FA).
	Transport() bool
}

// ThirdFactor is a rule whose hidden signal is a class-space vector s
// projected through a fixed random matrix: δy_k = s B_k (eqs. M4–M7).
type ThirdFactor interface {
	Rule
	// Signal writes s (n × C, row-major) from the targets t and the output
	// error e = y_K − t (same shape). It returns false when the rule carries
	// no signal at all (shallow): the hidden layers are then frozen.
	// e is nil when NeedsError is false.
	Signal(s, t, e []float32) bool
	// NeedsError reports whether the signal depends on the network's output,
	// so that a layer must wait for the forward pass to finish (update
	// locking) before it can learn.
	NeedsError() bool
}

// BP is backpropagation (eq. M2).
type BP struct{}

// FA is feedback alignment (eq. M3): the chain of BP through fixed random
// matrices shaped like the forward weights.
type FA struct{}

// DFA is direct feedback alignment (eq. M4).
type DFA struct{}

// SDFA is sign-DFA (eq. M5).
type SDFA struct{}

// DRTP is direct random target projection (eq. M6).
type DRTP struct{}

// Shallow trains the output layer only (eq. M7).
type Shallow struct{}

var (
	_ Chain       = BP{}
	_ Chain       = FA{}
	_ ThirdFactor = DFA{}
	_ ThirdFactor = SDFA{}
	_ ThirdFactor = DRTP{}
	_ ThirdFactor = Shallow{}
)

func (BP) String() string      { return "bp" }
func (FA) String() string      { return "fa" }
func (DFA) String() string     { return "dfa" }
func (SDFA) String() string    { return "sdfa" }
func (DRTP) String() string    { return "drtp" }
func (Shallow) String() string { return "shallow" }

// Transport is true: BP sends errors back through W.
func (BP) Transport() bool { return true }

// Transport is false: FA sends errors back through fixed random matrices.
func (FA) Transport() bool { return false }

// Signal copies the output error: s = e.
func (DFA) Signal(s, t, e []float32) bool {
	copy(s, e[:len(s)])
	return true
}

// NeedsError is true.
func (DFA) NeedsError() bool { return true }

// Signal sets s = sign(e) (0 where e is 0).
func (SDFA) Signal(s, t, e []float32) bool {
	for i := range s {
		switch {
		case e[i] > 0:
			s[i] = 1
		case e[i] < 0:
			s[i] = -1
		default:
			s[i] = 0
		}
	}
	return true
}

// NeedsError is true.
func (SDFA) NeedsError() bool { return true }

// Signal copies the target: s = y*.
func (DRTP) Signal(s, t, e []float32) bool {
	copy(s, t[:len(s)])
	return true
}

// NeedsError is false: the label alone is enough.
func (DRTP) NeedsError() bool { return false }

// Signal writes zeros and reports that there is no signal.
func (Shallow) Signal(s, t, e []float32) bool {
	for i := range s {
		s[i] = 0
	}
	return false
}

// NeedsError is false.
func (Shallow) NeedsError() bool { return false }

// Names lists the rules ParseRule accepts, in the paper's order.
var Names = []string{"bp", "fa", "dfa", "sdfa", "drtp", "shallow"}

// ParseRule returns the rule named s (case-insensitive).
func ParseRule(s string) (Rule, error) {
	switch strings.ToLower(s) {
	case "bp":
		return BP{}, nil
	case "fa":
		return FA{}, nil
	case "dfa":
		return DFA{}, nil
	case "sdfa":
		return SDFA{}, nil
	case "drtp":
		return DRTP{}, nil
	case "shallow":
		return Shallow{}, nil
	}
	return nil, fmt.Errorf("unknown learning rule %q: expected one of %s", s, strings.Join(Names, ", "))
}
