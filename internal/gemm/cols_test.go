package gemm

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// mark keeps exactly the columns with a non-zero value (−0 is zero),
// and compress then expand gives back b with the other columns zero, on
// every kernel set, without touching the padding's neighbours.
func TestColsRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	negZero := float32(math.Copysign(0, -1))
	forEachKernel(t, func(t *testing.T) {
		ks := active.Load()
		for _, s := range []struct {
			name    string
			rows, n int
			zero    func(j int) bool
		}{
			{"MNIST-like borders", 60, 784, func(j int) bool { return j%28 < 5 || j%28 > 22 }},
			{"ragged width", 3, 333, func(j int) bool { return j%7 == 0 }},
			{"one chunk", 2, 16, func(j int) bool { return j > 9 }},
			{"less than a chunk", 4, 5, func(j int) bool { return j == 1 }},
			{"nothing kept", 3, 40, func(int) bool { return true }},
			{"everything kept", 3, 50, func(int) bool { return false }},
		} {
			b := make([]float32, s.rows*s.n)
			wantKept := 0
			for j := 0; j < s.n; j++ {
				if !s.zero(j) {
					wantKept++
				}
				for p := 0; p < s.rows; p++ {
					switch {
					case s.zero(j) && p%2 == 0:
						b[p*s.n+j] = negZero
					case !s.zero(j) && p == j%s.rows:
						b[p*s.n+j] = float32(rng.NormFloat64()) // one non-zero per kept column
					}
				}
			}
			c := new(cols)
			c.mark(ks, b, s.rows, s.n)
			if c.kept != wantKept {
				t.Errorf("%s: %d columns kept, want %d", s.name, c.kept, wantKept)
			}
			bc := make([]float32, s.rows*c.kept+colPad)
			c.compress(ks, bc, b, s.rows)
			full := make([]float32, s.rows*s.n+1)
			full[len(full)-1] = 42
			c.expand(ks, full, bc, s.rows)
			want := slices.Clone(b)
			for i := range want {
				if want[i] == 0 {
					want[i] = 0 // −0 comes back as +0
				}
			}
			for i := range want {
				if math.Float32bits(full[i]) != math.Float32bits(want[i]) {
					t.Errorf("%s: [%d] = %v after the round trip, want %v", s.name, i, full[i], want[i])
					break
				}
			}
			if full[len(full)-1] != 42 {
				t.Errorf("%s: expand wrote past its rows", s.name)
			}
		}
	})
}
