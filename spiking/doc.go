// Package spiking simulates feedforward networks of leaky integrate-and-fire
// (LIF) neurons that learn with three-factor rules: DRTP, DFA, sDFA or
// nothing (shallow) in the hidden layers, the output layer learning from its
// own error. It is the spiking engine of drtp.
//
// # The network
//
// A topology string such as "FC_1000_FC_10" gives the layers (FC only).
// Time is discrete, T steps of Δt ms per sample; the state of every neuron
// and trace starts at zero for each sample. At step t an encoder (package
// encode, eqs. E1–E4) gives the input events s_0[t]; each layer k adds one
// row of its weights per event of the layer below, then steps its LIF
// neurons (package neuron, eqs. N1–N3):
//
//	i_k[t] = W_k s_{k−1}[t] + b_k,   v_k, s_k from eqs. N2, N3          (K1)
//
// The readout is either the output LIF layer — the prediction is the class
// with the most spikes over the sample, ties going to the larger summed
// potential — or a layer of leaky integrators (eq. N7), whose prediction is
// the class with the largest Σ_t u_c[t] (Config.Readout).
//
// # Learning
//
// Every synapse learns by the three-factor rule of eq. T2 (package
// synapse): pre-synaptic trace x̄_j (eq. T1, α_x = exp(−Δt/τ_x), τ_x = τ_m
// by default, which makes x̄_j = ∂v_i/∂W_ij between resets), post-synaptic
// factor ψ_i (eq. N5 or N6) and a third factor d_i:
//
//	ΔW_ij = −η Σ_t d_i[t] ψ_i[t] x̄_j[t]                                (T2)
//
// The output layer's third factor is its own error, with a straight-through
// post factor (ψ = 1) by default (Config.OutputPost) so that a silent output
// neuron still learns:
//
//	e_c[t] = s_c[t] − ρ* y*_c,   ρ* = r*·Δt/1000      spikes, "rate"      (O1)
//	e_c[t] = softmax(v[t])_c − y*_c                   spikes, "softmax"   (O1′)
//	e_c[t] = softmax(u[t])_c − y*_c                   integrated          (O2)
//
// with r* the target rate (Hz) of the label's neuron. A hidden layer k's
// third factor sits in its dendrite (Dendrite), a fixed random projection
// B_k (C × n_k, eq. M6's matrix) of a class-space signal:
//
//	DRTP     d_k = B_kᵀ y*             the label alone: known at t = 0,    (D1)
//	                                   fixed for the sample, no feedback
//	DRTP, spiking dendrite:
//	         d_k[t] = α_d d_k[t−1] + B_kᵀ s*[t],  s*_c[t] ~ Bernoulli(ρ_d y*_c)  (D2)
//	DFA      d_k[t] = B_kᵀ e[t]        the output error of the same step   (D3)
//	sDFA     d_k[t] = B_kᵀ sign(e[t])                                      (D4)
//	shallow  d_k = 0                   hidden layers frozen
//
// With Config.RateReg > 0 (by default for DRTP and sDFA, DefaultRateReg)
// every hidden rule but shallow also pulls each neuron's firing rate
// towards ρ_h (Config.HiddenRate), the
// firing-rate regularisation of e-prop (Bellec et al. 2020) with the rate
// measured causally within the sample, from the neuron's own spikes only
// (no feedback, so DRTP stays free of update locking):
//
//	d_i[t] ← d_i[t] + λ (r_i[t] − ρ_h Δt/1000),   r_i[t] = Σ_{t′≤t} s_i[t′] / (t+1)   (R1)
//
// Optionally (Config.CenterB) each column of B_k is centred over the
// classes, Σ_c B_ci = 0, so that no neuron is pushed the same way for every
// class (D5). Updates are either summed over the sample, through the
// reverse trace of eq. T3 so that each input event adds one row of the
// gradient, and handed to the optimiser (Adam by default) once per batch;
// or applied online at every step with plain SGD (Config.Online), which
// needs no memory of the past and no update locking: a DRTP layer learns as
// soon as it has fired.
//
// # Alignment
//
// The angle between the update a rule prescribes and the update surrogate-
// gradient backpropagation through the readout would prescribe at the same
// state, both summed over the sample (or batch) and flattened:
//
//	δ_K[t] = e[t] ⊙ ψ_K[t],   δ_k[t] = (W_{k+1}ᵀ δ_{k+1}[t]) ⊙ ψ_k[t],
//	ΔW_k^BP = Σ_t δ_k[t] x̄_{k−1}[t]ᵀ                                     (A1)
//	∠_k = angle(Σ_t d_k ψ_k x̄_{k−1}ᵀ, ΔW_k^BP)   (eq. M8)               (A2)
//
// Net.Alignment measures it for one sample; Config.AngleEvery records it
// during training (Stats.Angles). With eq. R1 the rule's update includes
// the regulariser's term, which BP of the task loss has not: the angle
// then says how far the whole update strays from the task's gradient.
//
// # Cost
//
// Work follows the spikes. Per sample, with S_{k−1} the events entering
// layer k over the sample (S_0 the input spikes), n_k its width, T the
// steps, U_{k−1} the distinct inputs of layer k that fired at least once:
//
//	forward           Σ_k S_{k−1} n_k  adds (one weight row per event)
//	                  + T Σ_k n_k      neuron updates (leak, threshold)
//	summed learning   + T Σ_k n_k      (ψ, d ⊙ ψ, reverse trace m̃)
//	                  + Σ_k S_{k−1} n_k  (the rows m̃[t] of each input's
//	                                  spikes, summed in cache)
//	                  + Σ_k U_{k−1} n_k  (one gradient row per input)
//	                  + |W|/B          (the optimiser, once per batch of B)
//	DFA, sDFA         + T C Σ_k n_k    (B_kᵀ e[t] at every step)
//	online learning   + T Σ_k A_{k−1} n_k  instead of the summed terms,
//	                  A_{k−1} the inputs whose trace is non-zero
//
// The input does not depend on the network, so the events of every step
// are drawn before the time loop (except with the spiking dendrite, whose
// target spikes share the random source). While the weights hold still
// for the sample (summed updates), the first layer's currents of all T
// steps are then computed at once, 64 columns at a time over all the
// steps (stepCurrents): those columns of the ~200 input rows that fire
// stay in L1 across the steps instead of being fetched from L2 once per
// spike (drtp bench --only spiking: 3.9–4.4k training samples a second
// against 3.0–3.2k step by step, alternating runs on an Intel Xeon with
// AVX-512). Where the AVX-512 kernels run, that layer keeps its weights,
// gradients and optimiser state in column panels (panels.go): the 64
// columns a kernel works on are one contiguous block, not 784 pieces a
// page apart, which cut the currents' time by two fifths
// (BenchmarkStepCurrents) and made training 7.5% faster. Other layers add the weight rows of a step's events with the
// currents held in registers across the rows. The summed update goes a
// block of columns at a time over every input that fired, adding the
// rows m̃[t] of its spikes in registers and then to its gradient row, so
// that those columns of m̃ stay in L1 across the inputs
// (BenchmarkTrainDRTP, about 1 000 input events a sample: 7.5% less time
// per training sample than summing one input's rows at a time). The
// kernels take eight floats at a time with AVX and sixteen with AVX-512
// (kernels512_amd64.s, written by go generate); the neurons step and
// their triangle factors are computed sixteen at a time with AVX-512
// (package neuron). Every kernel does the operations of the loop it
// replaces in the same order, so it gives the same numbers, bit for bit.
// The readout (n_K = 10) is too narrow for row adds: on steps where more
// than In/8 hidden neurons fire, it works on the dense input vector
// instead, Out dot products (in the order of gonum's Sdot; with spike
// inputs, masked adds of ten rows at a time) and Out axpys of length In. Nothing in the forward pass or the
// summed update is dense over T × inputs × neurons. Workers simulate the
// samples of a batch in parallel (Config.Workers), each with its own state
// and gradient; their gradients are summed in a fixed order, so the same
// seeds give the same numbers.
//
// # What the defaults reach
//
// DefaultConfig on MNIST, LIF FC_1000_FC_10, Poisson input, 10 epochs
// (drtp reproduce spiking; results/spiking), test error after the last
// epoch, mean ± std over seeds 1–3 (at T = 50, DRTP and shallow over seeds
// 1–10: 3.81, 3.70, 3.75, 3.75, 3.78, 3.68, 3.79, 3.84, 3.74, 3.94% and
// 6.05, 6.24, 5.89, 5.85, 6.16, 6.44, 6.04, 6.01, 5.95, 6.12%); DRTP and
// sDFA with the rate regulariser of eq. R1 (DefaultRateReg), DFA without:
//
//	T (steps)   DRTP           DFA            sDFA           shallow
//	10          6.62 ± 0.15%                                 21.50 ± 0.02%
//	25          4.20 ± 0.13%                                 7.80 ± 0.36%
//	50          3.78 ± 0.07%   1.81 ± 0.05%   3.68 ± 0.08%   6.08 ± 0.18%
//	100         3.69 ± 0.08%                                 5.57 ± 0.08%
//
// Without eq. R1, DRTP reaches 7.00, 4.54, 4.19 and 4.09% at T = 10, 25,
// 50 and 100, and sDFA 4.03% (results/spiking-rate-reg); with it, DFA
// falls to 11%, its Bᵀe shrinking with the error until λ outweighs it.
// Shallow learning gains the most from longer samples: with few steps the
// frozen layer hardly fires (75 spikes per sample at T = 10, 1 800 at
// T = 100). DRTP's lead is 14.9 points at T = 10, 3.6 at T = 25, 2.3 at
// T = 50 (2.10–2.76 seed by seed) and 1.9 at T = 100. The fully spiking
// DRTP of eq. D2 (Config.Dendrite, drtp train --dendrite) reaches
// 4.12% at T = 50 (seed 1), against 3.81% with B_kᵀ y* held for the
// sample (4.28 and 4.09% without eq. R1).
//
// Training drives the hidden layer from about 800 spikes per sample (the
// frozen layer of shallow learning) to 16 300 at T = 50 (DRTP with eq. R1;
// 24 500 without; 16 600 for DFA): many neurons end up firing at every
// step, their potentials far above θ where the triangle post factor is
// zero, so that on a given sample only the neurons near threshold learn
// (results/spiking-trained).
//
// The input rate sets how active the frozen layer is, and so how strong a
// baseline shallow learning is (T = 50, mean ± std over seeds 1–3; 1–10 at
// 400 Hz):
//
//	max rate   DRTP           shallow        frozen layer's spikes per sample
//	200 Hz     4.00 ± 0.03%   9.34 ± 0.19%     220
//	400 Hz     3.78 ± 0.07%   6.08 ± 0.18%     800
//	1000 Hz    3.76 ± 0.08%   4.41 ± 0.11%   2 800
//
// At 1000 Hz a random LIF layer is nearly as good a feature map as a
// trained one.
//
// # Recording
//
// Recorders (SpikeCSV for rasters, MembraneCSV for potentials, Rates for
// firing rates) observe Net.Simulate step by step through read-only views
// and stream what they keep.
package spiking
