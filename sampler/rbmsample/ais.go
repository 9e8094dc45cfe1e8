package rbmsample

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"

	"github.com/deepglass/deepglass/internal/pool"
	"github.com/deepglass/deepglass/models"
	"github.com/deepglass/deepglass/sampler"
)

// AISOptions configures [AIS]. The zero value gives the schedule of Salakhutdinov &
// Murray (2008), 100 chains, seed 0 and a uniform base model.
type AISOptions struct {
	// Betas is the annealing schedule, increasing from exactly 0 to exactly 1. Nil means
	// DefaultAISBetas().
	Betas []float64
	// Chains is the number of independent AIS runs; 0 means 100.
	Chains int
	// Seed and Sample select the streams: run c draws from
	// sampler.NewStream(Seed, sampler.PurposeChain, Sample, c), so results do not depend on Workers.
	Seed   uint64
	Sample int
	// A0 holds the visible biases of the base-rate model. If nil, they are the
	// smoothed log-odds of Data (see [BaseRate]), or zero if Data is nil too.
	A0   []float64
	Data [][]float64
	// Workers is the number of goroutines; 0 means runtime.GOMAXPROCS(0).
	Workers int
}

// AISResult is the outcome of [AIS].
type AISResult struct {
	// LogZ = ln Ẑ, with Ẑ = Z_0 · (1/C) Σ_c w_c the mean importance weight of the C runs.
	// E[Ẑ] = Z, so ln Ẑ is biased low by about Err²/2 (Jensen) and is a stochastic
	// lower bound on ln Z.
	LogZ float64
	// Err is the delta-method standard error of ln Ẑ: se(Ẑ)/Ẑ, from the spread of the
	// weights.
	Err float64
	// LogZLow and LogZHigh are ln(Ẑ ∓ 3·se(Ẑ)), the interval reported by Salakhutdinov
	// & Murray; LogZLow is -Inf if Ẑ < 3·se(Ẑ). This is not a guaranteed bracket; for
	// one, pair AIS (a stochastic lower bound) with [ReverseAIS] (an upper one).
	LogZLow, LogZHigh float64
	// LogZ0 is the exact ln Z of the base model.
	LogZ0 float64
	// LogWeights holds ln w_c of each run, in run order.
	LogWeights []float64
	// Steps is the number of intermediate distributions, len(Betas) - 1.
	Steps int
}

// String returns a summary such as "ln Z = 27.1234 ± 0.0051 (100 runs, 14999 steps)".
func (r AISResult) String() string {
	return fmt.Sprintf("ln Z = %.4f ± %.4f (%d runs, %d steps)", r.LogZ, r.Err, len(r.LogWeights), r.Steps)
}

// AISBetas returns the piecewise-uniform schedule with n1 values in [0, 0.5), n2 in
// [0.5, 0.9) and n3 in [0.9, 1] ending at exactly 1: n1+n2+n3 values in all, plus the
// leading 0. It panics if any count is negative or all are zero.
func AISBetas(n1, n2, n3 int) []float64 {
	if n1 < 0 || n2 < 0 || n3 < 0 || n1+n2+n3 == 0 {
		panic(fmt.Sprintf("rbmsample: AISBetas(%d, %d, %d) needs non-negative counts, not all zero", n1, n2, n3))
	}
	b := make([]float64, 0, n1+n2+n3+1)
	b = append(b, 0)
	for _, seg := range []struct {
		lo, hi float64
		n      int
	}{{0, 0.5, n1}, {0.5, 0.9, n2}, {0.9, 1, n3}} {
		for k := 1; k <= seg.n; k++ {
			b = append(b, seg.lo+(seg.hi-seg.lo)*float64(k)/float64(seg.n))
		}
	}
	b[len(b)-1] = 1
	return b
}

// DefaultAISBetas returns the schedule of Salakhutdinov & Murray (2008): 1000 steps in
// [0, 0.5], 4000 in [0.5, 0.9] and 10000 in [0.9, 1].
func DefaultAISBetas() []float64 { return AISBetas(1000, 4000, 10000) }

// BaseRate returns visible biases a0_i = ln(p_i/(1-p_i)) with p_i = (Σ_d v_di + ½)/(D + 1),
// the smoothed log-odds of each visible unit in data (the base-rate model of
// Salakhutdinov & Murray). It panics if data is empty or ragged.
func BaseRate(data [][]float64) []float64 {
	if len(data) == 0 {
		panic("rbmsample: BaseRate of empty data")
	}
	a0 := make([]float64, len(data[0]))
	for _, v := range data {
		if len(v) != len(a0) {
			panic("rbmsample: BaseRate: ragged data")
		}
		for i, vi := range v {
			a0[i] += vi
		}
	}
	for i, s := range a0 {
		p := (s + 0.5) / (float64(len(data)) + 1)
		a0[i] = math.Log(p / (1 - p))
	}
	return a0
}

// AIS estimates ln Z of r by annealed importance sampling (Neal 2001; Salakhutdinov &
// Murray 2008). The base model has visible biases a0, W = 0 and b = 0, so
//
//	ln Z_0 = Σ_i softplus(a0_i) + NH·ln 2
//
// exactly. The intermediate distributions over the visible units, hidden units summed
// out, are
//
//	f_k(v) = exp((1-β_k)·a0ᵀv + β_k·aᵀv) · Π_j (1 + exp(β_k(b_j + (Wᵀv)_j))),
//
// so f_0 is the base model (times 2^NH) and f_K = e^{-F(v)}. Each run draws v exactly
// from p_0, then for k = 1…K adds ln f_k(v) - ln f_{k-1}(v) to its log-weight and
// moves v by one block-Gibbs step that leaves f_k invariant: h_j ~ σ(β_k(b_j + (Wᵀv)_j)),
// v_i ~ σ((1-β_k)a0_i + β_k(a_i + (Wh)_i)). Runs execute concurrently, each on its own
// stream, and are combined by log-mean-exp in run order, so the result does not depend
// on Workers or GOMAXPROCS.
//
// The cost is about (len(Betas) - 1)·Chains·(2·NV·NH multiply-adds + 2·NH + NV exp +
// one log): 2–3 µs per run and step at NV = 16, NH = 12 on one core of a shared 2026
// VM, so the default schedule with 100 runs takes about 4 s there. It panics if the schedule is not increasing from 0 to 1, if A0 or Data do
// not match r, or if Chains or Workers is negative.
func AIS(r *models.RBM, opts AISOptions) AISResult {
	s := newAISSetup(r, opts)
	logw := s.run(r, s.betas, func(c int, src *rand.PCG, v []float64) {
		for i, a := range s.a0 {
			v[i] = rbmBernoulli(src, a) // exact draw from the base model
		}
	})
	m, mean, se := combineLogWeights(logw)
	res := AISResult{
		LogZ:       s.lz0 + m + math.Log(mean),
		Err:        se / mean,
		LogZ0:      s.lz0,
		LogWeights: logw,
		Steps:      len(s.betas) - 1,
		LogZHigh:   s.lz0 + m + math.Log(mean+3*se),
		LogZLow:    math.Inf(-1),
	}
	if mean > 3*se {
		res.LogZLow = s.lz0 + m + math.Log(mean-3*se)
	}
	return res
}

// ReverseAIS estimates ln Z of r by reverse AIS: each run starts from a visible state
// of r itself and anneals along the schedule of [AIS] backwards, from β = 1 to β = 0,
// so the mean weight estimates Z_0/Z and
//
//	ln Ẑ = ln Z_0 - ln((1/C) Σ_c w_c).
//
// If the starting states are exact samples of p(v), E[1/Ẑ] = 1/Z and ln Ẑ is a
// stochastic upper bound on ln Z, so [AIS] and ReverseAIS bracket ln Z (Burda, Grosse &
// Salakhutdinov 2015 discuss the idea). Starting states come from start[c % len(start)]
// if start is not nil (exact samples, or data for a well-trained model); otherwise run c
// starts from a uniform random state and makes burnin block-Gibbs steps at β = 1 on its
// own stream, which is only approximately a sample of p(v): the bound then holds only
// as far as the chain has mixed. In the result, LogZLow and LogZHigh are
// ln Z_0 - ln(mean ± 3·se), LogZHigh being +Inf if the mean weight is below 3·se. It
// panics as [AIS] does, or if a start state has the wrong length or burnin is negative.
func ReverseAIS(r *models.RBM, opts AISOptions, start [][]float64, burnin int) AISResult {
	if burnin < 0 {
		panic("rbmsample: ReverseAIS with negative burnin")
	}
	for _, v := range start {
		if len(v) != r.NV() {
			panic(fmt.Sprintf("rbmsample: ReverseAIS start state of length %d, RBM has nv=%d", len(v), r.NV()))
		}
	}
	s := newAISSetup(r, opts)
	rev := make([]float64, len(s.betas))
	for k, b := range s.betas {
		rev[len(rev)-1-k] = b
	}
	g := BlockGibbs{RBM: r, Beta: 1}
	logw := s.run(r, rev, func(c int, src *rand.PCG, v []float64) {
		if start != nil {
			copy(v, start[c%len(start)])
			return
		}
		ch := NewRBMChain(r, src)
		g.Run(ch, burnin)
		copy(v, ch.V)
	})
	m, mean, se := combineLogWeights(logw)
	res := AISResult{
		LogZ:       s.lz0 - m - math.Log(mean),
		Err:        se / mean,
		LogZ0:      s.lz0,
		LogWeights: logw,
		Steps:      len(s.betas) - 1,
		LogZLow:    s.lz0 - m - math.Log(mean+3*se),
		LogZHigh:   math.Inf(1),
	}
	if mean > 3*se {
		res.LogZHigh = s.lz0 - m - math.Log(mean-3*se)
	}
	return res
}

// aisSetup holds the options of an AIS run with defaults filled in.
type aisSetup struct {
	betas, a0       []float64
	chains, workers int
	seed            uint64
	sample          int
	lz0             float64
}

func newAISSetup(r *models.RBM, opts AISOptions) aisSetup {
	betas := opts.Betas
	if betas == nil {
		betas = DefaultAISBetas()
	}
	if len(betas) < 2 || betas[0] != 0 || betas[len(betas)-1] != 1 {
		panic("rbmsample: AIS schedule must run from 0 to 1")
	}
	for k := 1; k < len(betas); k++ {
		if !(betas[k] > betas[k-1]) {
			panic(fmt.Sprintf("rbmsample: AIS schedule not increasing at %d: %v ≤ %v", k, betas[k], betas[k-1]))
		}
	}
	chains := opts.Chains
	if chains == 0 {
		chains = 100
	}
	workers := opts.Workers
	if workers == 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	if chains < 0 || workers < 0 {
		panic("rbmsample: AIS with negative Chains or Workers")
	}
	nv, nh := r.NV(), r.NH()
	a0 := opts.A0
	switch {
	case a0 != nil:
	case opts.Data != nil:
		a0 = BaseRate(opts.Data)
	default:
		a0 = make([]float64, nv)
	}
	if len(a0) != nv {
		panic(fmt.Sprintf("rbmsample: AIS base-rate biases have length %d, RBM has nv=%d", len(a0), nv))
	}
	lz0 := float64(nh) * math.Ln2
	for _, x := range a0 {
		lz0 += models.Softplus(x)
	}
	return aisSetup{betas: betas, a0: a0, chains: chains, workers: min(workers, chains),
		seed: opts.Seed, sample: opts.Sample, lz0: lz0}
}

// run performs s.chains runs along betas on s.workers goroutines and returns their
// log-weights in run order. Run c draws from sampler.NewStream(seed, sampler.PurposeChain, sample, c),
// first through init, which sets the starting visible state.
func (s aisSetup) run(r *models.RBM, betas []float64, init func(c int, src *rand.PCG, v []float64)) []float64 {
	nv, nh := r.NV(), r.NH()
	logw := make([]float64, s.chains)
	type scratch struct{ v, h, x, y []float64 }
	buf := make([]scratch, s.workers)
	for w := range buf {
		buf[w] = scratch{make([]float64, nv), make([]float64, nh), make([]float64, nh), make([]float64, nv)}
	}
	pool.Each(context.Background(), s.chains, s.workers, func(_ context.Context, c, w int) error {
		b := buf[w]
		src := sampler.NewStream(s.seed, sampler.PurposeChain, s.sample, c)
		init(c, src, b.v)
		logw[c] = aisRun(r, s.a0, betas, src, b.v, b.h, b.x, b.y)
		return nil
	})
	return logw
}

// combineLogWeights returns m = max ln w, the mean of w/e^m and its standard error.
func combineLogWeights(logw []float64) (m, mean, se float64) {
	m = math.Inf(-1)
	for _, w := range logw {
		m = math.Max(m, w)
	}
	var s, s2 float64
	for _, w := range logw {
		e := math.Exp(w - m)
		s += e
		s2 += e * e
	}
	n := float64(len(logw))
	mean = s / n
	if len(logw) > 1 {
		se = math.Sqrt(math.Max(0, s2/n-mean*mean) / (n - 1))
	}
	return m, mean, se
}

// aisRun anneals v through the schedule betas (in either direction) and returns the
// log-weight Σ_k ln f_{β_k}(v_k) - ln f_{β_{k-1}}(v_k), moving v after each term by one
// block-Gibbs step that leaves f_{β_k} invariant (except after the last); v must hold
// the starting state, and h, x, y are scratch.
func aisRun(r *models.RBM, a0, betas []float64, src *rand.PCG, v, h, x, y []float64) float64 {
	raw := r.W.RawMatrix()
	w, stride, nh := raw.Data, raw.Stride, len(h)
	logw := 0.0
	last := len(betas) - 1
	for k := 1; k <= last; k++ {
		bk, bp := betas[k], betas[k-1]
		// x = b + Wᵀv.
		copy(x, r.B)
		d := 0.0
		for i, vi := range v {
			if vi == 0 {
				continue
			}
			d += vi * (r.A[i] - a0[i])
			row := w[i*stride : i*stride+nh]
			xs := x[:len(row)]
			for j, wij := range row {
				xs[j] += vi * wij
			}
		}
		d *= bk - bp
		// ln f_k(v) - ln f_{k-1}(v) needs Σ_j softplus(β_k x_j) - softplus(β_{k-1} x_j).
		// With softplus(z) = max(z, 0) + ln(1 + e^{-|z|}) the logs go into one ratio p
		// (factors in (½, 2), folded every 512 units), and e^{-|β_k x_j|} also gives
		// σ(β_k x_j) for drawing h_j ~ P_{β_k}(h_j|v), one draw per unit in index order.
		p := 1.0
		for j, xj := range x {
			zk, zp := bk*xj, bp*xj
			ek, ep := math.Exp(-math.Abs(zk)), math.Exp(-math.Abs(zp))
			d += max(zk, 0) - max(zp, 0)
			p *= (1 + ek) / (1 + ep)
			if j&511 == 511 {
				d += math.Log(p)
				p = 1
			}
			sig := 1 / (1 + ek)
			if zk < 0 {
				sig = ek / (1 + ek)
			}
			h[j] = 0
			if uniform(src) < sig {
				h[j] = 1
			}
		}
		logw += d + math.Log(p)
		if k < last {
			rbmSampleVisible(r, bk, a0, h, v, y, src)
		}
	}
	return logw
}
