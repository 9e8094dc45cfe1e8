package sim

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"time"

	"github.com/deepglass/deepglass/models"
	"github.com/deepglass/deepglass/sampler"
	"github.com/deepglass/deepglass/sampler/packed"
)

// targetFractions are the fractions of a target at which time-to-target is reported.
var targetFractions = []float64{0.99, 0.995, 1}

// runAnneal runs annealing restarts in parallel until the time limit, the restart
// limit or the target: the ground-state search of sampler anneal.
func runAnneal(ctx context.Context, c Config, opts Options) (*Summary, error) {
	start := time.Now()
	inst, err := BuildModel(c, 0)
	if err != nil {
		return nil, err
	}
	m := inst.Model
	n := m.N()
	if opts.Out != "" {
		if err := writeConfig(opts.Out, c); err != nil {
			return nil, err
		}
	}
	sched := sampler.DefaultSchedule(m)
	if c.AnnealSweeps > 0 {
		sched.Sweeps = c.AnnealSweeps
	}
	gset := inst.Graph != nil && inst.Graph.Format == "gset"
	// Energies to reach for each fraction of the target: a cut C for G-set files
	// (E = W − 2C), an energy per spin otherwise.
	var targets []float64
	if c.Target != 0 {
		for _, f := range targetFractions {
			if gset {
				targets = append(targets, inst.Graph.TotalWeight-2*f*c.Target)
			} else {
				targets = append(targets, f*c.Target*float64(n)+1e-9*float64(n))
			}
		}
	}
	threads := opts.Threads
	if threads <= 0 {
		threads = runtime.GOMAXPROCS(0)
	}
	limit := time.Duration(c.TimeLimit * float64(time.Second))
	stopProgress := annealProgress(opts.Progress, limit)
	var res sampler.AnnealResult
	if c.Packed {
		p, ok := m.(*models.Sparse)
		if !ok {
			return nil, &InputError{fmt.Errorf("packed: model %v is not sparse", m)}
		}
		if c.Lanes == packed.WideLanes {
			res, err = packed.WideAnnealRestarts(ctx, p, sched, c.Seed, threads, targets, limit, c.Restarts)
		} else {
			res, err = packed.AnnealRestarts(ctx, p, sched, c.Seed, threads, targets, limit, c.Restarts)
		}
		if err != nil {
			return nil, &InputError{err}
		}
	} else {
		res = sampler.AnnealRestarts(ctx, m, sched, c.Seed, threads, targets, limit, c.Restarts)
	}
	stopProgress(ctx.Err() == nil)

	sum := &Summary{
		Version: Version, Revision: Revision(), Model: c.Model, Description: fmt.Sprint(m), N: n,
		Seed: c.Seed, Sampler: c.Sampler, Samples: 1, Replicas: 1, Points: []Point{},
	}
	if c.Packed {
		sum.Lanes = c.Lanes
	}
	if res.Best != nil {
		gs := &GroundState{Energy: res.BestE / float64(n), Sweeps: res.Sweeps, Seconds: res.Elapsed.Seconds(), Restarts: res.Restarts}
		if gset {
			cut := inst.Graph.Cut(res.BestE)
			gs.Cut = &cut
		}
		for i, f := range targetFractions {
			if targets == nil {
				break
			}
			tt := TargetTime{Fraction: f, Target: f * c.Target}
			for _, h := range res.Hits {
				if h.Target == targets[i] {
					tt.Reached, tt.Seconds, tt.Sweeps = true, h.Seconds, h.Sweeps
				}
			}
			gs.TimeToTarget = append(gs.TimeToTarget, tt)
		}
		sum.GroundState = gs
	}
	updates := float64(res.Sweeps) * float64(n)
	if c.Packed {
		updates *= float64(c.Lanes) // one spin of one lane is one update
	}
	sum.Perf = Perf{SpinUpdates: updates, Seconds: time.Since(start).Seconds(), Threads: threads}
	if sum.Perf.SpinUpdates > 0 {
		sum.Perf.NsPerUpdate = res.Elapsed.Seconds() * 1e9 * float64(threads) / sum.Perf.SpinUpdates
	}
	sum.Perf.SweepSeconds = res.Elapsed.Seconds() * float64(threads)
	interrupted := ctx.Err() != nil
	sum.Interrupted = interrupted
	if opts.Out != "" {
		if err := writeJSON(filepath.Join(opts.Out, "summary.json"), sum); err != nil {
			return sum, err
		}
		if res.Best != nil {
			var buf bytes.Buffer
			fmt.Fprintf(&buf, "# lowest-energy state found: site (from 1) and spin; energy %g\n", res.BestE)
			for i, s := range res.Best {
				fmt.Fprintf(&buf, "%d %d\n", i+1, s)
			}
			if err := WriteFileAtomic(filepath.Join(opts.Out, "ground_state.txt"), buf.Bytes()); err != nil {
				return sum, err
			}
		}
	}
	if interrupted {
		return sum, fmt.Errorf("%w: %w", ErrInterrupted, ctx.Err())
	}
	return sum, nil
}

// annealProgress reports the progress of annealing restarts to report (if not nil)
// about ten times a second until the returned stop function is called: the
// milliseconds of the time limit used so far and the limit, which ends the search
// unless a target or the restart limit ends it first. stop(true) reports the search
// done, stop(false) (interrupted) where it stopped. Without a time limit there is no
// progress to report.
func annealProgress(report func(done, total int64), limit time.Duration) (stop func(complete bool)) {
	if report == nil || limit <= 0 {
		return func(bool) {}
	}
	total := limit.Milliseconds()
	start := time.Now()
	elapsed := func() int64 { return min(time.Since(start).Milliseconds(), total) }
	quit := make(chan bool)
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case complete := <-quit:
				if complete {
					report(total, total)
				} else {
					report(elapsed(), total)
				}
				return
			case <-tick.C:
				report(elapsed(), total)
			}
		}
	}()
	return func(complete bool) {
		quit <- complete
		<-finished
	}
}
