package neuron

import (
	"fmt"
	"math"
)

// PostFactor is the post-synaptic factor ψ(v) of a three-factor rule: a
// surrogate for the derivative of the spike H(v − θ) with respect to the
// membrane potential (eqs. N5, N6, N6′, N6″). Psi writes into its first argument,
// reads v and allocates nothing.
type PostFactor interface {
	// Psi sets psi[i] = ψ(v[i]) for threshold theta.
	Psi(psi, v []float32, theta float32)
	// String is the factor's name as the command line spells it.
	String() string
}

// Triangle is ψ = max(0, 1 − |v − θ|/θ): 1 at threshold, falling linearly
// to 0 at v = 0 and v = 2θ (eq. N5).
type Triangle struct{}

// Boxcar is ψ = 1 inside the window |v − θ| < h·θ and 0 outside (eq. N6).
// Half is h; the zero value means ½, the window with the triangle's area.
type Boxcar struct {
	Half float32 // half-width h of the window, in units of θ
}

var (
	_ PostFactor = Triangle{}
	_ PostFactor = Boxcar{}
)

// Psi sets psi = max(0, 1 − |v − θ|/θ).
func (Triangle) Psi(psi, v []float32, theta float32) {
	checkLen("Triangle.Psi", psi, v)
	inv := 1 / theta
	v = v[:len(psi)]
	// A vector kernel where the CPU has one (the same numbers), then the
	// portable loop for the rest.
	for i := triangleFast(psi, v, theta, inv); i < len(v); i++ {
		// Branch-free: |·| and max(0, ·) on the sign bit.
		r := 1 - abs32((v[i]-theta)*inv)
		psi[i] = relu32(r)
	}
}

// abs32 returns |x| by clearing the sign bit.
func abs32(x float32) float32 { return math.Float32frombits(math.Float32bits(x) &^ (1 << 31)) }

// relu32 returns max(0, x) for x not NaN, without a branch.
func relu32(x float32) float32 {
	b := math.Float32bits(x)
	return math.Float32frombits(b &^ uint32(int32(b)>>31))
}

func (Triangle) String() string { return "triangle" }

// Psi sets psi = 1 where |v − θ| < hθ, else 0.
func (b Boxcar) Psi(psi, v []float32, theta float32) {
	checkLen("Boxcar.Psi", psi, v)
	h := b.Half
	if h == 0 {
		h = 0.5
	}
	lo, hi := theta-h*theta, theta+h*theta
	v = v[:len(psi)]
	for i, x := range v {
		psi[i] = float32(b2i(x > lo) & b2i(x < hi))
	}
}

func (Boxcar) String() string { return "boxcar" }

// ParsePostFactor returns the post factor named s (triangle, boxcar,
// fastsigmoid or straight).
func ParsePostFactor(s string) (PostFactor, error) {
	switch s {
	case "triangle", "":
		return Triangle{}, nil
	case "boxcar":
		return Boxcar{}, nil
	case "fastsigmoid":
		return FastSigmoid{}, nil
	case "straight":
		return StraightThrough{}, nil
	}
	return nil, fmt.Errorf("unknown post-synaptic factor %q: expected triangle, boxcar, fastsigmoid or straight", s)
}

// Post sets psi to the post factor f of the neurons of st after a Step
// (eqs. N5, N6), and to 0 for neurons silenced by their refractory period
// (eq. N4), whose potential did not depend on their input.
func (p LIFParams) Post(f PostFactor, psi []float32, st *LIFState) {
	f.Psi(psi, st.V, p.Theta)
	if p.Refractory == 0 {
		return
	}
	for i := range psi {
		if st.Refractory(i) {
			psi[i] = 0
		}
	}
}

// FastSigmoid is ψ = 1/(1 + β|v − θ|/θ)², the derivative of a fast sigmoid
// (SuperSpike's surrogate): 1 at threshold, never zero, so that a neuron
// far from threshold, silent or saturated, still learns a little (eq. N6′).
// The zero value means β = 1.
type FastSigmoid struct {
	Beta float32 // steepness β, per unit of θ
}

var _ PostFactor = FastSigmoid{}

// Psi sets psi = 1/(1 + β|v − θ|/θ)².
func (f FastSigmoid) Psi(psi, v []float32, theta float32) {
	checkLen("FastSigmoid.Psi", psi, v)
	b := f.Beta
	if b == 0 {
		b = 1
	}
	k := b / theta
	v = v[:len(psi)]
	for i, x := range v {
		r := 1 / (1 + abs32((x-theta)*k))
		psi[i] = r * r
	}
}

func (FastSigmoid) String() string { return "fastsigmoid" }

// StraightThrough is ψ = 1 everywhere: the straight-through estimator,
// which treats the spike as if it were the potential itself (eq. N6″).
// It suits a readout layer, whose learning must not stop when its
// potential is far from threshold.
type StraightThrough struct{}

var _ PostFactor = StraightThrough{}

// Psi sets psi = 1.
func (StraightThrough) Psi(psi, v []float32, theta float32) {
	checkLen("StraightThrough.Psi", psi, v)
	for i := range psi {
		psi[i] = 1
	}
}

func (StraightThrough) String() string { return "straight" }
