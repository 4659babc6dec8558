package plots

import (
	"image/color"
	"strings"
	"unicode"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// The Okabe–Ito palette (Okabe & Ito 2008, "Color Universal Design"),
// distinguishable under the common forms of colour blindness.
var (
	Black         = color.NRGBA{R: 0x00, G: 0x00, B: 0x00, A: 0xff}
	Orange        = color.NRGBA{R: 0xe6, G: 0x9f, B: 0x00, A: 0xff}
	SkyBlue       = color.NRGBA{R: 0x56, G: 0xb4, B: 0xe9, A: 0xff}
	BluishGreen   = color.NRGBA{R: 0x00, G: 0x9e, B: 0x73, A: 0xff}
	Yellow        = color.NRGBA{R: 0xf0, G: 0xe4, B: 0x42, A: 0xff}
	Blue          = color.NRGBA{R: 0x00, G: 0x72, B: 0xb2, A: 0xff}
	Vermillion    = color.NRGBA{R: 0xd5, G: 0x5e, B: 0x00, A: 0xff}
	ReddishPurple = color.NRGBA{R: 0xcc, G: 0x79, B: 0xa7, A: 0xff}
)

// ruleColors fixes one colour per learning rule, the same in every figure:
// BP black (the reference), FA orange, DFA sky blue, sDFA blue (DFA's
// sign-only variant, a darker shade of the same hue), DRTP vermillion,
// shallow reddish purple. Bluish green and yellow are left for other series.
var ruleColors = []struct {
	name string
	c    color.NRGBA
}{
	{"BP", Black},
	{"FA", Orange},
	{"DFA", SkyBlue},
	{"sDFA", Blue},
	{"DRTP", Vermillion},
	{"shallow", ReddishPurple},
}

// otherColors is the order in which series that name no rule get colours.
var otherColors = []color.NRGBA{Blue, Vermillion, BluishGreen, Orange, ReddishPurple, SkyBlue, Black}

// dashCycle distinguishes series that share a colour: solid, dashed, dotted,
// dash-dot (lengths in points).
var dashCycle = [][]vg.Length{
	nil,
	{vg.Points(5), vg.Points(2.5)},
	{vg.Points(1.2), vg.Points(1.8)},
	{vg.Points(5), vg.Points(2), vg.Points(1.2), vg.Points(2)},
}

// RuleColor returns the fixed colour of the learning rule that label names,
// and whether it names one. The rule is the label's first word, compared
// without case: "DRTP", "drtp (layer 1)", "sDFA-test" and "BP: train" all
// name a rule; "layer 1" does not.
func RuleColor(label string) (color.NRGBA, bool) {
	word := strings.FieldsFunc(label, func(r rune) bool {
		return !unicode.IsLetter(r)
	})
	if len(word) == 0 {
		return color.NRGBA{}, false
	}
	for _, rc := range ruleColors {
		if strings.EqualFold(word[0], rc.name) {
			return rc.c, true
		}
	}
	return color.NRGBA{}, false
}

// seriesStyle is the colour and dash pattern of one series.
type seriesStyle struct {
	color  color.NRGBA
	dashes []vg.Length
}

// assignStyles gives each label a colour and a dash pattern. Labels naming a
// rule get the rule's colour; the others get the first colour no series of
// the plot uses yet. Series sharing a colour are told apart by dashes, in
// order of appearance.
func assignStyles(labels []string) []seriesStyle {
	styles := make([]seriesStyle, len(labels))
	used := map[color.NRGBA]int{}
	known := make([]bool, len(labels))
	for i, l := range labels {
		if c, ok := RuleColor(l); ok {
			styles[i].color, known[i] = c, true
			used[c]++
		}
	}
	cycle := 0
	for i := range labels {
		if known[i] {
			continue
		}
		c := otherColors[cycle%len(otherColors)]
		for _, cand := range otherColors {
			if used[cand] == 0 {
				c = cand
				break
			}
		}
		if used[c] != 0 { // every colour taken: cycle, dashes tell apart
			cycle++
		}
		styles[i].color = c
		used[c]++
	}
	seen := map[color.NRGBA]int{}
	for i := range styles {
		n := seen[styles[i].color]
		styles[i].dashes = dashCycle[n%len(dashCycle)]
		seen[styles[i].color]++
	}
	return styles
}

// withAlpha returns c with opacity a in [0, 1].
func withAlpha(c color.NRGBA, a float64) color.NRGBA {
	c.A = uint8(a*255 + 0.5)
	return c
}

// Text sizes in points, for a figure printed at about its own size
// (ColumnWidth wide).
const (
	titleSize  = 11
	labelSize  = 10
	tickSize   = 9
	legendSize = 9
)

// Line widths.
var (
	curveWidth = vg.Points(1.3)
	axisWidth  = vg.Points(0.6)
	gridColor  = color.Gray{Y: 225}
	refColor   = color.Gray{Y: 90}
)

// sans is the face of all text: Liberation Sans, embedded in gonum/plot and
// metrically compatible with Arial/Helvetica.
var sans = font.Font{Typeface: "Liberation", Variant: "Sans"}

// newPlot returns an empty plot in the package's style: sans-serif text,
// thin axes with short ticks, labelled axes.
func newPlot(title, xLabel, yLabel string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font = font.From(sans, titleSize)
	p.Title.Padding = vg.Points(8)
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font = font.From(sans, labelSize)
		a.Label.Padding = vg.Points(3)
		a.Tick.Label.Font = font.From(sans, tickSize)
		a.Tick.Length = vg.Points(4)
		a.Tick.LineStyle.Width = axisWidth
		a.LineStyle.Width = axisWidth
		a.Padding = vg.Points(4)
	}
	p.X.Tick.Marker = linearTicks{}
	p.Y.Tick.Marker = linearTicks{}
	p.X.Label.Text = xLabel
	p.Y.Label.Text = yLabel
	p.Legend.TextStyle.Font = font.From(sans, legendSize)
	return p
}

// addGrid adds light major grid lines under everything else.
func addGrid(p *plot.Plot, vertical bool) {
	g := plotter.NewGrid()
	g.Horizontal = draw.LineStyle{Color: gridColor, Width: vg.Points(0.5)}
	if vertical {
		g.Vertical = g.Horizontal
	} else {
		g.Vertical.Color = nil
	}
	p.Add(g)
}
