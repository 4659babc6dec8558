package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"drtp/experiments"
)

func reproduce(ctx context.Context, stdout, stderr io.Writer, args []string) error {
	fs := flag.NewFlagSet("drtp reproduce", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o experiments.Options
	var rows, rules string
	fs.IntVar(&o.Trials, "trials", 0, "trials per cell (0: the paper's number, or the quick version's)")
	fs.IntVar(&o.Epochs, "epochs", 0, "epochs per trial (0: the paper's number, or the quick version's)")
	fs.BoolVar(&o.Quick, "quick", false, "run the small version (minutes on a laptop) with the same outputs")
	fs.StringVar(&o.Out, "out", "", "folder for trials, tables and figures (default results/NAME, or runs/NAME-quick with --quick)")
	fs.StringVar(&rows, "rows", "", "comma-separated rows to run, as network/condition (e.g. FC1-1000/DO0.0)")
	fs.StringVar(&rules, "rules", "", "comma-separated rules to run (e.g. drtp,shallow; default all the experiment's)")
	fs.IntVar(&o.Workers, "workers", 0, "trials trained at once (0: one per core)")
	fs.StringVar(&o.DataDir, "data-dir", "", "folder holding the data files")
	fs.BoolVar(&o.ReportOnly, "report", false, "train nothing: make the table and figures from the trials finished so far")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: drtp reproduce NAME [flags]\n       drtp reproduce list\n\nRuns one of the paper's experiments: every trial in its own run directory under\nOUT/trials (finished trials are skipped when run again), then the table\n(OUT/table.md, OUT/table.csv: ours beside the paper's) and figures (OUT/fig-*.png).\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if len(args) == 0 {
		fs.Usage()
		return usageError{errors.New("reproduce: name an experiment (drtp reproduce list)")}
	}
	name := args[0]
	if name == "-h" || name == "--help" {
		fs.Usage()
		return nil
	}
	if name == "list" {
		return listExperiments(stdout)
	}
	e, err := experiments.Lookup(name)
	if err != nil {
		return usageError{err}
	}
	if err := fs.Parse(args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return usageError{err}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Errorf("reproduce: unexpected argument %q", fs.Arg(0))}
	}
	if rows != "" {
		o.Rows = strings.Split(rows, ",")
	}
	if rules != "" {
		o.Rules = strings.Split(rules, ",")
	}
	if o.Out == "" {
		o.Out = filepath.Join("results", e.Name)
		if o.Quick {
			o.Out = filepath.Join("runs", e.Name+"-quick")
		}
	}
	// The command that trains the trials, also when --report only redraws.
	var cmd []string
	for _, a := range args {
		if a != "--report" && a != "-report" {
			cmd = append(cmd, a)
		}
	}
	o.Command = "drtp reproduce " + strings.Join(cmd, " ")
	o.Log = func(format string, a ...any) { fmt.Fprintf(stderr, format+"\n", a...) }
	if err := experiments.Reproduce(ctx, e, o); err != nil {
		if isInputError(err) {
			return usageError{err}
		}
		return err
	}
	fmt.Fprintf(stdout, "%s: results in %s\n", e.Name, o.Out)
	return nil
}

func listExperiments(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tWHAT\tFULL PROTOCOL HERE (2 cores)\t--quick")
	for _, e := range experiments.Catalog {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", e.Name, e.Title, duration(e.EstimatedMinutes()), "minutes")
	}
	return tw.Flush()
}

func duration(min float64) string {
	switch {
	case min < 90:
		return fmt.Sprintf("~%.0f min", min)
	case min < 48*60:
		return fmt.Sprintf("~%.0f h", min/60)
	}
	return fmt.Sprintf("~%.0f days", min/60/24)
}
