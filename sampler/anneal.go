package sampler

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/deepglass/deepglass/internal/pool"
	"github.com/deepglass/deepglass/models"
)

// Schedule kinds: how the β of an annealing schedule are spaced.
const (
	// ScheduleLinear spaces β evenly: β_k = β_start + (β_end − β_start)·k/(Sweeps−1).
	ScheduleLinear = "linear"
	// ScheduleGeometric spaces ln β evenly: β_k = β_start·(β_end/β_start)^{k/(Sweeps−1)}.
	ScheduleGeometric = "geometric"
)

// Schedule is an annealing schedule: one inverse temperature per sweep, Sweeps of them,
// from BetaStart to BetaEnd, spaced as Kind says: [ScheduleLinear] (also when Kind is
// empty) or [ScheduleGeometric].
type Schedule struct {
	BetaStart, BetaEnd float64
	Sweeps             int
	Kind               string
}

// Validate reports whether s is usable: both β finite and ≥ 0 (and > 0 for a
// geometric schedule), Sweeps ≥ 1 and Kind known. Configurations read from files should
// be validated with it; the functions that take a Schedule panic on an invalid one.
func (s Schedule) Validate() error {
	ok := func(b float64) bool { return b >= 0 && !math.IsInf(b, 0) }
	if !ok(s.BetaStart) || !ok(s.BetaEnd) {
		return fmt.Errorf("schedule β %v→%v: want finite β ≥ 0", s.BetaStart, s.BetaEnd)
	}
	if s.Sweeps < 1 {
		return fmt.Errorf("schedule with %d sweeps: want ≥ 1", s.Sweeps)
	}
	switch s.Kind {
	case "", ScheduleLinear:
	case ScheduleGeometric:
		if s.BetaStart == 0 || s.BetaEnd == 0 {
			return fmt.Errorf("geometric schedule β %v→%v: want β > 0", s.BetaStart, s.BetaEnd)
		}
	default:
		return fmt.Errorf("unknown schedule kind %q: want linear or geometric", s.Kind)
	}
	return nil
}

// check panics unless s is valid.
func (s Schedule) check(who string) {
	if err := s.Validate(); err != nil {
		panic(fmt.Sprintf("sampler: %s: %v", who, err))
	}
}

// Beta returns the β of sweep k (0 ≤ k < Sweeps). The first sweep runs at BetaStart and
// the last at BetaEnd, exactly; a one-sweep schedule runs at BetaEnd. Beta does not
// check s: [Schedule.Betas] does.
func (s Schedule) Beta(k int) float64 {
	if k >= s.Sweeps-1 {
		return s.BetaEnd
	}
	if k <= 0 {
		return s.BetaStart
	}
	t := float64(k) / float64(s.Sweeps-1)
	if s.Kind == ScheduleGeometric {
		return s.BetaStart * math.Pow(s.BetaEnd/s.BetaStart, t)
	}
	return s.BetaStart + (s.BetaEnd-s.BetaStart)*t
}

// Betas returns the β of every sweep, monotonic from BetaStart to BetaEnd. It panics if
// the schedule is invalid (see [Schedule.Validate]).
func (s Schedule) Betas() []float64 {
	s.check("Schedule.Betas")
	b := make([]float64, s.Sweeps)
	for k := range b {
		b[k] = s.Beta(k)
	}
	return b
}

// String describes the schedule, e.g. "linear β 0.1→3, 2000 sweeps".
func (s Schedule) String() string {
	kind := s.Kind
	if kind == "" {
		kind = ScheduleLinear
	}
	return fmt.Sprintf("%s β %.4g→%.4g, %d sweeps", kind, s.BetaStart, s.BetaEnd, s.Sweeps)
}

// Default schedule parameters, tuned on the G-set graphs G1, G22, G43 and G55 (see
// DefaultSchedule).
const (
	defaultHotAccept = 0.2 // acceptance of a typical uphill move, ΔE = 2r, at BetaStart
	defaultColdLog   = 5   // β_end·ΔE_min: the smallest move is accepted with e⁻⁵ ≈ 0.007
	defaultSweeps    = 5000
	// For continuous couplings, the smallest coupling counts as at least r/5.
	defaultColdFloor = 1.0 / 5
)

// DefaultSchedule returns a schedule for finding low-energy states of m, from its
// coupling scale. Let r be the root-mean-square local field of a random state,
// r² = (1/N) Σ_i (h_i² + Σ_j J_ij²), and J_min the smallest non-zero |J_ij| or |h_i|.
// The schedule starts where a typical uphill move, ΔE = 2r, is accepted with
// probability 0.2, and ends where the smallest one, ΔE = 2·J_min, is accepted with
// probability e⁻⁵ ≈ 0.007:
//
//	β_start = ln 5 / (2r),  β_end = 5 / (2·J_min),
//
// in 5000 sweeps. On G-set graphs (J = −1, mean degree z, r = √z) this is β from
// 0.8/√z, close to the spin-glass transition of the random graph (tanh β_c = 1/√z), to
// 2.5. The end looks warm, but the quench that ends every run removes the remaining
// single-flip excitations, and sweeps spent colder gain nothing: on G1, G22, G43 and
// G55, ends at β = 2 and 3.5 did worse than 2.5, and starts hotter than about 0.8/√z
// spent costly sweeps (most moves accepted, each updating z fields) for nothing.
// 5000 sweeps balances the chance that one anneal reaches the best known cut of G22
// (≈ 1%; 0.6% at 3000 sweeps, 0.1% at 1000) against its time.
//
// Models with integer couplings get a linear schedule (in β). For continuous
// couplings J_min is at least r/5 (the smallest |J| of a Gaussian sample means
// nothing) and the schedule is geometric: β_end/β_start is then about 30, and on small
// Gaussian spin glasses and SK models a geometric schedule found ground states more
// often than a linear one in as many sweeps.
//
// For models other than [*models.Sparse] and [*models.Dense], r and J_min are estimated
// from ΔE at a few thousand sites of random states drawn from a fixed stream, and the
// couplings count as continuous.
func DefaultSchedule(m models.Model) Schedule {
	if m == nil {
		panic("sampler: DefaultSchedule with nil model")
	}
	hot, cold, integer := couplingScale(m)
	kind := ScheduleGeometric
	if integer {
		kind = ScheduleLinear
	} else {
		cold = max(cold, defaultColdFloor*hot)
	}
	return Schedule{
		BetaStart: math.Log(1/defaultHotAccept) / (2 * hot),
		BetaEnd:   defaultColdLog / (2 * cold),
		Sweeps:    defaultSweeps,
		Kind:      kind,
	}
}

// couplingScale returns the root-mean-square local field of a random state, the
// smallest non-zero coupling or field magnitude, and whether m is a Sparse model with
// integer couplings. A model without couplings gives (1, 1).
func couplingScale(m models.Model) (hot, cold float64, integer bool) {
	n := m.N()
	minAbs := math.Inf(1)
	note := func(x float64) float64 {
		if x != 0 {
			minAbs = min(minAbs, math.Abs(x))
		}
		return x * x
	}
	var sum2 float64
	switch p := m.(type) {
	case *models.Sparse:
		integer = p.JInt != nil
		for i := range n {
			sum2 += note(p.H[i])
			for k := p.Start[i]; k < p.Start[i+1]; k++ {
				sum2 += note(p.J[k])
			}
		}
		hot = math.Sqrt(sum2 / float64(n))
	case *models.Dense:
		for i := range n {
			sum2 += note(p.H[i])
			for _, j := range p.J[i*n : (i+1)*n] {
				sum2 += note(j)
			}
		}
		hot = math.Sqrt(sum2 / float64(n))
	default:
		// ΔE/2 = s_i f_i at random sites of random states: its mean square is r².
		src := NewStream(0, PurposeChain, 0, 0)
		s := make([]int8, n)
		const samples = 4096
		per := max(1, min(n, samples/16)) // sites per state
		count := 0
		for count < samples {
			for i := range s {
				s[i] = int8(src.Uint64()>>63)*2 - 1
			}
			for range per {
				sum2 += note(m.DeltaE(s, site(src, uint64(n))) / 2)
			}
			count += per
		}
		hot = math.Sqrt(sum2 / float64(count))
	}
	if hot == 0 || math.IsInf(minAbs, 1) {
		return 1, 1, integer
	}
	return hot, minAbs, integer
}

// Anneal is simulated annealing: single-spin-flip Metropolis sweeps at the inverse
// temperatures of Schedule, one sweep per β, then zero-temperature sweeps that flip
// every spin whose flip lowers the energy until none is left (a quench to a local
// minimum). It keeps the lowest-energy state seen at the ends of sweeps.
//
// On a [*models.Sparse] with integer couplings it runs its own kernel, which keeps the
// chain's local fields up to date instead of adding them up at every visit, and
// decides most moves with one byte of a random draw instead of a whole draw; on G22
// a sweep is about 5 times faster than with [Metropolis] at β = 0.5 and more than 10
// times at β ≥ 1, where an anneal spends most of its sweeps (BenchmarkAnnealSweep). Its acceptance probabilities are the Metropolis
// ones, min(1, e^{−βΔE}), exact to 2⁻⁶¹, but it uses random numbers differently, so it
// is not bit-identical to a Metropolis chain at the same β. Its tables cost a few
// hundred nanoseconds per sweep to rebuild for the next β. Other models go through
// [Metropolis], with its β changed before every sweep (which costs nothing for them:
// their kernels compute e^{−βΔE} as they go).
//
// An Anneal holds only configuration: Run allocates its own scratch space, so one
// Anneal can run any number of chains concurrently.
type Anneal struct {
	Model    models.Model
	Schedule Schedule
	Order    Order
}

// NewAnneal returns an annealer of m with schedule s in Typewriter order. It panics if
// m is nil or s is invalid (see [Schedule.Validate]).
func NewAnneal(m models.Model, s Schedule) *Anneal {
	if m == nil {
		panic("sampler: NewAnneal with nil model")
	}
	s.check("NewAnneal")
	return &Anneal{Model: m, Schedule: s, Order: Typewriter}
}

// Run anneals c from its current state: one sweep at each β of the schedule, then the
// quench. It returns a new slice holding the lowest-energy state seen at the start, at
// the end of each sweep or after the quench, and that state's energy. The chain is left
// in its final (quenched) state, with its energy and counters updated; the quench's
// sweeps count as proposals too.
//
// On models with integer couplings the energies are exact. On others, the returned
// energy and c.E are recomputed from the states at the end, removing round-off drift.
func (a *Anneal) Run(c *Chain) (best []int8, bestE float64) {
	r := newAnnealRun(a)
	checkChain("Anneal.Run", c, a.Model.N())
	bestE, _, _ = r.run(c, nil)
	return r.best, bestE
}

// String describes the annealer, e.g. "anneal linear β 0.1→3, 2000 sweeps, typewriter,
// on graph G22.txt (N=2000, bonds=19990)".
func (a *Anneal) String() string {
	return fmt.Sprintf("anneal %v, %v, on %v", a.Schedule, a.Order, a.Model)
}

// annealRun is the working state of one annealer: scratch space reused from run to
// run by one goroutine.
type annealRun struct {
	m      models.Model
	sched  Schedule
	random bool
	ki     *annealInt // integer kernel, or nil
	mh     Metropolis // the other models' kernel
	best   []int8
}

// newAnnealRun checks a's configuration and returns its scratch space.
func newAnnealRun(a *Anneal) *annealRun {
	if a.Model == nil {
		panic("sampler: Anneal with nil model")
	}
	a.Schedule.check("Anneal")
	checkOrder("Anneal", a.Order)
	r := &annealRun{
		m:      a.Model,
		sched:  a.Schedule,
		random: a.Order == RandomSite,
		best:   make([]int8, a.Model.N()),
	}
	if p, ok := a.Model.(*models.Sparse); ok && p.JInt != nil {
		r.ki = newAnnealInt(p)
	} else {
		r.mh = Metropolis{Model: a.Model, Order: a.Order}
	}
	return r
}

// maxQuenchSweeps bounds the quench of models with float couplings (see quenchAny).
const maxQuenchSweeps = 1000

// run anneals c as Anneal.Run does, keeping the best state in r.best. After every sweep
// (the quench counting as one call) it calls hook, if not nil, with the number of
// sweeps made so far and the chain's energy; if hook returns true, run stops at once and
// returns complete = false. It returns the best energy and the sweeps made.
func (r *annealRun) run(c *Chain, hook func(sweeps int64, e float64) bool) (bestE float64, sweeps int64, complete bool) {
	n := len(c.S)
	copy(r.best, c.S)
	bestE = c.E
	if r.ki != nil {
		r.ki.load(c.S)
	}
	for k := range r.sched.Sweeps {
		beta := r.sched.Beta(k)
		if r.ki != nil {
			r.ki.setBeta(beta)
			acc, half := r.ki.sweep(c.S, c.Src, r.random)
			c.E += float64(2 * half)
			c.Accepted += acc
			c.Proposed += int64(n)
		} else {
			r.mh.Beta = beta
			r.mh.Sweep(c)
		}
		sweeps++
		if c.E < bestE {
			bestE = c.E
			copy(r.best, c.S)
		}
		if hook != nil && hook(sweeps, c.E) {
			return bestE, sweeps, false
		}
	}
	var qs int
	var flips int64
	if r.ki != nil {
		var half int
		qs, flips, half = r.ki.quench(c.S)
		c.E += float64(2 * half)
	} else {
		var de float64
		qs, flips, de = quenchAny(r.m, c.S, maxQuenchSweeps)
		c.E += de
	}
	sweeps += int64(qs)
	c.Accepted += flips
	c.Proposed += int64(qs) * int64(n)
	if c.E < bestE {
		bestE = c.E
		copy(r.best, c.S)
	}
	if r.ki == nil {
		c.Resync(r.m)
		bestE = r.m.Energy(r.best)
	}
	if hook != nil {
		hook(sweeps, c.E)
	}
	return bestE, sweeps, true
}

// TargetHit records when a restart of [AnnealRestarts] first reached an energy at or
// below Target: Seconds of wall time after the start, Sweeps made by all restarts
// together up to then (those of unfinished restarts included), and the restart that did.
type TargetHit struct {
	Target  float64
	Seconds float64
	Sweeps  int64
	Restart int
}

// String describes the hit, e.g. "E ≤ -6596 after 0.125 s, 61000 sweeps (restart 23)".
func (h TargetHit) String() string {
	return fmt.Sprintf("E ≤ %g after %.3g s, %d sweeps (restart %d)", h.Target, h.Seconds, h.Sweeps, h.Restart)
}

// AnnealResult is the outcome of [AnnealRestarts].
type AnnealResult struct {
	// BestE and Best are the lowest energy found by a completed restart and its state;
	// Best is nil and BestE +Inf if no restart completed.
	BestE float64
	Best  []int8
	// Restarts counts the completed restarts; Sweeps counts all sweeps made, including
	// those of restarts interrupted by the deadline, the context or the last target hit.
	Restarts int
	Sweeps   int64
	Elapsed  time.Duration
	// Hits has one entry for each target reached, in the order of the targets.
	Hits []TargetHit
}

// String summarises the result and its hits, e.g. "E=-6728 after 22 restarts
// (110296 sweeps, 0.678 s); E ≤ -6596 after 0.0212 s, 1644 sweeps (restart 0)".
func (r AnnealResult) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "E=%g after %d restarts (%d sweeps, %.3g s)", r.BestE, r.Restarts, r.Sweeps, r.Elapsed.Seconds())
	for _, h := range r.Hits {
		fmt.Fprintf(&b, "; %v", h)
	}
	return b.String()
}

// AnnealRestarts runs independent anneals of m with schedule s (in Typewriter order) on
// workers goroutines (GOMAXPROCS if workers < 1). Restart r anneals a random start,
// NewChain(m, NewStream(seed, PurposeChain, 0, r)), exactly as
//
//	NewAnneal(m, s).Run(NewChain(m, NewStream(seed, PurposeChain, 0, r)))
//
// would. Restarts are handed out in order r = 0, 1, 2, … It stops when every target
// energy has been reached (letting the restart that reached the last one finish and
// interrupting the others), when deadline (if > 0) has passed since the call, when ctx
// is done, or when maxRestarts (if > 0) restarts have completed; interrupted restarts
// do not count. At least one of these must be able to happen: it panics otherwise, and
// if a target is NaN.
//
// A target is reached when the energy at the end of a sweep (or after the quench) is at
// or below it; with float couplings that energy carries round-off, so pass targets
// with a margin. The result's Best is the best state of all completed restarts,
// combined in restart order with ties going to the lower restart: it depends only on
// seed and on which restarts completed, not on workers or timing. (A target may be
// reached by a restart that is then interrupted, so that BestE lies above it.)
func AnnealRestarts(ctx context.Context, m models.Model, s Schedule, seed uint64, workers int, targets []float64, deadline time.Duration, maxRestarts int) AnnealResult {
	a := NewAnneal(m, s)
	return AnnealRestartsOf(ctx, func() RestartPass { return &scalarPass{newAnnealRun(a)} }, seed, workers, targets, deadline, maxRestarts)
}

// RestartPass anneals one pass of restarts: one restart for the scalar kernels, 64
// (one per lane) for the packed ones of sampler/packed. A pass object is scratch space
// for one goroutine. It is the hook for kernels outside this package
// ([AnnealRestartsOf]); users of AnnealRestarts do not call its methods.
type RestartPass interface {
	// Run anneals pass k from its random start (stream k of seed), calling hook after
	// every sweep with the number of sweeps of the pass so far and its lowest energy so
	// far, and stopping early (complete false) when hook returns true. It returns the
	// lowest energy of the pass and its sweeps.
	Run(k int, seed uint64, hook func(sweeps int64, e float64) bool) (bestE float64, sweeps int64, complete bool)
	// Best returns the best state of the last Run and the index of its restart within
	// the pass.
	Best() ([]int8, int)
	// Width is the number of restarts per pass.
	Width() int
}

// scalarPass is one scalar restart per pass.
type scalarPass struct{ r *annealRun }

func (p *scalarPass) Run(k int, seed uint64, hook func(int64, float64) bool) (float64, int64, bool) {
	return p.r.run(NewChain(p.r.m, NewStream(seed, PurposeChain, 0, k)), hook)
}
func (p *scalarPass) Best() ([]int8, int) { return p.r.best, 0 }
func (p *scalarPass) Width() int          { return 1 }

// AnnealRestartsOf is [AnnealRestarts] over the passes newPass makes (one per worker):
// pass k covers restarts k·Width() … (k+1)·Width()−1, and maxRestarts is rounded up
// to whole passes; stopping rules, targets and the combination of the best states are
// those of AnnealRestarts. It is the driver behind AnnealRestarts and the packed
// restarts of sampler/packed.
func AnnealRestartsOf(ctx context.Context, newPass func() RestartPass, seed uint64, workers int, targets []float64, deadline time.Duration, maxRestarts int) AnnealResult {
	start := time.Now()
	for _, t := range targets {
		if math.IsNaN(t) {
			panic("sampler: AnnealRestarts with a NaN target")
		}
	}
	if deadline <= 0 && maxRestarts <= 0 && len(targets) == 0 && ctx.Done() == nil {
		panic("sampler: AnnealRestarts with no deadline, restart limit, target or cancellable context")
	}
	if workers < 1 {
		workers = runtime.GOMAXPROCS(0)
	}
	width := newPass().Width()
	maxPasses := 0
	if maxRestarts > 0 {
		maxPasses = (maxRestarts + width - 1) / width
		workers = min(workers, maxPasses)
	}
	sh := &restartShared{
		start:   start,
		targets: targets,
		hit:     make([]bool, len(targets)),
		hits:    make([]TargetHit, len(targets)),
		count:   make([]paddedCount, workers),
	}
	sh.updateOpen()
	res := AnnealResult{BestE: math.Inf(1)}
	if ctx.Err() != nil {
		res.Elapsed = time.Since(start)
		return res
	}

	outs := make([]workerBest, workers)
	finished := make(chan struct{})
	go func() {
		pool.Each(context.Background(), workers, workers, func(_ context.Context, w, _ int) error {
			outs[w] = sh.work(newPass(), seed, w, maxPasses)
			return nil
		})
		close(finished)
	}()
	var timeout <-chan time.Time
	if deadline > 0 {
		t := time.NewTimer(deadline - time.Since(start))
		defer t.Stop()
		timeout = t.C
	}
	select {
	case <-finished:
	case <-ctx.Done():
	case <-timeout:
	}
	sh.abort.Store(true)
	<-finished

	bestR := math.MaxInt
	for w := range outs {
		o := &outs[w]
		res.Restarts += o.restarts
		res.Sweeps += sh.count[w].n.Load()
		if o.best != nil && (o.bestE < res.BestE || o.bestE == res.BestE && o.restart < bestR) {
			res.BestE, res.Best, bestR = o.bestE, o.best, o.restart
		}
	}
	for j, ok := range sh.hit {
		if ok {
			res.Hits = append(res.Hits, sh.hits[j])
		}
	}
	res.Elapsed = time.Since(start)
	return res
}

// workerBest is what one worker of AnnealRestarts found.
type workerBest struct {
	restarts int
	best     []int8 // nil if no restart completed
	bestE    float64
	restart  int
}

// paddedCount is a worker's sweep count, alone on its cache line.
type paddedCount struct {
	n atomic.Int64
	_ [56]byte
}

// restartShared is the state the workers of AnnealRestarts share.
type restartShared struct {
	start   time.Time
	targets []float64
	count   []paddedCount // sweeps made by each worker

	abort  atomic.Bool   // deadline, context or the end of the call: stop at once
	allHit atomic.Bool   // every target reached: stop all but the restart that did it
	open   atomic.Uint64 // bits of the highest target not yet reached, or of -Inf
	next   atomic.Int64  // next restart to hand out
	mu     sync.Mutex    // guards hit and hits
	hit    []bool
	hits   []TargetHit
}

// updateOpen sets open from hit; sh.mu must be held (or the workers not started).
func (sh *restartShared) updateOpen() {
	open := math.Inf(-1)
	for j, t := range sh.targets {
		if !sh.hit[j] {
			open = max(open, t)
		}
	}
	sh.open.Store(math.Float64bits(open))
}

// record notes that restart r of worker w reached energy e. It reports whether this
// reached the last target.
func (sh *restartShared) record(e float64, w, r int) (last bool) {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if sh.allHit.Load() {
		return false
	}
	now := time.Since(sh.start).Seconds()
	var sweeps int64
	for i := range sh.count {
		sweeps += sh.count[i].n.Load()
	}
	all := true
	for j, t := range sh.targets {
		if !sh.hit[j] && e <= t {
			sh.hit[j] = true
			sh.hits[j] = TargetHit{Target: t, Seconds: now, Sweeps: sweeps, Restart: r}
		}
		all = all && sh.hit[j]
	}
	sh.updateOpen()
	if all {
		sh.allHit.Store(true)
	}
	return all
}

// work runs passes of restarts for worker w until told to stop.
func (sh *restartShared) work(p RestartPass, seed uint64, w, maxPasses int) workerBest {
	out := workerBest{bestE: math.Inf(1)}
	cnt := &sh.count[w].n
	width := p.Width()
	var base int64 // sweeps of this worker's earlier passes
	var k int
	var mine bool // this pass reached the last target
	hook := func(sweeps int64, e float64) bool {
		cnt.Store(base + sweeps)
		if e <= math.Float64frombits(sh.open.Load()) && sh.record(e, w, k*width) {
			mine = true
		}
		return sh.abort.Load() || sh.allHit.Load() && !mine
	}
	for !sh.abort.Load() && !sh.allHit.Load() {
		k = int(sh.next.Add(1) - 1)
		if maxPasses > 0 && k >= maxPasses {
			break
		}
		e, sweeps, complete := p.Run(k, seed, hook)
		base += sweeps
		cnt.Store(base)
		if !complete {
			break
		}
		out.restarts += width
		// Passes come in increasing order, so a tie keeps the earlier one.
		if e < out.bestE {
			best, lane := p.Best()
			out.bestE, out.restart = e, k*width+lane
			if out.best == nil {
				out.best = make([]int8, len(best))
			}
			copy(out.best, best)
		}
		if mine {
			break
		}
	}
	return out
}
