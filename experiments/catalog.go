package experiments

import (
	"fmt"
	"sort"
	"strings"
)

// Row is one network and condition of an experiment: a row of the paper's
// tables, or the one network of a figure.
type Row struct {
	Network    string  // the paper's label: FC1-1000, CONV-trained, 256-100-100-10
	Condition  string  // DO0.0, DO0.1, DO0.25, DA (augmentation), or "" for figures
	Topology   string  // the network as a topology string
	Family     string  // the paper's Table 3 row for learning rates: FC1, FC2, CONV-random, CONV-trained
	Dropout    float64 // dropout probability on FC inputs
	Augment    bool    // horizontal flips (CIFAR-10 "DA")
	FreezeConv bool    // the paper's "random" CONV networks
	// LR overrides the learning rate of some rules on this row.
	LR map[string]float64
	// Steps is T of a spiking row (0: not spiking).
	Steps int
	// MaxRate is the Poisson rate of an input of value 1 in a spiking row,
	// Hz (0: the engine's default).
	MaxRate float64
}

// Quick is the small version of an experiment: the same outputs in minutes.
type Quick struct {
	Epochs, Trials, TrainLimit, TestLimit int
	Rows                                  []string // row keys kept (network/condition); nil keeps all
}

// Experiment is one of the paper's results (or one of ours) as data: what
// to train, how often, and what the paper published for it.
type Experiment struct {
	Name   string // the argument of `drtp reproduce`
	Title  string
	Source string // where the published values are: "Table 1", "Fig. 3 caption"
	Ours   bool   // not in the paper
	Base   TrainConfig
	Rows   []Row
	Rules  []string           // in the order of the paper's columns
	LR     map[string]float64 // rule → learning rate; nil means the paper's Table 3
	Init   map[string]string  // rule → initialisation overriding Base.Init
	Skip   map[string]bool    // "network/rule" cells the paper does not have
	Trials int
	Quick  Quick
	// The tables report the test error averaged over the last 10 epochs
	// (the paper's protocol), or the last epoch's for runs of fewer than 20
	// epochs (Report).
	Curves    bool    // draw error/loss and angle curves
	Densities bool    // record the hidden activations' density during training (densities.csv) and draw it, with the final one
	Minutes   float64 // full protocol on the development machine, where EstimatedMinutes has no timed epochs
}

// Key names a row: network/condition.
func (r Row) Key() string {
	if r.Condition == "" {
		return r.Network
	}
	return r.Network + "/" + r.Condition
}

var zeroInitFA = map[string]string{"fa": "zero", "dfa": "zero", "sdfa": "zero", "drtp": "zero"}

func fcRows(depths []int, widths []int, drops []string, cifar bool) []Row {
	var rows []Row
	for _, d := range depths {
		for _, w := range widths {
			topo := strings.Repeat(fmt.Sprintf("FC_%d_", w), d) + "FC_10"
			for _, c := range drops {
				r := Row{Network: fmt.Sprintf("FC%d-%d", d, w), Condition: c, Topology: topo, Family: fmt.Sprintf("FC%d", d)}
				switch c {
				case "DO0.1":
					r.Dropout = 0.1
				case "DO0.25":
					r.Dropout = 0.25
				case "DA":
					r.Augment = true
				}
				rows = append(rows, r)
			}
		}
	}
	return rows
}

func convRows(topo string, drops []string) []Row {
	var rows []Row
	for _, kind := range []string{"CONV-random", "CONV-trained"} {
		for _, r := range fcRows([]int{1}, []int{1}, drops, false) {
			r.Network, r.Topology, r.Family, r.FreezeConv = kind, topo, kind, kind == "CONV-random"
			rows = append(rows, r)
		}
	}
	return rows
}

var mnistBase = TrainConfig{Data: "mnist", DataSeed: 1, Epochs: 100, Batch: 60, Opt: "adam", Loss: "bce",
	HiddenAct: "tanh", OutputAct: "sigmoid", Init: "default", Seed: 1}

var cifarBase = TrainConfig{Data: "cifar10", DataSeed: 1, Epochs: 200, Batch: 100, Opt: "adam", Loss: "bce",
	HiddenAct: "tanh", OutputAct: "sigmoid", Init: "default", Seed: 1}

const (
	mnistConv = "CONV_32_5_1_2_FC_1000_FC_10"
	cifarConv = "CONV_64_3_1_1_CONV_256_3_1_1_FC_1000_FC_1000_FC_10"
)

var mnistDrops = []string{"DO0.0", "DO0.1", "DO0.25"}
var cifarDrops = []string{"DO0.0", "DO0.1", "DO0.25", "DA"}

// Catalog lists every experiment `drtp reproduce` knows, in the paper's
// order. The experiments on the paper's MNIST and CIFAR-10 networks get
// their times from timed epochs (EstimatedMinutes); the others give
// Minutes, measured on the 2-core machine this project is developed on.
var Catalog = []Experiment{
	{
		Name: "fig2", Title: "Regression: loss and alignment angles (Fig. 2)", Source: "Fig. 2 (curves only)",
		Base: TrainConfig{Data: "synth-regression", DataSeed: 1, Epochs: 500, Batch: 50, Opt: "adam", LR: 5e-4, Loss: "mse",
			HiddenAct: "tanh", OutputAct: "tanh", Init: "he", Angles: 1000, Seed: 1},
		Rows:   []Row{{Network: "256-100-100-10", Topology: "FC_100_FC_100_FC_10"}},
		Rules:  []string{"shallow", "bp", "fa", "dfa", "sdfa"},
		LR:     map[string]float64{"shallow": 5e-4, "bp": 5e-4, "fa": 5e-4, "dfa": 5e-4, "sdfa": 5e-4},
		Init:   zeroInitFA,
		Trials: 10, Quick: Quick{Epochs: 20, Trials: 2}, Curves: true, Minutes: 60, // measured: 3 trials in 17 min
	},
	{
		Name: "fig3", Title: "Synthetic classification: error and alignment angles (Fig. 3; DRTP added, ours)", Source: "Fig. 3 caption",
		Base: TrainConfig{Data: "synth-classification", DataSeed: 1, Epochs: 500, Batch: 50, Opt: "adam", LR: 5e-4, Loss: "bce",
			HiddenAct: "tanh", OutputAct: "sigmoid", Init: "he", Angles: 2500, Seed: 1},
		Rows:   []Row{{Network: "256-500-500-10", Condition: "500 epochs", Topology: "FC_500_FC_500_FC_10"}},
		Rules:  []string{"shallow", "bp", "fa", "dfa", "sdfa", "drtp"},
		LR:     map[string]float64{"shallow": 5e-4, "bp": 5e-4, "fa": 5e-4, "dfa": 5e-4, "sdfa": 5e-4, "drtp": 5e-4},
		Init:   zeroInitFA,
		Trials: 10, Quick: Quick{Epochs: 5, Trials: 2, TrainLimit: 5000, TestLimit: 1000}, Curves: true, Minutes: 300, // measured: 11 trials in 57 min, 2 at a time
	},
	{
		Name: "table1", Title: "MNIST test error (Table 1)", Source: "Table 1",
		Base:   mnistBase,
		Rows:   append(fcRows([]int{1, 2}, []int{500, 1000}, mnistDrops, false), convRows(mnistConv, mnistDrops)...),
		Rules:  []string{"bp", "fa", "dfa", "drtp", "shallow"},
		Skip:   map[string]bool{"CONV-trained/shallow": true},
		Trials: 10, Quick: Quick{Epochs: 2, Trials: 2, TrainLimit: 6000, TestLimit: 2000, Rows: []string{"FC1-500/DO0.0", "FC1-1000/DO0.0"}},
	},
	{
		Name: "table2", Title: "CIFAR-10 test error (Table 2)", Source: "Table 2",
		Base:   cifarBase,
		Rows:   append(fcRows([]int{1, 2}, []int{500, 1000}, cifarDrops, true), convRows(cifarConv, cifarDrops)...),
		Rules:  []string{"bp", "fa", "dfa", "drtp", "shallow"},
		Skip:   map[string]bool{"CONV-trained/shallow": true},
		Trials: 10, Quick: Quick{Epochs: 2, Trials: 2, TrainLimit: 5000, TestLimit: 1000, Rows: []string{"FC1-500/DO0.0"}},
	},
	{
		Name: "tableS1", Title: "MNIST, sDFA against DRTP (Table S1)", Source: "Table S1",
		Base:   mnistBase,
		Rows:   append(fcRows([]int{1, 2}, []int{500, 1000}, mnistDrops, false), convRows(mnistConv, mnistDrops)...),
		Rules:  []string{"sdfa", "drtp"},
		Trials: 10, Quick: Quick{Epochs: 2, Trials: 2, TrainLimit: 6000, TestLimit: 2000, Rows: []string{"FC1-1000/DO0.0"}},
	},
	{
		Name: "tableS2", Title: "CIFAR-10, sDFA against DRTP (Table S2)", Source: "Table S2",
		Base:   cifarBase,
		Rows:   append(fcRows([]int{1, 2}, []int{500, 1000}, cifarDrops, true), convRows(cifarConv, cifarDrops)...),
		Rules:  []string{"sdfa", "drtp"},
		Trials: 10, Quick: Quick{Epochs: 2, Trials: 2, TrainLimit: 5000, TestLimit: 1000, Rows: []string{"FC1-1000/DO0.0"}},
	},
	{
		Name: "fashion", Title: "Fashion-MNIST test error, every rule (ours: no published DRTP values)", Source: "none (ours)", Ours: true,
		Base: withData(mnistBase, "fashion-mnist", 20),
		Rows: []Row{
			{Network: "FC1-1000", Condition: "DO0.0", Topology: "FC_1000_FC_10", Family: "FC1"},
			// Table 3 has no shallow rate for trained kernels: shallow freezes them anyway, as CONV-random.
			{Network: "CONV-trained", Condition: "DO0.0", Topology: mnistConv, Family: "CONV-trained", LR: map[string]float64{"shallow": 5e-3}},
		},
		Rules:  []string{"bp", "fa", "dfa", "sdfa", "drtp", "shallow"},
		Trials: 3, Quick: Quick{Epochs: 1, Trials: 1, TrainLimit: 3000, TestLimit: 1000, Rows: []string{"FC1-1000/DO0.0"}},
	},
	{
		Name: "spiking", Title: "Spiking MNIST: test error against time steps per sample and input rate, LIF FC_1000_FC_10 (ours)", Source: "none (ours)", Ours: true,
		Base: TrainConfig{Data: "mnist", DataSeed: 1, Epochs: 10, Neuron: "lif", Seed: 1},
		Rows: []Row{
			{Network: "LIF 784-1000-10", Condition: "T=10", Topology: "FC_1000_FC_10", Steps: 10},
			{Network: "LIF 784-1000-10", Condition: "T=25", Topology: "FC_1000_FC_10", Steps: 25},
			{Network: "LIF 784-1000-10", Condition: "T=50", Topology: "FC_1000_FC_10", Steps: 50},
			{Network: "LIF 784-1000-10", Condition: "T=100", Topology: "FC_1000_FC_10", Steps: 100},
			// The input rate sets how active the frozen hidden layer of
			// shallow learning is, and so how strong a baseline it is.
			{Network: "LIF 784-1000-10", Condition: "T=50 200Hz", Topology: "FC_1000_FC_10", Steps: 50, MaxRate: 200},
			{Network: "LIF 784-1000-10", Condition: "T=50 1000Hz", Topology: "FC_1000_FC_10", Steps: 50, MaxRate: 1000},
		},
		Rules: []string{"drtp", "dfa", "sdfa", "shallow"},
		// 0: the spiking engine's tuned rate (spiking.DefaultConfig).
		LR:     map[string]float64{"drtp": 0, "dfa": 0, "sdfa": 0, "shallow": 0},
		Trials: 1, Quick: Quick{Epochs: 1, Trials: 1, TrainLimit: 1000, TestLimit: 300, Rows: []string{"LIF 784-1000-10/T=10"}},
		// Scaled from one measured run, T = 50 DRTP in 2 min 44 s on an idle
		// machine (the cost grows with T and the input rate; DFA and sDFA
		// add B·e each step).
		Minutes: 120,
	},
	{
		Name: "figS1", Title: "MNIST, sDFA against DRTP: error and angle (Fig. S1)", Source: "Fig. S1 caption",
		Base:   withAngles(mnistBase, 60, "dy"),
		Rows:   []Row{{Network: "784-1000-10", Condition: "100 epochs", Topology: "FC_1000_FC_10"}},
		Rules:  []string{"sdfa", "drtp"},
		LR:     map[string]float64{"sdfa": 1.5e-4, "drtp": 1.5e-4},
		Trials: 10, Quick: Quick{Epochs: 2, Trials: 2, TrainLimit: 6000, TestLimit: 2000}, Curves: true,
	},
	{
		Name: "figS2", Title: "CIFAR-10, sDFA against DRTP: error and angle (Fig. S2)", Source: "Fig. S2 caption",
		Base:   withAngles(cifarBase, 100, "dy"),
		Rows:   []Row{{Network: "3072-1000-10", Condition: "200 epochs", Topology: "FC_1000_FC_10"}},
		Rules:  []string{"sdfa", "drtp"},
		LR:     map[string]float64{"sdfa": 5e-5, "drtp": 5e-5},
		Trials: 10, Quick: Quick{Epochs: 2, Trials: 2, TrainLimit: 5000, TestLimit: 1000}, Curves: true,
	},
	{
		Name: "figS3", Title: "MNIST CONV: conv-layer alignment angles (Fig. S3)", Source: "Fig. S3 (curves only)",
		Base:   withAngles(mnistBase, 60, "dy"),
		Rows:   []Row{{Network: "CONV-trained", Topology: mnistConv, Family: "CONV-trained"}},
		Rules:  []string{"fa", "dfa", "drtp"},
		Trials: 10, Quick: Quick{Epochs: 1, Trials: 2, TrainLimit: 3000, TestLimit: 1000}, Curves: true,
	},
	{
		Name: "figS4", Title: "MNIST: hidden activation densities (Figs. S4, S6A)", Source: "Figs. S4, S6 (curves only)",
		Base:   mnistBase,
		Rows:   []Row{{Network: "784-1000-10", Topology: "FC_1000_FC_10"}},
		Rules:  []string{"bp", "dfa", "drtp"},
		LR:     map[string]float64{"bp": 1.5e-4, "dfa": 1.5e-4, "drtp": 1.5e-4},
		Trials: 1, Quick: Quick{Epochs: 2, Trials: 1, TrainLimit: 6000, TestLimit: 2000}, Curves: true, Densities: true,
	},
	{
		Name: "figS5", Title: "CIFAR-10: hidden activation densities (Figs. S5, S6B)", Source: "Figs. S5, S6 (curves only)",
		Base:   cifarBase,
		Rows:   []Row{{Network: "3072-1000-10", Topology: "FC_1000_FC_10"}},
		Rules:  []string{"bp", "dfa", "drtp"},
		LR:     map[string]float64{"bp": 5e-6, "dfa": 5e-6, "drtp": 5e-5},
		Trials: 1, Quick: Quick{Epochs: 2, Trials: 1, TrainLimit: 5000, TestLimit: 1000}, Curves: true, Densities: true,
	},
}

func withData(c TrainConfig, data string, epochs int) TrainConfig {
	c.Data, c.Epochs = data, epochs
	return c
}

// withAngles records c's angles every so many samples, of δz_k ("dz") or
// of δy_k ("dy": the paper's Figs. S1–S3, whose captions measure the loss
// gradients δy_k where Figs. 2 and 3 measure the modulatory signals δz_k).
func withAngles(c TrainConfig, every int, of string) TrainConfig {
	c.Angles, c.AngleOf = every, of
	return c
}

// Lookup returns the experiment called name.
func Lookup(name string) (Experiment, error) {
	var names []string
	for _, e := range Catalog {
		if strings.EqualFold(e.Name, name) {
			return e, nil
		}
		names = append(names, e.Name)
	}
	sort.Strings(names)
	return Experiment{}, fmt.Errorf("%w: unknown experiment %q: expected one of %s (drtp reproduce list)", ErrBadConfig, name, strings.Join(names, ", "))
}
