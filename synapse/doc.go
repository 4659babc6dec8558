// Package synapse holds the connections between layers and how they change:
// dense synapse matrices (forward, transposed and outer-product products),
// their initialisation, the optimisers that apply an update, and for the
// spiking engine the pre-synaptic traces and the three-factor update.
//
// A dense synapse maps a batch of pre-synaptic activities y (n × In) to
// post-synaptic inputs
//
//	z = y Wᵀ + b                          (S1, Dense.Forward)
//	∇W = δzᵀ y,  ∇b = Σ_n δz              (S2, Dense.Grad)
//	δy = δz W                             (S3, Dense.Backward: weight transport)
//
// W is Out × In, row-major. Optimisers (SGD with momentum, Nesterov's NAG,
// Adam, RMSprop) follow PyTorch 1.13's formulas and defaults; each type's
// comment states its update.
package synapse
