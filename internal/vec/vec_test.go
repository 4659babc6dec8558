package vec

import (
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// lengths are ragged around the vector widths (8, 16) and unrolled loops
// (up to 64 floats), plus FC_1000_FC_10's weight count 784·1000+1000·10
// (785,010 parameters).
var lengths = []int{0, 1, 7, 15, 16, 17, 63, 1000, 785010}

// guard is the number of sentinel values past the end of each output,
// which a kernel must leave alone (tail masks).
const guard = 17

const sentinel = float32(-12345.5)

// withKernels runs f once per instruction set the CPU supports, each
// forced in turn, and restores the best one.
func withKernels(t *testing.T, f func(t *testing.T)) {
	t.Helper()
	defer useKernel(kernels()[0])
	for _, name := range kernels() {
		if !useKernel(name) {
			t.Fatalf("useKernel(%q) refused a supported set", name)
		}
		t.Run(name, f)
	}
}

// specials are the inputs every activation test starts with: zeros,
// tiny and huge values, both sides of the polynomial switch of tanh
// (0.625) and of the exp clamp (−87), infinities and NaN.
var specials = []float32{
	0, float32(math.Copysign(0, -1)), 1e-30, -1e-30, math.SmallestNonzeroFloat32, -math.SmallestNonzeroFloat32,
	1e-8, -1e-8, 1e-3, -1e-3, 0.5, -0.5, 0.6249999, 0.625, -0.625, 0.6250001, 1, -1,
	9.1, -9.1, 17, -17, 30, -30, 43.5, -43.5, 86.9, -86.9, 87, -87, 87.1, -87.1, 88.8, -88.8, 104, -104,
	1e30, -1e30, float32(math.Inf(1)), float32(math.Inf(-1)), float32(math.NaN()),
}

// inputs returns n values: the specials first, then uniform in [−lim, lim].
func inputs(n int, lim float64, seed uint64) []float32 {
	rng := rand.New(rand.NewPCG(seed, 1))
	z := make([]float32, n)
	for i := range z {
		if i < len(specials) {
			z[i] = specials[i]
		} else {
			z[i] = float32((2*rng.Float64() - 1) * lim)
		}
	}
	return z
}

// withGuard returns a slice of n values followed by guard sentinels,
// sliced to n.
func withGuard(n int) []float32 {
	y := make([]float32, n+guard)
	for i := range y {
		y[i] = sentinel
	}
	return y[:n]
}

func checkGuard(t *testing.T, y []float32) {
	t.Helper()
	for i, v := range y[len(y) : len(y)+guard] {
		if v != sentinel {
			t.Fatalf("n=%d: wrote %g past the end (index n+%d)", len(y), v, i)
		}
	}
}

// activation names a kernel with its float64 reference and its error
// bound; ok reports whether got is acceptable for input x.
type activation struct {
	name string
	f    func(y, z []float32)
	ok   func(x, got float32) bool
}

var activations = []activation{
	{"Tanh", Tanh, func(x, got float32) bool {
		if x != x {
			return got != got
		}
		want := math.Tanh(float64(x))
		if x == 0 {
			return got == 0 && math.Signbit(float64(got)) == math.Signbit(float64(x))
		}
		// The brief's bound is 2e-7 absolute; also relative where the
		// value is not tiny (as neuron.TestFastFunctionsMatchMath).
		return math.Abs(float64(got)-want) <= 2e-7*math.Max(math.Abs(want), 1e-3)
	}},
	{"Sigmoid", Sigmoid, func(x, got float32) bool {
		if x != x {
			return got != got
		}
		if x < expClamp {
			return got == 0
		}
		want := 1 / (1 + math.Exp(-float64(x)))
		return math.Abs(float64(got)-want) <= 2e-7*want
	}},
}

// TestActivationsMatchFloat64 checks every set, at ragged lengths, on
// the specials and on uniform values in [−30, 30], against float64
// math.Tanh and 1/(1+exp(−x)): 2e-7 absolute for tanh (and relative
// where |tanh| ≥ 1e-3), 2e-7 relative for the sigmoid, NaN in gives NaN
// out, ±0 keeps its sign through tanh. Nothing is written past the end,
// and in place (y = z) gives the same values.
func TestActivationsMatchFloat64(t *testing.T) {
	for _, a := range activations {
		t.Run(a.name, func(t *testing.T) {
			withKernels(t, func(t *testing.T) {
				for _, n := range lengths {
					z := inputs(n, 30, uint64(n))
					y := withGuard(n)
					a.f(y, z)
					checkGuard(t, y)
					for i, x := range z {
						if !a.ok(x, y[i]) {
							t.Fatalf("n=%d: %s(%g) = %.9g", n, a.name, x, y[i])
						}
					}
					in := append([]float32(nil), z...)
					a.f(in, in)
					for i := range in {
						if math.Float32bits(in[i]) != math.Float32bits(y[i]) {
							t.Fatalf("n=%d: in place %s(%g) = %g, out of place %g", n, a.name, z[i], in[i], y[i])
						}
					}
				}
			})
		})
	}
}

// TestActivationsAreMonotone: on 4000 consecutive float32 values around
// each switch point of the range reduction (eq. 3: k changes where
// |u| = (j + ½) ln 2, u = −2|x| for tanh and −x for the sigmoid), around
// 0 and around the clamps, the outputs never decrease, which max-pooling
// before the activation relies on (network.poolFirst). TestSweepErrors
// checks every float32 in [−30, 30].
func TestActivationsAreMonotone(t *testing.T) {
	var z []float32
	centres := []float32{0, 9, 87, -87}
	for _, j := range []float64{0, 1, 2, 10, 40} {
		c := (j + 0.5) * math.Ln2
		centres = append(centres, float32(c), float32(-c), float32(c/2), float32(-c/2))
	}
	for _, c := range centres {
		x := c
		for i := 0; i < 2000; i++ {
			x = math.Nextafter32(x, float32(math.Inf(-1)))
		}
		for i := 0; i < 4000; i++ {
			z = append(z, x)
			x = math.Nextafter32(x, float32(math.Inf(1)))
		}
	}
	for _, a := range activations {
		t.Run(a.name, func(t *testing.T) {
			withKernels(t, func(t *testing.T) {
				y := make([]float32, len(z))
				a.f(y, z)
				for i := 1; i < len(z); i++ {
					if z[i] > z[i-1] && y[i] < y[i-1] {
						t.Fatalf("%s(%g) = %.9g < %s(%g) = %.9g", a.name, z[i], y[i], a.name, z[i-1], y[i-1])
					}
				}
			})
		})
	}
}

// TestSetsAgree: the assembly kernels and the portable ones compute the
// same operations in the same order, so their results differ by at most
// one ulp (the portable fused multiply-add rounds twice in rare ties).
func TestSetsAgree(t *testing.T) {
	z := inputs(100000, 30, 7)
	for _, a := range activations {
		t.Run(a.name, func(t *testing.T) {
			defer useKernel(kernels()[0])
			useKernel("generic")
			want := make([]float32, len(z))
			a.f(want, z)
			for _, name := range kernels() {
				useKernel(name)
				got := make([]float32, len(z))
				a.f(got, z)
				for i := range z {
					if d := ulps(got[i], want[i]); d > 1 {
						t.Fatalf("%s: %s(%g) = %.9g, generic %.9g (%d ulps)", name, a.name, z[i], got[i], want[i], d)
					}
				}
			}
		})
	}
}

// ulps is the distance between a and b in units in the last place (0 for
// two NaNs).
func ulps(a, b float32) int64 {
	if a != a && b != b {
		return 0
	}
	ord := func(x float32) int64 {
		u := int64(math.Float32bits(x))
		if u >= 1<<31 {
			return 1<<31 - u
		}
		return u
	}
	d := ord(a) - ord(b)
	if d < 0 {
		d = -d
	}
	return d
}

// adamRef is AdamState.Do of package synapse before this package (eq. 1
// in plain float32 Go). With GOAMD64=v3 the compiler may fuse its
// multiply-adds.
func adamRef(p, g, m, v []float32, b1, b2, step, inv, eps float32) {
	for i := range p {
		gi := g[i]
		mi := b1*m[i] + (1-b1)*gi
		vi := b2*v[i] + (1-b2)*gi*gi
		m[i], v[i] = mi, vi
		p[i] -= step * mi / (float32(math.Sqrt(float64(vi)))*inv + eps)
	}
}

// adamUnfused is adamRef with every operation rounded to float32 (the
// conversions forbid fusing), whatever GOAMD64, and flushed as the kernels
// flush: subnormal inputs and results count as zeros of their sign.
func adamUnfused(p, g, m, v []float32, b1, b2, step, inv, eps float32) {
	for i := range p {
		gi := flushed(g[i])
		mi := flushed(flushed(b1*flushed(m[i])) + flushed((1-b1)*gi))
		vi := flushed(flushed(b2*flushed(v[i])) + flushed(flushed((1-b2)*gi)*gi))
		m[i], v[i] = mi, vi
		den := flushed(flushed(float32(math.Sqrt(float64(vi)))*inv) + eps)
		p[i] = flushed(flushed(p[i]) - flushed(flushed(step*mi)/den))
	}
}

// flushed is x, or a zero of its sign when |x| is below the smallest
// normal float32, 2⁻¹²⁶.
func flushed(x float32) float32 {
	if math.Abs(float64(x)) < 0x1p-126 {
		return float32(math.Copysign(0, float64(x)))
	}
	return x
}

// TestAdamMatchesScalar: three steps on random p, g (and zero, tiny and
// huge gradients) give the same p, m, v as the scalar loop rounded and
// flushed at every operation, bit for bit, on every set, and within 1e-6
// relative of the loop as synapse had it (relative to max(|p|, |p0|) for
// p; identical unless GOAMD64=v3 fuses it or a value is subnormal there);
// nothing is written past the end.
func TestAdamMatchesScalar(t *testing.T) {
	withKernels(t, func(t *testing.T) {
		for _, n := range lengths {
			rng := rand.New(rand.NewPCG(uint64(n), 2))
			p0, g := make([]float32, n), make([]float32, n)
			for i := range p0 {
				p0[i] = float32(rng.NormFloat64() * 0.05)
				g[i] = float32(rng.NormFloat64() * 1e-3)
			}
			for i, x := range []float32{0, 1e-30, -1e-30, 1e-20, 1e10, -1e10} {
				if i < n {
					g[i] = x
				}
			}
			p, m, v := withGuard(n), withGuard(n), withGuard(n)
			copy(p, p0)
			clear(m)
			clear(v)
			var ref, unf [3][]float32 // p, m, v
			for _, r := range []*[3][]float32{&ref, &unf} {
				r[0], r[1], r[2] = append([]float32(nil), p0...), make([]float32, n), make([]float32, n)
			}
			const b1, b2, lr = 0.9, 0.999, 1e-3
			for step := 1; step <= 3; step++ {
				s := float32(lr / (1 - math.Pow(b1, float64(step))))
				inv := float32(1 / math.Sqrt(1-math.Pow(b2, float64(step))))
				Adam(p, g, m, v, b1, b2, s, inv, 1e-8)
				adamRef(ref[0], g, ref[1], ref[2], b1, b2, s, inv, 1e-8)
				adamUnfused(unf[0], g, unf[1], unf[2], b1, b2, s, inv, 1e-8)
			}
			for j, got := range [][]float32{p, m, v} {
				checkGuard(t, got)
				for i := range got {
					if got[i] != unf[j][i] {
						t.Fatalf("n=%d, i=%d (g=%g): got %.9g, scalar %.9g (want bit-identical)", n, i, g[i], got[i], unf[j][i])
					}
					// Relative to the magnitudes involved: p may
					// cancel towards 0 from p0.
					scale := math.Abs(float64(ref[j][i]))
					if j == 0 {
						scale = max(scale, math.Abs(float64(p0[i])))
					}
					if d := math.Abs(float64(got[i] - ref[j][i])); d > 1e-6*scale && scale >= 0x1p-126 {
						t.Fatalf("n=%d, i=%d (g=%g): got %.9g, synapse's loop %.9g (relative %.2g)", n, i, g[i], got[i], ref[j][i], d/scale)
					}
				}
			}
		}
	})
}

// TestAdamHandComputed: p = 1, g = 0.5, η = 0.1, β = (0.9, 0.999).
// Step 1: m = 0.05, v = 2.5e-4, m̂ = 0.5, √v̂ = 0.5, p = 1 − 0.1·1 = 0.9.
// Step 2: m = 0.095, v = 4.9975e-4, m̂ = 0.5, √v̂ = 0.5, p = 0.8 (the same
// hand calculation as synapse.TestOptimizersTwoSteps).
func TestAdamHandComputed(t *testing.T) {
	withKernels(t, func(t *testing.T) {
		p, m, v := []float32{1}, []float32{0}, []float32{0}
		for step, want := range []float64{0.9, 0.8} {
			s := float32(0.1 / (1 - math.Pow(0.9, float64(step+1))))
			inv := float32(1 / math.Sqrt(1-math.Pow(0.999, float64(step+1))))
			Adam(p, []float32{0.5}, m, v, 0.9, 0.999, s, inv, 1e-8)
			// float32 β: 1−β2 = 1−float32(0.999) is 1.3e-5 off 0.001 in
			// relative terms, while the bias correction uses 0.999.
			if math.Abs(float64(p[0])-want) > 1e-5 {
				t.Errorf("after step %d: p = %.7f, want %.7f", step+1, p[0], want)
			}
		}
	})
}

// TestAdamFlushesSubnormals: subnormal moments count as zero on every
// kernel (the flush that keeps Intel cores off their slow microcode path):
// a first moment decayed below 2⁻¹²⁶ (of either sign) with no gradient
// becomes zero and moves nothing; with a gradient, the new moment is
// (1−β1)·g exactly.
func TestAdamFlushesSubnormals(t *testing.T) {
	const sub = 1e-39 // subnormal: below 2⁻¹²⁶ ≈ 1.18e-38
	withKernels(t, func(t *testing.T) {
		for _, n := range []int{1, 9, 17} { // the tail, one vector and a tail, more
			p, g, m, v := make([]float32, n), make([]float32, n), make([]float32, n), make([]float32, n)
			for i := range n {
				p[i], v[i] = 0.5, 1e-6
				m[i] = sub
				if i%2 == 1 {
					m[i] = -sub
				}
				if i%3 == 2 {
					g[i] = 1e-3
				}
			}
			Adam(p, g, m, v, 0.9, 0.999, 1e-3, 1, 1e-8)
			for i := range n {
				switch {
				case g[i] == 0 && (m[i] != 0 || p[i] != 0.5):
					t.Errorf("n=%d, i=%d, no gradient: m = %g, p = %g; want 0 and 0.5", n, i, m[i], p[i])
				case g[i] != 0 && m[i] != float32(1-float32(0.9))*g[i]:
					t.Errorf("n=%d, i=%d: m = %.9g, want (1−β1)·g = %.9g", n, i, m[i], float32(1-float32(0.9))*g[i])
				}
			}
		}
	})
}

// TestProductsMatchScalar: Mul, Add, MulTanhDeriv and TanhDeriv give the scalar loops'
// values bit for bit, with NaN and infinities passing through as they do
// there, and write nothing past the end.
func TestProductsMatchScalar(t *testing.T) {
	tests := []struct {
		name string
		f    func(d, a []float32)
		ref  func(d, a float32) float32
	}{
		{"Mul", Mul, func(d, a float32) float32 { return d * a }},
		{"Add", Add, func(d, a float32) float32 { return d + a }},
		{"MulTanhDeriv", MulTanhDeriv, func(d, y float32) float32 { return d * (1 - float32(y*y)) }},
		{"TanhDeriv", TanhDeriv, func(_, y float32) float32 { return 1 - float32(y*y) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			withKernels(t, func(t *testing.T) {
				for _, n := range lengths {
					d0, a := inputs(n, 2, uint64(n)), inputs(n, 1.5, uint64(n)+1)
					d := withGuard(n)
					copy(d, d0)
					tt.f(d, a)
					checkGuard(t, d)
					for i := range d {
						if want := tt.ref(d0[i], a[i]); math.Float32bits(d[i]) != math.Float32bits(want) && !(want != want && d[i] != d[i]) {
							t.Fatalf("n=%d: %s(%g, %g) = %g, want %g", n, tt.name, d0[i], a[i], d[i], want)
						}
					}
				}
			})
		})
	}
}

// TestAddConstMatchesScalar: AddConst gives the scalar loop's sums bit
// for bit and writes nothing past the end.
func TestAddConstMatchesScalar(t *testing.T) {
	withKernels(t, func(t *testing.T) {
		for _, n := range lengths {
			for _, c := range []float32{0.37, -2.5e-3, float32(math.Inf(1))} {
				d0 := inputs(n, 2, uint64(n))
				d := withGuard(n)
				copy(d, d0)
				AddConst(d, c)
				checkGuard(t, d)
				for i := range d {
					if want := d0[i] + c; math.Float32bits(d[i]) != math.Float32bits(want) && !(want != want && d[i] != d[i]) {
						t.Fatalf("n=%d: %g + %g = %g, want %g", n, d0[i], c, d[i], want)
					}
				}
			}
		}
	})
}

// TestLengthMismatchPanics: the functions refuse slices of different
// lengths with a package-prefixed message.
func TestLengthMismatchPanics(t *testing.T) {
	a, b := make([]float32, 3), make([]float32, 4)
	tests := []struct {
		name string
		f    func()
	}{
		{"Adam", func() { Adam(a, a, b, a, 0.9, 0.999, 1, 1, 1e-8) }},
		{"Tanh", func() { Tanh(a, b) }},
		{"Sigmoid", func() { Sigmoid(b, a) }},
		{"Mul", func() { Mul(a, b) }},
		{"Add", func() { Add(b, a) }},
		{"MulTanhDeriv", func() { MulTanhDeriv(a, b) }},
		{"TanhDeriv", func() { TanhDeriv(b, a) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				if r := recover(); r == nil || fmt.Sprint(r)[:4] != "vec:" {
					t.Errorf("recovered %v, want a vec: panic", r)
				}
			}()
			tt.f()
		})
	}
}

// TestAllocatesNothing: no function allocates, on any set.
func TestAllocatesNothing(t *testing.T) {
	const n = 1000
	p, g, m, v := make([]float32, n), make([]float32, n), make([]float32, n), make([]float32, n)
	withKernels(t, func(t *testing.T) {
		for name, f := range map[string]func(){
			"Adam":         func() { Adam(p, g, m, v, 0.9, 0.999, 1e-3, 30, 1e-8) },
			"Tanh":         func() { Tanh(p, g) },
			"Sigmoid":      func() { Sigmoid(p, g) },
			"Mul":          func() { Mul(p, g) },
			"Add":          func() { Add(p, g) },
			"MulTanhDeriv": func() { MulTanhDeriv(p, g) },
			"TanhDeriv":    func() { TanhDeriv(p, g) },
			"AddConst":     func() { AddConst(p, 0.5) },
		} {
			if a := testing.AllocsPerRun(10, f); a != 0 {
				t.Errorf("%s: %.1f allocations per call", name, a)
			}
		}
	})
}

func TestKernelIsBestSupported(t *testing.T) {
	if got, want := Kernel(), kernels()[0]; got != want {
		t.Errorf("Kernel() = %q, want %q", got, want)
	}
	if useKernel("no-such-set") {
		t.Error("useKernel accepted an unknown name")
	}
}

// sweepStride, when positive, makes TestSweepErrors visit every
// sweepStride-th float32 in [−30, 30] (1 visits all 2.2e9 of them) and
// log the largest errors and the monotonicity violations between
// consecutive inputs visited: the measurement behind the bounds in doc.go.
var sweepStride = flag.Int("sweep", 0, "float32 stride of the error sweep (0: skip)")

// sweepStat collects the errors of one function over a sweep.
type sweepStat struct {
	name           string
	abs, rel       float64 // largest errors
	absX, relX     float32 // where
	drops, maxDrop int64   // outputs that fall while the input grows, and by how many ulps at most
	prev           float32 // the output for the previous input
	havePrev       bool
}

func (s *sweepStat) add(x, y float32, want float64, dir float32) {
	d := math.Abs(float64(y) - want)
	if d > s.abs {
		s.abs, s.absX = d, x
	}
	if r := d / math.Abs(want); r > s.rel {
		s.rel, s.relX = r, x
	}
	if s.havePrev && (y-s.prev)*dir < 0 {
		s.drops++
		s.maxDrop = max(s.maxDrop, ulps(y, s.prev))
	}
	s.prev, s.havePrev = y, true
}

func (s *sweepStat) String() string {
	return fmt.Sprintf("%s: max abs error %.3g at %g, max rel error %.3g at %g, %d drops (≤ %d ulps)",
		s.name, s.abs, s.absX, s.rel, s.relX, s.drops, s.maxDrop)
}

func TestSweepErrors(t *testing.T) {
	if *sweepStride <= 0 {
		t.Skip("run with -sweep=N")
	}
	const batch = 1 << 16
	z, y := make([]float32, 0, batch), make([]float32, batch)
	withKernels(t, func(t *testing.T) {
		th, sg := &sweepStat{name: "tanh"}, &sweepStat{name: "sigmoid"}
		var dir float32
		flush := func() {
			Tanh(y[:len(z)], z)
			for i, x := range z {
				th.add(x, y[i], math.Tanh(float64(x)), dir)
			}
			Sigmoid(y[:len(z)], z)
			for i, x := range z {
				sg.add(x, y[i], 1/(1+math.Exp(-float64(x))), dir)
			}
			z = z[:0]
		}
		// Positive float32 values in order of their bits (increasing),
		// then their negatives (decreasing).
		for _, sign := range []float32{1, -1} {
			dir = sign
			th.havePrev, sg.havePrev = false, false
			for b := uint32(1); b <= math.Float32bits(30); b += uint32(*sweepStride) {
				z = append(z, sign*math.Float32frombits(b))
				if len(z) == batch {
					flush()
				}
			}
			flush()
		}
		t.Log(th)
		t.Log(sg)
	})
}
