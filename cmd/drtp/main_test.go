package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runCmd(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), &out, &errb, args)
	return code, out.String(), errb.String()
}

// TestBadInputExitsTwo: each kind of bad input gets one line naming the
// problem and what was expected, exit status 2, and nothing written.
func TestBadInputExitsTwo(t *testing.T) {
	dir := t.TempDir()
	used := filepath.Join(dir, "used")
	os.MkdirAll(used, 0o755)
	os.WriteFile(filepath.Join(used, "metrics.csv"), []byte("epoch\n1\n"), 0o644)
	empty := filepath.Join(dir, "nodata")
	os.MkdirAll(empty, 0o755)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"unknown rule", []string{"train", "--algo", "hebb"}, `unknown learning rule "hebb"`},
		{"malformed topology", []string{"train", "--net", "FC_1000_XX_10"}, `unknown layer kind "XX"`},
		{"negative rate", []string{"train", "--lr", "-1"}, "expected a positive learning rate"},
		{"bad dropout", []string{"train", "--dropout", "1.5"}, "expected a probability"},
		{"unknown data", []string{"train", "--data", "imagenet"}, "expected mnist"},
		{"loss on wrong output", []string{"train", "--loss", "bce", "--output-act", "tanh"}, "needs outputs in (0, 1)"},
		{"missing data files", []string{"train", "--data-dir", empty, "--out", filepath.Join(dir, "a")}, "not found"},
		{"results exist", []string{"train", "--out", used}, "already holds results"},
		{"unknown flag", []string{"train", "--speed", "9"}, "flag provided but not defined"},
		{"unknown command", []string{"fly"}, `unknown command "fly"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runCmd(t, tt.args...)
			if code != 2 {
				t.Errorf("exit status %d, want 2 (stderr: %s)", code, stderr)
			}
			if !strings.Contains(stderr, tt.want) {
				t.Errorf("stderr %q does not contain %q", stderr, tt.want)
			}
		})
	}
	if b, _ := os.ReadFile(filepath.Join(used, "metrics.csv")); string(b) != "epoch\n1\n" {
		t.Errorf("an existing metrics.csv was overwritten: %q", b)
	}
}

// TestTrainWritesRunDirectory trains a small DRTP network on a slice of the
// real MNIST and checks the run directory's contract.
func TestTrainWritesRunDirectory(t *testing.T) {
	out := filepath.Join(t.TempDir(), "run")
	code, stdout, stderr := runCmd(t, "train", "--data", "mnist", "--algo", "drtp", "--net", "FC_100_FC_10",
		"--epochs", "2", "--lr", "1e-3", "--train-limit", "3000", "--test-limit", "1000", "--angles", "600", "--out", out)
	if code != 0 {
		if strings.Contains(stderr, "not found") {
			t.Skipf("MNIST is not available here: %s", stderr)
		}
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "test error") {
		t.Errorf("stdout does not report the test error: %q", stdout)
	}
	var s map[string]any
	b, err := os.ReadFile(filepath.Join(out, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"test_error", "train_error", "samples_per_sec", "epochs", "seed", "algo", "net"} {
		if _, ok := s[k]; !ok {
			t.Errorf("summary.json lacks %q", k)
		}
	}
	// 3000 samples, 2 epochs of a 100-unit DRTP net: far better than chance (90%).
	if te := s["test_error"].(float64); te > 40 {
		t.Errorf("test error %.1f%%: the network did not learn", te)
	}
	m, _ := os.ReadFile(filepath.Join(out, "metrics.csv"))
	lines := strings.Split(strings.TrimSpace(string(m)), "\n")
	if len(lines) != 3 || lines[0] != "epoch,train_loss,train_error,test_loss,test_error,seconds,samples_per_sec,angle_1" {
		t.Errorf("metrics.csv = %q", m)
	}
	a, _ := os.ReadFile(filepath.Join(out, "angles.csv"))
	if n := len(strings.Split(strings.TrimSpace(string(a)), "\n")); n != 11 { // header + 6000/600
		t.Errorf("angles.csv has %d lines, want 11", n)
	}
	// Resuming a finished run trains nothing more and gives the same summary.
	code, _, stderr = runCmd(t, "train", "--data", "mnist", "--algo", "drtp", "--net", "FC_100_FC_10",
		"--epochs", "2", "--lr", "1e-3", "--train-limit", "3000", "--test-limit", "1000", "--angles", "600", "--out", out, "--resume")
	if code != 0 {
		t.Fatalf("resume: exit %d: %s", code, stderr)
	}
	b2, _ := os.ReadFile(filepath.Join(out, "summary.json"))
	if !bytes.Equal(b, b2) {
		t.Errorf("resuming a finished run changed summary.json")
	}
}

// TestResumeContinuesAsIfUninterrupted: 1 epoch then a resume to 2 gives the
// numbers of 2 epochs straight.
func TestResumeContinuesAsIfUninterrupted(t *testing.T) {
	dir := t.TempDir()
	args := func(out, epochs string) []string {
		return []string{"train", "--algo", "bp", "--net", "FC_50_FC_10", "--dropout", "0.1", "--train-limit", "1200",
			"--test-limit", "300", "--epochs", epochs, "--out", filepath.Join(dir, out)}
	}
	if code, _, stderr := runCmd(t, args("straight", "2")...); code != 0 {
		if strings.Contains(stderr, "not found") {
			t.Skip("MNIST not available")
		}
		t.Fatal(stderr)
	}
	runCmd(t, args("split", "1")...)
	if code, _, stderr := runCmd(t, append(args("split", "2"), "--resume")...); code != 0 {
		t.Fatal(stderr)
	}
	col := func(out string) string {
		b, _ := os.ReadFile(filepath.Join(dir, out, "metrics.csv"))
		var keep []string
		for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
			f := strings.Split(l, ",")
			keep = append(keep, strings.Join(f[:5], ","))
		}
		return strings.Join(keep, "\n")
	}
	if a, b := col("straight"), col("split"); a != b {
		t.Errorf("resumed run differs:\n%s\nvs\n%s", a, b)
	}

	// A resume with other flags is refused, naming what changed.
	code, _, stderr := runCmd(t, append(args("split", "3"), "--resume", "--lr", "0.01")...)
	if code != 2 || !strings.Contains(stderr, "lr: ") || !strings.Contains(stderr, "→ 0.01") {
		t.Errorf("resume with another --lr: exit %d, %q; want 2 and the field named", code, stderr)
	}

	// A checkpoint cut short is refused, saying so, and the run is kept.
	ck := filepath.Join(dir, "split", "checkpoint")
	b, err := os.ReadFile(ck)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(ck, b[:len(b)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	before := col("split")
	code, _, stderr = runCmd(t, append(args("split", "3"), "--resume")...)
	if code != 2 || !strings.Contains(stderr, "checkpoint: not a readable checkpoint: truncated") {
		t.Errorf("resume from a truncated checkpoint: exit %d, %q; want 2 and the file named as truncated", code, stderr)
	}
	if col("split") != before {
		t.Errorf("a refused resume changed metrics.csv")
	}
}

// TestSpikingRunAndItsFigures trains a small spiking DRTP network, then
// resumes the finished run to record test samples without training again,
// and redraws its raster, membrane traces and rates from the run directory.
func TestSpikingRunAndItsFigures(t *testing.T) {
	out := filepath.Join(t.TempDir(), "lif")
	flags := []string{"train", "--neuron", "lif", "--data", "mnist", "--algo", "drtp", "--net", "FC_100_FC_10",
		"--steps", "20", "--epochs", "1", "--train-limit", "500", "--test-limit", "200", "--out", out}
	code, stdout, stderr := runCmd(t, flags...)
	if code != 0 {
		if strings.Contains(stderr, "not found") {
			t.Skip("MNIST not available")
		}
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "test error") {
		t.Errorf("stdout: %q", stdout)
	}
	var s map[string]any
	b, _ := os.ReadFile(filepath.Join(out, "summary.json"))
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"spikes_per_sample", "synaptic_events_per_sec", "test_error"} {
		if _, ok := s[k]; !ok {
			t.Errorf("summary.json lacks %q", k)
		}
	}
	metrics, _ := os.ReadFile(filepath.Join(out, "metrics.csv"))
	if code, _, stderr := runCmd(t, append(flags, "--resume", "--record", "spikes,membrane,rates")...); code != 0 {
		t.Fatalf("resume to record: exit %d: %s", code, stderr)
	}
	if again, _ := os.ReadFile(filepath.Join(out, "metrics.csv")); string(again) != string(metrics) {
		t.Error("recording from a finished run trained it again")
	}
	if code, _, stderr := runCmd(t, append(flags[:len(flags)-2], "--steps", "30", "--out", out, "--resume")...); code != 2 || !strings.Contains(stderr, "steps: 20 → 30") {
		t.Errorf("resume with other --steps: exit %d, %q; want 2 and the field named", code, stderr)
	}
	for _, kind := range []string{"raster", "membrane", "rates"} {
		if code, _, stderr := runCmd(t, "plot", kind, "--run", out); code != 0 {
			t.Errorf("plot %s: exit %d: %s", kind, code, stderr)
		}
		if _, err := os.Stat(filepath.Join(out, "fig-"+kind+".png")); err != nil {
			t.Errorf("plot %s: %v", kind, err)
		}
	}
	// It refuses the rate engine's settings rather than ignore them, and
	// its config.json holds none of them.
	for _, f := range [][]string{{"--dropout", "0.1"}, {"--loss", "ce"}, {"--hidden-act", "relu"}} {
		if code, _, stderr := runCmd(t, "train", "--neuron", "lif", f[0], f[1], "--out", filepath.Join(t.TempDir(), "x")); code != 2 || !strings.Contains(stderr, f[0]+" applies to rate networks only") {
			t.Errorf("lif with %s: exit %d, %q; want 2 and the flag named", f[0], code, stderr)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(out, "config.json")); strings.Contains(string(b), "tanh") {
		t.Errorf("config.json of a spiking run holds the rate engine's activation:\n%s", b)
	}
	// A negative rate regulariser is refused by name.
	if code, _, stderr := runCmd(t, "train", "--neuron", "lif", "--rate-reg", "-1", "--out", filepath.Join(t.TempDir(), "x")); code != 2 || !strings.Contains(stderr, "--rate-reg") {
		t.Errorf("lif with --rate-reg -1: exit %d, %q; want 2 and the flag named", code, stderr)
	}
	// The spiking engine refuses rules that need weight transport.
	if code, _, stderr := runCmd(t, "train", "--neuron", "lif", "--algo", "bp", "--out", filepath.Join(t.TempDir(), "x")); code != 2 || !strings.Contains(stderr, "third factor") {
		t.Errorf("lif with bp: exit %d, %q; want 2 and a message naming the rules", code, stderr)
	}
	// The spiking dendrite is DRTP's; a refused configuration leaves no
	// run directory behind.
	bad := filepath.Join(t.TempDir(), "x")
	if code, _, stderr := runCmd(t, "train", "--neuron", "lif", "--algo", "dfa", "--dendrite", "--out", bad); code != 2 || !strings.Contains(stderr, "form of DRTP") {
		t.Errorf("lif dfa with --dendrite: exit %d, %q; want 2 and the rule named", code, stderr)
	}
	if _, err := os.Stat(bad); !os.IsNotExist(err) {
		t.Errorf("a refused spiking configuration left %s behind (%v)", bad, err)
	}
	// A rate network refuses the spiking engine's settings in turn.
	for _, f := range [][]string{{"--steps", "20"}, {"--online"}, {"--dendrite"}, {"--max-rate", "200"}, {"--record", "spikes"}, {"--rate-reg", "0.05"}} {
		args := append(append([]string{"train"}, f...), "--out", filepath.Join(t.TempDir(), "x"))
		if code, _, stderr := runCmd(t, args...); code != 2 || !strings.Contains(stderr, f[0]+" applies to spiking networks only") {
			t.Errorf("rate network with %s: exit %d, %q; want 2 and the flag named", f[0], code, stderr)
		}
	}
}
