package synapse

import (
	"math"
	"testing"
)

// TestOptimizerSteps checks two steps of each optimiser, from p = 1 with the
// same gradient twice, against values worked out by hand from PyTorch's
// update formulas (torch.optim 1.13 documentation).
func TestOptimizerSteps(t *testing.T) {
	tests := []struct {
		name   string
		m      Method
		g      float32
		p1, p2 float64 // after the first and second step
	}{
		// b = 1, p = 1 − 0.1·1; b = 0.9·1 + 1 = 1.9, p = 0.9 − 0.1·1.9.
		{"sgd momentum 0.9", SGD{LR: 0.1, Momentum: 0.9}, 1, 0.9, 0.71},
		// p = 1 − 0.1(1 + 0.9·1) = 0.81; p = 0.81 − 0.1(1 + 0.9·1.9) = 0.539.
		{"nag", SGD{LR: 0.1, Momentum: 0.9, Nesterov: true}, 1, 0.81, 0.539},
		// No momentum: p = 1 − 0.1·1, then 0.9 − 0.1.
		{"sgd plain", SGD{LR: 0.1}, 1, 0.9, 0.8},
		// m = 0.05, v = 2.5e-4, m̂ = 0.5, √v̂ = 0.5: p = 1 − 0.1·1.
		// m = 0.095, v = 4.9975e-4, m̂ = 0.5, √v̂ = 0.5: p = 0.9 − 0.1.
		{"adam", Adam{LR: 0.1}, 0.5, 0.9, 0.8},
		// v = 0.01·4 = 0.04, p = 1 − 0.01·2/0.2 = 0.9;
		// v = 0.99·0.04 + 0.04 = 0.0796, p = 0.9 − 0.02/√0.0796 = 0.829112.
		{"rmsprop", RMSprop{LR: 0.01}, 2, 0.9, 0.9 - 0.02/math.Sqrt(0.0796)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := []float32{1}
			o := tt.m.New(1)
			o.Step(p, []float32{tt.g})
			if math.Abs(float64(p[0])-tt.p1) > 1e-5 { // float32 arithmetic
				t.Errorf("after step 1: p = %.7f, want %.7f", p[0], tt.p1)
			}
			o.Step(p, []float32{tt.g})
			if math.Abs(float64(p[0])-tt.p2) > 1e-5 { // float32 arithmetic
				t.Errorf("after step 2: p = %.7f, want %.7f", p[0], tt.p2)
			}
		})
	}
}

func TestParseMethod(t *testing.T) {
	for _, name := range []string{"sgd", "nag", "adam", "rmsprop"} {
		m, err := ParseMethod(name, 0.01)
		if err != nil || m.String() != name || m.Rate() != 0.01 {
			t.Errorf("ParseMethod(%q) = %v, %v", name, m, err)
		}
	}
	if _, err := ParseMethod("adagrad", 0.01); err == nil {
		t.Error("ParseMethod(adagrad): want an error")
	}
}

func TestInitBounds(t *testing.T) {
	// PyTorch's nn.Linear default: ±1/√fan_in; He uniform: ±√(6/fan_in).
	for _, tt := range []struct {
		init  Init
		bound float64
	}{{InitDefault, 1 / math.Sqrt(100)}, {InitHe, math.Sqrt(6.0 / 100)}, {InitZero, 0}} {
		d := NewDense(100, 50)
		d.Initialize(tt.init, newRand(1))
		var maxAbs float64
		for _, w := range d.W {
			maxAbs = math.Max(maxAbs, math.Abs(float64(w)))
		}
		if maxAbs > tt.bound || (tt.bound > 0 && maxAbs < 0.9*tt.bound) {
			t.Errorf("%s: max |w| = %.4f, want just under %.4f", tt.init, maxAbs, tt.bound)
		}
	}
}
