//go:build amd64 && !purego

package vec

import "golang.org/x/sys/cpu"

//go:generate go run ./asmgen

// bestLevels lists the instruction sets this CPU can run, best first.
func bestLevels() []int {
	var ls []int
	if cpu.X86.HasAVX512F {
		ls = append(ls, levelAVX512)
	}
	if cpu.X86.HasAVX2 && cpu.X86.HasFMA {
		ls = append(ls, levelAVX2)
	}
	return append(ls, levelGeneric)
}

// The …Arch functions run the assembly kernel of the level in use and
// report false when that level is generic.

// adamArch runs the 8-lane kernel on AVX-512 machines too (it needs AVX
// only): the loop is bound by the square roots and divisions, which on
// Zen 4 cost 6% more per lane in 16-lane form.
func adamArch(p, g, m, v []float32, k *adamConsts) bool {
	n := len(p)
	g, m, v = g[:n], m[:n], v[:n]
	switch level.Load() {
	case levelAVX512, levelAVX2:
		adam256(&p[0], &g[0], &m[0], &v[0], n, k)
	default:
		return false
	}
	return true
}

// pairArch runs k512 or k256, whichever the level in use has, on the
// element pairs of d (written) and a (read, at least as long).
func pairArch(d, a []float32, k512, k256 func(d, a *float32, n int)) bool {
	a = a[:len(d)]
	switch level.Load() {
	case levelAVX512:
		k512(&d[0], &a[0], len(d))
	case levelAVX2:
		k256(&d[0], &a[0], len(d))
	default:
		return false
	}
	return true
}

func tanhArch(y, z []float32) bool    { return pairArch(y, z, tanh512, tanh256) }
func sigmoidArch(y, z []float32) bool { return pairArch(y, z, sigmoid512, sigmoid256) }
func mulArch(d, a []float32) bool     { return pairArch(d, a, mul512, mul256) }
func addArch(d, a []float32) bool     { return pairArch(d, a, add512, add256) }
func addConstArch(d []float32, c float32) bool {
	switch level.Load() {
	case levelAVX512:
		addConst512(&d[0], len(d), &c)
	case levelAVX2:
		addConst256(&d[0], len(d), &c)
	default:
		return false
	}
	return true
}

func tanhDerivArch(d, y []float32) bool { return pairArch(d, y, tanhDeriv512, tanhDeriv256) }
func mulTanhDerivArch(d, y []float32) bool {
	return pairArch(d, y, mulTanhDeriv512, mulTanhDeriv256)
}

// maxPoolArch and unpoolArch run the AVX-512 pooling kernels; AVX2 has
// no two-table permute, and takes the Go loops.
func maxPoolArch(p, y []float32, rows, pw, w int) bool {
	if level.Load() != levelAVX512 {
		return false
	}
	nf, masks := poolMasks(pw)
	maxPool512(&p[0], &y[0], rows, nf, 4*pw, 4*w, masks)
	return true
}

func unpoolArch(d, y, g, f []float32, rows, pw, w int) bool {
	if level.Load() != levelAVX512 {
		return false
	}
	nf, masks := poolMasks(pw)
	if f == nil {
		unpool512(&d[0], &y[0], &g[0], rows, nf, 4*pw, 4*w, masks)
	} else {
		unpoolScaled512(&d[0], &y[0], &g[0], &f[0], rows, nf, 4*pw, 4*w, masks)
	}
	return true
}
