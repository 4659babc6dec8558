//go:build !amd64 || purego

package neuron

// hasAVX512 is false here: there are no vector kernels on this platform
// (tests check the kernels against the portable loops where they exist).
var hasAVX512 = false

// stepFast has no vector kernel on this platform: the portable loop steps
// every neuron.
func stepFast(v, i []float32, s []bool, sp []int32, alpha, theta float32) (stepped, spiked int) {
	return 0, 0
}

// triangleFast has no vector kernel on this platform.
func triangleFast(psi, v []float32, theta, inv float32) int { return 0 }
