// Package network composes rate-based layers into a network and trains it
// with one of the rules of package modulator (the paper's Algorithm 1 and its
// released PyTorch code).
//
// # Forward pass
//
//	z_k = W_k y_{k−1} + b_k,   y_k = f_k(z_k),   y_0 = x               (N1)
//
// with f_k the hidden activation (tanh by default) for k < K and the output
// non-linearity (sigmoid, softmax, tanh or none) for k = K. Dropout, when
// set, acts on the input of every FC layer with inverted scaling.
//
// # Output layer, every rule
//
// The true gradient of the loss (package-level Loss, means over batch and
// classes as PyTorch's defaults, CE over the batch only):
//
//	δz_K = (y_K − y*)/(N·C)       sigmoid + BCE                          (N2)
//	δz_K = (y_K − y*)/N           softmax + CE
//	δz_K = ∂J/∂y_K ⊙ g'(z_K)      otherwise (softmax: its Jacobian)
//
// # Hidden layers
//
// δy_k comes from the rule (modulator eqs. M2–M7), then
//
//	δz_k = δy_k ⊙ f'_k(z_k),  ∇W_k = δz_kᵀ y_{k−1},  ∇b_k = Σ_n δz_k   (N3)
//
// and the optimiser steps W_k ← W_k − step(∇W_k).
//
// # Convolutional layers
//
// A CONV_out_kernel_stride_padding layer is a convolution (package synapse,
// eqs. S4–S7; PyTorch's Conv2d default initialisation ±1/√(InC·K²) for
// kernels and biases), its activation (Config.ConvAct, by default the
// hidden one: tanh), then 2×2 max-pooling of stride 2 in floor mode:
//
//	z_k = conv(W_k, p_{k−1}) + b_k,   y_k = f(z_k),   p_k = maxpool(y_k)   (N4)
//
// CONV layers come first; the first FC layer reads p_k flattened
// channel-major (PyTorch's reshape of NCHW). Inside a layer the batch is
// channel-major (channels × samples × height × width) so that one matrix
// product covers the whole batch; pooling writes its output sample-major.
//
// Every rule's signal reaches a CONV layer at its output, after the
// activation and before the pooling, as the hooks of the paper's code:
// DRTP, DFA and sDFA through B_k of C × (channels·height·width), uniform
// ±√(6/(channels·height·width)); BP and FA through the pooling's adjoint
// (the gradient goes to the first maximum of each window) and the
// transposed convolution with W_k or with FA's fixed random kernels of
// W_k's shape (uniform ±√(6/(InC·K²)), kaiming_uniform_). With
// Config.FreezeConv the kernels never learn (the paper's random CONV
// networks); a layer that does not learn pools before its activation,
// max f(z) = f(max z) for the monotone activations, so f is applied to a
// quarter of the values. Predictions through CONV layers run in chunks of
// samples that bound their buffers.
//
// # Cost per sample
//
// For the paper's MNIST CONV network, CONV_32_5_1_2_FC_1000_FC_10 on
// 1 × 28 × 28 images (CONV output 32 × 28 × 28 = 25088 values, pooled to
// 6272), in multiply-adds (MAC):
//
//	                          DRTP      BP
//	CONV forward (S5)         0.63 M    0.63 M    + 19.6 k im2col copies
//	CONV weight gradient      0.63 M    0.63 M
//	FC_1000 forward           6.27 M    6.27 M
//	FC_1000 weight gradient   6.27 M    6.27 M
//	FC_1000 → CONV backward   —         6.27 M    + 25 k unpooling writes
//	output layer              0.02 M    0.03 M
//	total                     13.8 M    20.1 M
//
// plus 25 k activations, derivatives and pooling comparisons, and Adam over
// the 6.3 M parameters once per batch (0.1 M per sample at batch 60). Adam
// is memory-bound (it reads W, m, v and writes them back), so an FC layer
// takes its step strip by strip as its gradient is formed
// (synapse.Dense.GradStep): ∇W never goes to memory, which saves writing
// and re-reading 25 MB a batch on the 6272 → 1000 layer. An FC layer on
// the raw pixels (the first) skips the pixels blank across the batch,
// 35–42% of MNIST's in a batch of 60, in its forward product and its
// weight gradient. The DRTP signal is the label's row of B_k: read, never
// computed (its product y* B_k would be 10 × 25088 MAC). A direct rule
// forms a hidden layer's f(z), f'(z) and f'(z) ⊙ y* B_k in one pass over
// each sample's row (FC) or each channel of each sample (CONV), shared
// across the cores, so that the 25088 values of a CONV sample are read
// once from memory, not three times. The first CONV layer needs no
// backward convolution: its input is the image.
//
// # Update locking
//
// DRTP and shallow need nothing from the layers above, so TrainBatch runs
// them layer by layer: layer k fires, learns at once from y* B_k, and its
// input buffer is reused for the output of layer k+1 (a CONV layer's input
// survives only as the im2col of its own update). The activation memory is
// that of the largest layer whatever the depth. Nor does the output layer
// need the last hidden layer's update, only its output: the two learn at
// once, the output layer's small step on a second core while the hidden
// layer's update runs, with the same results bit for bit as one after the
// other (no shared buffer, and dropout drawn on the caller in the same
// order). BP, FA, DFA and sDFA must
// finish the forward pass first and keep every layer's input and f'(z_k)
// (for CONV layers also y_k, for the pooling's adjoint) until the signal
// returns: their memory grows with depth. ActivationBytes measures it.
// BP and FA need a CONV layer's f' only where the adjoint routes the
// gradient, at the window maxima, where y_k is the pooled output: they
// keep f' of the pooled map, a quarter of the size, instead.
// Both paths give exactly the updates of the paper's code, whose hooks
// compute every gradient at the pre-step weights.
//
// # Topologies
//
// Strings as in the paper's code: FC_1000_FC_10, FC_500_FC_500_FC_10,
// CONV_32_5_1_2_FC_1000_FC_10, CONV_64_3_1_1_CONV_256_3_1_1_FC_1000_FC_1000_FC_10.
package network
