package dataset

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

// TestFashionMNISTCorruptFiles: Fashion-MNIST has no checksum table, so its
// reader must reject damaged files by their format alone, with a one-line
// message naming the file and wrapping ErrCorrupt.
func TestFashionMNISTCorruptFiles(t *testing.T) {
	small := fakeIDX{trainN: 4, testN: 2, side: 28, gz: true}
	tests := []struct {
		name  string
		file  string // written over the good file
		data  func(t *testing.T) []byte
		inMsg string
	}{
		{"truncated gzip images", "train-images-idx3-ubyte.gz", func(t *testing.T) []byte {
			b := gzipBytes(t, idxImagesBytes(idxImagesMagic, 4, 28, 28, pixelK))
			return b[:len(b)/2]
		}, "train-images-idx3-ubyte.gz in"},
		{"images cut short of their header's count", "t10k-images-idx3-ubyte.gz", func(t *testing.T) []byte {
			b := idxImagesBytes(idxImagesMagic, 2, 28, 28, pixelK)
			return gzipBytes(t, b[:len(b)-10])
		}, "t10k-images-idx3-ubyte.gz in"},
		{"label 10 is out of range", "train-labels-idx1-ubyte.gz", func(t *testing.T) []byte {
			return gzipBytes(t, idxLabelsBytes(idxLabelsMagic, []uint8{0, 1, 10, 3}))
		}, "train-labels-idx1-ubyte.gz in"},
		{"label file with the image magic", "t10k-labels-idx1-ubyte.gz", func(t *testing.T) []byte {
			return gzipBytes(t, idxLabelsBytes(idxImagesMagic, []uint8{0, 1}))
		}, "t10k-labels-idx1-ubyte.gz in"},
		{"fewer labels than images", "train-labels-idx1-ubyte.gz", func(t *testing.T) []byte {
			return gzipBytes(t, idxLabelsBytes(idxLabelsMagic, []uint8{0, 1, 2}))
		}, "holds 4 images but"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := small.write(t, t.TempDir())
			writeFile(t, filepath.Join(dir, tt.file), tt.data(t))
			_, _, err := FashionMNIST(dir)
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("err = %v, want ErrCorrupt", err)
			}
			if msg := err.Error(); !strings.Contains(msg, tt.inMsg) || !strings.HasPrefix(msg, "fashion-mnist: ") || strings.Contains(msg, "\n") {
				t.Errorf("message %q: want one line starting fashion-mnist: and containing %q", msg, tt.inMsg)
			}
		})
	}
}
