package network

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"drtp/modulator"
	"drtp/synapse"
)

// benchTrain measures training steps of batch 60 on MNIST-shaped random data
// (784 inputs, about 19% non-zero like MNIST pixels, 10 classes).
func benchTrain(b *testing.B, topo string, rule modulator.Rule) {
	specs, err := ParseTopology(topo)
	if err != nil {
		b.Fatal(err)
	}
	n, err := New(Config{Topology: specs, Inputs: 784, Shape: [3]int{1, 28, 28}, Output: OutSigmoid, Loss: BCE, Rule: rule, Method: synapse.Adam{LR: 1.5e-4}, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 1))
	batch := randomBatch(rng, 60, 784, 10, true)
	for i := range batch.X {
		if rng.Float64() < 0.81 {
			batch.X[i] = 0
		} else {
			batch.X[i] = float32(rng.Float64())
		}
	}
	n.TrainBatch(batch)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		n.TrainBatch(batch)
	}
	b.ReportMetric(float64(b.N*60)/b.Elapsed().Seconds(), "samples/s")
}

func BenchmarkTrainBatch(b *testing.B) {
	for _, topo := range []string{"FC_1000_FC_10", "FC_1000_FC_1000_FC_10"} {
		for _, rule := range []modulator.Rule{modulator.BP{}, modulator.DRTP{}, modulator.Shallow{}} {
			b.Run(fmt.Sprintf("%s/%s", topo, rule), func(b *testing.B) { benchTrain(b, topo, rule) })
		}
	}
}

// BenchmarkTrainBatchConv is a training step of the paper's MNIST CONV
// network at its batch size 60 (Table 1: CONV_32_5_1_2_FC_1000_FC_10).
func BenchmarkTrainBatchConv(b *testing.B) {
	for _, rule := range []modulator.Rule{modulator.BP{}, modulator.DRTP{}, modulator.DFA{}, modulator.Shallow{}} {
		b.Run(rule.String(), func(b *testing.B) { benchTrain(b, "CONV_32_5_1_2_FC_1000_FC_10", rule) })
	}
}
