package vec

import "math"

// The portable kernels: the same operations as the assembly, in the same
// order, in plain Go. Where the assembly fuses a multiply-add, fma32 does
// (through float64, in which the product of two float32 values is exact,
// so the only difference from a fused float32 operation is a double
// rounding of the sum in rare ties). Explicit float32 conversions keep the
// compiler from fusing the others.

func fma32(a, b, c float32) float32 { return float32(float64(a)*float64(b) + float64(c)) }

// adamGo flushes like the assembly, which runs with the MXCSR's
// flush-to-zero and denormals-are-zero bits set: every input and every
// result of an operation that is subnormal counts as a zero of its sign.
func adamGo(p, g, m, v []float32, k *adamConsts) {
	b1, c1, b2, c2 := k[0], k[1], k[2], k[3]
	step, inv, eps := k[4], k[5], k[6]
	g, m, v = g[:len(p)], m[:len(p)], v[:len(p)]
	for i := range p {
		gi := ftz(g[i])
		mi := ftz(ftz(b1*ftz(m[i])) + ftz(c1*gi))
		vi := ftz(ftz(b2*ftz(v[i])) + ftz(ftz(c2*gi)*gi))
		m[i], v[i] = mi, vi
		den := ftz(ftz(float32(math.Sqrt(float64(vi)))*inv) + eps)
		p[i] = ftz(ftz(p[i]) - ftz(ftz(step*mi)/den))
	}
}

// ftz returns x, or a zero of x's sign if x is subnormal (a zero exponent
// field). Each of its callers' operations is rounded to float32 first, as
// ftz takes a float32, so no multiply-add is fused across it.
func ftz(x float32) float32 {
	b := math.Float32bits(x)
	if b&0x7f800000 == 0 {
		return math.Float32frombits(b & 0x80000000)
	}
	return x
}

func mulGo(d, a []float32) {
	a = a[:len(d)]
	for i := range d {
		d[i] *= a[i]
	}
}

func addGo(d, a []float32) {
	a = a[:len(d)]
	for i := range d {
		d[i] += a[i]
	}
}

func addConstGo(d []float32, c float32) {
	for i := range d {
		d[i] += c
	}
}

func tanhDerivGo(d, y []float32) {
	y = y[:len(d)]
	for i, v := range y {
		d[i] = 1 - float32(v*v)
	}
}

func mulTanhDerivGo(d, y []float32) {
	y = y[:len(d)]
	for i := range d {
		d[i] *= 1 - float32(y[i]*y[i])
	}
}

// max32 is VMAXPS(c, u): c if c > u, else u (so u when either is NaN).
func max32(c, u float32) float32 {
	if c > u {
		return c
	}
	return u
}

// reduce32 returns t = u·log2 e + 1.5·2²³, whose low bits hold
// k = round(u·log2 e), and r = u − k·ln2 (eq. 3).
func reduce32(u float32) (t, r float32) {
	t = fma32(u, log2e, magic)
	kf := t - magic
	r = fma32(kf, -ln2hi, u)
	return t, fma32(kf, -ln2lo, r)
}

// horner32 is Q(r) (eq. 4).
func horner32(r float32) float32 {
	q := expQ[len(expQ)-1]
	for i := len(expQ) - 2; i >= 0; i-- {
		q = fma32(r, q, expQ[i])
	}
	return q
}

// pow2 is 2^k from t as reduce32 returns it (eq. 5).
func pow2(t float32) float32 { return math.Float32frombits(math.Float32bits(t)<<23 + 127<<23) }

// expParts32 returns s = 2^k and w = e^r − 1 = r + r·(r·Q(r)) for u in
// [expClamp, 0] or NaN, so that e^u = s(1 + w) (eqs. 3–5).
func expParts32(u float32) (s, w float32) {
	t, r := reduce32(u)
	return pow2(t), fma32(r, horner32(r)*r, r)
}

const (
	signBit = 1 << 31
	absMask = signBit - 1
)

func tanh32(x float32) float32 {
	a := math.Float32frombits(math.Float32bits(x) & absMask)
	s, w := expParts32(max32(expClamp, -2*a))
	t := fma32(s, w, s-1) / fma32(s, w, s+1) // −tanh a (eq. 6)
	return math.Float32frombits(math.Float32bits(t)&absMask | math.Float32bits(x)&signBit)
}

// min32 is VMINPS(c, u): c if c < u, else u (so u when either is NaN).
func min32(c, u float32) float32 {
	if c < u {
		return c
	}
	return u
}

func sigmoid32(x float32) float32 {
	v := math.Float32frombits(math.Float32bits(x) ^ signBit) // −x
	s, w := expParts32(min32(-expClamp, max32(expClamp, v)))
	if v > -expClamp {
		return 0 // flushed (eq. 7)
	}
	return 1 / fma32(s, w, s+1) // eq. 7
}

func tanhGo(y, z []float32) {
	z = z[:len(y)]
	for i, x := range z {
		y[i] = tanh32(x)
	}
}

func sigmoidGo(y, z []float32) {
	z = z[:len(y)]
	for i, x := range z {
		y[i] = sigmoid32(x)
	}
}
