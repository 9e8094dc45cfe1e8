package sampler

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/deepglass/deepglass/models"
)

// Wolff flips single clusters (Wolff 1989) at inverse temperature Beta. A cluster grows
// from a uniformly random seed site: from each cluster site i, every satisfied bond to a
// site j outside the cluster (J_ij s_i s_j > 0) adds j with probability 1−e^{−2β|J_ij|},
// one independent trial per bond; the whole cluster is then flipped. This satisfies
// detailed balance for any couplings, but unless the model is a ferromagnet (or gauge
// equivalent to one) the clusters percolate at low temperature and the moves become
// nearly global flips: Wolff is efficient only for ferromagnets. Fields are not allowed.
//
// Update flips one cluster and returns its size; the mean cluster size is the improved
// estimator of N⟨m²⟩ for the ferromagnet. Both Accepted and Proposed count flipped spins.
//
// # Sweeps
//
// One Sweep is a fixed number of Updates, Clusters, chosen so that a sweep flips about N
// spins on average. It is not "Updates until at least N spins have flipped": that rule
// makes the end of a sweep a stopping time that depends on the cluster sizes, and the
// state seen there is not a Boltzmann sample (the cluster that crosses the threshold is
// size-biased). At the 32×32 Ising critical point it gives ⟨E⟩/N = −1.4527 instead of
// the exact −1.4337, and much worse on small lattices. If Clusters is 0, the first Sweep
// sets it by calibration: it runs a pilot copy of the chain, with a private random stream
// of fixed seed, in blocks of updates that flip at least N spins each, until the mean
// cluster size stops growing (at 16, 32, …, 256 blocks, the last quarter's mean is at
// most 10% above the quarter before), and sets Clusters to N/(mean cluster size over the
// second half of the blocks), rounded, at least 1. The chain itself and its stream are
// untouched by the pilot, so every sweep of it is an unbiased Markov-chain step. The
// pilot costs 16 to 256 sweeps' worth of updates, once; a poor estimate (a pilot from a
// random start near T_c on a large lattice may not equilibrate) costs speed, never
// correctness, and setting Clusters to 0 after thermalisation recalibrates. Changing
// Model or Beta resets a calibrated Clusters to 0.
//
// A Wolff holds scratch space (cluster list and marks), so it must not be used by more
// than one goroutine at a time: use one Wolff per chain. Sweeps allocate nothing once
// the scratch space exists and Clusters is set, except after Model or Beta changed.
//
// The scratch space and the tables belong to the Wolff value that made them: a copy
// (b := *a) makes its own on its first update, keeping a calibrated Clusters, so that a
// copy with another Beta, or one used by another goroutine, never disturbs the original.
type Wolff struct {
	Model *models.Sparse
	Beta  float64
	// Clusters is the number of cluster updates per Sweep; 0 means calibrate (see above).
	Clusters int

	auto  bool   // Clusters was set by calibration
	owner *Wolff // the Wolff that made bonds' tables and the scratch space: w itself, unless w is a copy
	bonds bondCache
	mark  []uint32 // mark[i] == gen: site i is in the current cluster
	gen   uint32
	list  []int32 // sites of the current cluster, in the order they joined
}

// bondCache holds the bond-activation thresholds of the cluster algorithms for one
// (model, β): thrInt[|J|] for integer couplings, thrBond[k] per CSR entry otherwise.
// update rewrites thrBond in place: a sampler whose cache may share thrBond with
// another (a copy) calls disown first.
type bondCache struct {
	model   *models.Sparse
	beta    float64
	ok      bool
	thrInt  [128]uint64
	thrBond []uint64
}

// bondProb is the activation probability 1 − e^{−2β|J|} of a satisfied bond.
func bondProb(beta, j float64) float64 {
	if j == 0 {
		return 0
	}
	return -math.Expm1(-2 * beta * math.Abs(j))
}

// current reports whether the cache holds p at beta.
func (b *bondCache) current(p *models.Sparse, beta float64) bool {
	return b.ok && b.model == p && b.beta == beta
}

// disown empties b, whose thrBond another cache (the original b was copied from) may
// share and rewrite: the next update rebuilds the tables in storage of b's own.
func (b *bondCache) disown() {
	*b = bondCache{}
}

// update brings the cache up to date for p at beta.
func (b *bondCache) update(who string, p *models.Sparse, beta float64) {
	if b.current(p, beta) {
		return
	}
	checkBeta(who, beta)
	if p.HasField() {
		panic("sampler: " + who + " needs a model without field")
	}
	b.model, b.beta, b.ok = p, beta, true
	if p.JInt != nil {
		b.thrBond = nil
		for a := range b.thrInt {
			b.thrInt[a] = threshold(bondProb(beta, float64(a)))
		}
		return
	}
	if cap(b.thrBond) >= len(p.J) {
		b.thrBond = b.thrBond[:len(p.J)]
	} else {
		b.thrBond = make([]uint64, len(p.J))
	}
	for k, j := range p.J {
		b.thrBond[k] = threshold(bondProb(beta, j))
	}
}

// NewWolff returns a Wolff cluster sampler for m at inverse temperature beta. It panics
// if m has a non-zero field or beta is negative or NaN.
func NewWolff(m *models.Sparse, beta float64) *Wolff {
	if m == nil {
		panic("sampler: NewWolff with nil model")
	}
	w := &Wolff{Model: m, Beta: beta}
	w.prepare()
	return w
}

// prepare brings tables and scratch space up to date.
func (w *Wolff) prepare() {
	if w.Model == nil {
		panic("sampler: Wolff with nil model")
	}
	if !w.bonds.current(w.Model, w.Beta) && w.auto {
		w.Clusters, w.auto = 0, false
	}
	if w.owner != w {
		// w is new, or a copy of a Wolff that may still use (and rewrite) the tables
		// and scratch space w holds: make its own, keeping a calibrated Clusters.
		w.owner = w
		w.bonds.disown()
		w.mark, w.list, w.gen = nil, nil, 0
	}
	w.bonds.update("Wolff", w.Model, w.Beta)
	if n := w.Model.N(); len(w.mark) != n {
		w.mark = make([]uint32, n)
		w.list = make([]int32, n)
		w.gen = 0
	}
}

// Update grows one cluster in c from a random seed site, flips it, updates c.E exactly
// (from the bonds on the cluster's boundary) and the counters, and returns the cluster
// size.
func (w *Wolff) Update(c *Chain) (size int) {
	checkChain("Wolff.Update", c, w.Model.N())
	w.prepare()
	return w.update(c)
}

// update is Update without the checks.
func (w *Wolff) update(c *Chain) int {
	w.gen++
	if w.gen == 0 { // wrapped: old marks could collide with new generations
		clear(w.mark)
		w.gen = 1
	}
	var size int
	if w.Model.JInt != nil {
		size = w.growInt(c)
	} else {
		size = w.growFloat(c)
	}
	c.Accepted += int64(size)
	c.Proposed += int64(size)
	return size
}

// Sweep does Clusters cluster updates, calibrating Clusters first if it is 0.
func (w *Wolff) Sweep(c *Chain) {
	checkChain("Wolff.Sweep", c, w.Model.N())
	w.prepare()
	if w.Clusters <= 0 {
		w.calibrate(c)
	}
	for range w.Clusters {
		w.update(c)
	}
}

// pilotSeed seeds the private stream of the calibration pilot.
const pilotSeed = 0x57_6f_6c_66_66 // "Wolff"

// maxPilotBlocks bounds the calibration pilot, in blocks of updates that flip at least N
// spins each.
const maxPilotBlocks = 256

// calibrate sets Clusters from a pilot run on a copy of c (see the type's doc).
func (w *Wolff) calibrate(c *Chain) {
	n := len(c.S)
	pilot := &Chain{S: append([]int8(nil), c.S...), E: c.E, Src: rand.NewPCG(pilotSeed, uint64(n))}
	var spins, clusters [maxPilotBlocks]int
	mean := func(from, to int) float64 { // mean cluster size over blocks [from, to)
		var s, k int
		for b := from; b < to; b++ {
			s += spins[b]
			k += clusters[b]
		}
		return float64(s) / float64(k)
	}
	nb := 0
	for nb < maxPilotBlocks {
		for spins[nb] < n {
			spins[nb] += w.update(pilot)
			clusters[nb]++
		}
		nb++
		// At 16, 32, …: stop once the mean size no longer grows from one quarter to the next.
		if nb >= 16 && nb&(nb-1) == 0 && mean(3*nb/4, nb) <= 1.1*mean(nb/2, 3*nb/4) {
			break
		}
	}
	w.Clusters = max(1, int(math.Round(float64(n)/mean(nb/2, nb))))
	w.auto = true
}

// String describes the sampler, e.g. "wolff β=0.44 clusters/sweep=3 on ising square:16
// (N=256, bonds=512)"; clusters/sweep is "auto" before calibration.
func (w *Wolff) String() string {
	k := "auto"
	if w.Clusters > 0 {
		k = fmt.Sprint(w.Clusters)
	}
	return fmt.Sprintf("wolff β=%g clusters/sweep=%s on %v", w.Beta, k, w.Model)
}

// The cluster kernels grow the cluster breadth-first: a site is marked when it joins and
// flipped when it is taken from the queue. The loop over its bonds then both tries to add
// each unmarked neighbour j (unmarked sites still have their original spins, so the bond
// is satisfied iff J_ij s_i s_j > 0 with the current spins) and sums its current local
// field f_i. Flipping the cluster's spins one at a time, each costs 2 s_i f_i with the
// spins of that moment, so ΔE is the sum of these terms, and one pass does everything.

// growInt grows, flips and measures one cluster of an integer model.
func (w *Wolff) growInt(c *Chain) int {
	p, s, src := w.Model, c.S, c.Src
	start, nbr, jint := p.Start, p.Nbr, p.JInt
	mark, list, gen := w.mark, w.list, w.gen
	thr := &w.bonds.thrInt
	seed := site(src, uint64(len(s)))
	mark[seed] = gen
	list[0] = int32(seed)
	size := 1
	var de int // Σ s_i f_i at the moments of the flips
	for r := 0; r < size; r++ {
		i := list[r]
		si := int(s[i])
		f := 0
		for k := start[i]; k < start[i+1]; k++ {
			j := nbr[k]
			jj := int(jint[k])
			sj := int(s[j])
			f += jj * sj
			if mark[j] != gen && jj*si*sj > 0 && src.Uint64()>>11 < thr[uint8(max(jj, -jj))&127] {
				mark[j] = gen
				list[size] = j
				size++
			}
		}
		de += si * f
		s[i] = int8(-si)
	}
	c.E += float64(2 * de)
	return size
}

// growFloat is growInt for float couplings.
func (w *Wolff) growFloat(c *Chain) int {
	p, s, src := w.Model, c.S, c.Src
	start, nbr, jf := p.Start, p.Nbr, p.J
	mark, list, gen := w.mark, w.list, w.gen
	thr := w.bonds.thrBond[:len(jf)]
	seed := site(src, uint64(len(s)))
	mark[seed] = gen
	list[0] = int32(seed)
	size := 1
	var de float64
	for r := 0; r < size; r++ {
		i := list[r]
		si := float64(s[i])
		var f float64
		for k := start[i]; k < start[i+1]; k++ {
			j := nbr[k]
			sj := float64(s[j])
			f += jf[k] * sj
			if mark[j] != gen && jf[k]*si*sj > 0 && src.Uint64()>>11 < thr[k] {
				mark[j] = gen
				list[size] = j
				size++
			}
		}
		de += si * f
		s[i] = -s[i]
	}
	c.E += 2 * de
	return size
}
