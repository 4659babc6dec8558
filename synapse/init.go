package synapse

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Init chooses the initial forward weights of a layer. Biases always start
// as PyTorch's nn.Linear default, uniform ±1/√fan_in, as in the paper's
// released code.
type Init int

const (
	// InitDefault is PyTorch's nn.Linear default: W uniform ±1/√fan_in.
	InitDefault Init = iota
	// InitHe is He (Kaiming) uniform: W uniform ±√(6/fan_in), used by the
	// paper's synthetic experiments.
	InitHe
	// InitZero sets W to zero (the paper's zero-initialised feedback-
	// alignment networks, and the setting of its alignment theorem).
	InitZero
)

func (i Init) String() string {
	switch i {
	case InitHe:
		return "he"
	case InitZero:
		return "zero"
	}
	return "default"
}

// ParseInit returns the initialisation named s (default, he or zero).
func ParseInit(s string) (Init, error) {
	switch s {
	case "default":
		return InitDefault, nil
	case "he":
		return InitHe, nil
	case "zero":
		return InitZero, nil
	}
	return 0, fmt.Errorf("unknown initialisation %q: expected default, he or zero", s)
}

// Uniform fills dst with values drawn uniformly from [−bound, bound).
func Uniform(dst []float32, bound float64, rng *rand.Rand) {
	for i := range dst {
		dst[i] = float32((2*rng.Float64() - 1) * bound)
	}
}

// Initialize draws d's weights and biases with the given scheme.
func (d *Dense) Initialize(scheme Init, rng *rand.Rand) {
	fanIn := float64(d.In)
	switch scheme {
	case InitHe:
		Uniform(d.W, math.Sqrt(6/fanIn), rng)
	case InitZero:
		for i := range d.W {
			d.W[i] = 0
		}
	default:
		Uniform(d.W, 1/math.Sqrt(fanIn), rng)
	}
	Uniform(d.B, 1/math.Sqrt(fanIn), rng)
}
