package dataset

import "fmt"

// Set is a labelled data set held in memory: float32, row-major.
//
// Sample i occupies X[i*Features:(i+1)*Features] and T[i*Outputs:(i+1)*Outputs].
// Inputs are dimensionless (pixels scaled to [0,1] by eq. 1, or the synthetic
// values of eqs. 3 and 6); targets are one-hot (eq. 2) for classification and
// real values (eq. 4) for regression.
type Set struct {
	Name     string    // "mnist-train", "synth-regression-test", ...
	X        []float32 // N × Features inputs, row-major
	T        []float32 // N × Outputs targets: one-hot for classification, real values for regression
	Labels   []int     // N class indices; nil for regression
	N        int       // number of samples
	Features int       // inputs per sample; Shape[0]·Shape[1]·Shape[2]
	Outputs  int       // targets per sample (classes for classification)
	Shape    [3]int    // channels, height, width of one input: {1,28,28} for MNIST, {1,1,256} for the synthetic sets
}

// Head returns the first n samples of s as a Set whose slices share memory
// with s (capacity capped, so appending to them cannot overwrite s).
// For n >= s.N it returns s itself. It panics if n < 0.
func (s *Set) Head(n int) *Set {
	if n < 0 {
		panic(fmt.Sprintf("dataset: Head(%d): negative sample count", n))
	}
	if n >= s.N {
		return s
	}
	h := *s
	h.N = n
	h.X = s.X[: n*s.Features : n*s.Features]
	h.T = s.T[: n*s.Outputs : n*s.Outputs]
	if s.Labels != nil {
		h.Labels = s.Labels[:n:n]
	}
	return &h
}

// Classes reports whether s is a classification set, that is whether it
// carries class indices (Labels != nil).
func (s *Set) Classes() bool { return s.Labels != nil }

// oneHot fills t (len(labels) × classes, zeroed) with the one-hot encoding of
// labels (eq. 2).
func oneHot(t []float32, labels []int, classes int) {
	for i, c := range labels {
		t[i*classes+c] = 1
	}
}
