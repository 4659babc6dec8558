package neuron

import "fmt"

// PostFactor is the post-synaptic factor ψ(v) of a three-factor rule: a
// surrogate for the derivative of the spike H(v − θ) with respect to the
// membrane potential (eqs. N5, N6). Psi writes into its first argument,
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
	for i, x := range v {
		d := (x - theta) * inv
		if d < 0 {
			d = -d
		}
		if d < 1 {
			psi[i] = 1 - d
		} else {
			psi[i] = 0
		}
	}
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
		if x > lo && x < hi {
			psi[i] = 1
		} else {
			psi[i] = 0
		}
	}
}

func (Boxcar) String() string { return "boxcar" }

// ParsePostFactor returns the post factor named s (triangle or boxcar).
func ParsePostFactor(s string) (PostFactor, error) {
	switch s {
	case "triangle", "":
		return Triangle{}, nil
	case "boxcar":
		return Boxcar{}, nil
	}
	return nil, fmt.Errorf("unknown post-synaptic factor %q: expected triangle or boxcar", s)
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
