// Package pool is deepglass's one worker-pool idiom: a fixed number of goroutines,
// managed by golang.org/x/sync/errgroup, that take jobs in index order. Results go
// into slices indexed by job, so they never depend on which goroutine ran what.
package pool

import (
	"context"
	"runtime"
	"sync/atomic"

	"golang.org/x/sync/errgroup"
)

// Each calls job(ctx, i, w) for i = 0 … n−1 on at most threads goroutines (threads ≤ 0
// means GOMAXPROCS), handing out the indices in order; w ∈ [0, threads) names the
// goroutine, for per-worker scratch space. A job that returns an error stops the
// others from starting new jobs (the ctx they see is cancelled); jobs stop early
// otherwise only through ctx. Each returns the error of the lowest index that failed,
// or else ctx.Err().
func Each(ctx context.Context, n, threads int, job func(ctx context.Context, i, w int) error) error {
	if threads <= 0 {
		threads = runtime.GOMAXPROCS(0)
	}
	threads = min(threads, n)
	errs := make([]error, n)
	var next atomic.Int64
	g, gctx := errgroup.WithContext(ctx)
	for w := range threads {
		g.Go(func() error {
			for {
				i := int(next.Add(1) - 1)
				if i >= n || gctx.Err() != nil {
					return nil
				}
				if errs[i] = job(gctx, i, w); errs[i] != nil {
					return errs[i]
				}
			}
		})
	}
	_ = g.Wait() // the errors are in errs, reported in index order below
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return ctx.Err()
}
