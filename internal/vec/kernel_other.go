//go:build !amd64 || purego

package vec

// bestLevels lists the instruction sets this CPU can run, best first.
func bestLevels() []int { return []int{levelGeneric} }

func adamArch(p, g, m, v []float32, k *adamConsts) bool     { return false }
func tanhArch(y, z []float32) bool                          { return false }
func sigmoidArch(y, z []float32) bool                       { return false }
func mulArch(d, a []float32) bool                           { return false }
func addArch(d, a []float32) bool                           { return false }
func addConstArch(d []float32, c float32) bool              { return false }
func tanhDerivArch(d, y []float32) bool                     { return false }
func mulTanhDerivArch(d, y []float32) bool                  { return false }
func maxPoolArch(p, y []float32, rows, pw, w int) bool      { return false }
func unpoolArch(d, y, g, f []float32, rows, pw, w int) bool { return false }
