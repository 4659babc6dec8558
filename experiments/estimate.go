package experiments

// How long the paper's protocols take here, for `drtp reproduce list`.

// costKey names a kind of trial whose epoch was timed by
// bench/epoch_times.sh.
type costKey struct {
	data   string // mnist (also Fashion-MNIST) or cifar10 (also cifar10-aug)
	net    string // topology
	rule   string // bp (also FA, DFA, sDFA), drtp (also shallow); with angles the rule timed
	freeze bool   // CONV kernels frozen
	angles bool   // alignment angles recorded every batch or so
}

// epochCost is the wall time of one epoch, training and evaluation, and
// the start-up of a trial, in seconds.
type epochCost struct{ epoch, startup float64 }

// epochCosts are bench/epoch_times.sh's measurements on the development
// machine (2 cores, AMD EPYC with AVX-512), at the paper's batch sizes
// (60 for MNIST, 100 for CIFAR-10), 2026-11-27 at commit e994bb2.
var epochCosts = map[costKey]epochCost{
	{"mnist", "FC_500_FC_10", "bp", false, false}:              {1.0, 0.3},
	{"mnist", "FC_500_FC_10", "drtp", false, false}:            {0.9, 0.3},
	{"mnist", "FC_1000_FC_10", "bp", false, false}:             {1.8, 0.4},
	{"mnist", "FC_1000_FC_10", "drtp", false, false}:           {1.4, 0.4},
	{"mnist", "FC_500_FC_500_FC_10", "bp", false, false}:       {1.8, 0.4},
	{"mnist", "FC_500_FC_500_FC_10", "drtp", false, false}:     {1.4, 0.3},
	{"mnist", "FC_1000_FC_1000_FC_10", "bp", false, false}:     {4.6, 0.5},
	{"mnist", "FC_1000_FC_1000_FC_10", "drtp", false, false}:   {3.5, 0.6},
	{"mnist", mnistConv, "bp", false, false}:                   {24.8, 1.4},
	{"mnist", mnistConv, "bp", true, false}:                    {17.4, 1.4},
	{"mnist", mnistConv, "drtp", false, false}:                 {20.3, 1.6},
	{"mnist", mnistConv, "drtp", true, false}:                  {17.9, 1.5},
	{"mnist", "FC_1000_FC_10", "drtp", false, true}:            {2.0, 0.4},
	{"mnist", "FC_1000_FC_10", "bp", false, true}:              {2.3, 0.4},
	{"mnist", mnistConv, "drtp", false, true}:                  {32.6, 1.5},
	{"mnist", mnistConv, "bp", false, true}:                    {42.2, 1.4},
	{"cifar10", "FC_500_FC_10", "bp", false, false}:            {3.1, 0.9},
	{"cifar10", "FC_500_FC_10", "drtp", false, false}:          {3.2, 0.8},
	{"cifar10", "FC_1000_FC_10", "bp", false, false}:           {5.8, 1.1},
	{"cifar10", "FC_1000_FC_10", "drtp", false, false}:         {5.8, 1.1},
	{"cifar10", "FC_500_FC_500_FC_10", "bp", false, false}:     {3.8, 0.9},
	{"cifar10", "FC_500_FC_500_FC_10", "drtp", false, false}:   {5.0, 0.8},
	{"cifar10", "FC_1000_FC_1000_FC_10", "bp", false, false}:   {9.3, 1.3},
	{"cifar10", "FC_1000_FC_1000_FC_10", "drtp", false, false}: {8.3, 1.3},
	{"cifar10", "FC_1000_FC_10", "drtp", false, true}:          {8.0, 1.1},
	{"cifar10", "FC_1000_FC_10", "bp", false, true}:            {8.0, 1.0},
	{"cifar10", cifarConv, "bp", false, false}:                 {146.4, 7.6},
	{"cifar10", cifarConv, "bp", true, false}:                  {116.1, 4.9},
	{"cifar10", cifarConv, "drtp", false, false}:               {133.0, 5.0},
	{"cifar10", cifarConv, "drtp", true, false}:                {91.0, 5.5},
}

// trialSeconds estimates the wall time of a trial with cfg on the
// development machine, and reports whether it could: only the networks
// and data of the paper's tables are timed.
func trialSeconds(cfg TrainConfig) (float64, bool) {
	if cfg.Neuron == "lif" {
		return 0, false // the rate engine's networks only
	}
	k := costKey{net: cfg.Net, freeze: cfg.FreezeConv, angles: cfg.Angles > 0}
	switch cfg.Data {
	case "mnist", "fashion-mnist":
		k.data = "mnist"
	case "cifar10", "cifar10-aug":
		k.data = "cifar10"
	default:
		return 0, false
	}
	switch cfg.Algo {
	case "bp", "fa", "dfa", "sdfa":
		k.rule = "bp"
	case "drtp", "shallow":
		k.rule = "drtp"
	default:
		return 0, false
	}
	c, ok := epochCosts[k]
	if !ok {
		return 0, false
	}
	return float64(cfg.Epochs)*c.epoch + c.startup, true
}

// EstimatedMinutes is how long the full protocol of e takes on the
// development machine: the sum of its trials' times from the timed epochs
// of its networks (epochCosts), else e.Minutes. The epochs were timed one
// trial at a time on both cores; reproduce's two at a time, one per core,
// take about as long in all.
func (e Experiment) EstimatedMinutes() float64 {
	trials, _, err := e.Plan(Options{Out: e.Name})
	if err != nil {
		return e.Minutes
	}
	var s float64
	for _, t := range trials {
		sec, ok := trialSeconds(t.Config)
		if !ok {
			return e.Minutes
		}
		s += sec
	}
	return s / 60
}
