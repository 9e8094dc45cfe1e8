package sim

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"github.com/deepglass/deepglass/analysis"
	"github.com/deepglass/deepglass/models"
	"github.com/deepglass/deepglass/sampler"
)

// Version is the deepglass version written into every config.json and summary.json.
const Version = "0.1.0-dev"

// Revision returns the VCS revision the binary was built from, or "" when unknown.
func Revision() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return ""
	}
	rev, dirty := "", false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if rev != "" && dirty {
		rev += "-dirty"
	}
	return rev
}

// maxBins bounds the number of bins a Series keeps per observable and point.
const maxBins = 1 << 14

// Options control how Run executes and where it writes; they never change results.
type Options struct {
	// Out is the run directory to write; "" writes nothing.
	Out string
	// Threads is the number of temperatures run at once; 0 means GOMAXPROCS.
	Threads int
	// Progress, if set, is called from one goroutine about ten times a second with the
	// sweeps done so far and the total.
	Progress func(done, total int64)
}

// Summary is the content of summary.json. Field names are a contract with users'
// scripts: they may be added, never renamed.
type Summary struct {
	Version     string       `json:"version"`
	Revision    string       `json:"revision,omitempty"`
	Model       string       `json:"model"`
	Description string       `json:"description"`
	N           int          `json:"n"`
	Seed        uint64       `json:"seed"`
	Sampler     string       `json:"sampler"`
	Points      []Point      `json:"points"`
	GroundState *GroundState `json:"ground_state,omitempty"`
	Perf        Perf         `json:"perf"`
	// Interrupted is true when the run was cancelled; Points then holds only the
	// temperatures that finished.
	Interrupted bool `json:"interrupted,omitempty"`
}

// Point holds the results at one temperature. Every quantity is per spin; errors are
// one standard error of the mean, from binning (Sokal's window on bin means) for direct
// averages and from the jackknife for derived ones.
type Point struct {
	T                float64           `json:"T"`
	Energy           analysis.Estimate `json:"energy"`
	AbsMagnetization analysis.Estimate `json:"abs_magnetization"`
	M2               analysis.Estimate `json:"m2"`
	// SpecificHeat is β²N(⟨e²⟩ − ⟨e⟩²).
	SpecificHeat analysis.Estimate `json:"specific_heat"`
	// Susceptibility is βN(⟨m²⟩ − ⟨|m|⟩²).
	Susceptibility analysis.Estimate `json:"susceptibility"`
	// Binder is U₄ = 1 − ⟨m⁴⟩/(3⟨m²⟩²).
	Binder analysis.Estimate `json:"binder"`
	// Acceptance is the fraction of accepted single-spin updates (1 for cluster moves).
	Acceptance   float64 `json:"acceptance"`
	Measurements int     `json:"measurements"`
	BinLen       int     `json:"bin_len"`
	// Exact holds exact values for this point where deepglass knows them: Kaufman's
	// solution for the 2D Ising ferromagnet, enumeration for N ≤ 20.
	Exact *ExactPoint `json:"exact,omitempty"`
}

// ExactPoint holds exact per-spin values at one temperature.
type ExactPoint struct {
	Source           string   `json:"source"`
	Energy           float64  `json:"energy"`
	SpecificHeat     float64  `json:"specific_heat"`
	AbsMagnetization *float64 `json:"abs_magnetization,omitempty"`
	Binder           *float64 `json:"binder,omitempty"`
}

// GroundState is the lowest-energy state seen at the end of any sweep.
type GroundState struct {
	Energy float64  `json:"energy"` // per spin
	Cut    *float64 `json:"cut,omitempty"`
	T      float64  `json:"T"`
	Sweeps int      `json:"sweeps"`
	// Seconds is the wall time from the start of the run to the sweep that found it.
	Seconds float64 `json:"seconds"`
}

// Perf records the cost of the run. SpinUpdates counts attempted single-spin updates
// (spins visited by cluster moves) over all chains, thermalization included; NsPerUpdate
// is the time the chains spent sweeping, summed over threads, divided by SpinUpdates.
type Perf struct {
	SpinUpdates float64 `json:"spin_updates"`
	Seconds     float64 `json:"seconds"`
	NsPerUpdate float64 `json:"ns_per_update"`
	Threads     int     `json:"threads"`
}

// String renders the summary as a table, one row per temperature.
func (s *Summary) String() string { return FormatTable(s) }

// pointRun is what one temperature's chain produces.
type pointRun struct {
	point               Point
	e, e2, absm, m2, m4 *analysis.Series
	updates             int64
	sweepNanos          int64
	bestE               float64
	bestSweep           int
	bestAt              time.Duration
	done                bool
}

// Run executes the study described by c: one independent chain per temperature, run in
// parallel over Options.Threads goroutines. The config is validated first; invalid
// configs and unreadable inputs return an [InputError]. When ctx is cancelled, Run stops
// within a few sweeps and returns the finished points with Summary.Interrupted set and
// an error wrapping ctx.Err().
func Run(ctx context.Context, c Config, opts Options) (*Summary, error) {
	c.Defaults()
	if err := c.Validate(); err != nil {
		return nil, &InputError{err}
	}
	inst, err := BuildModel(c, 0)
	if err != nil {
		return nil, err
	}
	m := inst.Model
	n := m.N()
	start := time.Now()

	if opts.Out != "" {
		if err := writeConfig(opts.Out, c); err != nil {
			return nil, err
		}
	}
	exact := exactPoints(c, inst)

	threads := opts.Threads
	if threads <= 0 {
		threads = runtime.GOMAXPROCS(0)
	}
	threads = min(threads, len(c.T))
	total := int64(c.Therm+c.Sweeps) * int64(len(c.T))
	var done atomic.Int64
	stopProgress := startProgress(opts.Progress, &done, total)

	runs := make([]pointRun, len(c.T))
	errs := make([]error, len(c.T))
	next := atomic.Int64{}
	var wg sync.WaitGroup
	for w := 0; w < threads; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				k := int(next.Add(1) - 1)
				if k >= len(c.T) || ctx.Err() != nil {
					return
				}
				runs[k], errs[k] = runPoint(ctx, c, m, k, start, &done)
			}
		}()
	}
	wg.Wait()
	stopProgress()

	sum := &Summary{
		Version: Version, Revision: Revision(),
		Model: c.Model, Description: fmt.Sprint(m), N: n, Seed: c.Seed, Sampler: c.Sampler,
		Points: []Point{},
	}
	var sweepNanos int64
	var best *pointRun
	for k := range runs {
		r := &runs[k]
		sum.Perf.SpinUpdates += float64(r.updates)
		sweepNanos += r.sweepNanos
		if !r.done {
			continue
		}
		r.point.Exact = exact[k]
		sum.Points = append(sum.Points, r.point)
		if best == nil || r.bestE < best.bestE {
			best = r
		}
	}
	if best != nil {
		gs := &GroundState{Energy: best.bestE / float64(n), T: best.point.T, Sweeps: best.bestSweep, Seconds: best.bestAt.Seconds()}
		if inst.Graph != nil && inst.Graph.Format == "gset" {
			cut := inst.Graph.Cut(best.bestE)
			gs.Cut = &cut
		}
		sum.GroundState = gs
	}
	sum.Perf.Seconds = time.Since(start).Seconds()
	sum.Perf.Threads = threads
	if sum.Perf.SpinUpdates > 0 {
		sum.Perf.NsPerUpdate = float64(sweepNanos) / sum.Perf.SpinUpdates
	}
	var runErr error
	for _, e := range errs {
		if e != nil && !errors.Is(e, context.Canceled) && !errors.Is(e, context.DeadlineExceeded) {
			runErr = e
			break
		}
	}
	if runErr == nil && ctx.Err() != nil {
		sum.Interrupted = true
		runErr = fmt.Errorf("run interrupted: %w", ctx.Err())
	}
	if opts.Out != "" {
		if err := writeResults(opts.Out, sum, runs); err != nil && runErr == nil {
			runErr = err
		}
	}
	return sum, runErr
}

// runPoint runs the chain of the k-th temperature.
func runPoint(ctx context.Context, c Config, m models.Model, k int, start time.Time, done *atomic.Int64) (pointRun, error) {
	T := c.T[k]
	beta := 1 / T
	n := m.N()
	sw, err := NewSweeper(c, m, beta)
	if err != nil {
		return pointRun{}, err
	}
	src := sampler.NewStream(c.Seed, sampler.PurposeChain, 0, k)
	var ch *sampler.Chain
	if c.Start == "ordered" {
		up := make([]int8, n)
		for i := range up {
			up[i] = 1
			if c.Field < 0 {
				up[i] = -1
			}
		}
		ch = sampler.NewChainFrom(m, up, src)
	} else {
		ch = sampler.NewChain(m, src)
	}
	nmeas := c.Sweeps / c.MeasureEvery
	binLen := (nmeas + maxBins - 1) / maxBins
	r := pointRun{
		e: analysis.NewSeries(binLen), e2: analysis.NewSeries(binLen),
		absm: analysis.NewSeries(binLen), m2: analysis.NewSeries(binLen), m4: analysis.NewSeries(binLen),
		bestE: ch.E,
	}
	const resyncEvery = 1024 // bounds round-off drift of the incremental energy
	const chunk = 16         // sweeps between checks of ctx and progress updates
	var accepted0, proposed0 int64
	var nanos int64
	total := c.Therm + nmeas*c.MeasureEvery
	for sweep := 1; sweep <= total; sweep++ {
		t0 := time.Now()
		sw.Sweep(ch)
		nanos += int64(time.Since(t0))
		if sweep%resyncEvery == 0 {
			ch.Resync(m)
		}
		if ch.E < r.bestE {
			r.bestE, r.bestSweep, r.bestAt = ch.E, sweep, time.Since(start)
		}
		if sweep == c.Therm {
			accepted0, proposed0 = ch.Accepted, ch.Proposed
		}
		if sweep > c.Therm && (sweep-c.Therm)%c.MeasureEvery == 0 {
			e := ch.E / float64(n)
			mag := ch.Magnetization()
			mm := mag * mag
			r.e.Add(e)
			r.e2.Add(e * e)
			r.absm.Add(math.Abs(mag))
			r.m2.Add(mm)
			r.m4.Add(mm * mm)
		}
		if sweep%chunk == 0 {
			done.Add(chunk)
			if err := ctx.Err(); err != nil {
				r.updates, r.sweepNanos = ch.Proposed, nanos
				return r, err
			}
		}
	}
	done.Add(int64(total % chunk))
	ch.Resync(m)
	r.updates, r.sweepNanos = ch.Proposed, nanos
	blocks := analysis.DefaultBlocks
	p := Point{
		T:                T,
		Energy:           r.e.Estimate(),
		AbsMagnetization: r.absm.Estimate(),
		M2:               r.m2.Estimate(),
		SpecificHeat:     analysis.SpecificHeat(r.e, r.e2, beta, n, blocks),
		Susceptibility:   analysis.Susceptibility(r.m2, r.absm, beta, n, blocks),
		Binder:           analysis.Binder(r.m2, r.m4, blocks),
		Measurements:     nmeas,
		BinLen:           binLen,
	}
	if dp := ch.Proposed - proposed0; dp > 0 {
		p.Acceptance = float64(ch.Accepted-accepted0) / float64(dp)
	}
	r.point = p
	r.done = true
	return r, nil
}

// exactPoints returns exact reference values per temperature where they are known:
// enumeration for models of at most 20 spins, and otherwise Kaufman's finite-lattice
// solution for the zero-field square-lattice ferromagnet.
func exactPoints(c Config, in Instance) []*ExactPoint {
	out := make([]*ExactPoint, len(c.T))
	if in.Model.N() <= 20 {
		betas := make([]float64, len(c.T))
		for k, t := range c.T {
			betas[k] = 1 / t
		}
		for k, th := range models.ExactBetas(in.Model, betas) {
			am, u := th.AbsM, th.Binder()
			out[k] = &ExactPoint{Source: "enumeration", Energy: th.EnergyPerSpin(),
				SpecificHeat: th.SpecificHeat(), AbsMagnetization: &am, Binder: &u}
		}
	} else if c.Model == "ising" && in.Lattice != nil && in.Lattice.Dim == 2 && c.Field == 0 {
		for k, t := range c.T {
			kt := models.Kaufman(in.Lattice.L, in.Lattice.L, 1/t)
			out[k] = &ExactPoint{Source: "kaufman", Energy: kt.E, SpecificHeat: kt.C}
		}
	}
	return out
}

// startProgress calls report about ten times a second until the returned stop
// function is called, which reports a last time.
func startProgress(report func(done, total int64), done *atomic.Int64, total int64) (stop func()) {
	if report == nil {
		return func() {}
	}
	quit := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-quit:
				report(done.Load(), total)
				return
			case <-tick.C:
				report(done.Load(), total)
			}
		}
	}()
	return func() { close(quit); <-finished }
}
