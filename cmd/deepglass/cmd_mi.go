package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/deepglass/deepglass/analysis"
	"github.com/deepglass/deepglass/analysis/mi"
	"github.com/deepglass/deepglass/analysis/plot"
	"github.com/deepglass/deepglass/sim"
	"github.com/deepglass/deepglass/sim/figures"
)

const miUsage = `Usage: deepglass mi FILE|SPEC... [flags]

Mutual information I(d), in bits, between symbols d apart (Lin & Tegmark, Entropy 19,
299 (2017)), with jackknife error bars, and fits of a power law and an exponential
over a range of d compared by the Akaike criterion. For Ising configurations, the
spin–spin I(r) for pairs r apart along either lattice axis.

Inputs:
  FILE                                 a text file, cut into -unit units
  corpus:opticks|kjv|pi|e              Newton's Opticks and the digits of π and e (from
                                       GOROOT), the King James Bible (Debian: apt-get
                                       install bible-kjv bible-kjv-text)
  markov:k=2,lambda=0.8,n=1000000      a Markov chain (or P=0.9:0.1/0.2:0.8 for any
                                       matrix), with its exact I(d)
  tree:q=2,lambda=0.8,depth=16,n=32    n trees of Lin & Tegmark's tree grammar, exact I(d)
  ising:L=128,T=2.269185,n=200         2D Ising configurations from Wolff (therm=200,
                                       every=2 sweeps)

The default correction (-method shuffle+jackknife) subtracts the exact shuffled-pair
baseline and then the remaining O(1/N) bias by the block jackknife; docs/mi.md compares
it with jackknife, shuffle, grassberger and plugin. -fit dmin:dmax sets the fit range
(default: from 30 for text, 8 for trees, 1 for chains, 2 for Ising at T_c and 3 above
it, up to the last point before I(d) falls below 2σ three times running).

With -out DIR: DIR/summary.json (mi: d, I, err; fit: model, exponent, exponent_err,
dmin, dmax and both fits) and DIR/mi.png, DIR/mi.svg (log-log plot). -json prints the
summary instead of the table.

Examples:
  deepglass mi corpus:pi -dmax 1000
  deepglass mi tree:q=2,lambda=0.8,depth=16,n=32 -dmax 512 -fit 8:512
  deepglass mi ising:L=128,T=2.269185,n=400 -fit 2:16 -out runs/mi-ising
  deepglass mi corpus:kjv -unit char -dmax 2000 -fit 30:1000

Flags:
`

type miFlags struct {
	unit, method, out, fit string
	dmax, blocks, vocab    int
	seed                   uint64
	json, squeeze          bool
}

func cmdMI(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("mi", miUsage, stderr)
	var f miFlags
	fs.StringVar(&f.unit, "unit", "char", "unit of text files: byte, char (UTF-8 character), word or digit")
	fs.IntVar(&f.dmax, "dmax", 0, "largest distance (default 1000; L/2 for Ising)")
	fs.StringVar(&f.method, "method", "shuffle+jackknife", "bias correction: shuffle+jackknife, jackknife, shuffle, grassberger or plugin")
	fs.IntVar(&f.blocks, "blocks", mi.DefaultBlocks, "jackknife blocks (2…256)")
	fs.StringVar(&f.fit, "fit", "", "fit range dmin:dmax (default: see above)")
	fs.IntVar(&f.vocab, "vocab", 256, "word unit: symbols kept, the most frequent words (the rest are one symbol)")
	fs.BoolVar(&f.squeeze, "squeeze", false, "replace every run of white space in files by one space")
	fs.Uint64Var(&f.seed, "seed", 1, "random seed of generated data")
	fs.StringVar(&f.out, "out", "", "directory for summary.json and the plot (default: write no files)")
	fs.BoolVar(&f.json, "json", false, "print summary.json to stdout instead of a table")
	for _, a := range args {
		if a == "-h" || a == "-help" || a == "--help" {
			fs.SetOutput(stdout)
			fs.Usage()
			return exitOK
		}
	}
	pos, err := parseInterspersed(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	if err != nil {
		return exitUsage
	}
	method, fitMin, fitMax, err := f.check(pos)
	if err != nil {
		fmt.Fprintf(stderr, "deepglass mi: %v\n", err)
		return exitUsage
	}
	sum := miSummary{Version: sim.Version, Revision: sim.Revision(), Seed: f.seed, Method: method.String(), Blocks: f.blocks, Unit: f.unit}
	panel := plot.Panel{Title: "mutual information against distance", XLabel: "distance d (symbols or lattice spacings)",
		YLabel: "I(d) (bits)", LogX: true, LogY: true, LegendBottom: true, LegendLeft: true}
	var table strings.Builder
	for k, spec := range pos {
		in, err := figures.ParseMIInput(ctx, spec, figures.MIInputOptions{Unit: f.unit, Vocab: f.vocab, Squeeze: f.squeeze, Seed: f.seed})
		if err != nil {
			return miFail(ctx, err, stderr)
		}
		o := mi.Options{DMax: f.dmax, Blocks: f.blocks, Method: method}
		if o.DMax == 0 && in.Kind != "ising" {
			o.DMax = 1000
		}
		if in.Kind == "ising" && o.DMax >= in.L {
			fmt.Fprintf(stderr, "deepglass mi: flag -dmax %d: want < L = %d for %s\n", o.DMax, in.L, spec)
			return exitUsage
		}
		if in.Kind == "ising" {
			o.Blocks = min(o.Blocks, len(in.Configs))
		}
		r, err := in.Estimate(ctx, o)
		if err != nil {
			return miFail(ctx, fmt.Errorf("%s: %w", spec, err), stderr)
		}
		entry := newMIEntry(in, r, fitMin, fitMax)
		sum.Inputs = append(sum.Inputs, entry)
		table.WriteString(entry.table(r))
		addMISeries(&panel, k, in, r, entry)
	}
	if len(sum.Inputs) == 1 {
		sum.MI, sum.Fit = sum.Inputs[0].MI, sum.Inputs[0].Fit
	}
	b, err := analysis.MarshalJSONIndent(sum, "", "  ")
	if err != nil {
		fmt.Fprintf(stderr, "deepglass mi: %v\n", err)
		return exitError
	}
	if f.out != "" {
		if err := os.MkdirAll(f.out, 0o755); err != nil {
			fmt.Fprintf(stderr, "deepglass mi: %v\n", err)
			return exitError
		}
		if err := sim.WriteFileAtomic(filepath.Join(f.out, "summary.json"), append(b, '\n')); err != nil {
			fmt.Fprintf(stderr, "deepglass mi: %v\n", err)
			return exitError
		}
		fig := &plot.Figure{Panels: []plot.Panel{panel}, Width: 8, Height: 6}
		if err := fig.WritePNG(filepath.Join(f.out, "mi.png")); err != nil {
			fmt.Fprintf(stderr, "deepglass mi: %v\n", err)
			return exitError
		}
		if err := fig.WriteSVG(filepath.Join(f.out, "mi.svg")); err != nil {
			fmt.Fprintf(stderr, "deepglass mi: %v\n", err)
			return exitError
		}
		fmt.Fprintf(stderr, "results in %s\n", f.out)
	}
	if f.json {
		fmt.Fprintf(stdout, "%s\n", b)
	} else {
		fmt.Fprint(stdout, table.String())
	}
	return exitOK
}

// miFail reports an error of reading, generating or measuring an input: interrupted
// (exit 3; there is no state worth saving, a rerun with the same seed repeats the
// work) or an input that cannot be used (a missing file or corpus, a bad spec, data
// too short for the distances: exit 2).
func miFail(ctx context.Context, err error, stderr io.Writer) int {
	if ctx.Err() != nil && errors.Is(err, ctx.Err()) {
		fmt.Fprintln(stderr, "deepglass mi: interrupted")
		return exitInterrupted
	}
	fmt.Fprintf(stderr, "deepglass mi: %v\n", err)
	return exitUsage
}

// check validates the flags and arguments; errors name the flag.
func (f *miFlags) check(pos []string) (mi.Method, int, int, error) {
	m, err := mi.ParseMethod(f.method)
	if err != nil {
		return 0, 0, 0, fmt.Errorf("flag -method: %w", err)
	}
	switch {
	case len(pos) == 0:
		return 0, 0, 0, errors.New("no input: give a FILE or a SPEC (see -h)")
	case f.dmax < 0:
		return 0, 0, 0, fmt.Errorf("flag -dmax %d: want ≥ 1", f.dmax)
	case f.blocks < 2 || f.blocks > 256:
		return 0, 0, 0, fmt.Errorf("flag -blocks %d: want 2…256", f.blocks)
	case f.vocab < 2:
		return 0, 0, 0, fmt.Errorf("flag -vocab %d: want ≥ 2", f.vocab)
	}
	ok := false
	for _, u := range figures.MIUnits {
		ok = ok || u == f.unit
	}
	if !ok {
		return 0, 0, 0, fmt.Errorf("flag -unit %q: want %s", f.unit, strings.Join(figures.MIUnits, ", "))
	}
	lo, hi := 0, 0
	if f.fit != "" {
		a, b, found := strings.Cut(f.fit, ":")
		var e1, e2 error
		lo, e1 = strconv.Atoi(a)
		hi, e2 = strconv.Atoi(b)
		if !found || e1 != nil || e2 != nil || lo < 1 || hi < lo+2 {
			return 0, 0, 0, fmt.Errorf("flag -fit %q: want dmin:dmax with 1 ≤ dmin and dmax ≥ dmin+2", f.fit)
		}
	}
	return m, lo, hi, nil
}

// jnum is a float64 that marshals NaN and ±Inf as null (the mi and landscape
// summaries; other summaries go through analysis.MarshalJSON).
type jnum float64

func (x jnum) MarshalJSON() ([]byte, error) {
	if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
		return []byte("null"), nil
	}
	return json.Marshal(float64(x))
}

func jnums(v []float64) []jnum {
	out := make([]jnum, len(v))
	for i, x := range v {
		out[i] = jnum(x)
	}
	return out
}

type miSummary struct {
	Version  string    `json:"version"`
	Revision string    `json:"revision,omitempty"`
	Seed     uint64    `json:"seed"`
	Method   string    `json:"method"`
	Blocks   int       `json:"blocks"`
	Unit     string    `json:"unit"`
	MI       *miCurve  `json:"mi,omitempty"`
	Fit      *miFitDoc `json:"fit,omitempty"`
	Inputs   []miEntry `json:"inputs"`
}

type miCurve struct {
	D     []int   `json:"d"`
	I     []jnum  `json:"I"`
	Err   []jnum  `json:"err"`
	Raw   []jnum  `json:"raw"`
	Pairs []int64 `json:"pairs"`
	Exact []jnum  `json:"exact,omitempty"`
}

type miFitDoc struct {
	Model       string `json:"model"`
	Exponent    jnum   `json:"exponent"`
	ExponentErr jnum   `json:"exponent_err"`
	Length      jnum   `json:"length,omitempty"`
	LengthErr   jnum   `json:"length_err,omitempty"`
	DMin        int    `json:"dmin"`
	DMax        int    `json:"dmax"`
	Preferred   string `json:"preferred"`
	DeltaAIC    jnum   `json:"delta_aic"`
	Power       *miOne `json:"power"`
	Exponential *miOne `json:"exponential"`
	Error       string `json:"error,omitempty"`
	ExactExp    *jnum  `json:"exact_exponent,omitempty"`
	OZ          *miOne `json:"ornstein_zernike,omitempty"`
	Xi          *jnum  `json:"xi,omitempty"`
	XiErr       *jnum  `json:"xi_err,omitempty"`
	XiExact     *jnum  `json:"xi_exact,omitempty"`
	Note        string `json:"note,omitempty"`
}

type miOne struct {
	Exponent    jnum `json:"exponent"`
	ExponentErr jnum `json:"exponent_err"`
	Length      jnum `json:"length,omitempty"`
	LengthErr   jnum `json:"length_err,omitempty"`
	Prefactor   jnum `json:"prefactor_power,omitempty"`
	Amplitude   jnum `json:"amplitude"`
	Chi2        jnum `json:"chi2"`
	Dof         int  `json:"dof"`
	PValue      jnum `json:"p_value"`
	AIC         jnum `json:"aic"`
}

func oneFit(f mi.Fit) *miOne {
	return &miOne{jnum(f.Exponent), jnum(f.ExponentErr), jnum(f.Length), jnum(f.LengthErr), jnum(f.Prefactor),
		jnum(f.Amplitude), jnum(f.Chi2), f.Dof, jnum(f.PValue), jnum(f.AIC)}
}

type miEntry struct {
	Spec    string    `json:"spec"`
	Kind    string    `json:"kind"`
	Source  string    `json:"source"`
	Symbols int       `json:"symbols"`
	K       int       `json:"k"`
	MI      *miCurve  `json:"mi"`
	Fit     *miFitDoc `json:"fit"`
	fits    []mi.Fit  // for the plot
}

func newMIEntry(in *figures.MIInput, r *mi.Result, fitMin, fitMax int) miEntry {
	e := miEntry{Spec: in.Spec, Kind: in.Kind, Source: in.Source, K: r.K,
		MI: &miCurve{D: r.D, I: jnums(r.I), Err: jnums(r.Err), Raw: jnums(r.Raw), Pairs: r.Pairs}}
	for _, s := range in.Seqs {
		e.Symbols += len(s)
	}
	if in.Kind == "ising" {
		e.Symbols = len(in.Configs) * in.L * in.L
	}
	if in.Exact != nil {
		for _, d := range r.D {
			e.MI.Exact = append(e.MI.Exact, jnum(in.Exact(d)))
		}
	}
	lo, hi := fitMin, fitMax
	if lo == 0 {
		lo, hi = figures.MIFitRange(in, r)
	}
	doc := &miFitDoc{DMin: lo, DMax: hi}
	e.Fit = doc
	if !math.IsNaN(in.ExactExponent) {
		x := jnum(in.ExactExponent)
		doc.ExactExp = &x
	}
	c, err := mi.Compare(r, lo, hi)
	if err != nil {
		doc.Error = err.Error()
		doc.Exponent, doc.ExponentErr, doc.DeltaAIC = jnum(math.NaN()), jnum(math.NaN()), jnum(math.NaN())
		return e
	}
	best := c.Best()
	doc.Model, doc.Exponent, doc.ExponentErr = best.Model, jnum(best.Exponent), jnum(best.ExponentErr)
	if best.Model == "exponential" {
		doc.Length, doc.LengthErr = jnum(best.Length), jnum(best.LengthErr)
	}
	doc.Preferred, doc.DeltaAIC = c.Preferred, jnum(c.DeltaAIC)
	doc.Power, doc.Exponential = oneFit(c.Power), oneFit(c.Exponential)
	e.fits = []mi.Fit{best}
	if !math.IsNaN(in.ExactXi) {
		// Above T_c, G ∝ r^{−1/2} e^{−r/ξ}, so I ≈ G²/(2 ln 2) ∝ r^{−1} e^{−2r/ξ}.
		oz, err := mi.FitExponential(r, lo, hi, 1)
		if err == nil {
			doc.OZ = oneFit(oz)
			xi, xe, xx := jnum(2*oz.Length), jnum(2*oz.LengthErr), jnum(in.ExactXi)
			doc.Xi, doc.XiErr, doc.XiExact = &xi, &xe, &xx
			doc.Note = "xi from I ∝ r^-1 exp(-2r/xi) (Ornstein–Zernike form of G above T_c)"
			e.fits = []mi.Fit{oz}
		}
	}
	return e
}

func (e miEntry) table(r *mi.Result) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s; %d symbols, K = %d)\n", e.Spec, e.Source, e.Symbols, e.K)
	fmt.Fprintf(&b, "%8s  %12s  %10s  %12s\n", "d", "I (bits)", "err", "exact")
	for i, d := range r.D {
		ex := ""
		if e.MI.Exact != nil {
			ex = fmt.Sprintf("%12.5g", float64(e.MI.Exact[i]))
		}
		fmt.Fprintf(&b, "%8d  %12.5g  %10.2g  %12s\n", d, r.I[i], r.Err[i], ex)
	}
	f := e.Fit
	if f.Error != "" {
		fmt.Fprintf(&b, "fit over d = %d…%d failed: %s\n\n", f.DMin, f.DMax, f.Error)
		return b.String()
	}
	fmt.Fprintf(&b, "fit over d = %d…%d: power law exponent %.4f ± %.4f (χ² = %.4g, %d dof); exponential length %.4g ± %.2g (χ² = %.4g); ΔAIC = %.4g: %s\n",
		f.DMin, f.DMax, float64(f.Power.Exponent), float64(f.Power.ExponentErr), float64(f.Power.Chi2), f.Power.Dof,
		float64(f.Exponential.Length), float64(f.Exponential.LengthErr), float64(f.Exponential.Chi2), float64(f.DeltaAIC), f.Preferred)
	if f.ExactExp != nil {
		fmt.Fprintf(&b, "exact exponent %.4f\n", float64(*f.ExactExp))
	}
	if f.Xi != nil {
		fmt.Fprintf(&b, "correlation length ξ = %.4g ± %.2g from I ∝ r⁻¹ e^(−2r/ξ); exact %.4g\n", float64(*f.Xi), float64(*f.XiErr), float64(*f.XiExact))
	}
	b.WriteString("\n")
	return b.String()
}

func addMISeries(p *plot.Panel, k int, in *figures.MIInput, r *mi.Result, e miEntry) {
	x := make([]float64, len(r.D))
	for i, d := range r.D {
		x[i] = float64(d)
	}
	p.Series = append(p.Series, plot.Series{Name: in.Spec, X: x, Y: r.I, YErr: r.Err})
	col := plot.SeriesColor(k)
	if in.Exact != nil {
		y := make([]float64, len(r.D))
		for i, d := range r.D {
			y[i] = in.Exact(d)
		}
		p.Curves = append(p.Curves, plot.Curve{Name: "exact", X: x, Y: y, Color: col})
	}
	for _, f := range e.fits {
		var fx, fy []float64
		for i, d := range r.D {
			if d >= e.Fit.DMin && d <= e.Fit.DMax {
				fx, fy = append(fx, x[i]), append(fy, f.Eval(x[i]))
			}
		}
		p.Curves = append(p.Curves, plot.Curve{Name: fmt.Sprintf("fit: %s", shortFit(f)), X: fx, Y: fy, Dashed: true, Color: col})
	}
}

func shortFit(f mi.Fit) string {
	if f.Model == "power" {
		return fmt.Sprintf("d^%.3f", f.Exponent)
	}
	if f.Prefactor != 0 {
		return fmt.Sprintf("d^-%g e^(-d/%.3g)", f.Prefactor, f.Length)
	}
	return fmt.Sprintf("e^(-d/%.3g)", f.Length)
}
