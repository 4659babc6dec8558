package experiments

import (
	"bytes"
	"context"
	"encoding/gob"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"

	"drtp/dataset"
	"drtp/modulator"
	"drtp/rundir"
	"drtp/spiking"
	"drtp/synapse"
)

// SpikingConfig resolves the spiking engine's configuration from a
// TrainConfig: the engine's tuned defaults (spiking.DefaultConfig), with the
// settings the TrainConfig gives.
func SpikingConfig(c TrainConfig) (spiking.Config, error) {
	sc := spiking.DefaultConfig()
	sc.Topology, sc.Seed = c.Net, c.Seed
	rule, err := modulator.ParseRule(c.Algo)
	if err != nil {
		return sc, badf("--algo: %v", err)
	}
	if _, ok := rule.(modulator.ThirdFactor); !ok {
		return sc, badf("--algo %s: the spiking engine learns with a third factor: drtp, dfa, sdfa or shallow", c.Algo)
	}
	sc.Rule = rule
	if c.Steps != 0 {
		sc.Steps = c.Steps
	}
	if c.DT != 0 {
		sc.DT = c.DT
	}
	if c.Encode != "" {
		sc.Encode = c.Encode
	}
	if c.MaxRate != 0 {
		sc.MaxRate = c.MaxRate
	}
	if c.TauMem != 0 {
		sc.TauMem = c.TauMem
	}
	if c.Readout != "" {
		sc.Readout = c.Readout
	}
	sc.RateReg = spiking.DefaultRateReg(rule)
	if c.RateReg != nil {
		if *c.RateReg < 0 {
			return sc, badf("--rate-reg %g: must not be negative", *c.RateReg)
		}
		sc.RateReg = *c.RateReg
	}
	if c.HiddenRate < 0 {
		return sc, badf("--hidden-rate %g: must not be negative", c.HiddenRate)
	}
	if c.HiddenRate != 0 {
		sc.HiddenRate = c.HiddenRate
	}
	sc.Online, sc.Dendrite = c.Online, c.Dendrite
	if c.LR > 0 {
		sc.LR = c.LR
	}
	if c.Batch > 0 {
		sc.Batch = c.Batch
	}
	if c.Opt != "" && c.Opt != "adam" {
		m, err := synapse.ParseMethod(c.Opt, sc.LR)
		if err != nil {
			return sc, badf("--opt: %v", err)
		}
		sc.Method = m
	}
	return sc, nil
}

// resolveSpiking returns cfg with every setting the spiking engine
// resolves written out, its defaults included, as config.json holds it,
// and the engine's configuration.
func resolveSpiking(cfg TrainConfig) (TrainConfig, spiking.Config, error) {
	sc, err := SpikingConfig(cfg)
	if err != nil {
		return cfg, sc, err
	}
	cfg.LR, cfg.Batch, cfg.Steps, cfg.DT, cfg.Encode = sc.LR, sc.Batch, sc.Steps, sc.DT, sc.Encode
	cfg.MaxRate, cfg.TauMem, cfg.Readout = sc.MaxRate, sc.TauMem, sc.Readout
	cfg.RateReg, cfg.HiddenRate = new(sc.RateReg), 0
	if sc.RateReg > 0 { // the target rate only matters with the regulariser
		cfg.HiddenRate = sc.HiddenRate
	}
	if cfg.Opt == "" {
		cfg.Opt = "adam"
	}
	return cfg, sc, nil
}

// spikingCheckpoint lets a spiking run resume after its last full epoch.
// The optimiser state is not kept: a resumed run restarts Adam's moments.
type spikingCheckpoint struct {
	Epoch   int
	Shuffle []byte
	W, B    [][]float32
	Rows    []EpochMetrics
	Stats   []spiking.Stats
}

// setting is a command-line flag and whether a configuration sets it.
type setting struct {
	flag string
	set  bool
}

// firstSet returns the flag of the first setting that is set, or "".
func firstSet(settings ...setting) string {
	for _, s := range settings {
		if s.set {
			return s.flag
		}
	}
	return ""
}

// rateOnly names the first setting of c that the spiking engine has no use
// for (the rate engine's loss, activations, initialisation, dropout, frozen
// CONV layers and early stopping), or returns "" when none is set.
func rateOnly(c TrainConfig) string {
	return firstSet(
		setting{"--loss", c.Loss != ""}, setting{"--hidden-act", c.HiddenAct != ""}, setting{"--output-act", c.OutputAct != ""},
		setting{"--init", c.Init != ""}, setting{"--dropout", c.Dropout != 0}, setting{"--freeze-conv", c.FreezeConv},
		setting{"--patience", c.Patience != 0}, setting{"--densities", c.Densities}, setting{"--angle-of", c.AngleOf != ""})
}

// spikingOnly names the first setting of c that only the spiking engine
// uses (time steps, input code, membrane, readout, recorders, the spiking
// dendrite), or returns "" when none is set.
func spikingOnly(c TrainConfig) string {
	return firstSet(
		setting{"--steps", c.Steps != 0}, setting{"--dt", c.DT != 0}, setting{"--encode", c.Encode != ""},
		setting{"--max-rate", c.MaxRate != 0}, setting{"--tau-mem", c.TauMem != 0}, setting{"--online", c.Online},
		setting{"--dendrite", c.Dendrite}, setting{"--readout", c.Readout != ""}, setting{"--record", c.Record != ""},
		setting{"--rate-reg", c.RateReg != nil}, setting{"--hidden-rate", c.HiddenRate != 0})
}

// runSpiking is Run for networks of LIF neurons: the same run directory,
// with spikes per sample and synaptic events per second added.
func runSpiking(ctx context.Context, cfg TrainConfig, out string, resume bool, progress Progress) (Summary, error) {
	if cfg.Epochs < 1 || cfg.Threads < 0 || cfg.TrainLimit < 0 || cfg.TestLimit < 0 || cfg.Angles < 0 {
		return Summary{}, badf("--epochs, --threads, limits and --angles must not be negative (epochs at least 1)")
	}
	if f := rateOnly(cfg); f != "" {
		return Summary{}, badf("%s applies to rate networks only, not to --neuron lif", f)
	}
	if resume && cfg.RateReg == nil {
		// A run made before the rate regulariser existed goes on without it.
		var old TrainConfig
		if rundir.ReadJSON(filepath.Join(out, rundir.Config), &old) == nil && old.Neuron == "lif" && old.RateReg == nil {
			cfg.RateReg = new(0.0)
		}
	}
	cfg, sc, err := resolveSpiking(cfg)
	if err != nil {
		return Summary{}, err
	}
	train, test, err := LoadData(&cfg)
	if err != nil {
		return Summary{}, err
	}
	if !train.Classes() {
		return Summary{}, badf("--data %s: the spiking engine classifies; use mnist or fashion-mnist", cfg.Data)
	}
	if cfg.Angles > 0 {
		sc.AngleEvery = max(1, cfg.Angles/sc.Batch)
	}
	net, err := spiking.New(sc, train.Features, train.Outputs)
	if err != nil {
		return Summary{}, badf("%v", err)
	}
	// The run directory is made only for a configuration that stands.
	if err := rundir.Prepare(out, resume); err != nil {
		return Summary{}, err
	}
	shuffleSrc := rand.NewPCG(cfg.Seed, 3)
	shuffle := rand.New(shuffleSrc)
	var rows []EpochMetrics
	var stats []spiking.Stats
	start := 1
	ckPath := filepath.Join(out, rundir.Checkpoint)
	if resume {
		if err := sameConfig(out, cfg); err != nil {
			return Summary{}, err
		}
		b, err := os.ReadFile(ckPath)
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return Summary{}, fmt.Errorf("resume: %w", err)
		}
		if err == nil {
			var ck spikingCheckpoint
			if err := gob.NewDecoder(bytes.NewReader(b)).Decode(&ck); err != nil {
				return Summary{}, unreadable(ckPath, err)
			}
			for k := range ck.W {
				d := net.Dense(k)
				copy(d.W, ck.W[k])
				copy(d.B, ck.B[k])
				if err := net.SetDense(k, d); err != nil {
					return Summary{}, fmt.Errorf("resume from %s: %w", ckPath, err)
				}
			}
			if err := shuffleSrc.UnmarshalBinary(ck.Shuffle); err != nil {
				return Summary{}, fmt.Errorf("resume from %s: %w", ckPath, err)
			}
			rows, stats, start = ck.Rows, ck.Stats, ck.Epoch+1
		}
	}
	if err := rundir.WriteJSON(filepath.Join(out, rundir.Config), cfg); err != nil {
		return Summary{}, err
	}
	hidden := net.Layers() - 1
	for epoch := start; epoch <= cfg.Epochs; epoch++ {
		if err := ctx.Err(); err != nil {
			return Summary{}, err
		}
		tr, err := net.TrainEpoch(train, shuffle, func(done int) {
			if progress != nil {
				progress(epoch, cfg.Epochs, done, train.N)
			}
		})
		if err != nil {
			return Summary{}, err
		}
		te, err := net.Evaluate(test)
		if err != nil {
			return Summary{}, err
		}
		m := EpochMetrics{Epoch: epoch, TrainLoss: tr.Loss, TrainErr: tr.Error, TestLoss: te.Loss, TestErr: te.Error,
			Seconds: tr.Seconds, SamplesPerSec: tr.SamplesPerSecond()}
		if cfg.Angles > 0 {
			m.Angles = tr.Angles
		}
		rows, stats = append(rows, m), append(stats, tr)
		if err := writeMetrics(filepath.Join(out, rundir.Metrics), rows, hidden, cfg.Angles > 0); err != nil {
			return Summary{}, err
		}
		ck := spikingCheckpoint{Epoch: epoch, Rows: rows, Stats: stats}
		ck.Shuffle, _ = shuffleSrc.MarshalBinary()
		for k := 0; k < net.Layers(); k++ {
			d := net.Dense(k)
			ck.W, ck.B = append(ck.W, d.W), append(ck.B, d.B)
		}
		var cb bytes.Buffer
		if err := gob.NewEncoder(&cb).Encode(ck); err != nil {
			return Summary{}, err
		}
		if err := rundir.WriteFile(ckPath, cb.Bytes()); err != nil {
			return Summary{}, err
		}
	}
	s := summarize(cfg, rows, true)
	last := stats[len(stats)-1]
	s.SpikesPerSample, s.InputSpikesPerSample = last.Spikes, last.InputSpikes
	var events, secs float64
	for _, st := range stats {
		events += st.SynEvents
		secs += st.Seconds
	}
	if secs > 0 {
		s.SynEventsPerSec = events / secs
	}
	if cfg.Record != "" {
		if err := recordSpiking(net, test, cfg, out); err != nil {
			return s, err
		}
	}
	return s, rundir.WriteJSON(filepath.Join(out, rundir.Summary), s)
}

// Recordings written by --record, after training, on the first test samples.
const (
	SpikesFile     = "spikes.csv"          // sample,step,layer,neuron (layer 0 = input)
	MembraneFile   = "membrane.csv"        // sample,step,layer,neuron,v: recordMembrane neurons spread over the first hidden layer
	OutputVFile    = "membrane-output.csv" // the same for every output neuron
	RatesFile      = "rates.csv"           // layer,neuron,hz
	LabelsFile     = "recorded.csv"        // sample,label,prediction
	recordRaster   = 3                     // samples recorded for rasters and traces
	recordRates    = 200                   // samples behind the firing-rate histogram
	recordMembrane = 20                    // hidden neurons whose potentials are recorded
)

// recordSpiking simulates the first test samples without learning and
// streams what cfg.Record asks for into the run directory.
func recordSpiking(net *spiking.Net, test *dataset.Set, cfg TrainConfig, out string) error {
	want := map[string]bool{}
	for _, w := range strings.Split(cfg.Record, ",") {
		switch w = strings.TrimSpace(w); w {
		case "spikes", "membrane", "rates":
			want[w] = true
		default:
			return badf("--record %q: expected spikes, membrane or rates", w)
		}
	}
	rng := rand.New(rand.NewPCG(cfg.Seed, 77))
	var files []*os.File
	defer func() {
		for _, f := range files {
			f.Close()
		}
	}()
	// Recordings stream into NAME.part and take their names only once
	// complete, so an interrupted recording never looks like a finished one.
	create := func(name string) (*os.File, error) {
		f, err := os.Create(filepath.Join(out, name+".part"))
		if err == nil {
			files = append(files, f)
		}
		return f, err
	}
	var recs spiking.Recorders
	var spikes *spiking.SpikeCSV
	var mems []*spiking.MembraneCSV
	if want["spikes"] {
		f, err := create(SpikesFile)
		if err != nil {
			return err
		}
		spikes = spiking.NewSpikeCSV(f)
		recs = append(recs, spikes)
	}
	if want["membrane"] {
		f, err := create(MembraneFile)
		if err != nil {
			return err
		}
		fo, err := create(OutputVFile)
		if err != nil {
			return err
		}
		width := net.Dense(0).Out
		var hidden []int
		for i := 0; i < width; i += max(1, width/recordMembrane) {
			hidden = append(hidden, i)
		}
		m1 := spiking.NewMembraneCSV(f, 1, hidden...)
		outN := make([]int, test.Outputs)
		for i := range outN {
			outN[i] = i
		}
		m2 := spiking.NewMembraneCSV(fo, net.Layers(), outN...)
		mems = append(mems, m1, m2)
		recs = append(recs, m1, m2)
	}
	lf, err := create(LabelsFile)
	if err != nil {
		return err
	}
	fmt.Fprintln(lf, "sample,label,prediction")
	n := min(recordRaster, test.N)
	for i := 0; i < n; i++ {
		x := test.X[i*test.Features : (i+1)*test.Features]
		pred, err := net.Simulate(x, rng, sampleRecorder{i, recs})
		if err != nil {
			return err
		}
		fmt.Fprintf(lf, "%d,%d,%d\n", i, test.Labels[i], pred)
	}
	if spikes != nil {
		if err := spikes.Flush(); err != nil {
			return err
		}
	}
	for _, m := range mems {
		if err := m.Flush(); err != nil {
			return err
		}
	}
	if want["rates"] {
		r := spiking.NewRates(net.Config().DT)
		for i := 0; i < min(recordRates, test.N); i++ {
			if _, err := net.Simulate(test.X[i*test.Features:(i+1)*test.Features], rng, r); err != nil {
				return err
			}
		}
		var b strings.Builder
		b.WriteString("layer,neuron,hz\n")
		for k := 0; k < len(r.Counts); k++ {
			for i, hz := range r.Hz(k) {
				fmt.Fprintf(&b, "%d,%d,%s\n", k, i, ftoa(hz))
			}
		}
		if err := rundir.WriteFile(filepath.Join(out, RatesFile), []byte(b.String())); err != nil {
			return err
		}
	}
	for _, f := range files {
		if err := f.Close(); err != nil {
			return err
		}
		if err := os.Rename(f.Name(), strings.TrimSuffix(f.Name(), ".part")); err != nil {
			return err
		}
	}
	files = nil
	return nil
}

// sampleRecorder stamps the sample index on each step before passing it on.
type sampleRecorder struct {
	i    int
	recs spiking.Recorders
}

func (s sampleRecorder) Record(v *spiking.StepView) error {
	if len(s.recs) == 0 {
		return nil
	}
	c := *v // a copy: recorders never change the simulation's view
	c.Sample = s.i
	return s.recs.Record(&c)
}
