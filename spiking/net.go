package spiking

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/blas/gonum"

	"drtp/modulator"
	"drtp/neuron"
	"drtp/synapse"
)

var gonumBLAS = gonum.Implementation{}

// Net is a feedforward network of LIF layers with a spiking or integrating
// readout, trained by a three-factor rule. Build it with New.
type Net struct {
	cfg    Config
	inputs int
	layers []*layer
	lif    neuron.LIFParams
	alphaX float32 // trace decay α_x (eq. T1)
	li     neuron.LIParams
	// hidden reports whether the rule gives hidden layers a signal at all
	// (false for shallow: they are frozen).
	hidden bool
	pool   []*worker
}

// layer is one fully-connected layer. Its weights are stored transposed,
// In × Out, so that an input spike adds one contiguous row to the currents
// of the layer (the event-driven layout).
type layer struct {
	in, out int
	wT      []float32           // In × Out: wT[j·Out + i] = W_ij
	b       []float32           // Out biases b_i, membrane units per step
	fb      *modulator.Feedback // B_k (C × Out) of a hidden layer; nil for the output
	optW    []synapse.Optimizer // one per chunk of wT, stepped in parallel
	optB    synapse.Optimizer   // biases
	gB      []float32           // the batch's summed bias gradient (the weights' is summed in the first worker's)
	output  bool                // the last layer
	learnB  bool                // the biases learn
	integ   bool                // output of leaky integrators (no spikes)
	lr      float32             // online SGD step for this layer
	// narrow marks a layer of few outputs (the readout) in summed mode: its
	// master weights are w, Out × In, so that dense input steps run as Out
	// dot products and Out axpys of length In, and wT is refreshed from w
	// after every optimiser step. Its gradients are Out × In too.
	narrow bool
	w      []float32 // Out × In, narrow layers only
	// panels marks the first layer when its currents are computed a
	// sample at a time by the AVX-512 kernels (summed updates, spike
	// input, no spiking dendrite): wT, its gradients and its optimiser
	// state are then in column panels (panels.go), not In × Out.
	panels bool
}

// New returns a network for inputs input values and classes classes, with
// weights and feedback matrices drawn from cfg.Seed.
func New(cfg Config, inputs, classes int) (*Net, error) {
	if err := cfg.check(inputs, classes); err != nil {
		return nil, err
	}
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x5eed))
	n := &Net{cfg: cfg, inputs: inputs, lif: cfg.lif(), alphaX: cfg.alphaTrace(), li: neuron.LIParams{TauMem: cfg.TauMem}}
	probe := make([]float32, classes)
	probe[0] = 1
	n.hidden = cfg.rule.Signal(make([]float32, classes), probe, probe)
	in := inputs
	for k, s := range cfg.specs {
		L := &layer{in: in, out: s.Out, output: k == len(cfg.specs)-1}
		L.integ = L.output && cfg.Readout == "integrated"
		L.learnB = L.output || cfg.HiddenBias
		L.wT = make([]float32, in*s.Out)
		L.b = make([]float32, s.Out)
		scale := cfg.WeightInit
		if L.output {
			scale = cfg.OutputInit
		}
		synapse.Uniform(L.wT, scale/math.Sqrt(float64(in)), rng)
		L.narrow = s.Out < narrowOut && !cfg.Online
		L.panels = k == 0 && panelsFast && !L.narrow && !cfg.Online && !cfg.Dendrite && cfg.Encode != "current"
		if L.panels {
			L.wT = toPanels(L.wT, in, s.Out) // drawn row-major, as in every layout
		}
		if cfg.BiasInit > 0 {
			synapse.Uniform(L.b, cfg.BiasInit/math.Sqrt(float64(in)), rng)
		}
		if !L.output {
			L.fb = modulator.NewFeedback(classes, s.Out, rng)
			if cfg.CenterB {
				centerColumns(L.fb)
			}
		}
		f := 1.0
		if L.output {
			f = cfg.OutputLR
		}
		L.lr = float32(cfg.LR * f)
		method := scaled(cfg.Method, f)
		chunks := cfg.Workers
		L.optW = make([]synapse.Optimizer, chunks)
		for c := range chunks {
			lo, hi := chunk(len(L.wT), chunks, c)
			L.optW[c] = method.New(hi - lo)
		}
		L.optB = method.New(s.Out)
		if L.narrow {
			L.w = make([]float32, len(L.wT))
			L.syncW()
		}
		L.gB = make([]float32, s.Out)
		n.layers = append(n.layers, L)
		in = s.Out
	}
	n.pool = make([]*worker, cfg.Workers)
	for i := range n.pool {
		n.pool[i] = newWorker(n)
	}
	return n, nil
}

// narrowOut is the width below which a layer is narrow (see layer.narrow):
// below it, a row of wT is too short for a vector axpy to pay.
const narrowOut = 16

// master returns the weights the optimiser steps: w for a narrow layer,
// wT otherwise (the same values, in the gradient's layout).
func (L *layer) master() []float32 {
	if L.narrow {
		return L.w
	}
	return L.wT
}

// syncT refreshes wT from w (narrow layers).
func (L *layer) syncT() {
	for i := 0; i < L.out; i++ {
		row := L.w[i*L.in : (i+1)*L.in]
		for j, v := range row {
			L.wT[j*L.out+i] = v
		}
	}
}

// syncW refreshes w from wT (narrow layers).
func (L *layer) syncW() {
	for i := 0; i < L.out; i++ {
		row := L.w[i*L.in : (i+1)*L.in]
		for j := range row {
			row[j] = L.wT[j*L.out+i]
		}
	}
}

// scaled returns m with its learning rate multiplied by f, for the methods
// of package synapse; others are used as given.
func scaled(m synapse.Method, f float64) synapse.Method {
	if f == 1 {
		return m
	}
	switch v := m.(type) {
	case synapse.Adam:
		v.LR *= f
		return v
	case synapse.SGD:
		v.LR *= f
		return v
	case synapse.RMSprop:
		v.LR *= f
		return v
	}
	return m
}

// chunk returns the bounds of part c of n values split into parts parts.
func chunk(n, parts, c int) (lo, hi int) {
	return n * c / parts, n * (c + 1) / parts
}

// Config returns the network's configuration, with defaults filled in.
func (n *Net) Config() Config { return n.cfg }

// Layers returns the number of layers (hidden layers and the output).
func (n *Net) Layers() int { return len(n.layers) }

// Dense returns a copy of layer k's synapses in the rate engine's layout
// (W Out × In, row-major).
func (n *Net) Dense(k int) *synapse.Dense {
	L := n.layers[k]
	d := synapse.NewDense(L.in, L.out)
	L.eachWeight(func(j, i, at int) { d.W[i*L.in+j] = L.wT[at] })
	copy(d.B, L.b)
	return d
}

// eachWeight calls f for every synapse W_ij (input j, output i) with its
// position in wT.
func (L *layer) eachWeight(f func(j, i, at int)) {
	if !L.panels {
		for j := 0; j < L.in; j++ {
			for i := 0; i < L.out; i++ {
				f(j, i, j*L.out+i)
			}
		}
		return
	}
	forPanels(L.out, 0, func(c, W int) {
		for j := 0; j < L.in; j++ {
			for e := range W {
				f(j, c+e, c*L.in+j*W+e)
			}
		}
	})
}

// SetDense sets layer k's synapses from d (W Out × In, row-major).
func (n *Net) SetDense(k int, d *synapse.Dense) error {
	L := n.layers[k]
	if d.In != L.in || d.Out != L.out {
		return fmt.Errorf("spiking: layer %d is %d → %d, not %d → %d", k+1, L.in, L.out, d.In, d.Out)
	}
	L.eachWeight(func(j, i, at int) { L.wT[at] = d.W[i*L.in+j] })
	if L.narrow {
		L.syncW()
	}
	copy(L.b, d.B)
	return nil
}

// Dendrite is the dendritic compartment of a hidden layer: it carries the
// layer's third factor d (eqs. D1–D3 in doc.go), a projection through the
// fixed random matrix B (C × n) of a class-space signal s, optionally
// low-pass filtered:
//
//	d[t] = α_d d[t−1] + Bᵀ s[t]
//
// With α_d = 0 it has no memory: d = Bᵀ s, set once per sample for DRTP
// (s = y*) or at every step for DFA (s = e[t]) and sDFA (s = sign e[t]).
type Dendrite struct {
	B     *modulator.Feedback
	Alpha float32   // α_d = exp(−Δt/τ_d), or 0
	D     []float32 // d_i, one per neuron
}

// NewDendrite returns a compartment at rest for the neurons B projects to.
func NewDendrite(b *modulator.Feedback, alpha float32) *Dendrite {
	return &Dendrite{B: b, Alpha: alpha, D: make([]float32, b.Cols)}
}

// Reset sets d to zero.
func (d *Dendrite) Reset() { clear(d.D) }

// Step advances d by one step with the class-space signal s (length C):
// d ← α_d d + Bᵀ s. Zero entries of s cost nothing, so a target spike
// train or a one-hot target adds a single row of B. It allocates nothing.
func (d *Dendrite) Step(s []float32) {
	if len(s) != d.B.Rows {
		panic(fmt.Sprintf("spiking: Dendrite.Step: signal of %d for %d classes", len(s), d.B.Rows))
	}
	if d.Alpha == 0 {
		clear(d.D)
	} else if d.Alpha != 1 {
		synapse.Decay(d.D, d.Alpha)
	}
	for c, sc := range s {
		if sc != 0 {
			axpy(sc, d.B.Row(c), d.D)
		}
	}
}

// centerColumns subtracts from each column of B its mean over the classes,
// so that Σ_c B_ci = 0: no neuron is pushed up (or down) for every class
// alike (eq. D5).
func centerColumns(f *modulator.Feedback) {
	for i := 0; i < f.Cols; i++ {
		var m float32
		for c := 0; c < f.Rows; c++ {
			m += f.B[c*f.Cols+i]
		}
		m /= float32(f.Rows)
		for c := 0; c < f.Rows; c++ {
			f.B[c*f.Cols+i] -= m
		}
	}
}
