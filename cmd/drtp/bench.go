package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"drtp/benchmark"
	"drtp/internal/gemm"
	"drtp/spiking"
)

// benchSections are the measurements of `drtp bench`, in the order they run.
var benchSections = []string{"train", "threads", "width", "gemm", "memory", "spiking", "spiking-rate"}

func benchCmd(stdout, stderr io.Writer, args []string) error {
	fs := flag.NewFlagSet("drtp bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	minTime := fs.Duration("time", 2*time.Second, "minimum time per measurement")
	asJSON := fs.Bool("json", false, "print the results as JSON lines instead of tables")
	only := fs.String("only", "", "comma-separated sections: "+strings.Join(benchSections, ", ")+" (default: all)")
	rounds := fs.Int("rounds", 3, "thread scaling: rounds alternating one thread and all, reported as medians")
	child := fs.String("memory-child", "", "internal: measure one memory configuration, rule:depth")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: drtp bench [flags]\n\nMeasures training throughput (samples/s, training loop only, batch 60, Adam),\nthe matrix products' GFLOP/s, peak memory against depth, and scaling with\nthreads and width, on this machine. Memory is measured in a fresh process per\nconfiguration. spiking measures the spiking engine's defaults (LIF\nFC_1000_FC_10, T = 50, Poisson input, DRTP; samples/s and synaptic\nevents/s); spiking-rate the same network against its input rate, 50 to\n800 Hz. bench/compare.sh and bench/compare_spiking.sh compare them with\nPyTorch.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return usageError{err}
	}
	if *child != "" {
		rule, d, _ := strings.Cut(*child, ":")
		depth, err := strconv.Atoi(d)
		if err != nil {
			return usageError{fmt.Errorf("--memory-child %q: expected rule:depth", *child)}
		}
		r, err := benchmark.Memory(rule, depth, 60)
		if err != nil {
			return err
		}
		return json.NewEncoder(stdout).Encode(r)
	}
	if *rounds < 1 {
		return usageError{fmt.Errorf("--rounds %d: expected at least 1", *rounds)}
	}
	if *only != "" {
		for _, s := range strings.Split(*only, ",") {
			if !slices.Contains(benchSections, s) {
				return usageError{fmt.Errorf("--only: unknown section %q: expected %s", s, strings.Join(benchSections, ", "))}
			}
		}
	}
	want := func(s string) bool { return *only == "" || strings.Contains(","+*only+",", ","+s+",") }
	var results []benchmark.Result
	emit := func(r benchmark.Result) {
		results = append(results, r)
		if *asJSON {
			json.NewEncoder(stdout).Encode(r)
		}
	}
	if !*asJSON {
		fmt.Fprintf(stdout, "drtp bench: %d cores, GOMAXPROCS %d, kernel %s, %s\n\n", runtime.NumCPU(), runtime.GOMAXPROCS(0), gemm.Kernel(), runtime.Version())
	}
	table := func(title string, header string, rows func(w io.Writer)) {
		if *asJSON {
			rows(io.Discard)
			return
		}
		fmt.Fprintln(stdout, title)
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, header)
		rows(tw)
		tw.Flush()
		fmt.Fprintln(stdout)
	}
	var err error
	set := benchmark.Data(6000)
	if want("train") {
		table("Training throughput (batch 60, Adam, BCE; training loop only)", "network\trule\tsamples/s\t", func(w io.Writer) {
			for _, c := range []struct{ topo, rules string }{
				{"FC_1000_FC_10", "bp,fa,dfa,sdfa,drtp,shallow"},
				{"FC_1000_FC_1000_FC_10", "bp,fa,dfa,sdfa,drtp,shallow"},
				{"CONV_32_5_1_2_FC_1000_FC_10", "bp,drtp,shallow"},
			} {
				for _, rule := range strings.Split(c.rules, ",") {
					r, e := benchmark.Training(set, c.topo, rule, 60, *minTime)
					if e != nil {
						fmt.Fprintf(w, "%s\t%s\t%s\t\n", c.topo, rule, "n/a: "+e.Error())
						continue
					}
					emit(r)
					fmt.Fprintf(w, "%s\t%s\t%.0f\t\n", c.topo, rule, r.SamplesPerSec)
				}
			}
		})
	}
	if want("threads") {
		ref := benchmark.ScalingReference
		title := fmt.Sprintf("Thread scaling (batch 60; median [min–max] of %d alternating rounds; the machine: a compute-bound product,\n%s %dx%dx%d, measured after each run at the same thread count)", *rounds, ref.Op, ref.M, ref.N, ref.K)
		table(title, "network\trule\tthreads\tsamples/s\tspeed-up\tmachine\t", func(w io.Writer) {
			threads := []int{1, runtime.NumCPU()}
			for _, c := range [][2]string{{"FC_1000_FC_10", "drtp"}, {"CONV_32_5_1_2_FC_1000_FC_10", "bp"}, {"CONV_32_5_1_2_FC_1000_FC_10", "drtp"}} {
				runs, refs, e := benchmark.Scaling(set, c[0], c[1], 60, threads, *rounds, *minTime)
				if e != nil {
					err = e
					return
				}
				one, _, _ := benchmark.Median(runs[0])
				refOne, _, _ := benchmark.MedianGFLOPs(refs[0])
				for i, t := range threads {
					for _, r := range runs[i] {
						emit(r)
					}
					med, lo, hi := benchmark.Median(runs[i])
					refMed, _, _ := benchmark.MedianGFLOPs(refs[i])
					fmt.Fprintf(w, "%s\t%s\t%d\t%.0f [%.0f–%.0f]\t%.2f×\t%.2f×\t\n", c[0], c[1], t, med, lo, hi, med/one, refMed/refOne)
				}
			}
		})
	}
	if want("width") {
		table("Width scaling, FC_w_FC_10 DRTP", "width\tsamples/s\t", func(w io.Writer) {
			for _, width := range []int{500, 1000, 2000, 4000} {
				r, e := benchmark.Training(set, fmt.Sprintf("FC_%d_FC_10", width), "drtp", 60, *minTime)
				if e != nil {
					err = e
					return
				}
				emit(r)
				fmt.Fprintf(w, "%d\t%.0f\t\n", width, r.SamplesPerSec)
			}
		})
	}
	if want("gemm") {
		table("Matrix products (float32, GFLOP/s = 2mnk/s)", "product\tGFLOP/s\t", func(w io.Writer) {
			for _, s := range benchmark.NetworkShapes {
				r := benchmark.MatMul(s, *minTime/2)
				emit(r)
				fmt.Fprintf(w, "%s\t%.1f\t\n", r.Name, r.GFLOPs)
			}
		})
	}
	if want("memory") {
		table("Peak resident memory beyond the weights and Adam state (MiB), FC_1000 × depth, batch 60",
			"rule\tdepth\tactivation buffers\textra peak RSS\t", func(w io.Writer) {
				self, e := os.Executable()
				if e != nil {
					err = e
					return
				}
				for _, rule := range []string{"drtp", "bp"} {
					for _, d := range []int{1, 2, 4, 8} {
						out, e := exec.Command(self, "bench", "--memory-child", fmt.Sprintf("%s:%d", rule, d)).Output()
						if e != nil {
							err = fmt.Errorf("memory child %s:%d: %w", rule, d, e)
							return
						}
						var r benchmark.Result
						if e := json.Unmarshal(out, &r); e != nil {
							err = e
							return
						}
						emit(r)
						fmt.Fprintf(w, "%s\t%d\t%.2f\t%.1f\t\n", rule, d, float64(r.ActivationBytes)/(1<<20), float64(r.ExtraRSS)/(1<<20))
					}
				}
			})
	}
	if want("spiking") {
		cfg := spiking.DefaultConfig()
		table(fmt.Sprintf("Spiking engine, default configuration (batch %d, Adam; training loop only, %s)", cfg.Batch, set.Name),
			"network\tsamples/s\tsynaptic events/s\tinput spikes/sample\thidden spikes/sample\t", func(w io.Writer) {
				r, e := benchmark.Spiking(set, cfg, *minTime, 0)
				if e != nil {
					err = e
					return
				}
				emit(r)
				fmt.Fprintf(w, "%s\t%.0f\t%.3g\t%.0f\t%.0f\t\n", r.Name, r.SamplesPerSec, r.SynEventsPerSec, r.InputSpikes, r.LayerSpikes[0])
			})
	}
	if want("spiking-rate") {
		cfg := spiking.DefaultConfig()
		table(fmt.Sprintf("Spiking engine against input rate, %s (default %g Hz)", benchmark.SpikingName(cfg), cfg.MaxRate),
			"max rate (Hz)\tinput spikes/sample\thidden spikes/sample\ttraining samples/s\tforward samples/s\tsynaptic events/s\t", func(w io.Writer) {
				for _, rate := range benchmark.SpikingRates {
					r, e := benchmark.SpikingRate(set, cfg, rate, *minTime/2, *minTime/4)
					if e != nil {
						err = e
						return
					}
					emit(r)
					fmt.Fprintf(w, "%g\t%.0f\t%.0f\t%.0f\t%.0f\t%.3g\t\n", rate, r.InputSpikes, r.LayerSpikes[0], r.SamplesPerSec, r.ForwardPerSec, r.SynEventsPerSec)
				}
			})
	}
	return err
}
