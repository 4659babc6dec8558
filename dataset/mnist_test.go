package dataset

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// fakeIDX describes the four files a test writes into a directory.
type fakeIDX struct {
	trainN, testN int // images per set (the labels match unless overridden)
	side          int // image side, pixels
	gz            bool
}

// write puts the four files of f into dir, under their original names
// (with .gz when f.gz), and returns dir.
func (f fakeIDX) write(t *testing.T, dir string) string {
	t.Helper()
	labels := func(n int) []uint8 {
		l := make([]uint8, n)
		for i := range l {
			l[i] = uint8(i % 10)
		}
		return l
	}
	files := [4][]byte{
		idxImagesBytes(idxImagesMagic, f.trainN, f.side, f.side, pixelK),
		idxLabelsBytes(idxLabelsMagic, labels(f.trainN)),
		idxImagesBytes(idxImagesMagic, f.testN, f.side, f.side, pixelK),
		idxLabelsBytes(idxLabelsMagic, labels(f.testN)),
	}
	for i, base := range idxFileNames {
		b, name := files[i], base
		if f.gz {
			b, name = gzipBytes(t, b), base+".gz"
		}
		writeFile(t, filepath.Join(dir, name), b)
	}
	return dir
}

func writeFile(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestMNISTDir(t *testing.T) {
	small := fakeIDX{trainN: 6, testN: 3, side: 28}
	tests := []struct {
		name    string
		setup   func(t *testing.T, dir string) // writes the files
		wantErr error                          // nil, ErrNotFound or ErrCorrupt
		inMsg   []string                       // substrings of the error message
	}{
		{
			name:  "uncompressed files are format-checked and read",
			setup: func(t *testing.T, dir string) { small.write(t, dir) },
		},
		{
			name:    "empty directory is not found",
			setup:   func(t *testing.T, dir string) {},
			wantErr: ErrNotFound,
			inMsg:   []string{"train-images-idx3-ubyte(.gz) not found in", "--data-dir", "Go module proxy"},
		},
		{
			name: "missing test labels are not found",
			setup: func(t *testing.T, dir string) {
				small.write(t, dir)
				os.Remove(filepath.Join(dir, "t10k-labels-idx1-ubyte"))
			},
			wantErr: ErrNotFound,
			inMsg:   []string{"t10k-labels-idx1-ubyte(.gz) not found"},
		},
		{
			name: "original .gz name with other contents fails its checksum",
			setup: func(t *testing.T, dir string) {
				small.write(t, dir)
				os.Remove(filepath.Join(dir, "train-images-idx3-ubyte"))
				writeFile(t, filepath.Join(dir, "train-images-idx3-ubyte.gz"),
					gzipBytes(t, idxImagesBytes(idxImagesMagic, 6, 28, 28, pixelK))) // valid idx, not the original
			},
			wantErr: ErrCorrupt,
			inMsg:   []string{"train-images-idx3-ubyte.gz", "sha256", "does not match the original (440fcabf73cc…)", "--data-dir"},
		},
		{
			name: "wrong magic number is corrupt",
			setup: func(t *testing.T, dir string) {
				small.write(t, dir)
				writeFile(t, filepath.Join(dir, "t10k-images-idx3-ubyte"), idxImagesBytes(0x00000804, 3, 28, 28, pixelK))
			},
			wantErr: ErrCorrupt,
			inMsg:   []string{"t10k-images-idx3-ubyte in", "magic number 0x00000804"},
		},
		{
			name: "truncated images are corrupt",
			setup: func(t *testing.T, dir string) {
				small.write(t, dir)
				b := idxImagesBytes(idxImagesMagic, 6, 28, 28, pixelK)
				writeFile(t, filepath.Join(dir, "train-images-idx3-ubyte"), b[:len(b)-100])
			},
			wantErr: ErrCorrupt,
			inMsg:   []string{"truncated"},
		},
		{
			name: "label out of range is corrupt",
			setup: func(t *testing.T, dir string) {
				small.write(t, dir)
				writeFile(t, filepath.Join(dir, "train-labels-idx1-ubyte"), idxLabelsBytes(idxLabelsMagic, []uint8{0, 1, 2, 3, 4, 10}))
			},
			wantErr: ErrCorrupt,
			inMsg:   []string{"label 10 of sample 5"},
		},
		{
			name: "image and label counts that differ are corrupt",
			setup: func(t *testing.T, dir string) {
				small.write(t, dir)
				writeFile(t, filepath.Join(dir, "train-labels-idx1-ubyte"), idxLabelsBytes(idxLabelsMagic, []uint8{0, 1, 2, 3, 4}))
			},
			wantErr: ErrCorrupt,
			inMsg:   []string{"holds 6 images but train-labels-idx1-ubyte holds 5 labels"},
		},
		{
			name: "train and test image sizes that differ are corrupt",
			setup: func(t *testing.T, dir string) {
				small.write(t, dir)
				writeFile(t, filepath.Join(dir, "t10k-images-idx3-ubyte"), idxImagesBytes(idxImagesMagic, 3, 27, 28, pixelK))
			},
			wantErr: ErrCorrupt,
			inMsg:   []string{"28×28 images but t10k-images-idx3-ubyte 27×28"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			tt.setup(t, dir)
			train, test, err := MNIST(dir)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("err = %v, want %v", err, tt.wantErr)
				}
				msg := err.Error()
				if strings.Contains(msg, "\n") || !strings.HasPrefix(msg, "mnist: ") {
					t.Errorf("message is not one line starting with \"mnist: \": %q", msg)
				}
				for _, s := range tt.inMsg {
					if !strings.Contains(msg, s) {
						t.Errorf("message %q does not say %q", msg, s)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if train.N != 6 || test.N != 3 || train.Shape != [3]int{1, 28, 28} || train.Name != "mnist-train" || test.Name != "mnist-test" {
				t.Fatalf("got %s N=%d %v and %s N=%d, want mnist-train N=6 {1,28,28} and mnist-test N=3", train.Name, train.N, train.Shape, test.Name, test.N)
			}
			if train.X[1] != float32(7)/255 { // pixelK(1) = 7, eq. 1
				t.Errorf("X[1] = %v, want 7/255", train.X[1])
			}
		})
	}
}

func TestFashionMNISTDir(t *testing.T) {
	tests := []struct {
		name    string
		files   *fakeIDX // nil: empty directory
		wantErr error
	}{
		// Fashion-MNIST uses MNIST's file names but has no checksum table.
		{"gzip files under the original names are read", &fakeIDX{trainN: 4, testN: 2, side: 28, gz: true}, nil},
		{"uncompressed files are read", &fakeIDX{trainN: 4, testN: 2, side: 28}, nil},
		{"empty directory is not found", nil, ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if tt.files != nil {
				tt.files.write(t, dir)
			}
			train, test, err := FashionMNIST(dir)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if err != nil {
				return
			}
			if train.N != 4 || test.N != 2 || train.Name != "fashion-mnist-train" || test.Name != "fashion-mnist-test" {
				t.Fatalf("got %s N=%d and %s N=%d", train.Name, train.N, test.Name, test.N)
			}
		})
	}
}

func TestFashionMNISTDefaultDirMissingSaysApt(t *testing.T) {
	old := FashionMNISTDir
	FashionMNISTDir = filepath.Join(t.TempDir(), "absent")
	defer func() { FashionMNISTDir = old }()
	_, _, err := FashionMNIST("")
	if !errors.Is(err, ErrNotFound) {
		t.Fatalf("err = %v, want ErrNotFound", err)
	}
	if !strings.Contains(err.Error(), "apt-get install dataset-fashion-mnist") {
		t.Errorf("message %q does not name the Debian package", err)
	}
}

// Label counts of the original MNIST files (LeCun et al.; the histogram
// torchvision reports for MNIST(train=True/False).targets).
var (
	mnistTrainCounts = [10]int{5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949}
	mnistTestCounts  = [10]int{980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009}
)

// checkMNIST checks sizes, label histogram, one-hot targets and pixel range
// of the real MNIST sets.
func checkMNIST(t *testing.T, train, test *Set) {
	t.Helper()
	for _, c := range []struct {
		s      *Set
		name   string
		n      int
		counts [10]int
	}{
		{train, "mnist-train", 60000, mnistTrainCounts},
		{test, "mnist-test", 10000, mnistTestCounts},
	} {
		s := c.s
		if s.Name != c.name || s.N != c.n || s.Features != 784 || s.Outputs != 10 || s.Shape != [3]int{1, 28, 28} ||
			len(s.X) != c.n*784 || len(s.T) != c.n*10 || len(s.Labels) != c.n {
			t.Fatalf("%s: N=%d F=%d O=%d shape %v, want %s N=%d F=784 O=10 {1,28,28}", s.Name, s.N, s.Features, s.Outputs, s.Shape, c.name, c.n)
		}
		var counts [10]int
		var tsum float64
		for i, l := range s.Labels {
			counts[l]++
			if s.T[i*10+l] != 1 {
				t.Fatalf("%s: T of sample %d is not one-hot at its label %d", s.Name, i, l)
			}
		}
		for _, v := range s.T {
			tsum += float64(v)
		}
		if counts != c.counts || int(tsum) != c.n {
			t.Errorf("%s: label histogram %v (targets sum %v), want %v (sum %d)", s.Name, counts, tsum, c.counts, c.n)
		}
		lo, hi := s.X[0], s.X[0]
		for _, x := range s.X {
			lo, hi = min(lo, x), max(hi, x)
		}
		if lo != 0 || hi != 1 { // MNIST uses the full 0..255 range
			t.Errorf("%s: pixels in [%v, %v], want [0, 1]", s.Name, lo, hi)
		}
	}
}

// TestMNISTReal loads the real MNIST through the Go module proxy into an
// empty cache, then again from the cache alone, then repairs a damaged cache.
func TestMNISTReal(t *testing.T) {
	if testing.Short() {
		t.Skip("loads 11 MB of MNIST several times")
	}
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	cache, err := mnistCacheDir()
	if err != nil {
		t.Fatal(err)
	}

	start := time.Now()
	train, test, err := MNIST("")
	if errors.Is(err, ErrNotFound) {
		t.Skipf("MNIST not obtainable here: %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("fetched, verified, cached and parsed in %v", time.Since(start))
	checkMNIST(t, train, test)
	for name, want := range mnistSHA256 {
		b, err := os.ReadFile(filepath.Join(cache, name))
		if err != nil {
			t.Fatalf("cache not filled: %v", err)
		}
		if got := sha256Hex(b); got != want {
			t.Fatalf("cached %s has sha256 %s, want %s", name, got, want)
		}
	}

	t.Run("cache is used without the go command", func(t *testing.T) {
		old := findGo
		findGo = func() (string, error) { return "", errors.New("no go command (test)") }
		defer func() { findGo = old }()
		start := time.Now()
		train, test, err := MNIST("")
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("verified and parsed from the cache in %v", time.Since(start))
		checkMNIST(t, train, test)
	})

	t.Run("cache directory as data dir passes the checksums", func(t *testing.T) {
		train, test, err := MNIST(cache)
		if err != nil {
			t.Fatal(err)
		}
		checkMNIST(t, train, test)
	})

	t.Run("damaged cache without the go command is not found", func(t *testing.T) {
		old := findGo
		findGo = func() (string, error) { return "", errors.New("no go command (test)") }
		defer func() { findGo = old }()
		writeFile(t, filepath.Join(cache, "t10k-labels-idx1-ubyte.gz"), []byte("damaged"))
		_, _, err := MNIST("")
		if !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), "--data-dir") {
			t.Fatalf("err = %v, want ErrNotFound naming --data-dir", err)
		}
	})

	t.Run("damaged cache is repaired", func(t *testing.T) {
		writeFile(t, filepath.Join(cache, "t10k-labels-idx1-ubyte.gz"), []byte("damaged"))
		train, test, err := MNIST("")
		if err != nil {
			t.Fatal(err)
		}
		checkMNIST(t, train, test)
		b, _ := os.ReadFile(filepath.Join(cache, "t10k-labels-idx1-ubyte.gz"))
		if sha256Hex(b) != mnistSHA256["t10k-labels-idx1-ubyte.gz"] {
			t.Fatal("the damaged cache file was not replaced")
		}
	})
}

func TestFashionMNISTReal(t *testing.T) {
	if _, err := os.Stat(FashionMNISTDir); err != nil {
		t.Skipf("Fashion-MNIST not installed (apt-get install dataset-fashion-mnist): %v", err)
	}
	train, test, err := FashionMNIST("")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		s *Set
		n int
	}{{train, 60000}, {test, 10000}} {
		var counts [10]int
		for _, l := range c.s.Labels {
			counts[l]++
		}
		// Fashion-MNIST is balanced: 6000 (train) or 1000 (test) per class (Xiao et al. 2017).
		for k, n := range counts {
			if n != c.n/10 {
				t.Errorf("%s: class %d has %d samples, want %d", c.s.Name, k, n, c.n/10)
			}
		}
		if c.s.N != c.n || c.s.Shape != [3]int{1, 28, 28} {
			t.Errorf("%s: N=%d shape %v, want N=%d {1,28,28}", c.s.Name, c.s.N, c.s.Shape, c.n)
		}
	}
}

func TestGoEnvNeutralisesModuleSettings(t *testing.T) {
	env := goEnv([]string{"HOME=/h", "GOFLAGS=-mod=vendor", "GOWORK=/w/go.work", "GO111MODULE=off", "GOTOOLCHAIN=go1.99", "GOPROXY=https://p"})
	want := []string{"HOME=/h", "GOPROXY=https://p", "GOFLAGS=", "GOWORK=off", "GO111MODULE=on", "GOTOOLCHAIN=local"}
	if strings.Join(env, " ") != strings.Join(want, " ") {
		t.Fatalf("goEnv = %q, want %q", env, want)
	}
}

func BenchmarkMNISTFromCache(b *testing.B) {
	if _, _, err := MNIST(""); err != nil {
		b.Skip(err)
	}
	for b.Loop() {
		if _, _, err := MNIST(""); err != nil {
			b.Fatal(err)
		}
	}
}
