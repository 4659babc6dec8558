package spiking

// Column panels: the layout of the first layer's weights (and of its
// gradients and optimiser state, which follow the weights element by
// element) when its currents are computed a sample at a time by the
// AVX-512 kernels (layer.panels). The Out columns are cut, widest first,
// into panels of 64, 32, 16 and 8 columns and a last one of Out mod 8;
// a panel of width W starting at column c holds W_ij for every input j
// and c ≤ i < c+W as an In × W block at float c·In:
//
//	wT[c·In + j·W + (i − c)] = W_ij
//
// The kernels take the columns of one panel at a time over every step
// (stepCurrents) or every input (the summed update); in panels those
// columns are one contiguous block of In·W floats, where in the row-major
// layout each of their rows sits Out floats from the next, a page apart
// for Out = 1000. The summed update reads the rows of m̃ (T × Out) the
// same way, so it takes a copy of them in panels of T rows. On an Intel
// Xeon that cut the first layer's currents of a sample from 78–84 to
// 43–49 µs (BenchmarkStepCurrents) and the summed update, with its
// grouping of the events and the copy, from 67–74 to 63–69 µs
// (BenchmarkGroupAdd); default training went 7.5% faster. The adds are
// those of the row-major kernels, in the same order: the numbers are the
// same bit for bit.

// panelWidths are the panel widths, widest first; they are the chunk
// widths of the panel kernels (asmgen's panelChunks).
var panelWidths = [...]int{64, 32, 16, 8}

// panelWidth returns the width of the panel starting at column c of a
// matrix of out columns.
func panelWidth(out, c int) int {
	for _, W := range panelWidths {
		if out-c >= W {
			return W
		}
	}
	return out - c
}

// forPanels calls f with the first column and the width of every panel of
// a matrix of out columns, from the panel at column from on (from must
// start a panel).
func forPanels(out, from int, f func(c, W int)) {
	for c := from; c < out; {
		W := panelWidth(out, c)
		f(c, W)
		c += W
	}
}

// toPanels returns the row-major In × Out matrix w (wT[j·Out + i] = W_ij)
// rearranged in column panels.
func toPanels(w []float32, in, out int) []float32 {
	return toPanelsInto(make([]float32, len(w)), w, in, out)
}

// toPanelsInto writes the row-major rows × out matrix src into dst (grown
// to fit) in column panels, and returns dst.
func toPanelsInto(dst, src []float32, rows, out int) []float32 {
	dst = grow(dst, rows*out)
	forPanels(out, 0, func(c, W int) {
		for j := range rows {
			copy(dst[c*rows+j*W:c*rows+(j+1)*W], src[j*out+c:j*out+c+W])
		}
	})
	return dst
}

// stepCurrentsPanels is stepCurrents for weights w in panels of in rows:
// cur[t·out + i] = b[i] + Σ_k W[idx[k], i] over the events k of step t.
// The columns a multiple of 8 go to the AVX-512 kernel where there is
// one, the rest to stepCurrentsGo, panel by panel.
func stepCurrentsPanels(cur, b, w []float32, out, in int, idx, off []int32, T int) {
	done := stepCurrentsPanelsArch(cur, b, w, out, in, idx, off, T)
	forPanels(out, done, func(c, W int) {
		stepCurrentsGo(cur[c:], out, b[c:c+W], w[c*in:], W, idx, off, T)
	})
}

// groupAddPanels is groupAdd for a gradient gW in panels of in rows, with
// m (T × out) in panels of T rows too, so that the rows of m̃ a kernel
// chunk reads are contiguous as well.
func groupAddPanels(gW, m []float32, out, in, T int, js, off, steps []int32) {
	done := 0
	if len(js) > 0 {
		done = groupAddPanelsArch(gW, m, out, in, T, js, off, steps)
	}
	forPanels(out, done, func(c, W int) {
		groupAddGo(gW[c*in:], W, m[c*T:], W, W, js, off, steps)
	})
}
