package sampler

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/deepglass/deepglass/models"
)

// paScalar is a population of scalar chains.
type paScalar struct {
	m      models.Model
	sp     *models.Sparse // m, if sparse (for link overlaps)
	move   func(beta float64) Sweeper
	chains []*Chain
	spare  []*Chain
	fam    []int32
}

func (p *paScalar) size() int         { return len(p.chains) }
func (p *paScalar) families() []int32 { return p.fam }
func (p *paScalar) units() int        { return len(p.chains) }

func (p *paScalar) energies(dst []float64) {
	for j, c := range p.chains {
		dst[j] = c.E
	}
}

func (p *paScalar) magnetizations(dst []float64) {
	for j, c := range p.chains {
		dst[j] = c.Magnetization()
	}
}

func (p *paScalar) overlaps(o paPop, q, ql []float64) {
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

// resample copies the parents' spins and energies into chains taken from the spare
// pool (old chains return to it), keeping each chain's stream object for reseeding.
func (p *paScalar) resample(parents []int32) {
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

func (p *paScalar) prepare(beta float64, seed uint64, r int) {
	for j, c := range p.chains {
		c.Src.Seed(StreamSeed(seed, PurposeChain, r, j))
	}
}

func (p *paScalar) newWorker(beta float64) *paWorker { return &paWorker{sw: p.move(beta)} }

func (p *paScalar) sweep(u, sweeps int, w *paWorker) {
	c := p.chains[u]
	for range sweeps {
		w.sw.Sweep(c)
	}
}

func (p *paScalar) saveState(s *PAState, r int) {
	if s.Spins == nil {
		s.Spins = make([][][]int8, len(s.LnZ))
	}
	for _, c := range p.chains {
		s.Spins[r] = append(s.Spins[r], slices.Clone(c.S))
	}
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
	return nil
}

// paPacked is a population of packed lanes: replica j is lane j mod 64 of words[j/64].
type paPacked struct {
	pm    *PackedModel
	words []*PackedChain
	spare []*PackedChain
	n     int
	fam   []int32
	mv    *PackedMetropolis
	e     [PackedLanes]int64
	f     [PackedLanes]float64
	g     [PackedLanes]float64
}

func (p *paPacked) size() int         { return p.n }
func (p *paPacked) families() []int32 { return p.fam }
func (p *paPacked) units() int        { return len(p.words) }

func (p *paPacked) energies(dst []float64) {
	scale := p.pm.Scale()
	for u, c := range p.words {
		p.pm.LaneEnergies(p.e[:], c.S)
		for l := range min(PackedLanes, p.n-PackedLanes*u) {
			dst[PackedLanes*u+l] = float64(p.e[l]) * scale
		}
	}
}

func (p *paPacked) magnetizations(dst []float64) {
	for u, c := range p.words {
		c.LaneMagnetizations(p.f[:])
		copy(dst[PackedLanes*u:], p.f[:min(PackedLanes, p.n-PackedLanes*u)])
	}
}

func (p *paPacked) overlaps(o paPop, q, ql []float64) {
	ow := o.(*paPacked).words
	for u := 0; PackedLanes*u < len(q); u++ {
		p.words[u].LaneOverlaps(p.f[:], ow[u])
		p.pm.LaneLinkOverlaps(p.g[:], p.words[u].S, ow[u].S)
		k := min(PackedLanes, len(q)-PackedLanes*u)
		copy(q[PackedLanes*u:], p.f[:k])
		copy(ql[PackedLanes*u:], p.g[:k])
	}
}

// resample builds the new words from runs of consecutive parents: a run of parents
// i, i+1, …, i+k−1 going to new replicas t, …, t+k−1, within one old and one new word,
// is one shifted bit-field copy per site.
func (p *paPacked) resample(parents []int32) {
	nw := (len(parents) + PackedLanes - 1) / PackedLanes
	old := p.words
	next := make([]*PackedChain, nw)
	for u := range next {
		if k := len(p.spare); k > 0 {
			next[u], p.spare = p.spare[k-1], p.spare[:k-1]
			clear(next[u].S)
		} else {
			next[u] = &PackedChain{S: make([]uint64, p.pm.N()), Src: NewStream(0, PurposeChain, 0, 0)}
		}
	}
	for t := 0; t < len(parents); {
		i := int(parents[t])
		k := 1
		for t+k < len(parents) && int(parents[t+k]) == i+k && (t+k)%PackedLanes != 0 && (i+k)%PackedLanes != 0 {
			k++
		}
		src, dst := old[i/PackedLanes].S, next[t/PackedLanes].S
		sl, dl := uint(i%PackedLanes), uint(t%PackedLanes)
		mask := ^uint64(0)
		if k < PackedLanes {
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

func (p *paPacked) prepare(beta float64, seed uint64, r int) {
	if p.mv == nil || p.mv.Beta != beta {
		p.mv = NewPackedMetropolis(p.pm, beta, IndependentLanes)
	}
	for u, c := range p.words {
		c.Src.Seed(StreamSeed(seed, PurposeChain, r, u))
	}
}

func (p *paPacked) newWorker(beta float64) *paWorker { return &paWorker{} }

func (p *paPacked) sweep(u, sweeps int, w *paWorker) {
	c := p.words[u]
	for range sweeps {
		p.mv.Sweep(c)
	}
}

func (p *paPacked) saveState(s *PAState, r int) {
	if s.Words == nil {
		s.Words = make([][][]uint64, len(s.LnZ))
		s.Size = make([]int, len(s.LnZ))
	}
	for _, c := range p.words {
		s.Words[r] = append(s.Words[r], slices.Clone(c.S))
	}
	s.Size[r] = p.n
}

func (p *paPacked) loadState(s *PAState, r int) error {
	if len(s.Words) != len(s.LnZ) || len(s.Size) != len(s.LnZ) {
		return errors.New("no packed replicas in the state")
	}
	p.n = s.Size[r]
	if p.n < 1 || len(s.Words[r]) != (p.n+PackedLanes-1)/PackedLanes {
		return fmt.Errorf("%d words for %d replicas", len(s.Words[r]), p.n)
	}
	for u, w := range s.Words[r] {
		if len(w) != p.pm.N() {
			return fmt.Errorf("word %d has %d sites, want %d", u, len(w), p.pm.N())
		}
		p.words = append(p.words, &PackedChain{S: slices.Clone(w), Src: NewStream(0, PurposeChain, 0, 0)})
	}
	p.fam = slices.Clone(s.Family[r])
	return nil
}
