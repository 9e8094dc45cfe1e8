package sampler

import (
	"fmt"
	"math"
	"math/bits"
	"math/rand/v2"

	"github.com/deepglass/deepglass/models"
)

// Random numbers. Every sampler turns one 64-bit draw k into a uniform
// u = (k>>11)·2⁻⁵³ ∈ [0, 1) and accepts an event of probability p iff u < p. Integer
// kernels compare k>>11 with threshold(p) = ⌈p·2⁵³⌉ instead, which is the same decision
// for every k (k>>11 is an integer and p·2⁵³ is exact), so integer and float kernels
// consume the same draws and take the same decisions.

// TieAcceptance is the probability with which Metropolis in typewriter order (and every
// packed kernel, which sweeps in index order) accepts a flip with ΔE = 0: the tie rule
// (see [Metropolis]). Any value in (0, 1] keeps detailed balance; 1 makes every ΔE ≤ 0
// flip forced, which lets a deterministic sweep cycle forever (rings, the staircase
// domain wall of every torus, Hopfield models); 1/2 frees them but slows critical
// dynamics (τ_int of the 2D Ising model at T_c, L = 16: 26 sweeps instead of 10 for
// |m|); 15/16 frees them at a 10% cost (11.3). It is a power-of-two fraction so that
// the packed kernels draw it exactly: as the OR of four random bits (64-lane kernels),
// or as a four-bit comparison sharing the random words of the other classes (wide kernels).
const TieAcceptance = 15.0 / 16

// uniform returns a uniform float64 in [0, 1) from the top 53 bits of one draw.
func uniform(src *rand.PCG) float64 { return float64(src.Uint64()>>11) * 0x1p-53 }

// threshold returns ⌈p·2⁵³⌉ for p ∈ [0, 1]: a draw k has (k>>11)·2⁻⁵³ < p iff
// k>>11 < threshold(p). It panics if p is NaN or outside [0, 1].
func threshold(p float64) uint64 {
	if !(p >= 0 && p <= 1) {
		panic(fmt.Sprintf("sampler: probability %v outside [0, 1]", p))
	}
	return uint64(math.Ceil(p * 0x1p53))
}

// site returns a site index in [0, n) from one draw by Lemire's multiply-shift. It has
// no rejection step, so some sites are more likely than others by at most n/2⁶⁴.
func site(src *rand.PCG, n uint64) int {
	hi, _ := bits.Mul64(src.Uint64(), n)
	return int(hi)
}

// checkBeta panics unless β ∈ [0, +∞].
func checkBeta(who string, beta float64) {
	if !(beta >= 0) {
		panic(fmt.Sprintf("sampler: %s with β = %v (want β ≥ 0)", who, beta))
	}
}

// checkChain panics unless c is a usable chain of an n-spin model.
func checkChain(who string, c *Chain, n int) {
	if c == nil || c.Src == nil {
		panic("sampler: " + who + " needs a chain with a random source")
	}
	if len(c.S) != n {
		panic(fmt.Sprintf("sampler: %s: chain has %d spins, model has %d", who, len(c.S), n))
	}
}

// checkOrder panics unless o is a known Order.
func checkOrder(who string, o Order) {
	if o != Typewriter && o != RandomSite {
		panic(fmt.Sprintf("sampler: %s with unknown order %d", who, int(o)))
	}
}

// latticeInt is an integer Sparse model on a periodic square (Dim 2) or cubic (Dim 3)
// lattice of side L ≥ 3, laid out for kernels that find neighbours by index arithmetic.
// For site i, j[2·Dim·i + 2d] is the coupling to i+e_d and j[2·Dim·i + 2d + 1] the
// coupling to i−e_d (axis d = 0, 1, 2 is x, y, z); h is the model's HInt. If every
// coupling equals the same J0 > 0 and every field is zero (the Ising ferromagnet),
// uniform is J0 and kernels need neither j nor h; otherwise uniform is 0.
type latticeInt struct {
	dim, l  int
	j       []int8
	h       []int8
	uniform int
}

// newLatticeInt returns the lattice layout of p, or nil if p has no integer couplings,
// no square or cubic lattice of side ≥ 3, or a CSR structure that is not exactly the
// lattice's (every site coupled once to each of its 2·Dim neighbours).
func newLatticeInt(p *models.Sparse) *latticeInt {
	if p.JInt == nil || p.Lattice == nil {
		return nil
	}
	lat := *p.Lattice
	if (lat.Dim != 2 && lat.Dim != 3) || lat.L < 3 || lat.N() != p.N() {
		return nil
	}
	z := 2 * lat.Dim
	li := &latticeInt{dim: lat.Dim, l: lat.L, j: make([]int8, z*p.N()), h: p.HInt}
	for i := 0; i < p.N(); i++ {
		if p.Degree(i) != z {
			return nil
		}
		var seen [6]bool
		for k := p.Start[i]; k < p.Start[i+1]; k++ {
			nb := int(p.Nbr[k])
			slot := -1
			for d := 0; d < lat.Dim && slot < 0; d++ {
				switch nb {
				case lat.Step(i, d, +1):
					slot = 2 * d
				case lat.Step(i, d, -1):
					slot = 2*d + 1
				}
			}
			if slot < 0 || seen[slot] {
				return nil
			}
			seen[slot] = true
			li.j[z*i+slot] = p.JInt[k]
		}
	}
	li.uniform = int(li.j[0])
	for _, j := range li.j {
		if int(j) != li.uniform {
			li.uniform = 0
		}
	}
	for _, h := range li.h {
		if h != 0 {
			li.uniform = 0
		}
	}
	if li.uniform < 0 {
		li.uniform = 0
	}
	return li
}
