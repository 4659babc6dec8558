package synapse

import (
	"drtp/internal/vec"
	"fmt"

	"gonum.org/v1/gonum/blas/gonum"
)

// The three-factor update of a spiking layer: pre-synaptic trace x̄_j,
// post-synaptic factor ψ_i and third factor d_i (the dendritic signal),
//
//	ΔW_ij = −η Σ_t d_i[t] ψ_i[t] x̄_j[t]                               (T2)
//
// is an outer product at every step between the post-synaptic term
// m_i[t] = d_i[t] ψ_i[t] (Modulate) and the traces. Online, it is applied
// at every step to the inputs with a non-zero trace. Summed over a sample,
// the traces need not exist at all: since x̄ is a causal filter of the
// spikes, its adjoint moves onto m,
//
//	Σ_t m[t] x̄[t]ᵀ = Σ_t m̃[t] s[t]ᵀ,   m̃[t] = m[t] + α_x m̃[t+1],  m̃[T] = 0  (T3)
//
// (ReverseTrace), so that each input spike adds one row m̃[t] of the
// update: the update costs what the forward pass costs, one row per spike.
// Both forms are ThreeFactor calls on the weights' transposed, event-driven
// layout: w is In × Out, row j holding the Out synapses leaving input j.

var gonumBLAS = gonum.Implementation{}

// ThreeFactor adds scale · x[k] · m to row idx[k] of w (In × Out, rows of
// length out) for every k; x nil means x[k] = 1 (spikes):
//
//	w[idx[k]·out + i] += scale · x[k] · m[i]
//
// Online (eq. T2 at one step): w = Wᵀ, scale = −η, m = d ⊙ ψ at step t,
// idx and x the Idx and Val of the layer's Trace. Summed over a sample
// (eq. T3): w = the gradient ∇Wᵀ, scale = 1, m = m̃[t], idx and x the input
// events of step t. Work is len(idx) × out; it allocates nothing.
func ThreeFactor(w []float32, out int, scale float32, m []float32, idx []int32, x []float32) {
	if len(m) < out || (x != nil && len(x) < len(idx)) {
		panic(fmt.Sprintf("synapse: ThreeFactor: m of %d for rows of %d, %d values for %d rows", len(m), out, len(x), len(idx)))
	}
	m = m[:out]
	for k, j := range idx {
		a := scale
		if x != nil {
			a *= x[k]
		}
		if a == 0 {
			continue
		}
		row := w[int(j)*out : int(j+1)*out]
		if out >= 16 {
			gonumBLAS.Saxpy(out, a, m, 1, row, 1)
			continue
		}
		for i, mi := range m {
			row[i] += a * mi
		}
	}
}

// Modulate sets m_i = d_i ψ_i, the post-synaptic term of eq. T2; a nil d
// (no third factor) sets m to zero.
func Modulate(m, d, psi []float32) {
	if d == nil {
		clear(m)
		return
	}
	if len(d) != len(m) || len(psi) != len(m) {
		panic(fmt.Sprintf("synapse: Modulate: lengths m %d, d %d, ψ %d differ", len(m), len(d), len(psi)))
	}
	copy(m, d)
	vec.Mul(m, psi) // vector kernel where the CPU has one; same products
}

// ReverseTrace turns m (steps rows of width out, row t = m[t]) into the
// anti-causal trace m̃ in place (eq. T3): m̃[t] = m[t] + α m̃[t+1], from the
// last step back. Σ_t m̃[t] then weights an always-on input (a bias) as
// eq. T2 would with its trace.
func ReverseTrace(m []float32, steps, out int, alpha float32) {
	if len(m) < steps*out {
		panic(fmt.Sprintf("synapse: ReverseTrace: %d values for %d × %d", len(m), steps, out))
	}
	for t := steps - 2; t >= 0; t-- {
		gonumBLAS.Saxpy(out, alpha, m[(t+1)*out:(t+2)*out], 1, m[t*out:(t+1)*out], 1)
	}
}
