package main

import (
	"context"
	cryptorand "crypto/rand"
	_ "embed"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/deepglass/deepglass/analysis"
	"github.com/deepglass/deepglass/sampler"
	"github.com/deepglass/deepglass/sim"
)

//go:embed default.yaml
var defaultConfig []byte

// runFlags are the flags of `deepglass run`; they override the config file. The
// flags of the model and sampler fields come from the registry (sim.Params), the rest
// are the same for every run.
type runFlags struct {
	model, temps, samplerName, out        string
	shard, resume                         string
	replicas, therm, sweeps, measureEvery int
	threads, shards                       int
	seed                                  uint64
	json, packed                          bool
	checkpointEvery                       time.Duration
	params                                map[string]*paramValue // by flag name
}

// paramValue holds the text of a registry param's flag until it is applied.
type paramValue struct {
	p sim.Param
	v string
}

func (v *paramValue) String() string {
	if v == nil {
		return ""
	}
	return v.v
}

func (v *paramValue) Set(s string) error { v.v = s; return nil }

func (f *runFlags) register(fs *flag.FlagSet) {
	var models []string
	for _, m := range sim.ModelKinds() {
		models = append(models, m.Name)
	}
	fs.StringVar(&f.model, "model", "", "model: "+strings.Join(models, ", ")+" (see the list above)")
	fs.StringVar(&f.temps, "T", "", "temperatures: 2.5, a list 0.5,1,2 or a geometric ladder 0.2:2.0:24")
	fs.StringVar(&f.samplerName, "sampler", "", "sampler: "+strings.Join(sim.Samplers, ", "))
	fs.IntVar(&f.replicas, "replicas", 0, "independent copies per temperature")
	fs.IntVar(&f.therm, "therm", 0, "thermalization sweeps")
	fs.IntVar(&f.sweeps, "sweeps", 0, "measured sweeps")
	fs.IntVar(&f.measureEvery, "measure-every", 0, "sweeps between measurements (default 1; -packed: chosen from the energy's τ_int during thermalization)")
	fs.Uint64Var(&f.seed, "seed", 0, "random seed")
	fs.StringVar(&f.out, "out", "", "run directory (default runs/DATE-TIME-MODEL)")
	fs.IntVar(&f.threads, "threads", 0, "temperatures run at once (default: all cores)")
	fs.BoolVar(&f.json, "json", false, "print summary.json to stdout instead of a table")
	fs.StringVar(&f.shard, "shard", "", "run one slice i/n of the disorder samples (samples s with s mod n = i)")
	fs.IntVar(&f.shards, "shards", 0, "number of shards; the index comes from SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX")
	fs.DurationVar(&f.checkpointEvery, "checkpoint-every", 0, "write checkpoint.bin this often (e.g. 10m); SIGINT/SIGTERM always write one")
	fs.StringVar(&f.resume, "resume", "", "continue the interrupted run in this directory")
	fs.BoolVar(&f.packed, "packed", false, "bit-packed kernels for ±J models (ising, ea -bonds pm, graph): 64 independent lanes per replica")
	f.params = map[string]*paramValue{}
	for _, p := range sim.Params() {
		v := &paramValue{p: p}
		f.params[strings.TrimPrefix(p.Flag, "-")] = v
		fs.Var(v, strings.TrimPrefix(p.Flag, "-"), p.Doc)
	}
}

// apply copies the flags that were set on the command line into c.
func (f *runFlags) apply(fs *flag.FlagSet, c *sim.Config) error {
	var errs []error
	fs.Visit(func(fl *flag.Flag) {
		if pv, ok := f.params[fl.Name]; ok {
			errs = append(errs, pv.p.Set(c, pv.v))
			if fl.Name == "couplings" && !isSet(fs, "model") {
				c.Model = "graph"
			}
			return
		}
		switch fl.Name {
		case "model":
			c.Model = f.model
		case "T":
			ts, e := sim.ParseTemperatures(f.temps)
			if e != nil {
				errs = append(errs, fmt.Errorf("flag -T: %w", e))
			}
			c.T = ts
		case "sampler":
			c.Sampler = f.samplerName
		case "replicas":
			c.Replicas = f.replicas
		case "therm":
			c.Therm = f.therm
		case "sweeps":
			c.Sweeps = f.sweeps
		case "measure-every":
			c.MeasureEvery = f.measureEvery
		case "seed":
			c.Seed = f.seed
		case "packed":
			c.Packed = f.packed
		}
	})
	return errors.Join(errs...)
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

`

func cmdRun(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("run", runUsage+sim.RegistryHelp()+"\nFlags:\n", stderr)
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
	if f.threads < 0 {
		fmt.Fprintf(stderr, "deepglass run: flag -threads %d: want ≥ 0 (0: all cores)\n", f.threads)
		return exitUsage
	}
	if f.checkpointEvery < 0 {
		fmt.Fprintf(stderr, "deepglass run: flag -checkpoint-every %v: want a positive interval (0: only on SIGINT/SIGTERM)\n", f.checkpointEvery)
		return exitUsage
	}
	modelFlags := isSet(fs, "model") || isSet(fs, "couplings") || isSet(fs, "lattice")
	switch {
	case f.resume != "":
		if len(positional) > 0 {
			fmt.Fprintln(stderr, "deepglass run: -resume continues a run with the config in its directory; give no config file")
			return exitUsage
		}
		var changed []string
		fs.Visit(func(fl *flag.Flag) {
			switch fl.Name {
			case "resume", "threads", "checkpoint-every", "json":
			default:
				changed = append(changed, "-"+fl.Name)
			}
		})
		if len(changed) > 0 {
			fmt.Fprintf(stderr, "deepglass run: -resume continues the run in %s with the config of its checkpoint; %s would change it.\n"+
				"  Resume takes only -threads, -checkpoint-every and -json. To run with other settings, start a new run with a new -out.\n",
				f.resume, strings.Join(changed, ", "))
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
		if f.samplerName == "pa" { // no thermalization; -sweeps counts sweeps per temperature step
			cfg.Therm, cfg.Sweeps = 0, sampler.DefaultPASweeps
		}
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
	if f.resume == "" && !isSet(fs, "seed") && !cfg.SeedGiven() {
		cfg.Seed = randomSeed()
		fmt.Fprintf(stderr, "deepglass run: no seed given: drew seed %d (recorded in config.json; -seed %d repeats this run)\n", cfg.Seed, cfg.Seed)
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
	// Progress: a bar on a terminal, a status line every 30 s otherwise (Slurm logs).
	// Anneal reports milliseconds of its time limit, shown as a fraction.
	unit := "sweeps"
	if cfg.Sampler == "anneal" || cfg.Sampler == "pa" { // pa: the fraction of β_max reached
		unit = ""
	}
	p := startProgress(stderr, "deepglass run", unit)
	opts.Progress = p.Set
	if unit == "" {
		opts.Progress = func(done, total int64) { p.Fraction(float64(done) / float64(max(total, 1))) }
	}
	opts.Log = func(msg string) { fmt.Fprintf(stderr, "deepglass run: %s\n", msg) }
	sum, err := sim.Run(ctx, cfg, opts)
	p.Finish()
	if sum != nil {
		if f.json {
			b, jerr := analysis.MarshalJSONIndent(sum, "", "  ")
			if jerr != nil {
				fmt.Fprintf(stderr, "deepglass run: %v\n", jerr)
				return exitError
			}
			fmt.Fprintf(stdout, "%s\n", b)
		} else {
			fmt.Fprint(stdout, sim.FormatTable(sum))
		}
		if w := sim.FormatWarnings(sum); w != "" {
			fmt.Fprint(stderr, "deepglass run: "+w)
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

// randomSeed draws a seed from the operating system's entropy, so that runs without
// -seed are independent.
func randomSeed() uint64 {
	var b [8]byte
	if _, err := cryptorand.Read(b[:]); err != nil {
		return uint64(time.Now().UnixNano())
	}
	return binary.LittleEndian.Uint64(b[:]) >> 1 // fits the int64 range of YAML and JSON readers
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
