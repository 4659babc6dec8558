package experiments

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"strconv"

	"drtp/dataset"
	"drtp/network"
	"drtp/neuron"
	"drtp/plots"
	"drtp/rundir"
)

// Densities (Figs. S4–S6): the distribution of the first hidden layer's
// activations on the first DensitySamples test examples, estimated over
// DensityBins equal bins (eq. P4 of package plots).
const (
	DensitySamples = 100 // test examples, as in the paper
	DensityBins    = 60
)

// densityEpoch reports whether a run with --densities records the density
// after epoch e (0: before training): epochs 0, 1, 2, 5, 10, 20, 50, 100,
// 200, 500, …, and the last one.
func densityEpoch(e, last int) bool {
	if e == last {
		return true
	}
	for e >= 10 && e%10 == 0 {
		e /= 10
	}
	return e == 0 || e == 1 || e == 2 || e == 5
}

// HiddenDensity is the density of the first hidden layer's activations
// after one epoch of training.
type HiddenDensity struct {
	Epoch  int
	Lo, Hi float64   // range of the bins
	P      []float64 // density in each of DensityBins equal bins, area 1
}

// hiddenValues returns the activations of net's first hidden layer, an FC
// layer, on the first n examples of set.
func hiddenValues(net *network.Net, set *dataset.Set, n int) ([]float64, error) {
	l := net.Layers[0]
	if l.Syn == nil || net.Hidden() == 0 {
		return nil, badf("activation densities are drawn for a first hidden layer that is FC, not a CONV layer or the output")
	}
	set = set.Head(n)
	z := make([]float32, set.N*l.Syn.Out)
	y := make([]float32, len(z))
	l.Syn.Forward(z, set.X, set.N)
	net.Config().Hidden.Apply(y, z)
	out := make([]float64, len(y))
	for i, v := range y {
		out[i] = float64(v)
	}
	return out, nil
}

// hiddenDensity estimates the density of values, the activations of
// hidden units with activation f: over f's range for tanh ([−1, 1]) and the
// sigmoid ([0, 1]), so that every epoch shares the bins, else over the
// values' own range.
func hiddenDensity(epoch int, values []float64, f neuron.Activation) HiddenDensity {
	d := HiddenDensity{Epoch: epoch, P: make([]float64, DensityBins)}
	switch f.(type) {
	case neuron.Tanh:
		d.Lo, d.Hi = -1, 1
	case neuron.Sigmoid:
		d.Lo, d.Hi = 0, 1
	default:
		d.Lo, d.Hi = math.Inf(1), math.Inf(-1)
		for _, v := range values {
			d.Lo, d.Hi = math.Min(d.Lo, v), math.Max(d.Hi, v)
		}
		if !(d.Lo < d.Hi) {
			d.Hi = d.Lo + 1
		}
	}
	plots.Density(d.P, values, d.Lo, d.Hi)
	return d
}

// recordDensity adds to l the density of net's hidden activations on the
// first DensitySamples examples of test after epoch.
func recordDensity(l *DensityLog, net *network.Net, test *dataset.Set, epoch int) error {
	v, err := hiddenValues(net, test, DensitySamples)
	if err != nil {
		return err
	}
	return l.Add(hiddenDensity(epoch, v, net.Config().Hidden))
}

// DensityLog is a run's densities.csv (rundir.Densities), rewritten whole
// (atomically) at every recorded epoch.
type DensityLog struct {
	Path string
	Rows []HiddenDensity
}

// Load keeps the rows of the file of epochs up to upto: those an
// interrupted run recorded after its checkpoint are dropped, as that run
// will record them again.
func (l *DensityLog) Load(upto int) error {
	rows, err := ReadDensities(l.Path)
	if err != nil {
		if os.IsNotExist(err) {
			return nil
		}
		return err
	}
	for _, r := range rows {
		if r.Epoch <= upto {
			l.Rows = append(l.Rows, r)
		}
	}
	return nil
}

// Add records d and rewrites the file.
func (l *DensityLog) Add(d HiddenDensity) error {
	l.Rows = append(l.Rows, d)
	var b bytes.Buffer
	b.WriteString("epoch,lo,hi")
	for i := 1; i <= DensityBins; i++ {
		fmt.Fprintf(&b, ",p_%d", i)
	}
	b.WriteByte('\n')
	for _, r := range l.Rows {
		fmt.Fprintf(&b, "%d,%s,%s", r.Epoch, fmtFloat(r.Lo), fmtFloat(r.Hi))
		for _, p := range r.P {
			b.WriteString("," + fmtFloat(p))
		}
		b.WriteByte('\n')
	}
	return rundir.WriteFile(l.Path, b.Bytes())
}

func fmtFloat(v float64) string { return strconv.FormatFloat(v, 'g', 6, 64) }

// ReadDensities reads a densities.csv, naming the line and field of any
// problem.
func ReadDensities(path string) ([]HiddenDensity, error) {
	cols, err := readNumericCSV(path)
	if err != nil {
		return nil, err
	}
	if len(cols) == 0 {
		return nil, nil // a header and no rows
	}
	bins := 0
	for cols[fmt.Sprintf("p_%d", bins+1)] != nil {
		bins++
	}
	if cols["epoch"] == nil || cols["lo"] == nil || cols["hi"] == nil || bins == 0 {
		return nil, fmt.Errorf("read %s: expected the columns epoch, lo, hi, p_1, …", path)
	}
	rows := make([]HiddenDensity, len(cols["epoch"]))
	for i := range rows {
		r := &rows[i]
		r.Epoch, r.Lo, r.Hi = int(cols["epoch"][i]), cols["lo"][i], cols["hi"][i]
		r.P = make([]float64, bins)
		for b := range r.P {
			r.P[b] = cols[fmt.Sprintf("p_%d", b+1)][i]
		}
	}
	return rows, nil
}
