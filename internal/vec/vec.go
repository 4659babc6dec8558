package vec

import (
	"fmt"
	"sync/atomic"
)

// Instruction sets, best first; level holds the one in use.
const (
	levelAVX512 = iota
	levelAVX2
	levelGeneric
)

var levelNames = [...]string{"avx512", "avx2+fma", "generic"}

var level atomic.Int32

func init() { level.Store(int32(bestLevels()[0])) }

// Kernel names the instruction set in use: "avx512", "avx2+fma" or
// "generic".
func Kernel() string { return levelNames[level.Load()] }

// useKernel switches to the named instruction set (a test hook). It
// reports false, and changes nothing, when the CPU cannot run it.
func useKernel(name string) bool {
	for _, l := range bestLevels() {
		if levelNames[l] == name {
			level.Store(int32(l))
			return true
		}
	}
	return false
}

// kernels lists the names of the instruction sets this CPU can run, best
// first (a test hook).
func kernels() []string {
	var s []string
	for _, l := range bestLevels() {
		s = append(s, levelNames[l])
	}
	return s
}

// adamConsts is the constant block of the Adam kernels, indexed as the
// assembly reads it (asmgen kB1…kEps): β1, 1−β1, β2, 1−β2, step,
// invSqrtBC2, ε, and one unused slot.
type adamConsts [8]float32

func same(name string, n int, lens ...int) {
	for _, l := range lens {
		if l != n {
			panic(fmt.Sprintf("vec: %s: length mismatch %d != %d", name, l, n))
		}
	}
}

// Adam applies one Adam update (eq. 1 of the package doc) element-wise:
//
//	m ← β1 m + (1−β1) g;  v ← β2 v + (1−β2) g²
//	p ← p − step · m / (√v · invSqrtBC2 + ε)
//
// where step = η/(1−β1^t) is the bias-corrected learning rate (per step, in
// parameter units per gradient unit) and invSqrtBC2 = 1/√(1−β2^t). It
// rounds every operation to float32 in this order (no fused multiply-add)
// and counts subnormal inputs and results as zeros of their sign (the
// MXCSR's flush-to-zero and denormals-are-zero: moments that decay below
// 2⁻¹²⁶, as they do for weights whose gradient stays zero, would otherwise
// cost a microcode assist per operation on Intel cores, ten times the
// loop's time), so its results are bit-identical on every instruction set.
// Unflushed, such a moment would move its weight by at most 1.2·10⁻³⁰
// times the step (ε = 10⁻⁸ below it), far below a weight's rounding. It runs on the calling goroutine and
// panics if the lengths differ.
func Adam(p, g, m, v []float32, beta1, beta2, step, invSqrtBC2, eps float32) {
	n := len(p)
	same("Adam", n, len(g), len(m), len(v))
	if n == 0 {
		return
	}
	k := adamConsts{beta1, 1 - beta1, beta2, 1 - beta2, step, invSqrtBC2, eps}
	if !adamArch(p, g, m, v, &k) {
		adamGo(p, g, m, v, &k)
	}
}

// Tanh sets y[i] = tanh(z[i]) (eqs. 2–6), within 1.9e-7 relative and
// 1.1e-7 absolute error (the largest over every float32 in [−30, 30]) and
// non-decreasing in z. NaN gives NaN, ±Inf gives ±1, −0 gives −0. y may
// be z. It runs on the calling goroutine and panics if the lengths
// differ.
func Tanh(y, z []float32) {
	same("Tanh", len(y), len(z))
	if len(y) == 0 {
		return
	}
	if !tanhArch(y, z) {
		tanhGo(y, z)
	}
}

// Sigmoid sets y[i] = 1/(1 + e^−z[i]) (eqs. 2–5, 7), within 1.8e-7
// relative error for z ≥ −87 (the largest over every float32 in
// [−30, 30]) and non-decreasing in z; below −87 it gives 0 (the true
// value is under 1.7e-38). NaN gives NaN. y may be z. It runs on the
// calling goroutine and panics if the lengths differ.
func Sigmoid(y, z []float32) {
	same("Sigmoid", len(y), len(z))
	if len(y) == 0 {
		return
	}
	if !sigmoidArch(y, z) {
		sigmoidGo(y, z)
	}
}

// Mul sets d[i] *= a[i]. It runs on the calling goroutine and panics if
// the lengths differ.
func Mul(d, a []float32) {
	same("Mul", len(d), len(a))
	if len(d) == 0 {
		return
	}
	if !mulArch(d, a) {
		mulGo(d, a)
	}
}

// Add sets d[i] += a[i]: a bias added to each row of a batch, or a row
// summed into a gradient. It runs on the calling goroutine and panics if
// the lengths differ.
func Add(d, a []float32) {
	same("Add", len(d), len(a))
	if len(d) == 0 {
		return
	}
	if !addArch(d, a) {
		addGo(d, a)
	}
}

// AddConst sets d[i] += c: a CONV layer's bias added to one channel's
// maps. It runs on the calling goroutine.
func AddConst(d []float32, c float32) {
	if len(d) == 0 {
		return
	}
	if !addConstArch(d, c) {
		addConstGo(d, c)
	}
}

// MulTanhDeriv sets d[i] *= 1 − y[i]², the back-propagated signal through
// a tanh whose output is y (δz = δy ⊙ f'(z), f' = 1 − y²), rounding y², the
// difference and the product each to float32. It runs on the calling
// goroutine and panics if the lengths differ.
func MulTanhDeriv(d, y []float32) {
	same("MulTanhDeriv", len(d), len(y))
	if len(d) == 0 {
		return
	}
	if !mulTanhDerivArch(d, y) {
		mulTanhDerivGo(d, y)
	}
}

// TanhDeriv sets d[i] = 1 − y[i]², the derivative of a tanh whose output
// is y, rounding y² and the difference each to float32. d may be y. It
// runs on the calling goroutine and panics if the lengths differ.
func TanhDeriv(d, y []float32) {
	same("TanhDeriv", len(d), len(y))
	if len(d) == 0 {
		return
	}
	if !tanhDerivArch(d, y) {
		tanhDerivGo(d, y)
	}
}
