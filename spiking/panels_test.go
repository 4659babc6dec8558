package spiking

import (
	"math"
	"math/rand/v2"
	"testing"
)

// panelOuts are widths on and off the panels' 64, 32, 16 and 8 columns.
var panelOuts = []int{1, 7, 8, 9, 24, 40, 63, 64, 65, 100, 120, 1000, 1003}

// TestPanelsCoverEveryColumnOnce: the panels of every width tile the
// columns in order, widest first, each at most 64 wide and all but the
// last a multiple of 8.
func TestPanelsCoverEveryColumnOnce(t *testing.T) {
	for _, out := range panelOuts {
		next, prev := 0, 64
		forPanels(out, 0, func(c, W int) {
			if c != next || W < 1 || W > prev || (W%8 != 0 && c+W != out) {
				t.Errorf("out %d: panel at %d of width %d after %d columns (previous width %d)", out, c, W, next, prev)
			}
			next, prev = c+W, W
		})
		if next != out {
			t.Errorf("out %d: panels end at column %d", out, next)
		}
	}
}

// TestStepCurrentsPanelsMatchRowMajor: a layer's currents from weights in
// panels equal, bit for bit, those from the same weights row-major.
func TestStepCurrentsPanelsMatchRowMajor(t *testing.T) {
	withAndWithoutAVX512(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(21, 22))
		for _, out := range panelOuts {
			const T, in = 9, 30
			w, b := normalsRNG(rng, in*out), normalsRNG(rng, out)
			var idx []int32
			off := make([]int32, T+1)
			for s := range T {
				off[s] = int32(len(idx))
				for range rng.IntN(6) { // 0: a silent step
					idx = append(idx, int32(rng.IntN(in)))
				}
			}
			off[T] = int32(len(idx))
			want, got := make([]float32, T*out), make([]float32, T*out)
			for i := range got {
				got[i] = 7 // stale values must go
			}
			stepCurrents(want, b, w, out, idx, off, T)
			stepCurrentsPanels(got, b, toPanels(w, in, out), out, in, idx, off, T)
			sameBits(t, out, "i", got, want)
		}
	})
}

// TestGroupAddPanelsMatchesRowMajor: the summed update into a gradient in
// panels equals, bit for bit, the row-major one rearranged.
func TestGroupAddPanelsMatchesRowMajor(t *testing.T) {
	withAndWithoutAVX512(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(23, 24))
		for _, out := range panelOuts {
			const T, in = 12, 20
			m := normalsRNG(rng, T*out)
			js, off, steps := randomGroups(rng, in, T)
			want := normalsRNG(rng, in*out)
			got := toPanels(want, in, out)
			groupAdd(want, m, out, js, off, steps)
			groupAddPanels(got, toPanels(m, T, out), out, in, T, js, off, steps)
			sameBits(t, out, "gW", got, toPanels(want, in, out))
		}
	})
}

// TestDensePanelsRoundTrip: a network whose first layer is in panels
// gives back, through Dense and SetDense, the synapses it was given.
func TestDensePanelsRoundTrip(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Topology = "FC_100_FC_10"
	n, err := New(cfg, 30, 10)
	if err != nil {
		t.Fatal(err)
	}
	if n.layers[0].panels != panelsFast {
		t.Fatalf("first layer in panels: %v, want %v (the panel kernels run here)", n.layers[0].panels, panelsFast)
	}
	d := n.Dense(0)
	rng := rand.New(rand.NewPCG(25, 26))
	for i := range d.W {
		d.W[i] = float32(rng.NormFloat64())
	}
	if err := n.SetDense(0, d); err != nil {
		t.Fatal(err)
	}
	sameBits(t, 100, "W", n.Dense(0).W, d.W)
}

func normalsRNG(rng *rand.Rand, n int) []float32 {
	x := make([]float32, n)
	for i := range x {
		x[i] = float32(rng.NormFloat64())
	}
	return x
}

func sameBits(t *testing.T, out int, name string, got, want []float32) {
	t.Helper()
	for i := range want {
		if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
			t.Fatalf("out %d: %s[%d] = %g, want %g", out, name, i, got[i], want[i])
		}
	}
}

// TestPanelsDoNotChangeTraining: a network trained with its first layer in
// panels ends with the same synapses, bit for bit, as one trained with
// it row-major, for DRTP and with angles recorded.
func TestPanelsDoNotChangeTraining(t *testing.T) {
	have := panelsFast
	defer func() { panelsFast = have }()
	set := synthetic(96, 40, 10, 3)
	for _, angles := range []int{0, 1} {
		var dense [2][]float32
		for i, on := range []bool{false, true} {
			panelsFast = on
			cfg := DefaultConfig()
			cfg.Topology, cfg.Steps, cfg.AngleEvery = "FC_72_FC_10", 20, angles
			n, err := New(cfg, set.Features, set.Outputs)
			if err != nil {
				t.Fatal(err)
			}
			if n.layers[0].panels != on {
				t.Fatalf("panels %v: first layer in panels: %v", on, n.layers[0].panels)
			}
			if _, err := n.TrainEpoch(set, rand.New(rand.NewPCG(1, 2)), nil); err != nil {
				t.Fatal(err)
			}
			dense[i] = append(n.Dense(0).W, n.Dense(1).W...)
		}
		sameBits(t, 72, "W", dense[1], dense[0])
	}
}
