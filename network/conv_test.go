package network

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"drtp/modulator"
	"drtp/neuron"
	"drtp/synapse"
)

// convNet builds a network with CONV layers on inputs of the given shape.
func convNet(t testing.TB, topo string, shape [3]int, act neuron.Activation, out Output, loss Loss, rule modulator.Rule, method synapse.Method, seed uint64) *Net {
	t.Helper()
	specs, err := ParseTopology(topo)
	if err != nil {
		t.Fatal(err)
	}
	n, err := New(Config{Topology: specs, Shape: shape, Hidden: act, Output: out, Loss: loss, Rule: rule,
		Method: method, Seed: seed})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// paramsOf copies every weight and bias of n, layer by layer.
func paramsOf(n *Net) [][]float32 {
	var ps [][]float32
	for _, l := range n.Layers {
		w, b := l.params()
		ps = append(ps, append(append([]float32{}, w...), b...))
	}
	return ps
}

// TestBPGradientThroughConvMatchesFiniteDifferences extends the FC gradient
// check to CONV layers and max-pooling: one SGD step of lr 1 moves every
// parameter by −∇J, compared with central differences of the loss. The
// cases cover two stacked CONV layers (the backward convolution and the
// unpooling between them), stride 2, odd map sizes that pooling truncates,
// several input channels, and every hidden activation.
func TestBPGradientThroughConvMatchesFiniteDifferences(t *testing.T) {
	cases := []struct {
		topo  string
		shape [3]int
	}{
		{"CONV_3_3_1_1_FC_4_FC_3", [3]int{2, 6, 6}},
		{"CONV_2_3_1_1_CONV_3_3_1_1_FC_3", [3]int{1, 8, 8}},
		{"CONV_2_3_2_1_FC_3", [3]int{1, 9, 7}}, // 5×4 maps, pooled to 2×2
		{"CONV_2_2_1_0_CONV_2_3_1_1_FC_5_FC_3", [3]int{2, 7, 7}},
	}
	for _, cs := range cases {
		for _, act := range []neuron.Activation{neuron.Tanh{}, neuron.Sigmoid{}, neuron.ReLU{}} {
			t.Run(fmt.Sprintf("%s/%s", cs.topo, act), func(t *testing.T) {
				rng := rand.New(rand.NewPCG(5, 5))
				const nb, c = 3, 3
				in := cs.shape[0] * cs.shape[1] * cs.shape[2]
				mk := func() *Net {
					return convNet(t, cs.topo, cs.shape, act, OutSigmoid, BCE, modulator.BP{}, synapse.SGD{LR: 1}, 11)
				}
				net, probe := mk(), mk()
				b := randomBatch(rng, nb, in, c, true)
				before := paramsOf(net)
				net.TrainBatch(b)
				after := paramsOf(net)
				for k, l := range probe.Layers {
					w, bias := l.params()
					idx := 0
					for _, ps := range [][]float32{w, bias} {
						for i := range ps {
							analytic := float64(before[k][idx] - after[k][idx])
							idx++
							orig := ps[i]
							fd := func(h float32) float64 {
								ps[i] = orig + h
								_, up := probe.Predict(b)
								ps[i] = orig - h
								_, down := probe.Predict(b)
								ps[i] = orig
								return (up.Loss - down.Loss) / float64(2*h)
							}
							ok := func(numeric float64) bool { return math.Abs(analytic-numeric) <= 1e-3+2e-2*math.Abs(numeric) }
							// A window whose two largest values are within the
							// step of each other puts a kink of the max inside
							// the difference: a step 4 times smaller moves past it.
							if numeric := fd(1e-3); !ok(numeric) && !ok(fd(2.5e-4)) {
								t.Fatalf("layer %d param %d: BP gradient %.6g, finite difference %.6g", k+1, idx-1, analytic, numeric)
							}
						}
					}
				}
			})
		}
	}
}

// TestDRTPConvStepByHand checks one DRTP update of a tiny CONV network,
// CONV_2_2_1_0_FC_2 on one 1 × 3 × 3 image, identity CONV activation,
// linear output, MSE, SGD with lr 1, every number worked out by hand:
//
//	x = [1 2 0; 3 1 1; 2 0 4],  label 1 so y* = (0, 1)
//	kernel 0 = [1 2; 0 1], kernel 1 = [0 1; 1 0], biases 0
//	z0[oy][ox] = x[oy][ox] + 2x[oy][ox+1] + x[oy+1][ox+1] = [6 3; 5 7]
//	z1[oy][ox] = x[oy][ox+1] + x[oy+1][ox]                = [5 1; 3 1]
//
// The CONV layer's B is C × (channels·height·width) = 2 × 8, channel-major;
// its row 1, y* B, is the signal at the CONV output before pooling:
//
//	δz0 = [1 −1; 2 0.5],  δz1 = [0 1; 0 −1]
//	∇K0[ky][kx] = Σ δz0[oy][ox] x[oy+ky][ox+kx] = [5.5 4.5; 6 2],  ∇b0 = 2.5
//	∇K1 = [1 −1; 1 −3],  ∇b1 = 0
//
// Pooling gives (max z0, max z1) = (7, 5), the FC input, channel-major. The
// output layer W = [0.5 0; 0 −1], b = 0: y = (3.5, −5), e = y − y* =
// (3.5, −6) = δz (2e/(N·C) with N·C = 2); ∇W = δzᵀ (7, 5) =
// [24.5 17.5; −42 −30], ∇b = (3.5, −6).
func TestDRTPConvStepByHand(t *testing.T) {
	n := convNet(t, "CONV_2_2_1_0_FC_2", [3]int{1, 3, 3}, neuron.Identity{}, OutNone, MSE, modulator.DRTP{}, synapse.SGD{LR: 1}, 1)
	conv, fc := n.Layers[0].Conv, n.Layers[1].Syn
	copy(conv.W, []float32{1, 2, 0, 1, 0, 1, 1, 0})
	clear(conv.B)
	copy(fc.W, []float32{0.5, 0, 0, -1})
	clear(fc.B)
	copy(n.Layers[0].Feedback.B, []float32{
		9, 9, 9, 9, 9, 9, 9, 9, // row 0: not selected by label 1
		1, -1, 2, 0.5, 0, 1, 0, -1,
	})
	n.TrainBatch(Batch{X: []float32{1, 2, 0, 3, 1, 1, 2, 0, 4}, T: []float32{0, 1}, Labels: []int{1}, N: 1})
	for _, c := range []struct {
		name      string
		got, want []float32
	}{
		{"kernels", conv.W, []float32{1 - 5.5, 2 - 4.5, 0 - 6, 1 - 2, 0 - 1, 1 + 1, 1 - 1, 0 + 3}},
		{"CONV biases", conv.B, []float32{-2.5, 0}},
		{"FC weights", fc.W, []float32{0.5 - 24.5, 0 - 17.5, 0 + 42, -1 + 30}},
		{"FC biases", fc.B, []float32{-3.5, 6}},
	} {
		for i := range c.want {
			if math.Abs(float64(c.got[i]-c.want[i])) > 1e-5 {
				t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
				break
			}
		}
	}
}

// angleKinds are the two measurements of alignment: of δz_k (Angles) and
// of δy_k (OutputAngles).
var angleKinds = []struct {
	name string
	of   func(*Net, []float64, Batch) []float64
}{{"dz", (*Net).Angles}, {"dy", (*Net).OutputAngles}}

// TestConvAnglesDefined: Angles and OutputAngles have one value per hidden
// layer, CONV layers included (Fig. S3): 0 for BP, NaN for shallow, and an
// angle in [0°, 180°] for the other rules.
func TestConvAnglesDefined(t *testing.T) {
	for _, kind := range angleKinds {
		for _, rule := range []modulator.Rule{modulator.BP{}, modulator.FA{}, modulator.DFA{}, modulator.SDFA{}, modulator.DRTP{}, modulator.Shallow{}} {
			t.Run(kind.name+"/"+rule.String(), func(t *testing.T) {
				n := convNet(t, "CONV_4_3_1_1_CONV_4_3_1_1_FC_8_FC_3", [3]int{2, 8, 8}, neuron.Tanh{}, OutSigmoid, BCE, rule, synapse.Adam{LR: 1e-3}, 3)
				b := randomBatch(rand.New(rand.NewPCG(2, 2)), 4, 128, 3, true)
				angles := kind.of(n, nil, b)
				if len(angles) != 3 {
					t.Fatalf("%d angles, want 3 (two CONV layers and one FC hidden layer)", len(angles))
				}
				for k, a := range angles {
					switch rule.(type) {
					case modulator.BP:
						if a != 0 {
							t.Errorf("layer %d: BP angle %g, want 0", k+1, a)
						}
					case modulator.Shallow:
						if !math.IsNaN(a) {
							t.Errorf("layer %d: shallow angle %g, want NaN", k+1, a)
						}
					default:
						if !(a >= 0 && a <= 180) {
							t.Errorf("layer %d: angle %g outside [0°, 180°]", k+1, a)
						}
					}
				}
			})
		}
	}
}

// TestFAWithForwardKernelsAlignsExactly: FA whose fixed random kernels and
// matrices equal the forward weights is BP, so its angle, of δz or of δy,
// is 0 at every hidden layer, CONV layers included. It checks the FA chain
// through the transposed convolution and the unpooling.
func TestFAWithForwardKernelsAlignsExactly(t *testing.T) {
	for _, kind := range angleKinds {
		n := convNet(t, "CONV_3_3_1_1_CONV_4_3_2_1_FC_6_FC_3", [3]int{2, 10, 10}, neuron.Tanh{}, OutSigmoid, BCE, modulator.FA{}, synapse.Adam{LR: 1e-3}, 4)
		for _, l := range n.Layers {
			w, _ := l.params()
			copy(l.Feedback.B, w)
		}
		b := randomBatch(rand.New(rand.NewPCG(3, 3)), 5, 200, 3, true)
		for k, a := range kind.of(n, nil, b) {
			if a > 0.05 {
				t.Errorf("%s, layer %d: angle %g°, want 0", kind.name, k+1, a)
			}
		}
		// And with its own random feedback, FA differs from BP.
		n = convNet(t, "CONV_3_3_1_1_CONV_4_3_2_1_FC_6_FC_3", [3]int{2, 10, 10}, neuron.Tanh{}, OutSigmoid, BCE, modulator.FA{}, synapse.Adam{LR: 1e-3}, 4)
		for k, a := range kind.of(n, nil, b) {
			if !(a > 1) {
				t.Errorf("%s, layer %d: random FA angle %g°, want clearly above 0", kind.name, k+1, a)
			}
		}
	}
}

// TestDRTPActivationMemoryConstantWithConv: with CONV layers too, DRTP's
// activation buffers do not grow with depth (each layer learns, pools and
// drops its input), while BP's do. The stack keeps 4 channels on a 32 × 32
// input, so every layer is at most as large as the first.
func TestDRTPActivationMemoryConstantWithConv(t *testing.T) {
	bytes := func(rule modulator.Rule, depth int) int {
		topo := strings.Repeat("CONV_4_3_1_1_", depth) + "FC_10"
		n := convNet(t, topo, [3]int{1, 32, 32}, neuron.Tanh{}, OutSigmoid, BCE, rule, synapse.Adam{LR: 1e-3}, 1)
		b := randomBatch(rand.New(rand.NewPCG(1, 1)), 8, 1024, 10, true)
		for i := 0; i < 2; i++ {
			n.TrainBatch(b)
		}
		return n.ActivationBytes()
	}
	for _, rule := range []modulator.Rule{modulator.DRTP{}, modulator.Shallow{}} {
		two, four := bytes(rule, 2), bytes(rule, 4)
		if two == 0 || four != two {
			t.Errorf("%s: activation bytes %d at depth 2, %d at depth 4: want equal and non-zero", rule, two, four)
		}
	}
	for _, rule := range []modulator.Rule{modulator.BP{}, modulator.DFA{}} {
		one, four := bytes(rule, 1), bytes(rule, 4)
		if four <= one {
			t.Errorf("%s: activation bytes %d at depth 1, %d at depth 4: want growth with depth", rule, one, four)
		}
	}
}

// TestConvTrainBatchAllocatesNothing: after the first step sized the
// buffers, CONV steps allocate nothing, for every path.
func TestConvTrainBatchAllocatesNothing(t *testing.T) {
	for _, rule := range []modulator.Rule{modulator.DRTP{}, modulator.BP{}, modulator.FA{}, modulator.DFA{}} {
		specs, _ := ParseTopology("CONV_4_3_1_1_CONV_4_3_1_1_FC_16_FC_10")
		n, err := New(Config{Topology: specs, Shape: [3]int{1, 12, 12}, Output: OutSigmoid, Loss: BCE, Rule: rule,
			Method: synapse.Adam{LR: 1e-3}, Dropout: 0.1, Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		b := randomBatch(rand.New(rand.NewPCG(1, 1)), 6, 144, 10, true)
		n.TrainBatch(b)
		if a := testing.AllocsPerRun(5, func() { n.TrainBatch(b) }); a > 0 {
			t.Errorf("%s: %.0f allocations per step", rule, a)
		}
	}
}

// TestFreezeConvKeepsKernels: with FreezeConv the CONV kernels and biases
// never move, whatever the rule, while the FC layers learn.
func TestFreezeConvKeepsKernels(t *testing.T) {
	for _, rule := range []modulator.Rule{modulator.DRTP{}, modulator.BP{}, modulator.FA{}, modulator.DFA{}} {
		specs, _ := ParseTopology("CONV_3_3_1_1_CONV_3_3_1_1_FC_8_FC_4")
		n, err := New(Config{Topology: specs, Shape: [3]int{1, 8, 8}, Output: OutSigmoid, Loss: BCE, Rule: rule,
			Method: synapse.Adam{LR: 1e-2}, FreezeConv: true, Seed: 2})
		if err != nil {
			t.Fatal(err)
		}
		before := paramsOf(n)
		b := randomBatch(rand.New(rand.NewPCG(1, 1)), 4, 64, 4, true)
		for i := 0; i < 3; i++ {
			n.TrainBatch(b)
		}
		after := paramsOf(n)
		for k := range after {
			moved := false
			for i := range after[k] {
				moved = moved || after[k][i] != before[k][i]
			}
			if frozen := k < 2; moved == frozen {
				t.Errorf("%s: layer %d moved = %v, want %v", rule, k+1, moved, !frozen)
			}
		}
	}
}

// TestConvPredictInChunksMatchesWhole: a prediction split into chunks of
// samples (to bound the im2col buffer) gives the outputs of one pass.
func TestConvPredictInChunksMatchesWhole(t *testing.T) {
	n := convNet(t, "CONV_3_3_1_1_FC_5", [3]int{1, 6, 6}, neuron.Tanh{}, OutSigmoid, BCE, modulator.DRTP{}, synapse.Adam{LR: 1e-3}, 5)
	b := randomBatch(rand.New(rand.NewPCG(4, 4)), 7, 36, 5, true)
	y, whole := n.Predict(b)
	want := append([]float32{}, y...)
	old := predictBudget
	predictBudget = 2 * (n.maxCol() + 3*n.maxWidth()) // chunks of 2 samples
	defer func() { predictBudget = old }()
	y, chunked := n.Predict(b)
	for i := range want {
		if y[i] != want[i] {
			t.Fatalf("output %d: %g in chunks, %g whole", i, y[i], want[i])
		}
	}
	if math.Abs(chunked.Loss-whole.Loss) > 1e-12 || chunked.Correct != whole.Correct {
		t.Errorf("chunked result %+v, whole %+v", chunked, whole)
	}
}

// TestConvCheckpointRoundTrip: a CONV network restored from Save predicts
// what the saved one predicts, and keeps learning identically.
func TestConvCheckpointRoundTrip(t *testing.T) {
	mk := func() *Net {
		return convNet(t, "CONV_3_3_1_1_FC_6_FC_4", [3]int{2, 6, 6}, neuron.Tanh{}, OutSigmoid, BCE, modulator.DRTP{}, synapse.Adam{LR: 1e-2}, 6)
	}
	a := mk()
	b := randomBatch(rand.New(rand.NewPCG(5, 5)), 4, 72, 4, true)
	a.TrainBatch(b)
	var buf bytes.Buffer
	if err := a.Save(&buf); err != nil {
		t.Fatal(err)
	}
	c := mk()
	if err := c.Load(&buf); err != nil {
		t.Fatal(err)
	}
	a.TrainBatch(b)
	c.TrainBatch(b)
	ya, _ := a.Predict(b)
	ya = append([]float32{}, ya...)
	yc, _ := c.Predict(b)
	for i := range ya {
		if ya[i] != yc[i] {
			t.Fatalf("output %d: %g after restore, %g before", i, yc[i], ya[i])
		}
	}
}

func TestNewRejectsBadConvTopologies(t *testing.T) {
	tests := []struct {
		topo    string
		shape   [3]int
		inputs  int
		errPart string
	}{
		{"FC_10_CONV_4_3_1_1_FC_2", [3]int{1, 8, 8}, 0, "CONV layers must come first"},
		{"CONV_4_5_1_0_FC_2", [3]int{1, 4, 4}, 0, "too small for 2×2 pooling"},
		{"CONV_4_3_1_1_FC_2", [3]int{1, 1, 1}, 0, "too small for 2×2 pooling"},
		{"CONV_4_3_1_1_FC_2", [3]int{1, 8, 8}, 100, "100 inputs but input shape"},
	}
	for _, tt := range tests {
		specs, err := ParseTopology(tt.topo)
		if err != nil {
			t.Fatal(err)
		}
		_, err = New(Config{Topology: specs, Shape: tt.shape, Inputs: tt.inputs, Rule: modulator.DRTP{}, Method: synapse.Adam{LR: 1e-3}})
		if err == nil || !strings.Contains(err.Error(), tt.errPart) {
			t.Errorf("%s on %v: error %v, want one containing %q", tt.topo, tt.shape, err, tt.errPart)
		}
	}
}

// TestConvBatchUpdateIsSumOfSampleUpdates: with SGD of lr 1 a step moves
// each parameter by −Σ_samples ∇, all taken at the initial weights, so the
// step on a batch of three equals the sum of the steps on each sample,
// divided by 3 where the signal comes from the loss, a mean over the batch
// (the output layer, and every layer under BP; DRTP's and DFA's hidden
// signals y* B_k and e B_k are not averaged). It checks that the
// channel-major batch layout keeps samples apart in the signal projection,
// the pooling and the gradients, for a local rule, a direct rule and a
// chain.
func TestConvBatchUpdateIsSumOfSampleUpdates(t *testing.T) {
	const topo, nb, c = "CONV_3_3_1_1_CONV_2_3_1_1_FC_5_FC_4", 3, 4
	shape := [3]int{2, 8, 8}
	for _, rule := range []modulator.Rule{modulator.DRTP{}, modulator.DFA{}, modulator.BP{}} {
		t.Run(rule.String(), func(t *testing.T) {
			mk := func() *Net {
				return convNet(t, topo, shape, neuron.Tanh{}, OutSigmoid, MSE, rule, synapse.SGD{LR: 1}, 8)
			}
			b := randomBatch(rand.New(rand.NewPCG(6, 6)), nb, 128, c, true)
			whole := mk()
			init := paramsOf(whole)
			whole.TrainBatch(b)
			got := paramsOf(whole)
			sum := make([][]float64, len(init))
			for k := range sum {
				sum[k] = make([]float64, len(init[k]))
			}
			for r := 0; r < nb; r++ {
				one := mk()
				one.TrainBatch(Batch{X: b.X[r*128 : (r+1)*128], T: b.T[r*c : (r+1)*c], Labels: b.Labels[r : r+1], N: 1})
				for k, p := range paramsOf(one) {
					for i := range p {
						sum[k][i] += float64(p[i] - init[k][i])
					}
				}
			}
			for k := range got {
				scale := 1.0
				if _, bp := rule.(modulator.BP); bp || k == len(got)-1 {
					scale = 1.0 / nb
				}
				for i := range got[k] {
					want := float64(init[k][i]) + scale*sum[k][i]
					if math.Abs(float64(got[k][i])-want) > 1e-4 {
						t.Fatalf("layer %d param %d: batch step to %g, sum of sample steps to %g", k+1, i, got[k][i], want)
					}
				}
			}
		})
	}
}
