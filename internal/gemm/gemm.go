// Package gemm holds the float32 matrix products the layers are built on.
//
// All matrices are dense, row-major and contiguous. Every function writes
// its result into dst (overwriting it) and never modifies its inputs.
//
//	MulABT:  dst[m×n] = a[m×k] · b[n×k]ᵀ   (forward pass: Y = X Wᵀ)
//	MulAB:   dst[m×n] = a[m×k] · b[k×n]    (backward pass: δX = δZ W)
//	MulATB:  dst[m×n] = a[k×m]ᵀ · b[k×n]   (weight gradient: ∇W = δZᵀ X)
package gemm

import (
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
)

func check(name string, dst, a, b []float32, la, lb, m, n int) {
	if len(dst) < m*n || len(a) < la || len(b) < lb {
		panic("gemm: " + name + ": slice too short for the shape")
	}
}

// MulABT sets dst[m×n] = a[m×k] · b[n×k]ᵀ.
func MulABT(dst, a, b []float32, m, n, k int) {
	check("MulABT", dst, a, b, m*k, n*k, m, n)
	if m == 0 || n == 0 {
		return
	}
	blas32.Implementation().Sgemm(blas.NoTrans, blas.Trans, m, n, k, 1, a, k, b, k, 0, dst, n)
}

// MulAB sets dst[m×n] = a[m×k] · b[k×n].
func MulAB(dst, a, b []float32, m, n, k int) {
	check("MulAB", dst, a, b, m*k, k*n, m, n)
	if m == 0 || n == 0 {
		return
	}
	blas32.Implementation().Sgemm(blas.NoTrans, blas.NoTrans, m, n, k, 1, a, k, b, n, 0, dst, n)
}

// MulATB sets dst[m×n] = a[k×m]ᵀ · b[k×n].
func MulATB(dst, a, b []float32, m, n, k int) {
	check("MulATB", dst, a, b, k*m, k*n, m, n)
	if m == 0 || n == 0 {
		return
	}
	blas32.Implementation().Sgemm(blas.Trans, blas.NoTrans, m, n, k, 1, a, m, b, n, 0, dst, n)
}
