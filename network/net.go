package network

import (
	"fmt"
	"math/rand/v2"

	"drtp/modulator"
	"drtp/neuron"
	"drtp/synapse"
)

// Config describes a rate-based network and how it learns.
type Config struct {
	Topology []LayerSpec       // from ParseTopology; FC layers only here
	Inputs   int               // input width (784 for MNIST)
	Hidden   neuron.Activation // hidden non-linearity f_k (default tanh)
	Output   Output            // output non-linearity
	Loss     Loss
	Rule     modulator.Rule // BP, FA, DFA, SDFA, DRTP or Shallow
	Init     synapse.Init   // forward weight initialisation
	Method   synapse.Method // optimiser, with its learning rate
	Dropout  float64        // probability of dropping each FC input (0 = none)
	Seed     uint64         // weights, feedback matrices and dropout masks
}

// Layer is one fully-connected layer: its synapses, the optimiser state of
// its parameters and the fixed feedback matrix its rule needs, if any.
type Layer struct {
	Syn  *synapse.Dense
	optW synapse.Optimizer
	optB synapse.Optimizer
	// Feedback is B_k (C × Out) for a ThirdFactor rule's hidden layer, or
	// B_k shaped like W (Out × In) for FA; nil otherwise.
	Feedback *modulator.Feedback
}

// Net is a rate-based network z_k = W_k y_{k−1} + b_k, y_k = f_k(z_k)
// trained by one of the rules of package modulator.
type Net struct {
	cfg    Config
	Layers []*Layer
	out    outputLayer
	rng    *rand.Rand // dropout masks
	src    *rand.PCG  // rng's source, saved in checkpoints
	ws     workspace
	ins    [][]float32 // per-layer inputs kept by the update-locked rules
}

// New builds a network, drawing weights and feedback matrices from cfg.Seed.
func New(cfg Config) (*Net, error) {
	if len(cfg.Topology) == 0 {
		return nil, fmt.Errorf("network: empty topology")
	}
	for _, l := range cfg.Topology {
		if l.Kind != "FC" {
			return nil, fmt.Errorf("network: %s: convolutional layers are not implemented yet; use FC layers only", l)
		}
	}
	if cfg.Inputs < 1 {
		return nil, fmt.Errorf("network: %d inputs, need at least 1", cfg.Inputs)
	}
	if cfg.Dropout < 0 || cfg.Dropout >= 1 {
		return nil, fmt.Errorf("network: dropout %g outside [0, 1)", cfg.Dropout)
	}
	if cfg.Hidden == nil {
		cfg.Hidden = neuron.Tanh{}
	}
	if cfg.Rule == nil || cfg.Method == nil {
		return nil, fmt.Errorf("network: a rule and an optimiser are required")
	}
	if err := CheckPair(cfg.Loss, cfg.Output); err != nil {
		return nil, err
	}
	src := rand.NewPCG(cfg.Seed, 0x64726f70)
	n := &Net{cfg: cfg, rng: rand.New(src), src: src}
	wrng := rand.New(rand.NewPCG(cfg.Seed, 1))
	frng := rand.New(rand.NewPCG(cfg.Seed, 2))
	c := cfg.Topology[len(cfg.Topology)-1].Out
	n.out = outputLayer{out: cfg.Output, loss: cfg.Loss, c: c}
	in := cfg.Inputs
	for k, spec := range cfg.Topology {
		syn := synapse.NewDense(in, spec.Out)
		syn.Initialize(cfg.Init, wrng)
		l := &Layer{Syn: syn, optW: cfg.Method.New(len(syn.W)), optB: cfg.Method.New(len(syn.B))}
		hidden := k < len(cfg.Topology)-1
		switch r := cfg.Rule.(type) {
		case modulator.Chain:
			if !r.Transport() {
				l.Feedback = modulator.NewFeedback(spec.Out, in, frng)
			}
		case modulator.ThirdFactor:
			if hidden {
				l.Feedback = modulator.NewFeedback(c, spec.Out, frng)
			}
		default:
			return nil, fmt.Errorf("network: rule %v is neither a chain nor a third factor", cfg.Rule)
		}
		n.Layers = append(n.Layers, l)
		in = spec.Out
	}
	return n, nil
}

// Config returns the configuration the network was built with.
func (n *Net) Config() Config { return n.cfg }

// Classes is the width of the output layer.
func (n *Net) Classes() int { return n.out.c }

// Hidden is the number of hidden layers.
func (n *Net) Hidden() int { return len(n.Layers) - 1 }
