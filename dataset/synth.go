package dataset

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Random streams of the synthetic sets: rand.NewPCG(seed, stream). Train and
// test regression sets use separate streams, so the test set of a seed does
// not depend on nTrain.
const (
	streamRegressionTrain = 1
	streamRegressionTest  = 2
	streamClassification  = 3
)

// Sizes of the paper's synthetic sets (DESIGN.md "The paper's protocol").
const (
	SynthFeatures = 256 // inputs per sample of both synthetic sets
	SynthOutputs  = 10  // regression targets, or classes
)

// SynthRegression returns the paper's synthetic regression sets (eqs. 3–4):
// nTrain and nTest samples of 256 inputs and 10 real targets in [−1,1],
// Shape {1,1,256}, Labels nil. The paper uses 5000/1000. The same seed gives
// the same sets. It panics if nTrain or nTest is negative.
func SynthRegression(seed uint64, nTrain, nTest int) (train, test *Set) {
	train = regressionSet("synth-regression-train", nTrain, rand.New(rand.NewPCG(seed, streamRegressionTrain)))
	test = regressionSet("synth-regression-test", nTest, rand.New(rand.NewPCG(seed, streamRegressionTest)))
	return train, test
}

// regressionSet draws n samples of eqs. 3–4 from rng.
func regressionSet(name string, n int, rng *rand.Rand) *Set {
	if n < 0 {
		panic(fmt.Sprintf("dataset: %s: negative sample count %d", name, n))
	}
	const f, c = SynthFeatures, SynthOutputs
	s := &Set{
		Name:     name,
		X:        make([]float32, n*f),
		T:        make([]float32, n*c),
		N:        n,
		Features: f,
		Outputs:  c,
		Shape:    [3]int{1, 1, f},
	}
	for i := range n {
		mu := math.Pi * (2*rng.Float64() - 1) // eq. 3: μ ~ U(−π, π)
		x := s.X[i*f : (i+1)*f]
		var sum float64
		for k := range x {
			x[k] = float32(mu + rng.NormFloat64()) // eq. 3: x_k ~ N(μ, 1)
			sum += float64(x[k])                   // the mean of the stored values, so eq. 4 holds exactly on X
		}
		mean := sum / f
		t := s.T[i*c : (i+1)*c]
		for j := range t {
			t[j] = float32(math.Cos(mean + RegressionPhase(j))) // eq. 4
		}
	}
	return s
}

// RegressionPhase returns φ_j = −π/2 + jπ/9 (radians), the phase of target j
// of the synthetic regression task (eq. 4).
func RegressionPhase(j int) float64 { return -math.Pi/2 + float64(j)*math.Pi/9 }

// ClassificationParams are the arguments of scikit-learn's
// make_classification that this package implements (eqs. 5–9), with
// n_redundant = n_repeated = 0, hypercube = True, shift = 0, scale = 1,
// equal class weights and shuffle = True fixed.
type ClassificationParams struct {
	Features         int     // n_features: inputs per sample
	Informative      int     // n_informative: features carrying the clusters; the rest are N(0,1) noise
	Classes          int     // n_classes
	ClustersPerClass int     // n_clusters_per_class
	ClassSep         float64 // class_sep: centroid coordinates are ±ClassSep
	FlipY            float64 // flip_y: fraction of labels replaced by a uniformly drawn class
}

// PaperClassification are the parameters of the paper's synthetic
// classification task (synth_dataset_gen.py in the released code; flip_y is
// make_classification's default, 0.01, as the script does not set it).
var PaperClassification = ClassificationParams{
	Features:         SynthFeatures,
	Informative:      128,
	Classes:          SynthOutputs,
	ClustersPerClass: 5,
	ClassSep:         4.5,
	FlipY:            0.01,
}

// validate reports parameter combinations make_classification rejects.
func (p ClassificationParams) validate() error {
	switch {
	case p.Features < 1 || p.Informative < 1 || p.Classes < 1 || p.ClustersPerClass < 1:
		return fmt.Errorf("dataset: make classification: sizes must be positive: %+v", p)
	case p.Informative > p.Features:
		return fmt.Errorf("dataset: make classification: %d informative features exceed %d features", p.Informative, p.Features)
	case p.Classes*p.ClustersPerClass > 1<<min(p.Informative, 30):
		return fmt.Errorf("dataset: make classification: %d clusters do not fit on the vertices of a %d-dimensional hypercube", p.Classes*p.ClustersPerClass, p.Informative)
	case p.FlipY < 0 || p.FlipY > 1 || math.IsNaN(p.ClassSep):
		return fmt.Errorf("dataset: make classification: flip_y %g not in [0,1] or class_sep NaN", p.FlipY)
	}
	return nil
}

// SynthClassification returns the paper's synthetic classification sets:
// MakeClassification(PaperClassification) over nTrain+nTest samples, of which
// the first nTrain (after the shuffle) form the training set and the rest the
// test set, as synth_dataset_gen.py splits them. Both share the same clusters.
// 256 features, 10 classes, one-hot targets, Shape {1,1,256}; the paper uses
// 25000/5000. The same seed gives the same sets. It panics if nTrain or nTest
// is negative.
func SynthClassification(seed uint64, nTrain, nTest int) (train, test *Set) {
	if nTrain < 0 || nTest < 0 {
		panic(fmt.Sprintf("dataset: SynthClassification: negative sample count (%d, %d)", nTrain, nTest))
	}
	p := PaperClassification
	x, y, err := MakeClassification(p, nTrain+nTest, rand.New(rand.NewPCG(seed, streamClassification)))
	if err != nil {
		panic("dataset: PaperClassification: " + err.Error()) // the fixed parameters are valid
	}
	f := p.Features
	all := &Set{
		Name:     "synth-classification-train",
		X:        x,
		T:        make([]float32, (nTrain+nTest)*p.Classes),
		Labels:   y,
		N:        nTrain + nTest,
		Features: f,
		Outputs:  p.Classes,
		Shape:    [3]int{1, 1, f},
	}
	oneHot(all.T, y, p.Classes) // eq. 2
	train = all.Head(nTrain)
	test = &Set{
		Name:     "synth-classification-test",
		X:        all.X[nTrain*f:],
		T:        all.T[nTrain*p.Classes:],
		Labels:   all.Labels[nTrain:],
		N:        nTest,
		Features: f,
		Outputs:  p.Classes,
		Shape:    all.Shape,
	}
	return train, test
}

// MakeClassification draws n samples by scikit-learn's make_classification
// algorithm (eqs. 5–9) from rng and returns the n×p.Features inputs
// (row-major) and the n class indices. It returns an error for parameters
// make_classification rejects, and panics if n is negative.
//
// The random draws follow sklearn's order (centroid vertices, informative
// normals, one covariance matrix per cluster, noise features, label flips,
// sample shuffle, feature shuffle), but from a PCG stream, not NumPy's
// Mersenne Twister, so the samples differ from sklearn's for any seed.
func MakeClassification(p ClassificationParams, n int, rng *rand.Rand) (x []float32, y []int, err error) {
	if err := p.validate(); err != nil {
		return nil, nil, err
	}
	if n < 0 {
		panic(fmt.Sprintf("dataset: MakeClassification: negative sample count %d", n))
	}
	nInf, nF := p.Informative, p.Features
	nClusters := p.Classes * p.ClustersPerClass

	// Samples per cluster: equal shares, the remainder spread one by one
	// from cluster 0 (sklearn with weights = None).
	perCluster := make([]int, nClusters)
	for k := range perCluster {
		perCluster[k] = n / nClusters
	}
	for i := range n - n/nClusters*nClusters {
		perCluster[i%nClusters]++
	}

	// eq. 5: distinct hypercube vertices, scaled to ±class_sep.
	vertices := hypercube(nClusters, nInf, rng)
	centroids := make([]float64, nClusters*nInf)
	for i, b := range vertices {
		centroids[i] = float64(b)*2*p.ClassSep - p.ClassSep
	}

	// eq. 6: informative features z ~ N(0, I), then per cluster x = z·A_k + c_k.
	z := make([]float64, n*nInf)
	for i := range z {
		z[i] = rng.NormFloat64()
	}
	labels := make([]int, n)
	xs := make([]float32, n*nF) // sample-major, informative features first
	a := make([]float64, nInf*nInf)
	row := make([]float64, nInf)
	start := 0
	for k := range nClusters {
		for i := range a {
			a[i] = 2*rng.Float64() - 1 // A_k ~ U(−1, 1)
		}
		c := centroids[k*nInf : (k+1)*nInf]
		for s := start; s < start+perCluster[k]; s++ {
			labels[s] = k % p.Classes
			copy(row, c)
			zs := z[s*nInf : (s+1)*nInf]
			for m, zm := range zs {
				am := a[m*nInf : (m+1)*nInf]
				for j := range row {
					row[j] += zm * am[j]
				}
			}
			dst := xs[s*nF : s*nF+nInf]
			for j, v := range row {
				dst[j] = float32(v)
			}
		}
		start += perCluster[k]
	}

	// eq. 7: the remaining features are N(0, 1) noise.
	for s := range n {
		for j := nInf; j < nF; j++ {
			xs[s*nF+j] = float32(rng.NormFloat64())
		}
	}

	// eq. 8: a fraction flip_y of the labels replaced by a uniform class.
	flip := make([]bool, n)
	for s := range flip {
		flip[s] = rng.Float64() < p.FlipY
	}
	for s, f := range flip {
		if f {
			labels[s] = rng.IntN(p.Classes)
		}
	}

	// eq. 9: shuffle the samples, then the features.
	order := rng.Perm(n)
	cols := make([]int, nF)
	for j := range cols {
		cols[j] = j
	}
	rng.Shuffle(nF, func(i, j int) { cols[i], cols[j] = cols[j], cols[i] })
	x = make([]float32, n*nF)
	y = make([]int, n)
	for s, from := range order {
		y[s] = labels[from]
		src, dst := xs[from*nF:(from+1)*nF], x[s*nF:(s+1)*nF]
		for j, cj := range cols {
			dst[j] = src[cj]
		}
	}
	return x, y, nil
}

// hypercube returns samples distinct vertices of the dims-dimensional unit
// hypercube as a samples×dims row-major matrix of 0/1, as sklearn's
// _generate_hypercube: beyond 30 dimensions the leading dims−30 coordinates
// are independent random bits and distinctness comes from the last 30,
// drawn as distinct integers in [0, 2^30) read most significant bit first.
// The caller ensures samples <= 2^dims.
func hypercube(samples, dims int, rng *rand.Rand) []uint8 {
	out := make([]uint8, samples*dims)
	lead := max(dims-30, 0)
	for s := range samples {
		for j := range lead {
			out[s*dims+j] = uint8(rng.IntN(2))
		}
	}
	tail := dims - lead
	seen := make(map[uint64]bool, samples)
	for s := range samples {
		v := rng.Uint64N(1 << tail)
		for seen[v] {
			v = rng.Uint64N(1 << tail)
		}
		seen[v] = true
		for j := range tail {
			out[s*dims+lead+j] = uint8(v >> (tail - 1 - j) & 1)
		}
	}
	return out
}
