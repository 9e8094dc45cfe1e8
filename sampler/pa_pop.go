package sampler

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/deepglass/deepglass/models"
)

// paScalar is a population of scalar chains, the [PAPopulation] of
// [NewPopulationAnnealing].
type paScalar struct {
	m      models.Model
	sp     *models.Sparse // m, if sparse (for link overlaps)
	move   func(beta float64) Sweeper
	chains []*Chain
	spare  []*Chain
	fam    []int32
}

func (p *paScalar) Size() int         { return len(p.chains) }
func (p *paScalar) Families() []int32 { return p.fam }
func (p *paScalar) Units() int        { return len(p.chains) }

func (p *paScalar) Energies(dst []float64) {
	for j, c := range p.chains {
		dst[j] = c.E
	}
}

func (p *paScalar) Magnetizations(dst []float64) {
	for j, c := range p.chains {
		dst[j] = c.Magnetization()
	}
}

func (p *paScalar) Overlaps(o PAPopulation, q, ql []float64) {
	oc := o.(*paScalar).chains
	for j := range q {
		q[j] = models.Overlap(p.chains[j].S, oc[j].S)
		if p.sp != nil {
			ql[j] = p.sp.LinkOverlap(p.chains[j].S, oc[j].S)
		} else {
			ql[j] = math.NaN()
		}
	}
}

// Resample copies the parents' spins and energies into chains taken from the spare
// pool (old chains return to it), keeping each chain's stream object for reseeding.
func (p *paScalar) Resample(parents []int32) {
	old := p.chains
	next := make([]*Chain, len(parents))
	fam := make([]int32, len(parents))
	for t, i := range parents {
		var c *Chain
		if n := len(p.spare); n > 0 {
			c, p.spare = p.spare[n-1], p.spare[:n-1]
		} else {
			c = &Chain{S: make([]int8, len(old[i].S)), Src: NewStream(0, PurposeChain, 0, 0)}
		}
		copy(c.S, old[i].S)
		c.E = old[i].E
		next[t], fam[t] = c, p.fam[i]
	}
	p.spare = append(p.spare, old...)
	p.chains, p.fam = next, fam
}

func (p *paScalar) Prepare(beta float64, seed uint64, r int) {
	for j, c := range p.chains {
		c.Src.Seed(StreamSeed(seed, PurposeChain, r, j))
	}
}

func (p *paScalar) NewWorker(beta float64) *PAWorker { return &PAWorker{Sweeper: p.move(beta)} }

func (p *paScalar) Sweep(u, sweeps int, w *PAWorker) {
	c := p.chains[u]
	for range sweeps {
		w.Sweeper.Sweep(c)
	}
}

func (p *paScalar) SaveState(s *PAState, r int) {
	if s.Spins == nil {
		s.Spins = make([][][]int8, len(s.LnZ))
		s.Energies = make([][]float64, len(s.LnZ))
	}
	for _, c := range p.chains {
		s.Spins[r] = append(s.Spins[r], slices.Clone(c.S))
		s.Energies[r] = append(s.Energies[r], c.E)
	}
}

func (p *paScalar) Load(s *PAState, r int) (PAPopulation, error) {
	q := &paScalar{m: p.m, sp: p.sp, move: p.move}
	return q, q.loadState(s, r)
}

func (p *paScalar) loadState(s *PAState, r int) error {
	if len(s.Spins) != len(s.LnZ) {
		return errors.New("no scalar replicas in the state")
	}
	n := p.m.N()
	p.fam = slices.Clone(s.Family[r])
	for j, sp := range s.Spins[r] {
		if len(sp) != n {
			return fmt.Errorf("replica %d has %d spins, want %d", j, len(sp), n)
		}
		for _, v := range sp {
			if v != 1 && v != -1 {
				return fmt.Errorf("replica %d has a spin %d", j, v)
			}
		}
		p.chains = append(p.chains, NewChainFrom(p.m, sp, NewStream(0, PurposeChain, 0, 0)))
	}
	if len(p.chains) == 0 {
		return errors.New("empty population")
	}
	if len(s.Energies) == len(s.Spins) && s.Energies[r] != nil {
		if len(s.Energies[r]) != len(p.chains) {
			return fmt.Errorf("%d energies for %d replicas", len(s.Energies[r]), len(p.chains))
		}
		for j, e := range s.Energies[r] {
			if d := math.Abs(e - p.chains[j].E); !(d <= 1e-6*max(1, math.Abs(e))) {
				return fmt.Errorf("replica %d has energy %v, its spins %v", j, e, p.chains[j].E)
			}
			p.chains[j].E = e
		}
	}
	return nil
}
