package network

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"testing"

	"drtp/modulator"
	"drtp/neuron"
	"drtp/synapse"
)

// toyNet builds a small network with the given rule and plain SGD (lr 1, no
// momentum), so that one step changes each parameter by exactly −∇.
func toyNet(t *testing.T, topo string, in int, hidden neuron.Activation, out Output, loss Loss, rule modulator.Rule, seed uint64) *Net {
	t.Helper()
	specs, err := ParseTopology(topo)
	if err != nil {
		t.Fatal(err)
	}
	n, err := New(Config{Topology: specs, Inputs: in, Hidden: hidden, Output: out, Loss: loss, Rule: rule,
		Method: synapse.SGD{LR: 1}, Seed: seed})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func randomBatch(rng *rand.Rand, nb, in, c int, oneHot bool) Batch {
	b := Batch{X: make([]float32, nb*in), T: make([]float32, nb*c), N: nb}
	for i := range b.X {
		b.X[i] = float32(rng.NormFloat64())
	}
	if oneHot {
		b.Labels = make([]int, nb)
		for r := range b.Labels {
			b.Labels[r] = rng.IntN(c)
			b.T[r*c+b.Labels[r]] = 1
		}
	} else {
		for i := range b.T {
			b.T[i] = float32(rng.Float64()*1.6 - 0.8)
		}
	}
	return b
}

// TestBPGradientMatchesFiniteDifferences checks BP's gradient of every
// weight and bias against central differences of the loss, for every hidden
// activation and every loss with each output it accepts.
func TestBPGradientMatchesFiniteDifferences(t *testing.T) {
	pairs := []struct {
		out  Output
		loss Loss
	}{
		{OutSigmoid, BCE}, {OutSoftmax, BCE},
		{OutSoftmax, CE}, {OutNone, CE},
		{OutSigmoid, MSE}, {OutSoftmax, MSE}, {OutTanh, MSE}, {OutNone, MSE},
	}
	for _, act := range []neuron.Activation{neuron.Tanh{}, neuron.Sigmoid{}, neuron.ReLU{}} {
		for _, p := range pairs {
			t.Run(fmt.Sprintf("%s/%s/%s", act, p.out, p.loss), func(t *testing.T) {
				rng := rand.New(rand.NewPCG(7, 7))
				const in, c, nb = 5, 3, 4
				net := toyNet(t, "FC_6_FC_4_FC_3", in, act, p.out, p.loss, modulator.BP{}, 3)
				b := randomBatch(rng, nb, in, c, p.loss != MSE)
				// Analytic gradient: one SGD step with lr 1 moves p by −∇.
				var before [][]float32
				for _, l := range net.Layers {
					before = append(before, append(append([]float32{}, l.Syn.W...), l.Syn.B...))
				}
				probe := toyNet(t, "FC_6_FC_4_FC_3", in, act, p.out, p.loss, modulator.BP{}, 3)
				net.TrainBatch(b)
				for k, l := range probe.Layers {
					params := [][]float32{l.Syn.W, l.Syn.B}
					after := append(append([]float32{}, net.Layers[k].Syn.W...), net.Layers[k].Syn.B...)
					idx := 0
					for _, ps := range params {
						for i := range ps {
							analytic := float64(before[k][idx] - after[idx])
							idx++
							orig := ps[i]
							const h = 1e-2
							ps[i] = orig + h
							_, up := probe.Predict(b)
							ps[i] = orig - h
							_, down := probe.Predict(b)
							ps[i] = orig
							numeric := (up.Loss - down.Loss) / (2 * h)
							if math.Abs(analytic-numeric) > 2e-3+2e-2*math.Abs(numeric) {
								t.Fatalf("layer %d param %d: BP gradient %.6g, finite difference %.6g", k+1, idx-1, analytic, numeric)
							}
						}
					}
				}
			})
		}
	}
}

// setToy fixes the toy network of TestOneStepByHand: 2 inputs, two linear
// hidden layers of 2, a linear output of 2, zero biases.
func setToy(n *Net) {
	w := [][]float32{
		{1, -1, 0.5, 1}, // W1
		{1, 0, 1, 1},    // W2
		{1, 1, 0, -1},   // W3
	}
	for k, l := range n.Layers {
		copy(l.Syn.W, w[k])
		for i := range l.Syn.B {
			l.Syn.B[i] = 0
		}
	}
	switch n.cfg.Rule.(type) {
	case modulator.FA:
		// B_k shaped like W_k (Out × In); B1 is never used.
		copy(n.Layers[1].Feedback.B, []float32{0, 1, 1, 0})
		copy(n.Layers[2].Feedback.B, []float32{1, 0, 2, 1})
	case modulator.ThirdFactor:
		// B_k is C × n_k.
		copy(n.Layers[0].Feedback.B, []float32{1, 2, 3, 4})
		copy(n.Layers[1].Feedback.B, []float32{-1, 1, 2, 0})
	}
}

// TestOneStepByHand checks one update of each rule on a toy network whose
// every number was worked out by hand (values in the comments below).
//
// x = (1, 2), label 0 so y* = (1, 0). Linear hidden layers, linear output,
// MSE over N = 1, C = 2, zero biases:
//
//	y1 = W1 x = (−1, 2.5); y2 = W2 y1 = (−1, 1.5); y3 = W3 y2 = (0.5, −1.5)
//	e = y3 − y* = (−0.5, −1.5); δz3 = 2e/(N·C) = e
//	∇W3 = δz3ᵀ y2 = [[0.5, −0.75], [1.5, −2.25]] for every rule.
func TestOneStepByHand(t *testing.T) {
	w3 := []float32{1 - 0.5, 1 + 0.75, 0 - 1.5, -1 + 2.25}
	tests := []struct {
		rule   modulator.Rule
		w1, w2 []float32 // after the step: W − ∇W (SGD, lr 1)
	}{
		// DRTP: δz1 = y* B1 = (1, 2); δz2 = y* B2 = (−1, 1).
		// ∇W1 = [[1, 2], [2, 4]]; ∇W2 = [[1, −2.5], [−1, 2.5]].
		{modulator.DRTP{}, []float32{0, -3, -1.5, -3}, []float32{0, 2.5, 2, -1.5}},
		// DFA: δz1 = e B1 = (−5, −7); δz2 = e B2 = (−2.5, −0.5).
		// ∇W1 = [[−5, −10], [−7, −14]]; ∇W2 = [[2.5, −6.25], [0.5, −1.25]].
		{modulator.DFA{}, []float32{6, 9, 7.5, 15}, []float32{-1.5, 6.25, 0.5, 2.25}},
		// sDFA: sign(e) = (−1, −1); δz1 = (−4, −6); δz2 = (−1, −1).
		// ∇W1 = [[−4, −8], [−6, −12]]; ∇W2 = [[1, −2.5], [1, −2.5]].
		{modulator.SDFA{}, []float32{5, 7, 6.5, 13}, []float32{0, 2.5, 0, 3.5}},
		// Shallow: the hidden layers do not move.
		{modulator.Shallow{}, []float32{1, -1, 0.5, 1}, []float32{1, 0, 1, 1}},
		// FA: δz2 = δz3 B3 = (−3.5, −1.5); δz1 = δz2 B2 = (−1.5, −3.5).
		// ∇W2 = [[3.5, −8.75], [1.5, −3.75]]; ∇W1 = [[−1.5, −3], [−3.5, −7]].
		{modulator.FA{}, []float32{2.5, 2, 4, 8}, []float32{-2.5, 8.75, -0.5, 4.75}},
	}
	for _, tt := range tests {
		t.Run(tt.rule.String(), func(t *testing.T) {
			n := toyNet(t, "FC_2_FC_2_FC_2", 2, neuron.Identity{}, OutNone, MSE, tt.rule, 1)
			setToy(n)
			n.TrainBatch(Batch{X: []float32{1, 2}, T: []float32{1, 0}, Labels: []int{0}, N: 1})
			for k, want := range [][]float32{tt.w1, tt.w2, w3} {
				for i, v := range n.Layers[k].Syn.W {
					if math.Abs(float64(v-want[i])) > 1e-6 {
						t.Errorf("W%d = %v, want %v", k+1, n.Layers[k].Syn.W, want)
						break
					}
				}
			}
		})
	}
}

// TestDRTPWithinNinetyDegreesOfBP is the paper's theorem (Section 2.3 and
// its appendix) as a property: with linear hidden layers, zero initial
// weights, no biases, gradient descent and one example repeated, DRTP's
// modulatory signal stays within 90° of BP's at every step.
func TestDRTPWithinNinetyDegreesOfBP(t *testing.T) {
	for _, out := range []struct {
		o Output
		l Loss
	}{{OutSigmoid, BCE}, {OutSoftmax, CE}} {
		for hidden := 1; hidden <= 4; hidden++ {
			for seed := uint64(1); seed <= 3; seed++ {
				name := fmt.Sprintf("%s/hidden%d/seed%d", out.l, hidden, seed)
				t.Run(name, func(t *testing.T) {
					topo := ""
					for k := 0; k < hidden; k++ {
						topo += "FC_8_"
					}
					topo += "FC_4"
					specs, _ := ParseTopology(topo)
					n, err := New(Config{Topology: specs, Inputs: 6, Hidden: neuron.Identity{}, Output: out.o, Loss: out.l,
						Rule: modulator.DRTP{}, Init: synapse.InitZero, Method: synapse.SGD{LR: 0.01}, Seed: seed})
					if err != nil {
						t.Fatal(err)
					}
					rng := rand.New(rand.NewPCG(seed, 99))
					b := randomBatch(rng, 1, 6, 4, true)
					measured := 0
					var angles []float64
					for step := 0; step < 40; step++ {
						for _, l := range n.Layers {
							clear(l.Syn.B) // the theorem's network has no biases
						}
						angles = n.Angles(angles, b)
						for k, a := range angles {
							if math.IsNaN(a) {
								continue // BP's signal is still zero
							}
							measured++
							if a >= 90 {
								t.Fatalf("step %d, layer %d: angle %.2f° ≥ 90°", step, k+1, a)
							}
						}
						n.TrainBatch(b)
					}
					if measured < 30*hidden {
						t.Fatalf("only %d angles were defined", measured)
					}
				})
			}
		}
	}
}

// TestOutputAnglesWeighNoDerivative: OutputAngles compares δy_k, before
// f'(z_k) weighs it into δz_k. With the identity activation f' = 1, so the
// two measurements agree for every rule; with tanh, f' weighs the two
// vectors alike, element by element, and the angles differ.
func TestOutputAnglesWeighNoDerivative(t *testing.T) {
	for _, rule := range []modulator.Rule{modulator.FA{}, modulator.DFA{}, modulator.SDFA{}, modulator.DRTP{}} {
		for _, act := range []neuron.Activation{neuron.Identity{}, neuron.Tanh{}} {
			t.Run(fmt.Sprintf("%s/%s", rule, act), func(t *testing.T) {
				specs, _ := ParseTopology("FC_12_FC_9_FC_4")
				n, err := New(Config{Topology: specs, Inputs: 6, Hidden: act, Output: OutSigmoid, Loss: BCE,
					Rule: rule, Method: synapse.Adam{LR: 1e-3}, Seed: 5})
				if err != nil {
					t.Fatal(err)
				}
				b := randomBatch(rand.New(rand.NewPCG(5, 6)), 7, 6, 4, true)
				dz := n.Angles(nil, b)
				dy := n.OutputAngles(nil, b)
				for k := range dz {
					diff := math.Abs(dz[k] - dy[k])
					if _, id := act.(neuron.Identity); id && diff > 1e-3 {
						t.Errorf("layer %d: δz angle %.4f°, δy angle %.4f°; want equal with f' = 1", k+1, dz[k], dy[k])
					}
					if _, id := act.(neuron.Identity); !id && diff < 1e-3 {
						t.Errorf("layer %d: δz and δy angles both %.4f° with tanh", k+1, dz[k])
					}
				}
			})
		}
	}
}

// TestDRTPActivationMemoryDoesNotGrowWithDepth measures the activation
// buffers held while training: constant in depth for DRTP (each layer learns
// and drops its input at once), growing for BP (update-locked).
func TestDRTPActivationMemoryDoesNotGrowWithDepth(t *testing.T) {
	bytes := func(rule modulator.Rule, depth int) int {
		topo := ""
		for k := 0; k < depth; k++ {
			topo += "FC_64_"
		}
		topo += "FC_10"
		specs, _ := ParseTopology(topo)
		n, err := New(Config{Topology: specs, Inputs: 32, Output: OutSigmoid, Loss: BCE, Rule: rule, Method: synapse.Adam{LR: 1e-3}, Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		b := randomBatch(rand.New(rand.NewPCG(1, 1)), 16, 32, 10, true)
		for i := 0; i < 3; i++ {
			n.TrainBatch(b)
		}
		return n.ActivationBytes()
	}
	for _, rule := range []modulator.Rule{modulator.DRTP{}, modulator.Shallow{}} {
		one, eight := bytes(rule, 1), bytes(rule, 8)
		if one == 0 || eight != one {
			t.Errorf("%s: activation bytes %d at depth 1, %d at depth 8: want equal and non-zero", rule, one, eight)
		}
	}
	for _, rule := range []modulator.Rule{modulator.BP{}, modulator.FA{}, modulator.DFA{}} {
		one, eight := bytes(rule, 1), bytes(rule, 8)
		if eight < 4*one {
			t.Errorf("%s: activation bytes %d at depth 1, %d at depth 8: want growth with depth", rule, one, eight)
		}
	}
}

// TestTrainBatchAllocatesNothing: after the first step sized the buffers,
// steps allocate nothing.
func TestTrainBatchAllocatesNothing(t *testing.T) {
	for _, rule := range []modulator.Rule{modulator.DRTP{}, modulator.BP{}, modulator.DFA{}} {
		specs, _ := ParseTopology("FC_32_FC_16_FC_10")
		n, _ := New(Config{Topology: specs, Inputs: 20, Output: OutSigmoid, Loss: BCE, Rule: rule, Method: synapse.Adam{LR: 1e-3}, Dropout: 0.1, Seed: 1})
		b := randomBatch(rand.New(rand.NewPCG(1, 1)), 8, 20, 10, true)
		n.TrainBatch(b)
		if a := testing.AllocsPerRun(10, func() { n.TrainBatch(b) }); a > 0 {
			t.Errorf("%s: %.0f allocations per step", rule, a)
		}
	}
}

func TestSameSeedSameWeights(t *testing.T) {
	run := func() []float32 {
		n := toyNet(t, "FC_16_FC_4", 8, neuron.Tanh{}, OutSigmoid, BCE, modulator.DRTP{}, 42)
		b := randomBatch(rand.New(rand.NewPCG(3, 3)), 5, 8, 4, true)
		for i := 0; i < 5; i++ {
			n.TrainBatch(b)
		}
		return n.Layers[0].Syn.W
	}
	a, b := run(), run()
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("weight %d differs between runs with the same seed: %v vs %v", i, a[i], b[i])
		}
	}
}

// In DRTP the output layer learns on a second core while the last hidden
// layer does: the weights are those of one core, bit for bit, with and
// without dropout (whose random draws stay on the caller, in order).
func TestOutputBesideHiddenMatchesOneCore(t *testing.T) {
	b := randomBatch(rand.New(rand.NewPCG(6, 6)), 60, 30, 10, true)
	run := func(procs int, dropout float64) *Net {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		specs, _ := ParseTopology("FC_1000_FC_300_FC_10")
		n, err := New(Config{Topology: specs, Inputs: 30, Output: OutSigmoid, Loss: BCE, Rule: modulator.DRTP{},
			Method: synapse.Adam{LR: 1e-3}, Dropout: dropout, Seed: 8})
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 3; i++ {
			n.TrainBatch(b)
		}
		return n
	}
	for _, p := range []float64{0, 0.2} {
		one, two := run(1, p), run(2, p)
		for k := range one.Layers {
			if !slices.Equal(one.Layers[k].Syn.W, two.Layers[k].Syn.W) || !slices.Equal(one.Layers[k].Syn.B, two.Layers[k].Syn.B) {
				t.Errorf("dropout %g, layer %d: parameters differ between one core and two", p, k)
			}
		}
	}
}

// DRTP reads each sample's signal y* B_k as the row of B_k its label
// selects, on every core for a wide layer; without labels it forms the
// product y* B_k. Both give the same weights, bit for bit, at a width and
// batch (1000 × 60) large enough to be split across cores.
func TestDRTPLabelRowsMatchProjection(t *testing.T) {
	b := randomBatch(rand.New(rand.NewPCG(5, 5)), 60, 30, 10, true)
	noLabels := b
	noLabels.Labels = nil
	run := func(batch Batch) *Net {
		n := toyNet(t, "FC_1000_FC_10", 30, neuron.Tanh{}, OutSigmoid, BCE, modulator.DRTP{}, 7)
		for i := 0; i < 3; i++ {
			n.TrainBatch(batch)
		}
		return n
	}
	rows, proj := run(b), run(noLabels)
	for k := range rows.Layers {
		if !slices.Equal(rows.Layers[k].Syn.W, proj.Layers[k].Syn.W) {
			t.Errorf("layer %d: weights differ between the label rows and the projection", k)
		}
	}
}
