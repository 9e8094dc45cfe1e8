package packed

import (
	"errors"
	"fmt"
	"math"
	"math/bits"
	"slices"

	"github.com/deepglass/deepglass/models"
)

// MaxDegree is the largest site degree a packed graph model accepts: the
// unsatisfied bonds of a site are counted in six bit planes.
const MaxDegree = 63

// Graph holds the bonds of a ±J model on a general graph in multi-spin coded
// form, in the CSR layout of [models.Sparse]: the neighbours of site i are
// Nbr[Start[i]:Start[i+1]], and bit ℓ of J[k] is set iff the bond to Nbr[k] is
// antiferromagnetic in lane ℓ. Every bond has the magnitude Scale, so that in lane ℓ
// a site with d bonds of which u are unsatisfied has ΔE = 2·Scale·(d − 2u).
type Graph struct {
	Start, Nbr []int32
	J          []uint64
	Scale      float64
	MaxDegree  int
	Bonds      int // bonds per lane, each counted once
}

// NewGraphLanes packs up to 64 models on the same graph (the same neighbour
// lists, couplings ±Scale with one common Scale > 0, no field) into a Model whose
// Graph is set: lane ℓ holds ps[ℓ % len(ps)]. The models need no lattice; square and
// cubic lattices are accepted too (NewModelLanes gives them faster kernels).
func NewGraphLanes(ps []*models.Sparse) (*Model, error) {
	if len(ps) == 0 || len(ps) > Lanes {
		return nil, fmt.Errorf("packed graph: %d models, want 1 to %d", len(ps), Lanes)
	}
	p0 := ps[0]
	if p0 == nil {
		return nil, errors.New("packed graph: model 0 is nil")
	}
	n := p0.N()
	g := &Graph{Start: p0.Start, Nbr: p0.Nbr, J: make([]uint64, len(p0.Nbr)), Bonds: p0.NumBonds()}
	for i := range n {
		if d := p0.Degree(i); d > MaxDegree {
			return nil, fmt.Errorf("packed graph: site %d has degree %d > %d", i, d, MaxDegree)
		} else if d > g.MaxDegree {
			g.MaxDegree = d
		}
	}
	for k, p := range ps {
		if p == nil || p.N() != n || !slices.Equal(p.Start, p0.Start) || !slices.Equal(p.Nbr, p0.Nbr) {
			return nil, fmt.Errorf("packed graph: model %d does not have the graph of model 0", k)
		}
		if p.HasField() {
			return nil, fmt.Errorf("packed graph: model %d has a field", k)
		}
		for e, w := range p.J {
			if g.Scale == 0 {
				g.Scale = math.Abs(w)
			}
			if math.Abs(w) != g.Scale || w == 0 {
				return nil, fmt.Errorf("packed graph: model %d: bond %d-%d has J = %v; a packed model needs ±J with one |J| (%v)",
					k, siteOf(p.Start, e), p.Nbr[e], w, g.Scale)
			}
			if w < 0 {
				for l := k; l < Lanes; l += len(ps) {
					g.J[e] |= 1 << l
				}
			}
		}
	}
	if g.Scale == 0 {
		g.Scale = 1 // no bonds at all
	}
	name := p0.Name
	if name == "" {
		name = fmt.Sprintf("±J graph N=%d", n)
	}
	return &Model{Graph: g, Name: fmt.Sprintf("packed %s ×%d", name, len(ps))}, nil
}

// siteOf returns the site whose CSR range holds entry e.
func siteOf(start []int32, e int) int {
	i := 0
	for i+1 < len(start) && int(start[i+1]) <= e {
		i++
	}
	return i
}

// graphLaneEnergies is LaneEnergies for a graph model. Each site's unsatisfied bonds
// are counted in six planes (every bond is seen from both ends), and the site counts are
// added into a wide vertical counter.
func (m *Model) graphLaneEnergies(dst []int64, s []uint64) {
	g := m.Graph
	var acc laneAcc
	for i := range len(g.Start) - 1 {
		p0, p1, p2, p3, p4, p5 := g.unsatisfied(s, s[i], g.Start[i], g.Start[i+1])
		acc.add6(p0, p1, p2, p3, p4, p5)
	}
	for l := range dst {
		dst[l] = acc.lane(l) - int64(g.Bonds) // 2U − B with the doubled count 2U
	}
}

// laneAcc is a vertical counter: bit ℓ of planes[k] is bit k of lane ℓ's count.
type laneAcc struct{ planes [40]uint64 }

// add1 adds the bits of c (one per lane) lane-wise.
func (a *laneAcc) add1(c uint64) {
	for k := 0; c != 0; k++ {
		t := a.planes[k] & c
		a.planes[k] ^= c
		c = t
	}
}

// add6 adds the 6-bit numbers p0 … p5 (low bit first) lane-wise.
func (a *laneAcc) add6(p0, p1, p2, p3, p4, p5 uint64) {
	var c uint64
	for k, p := range [6]uint64{p0, p1, p2, p3, p4, p5} {
		x := a.planes[k]
		a.planes[k] = x ^ p ^ c
		c = x&p | c&(x^p)
	}
	for k := 6; c != 0; k++ {
		t := a.planes[k] & c
		a.planes[k] ^= c
		c = t
	}
}

// lanesTo sets dst[ℓ] to f(count of lane ℓ).
func (a *laneAcc) lanesTo(dst []float64, f func(c int64) float64) {
	for l := range dst {
		dst[l] = f(a.lane(l))
	}
}

// lane returns lane l's count.
func (a *laneAcc) lane(l int) int64 {
	var u int64
	for k, p := range a.planes {
		u |= int64(p>>l&1) << k
	}
	return u
}

// graphQ holds the acceptance probabilities of a graph kernel at one β: q[m] =
// e^{−2β·Scale·m} as a 64-bit binary fraction for m = 1 … MaxDegree, and for small q
// (sparse[m]) the table none[m][n] = (1 − q_m)^n, the probability that none of n lanes
// accepts.
type graphQ struct {
	q      []uint64
	sparse []bool
	none   [][Lanes + 1]uint64
}

// sparseQ is the acceptance probability below which classes are decided by the sparse
// draw (one word when no lane accepts) instead of the bit-by-bit comparison.
const sparseQ = 1.0 / 16

func newGraphQ(g *Graph, beta float64) *graphQ {
	gq := &graphQ{q: make([]uint64, g.MaxDegree+1), sparse: make([]bool, g.MaxDegree+1),
		none: make([][Lanes + 1]uint64, g.MaxDegree+1)}
	gq.set(g, beta)
	return gq
}

func (gq *graphQ) set(g *Graph, beta float64) {
	for m := 1; m <= g.MaxDegree; m++ {
		q := math.Exp(-2 * beta * g.Scale * float64(m))
		gq.q[m] = fixed64(q)
		gq.sparse[m] = q < sparseQ
		if gq.sparse[m] {
			p := 1.0
			for n := range gq.none[m] {
				gq.none[m][n] = fixed64(p)
				p *= 1 - q
			}
		}
	}
}

// packedSweepGraph sweeps a graph model in site order with independent lanes and
// returns the number of accepted lane updates. The unsatisfied bonds u of every lane are
// counted in bit planes; lanes with 2u > d flip (ΔE < 0), lanes with 2u = d flip with
// probability 15/16 (ΔE = 0: the tie rule, four random words), and each class of lanes with
// the same u < d/2 present at the site flips with probability q[d − 2u] per lane, by
// bernoulliSparse (small q) or bernoulliLanes. Classes are found from the lanes still
// undecided, so only those present cost anything.
//
// If dl is not nil, the change of every lane's count of unsatisfied bonds is added to it.
func packedSweepGraph(g *Graph, gq *graphQ, s []uint64, x *xoshiro, dl *laneDelta) int {
	acc := 0
	for i := range len(g.Start) - 1 {
		lo, hi := g.Start[i], g.Start[i+1]
		d := int(hi - lo)
		si := s[i]
		p0, p1, p2, p3, p4, p5 := g.unsatisfied(s, si, lo, hi)
		rem := ltPlanes((d+1)/2, p0, p1, p2, p3, p4, p5) // 2u < d: ΔE > 0
		flip := ^rem
		if d%2 == 0 { // 2u = d: ΔE = 0, flipped with probability 1/2 (the tie rule)
			if tie := eqPlanes(d/2, p0, p1, p2, p3, p4, p5); tie != 0 {
				flip = flip&^tie | tie&x.tieMask() // probability 15/16
			}
		}
		for rem != 0 {
			l := uint(bits.TrailingZeros64(rem))
			u := int(p0>>l&1 | p1>>l&1<<1 | p2>>l&1<<2 | p3>>l&1<<3 | p4>>l&1<<4 | p5>>l&1<<5)
			cls := eqPlanes(u, p0, p1, p2, p3, p4, p5)
			rem &^= cls
			m := d - 2*u
			if gq.sparse[m] {
				flip |= x.bernoulliSparse(cls, gq.q[m], &gq.none[m])
			} else {
				flip |= x.bernoulliLanes(cls, gq.q[m])
			}
		}
		s[i] = si ^ flip
		acc += bits.OnesCount64(flip)
		if dl != nil && flip != 0 {
			dl.flipped(d, flip, p0, p1, p2, p3, p4, p5)
		}
	}
	return acc
}

// laneDelta accumulates, lane-wise, the change of the number of unsatisfied bonds: a
// flip at a site of degree d with u unsatisfied bonds changes it by d − 2u.
type laneDelta struct {
	d, u laneAcc // Σ d and Σ u over the flips of each lane
}

// flipped records the flips of the lanes in f at a site of degree d whose unsatisfied
// counts are p0 … p5.
func (dl *laneDelta) flipped(d int, f, p0, p1, p2, p3, p4, p5 uint64) {
	m := func(b int) uint64 { return f & -uint64(d>>b&1) }
	dl.d.add6(m(0), m(1), m(2), m(3), m(4), m(5))
	dl.u.add6(p0&f, p1&f, p2&f, p3&f, p4&f, p5&f)
}

// take adds w times lane ℓ's change to dst[ℓ] and clears the accumulators.
func (dl *laneDelta) take(dst *[Lanes]int64, w int64) {
	for l := range dst {
		dst[l] += w * (dl.d.lane(l) - 2*dl.u.lane(l))
	}
	*dl = laneDelta{}
}

// ltPlanes returns the lanes whose 6-bit count (p0 … p5, low bit first) is below v.
func ltPlanes(v int, p0, p1, p2, p3, p4, p5 uint64) uint64 {
	var lt uint64
	eq := ^uint64(0)
	for k, p := range [6]uint64{p5, p4, p3, p2, p1, p0} {
		vm := -uint64(v >> (5 - k) & 1)
		lt |= eq & vm &^ p
		eq &^= p ^ vm
	}
	return lt
}

// eqPlanes returns the lanes whose 6-bit count (p0 … p5, low bit first) equals v.
func eqPlanes(v int, p0, p1, p2, p3, p4, p5 uint64) uint64 {
	x := func(b int) uint64 { return -uint64(v>>b&1) ^ ^uint64(0) } // all ones where bit b of v is 0
	return (p0 ^ x(0)) & (p1 ^ x(1)) & (p2 ^ x(2)) & (p3 ^ x(3)) & (p4 ^ x(4)) & (p5 ^ x(5))
}

// tieMask returns lanes set with probability 15/16 = TieAcceptance each: the OR of
// the next four outputs.
func (x *xoshiro) tieMask() uint64 {
	m := x.next()
	m |= x.next()
	m |= x.next()
	return m | x.next()
}

// bernoulliLanes returns, among the lanes set in und, each independently with
// probability q/2^64: lane ℓ compares its own uniform U_ℓ (bit j of U_ℓ is bit ℓ of the
// j-th random word) with q bit by bit from the top, stopping at the first difference, so
// a lane is decided by the first random word whose bit differs from q's. The expected
// number of words is about log₂(popcount(und)) + 1.3, whatever q.
func (x *xoshiro) bernoulliLanes(und, q uint64) uint64 {
	var acc uint64
	for j := 63; und != 0 && j >= 0; j-- {
		r := x.next()
		if q>>uint(j)&1 == 1 {
			acc |= und &^ r // U bit 0 < q bit 1: U < q
			und &= r
		} else {
			und &^= r // U bit 1 > q bit 0: U > q
		}
	}
	return acc // lanes still undecided have U ≥ q to 64 bits: rejected
}

// bernoulliSparse returns, among the lanes set in und, each independently with
// probability q/2^64, for small q: with none[n] = (1 − q)^n (n lanes), one word decides
// that no lane accepts, with probability none[n]; otherwise the same word gives the
// first accepting lane F in bit order (P(F = j) = (1 − q)^j·q), and the lanes after it
// are decided by bernoulliLanes.
func (x *xoshiro) bernoulliSparse(und, q uint64, none *[Lanes + 1]uint64) uint64 {
	n := bits.OnesCount64(und)
	u := x.next()
	if u < none[n] {
		return 0
	}
	j := n - 1 // none[j+1] ≤ u < none[j]
	for j > 0 && u >= none[j] {
		j--
	}
	m := und
	for range j {
		m &= m - 1
	}
	first := m & -m
	return first | x.bernoulliLanes(und&^(first|(first-1)), q)
}

// packedSweepGraphShared is packedSweepGraph with one uniform per site shared by all
// lanes (SharedDraw).
func packedSweepGraphShared(g *Graph, gq *graphQ, s []uint64, x *xoshiro) int {
	q := gq.q
	acc := 0
	for i := range len(g.Start) - 1 {
		lo, hi := g.Start[i], g.Start[i+1]
		d := int(hi - lo)
		si := s[i]
		p0, p1, p2, p3, p4, p5 := g.unsatisfied(s, si, lo, hi)
		r := x.next()
		flip := ^uint64(0)
		for u := 0; 2*u < d; u++ {
			cls := eqPlanes(u, p0, p1, p2, p3, p4, p5)
			flip &^= cls
			flip |= cls & ltMask(r, q[d-2*u])
		}
		if d%2 == 0 { // ΔE = 0: the tie rule
			tie := eqPlanes(d/2, p0, p1, p2, p3, p4, p5)
			flip = flip&^tie | tie&ltMask(r, tieQ)
		}
		s[i] = si ^ flip
		acc += bits.OnesCount64(flip)
	}
	return acc
}

// SetBeta changes the inverse temperature of the sweeper (for annealing); setting
// the field Beta has the same effect at the next sweep. On a graph model this costs
// O(MaxDegree) and allocates nothing (except in a copy, which makes tables of its own
// the first time); on a lattice with IndependentLanes it rebuilds the acceptance
// tables (about 0.2 ms each).
func (pm *Metropolis) SetBeta(beta float64) {
	if !(beta >= 0) {
		panic("packed: Metropolis.SetBeta: beta negative or NaN")
	}
	if g := pm.Model.Graph; g != nil && pm.gq != nil && pm.built.model == pm.Model && pm.built.draws == pm.Draws {
		if pm.owner == pm {
			pm.gq.set(g, beta)
		} else {
			pm.gq, pm.owner = newGraphQ(g, beta), pm
		}
		pm.Beta, pm.built.beta = beta, beta
		return
	}
	*pm = *NewMetropolis(pm.Model, beta, pm.Draws)
	pm.owner = pm
}

// LaneLinkOverlaps sets dst[ℓ] to the link overlap of lane ℓ of a with lane ℓ of b,
// q_l = (1/N_b) Σ_{bonds ij} s_i s_j t_i t_j over the N_b bonds of the model (as
// models.Sparse.LinkOverlap). It panics unless len(dst) == 64 and a and b have N sites.
// It allocates nothing.
func (m *Model) LaneLinkOverlaps(dst []float64, a, b []uint64) {
	n := m.N()
	if len(dst) != Lanes || len(a) != n || len(b) != n {
		panic("packed: LaneLinkOverlaps: length mismatch")
	}
	var acc laneAcc
	add := acc.add1
	var nb int
	if g := m.Graph; g != nil {
		for i := range n {
			for e := g.Start[i]; e < g.Start[i+1]; e++ {
				if j := g.Nbr[e]; int(j) > i {
					add(a[i] ^ a[j] ^ b[i] ^ b[j])
				}
			}
		}
		nb = g.Bonds
		acc.lanesTo(dst, func(u int64) float64 { return float64(int64(nb)-2*u) / float64(nb) })
		return
	}
	var pos, neg laneCount
	bw := bondWords{a: a, b: b, j: m.J, g: 1}
	bw.count(&pos, &neg, m.Lattice.L, m.Lattice.Dim)
	var u [Lanes]int64
	pos.sumLanes(u[:], 1)
	neg.sumLanes(u[:], -1)
	nb = m.Lattice.Dim * n
	for l, v := range u {
		dst[l] = float64(int64(nb)-2*v) / float64(nb)
	}
}

// unsatisfied counts, for every lane, the unsatisfied bonds among CSR entries lo … hi−1
// of a site with spins si, in six bit planes (low bit first).
func (g *Graph) unsatisfied(s []uint64, si uint64, lo, hi int32) (p0, p1, p2, p3, p4, p5 uint64) {
	nbr := g.Nbr[lo:hi]
	jw := g.J[lo:hi]
	jw = jw[:len(nbr)]
	for e, j := range nbr {
		c := si ^ s[j] ^ jw[e]
		t := p0 & c
		p0 ^= c
		c = t
		t = p1 & c
		p1 ^= c
		c = t
		t = p2 & c
		p2 ^= c
		c = t
		t = p3 & c
		p3 ^= c
		c = t
		t = p4 & c
		p4 ^= c
		p5 ^= t
	}
	return
}
