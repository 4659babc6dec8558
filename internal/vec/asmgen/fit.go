package main

import (
	"math"
)

// chebFit returns the monomial coefficients c[0..deg] of the polynomial of
// degree deg that interpolates f at the deg+1 Chebyshev nodes of [lo, hi]:
// a near-minimax approximation (its maximum error is within a small factor
// of the best one's for smooth f). The Vandermonde system is solved by
// Gaussian elimination with partial pivoting in float64, well conditioned
// at the low degrees and short intervals used here.
func chebFit(f func(float64) float64, lo, hi float64, deg int) []float64 {
	n := deg + 1
	a := make([][]float64, n)
	for j := range a {
		x := (lo+hi)/2 + (hi-lo)/2*math.Cos(math.Pi*(float64(j)+0.5)/float64(n))
		row := make([]float64, n+1)
		xp := 1.0
		for i := 0; i < n; i++ {
			row[i] = xp
			xp *= x
		}
		row[n] = f(x)
		a[j] = row
	}
	for c := 0; c < n; c++ {
		piv := c
		for r := c + 1; r < n; r++ {
			if math.Abs(a[r][c]) > math.Abs(a[piv][c]) {
				piv = r
			}
		}
		a[c], a[piv] = a[piv], a[c]
		for r := c + 1; r < n; r++ {
			q := a[r][c] / a[c][c]
			for k := c; k <= n; k++ {
				a[r][k] -= q * a[c][k]
			}
		}
	}
	coef := make([]float64, n)
	for r := n - 1; r >= 0; r-- {
		s := a[r][n]
		for k := r + 1; k < n; k++ {
			s -= a[r][k] * coef[k]
		}
		coef[r] = s / a[r][r]
	}
	return coef
}

// expTail is (e^r − 1 − r)/r², the part of e^r left to the polynomial
// (eq. 4 of the package doc), by its series near 0 where the direct
// formula cancels.
func expTail(r float64) float64 {
	if math.Abs(r) < 1e-3 {
		return 1.0/2 + r*(1.0/6+r*(1.0/24+r*(1.0/120)))
	}
	return (math.Expm1(r) - r) / (r * r)
}

// fitExp returns the coefficients of Q, rounded to float32.
func fitExp() []float32 {
	var q []float32
	for _, c := range chebFit(expTail, -math.Ln2/2, math.Ln2/2, expDeg) {
		q = append(q, float32(c))
	}
	return q
}
