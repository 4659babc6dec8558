package plots

import (
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// sideLegend is a legend drawn to the right of the axes, outside the data,
// so that it never hides a curve. It is a plotter: its GlyphBoxes reserve a
// strip of its own width at the right edge of the plot (gonum/plot narrows
// the data area so that every glyph box fits), and Plot draws the entries in
// that strip, top-aligned with the data area, thumbnail first.
type sideLegend struct {
	entries []legendEntry
	text.Style
	thumbWidth vg.Length // width of an entry's thumbnail
	gap        vg.Length // space between the data area and the thumbnails
	margin     vg.Length // space right of the longest label
	padding    vg.Length // vertical space between entries
}

type legendEntry struct {
	label  string
	thumbs []plot.Thumbnailer
}

var (
	_ plot.Plotter    = (*sideLegend)(nil)
	_ plot.GlyphBoxer = (*sideLegend)(nil)
)

func newSideLegend() *sideLegend {
	return &sideLegend{
		Style: text.Style{
			Color:   Black,
			Font:    font.From(sans, legendSize),
			XAlign:  draw.XLeft,
			YAlign:  draw.YCenter,
			Handler: plot.DefaultTextHandler,
		},
		thumbWidth: vg.Points(18),
		gap:        vg.Points(10),
		margin:     vg.Points(4),
		padding:    vg.Points(3),
	}
}

// add appends an entry; entries with an empty label are skipped.
func (l *sideLegend) add(label string, thumbs ...plot.Thumbnailer) {
	if label == "" {
		return
	}
	l.entries = append(l.entries, legendEntry{label: label, thumbs: thumbs})
}

// width is the horizontal room the legend needs beside the axes.
func (l *sideLegend) width() vg.Length {
	var w vg.Length
	for _, e := range l.entries {
		w = max(w, l.Style.Width(e.label))
	}
	return l.gap + l.thumbWidth + l.Style.Width(" ") + w + l.margin
}

// entryHeight is the height of one entry row.
func (l *sideLegend) entryHeight() vg.Length {
	var h vg.Length
	for _, e := range l.entries {
		h = max(h, l.Style.Height(e.label))
	}
	return h
}

// GlyphBoxes reserves the legend's strip right of the data (X = 1); its
// zero height leaves the vertical layout alone.
func (l *sideLegend) GlyphBoxes(*plot.Plot) []plot.GlyphBox {
	if len(l.entries) == 0 {
		return nil
	}
	return []plot.GlyphBox{{
		X: 1, Y: 1,
		Rectangle: vg.Rectangle{Max: vg.Point{X: l.width()}},
	}}
}

// Plot draws the entries right of c, the data canvas.
func (l *sideLegend) Plot(c draw.Canvas, _ *plot.Plot) {
	h := l.entryHeight()
	x0 := c.Max.X + l.gap
	top := c.Max.Y
	for _, e := range l.entries {
		icon := draw.Canvas{
			Canvas: c.Canvas,
			Rectangle: vg.Rectangle{
				Min: vg.Point{X: x0, Y: top - h},
				Max: vg.Point{X: x0 + l.thumbWidth, Y: top},
			},
		}
		for _, t := range e.thumbs {
			t.Thumbnail(&icon)
		}
		c.FillText(l.Style, vg.Point{X: x0 + l.thumbWidth + l.Style.Width(" "), Y: top - h/2}, e.label)
		top -= h + l.padding
	}
}
