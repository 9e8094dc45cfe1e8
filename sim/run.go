package sim

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/deepglass/deepglass/analysis"
	"github.com/deepglass/deepglass/internal/pool"
)

// maxBins bounds the number of bins a Series keeps per observable and point.
const maxBins = 1 << 14

// chunk is the number of sweeps between checks of cancellation, checkpoint requests
// and progress; resyncEvery bounds the round-off drift of incremental energies.
const (
	chunk       = 16
	resyncEvery = 1024
)

// ErrInterrupted is wrapped by the error Run returns when its context was cancelled.
var ErrInterrupted = errors.New("run interrupted")

// Run executes the study described by c. Single-temperature samplers run one
// independent chain per temperature, replica and disorder sample; pt runs one ladder per
// replica and sample; anneal runs annealing restarts. Work is spread over
// Options.Threads goroutines; the results do not depend on their number.
//
// The config is validated first; invalid configs and unreadable inputs return an
// [InputError]. When ctx is cancelled, Run stops within a few sweeps, writes a
// checkpoint (when Options.Out is set) and returns the finished part with
// Summary.Interrupted set and an error wrapping [ErrInterrupted] and ctx.Err().
func Run(ctx context.Context, c Config, opts Options) (*Summary, error) {
	c.Defaults()
	if err := c.Validate(); err != nil {
		return nil, &InputError{err}
	}
	if opts.Shards > 1 && (opts.Shard < 0 || opts.Shard >= opts.Shards) {
		return nil, &InputError{fmt.Errorf("shard %d/%d: want 0 ≤ i < n", opts.Shard, opts.Shards)}
	}
	if opts.Threads < 0 {
		return nil, &InputError{fmt.Errorf("threads: %d < 0 (0 means all cores)", opts.Threads)}
	}
	if opts.CheckpointEvery < 0 {
		return nil, &InputError{fmt.Errorf("checkpoint every %v: want a positive interval (0: only on interrupt)", opts.CheckpointEvery)}
	}
	if err := checkMemory(c, opts.Threads); err != nil {
		return nil, err
	}
	if c.Sampler == "anneal" {
		return runAnneal(ctx, c, opts)
	}
	if c.Sampler == "wanglandau" {
		return runWangLandau(ctx, c, opts)
	}
	if c.Sampler == "pa" {
		return runPA(ctx, c, opts)
	}
	r, err := newRunner(c, opts)
	if err != nil {
		return nil, err
	}
	return r.run(ctx)
}

// runner holds the state of one Run.
type runner struct {
	c       Config
	opts    Options
	start   time.Time
	threads int
	units   []*unit
	models  map[int]Instance // per sample, built on demand
	left    map[int]int      // per sample, units not yet finished
	mu      sync.Mutex
	desc    string
	n       int
	done    atomic.Int64
	total   int64
	coord   coordinator
	ioNanos atomic.Int64 // time spent writing config.json and checkpoints
	// warnings about the run as a whole (checkpoints), for the summary
	warnings []Warning
}

func newRunner(c Config, opts Options) (*runner, error) {
	r := &runner{c: c, opts: opts, start: time.Now(), models: map[int]Instance{}, left: map[int]int{}}
	r.threads = opts.Threads
	if r.threads <= 0 {
		r.threads = runtime.GOMAXPROCS(0)
	}
	r.coord.init()
	samples := r.samples()
	if len(samples) == 0 {
		return nil, &InputError{fmt.Errorf("shard %d/%d has no samples (samples = %d)", opts.Shard, opts.Shards, c.Samples)}
	}
	// Build the first sample's model now, so that unreadable inputs fail before any
	// directory is written.
	inst, err := r.instance(samples[0])
	if err != nil {
		return nil, err
	}
	r.n = inst.Model.N()
	r.desc = fmt.Sprint(inst.Model)
	for _, s := range samples {
		if c.Sampler == "pt" {
			r.addUnit(s, allTemps(len(c.T)))
			continue
		}
		for k := range c.T {
			r.addUnit(s, []int{k})
		}
	}
	per := int64(c.Therm + c.Sweeps) // an automatic measure_every runs every sweep
	if !autoMeasureEvery(c) {
		per = int64(c.Therm + (c.Sweeps/c.MeasureEvery)*c.MeasureEvery)
	}
	r.total = per * int64(len(r.units))
	return r, nil
}

func allTemps(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

// samples returns the disorder samples of this run (this shard's).
func (r *runner) samples() []int {
	var out []int
	for s := 0; s < r.c.Samples; s++ {
		if r.opts.Shards <= 1 || s%r.opts.Shards == r.opts.Shard {
			out = append(out, s)
		}
	}
	return out
}

func (r *runner) addUnit(s int, temps []int) {
	r.units = append(r.units, &unit{index: len(r.units), sample: s, temps: temps, reps: r.c.Replicas})
	r.left[s]++
}

// instance returns the model of sample s, building it once.
func (r *runner) instance(s int) (Instance, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if in, ok := r.models[s]; ok {
		return in, nil
	}
	if in, ok := r.models[0]; ok && (r.c.Model == "graph" || r.c.Model == "ising") {
		r.models[s] = in // no disorder: every sample is the same model
		return in, nil
	}
	in, err := BuildModel(r.c, s)
	if err != nil {
		return Instance{}, err
	}
	r.models[s] = in
	return in, nil
}

// forget drops the model of sample s once none of its units needs it.
func (r *runner) forget(s int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.left[s]--
	if r.left[s] <= 0 && s != 0 {
		delete(r.models, s)
	}
}

func (r *runner) run(ctx context.Context) (*Summary, error) {
	c := r.c
	if r.opts.Out != "" && !r.opts.Resume {
		t0 := time.Now()
		if err := writeRunConfig(r.opts.Out, c, r.opts.Shard, r.opts.Shards); err != nil {
			return nil, err
		}
		r.ioNanos.Add(int64(time.Since(t0)))
	}
	if r.opts.Resume {
		if err := r.restore(); err != nil {
			return nil, err
		}
	}
	stopProgress := startProgress(r.opts.Progress, &r.done, r.total)
	stopCheckpoints := r.startCheckpoints(ctx)

	// Units run on a pool of goroutines; a unit that runs alone (pt with one sample)
	// sweeps its temperatures on several.
	pending := 0
	for _, u := range r.units {
		if !u.done {
			pending++
		}
	}
	workers := min(r.threads, max(pending, 1))
	inner := max(1, r.threads/max(pending, 1))
	err := pool.Each(ctx, len(r.units), workers, func(ctx context.Context, k, _ int) error {
		if u := r.units[k]; !u.done {
			return r.runUnit(ctx, u, inner)
		}
		return nil
	})
	if ws := stopCheckpoints(); len(ws) > 0 {
		r.warnings = append(r.warnings, ws...)
		if r.opts.Log != nil {
			r.opts.Log("checkpoint: " + ws[0].Message)
		}
	}
	stopProgress()

	var runErr error
	if err != nil && !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) {
		runErr = err
	}
	interrupted := runErr == nil && ctx.Err() != nil
	if interrupted && r.opts.Out != "" {
		if err := r.writeCheckpoint(); err != nil {
			runErr = err
		}
	}
	sum, samples := r.summarize(interrupted)
	if r.opts.Out != "" {
		if err := writeResults(r.opts.Out, sum, samples, r.units); err != nil && runErr == nil {
			runErr = err
		}
		if !interrupted && runErr == nil {
			removeCheckpoints(r.opts.Out)
		}
	}
	if runErr == nil && interrupted {
		runErr = fmt.Errorf("%w: %w", ErrInterrupted, ctx.Err())
	}
	return sum, runErr
}

// initUnit builds the model, chains and moves of u (on its first run or resume).
func (r *runner) initUnit(u *unit) error {
	c := r.c
	inst, err := r.instance(u.sample)
	if err != nil {
		return err
	}
	u.inst, u.n = inst, inst.Model.N()
	if c.Sampler == "pt" {
		// Tempering wants increasing β: order the unit's temperatures hottest first.
		sort.SliceStable(u.temps, func(a, b int) bool { return c.T[u.temps[a]] > c.T[u.temps[b]] })
	}
	nt := len(u.temps)
	betas := make([]float64, nt)
	for j, k := range u.temps {
		betas[j] = 1 / c.T[k]
	}
	eng, err := r.newEngine(u, betas)
	if err != nil {
		return err
	}
	u.eng = eng
	u.adapted = c.Sampler != "pt" || c.Packed || c.Ladder == "fixed"
	u.tau = math.NaN()
	switch {
	case !autoMeasureEvery(c):
		u.every = c.MeasureEvery
		r.allocObservables(u)
	default:
		u.every, u.obs = 0, nil
		u.pilot = newPilot(c.Therm, nt, u.numChains()/u.reps)
		if u.pilot == nil {
			r.chooseEvery(u)
		}
	}
	u.acc0 = make([]int64, u.reps*nt)
	u.prop0 = make([]int64, u.reps*nt)
	u.bestE = math.Inf(1)
	return nil
}

// allocObservables allocates the observables of u for its measurement interval.
func (r *runner) allocObservables(u *unit) {
	nmeas := r.c.Sweeps / u.every
	binLen := (nmeas + maxBins - 1) / maxBins
	u.obs = make([]*observables, len(u.temps))
	for j := range u.obs {
		u.obs[j] = newObservables(binLen, u.reps, u.n, u.numChains(), chainBinLen(nmeas), len(u.extraObservables()))
	}
}

// runUnit advances u to the end of its schedule, or until ctx is cancelled.
func (r *runner) runUnit(ctx context.Context, u *unit, workers int) error {
	c := r.c
	r.coord.enter()
	defer r.coord.leave()
	if u.eng == nil {
		if err := r.initUnit(u); err != nil {
			return err
		}
	}
	u.workers = u.eng.setWorkers(workers)
	defer u.eng.close()
	if !u.adapted {
		if err := u.eng.adapt(c.Ladder, c.Therm/2); err != nil {
			return err
		}
		u.adapted = true
	}
	total := c.Therm + c.Sweeps // an automatic measure_every runs every sweep
	if !autoMeasureEvery(c) {
		total = c.Therm + (c.Sweeps/u.every)*u.every
	}
	if c.Therm == 0 && u.sweep == 0 {
		u.markTherm()
	}
	for u.sweep < total {
		t0 := time.Now()
		end := min(total, u.sweep+chunk)
		did := end - u.sweep
		for u.sweep < end {
			u.eng.sweep()
			u.sweep++
			if u.sweep%resyncEvery == 0 {
				u.eng.resync(u.inst.Model)
			}
			if e := u.eng.lowest(); e < u.bestE {
				u.bestE, u.bestSwp, u.bestAt = e, u.sweep, time.Since(r.start).Seconds()
			}
			if u.pilot != nil {
				u.pilot.record(u.sweep, len(u.temps), u.eng.(*packedEngine).pilotEnergies)
			}
			if u.sweep == c.Therm {
				u.markTherm()
				if u.every == 0 {
					r.chooseEvery(u)
				}
			}
			if d := u.sweep - c.Therm; d > 0 && d%u.every == 0 {
				tm := time.Now()
				for j := range u.temps {
					if e := u.eng.measure(u, j, d/u.every-1); e < u.bestE {
						u.bestE, u.bestSwp, u.bestAt = e, u.sweep, time.Since(r.start).Seconds()
					}
				}
				u.measureNanos += int64(time.Since(tm)) * int64(u.workers)
			}
		}
		u.nanos += int64(time.Since(t0)) * int64(u.workers)
		r.done.Add(int64(did))
		if err := ctx.Err(); err != nil {
			return err
		}
		r.coord.checkpointPoint()
	}
	u.eng.resync(u.inst.Model)
	r.finishUnit(u)
	return nil
}

// markTherm records the acceptance counters at the end of thermalization.
func (u *unit) markTherm() {
	nt := len(u.temps)
	for rep := range u.reps {
		for j := range nt {
			u.acc0[rep*nt+j], u.prop0[rep*nt+j] = u.eng.counters(rep, j)
		}
	}
}

// finishUnit turns the unit's measurements into points.
func (r *runner) finishUnit(u *unit) {
	c := r.c
	n := u.n
	nt := len(u.temps)
	u.result = make([]Point, nt)
	u.pq = make([][]float64, nt)
	blocks := analysis.DefaultBlocks
	pt := c.Sampler == "pt"
	var acc, prop int64
	for rep := range u.reps {
		for j := range nt {
			a, p := u.counters(rep, j)
			acc += a - u.acc0[rep*nt+j]
			prop += p - u.prop0[rep*nt+j]
		}
	}
	for j := range u.temps {
		o := u.obs[j]
		T := c.T[u.temps[j]]
		if pt {
			T = 1 / u.eng.betas()[j] // an adaptive ladder's
		}
		beta := 1 / T
		p := Point{
			T:                T,
			Energy:           o.e.Estimate(),
			AbsMagnetization: o.am.Estimate(),
			M2:               o.m2.Estimate(),
			M4:               o.m4.Estimate(),
			SpecificHeat:     analysis.SpecificHeat(o.e, o.e2, beta, n, blocks),
			Susceptibility:   analysis.Susceptibility(o.m2, o.am, beta, n, blocks),
			Binder:           analysis.Binder(o.m2, o.m4, blocks),
			Samples:          1,
			Measurements:     int(o.e.Count()),
			BinLen:           o.e.BinLen(),
		}
		if !pt {
			var a, pp int64
			for rep := range u.reps {
				ar, pr := u.counters(rep, j)
				a += ar - u.acc0[rep*nt+j]
				pp += pr - u.prop0[rep*nt+j]
			}
			if pp > 0 {
				p.Acceptance = float64(a) / float64(pp)
			}
		} else if prop > 0 {
			p.Acceptance = float64(acc) / float64(prop)
		}
		if xs := u.eng.exchanges(); xs != nil && j+1 < nt {
			var sa float64
			for _, t := range xs {
				sa += t.Acceptance()[j]
			}
			sa /= float64(len(xs))
			p.SwapAcceptance = &sa
		}
		if o.q2 != nil {
			q2, q4, aq, ql := o.q2.Estimate(), o.q4.Estimate(), o.aq.Estimate(), o.ql.Estimate()
			g := analysis.JackknifeSeries(func(m []float64) float64 { return (3 - m[1]/(m[0]*m[0])) / 2 }, blocks, o.q2, o.q4)
			chi := analysis.Estimate{Mean: float64(n) * q2.Mean, Err: float64(n) * q2.Err, Tau: q2.Tau, N: q2.N}
			p.Q2, p.Q4, p.AbsQ, p.LinkOverlap, p.BinderSG, p.ChiSG = &q2, &q4, &aq, &ql, &g, &chi
			total := int64(0)
			for _, h := range o.hist {
				total += h
			}
			u.pq[j] = make([]float64, len(o.hist))
			for b, h := range o.hist {
				u.pq[j][b] = float64(h) / float64(total)
			}
		}
		if autoMeasureEvery(c) {
			p.MeasureEvery = u.every
			if !math.IsNaN(u.tau) {
				tau := u.tau
				p.MeasureEveryTau = &tau
			}
		}
		p.Convergence = u.convergence(j, p)
		for k, ob := range u.extraObservables() {
			if p.Observables == nil {
				p.Observables = map[string]analysis.Estimate{}
			}
			p.Observables[ob.Name] = o.extra[k].Estimate()
		}
		u.result[j] = p
	}
	u.logBins = nil
	for j := range u.temps {
		l := &u.obs[j].log
		for w := range l.count {
			cnt := float64(l.count[w])
			u.logBins = append(u.logBins, LogBin{T: u.result[j].T, From: 1<<w - 1, To: 1<<(w+1) - 1,
				Energy: l.e[w] / cnt, AbsMagnetization: l.abs[w] / cnt, Q2: finite(l.q2[w] / cnt), LinkOverlap: finite(l.ql[w] / cnt)})
		}
	}
	if xs := u.eng.exchanges(); xs != nil {
		ts := &TemperingStats{T: make([]float64, nt), Flow: make([]float64, nt)}
		for j, b := range xs[0].Betas {
			ts.T[j] = 1 / b
		}
		for _, t := range xs {
			ts.RoundTrips += t.RoundTrips()
			ts.MeanRoundTrip += t.MeanRoundTrip() / float64(len(xs))
			for j, f := range t.Flow() {
				ts.Flow[j] += f / float64(len(xs))
			}
		}
		u.tstats = ts
	}
	u.done = true
	u.obsDone(len(r.samples()) == 1)
	r.forget(u.sample)
}

// obsDone releases what a finished unit no longer needs. Its measurement series are
// kept only for series.csv, which single-sample runs write: a study of many disorder
// samples would otherwise hold every sample's bins (up to maxBins per observable and
// temperature) until the end.
func (u *unit) obsDone(keepSeries bool) {
	u.eng.release()
	if !keepSeries {
		for j, o := range u.obs {
			fresh := newObservables(o.e.BinLen(), u.reps, u.n, len(o.chainE), 1, len(o.extra))
			fresh.hist, fresh.log = o.hist, o.log
			u.obs[j] = fresh
		}
	}
}

// extraObservables returns the model's own observables the unit measures: none for
// packed lanes.
func (u *unit) extraObservables() []Observable {
	if _, packed := u.eng.(*packedEngine); packed {
		return nil
	}
	return u.inst.Observables
}

// counters returns the accepted and proposed updates of replica rep at the unit's j-th
// temperature.
func (u *unit) counters(rep, j int) (acc, prop int64) { return u.eng.counters(rep, j) }

// finite returns &x, or nil when x is NaN or infinite.
func finite(x float64) *float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return nil
	}
	return &x
}
