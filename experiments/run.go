package experiments

import (
	"bytes"
	"context"
	"encoding/gob"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"

	"drtp/dataset"
	"drtp/modulator"
	"drtp/network"
	"drtp/neuron"
	"drtp/rundir"
	"drtp/synapse"
)

// TrainConfig is every setting of one rate-based training run, as the
// `drtp train` command resolves it. It is written to config.json.
type TrainConfig struct {
	Data       string  `json:"data"`     // mnist, fashion-mnist, cifar10, cifar10-aug, synth-regression, synth-classification
	DataDir    string  `json:"data_dir"` // "" = locate automatically
	DataSeed   uint64  `json:"data_seed"`
	Algo       string  `json:"algo"` // bp, fa, dfa, sdfa, drtp, shallow
	Net        string  `json:"net"`  // topology string
	Epochs     int     `json:"epochs"`
	Batch      int     `json:"batch"`
	Opt        string  `json:"opt"`
	LR         float64 `json:"lr"`
	Loss       string  `json:"loss"`
	HiddenAct  string  `json:"hidden_act"`
	OutputAct  string  `json:"output_act"`
	Dropout    float64 `json:"dropout"`
	Init       string  `json:"init"`
	Seed       uint64  `json:"seed"`
	Threads    int     `json:"threads"`             // 0 leaves the process's GOMAXPROCS alone (parallel trials)
	TrainLimit int     `json:"train_limit"`         // 0 = all
	TestLimit  int     `json:"test_limit"`          // 0 = all
	Angles     int     `json:"angles"`              // record angles every this many samples; 0 = never
	AngleOf    string  `json:"angle_of,omitempty"`  // "dz" (default: the modulatory signals δz_k) or "dy" (the loss gradients δy_k, before f')
	Densities  bool    `json:"densities,omitempty"` // record the first hidden layer's activation density at epochs 0, 1, 2, 5, 10, 20, 50, …

	// The spiking engine (Neuron "lif"); ignored by rate networks.
	Neuron     string   `json:"neuron"`                // "rate" (default) or "lif"
	Steps      int      `json:"steps,omitempty"`       // T, steps per sample
	DT         float64  `json:"dt,omitempty"`          // ms per step
	Encode     string   `json:"encode,omitempty"`      // poisson, latency, current
	MaxRate    float64  `json:"max_rate,omitempty"`    // Hz of an input of value 1 (poisson)
	TauMem     float64  `json:"tau_mem,omitempty"`     // membrane time constant, ms
	Online     bool     `json:"online,omitempty"`      // apply the three-factor update at every step
	Dendrite   bool     `json:"dendrite,omitempty"`    // DRTP: the fully spiking third factor, a leaky dendrite driven by target spikes
	Readout    string   `json:"readout,omitempty"`     // spikes or integrated
	RateReg    *float64 `json:"rate_reg,omitempty"`    // λ of the hidden layers' firing-rate regulariser (eq. R1); nil = the rule's default, 0 = none
	HiddenRate float64  `json:"hidden_rate,omitempty"` // the rate eq. R1 pulls hidden neurons towards, Hz
	Record     string   `json:"record,omitempty"`      // after training: spikes, membrane, rates (comma-separated)
	FreezeConv bool     `json:"freeze_conv"`           // CONV kernels keep their initial values (the paper's random CONV networks)
	Patience   int      `json:"patience"`              // stop after this many epochs without a lower test error; 0 = never
	Version    string   `json:"version"`
}

// DefaultTrain is the paper's MNIST setting for DRTP on FC_1000_FC_10
// (Table 3: Adam, lr 1.5e-4, BCE on sigmoid outputs, batch 60), trained
// for the short default run of `drtp train`.
var DefaultTrain = TrainConfig{
	Data: "mnist", DataSeed: 1, Algo: "drtp", Net: "FC_1000_FC_10", Epochs: 3, Batch: 60,
	Opt: "adam", LR: 1.5e-4, Loss: "bce", HiddenAct: "tanh", OutputAct: "sigmoid",
	Init: "default", Seed: 1, Threads: runtime.NumCPU(),
}

// EpochMetrics is one row of metrics.csv.
type EpochMetrics struct {
	Epoch               int
	TrainLoss, TrainErr float64 // error in percent; NaN for regression
	TestLoss, TestErr   float64
	Seconds             float64 // training time of the epoch, evaluation excluded
	SamplesPerSec       float64 // training samples per second
	Angles              []float64
	ActivationBytes     int // activation buffers held so far (see network.Net.ActivationBytes)
}

// Summary is summary.json.
type Summary struct {
	Algo            string    `json:"algo"`
	Net             string    `json:"net"`
	Data            string    `json:"data"`
	Epochs          int       `json:"epochs"`
	Seed            uint64    `json:"seed"`
	TestError       *float64  `json:"test_error,omitempty"`  // percent, last epoch
	TrainError      *float64  `json:"train_error,omitempty"` // percent, last epoch
	TestErrorLast10 *float64  `json:"test_error_last10,omitempty"`
	TestLoss        float64   `json:"test_loss"`
	TrainLoss       float64   `json:"train_loss"`
	SamplesPerSec   float64   `json:"samples_per_sec"` // training only, mean over epochs
	TrainSeconds    float64   `json:"train_seconds"`
	ActivationBytes int       `json:"activation_bytes"`
	FinalAngles     []float64 `json:"final_angles,omitempty"`
	// Spiking runs only.
	SpikesPerSample      []float64 `json:"spikes_per_sample,omitempty"` // per layer: hidden layers, then the output
	InputSpikesPerSample float64   `json:"input_spikes_per_sample,omitempty"`
	SynEventsPerSec      float64   `json:"synaptic_events_per_sec,omitempty"`
	BestEpoch            int       `json:"best_epoch"`                // epoch of the lowest test error (test loss for regression)
	BestTestError        *float64  `json:"best_test_error,omitempty"` // percent, at BestEpoch
}

// Progress is told how far training is: epoch (1-based) of epochs, samples
// done of total in this epoch.
type Progress func(epoch, epochs, done, total int)

// ErrBadConfig marks configuration errors (the command exits with status 2).
var ErrBadConfig = errors.New("bad configuration")

func badf(format string, a ...any) error {
	return fmt.Errorf("%w: %s", ErrBadConfig, fmt.Sprintf(format, a...))
}

// Validate checks every field and returns the first problem found.
func (c *TrainConfig) Validate() error {
	switch {
	case c.Epochs < 1:
		return badf("--epochs %d: expected at least 1", c.Epochs)
	case c.Batch < 1:
		return badf("--batch %d: expected at least 1", c.Batch)
	case !(c.LR > 0) || math.IsInf(c.LR, 0):
		return badf("--lr %g: expected a positive learning rate", c.LR)
	case c.Dropout < 0 || c.Dropout >= 1:
		return badf("--dropout %g: expected a probability in [0, 1)", c.Dropout)
	case c.Threads < 0:
		return badf("--threads %d: expected at least 1 (0: leave the process's setting)", c.Threads)
	case c.TrainLimit < 0 || c.TestLimit < 0:
		return badf("--train-limit/--test-limit: expected 0 (all) or a positive count")
	case c.Angles < 0:
		return badf("--angles %d: expected 0 (off) or a positive sample count", c.Angles)
	case c.Patience < 0:
		return badf("--patience %d: expected 0 (off) or a positive number of epochs", c.Patience)
	case c.AngleOf != "" && c.AngleOf != "dz" && c.AngleOf != "dy":
		return badf("--angle-of %q: expected dz or dy", c.AngleOf)
	}
	switch c.Neuron {
	case "", "rate":
		if f := spikingOnly(*c); f != "" {
			return badf("%s applies to spiking networks only: add --neuron lif", f)
		}
	case "lif":
	default:
		return badf("--neuron %q: expected rate or lif", c.Neuron)
	}
	switch c.Data {
	case "mnist", "fashion-mnist", "cifar10", "cifar10-aug", "synth-regression", "synth-classification":
	default:
		return badf("--data %q: expected mnist, fashion-mnist, cifar10, cifar10-aug, synth-regression or synth-classification", c.Data)
	}
	nc, err := c.netConfig(1)
	if err == nil && c.Densities && (nc.Topology[0].Kind != "FC" || len(nc.Topology) < 2) {
		return badf("--densities: the densities are of the first hidden layer, which must be FC; --net %s has none", c.Net)
	}
	return err
}

// netConfig resolves the network configuration for inputs input values.
func (c *TrainConfig) netConfig(inputs int) (network.Config, error) {
	var nc network.Config
	var err error
	wrap := func(flag string, e error) error { return badf("--%s: %v", flag, e) }
	if nc.Topology, err = network.ParseTopology(c.Net); err != nil {
		return nc, wrap("net", err)
	}
	if nc.Rule, err = modulator.ParseRule(c.Algo); err != nil {
		return nc, wrap("algo", err)
	}
	if nc.Method, err = synapse.ParseMethod(c.Opt, c.LR); err != nil {
		return nc, wrap("opt", err)
	}
	if nc.Loss, err = network.ParseLoss(c.Loss); err != nil {
		return nc, wrap("loss", err)
	}
	if nc.Hidden, err = neuron.ParseActivation(c.HiddenAct); err != nil {
		return nc, wrap("hidden-act", err)
	}
	if nc.Output, err = network.ParseOutput(c.OutputAct); err != nil {
		return nc, wrap("output-act", err)
	}
	if nc.Init, err = synapse.ParseInit(c.Init); err != nil {
		return nc, wrap("init", err)
	}
	if err := network.CheckPair(nc.Loss, nc.Output); err != nil {
		return nc, badf("%v", err)
	}
	nc.Inputs, nc.Dropout, nc.Seed = inputs, c.Dropout, c.Seed
	nc.FreezeConv = c.FreezeConv
	return nc, nil
}

// LoadData returns the training and test sets a configuration names, cut to
// its limits.
func LoadData(c *TrainConfig) (train, test *dataset.Set, err error) {
	switch c.Data {
	case "mnist":
		train, test, err = dataset.MNIST(c.DataDir)
	case "fashion-mnist":
		train, test, err = dataset.FashionMNIST(c.DataDir)
	case "cifar10", "cifar10-aug": // -aug: flipped in Run, epoch by epoch
		train, test, err = dataset.CIFAR10(c.DataDir)
	case "synth-regression":
		train, test = dataset.SynthRegression(c.DataSeed, 5000, 1000)
	case "synth-classification":
		train, test = dataset.SynthClassification(c.DataSeed, 25000, 5000)
	default:
		return nil, nil, badf("--data %q: unknown data set", c.Data)
	}
	if err != nil {
		return nil, nil, err
	}
	if c.TrainLimit > 0 {
		train = train.Head(c.TrainLimit)
	}
	if c.TestLimit > 0 {
		test = test.Head(c.TestLimit)
	}
	return train, test, nil
}

// checkpoint is the file that lets a run resume after its last full epoch.
type checkpoint struct {
	Epoch   int
	Shuffle []byte // the shuffling source
	Net     []byte // network.Net.Save
	Rows    []EpochMetrics
}

// Run trains one network as cfg says, writing the run directory out as it
// goes (config.json first, metrics.csv and a checkpoint after every epoch,
// summary.json at the end). With resume it continues from out's checkpoint.
// Cancelling ctx stops at the end of the current batch, losing at most the
// current epoch.
func Run(ctx context.Context, cfg TrainConfig, out string, resume bool, progress Progress) (Summary, error) {
	cfg.Version = rundir.FullVersion()
	if cfg.Neuron == "lif" {
		return runSpiking(ctx, cfg, out, resume, progress)
	}
	if err := cfg.Validate(); err != nil {
		return Summary{}, err
	}
	if err := rundir.Prepare(out, resume); err != nil {
		return Summary{}, err
	}
	train, test, err := LoadData(&cfg)
	if err != nil {
		return Summary{}, err
	}
	nc, err := cfg.netConfig(train.Features)
	if err != nil {
		return Summary{}, err
	}
	nc.Shape = train.Shape // CONV layers need the image shape
	if c := nc.Topology[len(nc.Topology)-1].Out; c != train.Outputs {
		return Summary{}, badf("--net %s ends with %d outputs but %s has %d targets", cfg.Net, c, cfg.Data, train.Outputs)
	}
	net, err := network.New(nc)
	if err != nil {
		return Summary{}, badf("%v", err)
	}
	if cfg.Threads > 0 {
		runtime.GOMAXPROCS(cfg.Threads)
	}

	shuffleSrc := rand.NewPCG(cfg.Seed, 3)
	shuffle := rand.New(shuffleSrc)
	var rows []EpochMetrics
	start := 1
	ckPath := filepath.Join(out, rundir.Checkpoint)
	if resume {
		if err := sameConfig(out, cfg); err != nil {
			return Summary{}, err
		}
		if _, err := os.Stat(ckPath); err == nil {
			var ck checkpoint
			if err := loadCheckpoint(out, net, &ck); err != nil {
				return Summary{}, err
			}
			if err := shuffleSrc.UnmarshalBinary(ck.Shuffle); err != nil {
				return Summary{}, fmt.Errorf("resume from %s: %w", ckPath, err)
			}
			rows, start = ck.Rows, ck.Epoch+1
		}
	}
	if err := rundir.WriteJSON(filepath.Join(out, rundir.Config), cfg); err != nil {
		return Summary{}, err
	}

	hidden := net.Hidden()
	var angleLog *AngleLog
	if cfg.Angles > 0 {
		angleLog = &AngleLog{Path: filepath.Join(out, rundir.Angles), Layers: hidden}
		if resume {
			angleLog.Load(start - 1)
		}
	}
	var densities *DensityLog
	if cfg.Densities {
		densities = &DensityLog{Path: filepath.Join(out, rundir.Densities)}
		if start > 1 {
			if err := densities.Load(start - 1); err != nil {
				return Summary{}, err
			}
		} else if err := recordDensity(densities, net, test, 0); err != nil {
			return Summary{}, err
		}
	}
	tr := newTrainer(net, train, cfg.Batch)
	var flip *dataset.RandomFlip
	if cfg.Data == "cifar10-aug" {
		flip = new(dataset.RandomFlip)
	}
	for epoch := start; epoch <= cfg.Epochs; epoch++ {
		if best, _ := bestEpoch(rows); cfg.Patience > 0 && best > 0 && rows[len(rows)-1].Epoch-best >= cfg.Patience {
			break // early stopping: no better test error for cfg.Patience epochs
		}
		if flip != nil {
			// Horizontal flips drawn afresh each epoch from (seed, epoch),
			// so that a resumed run draws the same ones.
			flip.Draw(train, rand.New(rand.NewPCG(cfg.Seed, flipStream+uint64(epoch))))
		}
		m, err := tr.epoch(ctx, shuffle, epoch, cfg, angleLog, func(done int) {
			if progress != nil {
				progress(epoch, cfg.Epochs, done, train.N)
			}
		})
		if flip != nil {
			flip.Restore(train) // the training error is measured unflipped
		}
		if err != nil {
			return Summary{}, err
		}
		m.TrainLoss, m.TrainErr = Evaluate(net, train, 1000)
		m.TestLoss, m.TestErr = Evaluate(net, test, 1000)
		m.ActivationBytes = net.ActivationBytes()
		rows = append(rows, m)
		if err := writeMetrics(filepath.Join(out, rundir.Metrics), rows, hidden, cfg.Angles > 0); err != nil {
			return Summary{}, err
		}
		if angleLog != nil {
			if err := angleLog.Flush(); err != nil {
				return Summary{}, err
			}
		}
		if densities != nil && densityEpoch(epoch, cfg.Epochs) {
			if err := recordDensity(densities, net, test, epoch); err != nil {
				return Summary{}, err
			}
		}
		var nb bytes.Buffer
		if err := net.Save(&nb); err != nil {
			return Summary{}, err
		}
		sb, _ := shuffleSrc.MarshalBinary()
		var cb bytes.Buffer
		if err := gob.NewEncoder(&cb).Encode(checkpoint{Epoch: epoch, Shuffle: sb, Net: nb.Bytes(), Rows: rows}); err != nil {
			return Summary{}, err
		}
		if err := rundir.WriteFile(ckPath, cb.Bytes()); err != nil {
			return Summary{}, err
		}
	}
	s := summarize(cfg, rows, train.Classes())
	return s, rundir.WriteJSON(filepath.Join(out, rundir.Summary), s)
}

// flipStream is the random stream of cifar10-aug's flips (epoch added).
const flipStream = 0x666c6970 << 16

// bestEpoch returns the first epoch of rows with the lowest test error (the
// test loss for regression) and that value; 0 and NaN when rows is empty.
func bestEpoch(rows []EpochMetrics) (epoch int, value float64) {
	value = math.NaN()
	for _, r := range rows {
		v := r.TestErr
		if math.IsNaN(v) {
			v = r.TestLoss
		}
		if epoch == 0 || v < value {
			epoch, value = r.Epoch, v
		}
	}
	return epoch, value
}

func summarize(cfg TrainConfig, rows []EpochMetrics, classes bool) Summary {
	last := rows[len(rows)-1]
	s := Summary{Algo: cfg.Algo, Net: cfg.Net, Data: cfg.Data, Epochs: last.Epoch, Seed: cfg.Seed,
		TestLoss: last.TestLoss, TrainLoss: last.TrainLoss, ActivationBytes: last.ActivationBytes}
	var best float64
	s.BestEpoch, best = bestEpoch(rows)
	if classes {
		s.BestTestError = &best
	}
	var secs, samples float64
	for _, r := range rows {
		secs += r.Seconds
		samples += r.Seconds * r.SamplesPerSec
	}
	s.TrainSeconds = secs
	if secs > 0 {
		s.SamplesPerSec = samples / secs
	}
	if classes {
		te, tr := last.TestErr, last.TrainErr
		s.TestError, s.TrainError = &te, &tr
		if len(rows) >= 10 {
			var m float64
			for _, r := range rows[len(rows)-10:] {
				m += r.TestErr
			}
			m /= 10
			s.TestErrorLast10 = &m
		}
	}
	for _, a := range last.Angles {
		if math.IsNaN(a) {
			s.FinalAngles = nil
			break
		}
		s.FinalAngles = append(s.FinalAngles, a)
	}
	return s
}

// Evaluate returns the mean loss and the error in percent (NaN for
// regression) of net on set, in batches of batch samples.
func Evaluate(net *network.Net, set *dataset.Set, batch int) (loss, errPct float64) {
	var sum float64
	correct := 0
	for i := 0; i < set.N; i += batch {
		n := min(batch, set.N-i)
		b := network.Batch{X: set.X[i*set.Features : (i+n)*set.Features], T: set.T[i*set.Outputs : (i+n)*set.Outputs], N: n}
		if set.Labels != nil {
			b.Labels = set.Labels[i : i+n]
		}
		_, r := net.Predict(b)
		sum += r.Loss * float64(n)
		correct += r.Correct
	}
	loss = sum / float64(set.N)
	errPct = math.NaN()
	if set.Labels != nil {
		errPct = 100 * float64(set.N-correct) / float64(set.N)
	}
	return loss, errPct
}

func ftoa(v float64) string { return strconv.FormatFloat(v, 'g', 6, 64) }

func itoa(v int) string { return strconv.Itoa(v) }

// readConfig reads a run directory's config.json.
func readConfig(dir string, cfg *TrainConfig) error {
	return rundir.ReadJSON(filepath.Join(dir, rundir.Config), cfg)
}

// loadCheckpoint restores net (and, when ck is not nil, the rest of the
// checkpoint) from a run directory.
func loadCheckpoint(dir string, net *network.Net, ck *checkpoint) error {
	path := filepath.Join(dir, rundir.Checkpoint)
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("load %s: %w", path, err)
	}
	if ck == nil {
		ck = new(checkpoint)
	}
	if err := gob.NewDecoder(bytes.NewReader(b)).Decode(ck); err != nil {
		return unreadable(path, err)
	}
	if err := net.Load(bytes.NewReader(ck.Net)); err != nil {
		return fmt.Errorf("load %s: %w", path, err)
	}
	return nil
}

// unreadable is the error for a checkpoint that does not decode
// (rundir.ErrUnreadable).
func unreadable(path string, err error) error {
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		err = fmt.Errorf("truncated (%w)", err)
	}
	return fmt.Errorf("load %s: %w: %w; restore the file, or train again with another --out", path, rundir.ErrUnreadable, err)
}

// sameConfig checks that the run directory out was made with cfg, up to
// what may change between a run and its resumption: the number of epochs,
// threads, patience, what to record after training and the program's
// version.
func sameConfig(out string, cfg TrainConfig) error {
	diff, err := configChanges(out, cfg)
	if err != nil {
		return fmt.Errorf("--resume: %w", err)
	}
	if diff != "" {
		return badf("--resume: %s was made with a different configuration (%s); use the same flags or another --out", out, diff)
	}
	return nil
}

// configChanges names the settings in which the run directory out was
// made differently from cfg, as configDiff does ("" when none differ or
// out holds no configuration yet), ignoring what sameConfig allows to
// change.
func configChanges(out string, cfg TrainConfig) (string, error) {
	var old TrainConfig
	if err := rundir.ReadJSON(filepath.Join(out, rundir.Config), &old); errors.Is(err, os.ErrNotExist) {
		return "", nil // nothing to compare: a fresh directory
	} else if err != nil {
		return "", err
	}
	old.Version, old.Epochs, old.Threads, old.Patience, old.Record = cfg.Version, cfg.Epochs, cfg.Threads, cfg.Patience, cfg.Record
	if old.Neuron == "" && cfg.Neuron == "rate" {
		old.Neuron = "rate" // written before the spiking engine existed
	}
	if cfg.Neuron == "lif" {
		// Spiking runs written before rateOnly held the rate engine's
		// defaults here; they never applied.
		old.Loss, old.HiddenAct, old.OutputAct, old.Init = "", "", "", ""
		if old.RateReg == nil {
			old.RateReg = new(0.0) // written before the rate regulariser existed: none
		}
	}
	if !sameFloat(old.RateReg, cfg.RateReg) {
		return configDiff(old, cfg), nil
	}
	old.RateReg, cfg.RateReg = nil, nil // compared above, by value
	if old != cfg {
		return configDiff(old, cfg), nil
	}
	return "", nil
}

// sameFloat reports whether two optional settings are equal: both unset,
// or both set to the same value.
func sameFloat(a, b *float64) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

// configDiff names the fields in which two configurations differ, as
// "field: was → now", for an error message.
func configDiff(was, now TrainConfig) string {
	var a, b map[string]any
	ja, _ := json.Marshal(was)
	jb, _ := json.Marshal(now)
	_ = json.Unmarshal(ja, &a)
	_ = json.Unmarshal(jb, &b)
	keys := make([]string, 0, len(a)+len(b))
	for k := range a {
		keys = append(keys, k)
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var diffs []string
	for _, k := range keys {
		if fmt.Sprint(a[k]) != fmt.Sprint(b[k]) {
			diffs = append(diffs, fmt.Sprintf("%s: %v → %v", k, a[k], b[k]))
		}
	}
	return strings.Join(diffs, ", ")
}
