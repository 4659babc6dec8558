package neuron

import (
	"fmt"
	"math"
	"sync"

	"drtp/internal/parallel"
	"drtp/internal/vec"
)

// mapTask applies the element-wise f (vec.Tanh, vec.Sigmoid) over a
// range; pooled so that a parallel activation allocates nothing.
type mapTask struct {
	y, z []float32
	f    func(y, z []float32)
}

func (t *mapTask) Do(lo, hi int) { t.f(t.y[lo:hi], t.z[lo:hi]) }

var mapTasks = sync.Pool{New: func() any { return new(mapTask) }}

// mapSplitMin is the shortest slice mapParallel splits across cores:
// below it the vector kernels finish sooner than another core starts.
const mapSplitMin = 1 << 18

// mapParallel sets y = f(z), using every core for long slices.
func mapParallel(y, z []float32, f func(y, z []float32)) {
	if len(z) < mapSplitMin {
		f(y, z)
		return
	}
	t := mapTasks.Get().(*mapTask)
	t.y, t.z, t.f = y, z, f
	parallel.For(len(z), t)
	t.y, t.z, t.f = nil, nil, nil
	mapTasks.Put(t)
}

// Activation is an element-wise rate non-linearity y = f(z) with its
// derivative f'(z) (eq. R2 in doc.go). Apply and Deriv write into their first
// argument and never modify the others; both allocate nothing.
type Activation interface {
	// Apply sets y[i] = f(z[i]).
	Apply(y, z []float32)
	// Deriv sets d[i] = f'(z[i]); y must hold f(z) (several derivatives are
	// cheaper from y than from z).
	Deriv(d, z, y []float32)
	// String is the activation's name as the command line spells it.
	String() string
}

// Tanh is the hyperbolic tangent, f'(z) = 1 − y².
type Tanh struct{}

// Sigmoid is the logistic function 1/(1+e^−z), f'(z) = y(1 − y).
type Sigmoid struct{}

// ReLU is max(0, z), f'(z) = 1 for z > 0, else 0.
type ReLU struct{}

// Identity is f(z) = z, f'(z) = 1 ("none" on the command line).
type Identity struct{}

var (
	_ Activation = Tanh{}
	_ Activation = Sigmoid{}
	_ Activation = ReLU{}
	_ Activation = Identity{}
)

func checkLen(name string, a, b []float32) {
	if len(a) != len(b) {
		panic(fmt.Sprintf("neuron: %s: length mismatch %d != %d", name, len(a), len(b)))
	}
}

// Apply sets y = tanh(z), split across cores for large batches.
func (Tanh) Apply(y, z []float32) {
	checkLen("Tanh.Apply", y, z)
	mapParallel(y, z, vec.Tanh)
}

// Deriv sets d = 1 − y² (vec.TanhDeriv).
func (Tanh) Deriv(d, z, y []float32) {
	checkLen("Tanh.Deriv", d, y)
	mapParallel(d, y, vec.TanhDeriv)
}

func (Tanh) String() string { return "tanh" }

// Apply sets y = 1/(1+e^−z).
func (Sigmoid) Apply(y, z []float32) {
	checkLen("Sigmoid.Apply", y, z)
	mapParallel(y, z, vec.Sigmoid)
}

// Deriv sets d = y(1 − y).
func (Sigmoid) Deriv(d, z, y []float32) {
	checkLen("Sigmoid.Deriv", d, y)
	for i, v := range y {
		d[i] = v * (1 - v)
	}
}

func (Sigmoid) String() string { return "sigmoid" }

// Apply sets y = max(0, z).
func (ReLU) Apply(y, z []float32) {
	checkLen("ReLU.Apply", y, z)
	for i, v := range z {
		if v > 0 {
			y[i] = v
		} else {
			y[i] = 0
		}
	}
}

// Deriv sets d = 1 where z > 0, else 0.
func (ReLU) Deriv(d, z, y []float32) {
	checkLen("ReLU.Deriv", d, z)
	for i, v := range z {
		if v > 0 {
			d[i] = 1
		} else {
			d[i] = 0
		}
	}
}

func (ReLU) String() string { return "relu" }

// Apply copies z into y.
func (Identity) Apply(y, z []float32) {
	checkLen("Identity.Apply", y, z)
	copy(y, z)
}

// Deriv sets d = 1.
func (Identity) Deriv(d, z, y []float32) {
	for i := range d {
		d[i] = 1
	}
}

func (Identity) String() string { return "none" }

// Softmax sets each row of y (rows of width c) to exp(z)/Σexp(z), computed
// stably by subtracting the row maximum. It is an output non-linearity, not
// an Activation: its Jacobian is not diagonal.
func Softmax(y, z []float32, c int) {
	checkLen("Softmax", y, z)
	for r := 0; r+c <= len(z); r += c {
		zr, yr := z[r:r+c], y[r:r+c]
		m := zr[0]
		for _, v := range zr {
			if v > m {
				m = v
			}
		}
		var s float64
		for i, v := range zr {
			e := math.Exp(float64(v - m))
			yr[i] = float32(e)
			s += e
		}
		inv := float32(1 / s)
		for i := range yr {
			yr[i] *= inv
		}
	}
}

// ParseActivation returns the hidden activation named s (tanh, sigmoid,
// relu or none).
func ParseActivation(s string) (Activation, error) {
	switch s {
	case "tanh":
		return Tanh{}, nil
	case "sigmoid":
		return Sigmoid{}, nil
	case "relu":
		return ReLU{}, nil
	case "none", "identity":
		return Identity{}, nil
	}
	return nil, fmt.Errorf("unknown activation %q: expected tanh, sigmoid, relu or none", s)
}
