package sampler

import (
	"errors"
	"fmt"
	"math"
	"math/bits"

	"github.com/deepglass/deepglass/models"
)

// MaxPackedDegree is the largest site degree a packed graph model accepts: the
// unsatisfied bonds of a site are counted in six bit planes.
const MaxPackedDegree = 63

// PackedGraph holds the bonds of a ±J model on a general graph in multi-spin coded
// form, in the CSR layout of [models.Sparse]: the neighbours of site i are
// Nbr[Start[i]:Start[i+1]], and bit ℓ of J[k] is set iff the bond to Nbr[k] is
// antiferromagnetic in lane ℓ. Every bond has the magnitude Scale, so that in lane ℓ
// a site with d bonds of which u are unsatisfied has ΔE = 2·Scale·(d − 2u).
type PackedGraph struct {
	Start, Nbr []int32
	J          []uint64
	Scale      float64
	MaxDegree  int
	Bonds      int // bonds per lane, each counted once
}

// NewPackedGraphLanes packs up to 64 models on the same graph (the same neighbour
// lists, couplings ±Scale with one common Scale > 0, no field) into a PackedModel whose
// Graph is set: lane ℓ holds ps[ℓ % len(ps)]. The models need no lattice; square and
// cubic lattices are accepted too (NewPackedModelLanes gives them faster kernels).
func NewPackedGraphLanes(ps []*models.Sparse) (*PackedModel, error) {
	if len(ps) == 0 || len(ps) > PackedLanes {
		return nil, fmt.Errorf("packed graph: %d models, want 1 to %d", len(ps), PackedLanes)
	}
	p0 := ps[0]
	if p0 == nil {
		return nil, errors.New("packed graph: model 0 is nil")
	}
	n := p0.N()
	g := &PackedGraph{Start: p0.Start, Nbr: p0.Nbr, J: make([]uint64, len(p0.Nbr)), Bonds: p0.NumBonds()}
	for i := range n {
		if d := p0.Degree(i); d > MaxPackedDegree {
			return nil, fmt.Errorf("packed graph: site %d has degree %d > %d", i, d, MaxPackedDegree)
		} else if d > g.MaxDegree {
			g.MaxDegree = d
		}
	}
	for k, p := range ps {
		if p == nil || p.N() != n || !equalInt32(p.Start, p0.Start) || !equalInt32(p.Nbr, p0.Nbr) {
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
				for l := k; l < PackedLanes; l += len(ps) {
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
	return &PackedModel{Graph: g, Name: fmt.Sprintf("packed %s ×%d", name, len(ps))}, nil
}

func equalInt32(a, b []int32) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// siteOf returns the site whose CSR range holds entry e.
func siteOf(start []int32, e int) int {
	i := 0
	for i+1 < len(start) && int(start[i+1]) <= e {
		i++
	}
	return i
}

// graphLaneEnergies is LaneEnergies for a graph model.
func (m *PackedModel) graphLaneEnergies(dst []int64, s []uint64) {
	g := m.Graph
	var planes [40]uint64
	for i := range len(g.Start) - 1 {
		si := s[i]
		for e := g.Start[i]; e < g.Start[i+1]; e++ {
			j := g.Nbr[e]
			if int(j) < i {
				continue // each bond once
			}
			c := si ^ s[j] ^ g.J[e]
			for k := 0; c != 0; k++ {
				t := planes[k] & c
				planes[k] ^= c
				c = t
			}
		}
	}
	for l := range dst {
		var u int64
		for k, p := range planes {
			u |= int64(p>>l&1) << k
		}
		dst[l] = 2*u - int64(g.Bonds) // in units of Scale
	}
}

// graphThresholds returns q[m] = e^{−2β·Scale·m} as 64-bit binary fractions for
// m = 0 … MaxDegree (q[0] is unused).
func graphThresholds(g *PackedGraph, beta float64) []uint64 {
	q := make([]uint64, g.MaxDegree+1)
	for m := 1; m <= g.MaxDegree; m++ {
		q[m] = fixed64(math.Exp(-2 * beta * g.Scale * float64(m)))
	}
	return q
}

// packedSweepGraph sweeps a graph model in site order with independent lanes and
// returns the number of accepted lane updates. The unsatisfied bonds u of every lane are
// counted in bit planes; lanes with 2u ≥ d flip (ΔE ≤ 0), and the lanes of each class
// u < d/2 present at the site flip with probability q[d − 2u], decided by bernoulliLanes.
func packedSweepGraph(g *PackedGraph, q []uint64, s []uint64, x *xoshiro) int {
	acc := 0
	for i := range len(g.Start) - 1 {
		lo, hi := g.Start[i], g.Start[i+1]
		d := int(hi - lo)
		si := s[i]
		var p0, p1, p2, p3, p4, p5 uint64
		for e := lo; e < hi; e++ {
			c := si ^ s[g.Nbr[e]] ^ g.J[e]
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
		flip := ^uint64(0)
		for u := 0; 2*u < d; u++ {
			cls := eqPlanes(u, p0, p1, p2, p3, p4, p5)
			if cls == 0 {
				continue
			}
			flip &^= cls
			flip |= x.bernoulliLanes(cls, q[d-2*u])
		}
		s[i] = si ^ flip
		acc += bits.OnesCount64(flip)
	}
	return acc
}

// eqPlanes returns the lanes whose 6-bit count (p0 … p5, low bit first) equals v.
func eqPlanes(v int, p0, p1, p2, p3, p4, p5 uint64) uint64 {
	sel := func(p uint64, b int) uint64 {
		if v>>b&1 == 1 {
			return p
		}
		return ^p
	}
	return sel(p0, 0) & sel(p1, 1) & sel(p2, 2) & sel(p3, 3) & sel(p4, 4) & sel(p5, 5)
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

// packedSweepGraphShared is packedSweepGraph with one uniform per site shared by all
// lanes (SharedDraw).
func packedSweepGraphShared(g *PackedGraph, q []uint64, s []uint64, x *xoshiro) int {
	acc := 0
	for i := range len(g.Start) - 1 {
		lo, hi := g.Start[i], g.Start[i+1]
		d := int(hi - lo)
		si := s[i]
		var p0, p1, p2, p3, p4, p5 uint64
		for e := lo; e < hi; e++ {
			c := si ^ s[g.Nbr[e]] ^ g.J[e]
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
		r := x.next()
		flip := ^uint64(0)
		for u := 0; 2*u < d; u++ {
			cls := eqPlanes(u, p0, p1, p2, p3, p4, p5)
			flip &^= cls
			flip |= cls & ltMask(r, q[d-2*u])
		}
		s[i] = si ^ flip
		acc += bits.OnesCount64(flip)
	}
	return acc
}

// SetBeta changes the inverse temperature of the sweeper (for annealing). On a graph
// model this costs O(MaxDegree); on a lattice with IndependentLanes it rebuilds the
// acceptance tables (about 0.2 ms each).
func (pm *PackedMetropolis) SetBeta(beta float64) {
	if !(beta >= 0) {
		panic("sampler: PackedMetropolis.SetBeta: beta negative or NaN")
	}
	if pm.Model.Graph != nil {
		pm.Beta = beta
		for m := 1; m < len(pm.qg); m++ {
			pm.qg[m] = fixed64(math.Exp(-2 * beta * pm.Model.Graph.Scale * float64(m)))
		}
		return
	}
	*pm = *NewPackedMetropolis(pm.Model, beta, pm.Draws)
}

// LaneLinkOverlaps sets dst[ℓ] to the link overlap of lane ℓ of a with lane ℓ of b,
// q_l = (1/N_b) Σ_{bonds ij} s_i s_j t_i t_j over the N_b bonds of the model (as
// models.Sparse.LinkOverlap). It panics unless len(dst) == 64 and a and b have N sites.
// It allocates nothing.
func (m *PackedModel) LaneLinkOverlaps(dst []float64, a, b []uint64) {
	n := m.N()
	if len(dst) != PackedLanes || len(a) != n || len(b) != n {
		panic("sampler: LaneLinkOverlaps: length mismatch")
	}
	var planes [40]uint64
	add := func(c uint64) {
		for k := 0; c != 0; k++ {
			t := planes[k] & c
			planes[k] ^= c
			c = t
		}
	}
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
	} else {
		lat := m.Lattice
		for d := range lat.Dim {
			for i := range n {
				j := lat.Step(i, d, +1)
				add(a[i] ^ a[j] ^ b[i] ^ b[j])
			}
		}
		nb = lat.Dim * n
	}
	for l := range dst {
		var u int64
		for k, p := range planes {
			u |= int64(p>>l&1) << k
		}
		dst[l] = float64(int64(nb)-2*u) / float64(nb)
	}
}
