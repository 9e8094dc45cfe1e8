package spectra

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
)

// PowerLaw is a fit of p(λ) ∝ λ^{−α} to the values λ ≥ Xmin of a sample (the tail of
// an ESD), by WeightWatcher's default method ([FitPowerLaw]).
type PowerLaw struct {
	// Alpha is the exponent α, the continuous maximum-likelihood estimate at Xmin.
	Alpha float64
	// Sigma is the asymptotic standard error (α − 1)/√n of α (WeightWatcher's "sigma").
	Sigma float64
	// Xmin is the smallest value in the tail, chosen to minimize D; Xmax the largest.
	Xmin, Xmax float64
	// D is the Kolmogorov–Smirnov distance between the tail and the fitted law.
	D float64
	// N is the number of values fitted (all candidates), Tail the number ≥ Xmin.
	N, Tail int
}

// String returns α, its error, xmin and D, e.g. "α=2.41±0.08 xmin=3.2 D=0.031 (n=120 of 500)".
func (p PowerLaw) String() string {
	return fmt.Sprintf("α=%.4g±%.2g xmin=%.4g D=%.3g (n=%d of %d)", p.Alpha, p.Sigma, p.Xmin, p.D, p.Tail, p.N)
}

// FitOptions restrict [FitPowerLaw].
type FitOptions struct {
	// XminLo and XminHi, when XminHi > 0, restrict the candidates for xmin to
	// XminLo ≤ xmin ≤ XminHi (fix_fingers='xmin_peak').
	XminLo, XminHi float64
}

// ErrFewValues is returned by [FitPowerLaw] for fewer than two values (nothing to fit).
var ErrFewValues = errors.New("spectra: power-law fit needs at least 2 values")

// FitPowerLaw fits a power law to the tail of x exactly as WeightWatcher's default
// fit does (WW_powerlaw.WWFit, v0.7.5; Clauset, Shalizi & Newman 2009): sort x
// ascending; every value but the largest is a candidate xmin; for the candidate at
// index i with n = len(x) − i values in the tail,
//
//	α_i = 1 + n / (Σ_{j≥i} ln x_j − n ln x_i)
//	D_i = max_{k=0…n−1} |1 − (x_{i+k}/x_i)^{1−α_i} − k/n|   (D_i = 1 when α_i ≤ 1)
//
// and the fit is the first candidate with the smallest D. σ = (α − 1)/√n.
//
// The α_i come from suffix sums of ln x (compensated summation) in O(n); the D_i
// are not all computed: a branch-and-bound over each candidate's tail (the CDF and
// k/n are monotone, so a block of the tail is bounded by its ends) and bounds from
// neighbouring candidates prune every candidate that cannot beat the best so far.
// The result is the one the full O(n²) scan gives — same candidate, same D, since D
// at the chosen candidate is the maximum of the same terms. opts may be nil.
//
// x must hold finite positive values; FitPowerLaw returns an error otherwise, and
// [ErrFewValues] for fewer than 2 values (or candidates in the xmin range). It does
// not modify x; sorted input saves the sort.
func FitPowerLaw(x []float64, opts *FitOptions) (PowerLaw, error) {
	t, lo, hi, err := prepare(x, opts)
	if err != nil {
		return PowerLaw{}, err
	}
	i, d := t.best(lo, hi)
	return t.result(i, d), nil
}

// prepare checks x, sorts it and finds the candidate range [lo, hi).
func prepare(x []float64, opts *FitOptions) (*tail, int, int, error) {
	for _, v := range x {
		if !(v > 0) || math.IsInf(v, 0) {
			return nil, 0, 0, fmt.Errorf("spectra: power-law fit of a value %v (want finite values > 0)", v)
		}
	}
	if len(x) < 2 {
		return nil, 0, 0, ErrFewValues
	}
	s := x // read only: sorted input (an ESD) is used as it is
	if !slices.IsSorted(x) {
		s = slices.Clone(x)
		slices.Sort(s)
	}
	t := newTail(s)
	lo, hi := 0, len(s)-1
	if opts != nil && opts.XminHi > 0 {
		lo = sort.SearchFloat64s(s[:hi], opts.XminLo)
		hi = sort.Search(hi, func(i int) bool { return s[i] > opts.XminHi })
		if hi <= lo {
			return nil, 0, 0, fmt.Errorf("%w: no candidate xmin in [%g, %g]", ErrFewValues, opts.XminLo, opts.XminHi)
		}
	}
	return t, lo, hi, nil
}

// tail holds a sorted sample with the logarithms and suffix sums the scan needs.
type tail struct {
	x, logx []float64
	suffix  []float64 // suffix[i] = Σ_{j≥i} ln x_j
	alpha   []float64 // α_i of every candidate i < len(x)−1
}

func newTail(sorted []float64) *tail {
	n := len(sorted)
	t := &tail{x: sorted, logx: make([]float64, n), suffix: make([]float64, n), alpha: make([]float64, max(n-1, 0))}
	for i, v := range sorted {
		t.logx[i] = math.Log(v)
	}
	// Neumaier's compensated sum from the top: suffix sums accurate to a few ulp.
	var s, c float64
	for i := n - 1; i >= 0; i-- {
		v := t.logx[i]
		u := s + v
		if math.Abs(s) >= math.Abs(v) {
			c += (s - u) + v
		} else {
			c += (v - u) + s
		}
		s = u
		t.suffix[i] = s + c
	}
	for i := range t.alpha {
		t.alpha[i] = t.alphaAt(i)
	}
	return t
}

// alphaAt is the continuous MLE of α for the tail starting at candidate i.
func (t *tail) alphaAt(i int) float64 {
	n := float64(len(t.x) - i)
	if t.x[i] == t.x[len(t.x)-1] {
		return math.Inf(1) // a tail of equal values: the denominator is exactly 0
	}
	return 1 + n/(t.suffix[i]-float64(n*t.logx[i]))
}

// result builds the fit at candidate i with distance d.
func (t *tail) result(i int, d float64) PowerLaw {
	n := len(t.x) - i
	a := t.alpha[i]
	return PowerLaw{Alpha: a, Sigma: (a - 1) / math.Sqrt(float64(n)), Xmin: t.x[i], Xmax: t.x[len(t.x)-1],
		D: d, N: len(t.x), Tail: n}
}

// cdf returns 1 − (x_j/x_i)^{1−α}, the fitted CDF at x_j for candidate i.
func (t *tail) cdf(i, j int, e float64) float64 {
	return 1 - math.Pow(t.x[j]/t.x[i], e)
}

// dist is the KS term at offset k of candidate i (WWFit's formula, term by term).
func dist(f float64, k int, n float64) float64 {
	return math.Abs(f - float64(k)/n)
}

// dNaive computes D_i by the full loop, as WWFit does.
func (t *tail) dNaive(i int) float64 {
	a := t.alpha[i]
	if !(a > 1) {
		return 1
	}
	n := float64(len(t.x) - i)
	e := 1 - a
	d := 0.0
	for k := 0; i+k < len(t.x); k++ {
		d = max(d, dist(t.cdf(i, i+k, e), k, n))
	}
	return d
}

// bestNaive is WWFit's scan over candidates [lo, hi): the first smallest D.
func (t *tail) bestNaive(lo, hi int) (int, float64) {
	bi, bd := -1, math.Inf(1)
	for i := lo; i < hi; i++ {
		if d := t.dNaive(i); d < bd {
			bi, bd = i, d
		}
	}
	return bi, bd
}

// slack covers rounding in the block bounds of the branch-and-bound (the bounds
// assume an exactly monotone CDF; Pow and the division may be off by an ulp).
const slack = 1e-12

// scanner is the state of the pruned scan.
type scanner struct {
	t          *tail
	bestI      int
	bestD      float64
	hint       int // absolute index of the last argmax found
	stack      []block
	evals      int // KS terms evaluated (for tests and benchmarks)
	candidates int // candidates whose D was bounded by a full branch-and-bound
}

type block struct {
	a, b   int // offsets; the interior a < k < b is unexplored
	fa, fb float64
}

// beats reports whether a candidate i with distance ≥ d certainly cannot win: its D
// is at least d, and the first smallest D wins.
func (s *scanner) loses(i int, d float64) bool {
	return d > s.bestD || (d == s.bestD && i > s.bestI)
}

// best returns the candidate WWFit's scan would choose among [lo, hi), and its D.
func (t *tail) best(lo, hi int) (int, float64) {
	s := &scanner{t: t, bestI: -1, bestD: math.Inf(1), hint: -1}
	return s.run(lo, hi)
}

func (s *scanner) run(lo, hi int) (int, float64) {
	// A coarse pass over spread-out candidates finds a good bound early; then every
	// candidate is tried in order (the coarse ones again, cheaply pruned or equal).
	step := max(1, (hi-lo)/64)
	for i := lo; i < hi; i += step {
		s.try(i)
	}
	for i := lo; i < hi; i++ {
		s.try(i)
	}
	return s.bestI, s.bestD
}

// try bounds candidate i and records it if it beats the best.
func (s *scanner) try(i int) {
	if i == s.bestI {
		return
	}
	t := s.t
	a := t.alpha[i]
	if !(a > 1) {
		if !s.loses(i, 1) {
			s.bestI, s.bestD = i, 1
		}
		return
	}
	nn := len(t.x) - i
	n := float64(nn)
	e := 1 - a
	m := 0.0 // the largest term found: D_i ≥ m
	at := func(k int) float64 {
		s.evals++
		f := t.cdf(i, i+k, e)
		if v := dist(f, k, n); v > m {
			m = v
			s.hint = i + k
		}
		return f
	}
	// Cheap lower bounds first: the term at the last argmax, then the top of the tail.
	if h := s.hint; h > i && h < len(t.x) {
		hint := h
		at(hint - i)
		s.hint = hint
		if s.loses(i, m) {
			return
		}
	}
	fb := at(nn - 1)
	if s.loses(i, m) {
		return
	}
	s.candidates++
	st := append(s.stack[:0], block{0, nn - 1, 0, fb})
	for len(st) > 0 {
		bl := st[len(st)-1]
		st = st[:len(st)-1]
		if bl.b-bl.a < 2 {
			continue
		}
		// Interior terms: F ∈ [fa, fb], k/n ∈ [(a+1)/n, (b−1)/n].
		ub := max(bl.fb-float64(bl.a+1)/n, float64(bl.b-1)/n-bl.fa)
		if ub+slack <= m {
			continue
		}
		c := (bl.a + bl.b) / 2
		fc := at(c)
		if s.loses(i, m) {
			s.stack = st
			return
		}
		l, r := block{bl.a, c, bl.fa, fc}, block{c, bl.b, fc, bl.fb}
		// Explore the half with the larger bound first (pushed last).
		if max(l.fb-float64(l.a+1)/n, float64(l.b-1)/n-l.fa) > max(r.fb-float64(r.a+1)/n, float64(r.b-1)/n-r.fa) {
			st = append(st, r, l)
		} else {
			st = append(st, l, r)
		}
	}
	s.stack = st
	// D_i = m exactly: every term was evaluated or bounded below m.
	s.bestI, s.bestD = i, m
}

// Scan is D and α against the candidate xmin, for plots (WeightWatcher's esd4 and
// esd5 panels).
type Scan struct {
	Xmin, Alpha, D []float64
}

// String returns the number of candidates.
func (s Scan) String() string { return fmt.Sprintf("xmin scan (%d candidates)", len(s.Xmin)) }

// ScanPowerLaw returns α and D for at most points candidates of [FitPowerLaw]'s scan
// of x, spread evenly in rank (all of them when points ≤ 0 or ≥ len(x) − 1); each D
// is computed exactly, so the cost is O(points · len(x)).
func ScanPowerLaw(x []float64, points int) (Scan, error) {
	t, lo, hi, err := prepare(x, nil)
	if err != nil {
		return Scan{}, err
	}
	var sc Scan
	step := 1.0
	if points > 0 && hi-lo > points {
		step = float64(hi-lo) / float64(points)
	}
	last := -1
	for f := float64(lo); f < float64(hi); f += step {
		i := int(f)
		if i == last {
			continue
		}
		last = i
		sc.Xmin = append(sc.Xmin, t.x[i])
		sc.Alpha = append(sc.Alpha, t.alpha[i])
		sc.D = append(sc.D, t.dNaive(i))
	}
	return sc, nil
}
