package dataset

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"testing"
)

// idxImagesBytes encodes n rows×cols images whose pixel k (over the whole
// file) is pixel(k), with the given magic number.
func idxImagesBytes(magic uint32, n, rows, cols int, pixel func(k int) uint8) []byte {
	b := binary.BigEndian.AppendUint32(nil, magic)
	b = binary.BigEndian.AppendUint32(b, uint32(n))
	b = binary.BigEndian.AppendUint32(b, uint32(rows))
	b = binary.BigEndian.AppendUint32(b, uint32(cols))
	for k := range n * rows * cols {
		b = append(b, pixel(k))
	}
	return b
}

// idxLabelsBytes encodes labels with the given magic number.
func idxLabelsBytes(magic uint32, labels []uint8) []byte {
	b := binary.BigEndian.AppendUint32(nil, magic)
	b = binary.BigEndian.AppendUint32(b, uint32(len(labels)))
	return append(b, labels...)
}

func gzipBytes(t testing.TB, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	if _, err := w.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func pixelK(k int) uint8 { return uint8(k * 7) }

func TestReadIDXImages(t *testing.T) {
	good := idxImagesBytes(idxImagesMagic, 3, 2, 4, pixelK) // 3 images of 2×4: 24 pixels
	goodGz := gzipBytes(t, good)
	badCRC := bytes.Clone(goodGz)
	badCRC[len(badCRC)-8] ^= 0xff // first byte of the gzip CRC-32 trailer (RFC 1952)
	huge := idxImagesBytes(idxImagesMagic, 0, 28, 28, pixelK)
	binary.BigEndian.PutUint32(huge[4:], 1<<31) // 2^31 images of 28×28: 1.7 TB declared, none present
	tests := []struct {
		name    string
		in      []byte
		corrupt bool
	}{
		{"raw file reads", good, false},
		{"gzip file reads", goodGz, false},
		{"zero images read", idxImagesBytes(idxImagesMagic, 0, 28, 28, pixelK), false},
		{"empty input is truncated", nil, true},
		{"header cut short is truncated", good[:10], true},
		{"pixels cut short are truncated", good[:len(good)-1], true},
		{"gzip stream cut short is truncated", goodGz[:len(goodGz)/2], true},
		{"gzip with wrong CRC is corrupt", badCRC, true},
		{"label magic is rejected", idxImagesBytes(idxLabelsMagic, 3, 2, 4, pixelK), true},
		{"random magic is rejected", idxImagesBytes(0x12345678, 3, 2, 4, pixelK), true},
		{"zero rows are rejected", idxImagesBytes(idxImagesMagic, 3, 0, 4, pixelK), true},
		{"huge sides are rejected", idxImagesBytes(idxImagesMagic, 0, 1<<13, 1, pixelK), true},
		{"huge counts are rejected before allocating", huge, true},
		{"trailing bytes are rejected", append(bytes.Clone(good), 0), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, rows, cols, pix, err := ReadIDXImages(bytes.NewReader(tt.in))
			if tt.corrupt {
				if !errors.Is(err, ErrCorrupt) {
					t.Fatalf("err = %v, want ErrCorrupt", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			wantN, wantR, wantC := 3, 2, 4
			if tt.name == "zero images read" {
				wantN, wantR, wantC = 0, 28, 28
			}
			if n != wantN || rows != wantR || cols != wantC || len(pix) != n*rows*cols {
				t.Fatalf("got n=%d %d×%d, %d pixels; want n=%d %d×%d", n, rows, cols, len(pix), wantN, wantR, wantC)
			}
			for k, p := range pix {
				if p != pixelK(k) {
					t.Fatalf("pixel %d = %d, want %d", k, p, pixelK(k))
				}
			}
		})
	}
}

func TestReadIDXLabels(t *testing.T) {
	labels := []uint8{0, 9, 3, 3, 7}
	good := idxLabelsBytes(idxLabelsMagic, labels)
	tests := []struct {
		name    string
		in      []byte
		corrupt bool
	}{
		{"raw file reads", good, false},
		{"gzip file reads", gzipBytes(t, good), false},
		{"image magic is rejected", idxLabelsBytes(idxImagesMagic, labels), true},
		{"label 10 is out of range", idxLabelsBytes(idxLabelsMagic, []uint8{1, 10}), true},
		{"label 255 is out of range", idxLabelsBytes(idxLabelsMagic, []uint8{255}), true},
		{"labels cut short are truncated", good[:len(good)-2], true},
		{"header cut short is truncated", good[:6], true},
		{"trailing bytes are rejected", append(bytes.Clone(good), 1), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ReadIDXLabels(bytes.NewReader(tt.in))
			if tt.corrupt {
				if !errors.Is(err, ErrCorrupt) {
					t.Fatalf("err = %v, want ErrCorrupt", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, labels) {
				t.Fatalf("labels = %v, want %v", got, labels)
			}
		})
	}
}

func TestFromIDX(t *testing.T) {
	pix := func(k int) uint8 { return []uint8{0, 255, 51, 102}[k%4] } // 51/255 = 0.2, 102/255 = 0.4
	images := idxImagesBytes(idxImagesMagic, 2, 1, 4, pix)
	tests := []struct {
		name    string
		labels  []uint8
		corrupt bool
	}{
		{"matching counts pair", []uint8{7, 2}, false},
		{"fewer labels than images are rejected", []uint8{7}, true},
		{"more labels than images are rejected", []uint8{7, 2, 1}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := FromIDX("fake", bytes.NewReader(gzipBytes(t, images)), bytes.NewReader(idxLabelsBytes(idxLabelsMagic, tt.labels)))
			if tt.corrupt {
				if !errors.Is(err, ErrCorrupt) {
					t.Fatalf("err = %v, want ErrCorrupt", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if s.N != 2 || s.Features != 4 || s.Outputs != 10 || s.Shape != [3]int{1, 1, 4} || !s.Classes() {
				t.Fatalf("set %+v has the wrong sizes", s)
			}
			wantX := []float32{0, 1, 0.2, 0.4, 0, 1, 0.2, 0.4} // eq. 1
			for i, x := range s.X {
				if d := x - wantX[i]; d > 1e-7 || d < -1e-7 {
					t.Fatalf("X[%d] = %v, want %v", i, x, wantX[i])
				}
			}
			for i, l := range tt.labels {
				if s.Labels[i] != int(l) {
					t.Fatalf("Labels[%d] = %d, want %d", i, s.Labels[i], l)
				}
				for j := range 10 {
					want := float32(0)
					if j == int(l) {
						want = 1 // eq. 2
					}
					if s.T[i*10+j] != want {
						t.Fatalf("T[%d,%d] = %v, want %v", i, j, s.T[i*10+j], want)
					}
				}
			}
		})
	}
}

func TestHeadSharesMemory(t *testing.T) {
	s := newImageSet("fake", 1, 2, []uint8{0, 255, 255, 0, 0, 0}, []uint8{1, 2, 3})
	tests := []struct {
		name string
		n    int
		same bool
	}{
		{"n below N is a view", 2, false},
		{"zero is empty", 0, false},
		{"n equal to N is the set", 3, true},
		{"n above N is the set", 5, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := s.Head(tt.n)
			if (h == s) != tt.same {
				t.Fatalf("Head(%d) == s is %v, want %v", tt.n, h == s, tt.same)
			}
			want := min(tt.n, s.N)
			if h.N != want || len(h.X) != want*2 || len(h.T) != want*10 || len(h.Labels) != want {
				t.Fatalf("Head(%d): N=%d, %d inputs, %d targets, %d labels", tt.n, h.N, len(h.X), len(h.T), len(h.Labels))
			}
			if want > 0 && &h.X[0] != &s.X[0] {
				t.Fatal("Head copied the inputs")
			}
			if !tt.same && (cap(h.X) != len(h.X) || cap(h.T) != len(h.T) || cap(h.Labels) != len(h.Labels)) {
				t.Fatal("Head's slices can grow over the rest of the set")
			}
		})
	}
	defer func() {
		if recover() == nil {
			t.Error("Head(-1) did not panic")
		}
	}()
	s.Head(-1)
}
