package neuron

import (
	"math"
	"testing"
)

// TestActivationsMatchMath: the vectorised float32 tanh and sigmoid agree
// with the float64 library functions to float32 precision over their range.
func TestActivationsMatchMath(t *testing.T) {
	var z []float32
	for x := -30.0; x <= 30; x += 0.00731 {
		z = append(z, float32(x))
	}
	y := make([]float32, len(z))
	Tanh{}.Apply(y, z)
	for i, v := range z {
		if want := math.Tanh(float64(v)); math.Abs(float64(y[i])-want) > 2e-7 {
			t.Fatalf("tanh(%g) = %.9g, want %.9g", v, y[i], want)
		}
	}
	Sigmoid{}.Apply(y, z)
	for i, v := range z {
		if want := 1 / (1 + math.Exp(-float64(v))); math.Abs(float64(y[i])-want) > 2e-7*want+1e-30 {
			t.Fatalf("sigmoid(%g) = %.9g, want %.9g", v, y[i], want)
		}
	}
}

// TestDerivativesMatchFiniteDifferences checks f' of every activation.
func TestDerivativesMatchFiniteDifferences(t *testing.T) {
	z := []float32{-2.5, -0.7, -0.1, 0.3, 1.2, 3}
	for _, f := range []Activation{Tanh{}, Sigmoid{}, ReLU{}, Identity{}} {
		y, d := make([]float32, len(z)), make([]float32, len(z))
		f.Apply(y, z)
		f.Deriv(d, z, y)
		for i, zi := range z {
			const h = 1e-3
			up, down := make([]float32, 1), make([]float32, 1)
			f.Apply(up, []float32{zi + h})
			f.Apply(down, []float32{zi - h})
			num := float64(up[0]-down[0]) / (2 * h)
			if math.Abs(num-float64(d[i])) > 2e-3 {
				t.Errorf("%s'(%g) = %g, finite difference %g", f, zi, d[i], num)
			}
		}
	}
}

func TestSoftmaxRowsSumToOne(t *testing.T) {
	z := []float32{1, 2, 3, -1000, 0, 1000}
	y := make([]float32, 6)
	Softmax(y, z, 3)
	for r := 0; r < 2; r++ {
		var s float32
		for _, v := range y[r*3 : r*3+3] {
			if !(v >= 0 && v <= 1) {
				t.Fatalf("probability %g outside [0, 1]", v)
			}
			s += v
		}
		if math.Abs(float64(s-1)) > 1e-6 {
			t.Errorf("row %d sums to %g", r, s)
		}
	}
}
