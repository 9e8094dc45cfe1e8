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

	"github.com/deepglass/deepglass/analysis"
	"github.com/deepglass/deepglass/models"
	"github.com/deepglass/deepglass/rg"
	"github.com/deepglass/deepglass/sim"
)

const rgUsage = `Usage: deepglass rg mcrg  [flags]   Swendsen's Monte Carlo RG: exponents y_T, y_H per blocking level
       deepglass rg block [flags]   block-spin flow of the Binder cumulant, |m| and energy per level
       deepglass rg flow  [flags]   RBM flow (Iso et al. 2018): the temperature along v → h → v′ iterations
       deepglass rg stack [flags]   stacked RBMs (Mehta & Schwab 2014): locality and width of receptive fields

mcrg and block sample the ferromagnetic Ising model (J = 1) with a cluster sampler and block
its configurations level by level (b×b blocks, majority rule with random tie-break
or decimation). mcrg prints y_T and y_H per level and number of couplings (exact in
2D: 1 and 15/8); block prints U4, |m| and the nearest-neighbour energy per spin of
the block spins per temperature and level. flow and stack train RBMs on Ising
configurations (see their -h). With -out DIR, summary.json is written there; -json
prints it. Run "deepglass rg SUBCOMMAND -h" for the flags.

Examples:
  deepglass rg mcrg -L 64 -T 2.269185 -levels 3 -couplings 3 -samples 50000 -seed 1
  deepglass rg block -L 64 -T 2,2.269185,3 -levels 4 -samples 10000 -json
`

func cmdRG(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "-help" || args[0] == "--help" || args[0] == "help" {
		if len(args) == 0 {
			fmt.Fprint(stderr, rgUsage)
			return exitUsage
		}
		fmt.Fprint(stdout, rgUsage)
		return exitOK
	}
	switch args[0] {
	case "mcrg":
		return cmdRGMCRG(ctx, args[1:], stdout, stderr)
	case "block":
		return cmdRGBlock(ctx, args[1:], stdout, stderr)
	case "flow":
		return cmdRGFlow(ctx, args[1:], stdout, stderr)
	case "stack":
		return cmdRGStack(ctx, args[1:], stdout, stderr)
	}
	fmt.Fprintf(stderr, "deepglass rg: unknown subcommand %q\n\n%s", args[0], rgUsage)
	return exitUsage
}

// rgFlags are the flags common to rg mcrg and rg block.
type rgFlags struct {
	L, dim, b, levels, samples, therm, chains, threads int
	rule, samplerName, out, temps                      string
	seed                                               uint64
	json                                               bool
}

func (f *rgFlags) register(fs *flag.FlagSet, temps string) {
	fs.IntVar(&f.L, "L", 64, "lattice side")
	fs.IntVar(&f.dim, "d", 2, "dimension: 1 (chain), 2 (square) or 3 (cubic)")
	fs.StringVar(&f.temps, "T", temps, "temperature(s) (J/k_B)")
	fs.IntVar(&f.b, "b", 2, "block side")
	fs.StringVar(&f.rule, "rule", "majority", "block-spin rule: majority (random tie-break) or decimation")
	fs.IntVar(&f.levels, "levels", 0, "number of blockings (default: as many as the lattice allows)")
	fs.IntVar(&f.samples, "samples", 10000, "measured configurations (per temperature), one per sweep")
	fs.IntVar(&f.therm, "therm", 1000, "thermalization sweeps of each chain")
	fs.IntVar(&f.chains, "chains", 2, "independent chains the samples are shared out over")
	fs.IntVar(&f.threads, "threads", 0, "chains run at once (default: all cores); results do not depend on it")
	fs.StringVar(&f.samplerName, "sampler", "wolff", "cluster sampler: wolff or sw")
	fs.Uint64Var(&f.seed, "seed", 1, "random seed")
	fs.StringVar(&f.out, "out", "", "directory for summary.json (default: write no files)")
	fs.BoolVar(&f.json, "json", false, "print summary.json to stdout instead of a table")
}

// check validates the common flags and returns the lattice, the rule and the
// inverse temperatures, or an error naming the flag.
func (f *rgFlags) check() (models.Lattice, rg.Rule, []float64, error) {
	lat := models.Lattice{Dim: f.dim, L: f.L}
	if f.dim < 1 || f.dim > 3 {
		return lat, 0, nil, fmt.Errorf("flag -d %d: want 1, 2 or 3", f.dim)
	}
	if err := lat.Validate(); err != nil {
		return lat, 0, nil, fmt.Errorf("flag -L %d: %w", f.L, err)
	}
	rule, err := rg.ParseRule(f.rule)
	if err != nil {
		return lat, 0, nil, fmt.Errorf("flag -rule: %w", err)
	}
	if f.b < 2 || f.L%f.b != 0 {
		return lat, 0, nil, fmt.Errorf("flag -b %d: want a block side ≥ 2 that divides -L %d", f.b, f.L)
	}
	if f.levels < 0 {
		return lat, 0, nil, fmt.Errorf("flag -levels %d < 0", f.levels)
	}
	if f.levels > 0 {
		if _, err := rg.NewPyramid(lat, f.b, rule, f.levels); err != nil {
			return lat, 0, nil, fmt.Errorf("flag -levels %d: %w", f.levels, err)
		}
	}
	ts, err := sim.ParseTemperatures(f.temps)
	if err != nil {
		return lat, 0, nil, fmt.Errorf("flag -T: %w", err)
	}
	betas := make([]float64, len(ts))
	for i, t := range ts {
		if !(t > 0) || math.IsInf(t, 0) {
			return lat, 0, nil, fmt.Errorf("flag -T %g: want a temperature > 0", t)
		}
		betas[i] = 1 / t
	}
	if f.samplerName != "wolff" && f.samplerName != "sw" {
		return lat, 0, nil, fmt.Errorf("flag -sampler %q: want wolff or sw", f.samplerName)
	}
	switch {
	case f.therm < 0:
		return lat, 0, nil, fmt.Errorf("flag -therm %d < 0", f.therm)
	case f.chains < 1:
		return lat, 0, nil, fmt.Errorf("flag -chains %d < 1", f.chains)
	case f.samples < f.chains*64:
		return lat, 0, nil, fmt.Errorf("flag -samples %d: want at least 64 per chain (%d), for the jackknife blocks", f.samples, 64*f.chains)
	}
	return lat, rule, betas, nil
}

// rgParse parses the flags; ok is false when the command should return rc.
func rgParse(fs *flag.FlagSet, args []string, stderr io.Writer) (rc int, ok bool) {
	fs.SetOutput(stderr)
	pos, err := parseInterspersed(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		return exitOK, false
	}
	if err != nil {
		return exitUsage, false
	}
	if len(pos) > 0 {
		fmt.Fprintf(stderr, "deepglass rg %s: unexpected argument %q\n", fs.Name(), pos[0])
		return exitUsage, false
	}
	return 0, true
}

// rgFinish writes and prints the summary and maps err to an exit status.
func rgFinish(name string, f *rgFlags, doc any, table func() string, err error, stdout, stderr io.Writer) int {
	if err != nil {
		if errors.Is(err, context.Canceled) {
			fmt.Fprintf(stderr, "deepglass rg %s: interrupted\n", name)
			return exitInterrupted
		}
		fmt.Fprintf(stderr, "deepglass rg %s: %v\n", name, err)
		return exitError
	}
	b, err := analysis.MarshalJSONIndent(doc, "", "  ") // NaN and ±Inf (a frozen or undefined estimate) as null
	if err != nil {
		fmt.Fprintf(stderr, "deepglass rg %s: %v\n", name, err)
		return exitError
	}
	if f.out != "" {
		if err := os.MkdirAll(f.out, 0o755); err != nil {
			fmt.Fprintf(stderr, "deepglass rg %s: %v\n", name, err)
			return exitError
		}
		path := filepath.Join(f.out, "summary.json")
		if err := sim.WriteFileAtomic(path, append(b, '\n')); err != nil {
			fmt.Fprintf(stderr, "deepglass rg %s: %v\n", name, err)
			return exitError
		}
		fmt.Fprintf(stderr, "results in %s\n", path)
	}
	if f.json {
		fmt.Fprintf(stdout, "%s\n", b)
	} else {
		fmt.Fprint(stdout, table())
	}
	return exitOK
}

// rgProgress returns the progress callback of deepglass rg name (a bar on a
// terminal, status lines otherwise; see progress) and the function that ends it.
func rgProgress(stderr io.Writer, name string) (func(done, total int64), func()) {
	p := startProgress(stderr, "deepglass rg "+name, "measurements")
	return p.Set, p.Finish
}

const mcrgUsage = `Usage: deepglass rg mcrg [flags]

Swendsen's Monte Carlo renormalization group (PRL 42, 859 (1979)): samples the Ising
model at T, blocks every configuration -levels times, measures even operators (nn,
diagonal, plaquette, distance-2, knight on the square lattice) and odd ones
(magnetization, triangle, line3) on every level, and from their correlations between
successive levels estimates the linearized RG matrix T = B⁻¹A; its leading
eigenvalue λ gives y = ln λ / ln b. y_T uses the first -couplings even operators,
y_H the first -odd-couplings odd ones; summary.json also has every number of
couplings (y_T_by_couplings[k] uses k+1). Errors: jackknife over 64 blocks.
Exact 2D Ising values: y_T = 1, y_H = 15/8 (T_c = 2.269185314213022).

Flags:
`

func cmdRGMCRG(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("mcrg", mcrgUsage, stderr)
	var f rgFlags
	f.register(fs, "2.269185314213022")
	couplings := fs.Int("couplings", 0, "even couplings of the headline y_T (default: all)")
	odd := fs.Int("odd-couplings", 1, "odd couplings of the headline y_H")
	if rc, ok := rgParse(fs, args, stderr); !ok {
		return rc
	}
	lat, rule, betas, err := f.check()
	if err == nil && len(betas) != 1 {
		err = fmt.Errorf("flag -T %q: want one temperature", f.temps)
	}
	if err == nil {
		even, oddOps := rg.Operators(lat.Dim)
		if *couplings < 0 || *couplings > len(even) {
			err = fmt.Errorf("flag -couplings %d: want 1 to %d on %v", *couplings, len(even), lat)
		} else if *odd < 1 || *odd > len(oddOps) {
			err = fmt.Errorf("flag -odd-couplings %d: want 1 to %d on %v", *odd, len(oddOps), lat)
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "deepglass rg mcrg: %v\n", err)
		return exitUsage
	}
	m := rg.MCRG{Lattice: lat, Beta: betas[0], B: f.b, Rule: rule, Levels: f.levels, Couplings: *couplings,
		OddCouplings: *odd, Sampler: f.samplerName, Therm: f.therm, Measurements: f.samples, Chains: f.chains,
		Threads: f.threads, Seed: f.seed}
	m.Defaults()
	if err := m.Validate(); err != nil {
		fmt.Fprintf(stderr, "deepglass rg mcrg: invalid flags: %v\n", err)
		return exitUsage
	}
	var done func()
	m.Progress, done = rgProgress(stderr, "mcrg")
	res, err := m.Run(ctx)
	done()
	var doc any
	table := func() string { return "" }
	if res != nil {
		doc = struct {
			Version  string  `json:"version"`
			Revision string  `json:"revision,omitempty"`
			T        float64 `json:"T"`
			*rg.MCRGResult
		}{sim.Version, sim.Revision(), 1 / m.Beta, res}
		table = func() string {
			return fmt.Sprintf("MCRG %v at T = %g (%s, b = %d), %d measurements, %.1f s\n%s",
				lat, 1/m.Beta, m.Rule, m.B, m.Measurements, res.Seconds, res.Table())
		}
	}
	return rgFinish("mcrg", &f, doc, table, err, stdout, stderr)
}

const blockUsage = `Usage: deepglass rg block [flags]

Block-spin flow: samples the Ising model at each temperature of -T, blocks the
configurations -levels times and prints, per temperature and level, the side L of the
blocked lattice, the Binder cumulant U4 = 1 − <m⁴>/(3<m²>²), <|m|> and the
nearest-neighbour energy per spin of the block spins, with jackknife errors. At T_c
U4 stays near U* = 0.61069 (2D periodic square); below T_c it flows to 2/3, above to 0.

Flags:
`

func cmdRGBlock(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("block", blockUsage, stderr)
	var f rgFlags
	f.register(fs, "2,2.269185314213022,3")
	if rc, ok := rgParse(fs, args, stderr); !ok {
		return rc
	}
	lat, rule, betas, err := f.check()
	if err != nil {
		fmt.Fprintf(stderr, "deepglass rg block: %v\n", err)
		return exitUsage
	}
	b := rg.BlockFlow{Lattice: lat, Betas: betas, B: f.b, Rule: rule, Levels: f.levels, Sampler: f.samplerName,
		Therm: f.therm, Measurements: f.samples, Chains: f.chains, Threads: f.threads, Seed: f.seed}
	b.Defaults()
	if err := b.Validate(); err != nil {
		fmt.Fprintf(stderr, "deepglass rg block: invalid flags: %v\n", err)
		return exitUsage
	}
	var done func()
	b.Progress, done = rgProgress(stderr, "block")
	res, err := b.Run(ctx)
	done()
	var doc any
	table := func() string { return "" }
	if res != nil {
		doc = struct {
			Version  string `json:"version"`
			Revision string `json:"revision,omitempty"`
			*rg.BlockFlowResult
		}{sim.Version, sim.Revision(), res}
		table = func() string {
			return fmt.Sprintf("block-spin flow on %v (%s, b = %d), %d measurements per T, %.1f s\n%s",
				lat, b.Rule, b.B, b.Measurements, res.Seconds, res.Table())
		}
	}
	return rgFinish("block", &f, doc, table, err, stdout, stderr)
}
