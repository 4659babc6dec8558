package plots

import (
	"fmt"
	"image/color"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Spike is one spike of one neuron.
type Spike struct {
	T      float64 // time of the spike, ms from the start of the sample
	Neuron int     // index of the neuron in its layer, from 0
}

// LayerSpikes holds the spikes of one layer during one sample.
type LayerSpikes struct {
	Name    string // e.g. "input", "hidden 1", "output"; "" means "layer k"
	Neurons int    // number of neurons in the layer
	Spikes  []Spike
}

// Raster draws the spikes of several layers on one shared time axis
// (ms), each layer in its own horizontal band, the first layer at the
// top. Band k of L has height 1 in data units and the bands are Gap apart,
// so neuron i of layer k, with N neurons, sits at (eq. P3)
//
//	y = (L − 1 − k)(1 + Gap) + (i + ½)/N.
//
// A spike is a short vertical tick. Raster implements plot.Plotter and
// plot.DataRanger.
type Raster struct {
	// Layers is a copy of the spikes, first layer drawn at the top.
	Layers []LayerSpikes
	// Duration is the length of the time axis, ms.
	Duration float64
	// Gap is the space between bands as a fraction of a band's height.
	Gap float64

	// LineStyle is the style of the spike ticks. Its colour is used for
	// the layers that Colors leaves out.
	draw.LineStyle
	// Colors, when not nil, gives the colour of layer k's ticks as
	// Colors[k % len(Colors)].
	Colors []color.Color
	// Separator is the style of the line drawn between bands; a nil colour
	// draws none.
	Separator draw.LineStyle
}

var (
	_ plot.Plotter    = (*Raster)(nil)
	_ plot.DataRanger = (*Raster)(nil)
)

// NewRaster returns a Raster of copies of layers over [0, duration] ms,
// with black ticks and thin grey separators. It returns an error if layers
// is empty, duration is not positive and finite, a layer has no neurons, or
// a spike has a NaN or infinite time, a time outside [0, duration], or a
// neuron index outside [0, Neurons). A layer without spikes is valid: a
// silent layer.
func NewRaster(layers []LayerSpikes, duration float64) (*Raster, error) {
	if len(layers) == 0 {
		return nil, fmt.Errorf("plots: raster: %w", errEmpty)
	}
	if !isFinite(duration) || duration <= 0 {
		return nil, fmt.Errorf("plots: raster: duration %v ms: must be positive and finite", duration)
	}
	cp := make([]LayerSpikes, len(layers))
	for k, l := range layers {
		if l.Name == "" {
			l.Name = "layer " + strconv.Itoa(k)
		}
		if l.Neurons <= 0 {
			return nil, fmt.Errorf("plots: raster: layer %d (%q): %d neurons: %w", k, l.Name, l.Neurons, errEmpty)
		}
		for j, s := range l.Spikes {
			switch {
			case !isFinite(s.T):
				return nil, fmt.Errorf("plots: raster: layer %d (%q): spike %d: time %v ms not finite", k, l.Name, j, s.T)
			case s.T < 0 || s.T > duration:
				return nil, fmt.Errorf("plots: raster: layer %d (%q): spike %d: time %v ms outside [0, %v]", k, l.Name, j, s.T, duration)
			case s.Neuron < 0 || s.Neuron >= l.Neurons:
				return nil, fmt.Errorf("plots: raster: layer %d (%q): spike %d: neuron %d outside [0, %d)", k, l.Name, j, s.Neuron, l.Neurons)
			}
		}
		l.Spikes = append([]Spike(nil), l.Spikes...)
		cp[k] = l
	}
	return &Raster{
		Layers:    cp,
		Duration:  duration,
		Gap:       0.12,
		LineStyle: draw.LineStyle{Color: Black, Width: vg.Points(0.6)},
		Separator: draw.LineStyle{Color: color.Gray{Y: 170}, Width: vg.Points(0.5)},
	}, nil
}

// bandBottom is the y of the bottom of layer k's band.
func (r *Raster) bandBottom(k int) float64 {
	return float64(len(r.Layers)-1-k) * (1 + r.Gap)
}

// DataRange implements plot.DataRanger.
func (r *Raster) DataRange() (xmin, xmax, ymin, ymax float64) {
	return 0, r.Duration, 0, r.bandBottom(0) + 1
}

// Plot draws the ticks and separators, implementing plot.Plotter.
func (r *Raster) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	if r.Separator.Color != nil {
		for k := 1; k < len(r.Layers); k++ {
			y := trY(r.bandBottom(k) + 1 + r.Gap/2)
			c.StrokeLine2(r.Separator, c.Min.X, y, c.Max.X, y)
		}
	}
	for k, l := range r.Layers {
		sty := r.LineStyle
		if len(r.Colors) > 0 {
			sty.Color = r.Colors[k%len(r.Colors)]
		}
		// Tick height: 80% of a neuron's row, kept between 0.8 and 5 pt
		// so that dense layers stay visible and sparse ones stay ticks.
		bottom := r.bandBottom(k)
		row := (trY(bottom+1) - trY(bottom)) / vg.Length(l.Neurons)
		h := min(max(0.8*row, vg.Points(0.8)), vg.Points(5))
		var path vg.Path
		for _, s := range l.Spikes {
			x := trX(s.T)
			y := trY(bottom + (float64(s.Neuron)+0.5)/float64(l.Neurons)) // eq. P3
			if !c.ContainsX(x) {
				continue
			}
			path.Move(vg.Point{X: x, Y: y - h/2})
			path.Line(vg.Point{X: x, Y: y + h/2})
		}
		if len(path) > 0 {
			c.SetLineStyle(sty)
			c.Stroke(path)
		}
	}
}

// layerTicks labels each band of r at its middle with the layer's name and
// size.
func (r *Raster) layerTicks() plot.ConstantTicks {
	var ticks plot.ConstantTicks
	for k, l := range r.Layers {
		b := r.bandBottom(k)
		ticks = append(ticks, plot.Tick{Value: b + 0.5, Label: l.Name + "\n(" + strconv.Itoa(l.Neurons) + ")"})
	}
	return ticks
}

// RasterHeight is the height of a raster figure for Save: taller than a
// curve figure, to give each layer's band room.
const RasterHeight = 4.5 * vg.Inch

// RasterPlot draws the spikes of the layers of one sample stacked on one
// time axis (ms), first layer at the top, each band labelled with its
// layer's name and size. title should give the sample's label and the
// network's prediction; RasterTitle formats one. Errors are NewRaster's.
func RasterPlot(title string, layers []LayerSpikes, duration float64) (*plot.Plot, error) {
	r, err := NewRaster(layers, duration)
	if err != nil {
		return nil, err
	}
	r.Colors = layerColors(len(layers))
	p := newPlot(title, "time (ms)", "")
	p.Add(r)
	p.X.Min, p.X.Max = 0, duration
	p.Y.Tick.Marker = r.layerTicks()
	p.Y.Tick.Length = vg.Points(3)
	return p, nil
}

// layerColors colours the first layer (the input) black, the last (the
// output) vermillion and the hidden ones blue.
func layerColors(n int) []color.Color {
	cs := make([]color.Color, n)
	for k := range cs {
		switch {
		case k == 0:
			cs[k] = Black
		case k == n-1:
			cs[k] = Vermillion
		default:
			cs[k] = Blue
		}
	}
	return cs
}

// RasterTitle is a raster title giving a sample's label and the network's
// prediction: "label 3, predicted 3" or "label 3, predicted 5 (wrong)".
func RasterTitle(label, prediction int) string {
	s := "label " + strconv.Itoa(label) + ", predicted " + strconv.Itoa(prediction)
	if label != prediction {
		s += " (wrong)"
	}
	return s
}
