package spiking

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

func TestAxpyMatchesScalarLoop(t *testing.T) {
	// Lengths around the 32- and 8-lane blocks, and MNIST's row of 1000.
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 1, 7, 8, 9, 31, 32, 33, 63, 64, 65, 100, 1000} {
		x := make([]float32, n+3)
		y := make([]float32, n)
		for i := range x {
			x[i] = float32(rng.NormFloat64())
		}
		for i := range y {
			y[i] = float32(rng.NormFloat64())
		}
		a := float32(rng.NormFloat64())
		want := append([]float32(nil), y...)
		for i := range want {
			want[i] += a * x[i]
		}
		axpy(a, x, y)
		for i := range y {
			if y[i] != want[i] {
				t.Fatalf("n = %d, i = %d: %g, want %g (bit-exact)", n, i, y[i], want[i])
			}
		}
	}
}

// benchRows adds 1024 random rows of a 784 × 1000 matrix into one
// vector with add, as the forward pass does for input spikes.
func benchRows(b *testing.B, add func(row, y []float32)) {
	x := make([]float32, 784*1000)
	y := make([]float32, 1000)
	rng := rand.New(rand.NewPCG(1, 2))
	rows := make([]int, 1024)
	for i := range rows {
		rows[i] = rng.IntN(784)
	}
	for b.Loop() {
		for _, j := range rows {
			add(x[j*1000:(j+1)*1000], y)
		}
	}
}

func BenchmarkAxpy1000(b *testing.B) {
	benchRows(b, func(row, y []float32) { axpy(1, row, y) })
}

func BenchmarkSaxpyGonum1000(b *testing.B) {
	benchRows(b, func(row, y []float32) { gonumBLAS.Saxpy(1000, 1, row, 1, y, 1) })
}

// TestAddDotsMatchesGonum checks the readout's dense dot products against
// gonum's Sdot bit for bit: row counts around the kernels' groups of four
// and ten, lengths around their blocks of 16, spike-like 0/1 inputs (also
// through addDotsSpikes, with weights that are ±0) and analog ones, and
// an input not on a 16-byte boundary (gonum's own path).
func TestAddDotsMatchesGonum(t *testing.T) { withAndWithoutAVX512(t, testAddDots) }

func testAddDots(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, rows := range []int{1, 3, 4, 5, 10, 11, 14, 20} {
		for _, n := range []int{1, 4, 15, 16, 17, 36, 100, 1000} {
			for _, spikes := range []bool{true, false} {
				for _, shift := range []int{0, 1} {
					w := make([]float32, rows*n)
					for i := range w {
						switch rng.IntN(8) {
						case 0:
							w[i] = float32(math.Copysign(0, -1))
						case 1: // +0
						default:
							w[i] = float32(rng.NormFloat64())
						}
					}
					buf := make([]float32, n+shift)
					x := buf[shift:]
					for i := range x {
						switch {
						case !spikes:
							x[i] = float32(rng.NormFloat64())
						case rng.IntN(3) == 0:
							x[i] = 1
						}
					}
					want := make([]float32, rows)
					for i := range want {
						want[i] = float32(i) * 0.5 // cur starts at the biases
						want[i] += gonumBLAS.Sdot(n, w[i*n:(i+1)*n], 1, x, 1)
					}
					kernels := map[string]func(cur, w, x []float32, n int){"addDots": addDots}
					if spikes {
						kernels["addDotsSpikes"] = addDotsSpikes
					}
					for name, f := range kernels {
						got := make([]float32, rows)
						for i := range got {
							got[i] = float32(i) * 0.5
						}
						f(got, w, x, n)
						for i := range got {
							if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
								t.Fatalf("%s: rows %d, n %d, spikes %v, shift %d: row %d = %g, gonum %g", name, rows, n, spikes, shift, i, got[i], want[i])
							}
						}
					}
				}
			}
		}
	}
}

// withAndWithoutAVX512 runs test twice where the CPU has AVX-512: with the
// sixteen-lane kernels and with the eight-lane ones alone.
func withAndWithoutAVX512(t *testing.T, test func(t *testing.T)) {
	have := hasAVX512
	defer func() { hasAVX512 = have }()
	for _, on := range []bool{false, true} {
		if on && !have {
			continue
		}
		hasAVX512 = on
		t.Run(fmt.Sprintf("avx512=%v", on), test)
	}
}

// TestSumRowsMatchesAxpys checks that adding many weight rows at once
// gives, bit for bit, what one axpy per row gives: widths around the
// kernels' chunks of 128, 64, 16 and 8, rows repeated, with and without
// scales.
func TestSumRowsMatchesAxpys(t *testing.T) { withAndWithoutAVX512(t, testSumRows) }

func testSumRows(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for _, n := range []int{1, 7, 8, 9, 15, 16, 17, 63, 64, 65, 100, 127, 128, 129, 152, 1000, 1003} {
		for _, count := range []int{1, 2, 13, 1500} {
			for _, scaled := range []bool{false, true} {
				const rows = 40
				stride := n + 5
				w := make([]float32, rows*stride)
				for i := range w {
					w[i] = float32(rng.NormFloat64())
				}
				idx := make([]int32, count)
				var a []float32
				if scaled {
					a = make([]float32, count)
				}
				for k := range idx {
					idx[k] = int32(rng.IntN(rows))
					if scaled {
						a[k] = float32(rng.Float64())
					}
				}
				got := make([]float32, n)
				for i := range got {
					got[i] = float32(rng.NormFloat64())
				}
				want := append([]float32(nil), got...)
				sumRows(got, w, stride, idx, a)
				for k, j := range idx {
					s := float32(1)
					if scaled {
						s = a[k]
					}
					axpy(s, w[int(j)*stride:int(j)*stride+n], want)
				}
				for e := range got {
					if math.Float32bits(got[e]) != math.Float32bits(want[e]) {
						t.Fatalf("n %d, %d rows, scaled %v: y[%d] = %g, want %g", n, count, scaled, e, got[e], want[e])
					}
				}
			}
		}
	}
}

// TestSpikesDenseMatchesScatter: the dense input built from a layer's spike
// flags equals the one scatter builds from its spike list.
func TestSpikesDenseMatchesScatter(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for _, n := range []int{0, 1, 7, 8, 9, 17, 1000} {
		s := make([]bool, n)
		var idx []int32
		for j := range s {
			if rng.IntN(3) == 0 {
				s[j] = true
				idx = append(idx, int32(j))
			}
		}
		got, want := make([]float32, n), make([]float32, n)
		for j := range got {
			got[j] = 7 // stale values must go
		}
		spikesDense(got, s)
		scatter(want, idx, nil)
		for j := range got {
			if got[j] != want[j] {
				t.Fatalf("n = %d: dense[%d] = %g, want %g", n, j, got[j], want[j])
			}
		}
	}
}

// TestGroupAddMatchesRowByRow: adding each input's grouped rows of m̃ in
// one kernel gives, bit for bit, what summing them with sumRows and adding
// the sum with axpy gave (one axpy for a lone row), at widths on and off
// the kernels' 128-, 64-, 16- and 8-column steps.
func TestGroupAddMatchesRowByRow(t *testing.T) { withAndWithoutAVX512(t, testGroupAdd) }

// randomGroups draws the grouped events of a summed update over in inputs
// and T steps: each input has 0 (no events), 1 (a lone row) to 3 events,
// at random steps; js lists the inputs with events, off where they start
// in steps.
func randomGroups(rng *rand.Rand, in, T int) (js, off, steps []int32) {
	for j := 0; j < in; j++ {
		n := rng.IntN(4)
		if n == 0 {
			continue
		}
		js, off = append(js, int32(j)), append(off, int32(len(steps)))
		for range n {
			steps = append(steps, int32(rng.IntN(T)))
		}
	}
	return js, append(off, int32(len(steps))), steps
}

func testGroupAdd(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for _, stride := range []int{1, 7, 8, 9, 15, 16, 17, 63, 64, 65, 128, 130, 152, 1000} {
		const T, in = 12, 20
		m := make([]float32, T*stride)
		for i := range m {
			m[i] = float32(rng.NormFloat64())
		}
		js, off, steps := randomGroups(rng, in, T)
		got := make([]float32, in*stride)
		for i := range got {
			got[i] = float32(rng.NormFloat64())
		}
		want := append([]float32(nil), got...)
		groupAdd(got, m, stride, js, off, steps)
		sum := make([]float32, stride)
		for a, j := range js {
			row := want[int(j)*stride : (int(j)+1)*stride]
			lo, hi := off[a], off[a+1]
			if hi-lo == 1 {
				axpy(1, m[int(steps[lo])*stride:], row)
				continue
			}
			clear(sum)
			sumRows(sum, m, stride, steps[lo:hi], nil)
			axpy(1, sum, row)
		}
		for i := range got {
			if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
				t.Fatalf("stride %d: gW[%d] = %g, want %g", stride, i, got[i], want[i])
			}
		}
	}
}

// TestStepCurrentsMatchesStepByStep: a layer's currents computed for
// every step at once equal, bit for bit, the bias plus sumRows step by
// step, at widths on and off the kernel's 64- and 16-column steps, with
// steps that have no events and a sample without any.
func TestStepCurrentsMatchesStepByStep(t *testing.T) {
	withAndWithoutAVX512(t, testStepCurrents)
}

func testStepCurrents(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	for _, stride := range []int{1, 8, 15, 16, 17, 63, 64, 65, 80, 130, 1000} {
		const T, in = 9, 30
		w := make([]float32, in*stride)
		for i := range w {
			w[i] = float32(rng.NormFloat64())
		}
		b := make([]float32, stride)
		for i := range b {
			b[i] = float32(rng.NormFloat64())
		}
		var idx []int32
		off := make([]int32, T+1)
		silent := stride == 80 // no events at all
		for s := range T {
			off[s] = int32(len(idx))
			for range rng.IntN(6) * b2i(!silent) { // 0: a silent step
				idx = append(idx, int32(rng.IntN(in)))
			}
		}
		off[T] = int32(len(idx))
		got := make([]float32, T*stride)
		for i := range got {
			got[i] = 7 // stale values must go
		}
		stepCurrents(got, b, w, stride, idx, off, T)
		for s := range T {
			want := append([]float32(nil), b...)
			sumRows(want, w, stride, idx[off[s]:off[s+1]], nil)
			for e, v := range want {
				if g := got[s*stride+e]; math.Float32bits(g) != math.Float32bits(v) {
					t.Fatalf("stride %d, step %d: i[%d] = %g, want %g", stride, s, e, g, v)
				}
			}
		}
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// TestRateRegMatchesScalarLoop: the kernel of eq. R1 gives the scalar
// loop's counts and factors bit for bit (signed zeros included), over
// lengths around its sixteen lanes and MNIST's 1000 neurons.
func TestRateRegMatchesScalarLoop(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{0, 1, 15, 16, 17, 33, 1000} {
		m, count, psi := make([]float32, n), make([]float32, n), make([]float32, n)
		spiked := make([]bool, n)
		for i := range n {
			m[i] = float32(rng.NormFloat64())
			if i%5 == 0 {
				m[i] = float32(math.Copysign(0, rng.NormFloat64()))
			}
			count[i] = float32(rng.IntN(40))
			if i%3 != 0 {
				psi[i] = rng.Float32()
			}
			spiked[i] = rng.IntN(2) == 0
		}
		lambda, inv, rho := float32(0.05), 1/float32(37), float32(0.1)
		wantM, wantCount := append([]float32(nil), m...), append([]float32(nil), count...)
		for i := range n {
			wantCount[i] += b2f(spiked[i])
			wantM[i] += lambda * (wantCount[i]*inv - rho) * psi[i]
		}
		done := rateRegArch(m, count, psi, spiked, lambda, inv, rho)
		for i := done; i < n; i++ {
			count[i] += b2f(spiked[i])
			m[i] += lambda * (count[i]*inv - rho) * psi[i]
		}
		sameBits(t, n, "count", count, wantCount)
		sameBits(t, n, "m", m, wantM)
	}
}
