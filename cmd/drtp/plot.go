package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"drtp/experiments"
)

func plotCmd(stdout, stderr io.Writer, args []string) error {
	fs := flag.NewFlagSet("drtp plot", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("run", "", "run directory to draw from")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: drtp plot KIND --run DIR\n\nRedraws a figure from a run directory without retraining, as DIR/fig-KIND*.png and .svg.\nKinds: %s.\n\nFlags:\n", strings.Join(experiments.PlotKinds, ", "))
		fs.PrintDefaults()
	}
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			fs.Usage()
			return nil
		}
		fs.Usage()
		return usageError{errors.New("plot: name a figure kind first")}
	}
	kind := args[0]
	if err := fs.Parse(args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return usageError{err}
	}
	if *dir == "" {
		return usageError{errors.New("plot: --run DIR is required")}
	}
	made, err := experiments.PlotRun(kind, *dir)
	if err != nil {
		if isInputError(err) {
			return usageError{err}
		}
		return err
	}
	for _, m := range made {
		fmt.Fprintf(stdout, "wrote %s.png, %s.svg\n", m, m)
	}
	return nil
}
