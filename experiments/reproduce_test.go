package experiments

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"drtp/dataset"
)

// TestQuickRegressionEndToEnd runs fig2's quick version (fewer epochs) and
// checks that trials, figures and a second run's skipping all work.
func TestQuickRegressionEndToEnd(t *testing.T) {
	e, err := Lookup("fig2")
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	o := Options{Out: out, Quick: true, Epochs: 2, Command: "test"}
	if err := Reproduce(context.Background(), e, o); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"fig-loss-test.png", "fig-loss-train.svg", "fig-angles-layer1.png", "fig-angles-layer2.png",
		"trials/256-100-100-10/dfa/trial-01/metrics.csv", "trials/256-100-100-10/shallow/trial-02/summary.json"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("missing %s", f)
		}
	}
	// A second run skips every finished trial: nothing is retrained.
	stamp, _ := os.Stat(filepath.Join(out, "trials/256-100-100-10/bp/trial-01/summary.json"))
	if err := Reproduce(context.Background(), e, o); err != nil {
		t.Fatal(err)
	}
	again, _ := os.Stat(filepath.Join(out, "trials/256-100-100-10/bp/trial-01/summary.json"))
	if !again.ModTime().Equal(stamp.ModTime()) {
		t.Error("a finished trial was trained again")
	}
	// A trial stopped before its first epoch ended left only its
	// config.json: the next run trains it from the start.
	cut := filepath.Join(out, "trials/256-100-100-10/fa/trial-01")
	entries, err := os.ReadDir(cut)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range entries {
		if f.Name() != "config.json" {
			os.Remove(filepath.Join(cut, f.Name()))
		}
	}
	if err := Reproduce(context.Background(), e, o); err != nil {
		t.Fatalf("after a trial stopped in its first epoch: %v", err)
	}
	if _, err := os.Stat(filepath.Join(cut, "summary.json")); err != nil {
		t.Errorf("the stopped trial was not finished: %v", err)
	}
}

func TestPlanResolvesTable3AndQuickRows(t *testing.T) {
	e, _ := Lookup("table1")
	trials, rows, err := e.Plan(Options{Out: "x", Quick: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || len(trials) != 2*5*2 {
		t.Fatalf("quick table1: %d rows, %d trials; want 2 rows, 20 trials", len(rows), len(trials))
	}
	for _, tr := range trials {
		want, _ := LearningRate("MNIST", "FC1", tr.Rule)
		if tr.Config.LR != want || tr.Config.Epochs != 2 || tr.Config.TrainLimit != 6000 {
			t.Errorf("%s %s: lr %g epochs %d limit %d", tr.Row.Key(), tr.Rule, tr.Config.LR, tr.Config.Epochs, tr.Config.TrainLimit)
		}
	}
	if _, _, err := e.Plan(Options{Out: "x", Rows: []string{"FC9-9/DO0.0"}}); err == nil {
		t.Error("an unknown row: want an error")
	}
}

func TestPlanKeepsOnlyTheNamedRules(t *testing.T) {
	e, _ := Lookup("table1")
	trials, _, err := e.Plan(Options{Out: "x", Quick: true, Rules: []string{"drtp", "shallow"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(trials) != 2*2*2 {
		t.Errorf("%d trials; want 2 rows × 2 rules × 2 trials", len(trials))
	}
	for _, tr := range trials {
		if tr.Rule != "drtp" && tr.Rule != "shallow" {
			t.Errorf("rule %s planned", tr.Rule)
		}
	}
	if _, _, err := e.Plan(Options{Out: "x", Rules: []string{"drtp", "hebb"}}); err == nil {
		t.Error("an unknown rule: want an error")
	}
}

func TestPlanGivesSpikingRowsTheirStepsAndRate(t *testing.T) {
	e, _ := Lookup("spiking")
	trials, _, err := e.Plan(Options{Out: "x", Rows: []string{"LIF 784-1000-10/T=25", "LIF 784-1000-10/T=50 1000Hz"}, Rules: []string{"drtp"}})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][2]float64{"LIF 784-1000-10/T=25": {25, 0}, "LIF 784-1000-10/T=50 1000Hz": {50, 1000}}
	if len(trials) != len(want) {
		t.Fatalf("%d trials; want %d", len(trials), len(want))
	}
	for _, tr := range trials {
		w := want[tr.Row.Key()]
		if got := [2]float64{float64(tr.Config.Steps), tr.Config.MaxRate}; got != w {
			t.Errorf("%s: steps and max rate %v; want %v (0: the engine's default)", tr.Row.Key(), got, w)
		}
	}
}

// TestQuickSpikingEndToEnd runs the spiking experiment's quick version and
// checks its table.
func TestQuickSpikingEndToEnd(t *testing.T) {
	out := t.TempDir()
	reproduceSpiking(t, Options{Out: out, Quick: true, Command: "test"})
	for _, f := range []string{"table.md", "table.csv", "trials/LIF-784-1000-10_T=10/drtp/trial-01/summary.json"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("missing %s", f)
		}
	}
}

// reproduceSpiking runs the spiking experiment with o and returns it; the
// test is skipped where MNIST is not available.
func reproduceSpiking(t *testing.T, o Options) Experiment {
	t.Helper()
	e, err := Lookup("spiking")
	if err != nil {
		t.Fatal(err)
	}
	if err := Reproduce(context.Background(), e, o); err != nil {
		if errors.Is(err, dataset.ErrNotFound) {
			t.Skip("MNIST not available")
		}
		t.Fatal(err)
	}
	return e
}

// TestPartialRunKeepsTheRestOfTheTable: a run of one rule leaves the
// other rules' finished trials in the table.
func TestPartialRunKeepsTheRestOfTheTable(t *testing.T) {
	out := t.TempDir()
	for _, rule := range []string{"shallow", "drtp"} {
		reproduceSpiking(t, Options{Out: out, Quick: true, Rules: []string{rule}, Command: "test --rules " + rule})
	}
	b, err := os.ReadFile(filepath.Join(out, "table.csv"))
	if err != nil {
		t.Fatal(err)
	}
	for _, rule := range []string{"DRTP", "Shallow"} {
		if !strings.Contains(string(b), ","+rule+",test_error,1,1,") {
			t.Errorf("table.csv has no finished %s trial after the drtp run:\n%s", rule, b)
		}
	}
}

// writeCIFAR writes a CIFAR-10 binary set of n records per file into dir:
// 3073-byte records, a label byte then 1024 R, 1024 G, 1024 B pixels.
func writeCIFAR(t *testing.T, dir string, n int) {
	t.Helper()
	files := []string{"data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin", "test_batch.bin"}
	for f, name := range files {
		b := make([]byte, n*3073)
		for r := 0; r < n; r++ {
			rec := b[r*3073 : (r+1)*3073]
			rec[0] = byte((r + f) % 10)
			for i := 1; i < len(rec); i++ {
				rec[i] = byte(i*7 + r*int(rec[0]))
			}
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestQuickCIFAREndToEnd: table2's quick version runs on CIFAR-10 files in
// the real format, and without them fails with the error that says where
// to put them.
func TestQuickCIFAREndToEnd(t *testing.T) {
	e, err := Lookup("table2")
	if err != nil {
		t.Fatal(err)
	}
	data := t.TempDir()
	o := Options{Out: t.TempDir(), Quick: true, Epochs: 1, DataDir: data, Command: "test"}
	if err := Reproduce(context.Background(), e, o); !errors.Is(err, dataset.ErrNotFound) {
		t.Fatalf("no CIFAR-10 files: error %v, want one wrapping dataset.ErrNotFound", err)
	}
	writeCIFAR(t, data, 60)
	o.Out = t.TempDir()
	if err := Reproduce(context.Background(), e, o); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"table.md", "table.csv", "trials/FC1-500_DO0.0/drtp/trial-01/summary.json"} {
		if _, err := os.Stat(filepath.Join(o.Out, f)); err != nil {
			t.Errorf("missing %s", f)
		}
	}
}

// TestAngleLogKeepsFinishedEpochs: a run resumed after epoch 2 keeps the
// angles of epochs 1 and 2 and drops those of the epoch it interrupted.
func TestAngleLogKeepsFinishedEpochs(t *testing.T) {
	path := filepath.Join(t.TempDir(), "angles.csv")
	old := "samples,epoch,angle_1\n100,1,80.5\n200,1,70.25\n300,2,60\n400,3,55\n"
	if err := os.WriteFile(path, []byte(old), 0o644); err != nil {
		t.Fatal(err)
	}
	l := &AngleLog{Path: path, Layers: 1}
	l.Load(2)
	if err := l.Flush(); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(path)
	if want := "samples,epoch,angle_1\n100,1,80.5\n200,1,70.25\n300,2,60\n"; string(got) != want {
		t.Errorf("angles.csv after Load(2):\n%s\nwant\n%s", got, want)
	}
}
