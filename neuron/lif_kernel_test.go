package neuron

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestStepKernelMatchesPortableLoop steps two copies of a population, one
// with the vector kernel (where the CPU has it) and one with the portable
// loop, through many steps of random input, some of it landing exactly on
// θ: potentials, spike flags and spike lists must be identical, for sizes
// around the kernel's block of sixteen.
func TestStepKernelMatchesPortableLoop(t *testing.T) {
	if !hasAVX512 {
		t.Skip("no vector kernel on this CPU")
	}
	p := DefaultLIF()
	for _, n := range []int{1, 15, 16, 17, 31, 32, 33, 100, 1000, 1010} {
		rng := rand.New(rand.NewPCG(uint64(n), 2))
		fast, slow := NewLIFState(n), NewLIFState(n)
		in := make([]float32, n)
		sf, ss := make([]int32, 0, n), make([]int32, 0, n)
		for step := 0; step < 200; step++ {
			for k := range in {
				switch rng.IntN(8) {
				case 0:
					in[k] = p.Theta // lands on θ from rest
				case 1:
					in[k] = 0
				default:
					in[k] = float32(rng.NormFloat64() * 0.6)
				}
			}
			sf = p.Step(fast, in, 1, sf)
			hasAVX512 = false
			ss = p.Step(slow, in, 1, ss)
			hasAVX512 = true
			if !slices.Equal(sf, ss) || !slices.Equal(fast.V, slow.V) || !slices.Equal(fast.S, slow.S) {
				t.Fatalf("n = %d, step %d: kernel and loop differ:\nspikes %v\n  want %v", n, step, sf, ss)
			}
		}
	}
}

// TestTriangleKernelMatchesPortableLoop compares the vector kernel of the
// triangle post factor with the portable loop on random potentials, exact
// landmarks (0, θ, 2θ) and a NaN, bit for bit.
func TestTriangleKernelMatchesPortableLoop(t *testing.T) {
	if !hasAVX512 {
		t.Skip("no vector kernel on this CPU")
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for _, theta := range []float32{1, 0.7} {
		for _, n := range []int{1, 15, 16, 17, 33, 1000} {
			v := make([]float32, n)
			for k := range v {
				v[k] = float32(rng.NormFloat64() * 1.5)
			}
			landmarks := []float32{0, theta, 2 * theta, float32(math.NaN()), -0.0}
			for k := 0; k < len(landmarks) && k < n; k++ {
				v[k*n/len(landmarks)] = landmarks[k]
			}
			fast, slow := make([]float32, n), make([]float32, n)
			Triangle{}.Psi(fast, v, theta)
			hasAVX512 = false
			Triangle{}.Psi(slow, v, theta)
			hasAVX512 = true
			for k := range fast {
				if math.Float32bits(fast[k]) != math.Float32bits(slow[k]) {
					t.Fatalf("θ = %g, n = %d: ψ(%g) = %g (kernel), %g (loop)", theta, n, v[k], fast[k], slow[k])
				}
			}
		}
	}
}
