package experiments

import (
	"context"
	"math"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"time"

	"drtp/dataset"
	"drtp/network"
	"drtp/rundir"
)

// trainer runs the epochs of one rate-based network on one training set,
// gathering shuffled minibatches into preallocated buffers.
type trainer struct {
	net    *network.Net
	set    *dataset.Set
	batch  int
	order  []int
	x, t   []float32
	labels []int
	angles []float64
	seen   int // samples trained on since the start of the run
}

func newTrainer(net *network.Net, set *dataset.Set, batch int) *trainer {
	tr := &trainer{net: net, set: set, batch: batch, order: make([]int, set.N),
		x: make([]float32, batch*set.Features), t: make([]float32, batch*set.Outputs)}
	if set.Labels != nil {
		tr.labels = make([]int, batch)
	}
	return tr
}

// gather copies the samples order[i:i+n] into the batch buffers.
func (tr *trainer) gather(idx []int) network.Batch {
	f, o := tr.set.Features, tr.set.Outputs
	for r, i := range idx {
		copy(tr.x[r*f:(r+1)*f], tr.set.X[i*f:(i+1)*f])
		copy(tr.t[r*o:(r+1)*o], tr.set.T[i*o:(i+1)*o])
		if tr.labels != nil {
			tr.labels[r] = tr.set.Labels[i]
		}
	}
	b := network.Batch{X: tr.x, T: tr.t, N: len(idx)}
	if tr.labels != nil {
		b.Labels = tr.labels[:len(idx)]
	}
	return b
}

// epoch trains one pass over the set in a fresh random order. Angles are
// measured on a batch, before it is learnt, each time another cfg.Angles
// samples have been seen.
func (tr *trainer) epoch(ctx context.Context, rng *rand.Rand, epoch int, cfg TrainConfig, log *AngleLog, progress func(int)) (EpochMetrics, error) {
	for i := range tr.order {
		tr.order[i] = i
	}
	rng.Shuffle(len(tr.order), func(i, j int) { tr.order[i], tr.order[j] = tr.order[j], tr.order[i] })
	m := EpochMetrics{Epoch: epoch}
	var sums []float64
	var counts []int
	var elapsed time.Duration
	tr.seen = (epoch - 1) * tr.set.N
	for i := 0; i < tr.set.N; i += tr.batch {
		if err := ctx.Err(); err != nil {
			return m, err
		}
		n := min(tr.batch, tr.set.N-i)
		b := tr.gather(tr.order[i : i+n])
		if log != nil && (tr.seen+n)/cfg.Angles > tr.seen/cfg.Angles {
			if cfg.AngleOf == "dy" {
				tr.angles = tr.net.OutputAngles(tr.angles, b)
			} else {
				tr.angles = tr.net.Angles(tr.angles, b)
			}
			log.Add(tr.seen+n, epoch, tr.angles)
			if sums == nil {
				sums, counts = make([]float64, len(tr.angles)), make([]int, len(tr.angles))
			}
			for k, a := range tr.angles {
				if !math.IsNaN(a) {
					sums[k] += a
					counts[k]++
				}
			}
		}
		t0 := time.Now()
		tr.net.TrainBatch(b)
		elapsed += time.Since(t0)
		tr.seen += n
		if progress != nil {
			progress(i + n)
		}
	}
	m.Seconds = elapsed.Seconds()
	m.SamplesPerSec = float64(tr.set.N) / m.Seconds
	if log != nil {
		m.Angles = make([]float64, tr.net.Hidden())
		for k := range m.Angles {
			m.Angles[k] = math.NaN()
			if k < len(counts) && counts[k] > 0 {
				m.Angles[k] = sums[k] / float64(counts[k])
			}
		}
	}
	return m, nil
}

// MetricsHeader is the header of metrics.csv for a network with the given
// number of hidden layers (angle columns only when recorded).
func MetricsHeader(hidden int, angles bool) []string {
	h := []string{"epoch", "train_loss", "train_error", "test_loss", "test_error", "seconds", "samples_per_sec"}
	if angles {
		for k := 1; k <= hidden; k++ {
			h = append(h, "angle_"+itoa(k))
		}
	}
	return h
}

func writeMetrics(path string, rows []EpochMetrics, hidden int, angles bool) error {
	var sb strings.Builder
	sb.WriteString(strings.Join(MetricsHeader(hidden, angles), ",") + "\n")
	for _, r := range rows {
		f := []string{itoa(r.Epoch), ftoa(r.TrainLoss), ftoa(r.TrainErr), ftoa(r.TestLoss), ftoa(r.TestErr), ftoa(r.Seconds), ftoa(r.SamplesPerSec)}
		if angles {
			for k := 0; k < hidden; k++ {
				a := math.NaN()
				if k < len(r.Angles) {
					a = r.Angles[k]
				}
				f = append(f, ftoa(a))
			}
		}
		sb.WriteString(strings.Join(f, ",") + "\n")
	}
	return rundir.WriteFile(path, []byte(sb.String()))
}

// AngleLog collects angle measurements and rewrites angles.csv
// (samples, epoch, angle_1 … angle_K) atomically at each Flush.
type AngleLog struct {
	Path   string
	Layers int
	rows   []string
}

// Add records the angles measured after samples training samples.
func (l *AngleLog) Add(samples, epoch int, angles []float64) {
	f := []string{itoa(samples), itoa(epoch)}
	for _, a := range angles {
		f = append(f, ftoa(a))
	}
	l.rows = append(l.rows, strings.Join(f, ","))
}

// Load reads back the rows of an existing angles.csv that belong to the
// epochs up to last, the last one the resumed run's checkpoint holds:
// rows of an epoch that did not finish are dropped, as it will be run again.
func (l *AngleLog) Load(last int) {
	b, err := os.ReadFile(l.Path)
	if err != nil {
		return
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	l.rows = l.rows[:0]
	for _, line := range lines[1:] {
		f := strings.SplitN(line, ",", 3)
		if len(f) < 2 {
			continue
		}
		if epoch, err := strconv.Atoi(f[1]); err == nil && epoch <= last {
			l.rows = append(l.rows, line)
		}
	}
}

// Flush writes the file.
func (l *AngleLog) Flush() error {
	h := []string{"samples", "epoch"}
	for k := 1; k <= l.Layers; k++ {
		h = append(h, "angle_"+itoa(k))
	}
	return rundir.WriteFile(l.Path, []byte(strings.Join(append([]string{strings.Join(h, ",")}, l.rows...), "\n")+"\n"))
}
