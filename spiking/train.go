package spiking

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sync"
	"time"

	"drtp/dataset"
	"drtp/modulator"
	"drtp/synapse"
)

// Stats summarises a pass over a data set.
type Stats struct {
	Samples     int       // samples simulated
	Loss        float64   // mean loss per sample (eq. O3)
	Error       float64   // misclassified samples, %
	InputSpikes float64   // input events per sample
	Spikes      []float64 // spikes per sample of each layer (hidden layers, then the output)
	SynEvents   float64   // synaptic events: Σ over input events of the fan-out they reach
	Seconds     float64   // wall-clock time of the pass
	Angles      []float64 // mean alignment angle of each hidden layer, degrees (eq. A2); NaN when not measured
}

// SamplesPerSecond returns the throughput of the pass.
func (s Stats) SamplesPerSecond() float64 { return float64(s.Samples) / s.Seconds }

// SynEventsPerSecond returns synaptic events per second of wall-clock time.
func (s Stats) SynEventsPerSecond() float64 { return s.SynEvents / s.Seconds }

// Accuracy returns 100 − Error, in %.
func (s Stats) Accuracy() float64 { return 100 - s.Error }

func (n *Net) checkSet(set *dataset.Set) error {
	C := n.layers[len(n.layers)-1].out
	switch {
	case set == nil || set.N == 0:
		return fmt.Errorf("spiking: empty data set")
	case set.Features != n.inputs:
		return fmt.Errorf("spiking: data set %s has %d features, the network %d inputs", set.Name, set.Features, n.inputs)
	case set.Labels == nil:
		return fmt.Errorf("spiking: data set %s has no class labels", set.Name)
	}
	for i, l := range set.Labels {
		if l < 0 || l >= C {
			return fmt.Errorf("spiking: data set %s: sample %d has label %d, outside [0, %d)", set.Name, i, l, C)
		}
	}
	return nil
}

func (n *Net) resetTallies() {
	for _, w := range n.pool {
		w.st.reset()
	}
}

// stats merges the workers' tallies.
func (n *Net) stats(start time.Time) Stats {
	var t tally
	t.spikes = make([]float64, len(n.layers))
	t.angleSum = make([]float64, len(n.layers))
	t.angleN = make([]int, len(n.layers))
	for _, w := range n.pool {
		t.add(&w.st)
	}
	s := Stats{Samples: t.samples, SynEvents: t.synEvents, Seconds: time.Since(start).Seconds()}
	if t.samples > 0 {
		N := float64(t.samples)
		s.Loss = t.loss / N
		s.Error = 100 * float64(t.errors) / N
		s.InputSpikes = t.inSpikes / N
		s.Spikes = make([]float64, len(n.layers))
		for k := range s.Spikes {
			s.Spikes[k] = t.spikes[k] / N
		}
	}
	s.Angles = make([]float64, len(n.layers)-1)
	for k := range s.Angles {
		s.Angles[k] = math.NaN()
		if t.angleN[k] > 0 {
			s.Angles[k] = t.angleSum[k] / float64(t.angleN[k])
		}
	}
	return s
}

// TrainEpoch trains on every sample of train once, in an order drawn from
// rng, which also seeds the input spikes. Summed updates are applied by the
// optimiser after every batch of Config.Batch samples, which the workers
// simulate in parallel; online updates are applied at every step, one
// sample after the other. progress, if not nil, is called after each batch
// with the number of samples done. The statistics are those of the
// network as it learned (training error on the fly).
func (n *Net) TrainEpoch(train *dataset.Set, rng *rand.Rand, progress func(done int)) (Stats, error) {
	if err := n.checkSet(train); err != nil {
		return Stats{}, err
	}
	start := time.Now()
	n.resetTallies()
	perm := rng.Perm(train.N)
	cfg := &n.cfg
	if cfg.Online {
		w := n.pool[0]
		for i, p := range perm {
			w.pcg.Seed(rng.Uint64(), uint64(p))
			if _, err := w.run(sample(train, p), train.Labels[p], mode{learn: true, online: true}); err != nil {
				return Stats{}, err
			}
			if progress != nil && ((i+1)%cfg.Batch == 0 || i+1 == len(perm)) {
				progress(i + 1)
			}
		}
		n.decayRates()
		return n.stats(start), nil
	}
	B := cfg.Batch
	seeds := make([]uint64, B)
	var wg sync.WaitGroup
	for b, lo := 0, 0; lo < len(perm); b, lo = b+1, lo+B {
		batch := perm[lo:min(lo+B, len(perm))]
		for i := range batch {
			seeds[i] = rng.Uint64()
		}
		angle := cfg.AngleEvery > 0 && b%cfg.AngleEvery == 0
		for wi, w := range n.pool {
			a, z := chunk(len(batch), len(n.pool), wi)
			if a == z {
				continue
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := a; i < z; i++ {
					p := batch[i]
					w.pcg.Seed(seeds[i], uint64(p))
					w.run(sample(train, p), train.Labels[p], mode{learn: true, angle: angle})
				}
			}()
		}
		wg.Wait()
		if angle {
			n.measureAngles()
		}
		n.step()
		if progress != nil {
			progress(lo + len(batch))
		}
	}
	n.decayRates()
	return n.stats(start), nil
}

// decayRates multiplies every learning rate by Config.LRDecay (the
// optimisers of package synapse expose their rate).
func (n *Net) decayRates() {
	f := n.cfg.LRDecay
	if f == 1 {
		return
	}
	scale := func(o synapse.Optimizer) {
		switch s := o.(type) {
		case *synapse.AdamState:
			s.LR *= f
		case *synapse.SGDState:
			s.LR *= float32(f)
		case *synapse.RMSpropState:
			s.LR *= float32(f)
		}
	}
	for _, L := range n.layers {
		for _, o := range L.optW {
			scale(o)
		}
		scale(L.optB)
		L.lr *= float32(f)
	}
}

// step sums the workers' gradients into the first worker's, lets the
// optimiser move the weights (W ← W − step(∇W)) and zeroes the gradients,
// in parallel over chunks of the weights.
func (n *Net) step() {
	var wg sync.WaitGroup
	for k, L := range n.layers {
		if k < len(n.layers)-1 && !n.hidden {
			continue
		}
		for c := range L.optW {
			wg.Add(1)
			go func() {
				defer wg.Done()
				lo, hi := chunk(len(L.wT), len(L.optW), c)
				n.stepChunk(k, L.optW[c], lo, hi)
			}()
		}
		clear(L.gB)
		for _, w := range n.pool {
			for i, v := range w.gB[k] {
				L.gB[i] += v
			}
			clear(w.gB[k])
		}
		if L.learnB {
			L.optB.Step(L.b, L.gB)
		}
	}
	wg.Wait()
	for _, L := range n.layers {
		if L.narrow {
			L.syncT()
		}
	}
}

// stepTile is the number of weights stepChunk sums, steps and clears at a
// time: its five arrays (two gradients, W, Adam's m and v) then stay in
// the first-level cache from one pass to the next (5 × 8 KiB).
const stepTile = 2048

// stepChunk sums the workers' gradients of layer k's weights [lo, hi) into
// the first worker's (in worker order), lets opt step the weights and
// clears the gradients for the next batch. With an optimiser that steps
// in pieces it does so one tile at a time, so that each weight's gradient,
// moments and value are read from memory once a batch instead of once per
// pass; the result is the same, bit for bit, as the whole-chunk passes.
func (n *Net) stepChunk(k int, opt synapse.Optimizer, lo, hi int) {
	L := n.layers[k]
	p, g := L.master()[lo:hi], n.pool[0].gW[k][lo:hi]
	sum := func(a, z int) {
		for _, w := range n.pool[1:] {
			wg := w.gW[k][lo+a : lo+z]
			axpy(1, wg, g[a:z]) // g += wg: 1·wg is exact
			clear(wg)
		}
	}
	po, ok := opt.(synapse.PieceOptimizer)
	if !ok {
		sum(0, len(g))
		opt.Step(p, g)
		clear(g)
		return
	}
	po.Begin(len(g))
	for a := 0; a < len(g); a += stepTile {
		z := min(a+stepTile, len(g))
		sum(a, z)
		po.StepPiece(p[a:z], g[a:z], a)
		clear(g[a:z])
	}
}

// measureAngles records, for each hidden layer, the angle between the
// batch's rule update and its surrogate-BP update (eq. A2), before step
// consumes the gradients.
func (n *Net) measureAngles() {
	w0 := n.pool[0]
	for k := 0; k < len(n.layers)-1; k++ {
		rule, bp := make([]float32, len(w0.gW[k])), make([]float32, len(w0.gW[k]))
		for _, w := range n.pool {
			for i := range rule {
				rule[i] += w.gW[k][i]
				bp[i] += w.bpW[k][i]
			}
			clear(w.bpW[k])
		}
		if a := modulator.Angle(rule, bp); !math.IsNaN(a) {
			w0.st.angleSum[k] += a
			w0.st.angleN[k]++
		}
	}
}

// Evaluate classifies every sample of set without learning and returns the
// error and activity. Its input spikes are seeded by Config.Seed and the
// sample index, so the same network gives the same numbers.
func (n *Net) Evaluate(set *dataset.Set) (Stats, error) {
	if err := n.checkSet(set); err != nil {
		return Stats{}, err
	}
	start := time.Now()
	n.resetTallies()
	var wg sync.WaitGroup
	for wi, w := range n.pool {
		a, z := chunk(set.N, len(n.pool), wi)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := a; i < z; i++ {
				w.pcg.Seed(n.cfg.Seed^0xe7a1, uint64(i))
				w.run(sample(set, i), set.Labels[i], mode{})
			}
		}()
	}
	wg.Wait()
	return n.stats(start), nil
}

// Simulate runs one sample x without learning, showing every step to rec
// (which may be nil), and returns the predicted class. Input spikes are
// drawn from rng.
func (n *Net) Simulate(x []float32, rng *rand.Rand, rec Recorder) (int, error) {
	if len(x) != n.inputs {
		return 0, fmt.Errorf("spiking: sample of %d values for %d inputs", len(x), n.inputs)
	}
	w := n.pool[0]
	w.pcg.Seed(rng.Uint64(), rng.Uint64())
	return w.run(x, -1, mode{rec: rec})
}

// Alignment returns, for each hidden layer, the angle in degrees between
// the update the rule prescribes for sample x (eq. T2 summed over the
// sample) and the update surrogate-gradient BP through the readout would
// prescribe at the same state (eq. A1), without changing the network.
// Angles are NaN when the rule has no hidden update (shallow).
func (n *Net) Alignment(x []float32, label int, rng *rand.Rand) ([]float64, error) {
	C := n.layers[len(n.layers)-1].out
	if len(x) != n.inputs || label < 0 || label >= C {
		return nil, fmt.Errorf("spiking: sample of %d values, label %d, for %d inputs and %d classes", len(x), label, n.inputs, C)
	}
	return n.angles(nil, 1, func(int) ([]float32, int) { return x, label }, rng), nil
}

// Angles appends to dst[:0], for each hidden layer, the angle in degrees
// between the update the rule prescribes on the samples idx of set, summed
// over them as a batch would be, and the surrogate-BP update at the same
// weights (eqs. A1, A2), without learning: the spiking counterpart of the
// rate engine's angles, for a trainer to record every so many samples.
func (n *Net) Angles(dst []float64, set *dataset.Set, idx []int, rng *rand.Rand) ([]float64, error) {
	if err := n.checkSet(set); err != nil {
		return dst, err
	}
	for _, i := range idx {
		if i < 0 || i >= set.N {
			return dst, fmt.Errorf("spiking: sample %d outside data set %s of %d", i, set.Name, set.N)
		}
	}
	return n.angles(dst, len(idx), func(k int) ([]float32, int) { return sample(set, idx[k]), set.Labels[idx[k]] }, rng), nil
}

// angles runs count samples on the first worker with both updates
// accumulated, then measures and clears them.
func (n *Net) angles(dst []float64, count int, get func(int) ([]float32, int), rng *rand.Rand) []float64 {
	w := n.pool[0]
	for k := range w.bpW {
		if w.bpW[k] == nil && n.layers[k].fb != nil {
			w.bpW[k] = make([]float32, len(n.layers[k].wT))
		}
	}
	for k := 0; k < count; k++ {
		x, label := get(k)
		w.pcg.Seed(rng.Uint64(), rng.Uint64())
		w.run(x, label, mode{learn: true, angle: true})
	}
	dst = dst[:0]
	for k := 0; k < len(n.layers)-1; k++ {
		a := math.NaN()
		if n.hidden {
			a = modulator.Angle(w.gW[k], w.bpW[k])
		}
		dst = append(dst, a)
		clear(w.bpW[k])
	}
	for k := range w.gW {
		clear(w.gW[k])
		clear(w.gB[k])
	}
	return dst
}

// sample returns the inputs of sample i.
func sample(s *dataset.Set, i int) []float32 { return s.X[i*s.Features : (i+1)*s.Features] }
