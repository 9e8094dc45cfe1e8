package packed

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/deepglass/deepglass/models"
	"github.com/deepglass/deepglass/sampler"
)

// WideTempering is [Tempering] on wide chains: Chains[k] holds the 512 lanes at
// Betas[k], swept by the wide kernels ([Metropolis.SweepWide]), and after each
// sweep neighbouring temperatures propose to exchange configurations in every lane
// separately, with the acceptance min(1, e^{(β_{k+1}−β_k)(E_{k+1}−E_k)}) of that lane's
// energies. Each lane is an independent replica-exchange simulation of its own sample
// (lane 64w + ℓ sees the couplings of the model's lane ℓ).
//
// Exchange decisions draw only from Src, one uniform per lane whose exchange would raise
// the weight, lanes in order 0 … 511; sweeps draw only from the chains' streams. Results
// do not depend on scheduling. The exchange core ([sampler.Exchange], 512 lanes) tracks
// which replica of each lane sits at each temperature, so round trips and flow are
// measured per lane as for [Tempering].
type WideTempering struct {
	// Exchange holds the ladder (Betas, increasing), the per-lane replica slots, the
	// statistics (Tried, Swapped, counted over lanes) and Src.
	*sampler.Exchange
	Moves  []*Metropolis
	Chains []*WideChain
	// E[k][64w + ℓ] is the energy of lane 64w + ℓ of Chains[k], updated after every sweep.
	E [][WideLanes]int64
}

// NewWideTempering returns wide parallel tempering over m (a square or cubic lattice) at
// betas (strictly increasing): chains[k] is swept at betas[k] with independent lanes, and
// exchange decisions come from src, which must not be any chain's stream. It panics on
// mismatched lengths or sizes, betas that do not increase, a graph model or a nil source.
func NewWideTempering(m *Model, betas []float64, chains []*WideChain, src *rand.PCG) *WideTempering {
	if len(chains) != len(betas) || len(betas) == 0 {
		panic("packed: NewWideTempering: need one chain per beta")
	}
	if src == nil {
		panic("packed: NewWideTempering: nil source")
	}
	if m.Graph != nil {
		panic("packed: NewWideTempering: wide chains are on square and cubic lattices")
	}
	for k := 1; k < len(betas); k++ {
		if !(betas[k] > betas[k-1]) {
			panic("packed: NewWideTempering: betas must increase")
		}
	}
	t := &WideTempering{
		Exchange: sampler.NewExchange(betas, WideLanes, src), Chains: chains,
		E: make([][WideLanes]int64, len(betas)),
	}
	for k, b := range betas {
		if len(chains[k].S) != WideWords*m.N() {
			panic("packed: NewWideTempering: chain size does not match model")
		}
		t.Moves = append(t.Moves, NewMetropolis(m, b, IndependentLanes))
		m.WideLaneEnergies(t.E[k][:], chains[k])
	}
	return t
}

// Sweep sweeps every chain once, then proposes lane-wise exchanges between the even or
// odd neighbouring pairs (alternating). It allocates nothing.
func (t *WideTempering) Sweep() {
	m := t.Moves[0].Model
	for k, mv := range t.Moves {
		mv.SweepWide(t.Chains[k])
		m.WideLaneEnergies(t.E[k][:], t.Chains[k])
	}
	for k := t.Parity(); k+1 < len(t.Betas); k += 2 {
		db := t.Betas[k+1] - t.Betas[k]
		ea, eb := &t.E[k], &t.E[k+1]
		var swap [WideWords]uint64
		n := 0
		for l := range WideLanes {
			if t.Propose(k, l, db*float64(eb[l]-ea[l])) {
				swap[l/Lanes] |= 1 << (l % Lanes)
				ea[l], eb[l] = eb[l], ea[l]
				n++
			}
		}
		if n == 0 {
			continue
		}
		a, b := t.Chains[k].S, t.Chains[k+1].S
		for i := 0; i+WideWords <= len(a); i += WideWords {
			A, B := (*[WideWords]uint64)(a[i:i+WideWords]), (*[WideWords]uint64)(b[i:i+WideWords])
			for w := range WideWords {
				x := (A[w] ^ B[w]) & swap[w]
				A[w] ^= x
				B[w] ^= x
			}
		}
	}
	t.EndRound()
}

// SwapAcceptance returns the fraction of accepted exchanges of each neighbouring pair
// (Exchange.Acceptance).
func (t *WideTempering) SwapAcceptance() []float64 { return t.Acceptance() }

// ChainAt returns the wide chain at Betas[k] (its lanes' replicas change as they are
// exchanged; see Slot).
func (t *WideTempering) ChainAt(k int) *WideChain { return t.Chains[k] }

// String summarises the temperatures and exchange rates.
func (t *WideTempering) String() string {
	return fmt.Sprintf("wide tempering (%d lanes) %v", WideLanes, t.Exchange)
}

// Refresh recomputes the lane energies E from the chains, after their spins were set
// from outside (as when restoring a checkpoint).
func (t *WideTempering) Refresh() {
	m := t.Moves[0].Model
	for k, c := range t.Chains {
		m.WideLaneEnergies(t.E[k][:], c)
	}
}

// setBetaWide changes the inverse temperature of a sweeper used only through SweepWide:
// the wide kernels read only the thresholds wideQ (SetBeta also rebuilds the 64-lane
// tables, which SweepWide does not use).
func (pm *Metropolis) setBetaWide(beta float64) {
	if !(beta >= 0) {
		panic("packed: Metropolis: beta negative or NaN")
	}
	pm.Beta = beta
	*pm.wideQ = wideThresholds(beta)
}

// WideAnnealRestarts is [AnnealRestarts] with the wide kernels: every pass anneals
// 512 restarts at once, one per lane of a [WideChain], with the same schedule, followed
// by a quench of every lane (sweeps flipping only spins that lower the energy, until none
// does). Pass k draws its random starts from NewStream(seed, PurposeChain, 0, k), and
// restart 512k + j is its lane j; maxRestarts is rounded up to whole passes. Targets are
// checked against the lowest lane energy after every sweep, and a hit's Restart is the
// first restart of its pass.
//
// p must be a ±1 model on a periodic square or cubic lattice with no field (what
// [NewModel] accepts); packing errors are returned.
func WideAnnealRestarts(ctx context.Context, p *models.Sparse, s sampler.Schedule, seed uint64, workers int, targets []float64, deadline time.Duration, maxRestarts int) (sampler.AnnealResult, error) {
	checkSchedule(s, "WideAnnealRestarts")
	pm, err := NewModel(p)
	if err != nil {
		return sampler.AnnealResult{}, err
	}
	pg, err := NewGraphLanes([]*models.Sparse{p})
	if err != nil {
		return sampler.AnnealResult{}, err
	}
	newPass := func() sampler.RestartPass {
		return &widePass{pm: pm, pg: pg, mv: NewMetropolis(pm, s.Beta(0), IndependentLanes), sched: s,
			word: &Chain{S: make([]uint64, pm.N())}, b: make([]int8, pm.N())}
	}
	return sampler.AnnealRestartsOf(ctx, newPass, seed, workers, targets, deadline, maxRestarts), nil
}

// widePass anneals 512 lanes at once.
type widePass struct {
	pm    *Model // lattice form, for the wide kernels
	pg    *Model // graph form, for the quench
	mv    *Metropolis
	sched sampler.Schedule
	e     [WideLanes]int64
	e64   [Lanes]int64
	word  *Chain
	b     []int8
	lane  int
}

func (p *widePass) Width() int          { return WideLanes }
func (p *widePass) Best() ([]int8, int) { return p.b, p.lane }

func (p *widePass) Run(k int, seed uint64, hook func(int64, float64) bool) (bestE float64, sweeps int64, complete bool) {
	c := NewWideChain(p.pm, sampler.NewStream(seed, sampler.PurposeChain, 0, k))
	bestE = math.Inf(1)
	// track notes the lowest lane energy of p.e and keeps the state of the best lane
	// seen, and returns that lowest energy.
	track := func() float64 {
		lo, l := p.e[0], 0
		for j, e := range p.e {
			if e < lo {
				lo, l = e, j
			}
		}
		if E := float64(lo); E < bestE {
			bestE, p.lane = E, l
			c.Word(p.word, l/Lanes)
			p.word.Lane(p.b, l%Lanes)
		}
		return float64(lo)
	}
	p.pm.WideLaneEnergies(p.e[:], c)
	track()
	for j := range p.sched.Sweeps {
		p.mv.setBetaWide(p.sched.Beta(j))
		p.mv.SweepWide(c)
		p.pm.WideLaneEnergies(p.e[:], c)
		sweeps++
		if e := track(); hook != nil && hook(sweeps, e) {
			return bestE, sweeps, false
		}
	}
	// Quench each word of 64 lanes with the graph kernel; a quench sweep of every word
	// counts as one sweep.
	var most int64
	for w := range WideWords {
		c.Word(p.word, w)
		var n int64
		for range maxQuenchSweeps {
			n++
			if packedQuenchGraph(p.pg.Graph, p.word.S) == 0 {
				break
			}
		}
		most = max(most, n)
		p.pg.LaneEnergies(p.e64[:], p.word.S)
		copy(p.e[Lanes*w:], p.e64[:])
		for i := range p.word.S {
			c.S[WideWords*i+w] = p.word.S[i]
		}
	}
	sweeps += most
	e := track()
	if hook != nil {
		hook(sweeps, e)
	}
	return bestE, sweeps, true
}
