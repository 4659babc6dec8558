package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestBenchSpikingJSON: `drtp bench --only spiking --json` prints one line
// whose name the PyTorch peer (bench/torch_spiking_peer.py) also prints.
func TestBenchSpikingJSON(t *testing.T) {
	code, out, errs := runCmd(t, "bench", "--only", "spiking", "--json", "--time", "1ms")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 1 {
		t.Fatalf("%d lines, want 1:\n%s", len(lines), out)
	}
	var r struct {
		Name          string  `json:"name"`
		SamplesPerSec float64 `json:"samples_per_sec"`
		SynEvents     float64 `json:"syn_events_per_sec"`
	}
	if err := json.Unmarshal([]byte(lines[0]), &r); err != nil {
		t.Fatal(err)
	}
	if r.Name != "spiking LIF FC_1000_FC_10 T=50 poisson drtp" || !(r.SamplesPerSec > 0) || !(r.SynEvents > 0) {
		t.Errorf("got %+v", r)
	}
}

// TestBenchUnknownSection: a misspelt --only section is bad input.
func TestBenchUnknownSection(t *testing.T) {
	code, _, errs := runCmd(t, "bench", "--only", "spikng")
	if code != 2 || !strings.Contains(errs, `unknown section "spikng"`) {
		t.Errorf("exit %d, stderr %q: want 2 and the unknown section named", code, errs)
	}
}

// TestBenchRoundsAtLeastOne: zero rounds of thread scaling is bad input.
func TestBenchRoundsAtLeastOne(t *testing.T) {
	code, _, errs := runCmd(t, "bench", "--only", "threads", "--rounds", "0")
	if code != 2 || !strings.Contains(errs, "--rounds 0: expected at least 1") {
		t.Errorf("exit %d, stderr %q: want 2 and the bad --rounds named", code, errs)
	}
}
