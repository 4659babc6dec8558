package experiments

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"gonum.org/v1/plot"

	"drtp/dataset"
	"drtp/network"
	"drtp/plots"
	"drtp/rundir"
)

func rundirWrite(path, s string) error { return rundir.WriteFile(path, []byte(s)) }

// drawFigures draws, for each row of a curves experiment, the error (or
// loss) curves and the per-layer alignment-angle curves over trials, and the
// hidden activation densities where the experiment asks for them.
func drawFigures(e Experiment, o Options, trials []Trial, rows []Row) error {
	for _, row := range rows {
		prefix := filepath.Join(o.Out, "fig")
		if len(rows) > 1 {
			prefix += "-" + sanitize(row.Key())
		}
		byRule := map[string][]Trial{}
		for _, t := range trials {
			if t.Row.Key() == row.Key() && t.Finished() {
				byRule[t.Rule] = append(byRule[t.Rule], t)
			}
		}
		errCurves := map[string][]plots.Curve{}
		lossCurves := map[string][]plots.Curve{}
		angleCurves := map[int][]plots.Curve{}
		for _, rule := range e.Rules {
			ts := byRule[rule]
			if len(ts) == 0 {
				continue
			}
			var dirs []string
			for _, t := range ts {
				dirs = append(dirs, t.Dir)
			}
			name := PaperRule(rule)
			if e.Ours == false && rule == "drtp" && strings.HasPrefix(e.Name, "fig3") {
				name += " (ours)"
			}
			for _, split := range []string{"train", "test"} {
				if c, ok := meanCurve(dirs, ReadMetrics, "epoch", split+"_error"); ok {
					c.Label = name
					errCurves[split] = append(errCurves[split], c)
				}
				if c, ok := meanCurve(dirs, ReadMetrics, "epoch", split+"_loss"); ok {
					c.Label = name
					lossCurves[split] = append(lossCurves[split], c)
				}
			}
			if rule == "bp" || rule == "shallow" {
				continue // BP's angle with itself is 0; shallow has none
			}
			for k := 1; ; k++ {
				c, ok := meanCurve(dirs, ReadAngles, "samples", fmt.Sprintf("angle_%d", k))
				if !ok {
					break
				}
				c.Label = name
				angleCurves[k] = append(angleCurves[k], c)
			}
		}
		if err := writeFinal(e, o, row, byRule, prefix); err != nil {
			return err
		}
		title := fmt.Sprintf("%s, %s", row.Network, dataName(e.Base.Data))
		for _, split := range []string{"train", "test"} {
			if cs := errCurves[split]; len(cs) > 0 {
				if err := savePlot(func() (*plot.Plot, error) {
					return plots.ErrorCurves(title+": "+split+" error", "epoch", split+" error (%)", cs, true)
				}, prefix+"-error-"+split); err != nil {
					return err
				}
			}
			if cs := lossCurves[split]; len(cs) > 0 {
				if err := savePlot(func() (*plot.Plot, error) {
					return plots.ErrorCurves(title+": "+split+" loss", "epoch", split+" loss", cs, true)
				}, prefix+"-loss-"+split); err != nil {
					return err
				}
			}
		}
		for k := 1; k <= len(angleCurves); k++ {
			cs := angleCurves[k]
			if err := savePlot(func() (*plot.Plot, error) {
				return plots.AlignmentCurves(fmt.Sprintf("%s: hidden layer %d%s", title, k, angleNote(e.Base.AngleOf)), "training samples", cs)
			}, fmt.Sprintf("%s-angles-layer%d", prefix, k)); err != nil {
				return err
			}
		}
		if e.Densities {
			if err := drawDensities(e, byRule, title, prefix); err != nil {
				return err
			}
		}
	}
	return nil
}

func dataName(d string) string {
	switch {
	case strings.HasPrefix(d, "cifar"):
		return "CIFAR-10"
	case d == "mnist":
		return "MNIST"
	case d == "fashion-mnist":
		return "Fashion-MNIST"
	case d == "synth-regression":
		return "synthetic regression"
	case d == "synth-classification":
		return "synthetic classification"
	}
	return d
}

func savePlot(make func() (*plot.Plot, error), path string) error {
	p, err := make()
	if err != nil {
		return fmt.Errorf("figure %s: %w", path, err)
	}
	for _, ext := range []string{".png", ".svg"} {
		if err := plots.Save(p, path+ext, 0, 0); err != nil {
			return err
		}
	}
	return nil
}

// meanCurve averages column y against column x over the run directories,
// point by point over the points all of them have.
func meanCurve(dirs []string, read func(string) (map[string][]float64, error), x, y string) (plots.Curve, bool) {
	var xs []float64
	var ys [][]float64
	for _, d := range dirs {
		cols, err := read(d)
		if err != nil || cols[y] == nil {
			return plots.Curve{}, false
		}
		if xs == nil || len(cols[x]) < len(xs) {
			xs = cols[x]
		}
		ys = append(ys, cols[y])
	}
	c := plots.Curve{X: xs, Y: make([]float64, len(xs))}
	if len(ys) > 1 {
		c.Std = make([]float64, len(xs))
	}
	vals := make([]float64, 0, len(ys))
	for i := range xs {
		vals = vals[:0]
		for _, y := range ys {
			vals = append(vals, y[i])
		}
		m, s := MeanStd(vals)
		if math.IsNaN(m) {
			return plots.Curve{}, false
		}
		c.Y[i] = m
		if c.Std != nil {
			c.Std[i] = s
		}
	}
	return c, len(xs) > 0
}

// drawDensities draws the density of the hidden activations of each rule's
// first trial, on the first 100 test examples, at the end of training
// (Figs. S4–S6).
func drawDensities(e Experiment, byRule map[string][]Trial, title, prefix string) error {
	var samples []plots.Sample
	missing := false // a trained network not at hand: trials copied without their checkpoints
	for _, rule := range e.Rules {
		ts := byRule[rule]
		if len(ts) == 0 {
			continue
		}
		vals, err := HiddenActivations(ts[0].Dir, 100)
		if errors.Is(err, os.ErrNotExist) {
			missing = true
			continue
		} else if err != nil {
			return err
		}
		samples = append(samples, plots.Sample{Label: PaperRule(rule), Values: vals})
	}
	// Without every rule's network the figure would lose curves: the one
	// drawn before, if any, stays.
	if len(samples) > 0 && !missing {
		if err := savePlot(func() (*plot.Plot, error) {
			return plots.Densities(title+": hidden activations", "activation value", samples, 60)
		}, prefix+"-densities"); err != nil {
			return err
		}
	}
	// During training (Fig. S4), for the runs that recorded it, one
	// figure per rule on a shared density axis.
	recorded := map[string][]HiddenDensity{}
	top := 0.0
	for _, rule := range e.Rules {
		ts := byRule[rule]
		if len(ts) == 0 {
			continue
		}
		rows, err := ReadDensities(filepath.Join(ts[0].Dir, rundir.Densities))
		if os.IsNotExist(err) {
			continue
		} else if err != nil {
			return err
		}
		recorded[rule] = rows
		for _, r := range rows {
			top = math.Max(top, slices.Max(r.P))
		}
	}
	for _, rule := range e.Rules {
		if rows, ok := recorded[rule]; ok {
			if err := drawDensityCurves(rows, title+", "+PaperRule(rule), prefix+"-densities-"+rule, top); err != nil {
				return err
			}
		}
	}
	return nil
}

// angleNote is what a figure's title adds for angles of δy_k; nothing for
// the default δz_k.
func angleNote(of string) string {
	if of == "dy" {
		return ", angle of δy"
	}
	return ""
}

// drawDensityCurves draws the densities a run recorded during training
// into path.png and .svg, with the density axis up to top (0: fitted).
func drawDensityCurves(rows []HiddenDensity, title, path string, top float64) error {
	cs := make([]plots.Binned, len(rows))
	for i, r := range rows {
		cs[i] = plots.Binned{Label: fmt.Sprintf("epoch %d", r.Epoch), Lo: r.Lo, Hi: r.Hi, P: r.P}
	}
	return savePlot(func() (*plot.Plot, error) {
		p, err := plots.DensityCurves(title+": hidden activations during training", "activation value", cs)
		if err == nil && top > 0 {
			p.Y.Max = top * 1.02
		}
		return p, err
	}, path)
}

// HiddenActivations loads the finished network of a run directory and
// returns the activations of its first hidden layer on the first n test
// examples.
func HiddenActivations(dir string, n int) ([]float64, error) {
	net, test, err := LoadRun(dir)
	if err != nil {
		return nil, err
	}
	return hiddenValues(net, test, n)
}

// LoadRun rebuilds the network of a run directory from its config.json and
// checkpoint, and returns it with the run's test set.
func LoadRun(dir string) (*network.Net, *dataset.Set, error) {
	var cfg TrainConfig
	if err := readConfig(dir, &cfg); err != nil {
		return nil, nil, err
	}
	_, test, err := LoadData(&cfg)
	if err != nil {
		return nil, nil, err
	}
	nc, err := cfg.netConfig(test.Features)
	if err != nil {
		return nil, nil, err
	}
	nc.Shape = test.Shape
	net, err := network.New(nc)
	if err != nil {
		return nil, nil, err
	}
	if err := loadCheckpoint(dir, net, nil); err != nil {
		return nil, nil, err
	}
	return net, test, nil
}

// PlotKinds lists what PlotRun draws from a rate-based run directory.
var PlotKinds = []string{"curves", "angles", "densities", "raster", "membrane", "rates"}

// PlotRun redraws one kind of figure from a finished (or running) run
// directory without retraining, into dir/fig-KIND*.png and .svg, and
// returns the files' base paths.
func PlotRun(kind, dir string) ([]string, error) {
	var cfg TrainConfig
	if err := readConfig(dir, &cfg); err != nil {
		return nil, fmt.Errorf("%w: %s is not a run directory: %v", ErrBadConfig, dir, err)
	}
	title := fmt.Sprintf("%s %s, %s", PaperRule(cfg.Algo), cfg.Net, dataName(cfg.Data))
	prefix := filepath.Join(dir, "fig-"+kind)
	var made []string
	save := func(mk func() (*plot.Plot, error), path string) error {
		made = append(made, path)
		return savePlot(mk, path)
	}
	switch kind {
	case "curves":
		var errs, losses []plots.Curve
		for _, split := range []string{"train", "test"} {
			if c, ok := meanCurve([]string{dir}, ReadMetrics, "epoch", split+"_error"); ok {
				c.Label = PaperRule(cfg.Algo) + " " + split
				errs = append(errs, c)
			}
			if c, ok := meanCurve([]string{dir}, ReadMetrics, "epoch", split+"_loss"); ok {
				c.Label = PaperRule(cfg.Algo) + " " + split
				losses = append(losses, c)
			}
		}
		if len(losses) == 0 {
			return nil, fmt.Errorf("%w: %s has no finished epoch in metrics.csv yet", ErrBadConfig, dir)
		}
		if len(errs) > 0 {
			if err := save(func() (*plot.Plot, error) { return plots.ErrorCurves(title, "epoch", "error (%)", errs, true) }, prefix+"-error"); err != nil {
				return made, err
			}
		}
		err := save(func() (*plot.Plot, error) { return plots.ErrorCurves(title, "epoch", "loss", losses, true) }, prefix+"-loss")
		return made, err
	case "angles":
		cols, err := ReadAngles(dir)
		if err != nil {
			return nil, fmt.Errorf("%w: %s has no angles (train with --angles N): %v", ErrBadConfig, dir, err)
		}
		var cs []plots.Curve
		for k := 1; cols[fmt.Sprintf("angle_%d", k)] != nil; k++ {
			c, ok := meanCurve([]string{dir}, ReadAngles, "samples", fmt.Sprintf("angle_%d", k))
			if ok {
				c.Label = fmt.Sprintf("%s layer %d", PaperRule(cfg.Algo), k)
				cs = append(cs, c)
			}
		}
		if len(cs) == 0 {
			return nil, fmt.Errorf("%w: %s: the angles are undefined for %s", ErrBadConfig, dir, cfg.Algo)
		}
		err = save(func() (*plot.Plot, error) {
			return plots.AlignmentCurves(title+angleNote(cfg.AngleOf), "training samples", cs)
		}, prefix)
		return made, err
	case "raster", "membrane", "rates":
		return plotSpiking(kind, dir, cfg, prefix, save)
	case "densities":
		vals, err := HiddenActivations(dir, 100)
		if err != nil {
			return nil, err
		}
		s := []plots.Sample{{Label: PaperRule(cfg.Algo), Values: vals}}
		err = save(func() (*plot.Plot, error) {
			return plots.Densities(title+": hidden activations", "activation value", s, 60)
		}, prefix)
		if err != nil || !cfg.Densities {
			return made, err
		}
		rows, err := ReadDensities(filepath.Join(dir, rundir.Densities))
		if err != nil {
			return made, err
		}
		made = append(made, prefix+"-training")
		return made, drawDensityCurves(rows, title, prefix+"-training", 0)
	}
	return nil, fmt.Errorf("%w: unknown figure %q: expected one of %s", ErrBadConfig, kind, strings.Join(PlotKinds, ", "))
}

// writeFinal writes PREFIX-final.md: for each rule, the last epoch's
// training and test loss and error, mean ± std over trials, beside the
// values the paper's caption gives where it gives them.
func writeFinal(e Experiment, o Options, row Row, byRule map[string][]Trial, prefix string) error {
	paper, err := PaperValues()
	if err != nil {
		return err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "# %s: final values\n\n| Rule | trials | epochs | train loss | test loss | train error (%%) | test error (%%) | paper train error (%%) | paper test error (%%) |\n|---|---|---|---|---|---|---|---|---|\n", e.Title)
	for _, rule := range e.Rules {
		ts := byRule[rule]
		if len(ts) == 0 {
			continue
		}
		cols := map[string][]float64{}
		epochs := 0
		for _, t := range ts {
			m, err := ReadMetrics(t.Dir)
			if err != nil {
				return err
			}
			n := len(m["epoch"])
			if n == 0 {
				continue
			}
			epochs = int(m["epoch"][n-1])
			for _, c := range []string{"train_loss", "test_loss", "train_error", "test_error"} {
				cols[c] = append(cols[c], m[c][n-1])
			}
		}
		cell := func(c string, format string) string {
			m, s := MeanStd(cols[c])
			if math.IsNaN(m) {
				return "–"
			}
			return fmt.Sprintf(format+" ± "+format, m, s)
		}
		pv := func(metric string) string {
			if p := findPaper(paper, e.Source, row, rule, metric); p != nil {
				return fmt.Sprintf("%.2f", p.Mean)
			}
			return "–"
		}
		fmt.Fprintf(&b, "| %s | %d | %d | %s | %s | %s | %s | %s | %s |\n", PaperRule(rule), len(ts), epochs,
			cell("train_loss", "%.3g"), cell("test_loss", "%.3g"), cell("train_error", "%.2f"), cell("test_error", "%.2f"),
			pv("train_error"), pv("test_error"))
	}
	b.WriteString(provenance(e, o, nil))
	return rundirWrite(prefix+"-final.md", b.String())
}
