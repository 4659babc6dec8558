// Package encode turns data into network input: one-hot targets for the
// rate engine and spike trains for the spiking engine.
//
// A spiking encoder sees one sample x (values in [0, 1], e.g. MNIST pixels)
// and produces, at each of T steps of Δt ms, the list of inputs active at
// that step (Events): spiking networks are driven by events, and a layer's
// work follows the length of that list, not the input size.
//
//	Poisson  p_j = min(1, x_j · r_max · Δt/1000),  s_j[t] ~ Bernoulli(p_j)   (E1)
//	Latency  t_j = round((1 − x_j)(T − 1))                 linear           (E2)
//	         t_j = round(τ ln(x_j/(x_j − x_θ)) / Δt)       logarithmic      (E3)
//	Current  i_j[t] = g · x_j   at every step              (analog)         (E4)
//	OneHot   y*_c = 1 if c is the label, else 0                            (E5)
//
// r_max is in Hz, Δt and τ in ms, so r_max·Δt/1000 is a probability per
// step: 200 Hz at Δt = 1 ms is 0.2 per step. A latency-coded input spikes
// once, at step t_j, and not at all when x_j ≤ x_θ or t_j ≥ T. The current
// encoder's value is a charge per step in membrane units (the LIF threshold
// is 1 by default).
//
// Every encoder takes its random source explicitly (a *rand.PCG from
// math/rand/v2) in Reset; the same source gives the same spikes. The
// concrete PCG, rather than a *rand.Rand, lets the Poisson encoder's one
// draw per lit input and step compile to an inlined call.
package encode
