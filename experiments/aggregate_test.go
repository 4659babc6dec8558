package experiments

import (
	"math"
	"strings"
	"testing"
)

func TestMeanStd(t *testing.T) {
	tests := []struct {
		xs        []float64
		mean, std float64
	}{
		// (4.0 + 4.2 + 4.4)/3 = 4.2; deviations ±0.2, 0: √((0.04+0+0.04)/2) = 0.2.
		{[]float64{4.0, 4.2, 4.4}, 4.2, 0.2},
		// 1, 2, 3, 4: mean 2.5; Σ(x−m)² = 5; √(5/3) = 1.2909944.
		{[]float64{1, 2, 3, 4}, 2.5, math.Sqrt(5.0 / 3)},
		{[]float64{7}, 7, 0},
	}
	for _, tt := range tests {
		m, s := MeanStd(tt.xs)
		if math.Abs(m-tt.mean) > 1e-12 || math.Abs(s-tt.std) > 1e-12 {
			t.Errorf("MeanStd(%v) = %g ± %g, want %g ± %g", tt.xs, m, s, tt.mean, tt.std)
		}
	}
	if m, s := MeanStd(nil); !math.IsNaN(m) || !math.IsNaN(s) {
		t.Errorf("MeanStd(nil) = %g, %g; want NaN, NaN", m, s)
	}
}

func TestOutsideTwoSigma(t *testing.T) {
	tests := []struct {
		ours, pm, ps float64
		want         bool
	}{
		{4.20, 4.10, 0.07, false}, // 0.10 < 0.14
		{4.30, 4.10, 0.07, true},  // 0.20 > 0.14
		{3.95, 4.10, 0.07, true},  // 0.15 > 0.14, below
		{4.24, 4.10, 0.07, false}, // 0.14 is on the edge: inside
		{9.0, 4.10, 0, false},     // no published std: never marked
	}
	for _, tt := range tests {
		if got := Outside(tt.ours, tt.pm, tt.ps); got != tt.want {
			t.Errorf("Outside(%g, %g, %g) = %v, want %v", tt.ours, tt.pm, tt.ps, got, tt.want)
		}
	}
}

func TestPaperValuesAreComplete(t *testing.T) {
	vals, err := PaperValues()
	if err != nil {
		t.Fatal(err)
	}
	e, _ := Lookup("table1")
	rows, missing := 0, 0
	for _, r := range e.Rows {
		for _, rule := range e.Rules {
			if e.Skip[r.Network+"/"+rule] {
				continue
			}
			rows++
			if findPaper(vals, e.Source, r, rule, "test_error") == nil {
				missing++
				t.Errorf("no Table 1 value for %s %s", r.Key(), rule)
			}
		}
	}
	// Table 1: FC1-1000 without dropout, DRTP: 4.10 ± 0.07.
	p := findPaper(vals, "Table 1", Row{Network: "FC1-1000", Condition: "DO0.0"}, "drtp", "test_error")
	if p == nil || p.Mean != 4.10 || p.Std != 0.07 {
		t.Errorf("Table 1 FC1-1000 DO0.0 DRTP = %+v, want 4.10 ± 0.07", p)
	}
}

func TestLearningRatesFromTable3(t *testing.T) {
	// Table 3, MNIST FC1: BP 1.5e-4, DRTP 1.5e-4, shallow 1.5e-2.
	for rule, want := range map[string]float64{"bp": 1.5e-4, "drtp": 1.5e-4, "shallow": 1.5e-2, "fa": 5e-4} {
		got, err := LearningRate("MNIST", "FC1", rule)
		if err != nil || got != want {
			t.Errorf("LearningRate(MNIST, FC1, %s) = %g, %v; want %g", rule, got, err, want)
		}
	}
	if _, err := LearningRate("MNIST", "CONV-trained", "shallow"); err == nil {
		t.Error("Table 3 has no shallow CONV-trained rate: want an error")
	}
}

func TestMarkdownMarksCellsOutsideTwoSigma(t *testing.T) {
	e := Experiment{Rules: []string{"drtp"}, Source: "Table 1"}
	row := Row{Network: "FC1-1000", Condition: "DO0.0"}
	p := &Published{Mean: 4.10, Std: 0.07}
	cells := map[string]*Cell{row.Key() + "|drtp": {Row: row, Rule: "drtp", Values: []float64{4.5, 4.6}, Epochs: 100, Mean: 4.55, Std: 0.0707, Paper: p, Outside: true}}
	md := Markdown(e, []Row{row}, cells, "test_error_last10")
	if !strings.Contains(md, "4.55 ± 0.07 † (n=2, 100 ep.)") || !strings.Contains(md, "4.10 ± 0.07") {
		t.Errorf("markdown table lacks the marked cell or the paper's value:\n%s", md)
	}
}

func TestMarkdownOfOurOwnExperiment(t *testing.T) {
	// No paper columns, and a single trial shows its value without a std.
	e := Experiment{Rules: []string{"drtp", "shallow"}, Source: "none (ours)", Ours: true}
	row := Row{Network: "LIF 784-1000-10", Condition: "T=50"}
	cells := map[string]*Cell{row.Key() + "|drtp": {Row: row, Rule: "drtp", Values: []float64{4.09}, Epochs: 10, Mean: 4.09}}
	md := Markdown(e, []Row{row}, cells, "test_error")
	if strings.Contains(md, "paper") || !strings.Contains(md, "| 4.09 (n=1, 10 ep.) | – |") {
		t.Errorf("table of our own experiment:\n%s", md)
	}
}

// TestMarkdownWithoutPublishedSpread: a caption's means (Fig. 3) carry no
// std, so the table says that nothing can be marked rather than promise †s.
func TestMarkdownWithoutPublishedSpread(t *testing.T) {
	e := Experiment{Rules: []string{"bp"}, Source: "Fig. 3 caption"}
	row := Row{Network: "256-500-500-10", Condition: "500 epochs"}
	cells := map[string]*Cell{row.Key() + "|bp": {Row: row, Rule: "bp", Values: []float64{1.8, 1.9}, Epochs: 500, Mean: 1.85, Std: 0.07, Paper: &Published{Mean: 1.85}}}
	md := Markdown(e, []Row{row}, cells, "test_error_last10")
	if strings.Contains(md, "†") || !strings.Contains(md, "published without its spread") {
		t.Errorf("a table against means alone should say no cell can be marked:\n%s", md)
	}
}

// TestMarkdownWithoutPublishedValues: an experiment the paper shows as
// curves only (Fig. S4) has no value to set beside ours, and its table
// says so rather than speak of the paper's means.
func TestMarkdownWithoutPublishedValues(t *testing.T) {
	e := Experiment{Rules: []string{"bp"}, Source: "Figs. S4, S6 (curves only)"}
	row := Row{Network: "784-1000-10"}
	cells := map[string]*Cell{row.Key() + "|bp": {Row: row, Rule: "bp", Values: []float64{1.55}, Epochs: 100, Mean: 1.55}}
	md := Markdown(e, []Row{row}, cells, "test_error_last10")
	if strings.Contains(md, "mean of 10 trials") || !strings.Contains(md, "gives no values for these cells (Figs. S4, S6 (curves only))") {
		t.Errorf("a table without published values:\n%s", md)
	}
}
