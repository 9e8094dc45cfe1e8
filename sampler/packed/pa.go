package packed

import (
	"errors"
	"fmt"
	"slices"

	"github.com/deepglass/deepglass/sampler"
)

// NewPopulationAnnealing returns population annealing of the packed model m with
// packed Metropolis sweeps (independent lanes): replica j of a population is lane j mod
// 64 of its word j/64. The model's lanes should hold one model (NewModel), since
// every replica must see the same couplings. Invalid options are an error.
func NewPopulationAnnealing(m *Model, opts sampler.PAOptions) (*sampler.PopulationAnnealing, error) {
	if m == nil {
		panic("packed: NewPopulationAnnealing with nil model")
	}
	return sampler.NewPopulationAnnealingOf(m.N(), opts, func(r, size int, seed uint64) sampler.PAPopulation {
		p := &paPacked{pm: m, n: size, fam: make([]int32, size)}
		for u := range (size + Lanes - 1) / Lanes {
			p.words = append(p.words, NewChain(m, sampler.NewStream(seed, sampler.PurposeChain, r, u)))
		}
		for j := range p.fam {
			p.fam[j] = int32(j)
		}
		return p
	})
}

// paPacked is a population of packed lanes: replica j is lane j mod 64 of words[j/64].
type paPacked struct {
	pm    *Model
	words []*Chain
	spare []*Chain
	n     int
	fam   []int32
	mv    *Metropolis
	e     [Lanes]int64
	f     [Lanes]float64
	g     [Lanes]float64
}

func (p *paPacked) Size() int         { return p.n }
func (p *paPacked) Families() []int32 { return p.fam }
func (p *paPacked) Units() int        { return len(p.words) }

func (p *paPacked) Energies(dst []float64) {
	scale := p.pm.Scale()
	for u, c := range p.words {
		p.pm.LaneEnergies(p.e[:], c.S)
		for l := range min(Lanes, p.n-Lanes*u) {
			dst[Lanes*u+l] = float64(p.e[l]) * scale
		}
	}
}

func (p *paPacked) Magnetizations(dst []float64) {
	for u, c := range p.words {
		c.LaneMagnetizations(p.f[:])
		copy(dst[Lanes*u:], p.f[:min(Lanes, p.n-Lanes*u)])
	}
}

func (p *paPacked) Overlaps(o sampler.PAPopulation, q, ql []float64) {
	ow := o.(*paPacked).words
	for u := 0; Lanes*u < len(q); u++ {
		p.words[u].LaneOverlaps(p.f[:], ow[u])
		p.pm.LaneLinkOverlaps(p.g[:], p.words[u].S, ow[u].S)
		k := min(Lanes, len(q)-Lanes*u)
		copy(q[Lanes*u:], p.f[:k])
		copy(ql[Lanes*u:], p.g[:k])
	}
}

// Resample builds the new words from runs of consecutive parents: a run of parents
// i, i+1, …, i+k−1 going to new replicas t, …, t+k−1, within one old and one new word,
// is one shifted bit-field copy per site.
func (p *paPacked) Resample(parents []int32) {
	nw := (len(parents) + Lanes - 1) / Lanes
	old := p.words
	next := make([]*Chain, nw)
	for u := range next {
		if k := len(p.spare); k > 0 {
			next[u], p.spare = p.spare[k-1], p.spare[:k-1]
			clear(next[u].S)
		} else {
			next[u] = &Chain{S: make([]uint64, p.pm.N()), Src: sampler.NewStream(0, sampler.PurposeChain, 0, 0)}
		}
	}
	for t := 0; t < len(parents); {
		i := int(parents[t])
		k := 1
		for t+k < len(parents) && int(parents[t+k]) == i+k && (t+k)%Lanes != 0 && (i+k)%Lanes != 0 {
			k++
		}
		src, dst := old[i/Lanes].S, next[t/Lanes].S
		sl, dl := uint(i%Lanes), uint(t%Lanes)
		mask := ^uint64(0)
		if k < Lanes {
			mask = 1<<uint(k) - 1
		}
		for x := range dst {
			dst[x] |= (src[x] >> sl & mask) << dl
		}
		t += k
	}
	fam := make([]int32, len(parents))
	for t, i := range parents {
		fam[t] = p.fam[i]
	}
	p.spare = append(p.spare, old...)
	p.words, p.n, p.fam = next, len(parents), fam
}

func (p *paPacked) Prepare(beta float64, seed uint64, r int) {
	if p.mv == nil || p.mv.Beta != beta {
		p.mv = NewMetropolis(p.pm, beta, IndependentLanes)
	}
	for u, c := range p.words {
		c.Src.Seed(sampler.StreamSeed(seed, sampler.PurposeChain, r, u))
	}
}

func (p *paPacked) NewWorker(beta float64) *sampler.PAWorker { return &sampler.PAWorker{} }

func (p *paPacked) Sweep(u, sweeps int, w *sampler.PAWorker) {
	c := p.words[u]
	for range sweeps {
		p.mv.Sweep(c)
	}
}

func (p *paPacked) SaveState(s *sampler.PAState, r int) {
	if s.Words == nil {
		s.Words = make([][][]uint64, len(s.LnZ))
		s.Size = make([]int, len(s.LnZ))
	}
	for _, c := range p.words {
		s.Words[r] = append(s.Words[r], slices.Clone(c.S))
	}
	s.Size[r] = p.n
}

func (p *paPacked) Load(s *sampler.PAState, r int) (sampler.PAPopulation, error) {
	q := &paPacked{pm: p.pm}
	return q, q.loadState(s, r)
}

func (p *paPacked) loadState(s *sampler.PAState, r int) error {
	if len(s.Words) != len(s.LnZ) || len(s.Size) != len(s.LnZ) {
		return errors.New("no packed replicas in the state")
	}
	p.n = s.Size[r]
	if p.n < 1 || len(s.Words[r]) != (p.n+Lanes-1)/Lanes {
		return fmt.Errorf("%d words for %d replicas", len(s.Words[r]), p.n)
	}
	for u, w := range s.Words[r] {
		if len(w) != p.pm.N() {
			return fmt.Errorf("word %d has %d sites, want %d", u, len(w), p.pm.N())
		}
		p.words = append(p.words, &Chain{S: slices.Clone(w), Src: sampler.NewStream(0, sampler.PurposeChain, 0, 0)})
	}
	p.fam = slices.Clone(s.Family[r])
	return nil
}
