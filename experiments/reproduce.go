package experiments

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"drtp/rundir"
)

// Options say how to run an experiment.
type Options struct {
	Out     string   // folder for the trials, tables and figures
	Trials  int      // 0: the experiment's (or Quick's) number
	Epochs  int      // 0: the experiment's (or Quick's) number
	Quick   bool     // the small version
	Rows    []string // row keys to run (network/condition); nil: all (or Quick's)
	Rules   []string // rules to run; nil: all the experiment's
	Workers int      // trials run at once; 0: one per core
	DataDir string   // passed to every trial
	Command string   // the command line, written beside the results
	// ReportOnly skips training: the table and figures are made from the
	// trials finished so far.
	ReportOnly bool
	Log        func(format string, a ...any)
}

// Trial is one training run of an experiment.
type Trial struct {
	Row    Row
	Rule   string
	Index  int // 1-based; the seed
	Config TrainConfig
	Dir    string
}

func sanitize(s string) string {
	return strings.NewReplacer("/", "_", " ", "-").Replace(s)
}

// Plan lists the trials of e under the options, with their resolved
// configurations and run directories.
func (e Experiment) Plan(o Options) ([]Trial, []Row, error) {
	trials, epochs := e.Trials, e.Base.Epochs
	keep := o.Rows
	if o.Quick {
		trials, epochs = e.Quick.Trials, e.Quick.Epochs
		if keep == nil {
			keep = e.Quick.Rows
		}
	}
	if o.Trials > 0 {
		trials = o.Trials
	}
	if o.Epochs > 0 {
		epochs = o.Epochs
	}
	var rows []Row
	for _, r := range e.Rows {
		if keep == nil || contains(keep, r.Key()) {
			rows = append(rows, r)
		}
	}
	if len(rows) == 0 {
		var keys []string
		for _, r := range e.Rows {
			keys = append(keys, r.Key())
		}
		return nil, nil, fmt.Errorf("%w: --rows %s matches no row of %s; rows are %s", ErrBadConfig, strings.Join(keep, ","), e.Name, strings.Join(keys, ", "))
	}
	for _, rule := range o.Rules {
		if !contains(e.Rules, rule) {
			return nil, nil, fmt.Errorf("%w: --rules %s: %s has no rule %q; its rules are %s", ErrBadConfig, strings.Join(o.Rules, ","), e.Name, rule, strings.Join(e.Rules, ", "))
		}
	}
	var out []Trial
	for _, r := range rows {
		for _, rule := range e.Rules {
			if o.Rules != nil && !contains(o.Rules, rule) {
				continue
			}
			if e.Skip[r.Network+"/"+rule] {
				continue
			}
			cfg := e.Base
			cfg.Algo, cfg.Net, cfg.Dropout, cfg.Epochs = rule, r.Topology, r.Dropout, epochs
			cfg.DataDir, cfg.Threads, cfg.FreezeConv = o.DataDir, 0, r.FreezeConv
			cfg.Densities = e.Densities
			if r.Steps > 0 {
				cfg.Steps = r.Steps
			}
			if r.MaxRate > 0 {
				cfg.MaxRate = r.MaxRate
			}
			if r.Augment {
				cfg.Data += "-aug"
			}
			if init, ok := e.Init[rule]; ok {
				cfg.Init = init
			}
			if lr, ok := r.LR[rule]; ok {
				cfg.LR = lr
			} else if lr, ok := e.LR[rule]; ok {
				cfg.LR = lr
			} else {
				data := "MNIST"
				if strings.HasPrefix(cfg.Data, "cifar") {
					data = "CIFAR-10"
				}
				lr, err := LearningRate(data, r.Family, rule)
				if err != nil {
					return nil, nil, err
				}
				cfg.LR = lr
			}
			if o.Quick {
				cfg.TrainLimit, cfg.TestLimit = e.Quick.TrainLimit, e.Quick.TestLimit
			}
			for i := 1; i <= trials; i++ {
				c := cfg
				c.Seed = uint64(i)
				dir := filepath.Join(o.Out, "trials", sanitize(r.Key()), rule, fmt.Sprintf("trial-%02d", i))
				out = append(out, Trial{Row: r, Rule: rule, Index: i, Config: c, Dir: dir})
			}
		}
	}
	return out, rows, nil
}

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

// Finished reports whether a trial's run directory holds its summary.
func (t Trial) Finished() bool {
	_, err := os.Stat(filepath.Join(t.Dir, rundir.Summary))
	return err == nil
}

// madeAsPlanned checks that a trial's run directory, if it holds one, was
// made with the configuration the experiment now plans for it, defaults
// included: a trial made before a default changed must not be counted in
// the table, nor continued with the new setting.
func (t Trial) madeAsPlanned() error {
	cfg := t.Config
	if cfg.Neuron == "lif" {
		var err error
		if cfg, _, err = resolveSpiking(cfg); err != nil {
			return err
		}
	}
	diff, err := configChanges(t.Dir, cfg)
	if err != nil {
		return fmt.Errorf("trial %s: %w", t.Dir, err)
	}
	if diff != "" {
		return fmt.Errorf("trial %s was made with another configuration than the experiment now plans (%s), an older default perhaps: move it away to run the trial again, or keep it elsewhere as a record", t.Dir, diff)
	}
	return nil
}

// Reproduce runs the trials of e that are not finished yet (of the rows
// and rules o names), several at once, then writes the table and figures
// of every finished trial into o.Out. It returns the first error
// of a trial after the others have stopped.
func Reproduce(ctx context.Context, e Experiment, o Options) error {
	trials, _, err := e.Plan(o)
	if err != nil {
		return err
	}
	// The table and figures cover every finished trial of the experiment,
	// not only the rows and rules named: a partial run must not shrink them.
	whole := o
	whole.Rows, whole.Rules = nil, nil
	all, rows, err := e.Plan(whole)
	if err != nil {
		return err
	}
	for _, t := range all {
		if err := t.madeAsPlanned(); err != nil {
			return err
		}
	}
	logf := o.Log
	if logf == nil {
		logf = func(string, ...any) {}
	}
	workers := o.Workers
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	var todo []Trial
	for _, t := range trials {
		if !t.Finished() {
			todo = append(todo, t)
		}
	}
	if o.ReportOnly {
		logf("%s: %d trials, %d finished; reporting only", e.Name, len(trials), len(trials)-len(todo))
		todo = nil
	} else {
		logf("%s: %d trials, %d finished before, %d to run, %d at a time", e.Name, len(trials), len(trials)-len(todo), len(todo), workers)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	jobs := make(chan Trial)
	var mu sync.Mutex
	var firstErr error
	var wg sync.WaitGroup
	done := 0
	start := time.Now()
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for t := range jobs {
				// A trial directory belongs to reproduce: continue what an
				// earlier run left there, from its checkpoint, or from the
				// start if it stopped before its first epoch ended.
				_, statErr := os.Stat(t.Dir)
				_, err := Run(ctx, t.Config, t.Dir, statErr == nil, nil)
				mu.Lock()
				done++
				if err != nil && firstErr == nil {
					firstErr = fmt.Errorf("trial %s: %w", t.Dir, err)
					cancel()
				}
				if err == nil {
					elapsed := time.Since(start)
					logf("[%d/%d] %s %s trial %d done (%s elapsed%s)", done, len(todo), t.Row.Key(), t.Rule, t.Index, elapsed.Round(time.Second), timeLeft(elapsed, done, len(todo)))
				}
				mu.Unlock()
			}
		}()
	}
	for _, t := range todo {
		if ctx.Err() != nil {
			break
		}
		jobs <- t
	}
	close(jobs)
	wg.Wait()
	if firstErr != nil {
		return firstErr
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	return Report(e, o, all, rows)
}

// timeLeft guesses the time the rest of total trials will take after done
// took elapsed, as ", about 5m0s left" ("" when none is left). It is rough:
// rules and rows differ in cost.
func timeLeft(elapsed time.Duration, done, total int) string {
	if done >= total {
		return ""
	}
	eta := elapsed / time.Duration(done) * time.Duration(total-done)
	if eta >= time.Minute {
		eta = eta.Round(time.Minute)
	} else {
		eta = eta.Round(time.Second)
	}
	return fmt.Sprintf(", about %s left", eta)
}

// Report aggregates finished trials into table.md and table.csv, and draws
// the experiment's figures, in o.Out.
func Report(e Experiment, o Options, trials []Trial, rows []Row) error {
	paper, err := PaperValues()
	if err != nil {
		return err
	}
	// The paper averages the test error over the last 10 of 100 epochs;
	// over a run of fewer than 20 epochs that mean would reach back into
	// the first ones, and the last epoch's error is reported instead.
	metric := "test_error_last10"
	for _, t := range trials {
		if t.Config.Epochs < 20 {
			metric = "test_error"
		}
	}
	cells := map[string]*Cell{}
	for _, t := range trials {
		key := t.Row.Key() + "|" + t.Rule
		c := cells[key]
		if c == nil {
			c = &Cell{Row: t.Row, Rule: t.Rule, Epochs: math.MaxInt}
			cells[key] = c
		}
		var s Summary
		if err := rundir.ReadJSON(filepath.Join(t.Dir, rundir.Summary), &s); err != nil {
			if errors.Is(err, os.ErrNotExist) {
				continue
			}
			return err
		}
		v := s.TestErrorLast10
		if v == nil || metric == "test_error" {
			v = s.TestError
		}
		if v == nil {
			continue // regression: no error
		}
		c.Values = append(c.Values, *v)
		c.Epochs = min(c.Epochs, s.Epochs)
	}
	anyShort := false
	for _, c := range cells {
		c.Mean, c.Std = MeanStd(c.Values)
		c.Paper = findPaper(paper, e.Source, c.Row, c.Rule, "test_error")
		c.Outside = c.Paper != nil && Outside(c.Mean, c.Paper.Mean, c.Paper.Std)
		if c.Epochs < 10 {
			anyShort = true
		}
		if c.Epochs == math.MaxInt {
			c.Epochs = 0
		}
	}
	if anyShort {
		metric = "test_error"
	}
	if err := os.MkdirAll(o.Out, 0o755); err != nil {
		return err
	}
	hasValues := false
	for _, c := range cells {
		hasValues = hasValues || len(c.Values) > 0
	}
	if hasValues {
		md := fmt.Sprintf("# %s\n\n", e.Title) + Markdown(e, rows, cells, metric) + provenance(e, o, trials)
		if err := rundir.WriteFile(filepath.Join(o.Out, "table.md"), []byte(md)); err != nil {
			return err
		}
		if err := rundir.WriteFile(filepath.Join(o.Out, "table.csv"), []byte(CSV(e, rows, cells, metric))); err != nil {
			return err
		}
	}
	if e.Curves || e.Densities {
		return drawFigures(e, o, trials, rows)
	}
	return nil
}

func provenance(e Experiment, o Options, trials []Trial) string {
	epochs, n := 0, 0
	if trials == nil {
		trials, _, _ = e.Plan(o)
	}
	if len(trials) > 0 {
		epochs = trials[0].Config.Epochs
		for _, t := range trials {
			n = max(n, t.Index)
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "\nMade by `%s`", o.Command)
	if len(o.Rows) > 0 || len(o.Rules) > 0 {
		b.WriteString(" and the runs before it")
	}
	fmt.Fprintf(&b, " (up to %d trials per cell, n in each cell those finished; %d epochs", n, epochs)
	if o.Quick {
		fmt.Fprintf(&b, ", quick version: %d training / %d test samples", e.Quick.TrainLimit, e.Quick.TestLimit)
	}
	fmt.Fprintf(&b, "; drtp %s). Each trial's run directory is under `trials/`.\n", rundir.FullVersion())
	return b.String()
}

// ReadMetrics reads a run directory's metrics.csv into a header and columns
// of numbers.
func ReadMetrics(dir string) (map[string][]float64, error) {
	return readNumericCSV(filepath.Join(dir, rundir.Metrics))
}

// ReadAngles reads a run directory's angles.csv.
func ReadAngles(dir string) (map[string][]float64, error) {
	return readNumericCSV(filepath.Join(dir, rundir.Angles))
}

func readNumericCSV(path string) (map[string][]float64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if len(recs) < 1 {
		return nil, fmt.Errorf("read %s: empty file", path)
	}
	cols := map[string][]float64{}
	for i, r := range recs[1:] {
		if len(r) != len(recs[0]) {
			return nil, fmt.Errorf("read %s line %d: %d fields, header has %d", path, i+2, len(r), len(recs[0]))
		}
		for j, name := range recs[0] {
			v, err := strconv.ParseFloat(r[j], 64)
			if err != nil {
				return nil, fmt.Errorf("read %s line %d, column %s: %q is not a number", path, i+2, name, r[j])
			}
			cols[name] = append(cols[name], v)
		}
	}
	return cols, nil
}
