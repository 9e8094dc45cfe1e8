package packed

import (
	"fmt"
	"math/rand/v2"

	"github.com/deepglass/deepglass/sampler"
)

// Tempering runs parallel tempering on packed chains, lane by lane: Chains[k] holds
// the 64 lanes at Betas[k], and after each sweep neighbouring temperatures propose to
// exchange configurations in every lane separately, with the usual acceptance
// min(1, e^{(β_{k+1}−β_k)(E_{k+1}−E_k)}) computed from that lane's energies. An accepted
// exchange swaps the lane's bits between the two chains (about N word operations per
// pair). Each lane is thus an independent replica-exchange simulation of its own sample.
// The exchange core ([sampler.Exchange], 64 lanes) tracks which replica of each lane sits at
// each temperature, so round trips and flow are measured per lane as for [sampler.Tempering].
//
// Exchange decisions draw only from Src, and sweeps only from the chains' streams, in a
// fixed order: results do not depend on scheduling. Chains are swept one after another
// in the calling goroutine.
type Tempering struct {
	// Exchange holds the ladder, the per-lane replica slots, the statistics and Src.
	*sampler.Exchange
	Moves  []*Metropolis
	Chains []*Chain
	// E[k][ℓ] is the energy of lane ℓ of Chains[k], updated after every sweep.
	E [][Lanes]int64
}

// NewTempering returns packed parallel tempering over m at betas (strictly
// increasing): chains[k] is swept at betas[k] with draws, and exchange decisions come
// from src, which must not be any chain's stream. It panics on mismatched lengths or
// sizes, betas that do not increase, or a nil source.
func NewTempering(m *Model, betas []float64, draws Draws, chains []*Chain, src *rand.PCG) *Tempering {
	if len(chains) != len(betas) || len(betas) == 0 {
		panic("packed: NewTempering: need one chain per beta")
	}
	if src == nil {
		panic("packed: NewTempering: nil source")
	}
	for k := 1; k < len(betas); k++ {
		if !(betas[k] > betas[k-1]) {
			panic("packed: NewTempering: betas must increase")
		}
	}
	t := &Tempering{
		Exchange: sampler.NewExchange(betas, Lanes, src), Chains: chains,
		E: make([][Lanes]int64, len(betas)),
	}
	for k, b := range betas {
		if len(chains[k].S) != m.N() {
			panic("packed: NewTempering: chain size does not match model")
		}
		t.Moves = append(t.Moves, NewMetropolis(m, b, draws))
		m.LaneEnergies(t.E[k][:], chains[k].S)
	}
	return t
}

// ChainAt returns the packed chain at Betas[k] (its lanes' replicas change as they are
// exchanged; see Slot).
func (t *Tempering) ChainAt(k int) *Chain { return t.Chains[k] }

// Sweep sweeps every chain once, then proposes lane-wise exchanges between the even or
// odd neighbouring pairs (alternating). It allocates nothing.
func (t *Tempering) Sweep() {
	m := t.Moves[0].Model
	for k, mv := range t.Moves {
		mv.Sweep(t.Chains[k])
		m.LaneEnergies(t.E[k][:], t.Chains[k].S)
	}
	for k := t.Parity(); k+1 < len(t.Betas); k += 2 {
		db := t.Betas[k+1] - t.Betas[k]
		ea, eb := &t.E[k], &t.E[k+1]
		var swap uint64
		for l := range Lanes {
			if t.Propose(k, l, db*float64(eb[l]-ea[l])) {
				swap |= 1 << l
				ea[l], eb[l] = eb[l], ea[l]
			}
		}
		if swap != 0 {
			a, b := t.Chains[k].S, t.Chains[k+1].S
			for i := range a {
				x := (a[i] ^ b[i]) & swap
				a[i] ^= x
				b[i] ^= x
			}
		}
	}
	t.EndRound()
}

// String summarises the temperatures and exchange rates.
func (t *Tempering) String() string {
	return fmt.Sprintf("packed tempering %v", t.Exchange)
}

// Refresh recomputes the lane energies E from the chains, after their spins were set
// from outside (as when restoring a checkpoint).
func (t *Tempering) Refresh() {
	m := t.Moves[0].Model
	for k, c := range t.Chains {
		m.LaneEnergies(t.E[k][:], c.S)
	}
}
