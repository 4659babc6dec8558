package dataset

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func equalSets(a, b *Set) bool {
	return a.N == b.N && a.Features == b.Features && a.Outputs == b.Outputs && a.Shape == b.Shape &&
		slices.Equal(a.X, b.X) && slices.Equal(a.T, b.T) && slices.Equal(a.Labels, b.Labels)
}

func TestSynthRegressionShapes(t *testing.T) {
	tests := []struct {
		name          string
		nTrain, nTest int
	}{
		{"paper sizes (DESIGN.md: 5k/1k)", 5000, 1000},
		{"small", 7, 3},
		{"empty test set", 4, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			train, test := SynthRegression(1, tt.nTrain, tt.nTest)
			for _, c := range []struct {
				s    *Set
				name string
				n    int
			}{{train, "synth-regression-train", tt.nTrain}, {test, "synth-regression-test", tt.nTest}} {
				s := c.s
				if s.Name != c.name || s.N != c.n || s.Features != 256 || s.Outputs != 10 || s.Shape != [3]int{1, 1, 256} ||
					len(s.X) != c.n*256 || len(s.T) != c.n*10 || s.Labels != nil || s.Classes() {
					t.Errorf("%s: N=%d F=%d O=%d shape %v |X|=%d |T|=%d labels %v; want %s N=%d F=256 O=10 {1,1,256} no labels",
						s.Name, s.N, s.Features, s.Outputs, s.Shape, len(s.X), len(s.T), s.Labels != nil, c.name, c.n)
				}
			}
		})
	}
}

func TestSynthRegressionFollowsEquations(t *testing.T) {
	train, _ := SynthRegression(7, 2000, 0)
	var meanVar float64
	inner := 0 // samples with |μ| < π/2: half of U(−π, π)
	for i := range train.N {
		x := train.X[i*256 : (i+1)*256]
		var sum, sum2 float64
		for _, v := range x {
			sum += float64(v)
		}
		mean := sum / 256
		for _, v := range x {
			sum2 += (float64(v) - mean) * (float64(v) - mean)
		}
		meanVar += sum2 / 255 / float64(train.N)
		if math.Abs(mean) < math.Pi/2 {
			inner++
		}
		// The sample mean of 256 N(μ,1) has std 1/16: |mean| <= π + 8/16.
		if math.Abs(mean) > math.Pi+0.5 {
			t.Fatalf("sample %d: mean(x) = %v, outside [−π−0.5, π+0.5] (eq. 3)", i, mean)
		}
		for j := range 10 {
			want := math.Cos(mean + RegressionPhase(j)) // eq. 4
			got := float64(train.T[i*10+j])
			if got < -1 || got > 1 || math.Abs(got-want) > 1e-6 { // float32 rounding: 6e-8
				t.Fatalf("sample %d target %d = %v, want cos(%v + %v) = %v", i, j, got, mean, RegressionPhase(j), want)
			}
		}
	}
	// Within-sample variance of N(μ,1): 1; its average over 2000 samples has std √(2/255)/√2000 ≈ 0.002.
	if math.Abs(meanVar-1) > 0.02 {
		t.Errorf("mean within-sample variance %v, want 1 (eq. 3)", meanVar)
	}
	// Binomial(2000, 1/2): std 22; allow 5 std.
	if inner < 1000-110 || inner > 1000+110 {
		t.Errorf("%d of 2000 samples have |μ| < π/2, want about 1000 (μ ~ U(−π, π), eq. 3)", inner)
	}
}

func TestRegressionPhase(t *testing.T) {
	// φ_j = −π/2 + jπ/9 (DESIGN.md), written π(j − 4.5)/9 in synth_dataset_gen.py.
	for j := range 10 {
		if got, want := RegressionPhase(j), math.Pi*(float64(j)-4.5)/9; math.Abs(got-want) > 1e-15 {
			t.Errorf("φ_%d = %v, want %v", j, got, want)
		}
	}
}

func TestSynthSeeds(t *testing.T) {
	type gen func(seed uint64, nTrain, nTest int) (*Set, *Set)
	tests := []struct {
		name string
		gen  gen
	}{
		{"regression", SynthRegression},
		{"classification", SynthClassification},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a1, b1 := tt.gen(3, 60, 20)
			a2, b2 := tt.gen(3, 60, 20)
			if !equalSets(a1, a2) || !equalSets(b1, b2) {
				t.Error("the same seed gave different sets")
			}
			a3, b3 := tt.gen(4, 60, 20)
			if slices.Equal(a1.X, a3.X) || slices.Equal(b1.X, b3.X) || slices.Equal(a1.T, a3.T) {
				t.Error("seeds 3 and 4 gave the same sets")
			}
			if slices.Equal(a1.X[:20*256], b1.X) {
				t.Error("train and test sets begin with the same samples")
			}
		})
	}
}

func TestSynthRegressionTestSetIndependentOfTrainSize(t *testing.T) {
	_, b1 := SynthRegression(5, 10, 8)
	_, b2 := SynthRegression(5, 30, 8)
	if !equalSets(b1, b2) {
		t.Error("the test set changed with nTrain")
	}
}

func TestSynthClassificationShapesAndSplit(t *testing.T) {
	train, test := SynthClassification(11, 300, 200)
	for _, c := range []struct {
		s    *Set
		name string
		n    int
	}{{train, "synth-classification-train", 300}, {test, "synth-classification-test", 200}} {
		s := c.s
		if s.Name != c.name || s.N != c.n || s.Features != 256 || s.Outputs != 10 || s.Shape != [3]int{1, 1, 256} ||
			len(s.X) != c.n*256 || len(s.T) != c.n*10 || len(s.Labels) != c.n || !s.Classes() {
			t.Fatalf("%s: N=%d F=%d O=%d shape %v, want %s N=%d F=256 O=10 {1,1,256} with labels", s.Name, s.N, s.Features, s.Outputs, s.Shape, c.name, c.n)
		}
		for i, l := range s.Labels {
			if l < 0 || l >= 10 {
				t.Fatalf("%s: label %d of sample %d", s.Name, l, i)
			}
			for j := range 10 {
				want := float32(0)
				if j == l {
					want = 1
				}
				if s.T[i*10+j] != want {
					t.Fatalf("%s: T of sample %d is not the one-hot of %d (eq. 2)", s.Name, i, l)
				}
			}
		}
	}
	// synth_dataset_gen.py draws train+test at once and splits after the
	// shuffle: another split of the same total is the same draw.
	train2, test2 := SynthClassification(11, 100, 400)
	all := slices.Concat(train.X, test.X)
	all2 := slices.Concat(train2.X, test2.X)
	if !slices.Equal(all, all2) || !slices.Equal(slices.Concat(train.Labels, test.Labels), slices.Concat(train2.Labels, test2.Labels)) {
		t.Error("300/200 and 100/400 splits are not the same 500 samples")
	}
}

func TestSynthClassificationStructure(t *testing.T) {
	const nTrain, nTest, f = 2000, 500, 256
	train, test := SynthClassification(1, nTrain, nTest)

	t.Run("classes balanced within flip_y", func(t *testing.T) {
		var counts [10]int
		for _, l := range slices.Concat(train.Labels, test.Labels) {
			counts[l]++
		}
		// 250 per class before eq. 8; flips ~ Binomial(2500, 0.01): mean 25, std 5;
		// a class loses or gains at most all of them: allow 25 + 5·5.
		for c, n := range counts {
			if n < 250-50 || n > 250+50 {
				t.Errorf("class %d has %d of 2500 samples, want 250 ± 50", c, n)
			}
		}
	})

	t.Run("128 informative features", func(t *testing.T) {
		// Variance of an informative feature: class_sep² + 128/3 ≈ 62.9
		// (centroid ±4.5, eq. 5, plus z·A with Var(A) = 1/3, eq. 6); noise: 1 (eq. 7).
		informative := 0
		for j := range f {
			var s, s2 float64
			for i := range nTrain {
				x := float64(train.X[i*f+j])
				s, s2 = s+x, s2+x*x
			}
			m := s / nTrain
			v := s2/nTrain - m*m
			switch {
			case v > 40:
				informative++
			case v > 1.5:
				t.Errorf("feature %d has variance %v, neither ≈1 (noise) nor ≈63 (informative)", j, v)
			}
		}
		if informative != 128 {
			t.Errorf("%d informative features, want 128", informative)
		}
	})

	t.Run("nearest class mean beats chance", func(t *testing.T) {
		var means [10][f]float64
		var counts [10]int
		for i, l := range train.Labels {
			counts[l]++
			for j := range f {
				means[l][j] += float64(train.X[i*f+j])
			}
		}
		for c := range means {
			for j := range f {
				means[c][j] /= float64(counts[c])
			}
		}
		right := 0
		for i, l := range test.Labels {
			best, bestD := -1, math.Inf(1)
			for c := range means {
				var d float64
				for j := range f {
					e := float64(test.X[i*f+j]) - means[c][j]
					d += e * e
				}
				if d < bestD {
					best, bestD = c, d
				}
			}
			if best == l {
				right++
			}
		}
		// Chance is 10%; seed 1 gives 86.6% (5 clusters per class make the
		// class means imperfect). Shuffled labels or features would give ~10%.
		if acc := float64(right) / nTest; acc < 0.5 {
			t.Errorf("nearest-class-mean test accuracy %v, want > 0.5", acc)
		}
	})
}

// vertexLabels generates a two-informative-feature set whose clusters are
// far apart (class_sep 100 against cluster spreads of a few units) and
// returns, per sample, the signs of its two informative features as a vertex
// index 0..3 and its label, and the number of features with |x| > 50.
func vertexLabels(t *testing.T, p ClassificationParams, n int, seed uint64) (vertex, labels []int, wide int) {
	t.Helper()
	x, y, err := MakeClassification(p, n, rand.New(rand.NewPCG(seed, 0)))
	if err != nil {
		t.Fatal(err)
	}
	var cols []int
	for j := range p.Features {
		if math.Abs(float64(x[j])) > 50 {
			cols = append(cols, j)
		}
	}
	vertex = make([]int, n)
	for i := range n {
		for b, j := range cols {
			v := float64(x[i*p.Features+j])
			if math.Abs(math.Abs(v)-p.ClassSep) > 20 {
				t.Fatalf("sample %d feature %d = %v, not near ±%v (eq. 5)", i, j, v, p.ClassSep)
			}
			if v > 0 {
				vertex[i] |= 1 << b
			}
		}
	}
	return vertex, y, len(cols)
}

func TestMakeClassificationClustersOnVertices(t *testing.T) {
	// 2 informative features, 2 classes × 2 clusters: all 4 vertices of the square.
	p := ClassificationParams{Features: 5, Informative: 2, Classes: 2, ClustersPerClass: 2, ClassSep: 100}
	vertex, labels, wide := vertexLabels(t, p, 400, 1)
	if wide != 2 {
		t.Fatalf("%d features far from 0, want the 2 informative ones", wide)
	}
	label := map[int]int{} // vertex → label
	size := map[int]int{}
	for i, v := range vertex {
		if l, ok := label[v]; ok && l != labels[i] {
			t.Fatalf("vertex %d holds labels %d and %d with flip_y = 0", v, l, labels[i])
		}
		label[v] = labels[i]
		size[v]++
	}
	perClass := map[int]int{}
	for v, l := range label {
		perClass[l]++
		if size[v] != 100 { // 400 samples over 4 clusters (eq. 5)
			t.Errorf("vertex %d holds %d samples, want 100", v, size[v])
		}
	}
	if len(label) != 4 || perClass[0] != 2 || perClass[1] != 2 {
		t.Errorf("vertices → labels %v, want 4 vertices, 2 per class", label)
	}
}

func TestMakeClassificationFlipsLabels(t *testing.T) {
	// With flip_y = 0.2 and 2 classes, a flipped label keeps its class half the
	// time (eq. 8): 10% of the labels disagree with their cluster's class.
	p := ClassificationParams{Features: 3, Informative: 2, Classes: 2, ClustersPerClass: 2, ClassSep: 100, FlipY: 0.2}
	const n = 4000
	vertex, labels, _ := vertexLabels(t, p, n, 2)
	var votes [4][2]int
	for i, v := range vertex {
		votes[v][labels[i]]++
	}
	minority := 0
	for _, v := range votes {
		minority += min(v[0], v[1])
	}
	// Binomial(4000, 0.1): mean 400, std 19; allow 5 std.
	if minority < 400-95 || minority > 400+95 {
		t.Errorf("%d of %d labels disagree with their cluster, want about 400", minority, n)
	}
}

func TestMakeClassificationRejectsBadParams(t *testing.T) {
	good := PaperClassification
	tests := []struct {
		name   string
		modify func(p *ClassificationParams)
		inMsg  string
	}{
		{"more informative than features", func(p *ClassificationParams) { p.Informative = 300 }, "exceed"},
		{"50 clusters on a 5-cube (32 vertices)", func(p *ClassificationParams) { p.Informative = 5 }, "hypercube"},
		{"zero classes", func(p *ClassificationParams) { p.Classes = 0 }, "positive"},
		{"flip_y above 1", func(p *ClassificationParams) { p.FlipY = 1.5 }, "flip_y"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := good
			tt.modify(&p)
			_, _, err := MakeClassification(p, 10, rand.New(rand.NewPCG(1, 1)))
			if err == nil || !strings.Contains(err.Error(), tt.inMsg) {
				t.Fatalf("err = %v, want one saying %q", err, tt.inMsg)
			}
		})
	}
	if _, _, err := MakeClassification(good, 10, rand.New(rand.NewPCG(1, 1))); err != nil {
		t.Fatalf("PaperClassification rejected: %v", err)
	}
}

func TestHypercubeDistinctVertices(t *testing.T) {
	tests := []struct {
		name          string
		samples, dims int
	}{
		{"all vertices of the 3-cube", 8, 3},
		{"50 of the 128-cube (the paper's)", 50, 128},
		{"31 dims: one leading random bit, 30 distinct", 64, 31},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := hypercube(tt.samples, tt.dims, rand.New(rand.NewPCG(9, 9)))
			seen := map[string]bool{}
			ones := 0
			for s := range tt.samples {
				row := v[s*tt.dims : (s+1)*tt.dims]
				for _, b := range row {
					if b > 1 {
						t.Fatalf("coordinate %d is not 0 or 1", b)
					}
					ones += int(b)
				}
				if seen[string(row)] {
					t.Fatalf("vertex %v drawn twice", row)
				}
				seen[string(row)] = true
			}
			// Coordinates are fair bits: the fraction of ones is 1/2 ± 5 std.
			total := float64(tt.samples * tt.dims)
			if f := float64(ones) / total; math.Abs(f-0.5) > 5*0.5/math.Sqrt(total) {
				t.Errorf("fraction of ones %v, want 1/2", f)
			}
		})
	}
}

func BenchmarkSynthClassificationPaper(b *testing.B) {
	for b.Loop() {
		SynthClassification(1, 25000, 5000)
	}
}

func BenchmarkSynthRegressionPaper(b *testing.B) {
	for b.Loop() {
		SynthRegression(1, 5000, 1000)
	}
}
