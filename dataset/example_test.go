package dataset_test

import (
	"errors"
	"fmt"

	"drtp/dataset"
)

// MNIST("") finds the files itself: in the user cache, else through the Go
// module proxy (then cached). Pass a directory to read local idx files.
func ExampleMNIST() {
	train, test, err := dataset.MNIST("")
	switch {
	case errors.Is(err, dataset.ErrNotFound):
		fmt.Println("no MNIST here:", err) // pass --data-dir, or allow the go command
		return
	case err != nil:
		fmt.Println(err) // a damaged file: ErrCorrupt
		return
	}
	fmt.Println(train.Name, train.N, train.Shape, test.Name, test.N)
	batch := train.Head(60) // the first minibatch, sharing memory with train
	fmt.Println(batch.N, len(batch.X), batch.Labels[:5])
}

// The paper's synthetic regression task at its published sizes.
func ExampleSynthRegression() {
	train, test := dataset.SynthRegression(1, 5000, 1000)
	fmt.Println(train.Name, train.N, train.Features, train.Outputs, train.Shape, train.Classes())
	fmt.Println(test.Name, test.N)
	// Output:
	// synth-regression-train 5000 256 10 [1 1 256] false
	// synth-regression-test 1000
}

// The paper's synthetic classification task at its published sizes.
func ExampleSynthClassification() {
	train, test := dataset.SynthClassification(1, 25000, 5000)
	fmt.Println(train.Name, train.N, train.Features, train.Outputs, train.Classes())
	fmt.Println(test.Name, test.N, len(test.Labels))
	// Output:
	// synth-classification-train 25000 256 10 true
	// synth-classification-test 5000 5000
}
