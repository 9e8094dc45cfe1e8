package spectra

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"

	"gonum.org/v1/gonum/mat"
)

// Resample selects what the bootstrap of [Options] resamples.
type Resample int

const (
	// ResampleEigenvalues draws the ESD's eigenvalues with replacement (Clauset,
	// Shalizi & Newman 2009, §3.4: the uncertainty of α and xmin): fast, one fit per
	// replicate.
	ResampleEigenvalues Resample = iota
	// ResampleRows draws the rows (the larger dimension) of each matrix with
	// replacement and recomputes the ESD: the spread over the layer's neurons, one SVD
	// per replicate.
	ResampleRows
)

// String returns "eigenvalues" or "rows".
func (r Resample) String() string {
	if r == ResampleRows {
		return "rows"
	}
	return "eigenvalues"
}

// ParseResample parses "eigenvalues" or "rows".
func ParseResample(s string) (Resample, error) {
	switch s {
	case "eigenvalues":
		return ResampleEigenvalues, nil
	case "rows":
		return ResampleRows, nil
	}
	return 0, fmt.Errorf("unknown resampling %q (want eigenvalues or rows)", s)
}

// Options configure [Analyze]. The zero value analyzes as WeightWatcher's
// analyze(mp_fit=True) does, without error bars, goodness of fit or randomization.
type Options struct {
	// Method computes the eigenvalues (see [Method]).
	Method Method
	// Fingers, XminMax, MaxFingers and FingerThresh are WeightWatcher's fix_fingers,
	// xmin_max, max_fingers (default 10) and finger_thresh (default 1.0).
	Fingers      Fingers
	XminMax      float64
	MaxFingers   int
	FingerThresh float64
	// Truncated also fits a truncated power law x^{−α}e^{−λx} at the same xmin.
	Truncated bool
	// Bootstrap is the number of bootstrap replicates for the error bars (0: α's error
	// is the asymptotic σ and the other metrics have none); Resample what they draw.
	Bootstrap int
	Resample  Resample
	// GOF is the number of synthetic samples of the KS p-value ([GoodnessOfFit]; 0: none).
	GOF int
	// Randomize shuffles the matrix elements and fits the shuffled ESD: correlation
	// traps and rand_distance (WeightWatcher's randomize=True).
	Randomize bool
	// Seed determines every random draw (bootstrap, GOF, shuffles).
	Seed uint64
	// MinEvals is the fewest eigenvalues a layer needs to be analyzed (default 10, as
	// WeightWatcher's min_evals).
	MinEvals int
	// ScanPoints, if positive, records α and D against xmin at that many candidates
	// (for plots).
	ScanPoints int
}

// String summarizes the options.
func (o Options) String() string {
	s := fmt.Sprintf("method=%v fingers=%v bootstrap=%d (%v) gof=%d randomize=%v seed=%d", o.Method, o.Fingers, o.Bootstrap,
		o.Resample, o.GOF, o.Randomize, o.Seed)
	if o.Truncated {
		s += " truncated"
	}
	return s
}

// Status values of a [Result].
const (
	StatusSuccess = "success"
	StatusFailed  = "failed"
	StatusSkipped = "skipped"
)

// Verdicts of a [Result]'s fit.
const (
	VerdictOK       = "ok"       // no test rejects the power law
	VerdictWeak     = "weak"     // a small tail, or an alternative law fits significantly better
	VerdictRejected = "rejected" // KS p-value below 0.1 (CSN 2009's rule)
	VerdictFailed   = "failed"   // no fit
)

// Result is the analysis of one layer. Field names in JSON, CSV and tables are
// WeightWatcher's where it has one (see [Result.Fields]); *Err fields are bootstrap
// standard errors (NaN without a bootstrap, except AlphaErr = Sigma).
type Result struct {
	Name, Kind string
	Shape      []int
	N, M, RF   int
	NumEvals   int
	Method     Method

	Status   string
	Verdict  string
	Warning  string   // WeightWatcher's: "over-trained" (α < 2), "under-trained" (α > 6) or ""
	Warnings []string // everything worth a look, in words

	Fit          PowerLaw
	AlphaErr     float64
	XminErr      float64
	DErr         float64
	NumPLSpikes  int // eigenvalues ≥ xmin (WeightWatcher's num_pl_spikes)
	SpikesErr    float64
	NumFingers   int
	RawAlpha     float64 // α before fixing fingers (clip_xmax)
	KS           GOF
	LR           []LRTest
	TPL          Truncated
	HasTPL       bool
	Metrics      Metrics
	MetricErrs   Metrics // bootstrap standard errors of the metrics (MatrixRank unused)
	LambdaMaxErr float64
	MP           MPFit
	MPEdgeErr    float64
	SoftrankErr  float64
	SVMax        float64
	RankLoss     int
	WeakRankLoss int

	Randomized   bool
	Rand         MPFit // MP fit of the shuffled ESD: Rand.NumSpikes are the correlation traps
	MaxRandEval  float64
	RandDistance float64
	WWSoftrank   float64 // max shuffled λ / λ_max
	WWMaxdist    float64 // λ_max − max shuffled λ
	Bootstrap    int
	Resampled    Resample
	Evals        []float64 // the ESD, ascending
	RandEvals    []float64 // the shuffled ESD (when randomized)
	Scan         Scan      // α and D against xmin (when Options.ScanPoints > 0)
}

// String returns one line: name, α ± err, D, verdict and warnings.
func (r *Result) String() string {
	if r.Status != StatusSuccess {
		return fmt.Sprintf("%s: %s (%s)", r.Name, r.Status, strings.Join(r.Warnings, "; "))
	}
	s := fmt.Sprintf("%s: α=%.3f±%.3f xmin=%.4g D=%.3f tail=%d λmax=%.4g λ+=%.4g %s", r.Name, r.Fit.Alpha, r.AlphaErr, r.Fit.Xmin,
		r.Fit.D, r.NumPLSpikes, r.Metrics.SpectralNorm, r.MP.BulkMax, r.Verdict)
	if len(r.Warnings) > 0 {
		s += " [" + strings.Join(r.Warnings, "; ") + "]"
	}
	return s
}

// Alpha returns α, or −1 when the fit failed (WeightWatcher's convention).
func (r *Result) Alpha() float64 {
	if r.Status != StatusSuccess {
		return -1
	}
	return r.Fit.Alpha
}

func (r *Result) warn(format string, args ...any) {
	r.Warnings = append(r.Warnings, fmt.Sprintf(format, args...))
}

// Analyze computes the ESD of the layer and everything WeightWatcher reports about
// it, with the options' error bars and tests. Invalid input (NaN or ±Inf entries)
// returns an error naming the layer; a layer with fewer than MinEvals eigenvalues is
// returned with status "skipped", and one whose power-law fit fails with status
// "failed" and α = −1 — flagged, never a guess. It stops with ctx's error when ctx is
// cancelled.
func Analyze(ctx context.Context, l Layer, o Options) (*Result, error) {
	if o.MinEvals <= 0 {
		o.MinEvals = 10
	}
	if o.MaxFingers == 0 {
		o.MaxFingers = 10
	}
	if o.FingerThresh == 0 {
		o.FingerThresh = 1
	}
	r := &Result{Name: l.Name, Kind: l.Kind, Shape: l.Shape, N: l.N, M: l.M, RF: l.RF, Method: o.Method, Bootstrap: o.Bootstrap,
		Resampled: o.Resample, RandDistance: math.NaN(), MaxRandEval: math.NaN(), WWSoftrank: math.NaN(), WWMaxdist: math.NaN()}
	r.setNaN()
	if n := l.M * len(l.Mats); n < o.MinEvals {
		r.Status, r.Verdict = StatusSkipped, VerdictFailed
		r.warn("%d eigenvalue(s) (a %d×%d matrix): fewer than %d, not analyzed", n, l.N, l.M, o.MinEvals)
		return r, nil
	}
	esd, err := ComputeESD(l, o.Method)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	r.Method = esd.Method
	r.Evals = esd.Evals
	r.NumEvals = len(esd.Evals)
	r.SVMax, r.RankLoss = esd.SVMax, esd.RankLoss
	for _, v := range esd.Evals {
		if v < 1e-6 { // WeightWatcher's weak_rank_loss tolerance
			r.WeakRankLoss++
		}
	}
	ev := measure(esd.Evals, l.N, l.M, o)
	r.applyMeasure(ev)
	if mp, err := FitMP(esd.Evals, l.N, l.M); err == nil {
		r.MP = mp
	}
	if ev.err != nil {
		r.Status, r.Verdict = StatusFailed, VerdictFailed
		r.warn("power-law fit failed: %v", ev.err)
		r.Metrics = ComputeMetrics(esd.Evals, math.NaN(), l.N)
	} else {
		r.Status = StatusSuccess
		nz := positive(esd.Evals)
		if o.ScanPoints > 0 {
			r.Scan, _ = ScanPowerLaw(nz, o.ScanPoints)
		}
		if o.GOF > 0 {
			g, err := GoodnessOfFit(ctx, nz, r.Fit, ev.fitOpts, o.GOF, o.Seed)
			if err != nil {
				if ctx.Err() != nil {
					return nil, ctx.Err()
				}
				r.warn("goodness of fit: %v", err)
			} else {
				r.KS = g
			}
		}
		r.LR = CompareLaws(nz, r.Fit)
		if o.Truncated {
			if tp, err := FitTruncated(tailOf(nz, r.Fit.Xmin), r.Fit.Xmin); err == nil {
				r.TPL, r.HasTPL = tp, true
			}
		}
	}
	if o.Bootstrap > 0 {
		if err := r.bootstrap(ctx, l, o); err != nil {
			return nil, err
		}
	}
	if o.Randomize {
		if err := r.randomize(ctx, l, o); err != nil {
			return nil, err
		}
	}
	r.judge()
	return r, nil
}

// setNaN marks every measured float as not measured.
func (r *Result) setNaN() {
	nan := math.NaN()
	r.AlphaErr, r.XminErr, r.DErr, r.SpikesErr, r.RawAlpha = nan, nan, nan, nan, nan
	r.LambdaMaxErr, r.MPEdgeErr, r.SoftrankErr = nan, nan, nan
	r.KS = GOF{P: nan, Err: nan}
	r.MetricErrs = Metrics{Norm: nan, LogNorm: nan, SpectralNorm: nan, LogSpectralNorm: nan, AlphaWeighted: nan, LogAlphaNorm: nan,
		StableRank: nan, Entropy: nan}
	r.Fit = PowerLaw{Alpha: -1, Sigma: nan, Xmin: nan, Xmax: nan, D: nan}
	r.MP = MPFit{Q: nan, Scale: nan, Sigma: nan, BulkMax: nan, BulkMin: nan, TWMax: nan, Softrank: nan, Residual: nan}
	r.Rand = r.MP
	r.Metrics = r.MetricErrs
}

// measurement is what one ESD yields: the fit and the metrics (also per replicate).
type measurement struct {
	fit        PowerLaw
	raw        PowerLaw
	fingers    int
	fitOpts    *FitOptions
	spikes     int
	metrics    Metrics
	mpEdge     float64
	mpSoftrank float64
	err        error
}

// positive returns the eigenvalues above [Threshold] (sorted input stays sorted).
func positive(evals []float64) []float64 {
	var nz []float64
	for _, v := range evals {
		if v > Threshold {
			nz = append(nz, v)
		}
	}
	return nz
}

// measure fits the sorted ESD evals and computes its metrics.
func measure(evals []float64, N, M int, o Options) measurement {
	var m measurement
	nz := positive(evals)
	switch o.Fingers {
	case XminPeak:
		if len(nz) < 2 {
			m.err = ErrFewValues
			break
		}
		lo, hi := PeakRange(nz, o.XminMax)
		m.fitOpts = &FitOptions{XminLo: lo, XminHi: hi}
		m.fit, m.err = FitPowerLaw(nz, m.fitOpts)
		m.raw = m.fit
	case ClipXmax:
		m.fit, m.raw, m.fingers, m.err = clipFingers(nz, o.MaxFingers, o.FingerThresh)
	default:
		m.fit, m.err = FitPowerLaw(nz, nil)
		m.raw = m.fit
	}
	alpha := math.NaN()
	if m.err == nil {
		alpha = m.fit.Alpha
		m.spikes = len(evals) - sort.SearchFloat64s(evals, m.fit.Xmin)
	}
	m.metrics = ComputeMetrics(evals, alpha, N)
	m.mpEdge, m.mpSoftrank = math.NaN(), math.NaN()
	if mp, err := FitMP(evals, N, M); err == nil {
		m.mpEdge, m.mpSoftrank = mp.BulkMax, mp.Softrank
	}
	return m
}

func (r *Result) applyMeasure(m measurement) {
	r.Metrics = m.metrics
	if m.err != nil {
		return
	}
	r.Fit = m.fit
	r.AlphaErr = m.fit.Sigma
	r.NumPLSpikes = m.spikes
	r.NumFingers = m.fingers
	r.RawAlpha = m.raw.Alpha
}

// bootstrap replaces the error bars by bootstrap standard errors.
func (r *Result) bootstrap(ctx context.Context, l Layer, o Options) error {
	B := o.Bootstrap
	reps := make([]measurement, B)
	sub := o
	sub.Bootstrap, sub.GOF, sub.Randomize = 0, 0, false
	err := parallel(ctx, B, func(k int) error {
		rng := rand.New(stream(o.Seed, purposeBootstrap, k))
		var evals []float64
		if o.Resample == ResampleRows {
			rl := l
			rl.Mats = nil
			for _, w := range l.Mats {
				rl.Mats = append(rl.Mats, resampleRows(w, rng))
			}
			e, err := ComputeESD(rl, o.Method)
			if err != nil {
				return err
			}
			evals = e.Evals
		} else {
			evals = make([]float64, len(r.Evals))
			for i := range evals {
				evals[i] = r.Evals[rng.IntN(len(r.Evals))]
			}
			slices.Sort(evals)
		}
		reps[k] = measure(evals, l.N, l.M, sub)
		return nil
	})
	if err != nil {
		return err
	}
	col := func(f func(m measurement) float64) float64 {
		var v []float64
		for _, m := range reps {
			if x := f(m); m.err == nil && !math.IsNaN(x) && !math.IsInf(x, 0) {
				v = append(v, x)
			}
		}
		return stdDev(v)
	}
	failed := 0
	for _, m := range reps {
		if m.err != nil {
			failed++
		}
	}
	if failed > 0 {
		r.warn("bootstrap: %d of %d replicates had no fit", failed, B)
	}
	if r.Status == StatusSuccess {
		r.AlphaErr = col(func(m measurement) float64 { return m.fit.Alpha })
		r.XminErr = col(func(m measurement) float64 { return m.fit.Xmin })
		r.DErr = col(func(m measurement) float64 { return m.fit.D })
		r.SpikesErr = col(func(m measurement) float64 { return float64(m.spikes) })
	}
	all := func(f func(m measurement) float64) float64 {
		var v []float64
		for _, m := range reps {
			if x := f(m); !math.IsNaN(x) && !math.IsInf(x, 0) {
				v = append(v, x)
			}
		}
		return stdDev(v)
	}
	e := &r.MetricErrs
	e.Norm = all(func(m measurement) float64 { return m.metrics.Norm })
	e.LogNorm = all(func(m measurement) float64 { return m.metrics.LogNorm })
	e.SpectralNorm = all(func(m measurement) float64 { return m.metrics.SpectralNorm })
	e.LogSpectralNorm = all(func(m measurement) float64 { return m.metrics.LogSpectralNorm })
	e.AlphaWeighted = col(func(m measurement) float64 { return m.metrics.AlphaWeighted })
	e.LogAlphaNorm = col(func(m measurement) float64 { return m.metrics.LogAlphaNorm })
	e.StableRank = all(func(m measurement) float64 { return m.metrics.StableRank })
	e.Entropy = all(func(m measurement) float64 { return m.metrics.Entropy })
	r.LambdaMaxErr = e.SpectralNorm
	r.MPEdgeErr = all(func(m measurement) float64 { return m.mpEdge })
	r.SoftrankErr = all(func(m measurement) float64 { return m.mpSoftrank })
	return nil
}

// resampleRows returns a matrix whose rows along the larger dimension are drawn with
// replacement from w's.
func resampleRows(w *mat.Dense, rng *rand.Rand) *mat.Dense {
	r, c := w.Dims()
	if r >= c {
		out := mat.NewDense(r, c, nil)
		for i := range r {
			out.SetRow(i, w.RawRowView(rng.IntN(r)))
		}
		return out
	}
	out := mat.NewDense(r, c, nil)
	for j := range c {
		k := rng.IntN(c)
		for i := range r {
			out.Set(i, j, w.At(i, k))
		}
	}
	return out
}

// stdDev is the sample standard deviation (NaN for fewer than 2 values).
func stdDev(v []float64) float64 {
	if len(v) < 2 {
		return math.NaN()
	}
	mean := 0.0
	for _, x := range v {
		mean += x
	}
	mean /= float64(len(v))
	s := 0.0
	for _, x := range v {
		s += (x - mean) * (x - mean)
	}
	return math.Sqrt(s / float64(len(v)-1))
}

// randomize shuffles every matrix of the layer (Fisher–Yates over all elements) and
// fits the shuffled ESD, as WeightWatcher's apply_random_esd: the MP fit of the
// shuffled ESD (5 shuffles pooled when the layer has fewer than 100 eigenvalues per
// matrix) counts its spikes, the correlation traps; rand_distance compares the ESD with
// one more shuffle.
func (r *Result) randomize(ctx context.Context, l Layer, o Options) error {
	replicas := 1
	if l.M < 100 {
		replicas = 5
	}
	shuffled := func(k int) ([]float64, error) {
		rng := rand.New(stream(o.Seed, purposeShuffle, k))
		rl := l
		rl.Mats = nil
		for _, w := range l.Mats {
			s := mat.DenseCopyOf(w)
			raw := s.RawMatrix()
			rng.Shuffle(len(raw.Data), func(i, j int) { raw.Data[i], raw.Data[j] = raw.Data[j], raw.Data[i] })
			rl.Mats = append(rl.Mats, s)
		}
		e, err := ComputeESD(rl, o.Method)
		return e.Evals, err
	}
	var pooled []float64
	for k := range replicas {
		if err := ctx.Err(); err != nil {
			return err
		}
		ev, err := shuffled(k)
		if err != nil {
			return err
		}
		pooled = append(pooled, ev...)
	}
	slices.Sort(pooled)
	r.Randomized = true
	r.RandEvals = pooled
	r.MaxRandEval = pooled[len(pooled)-1]
	if mp, err := FitMP(pooled, l.N, l.M); err == nil {
		r.Rand = mp
	}
	one, err := shuffled(replicas)
	if err != nil {
		return err
	}
	if d, err := JensenShannon(r.Evals, one); err == nil {
		r.RandDistance = d
	}
	lmax := r.Evals[len(r.Evals)-1]
	r.WWSoftrank = one[len(one)-1] / lmax
	r.WWMaxdist = lmax - one[len(one)-1]
	return nil
}

// judge sets WeightWatcher's warning, the verdict and the warnings about the fit.
func (r *Result) judge() {
	if r.Status != StatusSuccess {
		r.Verdict = VerdictFailed
		return
	}
	a := r.Fit.Alpha
	switch {
	case a < 2:
		r.Warning = "over-trained"
		r.warn("over-trained: α = %.2f < 2", a)
	case a > 6:
		r.Warning = "under-trained"
		r.warn("under-trained: α = %.2f > 6", a)
	}
	r.Verdict = VerdictOK
	if r.Fit.Tail < 50 {
		r.Verdict = VerdictWeak
		r.warn("small tail: %d eigenvalues ≥ xmin", r.Fit.Tail)
	}
	for _, t := range r.LR {
		if t.Alt != "truncated_power_law" && t.Favours(0.1) == t.Alt {
			r.Verdict = VerdictWeak
			r.warn("%s favoured over the power law (R = %.3g, p = %.2g)", t.Alt, t.R, t.P)
		}
	}
	if r.KS.Replicates > 0 && r.KS.P < 0.1 {
		r.Verdict = VerdictRejected
		r.warn("power law rejected: KS p = %.3f < 0.1", r.KS.P)
	}
	if r.NumFingers > 0 {
		r.warn("fingers: the top %d eigenvalues clipped (α %.3g → %.3g)", r.NumFingers, r.RawAlpha, a)
	}
	if r.Randomized && r.Rand.NumSpikes > 0 {
		r.warn("correlation traps: %d spikes in the shuffled ESD", r.Rand.NumSpikes)
	}
	if r.MP.AtBound {
		r.warn("MP fit at the end of its σ range: the bulk edge is unreliable")
	}
}

// ErrCancelled reports whether err comes from a cancelled context.
func ErrCancelled(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}
