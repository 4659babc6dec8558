// Package rundir writes and reads a run directory: the files one training
// run leaves behind, each written atomically (to a temporary file in the same
// folder, then renamed), so that a crash or Ctrl-C never leaves a half file.
//
//	config.json   every resolved setting, the seed and the version
//	metrics.csv   one row per finished epoch
//	angles.csv    alignment angles per hidden layer, every N samples (optional)
//	summary.json  the final numbers
//	checkpoint    weights, optimiser state and random state after the last
//	              finished epoch, to resume from
package rundir

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
)

// Version is the simulator's version, written into every config.json.
var Version = "0.1.0"

// FullVersion returns Version with the VCS revision when the binary knows it.
func FullVersion() string {
	v := Version
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				v += "+" + s.Value[:12]
			}
		}
	}
	return v
}

// Names of the files in a run directory.
const (
	Config     = "config.json"
	Metrics    = "metrics.csv"
	Angles     = "angles.csv"
	Summary    = "summary.json"
	Checkpoint = "checkpoint"
	// Densities, with --densities: a row per recorded epoch,
	// "epoch,lo,hi,p_1,…,p_60", p_b the density of the first hidden
	// layer's activations in bin b of [lo, hi].
	Densities = "densities.csv"
)

// ErrExists is returned by Prepare when a directory already holds results.
var ErrExists = errors.New("run directory already holds results")

// ErrUnreadable marks a checkpoint that does not decode: written
// atomically, it was cut short or changed afterwards, and a run cannot
// resume from it.
var ErrUnreadable = errors.New("not a readable checkpoint")

// Prepare makes dir ready for a new run. It refuses, with ErrExists, a
// directory that already holds any of a run's files, unless resume is set
// (the caller then continues from the checkpoint).
func Prepare(dir string, resume bool) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create run directory: %w", err)
	}
	if resume {
		return nil
	}
	for _, name := range []string{Config, Metrics, Summary, Checkpoint} {
		if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
			return fmt.Errorf("%s: %w (found %s); choose another --out, or pass --resume to continue it", dir, ErrExists, name)
		}
	}
	return nil
}

// WriteFile writes data to path atomically.
func WriteFile(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	name := tmp.Name()
	err = tmp.Chmod(0o644) // results are for sharing, as os.WriteFile would leave them
	if err == nil {
		_, err = tmp.Write(data)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(name, path)
	}
	if err != nil {
		os.Remove(name)
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// WriteJSON writes v as indented JSON to path atomically.
func WriteJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("encode %s: %w", path, err)
	}
	return WriteFile(path, append(b, '\n'))
}

// ReadJSON reads path into v.
func ReadJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}
	return nil
}
