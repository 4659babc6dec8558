package encode_test

import (
	"fmt"
	"math/rand/v2"

	"drtp/encode"
)

// A Poisson encoder turns pixel intensities into spikes, one Bernoulli
// draw per lit input and step: at 400 Hz and 1 ms steps an input of value
// 1 spikes with probability 0.4 per step, one of 0.5 with 0.2, and a dark
// input never.
func ExamplePoisson() {
	enc := encode.NewPoisson(400, 1)
	enc.Reset([]float32{0, 1, 0.5, 1}, rand.NewPCG(1, 2))
	var ev encode.Events
	for t := range 6 {
		enc.Step(t, &ev)
		fmt.Println("step", t, "inputs", ev.Idx)
	}
	// Output:
	// step 0 inputs []
	// step 1 inputs [3]
	// step 2 inputs [3]
	// step 3 inputs [1]
	// step 4 inputs [2 3]
	// step 5 inputs []
}

// A latency encoder fires each input once, the brighter the earlier
// (eq. E2 with Linear: t_j = round((1 − x_j)(T − 1))).
func ExampleLatency() {
	enc := encode.NewLatency(5, 1, 0, 0.1, true)
	enc.Reset([]float32{1, 0.5, 0.05, 0.75}, nil)
	var ev encode.Events
	for t := range 5 {
		enc.Step(t, &ev)
		fmt.Println("step", t, "inputs", ev.Idx)
	}
	// Output:
	// step 0 inputs [0]
	// step 1 inputs [3]
	// step 2 inputs [1]
	// step 3 inputs []
	// step 4 inputs []
}
