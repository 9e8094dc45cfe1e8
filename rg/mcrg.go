package rg

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"math/rand/v2"

	"gonum.org/v1/gonum/mat"

	"github.com/deepglass/deepglass/analysis"
	"github.com/deepglass/deepglass/models"
	"github.com/deepglass/deepglass/sampler"
)

// MCRG is Swendsen's Monte Carlo renormalization group (Swendsen, PRL 42, 859 (1979);
// docs/references/rg.md §4) for the ferromagnetic Ising model: sample configurations at Beta
// with a cluster sampler, block them level by level, measure the [Operators] S_α at
// every level and estimate the linearized RG matrix of each blocking n → n+1,
//
//	T = B⁻¹A,  A_γβ = ⟨S_γ^(n+1) S_β^(n)⟩ − ⟨S_γ^(n+1)⟩⟨S_β^(n)⟩ = ∂⟨S_γ^(n+1)⟩/∂K_β^(n),
//	           B_γα = ⟨S_γ^(n+1) S_α^(n+1)⟩ − ⟨S_γ^(n+1)⟩⟨S_α^(n+1)⟩ = ∂⟨S_γ^(n+1)⟩/∂K_α^(n+1),
//
// so T_αβ = ∂K_α^(n+1)/∂K_β^(n), separately for the even and the odd operators (whose
// cross-correlations vanish by symmetry). The leading eigenvalue λ of T gives the
// exponent y = ln λ / ln b: y_T from the even sector, y_H from the odd one. MCRG
// truncates to the first k couplings of each sector; it reports y for every k, with
// delete-one jackknife errors over blocks of the measurements.
//
// The zero value of a field means its default (see Defaults). Settings are plain
// data, so MCRG{…}.Run(ctx) is the whole recipe.
type MCRG struct {
	// Lattice is a chain, square (the classic case) or cubic lattice, periodic.
	Lattice models.Lattice `json:"lattice"`
	// Beta is the inverse temperature (the 2D critical point is ln(1+√2)/2).
	Beta float64 `json:"beta"`
	// B is the block side (default 2) and Rule the block-spin rule (default Majority).
	B    int  `json:"b"`
	Rule Rule `json:"rule"`
	// Levels is the number of blockings (default: as many as leave a side ≥ 4).
	Levels int `json:"levels"`
	// Couplings and OddCouplings are the numbers of even and odd couplings of the
	// headline y_T and y_H (defaults: all even operators, 1 odd: the magnetization).
	Couplings    int `json:"couplings"`
	OddCouplings int `json:"odd_couplings"`
	// Sampler is "wolff" (default) or "sw" (Swendsen–Wang).
	Sampler string `json:"sampler"`
	// Therm is the number of sweeps of each chain before measuring (default 1000).
	Therm int `json:"therm"`
	// Measurements is the total number of measured configurations, one per sweep
	// (default 10⁴), shared out over Chains independent chains (default 2).
	Measurements int `json:"measurements"`
	Chains       int `json:"chains"`
	// Threads is the number of chains run at once (0: GOMAXPROCS); results do not
	// depend on it.
	Threads int `json:"-"`
	// Blocks is the number of jackknife blocks (default analysis.DefaultBlocks).
	Blocks int `json:"blocks"`
	// Seed determines every random number.
	Seed uint64 `json:"seed"`
	// Progress, if not nil, is called with the number of measurements done so far;
	// it may be called from several goroutines, one at a time.
	Progress func(done, total int64) `json:"-"`
}

// String describes the recipe.
func (m MCRG) String() string {
	return fmt.Sprintf("mcrg %v β=%g %v b=%d levels=%d couplings=%d/%d %s measurements=%d chains=%d seed=%d",
		m.Lattice, m.Beta, m.Rule, m.B, m.Levels, m.Couplings, m.OddCouplings, m.Sampler, m.Measurements, m.Chains, m.Seed)
}

// Defaults fills the zero fields with their defaults (Levels only if the lattice is
// valid and B ≥ 2).
func (m *MCRG) Defaults() {
	if m.B == 0 {
		m.B = 2
	}
	if m.Sampler == "" {
		m.Sampler = "wolff"
	}
	if m.Therm == 0 {
		m.Therm = 1000
	}
	if m.Measurements == 0 {
		m.Measurements = 10000
	}
	if m.Chains == 0 {
		m.Chains = 2
	}
	if m.Blocks == 0 {
		m.Blocks = analysis.DefaultBlocks
	}
	if m.Lattice.Validate() == nil && m.Lattice.Dim <= 3 {
		even, _ := Operators(m.Lattice.Dim)
		if m.Couplings == 0 {
			m.Couplings = len(even)
		}
		if m.OddCouplings == 0 {
			m.OddCouplings = 1
		}
		if m.Levels == 0 && m.B >= 2 {
			for l := m.Lattice.L; l%m.B == 0 && l/m.B >= 4; l /= m.B {
				m.Levels++
			}
		}
	}
}

// Validate reports every problem of the (defaulted) settings at once.
func (m MCRG) Validate() error {
	var errs []error
	add := func(format string, a ...any) { errs = append(errs, fmt.Errorf(format, a...)) }
	if err := m.Lattice.Validate(); err != nil {
		add("lattice %v: %w", m.Lattice, err)
	} else if m.Levels >= 1 {
		if p, err := NewPyramid(m.Lattice, m.B, m.Rule, m.Levels); err != nil {
			add("%w", err)
		} else if l := p.Lattice(m.Levels).L; l < 4 {
			// Operators reach distance 2: on smaller tori they coincide or are constant.
			add("levels %d: the last blocked side %d < 4", m.Levels, l)
		}
		even, odd := Operators(m.Lattice.Dim)
		if m.Couplings < 1 || m.Couplings > len(even) {
			add("couplings %d: want 1 to %d even couplings on %v", m.Couplings, len(even), m.Lattice)
		}
		if m.OddCouplings < 1 || m.OddCouplings > len(odd) {
			add("odd couplings %d: want 1 to %d on %v", m.OddCouplings, len(odd), m.Lattice)
		}
	}
	if m.Levels < 1 {
		add("levels %d: want at least 1", m.Levels)
	}
	if !(m.Beta >= 0) || math.IsInf(m.Beta, 0) {
		add("beta %g: want a finite β ≥ 0", m.Beta)
	}
	errs = append(errs, checkSampling(m.Sampler, m.Therm, m.Chains, m.Blocks, m.Measurements)...)
	return errors.Join(errs...)
}

// MCRGLevel holds the exponents of one blocking, from a lattice of side From to one
// of side To.
type MCRGLevel struct {
	From int `json:"from"`
	To   int `json:"to"`
	// YT and YH use the settings' Couplings even and OddCouplings odd couplings.
	YT analysis.Estimate `json:"y_T"`
	YH analysis.Estimate `json:"y_H"`
	// YTByCouplings[k] and YHByCouplings[k] use the first k+1 couplings.
	YTByCouplings []analysis.Estimate `json:"y_T_by_couplings"`
	YHByCouplings []analysis.Estimate `json:"y_H_by_couplings"`
}

// String returns e.g. "64→32: y_T 0.955(2) y_H 1.8816(1)".
func (l MCRGLevel) String() string {
	return fmt.Sprintf("%d→%d: y_T %v y_H %v", l.From, l.To, l.YT, l.YH)
}

// MCRGResult is the outcome of [MCRG.Run].
type MCRGResult struct {
	Settings MCRG `json:"settings"`
	// Even and Odd name the operators, in the order couplings are added.
	Even []string `json:"even_operators"`
	Odd  []string `json:"odd_operators"`
	// Levels holds one entry per blocking, finest first.
	Levels []MCRGLevel `json:"levels"`
	// Seconds is the wall time of the run.
	Seconds float64 `json:"seconds"`
}

// String lists the levels, one per line.
func (r *MCRGResult) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%v\n", r.Settings)
	for _, l := range r.Levels {
		fmt.Fprintf(&b, "  %v\n", l)
	}
	return b.String()
}

// Table formats y_T and y_H per level and number of couplings as an aligned table.
func (r *MCRGResult) Table() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%-10s", "level")
	for k := range r.Even {
		fmt.Fprintf(&b, "  %-12s", fmt.Sprintf("y_T(%d)", k+1))
	}
	for k := range r.Odd {
		fmt.Fprintf(&b, "  %-12s", fmt.Sprintf("y_H(%d)", k+1))
	}
	b.WriteString("\n")
	for _, l := range r.Levels {
		fmt.Fprintf(&b, "%-10s", fmt.Sprintf("%d→%d", l.From, l.To))
		for _, e := range l.YTByCouplings {
			fmt.Fprintf(&b, "  %-12v", e)
		}
		for _, e := range l.YHByCouplings {
			fmt.Fprintf(&b, "  %-12v", e)
		}
		b.WriteString("\n")
	}
	return b.String()
}

// Run samples, blocks and measures, and returns the exponents of every level. It
// returns an error if the settings are invalid (after Defaults) or ctx is done.
func (m MCRG) Run(ctx context.Context) (*MCRGResult, error) {
	m.Defaults()
	if err := m.Validate(); err != nil {
		return nil, fmt.Errorf("mcrg: %w", err)
	}
	start := time.Now()
	even, odd := Operators(m.Lattice.Dim)
	binLen := max(1, m.Measurements/(16*m.Blocks))
	accs := make([]*correlations, m.Chains)
	prog := &progress{f: m.Progress, total: int64(m.Measurements)}
	err := parallel(ctx, m.Chains, m.Threads, func(ctx context.Context, k int) error {
		pyr, err := NewPyramid(m.Lattice, m.B, m.Rule, m.Levels)
		if err != nil {
			return err
		}
		acc := newCorrelations(m.Levels, len(even), len(odd), binLen)
		accs[k] = acc
		vals := make([]OperatorValues, m.Levels+1)
		return sampleBlocked(ctx, pyr, m.Beta, m.Sampler, m.Seed, k, m.Therm, share(m.Measurements, m.Chains, k), prog,
			func(cfg [][]int8) {
				for l, s := range cfg {
					Measure(&vals[l], s, pyr.Lattice(l))
				}
				acc.add(vals)
			})
	})
	if err != nil {
		return nil, fmt.Errorf("mcrg: %w", err)
	}
	for _, a := range accs[1:] {
		accs[0].merge(a)
	}
	res := &MCRGResult{Settings: m}
	for _, o := range even {
		res.Even = append(res.Even, o.String())
	}
	for _, o := range odd {
		res.Odd = append(res.Odd, o.String())
	}
	lnb := math.Log(float64(m.B))
	for l := range m.Levels {
		lv := MCRGLevel{From: m.Lattice.L / ipow(m.B, l), To: m.Lattice.L / ipow(m.B, l+1)}
		for k := 1; k <= len(even); k++ {
			lv.YTByCouplings = append(lv.YTByCouplings, accs[0].exponent(l, 0, k, lnb, m.Blocks))
		}
		for k := 1; k <= len(odd); k++ {
			lv.YHByCouplings = append(lv.YHByCouplings, accs[0].exponent(l, len(even), k, lnb, m.Blocks))
		}
		lv.YT, lv.YH = lv.YTByCouplings[m.Couplings-1], lv.YHByCouplings[m.OddCouplings-1]
		res.Levels = append(res.Levels, lv)
	}
	res.Seconds = time.Since(start).Seconds()
	return res, nil
}

// NewTieBreakStream returns the tie-break stream of chain k (see [PurposeTieBreak]).
func NewTieBreakStream(seed uint64, k int) *rand.PCG {
	return sampler.NewStream(seed, PurposeTieBreak, 0, k)
}

func ipow(b, k int) int {
	p := 1
	for range k {
		p *= b
	}
	return p
}

// correlations accumulates, per measurement, the operators of every level, the
// products of operators of one level and those of level n+1 with level n, within
// each sector. Operators are indexed even first, then odd; p = nEven + nOdd.
type correlations struct {
	nEven, p int
	mean     [][]*analysis.Series // [level][a]
	same     [][]*analysis.Series // [level][a·p+b], a ≤ b in one sector; nil otherwise
	cross    [][]*analysis.Series // [n][a·p+b]: S_a^(n+1) S_b^(n), one sector; nil otherwise
	v        [][]float64          // scratch: operators per level
}

func newCorrelations(levels, nEven, nOdd, binLen int) *correlations {
	p := nEven + nOdd
	c := &correlations{nEven: nEven, p: p}
	c.mean = make([][]*analysis.Series, levels+1)
	c.same = make([][]*analysis.Series, levels+1)
	c.cross = make([][]*analysis.Series, levels)
	c.v = make([][]float64, levels+1)
	for l := range levels + 1 {
		c.v[l] = make([]float64, p)
		c.mean[l] = make([]*analysis.Series, p)
		c.same[l] = make([]*analysis.Series, p*p)
		if l < levels {
			c.cross[l] = make([]*analysis.Series, p*p)
		}
		for a := range p {
			c.mean[l][a] = analysis.NewSeries(binLen)
			for b := range p {
				if c.sector(a) != c.sector(b) {
					continue
				}
				if a <= b {
					c.same[l][a*p+b] = analysis.NewSeries(binLen)
				}
				if l < levels {
					c.cross[l][a*p+b] = analysis.NewSeries(binLen)
				}
			}
		}
	}
	return c
}

func (c *correlations) sector(a int) int {
	if a < c.nEven {
		return 0
	}
	return 1
}

// add records one measurement: vals[l] holds the operators of level l.
func (c *correlations) add(vals []OperatorValues) {
	nOdd := c.p - c.nEven
	for l, v := range vals {
		x := c.v[l]
		copy(x, v.Even[:c.nEven])
		copy(x[c.nEven:], v.Odd[:nOdd])
	}
	for l, x := range c.v {
		mean, same := c.mean[l], c.same[l]
		for a, xa := range x {
			mean[a].Add(xa)
			for b := a; b < c.p; b++ {
				if s := same[a*c.p+b]; s != nil {
					s.Add(xa * x[b])
				}
			}
		}
		if l == 0 {
			continue
		}
		prev, cross := c.v[l-1], c.cross[l-1]
		for a, xa := range x {
			for b, xb := range prev {
				if s := cross[a*c.p+b]; s != nil {
					s.Add(xa * xb)
				}
			}
		}
	}
}

// merge appends the measurements of o.
func (c *correlations) merge(o *correlations) {
	for l := range c.mean {
		for a, s := range c.mean[l] {
			s.Merge(o.mean[l][a])
		}
		for i, s := range c.same[l] {
			if s != nil {
				s.Merge(o.same[l][i])
			}
		}
	}
	for l := range c.cross {
		for i, s := range c.cross[l] {
			if s != nil {
				s.Merge(o.cross[l][i])
			}
		}
	}
}

// exponent returns the jackknife estimate of ln λ / ln b for blocking n → n+1, with
// the k operators from index off (0: even, nEven: odd), λ the leading eigenvalue of
// T = B⁻¹A.
func (c *correlations) exponent(n, off, k int, lnb float64, blocks int) analysis.Estimate {
	p := c.p
	series := make([]*analysis.Series, 0, 2*k+2*k*k)
	for a := range k {
		series = append(series, c.mean[n+1][off+a])
	}
	for a := range k {
		series = append(series, c.mean[n][off+a])
	}
	for a := range k {
		for b := range k {
			i, j := off+min(a, b), off+max(a, b)
			series = append(series, c.same[n+1][i*p+j])
		}
	}
	for a := range k {
		for b := range k {
			series = append(series, c.cross[n][(off+a)*p+off+b])
		}
	}
	A, B := mat.NewDense(k, k, nil), mat.NewDense(k, k, nil)
	f := func(m []float64) float64 {
		m1, m0, same, cross := m[:k], m[k:2*k], m[2*k:2*k+k*k], m[2*k+k*k:]
		for a := range k {
			for b := range k {
				B.Set(a, b, same[a*k+b]-m1[a]*m1[b])
				A.Set(a, b, cross[a*k+b]-m1[a]*m0[b])
			}
		}
		lam := leadingEigenvalue(A, B)
		if !(lam > 0) {
			return math.NaN()
		}
		return math.Log(lam) / lnb
	}
	return analysis.JackknifeSeries(f, blocks, series...)
}

// leadingEigenvalue returns the largest real part of the eigenvalues of B⁻¹A, or
// NaN if B is singular.
func leadingEigenvalue(A, B *mat.Dense) float64 {
	k, _ := A.Dims()
	if k == 1 {
		return A.At(0, 0) / B.At(0, 0)
	}
	var t mat.Dense
	if err := t.Solve(B, A); err != nil {
		return math.NaN()
	}
	var eig mat.Eigen
	if !eig.Factorize(&t, mat.EigenNone) {
		return math.NaN()
	}
	best := math.Inf(-1)
	for _, v := range eig.Values(nil) {
		best = max(best, real(v))
	}
	return best
}
