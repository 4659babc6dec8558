package experiments

import (
	"embed"
	"encoding/csv"
	"fmt"
	"strconv"
	"strings"
)

//go:embed data/*.csv
var paperData embed.FS

// Published is one value the paper reports: a mean (and std where given)
// over its trials, for a network, condition and rule, with its source.
type Published struct {
	Source    string  // "Table 1", "Fig. 3 caption", ...
	Network   string  // the paper's row label: FC1-1000, CONV-trained, 256-500-500-10
	Condition string  // DO0.0, DO0.1, DO0.25, DA, or "500 epochs"
	Rule      string  // BP, FA, DFA, sDFA, DRTP, Shallow
	Metric    string  // test_error or train_error (percent)
	Mean, Std float64 // Std is 0 when the paper gives none
}

var tableFiles = []struct{ file, source string }{
	{"data/table1_mnist.csv", "Table 1"},
	{"data/table2_cifar10.csv", "Table 2"},
	{"data/tableS1_mnist_sdfa_drtp.csv", "Table S1"},
	{"data/tableS2_cifar10_sdfa_drtp.csv", "Table S2"},
}

func readCSV(name string) ([][]string, error) {
	f, err := paperData.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	if len(rows) < 2 {
		return nil, fmt.Errorf("read %s: no data rows", name)
	}
	return rows[1:], nil
}

// PaperValues returns every published value the project keeps.
func PaperValues() ([]Published, error) {
	var out []Published
	for _, tf := range tableFiles {
		rows, err := readCSV(tf.file)
		if err != nil {
			return nil, err
		}
		for i, r := range rows {
			if len(r) != 5 {
				return nil, fmt.Errorf("%s line %d: %d fields, want 5", tf.file, i+2, len(r))
			}
			m, err1 := strconv.ParseFloat(r[3], 64)
			s, err2 := strconv.ParseFloat(r[4], 64)
			if err1 != nil || err2 != nil {
				return nil, fmt.Errorf("%s line %d: mean %q or std %q is not a number", tf.file, i+2, r[3], r[4])
			}
			out = append(out, Published{Source: tf.source, Network: r[0], Condition: r[1], Rule: r[2], Metric: "test_error", Mean: m, Std: s})
		}
	}
	rows, err := readCSV("data/figure_captions.csv")
	if err != nil {
		return nil, err
	}
	for i, r := range rows {
		v, err := strconv.ParseFloat(r[5], 64)
		if len(r) != 6 || err != nil {
			return nil, fmt.Errorf("figure_captions.csv line %d: malformed", i+2)
		}
		out = append(out, Published{Source: r[0] + " caption", Network: r[1], Condition: r[2], Rule: r[3], Metric: r[4], Mean: v})
	}
	return out, nil
}

// LearningRate returns the Adam learning rate of the paper's Table 3 for a
// data set (MNIST, CIFAR-10), network family (FC1, FC2, CONV-random,
// CONV-trained) and rule.
func LearningRate(data, family, rule string) (float64, error) {
	rows, err := readCSV("data/table3_learning_rates.csv")
	if err != nil {
		return 0, err
	}
	cols := map[string]int{"bp": 2, "fa": 3, "dfa": 4, "sdfa": 5, "drtp": 6, "shallow": 7}
	c, ok := cols[strings.ToLower(rule)]
	if !ok {
		return 0, fmt.Errorf("Table 3 has no rule %q", rule)
	}
	for _, r := range rows {
		if strings.EqualFold(r[0], data) && r[1] == family && c < len(r) && r[c] != "" {
			return strconv.ParseFloat(r[c], 64)
		}
	}
	return 0, fmt.Errorf("Table 3 has no learning rate for %s %s %s", data, family, rule)
}
