package benchmark

import (
	"fmt"
	"runtime"
	"strings"
	"testing"

	"drtp/spiking"
)

// TestSpikingTinyBudget: the spiking measurements run on a tiny budget and
// report what the tables print, under the name the PyTorch peer uses.
func TestSpikingTinyBudget(t *testing.T) {
	set := randomSet(64)
	cfg := spiking.DefaultConfig()
	r, err := Spiking(set, cfg, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	// bench/torch_spiking_peer.py prints this name.
	if want := "spiking LIF FC_1000_FC_10 T=50 poisson drtp"; r.Name != want {
		t.Errorf("name %q, want %q", r.Name, want)
	}
	if !(r.SamplesPerSec > 0 && r.SynEventsPerSec > 0 && r.InputSpikes > 0) || len(r.LayerSpikes) != 2 || r.ForwardPerSec != 0 {
		t.Errorf("spiking result %+v: want positive samples/s, synaptic events/s and input spikes, two layers' spikes, no forward pass", r)
	}
	if r.Batch != cfg.Batch || r.MaxRate != cfg.MaxRate || r.Threads != cfg.Workers {
		t.Errorf("batch %d, max rate %g, threads %d: want the configuration's %d, %g, %d", r.Batch, r.MaxRate, r.Threads, cfg.Batch, cfg.MaxRate, cfg.Workers)
	}

	lo, err := SpikingRate(set, cfg, 50, 0, 1)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(lo.Name, " max-rate 50Hz") || lo.MaxRate != 50 || !(lo.ForwardPerSec > 0) {
		t.Errorf("spiking-rate result %+v: want name ending max-rate 50Hz, max rate 50, a forward rate", lo)
	}
	// Input spikes per sample are proportional to the rate (eq. E1, no
	// input reaches p = 1 below 1000 Hz): 50 Hz gives an eighth of 400 Hz's,
	// within the Poisson noise of 64 samples.
	if ratio := lo.InputSpikes / r.InputSpikes; ratio < 0.1 || ratio > 0.15 {
		t.Errorf("input spikes at 50 Hz / 400 Hz = %.3f, want about 1/8", ratio)
	}
}

// TestMedian: the middle value, the mean of the middle two for an even
// count, and the extremes, whatever the order of the runs.
func TestMedian(t *testing.T) {
	rs := func(xs ...float64) []Result {
		var r []Result
		for _, x := range xs {
			r = append(r, Result{SamplesPerSec: x})
		}
		return r
	}
	for _, c := range []struct {
		name        string
		runs        []Result
		med, lo, hi float64
	}{
		{"odd", rs(30, 10, 20), 20, 10, 30},
		{"even", rs(40, 10, 30, 20), 25, 10, 40},
		{"one", rs(7), 7, 7, 7},
		{"none", nil, 0, 0, 0},
	} {
		med, lo, hi := Median(c.runs)
		if med != c.med || lo != c.lo || hi != c.hi {
			t.Errorf("%s: median %g [%g, %g], want %g [%g, %g]", c.name, med, lo, hi, c.med, c.lo, c.hi)
		}
	}
}

// TestScalingAlternatesThreadCounts: every round measures every thread
// count, names it, measures the reference product beside it, and leaves
// GOMAXPROCS as it was.
func TestScalingAlternatesThreadCounts(t *testing.T) {
	before := runtime.GOMAXPROCS(0)
	runs, refs, err := Scaling(randomSet(120), "FC_20_FC_10", "drtp", 60, []int{1, 2}, 2, 0)
	if err != nil {
		t.Fatal(err)
	}
	if after := runtime.GOMAXPROCS(0); after != before {
		t.Errorf("GOMAXPROCS %d after, %d before", after, before)
	}
	for _, x := range [][][]Result{runs, refs} {
		if len(x) != 2 || len(x[0]) != 2 || len(x[1]) != 2 {
			t.Fatalf("%d × %d measurements, want 2 thread counts × 2 rounds", len(x), len(x[0]))
		}
	}
	for i, threads := range []int{1, 2} {
		for _, r := range runs[i] {
			if r.Threads != threads || !strings.HasSuffix(r.Name, fmt.Sprintf(" threads %d", threads)) || !(r.SamplesPerSec > 0) {
				t.Errorf("run %+v: want %d threads in the name and the field, positive samples/s", r, threads)
			}
		}
		for _, r := range refs[i] {
			if r.Threads != threads || !(r.GFLOPs > 0) {
				t.Errorf("reference %+v: want %d threads, positive GFLOP/s", r, threads)
			}
		}
	}
}
