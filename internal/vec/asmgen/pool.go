package main

// The 2×2 max-pooling kernels (AVX-512 only): maxPool512 and its adjoint,
// unpool512 and unpoolScaled512. Each handles rows of up to 16 windows per
// vector: a window row is two input rows of 2·pw floats, read as two
// vectors each (32 floats) and split into the even and odd columns with
// VPERMI2PS; the unpool writes back through the inverse permutation. The
// last ragged chunk of each row uses three masks packed into one argument
// (vec.poolMasks packs them): bits 0–15 the windows, 16–31 the first input
// vector, 32–47 the second.

// permIdx are the VPERMI2PS index vectors: even and odd lanes of a pair of
// vectors, and the two halves of their interleave.
var permIdx = []struct {
	name string
	idx  func(i int) int
}{
	{"pevens", func(i int) int { return 2 * i }},
	{"podds", func(i int) int { return 2*i + 1 }},
	{"pinterlo", func(i int) int { return i/2 + 16*(i%2) }},
	{"pinterhi", func(i int) int { return 8 + i/2 + 16*(i%2) }},
}

// writePermIdx writes the index vectors as read-only data.
func writePermIdx() {
	p("// VPERMI2PS indices of the pooling kernels.")
	for _, c := range permIdx {
		for i := 0; i < 16; i++ {
			p("DATA %s<>+%d(SB)/4, $%d", c.name, 4*i, c.idx(i))
		}
		p("GLOBL %s<>(SB), RODATA|NOPTR, $64", c.name)
	}
	p("")
}

// poolDecls are the Go declarations of the pooling kernels.
var poolDecls = []struct{ name, sig, doc string }{
	{"maxPool512", "(p, y *float32, rows, nf, ps, ys int, masks uint64)",
		"sets rows of pooled maxima (ps bytes apart) from row pairs of y (ys bytes apart): nf full chunks of 16 windows, then the ragged chunk of masks."},
	{"unpool512", "(d, y, dp *float32, rows, nf, gs, ys int, masks uint64)",
		"routes dp (rows gs bytes apart) to the first maximum of each window of y into d (both ys bytes apart), zero elsewhere."},
	{"unpoolScaled512", "(d, y, dp, f *float32, rows, nf, gs, ys int, masks uint64)",
		"is unpool512 with dp·f routed (f laid out as dp)."},
}

func writePoolDecl() {
	for _, d := range poolDecls {
		p("// %s %s (AVX-512F)", d.name, d.doc)
		p("//")
		p("//go:noescape")
		p("func %s%s", d.name, d.sig)
		p("")
	}
}

// pmax writes d = max(a, b) as Go's max builtin has it for every input but
// NaN: VMAXPS returns its second operand on a tie, so a tie of −0 and +0
// would depend on the order; the AND of both orders gives +0 unless both
// are −0.
func pmax(a, b, d, t string) {
	p("\tVMAXPS %s, %s, %s", b, a, d)
	p("\tVMAXPS %s, %s, %s", a, b, t)
	p("\tVPANDD %s, %s, %s", t, d, d)
}

// perm writes d = the lanes idx selects from the pair (lo, hi).
func perm(idx, lo, hi, d string) {
	p("\tVMOVUPS %s<>(SB), %s", idx, d)
	p("\tVPERMI2PS %s, %s, %s", hi, lo, d)
}

// loadPair loads 32 floats at base into lo and hi, with the input
// masks K2 and K3 on the ragged chunk.
func loadPair(base, lo, hi string, ragged bool) {
	if ragged {
		p("\tVMOVUPS.Z (%s), K2, %s", base, lo)
		p("\tVMOVUPS.Z 64(%s), K3, %s", base, hi)
		return
	}
	p("\tVMOVUPS (%s), %s", base, lo)
	p("\tVMOVUPS 64(%s), %s", base, hi)
}

// storePair stores lo and hi as 32 floats at base.
func storePair(lo, hi, base string, ragged bool) {
	if ragged {
		p("\tVMOVUPS %s, K2, (%s)", lo, base)
		p("\tVMOVUPS %s, K3, 64(%s)", hi, base)
		return
	}
	p("\tVMOVUPS %s, (%s)", lo, base)
	p("\tVMOVUPS %s, 64(%s)", hi, base)
}

// genMaxPool writes maxPool512.
func genMaxPool() {
	p("// func maxPool512%s", poolDecls[0].sig)
	p("TEXT ·maxPool512(SB), NOSPLIT, $0-56")
	p("\tMOVQ p+0(FP), DI")
	p("\tMOVQ y+8(FP), SI")
	p("\tMOVQ rows+16(FP), CX")
	p("\tMOVQ nf+24(FP), DX")
	p("\tMOVQ ps+32(FP), R8")
	p("\tMOVQ ys+40(FP), R9")
	p("\tMOVQ masks+48(FP), AX")
	poolLoop("maxPool512", func(ragged bool) {
		loadPair("R10", "Z0", "Z1", ragged)
		loadPair("R11", "Z2", "Z3", ragged)
		pmax("Z0", "Z2", "Z4", "Z8")
		pmax("Z1", "Z3", "Z5", "Z8")
		perm("pevens", "Z4", "Z5", "Z6")
		perm("podds", "Z4", "Z5", "Z7")
		pmax("Z6", "Z7", "Z9", "Z8")
		if ragged {
			p("\tVMOVUPS Z9, K1, (R12)")
		} else {
			p("\tVMOVUPS Z9, (R12)")
		}
	})
}

// genUnpool writes unpool512, or with scaled unpoolScaled512.
func genUnpool(scaled bool) {
	d := poolDecls[1]
	args, frame := []string{"d", "y", "dp"}, 64
	if scaled {
		d = poolDecls[2]
		args, frame = append(args, "f"), 72
	}
	p("// func %s%s", d.name, d.sig)
	p("TEXT ·%s(SB), NOSPLIT, $0-%d", d.name, frame)
	regs := []string{"DI", "SI", "R13", "R14"} // d, y, dp, f
	for i, a := range args {
		p("\tMOVQ %s+%d(FP), %s", a, 8*i, regs[i])
	}
	o := 8 * len(args)
	p("\tMOVQ rows+%d(FP), CX", o)
	p("\tMOVQ nf+%d(FP), DX", o+8)
	p("\tMOVQ gs+%d(FP), R8", o+16)
	p("\tMOVQ ys+%d(FP), R9", o+24)
	p("\tMOVQ masks+%d(FP), AX", o+32)
	// d is written where y is read, shifted by BX = d − y; f is read
	// where dp is, shifted by R14 = f − dp.
	p("\tMOVQ DI, BX")
	p("\tSUBQ SI, BX")
	p("\tMOVQ R13, DI") // dp's rows: the per-window pointer of poolLoop
	if scaled {
		p("\tSUBQ R13, R14") // f = dp + R14
	}
	poolLoop(d.name, func(ragged bool) {
		loadPair("R10", "Z0", "Z1", ragged)
		loadPair("R11", "Z2", "Z3", ragged)
		perm("pevens", "Z0", "Z1", "Z4") // a
		perm("podds", "Z0", "Z1", "Z5")  // b
		perm("pevens", "Z2", "Z3", "Z6") // e
		perm("podds", "Z2", "Z3", "Z7")  // f
		p("\tVCMPPS $14, Z4, Z5, K4")    // b > a: the top row's maximum is b
		p("\tVCMPPS $14, Z6, Z7, K5")    // f > e: the bottom row's is f
		p("\tVMAXPS Z5, Z4, Z8")
		p("\tVMAXPS Z7, Z6, Z9")
		p("\tVCMPPS $14, Z8, Z9, K6") // max(e, f) > max(a, b): the bottom row wins
		if ragged {
			p("\tVMOVUPS.Z (R12), K1, Z10")
		} else {
			p("\tVMOVUPS (R12), Z10")
		}
		if scaled {
			if ragged {
				p("\tVMOVUPS.Z (R12)(R14*1), K1, Z11")
				p("\tVMULPS Z11, Z10, Z10")
			} else {
				p("\tVMULPS (R12)(R14*1), Z10, Z10")
			}
		}
		// The four corners: a where neither b nor the bottom row wins, and
		// so on; each lane routes its value to exactly one.
		p("\tKORW K4, K6, K7")
		p("\tKNOTW K7, K7")
		p("\tVMOVAPS.Z Z10, K7, Z12") // a
		p("\tKANDNW K4, K6, K7")
		p("\tVMOVAPS.Z Z10, K7, Z13") // b
		p("\tKANDNW K6, K5, K7")
		p("\tVMOVAPS.Z Z10, K7, Z14") // e
		p("\tKANDW K5, K6, K7")
		p("\tVMOVAPS.Z Z10, K7, Z15") // f
		perm("pinterlo", "Z12", "Z13", "Z16")
		perm("pinterhi", "Z12", "Z13", "Z17")
		perm("pinterlo", "Z14", "Z15", "Z18")
		perm("pinterhi", "Z14", "Z15", "Z19")
		p("\tLEAQ (R10)(BX*1), R13")
		storePair("Z16", "Z17", "R13", ragged)
		p("\tLEAQ (R11)(BX*1), R13")
		storePair("Z18", "Z19", "R13", ragged)
	})
}

// poolLoop writes the loops over rows and chunks. On entry DI points at
// the per-window rows (pooled output or dp), SI at the input row pairs, CX
// holds the rows, DX the full chunks per row, R8 and R9 the per-window and
// input row strides in bytes, AX the packed masks. chunk writes one chunk
// from R10 (input row 0), R11 (input row 1) and R12 (window row); the loop
// advances them by 128, 128 and 64 bytes.
func poolLoop(name string, chunk func(ragged bool)) {
	p("\tKMOVW AX, K1")
	p("\tSHRQ $16, AX")
	p("\tKMOVW AX, K2")
	p("\tSHRQ $16, AX")
	p("\tKMOVW AX, K3")
	p("\tTESTQ CX, CX")
	p("\tJZ %s_done", name)
	p("%s_row:", name)
	p("\tMOVQ SI, R10")
	p("\tLEAQ (SI)(R9*1), R11")
	p("\tMOVQ DI, R12")
	p("\tMOVQ DX, AX")
	p("\tTESTQ AX, AX")
	p("\tJZ %s_ragged", name)
	p("%s_chunk:", name)
	chunk(false)
	p("\tADDQ $128, R10")
	p("\tADDQ $128, R11")
	p("\tADDQ $64, R12")
	p("\tDECQ AX")
	p("\tJNZ %s_chunk", name)
	p("%s_ragged:", name)
	p("\tKORTESTW K1, K1")
	p("\tJZ %s_next", name)
	chunk(true)
	p("%s_next:", name)
	p("\tLEAQ (SI)(R9*2), SI")
	p("\tADDQ R8, DI")
	p("\tDECQ CX")
	p("\tJNZ %s_row", name)
	p("%s_done:", name)
	p("\tVZEROUPPER")
	p("\tRET")
	p("")
}
