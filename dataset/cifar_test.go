package dataset

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// cifarRecords returns n records of the binary version: record r has label
// r mod 10 and pixel j = (r + j) mod 256 (so each channel plane differs).
func cifarRecords(n int) []byte {
	b := make([]byte, n*cifarRecord)
	for r := 0; r < n; r++ {
		rec := b[r*cifarRecord : (r+1)*cifarRecord]
		rec[0] = byte(r % 10)
		for j := 1; j < cifarRecord; j++ {
			rec[j] = byte((r + j - 1) % 256)
		}
	}
	return b
}

// writeCIFAR writes the six batch files into dir: perTrain records in each
// training batch, testN in the test batch.
func writeCIFAR(t *testing.T, dir string, perTrain, testN int) {
	t.Helper()
	for _, name := range cifarTrainFiles {
		writeFile(t, filepath.Join(dir, name), cifarRecords(perTrain))
	}
	writeFile(t, filepath.Join(dir, cifarTestFile), cifarRecords(testN))
}

func TestCIFAR10Dir(t *testing.T) {
	tests := []struct {
		name    string
		setup   func(t *testing.T, dir string) string // returns the directory to read
		wantErr error
		errPart string
	}{
		{"six batch files are read", func(t *testing.T, dir string) string {
			writeCIFAR(t, dir, 3, 2)
			return dir
		}, nil, ""},
		{"the folder the archive unpacks into is found", func(t *testing.T, dir string) string {
			sub := filepath.Join(dir, "cifar-10-batches-bin")
			os.Mkdir(sub, 0o755)
			writeCIFAR(t, sub, 3, 2)
			return dir
		}, nil, ""},
		{"empty directory says where to download", func(t *testing.T, dir string) string { return dir },
			ErrNotFound, "cifar-10-binary.tar.gz"},
		{"a missing training batch is not found", func(t *testing.T, dir string) string {
			writeCIFAR(t, dir, 3, 2)
			os.Remove(filepath.Join(dir, "data_batch_4.bin"))
			return dir
		}, ErrNotFound, "data_batch_4.bin not found"},
		{"a truncated record is corrupt", func(t *testing.T, dir string) string {
			writeCIFAR(t, dir, 3, 2)
			writeFile(t, filepath.Join(dir, "data_batch_2.bin"), cifarRecords(3)[:2*cifarRecord+100])
			return dir
		}, ErrCorrupt, "not a whole number of 3073-byte records"},
		{"an empty test batch is corrupt", func(t *testing.T, dir string) string {
			writeCIFAR(t, dir, 3, 2)
			writeFile(t, filepath.Join(dir, cifarTestFile), nil)
			return dir
		}, ErrCorrupt, "0 bytes"},
		{"a label of 10 is corrupt", func(t *testing.T, dir string) string {
			writeCIFAR(t, dir, 3, 2)
			b := cifarRecords(2)
			b[cifarRecord] = 10 // record 1's label
			writeFile(t, filepath.Join(dir, cifarTestFile), b)
			return dir
		}, ErrCorrupt, "record 1 has label 10"},
		{"a label of 255 is corrupt", func(t *testing.T, dir string) string {
			writeCIFAR(t, dir, 3, 2)
			b := cifarRecords(3)
			b[0] = 255
			writeFile(t, filepath.Join(dir, "data_batch_5.bin"), b)
			return dir
		}, ErrCorrupt, "label 255"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := tt.setup(t, t.TempDir())
			train, test, err := CIFAR10(dir)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if err != nil {
				if !strings.Contains(err.Error(), tt.errPart) || strings.Contains(err.Error(), "\n") {
					t.Errorf("message %q: want one line containing %q", err, tt.errPart)
				}
				return
			}
			if train.N != 15 || test.N != 2 || train.Shape != [3]int{3, 32, 32} || train.Features != 3072 ||
				train.Outputs != 10 || train.Name != "cifar10-train" || test.Name != "cifar10-test" {
				t.Fatalf("got %s N=%d %v and %s N=%d, want cifar10-train N=15 {3,32,32} and cifar10-test N=2",
					train.Name, train.N, train.Shape, test.Name, test.N)
			}
			// Training sample 4 is record 1 of data_batch_2.bin: label 1.
			if train.Labels[4] != 1 || train.T[4*10+1] != 1 || train.T[4*10] != 0 {
				t.Errorf("sample 4: label %d, targets %v, want 1 one-hot", train.Labels[4], train.T[40:50])
			}
		})
	}
}

// TestCIFAR10Normalisation checks eq. C1 on chosen pixels: the first value
// of each channel plane of record 0, whose pixel j is j mod 256.
func TestCIFAR10Normalisation(t *testing.T) {
	s, err := ReadCIFAR10("one", cifarRecords(1))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		j    int     // value index: channel·1024 + position
		want float64 // (p − m_c)/s_c with p = j mod 256
	}{
		{0, (0 - 125.3) / 63.0},            // R, p = 0
		{1023, (255 - 125.3) / 63.0},       // R, p = 1023 mod 256 = 255
		{1024, (0 - 123.0) / 62.1},         // G, p = 1024 mod 256 = 0
		{2048 + 100, (100 - 113.9) / 66.7}, // B, p = 2148 mod 256 = 100
	} {
		if got := float64(s.X[c.j]); math.Abs(got-c.want) > 1e-5 {
			t.Errorf("X[%d] = %g, want %g", c.j, got, c.want)
		}
	}
}

func TestCIFAR10DefaultDirMissingSaysWhereToPutFiles(t *testing.T) {
	old := CIFAR10Dir
	CIFAR10Dir = filepath.Join(t.TempDir(), "absent")
	defer func() { CIFAR10Dir = old }()
	_, _, err := CIFAR10("")
	if !errors.Is(err, ErrNotFound) {
		t.Fatalf("err = %v, want ErrNotFound", err)
	}
	for _, part := range []string{CIFAR10URL, CIFAR10Dir, "data_batch_1.bin", "test_batch.bin", "--data-dir"} {
		if !strings.Contains(err.Error(), part) {
			t.Errorf("message %q does not name %q", err, part)
		}
	}
}

// TestCIFAR10Real reads the real files when they are in the default place.
func TestCIFAR10Real(t *testing.T) {
	dir, err := cifarDefaultDir()
	if err == nil {
		_, err = os.Stat(filepath.Join(dir, cifarTestFile))
	}
	if err != nil {
		t.Skipf("CIFAR-10 not installed (%v)", err)
	}
	train, test, err := CIFAR10("")
	if err != nil {
		t.Fatal(err)
	}
	if train.N != 50000 || test.N != 10000 {
		t.Fatalf("train %d, test %d samples, want 50000 and 10000", train.N, test.N)
	}
	// CIFAR-10 is balanced: 5000 (train) or 1000 (test) per class (Krizhevsky 2009).
	for _, c := range []struct {
		s    *Set
		want int
	}{{train, 5000}, {test, 1000}} {
		var counts [10]int
		for _, l := range c.s.Labels {
			counts[l]++
		}
		for k, n := range counts {
			if n != c.want {
				t.Errorf("%s: class %d has %d images, want %d", c.s.Name, k, n, c.want)
			}
		}
	}
}
