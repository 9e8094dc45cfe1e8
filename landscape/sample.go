package landscape

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"sync"

	"github.com/deepglass/deepglass/models"
	"github.com/deepglass/deepglass/sampler"
)

// Sampling methods of [Sample].
const (
	// MethodPT quenches the configurations of a parallel-tempering run.
	MethodPT = "pt"
	// MethodAnneal quenches the end states of independent simulated anneals.
	MethodAnneal = "anneal"
)

// SampleOptions configure [Sample]. Zero values take the defaults given.
type SampleOptions struct {
	// Method is MethodPT (default) or MethodAnneal.
	Method string
	// Quenches is the number of quenches (default 1000).
	Quenches int
	// Betas is the PT ladder, increasing (default: 16 temperatures, geometric from
	// 0.3·r to 3·r, r the standard deviation of the energy of random states over √N:
	// 0.21 to 2.1 for SK, the REM and the p-spin at J = 1).
	Betas []float64
	// Therm is the number of PT sweeps before the first quench (default 1000); Every the
	// number between rounds of quenches, one per temperature (default 10).
	Therm, Every int
	// Schedule is the annealing schedule (default sampler.DefaultSchedule with 200
	// sweeps: short anneals, so that the quenches sample the basins).
	Schedule *sampler.Schedule
	// Seed determines every random number.
	Seed uint64
	// Reference is the state overlaps are taken with (default: the lowest minimum found).
	Reference []int8
	// Workers is the number of goroutines for anneals (default GOMAXPROCS); results do
	// not depend on it.
	Workers int
}

// String describes the options.
func (o SampleOptions) String() string {
	return fmt.Sprintf("sample %s: %d quenches, seed %d", o.method(), o.Quenches, o.Seed)
}

func (o SampleOptions) method() string {
	if o.Method == "" {
		return MethodPT
	}
	return o.Method
}

// energyScale returns the standard deviation of the energy over random states divided
// by √N (16 states of a fixed stream, at least 64 energies): the temperature scale of
// the model (1/√2 for SK, the REM and the p-spin at J = 1, √2 for the Ising model).
func energyScale(m models.Model) float64 {
	src := sampler.NewStream(0, sampler.PurposeChain, 0, 0)
	n := m.N()
	s := make([]int8, n)
	const states = 64
	var s1, s2 float64
	for range states {
		for i := range s {
			s[i] = int8(src.Uint64()>>63)*2 - 1
		}
		e := m.Energy(s)
		s1 += e
		s2 += e * e
	}
	v := (s2 - s1*s1/states) / (states - 1)
	r := math.Sqrt(v / float64(n))
	if !(r > 0) || math.IsInf(r, 0) {
		return 1
	}
	return r
}

// Sample returns a sampled landscape of m: the minima reached by quenching
// (steepest descent, [Quencher]) configurations drawn by parallel tempering (every
// temperature of the ladder, every Every sweeps) or by short simulated anneals. Basins
// are shares of quenches, minima are distinct states (a symmetric model's ± pairs
// merged and counted twice by [Landscape.Count]), and there is no tree: barriers need
// enumeration. It stops with ctx's error when ctx is cancelled.
func Sample(ctx context.Context, m models.Model, o SampleOptions) (*Landscape, error) {
	n := m.N()
	if o.Quenches <= 0 {
		o.Quenches = 1000
	}
	if o.Reference != nil && len(o.Reference) != n {
		return nil, fmt.Errorf("landscape: reference state of %d spins for N = %d", len(o.Reference), n)
	}
	var states [][]int8
	var err error
	switch o.method() {
	case MethodPT:
		states, err = samplePT(ctx, m, o)
	case MethodAnneal:
		states, err = sampleAnneal(ctx, m, o)
	default:
		return nil, fmt.Errorf("landscape: unknown sampling method %q (want pt or anneal)", o.Method)
	}
	if err != nil {
		return nil, err
	}
	l := &Landscape{N: n, Model: fmt.Sprint(m), Method: o.method(), Total: int64(len(states)), Symmetric: symmetric(m)}
	q := NewQuencher(m)
	byKey := map[string]int{}
	for _, s := range states {
		q.Quench(s)
		key := string(int8Bytes(s))
		if l.Symmetric && s[0] < 0 {
			key = string(int8Bytes(flip(s)))
		}
		k, ok := byKey[key]
		if !ok {
			k = len(l.Minima)
			byKey[key] = k
			l.Minima = append(l.Minima, Minimum{State: append([]int8(nil), s...), Energy: m.Energy(s), Saddle: math.NaN(), Leaf: -1})
		}
		l.Minima[k].Count++
	}
	sortMinima(l.Minima)
	for k := range l.Minima {
		l.Minima[k].Basin = float64(l.Minima[k].Count) / float64(l.Total)
	}
	l.setOverlaps(o.Reference)
	return l, nil
}

// symmetric reports whether E(−s) = E(s) on 16 random states (fixed stream).
func symmetric(m models.Model) bool {
	src := sampler.NewStream(1, sampler.PurposeChain, 0, 0)
	s := make([]int8, m.N())
	for range 16 {
		for i := range s {
			s[i] = int8(src.Uint64()>>63)*2 - 1
		}
		a := m.Energy(s)
		b := m.Energy(flip(s))
		if math.Abs(a-b) > 1e-9*math.Max(1, math.Abs(a)) {
			return false
		}
	}
	return true
}

func int8Bytes(s []int8) []byte {
	b := make([]byte, len(s))
	for i, v := range s {
		b[i] = byte(v)
	}
	return b
}

// samplePT returns copies of the PT configurations, one per temperature per round.
func samplePT(ctx context.Context, m models.Model, o SampleOptions) ([][]int8, error) {
	betas := o.Betas
	if betas == nil {
		r := energyScale(m)
		betas = sampler.GeometricBetas(0.3*r, 3*r, 16)
	}
	if len(betas) == 0 {
		return nil, errors.New("landscape: empty PT ladder")
	}
	therm, every := o.Therm, o.Every
	if therm <= 0 {
		therm = 1000
	}
	if every <= 0 {
		every = 10
	}
	chains := make([]*sampler.Chain, len(betas))
	for k := range chains {
		chains[k] = sampler.NewChain(m, sampler.NewStream(o.Seed, sampler.PurposeChain, 0, k))
	}
	pt := sampler.NewTempering(betas, func(b float64) sampler.Sweeper { return sampler.NewMetropolis(m, b, sampler.RandomSite) }, chains,
		sampler.NewStream(o.Seed, sampler.PurposeSwap, 0, 0))
	defer pt.Close()
	for k := range therm {
		if k%64 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		pt.Sweep()
	}
	var out [][]int8
	for len(out) < o.Quenches {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		for range every {
			pt.Sweep()
		}
		for k := range betas {
			if len(out) < o.Quenches {
				out = append(out, append([]int8(nil), pt.ChainAt(k).S...))
			}
		}
	}
	return out, nil
}

// sampleAnneal returns the end states of o.Quenches anneals, restart r from
// NewChain(m, NewStream(seed, chain, 0, r)), in restart order.
func sampleAnneal(ctx context.Context, m models.Model, o SampleOptions) ([][]int8, error) {
	var sched sampler.Schedule
	if o.Schedule != nil {
		sched = *o.Schedule
	} else {
		sched = sampler.DefaultSchedule(m)
		sched.Sweeps = 200
	}
	if err := sched.Validate(); err != nil {
		return nil, fmt.Errorf("landscape: %w", err)
	}
	a := sampler.NewAnneal(m, sched)
	workers := o.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	out := make([][]int8, o.Quenches)
	next := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range next {
				c := sampler.NewChain(m, sampler.NewStream(o.Seed, sampler.PurposeChain, 0, r))
				a.Run(c)
				out[r] = c.S
			}
		}()
	}
	var err error
	for r := range o.Quenches {
		if err = ctx.Err(); err != nil {
			break
		}
		next <- r
	}
	close(next)
	wg.Wait()
	if err != nil {
		return nil, err
	}
	return out, nil
}
