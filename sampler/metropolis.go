package sampler

import (
	"fmt"
	"math"
	"math/bits"
	"math/rand/v2"

	"github.com/deepglass/deepglass/models"
)

// Metropolis does single-spin-flip Metropolis updates at inverse temperature Beta: a
// flip of spin i with energy change ΔE > 0 is accepted with probability e^{−βΔE}, one
// with ΔE < 0 always. One sweep proposes N flips, at sites 0…N-1 in turn (Typewriter)
// or at N sites drawn uniformly at random (RandomSite). A flip with ΔE = 0 is accepted
// always in RandomSite order and with probability [TieAcceptance] = 15/16 in Typewriter
// order (the tie rule; both keep detailed balance, a(ΔE)/a(−ΔE) = e^{−βΔE}).
//
// # Why the tie rule
//
// In a deterministic order, accepting every ΔE ≤ 0 flip makes some sweeps use no random
// number at all, and a state whose sweep is entirely forced and returns to itself is a
// trap no temperature can leave. They exist: on every L×L torus of the ferromagnet, the
// diagonal staircase domain wall (s = +1 for x ≤ y, −1 otherwise) moves by one step each
// sweep through forced ΔE = 0 flips, forever; on rings (chain:L) forced ΔE = 0 flips
// carry every domain wall along the sweep until it annihilates, so a ring at T = 1 ends
// near e = −0.996 instead of −tanh 1 = −0.762. With ΔE = 0 flips rejected with
// probability 1/16, no sweep of equal energy is forced, so none is a trap; sim's
// ergodicity matrix checks Typewriter Metropolis on chains, lattices of side 2–4 and
// every model against exact values. The price is small: τ_int at T_c of the 2D Ising
// model grows by about 10% (1/2 would double it).
//
// # Random numbers
//
// A proposal with ΔE < 0 (in RandomSite order ΔE ≤ 0) is accepted without drawing;
// otherwise one uint64 k is drawn and the flip is accepted iff (k>>11)·2⁻⁵³ < a(ΔE),
// a(0) = TieAcceptance. RandomSite draws the site first, from one more uint64. Every kernel
// follows this rule: integer ones compare k>>11 with a table of ⌈a(ΔE)·2⁵³⌉, an exactly
// equivalent test. So a chain of a [*models.Sparse] or [*models.Dense] is bit-identical
// to the same chain run through the [models.Model] interface, for the same seed.
//
// # Kernels
//
// Sweep switches on the model's concrete type once per sweep:
//   - [*models.Sparse] with integer couplings (JInt != nil): integer local fields and an
//     acceptance table for ΔE = 0, 2, 4, …, 2·MaxIntField; on a square or cubic Lattice
//     of side ≥ 3, neighbours come from index arithmetic instead of the CSR arrays (in
//     RandomSite order only for the ferromagnet with uniform coupling and no field);
//   - [*models.Sparse] with float couplings and [*models.Dense]: float local fields;
//   - any other [models.Model]: through DeltaE.
//
// # Concurrency and copies
//
// NewMetropolis builds the tables for Model and Beta. Sweep rebuilds them (and
// allocates) when it sees that Model or Beta has changed, so a Metropolis whose Model or
// Beta is changed must not be used by more than one goroutine at a time. A Metropolis
// from NewMetropolis whose fields are left alone can sweep any number of chains
// concurrently.
//
// The tables belong to the Metropolis value that built them. A copy (b := *a) builds
// its own on its first sweep, whatever its Beta, so changing b.Beta never changes the
// tables a sweeps with, and a and b can then be used independently (concurrently, too).
type Metropolis struct {
	Model models.Model
	Beta  float64
	Order Order

	cache intCache
}

// intCache holds what the integer kernels of Metropolis and HeatBath precompute for one
// (model, β), in tables that belong to the cache that built them.
//
// A copy of a sampler value copies the pointer to its original's tables, which the
// original goes on using and may rebuild in place when its Beta changes. So a cache
// uses tables only if it owns them (t.owner is the cache itself, never true in a copy)
// and they are for its (model, β); otherwise it builds tables of its own. The check
// costs two pointer and one float comparison per sweep; tables are rewritten in place
// only by their owner, so a sweep allocates nothing unless Model or Beta changed or the
// sampler is a copy sweeping for the first time.
type intCache struct {
	t *intTables
}

// intTables are the tables of one intCache: a threshold table and, on a lattice, the
// lattice layout, for model at beta.
type intTables struct {
	owner *intCache
	model *models.Sparse
	beta  float64
	thr   []uint64
	lat   *latticeInt // immutable once built: shared by the tables of copies
	thrU  [8]uint64   // Metropolis: thrU[t] = thr[J0·t], t = 0…2·Dim, on a uniform ferromagnetic lattice
	thrH  [16]uint64  // HeatBath: thrH[σ&15] = thr[J0·σ + M], σ = Σ_nb s_j, on a uniform ferromagnetic lattice
}

// current returns c's tables if c owns them and they hold p at beta, else nil.
func (c *intCache) current(p *models.Sparse, beta float64) *intTables {
	if t := c.t; t != nil && t.owner == c && t.model == p && t.beta == beta {
		return t
	}
	return nil
}

// update makes c hold tables of its own for p at beta, with table entries
// thr[x] = prob(x) for x in [0, n), and returns them. It rewrites the tables in place
// if c owns them and allocates new ones otherwise.
func (c *intCache) update(p *models.Sparse, beta float64, n int, prob func(x int) float64) *intTables {
	t := c.t
	if t == nil || t.owner != c {
		nt := &intTables{owner: c}
		if t != nil && t.model == p {
			nt.model, nt.lat = p, t.lat
		}
		t, c.t = nt, nt
	}
	if t.model != p {
		t.model = p
		t.lat = newLatticeInt(p)
	}
	if cap(t.thr) >= n {
		t.thr = t.thr[:n]
	} else {
		t.thr = make([]uint64, n)
	}
	for x := range t.thr {
		t.thr[x] = threshold(prob(x))
	}
	t.beta = beta
	t.thrU, t.thrH = [8]uint64{}, [16]uint64{}
	return t
}

// NewMetropolis returns a Metropolis sampler for m at inverse temperature beta, visiting
// sites in the given order. It panics if beta is negative or NaN or order is unknown.
func NewMetropolis(m models.Model, beta float64, order Order) *Metropolis {
	if m == nil {
		panic("sampler: NewMetropolis with nil model")
	}
	checkBeta("NewMetropolis", beta)
	checkOrder("NewMetropolis", order)
	mh := &Metropolis{Model: m, Beta: beta, Order: order}
	if p, ok := m.(*models.Sparse); ok && p.JInt != nil {
		mh.prepare(p)
	}
	return mh
}

// prepare brings the integer tables up to date and returns them: thr[x] =
// ⌈e^{−2βx}·2⁵³⌉ for the x = s_i·f_i = ΔE/2 ∈ [0, MaxIntField].
func (mh *Metropolis) prepare(p *models.Sparse) *intTables {
	beta := mh.Beta
	if t := mh.cache.current(p, beta); t != nil {
		return t
	}
	checkBeta("Metropolis", beta)
	t := mh.cache.update(p, beta, p.MaxIntField()+1,
		func(x int) float64 {
			if x == 0 {
				return TieAcceptance // the tie rule of Typewriter order; RandomSite accepts ΔE = 0 without a draw
			}
			return math.Exp(-beta * float64(2*x))
		})
	if lat := t.lat; lat != nil && lat.uniform > 0 {
		for u := 0; u <= 2*lat.dim; u++ {
			t.thrU[u] = t.thr[lat.uniform*u]
		}
	}
	return t
}

// Sweep proposes N single-spin flips to c and updates c.S, c.E, c.Accepted and
// c.Proposed. It allocates nothing unless Model or Beta changed since the last sweep or
// mh is a copy sweeping for the first time.
func (mh *Metropolis) Sweep(c *Chain) {
	checkChain("Metropolis.Sweep", c, mh.Model.N())
	checkOrder("Metropolis.Sweep", mh.Order)
	random := mh.Order == RandomSite
	var acc int64
	switch m := mh.Model.(type) {
	case *models.Sparse:
		if m.JInt == nil {
			acc = metropolisSparse(m, mh.Beta, random, c)
			break
		}
		t := mh.prepare(m)
		var de int
		switch lat := t.lat; {
		case lat != nil && random && lat.uniform > 0:
			acc, de = metropolisFerroRandom(lat, &t.thrU, c)
		case lat == nil || random:
			acc, de = metropolisInt(m, t.thr, random, c)
		case lat.dim == 2 && lat.uniform > 0:
			acc, de = metropolisSquareFerro(m, lat, t.thr, &t.thrU, c)
		case lat.dim == 2:
			acc, de = metropolisSquare(m, lat, t.thr, c)
		case lat.dim == 3 && lat.uniform > 0:
			acc, de = metropolisCubicFerro(m, lat, t.thr, &t.thrU, c)
		default:
			acc, de = metropolisCubic(m, lat, t.thr, c)
		}
		c.E += float64(de)
	case *models.Dense:
		acc = metropolisDense(m, mh.Beta, random, c)
	case indexModel:
		acc = metropolisIndex(m, mh.Beta, random, c)
	default:
		acc = metropolisAny(m, mh.Beta, random, c)
	}
	c.Accepted += acc
	c.Proposed += int64(len(c.S))
}

// String describes the sampler, e.g. "metropolis β=0.44 typewriter on ising square:16
// (N=256, bonds=512)".
func (mh *Metropolis) String() string {
	return fmt.Sprintf("metropolis β=%g %s on %v", mh.Beta, mh.Order, mh.Model)
}

// metropolisInt is the kernel for integer Sparse models. It returns the number of
// accepted flips and the energy change.
func metropolisInt(p *models.Sparse, thr []uint64, random bool, c *Chain) (acc int64, de int) {
	s, src := c.S, c.Src
	start, nbr, jint, hint := p.Start, p.Nbr, p.JInt, p.HInt
	n := len(s)
	start = start[:n+1]
	hint = hint[:n]
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
		x := int(s[i]) * f // ΔE = 2x
		if x < 0 || x == 0 && random || src.Uint64()>>11 < thr[x] {
			s[i] = -s[i]
			de += 2 * x
			acc++
		}
	}
	return acc, de
}

// metropolisIntSite updates site i of an integer Sparse model exactly as metropolisInt
// does; the lattice kernels use it at the ends of rows.
func metropolisIntSite(p *models.Sparse, thr []uint64, s []int8, src *rand.PCG, i int) (flipped bool, de int) {
	f := int(p.HInt[i])
	for k := p.Start[i]; k < p.Start[i+1]; k++ {
		f += int(p.JInt[k]) * int(s[p.Nbr[k]])
	}
	x := int(s[i]) * f
	if x < 0 || src.Uint64()>>11 < thr[x] {
		s[i] = -s[i]
		return true, 2 * x
	}
	return false, 0
}

// The lattice kernels run Typewriter order on a periodic square or cubic lattice and
// find neighbours by index arithmetic. In each row, the two end sites (where x wraps)
// go through metropolisIntSite, and the sites in between through a loop over row slices
// without wrapping. They take exactly the decisions and draws of metropolisInt.

// metropolisSquareFerro is the lattice kernel for the square-lattice ferromagnet with
// uniform coupling J0 = lat.uniform > 0 and no field: x = J0·t with t = s_i Σ_nb s_j,
// and thrU[t] = thr[J0·t].
func metropolisSquareFerro(p *models.Sparse, lat *latticeInt, thr []uint64, thrU *[8]uint64, c *Chain) (acc int64, de int) {
	src := c.Src
	s := c.S
	l := lat.l
	s = s[:l*l]
	var dt, dEdge int // interior: Σ t over flips; ends: Σ ΔE
	for y := 0; y < l; y++ {
		b := y * l
		if ok, d := metropolisIntSite(p, thr, s, src, b); ok {
			dEdge += d
			acc++
		}
		a, d := ferroRow(thrU, src, s[b:b+l], s[(y+l-1)%l*l:][:l], s[(y+1)%l*l:][:l])
		acc += int64(a)
		dt += d
		if ok, d := metropolisIntSite(p, thr, s, src, b+l-1); ok {
			dEdge += d
			acc++
		}
	}
	return acc, 2*lat.uniform*dt + dEdge
}

// ferroRow updates sites 1…L-2 of row (the interior of a lattice row, whose neighbours
// above and below are in up and dn) for metropolisSquareFerro, and returns the number
// of flips and Σ t over them. It is a separate function so that its loop has the
// registers to itself.
func ferroRow(thrU *[8]uint64, src *rand.PCG, row, up, dn []int8) (acc, dt int) {
	mid := row[1 : len(row)-1]
	left := row[:len(mid)]
	right := row[2:][:len(mid)]
	u := up[1:][:len(mid)]
	d := dn[1:][:len(mid)]
	tab := *thrU // on the stack, indexed off SP: it needs no register
	// cnt packs the flip count and Σ t into one register, as flips·2²⁰ + Σ t, with
	// |Σ t| ≤ 4·L < 2¹⁹. The loop is short of registers: the PCG update needs several.
	var cnt int
	for k := range mid {
		// In wrapping 8-bit arithmetic (exact, as |t| ≤ 4) the compiler emits byte loads
		// with indexed addressing and a single sign extension.
		sum := uint8(left[k]) + uint8(right[k]) + uint8(u[k]) + uint8(d[k])
		t := int(int8(uint8(mid[k]) * sum))
		if t >= 0 { // ΔE ≥ 0: a draw (ΔE = 0: the tie rule)
			t &= 7 // no-op (t ≤ 4) that lets tab[t] go without a bounds check
			if src.Uint64()>>11 >= tab[t] {
				continue
			}
		}
		mid[k] = -mid[k]
		cnt += t + 1<<20
	}
	dt = cnt << 44 >> 44 // sign-extend the low 20 bits
	return (cnt - dt) >> 20, dt
}

// metropolisSquare is the lattice kernel for any integer couplings and fields on the
// square lattice.
func metropolisSquare(p *models.Sparse, lat *latticeInt, thr []uint64, c *Chain) (acc int64, de int) {
	src := c.Src
	s := c.S
	l := lat.l
	n := l * l
	s = s[:n]
	jall := lat.j[:4*n]
	hall := lat.h[:n]
	for y := 0; y < l; y++ {
		b := y * l
		row := s[b : b+l]
		up := s[(y+l-1)%l*l:][:l]
		dn := s[(y+1)%l*l:][:l]
		if ok, d := metropolisIntSite(p, thr, s, src, b); ok {
			de += d
			acc++
		}
		mid := row[1 : l-1]
		left := row[:len(mid)]
		right := row[2:][:len(mid)]
		u := up[1:][:len(mid)]
		d := dn[1:][:len(mid)]
		j := jall[4*(b+1):][:4*len(mid)]
		h := hall[b+1:][:len(mid)]
		for k := range mid {
			jk := j[4*k : 4*k+4 : 4*k+4]
			x := int(mid[k]) * (int(h[k]) + int(jk[0])*int(right[k]) + int(jk[1])*int(left[k]) +
				int(jk[2])*int(d[k]) + int(jk[3])*int(u[k]))
			if x < 0 || src.Uint64()>>11 < thr[x] {
				mid[k] = -mid[k]
				de += 2 * x
				acc++
			}
		}
		if ok, d := metropolisIntSite(p, thr, s, src, b+l-1); ok {
			de += d
			acc++
		}
	}
	return acc, de
}

// metropolisCubicFerro is metropolisSquareFerro on the cubic lattice.
func metropolisCubicFerro(p *models.Sparse, lat *latticeInt, thr []uint64, thrU *[8]uint64, c *Chain) (acc int64, de int) {
	src := c.Src
	s := c.S
	l := lat.l
	l2 := l * l
	s = s[:l2*l]
	var dt, dEdge int
	for z := 0; z < l; z++ {
		zb := z * l2
		zm := (z + l - 1) % l * l2
		zp := (z + 1) % l * l2
		for y := 0; y < l; y++ {
			yo := y * l
			b := zb + yo
			if ok, d := metropolisIntSite(p, thr, s, src, b); ok {
				dEdge += d
				acc++
			}
			a, d := ferroRow3(thrU, src, s[b:b+l], s[zb+(y+l-1)%l*l:][:l], s[zb+(y+1)%l*l:][:l], s[zm+yo:][:l], s[zp+yo:][:l])
			acc += int64(a)
			dt += d
			if ok, d := metropolisIntSite(p, thr, s, src, b+l-1); ok {
				dEdge += d
				acc++
			}
		}
	}
	return acc, 2*lat.uniform*dt + dEdge
}

// ferroRow3 is ferroRow on the cubic lattice, with the rows at y±1 and z±1.
func ferroRow3(thrU *[8]uint64, src *rand.PCG, row, ym, yp, zm, zp []int8) (acc, dt int) {
	mid := row[1 : len(row)-1]
	left := row[:len(mid)]
	right := row[2:][:len(mid)]
	a := ym[1:][:len(mid)]
	b := yp[1:][:len(mid)]
	c := zm[1:][:len(mid)]
	d := zp[1:][:len(mid)]
	tab := *thrU
	var cnt int
	for k := range mid {
		sum := uint8(left[k]) + uint8(right[k]) + uint8(a[k]) + uint8(b[k]) + uint8(c[k]) + uint8(d[k])
		t := int(int8(uint8(mid[k]) * sum))
		if t >= 0 { // ΔE ≥ 0: a draw (ΔE = 0: the tie rule)
			t &= 7 // no-op (t ≤ 6)
			if src.Uint64()>>11 >= tab[t] {
				continue
			}
		}
		mid[k] = -mid[k]
		cnt += t + 1<<20
	}
	dt = cnt << 44 >> 44
	return (cnt - dt) >> 20, dt
}

// metropolisCubic is metropolisSquare on the cubic lattice.
func metropolisCubic(p *models.Sparse, lat *latticeInt, thr []uint64, c *Chain) (acc int64, de int) {
	src := c.Src
	s := c.S
	l := lat.l
	l2 := l * l
	n := l2 * l
	s = s[:n]
	jall := lat.j[:6*n]
	hall := lat.h[:n]
	for z := 0; z < l; z++ {
		zb := z * l2
		zm := (z + l - 1) % l * l2
		zp := (z + 1) % l * l2
		for y := 0; y < l; y++ {
			yo := y * l
			b := zb + yo
			row := s[b : b+l]
			sym := s[zb+(y+l-1)%l*l:][:l]
			syp := s[zb+(y+1)%l*l:][:l]
			szm := s[zm+yo:][:l]
			szp := s[zp+yo:][:l]
			if ok, d := metropolisIntSite(p, thr, s, src, b); ok {
				de += d
				acc++
			}
			mid := row[1 : l-1]
			left := row[:len(mid)]
			right := row[2:][:len(mid)]
			a := sym[1:][:len(mid)]
			bb := syp[1:][:len(mid)]
			cc := szm[1:][:len(mid)]
			dd := szp[1:][:len(mid)]
			j := jall[6*(b+1):][:6*len(mid)]
			h := hall[b+1:][:len(mid)]
			for k := range mid {
				jk := j[6*k : 6*k+6 : 6*k+6]
				x := int(mid[k]) * (int(h[k]) + int(jk[0])*int(right[k]) + int(jk[1])*int(left[k]) +
					int(jk[2])*int(bb[k]) + int(jk[3])*int(a[k]) + int(jk[4])*int(dd[k]) + int(jk[5])*int(cc[k]))
				if x < 0 || src.Uint64()>>11 < thr[x] {
					mid[k] = -mid[k]
					de += 2 * x
					acc++
				}
			}
			if ok, d := metropolisIntSite(p, thr, s, src, b+l-1); ok {
				de += d
				acc++
			}
		}
	}
	return acc, de
}

// metropolisFerroRandom is the RandomSite kernel for the square- or cubic-lattice
// ferromagnet with uniform coupling J0 = lat.uniform > 0 and no field. It draws sites as
// metropolisInt does and finds their neighbours from the coordinates, which avoids the
// scattered reads of the CSR arrays.
func metropolisFerroRandom(lat *latticeInt, thrU *[8]uint64, c *Chain) (acc int64, de int) {
	s, src := c.S, c.Src
	l := lat.l
	n := len(s)
	// x/l = hi(x·⌈2⁶⁴/l⌉) exactly for x < 2³², l ≥ 2.
	inv := ^uint64(0)/uint64(l) + 1
	var dt int
	for range n {
		hi, _ := bits.Mul64(src.Uint64(), uint64(n))
		i := int(hi)
		q, _ := bits.Mul64(uint64(i), inv)
		x := i - int(q)*l
		b := i - x // start of the row
		xl, xr := b+x-1, b+x+1
		if x == 0 {
			xl += l
		}
		if x == l-1 {
			xr -= l
		}
		sum := int(s[xl]) + int(s[xr])
		if lat.dim == 2 {
			y := int(q)
			up, dn := i-l, i+l
			if y == 0 {
				up += n
			}
			if y == l-1 {
				dn -= n
			}
			sum += int(s[up]) + int(s[dn])
		} else {
			z, _ := bits.Mul64(q, inv) // q = y + l·z
			y := int(q) - int(z)*l
			l2 := l * l
			ym, yp := i-l, i+l
			if y == 0 {
				ym += l2
			}
			if y == l-1 {
				yp -= l2
			}
			zm, zp := i-l2, i+l2
			if z == 0 {
				zm += n
			}
			if int(z) == l-1 {
				zp -= n
			}
			sum += int(s[ym]) + int(s[yp]) + int(s[zm]) + int(s[zp])
		}
		t := int(s[i]) * sum
		if t > 0 {
			t &= 7 // no-op (t ≤ 6)
			if src.Uint64()>>11 >= thrU[t] {
				continue
			}
		}
		s[i] = -s[i]
		dt += t
		acc++
	}
	return acc, 2 * lat.uniform * dt
}

// metropolisSparse is the kernel for Sparse models with float couplings. The local
// field and ΔE are computed exactly as models.Sparse.DeltaE computes them.
func metropolisSparse(p *models.Sparse, beta float64, random bool, c *Chain) (acc int64) {
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
		dE := 2 * float64(s[i]) * f
		if dE < 0 || dE == 0 && random || float64(src.Uint64()>>11)*0x1p-53 < acceptance(beta, dE) {
			s[i] = -s[i]
			e += dE
			acc++
		}
	}
	c.E = e
	return acc
}

// metropolisDense is the kernel for Dense models; ΔE is computed exactly as
// models.Dense.DeltaE computes it.
func metropolisDense(d *models.Dense, beta float64, random bool, c *Chain) (acc int64) {
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
		dE := 2 * x[i] * f
		if dE < 0 || dE == 0 && random || float64(src.Uint64()>>11)*0x1p-53 < acceptance(beta, dE) {
			s[i] = -s[i]
			x[i] = -x[i]
			e += dE
			acc++
		}
	}
	c.E = e
	return acc
}

// acceptance is the Metropolis acceptance of a move with ΔE ≥ 0 in Typewriter order:
// e^{−βΔE}, and TieAcceptance for ΔE = 0 (the tie rule; see [Metropolis]).
func acceptance(beta, dE float64) float64 {
	if dE == 0 {
		return TieAcceptance
	}
	return math.Exp(-beta * dE)
}

// metropolisAny is the generic kernel, for any Model.
func metropolisAny(m models.Model, beta float64, random bool, c *Chain) (acc int64) {
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
		if dE < 0 || dE == 0 && random || uniform(src) < acceptance(beta, dE) {
			s[i] = -s[i]
			e += dE
			acc++
		}
	}
	c.E = e
	return acc
}
