package neuron

import (
	"fmt"
	"math"
)

// Reset chooses what happens to the membrane potential after a spike
// (eq. N2 in doc.go).
type Reset int

const (
	// ResetSubtract removes θ from v at the step after a spike, keeping
	// whatever lay above threshold (the default).
	ResetSubtract Reset = iota
	// ResetZero sets the previous potential to zero before the leak.
	ResetZero
)

func (r Reset) String() string {
	if r == ResetZero {
		return "zero"
	}
	return "subtract"
}

// ParseReset returns the reset named s (subtract or zero).
func ParseReset(s string) (Reset, error) {
	switch s {
	case "subtract", "":
		return ResetSubtract, nil
	case "zero":
		return ResetZero, nil
	}
	return 0, fmt.Errorf("unknown reset %q: expected subtract or zero", s)
}

// LIFParams are the parameters of a population of leaky integrate-and-fire
// neurons (eqs. N1–N4). Membrane potentials and input currents are in the
// same dimensionless units as θ; times are in ms.
type LIFParams struct {
	TauMem     float64 // membrane time constant τ_m, ms (default 20)
	Theta      float32 // firing threshold θ, membrane units (default 1)
	Reset      Reset   // reset after a spike (default ResetSubtract)
	Refractory float64 // absolute refractory period t_ref, ms (default 0: none)
}

// DefaultLIF returns τ_m = 20 ms, θ = 1, reset by subtraction and no
// refractory period.
func DefaultLIF() LIFParams {
	return LIFParams{TauMem: 20, Theta: 1, Reset: ResetSubtract}
}

// Validate reports parameters that cannot be simulated.
func (p LIFParams) Validate() error {
	switch {
	case !(p.TauMem > 0) || math.IsInf(p.TauMem, 0):
		return fmt.Errorf("LIF: membrane time constant %g ms must be positive and finite", p.TauMem)
	case !(p.Theta > 0) || math.IsInf(float64(p.Theta), 0):
		return fmt.Errorf("LIF: threshold %g must be positive and finite", p.Theta)
	case !(p.Refractory >= 0) || math.IsInf(p.Refractory, 0):
		return fmt.Errorf("LIF: refractory period %g ms must be ≥ 0 and finite", p.Refractory)
	case p.Reset != ResetSubtract && p.Reset != ResetZero:
		return fmt.Errorf("LIF: unknown reset %d", p.Reset)
	}
	return nil
}

// Alpha returns the membrane decay per step of dt ms, α = exp(−dt/τ_m)
// (eq. N1).
func (p LIFParams) Alpha(dt float64) float32 { return float32(math.Exp(-dt / p.TauMem)) }

// RefractorySteps returns n_ref = round(t_ref/dt), the steps a neuron stays
// silent after a spike (eq. N4).
func (p LIFParams) RefractorySteps(dt float64) int32 {
	return int32(math.Round(p.Refractory / dt))
}

// LIFState is the state of n LIF neurons: one slice entry per neuron.
// The zero value is not usable; make it with NewLIFState.
type LIFState struct {
	V   []float32 // membrane potential v_i[t], membrane units
	S   []bool    // s_i[t]: whether neuron i spiked at the last step
	Ref []int32   // refractory counter: n_ref+1 at a spike, counted down; ≥ 1 with !S[i] means silent at the last step (eq. N4)
}

// NewLIFState returns n neurons at rest (v = 0, no spikes).
func NewLIFState(n int) *LIFState {
	return &LIFState{V: make([]float32, n), S: make([]bool, n), Ref: make([]int32, n)}
}

// Reset returns every neuron to rest.
func (s *LIFState) Reset() {
	clear(s.V)
	clear(s.S)
	clear(s.Ref)
}

// Refractory reports whether neuron i was silenced by its refractory period
// at the last step (so it integrated nothing and its post factor is 0).
func (s *LIFState) Refractory(i int) bool { return s.Ref[i] >= 1 && !s.S[i] }

// Step advances the neurons of st by one step of dt ms, given the input
// current i (i_k[t] = Σ_j W_kj s_j[t] + b_k, membrane units per step), and
// appends the indices of the neurons that spike to spikes[:0], which it
// returns (eqs. N1–N4). It allocates nothing when spikes has capacity n.
func (p LIFParams) Step(st *LIFState, i []float32, dt float64, spikes []int32) []int32 {
	v, s, ref := st.V, st.S, st.Ref
	if len(i) != len(v) || len(s) != len(v) || len(ref) != len(v) {
		panic(fmt.Sprintf("neuron: LIFParams.Step: input %d for %d neurons", len(i), len(v)))
	}
	alpha, theta := p.Alpha(dt), p.Theta
	nRef := p.RefractorySteps(dt)
	zero := p.Reset == ResetZero
	spikes = spikes[:0]
	if nRef == 0 && !zero && cap(spikes) >= len(v) {
		// The common case, without refractoriness, reset by subtraction,
		// written without data-dependent branches: spikes at random
		// positions would defeat branch prediction.
		i, s := i[:len(v)], s[:len(v)]
		sp := spikes[:len(v)]
		// A vector kernel where the CPU has one (the same numbers), then
		// the portable loop for the rest.
		done, n := stepFast(v, i, s, sp, alpha, theta)
		for k := done; k < len(v); k++ {
			// Leak, input and reset of the last step's spike (N2). The
			// conversion rounds α·v before the add, as the vector kernel
			// does, in every build (it forbids a fused multiply-add).
			vk := float32(alpha*v[k]) + i[k] - theta*float32(b2i(s[k]))
			// Threshold (N3).
			fire := vk >= theta
			sp[n] = int32(k)
			n += b2i(fire)
			v[k], s[k] = vk, fire
		}
		return sp[:n]
	}
	for k := range v {
		vk := v[k]
		// Refractory (N4): a neuron in its refractory period applies the
		// reset of its last spike once, then holds its potential, ignoring
		// leak and input; it cannot fire.
		if ref[k] > 1 {
			if s[k] {
				if zero {
					vk = 0
				} else {
					vk -= theta
				}
			}
			ref[k]--
			v[k], s[k] = vk, false
			continue
		}
		ref[k] = 0
		// Leak, input and reset of the last step's spike (N2).
		switch {
		case !s[k]:
			vk = alpha*vk + i[k]
		case zero:
			vk = i[k]
		default:
			vk = alpha*vk + i[k] - theta
		}
		// Threshold (N3).
		fire := vk >= theta
		if fire {
			spikes = append(spikes, int32(k))
			if nRef > 0 {
				ref[k] = nRef + 1
			}
		}
		v[k], s[k] = vk, fire
	}
	return spikes
}

// b2i is 1 for true and 0 for false, without a branch.
func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// LIParams are the parameters of a leaky integrator, the non-spiking readout
// u[t] = α u[t−1] + i[t] (eq. N7).
type LIParams struct {
	TauMem float64 // time constant τ, ms (default 20)
}

// Alpha returns α = exp(−dt/τ) for a step of dt ms.
func (p LIParams) Alpha(dt float64) float32 { return float32(math.Exp(-dt / p.TauMem)) }

// Step advances the integrators u by one step of dt ms with input current i
// (eq. N7). It allocates nothing.
func (p LIParams) Step(u, i []float32, dt float64) {
	if len(u) != len(i) {
		panic(fmt.Sprintf("neuron: LIParams.Step: input %d for %d integrators", len(i), len(u)))
	}
	a := p.Alpha(dt)
	i = i[:len(u)]
	for k := range u {
		u[k] = a*u[k] + i[k]
	}
}
