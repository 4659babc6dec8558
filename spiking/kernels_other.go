//go:build !amd64 || purego

package spiking

// axpy sets y += a·x (len(y) ≤ len(x)).
func axpy(a float32, x, y []float32) {
	if len(y) == 0 {
		return
	}
	gonumBLAS.Saxpy(len(y), a, x[:len(y)], 1, y, 1)
}

// addDots sets cur[i] += Σ_j w[i·n+j]·x[j] for every row i (gonum's Sdot).
func addDots(cur, w, x []float32, n int) { addDotsGonum(cur, w, x, n) }

// addDotsSpikes is addDots for an x of zeros and ones.
func addDotsSpikes(cur, w, x []float32, n int) { addDotsGonum(cur, w, x, n) }

// sumRows sets y[e] += a[k]·w[idx[k]·stride + e] for every k, in order
// (a nil: every a[k] = 1).
func sumRows(y, w []float32, stride int, idx []int32, a []float32) {
	sumRowsGo(y, w, stride, idx, a)
}

// stepCurrents sets cur[t·stride + e] = b[e] + Σ_k w[idx[k]·stride + e]
// over the events k of step t, for every step t < T (stepCurrentsGo).
func stepCurrents(cur, b, w []float32, stride int, idx, off []int32, T int) {
	stepCurrentsGo(cur, stride, b, w, stride, idx, off, T)
}

// panelsFast is false: no panel kernels here, and layers keep the
// row-major layout.
var panelsFast = false

// stepCurrentsPanelsArch does nothing here (stepCurrentsPanels does every
// panel in Go).
func stepCurrentsPanelsArch(cur, b, w []float32, out, in int, idx, off []int32, T int) int { return 0 }

// groupAddPanelsArch does nothing here.
func groupAddPanelsArch(gW, m []float32, out, in, T int, js, off, steps []int32) int { return 0 }

// rateRegArch does nothing here (worker.regularize does every neuron).
func rateRegArch(m, count, psi []float32, spiked []bool, lambda, inv, rho float32) int { return 0 }

// hasAVX512 is false: no sixteen-lane kernels here (the tests that compare
// the kernel widths run once).
var hasAVX512 = false

// spikesDense sets dst[j] = 1 where s[j] and 0 elsewhere.
func spikesDense(dst []float32, s []bool) {
	for j, v := range s {
		dst[j] = b2f(v)
	}
}

// groupAddFast is false: groupAdd has no kernel here, and the summed
// update adds one input's rows at a time (sumRows, axpy) instead.
const groupAddFast = false

// groupAdd adds the grouped rows of m into rows of gW (groupAddGo).
func groupAdd(gW, m []float32, stride int, js, off, steps []int32) {
	groupAddGo(gW, stride, m, stride, stride, js, off, steps)
}
