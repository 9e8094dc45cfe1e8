package mi

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"gonum.org/v1/gonum/mathext"
)

// Method is the bias correction of the mutual-information estimate.
type Method int

const (
	// ShuffleJackknife subtracts the shuffled-sequence baseline (as Shuffle) and
	// then removes what bias remains, to O(1/N), by the delete-one-block jackknife
	// (as Jackknife), the baseline being recomputed for every leave-one-out replica.
	// The shuffle baseline is exact for independent pairs even when the alphabet is
	// undersampled (rare symbols), where the jackknife fails; the jackknife removes
	// the extra bias of pairs drawn from correlated sequences, which the shuffle
	// baseline misses. The default.
	ShuffleJackknife Method = iota
	// Jackknife is the plug-in estimate with its bias removed by the delete-one-block
	// jackknife: I = g·I_all − (g−1)·mean_k I_{−k} for g blocks. Right when the bias is
	// c/N (well-sampled tables), including correlated sequences; it under-corrects an
	// undersampled alphabet, whose bias falls more slowly than 1/N.
	Jackknife
	// Shuffle is the plug-in estimate minus its exact expectation when the same
	// symbols are paired at random (the shuffled-sequence baseline, from the
	// hypergeometric law given the margins of the pair table, as in the adjusted
	// mutual information of Vinh, Epps & Bailey 2010). Exact for independent pairs;
	// it under-corrects pairs from correlated sequences.
	Shuffle
	// Grassberger uses the entropy estimator of Grassberger (2003),
	// Ĥ = ln N − (1/N) Σ n_i G(n_i), G(n) = ψ(n) + ½(−1)ⁿ[ψ((n+1)/2) − ψ(n/2)],
	// for each of H(X), H(Y) and H(X,Y), as Lin & Tegmark did.
	Grassberger
	// PlugIn is the uncorrected plug-in (maximum-likelihood) estimate.
	PlugIn
)

var methodNames = []string{"shuffle+jackknife", "jackknife", "shuffle", "grassberger", "plugin"}

// String returns the name of the method as ParseMethod reads it.
func (m Method) String() string {
	if m >= 0 && int(m) < len(methodNames) {
		return methodNames[m]
	}
	return fmt.Sprintf("Method(%d)", int(m))
}

// ParseMethod returns the method called name (shuffle+jackknife, jackknife, shuffle,
// grassberger, plugin).
func ParseMethod(name string) (Method, error) {
	for i, n := range methodNames {
		if strings.EqualFold(name, n) {
			return Method(i), nil
		}
	}
	return 0, fmt.Errorf("mi: unknown method %q (want %s)", name, strings.Join(methodNames, ", "))
}

// DefaultBlocks is the number of jackknife blocks when Options.Blocks is 0: enough
// for an error with a relative uncertainty of about 1/sqrt(2·31) ≈ 13%, few enough
// that each block holds many correlation lengths of a long text.
const DefaultBlocks = 32

// Options select the distances, the blocks and the method of an estimate.
type Options struct {
	// Distances are the distances d ≥ 1 to measure, increasing; nil means
	// DefaultDistances(DMax).
	Distances []int
	// DMax is the largest distance when Distances is nil (0 means 1000).
	DMax int
	// Blocks is the number of jackknife blocks (0 means DefaultBlocks; at least 2,
	// at most 256).
	Blocks int
	// Method is the bias correction (the zero value is ShuffleJackknife).
	Method Method
}

// String describes the options.
func (o Options) String() string {
	ds := o.distances()
	if len(ds) == 0 {
		return fmt.Sprintf("no distances, %d blocks, %v", o.blocks(), o.Method)
	}
	return fmt.Sprintf("%d distances %d…%d, %d blocks, %v", len(ds), ds[0], ds[len(ds)-1], o.blocks(), o.Method)
}

func (o Options) blocks() int {
	if o.Blocks == 0 {
		return DefaultBlocks
	}
	return o.Blocks
}

func (o Options) distances() []int {
	if o.Distances != nil {
		return o.Distances
	}
	dmax := o.DMax
	if dmax == 0 {
		dmax = 1000
	}
	return DefaultDistances(dmax)
}

func (o Options) validate() error {
	var errs []error
	if g := o.blocks(); g < 2 || g > 256 {
		errs = append(errs, fmt.Errorf("mi: %d blocks (want 2…256)", g))
	}
	if o.Distances == nil && o.DMax < 0 {
		errs = append(errs, fmt.Errorf("mi: DMax %d < 0", o.DMax))
	}
	ds := o.distances()
	if len(ds) == 0 {
		errs = append(errs, errors.New("mi: no distances"))
	}
	for i, d := range ds {
		if d < 1 || (i > 0 && d <= ds[i-1]) {
			errs = append(errs, fmt.Errorf("mi: distances must be increasing and ≥ 1, got %v", ds))
			break
		}
	}
	if o.Method < 0 || int(o.Method) >= len(methodNames) {
		errs = append(errs, fmt.Errorf("mi: unknown method %d", int(o.Method)))
	}
	return errors.Join(errs...)
}

// DefaultDistances returns every distance 1…min(32, dmax) and then about eight per
// octave (ratio 2^{1/8}, rounded, without repeats) up to dmax: even coverage on the
// log-log plots where power laws are judged.
func DefaultDistances(dmax int) []int {
	var ds []int
	for d := 1; d <= min(32, dmax); d++ {
		ds = append(ds, d)
	}
	for x := 32.0; ; {
		x *= math.Pow(2, 1.0/8)
		d := int(math.Round(x))
		if d > dmax {
			break
		}
		if d > ds[len(ds)-1] {
			ds = append(ds, d)
		}
	}
	return ds
}

// Result is I(d) with its errors.
type Result struct {
	// Method is the bias correction used.
	Method Method
	// K is the size of the alphabet.
	K int
	// D are the distances; I[i] ± Err[i] is the mutual information (bits) at D[i].
	D      []int
	I, Err []float64
	// Raw is the uncorrected plug-in estimate (bits), Pairs the number of pairs.
	Raw   []float64
	Pairs []int64
	// Blocks is the number of jackknife blocks; Replicas[k][i] is the estimate at D[i]
	// without block k (bias-corrected like I), so that any function of I(d) can be
	// jackknifed: its error is sqrt((g−1)/g · Σ_k (f_k − f̄)²).
	Blocks   int
	Replicas [][]float64
}

// String summarizes the result.
func (r *Result) String() string {
	if len(r.D) == 0 {
		return "mi.Result (empty)"
	}
	return fmt.Sprintf("I(d) for %d distances %d…%d (%v, %d blocks, K = %d): I(%d) = %.4g ± %.2g bits",
		len(r.D), r.D[0], r.D[len(r.D)-1], r.Method, r.Blocks, r.K, r.D[0], r.I[0], r.Err[0])
}

// Table returns I(d) as an aligned table.
func (r *Result) Table() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%8s  %12s  %10s  %12s  %12s\n", "d", "I (bits)", "err", "plug-in", "pairs")
	for i, d := range r.D {
		fmt.Fprintf(&b, "%8d  %12.5g  %10.2g  %12.5g  %12d\n", d, r.I[i], r.Err[i], r.Raw[i], r.Pairs[i])
	}
	return b.String()
}

// Estimate returns I(d) between symbols d apart in the sequences seqs, whose symbols
// lie in 0…k−1, pooled over all pairs in all sequences. Pairs never straddle two
// sequences. Bad options and symbols out of range are errors; a cancelled ctx stops
// the work between distances and returns ctx's error.
func Estimate(ctx context.Context, seqs [][]int32, k int, o Options) (*Result, error) {
	if err := o.validate(); err != nil {
		return nil, err
	}
	if k < 1 {
		return nil, fmt.Errorf("mi: alphabet size %d < 1", k)
	}
	var total int64
	for s, seq := range seqs {
		for t, x := range seq {
			if x < 0 || int(x) >= k {
				return nil, fmt.Errorf("mi: sequence %d, position %d: symbol %d outside 0…%d", s, t, x, k-1)
			}
		}
		total += int64(len(seq))
	}
	ds := o.distances()
	g := o.blocks()
	if total < int64(g) {
		return nil, fmt.Errorf("mi: %d symbols for %d blocks", total, g)
	}
	// bound[b] is the first global position of block b: p·g/total = b.
	bound := make([]int64, g+1)
	for b := range bound {
		bound[b] = (int64(b)*total + int64(g) - 1) / int64(g)
	}
	a := newAccumulator(k, g, o.Method)
	res := newResult(o.Method, k, ds, g)
	for i, d := range ds {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		a.reset()
		off := int64(0)
		for _, seq := range seqs {
			n := int64(len(seq))
			if n > int64(d) {
				// Positions t in [0, n−d) of this sequence, global off+t, cut at block bounds.
				t := int64(0)
				for t < n-int64(d) {
					b := int((off + t) * int64(g) / total)
					end := min(n-int64(d), bound[b+1]-off)
					a.addRun(seq[t:end], seq[t+int64(d):end+int64(d)], b)
					t = end
				}
			}
			off += n
		}
		if err := a.finish(res, i); err != nil {
			return nil, fmt.Errorf("mi: d = %d: %w", d, err)
		}
	}
	return res, nil
}

func newResult(m Method, k int, ds []int, g int) *Result {
	r := &Result{Method: m, K: k, D: slices.Clone(ds), I: make([]float64, len(ds)), Err: make([]float64, len(ds)),
		Raw: make([]float64, len(ds)), Pairs: make([]int64, len(ds)), Blocks: g, Replicas: make([][]float64, g)}
	for b := range r.Replicas {
		r.Replicas[b] = make([]float64, len(ds))
	}
	return r
}

// denseLimit is the largest K²·g for which pair counts are kept in a dense array.
const denseLimit = 1 << 23

// accumulator counts pairs per block for one distance and turns the counts into
// estimates.
type accumulator struct {
	k, g   int
	method Method
	dense  []int32  // dense[(x·k+y)·g + b]
	keys   []uint64 // sparse: (x·k+y)<<8 | b, one per pair
	rows   []int64  // rows[x·g + b]: pairs with first symbol x in block b
	cols   []int64
	nb     []int64 // pairs per block
	f      entropyTerm
	ds     []float64 // per-block change of S when the block is left out
}

func newAccumulator(k, g int, m Method) *accumulator {
	a := &accumulator{k: k, g: g, method: m, rows: make([]int64, k*g), cols: make([]int64, k*g),
		nb: make([]int64, g), ds: make([]float64, g), f: newEntropyTerm(m == Grassberger)}
	if k*k*g <= denseLimit {
		a.dense = make([]int32, k*k*g)
	}
	return a
}

func (a *accumulator) reset() {
	clear(a.dense)
	a.keys = a.keys[:0]
	clear(a.rows)
	clear(a.cols)
	clear(a.nb)
}

// addRun counts the pairs (xs[t], ys[t]) into block b.
func (a *accumulator) addRun(xs, ys []int32, b int) {
	k, g := a.k, a.g
	ys = ys[:len(xs)]
	if a.dense != nil {
		c := a.dense
		for t, x := range xs {
			c[(int(x)*k+int(ys[t]))*g+b]++
		}
	} else {
		for t, x := range xs {
			a.keys = append(a.keys, uint64(int(x)*k+int(ys[t]))<<8|uint64(b))
		}
	}
	for t, x := range xs {
		a.rows[int(x)*g+b]++
		a.cols[int(ys[t])*g+b]++
	}
	a.nb[b] += int64(len(xs))
}

// addCell adds n pairs (x, y) to block b.
func (a *accumulator) addCell(x, y, b int, n int64) {
	if n == 0 {
		return
	}
	if a.dense == nil || n > math.MaxInt32 {
		panic("mi: addCell needs the dense table")
	}
	a.dense[(x*a.k+y)*a.g+b] += int32(n)
	a.rows[x*a.g+b] += n
	a.cols[y*a.g+b] += n
	a.nb[b] += n
}

// finish computes the estimate for distance index i into r.
func (a *accumulator) finish(r *Result, i int) error {
	g := a.g
	var n int64
	for _, v := range a.nb {
		n += v
	}
	r.Pairs[i] = n
	if n == 0 {
		return errors.New("no pairs (every sequence is shorter than d+1)")
	}
	clear(a.ds)
	f := a.f
	var s float64
	// Joint cells: S += f(n_xy); leaving out block b changes f(n) to f(n − n_b).
	cell := func(counts func(b int) int64) {
		var t int64
		for b := range g {
			t += counts(b)
		}
		if t == 0 {
			return
		}
		ft := f.at(t)
		s += ft
		for b := range g {
			if c := counts(b); c > 0 {
				a.ds[b] += f.at(t-c) - ft
			}
		}
	}
	if a.dense != nil {
		for c := 0; c < a.k*a.k; c++ {
			row := a.dense[c*g : (c+1)*g]
			cell(func(b int) int64 { return int64(row[b]) })
		}
	} else {
		slices.Sort(a.keys)
		var blk [256]int64
		for j := 0; j < len(a.keys); {
			c := a.keys[j] >> 8
			clear(blk[:g])
			for ; j < len(a.keys) && a.keys[j]>>8 == c; j++ {
				blk[a.keys[j]&0xff]++
			}
			cell(func(b int) int64 { return blk[b] })
		}
	}
	// Margins enter with the opposite sign.
	margin := func(m []int64) {
		for x := 0; x < a.k; x++ {
			row := m[x*g : (x+1)*g]
			var t int64
			for _, v := range row {
				t += v
			}
			if t == 0 {
				continue
			}
			ft := f.at(t)
			s -= ft
			for b, c := range row {
				if c > 0 {
					a.ds[b] -= f.at(t-c) - ft
				}
			}
		}
	}
	margin(a.rows)
	margin(a.cols)
	full := (math.Log(float64(n)) + s/float64(n)) / math.Ln2
	r.Raw[i] = full
	if a.method == Grassberger {
		// Raw stays the plug-in value: recompute it with n ln n.
		r.Raw[i] = a.plugIn(n)
	}
	// Leave-one-out estimates over the blocks that hold pairs.
	loo := make([]float64, 0, g)
	idx := make([]int, 0, g)
	for b := range g {
		if a.nb[b] == 0 || a.nb[b] == n {
			continue
		}
		m := float64(n - a.nb[b])
		loo = append(loo, (math.Log(m)+(s+a.ds[b])/m)/math.Ln2)
		idx = append(idx, b)
	}
	ge := len(loo)
	if ge < 2 {
		return fmt.Errorf("pairs in %d of %d blocks: no jackknife error", ge, g)
	}
	est := full
	if a.method == Shuffle || a.method == ShuffleJackknife {
		// Subtract the baseline from the estimate and from every replica, each with
		// its own margins.
		rows, cols := a.margins(a.rows), a.margins(a.cols)
		est -= expectedMI(n, rows, cols) / math.Ln2
		r0, c0 := make([]int64, a.k), make([]int64, a.k)
		for j, b := range idx {
			for x := range a.k {
				r0[x] = rows[x] - a.rows[x*g+b]
				c0[x] = cols[x] - a.cols[x*g+b]
			}
			loo[j] -= expectedMI(n-a.nb[b], r0, c0) / math.Ln2
		}
	}
	var mean float64
	for _, v := range loo {
		mean += v
	}
	mean /= float64(ge)
	// c is the coefficient of the O(c/n) bias that the jackknife removes; replicas
	// are shifted by c/(n−n_b) so that they scatter about the corrected estimate.
	var c float64
	if a.method == Jackknife || a.method == ShuffleJackknife {
		corrected := float64(ge)*est - float64(ge-1)*mean
		c = (est - corrected) * float64(n)
		est = corrected
	}
	r.I[i] = est
	var ss float64
	for _, v := range loo {
		ss += (v - mean) * (v - mean)
	}
	r.Err[i] = math.Sqrt(float64(ge-1) / float64(ge) * ss)
	// Near independence the estimate is quadratic in the fluctuations of the table,
	// and the delete-one jackknife, which extrapolates linearly, misjudges its scatter
	// (for a binary alphabet its error is ≈ 2|Ĉ|·σ(Ĉ), Ĉ the sample covariance, which
	// vanishes with Ĉ). There the raw estimate is a scaled χ² with df = (K_x−1)(K_y−1)
	// degrees of freedom whose mean is the bias B, so its standard deviation is
	// sqrt(2/df)·B: the error is never taken below that.
	if bias := r.Raw[i] - est; bias != 0 {
		if df := (occupied(a.margins(a.rows)) - 1) * (occupied(a.margins(a.cols)) - 1); df > 0 {
			r.Err[i] = math.Max(r.Err[i], math.Sqrt(2/float64(df))*math.Abs(bias))
		}
	}
	var m float64
	for j, b := range idx {
		r.Replicas[b][i] = loo[j] - c/float64(n-a.nb[b])
		m += r.Replicas[b][i] / float64(ge)
	}
	// A block without pairs does not move the estimate: its replica is the mean of
	// the others, so that the jackknife over all blocks matches the one over ge.
	for b := range g {
		if a.nb[b] == 0 || a.nb[b] == n {
			r.Replicas[b][i] = m
		}
	}
	return nil
}

// margins returns the totals of m over blocks.
func (a *accumulator) margins(m []int64) []int64 {
	out := make([]int64, a.k)
	for x := range out {
		for _, v := range m[x*a.g : (x+1)*a.g] {
			out[x] += v
		}
	}
	return out
}

// plugIn returns the plug-in estimate (bits) from the current counts.
func (a *accumulator) plugIn(n int64) float64 {
	nlogn := func(t int64) float64 {
		if t == 0 {
			return 0
		}
		return float64(t) * math.Log(float64(t))
	}
	var s float64
	if a.dense != nil {
		for c := 0; c < a.k*a.k; c++ {
			var t int64
			for _, v := range a.dense[c*a.g : (c+1)*a.g] {
				t += int64(v)
			}
			s += nlogn(t)
		}
	} else {
		for j := 0; j < len(a.keys); {
			c := a.keys[j] >> 8
			var t int64
			for ; j < len(a.keys) && a.keys[j]>>8 == c; j++ {
				t++
			}
			s += nlogn(t)
		}
	}
	for _, t := range a.margins(a.rows) {
		s -= nlogn(t)
	}
	for _, t := range a.margins(a.cols) {
		s -= nlogn(t)
	}
	return (math.Log(float64(n)) + s/float64(n)) / math.Ln2
}

// entropyTerm is f(n) in S = Σ f(n_xy) − Σ f(n_x) − Σ f(n_y), I = ln N + S/N:
// n ln n for the plug-in estimate, n G(n) for Grassberger's.
type entropyTerm struct {
	grassberger bool
	table       []float64 // f(n) for small n
}

const termTable = 1 << 14

func newEntropyTerm(grassberger bool) entropyTerm {
	e := entropyTerm{grassberger: grassberger, table: make([]float64, termTable)}
	for n := 1; n < termTable; n++ {
		e.table[n] = e.eval(int64(n))
	}
	return e
}

func (e entropyTerm) at(n int64) float64 {
	if n < termTable {
		return e.table[n]
	}
	return e.eval(n)
}

func (e entropyTerm) eval(n int64) float64 {
	if n == 0 {
		return 0
	}
	x := float64(n)
	if !e.grassberger {
		return x * math.Log(x)
	}
	return x * GrassbergerG(n)
}

// GrassbergerG returns G(n) = ψ(n) + ½(−1)ⁿ[ψ((n+1)/2) − ψ(n/2)] of Grassberger's
// entropy estimator (P. Grassberger, "Entropy estimates from insufficient samplings",
// arXiv:physics/0307138 (2003), eq. 35): Ĥ = ln N − (1/N) Σ_i n_i G(n_i). It panics
// for n < 1.
func GrassbergerG(n int64) float64 {
	if n < 1 {
		panic("mi: GrassbergerG of n < 1")
	}
	x := float64(n)
	sign := 1.0
	if n%2 == 1 {
		sign = -1
	}
	return mathext.Digamma(x) + 0.5*sign*(mathext.Digamma((x+1)/2)-mathext.Digamma(x/2))
}

// occupied returns the number of non-zero entries of m.
func occupied(m []int64) int {
	n := 0
	for _, v := range m {
		if v != 0 {
			n++
		}
	}
	return n
}
