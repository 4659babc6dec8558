package network

import (
	"encoding/gob"
	"fmt"
	"io"

	"drtp/synapse"
)

// state is what a checkpoint holds of a network: everything that changes
// while it learns. Feedback matrices are fixed and redrawn from the seed.
type state struct {
	W, B       [][]float32
	OptW, OptB []synapse.Optimizer
	RNG        []byte // dropout random state
}

// Save writes the network's learnt state (weights, biases, optimiser state
// and random state) to w.
func (n *Net) Save(w io.Writer) error {
	var s state
	for _, l := range n.Layers {
		w, b := l.params()
		s.W = append(s.W, w)
		s.B = append(s.B, b)
		s.OptW = append(s.OptW, l.optW)
		s.OptB = append(s.OptB, l.optB)
	}
	var err error
	if s.RNG, err = n.src.MarshalBinary(); err != nil {
		return err
	}
	return gob.NewEncoder(w).Encode(&s)
}

// Load restores state written by Save into a network built with the same
// configuration.
func (n *Net) Load(r io.Reader) error {
	var s state
	if err := gob.NewDecoder(r).Decode(&s); err != nil {
		return fmt.Errorf("decode checkpoint: %w", err)
	}
	if len(s.W) != len(n.Layers) {
		return fmt.Errorf("checkpoint has %d layers, network %d", len(s.W), len(n.Layers))
	}
	for k, l := range n.Layers {
		w, b := l.params()
		if len(s.W[k]) != len(w) || len(s.B[k]) != len(b) {
			return fmt.Errorf("checkpoint layer %d has %d weights, network %d", k+1, len(s.W[k]), len(w))
		}
		copy(w, s.W[k])
		copy(b, s.B[k])
		l.optW, l.optB = s.OptW[k], s.OptB[k]
	}
	return n.src.UnmarshalBinary(s.RNG)
}
