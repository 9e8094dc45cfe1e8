package main

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/deepglass/deepglass/sim"
)

//go:embed default.yaml
var defaultConfig []byte

// runFlags are the flags of `deepglass run`; they override the config file.
type runFlags struct {
	model, lattice, couplings, bonds, temps, samplerName, order, start, out string
	move, ladder, shard, resume                                             string
	n, patterns, replicas, therm, sweeps, measureEvery, samples             int
	threads, shards, annealSweeps, restarts, lanes                          int
	j0, field, target, timeLimit                                            float64
	seed                                                                    uint64
	json, packed                                                            bool
	checkpointEvery                                                         time.Duration
}

func (f *runFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.model, "model", "", "model: "+strings.Join(sim.Models, ", "))
	fs.StringVar(&f.lattice, "lattice", "", "lattice of ising and ea: square:L or cubic:L")
	fs.IntVar(&f.n, "N", 0, "number of spins of sk and hopfield")
	fs.StringVar(&f.couplings, "couplings", "", "edge-list or G-set file (implies -model graph)")
	fs.StringVar(&f.bonds, "bonds", "", "coupling distribution of ea and sk: pm or gauss")
	fs.Float64Var(&f.j0, "J0", 0, "ferromagnetic bias of sk: couplings have mean J0/N")
	fs.Float64Var(&f.field, "field", 0, "uniform field h of ising")
	fs.IntVar(&f.patterns, "patterns", 0, "number of stored patterns of hopfield")
	fs.StringVar(&f.temps, "T", "", "temperatures: 2.5, a list 0.5,1,2 or a geometric ladder 0.2:2.0:24")
	fs.StringVar(&f.samplerName, "sampler", "", "sampler: "+strings.Join(sim.Samplers, ", "))
	fs.StringVar(&f.order, "order", "", "site order of metropolis and heatbath: typewriter or random")
	fs.StringVar(&f.start, "start", "", "initial state: ordered or random (default ordered for ising, random otherwise)")
	fs.IntVar(&f.replicas, "replicas", 0, "independent copies per temperature")
	fs.IntVar(&f.therm, "therm", 0, "thermalization sweeps")
	fs.IntVar(&f.sweeps, "sweeps", 0, "measured sweeps")
	fs.IntVar(&f.measureEvery, "measure-every", 0, "sweeps between measurements (default 1)")
	fs.IntVar(&f.samples, "samples", 0, "disorder realizations")
	fs.Uint64Var(&f.seed, "seed", 0, "random seed")
	fs.StringVar(&f.out, "out", "", "run directory (default runs/DATE-TIME-MODEL)")
	fs.IntVar(&f.threads, "threads", 0, "temperatures run at once (default: all cores)")
	fs.BoolVar(&f.json, "json", false, "print summary.json to stdout instead of a table")
	fs.StringVar(&f.move, "move", "", "move that pt composes: metropolis (default) or heatbath")
	fs.StringVar(&f.ladder, "ladder", "", "pt temperatures: fixed (default), constant (equal swap acceptance) or feedback (Katzgraber et al. 2006)")
	fs.IntVar(&f.annealSweeps, "anneal-sweeps", 0, "sweeps of one annealing pass (default: from the coupling scale)")
	fs.IntVar(&f.restarts, "restarts", 0, "maximum number of annealing restarts (default: until -time-limit or -target)")
	fs.Float64Var(&f.timeLimit, "time-limit", 0, "annealing wall-time limit in seconds (default 30)")
	fs.Float64Var(&f.target, "target", 0, "target for time-to-target: a cut (G-set files) or an energy per spin")
	fs.StringVar(&f.shard, "shard", "", "run one slice i/n of the disorder samples (samples s with s mod n = i)")
	fs.IntVar(&f.shards, "shards", 0, "number of shards; the index comes from SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX")
	fs.DurationVar(&f.checkpointEvery, "checkpoint-every", 0, "write checkpoint.bin this often (e.g. 10m); SIGINT/SIGTERM always write one")
	fs.StringVar(&f.resume, "resume", "", "continue the interrupted run in this directory")
	fs.BoolVar(&f.packed, "packed", false, "bit-packed kernels for ±J models (ising, ea -bonds pm, graph): 64 independent lanes per replica")
	fs.IntVar(&f.lanes, "lanes", 0, "lanes per replica of a packed run: 64 (default) or 512 (wide kernels: metropolis on ising and ea; AVX-512 in GOEXPERIMENT=simd builds)")
}

// apply copies the flags that were set on the command line into c.
func (f *runFlags) apply(fs *flag.FlagSet, c *sim.Config) error {
	var err error
	fs.Visit(func(fl *flag.Flag) {
		switch fl.Name {
		case "model":
			c.Model = f.model
		case "lattice":
			c.Lattice = f.lattice
		case "N":
			c.N = f.n
		case "couplings":
			c.Couplings = f.couplings
			if c.Model == "" || !isSet(fs, "model") {
				c.Model = "graph"
			}
		case "bonds":
			c.Bonds = f.bonds
		case "J0":
			c.J0 = f.j0
		case "field":
			c.Field = f.field
		case "patterns":
			c.Patterns = f.patterns
		case "T":
			ts, e := sim.ParseTemperatures(f.temps)
			if e != nil {
				err = fmt.Errorf("flag -T: %w", e)
			}
			c.T = ts
		case "sampler":
			c.Sampler = f.samplerName
		case "order":
			c.Order = f.order
		case "start":
			c.Start = f.start
		case "replicas":
			c.Replicas = f.replicas
		case "therm":
			c.Therm = f.therm
		case "sweeps":
			c.Sweeps = f.sweeps
		case "measure-every":
			c.MeasureEvery = f.measureEvery
		case "samples":
			c.Samples = f.samples
		case "move":
			c.Move = f.move
		case "ladder":
			c.Ladder = f.ladder
		case "anneal-sweeps":
			c.AnnealSweeps = f.annealSweeps
		case "restarts":
			c.Restarts = f.restarts
		case "time-limit":
			c.TimeLimit = f.timeLimit
		case "target":
			c.Target = f.target
		case "seed":
			c.Seed = f.seed
		case "packed":
			c.Packed = f.packed
		case "lanes":
			c.Lanes = f.lanes
		}
	})
	return err
}

func isSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

const runUsage = `Usage: deepglass run [CONFIG.yaml|json] [flags]

Simulates a model at one or more temperatures (one independent chain per temperature,
in parallel over cores) and writes a run directory with config.json, summary.json and
series.csv. Flags override the config file. With no config and no model flags it runs a
built-in demo (the 2D Ising model across T_c against Kaufman's exact solution).

Examples:
  deepglass run -model ising -lattice square:16 -T 2.3 -sampler metropolis -sweeps 200000 -therm 2000 -seed 1
  deepglass run -model ea -lattice cubic:8 -bonds gauss -T 0.5:2:8 -sampler heatbath
  deepglass run -couplings testdata/gset/G22.txt -T 0.3 -sampler metropolis -json

All printed and saved quantities are per spin; k_B = 1.

Flags:
`

func cmdRun(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), runUsage)
		fs.PrintDefaults()
	}
	var f runFlags
	f.register(fs)
	positional, err := parseInterspersed(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	if err != nil {
		return exitUsage // the flag package has printed the problem and the usage
	}
	if len(positional) > 1 {
		fmt.Fprintf(stderr, "deepglass run: want at most one config file, got %q\n", positional)
		return exitUsage
	}

	var cfg sim.Config
	shard, shards, serr := shardOf(f, fs)
	if serr != nil {
		fmt.Fprintf(stderr, "deepglass run: %v\n", serr)
		return exitUsage
	}
	modelFlags := isSet(fs, "model") || isSet(fs, "couplings") || isSet(fs, "lattice")
	switch {
	case f.resume != "":
		if len(positional) > 0 || modelFlags {
			fmt.Fprintln(stderr, "deepglass run: -resume continues a run with its own config; give no config file or model flags")
			return exitUsage
		}
		rd, rerr := sim.ReadRunDir(f.resume)
		if rerr != nil {
			fmt.Fprintf(stderr, "deepglass run: resume: %v\n", rerr)
			return exitUsage
		}
		cfg, shard, shards = rd.Config, rd.Shard, rd.Shards
		f.out = f.resume
	case len(positional) == 1:
		cfg, err = sim.ReadConfig(positional[0])
	case !modelFlags:
		cfg, err = sim.ParseConfig(defaultConfig, "default.yaml")
		if err == nil && !f.json {
			fmt.Fprintln(stderr, "deepglass run: no config given, running the built-in demo (2D Ising vs Kaufman's exact solution)")
		}
	default:
		cfg = sim.Config{Therm: 1000, Sweeps: 10000, Sampler: "metropolis"}
	}
	if err != nil {
		fmt.Fprintf(stderr, "deepglass run: config %v\n", err)
		return exitUsage
	}
	if f.resume == "" {
		if err := f.apply(fs, &cfg); err != nil {
			fmt.Fprintf(stderr, "deepglass run: %v\n", err)
			return exitUsage
		}
	}
	cfg.Defaults()
	if err := cfg.Validate(); err != nil {
		fmt.Fprintf(stderr, "deepglass run: invalid config:\n  %s\n", strings.ReplaceAll(err.Error(), "\n", "\n  "))
		return exitUsage
	}

	out := f.out
	if out == "" {
		out = defaultRunDir(cfg.Model)
	}
	opts := sim.Options{Out: out, Threads: f.threads, Shard: shard, Shards: shards,
		CheckpointEvery: f.checkpointEvery, Resume: f.resume != ""}
	bar := newProgress(stderr)
	if bar != nil {
		opts.Progress = func(done, total int64) {
			bar.ChangeMax64(total)
			bar.Set64(done)
		}
	}
	sum, err := sim.Run(ctx, cfg, opts)
	if bar != nil {
		bar.Finish()
		fmt.Fprintln(stderr)
	}
	if sum != nil {
		if f.json {
			b, jerr := json.MarshalIndent(sum, "", "  ")
			if jerr != nil {
				fmt.Fprintf(stderr, "deepglass run: %v\n", jerr)
				return exitError
			}
			fmt.Fprintf(stdout, "%s\n", b)
		} else {
			fmt.Fprint(stdout, sim.FormatTable(sum))
		}
	}
	switch {
	case err == nil:
		fmt.Fprintf(stderr, "results in %s\n", out)
		return exitOK
	case sim.IsInputError(err):
		fmt.Fprintf(stderr, "deepglass run: %v\n", err)
		return exitUsage
	case errors.Is(err, sim.ErrInterrupted):
		fmt.Fprintf(stderr, "deepglass run: interrupted; checkpoint written: continue with\n  deepglass run -resume %s\n", out)
		return exitInterrupted
	}
	fmt.Fprintf(stderr, "deepglass run: %v\n", err)
	return exitError
}

// shardOf returns the shard this process runs: -shard i/n, or -shards n with the index
// from SLURM_ARRAY_TASK_ID (a Slurm job array) or JOB_COMPLETION_INDEX (a Kubernetes
// Indexed Job).
func shardOf(f runFlags, fs *flag.FlagSet) (int, int, error) {
	if f.shard != "" {
		a, b, ok := strings.Cut(f.shard, "/")
		i, err1 := strconv.Atoi(a)
		n, err2 := strconv.Atoi(b)
		if !ok || err1 != nil || err2 != nil || n < 1 || i < 0 || i >= n {
			return 0, 0, fmt.Errorf("flag -shard %q: want i/n with 0 ≤ i < n", f.shard)
		}
		if isSet(fs, "shards") && f.shards != n {
			return 0, 0, fmt.Errorf("flags -shard %s and -shards %d disagree", f.shard, f.shards)
		}
		return i, n, nil
	}
	if !isSet(fs, "shards") {
		return 0, 0, nil
	}
	if f.shards < 1 {
		return 0, 0, fmt.Errorf("flag -shards %d: want n ≥ 1", f.shards)
	}
	for _, env := range []string{"SLURM_ARRAY_TASK_ID", "JOB_COMPLETION_INDEX"} {
		if v, ok := os.LookupEnv(env); ok {
			i, err := strconv.Atoi(strings.TrimSpace(v))
			if err != nil || i < 0 || i >= f.shards {
				return 0, 0, fmt.Errorf("%s=%q: want an index 0 ≤ i < %d", env, v, f.shards)
			}
			return i, f.shards, nil
		}
	}
	return 0, 0, fmt.Errorf("flag -shards %d needs -shard i/n, SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX", f.shards)
}

// parseInterspersed parses flags that may come before or after positional arguments
// (the flag package alone stops at the first positional one).
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return positional, nil
		}
		if args[0] == "--" {
			return append(positional, args[1:]...), nil
		}
		positional = append(positional, args[0])
		args = args[1:]
	}
}

// defaultRunDir returns runs/YYYYMMDD-HHMMSS-MODEL, made unique with a suffix.
func defaultRunDir(model string) string {
	base := filepath.Join("runs", time.Now().Format("20060102-150405")+"-"+model)
	dir := base
	for i := 2; ; i++ {
		if _, err := os.Stat(dir); errors.Is(err, os.ErrNotExist) {
			return dir
		}
		dir = fmt.Sprintf("%s-%d", base, i)
	}
}

// newProgress returns a progress bar on w when w is a terminal, else nil.
func newProgress(w io.Writer) *progressbar.ProgressBar {
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return nil
	}
	return progressbar.NewOptions64(-1,
		progressbar.OptionSetWriter(f),
		progressbar.OptionSetDescription("sweeps"),
		progressbar.OptionShowCount(),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionSetWidth(30),
		progressbar.OptionClearOnFinish(),
	)
}
