package packed

import (
	"errors"
	"fmt"
	"math"
	"math/bits"
	"math/rand/v2"

	"github.com/deepglass/deepglass/models"
	"github.com/deepglass/deepglass/sampler"
)

// Lanes is the number of lanes (independent systems) a packed word holds.
const Lanes = 64

// tieQ is [sampler.TieAcceptance] as a 64-bit binary fraction, for the shared-draw
// kernels (TestTieQ checks that the two agree).
const tieQ = 15 << 60

// maxQuenchSweeps bounds the packed quenches, as the constant of that name in package
// sampler bounds the scalar ones (±J quenches end long before).
const maxQuenchSweeps = 1000

// checkSchedule panics unless s is valid, as the functions of package sampler that take
// a Schedule do.
func checkSchedule(s sampler.Schedule, who string) {
	if err := s.Validate(); err != nil {
		panic(fmt.Sprintf("packed: %s: %v", who, err))
	}
}

// Model is a ±J model (ferromagnetic Ising or ±J Edwards–Anderson, no field) on a
// periodic square or cubic lattice in multi-spin coded form: bit ℓ of a word belongs to
// lane ℓ, and the 64 lanes may hold 64 disorder samples, 64 replicas of one sample, or
// any mix.
//
// J[d][i] holds the bond between site i and its neighbour one step along axis d (x + 1,
// y + 1 or z + 1, periodic): bit ℓ is set iff that bond is antiferromagnetic (J = −1) in
// lane ℓ. Sites are indexed x + L·y + L²·z as in [models.Lattice]. For L = 2 the two bonds
// between a pair of neighbours are J[d][i] and J[d][j], as in the unpacked model.
//
// In lane ℓ a bond is unsatisfied iff bit ℓ of S_i ⊕ S_j ⊕ J is set (spin bits: 1 is
// s = −1), and the energy is E = 2·(unsatisfied bonds) − Dim·N.
//
// A model on a general graph (from [NewGraphLanes]) has Graph set instead, and its
// Lattice and J are unused.
type Model struct {
	Lattice models.Lattice
	J       [][]uint64
	Graph   *Graph
	Name    string
}

// NewModel packs one ±1 model into all 64 lanes (64 replicas of one sample).
func NewModel(p *models.Sparse) (*Model, error) {
	return NewModelLanes([]*models.Sparse{p})
}

// NewModelLanes packs up to 64 models on the same lattice: lane ℓ holds
// ps[ℓ % len(ps)], so 64 models give 64 disorder samples and one model gives 64 replicas.
// Every model must be a periodic square or cubic lattice (p.Lattice set) with couplings
// ±1 on exactly its nearest-neighbour bonds and no field; anything else is an error.
func NewModelLanes(ps []*models.Sparse) (*Model, error) {
	if len(ps) == 0 || len(ps) > Lanes {
		return nil, fmt.Errorf("packed model: %d models, want 1 to %d", len(ps), Lanes)
	}
	if ps[0] == nil || ps[0].Lattice == nil {
		return nil, errors.New("packed model: model 0 has no lattice")
	}
	lat := *ps[0].Lattice
	if lat.Dim != 2 && lat.Dim != 3 {
		return nil, fmt.Errorf("packed model: lattice %v: want square or cubic", lat)
	}
	n := lat.N()
	m := &Model{Lattice: lat, J: make([][]uint64, lat.Dim)}
	for d := range m.J {
		m.J[d] = make([]uint64, n)
	}
	filled := make([][]bool, lat.Dim)
	for d := range filled {
		filled[d] = make([]bool, n)
	}
	anti := make([][]bool, lat.Dim)
	for d := range anti {
		anti[d] = make([]bool, n)
	}
	for k, p := range ps {
		if p == nil || p.Lattice == nil || *p.Lattice != lat {
			return nil, fmt.Errorf("packed model: model %d is not on lattice %v", k, lat)
		}
		if p.HasField() {
			return nil, fmt.Errorf("packed model: model %d has a field", k)
		}
		for d := range filled {
			clear(filled[d])
		}
		bonds := p.Bonds()
		if len(bonds) != lat.Dim*n {
			return nil, fmt.Errorf("packed model: model %d has %d bonds, want %d", k, len(bonds), lat.Dim*n)
		}
		for _, b := range bonds {
			if b.W != 1 && b.W != -1 {
				return nil, fmt.Errorf("packed model: model %d: bond %d-%d has J = %v, want ±1", k, b.I, b.J, b.W)
			}
			placed := false
			for d := 0; d < lat.Dim && !placed; d++ {
				for _, e := range [2][2]int{{b.I, b.J}, {b.J, b.I}} {
					if lat.Step(e[0], d, +1) == e[1] && !filled[d][e[0]] {
						filled[d][e[0]] = true
						anti[d][e[0]] = b.W < 0
						placed = true
						break
					}
				}
			}
			if !placed {
				return nil, fmt.Errorf("packed model: model %d: bond %d-%d is not a free lattice bond", k, b.I, b.J)
			}
		}
		for l := k; l < Lanes; l += len(ps) {
			for d := range m.J {
				for i, a := range anti[d] {
					if a {
						m.J[d][i] |= 1 << l
					}
				}
			}
		}
	}
	m.Name = fmt.Sprintf("packed %s ×%d", ps[0].Name, len(ps))
	if ps[0].Name == "" {
		m.Name = fmt.Sprintf("packed ±J %v ×%d", lat, len(ps))
	}
	return m, nil
}

// N returns the number of sites per lane.
func (m *Model) N() int {
	if m.Graph != nil {
		return len(m.Graph.Start) - 1
	}
	return m.Lattice.N()
}

// Scale returns the magnitude |J| of the couplings: LaneEnergies are in its units. It
// is 1 for lattice models.
func (m *Model) Scale() float64 {
	if m.Graph != nil {
		return m.Graph.Scale
	}
	return 1
}

// String describes the model.
func (m *Model) String() string { return m.Name }

// LaneEnergies sets dst[ℓ] to the total energy of lane ℓ of the packed spins s in units
// of Scale(): dst[ℓ]·Scale() is the unpacked model's Energy of that lane. It panics
// unless len(dst) == 64 and len(s) == N. It allocates nothing.
func (m *Model) LaneEnergies(dst []int64, s []uint64) {
	n := m.N()
	if len(dst) != Lanes || len(s) != n {
		panic("packed: LaneEnergies: length mismatch")
	}
	if m.Graph != nil {
		m.graphLaneEnergies(dst, s)
		return
	}
	m.latticeLaneEnergies(dst, s)
}

// Chain is the state of 64 Markov chains in multi-spin coding: bit ℓ of S[i] is
// spin i of lane ℓ (1 means s = −1, 0 means s = +1), with the private stream of the word.
type Chain struct {
	S                  []uint64
	Src                *rand.PCG
	Accepted, Proposed int64 // over all lanes: one spin of one lane is one proposal
}

// NewChain returns a chain over m's sites with every lane started from an
// independent uniformly random configuration drawn from src. It panics if src is nil.
func NewChain(m *Model, src *rand.PCG) *Chain {
	if src == nil {
		panic("packed: NewChain: nil source")
	}
	c := &Chain{S: make([]uint64, m.N()), Src: src}
	for i := range c.S {
		c.S[i] = src.Uint64()
	}
	return c
}

// Lane writes the spins of lane l into dst (len N) as ±1 and returns it.
func (c *Chain) Lane(dst []int8, l int) []int8 {
	for i, w := range c.S {
		dst[i] = 1 - 2*int8(w>>l&1)
	}
	return dst
}

// SetLane sets the spins of lane l from s (±1, len N).
func (c *Chain) SetLane(l int, s []int8) {
	for i, v := range s {
		c.S[i] = c.S[i]&^(1<<l) | uint64(v>>7&1)<<l
	}
}

// Acceptance returns Accepted/Proposed, or 0 before any proposal.
func (c *Chain) Acceptance() float64 {
	if c.Proposed == 0 {
		return 0
	}
	return float64(c.Accepted) / float64(c.Proposed)
}

// String summarises the chain.
func (c *Chain) String() string {
	return fmt.Sprintf("packed N=%d lanes=%d acc=%.2f", len(c.S), Lanes, c.Acceptance())
}

// Draws selects how a packed kernel draws its acceptance decisions.
type Draws int

const (
	// IndependentLanes draws an independent Bernoulli decision for every lane: the lanes
	// are 64 statistically independent chains. This is the default.
	IndependentLanes Draws = iota
	// SharedDraw draws one uniform per site and compares it with every lane's
	// threshold (Isakov et al.'s "approach one"): faster, but the lanes' trajectories are
	// correlated, so lane averages do not have 64 independent samples' errors. Each lane
	// on its own is still a correct Metropolis chain.
	SharedDraw
)

// String returns "independent" or "shared".
func (d Draws) String() string {
	switch d {
	case IndependentLanes:
		return "independent"
	case SharedDraw:
		return "shared"
	}
	return fmt.Sprintf("Draws(%d)", int(d))
}

// Metropolis does single-spin-flip Metropolis updates on all 64 lanes of a Chain at
// once. Every single-site update obeys detailed balance in every lane, so each lane is
// a correct Metropolis chain, whatever the (fixed) order of the sites in a sweep.
//
// At each site the unsatisfied bonds of every lane are counted by a bit-sliced adder
// (full adders over the 4 or 6 neighbour words); lanes with ΔE < 0 flip, lanes with
// ΔE = 0 flip with probability [sampler.TieAcceptance] = 15/16 (the tie rule; see
// [sampler.Metropolis]), and a lane with ΔE = 4k > 0 (k = z/2 − unsatisfied bonds) flips
// with probability q_k = e^{−4βk}.
//
// Order and draws. With IndependentLanes (the default) on a square or cubic lattice
// whose side is a multiple of 16 ([RowCheckerboard]), sites are swept in row-checkerboard
// order: rows in turn (planes in turn in 3D), in each row the even columns, then the odd,
// eight sites at once — they are not neighbours — as one vector of eight words, each
// word with its own xoshiro256++ generator. Each lane compares its own uniform with its
// class's threshold (15/16 for ties, q_k for class k) bit by bit from the top, one
// random word per bit, until every lane of the eight sites is decided (exact to 2^−64;
// the lanes of a word share its words but never a bit, so the ties cost no words of
// their own), as the wide kernels do ([Metropolis.SweepWide]). On amd64 with AVX-512
// this is assembly ([RowCheckerboardAVX512]); elsewhere a portable twin gives the same
// bits.
//
// Elsewhere (other sides, graph models, SharedDraw) sites are swept in index order
// (typewriter order on lattices). With IndependentLanes a lane of class k flips with
// probability q^k, q = e^{−4β}, decided by the AND of k masks of 64 independent
// Bernoulli(q) bits: two random words give eight 16-bit indices into an
// inverse-transform table of byte masks (byteBernoulli), exact to double precision; ties
// flip on the OR of four random words. A lane reads only its own bits, so the lanes are
// independent chains. With SharedDraw all lanes compare one uniform per site with their
// thresholds.
//
// Random words: at the start of each sweep, outputs of the chain's PCG seed the
// xoshiro256++ generators (Blackman and Vigna) that supply the words of that sweep
// (four outputs for one generator, 32 for the eight of the row-checkerboard kernels).
// The chain remains a function of its PCG state alone; a PCG output costs several times
// a xoshiro256++ output, which matters at four or more words per site.
type Metropolis struct {
	Model *Model
	Beta  float64
	Draws Draws
	// q[k-1] = e^{−4βk} as a 64-bit binary fraction, k = 1, 2, 3.
	q [3]uint64
	// bern[0] draws masks of independent Bernoulli(e^{−4β}) bits (IndependentLanes);
	// class k uses the AND of k of them.
	bern [1]*byteBernoulli
	// gq holds the acceptance probabilities of graph models.
	gq *graphQ
	// wideQ holds the thresholds of the wide kernels, made on first use.
	wideQ *[3][64]uint64
	// built is what the tables were made for; Sweep and SweepWide rebuild them when
	// Model, Beta or Draws differ. owner is the sweeper that made gq, which SetBeta
	// rewrites in place: pm itself, unless pm is a copy (b := *a), which makes its own
	// gq before it sweeps or changes β. The lattice tables are never changed once made,
	// so copies share them.
	built packedKey
	owner *Metropolis
}

// packedKey is what the tables of a Metropolis depend on.
type packedKey struct {
	model *Model
	beta  float64
	draws Draws
}

// NewMetropolis returns a packed Metropolis sweeper for m at inverse temperature
// beta. It panics if m is nil, beta is negative or NaN, or draws is unknown.
func NewMetropolis(m *Model, beta float64, draws Draws) *Metropolis {
	if m == nil {
		panic("packed: NewMetropolis: nil model")
	}
	if !(beta >= 0) {
		panic("packed: NewMetropolis: beta negative or NaN")
	}
	if draws != IndependentLanes && draws != SharedDraw {
		panic("packed: NewMetropolis: unknown draws")
	}
	pm := &Metropolis{Model: m, Beta: beta, Draws: draws, built: packedKey{m, beta, draws}}
	pm.owner = pm
	if draws == IndependentLanes && m.Graph == nil {
		q := wideThresholds(beta)
		pm.wideQ = &q
	}
	if m.Graph != nil {
		pm.gq = newGraphQ(m.Graph, beta)
		return pm
	}
	for k := range pm.q {
		pm.q[k] = fixed64(math.Exp(-4 * beta * float64(k+1)))
		if draws == IndependentLanes && k == 0 {
			pm.bern[0] = newByteBernoulli(math.Exp(-4 * beta))
		}
	}
	return pm
}

// String describes the sweeper.
func (pm *Metropolis) String() string {
	return fmt.Sprintf("packed metropolis β=%g %v %v", pm.Beta, pm.Draws, pm.Model)
}

// refresh rebuilds the tables if Model, Beta or Draws changed since they were made
// (allocating), and gives a copy graph tables of its own.
func (pm *Metropolis) refresh() {
	if pm.built != (packedKey{pm.Model, pm.Beta, pm.Draws}) || (pm.gq != nil && pm.owner != pm) {
		pm.SetBeta(pm.Beta)
	}
}

// Sweep attempts one update of every site in every lane. It allocates nothing unless
// Model, Beta or Draws changed since the last sweep or [Metropolis.SetBeta], or
// pm is a copy of a graph sweeper sweeping for the first time.
func (pm *Metropolis) Sweep(c *Chain) {
	pm.refresh()
	m := pm.Model
	if len(c.S) != m.N() {
		panic("packed: Metropolis.Sweep: chain size does not match model")
	}
	var acc int
	if pm.Draws == IndependentLanes && checkerOrder(m) {
		var g wideGen
		g.seed(c.Src)
		acc = checkerSweep(m, pm.wideQ, c.S, &g)
		c.Accepted += int64(acc)
		c.Proposed += int64(len(c.S)) * Lanes
		return
	}
	var x xoshiro
	x.seed(c.Src)
	switch {
	case m.Graph != nil && pm.Draws == SharedDraw:
		acc = packedSweepGraphShared(m.Graph, pm.gq, c.S, &x)
	case m.Graph != nil:
		acc = packedSweepGraph(m.Graph, pm.gq, c.S, &x, nil)
	case m.Lattice.Dim == 2 && pm.Draws == SharedDraw:
		acc = packedSweep2DShared(m, pm, c.S, x)
	case m.Lattice.Dim == 2:
		acc = packedSweep2D(m, pm, c.S, x)
	case pm.Draws == SharedDraw:
		acc = packedSweep3DShared(m, pm, c.S, x)
	default:
		acc = packedSweep3D(m, pm, c.S, x)
	}
	c.Accepted += int64(acc)
	c.Proposed += int64(len(c.S)) * Lanes
}

// ltMask returns all ones if r < q, else 0.
func ltMask(r, q uint64) uint64 {
	_, b := bits.Sub64(r, q, 0)
	return -b
}

// fixed64 returns p ∈ [0, 1] as a 64-bit binary fraction, rounded down, saturating at
// 2^64 − 1 for p = 1.
func fixed64(p float64) uint64 {
	if p >= 1 {
		return ^uint64(0)
	}
	// p·2^64 exactly representable scaling; p < 1 so the product is < 2^64.
	return uint64(p * 0x1p64)
}

// xoshiro is xoshiro256++ (Blackman and Vigna, https://prng.di.unimi.it/).
type xoshiro struct{ s0, s1, s2, s3 uint64 }

// seed loads the state from four outputs of src (never all zero).
func (x *xoshiro) seed(src *rand.PCG) {
	x.s0, x.s1, x.s2, x.s3 = src.Uint64(), src.Uint64(), src.Uint64(), src.Uint64()|1
}

func (x *xoshiro) next() uint64 {
	r := bits.RotateLeft64(x.s0+x.s3, 23) + x.s0
	t := x.s1 << 17
	x.s2 ^= x.s0
	x.s3 ^= x.s1
	x.s1 ^= x.s2
	x.s0 ^= x.s3
	x.s2 ^= t
	x.s3 = bits.RotateLeft64(x.s3, 45)
	return r
}

// LaneMagnetizations sets dst[ℓ] to the magnetization per spin of lane ℓ, (1/N) Σ_i s_i.
// It panics unless len(dst) == 64.
func (c *Chain) LaneMagnetizations(dst []float64) {
	c.laneCounts(dst, nil)
}

// LaneOverlaps sets dst[ℓ] to the overlap per spin q = (1/N) Σ_i s_i t_i of lane ℓ of c
// with lane ℓ of o (as models.Overlap). It panics unless len(dst) == 64 and the chains
// have the same size.
func (c *Chain) LaneOverlaps(dst []float64, o *Chain) {
	if len(o.S) != len(c.S) {
		panic("packed: LaneOverlaps: chain sizes differ")
	}
	c.laneCounts(dst, o.S)
}

// laneCounts sets dst[ℓ] to (N − 2·ones_ℓ)/N, where ones_ℓ counts the sites whose bit ℓ
// is set in c.S (xor o, if o is not nil).
func (c *Chain) laneCounts(dst []float64, o []uint64) {
	if len(dst) != Lanes {
		panic("packed: Chain: len(dst) != 64")
	}
	var cnt laneCount
	if o == nil {
		cnt.span1(c.S)
	} else {
		cnt.span2(c.S, o)
	}
	var ones [Lanes]int64
	cnt.sumLanes(ones[:], 1)
	n := float64(len(c.S))
	for l, v := range ones {
		dst[l] = (n - 2*float64(v)) / n
	}
}
