package dataset

import (
	"bufio"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"runtime"
	"sync"
)

// idx magic numbers: two zero bytes, the element type (0x08 = unsigned byte)
// and the number of dimensions.
const (
	idxImagesMagic = 0x00000803 // uint8, 3 dimensions: n, rows, cols
	idxLabelsMagic = 0x00000801 // uint8, 1 dimension: n
)

// Limits that reject absurd headers before anything is allocated.
const (
	idxMaxSide   = 1 << 12 // largest image side, pixels
	idxMaxBytes  = 1 << 30 // largest payload, bytes (1 GiB)
	idxNumLabels = 10      // labels must lie in [0, idxNumLabels)
)

// ErrNotFound is wrapped by every error saying that data set files are
// missing or cannot be fetched; test for it with errors.Is.
var ErrNotFound = errors.New("data set files not found")

// ErrCorrupt is wrapped by every error saying that a data set file exists but
// is damaged or of the wrong kind (bad checksum, bad magic number, truncated,
// labels out of range, counts that disagree); test for it with errors.Is.
var ErrCorrupt = errors.New("data set file corrupt")

// dataError is a one-line message that wraps a sentinel (ErrNotFound,
// ErrCorrupt) and optionally a cause, without repeating their text.
type dataError struct {
	msg   string
	kind  error
	cause error
}

func (e *dataError) Error() string { return e.msg }

func (e *dataError) Unwrap() []error {
	if e.cause == nil {
		return []error{e.kind}
	}
	return []error{e.kind, e.cause}
}

func corruptf(format string, args ...any) error {
	return &dataError{msg: fmt.Sprintf(format, args...), kind: ErrCorrupt}
}

// idxReader returns a reader of the decompressed idx stream: r itself when it
// is raw, a gzip reader when r starts with the gzip magic bytes 1f 8b.
func idxReader(r io.Reader) (io.Reader, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	head, err := br.Peek(2)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("idx: read: %w", err)
	}
	if len(head) == 2 && head[0] == 0x1f && head[1] == 0x8b {
		z, err := gzip.NewReader(br)
		if err != nil {
			return nil, &dataError{msg: fmt.Sprintf("idx: bad gzip header: %v", err), kind: ErrCorrupt, cause: err}
		}
		z.Multistream(false)
		return z, nil
	}
	return br, nil
}

// readFull reads len(buf) bytes of what; a short read is ErrCorrupt
// (truncated), any other failure (I/O, gzip checksum) is returned with context.
func readFull(r io.Reader, buf []byte, what string) error {
	n, err := io.ReadFull(r, buf)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return corruptf("idx: truncated: %s has %d of %d bytes", what, n, len(buf))
	case errors.Is(err, gzip.ErrChecksum), errors.Is(err, gzip.ErrHeader):
		return &dataError{msg: fmt.Sprintf("idx: %s: %v", what, err), kind: ErrCorrupt, cause: err}
	default:
		return fmt.Errorf("idx: read %s: %w", what, err)
	}
}

// expectEnd checks that r holds nothing after the payload the header declared
// (and, for gzip, lets the reader verify its CRC at the end of the stream).
func expectEnd(r io.Reader, what string) error {
	var one [1]byte
	n, err := io.ReadFull(r, one[:])
	if n > 0 {
		extra, _ := io.Copy(io.Discard, r)
		return corruptf("idx: %d bytes after the %s the header declares", extra+1, what)
	}
	if errors.Is(err, io.EOF) {
		return nil
	}
	return &dataError{msg: fmt.Sprintf("idx: after the %s: %v", what, err), kind: ErrCorrupt, cause: err}
}

// readHeader reads the magic number and dims dimension sizes.
func readHeader(r io.Reader, magic uint32, dims int, kind string) ([]int, error) {
	buf := make([]byte, 4*(1+dims))
	if err := readFull(r, buf, kind+" header"); err != nil {
		return nil, err
	}
	if m := binary.BigEndian.Uint32(buf); m != magic {
		return nil, corruptf("idx: magic number 0x%08x, want 0x%08x (an idx %s file)", m, magic, kind)
	}
	d := make([]int, dims)
	for i := range d {
		d[i] = int(binary.BigEndian.Uint32(buf[4*(i+1):]))
	}
	return d, nil
}

// ReadIDXImages reads an idx3-ubyte image file (magic 0x00000803), raw or
// gzip-compressed (detected by its magic bytes), as used by MNIST and
// Fashion-MNIST. It returns the image count n, the side lengths in pixels and
// the n·rows·cols pixel intensities (0..255), image-major then row-major.
// Bad magic numbers, zero or absurd dimensions, truncated data and trailing
// bytes are errors wrapping ErrCorrupt.
func ReadIDXImages(r io.Reader) (n, rows, cols int, pix []uint8, err error) {
	zr, err := idxReader(r)
	if err != nil {
		return 0, 0, 0, nil, err
	}
	d, err := readHeader(zr, idxImagesMagic, 3, "images")
	if err != nil {
		return 0, 0, 0, nil, err
	}
	n, rows, cols = d[0], d[1], d[2]
	if rows == 0 || cols == 0 || rows > idxMaxSide || cols > idxMaxSide {
		return 0, 0, 0, nil, corruptf("idx: image size %d×%d out of range [1,%d]", rows, cols, idxMaxSide)
	}
	if n > idxMaxBytes/(rows*cols) {
		return 0, 0, 0, nil, corruptf("idx: header declares %d images of %d×%d, more than %d bytes", n, rows, cols, idxMaxBytes)
	}
	pix = make([]uint8, n*rows*cols)
	if err := readFull(zr, pix, fmt.Sprintf("pixel data of %d images of %d×%d", n, rows, cols)); err != nil {
		return 0, 0, 0, nil, err
	}
	if err := expectEnd(zr, fmt.Sprintf("%d images", n)); err != nil {
		return 0, 0, 0, nil, err
	}
	return n, rows, cols, pix, nil
}

// ReadIDXLabels reads an idx1-ubyte label file (magic 0x00000801), raw or
// gzip-compressed, and returns its class indices. Bad magic numbers,
// truncated data, trailing bytes and labels outside [0,10) are errors
// wrapping ErrCorrupt.
func ReadIDXLabels(r io.Reader) (labels []uint8, err error) {
	zr, err := idxReader(r)
	if err != nil {
		return nil, err
	}
	d, err := readHeader(zr, idxLabelsMagic, 1, "labels")
	if err != nil {
		return nil, err
	}
	n := d[0]
	if n > idxMaxBytes {
		return nil, corruptf("idx: header declares %d labels, more than %d", n, idxMaxBytes)
	}
	labels = make([]uint8, n)
	if err := readFull(zr, labels, fmt.Sprintf("%d labels", n)); err != nil {
		return nil, err
	}
	if err := expectEnd(zr, fmt.Sprintf("%d labels", n)); err != nil {
		return nil, err
	}
	for i, l := range labels {
		if l >= idxNumLabels {
			return nil, corruptf("idx: label %d of sample %d out of range [0,%d)", l, i, idxNumLabels)
		}
	}
	return labels, nil
}

// pixelScale[p] = p/255 in float32, as torchvision's ToTensor (eq. 1).
var pixelScale = func() (s [256]float32) {
	for p := range s {
		s[p] = float32(p) / 255
	}
	return s
}()

// FromIDX reads an idx image file and its idx label file (raw or gzip) and
// pairs them into a classification Set called name: pixels scaled to [0,1]
// (eq. 1), one-hot targets over 10 classes (eq. 2), Shape {1, rows, cols}.
// Differing image and label counts are an error wrapping ErrCorrupt.
func FromIDX(name string, images, labels io.Reader) (*Set, error) {
	n, rows, cols, pix, err := ReadIDXImages(images)
	if err != nil {
		return nil, fmt.Errorf("%s images: %w", name, err)
	}
	lab, err := ReadIDXLabels(labels)
	if err != nil {
		return nil, fmt.Errorf("%s labels: %w", name, err)
	}
	if len(lab) != n {
		return nil, corruptf("%s: %d images but %d labels", name, n, len(lab))
	}
	return newImageSet(name, rows, cols, pix, lab), nil
}

// newImageSet builds a Set from validated idx contents (len(pix) =
// len(lab)·rows·cols).
func newImageSet(name string, rows, cols int, pix, lab []uint8) *Set {
	n := len(lab)
	s := &Set{
		Name:     name,
		X:        make([]float32, len(pix)),
		T:        make([]float32, n*idxNumLabels),
		Labels:   make([]int, n),
		N:        n,
		Features: rows * cols,
		Outputs:  idxNumLabels,
		Shape:    [3]int{1, rows, cols},
	}
	scalePixels(s.X, pix)
	for i, l := range lab {
		s.Labels[i] = int(l)
	}
	oneHot(s.T, s.Labels, idxNumLabels) // eq. 2
	return s
}

// scalePixels sets x[i] = pix[i]/255 (eq. 1). Large images sets are split
// over GOMAXPROCS goroutines: the loop is bound by first writes to fresh
// memory (188 MB for MNIST's training set), which parallelise.
func scalePixels(x []float32, pix []uint8) {
	const chunk = 1 << 20
	workers := min(runtime.GOMAXPROCS(0), (len(pix)+chunk-1)/chunk)
	if workers <= 1 {
		for i, p := range pix {
			x[i] = pixelScale[p]
		}
		return
	}
	var wg sync.WaitGroup
	per := (len(pix) + workers - 1) / workers
	for lo := 0; lo < len(pix); lo += per {
		hi := min(lo+per, len(pix))
		wg.Go(func() {
			xs, ps := x[lo:hi], pix[lo:hi]
			for i, p := range ps {
				xs[i] = pixelScale[p]
			}
		})
	}
	wg.Wait()
}
