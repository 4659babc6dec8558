package dataset

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestFlipHorizontal(t *testing.T) {
	// Two channels of 2 × 3: each row reversed, channels and rows kept.
	x := []float32{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}
	FlipHorizontal(x, [3]int{2, 2, 3})
	want := []float32{3, 2, 1, 6, 5, 4, 9, 8, 7, 12, 11, 10}
	for i := range want {
		if x[i] != want[i] {
			t.Fatalf("flipped = %v, want %v", x, want)
		}
	}
}

// flipSet is a set of n images of 3 × 2 × 4 whose value j of image i is
// 100·i + j.
func flipSet(n int) *Set {
	s := &Set{Name: "flip", N: n, Features: 24, Shape: [3]int{3, 2, 4}, X: make([]float32, n*24)}
	for i := range s.X {
		s.X[i] = float32(100*(i/24) + i%24)
	}
	return s
}

// TestRandomFlipDrawAndRestore: after Draw each image is either itself or
// its mirror image, as Flipped says; Restore gives back the original set.
func TestRandomFlipDrawAndRestore(t *testing.T) {
	const n = 200
	s, orig := flipSet(n), flipSet(n)
	var f RandomFlip
	rng := rand.New(rand.NewPCG(1, 2))
	for epoch := 0; epoch < 3; epoch++ {
		f.Draw(s, rng)
		mirrored := 0
		for i := 0; i < n; i++ {
			want := append([]float32{}, orig.X[i*24:(i+1)*24]...)
			if f.Flipped(i) {
				FlipHorizontal(want, orig.Shape)
				mirrored++
			}
			for j := range want {
				if s.X[i*24+j] != want[j] {
					t.Fatalf("epoch %d, image %d (flipped %v): value %d is %g, want %g", epoch, i, f.Flipped(i), j, s.X[i*24+j], want[j])
				}
			}
		}
		// Binomial(200, 1/2): mean 100, sd ≈ 7.1; 60..140 is beyond 5 sd.
		if mirrored < 60 || mirrored > 140 {
			t.Errorf("epoch %d: %d of %d images mirrored, want about half", epoch, mirrored, n)
		}
	}
	f.Restore(s)
	for i := range s.X {
		if s.X[i] != orig.X[i] {
			t.Fatalf("after Restore, value %d is %g, want %g", i, s.X[i], orig.X[i])
		}
	}
}

// TestRandomFlipDrawsAreIndependentAndSeeded: the same seed gives the same
// orientations; successive epochs change about half of them.
func TestRandomFlipDrawsAreIndependentAndSeeded(t *testing.T) {
	const n = 1000
	draw := func(seed uint64, epochs int) []bool {
		var f RandomFlip
		s := flipSet(n)
		rng := rand.New(rand.NewPCG(seed, 0))
		out := make([]bool, 0, n*epochs)
		for e := 0; e < epochs; e++ {
			f.Draw(s, rng)
			for i := 0; i < n; i++ {
				out = append(out, f.Flipped(i))
			}
		}
		return out
	}
	a, b := draw(7, 2), draw(7, 2)
	changed := 0
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("orientation %d differs between runs with the same seed", i)
		}
		if i < n && a[i] != a[n+i] {
			changed++
		}
	}
	// Independent fair draws differ with probability 1/2: 500 ± 16 (sd);
	// 400..600 is beyond 6 sd.
	if math.Abs(float64(changed)-n/2) > 100 {
		t.Errorf("%d of %d orientations changed between epochs, want about half", changed, n)
	}
}
