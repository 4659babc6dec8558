// Command drtp trains rate-based and spiking networks with direct random
// target projection (DRTP) and the rules it is compared with.
//
// Usage:
//
//	drtp                 train the default: DRTP on MNIST, FC_1000_FC_10, 3 epochs
//	drtp train [flags]   train one network and write a run directory
//	drtp reproduce NAME  run one of the paper's experiments (drtp reproduce list)
//	drtp plot KIND --run DIR   redraw a figure from a run directory
//	drtp bench           measure speed and memory on this machine
//	drtp help            this text
//
// Run `drtp train -h` for every flag. Exit status: 0 on success, 1 on a
// failure while running, 2 on bad input (flags, data files, run directory),
// 130 when interrupted.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	os.Exit(run(ctx, os.Stdout, os.Stderr, os.Args[1:]))
}

// usageError marks errors in the user's input: exit status 2.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

// run is the whole command; it returns the exit status.
func run(ctx context.Context, stdout, stderr io.Writer, args []string) int {
	var err error
	switch {
	case len(args) == 0:
		err = trainDefault(ctx, stdout, stderr)
	case args[0] == "train":
		err = train(ctx, stdout, stderr, args[1:])
	case args[0] == "reproduce":
		err = reproduce(ctx, stdout, stderr, args[1:])
	case args[0] == "plot":
		err = plotCmd(stdout, stderr, args[1:])
	case args[0] == "bench":
		err = benchCmd(stdout, stderr, args[1:])
	case args[0] == "help" || args[0] == "-h" || args[0] == "--help":
		fmt.Fprint(stdout, helpText)
		return 0
	default:
		err = usageError{fmt.Errorf("unknown command %q: expected train or help (see drtp help)", args[0])}
	}
	if err == nil {
		return 0
	}
	fmt.Fprintln(stderr, "drtp:", err)
	var ue usageError
	switch {
	case errors.As(err, &ue):
		return 2
	case errors.Is(err, context.Canceled):
		return 130
	}
	return 1
}

const helpText = `drtp trains neural networks with direct random target projection (DRTP)
and the learning rules it is compared with (BP, FA, DFA, sDFA, shallow).

Commands:
  drtp                  the default run: DRTP on MNIST, FC_1000_FC_10, 3 epochs,
                        Adam lr 1.5e-4, batch 60; prints the test error
  drtp train [flags]    train one network; writes a run directory (--out)
  drtp reproduce NAME   run one of the paper's experiments: trials, table, figures
  drtp reproduce list   the experiments and how long each takes here
  drtp plot KIND --run DIR
                        redraw a figure (curves, angles, densities) from a run
  drtp help             this text

Run 'drtp train -h' for the flags of a training run. Exit status 2 means bad
input (a flag, a data file, an output directory that already holds results).
`
