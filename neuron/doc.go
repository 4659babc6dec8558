// Package neuron holds the neuron models: the rate activations of the
// reference engine and the leaky integrate-and-fire (LIF) neuron of the
// spiking engine, with its post-synaptic factors and a leaky-integrator
// readout.
//
// # Rate neurons
//
// A rate neuron maps its net input z to an output through an element-wise
// Activation (tanh, sigmoid, relu, identity), whose derivative the learning
// rules need:
//
//	y = f(z)                                                         (R1)
//	f'(z):  tanh 1 − y²,  sigmoid y(1 − y),  relu H(z),  identity 1   (R2)
//
// Softmax is an output non-linearity kept beside them (its Jacobian is not
// diagonal, so it is not an Activation).
//
// # Spiking neurons
//
// Time is discrete, with steps of Δt ms (1 ms in the spiking engine). A LIF
// neuron i integrates its input current i_i[t] = Σ_j W_ij s_j[t] + b_i (the
// bias enters with the current, once per step) with a leak α per step:
//
//	α = exp(−Δt/τ_m)                                                 (N1)
//	v_i[t] = α v_i[t−1] + i_i[t] − θ s_i[t−1]        reset by subtraction
//	v_i[t] = α (1 − s_i[t−1]) v_i[t−1] + i_i[t]       reset to zero   (N2)
//	s_i[t] = H(v_i[t] − θ),   H(0) = 1                               (N3)
//
// An optional absolute refractory period of n_ref = round(t_ref/Δt) steps
// silences a neuron after each spike: during those steps it applies the
// reset of its spike once (v − θ, or 0), then holds that potential, ignores
// leak and input, and cannot fire:
//
//	v_i[t] = v_i[t−1] − θ s_i[t−1]  (or 0),   s_i[t] = 0,   ψ_i[t] = 0  (N4)
//
// LIFParams holds τ_m (ms), θ, the reset and t_ref (ms), with DefaultLIF
// giving τ_m = 20 ms, θ = 1, subtraction, no refractory period. LIFState
// holds the per-neuron state as slices, and LIFParams.Step advances it by
// one step in the order of eqs. N1–N4, returning the indices of the neurons
// that fired (the layer's output events); it allocates nothing.
//
// The spike has no useful derivative, so learning uses a post-synaptic
// factor ψ_i[t], a surrogate for ∂s_i/∂v_i, as the second factor of the
// three-factor rule:
//
//	ψ = max(0, 1 − |v − θ|/θ)                      Triangle          (N5)
//	ψ = 1 if |v − θ| < hθ, else 0   (h = ½)          Boxcar            (N6)
//	ψ = 1/(1 + β|v − θ|/θ)²         (β = 1)          FastSigmoid       (N6′)
//	ψ = 1                                            StraightThrough   (N6″)
//
// All are PostFactor values: variants are picked by type. The triangle and
// the boxcar vanish far from threshold, so a silent or saturated neuron
// stops learning; the fast sigmoid never quite does; the straight-through
// factor treats the spike as the potential itself, which suits a readout
// that must learn even while silent. LIFParams.Post applies one after a
// Step and zeroes ψ for refractory neurons (eq. N4). Step and the post
// factors are written without data-dependent branches: spikes fall at
// random, and mispredicted branches cost more than the arithmetic. On CPUs
// with AVX-512, Step's common case (no refractory period, reset by
// subtraction) and the triangle factor run sixteen neurons per instruction
// (the firing indices packed with a compress instruction), with the same
// results bit for bit: 0.20 µs per step and 0.07 µs per triangle factor
// for 1000 neurons, against 1.2 and 1.1 µs for the portable loops
// (BenchmarkLIFStep1000, with and without the kernels, other jobs paused).
//
// A non-spiking readout is a leaky integrator with time constant τ (ms):
//
//	u_c[t] = α u_c[t−1] + i_c[t],   α = exp(−Δt/τ)                   (N7)
//
// Units: membrane potentials, thresholds and currents are dimensionless
// (θ = 1 by default); time constants and periods are in ms; the input
// current is the charge delivered in one step.
package neuron
