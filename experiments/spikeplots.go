package experiments

import (
	"fmt"
	"path/filepath"
	"strings"

	"gonum.org/v1/plot"

	"drtp/network"
	"drtp/plots"
	"drtp/spiking"
)

// plotSpiking draws the recordings of a spiking run (drtp train --neuron
// lif --record ...): the raster and membrane traces of the first recorded
// test sample, and the histogram of hidden firing rates.
func plotSpiking(kind, dir string, cfg TrainConfig, prefix string, save func(func() (*plot.Plot, error), string) error) ([]string, error) {
	if cfg.Neuron != "lif" {
		return nil, fmt.Errorf("%w: %s is a rate network: %s plots need a spiking run (--neuron lif --record ...)", ErrBadConfig, dir, kind)
	}
	need := map[string]string{"raster": SpikesFile, "membrane": MembraneFile, "rates": RatesFile}[kind]
	rows, err := readNumericCSV(filepath.Join(dir, need))
	if err != nil {
		return nil, fmt.Errorf("%w: %s has no %s: train with --record %s (%v)", ErrBadConfig, dir, need, strings.TrimSuffix(kind, "r"), err)
	}
	theta := spiking.DefaultConfig().Theta
	label, pred := -1, -1
	if rec, err := readNumericCSV(filepath.Join(dir, LabelsFile)); err == nil && len(rec["label"]) > 0 {
		label, pred = int(rec["label"][0]), int(rec["prediction"][0])
	}
	title := fmt.Sprintf("%s %s, MNIST test sample 0", PaperRule(cfg.Algo), cfg.Net)
	switch kind {
	case "raster":
		widths, err := layerWidths(cfg)
		if err != nil {
			return nil, err
		}
		names := []string{"input"}
		for k := 1; k < len(widths)-1; k++ {
			names = append(names, fmt.Sprintf("hidden %d", k))
		}
		names = append(names, "output")
		layers := make([]plots.LayerSpikes, len(widths))
		for k := range layers {
			layers[k] = plots.LayerSpikes{Name: names[k], Neurons: widths[k]}
		}
		for i := range rows["sample"] {
			if rows["sample"][i] != 0 {
				continue
			}
			k := int(rows["layer"][i])
			if k < 0 || k >= len(layers) {
				return nil, fmt.Errorf("%s: layer %d outside the network", need, k)
			}
			layers[k].Spikes = append(layers[k].Spikes, plots.Spike{T: rows["step"][i] * cfg.DT, Neuron: int(rows["neuron"][i])})
		}
		t := title
		if label >= 0 {
			t = plots.RasterTitle(label, pred)
		}
		err = save(func() (*plot.Plot, error) { return plots.RasterPlot(t, layers, float64(cfg.Steps)*cfg.DT) }, prefix)
		return []string{prefix}, err
	case "membrane":
		if out, err := readNumericCSV(filepath.Join(dir, OutputVFile)); err == nil {
			for _, c := range []string{"sample", "step", "layer", "neuron", "v"} {
				rows[c] = append(rows[c], out[c]...)
			}
		}
		traces := map[string]*plots.Trace{}
		var order []string
		for i := range rows["sample"] {
			if rows["sample"][i] != 0 {
				continue
			}
			layer, n := int(rows["layer"][i]), int(rows["neuron"][i])
			name := fmt.Sprintf("hidden neuron %d", n)
			if layer > 1 {
				if label >= 0 && n != label && n != pred {
					continue // the output neurons of the label and the prediction
				}
				name = fmt.Sprintf("output neuron %d", n)
			}
			tr := traces[name]
			if tr == nil {
				tr = &plots.Trace{Label: name, DT: cfg.DT}
				traces[name] = tr
				order = append(order, name)
			}
			tr.V = append(tr.V, rows["v"][i])
		}
		// Spike times come from the raster when it was recorded: with reset
		// by subtraction a neuron driven hard stays above θ and fires at
		// every step, which threshold crossings would miss.
		if sp, err := readNumericCSV(filepath.Join(dir, SpikesFile)); err == nil {
			for name := range traces {
				traces[name].Spikes = []float64{}
			}
			for i := range sp["sample"] {
				if sp["sample"][i] != 0 || sp["layer"][i] < 1 {
					continue
				}
				name := fmt.Sprintf("hidden neuron %d", int(sp["neuron"][i]))
				if int(sp["layer"][i]) > 1 {
					name = fmt.Sprintf("output neuron %d", int(sp["neuron"][i]))
				}
				if tr := traces[name]; tr != nil {
					tr.Spikes = append(tr.Spikes, sp["step"][i]*cfg.DT)
				}
			}
		}
		ts := pickTraces(traces, order, cfg.Steps, 3)
		err := save(func() (*plot.Plot, error) {
			return plots.MembranePlot(title, "membrane potential (units of θ)", ts, theta)
		}, prefix)
		return []string{prefix}, err
	default: // rates
		var hz []float64
		for i := range rows["layer"] {
			if rows["layer"][i] == 1 {
				hz = append(hz, rows["hz"][i])
			}
		}
		err := save(func() (*plot.Plot, error) {
			return plots.RateHistogram(fmt.Sprintf("%s %s: first hidden layer, %d test samples", PaperRule(cfg.Algo), cfg.Net, recordRates), hz, 0)
		}, prefix)
		return []string{prefix}, err
	}
}

// layerWidths returns the input width and every layer's width of a run.
func layerWidths(cfg TrainConfig) ([]int, error) {
	specs, err := network.ParseTopology(cfg.Net)
	if err != nil {
		return nil, err
	}
	in := 784
	if cfg.Data != "mnist" && cfg.Data != "fashion-mnist" {
		return nil, fmt.Errorf("spiking rasters are drawn for 28×28 images only")
	}
	w := []int{in}
	for _, s := range specs {
		w = append(w, s.Out)
	}
	return w, nil
}

// pickTraces returns the output traces and up to hidden hidden ones, in the
// recorded order, preferring hidden neurons that fire on some steps but not
// all: a silent or saturated neuron's trace says little about its dynamics.
func pickTraces(traces map[string]*plots.Trace, order []string, steps, hidden int) []plots.Trace {
	informative := func(tr *plots.Trace) bool {
		return tr.Spikes == nil || (len(tr.Spikes) > 0 && len(tr.Spikes) < steps)
	}
	var ts []plots.Trace
	picked := 0
	for _, pass := range []bool{true, false} {
		for _, name := range order {
			tr := traces[name]
			if strings.HasPrefix(name, "hidden") && picked < hidden && informative(tr) == pass {
				ts = append(ts, *tr)
				picked++
			}
		}
	}
	for _, name := range order {
		if !strings.HasPrefix(name, "hidden") {
			ts = append(ts, *traces[name])
		}
	}
	return ts
}
