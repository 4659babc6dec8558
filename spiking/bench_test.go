package spiking

import (
	"math/rand/v2"
	"testing"

	"drtp/modulator"
)

// digit returns a 28×28 input with MNIST's statistics: a thick ring of
// about 150 lit pixels (MNIST's mean is 103 in total, ~19% of pixels lit).
func digit() []float32 {
	x := make([]float32, 784)
	for r := 0; r < 28; r++ {
		for c := 0; c < 28; c++ {
			dr, dc := float32(r)-13.5, float32(c)-13.5
			d := dr*dr/64 + dc*dc/25
			if d > 0.55 && d < 1.45 {
				x[r*28+c] = 1 - 0.6*(d-1)*(d-1)/0.2
			}
		}
	}
	return x
}

// benchSample simulates one sample per iteration on one worker and reports
// the input spikes, hidden spikes and synaptic events per sample.
func benchSample(b *testing.B, rate float64, md mode, edit func(*Config)) {
	c := DefaultConfig()
	c.MaxRate = rate
	c.Workers = 1
	if edit != nil {
		edit(&c)
	}
	n, err := New(c, 784, 10)
	if err != nil {
		b.Fatal(err)
	}
	w := n.pool[0]
	x := digit()
	seed := uint64(0)
	w.st.reset()
	for b.Loop() {
		seed++
		w.pcg.Seed(seed, 1)
		w.run(x, 3, md)
		if md.learn {
			for k := range w.gW {
				clear(w.gW[k])
				clear(w.gB[k])
			}
		}
	}
	N := float64(seed)
	b.ReportMetric(w.st.inSpikes/N, "in-spikes/op")
	b.ReportMetric(w.st.spikes[0]/N, "hidden-spikes/op")
	b.ReportMetric(w.st.synEvents/N, "syn-events/op")
}

// The forward pass follows the input spikes: halving the rate roughly
// halves the time, down to the cost of stepping the neurons (T × n).
func BenchmarkForward800Hz(b *testing.B) { benchSample(b, 800, mode{}, nil) }
func BenchmarkForward400Hz(b *testing.B) { benchSample(b, 400, mode{}, nil) }
func BenchmarkForward200Hz(b *testing.B) { benchSample(b, 200, mode{}, nil) }
func BenchmarkForward100Hz(b *testing.B) { benchSample(b, 100, mode{}, nil) }

// One training sample (forward pass, factors, summed update) per rule.
func BenchmarkTrainDRTP(b *testing.B) {
	benchSample(b, 200, mode{learn: true}, nil)
}
func BenchmarkTrainDFA(b *testing.B) {
	benchSample(b, 200, mode{learn: true}, func(c *Config) { c.Rule = modulator.DFA{} })
}
func BenchmarkTrainOnlineDRTP(b *testing.B) {
	benchSample(b, 200, mode{learn: true, online: true}, func(c *Config) { c.Online = true })
}

// BenchmarkTrainEpoch trains on 256 samples per iteration with the default
// configuration (2 workers, batches, optimiser steps).
func BenchmarkTrainEpoch(b *testing.B) {
	n, err := New(DefaultConfig(), 784, 10)
	if err != nil {
		b.Fatal(err)
	}
	set := synthetic(256, 784, 10, 1)
	rng := rand.New(rand.NewPCG(1, 1))
	for b.Loop() {
		if _, err := n.TrainEpoch(set, rng, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(set.N), "samples/op")
}

// stepEvents draws T steps of Poisson events from digit() at rate r (per
// step for an input of value 1), in the layout of a layer's event lists.
func stepEvents(T int, r float64) (idx, off []int32) {
	x := digit()
	rng := rand.New(rand.NewPCG(3, 4))
	off = make([]int32, T+1)
	for t := range T {
		off[t] = int32(len(idx))
		for j, v := range x {
			if v > 0 && rng.Float64() < r*float64(v) {
				idx = append(idx, int32(j))
			}
		}
	}
	off[T] = int32(len(idx))
	return idx, off
}

// normals returns n standard normal floats drawn with seed.
func normals(n int, seed uint64) []float32 {
	rng := rand.New(rand.NewPCG(seed, seed+1))
	x := make([]float32, n)
	for i := range x {
		x[i] = float32(rng.NormFloat64())
	}
	return x
}

// BenchmarkStepCurrents: the first layer's currents over a sample, the
// default network and input (784 → 1000, T = 50, 400 Hz), from weights
// row-major (In × Out) and in column panels (the layout the engine uses
// where the panel kernels run).
func BenchmarkStepCurrents(b *testing.B) {
	const T, in, out = 50, 784, 1000
	idx, off := stepEvents(T, 0.4)
	w := normals(in*out, 5)
	wp := toPanels(w, in, out)
	bias := make([]float32, out)
	cur := make([]float32, T*out)
	b.Run("rows", func(b *testing.B) {
		for b.Loop() {
			stepCurrents(cur, bias, w, out, idx, off, T)
		}
		b.ReportMetric(float64(len(idx)), "in-spikes/op")
	})
	b.Run("panels", func(b *testing.B) {
		for b.Loop() {
			stepCurrentsPanels(cur, bias, wp, out, in, idx, off, T)
		}
		b.ReportMetric(float64(len(idx)), "in-spikes/op")
	})
}

// BenchmarkGroupAdd: the summed update of the first layer over a sample,
// each input's rows of m̃ into its gradient row (784 → 1000, T = 50,
// 400 Hz input), the events grouped by input and then added, into a
// gradient row-major and in column panels.
func BenchmarkGroupAdd(b *testing.B) {
	const T, in, out = 50, 784, 1000
	idx, off := stepEvents(T, 0.4)
	m := normals(T*out, 7)
	gW := make([]float32, in*out)
	s := &lstate{evIdx: idx, evOff: off}
	for _, panels := range []bool{false, true} {
		name := "rows"
		if panels {
			name = "panels"
		}
		L := &layer{in: in, out: out, panels: panels}
		var g eventGroups
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				g.accumulate(gW, m, L, s, T, false)
			}
			b.ReportMetric(float64(len(idx)), "in-spikes/op")
		})
	}
}
