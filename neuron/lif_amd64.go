//go:build amd64 && !purego

package neuron

import "golang.org/x/sys/cpu"

// lifStep512 is the common case of LIFParams.Step (no refractory period,
// reset by subtraction) for n neurons, n a multiple of 16, with AVX-512:
// sixteen neurons per instruction, the spiking ones compressed into sp.
// It returns how many spiked. sp needs room for n indices. The arithmetic
// is that of the scalar loop, operation by operation (a multiply, an add,
// then the reset subtracted; no fused multiply-add), so the results are
// the same bit for bit.
//
//go:noescape
func lifStep512(v, i *float32, s *bool, sp *int32, n int, alpha, theta float32) int

// hasAVX512 says whether lifStep512 can run here; tests turn it off to
// compare the kernel with the portable loop.
var hasAVX512 = cpu.X86.HasAVX512F

// stepFast runs the common case on the longest multiple of 16 neurons when
// the CPU allows and returns how many neurons it stepped and how many of
// them spiked (their indices in sp[:spiked]).
func stepFast(v, i []float32, s []bool, sp []int32, alpha, theta float32) (stepped, spiked int) {
	n := len(v) &^ 15
	if !hasAVX512 || n == 0 {
		return 0, 0
	}
	return n, lifStep512(&v[0], &i[0], &s[0], &sp[0], n, alpha, theta)
}

// triangle512 sets psi[k] = max(0, 1 − |(v[k] − θ)·inv|) for k < n, n a
// multiple of 16, with AVX-512: Triangle.Psi sixteen neurons at a time,
// with the same results as its portable loop.
//
//go:noescape
func triangle512(psi, v *float32, n int, theta, inv float32)

// triangleFast runs Triangle.Psi's kernel on the longest multiple of 16
// neurons when the CPU allows and returns how many it did.
func triangleFast(psi, v []float32, theta, inv float32) int {
	n := len(psi) &^ 15
	if !hasAVX512 || n == 0 {
		return 0
	}
	triangle512(&psi[0], &v[0], n, theta, inv)
	return n
}
