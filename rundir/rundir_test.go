package rundir

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestPrepareRefusesADirectoryWithResults(t *testing.T) {
	for _, name := range []string{Config, Metrics, Summary, Checkpoint} {
		dir := t.TempDir()
		os.WriteFile(filepath.Join(dir, name), []byte("x"), 0o644)
		if err := Prepare(dir, false); !errors.Is(err, ErrExists) {
			t.Errorf("%s present: Prepare = %v, want ErrExists", name, err)
		}
		if err := Prepare(dir, true); err != nil {
			t.Errorf("%s present, resume: Prepare = %v, want nil", name, err)
		}
	}
	if err := Prepare(filepath.Join(t.TempDir(), "new", "run"), false); err != nil {
		t.Errorf("a new directory: %v", err)
	}
}

func TestWriteFileReplacesAtomicallyAndLeavesNoTemporaries(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, Metrics)
	for _, content := range []string{"first\n", "second\n"} {
		if err := WriteFile(path, []byte(content)); err != nil {
			t.Fatal(err)
		}
		if b, _ := os.ReadFile(path); string(b) != content {
			t.Errorf("read back %q, want %q", b, content)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("%d files in the directory, want only %s", len(entries), Metrics)
	}
	if err := WriteFile(filepath.Join(dir, "missing", "x"), nil); err == nil {
		t.Error("writing into a missing folder: want an error")
	}
}

func TestJSONRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), Summary)
	in := map[string]float64{"test_error": 4.13}
	if err := WriteJSON(path, in); err != nil {
		t.Fatal(err)
	}
	var out map[string]float64
	if err := ReadJSON(path, &out); err != nil || out["test_error"] != 4.13 {
		t.Errorf("round trip = %v, %v", out, err)
	}
}
