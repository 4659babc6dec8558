package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"drtp/dataset"
	"drtp/experiments"
	"drtp/rundir"
)

// trainFlags binds the flags of `drtp train` to a configuration.
func trainFlags(fs *flag.FlagSet, c *experiments.TrainConfig, out *string, resume *bool) {
	fs.StringVar(&c.Data, "data", c.Data, "data set: mnist, fashion-mnist, cifar10, cifar10-aug (random horizontal flips), synth-regression or synth-classification")
	fs.StringVar(&c.DataDir, "data-dir", c.DataDir, "folder holding the data files (default: locate MNIST automatically; Fashion-MNIST in /usr/share/datasets/fashion-mnist; CIFAR-10's binary batches in the user cache's drtp/cifar-10-batches-bin)")
	fs.Uint64Var(&c.DataSeed, "data-seed", c.DataSeed, "seed of the synthetic data sets")
	fs.StringVar(&c.Algo, "algo", c.Algo, "learning rule: bp, fa, dfa, sdfa, drtp or shallow")
	fs.StringVar(&c.Net, "net", c.Net, "topology, e.g. FC_1000_FC_10 or CONV_32_5_1_2_FC_1000_FC_10 (layers FC_n and CONV_out_kernel_stride_padding, each CONV followed by 2×2 max-pooling)")
	fs.IntVar(&c.Epochs, "epochs", c.Epochs, "training epochs")
	fs.IntVar(&c.Batch, "batch", c.Batch, "minibatch size (samples)")
	fs.StringVar(&c.Opt, "opt", c.Opt, "optimiser: adam, sgd (momentum 0.9), nag or rmsprop")
	fs.Float64Var(&c.LR, "lr", c.LR, "learning rate")
	fs.StringVar(&c.Loss, "loss", c.Loss, "loss: bce, ce or mse")
	fs.StringVar(&c.HiddenAct, "hidden-act", c.HiddenAct, "hidden activation: tanh, sigmoid or relu")
	fs.StringVar(&c.OutputAct, "output-act", c.OutputAct, "output activation: sigmoid, softmax, tanh or none")
	fs.Float64Var(&c.Dropout, "dropout", c.Dropout, "dropout probability on the input of every FC layer")
	fs.StringVar(&c.Init, "init", c.Init, "forward weight initialisation: default (PyTorch), he or zero")
	fs.Uint64Var(&c.Seed, "seed", c.Seed, "seed of weights, feedback matrices, shuffling and dropout")
	fs.IntVar(&c.Threads, "threads", c.Threads, "threads used for the matrix products")
	fs.IntVar(&c.TrainLimit, "train-limit", c.TrainLimit, "use only the first N training samples (0: all)")
	fs.IntVar(&c.TestLimit, "test-limit", c.TestLimit, "use only the first N test samples (0: all)")
	fs.IntVar(&c.Angles, "angles", c.Angles, "record the alignment angle with BP every N samples (0: off)")
	fs.StringVar(&c.AngleOf, "angle-of", c.AngleOf, "with --angles: dz, the modulatory signals δz_k (after f'; Figs. 2, 3), or dy, the loss gradients δy_k at the layer outputs (before f'; Figs. S1–S3) (default dz)")
	fs.BoolVar(&c.Densities, "densities", c.Densities, "record the density of the first hidden layer's activations on 100 test samples before training and after epochs 1, 2, 5, 10, 20, 50, … and the last (densities.csv; drtp plot densities)")
	fs.BoolVar(&c.FreezeConv, "freeze-conv", c.FreezeConv, "never train the CONV kernels (the paper's random CONV networks): only the FC layers learn")
	fs.IntVar(&c.Patience, "patience", c.Patience, "stop after N epochs without a lower test error (0: off)")
	fs.StringVar(&c.Neuron, "neuron", "rate", "neuron model: rate (the paper's networks) or lif (spiking: leaky integrate-and-fire)")
	fs.IntVar(&c.Steps, "steps", 0, "lif: T, time steps per sample (0: the engine's default, 50)")
	fs.Float64Var(&c.DT, "dt", 0, "lif: time step, ms (0: default, 1 ms)")
	fs.StringVar(&c.Encode, "encode", "", "lif: input code: poisson, latency, latency-linear or current (default poisson)")
	fs.Float64Var(&c.MaxRate, "max-rate", 0, "lif: Poisson rate of an input of value 1, Hz, at most one spike a step (1000/dt) (0: the default, 400 Hz)")
	fs.Float64Var(&c.TauMem, "tau-mem", 0, "lif: membrane time constant, ms (0: default, 20 ms)")
	fs.BoolVar(&c.Online, "online", false, "lif: apply the three-factor update at every step instead of once per sample")
	fs.BoolVar(&c.Dendrite, "dendrite", false, "lif, drtp: the fully spiking third factor, a leaky dendrite driven by Poisson target spikes through B (eq. D2), instead of B·y* held for the sample")
	fs.StringVar(&c.Readout, "readout", "", "lif: prediction from output spikes (spikes, default) or a leaky integrator (integrated)")
	fs.Func("rate-reg", "lif: λ of the hidden layers' firing-rate regulariser, d += λ(r − ρ_h) with r a neuron's spikes per step so far in the sample (eq. R1 of package spiking; 0: none; default 0.05 for drtp and sdfa, 0 for dfa)", func(s string) error {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return fmt.Errorf("expected a number, found %q", s)
		}
		c.RateReg = &v
		return nil
	})
	fs.Float64Var(&c.HiddenRate, "hidden-rate", 0, "lif: ρ_h, the rate the firing-rate regulariser (--rate-reg) pulls hidden neurons towards, Hz (0: default, 100 Hz)")
	fs.StringVar(&c.Record, "record", "", "lif: after training, record spikes, membrane and/or rates (comma-separated) of test samples")
	fs.StringVar(out, "out", *out, "run directory to write (must not hold results unless --resume)")
	fs.BoolVar(resume, "resume", false, "continue the run in --out from its last finished epoch")
}

func train(ctx context.Context, stdout, stderr io.Writer, args []string) error {
	cfg := experiments.DefaultTrain
	cfg.Epochs = 1
	var out string
	var resume bool
	fs := flag.NewFlagSet("drtp train", flag.ContinueOnError)
	fs.SetOutput(stderr)
	trainFlags(fs, &cfg, &out, &resume)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: drtp train [flags]\n\nTrains one rate-based network and writes DIR/config.json, DIR/metrics.csv\n(a row per epoch), DIR/summary.json and a checkpoint to resume from.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return usageError{err}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Errorf("train: unexpected argument %q (flags start with --)", fs.Arg(0))}
	}
	if cfg.Neuron == "lif" {
		// The spiking engine has its own tuned rate and batch: the rate
		// network's defaults apply only when given on the command line.
		set := map[string]bool{}
		fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
		if !set["lr"] {
			cfg.LR = 0
		}
		if !set["batch"] {
			cfg.Batch = 0
		}
		// The rate engine's loss, activations and initialisation do not
		// apply: their defaults are dropped, and the engine refuses them
		// when given.
		for name, v := range map[string]*string{"loss": &cfg.Loss, "hidden-act": &cfg.HiddenAct, "output-act": &cfg.OutputAct, "init": &cfg.Init} {
			if !set[name] {
				*v = ""
			}
		}
	}
	if out == "" {
		out = defaultOut(cfg)
	}
	return runTraining(ctx, stdout, stderr, cfg, out, resume)
}

func defaultOut(cfg experiments.TrainConfig) string {
	return filepath.Join("runs", fmt.Sprintf("%s-%s-%s-%s", cfg.Data, cfg.Algo, cfg.Net, time.Now().Format("20060102-150405")))
}

// trainDefault is `drtp` with no arguments: the main job on its default.
func trainDefault(ctx context.Context, stdout, stderr io.Writer) error {
	cfg := experiments.DefaultTrain
	out := defaultOut(cfg)
	fmt.Fprintf(stderr, "drtp: training DRTP on MNIST (%s, %d epochs, Adam lr %g, batch %d) into %s\n", cfg.Net, cfg.Epochs, cfg.LR, cfg.Batch, out)
	if err := runTraining(ctx, stdout, stderr, cfg, out, false); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\nThe paper's protocol trains 100 epochs (Table 1: DRTP 4.10 ± 0.07%% test error on this network):\n"+
		"  go run ./cmd/drtp train --algo drtp --net FC_1000_FC_10 --lr 1.5e-4 --epochs 100 --out runs/drtp-fc1000\n"+
		"and the whole table cell, 10 trials, every rule:\n"+
		"  go run ./cmd/drtp reproduce table1 --rows FC1-1000/DO0.0\n")
	return nil
}

func runTraining(ctx context.Context, stdout, stderr io.Writer, cfg experiments.TrainConfig, out string, resume bool) error {
	bar := newProgress(stderr)
	s, err := experiments.Run(ctx, cfg, out, resume, bar.update)
	bar.done()
	if err != nil {
		if errors.Is(err, context.Canceled) {
			return fmt.Errorf("interrupted; finished epochs are saved in %s: continue with the same flags and --resume --out %s: %w", out, out, err)
		}
		if isInputError(err) {
			return usageError{err}
		}
		return err
	}
	if s.TestError != nil {
		fmt.Fprintf(stdout, "%s %s on %s, %d epochs: test error %.2f%%, train error %.2f%%, %.0f training samples/s\n",
			strings.ToUpper(s.Algo), s.Net, s.Data, s.Epochs, *s.TestError, *s.TrainError, s.SamplesPerSec)
	} else {
		fmt.Fprintf(stdout, "%s %s on %s, %d epochs: test loss %.4g, train loss %.4g, %.0f training samples/s\n",
			strings.ToUpper(s.Algo), s.Net, s.Data, s.Epochs, s.TestLoss, s.TrainLoss, s.SamplesPerSec)
	}
	fmt.Fprintf(stdout, "run directory: %s\n", out)
	return nil
}

// isInputError reports whether err is the user's: a bad setting, a missing
// or corrupt data file, or a run directory that already holds results.
func isInputError(err error) bool {
	var pe *os.PathError
	return errors.Is(err, experiments.ErrBadConfig) || errors.Is(err, dataset.ErrNotFound) ||
		errors.Is(err, dataset.ErrCorrupt) || errors.Is(err, rundir.ErrExists) ||
		errors.Is(err, rundir.ErrUnreadable) || errors.As(err, &pe)
}
