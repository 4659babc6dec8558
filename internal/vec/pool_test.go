package vec

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestMaxPool2HandComputed(t *testing.T) {
	// Two window rows of a 4 × 5 map (the odd last column is not read).
	y := []float32{
		1, 5, 2, 2, 9,
		3, 4, -1, 0, 9,
		-2, -3, 7, 8, 9,
		-4, -1, 8, 7, 9,
	}
	want := []float32{5, 2, -1, 8}
	withKernels(t, func(t *testing.T) {
		p := make([]float32, 4)
		MaxPool2(p, y, 2, 2, 5)
		if !slices.Equal(p, want) {
			t.Errorf("MaxPool2 = %v, want %v", p, want)
		}
	})
}

func TestUnpool2RoutesToFirstMaximum(t *testing.T) {
	y := []float32{
		1, 5, 2, 2, // windows: 5 at top right; the tie 2, 2 goes to the first
		3, 4, 2, 0,
		7, 7, 0, 1, // a tie across the window's rows goes to the top row
		7, 6, 0, 2, // and a larger bottom maximum wins over the top
	}
	g := []float32{10, 20, 30, 40}
	f := []float32{1, 2, 3, 0.5}
	want := []float32{
		0, 10, 40, 0,
		0, 0, 0, 0,
		90, 0, 0, 0,
		0, 0, 0, 20,
	}
	withKernels(t, func(t *testing.T) {
		d := slices.Repeat([]float32{sentinel}, 16)
		Unpool2(d, y, g, f, 2, 2, 4)
		if !slices.Equal(d, want) {
			t.Errorf("Unpool2 = %v, want %v", d, want)
		}
	})
}

// poolCase is a map shape for the comparisons against the Go loops:
// rows window rows of pw windows in rows of w floats.
type poolCase struct{ rows, pw, w int }

// poolCases cover no window, one, the ragged chunks around 8 and 16
// windows, several full chunks, odd widths and a stride wider than the
// windows (a map inside a larger one).
var poolCases = []poolCase{
	{1, 0, 0}, {1, 1, 2}, {3, 1, 3}, {2, 7, 14}, {4, 8, 17}, {14, 14, 28}, {2, 15, 30},
	{3, 16, 32}, {2, 17, 35}, {5, 31, 62}, {2, 33, 70}, {3, 48, 96},
}

// poolInput returns a map whose values repeat often (ties), with zeros of
// both signs.
func poolInput(n int, seed uint64) []float32 {
	rng := rand.New(rand.NewPCG(seed, 2))
	vals := []float32{0, float32(math.Copysign(0, -1)), 1, -1, 0.5, 2.25, -3}
	y := make([]float32, n)
	for i := range y {
		if rng.IntN(2) == 0 {
			y[i] = vals[rng.IntN(len(vals))]
		} else {
			y[i] = float32(rng.NormFloat64())
		}
	}
	return y
}

// TestPoolingMatchesGo checks every kernel set against the Go loops, bit
// for bit (the sign of a zero maximum included), and that nothing outside
// the windows is written.
func TestPoolingMatchesGo(t *testing.T) {
	withKernels(t, func(t *testing.T) {
		for i, c := range poolCases {
			ny, np := 2*c.rows*c.w, c.rows*c.pw
			y := poolInput(ny, uint64(i))
			g, f := poolInput(np, uint64(100+i)), poolInput(np, uint64(200+i))

			p, want := withGuard(np), withGuard(np)
			MaxPool2(p, y, c.rows, c.pw, c.w)
			maxPoolGo(want, y, c.rows, c.pw, c.w)
			checkBits(t, "MaxPool2", c, p[:np+guard], want[:np+guard])

			for _, scale := range [][]float32{nil, f} {
				d, want := withGuard(ny), withGuard(ny)
				Unpool2(d, y, g, scale, c.rows, c.pw, c.w)
				unpoolGo(want, y, g, scale, c.rows, c.pw, c.w)
				checkBits(t, "Unpool2", c, d[:ny+guard], want[:ny+guard])
			}
		}
	})
}

func checkBits(t *testing.T, name string, c poolCase, got, want []float32) {
	t.Helper()
	for i := range got {
		if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
			t.Errorf("%s %+v: [%d] = %v, want %v", name, c, i, got[i], want[i])
			return
		}
	}
}

func TestPoolingShortSlicesPanic(t *testing.T) {
	for _, tc := range []struct {
		name string
		f    func()
	}{
		{"MaxPool2 short y", func() { MaxPool2(make([]float32, 4), make([]float32, 7), 2, 2, 4) }},
		{"MaxPool2 short p", func() { MaxPool2(make([]float32, 3), make([]float32, 16), 2, 2, 4) }},
		{"MaxPool2 narrow rows", func() { MaxPool2(make([]float32, 4), make([]float32, 16), 2, 2, 3) }},
		{"Unpool2 short d", func() { Unpool2(make([]float32, 15), make([]float32, 16), make([]float32, 4), nil, 2, 2, 4) }},
		{"Unpool2 short f", func() {
			Unpool2(make([]float32, 16), make([]float32, 16), make([]float32, 4), make([]float32, 3), 2, 2, 4)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("no panic")
				}
			}()
			tc.f()
		})
	}
}
