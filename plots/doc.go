// Package plots draws the figures of the DRTP paper and of the spiking
// engine, ready for a paper: error and loss curves, alignment angles,
// spike rasters, membrane traces, activation densities and firing-rate
// histograms. It is built on gonum.org/v1/plot: every constructor returns a
// *plot.Plot that can be changed further, and Save writes one as PNG
// (300 dpi), SVG or PDF.
//
// # Style
//
// All figures share one look: Liberation Sans (embedded in gonum/plot, so
// the output is the same on every machine) at 9–11 pt for a figure printed
// ColumnWidth × ColumnHeight (5 × 3.5 in), labelled axes whose labels carry
// units, light grid lines, and the legend to the right of the axes where it
// can hide no data. Each learning rule keeps one colour in every figure,
// from the colour-blind-safe Okabe–Ito palette (see RuleColor): BP black,
// FA orange, DFA sky blue, sDFA blue, DRTP vermillion, shallow reddish
// purple. Series that share a colour ("DRTP train", "DRTP test") are told
// apart by dashes. Ordered series of one rule, such as the densities of
// one run at successive epochs (DensityCurves), go from light to dark
// blue.
//
// # Equations
//
// Alignment angles are smoothed by an exponential moving average of
// momentum m = 0.95 (AlignmentMomentum), as in the paper's Figs 2, 3 and
// S3:
//
//	s_0 = x_0,   s_t = m s_{t−1} + (1 − m) x_t                          (P1)
//
// A curve with a standard deviation σ over trials is drawn with the band
//
//	[ȳ_t − σ_t, ȳ_t + σ_t]                                             (P2)
//
// (for alignment curves, ȳ and σ both smoothed by P1). A raster stacks L
// layers in bands of height 1 and gap g (0.12); neuron i of N in layer k
// (k = 0 at the top) is drawn at
//
//	y = (L − 1 − k)(1 + g) + (i + ½)/N                                 (P3)
//
// so that a 10-neuron output layer gets as much room as a 784-pixel input.
// Densities are histograms normalised to area 1: with n_b of a sample's n
// values in a bin of width w,
//
//	p_b = n_b / (n w)                                                  (P4)
//
// (Density computes it, for callers that keep densities rather than
// values, and DensityCurves draws densities so kept.)
//
// # Units
//
// Times are in ms, firing rates in Hz, angles in degrees; error, loss and
// potentials are in whatever unit the caller's axis label names.
//
// # Errors
//
// Constructors copy their input and reject NaN, ±Inf, mismatched lengths
// and empty data with an error, never a panic. Only EMA, a building block
// over caller-sized slices, panics on a length mismatch.
package plots
