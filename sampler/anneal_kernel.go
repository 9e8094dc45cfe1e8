package sampler

import (
	"math"
	"math/bits"
	"math/rand/v2"

	"github.com/deepglass/deepglass/models"
)

// annealInt is the annealing kernel for Sparse models with integer couplings. Unlike the
// Metropolis kernels, which add up the local field of every visited site, it keeps the
// local fields f_i = h_i + Σ_j J_ij s_j of the chain it runs and updates them when a
// spin flips. A visit then costs a few loads and, for an uphill move, a byte of a draw;
// only an accepted flip walks the neighbour list. At the low temperatures where an
// anneal spends most of its sweeps almost every move is rejected, so this is several
// times faster than recomputing the fields.
//
// # Random numbers
//
// An uphill move (x = s_i f_i = ΔE/2 > 0) is accepted iff U < p = e^{−2βx}, with U
// uniform in [0, 1) read 8 bits at a time: each 64-bit draw serves 8 moves. With
// p·256 = t + φ (t an integer, 0 ≤ φ < 1) and u the next byte, u < t accepts and u > t
// rejects; only when u = t (probability 1/256) does a fresh draw k decide, accepting
// iff k>>11 < ⌈φ·2⁵³⌉. The test is exact to 2⁻⁶¹ and costs about 1/8 of a draw per
// move, against one draw in Metropolis, whose decisions it does not reproduce.
//
// An annealInt is scratch space for one chain at a time.
type annealInt struct {
	p    *models.Sparse
	f    []int32     // local fields of the chain's current state
	tab  []acceptTab // acceptance tables for x = 0…MaxIntField at the current β
	beta float64
	// uniform is the common value of all couplings if they are equal, else 0.
	uniform int32

	// Flips and Σ x over them in the current sweep, kept here by flip so that the
	// sweep loop has the registers for itself.
	acc  int64
	half int
}

// acceptTab is the acceptance test of one x: with p·256 = t + φ, t8 = t and
// frac = ⌈φ·2⁵³⌉.
type acceptTab struct {
	t8, frac uint64
}

// newAnnealInt returns the kernel's scratch space for p, which must have JInt != nil.
func newAnnealInt(p *models.Sparse) *annealInt {
	k := &annealInt{
		p:    p,
		f:    make([]int32, p.N()),
		tab:  make([]acceptTab, p.MaxIntField()+1),
		beta: math.NaN(),
	}
	if len(p.JInt) > 0 {
		k.uniform = int32(p.JInt[0])
		for _, j := range p.JInt {
			if int32(j) != k.uniform {
				k.uniform = 0
				break
			}
		}
	}
	return k
}

// load computes the local fields of s.
func (k *annealInt) load(s []int8) {
	p := k.p
	for i := range k.f {
		f := int32(p.HInt[i])
		for e := p.Start[i]; e < p.Start[i+1]; e++ {
			f += int32(p.JInt[e]) * int32(s[p.Nbr[e]])
		}
		k.f[i] = f
	}
}

// setBeta fills the acceptance tables for beta. It costs a multiplication and a
// rounding per entry (p_x = q^x with q = e^{−2β}), so it can run before every sweep.
func (k *annealInt) setBeta(beta float64) {
	if beta == k.beta {
		return
	}
	k.beta = beta
	q := math.Exp(-2 * beta)
	p := 1.0
	for x := range k.tab {
		v := p * 256
		t := math.Floor(v)
		k.tab[x] = acceptTab{t8: uint64(t), frac: threshold(v - t)}
		p *= q
	}
}

// flip flips spin i, whose x = s_i f_i is given, and updates the fields of its
// neighbours and the counters.
//
//go:noinline
func (k *annealInt) flip(s []int8, i int, x int32) {
	p := k.p
	si := -s[i]
	s[i] = si
	k.acc++
	k.half += int(x)
	d := 2 * int32(si)
	f := k.f
	nbr := p.Nbr[p.Start[i]:p.Start[i+1]]
	if k.uniform != 0 {
		d *= k.uniform
		for _, j := range nbr {
			f[j] += d
		}
		return
	}
	jint := p.JInt[p.Start[i]:p.Start[i+1]]
	jint = jint[:len(nbr)]
	for e, j := range nbr {
		f[j] += d * int32(jint[e])
	}
}

// sweep proposes N flips to s (in typewriter order, or at random sites drawn from src)
// and returns the number accepted and the energy change divided by 2.
func (k *annealInt) sweep(s []int8, src *rand.PCG, random bool) (acc int64, half int) {
	k.acc, k.half = 0, 0
	if random {
		k.sweepRandom(s, src)
	} else {
		k.sweepTypewriter(s, src)
	}
	return k.acc, k.half
}

// sweepTypewriter is sweep in typewriter order.
func (k *annealInt) sweepTypewriter(s []int8, src *rand.PCG) {
	rng := *src
	f := k.f
	s = s[:len(f)]
	tab := k.tab
	var buf uint64 // unused random bytes, low byte next
	var nb int     // how many
	for i := range f {
		x := int32(s[i]) * f[i]
		if x > 0 {
			if nb == 0 {
				buf, nb = rng.Uint64(), 8
			}
			u := buf & 255
			buf >>= 8
			nb--
			t := &tab[x]
			if u > t.t8 || u == t.t8 && rng.Uint64()>>11 >= t.frac {
				continue
			}
		}
		k.flip(s, i, x)
	}
	*src = rng
}

// sweepRandom is sweep at N sites drawn uniformly at random.
func (k *annealInt) sweepRandom(s []int8, src *rand.PCG) {
	rng := *src
	f := k.f
	n := len(f)
	s = s[:n]
	tab := k.tab
	var buf uint64
	var nb int
	for range n {
		hi, _ := bits.Mul64(rng.Uint64(), uint64(n))
		i := int(hi)
		x := int32(s[i]) * f[i]
		if x > 0 {
			if nb == 0 {
				buf, nb = rng.Uint64(), 8
			}
			u := buf & 255
			buf >>= 8
			nb--
			t := &tab[x]
			if u > t.t8 || u == t.t8 && rng.Uint64()>>11 >= t.frac {
				continue
			}
		}
		k.flip(s, i, x)
	}
	*src = rng
}

// quench flips spins whose flip lowers the energy, in typewriter order, until none is
// left: s ends in a local minimum (every ΔE ≥ 0). It returns the number of sweeps made
// (the last one flips nothing), the flips, and the energy change divided by 2.
func (k *annealInt) quench(s []int8) (sweeps int, flips int64, half int) {
	n := len(k.f)
	s = s[:n]
	f := k.f[:n]
	start, nbr, jint := k.p.Start[:n+1], k.p.Nbr, k.p.JInt
	for {
		sweeps++
		var acc int64
		for i := range f {
			x := int32(s[i]) * f[i]
			if x >= 0 {
				continue
			}
			si := -s[i]
			s[i] = si
			half += int(x)
			acc++
			d := 2 * int32(si)
			for e := start[i]; e < start[i+1]; e++ {
				f[nbr[e]] += d * int32(jint[e])
			}
		}
		flips += acc
		if acc == 0 {
			return sweeps, flips, half
		}
	}
}

// quenchAny is quench for any model, through DeltaE. Exact arithmetic would make it end
// (the energy falls with every flip), but round-off could in principle make a few
// spins with ΔE ≈ 0 cycle, so maxSweeps bounds it. It returns the sweeps made, the flips
// and the energy change.
func quenchAny(m models.Model, s []int8, maxSweeps int) (sweeps int, flips int64, de float64) {
	for sweeps < maxSweeps {
		sweeps++
		var acc int64
		for i := range s {
			if d := m.DeltaE(s, i); d < 0 {
				s[i] = -s[i]
				de += d
				acc++
			}
		}
		flips += acc
		if acc == 0 {
			break
		}
	}
	return sweeps, flips, de
}
