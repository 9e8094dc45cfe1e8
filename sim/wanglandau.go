package sim

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"math/bits"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"text/tabwriter"
	"time"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/deepglass/deepglass/analysis"
	"github.com/deepglass/deepglass/internal/pool"
	"github.com/deepglass/deepglass/models"
	"github.com/deepglass/deepglass/sampler"
)

// Sampler wanglandau: independent Wang–Landau walks with the 1/t schedule of
// Belardinelli & Pereyra (sampler.WangLandau) estimate ln g(E) of sample 0's model;
// every thermodynamic quantity at every temperature follows from it, with errors from
// the spread over the walks (docs/funnels.md, "Density of states").

// wlChunk is the number of sweeps a walk makes between checks of cancellation and
// checkpoint requests. Walks are invalidated (sampler.WangLandau.Invalidate) at these
// boundaries, so that a walk resumed from a checkpoint repeats the uninterrupted one.
const wlChunk = 64

// wlDefaultBins is the number of energy bins of models whose energies are not on an
// integer grid, unless -bins says otherwise.
const wlDefaultBins = 64

// wlStateVersion versions the checkpoint section of a Wang–Landau run.
const wlStateVersion = 1

// wlWindowSample is the sample index of the streams of the annealing runs that find a
// continuous model's energy window (far from any disorder sample's chains).
const wlWindowSample = 1 << 30

// DensityOfStates is summary.json's "density_of_states": the density of states of the
// model from independent Wang–Landau walks, and the thermodynamics it gives. Energies
// are per spin; ln g is total, normalized so that Σ g = 2^N.
type DensityOfStates struct {
	// Walks is the number of independent walks; Sweeps and LnF the sweeps each made
	// and its final modification factor ln f (the 1/t schedule ends a walk at
	// ln f = 1e-6, otherwise the sweeps budget does).
	Walks  int       `json:"walks"`
	Sweeps []int64   `json:"sweeps"`
	LnF    []float64 `json:"ln_f"`
	// Grid is true when the bins are the energy levels of a model with integer
	// couplings (one level per bin, exact thermodynamics); otherwise energies are
	// binned into bins of width BinWidth (per spin), whose discretization biases
	// averages at low temperature (raise -bins).
	Grid     bool    `json:"grid"`
	BinWidth float64 `json:"bin_width"`
	// Window is the energy range per spin the walks explored (centres of the first
	// and last bin); WindowSource says how it was chosen: "bound" (|E| ≤ Σ|J| + Σ|h|)
	// or "annealing" (the lowest and highest energies found by annealing, widened by
	// 5% of their span below and 5√2% above).
	Window       [2]float64 `json:"window"`
	WindowSource string     `json:"window_source"`
	// E lists the centres (per spin) of the bins every walk visited, LnG the mean of
	// the walks' ln g there and LnGErr its standard error over the walks.
	E      []float64 `json:"e"`
	LnG    []float64 `json:"ln_g"`
	LnGErr []float64 `json:"ln_g_err"`
	// ExactLnG is the exact ln g in the same bins where it is known (null for an empty
	// bin): Beale's exact density of states of the square Ising torus, or enumeration
	// (N ≤ 20); ExactSource names it.
	ExactLnG    []float64 `json:"exact_ln_g,omitempty"`
	ExactSource string    `json:"exact_source,omitempty"`
	// Thermo holds f, e, c and s per spin at each temperature of the config.
	Thermo []DOSPoint `json:"thermo"`
}

// DOSPoint is the thermodynamics at one temperature from the density of states: the
// free energy F = −T ln Z/N, the energy E, the specific heat C and the entropy S per
// spin, each the mean over the walks with its standard error (walks − 1 degrees of
// freedom), and the same from the exact density of states where it is known.
type DOSPoint struct {
	T     float64           `json:"T"`
	F     analysis.Estimate `json:"f"`
	E     analysis.Estimate `json:"e"`
	C     analysis.Estimate `json:"c"`
	S     analysis.Estimate `json:"s"`
	Exact *DOSExact         `json:"exact,omitempty"`
}

// DOSExact is the exact thermodynamics per spin at one temperature, from the exact
// density of states in the walks' bins.
type DOSExact struct {
	F float64 `json:"f"`
	E float64 `json:"e"`
	C float64 `json:"c"`
	S float64 `json:"s"`
}

// String describes the density of states.
func (d *DensityOfStates) String() string {
	return fmt.Sprintf("density of states from %d Wang–Landau walks, %d bins from e = %.4g to %.4g", d.Walks, len(d.E), d.Window[0], d.Window[1])
}

// wlWalk is one walk of a run: the walk, its chain, and whether it has finished.
type wlWalk struct {
	w     *sampler.WangLandau
	c     *sampler.Chain
	done  bool
	nanos int64
}

func validateWangLandau(c *Config, _ ModelKind, bad reporter) {
	if c.Replicas < 2 {
		bad("replicas", "wanglandau needs at least 2 independent walks (-replicas) for its error bars, have %d", c.Replicas)
	}
	if c.Samples != 1 {
		bad("samples", "wanglandau runs one disorder sample (samples must be 1)")
	}
	if c.Bins != 0 && (c.Bins < 2 || c.Bins > 1<<20) {
		bad("bins", "wanglandau needs 2 ≤ bins ≤ 2^20, have %d", c.Bins)
	}
}

// runWangLandau runs c.Replicas independent Wang–Landau walks of c.Sweeps sweeps on
// sample 0's model, in parallel, and reports the density of states. When ctx is
// cancelled it writes a checkpoint (when opts.Out is set), from which opts.Resume
// continues exactly.
func runWangLandau(ctx context.Context, c Config, opts Options) (*Summary, error) {
	start := time.Now()
	if opts.Shards > 1 {
		return nil, &InputError{errors.New("shards: wanglandau runs one disorder sample; there is nothing to shard")}
	}
	inst, err := BuildModel(c, 0)
	if err != nil {
		return nil, err
	}
	m := inst.Model
	n := m.N()
	threads := opts.Threads
	if threads <= 0 {
		threads = runtime.GOMAXPROCS(0)
	}
	if opts.Out != "" && !opts.Resume {
		if err := writeRunConfig(opts.Out, c, 0, 0); err != nil {
			return nil, err
		}
	}
	var (
		walks    []*wlWalk
		bins     sampler.EnergyBins
		source   string
		warnings []Warning
	)
	if opts.Resume {
		walks, bins, source, warnings, err = restoreWangLandau(c, m, opts)
		if err != nil {
			return nil, err
		}
	} else {
		bins, source, err = wlWindow(c, m)
		if err != nil {
			return nil, err
		}
		walks = make([]*wlWalk, c.Replicas)
		for r := range walks {
			w := sampler.NewWangLandau(m, bins)
			ch, err := sampler.NewWangLandauChain(m, bins, sampler.NewStream(c.Seed, sampler.PurposeChain, 0, r))
			if err != nil {
				return nil, &InputError{fmt.Errorf("wanglandau: %w", err)}
			}
			walks[r] = &wlWalk{w: w, c: ch}
		}
	}

	budget := int64(c.Sweeps)
	total := budget * int64(len(walks))
	var done atomic.Int64
	for _, wk := range walks {
		if wk.done {
			done.Add(budget)
		} else {
			done.Add(wk.w.Sweeps)
		}
	}
	stopProgress := startProgress(opts.Progress, &done, total)
	ckp := newWLCheckpointer(ctx, c, opts, len(walks), source)
	err = pool.Each(ctx, len(walks), threads, func(ctx context.Context, r, _ int) error {
		wk := walks[r]
		for !wk.done {
			if err := ctx.Err(); err != nil {
				return err
			}
			step := min(budget-wk.w.Sweeps, wlChunk-wk.w.Sweeps%wlChunk)
			before := wk.w.Sweeps
			t0 := time.Now()
			wk.w.Invalidate()
			if err := wk.w.Run(context.Background(), wk.c, step); err != nil {
				return fmt.Errorf("walk %d: %w", r, err)
			}
			wk.nanos += int64(time.Since(t0))
			done.Add(wk.w.Sweeps - before)
			if wk.w.Done() || wk.w.Sweeps >= budget {
				wk.done = true
				done.Add(budget - wk.w.Sweeps)
			}
			ckp.snapshot(r, wk)
		}
		return nil
	})
	if ws := ckp.stop(); len(ws) > 0 {
		warnings = append(warnings, ws...)
		if opts.Log != nil {
			opts.Log("checkpoint: " + ws[0].Message)
		}
	}
	stopProgress()
	var runErr error
	if err != nil && !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) {
		runErr = err
	}
	interrupted := runErr == nil && ctx.Err() != nil
	if interrupted && opts.Out != "" {
		if err := writeWLCheckpoint(c, opts, walks, source); err != nil {
			runErr = err
		}
	}

	sum := &Summary{
		Version: Version, Revision: Revision(), Model: c.Model, Description: fmt.Sprint(m), N: n,
		Seed: c.Seed, Sampler: c.Sampler, Samples: 1, Replicas: len(walks), Points: []Point{},
		Interrupted: interrupted,
	}
	var nanos float64
	for _, wk := range walks {
		sum.Perf.SpinUpdates += float64(wk.w.Proposals)
		nanos += float64(wk.nanos)
	}
	sum.Perf.Seconds = time.Since(start).Seconds()
	sum.Perf.Threads = threads
	if sum.Perf.SpinUpdates > 0 {
		sum.Perf.NsPerUpdate = nanos / sum.Perf.SpinUpdates
		sum.Perf.SweepSeconds = nanos / 1e9
	}
	if !interrupted && runErr == nil {
		dos, ws := wlResults(c, inst, bins, source, walks)
		sum.DensityOfStates = dos
		warnings = append(ws, warnings...)
	}
	sum.Warnings = warnings
	if opts.Out != "" {
		if err := writeJSON(filepath.Join(opts.Out, "summary.json"), sum); err != nil && runErr == nil {
			runErr = err
		}
		if sum.DensityOfStates != nil && runErr == nil {
			if err := writeDOSCSV(opts.Out, sum.DensityOfStates); err != nil {
				runErr = err
			}
		}
		if !interrupted && runErr == nil {
			removeCheckpoints(opts.Out)
		}
	}
	if runErr == nil && interrupted {
		runErr = fmt.Errorf("%w: %w", ErrInterrupted, ctx.Err())
	}
	return sum, runErr
}

// wlWindow chooses the energy bins of the walks: for a sparse model with small integer
// couplings and fields (and no -bins), one bin per level of the energy grid on
// |E| ≤ Σ|J| + Σ|h|; otherwise c.Bins (default 64) bins over the lowest and highest
// energies that annealing H and −H finds, widened by 5% of their span below and 5√2% above,
// so that the walks may still find lower or higher states.
func wlWindow(c Config, m models.Model) (sampler.EnergyBins, string, error) {
	if c.Bins == 0 {
		if b, ok := integerGrid(m); ok {
			return b, "bound", nil
		}
	}
	nb := c.Bins
	if nb == 0 {
		nb = wlDefaultBins
	}
	lo := annealLowest(m, c.Seed, 0)
	hi := -annealLowest(negated{m}, c.Seed, 1)
	span := hi - lo
	if !(span > 0) {
		span = max(1, math.Abs(lo))
	}
	// 5% of the span below, 5√2% above: the irrational asymmetry keeps bin edges off
	// the levels of symmetric, evenly spaced spectra (SK ±J, Hopfield), whose states
	// would otherwise fall on either side of an edge by rounding.
	lo, hi = lo-0.05*span, hi+0.05*math.Sqrt2*span
	b := sampler.EnergyBins{Min: lo, Width: (hi - lo) / float64(nb-1), Bins: nb}
	if err := b.Validate(); err != nil {
		return b, "", fmt.Errorf("wanglandau: %w", err)
	}
	return b, "annealing", nil
}

// integerGrid returns the energy grid of a sparse model with small integer couplings
// and fields: every energy change is 2·s_i·(h_i + Σ_j J_ij s_j), a multiple of 4 when
// every |h_i| + Σ_j |J_ij| is even and of 2 otherwise, so the energies lie on
// E(all +1) + step·k within |E| ≤ Σ|J| + Σ|h|.
func integerGrid(m models.Model) (sampler.EnergyBins, bool) {
	p, ok := m.(*models.Sparse)
	if !ok || p.JInt == nil {
		return sampler.EnergyBins{}, false
	}
	step := 4
	var w int
	for i := range p.N() {
		sum := int(math.Abs(p.H[i]))
		w += sum
		for k := p.Start[i]; k < p.Start[i+1]; k++ {
			sum += int(math.Abs(p.J[k]))
			if int(p.Nbr[k]) > i {
				w += int(math.Abs(p.J[k]))
			}
		}
		if sum%2 != 0 {
			step = 2
		}
	}
	up := make([]int8, p.N())
	for i := range up {
		up[i] = 1
	}
	e0 := int(math.Round(p.Energy(up)))
	lo := e0 - step*((e0+w)/step)
	b := sampler.EnergyBins{Min: float64(lo), Width: float64(step), Bins: (w-lo)/step + 1}
	return b, b.Validate() == nil
}

// annealLowest returns the lowest energy that a few short annealing runs of m find,
// from streams (seed, chain, wlWindowSample+dir, k).
func annealLowest(m models.Model, seed uint64, dir int) float64 {
	sched := sampler.DefaultSchedule(m)
	sched.Sweeps = min(sched.Sweeps, 1000)
	a := sampler.NewAnneal(m, sched)
	best := math.Inf(1)
	for k := range 4 {
		ch := sampler.NewChain(m, sampler.NewStream(seed, sampler.PurposeChain, wlWindowSample+dir, k))
		_, e := a.Run(ch)
		best = min(best, e)
	}
	return best
}

// negated is the model with every energy reversed, whose ground state is the highest
// state of the model.
type negated struct{ models.Model }

func (g negated) Energy(s []int8) float64        { return -g.Model.Energy(s) }
func (g negated) DeltaE(s []int8, i int) float64 { return -g.Model.DeltaE(s, i) }
func (g negated) String() string                 { return fmt.Sprintf("−(%v)", g.Model) }

// wlResults turns finished walks into the density of states and its thermodynamics,
// and the warnings about them.
func wlResults(c Config, inst Instance, bins sampler.EnergyBins, source string, walks []*wlWalk) (*DensityOfStates, []Warning) {
	m := inst.Model
	n := m.N()
	nf := float64(n)
	lnTotal := nf * math.Ln2
	_, grid := integerGrid(m)
	grid = grid && source == "bound"
	d := &DensityOfStates{Walks: len(walks), Grid: grid, BinWidth: bins.Width / nf, WindowSource: source,
		Window: [2]float64{bins.Center(0) / nf, bins.Center(bins.Bins-1) / nf}}
	var warnings []Warning
	// Each walk's ln g over the bins it visited, normalized to Σ g = 2^N.
	count := make([]int, bins.Bins)
	type walkDOS struct{ e, lng []float64 }
	per := make([]walkDOS, len(walks))
	for r, wk := range walks {
		d.Sweeps = append(d.Sweeps, wk.w.Sweeps)
		d.LnF = append(d.LnF, wk.w.LnF)
		per[r] = walkDOS{wk.w.Energies(), wk.w.LnDOS(lnTotal)}
		for k, v := range wk.w.Visited {
			if v {
				count[k]++
			}
		}
		if wk.w.Stage != sampler.WLOneOverT {
			warnings = append(warnings, Warning{Code: "short-run", Message: fmt.Sprintf(
				"walk %d ended in the first (halving) stage of Wang–Landau after %d sweeps (ln f = %.3g): its ln g has not converged; run more sweeps",
				r, wk.w.Sweeps, wk.w.LnF)})
		}
	}
	some, edge := 0, false
	for k, cnt := range count {
		if cnt > 0 && cnt < len(walks) {
			some++
		}
		if cnt > 0 && (k == 0 || k == bins.Bins-1) && !grid {
			edge = true
		}
	}
	if some > 0 {
		warnings = append(warnings, Warning{Code: "wl-bins", Message: fmt.Sprintf(
			"%d energy bins were visited by some walks but not all: the walks have not explored the same range (run more sweeps); ln g lists only the bins every walk visited", some)})
	}
	if edge {
		warnings = append(warnings, Warning{Code: "wl-window", Message: "the walks reached an edge of the energy window found by annealing: states beyond it are missing from g(E), and the low- or high-temperature values may be wrong"})
	}
	exact, exactSrc := exactDOS(c, inst, bins)
	worst, worstE := 0.0, 0.0
	for k, cnt := range count {
		if cnt != len(walks) {
			continue
		}
		e := bins.Center(k)
		xs := make([]float64, len(walks))
		for r, wd := range per {
			for j, x := range wd.e {
				if x == e {
					xs[r] = wd.lng[j]
					break
				}
			}
		}
		est := overSamples(xs)
		d.E = append(d.E, e/nf)
		d.LnG = append(d.LnG, est.Mean)
		d.LnGErr = append(d.LnGErr, est.Err)
		if exact != nil {
			d.ExactLnG = append(d.ExactLnG, exact[k])
			if z := (est.Mean - exact[k]) / est.Err; est.Err > 0 && math.Abs(z) > math.Abs(worst) && !roundingEqual(est.Mean, exact[k]) {
				worst, worstE = z, e/nf
			}
		}
	}
	if exact != nil {
		d.ExactSource = exactSrc
		if z := tToNormal(worst, len(walks)-1); math.Abs(z) > ZMax {
			warnings = append(warnings, Warning{Code: "exact-mismatch", Message: fmt.Sprintf(
				"ln g at e = %.5g is %.1f standard errors from the exact value (%s; as unlikely as %.1fσ for %d walks)", worstE, worst, exactSrc, z, len(walks))})
		}
	}
	var exactDOSThermo *analysis.DensityOfStates
	if exact != nil {
		var es, ls []float64
		for k, l := range exact {
			if !math.IsInf(l, -1) {
				es, ls = append(es, bins.Center(k)), append(ls, l)
			}
		}
		exactDOSThermo = &analysis.DensityOfStates{E: es, LnG: ls, N: n}
	}
	for _, t := range c.T {
		beta := 1 / t
		f, e, cv, s := make([]float64, len(walks)), make([]float64, len(walks)), make([]float64, len(walks)), make([]float64, len(walks))
		for r, wd := range per {
			th := analysis.DensityOfStates{E: wd.e, LnG: wd.lng, N: n}.Thermo(beta)
			f[r], e[r], cv[r], s[r] = th.F, th.E, th.C, th.S
		}
		p := DOSPoint{T: t, F: overSamples(f), E: overSamples(e), C: overSamples(cv), S: overSamples(s)}
		if exactDOSThermo != nil {
			th := exactDOSThermo.Thermo(beta)
			p.Exact = &DOSExact{F: th.F, E: th.E, C: th.C, S: th.S}
			T := t
			for _, q := range []struct {
				name      string
				got       analysis.Estimate
				want      float64
				perDegree bool
			}{{"f", p.F, th.F, true}, {"e", p.E, th.E, true}, {"c", p.C, th.C, true}, {"s", p.S, th.S, true}} {
				t := (q.got.Mean - q.want) / q.got.Err
				if z := tToNormal(t, len(walks)-1); q.got.Err > 0 && math.Abs(z) > ZMax && !roundingEqual(q.got.Mean, q.want) {
					warnings = append(warnings, Warning{Code: "exact-mismatch", T: &T, Message: fmt.Sprintf(
						"%s = %s is %.1f standard errors from the exact %.8g (%s; as unlikely as %.1fσ for %d walks)", q.name, q.got, t, q.want, exactSrc, z, len(walks))})
				}
			}
		}
		d.Thermo = append(d.Thermo, p)
	}
	return d, warnings
}

// roundingEqual reports whether a and b agree to rounding (1e-9 relative): walks of a
// tiny model can all end with the exact ln g, and their spread is then rounding.
func roundingEqual(a, b float64) bool { return math.Abs(a-b) <= 1e-9*max(1, math.Abs(b)) }

// tToNormal returns the normal deviate with the same two-sided tail probability as
// Student's t with dof degrees of freedom. The error of a mean over w walks is itself
// estimated from w values, so its deviation from an exact value in standard errors is
// t-distributed with w − 1 degrees of freedom: with 8 walks, 4 standard errors happen
// in 0.5% of runs, and only t ≈ 9 is as unlikely as 4σ of a normal deviate.
func tToNormal(t float64, dof int) float64 {
	if dof < 1 || math.IsNaN(t) {
		return math.NaN()
	}
	p := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(dof)}.CDF(-math.Abs(t))
	return math.Copysign(-distuv.UnitNormal.Quantile(p), t)
}

// maxBealeSide is the largest side of a square Ising torus whose exact density of
// states a Wang–Landau run computes for comparison (L = 32 takes about a second).
const maxBealeSide = 32

// exactDOS returns ln g of the model in the walks' bins (−Inf for empty bins) and its
// source, where it is known: Beale's exact density of states for the square Ising
// torus without a field, enumeration for N ≤ 20; nil otherwise.
func exactDOS(c Config, inst Instance, bins sampler.EnergyBins) ([]float64, string) {
	m := inst.Model
	n := m.N()
	out := make([]float64, bins.Bins)
	for k := range out {
		out[k] = math.Inf(-1)
	}
	if l := inst.Lattice; c.Model == "ising" && c.Field == 0 && l != nil && l.Dim == 2 && l.L%2 == 0 && l.L <= maxBealeSide {
		if d, err := models.ExactIsingDOS(l.L, l.L); err == nil {
			for k, lg := range d.LnG() {
				j := bins.Index(float64(d.E[k]))
				if j < 0 || math.IsInf(lg, -1) {
					continue
				}
				out[j] = logAdd(out[j], lg)
			}
			return out, "Beale's exact density of states"
		}
	}
	if n > 20 {
		return nil, ""
	}
	h := make([]float64, bins.Bins)
	s := make([]int8, n)
	for i := range s {
		s[i] = -1
	}
	e := m.Energy(s)
	for k := uint64(0); k < 1<<uint(n); k++ {
		if k > 0 {
			i := bits.TrailingZeros64(k)
			e += m.DeltaE(s, i)
			s[i] = -s[i]
			if k%4096 == 0 {
				e = m.Energy(s)
			}
		}
		if j := bins.Index(e); j >= 0 {
			h[j]++
		}
	}
	for k, x := range h {
		if x > 0 {
			out[k] = math.Log(x)
		}
	}
	return out, "enumeration"
}

// logAdd returns ln(e^a + e^b).
func logAdd(a, b float64) float64 {
	if math.IsInf(a, -1) {
		return b
	}
	if math.IsInf(b, -1) {
		return a
	}
	hi, lo := max(a, b), min(a, b)
	return hi + math.Log1p(math.Exp(lo-hi))
}

// writeDOSCSV writes dos.csv: e per spin, ln g with its error, and the exact ln g.
func writeDOSCSV(dir string, d *DensityOfStates) error {
	var buf bytes.Buffer
	buf.WriteString("e,ln_g,ln_g_err,exact_ln_g\n")
	for k, e := range d.E {
		ex := ""
		if d.ExactLnG != nil && !math.IsInf(d.ExactLnG[k], 0) {
			ex = strconv.FormatFloat(d.ExactLnG[k], 'g', 12, 64)
		}
		fmt.Fprintf(&buf, "%.12g,%.12g,%.6g,%s\n", e, d.LnG[k], d.LnGErr[k], ex)
	}
	return WriteFileAtomic(filepath.Join(dir, "dos.csv"), buf.Bytes())
}

// formatDOS renders the thermodynamics of a density of states as a table.
func formatDOS(d *DensityOfStates) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%v", d)
	if d.Grid {
		b.WriteString(" (one bin per energy level)\n")
	} else {
		fmt.Fprintf(&b, " (bins of width %.3g per spin)\n", d.BinWidth)
	}
	hasExact := len(d.Thermo) > 0 && d.Thermo[0].Exact != nil
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
	cols := []string{"T", "f/spin", "e/spin"}
	if hasExact {
		cols = append(cols, "exact e", "z")
	}
	cols = append(cols, "c/spin")
	if hasExact {
		cols = append(cols, "exact c")
	}
	cols = append(cols, "s/spin")
	fmt.Fprint(tw, strings.Join(cols, "\t")+"\t\n")
	for _, p := range d.Thermo {
		row := []string{strconv.FormatFloat(p.T, 'g', 5, 64), p.F.String(), p.E.String()}
		if hasExact {
			z := ""
			if p.E.Err > 0 {
				z = strconv.FormatFloat((p.E.Mean-p.Exact.E)/p.E.Err, 'f', 1, 64)
			}
			row = append(row, strconv.FormatFloat(p.Exact.E, 'f', 5, 64), z)
		}
		row = append(row, p.C.String())
		if hasExact {
			row = append(row, strconv.FormatFloat(p.Exact.C, 'f', 4, 64))
		}
		row = append(row, p.S.String())
		fmt.Fprint(tw, strings.Join(row, "\t")+"\t\n")
	}
	tw.Flush()
	return b.String()
}

// encodeWalk appends the state of a walk: its chain, its Wang–Landau tables and
// whether it has finished.
func encodeWalk(e *Encoder, wk *wlWalk) error {
	st, err := wk.w.State().MarshalBinary()
	if err != nil {
		return err
	}
	var doneFlag int64
	if wk.done {
		doneFlag = 1
	}
	e.PutInt64(doneFlag)
	e.PutInt64(wk.nanos)
	e.PutInt8s(wk.c.S)
	e.PutFloat64(wk.c.E)
	e.PutInt64(wk.c.Accepted)
	e.PutInt64(wk.c.Proposed)
	b, _ := wk.c.Src.MarshalBinary() // PCG.MarshalBinary never fails
	e.PutBytes(b)
	e.PutBytes(st)
	return nil
}

// decodeWalk reads a walk that encodeWalk wrote.
func decodeWalk(d *Decoder, m models.Model, r int, seed uint64) (*wlWalk, error) {
	doneFlag, nanos := d.GetInt64(), d.GetInt64()
	s := d.GetInt8s()
	e, acc, prop := d.GetFloat64(), d.GetInt64(), d.GetInt64()
	src, st := d.GetBytes(), d.GetBytes()
	if err := d.Err(); err != nil {
		return nil, err
	}
	if len(s) != m.N() {
		return nil, fmt.Errorf("walk %d: %d spins, the model has %d", r, len(s), m.N())
	}
	var state sampler.WangLandauState
	if err := state.UnmarshalBinary(st); err != nil {
		return nil, fmt.Errorf("walk %d: %w", r, err)
	}
	pcg := sampler.NewStream(seed, sampler.PurposeChain, 0, r)
	if err := pcg.UnmarshalBinary(src); err != nil {
		return nil, fmt.Errorf("walk %d: random stream: %w", r, err)
	}
	ch := sampler.NewChainFrom(m, s, pcg)
	ch.E, ch.Accepted, ch.Proposed = e, acc, prop
	w := sampler.NewWangLandau(m, state.Bins)
	if err := w.Restore(state); err != nil {
		return nil, fmt.Errorf("walk %d: %w", r, err)
	}
	return &wlWalk{w: w, c: ch, done: doneFlag == 1, nanos: nanos}, nil
}

// wlCheckpoint returns the checkpoint of a Wang–Landau run from the walks' encoded
// states.
func wlCheckpoint(c Config, source string, states [][]byte) *Checkpoint {
	var e Encoder
	e.PutUint64(wlStateVersion)
	e.PutString(source)
	e.PutInt64(int64(len(states)))
	for _, s := range states {
		e.PutBytes(s)
	}
	ck := NewCheckpoint(c)
	ck.Set("wanglandau", e.Bytes())
	return ck
}

// writeWLCheckpoint writes the checkpoint of walks that are all stopped.
func writeWLCheckpoint(c Config, opts Options, walks []*wlWalk, source string) error {
	states := make([][]byte, len(walks))
	for r, wk := range walks {
		var e Encoder
		if err := encodeWalk(&e, wk); err != nil {
			return fmt.Errorf("checkpoint: walk %d: %w", r, err)
		}
		states[r] = e.Bytes()
	}
	return writeCheckpointFile(filepath.Join(opts.Out, checkpointName), wlCheckpoint(c, source, states))
}

// restoreWangLandau reads the walks of an interrupted run from its checkpoint.
func restoreWangLandau(c Config, m models.Model, opts Options) ([]*wlWalk, sampler.EnergyBins, string, []Warning, error) {
	var bins sampler.EnergyBins
	path := filepath.Join(opts.Out, checkpointName)
	ck, err := ReadCheckpoint(path, ConfigHash(c))
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, bins, "", nil, &InputError{fmt.Errorf("resume %s: no checkpoint to resume (the run finished, or never wrote one)", opts.Out)}
		}
		return nil, bins, "", nil, &InputError{fmt.Errorf("resume: %w", err)}
	}
	var warnings []Warning
	if ck.Warning != nil {
		warnings = append(warnings, Warning{Code: "checkpoint", Message: fmt.Sprintf("resumed from the previous checkpoint: %v", ck.Warning)})
		if opts.Log != nil {
			opts.Log("resume: " + ck.Warning.Error())
		}
	}
	d := ck.Decoder("wanglandau")
	if v := d.GetUint64(); d.Err() == nil && v != wlStateVersion {
		return nil, bins, "", nil, &InputError{fmt.Errorf("resume %s: Wang–Landau state version %d, want %d", path, v, wlStateVersion)}
	}
	source := d.GetString()
	nw := int(d.GetInt64())
	if d.Err() == nil && nw != c.Replicas {
		return nil, bins, "", nil, &InputError{fmt.Errorf("resume %s: %d walks, the config has %d", path, nw, c.Replicas)}
	}
	walks := make([]*wlWalk, 0, max(nw, 0))
	for r := 0; r < nw && d.Err() == nil; r++ {
		b := d.GetBytes()
		if d.Err() != nil {
			break
		}
		wk, err := decodeWalk(NewDecoder(b), m, r, c.Seed)
		if err != nil {
			return nil, bins, "", nil, &InputError{fmt.Errorf("resume %s: %w", path, err)}
		}
		if r > 0 && wk.w.Bins != walks[0].w.Bins {
			return nil, bins, "", nil, &InputError{fmt.Errorf("resume %s: walks %d and 0 have different energy bins", path, r)}
		}
		walks = append(walks, wk)
	}
	if err := d.Finish(); err != nil {
		return nil, bins, "", nil, &InputError{fmt.Errorf("resume %s: %w", path, err)}
	}
	return walks, walks[0].w.Bins, source, warnings, nil
}

// wlCheckpointer writes checkpoints of a running Wang–Landau run every
// Options.CheckpointEvery: each walk leaves its encoded state in its slot at chunk
// boundaries, and the writer saves the slots. Walks are independent, so slots from
// different moments make a consistent checkpoint.
type wlCheckpointer struct {
	mu       sync.Mutex
	slots    [][]byte
	quit     chan struct{}
	finished chan struct{}
	warnings []Warning
}

func newWLCheckpointer(ctx context.Context, c Config, opts Options, walks int, source string) *wlCheckpointer {
	k := &wlCheckpointer{}
	if opts.CheckpointEvery <= 0 || opts.Out == "" {
		return k
	}
	k.slots = make([][]byte, walks)
	k.quit, k.finished = make(chan struct{}), make(chan struct{})
	go func() {
		defer close(k.finished)
		tick := time.NewTicker(opts.CheckpointEvery)
		defer tick.Stop()
		var first error
		failures := 0
		defer func() {
			if failures > 0 {
				k.warnings = append(k.warnings, Warning{Code: "checkpoint", Message: fmt.Sprintf(
					"%d periodic checkpoint write(s) failed, the first with: %v", failures, first)})
			}
		}()
		for {
			select {
			case <-k.quit:
				return
			case <-ctx.Done():
				return
			case <-tick.C:
				k.mu.Lock()
				states := append([][]byte(nil), k.slots...)
				k.mu.Unlock()
				ready := true
				for _, s := range states {
					ready = ready && s != nil
				}
				if !ready {
					continue
				}
				if err := writeCheckpointFile(filepath.Join(opts.Out, checkpointName), wlCheckpoint(c, source, states)); err != nil {
					failures++
					if first == nil {
						first = err
					}
				}
			}
		}
	}()
	return k
}

// snapshot stores walk r's state for the next periodic checkpoint.
func (k *wlCheckpointer) snapshot(r int, wk *wlWalk) {
	if k.slots == nil {
		return
	}
	var e Encoder
	if encodeWalk(&e, wk) != nil {
		return
	}
	k.mu.Lock()
	k.slots[r] = e.Bytes()
	k.mu.Unlock()
}

// stop ends the writer and returns its warnings.
func (k *wlCheckpointer) stop() []Warning {
	if k.quit == nil {
		return nil
	}
	close(k.quit)
	<-k.finished
	return k.warnings
}
