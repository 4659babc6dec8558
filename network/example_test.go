package network_test

import (
	"fmt"

	"drtp/modulator"
	"drtp/network"
	"drtp/synapse"
)

// A DRTP network learns a toy task from the labels alone: each hidden layer
// is updated as soon as it has fired, from the row of its fixed random
// matrix that the label selects.
func Example() {
	specs, err := network.ParseTopology("FC_32_FC_2")
	if err != nil {
		panic(err)
	}
	net, err := network.New(network.Config{
		Topology: specs, Inputs: 4, Output: network.OutSigmoid, Loss: network.BCE,
		Rule: modulator.DRTP{}, Method: synapse.Adam{LR: 0.01}, Seed: 1,
	})
	if err != nil {
		panic(err)
	}
	// Class 0 when the first two inputs are larger, class 1 otherwise.
	b := network.Batch{
		X:      []float32{1, 1, 0, 0, 0, 0, 1, 1, 0.9, 0.8, 0.1, 0, 0, 0.2, 0.7, 1},
		T:      []float32{1, 0, 0, 1, 1, 0, 0, 1},
		Labels: []int{0, 1, 0, 1},
		N:      4,
	}
	_, before := net.Predict(b)
	for step := 0; step < 100; step++ {
		net.TrainBatch(b)
	}
	_, after := net.Predict(b)
	fmt.Printf("loss %.2f → %.2f, %d of 4 correct\n", before.Loss, after.Loss, after.Correct)
	// Output: loss 0.66 → 0.00, 4 of 4 correct
}
