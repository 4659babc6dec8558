package gemm

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
)

// rowLog gathers the rows MulATBRows hands over and counts how often each
// row came.
type rowLog struct {
	mu    sync.Mutex
	n     int
	got   []float32
	times []int
}

func (l *rowLog) Rows(i0, i1 int, c []float32) {
	l.mu.Lock()
	defer l.mu.Unlock()
	copy(l.got[i0*l.n:i1*l.n], c[:(i1-i0)*l.n])
	for i := i0; i < i1; i++ {
		l.times[i]++
	}
}

// MulATBRows and MulATBRowsSparse hand over every row of MulATB's
// product exactly once, bit for bit, with one goroutine or several;
// MulATBRowsSparse also when b has all-zero columns, at the edges and in
// runs, as the blank pixels of a batch of MNIST images.
func TestMulATBRowsHandsOverEachRowOnce(t *testing.T) {
	for _, c := range []struct {
		name     string
		mul      func(a, b []float32, m, n, k int, r Rows)
		zeroCols func(j, n int) bool
	}{
		{"MulATBRows", MulATBRows, nil},
		{"MulATBRowsSparse, dense b", MulATBRowsSparse, nil},
		{"MulATBRowsSparse, zero borders and stripes", MulATBRowsSparse, func(j, n int) bool { return j < n/5 || j >= n-n/5 || j%28 < 4 || j%28 >= 24 }},
		{"MulATBRowsSparse, all zero", MulATBRowsSparse, func(int, int) bool { return true }},
		{"MulATBRowsSparse, every other column", MulATBRowsSparse, func(j, n int) bool { return j%2 == 1 }},
	} {
		t.Run(c.name, func(t *testing.T) { testRows(t, c.mul, c.zeroCols) })
	}
}

func testRows(t *testing.T, mul func(a, b []float32, m, n, k int, r Rows), zeroCols func(j, n int) bool) {
	rng := rand.New(rand.NewPCG(21, 22))
	defer SetThreads(0)
	for _, threads := range []int{1, 2} {
		SetThreads(threads)
		t.Run(fmt.Sprintf("%d threads", threads), func(t *testing.T) {
			forEachKernel(t, func(t *testing.T) {
				for _, s := range []struct {
					name    string
					m, n, k int
				}{
					{"hidden layer", 1000, 784, 60},
					{"aliasing stride, several strips", 200, 1024, 32},
					{"ragged rows and lanes", 37, 333, 9},
					{"k above the k block", 40, 130, kcMax + 5},
					{"narrow product (swapped)", 500, 3, 20},
					{"one row", 1, 100, 4},
					{"k = 0", 7, 200, 0},
				} {
					a, b := randSlice(rng, s.m*s.k), randSlice(rng, s.k*s.n)
					if zeroCols != nil {
						for p := 0; p < s.k; p++ {
							for j := 0; j < s.n; j++ {
								if zeroCols(j, s.n) {
									b[p*s.n+j] = 0
								}
							}
						}
					}
					want := make([]float32, s.m*s.n)
					MulATB(want, a, b, s.m, s.n, s.k)
					l := &rowLog{n: s.n, got: make([]float32, s.m*s.n), times: make([]int, s.m)}
					withKnobs(kcMax, kcDot, 0, func() {
						old := stripBytes
						defer func() { stripBytes = old }()
						stripBytes = 64 << 10 // several strips even at these sizes
						mul(a, b, s.m, s.n, s.k, l)
					})
					if !slices.Equal(l.got, want) {
						t.Errorf("%s: rows differ from MulATB", s.name)
					}
					for i, c := range l.times {
						if c != 1 {
							t.Errorf("%s: row %d handed over %d times, want 1", s.name, i, c)
							break
						}
					}
				}
			})
		})
	}
}

// A b too short for its shape is a programming error, named in the panic.
func TestMulATBRowsShortSlicePanics(t *testing.T) {
	for name, mul := range map[string]func(a, b []float32, m, n, k int, r Rows){
		"MulATBRows": MulATBRows, "MulATBRowsSparse": MulATBRowsSparse,
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if msg, _ := recover().(string); msg != "gemm: "+name+": slice too short for the shape" {
					t.Fatalf("panic %q, want the short slice named", msg)
				}
			}()
			mul(make([]float32, 6), make([]float32, 5), 2, 3, 2, nopRows{})
		})
	}
}
