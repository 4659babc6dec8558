package plots

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgpdf"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Figure sizes for Save. Text sizes (9–11 pt) are chosen for figures
// printed at about this size.
const (
	ColumnWidth  = 5 * vg.Inch   // width of a one-column figure
	ColumnHeight = 3.5 * vg.Inch // height of a curve figure
)

// DPI is the resolution of PNG output from Save, in dots per inch: the
// usual requirement of journals for line art printed at its own size.
const DPI = 300

// Formats Save and Render write, by file extension.
var formats = []string{"png", "svg", "pdf"}

// Render draws p at width × height and writes it to w in format ("png",
// "svg" or "pdf"); PNG is rasterised at dpi dots per inch, dpi = 0 meaning
// DPI. A zero width or height means ColumnWidth or ColumnHeight. SVG text
// names its font (Liberation Sans, metrically Arial) and embeds none; PDF
// embeds its fonts.
//
// Render returns an error for a nil plot, an unknown format, a negative or
// non-finite size, a negative dpi, or a failure to draw or write.
func Render(w io.Writer, p *plot.Plot, format string, width, height vg.Length, dpi int) error {
	if err := render(w, p, format, width, height, dpi); err != nil {
		return fmt.Errorf("plots: render: %w", err)
	}
	return nil
}

// render is Render without the package prefix on errors.
func render(w io.Writer, p *plot.Plot, format string, width, height vg.Length, dpi int) (err error) {
	if p == nil {
		return errors.New("nil plot")
	}
	width, height, err = checkSize(width, height)
	if err != nil {
		return err
	}
	if dpi < 0 {
		return fmt.Errorf("dpi %d is negative", dpi)
	}
	if dpi == 0 {
		dpi = DPI
	}
	// gonum/plot panics on some states a caller can set (a log axis over
	// non-positive values); report them as errors.
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%s: drawing failed: %v", format, r)
		}
	}()
	var c vg.CanvasWriterTo
	switch strings.ToLower(format) {
	case "png":
		img := vgimg.NewWith(vgimg.UseWH(width, height), vgimg.UseDPI(dpi))
		c = vgimg.PngCanvas{Canvas: img}
	case "svg":
		c = vgsvg.New(width, height)
	case "pdf":
		c = vgpdf.New(width, height)
	default:
		return fmt.Errorf("unknown format %q (want one of %s)", format, strings.Join(formats, ", "))
	}
	p.Draw(draw.New(c))
	if _, err := c.WriteTo(w); err != nil {
		return fmt.Errorf("write %s: %w", format, err)
	}
	return nil
}

// checkSize applies the default size and rejects negative or non-finite
// lengths.
func checkSize(width, height vg.Length) (vg.Length, vg.Length, error) {
	if width == 0 {
		width = ColumnWidth
	}
	if height == 0 {
		height = ColumnHeight
	}
	for _, l := range []vg.Length{width, height} {
		if !isFinite(float64(l)) || l <= 0 {
			return 0, 0, fmt.Errorf("size %v × %v pt: lengths must be positive and finite", width.Points(), height.Points())
		}
	}
	return width, height, nil
}

// Save writes p to path in the format its extension names (.png, .svg or
// .pdf), at width × height (zero meaning ColumnWidth or ColumnHeight; use
// RasterHeight for rasters), PNG at DPI. The file is written beside its
// final name and renamed into place, so a reader never sees half a figure.
func Save(p *plot.Plot, path string, width, height vg.Length) (err error) {
	format := strings.TrimPrefix(strings.ToLower(filepath.Ext(path)), ".")
	if !slices.Contains(formats, format) {
		return fmt.Errorf("plots: save %s: unknown extension %q (want one of %s)", path, filepath.Ext(path), strings.Join(formats, ", "))
	}
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return fmt.Errorf("plots: save %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err := render(tmp, p, format, width, height, DPI); err != nil {
		return fmt.Errorf("plots: save %s: %w", path, err)
	}
	if err := tmp.Chmod(0o644); err != nil {
		return fmt.Errorf("plots: save %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("plots: save %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("plots: save %s: %w", path, err)
	}
	return nil
}
