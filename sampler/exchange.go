package sampler

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
)

// Exchange is the replica-exchange core that every parallel tempering of deepglass
// shares — [Tempering] (chains of any single-temperature sampler), packed.Tempering
// of sampler/packed (64 independent lanes per machine word) and RBMTempering of
// sampler/rbmsample (restricted Boltzmann machines): the ladder of inverse
// temperatures, which replica sits at which temperature, the alternating rounds of
// proposed exchanges, their statistics, the round trips and replica flow, and the
// stream the exchange decisions draw from. The temperings embed it, so their
// diagnostics have the same names everywhere.
//
// # Rounds
//
// One round proposes an exchange for every other neighbouring pair (k, k+1): k even in
// one round, k odd in the next ([Exchange.Parity]). A proposal with log acceptance
// ratio d = (β_{k+1} − β_k)(E_{k+1} − E_k) is accepted with probability min(1, e^d): for
// d ≥ 0 without a draw, otherwise iff one uniform from Src, (u>>11)·2⁻⁵³, is below e^d
// ([Exchange.Propose]). [Exchange.EndRound] closes the round.
//
// # Lanes
//
// An Exchange has one or more lanes: independent ladders whose proposals are decided
// separately but share the counters (packed tempering has 64, one per bit). Slot holds,
// for each lane l and temperature k, the replica Slot[l·K + k] sitting there; an
// accepted exchange swaps two entries. The caller moves the states themselves (slot
// indices for chains, bits for packed lanes).
//
// # Diagnostics
//
// Tried[k] and Swapped[k] count the proposals and acceptances of pair (k, k+1) over
// all lanes; [Exchange.Acceptance] is their ratio. Every replica carries a label: the
// extreme temperature it visited last, the hottest (k = 0) or the coldest (k = K−1). A
// round trip is a visit to the coldest temperature, then the hottest, then the coldest
// again; [Exchange.RoundTrips] counts them and [Exchange.MeanRoundTrip] is the mean
// number of rounds between the two cold ends. [Exchange.Flow] is the fraction f(k) of
// labelled replicas at temperature k whose label is "hottest" (the replica flow of
// Katzgraber, Trebst, Huse & Troyer, J. Stat. Mech. P03018 (2006), whose f counts the
// other label, so theirs is 1 − ours): f = 1 at the hottest and 0 at the coldest; a
// ladder that minimises round-trip times makes f linear in k.
type Exchange struct {
	// Betas are the inverse temperatures, strictly increasing: k = 0 is the hottest.
	Betas []float64
	// Slot[l·K + k] is the replica of lane l at Betas[k].
	Slot []int
	// Src is the stream of exchange decisions only, separate from every chain's.
	Src *rand.PCG
	// Tried[k] and Swapped[k] count exchanges of temperatures k and k+1 proposed and
	// accepted, over all lanes.
	Tried, Swapped []int64
	// Sweeps counts rounds (EndRound calls).
	Sweeps int64

	lanes   int
	parity  int
	probSum []float64 // Σ min(1, e^d) over proposals per pair: a low-noise acceptance

	last       []int8  // per lane×replica: labelNone, labelHot or labelCold
	tripStart  []int64 // per lane×replica: Sweeps when its current trip left the cold end, or -1
	roundTrips int64
	tripSweeps int64
	flowHot    []int64 // per temperature: rounds × lanes with a replica labelled hot there
	flowCold   []int64 // per temperature: rounds × lanes with a replica labelled cold there
}

// Chain labels for the round-trip and flow diagnostics: the extreme visited last.
const (
	labelNone int8 = 0
	labelHot  int8 = 1
	labelCold int8 = 2
)

// NewExchange returns the exchange core of a ladder at betas (finite, ≥ 0, strictly
// increasing) with the given number of lanes (≥ 1), drawing from src; replica k of
// every lane starts at Betas[k]. It copies betas. It panics on invalid arguments.
func NewExchange(betas []float64, lanes int, src *rand.PCG) *Exchange {
	if err := checkLadder(betas); err != nil {
		panic("sampler: NewExchange: " + err.Error())
	}
	if lanes < 1 {
		panic(fmt.Sprintf("sampler: NewExchange with %d lanes", lanes))
	}
	if src == nil {
		panic("sampler: NewExchange with nil source")
	}
	n := len(betas)
	x := &Exchange{
		Betas:     append([]float64(nil), betas...),
		Slot:      make([]int, lanes*n),
		Src:       src,
		Tried:     make([]int64, max(n-1, 0)),
		Swapped:   make([]int64, max(n-1, 0)),
		lanes:     lanes,
		probSum:   make([]float64, max(n-1, 0)),
		last:      make([]int8, lanes*n),
		tripStart: make([]int64, lanes*n),
		flowHot:   make([]int64, n),
		flowCold:  make([]int64, n),
	}
	for i := range x.Slot {
		x.Slot[i] = i % n
		x.tripStart[i] = -1
	}
	x.label()
	return x
}

// Lanes returns the number of lanes.
func (x *Exchange) Lanes() int { return x.lanes }

// Parity returns which neighbouring pairs the next round proposes to exchange: 0 for
// (0,1), (2,3), …; 1 for (1,2), (3,4), ….
func (x *Exchange) Parity() int { return x.parity }

// SetParity sets the parity of the next round (0 or 1), for restoring a saved state.
func (x *Exchange) SetParity(p int) {
	if p != 0 && p != 1 {
		panic("sampler: Exchange.SetParity: parity must be 0 or 1")
	}
	x.parity = p
}

// Propose decides one proposed exchange of temperatures k and k+1 in lane l with log
// acceptance ratio d, counts it, and on acceptance swaps the lane's replicas at k and
// k+1 in Slot. It draws one uniform from Src when d < 0.
func (x *Exchange) Propose(k, l int, d float64) bool {
	x.Tried[k]++
	p := 1.0
	accept := d >= 0
	if !accept {
		p = math.Exp(d)
		accept = uniform(x.Src) < p
	}
	x.probSum[k] += p
	if accept {
		s := x.Slot[l*len(x.Betas):]
		s[k], s[k+1] = s[k+1], s[k]
		x.Swapped[k]++
	}
	return accept
}

// EndRound closes a round of proposals: it flips the parity, counts the round and
// updates the labels, round trips and flow.
func (x *Exchange) EndRound() {
	x.parity ^= 1
	x.Sweeps++
	x.label()
}

// label updates the replica labels, round trips and flow histogram.
func (x *Exchange) label() {
	n := len(x.Betas)
	if n < 2 {
		return
	}
	for l := range x.lanes {
		slot := x.Slot[l*n : (l+1)*n]
		last := x.last[l*n : (l+1)*n]
		start := x.tripStart[l*n : (l+1)*n]
		last[slot[0]] = labelHot
		cold := slot[n-1]
		switch last[cold] {
		case labelHot:
			if start[cold] >= 0 {
				x.roundTrips++
				x.tripSweeps += x.Sweeps - start[cold]
			}
			start[cold] = x.Sweeps
		case labelNone:
			start[cold] = x.Sweeps
		}
		last[cold] = labelCold
		for k, c := range slot {
			switch last[c] {
			case labelHot:
				x.flowHot[k]++
			case labelCold:
				x.flowCold[k]++
			}
		}
	}
}

// Acceptance returns the fraction of accepted exchanges of each neighbouring pair
// (k, k+1), 0 for a pair never tried.
func (x *Exchange) Acceptance() []float64 {
	out := make([]float64, len(x.Tried))
	for k, n := range x.Tried {
		if n > 0 {
			out[k] = float64(x.Swapped[k]) / float64(n)
		}
	}
	return out
}

// meanSwapProb returns the mean of min(1, e^d) over the proposals of each pair: the
// expected acceptance, an estimate of Acceptance with less noise. Pairs never tried get
// NaN.
func (x *Exchange) meanSwapProb() []float64 {
	out := make([]float64, len(x.Tried))
	for k, n := range x.Tried {
		out[k] = math.NaN()
		if n > 0 {
			out[k] = x.probSum[k] / float64(n)
		}
	}
	return out
}

// RoundTrips returns the number of completed round trips coldest → hottest → coldest,
// over all replicas of all lanes.
func (x *Exchange) RoundTrips() int64 { return x.roundTrips }

// MeanRoundTrip returns the mean duration of the completed round trips in rounds, from
// a replica's arrival at the coldest temperature to its next arrival there after
// visiting the hottest; NaN if there are none.
func (x *Exchange) MeanRoundTrip() float64 {
	if x.roundTrips == 0 {
		return math.NaN()
	}
	return float64(x.tripSweeps) / float64(x.roundTrips)
}

// Flow returns, for each temperature k, the fraction of rounds (and lanes) with a
// labelled replica at k in which that replica had last visited the hottest temperature
// rather than the coldest (NaN where no labelled replica has been). See [Exchange].
func (x *Exchange) Flow() []float64 {
	out := make([]float64, len(x.Betas))
	for k := range out {
		out[k] = math.NaN()
		if n := x.flowHot[k] + x.flowCold[k]; n > 0 {
			out[k] = float64(x.flowHot[k]) / float64(n)
		}
	}
	return out
}

// ResetStats zeroes the exchange counters, round trips and flow histogram, keeping the
// replica labels (so a trip under way when it is called still counts when it ends).
// The adaptive ladders call it, since the statistics of an old ladder say nothing about
// the new one.
func (x *Exchange) ResetStats() {
	clear(x.Tried)
	clear(x.Swapped)
	clear(x.probSum)
	clear(x.flowHot)
	clear(x.flowCold)
	x.roundTrips, x.tripSweeps = 0, 0
}

// String summarises the ladder and the diagnostics.
func (x *Exchange) String() string {
	n := len(x.Betas)
	if n == 0 {
		return "exchange (empty)"
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, a := range x.Acceptance() {
		lo, hi = min(lo, a), max(hi, a)
	}
	acc := "-"
	if n > 1 {
		acc = fmt.Sprintf("%.3g–%.3g", lo, hi)
	}
	return fmt.Sprintf("K=%d β=%.4g…%.4g lanes=%d rounds=%d swap acc %s, round trips %d (mean %.4g rounds)",
		n, x.Betas[0], x.Betas[n-1], x.lanes, x.Sweeps, acc, x.roundTrips, x.MeanRoundTrip())
}

// TemperingState is the state of an [Exchange] (for [Tempering], also what it saves
// apart from its chains and streams, which the caller saves: spins, energies, counters
// and PCG.MarshalBinary), for checkpoints. All slices are copies; the per-replica
// slices have one entry per lane and temperature.
type TemperingState struct {
	Betas          []float64
	Slot           []int
	Tried, Swapped []int64
	// ProbSum[k] is the sum of the acceptance probabilities of pair k's proposals.
	ProbSum []float64
	// Parity is 0 if the next round proposes the even pairs, 1 for the odd pairs.
	Parity int
	Sweeps int64
	// Label[c] is the extreme replica c visited last: 0 none yet, 1 hottest, 2 coldest.
	Label []int8
	// TripStart[c] is the round at which replica c's current round trip began, or -1.
	TripStart  []int64
	RoundTrips int64
	// TripSweeps is the total duration of the completed round trips, in rounds.
	TripSweeps int64
	// FlowHot[k] and FlowCold[k] count rounds with a replica labelled hottest or coldest
	// at temperature k.
	FlowHot, FlowCold []int64
}

// String summarises the state.
func (s TemperingState) String() string {
	return fmt.Sprintf("tempering state K=%d sweeps=%d parity=%d round trips=%d", len(s.Betas), s.Sweeps, s.Parity, s.RoundTrips)
}

// State returns a copy of the exchange state for a checkpoint.
func (x *Exchange) State() TemperingState {
	return TemperingState{
		Betas:      append([]float64(nil), x.Betas...),
		Slot:       append([]int(nil), x.Slot...),
		Tried:      append([]int64(nil), x.Tried...),
		Swapped:    append([]int64(nil), x.Swapped...),
		ProbSum:    append([]float64(nil), x.probSum...),
		Parity:     x.parity,
		Sweeps:     x.Sweeps,
		Label:      append([]int8(nil), x.last...),
		TripStart:  append([]int64(nil), x.tripStart...),
		RoundTrips: x.roundTrips,
		TripSweeps: x.tripSweeps,
		FlowHot:    append([]int64(nil), x.flowHot...),
		FlowCold:   append([]int64(nil), x.flowCold...),
	}
}

// check reports whether s fits x: lengths, a strictly increasing ladder, Slot a
// permutation in every lane, values in range.
func (x *Exchange) check(s TemperingState) error {
	n := len(x.Betas)
	np := max(n-1, 0)
	if len(s.Betas) != n {
		return fmt.Errorf("tempering state has %d temperatures, want %d", len(s.Betas), n)
	}
	if err := checkLadder(s.Betas); err != nil {
		return fmt.Errorf("tempering state: %w", err)
	}
	for _, f := range []struct {
		name      string
		got, want int
	}{
		{"Slot", len(s.Slot), x.lanes * n}, {"Tried", len(s.Tried), np}, {"Swapped", len(s.Swapped), np},
		{"ProbSum", len(s.ProbSum), np}, {"Label", len(s.Label), x.lanes * n}, {"TripStart", len(s.TripStart), x.lanes * n},
		{"FlowHot", len(s.FlowHot), n}, {"FlowCold", len(s.FlowCold), n},
	} {
		if f.got != f.want {
			return fmt.Errorf("tempering state: %s has length %d, want %d", f.name, f.got, f.want)
		}
	}
	for l := range x.lanes {
		seen := make([]bool, n)
		for k, c := range s.Slot[l*n : (l+1)*n] {
			if c < 0 || c >= n || seen[c] {
				return fmt.Errorf("tempering state: Slot is not a permutation (lane %d, Slot[%d] = %d)", l, k, c)
			}
			seen[c] = true
		}
	}
	for k := range s.Tried {
		if s.Tried[k] < 0 || s.Swapped[k] < 0 || s.Swapped[k] > s.Tried[k] || !(s.ProbSum[k] >= 0) {
			return fmt.Errorf("tempering state: bad counters for pair %d", k)
		}
	}
	for c, l := range s.Label {
		if l != labelNone && l != labelHot && l != labelCold {
			return fmt.Errorf("tempering state: Label[%d] = %d (want 0, 1 or 2)", c, l)
		}
	}
	if s.Parity != 0 && s.Parity != 1 {
		return fmt.Errorf("tempering state: Parity = %d (want 0 or 1)", s.Parity)
	}
	if s.Sweeps < 0 || s.RoundTrips < 0 || s.TripSweeps < 0 {
		return errors.New("tempering state: negative counter")
	}
	return nil
}

// restore sets the state (including Betas) from s, which check has accepted.
func (x *Exchange) restore(s TemperingState) {
	copy(x.Betas, s.Betas)
	copy(x.Slot, s.Slot)
	copy(x.Tried, s.Tried)
	copy(x.Swapped, s.Swapped)
	copy(x.probSum, s.ProbSum)
	x.parity = s.Parity
	x.Sweeps = s.Sweeps
	copy(x.last, s.Label)
	copy(x.tripStart, s.TripStart)
	x.roundTrips, x.tripSweeps = s.RoundTrips, s.TripSweeps
	copy(x.flowHot, s.FlowHot)
	copy(x.flowCold, s.FlowCold)
}

// Restore sets the exchange state from s (copying it). It returns an error, and
// changes nothing, if s does not fit. Temperings whose moves depend on the ladder
// ([Tempering], packed.Tempering) have their own Restore, which rebuilds them.
func (x *Exchange) Restore(s TemperingState) error {
	if err := x.check(s); err != nil {
		return err
	}
	x.restore(s)
	return nil
}
