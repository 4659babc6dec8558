package main

// The column kernels of the sparse products (AVX-512F): marking the
// columns of a matrix that hold a non-zero value, and moving rows between
// their full width and the compacted width of the kept columns. A row of
// full width is cut into chunks of 16 columns; each chunk has one word,
// its mask of kept columns in the low 16 bits and the number of kept
// columns before it in the high 32 (gemm.colChunks builds them). The last
// chunk of a row goes under the tail mask.

// genCols writes orRows512, expandRows512 and compressRows512.
func genCols() {
	genOrRows()
	genMoveRows("expandRows512", true)
	genMoveRows("compressRows512", false)
}

// colDecls are the Go declarations of the column kernels.
var colDecls = []struct{ name, sig, doc string }{
	{"orRows512", "(acc, b unsafe.Pointer, rows, nc, bs int, tail uint64)",
		"ORs the bits of rows of b (bs bytes apart, nc chunks of 16 floats, the last under tail) into acc."},
	{"expandRows512", "(dst, src unsafe.Pointer, chunks *uint64, rows, nc, ds, ss int, tail uint64)",
		"sets rows of dst (ds bytes apart, nc chunks) from the compacted rows of src (ss bytes apart), zero in the columns not kept; it reads up to 15 floats past each row of src."},
	{"compressRows512", "(dst, src unsafe.Pointer, chunks *uint64, rows, nc, ds, ss int, tail uint64)",
		"sets the compacted rows of dst (ds bytes apart) to the kept columns of src (ss bytes apart, nc chunks); it writes up to 16 floats past each row of dst, which the next row overwrites."},
}

func writeColDecl() {
	for _, d := range colDecls {
		p("// %s %s", d.name, d.doc)
		p("//")
		p("//go:noescape")
		p("func %s%s", d.name, d.sig)
		p("")
	}
}

// genOrRows writes orRows512: acc[j] |= bits(b[r][j]) for every row r,
// sixteen columns at a time, acc held in memory and each chunk's OR over
// the rows in a register.
func genOrRows() {
	p("// func orRows512%s", colDecls[0].sig)
	p("TEXT ·orRows512(SB), NOSPLIT, $0-48")
	p("\tMOVQ acc+0(FP), DI")
	p("\tMOVQ b+8(FP), SI")
	p("\tMOVQ rows+16(FP), CX")
	p("\tMOVQ nc+24(FP), DX")
	p("\tMOVQ bs+32(FP), R9")
	p("\tMOVQ tail+40(FP), AX")
	p("\tKMOVW AX, K2")
	p("\tTESTQ CX, CX")
	p("\tJZ orRows512_done")
	p("\tTESTQ DX, DX")
	p("\tJZ orRows512_done")
	p("orRows512_chunk:") // one chunk over every row
	p("\tCMPQ DX, $1")
	p("\tJEQ orRows512_last")
	p("\tVMOVUPS (DI), Z0")
	p("\tMOVQ SI, R10")
	p("\tMOVQ CX, R11")
	p("orRows512_row:")
	p("\tVPORD (R10), Z0, Z0")
	p("\tADDQ R9, R10")
	p("\tDECQ R11")
	p("\tJNZ orRows512_row")
	p("\tVMOVUPS Z0, (DI)")
	p("\tADDQ $64, DI")
	p("\tADDQ $64, SI")
	p("\tDECQ DX")
	p("\tJMP orRows512_chunk")
	p("orRows512_last:")
	p("\tVMOVUPS.Z (DI), K2, Z0")
	p("\tMOVQ SI, R10")
	p("\tMOVQ CX, R11")
	p("orRows512_lastrow:")
	p("\tVMOVUPS.Z (R10), K2, Z1")
	p("\tVPORD Z1, Z0, Z0")
	p("\tADDQ R9, R10")
	p("\tDECQ R11")
	p("\tJNZ orRows512_lastrow")
	p("\tVMOVUPS Z0, K2, (DI)")
	p("orRows512_done:")
	p("\tVZEROUPPER")
	p("\tRET")
	p("")
}

// genMoveRows writes expandRows512 (VPEXPANDD: the kept floats of a
// compacted row go to their columns, zeros elsewhere) or compressRows512
// (VPCOMPRESSD, the inverse). The chunk offsets make every chunk
// independent of the others: no dependency runs through a popcount.
func genMoveRows(name string, expand bool) {
	d := colDecls[1]
	if !expand {
		d = colDecls[2]
	}
	p("// func %s%s", name, d.sig)
	p("TEXT ·%s(SB), NOSPLIT, $0-64", name)
	p("\tMOVQ dst+0(FP), DI")
	p("\tMOVQ src+8(FP), SI")
	p("\tMOVQ chunks+16(FP), R8")
	p("\tMOVQ rows+24(FP), CX")
	p("\tMOVQ nc+32(FP), DX")
	p("\tMOVQ ds+40(FP), R13")
	p("\tMOVQ ss+48(FP), R9")
	p("\tMOVQ tail+56(FP), AX")
	p("\tKMOVW AX, K2")
	p("\tTESTQ CX, CX")
	p("\tJZ %s_done", name)
	p("\tTESTQ DX, DX")
	p("\tJZ %s_done", name)
	p("%s_row:", name)
	p("\tMOVQ DI, R10") // dst row
	p("\tMOVQ SI, R11") // src row
	p("\tMOVQ R8, R12") // chunk words
	p("\tMOVQ DX, AX")
	p("%s_chunk:", name)
	p("\tMOVQ (R12), BX")
	p("\tKMOVW BX, K1")
	p("\tSHRQ $32, BX") // kept columns before the chunk
	p("\tCMPQ AX, $1")
	p("\tJEQ %s_last", name)
	if expand {
		p("\tVMOVUPS (R11)(BX*4), Z0")
		p("\tVPEXPANDD.Z Z0, K1, Z1")
		p("\tVMOVUPS Z1, (R10)")
	} else {
		p("\tVMOVUPS (R11), Z0")
		p("\tVPCOMPRESSD.Z Z0, K1, Z1")
		p("\tVMOVUPS Z1, (R10)(BX*4)")
	}
	if expand {
		p("\tADDQ $64, R10") // the dst chunk; src is read at its offset
	} else {
		p("\tADDQ $64, R11") // the src chunk; dst is written at its offset
	}
	p("\tADDQ $8, R12")
	p("\tDECQ AX")
	p("\tJMP %s_chunk", name)
	p("%s_last:", name)
	if expand {
		p("\tVMOVUPS (R11)(BX*4), Z0")
		p("\tVPEXPANDD.Z Z0, K1, Z1")
		p("\tVMOVUPS Z1, K2, (R10)")
	} else {
		p("\tVMOVUPS.Z (R11), K2, Z0")
		p("\tVPCOMPRESSD.Z Z0, K1, Z1")
		p("\tVMOVUPS Z1, (R10)(BX*4)")
	}
	p("\tADDQ R13, DI")
	p("\tADDQ R9, SI")
	p("\tDECQ CX")
	p("\tJNZ %s_row", name)
	p("%s_done:", name)
	p("\tVZEROUPPER")
	p("\tRET")
	p("")
}
