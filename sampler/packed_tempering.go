package sampler

import (
	"fmt"
	"math/rand/v2"
)

// PackedTempering runs parallel tempering on packed chains, lane by lane: Chains[k] holds
// the 64 lanes at Betas[k], and after each sweep neighbouring temperatures propose to
// exchange configurations in every lane separately, with the usual acceptance
// min(1, e^{(β_{k+1}−β_k)(E_{k+1}−E_k)}) computed from that lane's energies. An accepted
// exchange swaps the lane's bits between the two chains (about N word operations per
// pair). Each lane is thus an independent replica-exchange simulation of its own sample.
// The exchange core ([Exchange], 64 lanes) tracks which replica of each lane sits at
// each temperature, so round trips and flow are measured per lane as for [Tempering].
//
// Exchange decisions draw only from Src, and sweeps only from the chains' streams, in a
// fixed order: results do not depend on scheduling. Chains are swept one after another
// in the calling goroutine.
type PackedTempering struct {
	// Exchange holds the ladder, the per-lane replica slots, the statistics and Src.
	*Exchange
	Moves  []*PackedMetropolis
	Chains []*PackedChain
	// E[k][ℓ] is the energy of lane ℓ of Chains[k], updated after every sweep.
	E [][PackedLanes]int64
}

// NewPackedTempering returns packed parallel tempering over m at betas (strictly
// increasing): chains[k] is swept at betas[k] with draws, and exchange decisions come
// from src, which must not be any chain's stream. It panics on mismatched lengths or
// sizes, betas that do not increase, or a nil source.
func NewPackedTempering(m *PackedModel, betas []float64, draws PackedDraws, chains []*PackedChain, src *rand.PCG) *PackedTempering {
	if len(chains) != len(betas) || len(betas) == 0 {
		panic("sampler: NewPackedTempering: need one chain per beta")
	}
	if src == nil {
		panic("sampler: NewPackedTempering: nil source")
	}
	for k := 1; k < len(betas); k++ {
		if !(betas[k] > betas[k-1]) {
			panic("sampler: NewPackedTempering: betas must increase")
		}
	}
	t := &PackedTempering{
		Exchange: NewExchange(betas, PackedLanes, src), Chains: chains,
		E: make([][PackedLanes]int64, len(betas)),
	}
	for k, b := range betas {
		if len(chains[k].S) != m.N() {
			panic("sampler: NewPackedTempering: chain size does not match model")
		}
		t.Moves = append(t.Moves, NewPackedMetropolis(m, b, draws))
		m.LaneEnergies(t.E[k][:], chains[k].S)
	}
	return t
}

// ChainAt returns the packed chain at Betas[k] (its lanes' replicas change as they are
// exchanged; see Slot).
func (t *PackedTempering) ChainAt(k int) *PackedChain { return t.Chains[k] }

// Sweep sweeps every chain once, then proposes lane-wise exchanges between the even or
// odd neighbouring pairs (alternating). It allocates nothing.
func (t *PackedTempering) Sweep() {
	m := t.Moves[0].Model
	for k, mv := range t.Moves {
		mv.Sweep(t.Chains[k])
		m.LaneEnergies(t.E[k][:], t.Chains[k].S)
	}
	for k := t.parity; k+1 < len(t.Betas); k += 2 {
		db := t.Betas[k+1] - t.Betas[k]
		ea, eb := &t.E[k], &t.E[k+1]
		var swap uint64
		for l := range PackedLanes {
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
func (t *PackedTempering) String() string {
	return fmt.Sprintf("packed tempering %v", t.Exchange)
}

// Refresh recomputes the lane energies E from the chains, after their spins were set
// from outside (as when restoring a checkpoint).
func (t *PackedTempering) Refresh() {
	m := t.Moves[0].Model
	for k, c := range t.Chains {
		m.LaneEnergies(t.E[k][:], c.S)
	}
}
