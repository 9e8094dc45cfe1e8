package rg

import (
	"context"
	"fmt"
	"sync"

	"github.com/deepglass/deepglass/internal/pool"
	"github.com/deepglass/deepglass/models"
	"github.com/deepglass/deepglass/sampler"
)

// PurposeTieBreak is the stream purpose of the majority rule's tie-breaks (stream
// (seed, PurposeTieBreak, 0, chain)); chains update from (seed, PurposeChain, 0,
// chain). Its value is part of the reproducibility contract.
const PurposeTieBreak sampler.Purpose = 0x7267 // "rg"

// samplerNames are the cluster samplers that can generate configurations.
var samplerNames = []string{"wolff", "sw"}

// ising returns the ferromagnetic Ising chain of stream index k on lattice l at beta,
// with its sampler ("wolff" or "sw"), started from a random configuration.
func ising(l models.Lattice, beta float64, name string, seed uint64, k int) (*sampler.Chain, sampler.Sweeper) {
	m := models.NewIsing(l, 1, 0)
	c := sampler.NewChain(m, sampler.NewStream(seed, sampler.PurposeChain, 0, k))
	if name == "sw" {
		return c, sampler.NewSwendsenWang(m, beta)
	}
	return c, sampler.NewWolff(m, beta)
}

func checkSampler(name string) error {
	for _, s := range samplerNames {
		if name == s {
			return nil
		}
	}
	return fmt.Errorf("sampler %q: want wolff or sw", name)
}

// checkSampling returns the problems of the sampling settings MCRG and BlockFlow share.
func checkSampling(sampler string, therm, chains, blocks, measurements int) []error {
	var errs []error
	if err := checkSampler(sampler); err != nil {
		errs = append(errs, err)
	}
	if therm < 0 {
		errs = append(errs, fmt.Errorf("therm %d < 0", therm))
	}
	if chains < 1 {
		errs = append(errs, fmt.Errorf("chains %d < 1", chains))
	}
	if blocks < 2 {
		errs = append(errs, fmt.Errorf("blocks %d: want at least 2 jackknife blocks", blocks))
	}
	if measurements < chains*blocks {
		errs = append(errs, fmt.Errorf("measurements %d: want at least chains × blocks = %d", measurements, chains*blocks))
	}
	return errs
}

// parallel runs job(0), …, job(n−1) on at most threads goroutines (≤ 0: GOMAXPROCS)
// and returns the first error in job order (internal/pool).
func parallel(ctx context.Context, n, threads int, job func(ctx context.Context, j int) error) error {
	return pool.Each(ctx, n, threads, func(ctx context.Context, j, _ int) error { return job(ctx, j) })
}

// progress counts measurements done by concurrent chains and reports them to f
// every step measurements of a chain (f may be nil).
type progress struct {
	mu          sync.Mutex
	f           func(done, total int64)
	done, total int64
}

func (p *progress) add(n int) {
	if p.f == nil {
		return
	}
	p.mu.Lock()
	p.done += int64(n)
	p.f(p.done, p.total)
	p.mu.Unlock()
}

// sampleBlocked runs the Ising chain of stream index j on the pyramid's lattice at
// beta: therm sweeps, then n sweeps, each followed by measure of the configurations
// of every level (ties broken from stream (seed, PurposeTieBreak, 0, j)). It reports
// progress every 256 measurements and stops with ctx's error when ctx is done.
func sampleBlocked(ctx context.Context, pyr *Pyramid, beta float64, samplerName string, seed uint64, j, therm, n int,
	prog *progress, measure func(levels [][]int8)) error {
	c, sw := ising(pyr.Lattice(0), beta, samplerName, seed, j)
	for range therm {
		sw.Sweep(c)
	}
	ties := NewTieBreakStream(seed, j)
	for i := range n {
		if i%256 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
			if i > 0 {
				prog.add(256)
			}
		}
		sw.Sweep(c)
		measure(pyr.Apply(c.S, ties))
	}
	prog.add(n - (n-1)/256*256)
	return nil
}

// share returns how many of n measurements chain k of c chains makes.
func share(n, c, k int) int { return n*(k+1)/c - n*k/c }
