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
// set, acts on the input of every layer with inverted scaling.
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
// # Update locking
//
// DRTP and shallow need nothing from the layers above, so TrainBatch runs
// them layer by layer: layer k fires, learns at once from y* B_k, and its
// input buffer is reused for the output of layer k+1. The activation memory
// is two layer-widths whatever the depth. BP, FA, DFA and sDFA must finish
// the forward pass first and keep every layer's input and f'(z_k) until the
// signal returns: their memory grows with depth. ActivationBytes measures
// it. Both paths give exactly the updates of the paper's code, whose hooks
// compute every gradient at the pre-step weights.
//
// # Topologies
//
// Strings as in the paper's code: FC_1000_FC_10, FC_500_FC_500_FC_10,
// CONV_32_5_1_2_FC_1000_FC_10 (conv layers are parsed; training them is not
// implemented yet).
package network
