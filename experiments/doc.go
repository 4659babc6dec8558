// Package experiments runs training and holds the paper's experiments as
// data.
//
// Run trains one rate-based network as a TrainConfig says and writes its run
// directory (package rundir) as it goes: config.json first, then after every
// epoch metrics.csv, angles.csv and a checkpoint, and summary.json at the
// end. A run resumes from its checkpoint, so an interruption loses at most
// the current epoch; the same seed gives the same numbers.
//
// Each epoch reports the training loss and error measured on the whole
// training set after the epoch (as the paper's code does), the test loss and
// error, and the training throughput (samples per second, evaluation
// excluded). Errors are percentages.
package experiments
