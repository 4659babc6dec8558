package spiking_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"

	"drtp/spiking"
	"drtp/synapse"
)

// A 2-2-2 network driven by constant currents, its spikes streamed as a
// raster: layer 0 is the input, 1 the hidden layer, 2 the readout.
func ExampleSpikeCSV() {
	cfg := spiking.DefaultConfig()
	cfg.Topology = "FC_2_FC_2"
	cfg.Steps = 3
	cfg.Encode = "current" // every input injects Gain·x at every step
	cfg.Gain = 1
	cfg.TauMem = 1 / math.Ln2 // α = ½ per step of 1 ms
	net, err := spiking.New(cfg, 2, 2)
	if err != nil {
		fmt.Println(err)
		return
	}
	w1 := synapse.NewDense(2, 2)
	copy(w1.W, []float32{0.8, 0.4, 0.2, -0.2}) // hidden currents 1.0 and 0.1
	w2 := synapse.NewDense(2, 2)
	copy(w2.W, []float32{1.2, 0, 0, 0}) // hidden 0 drives output 0
	if err := net.SetDense(0, w1); err != nil {
		fmt.Println(err)
		return
	}
	if err := net.SetDense(1, w2); err != nil {
		fmt.Println(err)
		return
	}
	raster := spiking.NewSpikeCSV(os.Stdout)
	pred, err := net.Simulate([]float32{1, 0.5}, rand.New(rand.NewPCG(1, 1)), raster)
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := raster.Flush(); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("predicted class", pred)
	// Output:
	// sample,step,layer,neuron
	// 0,0,0,0
	// 0,0,0,1
	// 0,0,1,0
	// 0,0,2,0
	// 0,1,0,0
	// 0,1,0,1
	// 0,2,0,0
	// 0,2,0,1
	// 0,2,1,0
	// 0,2,2,0
	// predicted class 0
}
