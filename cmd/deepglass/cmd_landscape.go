package main

import (
	"context"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/deepglass/deepglass/analysis"
	"github.com/deepglass/deepglass/landscape"
	"github.com/deepglass/deepglass/models"
	"github.com/deepglass/deepglass/sampler"
	"github.com/deepglass/deepglass/sim"
)

const landscapeUsage = `Usage: deepglass landscape -model NAME [model flags] [flags]

Maps the energy landscape of a spin model: its single-flip local minima, the share of
states (or quenches) that drain into each by steepest descent, and the lowest barriers
between them. For N ≤ 20 (or -mode exact, N ≤ 24) every one of the 2^N states is visited
and the result is exact: the disconnectivity graph comes from a union-find over the
states in order of energy. For larger N (or -mode sample) configurations drawn by
parallel tempering (-method pt) or short anneals (-method anneal) are quenched, and the
minima they end in are collected; barriers then need enumeration and are not reported.

With -out DIR it writes summary.json (its "landscape" object: minima — both states of a
± pair counted —, ground_energy per spin, ground_basin, barriers per spin), minima.csv
and landscape.png/.svg (the disconnectivity graph of the -top lowest minima beside the
funnel plot: energy of each minimum against its overlap with the reference state, the
ground state unless the model has a native state or a planted pattern). -json prints
summary.json.

Models (disorder from the stream (seed, disorder, -sample)):
  ising -lattice square:L [-field h]    ea -lattice L [-bonds pm|gauss]
  sk -N n [-J0 j0] [-bonds]              planted -N n -J0 j0 [-bonds]   (reference: ξ)
  hopfield -N n -patterns P              mattis -N n                    (reference: ξ¹)
  rem -N n [-J j]                        grem -levels 10,10 -shares 0.8,0.2 [-J j]
  pspin -N n -p p [-degree c] [-J j]     funnel -N n -epsilon ε [-J j]  (reference: native)
  graph -couplings FILE (edge list or G-set; -couplings implies graph)

Examples:
  deepglass landscape -model sk -N 18 -out runs/sk18
  deepglass landscape -model funnel -N 16 -epsilon 1.1 -json
  deepglass landscape -model planted -N 64 -J0 1.5 -method anneal -quenches 2000

Flags:
`

// landscapeFlags are the flags of deepglass landscape.
type landscapeFlags struct {
	model, lattice, couplings, bonds, levels, shares, mode, method, temps, out string
	n, patterns, p, degree, sample, quenches, therm, every, top, threads       int
	j0, j, field, epsilon                                                      float64
	seed                                                                       uint64
	json                                                                       bool
}

func (f *landscapeFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.model, "model", "sk", "model: ising, ea, sk, planted, hopfield, mattis, rem, grem, pspin, funnel, graph")
	fs.StringVar(&f.lattice, "lattice", "square:4", "lattice of ising and ea: square:L, cubic:L or chain:L")
	fs.StringVar(&f.couplings, "couplings", "", "coupling file (edge list `i j J` or G-set); implies -model graph")
	fs.StringVar(&f.bonds, "bonds", "gauss", "bond distribution of ea, sk and planted: pm or gauss")
	fs.IntVar(&f.n, "N", 16, "number of spins (sk, planted, hopfield, mattis, rem, pspin, funnel)")
	fs.Float64Var(&f.j0, "J0", 0, "mean coupling J0 (sk: J0/N; planted: the pattern's strength)")
	fs.Float64Var(&f.j, "J", 1, "energy scale J of rem, grem, pspin and funnel (variance N J²/2)")
	fs.Float64Var(&f.field, "field", 0, "uniform field of ising")
	fs.IntVar(&f.patterns, "patterns", 2, "number of stored patterns of hopfield")
	fs.IntVar(&f.p, "p", 3, "order p of the p-spin interactions (p ≥ 2; 2 is SK)")
	fs.IntVar(&f.degree, "degree", 0, "terms per spin of a diluted p-spin model (0: dense)")
	fs.StringVar(&f.levels, "levels", "8,8", "spins per level of grem, comma-separated")
	fs.StringVar(&f.shares, "shares", "0.5,0.5", "variance share per level of grem, summing to 1")
	fs.Float64Var(&f.epsilon, "epsilon", 1, "stability ε of the funnel's native state (energy −Nε)")
	fs.IntVar(&f.sample, "sample", 0, "disorder sample (instance) index")
	fs.Uint64Var(&f.seed, "seed", 1, "random seed")
	fs.StringVar(&f.mode, "mode", "auto", "auto (exact for N ≤ 20), exact (N ≤ 24) or sample")
	fs.StringVar(&f.method, "method", "pt", "sampling method: pt (quench tempering configurations) or anneal")
	fs.IntVar(&f.quenches, "quenches", 1000, "quenches of the sampled mode")
	fs.StringVar(&f.temps, "T", "", "PT temperatures, e.g. 0.2:2:16 (default: geometric over the model's energy scale)")
	fs.IntVar(&f.therm, "therm", 1000, "PT sweeps before the first quench")
	fs.IntVar(&f.every, "every", 10, "PT sweeps between rounds of quenches")
	fs.IntVar(&f.top, "top", 60, "minima drawn in the disconnectivity graph (the lowest)")
	fs.IntVar(&f.threads, "threads", 0, "goroutines for anneals (0: all cores); results do not depend on it")
	fs.StringVar(&f.out, "out", "", "directory for summary.json, minima.csv and landscape.png (default: write no files)")
	fs.BoolVar(&f.json, "json", false, "print summary.json to stdout instead of a table")
}

// landscapeFor returns the command that maps the landscapes of -model name when a
// model's landscape lives in another file (spherical spins), or nil for the Ising-spin
// models of this file.
func landscapeFor(model string) func(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if model == "spherical" {
		return landscapeSpherical
	}
	return nil
}

// modelArg returns the value of -model in args, if any.
func modelArg(args []string) string {
	for k, a := range args {
		name, val, hasVal := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !strings.HasPrefix(a, "-") || name != "model" {
			continue
		}
		if hasVal {
			return val
		}
		if k+1 < len(args) {
			return args[k+1]
		}
	}
	return ""
}

func cmdLandscape(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if run := landscapeFor(modelArg(args)); run != nil {
		return run(ctx, args, stdout, stderr)
	}
	fs := newFlagSet("landscape", landscapeUsage, stderr)
	var f landscapeFlags
	f.register(fs)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(stdout)
			fs.Usage()
			return exitOK
		}
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "deepglass landscape: unexpected argument %q\n", fs.Arg(0))
		return exitUsage
	}
	set := map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { set[fl.Name] = true })
	if f.couplings != "" {
		if set["model"] && f.model != "graph" {
			fmt.Fprintf(stderr, "deepglass landscape: -couplings implies -model graph, not %q\n", f.model)
			return exitUsage
		}
		f.model = "graph"
	}
	m, ref, refName, err := f.build()
	if err != nil {
		fmt.Fprintf(stderr, "deepglass landscape: %v\n", err)
		return exitUsage
	}
	exact, err := f.exact(m.N())
	if err != nil {
		fmt.Fprintf(stderr, "deepglass landscape: %v\n", err)
		return exitUsage
	}
	opts := landscape.SampleOptions{Method: f.method, Quenches: f.quenches, Therm: f.therm, Every: f.every,
		Seed: f.seed, Reference: ref, Workers: f.threads}
	if !exact {
		if f.method != landscape.MethodPT && f.method != landscape.MethodAnneal {
			fmt.Fprintf(stderr, "deepglass landscape: flag -method %q: want pt or anneal\n", f.method)
			return exitUsage
		}
		if f.quenches < 1 || f.therm < 0 || f.every < 1 {
			fmt.Fprintf(stderr, "deepglass landscape: flags -quenches, -every must be ≥ 1 and -therm ≥ 0\n")
			return exitUsage
		}
		if f.temps != "" {
			ts, err := sim.ParseTemperatures(f.temps)
			if err != nil {
				fmt.Fprintf(stderr, "deepglass landscape: flag -T: %v\n", err)
				return exitUsage
			}
			for _, t := range ts {
				if !(t > 0) || math.IsInf(t, 0) {
					fmt.Fprintf(stderr, "deepglass landscape: flag -T %g: want temperatures > 0\n", t)
					return exitUsage
				}
			}
			opts.Betas = sampler.BetasFromTemperatures(ts)
		}
	}
	if f.top < 1 {
		fmt.Fprintf(stderr, "deepglass landscape: flag -top %d < 1\n", f.top)
		return exitUsage
	}
	start := time.Now()
	var l *landscape.Landscape
	if exact {
		l, err = landscape.Enumerate(ctx, m, ref)
	} else {
		l, err = landscape.Sample(ctx, m, opts)
	}
	if err != nil {
		if ctx.Err() != nil {
			fmt.Fprintln(stderr, "deepglass landscape: interrupted")
			return exitInterrupted
		}
		fmt.Fprintf(stderr, "deepglass landscape: %v\n", err)
		return exitError
	}
	sum := newLandscapeSummary(&f, m, l, refName, time.Since(start))
	b, err := analysis.MarshalJSONIndent(sum, "", "  ")
	if err != nil {
		fmt.Fprintf(stderr, "deepglass landscape: %v\n", err)
		return exitError
	}
	if f.out != "" {
		if err := writeLandscape(f.out, b, l, f.top, sum.Model); err != nil {
			fmt.Fprintf(stderr, "deepglass landscape: %v\n", err)
			return exitError
		}
		fmt.Fprintf(stderr, "results in %s\n", f.out)
	}
	if f.json {
		fmt.Fprintf(stdout, "%s\n", b)
	} else {
		fmt.Fprint(stdout, sum.table(l))
	}
	return exitOK
}

// exact decides between enumeration and sampling.
func (f *landscapeFlags) exact(n int) (bool, error) {
	switch f.mode {
	case "auto":
		return n <= 20, nil
	case "exact":
		if n > landscape.MaxExactN {
			return false, fmt.Errorf("flag -mode exact: N = %d, enumeration needs N ≤ %d (use -mode sample)", n, landscape.MaxExactN)
		}
		return true, nil
	case "sample":
		return false, nil
	}
	return false, fmt.Errorf("flag -mode %q: want auto, exact or sample", f.mode)
}

// build returns the model, the reference state (nil: the ground state) and its name.
func (f *landscapeFlags) build() (models.Model, []int8, string, error) {
	rng := rand.New(sampler.NewStream(f.seed, sampler.PurposeDisorder, f.sample, 0))
	needN := func(lo, hi int) error {
		if f.n < lo || f.n > hi {
			return fmt.Errorf("flag -N %d: model %s needs %d ≤ N ≤ %d", f.n, f.model, lo, hi)
		}
		return nil
	}
	positiveJ := func() error {
		if !(f.j > 0) || math.IsInf(f.j, 0) {
			return fmt.Errorf("flag -J %v: want a finite J > 0", f.j)
		}
		return nil
	}
	if f.sample < 0 {
		return nil, nil, "", fmt.Errorf("flag -sample %d < 0", f.sample)
	}
	const maxDense = 1 << 14
	switch f.model {
	case "ising", "ea":
		l, err := models.ParseLattice(f.lattice)
		if err != nil {
			return nil, nil, "", fmt.Errorf("flag -lattice: %w", err)
		}
		if f.model == "ising" {
			return models.NewIsing(l, 1, f.field), nil, "ground state", nil
		}
		b, err := models.ParseBondDist(f.bonds)
		if err != nil {
			return nil, nil, "", fmt.Errorf("flag -bonds: %w", err)
		}
		return models.NewEA(l, b, rng), nil, "ground state", nil
	case "sk", "planted":
		if err := needN(2, maxDense); err != nil {
			return nil, nil, "", err
		}
		b, err := models.ParseBondDist(f.bonds)
		if err != nil {
			return nil, nil, "", fmt.Errorf("flag -bonds: %w", err)
		}
		if math.IsNaN(f.j0) || math.IsInf(f.j0, 0) {
			return nil, nil, "", fmt.Errorf("flag -J0 %v: want a finite number", f.j0)
		}
		if f.model == "sk" {
			return models.NewSK(f.n, f.j0, b, rng), nil, "ground state", nil
		}
		d, xi := models.NewPlanted(f.n, f.j0, b, rng)
		return d, xi, "planted pattern", nil
	case "hopfield", "mattis":
		if err := needN(2, maxDense); err != nil {
			return nil, nil, "", err
		}
		p := f.patterns
		if f.model == "mattis" {
			p = 1
		}
		if p < 1 {
			return nil, nil, "", fmt.Errorf("flag -patterns %d < 1", p)
		}
		pats := models.RandomPatterns(p, f.n, rng)
		return models.NewHopfield(pats), pats[0], "pattern 1", nil
	case "rem":
		if err := needN(1, models.MaxIndexN); err != nil {
			return nil, nil, "", err
		}
		if err := positiveJ(); err != nil {
			return nil, nil, "", err
		}
		return models.NewREM(f.n, f.j, rng), nil, "ground state", nil
	case "grem":
		spins, err := parseInts(f.levels)
		if err != nil {
			return nil, nil, "", fmt.Errorf("flag -levels: %w", err)
		}
		shares, err := parseFloats(f.shares)
		if err != nil {
			return nil, nil, "", fmt.Errorf("flag -shares: %w", err)
		}
		if err := models.ValidateGREM(spins, shares); err != nil {
			return nil, nil, "", fmt.Errorf("flags -levels, -shares: %w", err)
		}
		if err := positiveJ(); err != nil {
			return nil, nil, "", err
		}
		return models.NewGREM(spins, shares, f.j, rng), nil, "ground state", nil
	case "pspin":
		if err := models.ValidatePSpin(f.n, f.p, f.degree); err != nil {
			return nil, nil, "", fmt.Errorf("flags -N, -p, -degree: %w", err)
		}
		if err := positiveJ(); err != nil {
			return nil, nil, "", err
		}
		if f.degree > 0 {
			return models.NewDilutedPSpin(f.n, f.p, f.degree, f.j, rng), nil, "ground state", nil
		}
		return models.NewPSpin(f.n, f.p, f.j, rng), nil, "ground state", nil
	case "funnel":
		if err := needN(1, models.MaxIndexN); err != nil {
			return nil, nil, "", err
		}
		if err := positiveJ(); err != nil {
			return nil, nil, "", err
		}
		if math.IsNaN(f.epsilon) || math.IsInf(f.epsilon, 0) {
			return nil, nil, "", fmt.Errorf("flag -epsilon %v: want a finite number", f.epsilon)
		}
		fu := models.NewFunnel(f.n, f.j, f.epsilon, rng)
		return fu, fu.Native(), "native state", nil
	case "graph":
		if f.couplings == "" {
			return nil, nil, "", errors.New("model graph needs -couplings FILE")
		}
		m, _, err := models.ReadCouplings(f.couplings)
		if err != nil {
			return nil, nil, "", fmt.Errorf("flag -couplings: %w", err)
		}
		return m, nil, "ground state", nil
	case "spherical":
		return nil, nil, "", errors.New("model spherical: spherical landscapes are not built into this deepglass")
	}
	return nil, nil, "", fmt.Errorf("flag -model: unknown model %q (want ising, ea, sk, planted, hopfield, mattis, rem, grem, pspin, funnel or graph)", f.model)
}

func parseInts(s string) ([]int, error) {
	var out []int
	for _, x := range strings.Split(s, ",") {
		v, err := strconv.Atoi(strings.TrimSpace(x))
		if err != nil {
			return nil, fmt.Errorf("%q is not an integer", x)
		}
		out = append(out, v)
	}
	return out, nil
}

func parseFloats(s string) ([]float64, error) {
	var out []float64
	for _, x := range strings.Split(s, ",") {
		v, err := strconv.ParseFloat(strings.TrimSpace(x), 64)
		if err != nil {
			return nil, fmt.Errorf("%q is not a number", x)
		}
		out = append(out, v)
	}
	return out, nil
}

// landscapeSummary is summary.json of deepglass landscape. Energies are per spin.
type landscapeSummary struct {
	Version   string          `json:"version"`
	Revision  string          `json:"revision,omitempty"`
	Model     string          `json:"model"`
	Instance  string          `json:"instance"`
	N         int             `json:"n"`
	Seed      uint64          `json:"seed"`
	Sample    int             `json:"sample"`
	Landscape landscapeResult `json:"landscape"`
	Perf      struct {
		Seconds float64 `json:"seconds"`
	} `json:"perf"`
}

// landscapeResult is the "landscape" object of summary.json.
type landscapeResult struct {
	// Method is "exact", or the sampling method "pt" or "anneal".
	Method string `json:"method"`
	// States (exact) or Quenches (sampled): what the basins are shares of.
	States   int64 `json:"states,omitempty"`
	Quenches int64 `json:"quenches,omitempty"`
	// Minima counts the single-flip local minima, both states of a ± pair counted.
	Minima    int  `json:"minima"`
	Symmetric bool `json:"symmetric"`
	// GroundEnergy is the lowest minimum's energy per spin; GroundBasin the share of
	// states or quenches that end in it (or its mirror image, for a symmetric model).
	GroundEnergy jnum `json:"ground_energy"`
	GroundBasin  jnum `json:"ground_basin"`
	// Reference names the state overlaps are taken with; ReferenceBasin is the basin of
	// the minimum nearest it, ReferenceOverlap the overlap of the lowest minimum with it.
	Reference        string `json:"reference"`
	ReferenceBasin   jnum   `json:"reference_basin"`
	ReferenceOverlap jnum   `json:"reference_overlap"`
	// Barriers summarises, per spin, the lowest barriers from each minimum to a lower
	// one (exact landscapes only; null when sampled).
	Barriers *landscapeBarriers `json:"barriers"`
	// Lowest lists the lowest minima (at most 20).
	Lowest []landscapeMinimum `json:"lowest"`
}

type landscapeBarriers struct {
	Mean   jnum `json:"mean"`
	Max    jnum `json:"max"`
	Second jnum `json:"second_lowest_minimum"`
	Count  int  `json:"minima"`
}

type landscapeMinimum struct {
	Energy  jnum `json:"energy"`
	Basin   jnum `json:"basin"`
	Overlap jnum `json:"overlap"`
	Barrier jnum `json:"barrier"`
}

func newLandscapeSummary(f *landscapeFlags, m models.Model, l *landscape.Landscape, refName string, d time.Duration) *landscapeSummary {
	n := float64(l.N)
	s := &landscapeSummary{Version: sim.Version, Revision: sim.Revision(), Model: f.model, Instance: fmt.Sprint(m),
		N: l.N, Seed: f.seed, Sample: f.sample}
	s.Perf.Seconds = d.Seconds()
	r := &s.Landscape
	r.Method = "exact"
	if l.Exact {
		r.States = l.Total
	} else {
		r.Method = l.Method
		r.Quenches = l.Total
	}
	r.Minima = l.Count()
	r.Symmetric = l.Symmetric
	r.GroundEnergy = jnum(l.Ground().Energy / n)
	r.GroundBasin = jnum(l.GroundBasin())
	r.Reference = refName
	best, bq := 0, math.Inf(-1)
	for k, mn := range l.Minima {
		if mn.Overlap > bq {
			best, bq = k, mn.Overlap
		}
	}
	r.ReferenceBasin = jnum(l.Minima[best].Basin)
	r.ReferenceOverlap = jnum(l.Ground().Overlap)
	if l.Exact {
		b := l.Barriers()
		r.Barriers = &landscapeBarriers{Mean: jnum(b.Mean / n), Max: jnum(b.Max / n), Second: jnum(b.Second / n), Count: b.Minima}
	}
	for k, mn := range l.Minima {
		if k == 20 {
			break
		}
		r.Lowest = append(r.Lowest, landscapeMinimum{Energy: jnum(mn.Energy / n), Basin: jnum(mn.Basin), Overlap: jnum(mn.Overlap), Barrier: jnum(mn.Barrier() / n)})
	}
	return s
}

// table renders the summary and the lowest minima.
func (s *landscapeSummary) table(l *landscape.Landscape) string {
	var b strings.Builder
	r := s.Landscape
	fmt.Fprintf(&b, "%s: %s landscape", s.Instance, r.Method)
	if r.States > 0 {
		fmt.Fprintf(&b, " (%d states)\n", r.States)
	} else {
		fmt.Fprintf(&b, " (%d quenches)\n", r.Quenches)
	}
	fmt.Fprintf(&b, "minima %d, ground energy %.6g per spin, ground basin %.4g, reference %s (basin %.4g)\n",
		r.Minima, float64(r.GroundEnergy), float64(r.GroundBasin), r.Reference, float64(r.ReferenceBasin))
	if r.Barriers != nil {
		fmt.Fprintf(&b, "barriers per spin: mean %.4g, max %.4g, second-lowest minimum %.4g\n",
			float64(r.Barriers.Mean), float64(r.Barriers.Max), float64(r.Barriers.Second))
	}
	w := tabwriter.NewWriter(&b, 2, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(w, "rank\tenergy/N\tbasin\toverlap\tbarrier/N\t")
	for k, mn := range r.Lowest {
		if k == 10 {
			break
		}
		fmt.Fprintf(w, "%d\t%.6f\t%.4g\t%.3f\t%.4g\t\n", k+1, float64(mn.Energy), float64(mn.Basin), float64(mn.Overlap), float64(mn.Barrier))
	}
	w.Flush()
	return b.String()
}

// writeLandscape writes summary.json, minima.csv and landscape.png/.svg into dir.
func writeLandscape(dir string, summary []byte, l *landscape.Landscape, top int, model string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := sim.WriteFileAtomic(filepath.Join(dir, "summary.json"), append(summary, '\n')); err != nil {
		return err
	}
	var sb strings.Builder
	w := csv.NewWriter(&sb)
	w.Write([]string{"energy_per_spin", "basin", "count", "overlap", "barrier_per_spin", "state"})
	n := float64(l.N)
	for _, mn := range l.Minima {
		st := make([]byte, len(mn.State))
		for i, v := range mn.State {
			st[i] = '+'
			if v < 0 {
				st[i] = '-'
			}
		}
		w.Write([]string{fmtG(mn.Energy / n), fmtG(mn.Basin), strconv.FormatInt(mn.Count, 10), fmtG(mn.Overlap), fmtG(mn.Barrier() / n), string(st)})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	if err := sim.WriteFileAtomic(filepath.Join(dir, "minima.csv"), []byte(sb.String())); err != nil {
		return err
	}
	fig, err := l.Figure(fmt.Sprintf("landscape of %s", model), top)
	if err != nil {
		return err
	}
	if err := fig.WritePNG(filepath.Join(dir, "landscape.png")); err != nil {
		return err
	}
	return fig.WriteSVG(filepath.Join(dir, "landscape.svg"))
}

func fmtG(x float64) string { return strconv.FormatFloat(x, 'g', 10, 64) }
