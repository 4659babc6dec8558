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
	Topology []LayerSpec // from ParseTopology: CONV layers first, then FC layers
	Inputs   int         // input width (784 for MNIST); 0 = Shape's product
	// Shape is one input's channels, height and width ({1, 28, 28} for
	// MNIST, {3, 32, 32} for CIFAR-10), NCHW as PyTorch. Required by CONV
	// layers; FC-only networks need only Inputs.
	Shape   [3]int
	Hidden  neuron.Activation // hidden non-linearity f_k of FC layers (default tanh)
	ConvAct neuron.Activation // non-linearity of CONV layers (default: Hidden)
	Output  Output            // output non-linearity
	Loss    Loss
	Rule    modulator.Rule // BP, FA, DFA, SDFA, DRTP or Shallow
	// Init is the forward weight initialisation of FC layers. CONV layers
	// always take PyTorch's Conv2d default, as in the paper's code (whose
	// --fc-zero-init touches FC layers only).
	Init       synapse.Init
	Method     synapse.Method // optimiser, with its learning rate
	Dropout    float64        // probability of dropping each FC input (0 = none)
	FreezeConv bool           // CONV kernels keep their initial values (the paper's "random" CONV networks)
	Seed       uint64         // weights, feedback matrices and dropout masks
}

// Layer is one layer: fully-connected (Syn) or convolutional followed by
// 2×2 max-pooling of stride 2 (Conv); the optimiser state of its
// parameters; and the fixed feedback matrix its rule needs, if any.
type Layer struct {
	Syn  *synapse.Dense // FC layers; nil for CONV layers
	Conv *synapse.Conv  // CONV layers; nil for FC layers
	optW synapse.Optimizer
	optB synapse.Optimizer
	// Feedback is, for a ThirdFactor rule's hidden layer, B_k (C × n_k with
	// n_k the layer's output width before pooling, channels·height·width
	// for CONV, flattened channel-major as PyTorch's view); for FA, B_k
	// shaped like the forward weights (Out × In, or the CONV kernels
	// OutC × InC·K·K); nil otherwise.
	Feedback *modulator.Feedback
	// frozen layers never learn (CONV layers with Config.FreezeConv).
	frozen bool

	in, out int // per-sample input width and output width (after pooling)
	zw      int // per-sample width of z_k (before pooling)
	// CONV: the pre-pooling map, channels × height × width.
	ch, h, w int
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
	// colOf is the layer whose im2col is in the shared col buffer, −1 when
	// none is.
	colOf int
	// firstLearner is the lowest layer that learns: layers below it need
	// no signal.
	firstLearner int
	hidden       hiddenRows // the element-wise work of a hidden layer's step, kept so that it allocates nothing
	outStep      outputStep // the output layer's part of an update-unlocked step, likewise
}

// New builds a network, drawing weights and feedback matrices from cfg.Seed.
func New(cfg Config) (*Net, error) {
	if len(cfg.Topology) == 0 {
		return nil, fmt.Errorf("network: empty topology")
	}
	if cfg.Shape == [3]int{} {
		cfg.Shape = [3]int{cfg.Inputs, 1, 1}
	}
	if cfg.Shape[0] < 1 || cfg.Shape[1] < 1 || cfg.Shape[2] < 1 {
		return nil, fmt.Errorf("network: input shape %v: every side must be ≥ 1", cfg.Shape)
	}
	size := cfg.Shape[0] * cfg.Shape[1] * cfg.Shape[2]
	if cfg.Inputs == 0 {
		cfg.Inputs = size
	}
	if cfg.Inputs < 1 {
		return nil, fmt.Errorf("network: %d inputs, need at least 1", cfg.Inputs)
	}
	if cfg.Inputs != size {
		return nil, fmt.Errorf("network: %d inputs but input shape %v holds %d", cfg.Inputs, cfg.Shape, size)
	}
	if cfg.Dropout < 0 || cfg.Dropout >= 1 {
		return nil, fmt.Errorf("network: dropout %g outside [0, 1)", cfg.Dropout)
	}
	if cfg.Hidden == nil {
		cfg.Hidden = neuron.Tanh{}
	}
	if cfg.ConvAct == nil {
		cfg.ConvAct = cfg.Hidden
	}
	if cfg.Rule == nil || cfg.Method == nil {
		return nil, fmt.Errorf("network: a rule and an optimiser are required")
	}
	if err := CheckPair(cfg.Loss, cfg.Output); err != nil {
		return nil, err
	}
	src := rand.NewPCG(cfg.Seed, 0x64726f70)
	n := &Net{cfg: cfg, rng: rand.New(src), src: src, colOf: -1}
	wrng := rand.New(rand.NewPCG(cfg.Seed, 1))
	frng := rand.New(rand.NewPCG(cfg.Seed, 2))
	c := cfg.Topology[len(cfg.Topology)-1].Out
	n.out = outputLayer{out: cfg.Output, loss: cfg.Loss, c: c}
	ch, h, w := cfg.Shape[0], cfg.Shape[1], cfg.Shape[2]
	seenFC := false
	for k, spec := range cfg.Topology {
		hidden := k < len(cfg.Topology)-1
		l := &Layer{in: ch * h * w}
		var nW, nB int
		switch spec.Kind {
		case "CONV":
			if seenFC {
				return nil, fmt.Errorf("network: layer %d (%s) follows an FC layer: CONV layers must come first", k+1, spec)
			}
			oh, ow := synapse.ConvOutSize(h, spec.Kernel, spec.Stride, spec.Pad), synapse.ConvOutSize(w, spec.Kernel, spec.Stride, spec.Pad)
			if oh/2 < 1 || ow/2 < 1 {
				return nil, fmt.Errorf("network: layer %d (%s) on %d×%d×%d inputs: output %d×%d is too small for 2×2 pooling",
					k+1, spec, ch, h, w, oh, ow)
			}
			cv := synapse.NewConv(ch, h, w, spec.Out, spec.Kernel, spec.Stride, spec.Pad)
			cv.Initialize(synapse.InitDefault, wrng)
			l.Conv, l.frozen = cv, cfg.FreezeConv
			l.ch, l.h, l.w = spec.Out, oh, ow
			l.zw = cv.OutSize()
			ch, h, w = spec.Out, oh/2, ow/2
			l.out = ch * h * w
			nW, nB = len(cv.W), len(cv.B)
		case "FC":
			seenFC = true
			syn := synapse.NewDense(l.in, spec.Out)
			syn.Initialize(cfg.Init, wrng)
			// The data's pixels are mostly zero (MNIST: 35–42% of the
			// pixels of a batch of 60 are blank in every image): the
			// forward pass and the weight update skip them.
			syn.SparseInput = k == 0
			l.Syn = syn
			l.zw, l.out = spec.Out, spec.Out
			ch, h, w = spec.Out, 1, 1
			nW, nB = len(syn.W), len(syn.B)
		default:
			return nil, fmt.Errorf("network: layer %d: unknown kind %q", k+1, spec.Kind)
		}
		l.optW, l.optB = cfg.Method.New(nW), cfg.Method.New(nB)
		switch r := cfg.Rule.(type) {
		case modulator.Chain:
			if !r.Transport() {
				if l.Conv != nil {
					l.Feedback = modulator.NewFeedback(l.Conv.OutC, l.Conv.FanIn(), frng)
				} else {
					l.Feedback = modulator.NewFeedback(spec.Out, l.in, frng)
				}
			}
		case modulator.ThirdFactor:
			if hidden {
				l.Feedback = modulator.NewFeedback(c, l.zw, frng)
			}
		default:
			return nil, fmt.Errorf("network: rule %v is neither a chain nor a third factor", cfg.Rule)
		}
		if l.frozen && n.firstLearner == k {
			n.firstLearner = k + 1
		}
		n.Layers = append(n.Layers, l)
	}
	return n, nil
}

// Config returns the configuration the network was built with (defaults
// filled in).
func (n *Net) Config() Config { return n.cfg }

// Classes is the width of the output layer.
func (n *Net) Classes() int { return n.out.c }

// Hidden is the number of hidden layers, CONV layers included.
func (n *Net) Hidden() int { return len(n.Layers) - 1 }

// act is the non-linearity of hidden layer l.
func (n *Net) act(l *Layer) neuron.Activation {
	if l.Conv != nil {
		return n.cfg.ConvAct
	}
	return n.cfg.Hidden
}

// params returns the layer's weights and biases.
func (l *Layer) params() (w, b []float32) {
	if l.Conv != nil {
		return l.Conv.W, l.Conv.B
	}
	return l.Syn.W, l.Syn.B
}
