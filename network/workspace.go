package network

// workspace owns the activation buffers a training or evaluation step needs,
// and counts their bytes, so that the claim "DRTP holds no activations across
// layers" is measured rather than asserted.
type workspace struct {
	bufs  map[wsKey][]float32
	bytes int
}

// wsKey names a buffer: a role and the layer it belongs to (0 when shared).
type wsKey struct {
	role  byte
	layer int
}

// get returns the buffer named key with at least size values, growing it
// when needed. Its contents are undefined.
func (w *workspace) get(role byte, layer, size int) []float32 {
	if w.bufs == nil {
		w.bufs = make(map[wsKey][]float32)
	}
	key := wsKey{role, layer}
	b := w.bufs[key]
	if cap(b) < size {
		w.bytes += 4 * (size - cap(b))
		b = make([]float32, size)
		w.bufs[key] = b
	}
	return b[:size]
}

// ActivationBytes is the memory held in activation and signal buffers by the
// steps run so far, in bytes: everything a step keeps besides the weights,
// their gradients and the optimiser state.
func (n *Net) ActivationBytes() int { return n.ws.bytes }
