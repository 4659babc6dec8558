package plots

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Small fixed data sets for the golden-image tests. Shapes, not values,
// matter: they are chosen to look like the paper's figures (error falling
// over epochs, angles settling below 90°, tanh activations piling up at ±1
// for DRTP), generated from fixed seeds.

// errorFixture returns error curves of the six rules over 40 epochs,
// err(e) = final + (start − final)·exp(−e/τ), with a std of 15% of the value
// and a little seeded noise.
func errorFixture() []Curve {
	rules := []struct {
		name       string
		final, tau float64
	}{
		{"BP", 1.8, 6},
		{"FA", 1.9, 8},
		{"DFA", 3.4, 4},
		{"sDFA", 4.1, 5},
		{"DRTP", 4.0, 5},
		{"shallow", 9.5, 3},
	}
	rng := rand.New(rand.NewPCG(1, 2))
	curves := make([]Curve, len(rules))
	for i, r := range rules {
		c := Curve{Label: r.name}
		for e := 1; e <= 40; e++ {
			v := r.final + (90-r.final)*math.Exp(-float64(e)/r.tau)
			v *= 1 + 0.03*rng.NormFloat64()
			c.X = append(c.X, float64(e))
			c.Y = append(c.Y, v)
			c.Std = append(c.Std, 0.15*v)
		}
		curves[i] = c
	}
	return curves
}

// lossFixture returns train and test losses of DRTP and BP without std, on
// a linear axis; the train loss of BP reaches exactly 0.
func lossFixture() []Curve {
	var curves []Curve
	for _, r := range []struct {
		label string
		a, b  float64
	}{
		{"BP train", 0.25, 0},
		{"BP test", 0.25, 0.03},
		{"DRTP train", 0.25, 0.04},
		{"DRTP test", 0.25, 0.07},
	} {
		c := Curve{Label: r.label}
		for e := 0; e <= 30; e++ {
			c.X = append(c.X, float64(e))
			c.Y = append(c.Y, r.b+r.a*math.Max(0, 1-float64(e)/20))
		}
		curves = append(curves, c)
	}
	return curves
}

// alignmentFixture returns noisy angles of four rules over 300 minibatches,
// settling from 90° towards a final angle, with a std band.
func alignmentFixture() []Curve {
	rules := []struct {
		name  string
		final float64
	}{
		{"FA", 45}, {"DFA", 55}, {"sDFA", 62}, {"DRTP", 66},
	}
	rng := rand.New(rand.NewPCG(3, 4))
	curves := make([]Curve, len(rules))
	for i, r := range rules {
		c := Curve{Label: r.name}
		for b := 0; b < 300; b++ {
			mean := r.final + (88-r.final)*math.Exp(-float64(b)/40)
			v := math.Min(180, math.Max(0, mean+4*rng.NormFloat64()))
			c.X = append(c.X, float64(b*60))
			c.Y = append(c.Y, v)
			c.Std = append(c.Std, 3+2*rng.Float64())
		}
		curves[i] = c
	}
	return curves
}

// rasterFixture returns Poisson spikes of a 100-50-10 network over 100 ms
// (1 ms steps), the output neuron 3 firing most.
func rasterFixture() ([]LayerSpikes, float64) {
	rng := rand.New(rand.NewPCG(5, 6))
	layers := []LayerSpikes{
		{Name: "input", Neurons: 100},
		{Name: "hidden", Neurons: 50},
		{Name: "output", Neurons: 10},
	}
	for k := range layers {
		l := &layers[k]
		for t := 0; t < 100; t++ {
			for n := 0; n < l.Neurons; n++ {
				rate := 0.05 // spikes per ms step
				switch {
				case k == 0:
					rate = 0.12 * (0.5 + 0.5*math.Sin(float64(n)/7))
				case k == 2 && n == 3:
					rate = 0.25
				case k == 2:
					rate = 0.02
				}
				if rng.Float64() < rate {
					l.Spikes = append(l.Spikes, Spike{T: float64(t), Neuron: n})
				}
			}
		}
	}
	return layers, 100
}

// membraneFixture integrates two leaky integrate-and-fire neurons
// (τ = 10 ms, dt = 0.5 ms, θ = 1, reset to 0) driven by constant inputs
// 1.3 and 0.9: the first fires regularly, the second stays below θ.
func membraneFixture() ([]Trace, float64) {
	const (
		tau   = 10.0
		dt    = 0.5
		theta = 1.0
	)
	var traces []Trace
	for _, in := range []struct {
		label string
		i     float64
	}{{"hidden neuron 4", 1.3}, {"hidden neuron 17", 0.9}} {
		tr := Trace{Label: in.label, DT: dt}
		v := 0.0
		for s := 0; s < 200; s++ {
			v += dt / tau * (in.i - v)
			if v >= theta {
				tr.V = append(tr.V, theta) // the sample at the spike, then reset
				tr.Spikes = append(tr.Spikes, float64(s)*dt)
				v = 0
				continue
			}
			tr.V = append(tr.V, v)
		}
		traces = append(traces, tr)
	}
	return traces, theta
}

// densityFixture returns tanh activations: BP and DFA near zero, DRTP
// pushed towards ±1.
func densityFixture() []Sample {
	rng := rand.New(rand.NewPCG(7, 8))
	gen := func(label string, scale float64) Sample {
		s := Sample{Label: label, Values: make([]float64, 4000)}
		for i := range s.Values {
			s.Values[i] = math.Tanh(scale * rng.NormFloat64())
		}
		return s
	}
	return []Sample{gen("BP", 0.6), gen("DFA", 0.9), gen("DRTP", 2.5)}
}

// densityCurvesFixture returns the densities of tanh activations over 40
// bins at four epochs, moving from near zero towards ±1 as the epochs go.
func densityCurvesFixture() []Binned {
	rng := rand.New(rand.NewPCG(11, 12))
	var out []Binned
	for i, epoch := range []int{0, 1, 10, 100} {
		v := make([]float64, 4000)
		for j := range v {
			v[j] = math.Tanh(float64(i+1) * 0.6 * rng.NormFloat64())
		}
		b := Binned{Label: fmt.Sprintf("epoch %d", epoch), Lo: -1, Hi: 1, P: make([]float64, 40)}
		Density(b.P, v, b.Lo, b.Hi)
		out = append(out, b)
	}
	return out
}

// rateFixture returns firing rates (Hz) of 500 neurons, exponentially
// distributed with mean 12 Hz.
func rateFixture() []float64 {
	rng := rand.New(rand.NewPCG(9, 10))
	r := make([]float64, 500)
	for i := range r {
		r[i] = 12 * rng.ExpFloat64()
	}
	return r
}
