package plots

import (
	"errors"
	"fmt"
	"math"
)

// errEmpty is wrapped by every error about missing data.
var errEmpty = errors.New("no data")

// isFinite reports whether v is neither NaN nor ±Inf.
func isFinite(v float64) bool {
	return !math.IsNaN(v) && !math.IsInf(v, 0)
}

// checkFinite returns an error naming what and the index of the first NaN
// or ±Inf in v.
func checkFinite(what string, v []float64) error {
	for i, x := range v {
		if !isFinite(x) {
			return fmt.Errorf("%s[%d] = %v: not finite", what, i, x)
		}
	}
	return nil
}

// checkCurve checks that a curve has data, matching lengths, finite values
// and a non-negative std.
func checkCurve(i int, c Curve) error {
	name := fmt.Sprintf("curve %d (%q)", i, c.Label)
	switch {
	case len(c.Y) == 0:
		return fmt.Errorf("%s: %w", name, errEmpty)
	case len(c.X) != len(c.Y):
		return fmt.Errorf("%s: %d x values for %d y values", name, len(c.X), len(c.Y))
	case c.Std != nil && len(c.Std) != len(c.Y):
		return fmt.Errorf("%s: %d std values for %d y values", name, len(c.Std), len(c.Y))
	}
	if err := checkFinite("x", c.X); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if err := checkFinite("y", c.Y); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if err := checkFinite("std", c.Std); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	for j, s := range c.Std {
		if s < 0 {
			return fmt.Errorf("%s: std[%d] = %v is negative", name, j, s)
		}
	}
	return nil
}

// checkBins turns a bin count into one usable: 0 means def, negative is an
// error.
func checkBins(bins, def int) (int, error) {
	switch {
	case bins < 0:
		return 0, fmt.Errorf("bins = %d: must be positive (or 0 for the default %d)", bins, def)
	case bins == 0:
		return def, nil
	}
	return bins, nil
}
