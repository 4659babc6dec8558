package experiments

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"drtp/network"
	"drtp/rundir"
)

func TestDensityEpochsFollowOneTwoFive(t *testing.T) {
	var got []int
	for e := 0; e <= 1000; e++ {
		if densityEpoch(e, 1000) {
			got = append(got, e)
		}
	}
	want := []int{0, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000}
	if !slices.Equal(got, want) {
		t.Errorf("recorded epochs %v, want %v", got, want)
	}
	if !densityEpoch(37, 37) {
		t.Error("the last epoch is not recorded")
	}
}

// TestDensitiesAreRecordedAndResumed: a run with Densities records the
// first hidden layer's density before training and after the scheduled
// epochs, each over tanh's range with area 1; a resumed run goes on from
// the rows of the epochs its checkpoint holds.
func TestDensitiesAreRecordedAndResumed(t *testing.T) {
	out := filepath.Join(t.TempDir(), "run")
	cfg := TrainConfig{Data: "synth-classification", DataSeed: 1, Algo: "drtp", Net: "FC_40_FC_10", Epochs: 2, Batch: 50,
		Opt: "adam", LR: 1e-3, Loss: "bce", HiddenAct: "tanh", OutputAct: "sigmoid", Init: "default", Seed: 1,
		TrainLimit: 500, TestLimit: 200, Densities: true}
	if _, err := Run(context.Background(), cfg, out, false, nil); err != nil {
		t.Fatal(err)
	}
	// An interrupted epoch 3 had recorded a row its checkpoint does not
	// hold: the resumed run drops it.
	l := &DensityLog{Path: filepath.Join(out, rundir.Densities)}
	if err := l.Load(2); err != nil {
		t.Fatal(err)
	}
	stale := HiddenDensity{Epoch: 3, Lo: -1, Hi: 1, P: make([]float64, DensityBins)}
	if err := l.Add(stale); err != nil {
		t.Fatal(err)
	}
	cfg.Epochs = 6
	if _, err := Run(context.Background(), cfg, out, true, nil); err != nil {
		t.Fatal(err)
	}
	rows, err := ReadDensities(filepath.Join(out, rundir.Densities))
	if err != nil {
		t.Fatal(err)
	}
	var epochs []int
	for _, r := range rows {
		epochs = append(epochs, r.Epoch)
		if r.Lo != -1 || r.Hi != 1 || len(r.P) != DensityBins {
			t.Errorf("epoch %d: range [%v, %v] over %d bins, want [-1, 1] over %d", r.Epoch, r.Lo, r.Hi, len(r.P), DensityBins)
		}
		area := 0.0
		for _, p := range r.P {
			area += p * (r.Hi - r.Lo) / float64(len(r.P))
		}
		if math.Abs(area-1) > 1e-4 {
			t.Errorf("epoch %d: area %v, want 1", r.Epoch, area)
		}
	}
	if want := []int{0, 1, 2, 5, 6}; !slices.Equal(epochs, want) {
		t.Errorf("recorded epochs %v, want %v", epochs, want)
	}
	if slices.Equal(rows[0].P, rows[len(rows)-1].P) {
		t.Error("the density did not change with training")
	}
	if _, err := PlotRun("densities", out); err != nil {
		t.Errorf("plot densities: %v", err)
	}
}

// TestDensitiesNeedAnFCHiddenLayer: --densities is refused for networks
// that start with a CONV layer or have no hidden layer, and a CONV run's
// densities are an error, not a crash.
func TestDensitiesNeedAnFCHiddenLayer(t *testing.T) {
	for _, net := range []string{"CONV_4_3_1_1_FC_10", "FC_10"} {
		c := DefaultTrain
		c.Net, c.Densities = net, true
		if err := c.Validate(); err == nil {
			t.Errorf("--densities with --net %s: no error", net)
		}
		c.Densities = false
		nc, err := c.netConfig(784)
		if err != nil {
			t.Fatal(err)
		}
		nc.Shape = [3]int{1, 28, 28}
		n, err := network.New(nc)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := hiddenValues(n, nil, 10); err == nil {
			t.Errorf("densities of %s: no error", net)
		}
	}
}

// TestDensityFigureKeepsItsLastDrawingWithoutCheckpoints: trials copied
// without their checkpoints (a clone of the repository keeps none) leave
// the end-of-training density figure as it was drawn, without an error.
func TestDensityFigureKeepsItsLastDrawingWithoutCheckpoints(t *testing.T) {
	out := filepath.Join(t.TempDir(), "run")
	cfg := TrainConfig{Data: "synth-classification", DataSeed: 1, Algo: "drtp", Net: "FC_40_FC_10", Epochs: 1, Batch: 50,
		Opt: "adam", LR: 1e-3, Loss: "bce", HiddenAct: "tanh", OutputAct: "sigmoid", Init: "default", Seed: 1,
		TrainLimit: 500, TestLimit: 200}
	if _, err := Run(context.Background(), cfg, out, false, nil); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(out, rundir.Checkpoint)); err != nil {
		t.Fatal(err)
	}
	prefix := filepath.Join(t.TempDir(), "fig")
	drawn := []byte("the figure drawn when the checkpoints were at hand")
	if err := os.WriteFile(prefix+"-densities.png", drawn, 0o644); err != nil {
		t.Fatal(err)
	}
	e := Experiment{Rules: []string{"drtp"}}
	if err := drawDensities(e, map[string][]Trial{"drtp": {{Dir: out}}}, "test", prefix); err != nil {
		t.Fatalf("densities without checkpoints: %v", err)
	}
	if b, _ := os.ReadFile(prefix + "-densities.png"); string(b) != string(drawn) {
		t.Error("the figure drawn before was replaced")
	}
}
