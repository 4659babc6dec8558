package neuron

import "math"

// expNeg returns e^x for x ≤ 0 (the only range the activations need),
// accurate to a few float32 ulps: e^x = 2^k e^r with |r| ≤ ln2/2, e^r by its
// Taylor series to r⁷ (error < 2e-9 relative).
func expNeg(x float64) float64 {
	if x < -87 {
		return 0
	}
	const (
		log2e = 1.4426950408889634
		ln2hi = 6.93147180369123816490e-01
		ln2lo = 1.90821492927058770002e-10
	)
	k := float64(int64(x*log2e - 0.5)) // round to nearest (x ≤ 0)
	r := x - k*ln2hi - k*ln2lo
	p := 1 + r*(1+r*(1.0/2+r*(1.0/6+r*(1.0/24+r*(1.0/120+r*(1.0/720+r*(1.0/5040)))))))
	return math.Float64frombits(math.Float64bits(p) + uint64(int64(k))<<52)
}

// tanh32 is tanh for float32 activations, within 1e-7 of math.Tanh:
// an odd Taylor polynomial near 0, (1 − e^{−2|x|})/(1 + e^{−2|x|}) elsewhere.
func tanh32(v float32) float32 {
	x := float64(v)
	a := math.Abs(x)
	if a < 0.25 {
		x2 := x * x
		return float32(x * (1 + x2*(-1.0/3+x2*(2.0/15+x2*(-17.0/315+x2*(62.0/2835+x2*(-1382.0/155925)))))))
	}
	if a > 9.1 { // tanh rounds to ±1 in float32
		return float32(math.Copysign(1, x))
	}
	e := expNeg(-2 * a)
	return float32(math.Copysign((1-e)/(1+e), x))
}

// sigmoid32 is 1/(1+e^−v) computed without overflow.
func sigmoid32(v float32) float32 {
	x := float64(v)
	if x >= 0 {
		return float32(1 / (1 + expNeg(-x)))
	}
	e := expNeg(x)
	return float32(e / (1 + e))
}
