// Package synapse holds the connections between layers and how they change:
// dense and 2-D convolutional synapse matrices (forward, transposed and
// outer-product products), their initialisation, the optimisers that apply
// an update, and for the spiking engine the pre-synaptic traces and the
// three-factor update.
//
// # Dense synapses
//
// A dense synapse maps a batch of pre-synaptic activities y (n × In) to
// post-synaptic inputs
//
//	z = y Wᵀ + b                          (S1, Dense.Forward)
//	∇W = δzᵀ y,  ∇b = Σ_n δz              (S2, Dense.Grad)
//	δy = δz W                             (S3, Dense.Backward: weight transport)
//
// W is Out × In, row-major. Dense.GradStep forms ∇W and applies an
// optimiser's step to it in one pass, strip of rows by strip of rows, so
// that ∇W is never stored (see PieceOptimizer).
//
// # Convolutional synapses
//
// A Conv synapse is PyTorch's Conv2d: OutC kernels of InC × K × K, stride S,
// zero padding P, on NCHW inputs. Each output side is
//
//	O = ⌊(I + 2P − K)/S⌋ + 1                                        (S4)
//
// and the convolution is one matrix product over the whole batch after
// im2col, the rearrangement of every input patch into a column:
//
//	col[(ci·K+ky)·K+kx][(s·OH+oy)·OW+ox] = x[s][ci][oy·S+ky−P][ox·S+kx−P]
//	z = W · col + b          (OutC × n·OH·OW, channel-major)      (S5, Conv.Forward)
//	∇W = δz · colᵀ,  ∇b = Σ δz over samples and positions        (S6, Conv.Grad)
//	δx = col2im(Mᵀ · δz),  M = W (BP) or a fixed random kernel (FA)  (S7, Conv.Backward)
//
// where col2im adds each entry back to the input position it came from
// (the adjoint of im2col).
//
// Cost per sample, with F = InC·K² the fan-in and A = OH·OW the output
// area: forward F·A·OutC multiply-adds (S5) plus F·A copies; the weight
// gradient the same again (S6); the backward pass (BP and FA only) the
// same again plus F·A additions (S7). For the MNIST CONV network's layer
// (CONV_32_5_1_2 on 1 × 28 × 28: F = 25, A = 784) that is 0.63 M
// multiply-adds for each of S5, S6 and S7 and 20 k copies. The products go
// through internal/gemm, whose blocked kernels split them across cores;
// the im2col buffer (F × n·A values) is supplied by the caller, so nothing
// allocates.
//
// # Optimisers
//
// Optimisers (SGD with momentum, Nesterov's NAG, Adam, RMSprop) follow
// PyTorch 1.13's formulas and defaults; each type's comment states its
// update.
package synapse
