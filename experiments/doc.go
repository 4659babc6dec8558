// Package experiments runs training and holds the paper's experiments as
// data.
//
// Run trains one rate-based network as a TrainConfig says and writes its run
// directory (package rundir) as it goes: config.json first, then after every
// epoch metrics.csv, angles.csv (with Angles: the alignment of δz_k, or with
// AngleOf "dy" of δy_k, with BP's), densities.csv (with Densities: the
// first hidden layer's activation density at epochs 0, 1, 2, 5, 10, …) and a
// checkpoint, and summary.json at the end. A run resumes from its checkpoint, so an interruption loses at most
// the current epoch; the same seed gives the same numbers.
//
// Each epoch reports the training loss and error measured on the whole
// training set after the epoch (as the paper's code does), the test loss and
// error, and the training throughput (samples per second, evaluation
// excluded). Errors are percentages.
//
// Catalog holds the paper's experiments as data (networks, rules, learning
// rates, epochs, trials, published values); Reproduce runs one, trials in
// parallel, and Report makes its tables and figures. EstimatedMinutes tells
// how long one takes on the development machine, from the epochs
// bench/epoch_times.sh timed.
package experiments
