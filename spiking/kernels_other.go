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
