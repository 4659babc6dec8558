package modulator

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestAngle(t *testing.T) {
	tests := []struct {
		a, b []float32
		want float64
	}{
		{[]float32{1, 0}, []float32{0, 1}, 90},
		{[]float32{1, 0}, []float32{1, 1}, 45},
		{[]float32{1, 2}, []float32{2, 4}, 0},
		{[]float32{1, 0}, []float32{-1, 0}, 180},
	}
	for _, tt := range tests {
		if got := Angle(tt.a, tt.b); math.Abs(got-tt.want) > 1e-4 {
			t.Errorf("Angle(%v, %v) = %g, want %g", tt.a, tt.b, got, tt.want)
		}
	}
	if !math.IsNaN(Angle([]float32{0, 0}, []float32{1, 0})) {
		t.Error("angle with a zero vector: want NaN")
	}
}

// TestAngleIsWithinRange is a property: any angle is in [0°, 180°].
func TestAngleIsWithinRange(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	a, b := make([]float32, 17), make([]float32, 17)
	for i := 0; i < 1000; i++ {
		for j := range a {
			a[j], b[j] = float32(rng.NormFloat64()), float32(rng.NormFloat64())
		}
		if g := Angle(a, b); !(g >= 0 && g <= 180) {
			t.Fatalf("angle %g outside [0, 180]", g)
		}
	}
}

func TestSignals(t *testing.T) {
	target := []float32{0, 1, 0}
	e := []float32{0.5, -0.25, 0}
	tests := []struct {
		rule   ThirdFactor
		want   []float32
		active bool
		needs  bool
	}{
		{DRTP{}, []float32{0, 1, 0}, true, false},
		{DFA{}, []float32{0.5, -0.25, 0}, true, true},
		{SDFA{}, []float32{1, -1, 0}, true, true},
		{Shallow{}, []float32{0, 0, 0}, false, false},
	}
	for _, tt := range tests {
		s := []float32{9, 9, 9}
		if got := tt.rule.Signal(s, target, e); got != tt.active {
			t.Errorf("%s: Signal reports %v, want %v", tt.rule, got, tt.active)
		}
		for i := range s {
			if s[i] != tt.want[i] {
				t.Errorf("%s: s = %v, want %v", tt.rule, s, tt.want)
				break
			}
		}
		if tt.rule.NeedsError() != tt.needs {
			t.Errorf("%s: NeedsError = %v, want %v", tt.rule, !tt.needs, tt.needs)
		}
	}
}

// TestProjectLabelsEqualsProjectOfOneHot: selecting the label's row of B is
// the matrix product y* B for a one-hot y*.
func TestProjectLabelsEqualsProjectOfOneHot(t *testing.T) {
	f := NewFeedback(4, 6, rand.New(rand.NewPCG(1, 1)))
	labels := []int{2, 0, 3}
	onehot := make([]float32, 3*4)
	for r, c := range labels {
		onehot[r*4+c] = 1
	}
	a, b := make([]float32, 18), make([]float32, 18)
	f.Project(a, onehot, 3)
	f.ProjectLabels(b, labels)
	for i := range a {
		if math.Abs(float64(a[i]-b[i])) > 1e-6 {
			t.Fatalf("element %d: Project %g, ProjectLabels %g", i, a[i], b[i])
		}
	}
}

func TestFeedbackBound(t *testing.T) {
	// kaiming_uniform_ on a C × n tensor: ±√(6/n).
	f := NewFeedback(10, 600, rand.New(rand.NewPCG(3, 3)))
	bound := math.Sqrt(6.0 / 600)
	var m float64
	for _, v := range f.B {
		m = math.Max(m, math.Abs(float64(v)))
	}
	if m > bound || m < 0.95*bound {
		t.Errorf("max |B| = %g, want just under %g", m, bound)
	}
}

func TestParseRule(t *testing.T) {
	for _, name := range Names {
		r, err := ParseRule(name)
		if err != nil || r.String() != name {
			t.Errorf("ParseRule(%q) = %v, %v", name, r, err)
		}
	}
	if _, err := ParseRule("hebb"); err == nil {
		t.Error("ParseRule(hebb): want an error")
	}
}
