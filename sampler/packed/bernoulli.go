package packed

import (
	"math"
	"math/bits"
)

// byteBernoulli draws a byte of 8 independent Bernoulli(q) bits from a 16-bit uniform
// index by inverse transform: the byte values 0…255, with probabilities
// q^popcount(b)·(1−q)^(8−popcount(b)), split [0, 1) into 256 intervals, and cell k of
// 2^16 equal cells maps to the byte whose interval contains it. A cell that straddles an
// interval boundary (at most 255 of 65536) is marked ambiguous and resolved from a
// further 53 random bits, so the bytes have the exact probabilities to double precision.
//
// When 64q < sparseBelow (rare acceptances, as for ΔE = 8 and 12 at low T) a mask is
// drawn sparsely instead: the number of ones K ~ Binomial(64, q) by inverse transform
// from one word (kcdf), then K distinct uniform positions; usually K = 0 and one word
// suffices.
type byteBernoulli struct {
	t      [1 << 16]uint16 // byte value, | ambiguous when the cell straddles a boundary
	cdf    [257]float64
	sparse bool
	kmax   int        // K ≤ kmax: P(K ≤ kmax) rounds to 1
	kcdf   [65]uint64 // P(K ≤ k) as a 64-bit binary fraction
}

const ambiguous = 0x100

func newByteBernoulli(q float64) *byteBernoulli {
	bb := new(byteBernoulli)
	for b := range 256 {
		k := bits.OnesCount8(uint8(b))
		p := 1.0
		for i := range 8 {
			if i < k {
				p *= q
			} else {
				p *= 1 - q
			}
		}
		bb.cdf[b+1] = bb.cdf[b] + p
	}
	bb.cdf[256] = 1
	if 64*q < sparseBelow {
		bb.sparse = true
		pk := math.Pow(1-q, 64) // P(K = 0)
		c := 0.0
		for k := 0; k <= 64; k++ {
			c += pk
			if c >= 1-0x1p-53 || k == 64 {
				bb.kmax = k
				break
			}
			bb.kcdf[k] = fixed64(c)
			pk *= float64(64-k) / float64(k+1) * q / (1 - q)
		}
	}
	b := 0
	for k := range bb.t {
		lo, hi := float64(k)*0x1p-16, float64(k+1)*0x1p-16
		for bb.cdf[b+1] <= lo {
			b++
		}
		bb.t[k] = uint16(b)
		if bb.cdf[b+1] < hi {
			bb.t[k] |= ambiguous
		}
	}
	return bb
}

// resolve returns the byte for cell k (candidate byte b) given f, uniform in [0, 1).
func (bb *byteBernoulli) resolve(k uint16, b int, f float64) uint64 {
	u := (float64(k) + f) * 0x1p-16
	for u >= bb.cdf[b+1] {
		b++
	}
	return uint64(b)
}

// mask returns 64 independent Bernoulli(q) bits drawn with two words from g (more, with
// probability below 4%, when a cell is ambiguous).
func (g *xoshiro) mask(bb *byteBernoulli) uint64 {
	if bb.sparse {
		return g.sparseMask(bb)
	}
	r0, r1 := g.next(), g.next()
	t := &bb.t
	v0, v1, v2, v3 := t[uint16(r0)], t[uint16(r0>>16)], t[uint16(r0>>32)], t[uint16(r0>>48)]
	v4, v5, v6, v7 := t[uint16(r1)], t[uint16(r1>>16)], t[uint16(r1>>32)], t[uint16(r1>>48)]
	if (v0|v1|v2|v3|v4|v5|v6|v7)&ambiguous != 0 {
		return g.maskSlow(bb, r0, r1)
	}
	return uint64(v0) | uint64(v1)<<8 | uint64(v2)<<16 | uint64(v3)<<24 |
		uint64(v4)<<32 | uint64(v5)<<40 | uint64(v6)<<48 | uint64(v7)<<56
}

// maskSlow is mask when some cell of r0, r1 is ambiguous.
func (g *xoshiro) maskSlow(bb *byteBernoulli, r0, r1 uint64) uint64 {
	var m uint64
	for i := range 8 {
		r := r0
		if i >= 4 {
			r = r1
		}
		k := uint16(r >> (16 * (i % 4)))
		v := uint64(bb.t[k])
		if v&ambiguous != 0 {
			v = bb.resolve(k, int(v&0xff), float64(g.next()>>11)*0x1p-53)
		}
		m |= v << (8 * i)
	}
	return m
}

// sparseMask draws K ~ Binomial(64, q) and then K distinct uniform positions.
func (g *xoshiro) sparseMask(bb *byteBernoulli) uint64 {
	u, k := g.next(), 0
	for k < bb.kmax && u >= bb.kcdf[k] {
		k++
	}
	var m uint64
	for bits.OnesCount64(m) < k {
		m |= 1 << (g.next() >> 58)
	}
	return m
}

// sparseBelow is the expected number of ones per mask below which masks are drawn
// sparsely (3 was slower on 2D Ising at T_c, where 64q₂ ≈ 1.9).
const sparseBelow = 1
