package experiments

import "testing"

// TestEveryExperimentHasATime: `drtp reproduce list` gives every
// experiment a time, from timed epochs or its measured Minutes, and the
// experiments on the paper's MNIST and CIFAR-10 networks get theirs from
// timed epochs for every trial.
func TestEveryExperimentHasATime(t *testing.T) {
	timed := map[string]bool{"table1": true, "table2": true, "tableS1": true, "tableS2": true, "fashion": true,
		"figS1": true, "figS2": true, "figS3": true, "figS4": true, "figS5": true}
	for _, e := range Catalog {
		if m := e.EstimatedMinutes(); !(m > 0) {
			t.Errorf("%s: %v minutes", e.Name, m)
		}
		if !timed[e.Name] {
			if e.Minutes == 0 {
				t.Errorf("%s: no Minutes and no timed epochs", e.Name)
			}
			continue
		}
		trials, _, err := e.Plan(Options{Out: e.Name})
		if err != nil {
			t.Fatal(err)
		}
		for _, tr := range trials {
			if _, ok := trialSeconds(tr.Config); !ok {
				t.Errorf("%s: no timed epoch for %s %s on %s (freeze %v, angles %d)", e.Name, tr.Config.Algo,
					tr.Config.Net, tr.Config.Data, tr.Config.FreezeConv, tr.Config.Angles)
			}
		}
	}
}

func TestTrialTimeGrowsWithEpochs(t *testing.T) {
	c := DefaultTrain
	c.Epochs = 1
	one, ok := trialSeconds(c)
	if !ok {
		t.Fatal("FC_1000_FC_10 on MNIST is not timed")
	}
	c.Epochs = 100
	hundred, _ := trialSeconds(c)
	if !(hundred > 50*one) {
		t.Errorf("100 epochs %v s against 1 epoch %v s", hundred, one)
	}
	c.Neuron = "lif"
	if _, ok := trialSeconds(c); ok {
		t.Error("a spiking trial is timed from the rate engine's epochs")
	}
}
