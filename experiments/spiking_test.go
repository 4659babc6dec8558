package experiments

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"drtp/dataset"
	"drtp/rundir"
)

func TestRateRegulariserDefaultsByRule(t *testing.T) {
	cases := []struct {
		algo  string
		given *float64
		want  float64
	}{
		{"drtp", nil, 0.05},
		{"sdfa", nil, 0.05},
		{"dfa", nil, 0}, // B·e shrinks with the error: a fixed λ would outweigh it
		{"shallow", nil, 0},
		{"drtp", new(0.0), 0}, // --rate-reg 0 turns it off
		{"dfa", new(0.02), 0.02},
	}
	for _, c := range cases {
		cfg := TrainConfig{Data: "mnist", Algo: c.algo, Net: "FC_1000_FC_10", Neuron: "lif", RateReg: c.given}
		resolved, sc, err := resolveSpiking(cfg)
		if err != nil {
			t.Fatalf("%s: %v", c.algo, err)
		}
		if sc.RateReg != c.want || resolved.RateReg == nil || *resolved.RateReg != c.want {
			t.Errorf("%s with --rate-reg %v: engine λ %g, config.json %v; want %g in both", c.algo, c.given, sc.RateReg, resolved.RateReg, c.want)
		}
		if (resolved.HiddenRate != 0) != (c.want > 0) {
			t.Errorf("%s: hidden_rate %g recorded with λ %g; want it only with the regulariser on", c.algo, resolved.HiddenRate, c.want)
		}
	}
	if _, _, err := resolveSpiking(TrainConfig{Algo: "drtp", Net: "FC_1000_FC_10", Neuron: "lif", RateReg: new(-1.0)}); !errors.Is(err, ErrBadConfig) || !strings.Contains(err.Error(), "--rate-reg") {
		t.Errorf("a negative --rate-reg: %v; want a bad-configuration error naming the flag", err)
	}
}

// stripRateReg rewrites the config.json of a run directory as the program
// wrote it before the rate regulariser existed: without rate_reg and
// hidden_rate.
func stripRateReg(t *testing.T, dir string) {
	t.Helper()
	path := filepath.Join(dir, rundir.Config)
	var m map[string]any
	if err := rundir.ReadJSON(path, &m); err != nil {
		t.Fatal(err)
	}
	delete(m, "rate_reg")
	delete(m, "hidden_rate")
	if err := rundir.WriteJSON(path, m); err != nil {
		t.Fatal(err)
	}
}

// TestRunMadeBeforeTheRegulariserResumesWithoutIt: a spiking run whose
// config.json predates eq. R1 goes on as it was made, with no regulariser,
// although DRTP now has it by default.
func TestRunMadeBeforeTheRegulariserResumesWithoutIt(t *testing.T) {
	out := filepath.Join(t.TempDir(), "run")
	cfg := TrainConfig{Data: "mnist", DataSeed: 1, Algo: "drtp", Net: "FC_20_FC_10", Epochs: 1, Neuron: "lif", Steps: 5, TrainLimit: 64, TestLimit: 32, Seed: 1}
	if _, err := Run(context.Background(), cfg, out, false, nil); err != nil {
		if errors.Is(err, dataset.ErrNotFound) {
			t.Skip("MNIST not available")
		}
		t.Fatal(err)
	}
	stripRateReg(t, out)
	cfg.Epochs = 2
	if _, err := Run(context.Background(), cfg, out, true, nil); err != nil {
		t.Fatalf("resume a run made before eq. R1: %v", err)
	}
	var got TrainConfig
	if err := rundir.ReadJSON(filepath.Join(out, rundir.Config), &got); err != nil {
		t.Fatal(err)
	}
	if got.RateReg == nil || *got.RateReg != 0 {
		t.Errorf("resumed config.json has rate_reg %v; want 0, as the run was made", got.RateReg)
	}
	// Asking for the regulariser on such a run is a change of configuration.
	cfg.Epochs, cfg.RateReg = 3, new(0.05)
	if _, err := Run(context.Background(), cfg, out, true, nil); !errors.Is(err, ErrBadConfig) || !strings.Contains(err.Error(), "rate_reg") {
		t.Errorf("resume with --rate-reg 0.05: %v; want a bad-configuration error naming rate_reg", err)
	}
}

// TestReproduceRefusesATrialOfAnOlderDefault: a finished trial made with
// another configuration than the experiment now plans is not counted.
func TestReproduceRefusesATrialOfAnOlderDefault(t *testing.T) {
	out := t.TempDir()
	o := Options{Out: out, Quick: true, Rules: []string{"drtp"}, Command: "test"}
	e := reproduceSpiking(t, o)
	dir := filepath.Join(out, "trials/LIF-784-1000-10_T=10/drtp/trial-01")
	stripRateReg(t, dir)
	o.ReportOnly = true
	err := Reproduce(context.Background(), e, o)
	if err == nil || !strings.Contains(err.Error(), dir) || !strings.Contains(err.Error(), "rate_reg: 0 → 0.05") {
		t.Errorf("report over a trial made without the regulariser: %v; want an error naming the trial and rate_reg", err)
	}
}
