// Package benchmark measures the simulator's speed and memory on the
// standard configurations: training throughput (samples per second, the
// training loop only), the GFLOP/s of the matrix products at the networks'
// shapes, peak resident memory against depth, and scaling with threads and
// width, and the spiking engine's throughput, also against the input rate.
// `drtp bench` prints its tables; bench/ compares them with PyTorch.
package benchmark

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"time"

	"drtp/dataset"
	"drtp/internal/gemm"
	"drtp/modulator"
	"drtp/network"
	"drtp/spiking"
	"drtp/synapse"
)

// Result is one measurement.
type Result struct {
	Name            string  `json:"name"`
	Threads         int     `json:"threads"`
	SamplesPerSec   float64 `json:"samples_per_sec,omitempty"`
	GFLOPs          float64 `json:"gflops,omitempty"`
	ActivationBytes int     `json:"activation_bytes,omitempty"`
	PeakRSS         int64   `json:"peak_rss_bytes,omitempty"`
	ExtraRSS        int64   `json:"extra_rss_bytes,omitempty"` // peak RSS − baseline − weights and optimiser state

	// Spiking engine only.
	Batch           int       `json:"batch,omitempty"`
	MaxRate         float64   `json:"max_rate_hz,omitempty"`             // Poisson rate of an input of value 1
	SynEventsPerSec float64   `json:"syn_events_per_sec,omitempty"`      // synaptic events (input events × fan-out) per second of training
	InputSpikes     float64   `json:"input_spikes_per_sample,omitempty"` // input events per training sample
	LayerSpikes     []float64 `json:"layer_spikes_per_sample,omitempty"` // spikes per training sample of each layer (hidden, then output)
	ForwardPerSec   float64   `json:"forward_samples_per_sec,omitempty"` // samples/s of classification alone (no learning)
}

// Data is the input used by the training benchmarks: MNIST's first
// training images when available (so that input sparsity is real), else
// random images with MNIST's 19% non-zero pixels.
func Data(n int) *dataset.Set {
	if train, _, err := dataset.MNIST(""); err == nil {
		return train.Head(n)
	}
	return randomSet(n)
}

// randomSet makes n random images with MNIST's shape and 19% non-zero
// pixels, and random labels.
func randomSet(n int) *dataset.Set {
	rng := rand.New(rand.NewPCG(1, 1))
	s := &dataset.Set{Name: "random-mnist-like", N: n, Features: 784, Outputs: 10, Shape: [3]int{1, 28, 28},
		X: make([]float32, n*784), T: make([]float32, n*10), Labels: make([]int, n)}
	for i := range s.X {
		if rng.Float64() < 0.19 {
			s.X[i] = float32(rng.Float64())
		}
	}
	for i := range s.Labels {
		s.Labels[i] = rng.IntN(10)
		s.T[i*10+s.Labels[i]] = 1
	}
	return s
}

// NewNet builds the paper's MNIST setting (tanh, sigmoid + BCE, Adam) for a
// topology and rule.
func NewNet(topo, rule string, shape [3]int) (*network.Net, error) {
	specs, err := network.ParseTopology(topo)
	if err != nil {
		return nil, err
	}
	r, err := modulator.ParseRule(rule)
	if err != nil {
		return nil, err
	}
	return network.New(network.Config{Topology: specs, Shape: shape, Output: network.OutSigmoid, Loss: network.BCE,
		Rule: r, Method: synapse.Adam{LR: 1.5e-4}, Seed: 1})
}

// Training measures training throughput of topo with rule at batch size
// batch for at least minTime, after one warm-up pass over a few batches.
func Training(set *dataset.Set, topo, rule string, batch int, minTime time.Duration) (Result, error) {
	net, err := NewNet(topo, rule, set.Shape)
	if err != nil {
		return Result{}, err
	}
	batches := set.N / batch
	if batches == 0 {
		return Result{}, fmt.Errorf("benchmark: %d samples make no batch of %d", set.N, batch)
	}
	b := func(i int) network.Batch {
		i %= batches
		return network.Batch{X: set.X[i*batch*set.Features : (i+1)*batch*set.Features], T: set.T[i*batch*set.Outputs : (i+1)*batch*set.Outputs],
			Labels: set.Labels[i*batch : (i+1)*batch], N: batch}
	}
	for i := 0; i < 3; i++ {
		net.TrainBatch(b(i))
	}
	// The previous measurement's network is garbage: collect it and hand
	// its pages back now (go test -bench collects before each benchmark
	// too), so that neither the collector nor the background scavenger
	// takes a core during the timed loop.
	debug.FreeOSMemory()
	start := time.Now()
	steps := 0
	for time.Since(start) < minTime || steps < 5 {
		net.TrainBatch(b(steps))
		steps++
	}
	el := time.Since(start).Seconds()
	return Result{Name: fmt.Sprintf("train %s %s batch %d", topo, rule, batch), Threads: runtime.GOMAXPROCS(0),
		SamplesPerSec: float64(steps*batch) / el, ActivationBytes: net.ActivationBytes()}, nil
}

// Scaling measures Training of topo with rule at each thread count
// (GOMAXPROCS) in turn, rounds times over, so that a drift of the
// machine's speed falls on every thread count alike. runs[i][r] is round r
// at threads[i]; refs[i][r] is the ScalingReference product measured
// right after it at the same thread count, for a quarter of minTime.
func Scaling(set *dataset.Set, topo, rule string, batch int, threads []int, rounds int, minTime time.Duration) (runs, refs [][]Result, err error) {
	runs, refs = make([][]Result, len(threads)), make([][]Result, len(threads))
	for r := 0; r < rounds; r++ {
		for i, t := range threads {
			old := runtime.GOMAXPROCS(t)
			res, err := Training(set, topo, rule, batch, minTime)
			ref := MatMul(ScalingReference, minTime/4)
			runtime.GOMAXPROCS(old)
			if err != nil {
				return nil, nil, err
			}
			res.Name += fmt.Sprintf(" threads %d", t)
			runs[i] = append(runs[i], res)
			refs[i] = append(refs[i], ref)
		}
	}
	return runs, refs, nil
}

// ScalingReference is the product Scaling measures beside each training
// run: compute-bound, its operands in cache, it speeds up with the cores
// the machine gives at that moment, which on a shared virtual machine are
// not always two whole ones. Set against it, a training's speed-up is
// told apart from the machine's.
var ScalingReference = Shape{"ATB", 1000, 1000, 60}

// Median returns the median of the samples/s of runs (the mean of the
// middle two for an even count), and their minimum and maximum.
func Median(runs []Result) (med, lo, hi float64) {
	return median(runs, func(r Result) float64 { return r.SamplesPerSec })
}

// MedianGFLOPs is Median of the GFLOP/s of runs.
func MedianGFLOPs(runs []Result) (med, lo, hi float64) {
	return median(runs, func(r Result) float64 { return r.GFLOPs })
}

func median(runs []Result, value func(Result) float64) (med, lo, hi float64) {
	x := make([]float64, len(runs))
	for i, r := range runs {
		x[i] = value(r)
	}
	if len(x) == 0 {
		return 0, 0, 0
	}
	slices.Sort(x)
	n := len(x)
	med = x[n/2]
	if n%2 == 0 {
		med = (x[n/2-1] + x[n/2]) / 2
	}
	return med, x[0], x[n-1]
}

// Shape is a matrix product dst[m×n] = a[m×k] · b[k×n] in one of the three
// layouts the layers use.
type Shape struct {
	Op      string // "ABT" (forward), "AB" (backward), "ATB" (weight gradient)
	M, N, K int
}

// NetworkShapes are the products of the MNIST networks at batch 60: the
// FC layers of FC_1000_FC_10 and FC_1000_FC_1000_FC_10, then
// CONV_32_5_1_2_FC_1000_FC_10's FC layer of 6272 inputs and its
// convolution (z = W·col, 32 kernels × 60·784 positions × 25 taps, and
// its weight gradient ∇W = δZ·colᵀ).
var NetworkShapes = []Shape{
	{"ABT", 60, 1000, 784}, {"ATB", 1000, 784, 60}, {"AB", 60, 784, 1000},
	{"ABT", 60, 1000, 1000}, {"ATB", 1000, 1000, 60}, {"ABT", 60, 10, 1000}, {"ATB", 10, 1000, 60},
	{"ABT", 60, 1000, 6272}, {"ATB", 1000, 6272, 60}, {"AB", 60, 6272, 1000},
	{"AB", 32, 47040, 25}, {"ABT", 32, 25, 47040},
}

// MatMul measures the GFLOP/s (2·m·n·k per product) of one shape.
func MatMul(s Shape, minTime time.Duration) Result {
	rng := rand.New(rand.NewPCG(2, 2))
	a := make([]float32, s.M*s.K)
	b := make([]float32, s.K*s.N)
	dst := make([]float32, s.M*s.N)
	for i := range a {
		a[i] = float32(rng.NormFloat64())
	}
	for i := range b {
		b[i] = float32(rng.NormFloat64())
	}
	f := map[string]func(dst, a, b []float32, m, n, k int){"ABT": gemm.MulABT, "AB": gemm.MulAB, "ATB": gemm.MulATB}[s.Op]
	f(dst, a, b, s.M, s.N, s.K)
	start := time.Now()
	reps := 0
	for time.Since(start) < minTime || reps < 3 {
		f(dst, a, b, s.M, s.N, s.K)
		reps++
	}
	el := time.Since(start).Seconds()
	return Result{Name: fmt.Sprintf("gemm %s %dx%dx%d (%s)", s.Op, s.M, s.N, s.K, gemm.Kernel()), Threads: gemm.Threads(),
		GFLOPs: 2 * float64(s.M) * float64(s.N) * float64(s.K) * float64(reps) / el / 1e9}
}

// PeakRSS returns the process's peak resident set size (VmHWM) in bytes,
// or 0 where /proc is not available.
func PeakRSS() int64 { return procStatus("VmHWM:") }

// RSS returns the current resident set size in bytes.
func RSS() int64 { return procStatus("VmRSS:") }

func procStatus(key string) int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), key) {
			fields := strings.Fields(sc.Text())
			if len(fields) >= 2 {
				kb, _ := strconv.ParseInt(fields[1], 10, 64)
				return kb * 1024
			}
		}
	}
	return 0
}

// Memory trains depth hidden layers of 1000 units with rule on a few
// batches in this process, and reports its peak resident memory beyond the
// baseline before the network existed and beyond the parameters' own
// memory (weights and Adam's two moments; the weight gradients are not
// stored, as Adam takes them strip by strip, synapse.Dense.GradStep). Run it in a fresh
// process per configuration: the peak is process-wide.
func Memory(rule string, depth, batch int) (Result, error) {
	debug.SetGCPercent(10) // let garbage not pass for working memory
	set := randomSet(10 * batch)
	runtime.GC()
	base := RSS()
	topo := strings.Repeat("FC_1000_", depth) + "FC_10"
	net, err := NewNet(topo, rule, set.Shape)
	if err != nil {
		return Result{}, err
	}
	params := 0
	for _, l := range net.Layers {
		params += len(l.Syn.W) + len(l.Syn.B)
	}
	// Weights and biases, and Adam's two moments.
	paramBytes := int64(4 * 3 * params)
	for i := 0; i < 10; i++ {
		net.TrainBatch(network.Batch{X: set.X[i*batch*784 : (i+1)*batch*784], T: set.T[i*batch*10 : (i+1)*batch*10],
			Labels: set.Labels[i*batch : (i+1)*batch], N: batch})
	}
	peak := PeakRSS()
	return Result{Name: fmt.Sprintf("memory %s depth %d", rule, depth), Threads: runtime.GOMAXPROCS(0),
		ActivationBytes: net.ActivationBytes(), PeakRSS: peak, ExtraRSS: peak - base - paramBytes}, nil
}

// SpikingName names the spiking measurement of cfg as
// bench/torch_spiking_peer.py names its own, so that the two can be joined:
// "spiking LIF FC_1000_FC_10 T=50 poisson drtp".
func SpikingName(cfg spiking.Config) string {
	rule := "none"
	if cfg.Rule != nil {
		rule = cfg.Rule.String()
	}
	return fmt.Sprintf("spiking LIF %s T=%d %s %s", cfg.Topology, cfg.Steps, cfg.Encode, rule)
}

// SpikingRates are the input rates (Hz, Config.MaxRate) of the
// throughput-against-input-rate curve.
var SpikingRates = []float64{50, 100, 200, 400, 800}

// spikingSlice is the number of batches in each call of TrainEpoch.
const spikingSlice = 8

// Spiking measures the spiking engine's training throughput with cfg on set
// (samples/s, the training loop only) and its synaptic events per second.
// It trains on consecutive slices of set of 8 batches, wrapping around, one
// TrainEpoch per slice: one slice to warm up, then as many as fit in
// minTime (at least one). The learning rate is held constant (LRDecay = 1):
// every slice is an epoch to TrainEpoch, and decaying after each would
// freeze the network within seconds, which a real epoch does not; the decay
// costs nothing either way. If fwdTime > 0 it then times classification
// alone (Evaluate: the forward pass, no learning) of the trained network
// on the same slices for at least fwdTime.
func Spiking(set *dataset.Set, cfg spiking.Config, minTime, fwdTime time.Duration) (Result, error) {
	name := SpikingName(cfg)
	cfg.LRDecay = 1
	net, err := spiking.New(cfg, set.Features, set.Outputs)
	if err != nil {
		return Result{}, fmt.Errorf("benchmark: %s: %w", name, err)
	}
	cfg = net.Config()
	size := min(set.N, spikingSlice*cfg.Batch)
	if size == 0 {
		return Result{}, fmt.Errorf("benchmark: %s: empty data set %s", name, set.Name)
	}
	slices := set.N / size
	part := func(i int) *dataset.Set { return window(set, (i%slices)*size, size) }
	rng := rand.New(rand.NewPCG(cfg.Seed, 7))
	if _, err := net.TrainEpoch(part(0), rng, nil); err != nil {
		return Result{}, fmt.Errorf("benchmark: %s: %w", name, err)
	}
	var samples int
	var syn, in float64
	spikes := make([]float64, net.Layers())
	start := time.Now()
	for i := 1; time.Since(start) < minTime || samples == 0; i++ {
		st, err := net.TrainEpoch(part(i), rng, nil)
		if err != nil {
			return Result{}, fmt.Errorf("benchmark: %s: %w", name, err)
		}
		n := float64(st.Samples)
		samples += st.Samples
		syn += st.SynEvents
		in += st.InputSpikes * n
		for k, s := range st.Spikes {
			spikes[k] += s * n
		}
	}
	el := time.Since(start).Seconds()
	for k := range spikes {
		spikes[k] /= float64(samples)
	}
	r := Result{Name: name, Threads: cfg.Workers, Batch: cfg.Batch, MaxRate: cfg.MaxRate,
		SamplesPerSec: float64(samples) / el, SynEventsPerSec: syn / el,
		InputSpikes: in / float64(samples), LayerSpikes: spikes}
	if fwdTime <= 0 {
		return r, nil
	}
	samples = 0
	start = time.Now()
	for i := 0; time.Since(start) < fwdTime || samples == 0; i++ {
		st, err := net.Evaluate(part(i))
		if err != nil {
			return Result{}, fmt.Errorf("benchmark: %s: forward: %w", name, err)
		}
		samples += st.Samples
	}
	r.ForwardPerSec = float64(samples) / time.Since(start).Seconds()
	return r, nil
}

// SpikingRate measures Spiking at input rate maxRate Hz (Config.MaxRate),
// a point of the throughput-against-input-rate curve; the name gains
// " max-rate <r>Hz", as the PyTorch peer's does with --max-rate.
func SpikingRate(set *dataset.Set, cfg spiking.Config, maxRate float64, minTime, fwdTime time.Duration) (Result, error) {
	cfg.MaxRate = maxRate
	r, err := Spiking(set, cfg, minTime, fwdTime)
	r.Name += fmt.Sprintf(" max-rate %gHz", maxRate)
	return r, err
}

// window returns samples [lo, lo+n) of s as a Set sharing its memory.
func window(s *dataset.Set, lo, n int) *dataset.Set {
	w := *s
	w.N = n
	w.X = s.X[lo*s.Features : (lo+n)*s.Features : (lo+n)*s.Features]
	w.T = s.T[lo*s.Outputs : (lo+n)*s.Outputs : (lo+n)*s.Outputs]
	if s.Labels != nil {
		w.Labels = s.Labels[lo : lo+n : lo+n]
	}
	return &w
}
