package synapse

import "fmt"

// Decay multiplies every trace by α: the leak of a pre-synaptic trace
// between two steps, x̄ ← α x̄ (the first term of eq. T1). After t steps
// without input a trace has fallen to α^t of its value.
func Decay(x []float32, alpha float32) {
	for i := range x {
		x[i] *= alpha
	}
}

// Trace holds the pre-synaptic traces of n inputs, a low-pass filter of
// their spikes with decay α_x per step:
//
//	x̄_j[t] = α_x x̄_j[t−1] + s_j[t],   x̄_j[−1] = 0                   (T1)
//
// It is sparse so that work follows the inputs that have spiked: Idx lists
// the inputs whose trace is non-zero (in the order of their first event)
// and Val[k] is the trace of input Idx[k]. With α_x = α = exp(−Δt/τ_m),
// x̄_j[t] is exactly ∂v_i[t]/∂W_ij of a neuron that has not reset
// (eq. N2 unrolled), which makes x̄ the pre-synaptic factor of the
// three-factor rule (eq. T2).
type Trace struct {
	Alpha float32   // α_x, decay per step
	Idx   []int32   // inputs with a non-zero trace
	Val   []float32 // Val[k] = x̄ of input Idx[k]

	pos []int32 // pos[j] = k+1 when Idx[k] = j, 0 when j has no trace
}

// NewTrace returns the traces of n inputs, all zero, decaying by alpha per
// step.
func NewTrace(n int, alpha float32) *Trace {
	return &Trace{Alpha: alpha, Idx: make([]int32, 0, n), Val: make([]float32, 0, n), pos: make([]int32, n)}
}

// Reset sets every trace to zero (x̄[−1] = 0, the start of a sample).
func (tr *Trace) Reset() {
	for _, j := range tr.Idx {
		tr.pos[j] = 0
	}
	tr.Idx, tr.Val = tr.Idx[:0], tr.Val[:0]
}

// Step advances the traces by one step (eq. T1): every trace decays, then
// input idx[k] adds val[k] (1 for spikes, when val is nil). It allocates
// nothing.
func (tr *Trace) Step(idx []int32, val []float32) {
	Decay(tr.Val, tr.Alpha)
	for k, j := range idx {
		v := float32(1)
		if val != nil {
			v = val[k]
		}
		if p := tr.pos[j]; p > 0 {
			tr.Val[p-1] += v
			continue
		}
		if int(j) >= len(tr.pos) || j < 0 {
			panic(fmt.Sprintf("synapse: Trace.Step: input %d outside [0, %d)", j, len(tr.pos)))
		}
		tr.Idx = append(tr.Idx, j)
		tr.Val = append(tr.Val, v)
		tr.pos[j] = int32(len(tr.Idx))
	}
}

// At returns x̄_j.
func (tr *Trace) At(j int) float32 {
	if p := tr.pos[j]; p > 0 {
		return tr.Val[p-1]
	}
	return 0
}
