package packed

import (
	"context"
	"math"
	"math/bits"
	"time"

	"github.com/deepglass/deepglass/models"
	"github.com/deepglass/deepglass/sampler"
)

// AnnealRestarts is [sampler.AnnealRestarts] with the packed kernels: every pass anneals
// 64 restarts at once, one per lane of a [Chain] (independent lanes), with the
// same schedule, followed by a packed quench (sweeps flipping only spins that lower
// the energy, until none does). Pass k draws its random starts from
// NewStream(seed, PurposeChain, 0, k), and restart 64k + ℓ is its lane ℓ; maxRestarts
// is rounded up to whole passes. Targets are checked against the lowest lane energy
// after every sweep, and a hit's Restart is the first restart of its pass.
//
// p must be a ±J model (couplings ±J of one magnitude, no field, degree ≤ 63); any
// sparse model of that kind works, lattices included. Packing errors are returned.
func AnnealRestarts(ctx context.Context, p *models.Sparse, s sampler.Schedule, seed uint64, workers int, targets []float64, deadline time.Duration, maxRestarts int) (sampler.AnnealResult, error) {
	checkSchedule(s, "AnnealRestarts")
	pm, err := NewGraphLanes([]*models.Sparse{p})
	if err != nil {
		return sampler.AnnealResult{}, err
	}
	newPass := func() sampler.RestartPass {
		return &packedPass{pm: pm, mv: NewMetropolis(pm, s.Beta(0), IndependentLanes), sched: s, b: make([]int8, pm.N())}
	}
	return sampler.AnnealRestartsOf(ctx, newPass, seed, workers, targets, deadline, maxRestarts), nil
}

// packedPass anneals 64 lanes at once.
type packedPass struct {
	pm    *Model
	mv    *Metropolis
	sched sampler.Schedule
	e     [Lanes]int64
	dl    laneDelta
	b     []int8
	lane  int
}

func (p *packedPass) Width() int          { return Lanes }
func (p *packedPass) Best() ([]int8, int) { return p.b, p.lane }

func (p *packedPass) Run(k int, seed uint64, hook func(int64, float64) bool) (bestE float64, sweeps int64, complete bool) {
	c := NewChain(p.pm, sampler.NewStream(seed, sampler.PurposeChain, 0, k))
	scale := p.pm.Scale()
	bestE = math.Inf(1)
	// p.e holds the lanes' energies in units of Scale (E = 2U − B): kept up to date
	// from the sweeps' lane-wise counts of flips, not recomputed.
	p.pm.LaneEnergies(p.e[:], c.S)
	track := func() float64 {
		lo := p.e[0]
		l := 0
		for j, e := range p.e {
			if e < lo {
				lo, l = e, j
			}
		}
		if E := float64(lo) * scale; E < bestE {
			bestE, p.lane = E, l
			c.Lane(p.b, l)
		}
		return float64(lo) * scale
	}
	track()
	var x xoshiro
	g := p.pm.Graph
	for j := range p.sched.Sweeps {
		p.mv.SetBeta(p.sched.Beta(j))
		x.seed(c.Src)
		packedSweepGraph(g, p.mv.gq, c.S, &x, &p.dl)
		p.dl.take(&p.e, 2)
		sweeps++
		if e := track(); hook != nil && hook(sweeps, e) {
			return bestE, sweeps, false
		}
	}
	for range maxQuenchSweeps {
		sweeps++
		if packedQuenchGraph(g, c.S) == 0 {
			break
		}
	}
	p.pm.LaneEnergies(p.e[:], c.S)
	e := track()
	if hook != nil {
		hook(sweeps, e)
	}
	return bestE, sweeps, true
}

// packedQuenchGraph flips, in site order, every lane's spin whose flip lowers the
// energy (more unsatisfied than satisfied bonds), and returns the number of flips.
func packedQuenchGraph(g *Graph, s []uint64) int {
	flips := 0
	for i := range len(g.Start) - 1 {
		lo, hi := g.Start[i], g.Start[i+1]
		d := int(hi - lo)
		si := s[i]
		p0, p1, p2, p3, p4, p5 := g.unsatisfied(s, si, lo, hi)
		// Flip where 2u > d, i.e. u ≥ ⌊d/2⌋ + 1: every lane except those with u ≤ ⌊d/2⌋.
		flip := ^uint64(0)
		for u := 0; u <= d/2; u++ {
			flip &^= eqPlanes(u, p0, p1, p2, p3, p4, p5)
		}
		s[i] = si ^ flip
		flips += bits.OnesCount64(flip)
	}
	return flips
}
