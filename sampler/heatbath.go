package sampler

import (
	"fmt"
	"math"
	"math/bits"
	"math/rand/v2"

	"github.com/deepglass/deepglass/models"
)

// HeatBath does single-spin heat-bath (Glauber) updates at inverse temperature Beta:
// spin i is set to +1 with probability 1/(1+e^{−2βf_i}) and to −1 otherwise, where
// f_i = h_i + Σ_j J_ij s_j is its local field, whatever its current value. One sweep
// updates N sites, in the given Order.
//
// # Random numbers
//
// Each update draws one uint64 k (after the site's draw in RandomSite order) and sets
// s_i = +1 iff (k>>11)·2⁻⁵³ < 1/(1+e^{−2βf_i}). Integer kernels compare k>>11 with a
// table of ⌈p·2⁵³⌉ indexed by f_i, an exactly equivalent test, so as for [Metropolis]
// the concrete kernels and the generic path through [models.Model] give bit-identical
// chains. The generic path recovers 2f_i = s_i·ΔE_i exactly from DeltaE.
//
// # Kernels
//
// As for [Metropolis]: integer local fields and a table for [*models.Sparse] with
// integer couplings (with neighbours from index arithmetic for the square-lattice
// ferromagnet in Typewriter order), float fields for other Sparse and [*models.Dense]
// models, DeltaE for any other [models.Model].
//
// # Counters and concurrency
//
// Proposed counts updates and Accepted those that changed the spin. The rules for
// concurrent use and copies are those of [Metropolis]: a copy builds its own tables.
type HeatBath struct {
	Model models.Model
	Beta  float64
	Order Order

	cache intCache
}

// NewHeatBath returns a heat-bath sampler for m at inverse temperature beta, visiting
// sites in the given order. It panics if beta is negative or NaN or order is unknown.
func NewHeatBath(m models.Model, beta float64, order Order) *HeatBath {
	if m == nil {
		panic("sampler: NewHeatBath with nil model")
	}
	checkBeta("NewHeatBath", beta)
	checkOrder("NewHeatBath", order)
	hb := &HeatBath{Model: m, Beta: beta, Order: order}
	if p, ok := m.(*models.Sparse); ok && p.JInt != nil {
		hb.prepare(p)
	}
	return hb
}

// heatBathUp returns the probability 1/(1+e^{−β·twoF}) of setting a spin with local field
// twoF/2 to +1. At β = ∞ and f = 0 it returns 1/2.
func heatBathUp(beta, twoF float64) float64 {
	a := -beta * twoF
	if a != a {
		return 0.5
	}
	return 1 / (1 + math.Exp(a))
}

// prepare brings the integer table up to date and returns it: thr[f+M] =
// ⌈heatBathUp(β, 2f)·2⁵³⌉ for f ∈ [−M, M], M = MaxIntField.
func (hb *HeatBath) prepare(p *models.Sparse) *intTables {
	beta := hb.Beta
	if t := hb.cache.current(p, beta); t != nil {
		return t
	}
	checkBeta("HeatBath", beta)
	m := p.MaxIntField()
	t := hb.cache.update(p, beta, 2*m+1,
		func(x int) float64 { return heatBathUp(beta, float64(2*(x-m))) })
	if lat := t.lat; lat != nil && lat.uniform > 0 {
		for sum := -2 * lat.dim; sum <= 2*lat.dim; sum++ {
			t.thrH[sum&15] = t.thr[lat.uniform*sum+m]
		}
	}
	return t
}

// Sweep updates N sites of c and updates c.S, c.E, c.Accepted and c.Proposed. It
// allocates nothing unless Model or Beta changed since the last sweep or hb is a copy
// sweeping for the first time.
func (hb *HeatBath) Sweep(c *Chain) {
	checkChain("HeatBath.Sweep", c, hb.Model.N())
	checkOrder("HeatBath.Sweep", hb.Order)
	random := hb.Order == RandomSite
	var acc int64
	switch m := hb.Model.(type) {
	case *models.Sparse:
		if m.JInt == nil {
			acc = heatBathSparse(m, hb.Beta, random, c)
			break
		}
		t := hb.prepare(m)
		var de int
		if lat := t.lat; lat != nil && !random && lat.dim == 2 && lat.uniform > 0 {
			acc, de = heatBathSquareFerro(m, lat, t.thr, &t.thrH, c)
		} else {
			acc, de = heatBathInt(m, t.thr, random, c)
		}
		c.E += float64(de)
	case *models.Dense:
		acc = heatBathDense(m, hb.Beta, random, c)
	case indexModel:
		acc = heatBathIndex(m, hb.Beta, random, c)
	default:
		acc = heatBathAny(m, hb.Beta, random, c)
	}
	c.Accepted += acc
	c.Proposed += int64(len(c.S))
}

// String describes the sampler, e.g. "heatbath β=0.44 typewriter on ising square:16
// (N=256, bonds=512)".
func (hb *HeatBath) String() string {
	return fmt.Sprintf("heatbath β=%g %s on %v", hb.Beta, hb.Order, hb.Model)
}

// heatBathInt is the kernel for integer Sparse models; thr is indexed by f + MaxIntField.
// It returns the number of changed spins and the energy change.
func heatBathInt(p *models.Sparse, thr []uint64, random bool, c *Chain) (acc int64, de int) {
	s, src := c.S, c.Src
	start, nbr, jint, hint := p.Start, p.Nbr, p.JInt, p.HInt
	n := len(s)
	start = start[:n+1]
	hint = hint[:n]
	m := p.MaxIntField()
	for t := 0; t < n; t++ {
		i := t
		if random {
			hi, _ := bits.Mul64(src.Uint64(), uint64(n))
			i = int(hi)
		}
		f := int(hint[i])
		for k := start[i]; k < start[i+1]; k++ {
			f += int(jint[k]) * int(s[nbr[k]])
		}
		up := src.Uint64()>>11 < thr[f+m]
		if old := s[i]; up != (old > 0) {
			s[i] = -old
			de += 2 * int(old) * f
			acc++
		}
	}
	return acc, de
}

// heatBathIntSite updates site i of an integer Sparse model exactly as heatBathInt does;
// the lattice kernel uses it at the ends of rows.
func heatBathIntSite(p *models.Sparse, thr []uint64, s []int8, src *rand.PCG, i int) (flipped bool, de int) {
	f := int(p.HInt[i])
	for k := p.Start[i]; k < p.Start[i+1]; k++ {
		f += int(p.JInt[k]) * int(s[p.Nbr[k]])
	}
	up := src.Uint64()>>11 < thr[f+p.MaxIntField()]
	if old := s[i]; up != (old > 0) {
		s[i] = -old
		return true, 2 * int(old) * f
	}
	return false, 0
}

// heatBathSquareFerro is heatBathInt in Typewriter order for the square-lattice
// ferromagnet with uniform coupling J0 = lat.uniform > 0 and no field, with neighbours
// found by index arithmetic as in metropolisSquareFerro.
func heatBathSquareFerro(p *models.Sparse, lat *latticeInt, thr []uint64, thrH *[16]uint64, c *Chain) (acc int64, de int) {
	src := c.Src
	s := c.S
	l := lat.l
	s = s[:l*l]
	var dOS, dEdge int // interior: Σ s_old·σ over flips; ends: Σ ΔE
	for y := 0; y < l; y++ {
		b := y * l
		if ok, d := heatBathIntSite(p, thr, s, src, b); ok {
			dEdge += d
			acc++
		}
		a, d := heatRow(thrH, src, s[b:b+l], s[(y+l-1)%l*l:][:l], s[(y+1)%l*l:][:l])
		acc += int64(a)
		dOS += d
		if ok, d := heatBathIntSite(p, thr, s, src, b+l-1); ok {
			dEdge += d
			acc++
		}
	}
	return acc, 2*lat.uniform*dOS + dEdge
}

// heatRow updates the interior of a lattice row for heatBathSquareFerro, as ferroRow does
// for Metropolis, and returns the number of changed spins and Σ s_old·σ over them.
func heatRow(thrH *[16]uint64, src *rand.PCG, row, up, dn []int8) (acc, dos int) {
	mid := row[1 : len(row)-1]
	left := row[:len(mid)]
	right := row[2:][:len(mid)]
	u := up[1:][:len(mid)]
	d := dn[1:][:len(mid)]
	tab := *thrH
	var cnt int // flips·2²⁰ + Σ s_old·σ, as in ferroRow
	for k := range mid {
		sum := int(int8(uint8(left[k]) + uint8(right[k]) + uint8(u[k]) + uint8(d[k])))
		upSpin := src.Uint64()>>11 < tab[sum&15]
		if old := mid[k]; upSpin != (old > 0) {
			mid[k] = -old
			cnt += int(old)*sum + 1<<20
		}
	}
	dos = cnt << 44 >> 44
	return (cnt - dos) >> 20, dos
}

// heatBathSparse is the kernel for Sparse models with float couplings.
func heatBathSparse(p *models.Sparse, beta float64, random bool, c *Chain) (acc int64) {
	s, src := c.S, c.Src
	start, nbr, jf, hf := p.Start, p.Nbr, p.J, p.H
	n := len(s)
	start = start[:n+1]
	hf = hf[:n]
	e := c.E
	for t := 0; t < n; t++ {
		i := t
		if random {
			hi, _ := bits.Mul64(src.Uint64(), uint64(n))
			i = int(hi)
		}
		f := hf[i]
		for k := start[i]; k < start[i+1]; k++ {
			f += jf[k] * float64(s[nbr[k]])
		}
		up := float64(src.Uint64()>>11)*0x1p-53 < heatBathUp(beta, 2*f)
		if old := s[i]; up != (old > 0) {
			s[i] = -old
			e += 2 * float64(old) * f
			acc++
		}
	}
	c.E = e
	return acc
}

// heatBathDense is the kernel for Dense models.
func heatBathDense(d *models.Dense, beta float64, random bool, c *Chain) (acc int64) {
	s, src := c.S, c.Src
	n := len(s)
	jf, x := d.J[:n*n], c.floatSpins()
	e := c.E
	for t := 0; t < n; t++ {
		i := t
		if random {
			hi, _ := bits.Mul64(src.Uint64(), uint64(n))
			i = int(hi)
		}
		f := d.H[i] + dot4(jf[i*n:i*n+n], x)
		up := float64(src.Uint64()>>11)*0x1p-53 < heatBathUp(beta, 2*f)
		if old := s[i]; up != (old > 0) {
			s[i] = -old
			x[i] = -x[i]
			e += 2 * float64(old) * f
			acc++
		}
	}
	c.E = e
	return acc
}

// heatBathAny is the generic kernel, for any Model: 2f_i = s_i·ΔE_i.
func heatBathAny(m models.Model, beta float64, random bool, c *Chain) (acc int64) {
	s, src := c.S, c.Src
	n := len(s)
	e := c.E
	for t := 0; t < n; t++ {
		i := t
		if random {
			hi, _ := bits.Mul64(src.Uint64(), uint64(n))
			i = int(hi)
		}
		dE := m.DeltaE(s, i)
		old := s[i]
		up := uniform(src) < heatBathUp(beta, dE*float64(old))
		if up != (old > 0) {
			s[i] = -old
			e += dE
			acc++
		}
	}
	c.E = e
	return acc
}
