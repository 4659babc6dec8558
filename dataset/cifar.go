package dataset

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// CIFAR-10's binary version (Krizhevsky 2009): five training batches and
// one test batch of 3073-byte records, a label byte (0..9) followed by the
// 32 × 32 red, green and blue planes, row-major.
const (
	cifarSide    = 32
	cifarPixels  = 3 * cifarSide * cifarSide // 3072
	cifarRecord  = 1 + cifarPixels           // 3073 bytes
	cifarClasses = 10
	// cifarFolder is the folder cifar-10-binary.tar.gz unpacks into.
	cifarFolder = "cifar-10-batches-bin"
	// CIFAR10URL is where the binary version is published.
	CIFAR10URL = "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz"
)

// cifarTrainFiles and cifarTestFile are the batch files of the binary
// version.
var (
	cifarTrainFiles = [5]string{"data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin"}
	cifarTestFile   = "test_batch.bin"
)

// CIFAR10Mean and CIFAR10Std are the per-channel (R, G, B) statistics m_c
// and s_c of the paper's code (setup.py: torchvision's ToTensor, then
// Normalize), in pixel units. A pixel value p ∈ {0..255} of channel c
// becomes, in float32 as torchvision computes it,
//
//	x = (p/255 − m_c/255) / (s_c/255)                                 (C1)
var (
	CIFAR10Mean = [3]float64{125.3, 123.0, 113.9}
	CIFAR10Std  = [3]float64{63.0, 62.1, 66.7}
)

// CIFAR10Dir is where CIFAR10("") looks; empty means
// os.UserCacheDir()/drtp/cifar-10-batches-bin.
var CIFAR10Dir = ""

// CIFAR10 returns the CIFAR-10 training (50000) and test (10000) sets of
// 3 × 32 × 32 colour images in 10 classes: pixels normalised per channel as
// the paper's code (eq. C1), one-hot targets (eq. 2), Shape {3, 32, 32}.
//
// dir (CIFAR10Dir, or its default, when empty) holds the six batch files
// of the binary version, data_batch_1.bin … data_batch_5.bin and
// test_batch.bin, or the folder cifar-10-batches-bin that holds them.
// CIFAR-10 is not bundled: when the files are missing the error (wrapping
// ErrNotFound) says where to download them and where to put them. A file
// whose size is not a whole number of 3073-byte records, or with a label
// outside 0..9, is an error wrapping ErrCorrupt.
func CIFAR10(dir string) (train, test *Set, err error) {
	if dir == "" {
		if dir, err = cifarDefaultDir(); err != nil {
			return nil, nil, &dataError{
				msg:  fmt.Sprintf("cifar10: no cache directory (%v); pass --data-dir DIR holding the six files of the CIFAR-10 binary version (%s)", err, CIFAR10URL),
				kind: ErrNotFound, cause: err,
			}
		}
	}
	if _, err := os.Stat(filepath.Join(dir, cifarTestFile)); errors.Is(err, fs.ErrNotExist) {
		if sub := filepath.Join(dir, cifarFolder); fileExists(filepath.Join(sub, cifarTestFile)) {
			dir = sub
		}
	}
	var trainData [5][]byte
	for i, name := range cifarTrainFiles {
		if trainData[i], err = readCIFARFile(dir, name); err != nil {
			return nil, nil, err
		}
	}
	testData, err := readCIFARFile(dir, cifarTestFile)
	if err != nil {
		return nil, nil, err
	}
	n := 0
	for i, b := range trainData {
		if err := checkCIFAR(b, dir, cifarTrainFiles[i]); err != nil {
			return nil, nil, err
		}
		n += len(b) / cifarRecord
	}
	if err := checkCIFAR(testData, dir, cifarTestFile); err != nil {
		return nil, nil, err
	}
	train = newCIFARSet("cifar10-train", n)
	off := 0
	for _, b := range trainData {
		off += fillCIFAR(train, off, b)
	}
	test = newCIFARSet("cifar10-test", len(testData)/cifarRecord)
	fillCIFAR(test, 0, testData)
	return train, test, nil
}

// ReadCIFAR10 parses the contents of one batch file of the binary version
// into a Set called name (eqs. 2 and C1). A size that is not a positive
// whole number of 3073-byte records, or a label outside 0..9, is an error
// wrapping ErrCorrupt.
func ReadCIFAR10(name string, data []byte) (*Set, error) {
	if err := checkCIFAR(data, "", name); err != nil {
		return nil, err
	}
	s := newCIFARSet(name, len(data)/cifarRecord)
	fillCIFAR(s, 0, data)
	return s, nil
}

func cifarDefaultDir() (string, error) {
	if CIFAR10Dir != "" {
		return CIFAR10Dir, nil
	}
	d, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(d, "drtp", cifarFolder), nil
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// readCIFARFile reads dir/name; a missing file is ErrNotFound with the
// download instructions.
func readCIFARFile(dir, name string) ([]byte, error) {
	path := filepath.Join(dir, name)
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, &dataError{
			msg: fmt.Sprintf("cifar10: %s not found in %s; CIFAR-10 is not bundled: download the binary version (cifar-10-binary.tar.gz, %s), unpack it (tar xzf) and put data_batch_1.bin … data_batch_5.bin and test_batch.bin in %s, or pass --data-dir with the folder holding them",
				name, dir, CIFAR10URL, dir),
			kind: ErrNotFound,
		}
	}
	if err != nil {
		return nil, fmt.Errorf("cifar10: read %s: %w", path, err)
	}
	return b, nil
}

// checkCIFAR validates the contents of batch file name (in dir, for the
// message): whole records, at least one, labels in 0..9.
func checkCIFAR(b []byte, dir, name string) error {
	where := name
	if dir != "" {
		where = name + " in " + dir
	}
	remedy := "replace it with the original file from " + CIFAR10URL
	if len(b) == 0 || len(b)%cifarRecord != 0 {
		return corruptf("cifar10: %s has %d bytes, not a whole number of %d-byte records (truncated or not the binary version); %s",
			where, len(b), cifarRecord, remedy)
	}
	for r := 0; r < len(b); r += cifarRecord {
		if b[r] >= cifarClasses {
			return corruptf("cifar10: %s: record %d has label %d, outside 0..%d; %s", where, r/cifarRecord, b[r], cifarClasses-1, remedy)
		}
	}
	return nil
}

func newCIFARSet(name string, n int) *Set {
	return &Set{
		Name:     name,
		X:        make([]float32, n*cifarPixels),
		T:        make([]float32, n*cifarClasses),
		Labels:   make([]int, n),
		N:        n,
		Features: cifarPixels,
		Outputs:  cifarClasses,
		Shape:    [3]int{3, cifarSide, cifarSide},
	}
}

// cifarScale[c][p] is eq. C1 for channel c and pixel value p.
var cifarScale = func() (t [3][256]float32) {
	for c := range t {
		mean, std := float32(CIFAR10Mean[c]/255), float32(CIFAR10Std[c]/255)
		for p := range t[c] {
			t[c][p] = (float32(p)/255 - mean) / std
		}
	}
	return t
}()

// fillCIFAR writes the validated records of b into s from sample off on and
// returns their count.
func fillCIFAR(s *Set, off int, b []byte) int {
	n := len(b) / cifarRecord
	for r := 0; r < n; r++ {
		rec := b[r*cifarRecord : (r+1)*cifarRecord]
		i := off + r
		label := int(rec[0])
		s.Labels[i] = label
		s.T[i*cifarClasses+label] = 1 // eq. 2
		x := s.X[i*cifarPixels : (i+1)*cifarPixels]
		for j, p := range rec[1:] {
			x[j] = cifarScale[j/(cifarSide*cifarSide)][p]
		}
	}
	return n
}
