package spiking

import (
	"fmt"
	"math/rand/v2"
	"os"
	"sort"
	"testing"

	"drtp/dataset"
	"drtp/modulator"
	"drtp/synapse"
)

// hiddenCode prints, for the hidden layer, how per-class firing matches the
// DRTP target (fire when B_ci < 0).
func hiddenCode(n *Net, set *dataset.Set) string {
	L := n.layers[0]
	C := L.fb.Rows
	cnt := make([]float64, C*L.out)
	ncls := make([]float64, C)
	rates := NewRates(n.cfg.DT)
	rng := rand.New(rand.NewPCG(1, 1))
	for i := 0; i < set.N; i++ {
		rates.Counts = nil
		rates.Steps = 0
		n.Simulate(sample(set, i), rng, rates)
		c := set.Labels[i]
		ncls[c]++
		for j, v := range rates.Counts[1] {
			cnt[c*L.out+j] += v
		}
	}
	T := float64(n.cfg.Steps)
	var alwaysOn, alwaysOff, good, total float64
	var agree, dis float64
	for j := 0; j < L.out; j++ {
		on, off := 0, 0
		for c := 0; c < C; c++ {
			r := cnt[c*L.out+j] / ncls[c] / T
			if r > 0.5 {
				on++
			}
			if r < 0.05 {
				off++
			}
			if L.fb.B[c*L.out+j] < 0 {
				agree += r
			} else {
				dis += r
			}
		}
		total++
		switch {
		case on == C:
			alwaysOn++
		case off == C:
			alwaysOff++
		default:
			good++
		}
	}
	var rs []float64
	for j := 0; j < L.out; j++ {
		var s float64
		for c := 0; c < C; c++ {
			s += cnt[c*L.out+j] / ncls[c] / T
		}
		rs = append(rs, s/float64(C))
	}
	sort.Float64s(rs)
	return fmt.Sprintf("always-on %.0f always-off %.0f mixed %.0f | mean rate when B<0 %.3f, B>0 %.3f | rate quantiles %.3f %.3f %.3f %.3f %.3f",
		alwaysOn, alwaysOff, good, agree/total/float64(C)*2, dis/total/float64(C)*2, rs[0], rs[len(rs)/4], rs[len(rs)/2], rs[3*len(rs)/4], rs[len(rs)-1])
}

func TestDebugMNIST(t *testing.T) {
	if os.Getenv("SPIKING_DEBUG") == "" {
		t.Skip("set SPIKING_DEBUG=1")
	}
	train, test, err := dataset.MNIST("")
	if err != nil {
		t.Fatal(err)
	}
	train, test = train.Head(10000), test.Head(1000)
	c := DefaultConfig()
	c.WeightInit = 3
	c.LR = 1.5e-4
	c.Readout = "integrated"
	c.Rule = modulator.DRTP{}
	c.CenterB = os.Getenv("CENTER") != ""
	n, _ := New(c, 784, 10)
	t.Log(hiddenCode(n, test))
	rng := rand.New(rand.NewPCG(1, 2))
	for ep := 0; ep < 4; ep++ {
		prog := 0
		st, _ := n.TrainEpoch(train, rng, func(d int) {
			if d-prog >= 2500 {
				prog = d
				te, _ := n.Evaluate(test)
				t.Logf("  %d: test %.1f%% | %s", d, te.Error, hiddenCode(n, test))
			}
		})
		te, _ := n.Evaluate(test)
		t.Logf("epoch %d train %.1f%% test %.1f%% spikes %v", ep, st.Error, te.Error, st.Spikes)
	}
}

func TestDebugAlign(t *testing.T) {
	set := synthetic(4, 32, 4, 5).Head(1)
	c := smallConfig(modulator.DRTP{})
	c.Batch = 1
	c.OutputError = os.Getenv("OERR")
	if c.OutputError == "" {
		c.OutputError = "rate"
	}
	if os.Getenv("INTEG") != "" {
		c.Readout = "integrated"
	}
	n, _ := New(c, 32, 4)
	if os.Getenv("ZERO") != "" {
		n.SetDense(1, synapse.NewDense(64, 4))
	}
	rng := rand.New(rand.NewPCG(9, 9))
	x := set.X[:32]
	for it := 0; it < 100; it++ {
		st, _ := n.TrainEpoch(set, rng, nil)
		a, _ := n.Alignment(x, set.Labels[0], rng)
		if it%10 == 0 || it < 10 {
			t.Logf("it %d angle %.1f spikes %v err %.0f", it, a[0], st.Spikes, st.Error)
		}
	}
}
