package spiking

import (
	"fmt"
	"math"

	"drtp/encode"
	"drtp/modulator"
	"drtp/network"
	"drtp/neuron"
	"drtp/synapse"
)

// Config describes a spiking network and how it learns. Start from
// DefaultConfig and change what you need: New checks every field, and only
// a few zero values stand for a default (nil Post, OutputPost and Method;
// zero TauTrace, OutputLR and Workers), as their comments say.
type Config struct {
	Topology string         // FC layers only, e.g. "FC_1000_FC_10"; the last width is the number of classes
	Rule     modulator.Rule // third factor of the hidden layers: DRTP, DFA, SDFA or Shallow (eqs. D1–D4)
	Steps    int            // T, steps per sample
	DT       float64        // Δt, ms per step

	Encode     string  // input code: "poisson", "latency" (logarithmic, eq. E3), "latency-linear" (eq. E2) or "current"
	MaxRate    float64 // poisson: rate of an input of value 1, Hz (eq. E1)
	Gain       float64 // current: charge per step of an input of value 1, membrane units (eq. E4)
	LatencyTau float64 // latency: τ of eq. E3, ms
	LatencyMin float64 // latency: x_θ, inputs at or below it never spike (eqs. E2, E3)

	TauMem      float64           // τ_m of every LIF layer and of the integrated readout, ms
	Theta       float64           // θ, firing threshold, membrane units
	Reset       neuron.Reset      // reset after a spike
	Refractory  float64           // t_ref, ms (0: none)
	Post        neuron.PostFactor // post-synaptic factor ψ of the hidden layers (eqs. N5, N6); nil = Triangle
	OutputPost  neuron.PostFactor // ψ of a spiking output layer; nil = StraightThrough
	TauTrace    float64           // τ_x of the pre-synaptic traces, ms; 0 = TauMem (eq. T1)
	Readout     string            // "spikes" (LIF output, most spikes wins) or "integrated" (leaky integrators, eq. N7)
	TargetRate  float64           // spikes readout: rate the label's output neuron should fire at, Hz (eq. O1)
	OutputError string            // spikes readout: "rate" (e = s − ρ* y*, eq. O1) or "softmax" (e = softmax(v) − y*, eq. O1′)
	Dendrite    bool              // DRTP only: the fully spiking form, a leaky dendrite driven by target spikes (eq. D2)
	TauDend     float64           // τ_d of the spiking dendrite, ms
	DendRate    float64           // rate of the spiking dendrite's target spike train, Hz
	CenterB     bool              // centre each column of B_k over the classes, Σ_c B_ci = 0 (eq. D5)
	RateReg     float64           // λ of the hidden layers' firing-rate regulariser (eq. R1), per unit of rate per step (0: none)
	HiddenRate  float64           // ρ_h, the rate eq. R1 pulls hidden neurons towards, Hz
	WeightInit  float64           // hidden weights uniform ±WeightInit/√fan_in (1 = PyTorch's default)
	OutputInit  float64           // output weights uniform ±OutputInit/√fan_in (0: zero, the setting of the paper's alignment theorem)
	BiasInit    float64           // biases uniform ±BiasInit/√fan_in (0: zero)
	HiddenBias  bool              // learn the biases of the hidden layers (the output's always learn)
	Method      synapse.Method    // optimiser of the summed updates; nil = Adam with LR (a Method carries its own rate)
	LR          float64           // learning rate η: Adam's when Method is nil, the SGD step when Online
	OutputLR    float64           // η of the output layer relative to LR (0 = 1)
	LRDecay     float64           // every learning rate is multiplied by LRDecay after each epoch (1: constant)
	Batch       int               // samples per optimiser step (summed updates)
	Online      bool              // apply eq. T2 at every step with plain SGD instead of summing over the sample
	Workers     int               // goroutines simulating samples in parallel; 0 = 2
	AngleEvery  int               // measure the alignment angle every AngleEvery batches (0: never)
	Seed        uint64            // seeds weights, feedback matrices and evaluation spikes
	rule        modulator.ThirdFactor
	enc         func() encode.Encoder
	specs       []network.LayerSpec
}

// DefaultConfig returns the tuned defaults: FC_1000_FC_10 of LIF neurons
// (τ_m = 20 ms, θ = 1, reset by subtraction, triangle post factor) trained
// by DRTP from Poisson input at up to 400 Hz over 50 steps of 1 ms; a
// spiking readout trained on the rate error of eq. O1 (target 200 Hz,
// straight-through post factor), output weights starting at zero; the
// hidden layer's firing-rate regulariser of eq. R1 (λ = 0.05 towards
// 100 Hz, DefaultRateReg); Adam with η = 2.5·10⁻³ for the hidden layer and
// 0.12 η for the readout, both multiplied by 0.7 after each epoch; batches
// of 32. doc.go lists what they reach on MNIST. A caller that changes Rule
// should set RateReg to DefaultRateReg of the new rule.
func DefaultConfig() Config {
	return Config{
		Topology:    "FC_1000_FC_10",
		Rule:        modulator.DRTP{},
		Steps:       50,
		DT:          1,
		Encode:      "poisson",
		MaxRate:     400,
		Gain:        0.2,
		LatencyTau:  20,
		LatencyMin:  0.2,
		TauMem:      20,
		Theta:       1,
		Reset:       neuron.ResetSubtract,
		Post:        neuron.Triangle{},
		OutputPost:  neuron.StraightThrough{},
		Readout:     "spikes",
		TargetRate:  200,
		OutputError: "rate",
		RateReg:     DefaultRateReg(modulator.DRTP{}),
		HiddenRate:  100,
		TauDend:     20,
		DendRate:    200,
		WeightInit:  1,
		OutputInit:  0,
		BiasInit:    0,
		LR:          2.5e-3,
		OutputLR:    0.12,
		LRDecay:     0.7,
		Batch:       32,
		Workers:     2,
		Seed:        1,
	}
}

// DefaultRateReg returns the tuned λ of eq. R1 for a hidden layer's rule:
// 0.05 for DRTP and sDFA, whose third factor keeps its size as the network
// learns (on MNIST at T = 50, DRTP's test error falls from 4.19 to 3.78%,
// sDFA's from 4.03 to 3.68%), and 0 for DFA, whose B_kᵀ e shrinks with
// the error until a fixed λ outweighs it (1.81% without, 11% with
// λ = 0.05), and for shallow learning, which has no hidden update.
func DefaultRateReg(rule modulator.Rule) float64 {
	switch rule.(type) {
	case modulator.DRTP, modulator.SDFA:
		return 0.05
	}
	return 0
}

// check validates c and fills its derived fields.
func (c *Config) check(inputs, classes int) error {
	specs, err := network.ParseTopology(c.Topology)
	if err != nil {
		return err
	}
	for i, s := range specs {
		if s.Kind != "FC" {
			return fmt.Errorf("topology %q: layer %d is %s: the spiking engine has FC layers only", c.Topology, i+1, s.Kind)
		}
	}
	if out := specs[len(specs)-1].Out; out != classes {
		return fmt.Errorf("topology %q: %d outputs for %d classes", c.Topology, out, classes)
	}
	if inputs < 1 || classes < 2 {
		return fmt.Errorf("spiking: %d inputs and %d classes: need ≥ 1 and ≥ 2", inputs, classes)
	}
	c.specs = specs
	rule, ok := c.Rule.(modulator.ThirdFactor)
	if !ok {
		name := "none"
		if c.Rule != nil {
			name = c.Rule.String()
		}
		return fmt.Errorf("learning rule %s: the spiking engine takes a third-factor rule (drtp, dfa, sdfa, shallow)", name)
	}
	c.rule = rule
	pos := func(name string, v float64) error {
		if !(v > 0) || math.IsInf(v, 0) {
			return fmt.Errorf("spiking: %s = %g must be positive and finite", name, v)
		}
		return nil
	}
	for _, p := range []struct {
		name string
		v    float64
	}{{"DT (ms)", c.DT}, {"TauMem (ms)", c.TauMem}, {"Theta", c.Theta}, {"LR", c.LR}, {"WeightInit", c.WeightInit}} {
		if err := pos(p.name, p.v); err != nil {
			return err
		}
	}
	if !(c.LRDecay > 0 && c.LRDecay <= 1) {
		return fmt.Errorf("spiking: LRDecay = %g must lie in (0, 1]", c.LRDecay)
	}
	if c.Steps < 1 {
		return fmt.Errorf("spiking: %d steps per sample: need ≥ 1", c.Steps)
	}
	if c.Batch < 1 && !c.Online {
		return fmt.Errorf("spiking: batch %d: need ≥ 1", c.Batch)
	}
	if c.TauTrace < 0 || c.Refractory < 0 || c.BiasInit < 0 || c.OutputInit < 0 || c.OutputLR < 0 || c.Workers < 0 || c.AngleEvery < 0 {
		return fmt.Errorf("spiking: TauTrace, Refractory, BiasInit, OutputInit, OutputLR, Workers and AngleEvery must be ≥ 0")
	}
	if err := c.lif().Validate(); err != nil {
		return err
	}
	switch c.Readout {
	case "spikes":
		switch c.OutputError {
		case "rate":
			if err := pos("TargetRate (Hz)", c.TargetRate); err != nil {
				return err
			}
		case "softmax":
		default:
			return fmt.Errorf("spiking: output error %q: expected rate or softmax", c.OutputError)
		}
	case "integrated":
	default:
		return fmt.Errorf("spiking: readout %q: expected spikes or integrated", c.Readout)
	}
	if c.RateReg < 0 || math.IsNaN(c.RateReg) || math.IsInf(c.RateReg, 0) {
		return fmt.Errorf("spiking: RateReg = %g must be ≥ 0 and finite", c.RateReg)
	}
	if c.RateReg > 0 {
		if !(c.HiddenRate >= 0) || math.IsInf(c.HiddenRate, 0) {
			return fmt.Errorf("spiking: HiddenRate = %g Hz must be ≥ 0 and finite", c.HiddenRate)
		}
		if err := perStep("HiddenRate", c.HiddenRate, c.DT); err != nil {
			return err
		}
	}
	if c.Dendrite {
		if _, ok := c.Rule.(modulator.DRTP); !ok {
			return fmt.Errorf("spiking: the spiking dendrite is a form of DRTP, not of %s", c.Rule)
		}
		if err := pos("TauDend (ms)", c.TauDend); err != nil {
			return err
		}
		if err := pos("DendRate (Hz)", c.DendRate); err != nil {
			return err
		}
	}
	switch c.Encode {
	case "poisson":
		if err := pos("MaxRate (Hz)", c.MaxRate); err != nil {
			return err
		}
		if err := perStep("MaxRate", c.MaxRate, c.DT); err != nil {
			return err
		}
		rate, dt := c.MaxRate, c.DT
		c.enc = func() encode.Encoder { return encode.NewPoisson(rate, dt) }
	case "latency", "latency-linear":
		linear := c.Encode == "latency-linear"
		if !linear {
			if err := pos("LatencyTau (ms)", c.LatencyTau); err != nil {
				return err
			}
		}
		if !(c.LatencyMin >= 0 && c.LatencyMin < 1) {
			return fmt.Errorf("spiking: LatencyMin = %g must lie in [0, 1)", c.LatencyMin)
		}
		steps, dt, tau, min := c.Steps, c.DT, c.LatencyTau, c.LatencyMin
		c.enc = func() encode.Encoder { return encode.NewLatency(steps, dt, tau, min, linear) }
	case "current":
		if err := pos("Gain", c.Gain); err != nil {
			return err
		}
		gain := c.Gain
		c.enc = func() encode.Encoder { return encode.NewCurrent(gain) }
	default:
		return fmt.Errorf("spiking: encoder %q: expected poisson, latency, latency-linear or current", c.Encode)
	}
	if c.Workers == 0 {
		c.Workers = 2
	}
	if c.OutputLR == 0 {
		c.OutputLR = 1
	}
	if c.Post == nil {
		c.Post = neuron.Triangle{}
	}
	if c.OutputPost == nil {
		c.OutputPost = neuron.StraightThrough{}
	}
	if c.Method == nil {
		c.Method = synapse.Adam{LR: c.LR}
	}
	return nil
}

// lif returns the LIF parameters of the layers.
func (c *Config) lif() neuron.LIFParams {
	return neuron.LIFParams{TauMem: c.TauMem, Theta: float32(c.Theta), Reset: c.Reset, Refractory: c.Refractory}
}

// alphaTrace returns α_x = exp(−Δt/τ_x) (eq. T1).
func (c *Config) alphaTrace() float32 {
	tau := c.TauTrace
	if tau == 0 {
		tau = c.TauMem
	}
	return float32(math.Exp(-c.DT / tau))
}

// perStep checks that a Poisson rate (Hz) is at most one spike per step of
// dt ms: the encoder draws at most one spike a step (eq. E1), so a higher
// rate would be silently cut to 1000/dt Hz.
func perStep(name string, rate, dt float64) error {
	if p := rate * dt / 1000; p > 1 {
		return fmt.Errorf("spiking: %s = %g Hz at DT = %g ms is %.3g spikes per step, more than the one a step holds: it must be ≤ %g Hz (lower the rate or DT)",
			name, rate, dt, p, 1000/dt)
	}
	return nil
}

// String lists the configuration in one line, for logs.
func (c Config) String() string {
	name := func(v fmt.Stringer) string {
		if v == nil {
			return "default"
		}
		return v.String()
	}
	var rule, post, opost, method fmt.Stringer
	if c.Rule != nil {
		rule = c.Rule
	}
	if c.Post != nil {
		post = c.Post
	}
	if c.OutputPost != nil {
		opost = c.OutputPost
	}
	if c.Method != nil {
		method = c.Method
	}
	return fmt.Sprintf("topology=%s rule=%s steps=%d dt=%gms encode=%s maxrate=%gHz gain=%g latency=%gms/%g "+
		"taumem=%gms theta=%g reset=%s refractory=%gms post=%s outputpost=%s tautrace=%gms "+
		"readout=%s outputerror=%s target=%gHz dendrite=%v taudend=%gms dendrate=%gHz centerb=%v "+
		"winit=%g outputinit=%g binit=%g hiddenbias=%v method=%s lr=%g outputlr=%g lrdecay=%g batch=%d online=%v workers=%d seed=%d",
		c.Topology, name(rule), c.Steps, c.DT, c.Encode, c.MaxRate, c.Gain, c.LatencyTau, c.LatencyMin,
		c.TauMem, c.Theta, c.Reset, c.Refractory, name(post), name(opost), c.TauTrace,
		c.Readout, c.OutputError, c.TargetRate, c.Dendrite, c.TauDend, c.DendRate, c.CenterB,
		c.WeightInit, c.OutputInit, c.BiasInit, c.HiddenBias, name(method), c.LR, c.OutputLR, c.LRDecay, c.Batch, c.Online, c.Workers, c.Seed)
}
