package plots

import (
	"bytes"
	"flag"
	"image"
	"image/draw"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
)

var regen = flag.Bool("regen", false, "regenerate testdata/*_golden.png from the current code")

// goldenDPI keeps golden images small (750 × 525 px at ColumnWidth ×
// ColumnHeight) while text stays legible when they are viewed.
const goldenDPI = 150

// Tolerance of the golden comparison: a pixel differs when one of its
// channels is off by more than pixelTol (of 255), and an image may have at
// most maxDiffFrac of its pixels differ. Rendering here is deterministic
// (the fonts are embedded in gonum/plot), so the budget only absorbs
// anti-aliasing noise from floating-point differences between machines; a
// missing tick label (≈ 300 px at 150 dpi) exceeds it.
const (
	pixelTol    = 24
	maxDiffFrac = 0.0005
)

func TestGolden(t *testing.T) {
	for _, tc := range []struct {
		name          string
		make          func() (*plot.Plot, error)
		width, height vg.Length
	}{
		{"error_log", func() (*plot.Plot, error) {
			return ErrorCurves("test error, synthetic task", "epoch", "test error (%)", errorFixture(), true)
		}, ColumnWidth, ColumnHeight},
		{"loss_linear", func() (*plot.Plot, error) {
			return ErrorCurves("loss", "epoch", "BCE loss", lossFixture(), false)
		}, ColumnWidth, ColumnHeight},
		{"alignment", func() (*plot.Plot, error) {
			return AlignmentCurves("hidden layer 1", "samples seen", alignmentFixture())
		}, ColumnWidth, ColumnHeight},
		{"raster", func() (*plot.Plot, error) {
			layers, d := rasterFixture()
			return RasterPlot(RasterTitle(3, 3), layers, d)
		}, ColumnWidth, RasterHeight},
		{"membrane", func() (*plot.Plot, error) {
			traces, theta := membraneFixture()
			return MembranePlot("LIF membrane", "v (units of θ)", traces, theta)
		}, ColumnWidth, ColumnHeight},
		{"densities", func() (*plot.Plot, error) {
			return Densities("hidden activations", "activation (tanh)", densityFixture(), 40)
		}, ColumnWidth, ColumnHeight},
		{"density_curves", func() (*plot.Plot, error) {
			return DensityCurves("DRTP: hidden activations during training", "activation (tanh)", densityCurvesFixture())
		}, ColumnWidth, ColumnHeight},
		{"rates", func() (*plot.Plot, error) {
			return RateHistogram("hidden layer", rateFixture(), 0)
		}, ColumnWidth, ColumnHeight},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := tc.make()
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := Render(&buf, p, "png", tc.width, tc.height, goldenDPI); err != nil {
				t.Fatal(err)
			}
			checkGolden(t, tc.name, buf.Bytes())
		})
	}
}

// checkGolden compares a PNG with testdata/<name>_golden.png, or with
// -regen writes it there.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name+"_golden.png")
	if *regen {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden (run go test -regen to create it): %v", err)
	}
	n, total, err := diffPixels(got, want)
	if err != nil {
		t.Fatal(err)
	}
	if float64(n) > maxDiffFrac*float64(total) {
		dir, err := os.MkdirTemp("", "plots-golden-")
		if err == nil {
			out := filepath.Join(dir, name+".png")
			if err = os.WriteFile(out, got, 0o644); err == nil {
				t.Logf("image written to %s", out)
			}
		}
		t.Errorf("%s: %d of %d pixels differ (budget %.0f)", path, n, total, maxDiffFrac*float64(total))
	}
}

// diffPixels decodes two PNGs and counts the pixels that differ by more
// than pixelTol in a channel. Images of different sizes differ everywhere.
func diffPixels(a, b []byte) (n, total int, err error) {
	ia, err := decodeRGBA(a)
	if err != nil {
		return 0, 0, err
	}
	ib, err := decodeRGBA(b)
	if err != nil {
		return 0, 0, err
	}
	total = ia.Bounds().Dx() * ia.Bounds().Dy()
	if ia.Bounds() != ib.Bounds() {
		return total, total, nil
	}
	for i := 0; i < len(ia.Pix); i += 4 {
		for c := range 4 {
			d := int(ia.Pix[i+c]) - int(ib.Pix[i+c])
			if d > pixelTol || d < -pixelTol {
				n++
				break
			}
		}
	}
	return n, total, nil
}

func decodeRGBA(b []byte) (*image.RGBA, error) {
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	dst := image.NewRGBA(img.Bounds())
	draw.Draw(dst, dst.Bounds(), img, img.Bounds().Min, draw.Src)
	return dst, nil
}

func TestDiffPixelsCatchesChange(t *testing.T) {
	// The comparison must see a small but real change: one 20 × 20 px black
	// square on a white 100 × 100 image is 4% of its pixels.
	enc := func(img image.Image) []byte {
		var buf bytes.Buffer
		if err := png.Encode(&buf, img); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	white := image.NewRGBA(image.Rect(0, 0, 100, 100))
	draw.Draw(white, white.Bounds(), image.White, image.Point{}, draw.Src)
	marked := image.NewRGBA(white.Bounds())
	copy(marked.Pix, white.Pix)
	draw.Draw(marked, image.Rect(10, 10, 30, 30), image.Black, image.Point{}, draw.Src)
	n, total, err := diffPixels(enc(white), enc(marked))
	if err != nil {
		t.Fatal(err)
	}
	if n != 400 || total != 10000 {
		t.Errorf("diffPixels = %d of %d, want 400 of 10000", n, total)
	}
	if n, _, _ := diffPixels(enc(white), enc(white)); n != 0 {
		t.Errorf("identical images: %d pixels differ", n)
	}
}
