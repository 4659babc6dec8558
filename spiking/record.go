package spiking

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
)

// StepView is what a Recorder sees after each step: read-only views of the
// simulation's own buffers, valid only during the call. A recorder must
// neither modify nor keep them.
type StepView struct {
	Sample int         // sample index given to the run
	Step   int         // t, from 0
	Inputs int         // number of inputs
	Input  []int32     // input events of the step (indices)
	Layers []LayerView // hidden layers, then the output
}

// LayerView is one layer's state after a step.
type LayerView struct {
	Spikes []int32   // neurons that fired at this step
	V      []float32 // membrane potentials (the readout u for an integrating output)
	Psi    []float32 // post-synaptic factors ψ, or nil when not learning
}

// Recorder observes a simulation step by step without changing it.
// Recorders stream what they keep (to an io.Writer) or keep a fixed-size
// summary, never the whole run.
type Recorder interface {
	Record(s *StepView) error
}

func (w *worker) record(md mode, t int) error {
	v := &w.view
	v.Sample, v.Step, v.Inputs, v.Input = md.sample, t, w.n.inputs, w.in
	for k, s := range w.ls {
		var psi []float32
		if md.learn {
			psi = s.psi
		}
		v.Layers[k] = LayerView{Spikes: s.spikes, V: s.lif.V, Psi: psi}
	}
	return md.rec.Record(v)
}

// Recorders is a Recorder that passes each step to all of its members, in
// order, stopping at the first error.
type Recorders []Recorder

// Record calls every member.
func (rs Recorders) Record(s *StepView) error {
	for _, r := range rs {
		if err := r.Record(s); err != nil {
			return err
		}
	}
	return nil
}

// SpikeCSV streams spike events as CSV lines "sample,step,layer,neuron"
// (a raster), layer 0 being the input and layer k ≥ 1 the network's k-th
// layer. Call Flush when done.
type SpikeCSV struct {
	w      *bufio.Writer
	layers map[int]bool // nil: all
	header bool
	buf    []byte
}

// NewSpikeCSV returns a raster recorder writing to w the spikes of the
// given layers (0 = input), or of every layer when none are given.
func NewSpikeCSV(w io.Writer, layers ...int) *SpikeCSV {
	r := &SpikeCSV{w: bufio.NewWriter(w)}
	if len(layers) > 0 {
		r.layers = make(map[int]bool)
		for _, l := range layers {
			r.layers[l] = true
		}
	}
	return r
}

// Record writes the step's spikes.
func (r *SpikeCSV) Record(s *StepView) error {
	if !r.header {
		r.header = true
		if _, err := r.w.WriteString("sample,step,layer,neuron\n"); err != nil {
			return fmt.Errorf("spike raster: %w", err)
		}
	}
	emit := func(layer int, spikes []int32) error {
		if r.layers != nil && !r.layers[layer] {
			return nil
		}
		for _, i := range spikes {
			b := strconv.AppendInt(r.buf[:0], int64(s.Sample), 10)
			b = append(b, ',')
			b = strconv.AppendInt(b, int64(s.Step), 10)
			b = append(b, ',')
			b = strconv.AppendInt(b, int64(layer), 10)
			b = append(b, ',')
			b = strconv.AppendInt(b, int64(i), 10)
			b = append(b, '\n')
			r.buf = b
			if _, err := r.w.Write(b); err != nil {
				return fmt.Errorf("spike raster: %w", err)
			}
		}
		return nil
	}
	if err := emit(0, s.Input); err != nil {
		return err
	}
	for k, l := range s.Layers {
		if err := emit(k+1, l.Spikes); err != nil {
			return err
		}
	}
	return nil
}

// Flush writes out buffered lines.
func (r *SpikeCSV) Flush() error {
	if err := r.w.Flush(); err != nil {
		return fmt.Errorf("spike raster: %w", err)
	}
	return nil
}

// MembraneCSV streams the membrane potentials of chosen neurons of one
// layer (k ≥ 1) as CSV lines "sample,step,layer,neuron,v". Call Flush when
// done.
type MembraneCSV struct {
	w       *bufio.Writer
	layer   int
	neurons []int
	header  bool
	buf     []byte
}

// NewMembraneCSV returns a recorder of the potentials of neurons of layer
// (1 = first hidden layer).
func NewMembraneCSV(w io.Writer, layer int, neurons ...int) *MembraneCSV {
	return &MembraneCSV{w: bufio.NewWriter(w), layer: layer, neurons: append([]int(nil), neurons...)}
}

// Record writes the chosen potentials.
func (r *MembraneCSV) Record(s *StepView) error {
	if r.layer < 1 || r.layer > len(s.Layers) {
		return fmt.Errorf("membrane recorder: layer %d outside 1..%d", r.layer, len(s.Layers))
	}
	if !r.header {
		r.header = true
		if _, err := r.w.WriteString("sample,step,layer,neuron,v\n"); err != nil {
			return fmt.Errorf("membrane recorder: %w", err)
		}
	}
	v := s.Layers[r.layer-1].V
	for _, i := range r.neurons {
		if i < 0 || i >= len(v) {
			return fmt.Errorf("membrane recorder: neuron %d outside layer %d of %d", i, r.layer, len(v))
		}
		b := strconv.AppendInt(r.buf[:0], int64(s.Sample), 10)
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(s.Step), 10)
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(r.layer), 10)
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(i), 10)
		b = append(b, ',')
		b = strconv.AppendFloat(b, float64(v[i]), 'g', 6, 32)
		b = append(b, '\n')
		r.buf = b
		if _, err := r.w.Write(b); err != nil {
			return fmt.Errorf("membrane recorder: %w", err)
		}
	}
	return nil
}

// Flush writes out buffered lines.
func (r *MembraneCSV) Flush() error {
	if err := r.w.Flush(); err != nil {
		return fmt.Errorf("membrane recorder: %w", err)
	}
	return nil
}

// Rates counts spikes per neuron of every layer (0 = input) over the steps
// it has seen: a fixed-size summary, whatever the length of the run.
type Rates struct {
	DT     float64     // step, ms, to convert counts to Hz
	Counts [][]float64 // Counts[layer][neuron]
	Steps  int         // steps seen
}

// NewRates returns a firing-rate recorder for steps of dt ms.
func NewRates(dt float64) *Rates { return &Rates{DT: dt} }

// Record counts the step's spikes.
func (r *Rates) Record(s *StepView) error {
	if r.Counts == nil {
		r.Counts = make([][]float64, len(s.Layers)+1)
		r.Counts[0] = make([]float64, s.Inputs)
		for k, l := range s.Layers {
			r.Counts[k+1] = make([]float64, len(l.V))
		}
	}
	r.Steps++
	for _, i := range s.Input {
		r.Counts[0][i]++
	}
	for k, l := range s.Layers {
		for _, i := range l.Spikes {
			r.Counts[k+1][i]++
		}
	}
	return nil
}

// Hz returns the mean firing rate of each neuron of layer (0 = input), Hz.
func (r *Rates) Hz(layer int) []float64 {
	out := make([]float64, len(r.Counts[layer]))
	if r.Steps == 0 {
		return out
	}
	sec := float64(r.Steps) * r.DT / 1000
	for i, c := range r.Counts[layer] {
		out[i] = c / sec
	}
	return out
}
