package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/deepglass/deepglass/analysis/plot"
	"github.com/deepglass/deepglass/learn"
	"github.com/deepglass/deepglass/sim"
	"github.com/deepglass/deepglass/spectra"
)

const spectraUsage = `Usage: deepglass spectra FILE|DIR ... [flags]

Heavy-tailed self-regularization (Martin & Mahoney, JMLR 22 (2021)): the empirical
spectral density (ESD, λ = σ² of each weight matrix, WeightWatcher's convention) of
every weight matrix found, its power-law fit (WeightWatcher's default: continuous MLE,
xmin by the smallest KS distance over all candidates), the Marchenko–Pastur fit and
WeightWatcher's metrics, with bootstrap error bars, a fit-quality verdict (KS p-value by
the Clauset–Shalizi–Newman bootstrap, likelihood ratios against the exponential, the
lognormal and the truncated power law) and, with -randomize, correlation traps.

Inputs:
  FILE.npy            one tensor (any float or integer dtype); 2-D: a dense layer,
                      4-D: a convolution kernel split into its k² slices
  FILE.safetensors    every tensor of the file (F64, F32, F16, BF16, integers)
  MODEL.json          a deepglass RBM (deepglass train: model.json + model.npy)
  DIR                 every such file below DIR: a run directory, a DBN directory (one
                      RBM file pair per layer) or an MLP model/ directory of NPY files
1-D tensors (biases) are skipped; matrices with fewer than -min-evals eigenvalues
(e.g. 1×N) are listed as skipped.

Writes DIR/summary.json ("layers": one object per matrix, with name, alpha, alpha_err,
xmin, D, num_pl_spikes, lambda_max, mp_edge, warnings and WeightWatcher's other metrics
under its names; "summary": means over layers), DIR/layers.csv and, with -plot,
DIR/plots/NAME.png (log-log ESD with the power-law fit, ESD with the MP fit, D and α
against xmin). Warnings: over-trained (α < 2) and under-trained (α > 6) as
WeightWatcher's, and every failed or doubtful fit.

Examples:
  deepglass spectra runs/20250101-120000-train -bootstrap 200 -randomize -plot
  deepglass spectra model.safetensors -json
  deepglass spectra W1.npy W2.npy -fingers clip_xmax -csv

Flags:
`

type spectraFlags struct {
	out, method, fingers, conv, resample string
	bootstrap, gof, minEvals             int
	xminMax                              float64
	seed                                 uint64
	json, csv, plot, randomize, tpl      bool
}

func (f *spectraFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.out, "out", "", "output directory (default runs/DATE-TIME-spectra)")
	fs.BoolVar(&f.json, "json", false, "print summary.json to stdout instead of a table")
	fs.BoolVar(&f.csv, "csv", false, "print layers.csv to stdout instead of a table")
	fs.BoolVar(&f.plot, "plot", false, "write ESD plots to DIR/plots")
	fs.IntVar(&f.bootstrap, "bootstrap", 100, "bootstrap replicates for the error bars (0: α's error is the asymptotic σ, no others)")
	fs.StringVar(&f.resample, "resample", "eigenvalues", "what the bootstrap resamples: eigenvalues or rows (one SVD per replicate)")
	fs.IntVar(&f.gof, "gof", 100, "synthetic samples for the KS p-value (0: none)")
	fs.Uint64Var(&f.seed, "seed", 1, "random seed (bootstrap, p-value, shuffles)")
	fs.BoolVar(&f.randomize, "randomize", false, "shuffle each matrix: correlation traps, rand_distance")
	fs.StringVar(&f.method, "method", "auto", "eigenvalues by svd, gram (WᵀW) or auto")
	fs.StringVar(&f.fingers, "fingers", "none", "WeightWatcher's fix_fingers: none, xmin_peak or clip_xmax")
	fs.Float64Var(&f.xminMax, "xmin-max", 0, "upper end of the xmin range for -fingers xmin_peak (default 1.5 × the ESD's peak)")
	fs.StringVar(&f.conv, "conv", "pooled", "convolution kernels: pooled (one ESD of the k² slices) or slices (one layer each)")
	fs.BoolVar(&f.tpl, "tpl", false, "also fit the truncated power law x^−α e^−λx at the same xmin")
	fs.IntVar(&f.minEvals, "min-evals", 10, "skip matrices with fewer eigenvalues")
}

// options checks the flags; errors name the flag.
func (f *spectraFlags) options() (spectra.Options, spectra.ConvMode, error) {
	var o spectra.Options
	m, err := spectra.ParseMethod(f.method)
	if err != nil {
		return o, 0, fmt.Errorf("flag -method: %w", err)
	}
	fi, err := spectra.ParseFingers(f.fingers)
	if err != nil {
		return o, 0, fmt.Errorf("flag -fingers: %w", err)
	}
	rs, err := spectra.ParseResample(f.resample)
	if err != nil {
		return o, 0, fmt.Errorf("flag -resample: %w", err)
	}
	var conv spectra.ConvMode
	switch f.conv {
	case "pooled":
	case "slices":
		conv = spectra.ConvSlices
	default:
		return o, 0, fmt.Errorf("flag -conv %q: want pooled or slices", f.conv)
	}
	switch {
	case f.bootstrap < 0 || f.bootstrap == 1:
		return o, 0, fmt.Errorf("flag -bootstrap %d: want 0 or ≥ 2", f.bootstrap)
	case f.gof < 0:
		return o, 0, fmt.Errorf("flag -gof %d: want ≥ 0", f.gof)
	case f.minEvals < 2:
		return o, 0, fmt.Errorf("flag -min-evals %d: want ≥ 2", f.minEvals)
	case !(f.xminMax >= 0) || math.IsInf(f.xminMax, 0):
		return o, 0, fmt.Errorf("flag -xmin-max %v: want a finite value ≥ 0", f.xminMax)
	case f.csv && f.json:
		return o, 0, errors.New("flags -json and -csv: choose one")
	}
	o = spectra.Options{Method: m, Fingers: fi, XminMax: f.xminMax, Truncated: f.tpl, Bootstrap: f.bootstrap, Resample: rs,
		GOF: f.gof, Randomize: f.randomize, Seed: f.seed, MinEvals: f.minEvals}
	if f.plot {
		o.ScanPoints = 200
	}
	return o, conv, nil
}

// spectraSummary is summary.json of `deepglass spectra` (fields may be added, never
// renamed).
type spectraSummary struct {
	Version  string            `json:"version"`
	Revision string            `json:"revision,omitempty"`
	Command  string            `json:"command"` // "spectra"
	Inputs   []string          `json:"inputs"`
	Options  string            `json:"options"`
	Seed     uint64            `json:"seed"`
	LAPACK   string            `json:"lapack"`
	Layers   []*spectra.Result `json:"layers"`
	Skipped  []spectraNote     `json:"skipped"`
	Errors   []spectraNote     `json:"errors"`
	Summary  spectra.Summary   `json:"summary"`
	Perf     spectraPerf       `json:"perf"`
	Complete bool              `json:"complete"`
}

type spectraNote struct {
	Name   string `json:"name"`
	Reason string `json:"reason"`
}

type spectraPerf struct {
	Seconds     float64 `json:"seconds"`
	Eigenvalues int     `json:"eigenvalues"`
	Matrices    int     `json:"matrices"`
}

// spectraSource is one input tensor, loaded on demand (a safetensors file is read one
// tensor at a time).
type spectraSource struct {
	name string
	size int64 // elements, when known before loading (for progress)
	load func() ([]spectra.Layer, error)
}

func cmdSpectra(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("spectra", spectraUsage, stderr)
	var f spectraFlags
	f.register(fs)
	// Flags may follow the inputs: parse the arguments in turns.
	var inputs []string
	for rest := args; ; {
		if err := fs.Parse(rest); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return exitOK
			}
			return exitUsage
		}
		if fs.NArg() == 0 {
			break
		}
		inputs = append(inputs, fs.Arg(0))
		rest = fs.Args()[1:]
	}
	if len(inputs) == 0 {
		fmt.Fprint(stderr, "deepglass spectra: no input (want FILE|DIR ...); -h for help\n")
		return exitUsage
	}
	opts, conv, err := f.options()
	if err != nil {
		fmt.Fprintf(stderr, "deepglass spectra: %v\n", err)
		return exitUsage
	}
	out := f.out
	if out == "" {
		out = defaultRunDir("spectra")
	}
	sum := spectraSummary{Version: sim.Version, Revision: sim.Revision(), Command: "spectra", Inputs: inputs, Options: opts.String(),
		Seed: f.seed, LAPACK: spectra.LAPACK, Layers: []*spectra.Result{}, Skipped: []spectraNote{}, Errors: []spectraNote{}}
	var sources []spectraSource
	var closers []io.Closer
	defer func() {
		for _, c := range closers {
			c.Close()
		}
	}()
	outAbs, _ := filepath.Abs(out)
	for _, in := range inputs {
		src, cl, notes, err := collectSpectra(in, conv, outAbs)
		closers = append(closers, cl...)
		if err != nil {
			fmt.Fprintf(stderr, "deepglass spectra: %v\n", err)
			return exitUsage
		}
		sources = append(sources, src...)
		sum.Skipped = append(sum.Skipped, notes...)
	}
	if len(sources) == 0 {
		fmt.Fprintf(stderr, "deepglass spectra: no weight matrices in %s\n", strings.Join(inputs, ", "))
		return exitUsage
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		fmt.Fprintf(stderr, "deepglass spectra: %v\n", err)
		return exitError
	}
	var total int64
	for _, s := range sources {
		total += s.size
	}
	verbose := total > 4<<20 // progress lines on large inputs
	start := time.Now()
	interrupted := false
	for k, s := range sources {
		if ctx.Err() != nil {
			interrupted = true
			break
		}
		t0 := time.Now()
		layers, err := s.load()
		if err != nil {
			if errors.Is(err, spectra.ErrNotMatrix) {
				sum.Skipped = append(sum.Skipped, spectraNote{s.name, strings.TrimPrefix(err.Error(), s.name+": ")})
				continue
			}
			sum.Errors = append(sum.Errors, spectraNote{s.name, err.Error()})
			fmt.Fprintf(stderr, "deepglass spectra: %v\n", err)
			continue
		}
		for _, l := range layers {
			if verbose {
				fmt.Fprintf(stderr, "spectra: [%d/%d] %s (%d×%d ×%d)…", k+1, len(sources), l.Name, l.N, l.M, len(l.Mats))
			}
			r, err := spectra.Analyze(ctx, l, opts)
			if err != nil {
				if spectra.ErrCancelled(err) {
					interrupted = true
					break
				}
				sum.Errors = append(sum.Errors, spectraNote{l.Name, err.Error()})
				fmt.Fprintf(stderr, "deepglass spectra: %v\n", err)
				continue
			}
			sum.Layers = append(sum.Layers, r)
			sum.Perf.Eigenvalues += r.NumEvals
			sum.Perf.Matrices += len(l.Mats)
			if verbose {
				fmt.Fprintf(stderr, " α = %.3f (%.1f s)\n", r.Alpha(), time.Since(t0).Seconds())
			}
			if f.plot && r.Status == spectra.StatusSuccess {
				if err := spectraPlot(filepath.Join(out, "plots"), r); err != nil {
					fmt.Fprintf(stderr, "deepglass spectra: plot %s: %v\n", r.Name, err)
				}
			}
		}
		if interrupted {
			break
		}
	}
	sum.Summary = spectra.Summarize(sum.Layers)
	sum.Perf.Seconds = time.Since(start).Seconds()
	sum.Complete = !interrupted
	b, err := json.MarshalIndent(sum, "", "  ")
	if err != nil {
		fmt.Fprintf(stderr, "deepglass spectra: %v\n", err)
		return exitError
	}
	if err := sim.WriteFileAtomic(filepath.Join(out, "summary.json"), append(b, '\n')); err != nil {
		fmt.Fprintf(stderr, "deepglass spectra: %v\n", err)
		return exitError
	}
	var cb strings.Builder
	w := csv.NewWriter(&cb)
	w.Write(spectra.CSVHeader())
	for _, r := range sum.Layers {
		w.Write(r.CSVRow())
	}
	w.Flush()
	if err := sim.WriteFileAtomic(filepath.Join(out, "layers.csv"), []byte(cb.String())); err != nil {
		fmt.Fprintf(stderr, "deepglass spectra: %v\n", err)
		return exitError
	}
	switch {
	case f.json:
		fmt.Fprintf(stdout, "%s\n", b)
	case f.csv:
		fmt.Fprint(stdout, cb.String())
	default:
		fmt.Fprint(stdout, formatSpectra(sum))
	}
	if interrupted {
		fmt.Fprintf(stderr, "deepglass spectra: interrupted after %d layers; results so far in %s\n", len(sum.Layers), out)
		return exitInterrupted
	}
	fmt.Fprintf(stderr, "results in %s\n", out)
	if len(sum.Errors) > 0 {
		return exitUsage // invalid input: the errors are listed in summary.json
	}
	return exitOK
}

// collectSpectra finds the weight tensors of one input. It returns the sources, the
// files to close at the end, and notes on what was skipped. Unknown or malformed
// files named explicitly are errors; inside a directory, files that are not weights
// (summaries, configs, CSV) are ignored.
func collectSpectra(in string, conv spectra.ConvMode, outAbs string) ([]spectraSource, []io.Closer, []spectraNote, error) {
	st, err := os.Stat(in)
	if err != nil {
		return nil, nil, nil, err
	}
	if !st.IsDir() {
		src, cl, ok, err := spectraFile(in, conv)
		if err == nil && !ok {
			err = fmt.Errorf("%s: unknown input (want .npy, .safetensors, a deepglass model .json or a directory)", in)
		}
		return src, cl, nil, err
	}
	// A directory: every file below it, in natural order; NPY files that an RBM's JSON
	// names are read through the model, not twice.
	var files []string
	claimed := map[string]bool{}
	err = filepath.WalkDir(in, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if strings.HasPrefix(d.Name(), ".") && p != in {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			if a, _ := filepath.Abs(p); a == outAbs && p != in {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.EqualFold(filepath.Ext(p), ".json") {
			if w, ok := rbmWeights(p); ok {
				claimed[filepath.Join(filepath.Dir(p), w)] = true
			}
		}
		files = append(files, p)
		return nil
	})
	if err != nil {
		return nil, nil, nil, err
	}
	slices.SortFunc(files, naturalCompare)
	var (
		srcs    []spectraSource
		closers []io.Closer
		notes   []spectraNote
	)
	for _, p := range files {
		if claimed[p] {
			continue
		}
		src, cl, ok, err := spectraFile(p, conv)
		closers = append(closers, cl...)
		if err != nil { // reported when the source is loaded, with the other errors
			srcs = append(srcs, spectraSource{name: p, load: func() ([]spectra.Layer, error) { return nil, err }})
			continue
		}
		if ok {
			srcs = append(srcs, src...)
		}
	}
	return srcs, closers, notes, nil
}

// rbmWeights returns the NPY file named by a deepglass RBM model file.
func rbmWeights(p string) (string, bool) {
	b, err := os.ReadFile(p)
	if err != nil || len(b) > 64<<20 {
		return "", false
	}
	var meta struct {
		Format  string `json:"format"`
		Weights string `json:"weights"`
	}
	if json.Unmarshal(b, &meta) != nil || meta.Format != "deepglass-rbm" {
		return "", false
	}
	return meta.Weights, true
}

// spectraFile returns the sources of one file; ok is false for files that are not
// weights.
func spectraFile(p string, conv spectra.ConvMode) ([]spectraSource, []io.Closer, bool, error) {
	switch strings.ToLower(filepath.Ext(p)) {
	case ".npy":
		size := int64(0)
		if st, err := os.Stat(p); err == nil {
			size = st.Size() / 4
		}
		return []spectraSource{{name: p, size: size, load: func() ([]spectra.Layer, error) {
			t, err := spectra.ReadNPY(p)
			if err != nil {
				return nil, err
			}
			return t.Layers(conv)
		}}}, nil, true, nil
	case ".safetensors":
		s, err := spectra.OpenSafetensors(p)
		if err != nil {
			return nil, nil, false, err
		}
		var srcs []spectraSource
		for _, info := range s.Tensors {
			n := int64(1)
			for _, d := range info.Shape {
				n *= int64(d)
			}
			srcs = append(srcs, spectraSource{name: p + ":" + info.Name, size: n, load: func() ([]spectra.Layer, error) {
				t, err := s.Read(info)
				if err != nil {
					return nil, err
				}
				t.Name = p + ":" + info.Name
				return t.Layers(conv)
			}})
		}
		return srcs, []io.Closer{s}, true, nil
	case ".json":
		if _, ok := rbmWeights(p); !ok {
			return nil, nil, false, nil
		}
		prefix := strings.TrimSuffix(p, filepath.Ext(p))
		return []spectraSource{{name: prefix, load: func() ([]spectra.Layer, error) {
			r, err := learn.Load(prefix)
			if err != nil {
				return nil, err
			}
			return []spectra.Layer{spectra.MatrixLayer(prefix, r.W)}, nil
		}}}, nil, true, nil
	}
	return nil, nil, false, nil
}

// naturalCompare orders names with digit runs compared as numbers: W2 before W10.
func naturalCompare(a, b string) int {
	for a != "" && b != "" {
		da, db := unicode.IsDigit(rune(a[0])), unicode.IsDigit(rune(b[0]))
		if da && db {
			i, j := 0, 0
			for i < len(a) && unicode.IsDigit(rune(a[i])) {
				i++
			}
			for j < len(b) && unicode.IsDigit(rune(b[j])) {
				j++
			}
			x, _ := strconv.ParseUint(a[:i], 10, 64)
			y, _ := strconv.ParseUint(b[:j], 10, 64)
			if x != y {
				if x < y {
					return -1
				}
				return 1
			}
			a, b = a[i:], b[j:]
			continue
		}
		if a[0] != b[0] {
			if a[0] < b[0] {
				return -1
			}
			return 1
		}
		a, b = a[1:], b[1:]
	}
	return len(a) - len(b)
}

// formatSpectra renders the table: one row per layer, then the summary.
func formatSpectra(s spectraSummary) string {
	var b strings.Builder
	est := func(v, e float64, prec int) string {
		if math.IsNaN(v) {
			return "—"
		}
		if math.IsNaN(e) {
			return strconv.FormatFloat(v, 'f', prec, 64)
		}
		return fmt.Sprintf("%.*f±%.*f", prec, v, prec, e)
	}
	fmt.Fprintf(&b, "%-28s %11s %13s %10s %6s %6s %10s %10s %13s %14s %-8s %s\n", "layer", "N×M", "alpha", "xmin", "D", "spikes",
		"lambda_max", "mp_edge", "log_norm", "alpha_weighted", "verdict", "warnings")
	for _, r := range s.Layers {
		name := r.Name
		if len(name) > 28 {
			name = "…" + name[len(name)-27:]
		}
		dims := fmt.Sprintf("%d×%d", r.N, r.M)
		if r.RF > 1 {
			dims += fmt.Sprintf("×%d", r.RF)
		}
		if r.Status != spectra.StatusSuccess {
			fmt.Fprintf(&b, "%-28s %11s %13s %10s %6s %6s %10s %10s %13s %14s %-8s %s\n", name, dims, r.Status, "", "", "", "", "", "", "",
				r.Verdict, strings.Join(r.Warnings, "; "))
			continue
		}
		fmt.Fprintf(&b, "%-28s %11s %13s %10.4g %6.3f %6d %10.4g %10.4g %13s %14s %-8s %s\n", name, dims, est(r.Fit.Alpha, r.AlphaErr, 3),
			r.Fit.Xmin, r.Fit.D, r.NumPLSpikes, r.Metrics.SpectralNorm, r.MP.BulkMax, est(r.Metrics.LogNorm, r.MetricErrs.LogNorm, 3),
			est(r.Metrics.AlphaWeighted, r.MetricErrs.AlphaWeighted, 3), r.Verdict, strings.Join(r.Warnings, "; "))
	}
	m := s.Summary
	fmt.Fprintf(&b, "\n%d layers: %d fitted, %d failed, %d skipped; %d over-trained (α < 2), %d under-trained (α > 6), %d rejected, %d with traps\n",
		m.Layers, m.Fitted, m.Failed, m.Skipped, m.OverTrained, m.UnderTrained, m.Rejected, m.Traps)
	for _, k := range spectra.SummaryMetrics() {
		if !math.IsNaN(m.Mean[k]) {
			fmt.Fprintf(&b, "  mean %-18s %s\n", k, est(m.Mean[k], m.Err[k], 4))
		}
	}
	for _, n := range s.Skipped {
		fmt.Fprintf(&b, "skipped %s: %s\n", n.Name, n.Reason)
	}
	for _, n := range s.Errors {
		fmt.Fprintf(&b, "error %s: %s\n", n.Name, n.Reason)
	}
	fmt.Fprintf(&b, "%d eigenvalues of %d matrices in %.2f s (%s)\n", s.Perf.Eigenvalues, s.Perf.Matrices, s.Perf.Seconds, s.LAPACK)
	return b.String()
}

// spectraPlot writes DIR/NAME.png: the log-log ESD with the power-law fit, the ESD with
// the MP fit (and the shuffled ESD), D and α against xmin.
func spectraPlot(dir string, r *spectra.Result) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	nz := []float64{}
	for _, v := range r.Evals {
		if v > spectra.Threshold {
			nz = append(nz, v)
		}
	}
	if len(nz) < 2 {
		return nil
	}
	fig := &plot.Figure{Title: fmt.Sprintf("%s: α = %.3f ± %.3f, D = %.3f, %s", r.Name, r.Fit.Alpha, r.AlphaErr, r.Fit.D, r.Verdict), Cols: 2}
	// Log-log density on logarithmic bins (as log10 on linear axes: the ranges of
	// heavy tails span many decades), and the fitted law scaled to the tail's share.
	x, y := histogram(nz, 40, true)
	lx, ly := log10s(x), log10s(y)
	share := float64(r.Fit.Tail) / float64(len(nz))
	a, xmin := r.Fit.Alpha, r.Fit.Xmin
	pl := plot.Panel{Title: "ESD with the power-law fit", XLabel: "log10 λ", YLabel: "log10 density",
		Series: []plot.Series{{Name: fmt.Sprintf("ESD (%d eigenvalues > 1e-5)", len(nz)), X: lx, Y: ly}},
		Curves: []plot.Curve{{Name: fmt.Sprintf("power law, α = %.3f", a), XMin: math.Log10(xmin), XMax: math.Log10(nz[len(nz)-1]), Dashed: true,
			F: func(l float64) float64 { return math.Log10(share*(a-1)/xmin) - a*(l-math.Log10(xmin)) }}},
		VLines: []float64{math.Log10(xmin)}}
	fig.Panels = append(fig.Panels, pl)
	// The MP fit in WeightWatcher's units: the ESD rescaled to mean 1.
	s2 := r.MP.Scale * r.MP.Scale
	if !math.IsNaN(s2) {
		edge := s2 * r.MP.BulkMax
		top := 2 * edge
		scaled := func(ev []float64) ([]float64, []float64) {
			var v []float64
			for _, e := range ev {
				if s2*e <= top {
					v = append(v, s2*e)
				}
			}
			if len(v) < 2 {
				return nil, nil
			}
			hx, hy := histogram(v, 60, false)
			for i := range hy {
				hy[i] *= float64(len(v)) / float64(len(ev))
			}
			return hx, hy
		}
		mp := plot.Panel{Title: fmt.Sprintf("ESD / mean and MP fit: %d spikes", r.MP.NumSpikes), XLabel: "λ / mean λ",
			YLabel: "density", VLines: []float64{edge}, XRange: [2]float64{0, top}}
		if hx, hy := scaled(r.Evals); hx != nil {
			mp.Series = append(mp.Series, plot.Series{Name: "ESD", X: hx, Y: hy})
		}
		if r.Randomized {
			if hx, hy := scaled(r.RandEvals); hx != nil {
				mp.Series = append(mp.Series, plot.Series{Name: fmt.Sprintf("shuffled W (%d traps)", r.Rand.NumSpikes), X: hx, Y: hy})
			}
		}
		q, sg := r.MP.Q, r.MP.Sigma
		mp.Curves = append(mp.Curves, plot.Curve{Name: fmt.Sprintf("MP, σ = %.3f, λ+ = %.3f", sg, edge), XMin: 1e-3 * edge, XMax: top,
			F: func(v float64) float64 { return spectra.MPDensity(v, q, sg) }})
		fig.Panels = append(fig.Panels, mp)
	}
	if len(r.Scan.Xmin) > 0 {
		lxm := log10s(r.Scan.Xmin)
		fig.Panels = append(fig.Panels,
			plot.Panel{Title: "KS distance against xmin", XLabel: "log10 xmin", YLabel: "D", VLines: []float64{math.Log10(xmin)},
				Series: []plot.Series{{Name: "D", X: lxm, Y: r.Scan.D, Line: true}}},
			plot.Panel{Title: "α against xmin", XLabel: "log10 xmin", YLabel: "α", VLines: []float64{math.Log10(xmin)},
				Series: []plot.Series{{Name: "α", X: lxm, Y: clip(r.Scan.Alpha, 0, 20), Line: true}}})
	}
	return fig.WritePNG(filepath.Join(dir, safeName(r.Name)+".png"))
}

// histogram returns bin centres and densities of v (sorted) in bins equal on a log or
// linear scale; empty bins are left out.
func histogram(v []float64, bins int, logScale bool) ([]float64, []float64) {
	lo, hi := v[0], v[len(v)-1]
	if hi <= lo {
		return []float64{lo}, []float64{1}
	}
	edge := func(k int) float64 {
		t := float64(k) / float64(bins)
		if logScale {
			return lo * math.Pow(hi/lo, t)
		}
		return lo + (hi-lo)*t
	}
	count := make([]int, bins)
	for _, x := range v {
		var t float64
		if logScale {
			t = math.Log(x/lo) / math.Log(hi/lo)
		} else {
			t = (x - lo) / (hi - lo)
		}
		count[min(bins-1, max(0, int(t*float64(bins))))]++
	}
	var xs, ys []float64
	for k, c := range count {
		if c == 0 {
			continue
		}
		a, b := edge(k), edge(k+1)
		c0 := (a + b) / 2
		if logScale {
			c0 = math.Sqrt(a * b)
		}
		xs, ys = append(xs, c0), append(ys, float64(c)/float64(len(v))/(b-a))
	}
	return xs, ys
}

func log10s(v []float64) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = math.Log10(x)
	}
	return out
}

func clip(v []float64, lo, hi float64) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = min(hi, max(lo, x))
	}
	return out
}

// safeName turns a layer name into a file name.
func safeName(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '_' || r == '.' {
			return r
		}
		return '_'
	}, strings.TrimLeft(s, "./"))
}
