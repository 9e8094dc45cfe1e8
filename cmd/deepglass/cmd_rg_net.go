package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/deepglass/deepglass/analysis"
	"github.com/deepglass/deepglass/learn"
	"github.com/deepglass/deepglass/rg"
	"github.com/deepglass/deepglass/rg/netrg"
	"github.com/deepglass/deepglass/sim"
)

const rgFlowUsage = `Usage: deepglass rg flow [flags]

RBM flows (Iso, Shiba & Yokoo, Phys. Rev. E 97, 053304 (2018)): makes L×L 2D
Ising configurations at T = 0, 0.25, …, 6 (Wolff; T = 0 the two ground states), fits a
thermometer (softmax regression of T on e, |m|, e², m²), trains an RBM (CD-1) on all,
only high (T > T_c) or only low (T < T_c) temperatures, iterates v → h → v′ from
configurations at T = 0 and T = 6 and reads the temperature along the flow. The fixed
point is the mean over chains of the reading over the last half of the steps.
Writes DIR/summary.json: {"starts": [{"from_T": 0, "fixed_point_T": {"mean", "err"},
"series": [{"mean", "err"}, …], "chains": [each chain's fixed point]}, {"from_T": 6, …}],
…}; with -scan-every N also "training_scan": [{"epochs": N, "fixed_point_T": [one per
start]}, …], where the flows of the RBM settle after N, 2N, … epochs of training.

Example:
  deepglass rg flow -train all -L 10 -hidden 64 -epochs 100 -samples 400 -steps 50 -scan-every 5 -seed 1 -json

Flags:
`

const rgStackUsage = `Usage: deepglass rg stack [flags]

Variational RG with stacked RBMs (Mehta & Schwab, arXiv:1410.3831): trains RBMs layer
by layer (CD-1, L1 sparsity) on L×L 2D Ising configurations at temperature T (Wolff) and
reports per layer ℓ the share of |receptive field| mass inside a (2·2^ℓ)² window around
each field's centre, the field width (half-mass radius, and the rms radius, which a
weak background over the whole lattice dominates), the agreement of reconstructions
with majority block spins at b = 2^ℓ, and what the layers map an ensemble at T_c onto
(|m|, e, Binder cumulant, jackknife errors). Writes DIR/summary.json.

Example:
  deepglass rg stack -L 32 -T 2.451 -layers 256,64,16 -l1 0.04 -l1-warmup 5 -epochs 30 -seed 1 -json

Flags:
`

type rgFlowFlags struct {
	train, mode, out                       string
	l, hidden, epochs, samples, steps, chs int
	scanEvery                              int
	lr                                     float64
	seed                                   uint64
	json                                   bool
}

// spec checks the flags and returns the flow recipe; errors name the flag.
func (f *rgFlowFlags) spec() (netrg.FlowSpec, netrg.TrainSet, error) {
	s := netrg.IsoSpec(false, f.seed)
	set, err := netrg.ParseTrainSet(f.train)
	if err != nil {
		return s, set, fmt.Errorf("flag -train: %w", err)
	}
	mode, err := netrg.ParseFlowMode(f.mode)
	if err != nil {
		return s, set, fmt.Errorf("flag -mode: %w", err)
	}
	switch {
	case f.l < 2 || f.l > 64:
		return s, set, fmt.Errorf("flag -L %d: want 2 ≤ L ≤ 64", f.l)
	case f.hidden < 1:
		return s, set, fmt.Errorf("flag -hidden %d: want ≥ 1", f.hidden)
	case f.epochs < 1:
		return s, set, fmt.Errorf("flag -epochs %d: want ≥ 1", f.epochs)
	case f.samples < 1:
		return s, set, fmt.Errorf("flag -samples %d: want ≥ 1", f.samples)
	case f.steps < 2:
		return s, set, fmt.Errorf("flag -steps %d: want ≥ 2", f.steps)
	case f.chs < 2:
		return s, set, fmt.Errorf("flag -chains %d: want ≥ 2", f.chs)
	case !(f.lr > 0) || math.IsInf(f.lr, 0):
		return s, set, fmt.Errorf("flag -lr %v: want a finite value > 0", f.lr)
	case f.scanEvery < 0:
		return s, set, fmt.Errorf("flag -scan-every %d: want ≥ 0", f.scanEvery)
	}
	s.L, s.Hidden, s.RBM.Epochs, s.Samples, s.Steps, s.Chains, s.RBM.LR, s.Mode = f.l, f.hidden, f.epochs, f.samples, f.steps, f.chs, f.lr, mode
	return s, set, nil
}

// rgFlowSummary is summary.json of `deepglass rg flow` (fields may be added, never
// renamed).
type rgFlowSummary struct {
	Version     string            `json:"version"`
	Command     string            `json:"command"` // "rg flow"
	Train       string            `json:"train"`
	Spec        string            `json:"spec"`
	Mode        string            `json:"mode"`
	Tc          float64           `json:"T_c"`
	Thermometer rgThermometer     `json:"thermometer"`
	Starts      []netrg.FlowStart `json:"starts"`
	// TrainingScan (-scan-every) holds the fixed points at stages of training.
	TrainingScan []netrg.ScanPoint `json:"training_scan,omitempty"`
	Seconds      float64           `json:"seconds"`
}

type rgThermometer struct {
	Kind     string  `json:"kind"`
	Accuracy float64 `json:"accuracy"`
	RMSE     float64 `json:"rmse"`
}

func cmdRGFlow(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("flow", rgFlowUsage, stderr)
	def := netrg.IsoSpec(false, 0)
	var f rgFlowFlags
	fs.StringVar(&f.train, "train", "all", "training temperatures of the RBM: all, high (T > T_c) or low (T < T_c)")
	fs.StringVar(&f.mode, "mode", def.Mode.String(), "flow step: meanfield (probabilities) or sample (one block-Gibbs step)")
	fs.IntVar(&f.l, "L", def.L, "lattice size")
	fs.IntVar(&f.hidden, "hidden", def.Hidden, "hidden units")
	fs.IntVar(&f.epochs, "epochs", def.RBM.Epochs, "training epochs (CD-1, batch 100, momentum 0.5)")
	fs.Float64Var(&f.lr, "lr", def.RBM.LR, "learning rate")
	fs.IntVar(&f.samples, "samples", def.Samples, "configurations per temperature")
	fs.IntVar(&f.steps, "steps", def.Steps, "flow steps")
	fs.IntVar(&f.chs, "chains", def.Chains, "flows per start temperature")
	fs.IntVar(&f.scanEvery, "scan-every", 0, "also run the flows after every N epochs of training (summary.json training_scan; 0: only at the end)")
	fs.Uint64Var(&f.seed, "seed", 1, "random seed")
	fs.StringVar(&f.out, "out", "", "output directory (default runs/DATE-TIME-rg-flow)")
	fs.BoolVar(&f.json, "json", false, "print summary.json to stdout instead of a table")
	if rc, ok := rgParse(fs, args, stderr); !ok {
		return rc
	}
	spec, set, err := f.spec()
	if err != nil {
		fmt.Fprintf(stderr, "deepglass rg flow: %v\n", err)
		return exitUsage
	}
	start := time.Now()
	prog := startProgress(stderr, "deepglass rg flow", "epochs") // training the RBM
	spec.RBM.Progress = prog.SetInt
	lab, err := netrg.NewFlowLab(spec)
	if err != nil {
		fmt.Fprintf(stderr, "deepglass rg flow: %v\n", err)
		return exitError
	}
	res, err := lab.RunScan(ctx, set, f.scanEvery)
	prog.Finish()
	if errors.Is(err, context.Canceled) {
		fmt.Fprintln(stderr, "deepglass rg flow: interrupted")
		return exitInterrupted
	}
	if err != nil {
		fmt.Fprintf(stderr, "deepglass rg flow: %v\n", err)
		return exitError
	}
	sum := rgFlowSummary{Version: sim.Version, Command: "rg flow", Train: set.String(), Spec: spec.String(),
		Mode: spec.Mode.String(), Tc: rg.TcIsing, Starts: res.Starts, TrainingScan: res.Scan, Seconds: time.Since(start).Seconds(),
		Thermometer: rgThermometer{Kind: "softmax on (e, |m|, e², m²)", Accuracy: lab.Thermometer.Accuracy, RMSE: lab.Thermometer.RMSE}}
	text := func() string {
		var b strings.Builder
		fmt.Fprintf(&b, "%v%v\n", res, lab.Thermometer)
		fmt.Fprintf(&b, "T_c = %.6f\n", rg.TcIsing)
		return b.String()
	}
	return rgNetWriteSummary(sum, f.out, "rg-flow", f.json, text, stdout, stderr)
}

// rgNetWriteSummary writes sum as DIR/summary.json (DIR = out or a new run directory
// named after kind) and prints it (asJSON) or text() to stdout.
func rgNetWriteSummary(sum any, out, kind string, asJSON bool, text func() string, stdout, stderr io.Writer) int {
	if out == "" {
		out = defaultRunDir(kind)
	}
	b, err := analysis.MarshalJSONIndent(sum, "", "  ") // NaN and ±Inf as null
	if err == nil {
		err = os.MkdirAll(out, 0o755)
	}
	if err == nil {
		err = sim.WriteFileAtomic(filepath.Join(out, "summary.json"), append(b, '\n'))
	}
	if err != nil {
		fmt.Fprintf(stderr, "deepglass %s: %v\n", strings.Replace(kind, "-", " ", 1), err)
		return exitError
	}
	if asJSON {
		fmt.Fprintf(stdout, "%s\n", b)
	} else {
		fmt.Fprint(stdout, text())
	}
	fmt.Fprintf(stderr, "results in %s\n", out)
	return exitOK
}

type rgStackFlags struct {
	layers, out               string
	l, samples, epochs, batch int
	critical, l1Warmup        int
	t, l1, lr                 float64
	seed                      uint64
	json                      bool
	hidden                    []int
}

// spec checks the flags and returns the stack recipe; errors name the flag.
func (f *rgStackFlags) spec() (netrg.StackSpec, error) {
	s := netrg.MehtaSchwabSpec(false, f.seed)
	for _, p := range strings.Split(f.layers, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(p))
		if err != nil || n < 2 {
			return s, fmt.Errorf("flag -layers %q: want a comma-separated list of layer sizes ≥ 2", f.layers)
		}
		f.hidden = append(f.hidden, n)
	}
	switch {
	case f.l < 2 || f.l > 256:
		return s, fmt.Errorf("flag -L %d: want 2 ≤ L ≤ 256", f.l)
	case !(f.t > 0) || math.IsInf(f.t, 0):
		return s, fmt.Errorf("flag -T %v: want a finite T > 0", f.t)
	case f.samples < 2:
		return s, fmt.Errorf("flag -samples %d: want ≥ 2", f.samples)
	case f.epochs < 1:
		return s, fmt.Errorf("flag -epochs %d: want ≥ 1", f.epochs)
	case f.batch < 0:
		return s, fmt.Errorf("flag -batch %d: want ≥ 0", f.batch)
	case !(f.l1 >= 0) || math.IsInf(f.l1, 0):
		return s, fmt.Errorf("flag -l1 %v: want a finite value ≥ 0", f.l1)
	case f.l1Warmup < 0:
		return s, fmt.Errorf("flag -l1-warmup %d: want ≥ 0", f.l1Warmup)
	case !(f.lr > 0) || math.IsInf(f.lr, 0):
		return s, fmt.Errorf("flag -lr %v: want a finite value > 0", f.lr)
	case f.critical < 0:
		return s, fmt.Errorf("flag -critical %d: want ≥ 0", f.critical)
	}
	s.L, s.T, s.Samples, s.Hidden = f.l, f.t, f.samples, f.hidden
	s.Layer.Epochs, s.Layer.Batch, s.Layer.L1, s.Layer.L1Warmup, s.Layer.LR = f.epochs, f.batch, f.l1, f.l1Warmup, f.lr
	return s, nil
}

// rgStackSummary is summary.json of `deepglass rg stack` (fields may be added,
// never renamed).
type rgStackSummary struct {
	Version  string                `json:"version"`
	Command  string                `json:"command"` // "rg stack"
	Spec     string                `json:"spec"`
	L        int                   `json:"L"`
	T        float64               `json:"T"`
	Layers   []rgStackLayer        `json:"layers"`
	Critical []netrg.LayerEnsemble `json:"critical,omitempty"`
	Seconds  float64               `json:"seconds"`
}

type rgStackLayer struct {
	netrg.Locality
	BlockAgreement float64 `json:"block_agreement"`
}

func cmdRGStack(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("stack", rgStackUsage, stderr)
	def := netrg.MehtaSchwabSpec(false, 0)
	var f rgStackFlags
	var sizes []string
	for _, h := range def.Hidden {
		sizes = append(sizes, strconv.Itoa(h))
	}
	fs.IntVar(&f.l, "L", def.L, "lattice size")
	fs.Float64Var(&f.t, "T", def.T, "temperature of the training data (default K = 0.408, Mehta & Schwab)")
	fs.IntVar(&f.samples, "samples", def.Samples, "training configurations")
	fs.StringVar(&f.layers, "layers", strings.Join(sizes, ","), "hidden units per layer")
	fs.Float64Var(&f.l1, "l1", def.Layer.L1, "L1 sparsity penalty on the weights (proximal step)")
	fs.IntVar(&f.l1Warmup, "l1-warmup", def.Layer.L1Warmup, "epochs over which the L1 penalty rises from 0 to -l1")
	fs.Float64Var(&f.lr, "lr", def.Layer.LR, "learning rate (CD-1, momentum 0.5)")
	fs.IntVar(&f.epochs, "epochs", def.Layer.Epochs, "epochs per layer")
	fs.IntVar(&f.batch, "batch", def.Layer.Batch, "minibatch size")
	fs.IntVar(&f.critical, "critical", 1024, "configurations at T_c mapped through the layers (0: none)")
	fs.Uint64Var(&f.seed, "seed", 1, "random seed")
	fs.StringVar(&f.out, "out", "", "output directory (default runs/DATE-TIME-rg-stack)")
	fs.BoolVar(&f.json, "json", false, "print summary.json to stdout instead of a table")
	if rc, ok := rgParse(fs, args, stderr); !ok {
		return rc
	}
	spec, err := f.spec()
	if err != nil {
		fmt.Fprintf(stderr, "deepglass rg stack: %v\n", err)
		return exitUsage
	}
	start := time.Now()
	prog := startProgress(stderr, "deepglass rg stack", "epochs")
	var epochs int64
	total := int64(spec.Layer.Epochs * len(spec.Hidden)) // layer after layer
	spec.Layer.Progress = func(int, int) {
		epochs++
		prog.Set(epochs, total)
	}
	st, err := netrg.TrainStack(ctx, spec)
	prog.Finish()
	if errors.Is(err, context.Canceled) {
		fmt.Fprintln(stderr, "deepglass rg stack: interrupted")
		return exitInterrupted
	}
	if err != nil {
		fmt.Fprintf(stderr, "deepglass rg stack: %v\n", err)
		return exitError
	}
	rep := st.Report(500)
	sum := rgStackSummary{Version: sim.Version, Command: "rg stack", Spec: spec.String(), L: spec.L, T: spec.T}
	for k, l := range rep.Layers {
		sum.Layers = append(sum.Layers, rgStackLayer{Locality: l, BlockAgreement: rep.Agreement[k]})
	}
	if f.critical > 0 {
		crit, _, err := learn.IsingData(learn.IsingSpec{L: spec.L, T: rg.TcIsing, N: f.critical, Seed: f.seed + 1})
		if err != nil {
			fmt.Fprintf(stderr, "deepglass rg stack: %v\n", err)
			return exitError
		}
		sum.Critical = netrg.MapEnsemble(st.DBN, crit, spec.L, 0, f.seed)
	}
	sum.Seconds = time.Since(start).Seconds()
	text := func() string {
		s := rep.String()
		if len(sum.Critical) > 0 {
			s += netrg.CompareFixedPoints(nil, sum.Critical, spec.L).String()
		}
		return s
	}
	return rgNetWriteSummary(sum, f.out, "rg-stack", f.json, text, stdout, stderr)
}
