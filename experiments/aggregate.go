package experiments

import (
	"fmt"
	"math"
	"strings"
)

// MeanStd returns the mean and the sample standard deviation (n − 1 in the
// denominator, as the paper's "std over 10 trials" is read) of xs; the std
// is 0 for a single value and both are NaN for none.
func MeanStd(xs []float64) (mean, std float64) {
	if len(xs) == 0 {
		return math.NaN(), math.NaN()
	}
	for _, x := range xs {
		mean += x
	}
	mean /= float64(len(xs))
	if len(xs) == 1 {
		return mean, 0
	}
	for _, x := range xs {
		std += (x - mean) * (x - mean)
	}
	return mean, math.Sqrt(std / float64(len(xs)-1))
}

// Outside reports whether our mean lies outside the paper's mean ± 2σ. A
// published value without a std (figure captions) is never marked.
func Outside(ours, paperMean, paperStd float64) bool {
	if paperStd <= 0 || math.IsNaN(ours) || math.IsNaN(paperMean) {
		return false
	}
	return math.Abs(ours-paperMean) > 2*paperStd+1e-9 // the edge counts as inside
}

// Cell is one (row, rule) of a results table.
type Cell struct {
	Row     Row
	Rule    string
	Values  []float64 // one per finished trial (percent)
	Epochs  int       // epochs of the trials (the smallest, if they differ)
	Mean    float64
	Std     float64
	Paper   *Published
	Outside bool
}

// PaperRule spells a rule as the paper's tables do.
func PaperRule(rule string) string {
	switch rule {
	case "bp", "fa", "dfa", "drtp":
		return strings.ToUpper(rule)
	case "sdfa":
		return "sDFA"
	case "shallow":
		return "Shallow"
	}
	return rule
}

// findPaper returns the published value for a cell, or nil.
func findPaper(vals []Published, source string, r Row, rule, metric string) *Published {
	for i, p := range vals {
		if !strings.HasPrefix(p.Source, strings.TrimSuffix(strings.TrimSuffix(source, " (curves only)"), " caption")) {
			continue
		}
		if p.Network == r.Network && (r.Condition == "" || p.Condition == r.Condition) && p.Rule == PaperRule(rule) && p.Metric == metric {
			return &vals[i]
		}
	}
	return nil
}

func fmtPct(m, s float64) string {
	if math.IsNaN(m) {
		return "–"
	}
	return fmt.Sprintf("%.2f ± %.2f", m, s)
}

// Markdown renders cells as a table: one line per row, for each rule our
// mean ± std beside the paper's, a † on our cells outside the paper's ± 2σ.
// An experiment of our own (e.Ours) has no paper columns; a cell of one
// trial shows its value alone (a sample std needs two).
func Markdown(e Experiment, rows []Row, cells map[string]*Cell, metric string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "| Network | Condition |")
	for _, r := range e.Rules {
		if e.Ours {
			fmt.Fprintf(&b, " %s |", PaperRule(r))
		} else {
			fmt.Fprintf(&b, " %s (ours) | %s (paper) |", PaperRule(r), PaperRule(r))
		}
	}
	perRule := "---|---|"
	if e.Ours {
		perRule = "---|"
	}
	b.WriteString("\n|---|---|" + strings.Repeat(perRule, len(e.Rules)) + "\n")
	for _, row := range rows {
		fmt.Fprintf(&b, "| %s | %s |", row.Network, row.Condition)
		for _, rule := range e.Rules {
			c := cells[row.Key()+"|"+rule]
			ours, paper := "–", "–"
			if c != nil && len(c.Values) > 0 {
				mark := ""
				if c.Outside {
					mark = " †"
				}
				v := fmtPct(c.Mean, c.Std)
				if len(c.Values) == 1 {
					v = fmt.Sprintf("%.2f", c.Mean)
				}
				ours = fmt.Sprintf("%s%s (n=%d, %d ep.)", v, mark, len(c.Values), c.Epochs)
			}
			if c != nil && c.Paper != nil {
				paper = fmtPct(c.Paper.Mean, c.Paper.Std)
				if c.Paper.Std == 0 {
					paper = fmt.Sprintf("%.2f", c.Paper.Mean)
				}
			}
			if e.Ours {
				fmt.Fprintf(&b, " %s |", ours)
			} else {
				fmt.Fprintf(&b, " %s | %s |", ours, paper)
			}
		}
		b.WriteString("\n")
	}
	if e.Ours {
		fmt.Fprintf(&b, "\n%s in percent: mean ± sample std over n trials. No published values exist for this experiment.\n", metricName(metric))
	} else if !anyPaper(cells) {
		fmt.Fprintf(&b, "\n%s in percent: mean ± sample std over n trials (ours). The paper gives no values for these cells (%s).\n", metricName(metric), e.Source)
	} else if spread(cells) {
		fmt.Fprintf(&b, "\n%s in percent: mean ± sample std over n trials (ours) and over 10 trials (paper, %s).\n", metricName(metric), e.Source)
		b.WriteString("† our mean lies outside the paper's mean ± 2σ.\n")
	} else {
		fmt.Fprintf(&b, "\n%s in percent: mean ± sample std over n trials (ours); the paper's mean of 10 trials (%s), published without its spread, so no cell can be marked against it.\n", metricName(metric), e.Source)
	}
	return b.String()
}

// anyPaper reports whether any of cells has a published value.
func anyPaper(cells map[string]*Cell) bool {
	for _, c := range cells {
		if c.Paper != nil {
			return true
		}
	}
	return false
}

// spread reports whether any paper value among cells comes with its std.
func spread(cells map[string]*Cell) bool {
	for _, c := range cells {
		if c != nil && c.Paper != nil && c.Paper.Std > 0 {
			return true
		}
	}
	return false
}

func metricName(m string) string {
	switch m {
	case "test_error_last10":
		return "Test error averaged over the last 10 epochs"
	case "train_error":
		return "Training error at the last epoch"
	}
	return "Test error at the last epoch"
}

// CSV renders cells in long form, one line per (row, rule).
func CSV(e Experiment, rows []Row, cells map[string]*Cell, metric string) string {
	var b strings.Builder
	b.WriteString("network,condition,rule,metric,trials,epochs,ours_mean,ours_std,paper_mean,paper_std,paper_source,outside_2sigma\n")
	for _, row := range rows {
		for _, rule := range e.Rules {
			c := cells[row.Key()+"|"+rule]
			if c == nil {
				continue
			}
			pm, ps, src := "", "", ""
			if c.Paper != nil {
				pm, ps, src = ftoa(c.Paper.Mean), ftoa(c.Paper.Std), c.Paper.Source
			}
			fmt.Fprintf(&b, "%s,%s,%s,%s,%d,%d,%s,%s,%s,%s,%s,%v\n", row.Network, row.Condition, PaperRule(rule), metric,
				len(c.Values), c.Epochs, ftoa(c.Mean), ftoa(c.Std), pm, ps, src, c.Outside)
		}
	}
	return b.String()
}
