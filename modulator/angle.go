package modulator

import "math"

// Angle returns the angle in degrees between a and b, flattened (eq. M8).
// It is NaN when either vector is zero: the angle is then undefined (the
// shallow rule has no hidden update).
func Angle(a, b []float32) float64 {
	if len(a) != len(b) {
		panic("modulator: Angle: length mismatch")
	}
	var ab, aa, bb float64
	for i := range a {
		x, y := float64(a[i]), float64(b[i])
		ab += x * y
		aa += x * x
		bb += y * y
	}
	if aa == 0 || bb == 0 {
		return math.NaN()
	}
	c := ab / math.Sqrt(aa*bb)
	c = math.Max(-1, math.Min(1, c))
	return math.Acos(c) * 180 / math.Pi
}
