// Package modulator holds the learning signals of the hidden layers: the
// third factor of a three-factor rule. A hidden layer k learns from an
// estimate δy_k of the loss gradient at its output,
//
//	δz_k = δy_k ⊙ f'_k(z_k),   ∇W_k = δz_kᵀ y_{k−1}                   (M1)
//
// and the rules differ only in where δy_k comes from:
//
//	BP       δy_k = δz_{k+1} W_{k+1}          weight transport      (M2)
//	FA       δy_k = δz_{k+1} B_{k+1}          fixed random chain    (M3)
//	DFA      δy_k = e B_k,  e = y_K − y*      output error          (M4)
//	sDFA     δy_k = sign(e) B_k               the error's sign      (M5)
//	DRTP     δy_k = y* B_k                    the target only       (M6)
//	shallow  δy_k = 0                         nothing: frozen       (M7)
//
// (batch rows; B_k is C × n_k, so y* B_k is the row of B_k the label
// selects). BP and FA are Chain rules: the signal travels back layer by
// layer. DFA, sDFA, DRTP and shallow are ThirdFactor rules: a class-space
// vector s (eqs. M4–M7) projected through a fixed random Feedback matrix.
// DRTP and shallow need nothing from the output, so a layer can learn as soon
// as it has fired; the spiking engine uses the same ThirdFactor values for
// the dendritic signal of its LIF layers.
//
// The alignment angle between a rule's δz_k and BP's at the same weights and
// batch (the paper's Figs. 2 and 3; its Figs. S1–S3 compare δy_k, before
// f' weighs it), flattened over the batch, is
//
//	∠ = arccos( ⟨a, b⟩ / (‖a‖ ‖b‖) )  in degrees                    (M8)
//
// Feedback matrices are drawn once, uniform ±√(6/n_k) (PyTorch's
// kaiming_uniform_ on a C × n_k tensor, as the paper's code), and never
// trained. The signals are not scaled by the batch size, as in the paper's
// code: with Adam the scale does not matter.
package modulator
