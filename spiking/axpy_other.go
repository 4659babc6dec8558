//go:build !amd64 || purego

package spiking

// axpy sets y += a·x (len(y) ≤ len(x)).
func axpy(a float32, x, y []float32) {
	if len(y) == 0 {
		return
	}
	gonumBLAS.Saxpy(len(y), a, x[:len(y)], 1, y, 1)
}
