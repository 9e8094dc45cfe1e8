package packed

// Bit-sliced counting of the lane observables (energies, magnetizations, overlaps, link
// overlaps of packed and wide chains).
//
// Each observable is a count, lane by lane, of the set bits of a stream of words (bond
// words s_i ⊕ s_j ⊕ J_ij, spin words, overlap words). laneCount adds words with
// carry-save adders in the scheme of Harley and Seal (Muła, Kurz and Lemire, "Faster
// population counts using AVX2 instructions", Comput. J. 61, 111 (2018), §3, applied to
// vertical counters): sixteen words at a time go through fifteen carry-save adders into
// four planes of weights 1, 2, 4, 8, and the carries of weight 16 into a ripple counter
// (laneAcc.add1, one call per sixteen words). That is five logic operations per word
// instead of a ripple-carry addition per word.
//
// Words are counted in spans: runs of consecutive sites whose words come from
// consecutive array elements (the bonds of one axis over the whole lattice, with a few
// corrections at the periodic boundaries). A counter has eight phases with their own
// planes: in a wide chain, word k of a span belongs to phase k mod 8, the lane group of
// WideChain word w = k mod 8; 64-lane chains use phase 0 (or, with the vector kernels,
// all eight, added up at the end).

// laneCount counts set bits lane by lane in eight phases: lane ℓ of phase w has
// ones + 2·twos + 4·fours + 8·eights + 16·hi (bit ℓ of each plane of phase w).
type laneCount struct {
	ones, twos, fours, eights [WideWords]uint64
	hi                        [40][WideWords]uint64 // hi[k][w]: bit plane k of phase w's count of weight 16
}

// csa is a carry-save adder (a full adder on 64 bit positions): h·2 + l = a + b + c.
func csa(a, b, c uint64) (h, l uint64) {
	u := a ^ b
	return a&b | u&c, u ^ c
}

// add adds the bits of x to phase w.
func (c *laneCount) add(w int, x uint64) {
	t := c.ones[w] & x
	c.ones[w] ^= x
	u := c.twos[w] & t
	c.twos[w] ^= t
	t = c.fours[w] & u
	c.fours[w] ^= u
	u = c.eights[w] & t
	c.eights[w] ^= t
	if u != 0 {
		c.addHi(w, u)
	}
}

// addHi adds the bits of x (weight 16) to phase w's ripple counter.
func (c *laneCount) addHi(w int, x uint64) {
	for k := 0; x != 0; k++ {
		t := c.hi[k][w] & x
		c.hi[k][w] ^= x
		x = t
	}
}

// hiTop reports whether planes k and above of phase w are all zero.
func (c *laneCount) hiTop(w, k int) bool {
	for ; k < len(c.hi); k++ {
		if c.hi[k][w] != 0 {
			return false
		}
	}
	return true
}

// phaseLanes sets dst[ℓ] += sign·(count of lane ℓ in phase w), for the 64 lanes.
func (c *laneCount) phaseLanes(dst []int64, w int, sign int64) {
	dst = dst[:Lanes]
	top := len(c.hi)
	for top > 0 && c.hi[top-1][w] == 0 {
		top--
	}
	o, t, f, e := c.ones[w], c.twos[w], c.fours[w], c.eights[w]
	for l := range dst {
		v := int64(o>>l&1) | int64(t>>l&1)<<1 | int64(f>>l&1)<<2 | int64(e>>l&1)<<3
		var h int64
		for k := range top {
			h |= int64(c.hi[k][w]>>l&1) << k
		}
		dst[l] += sign * (v + h<<4)
	}
}

// sumLanes sets dst[ℓ] += sign·(count of lane ℓ summed over the phases): the counts of
// a 64-lane chain.
func (c *laneCount) sumLanes(dst []int64, sign int64) {
	for w := range WideWords {
		if c.ones[w]|c.twos[w]|c.fours[w]|c.eights[w] != 0 || !c.hiTop(w, 0) {
			c.phaseLanes(dst, w, sign)
		}
	}
}

// wideLanes sets dst[64w + ℓ] += sign·(count of lane ℓ in phase w): the counts of a wide
// chain.
func (c *laneCount) wideLanes(dst []int64, sign int64) {
	for w := range WideWords {
		c.phaseLanes(dst[Lanes*w:Lanes*(w+1)], w, sign)
	}
}

// The span kernels add the words f(k) for k = 0 … n−1 of their arguments' elements. The
// 64-lane kernels (span1 … span4) count whole blocks of sixteen words in phase 0; the
// wide kernels (wspan1 … wspan4) count sixteen sites (128 words) at a time, word k in
// phase k mod 8, and the J of wspan3 is one word per site. Spans shorter than a block,
// and the rest of longer ones, go word by word. On a CPU with AVX-512 the kernels are
// vector code (count_amd64.s) that puts word k in phase k mod 8 in both cases, with the
// same totals.

// wideBlock is the number of words of a block of sixteen sites of a wide chain.
const wideBlock = 16 * WideWords

// span1 counts a[k].
func (c *laneCount) span1(a []uint64) {
	if countSIMD {
		c.span1SIMD(a)
	} else {
		c.span1Scalar(a)
	}
}

// span2 counts a[k] ⊕ b[k].
func (c *laneCount) span2(a, b []uint64) {
	if countSIMD {
		c.span2SIMD(a, b)
	} else {
		c.span2Scalar(a, b)
	}
}

// span3 counts a[k] ⊕ b[k] ⊕ j[k].
func (c *laneCount) span3(a, b, j []uint64) {
	if countSIMD {
		c.span3SIMD(a, b, j)
	} else {
		c.span3Scalar(a, b, j)
	}
}

// span4 counts a[k] ⊕ b[k] ⊕ d[k] ⊕ e[k].
func (c *laneCount) span4(a, b, d, e []uint64) {
	if countSIMD {
		c.span4SIMD(a, b, d, e)
	} else {
		c.span4Scalar(a, b, d, e)
	}
}

// wspan1 counts a[k] in phase k mod 8 (len(a) a multiple of 8).
func (c *laneCount) wspan1(a []uint64) {
	if countSIMD {
		c.span1SIMD(a) // phases are vector elements: the same kernel
	} else {
		c.wspan1Scalar(a)
	}
}

// wspan2 counts a[k] ⊕ b[k] in phase k mod 8.
func (c *laneCount) wspan2(a, b []uint64) {
	if countSIMD {
		c.span2SIMD(a, b)
	} else {
		c.wspan2Scalar(a, b)
	}
}

// wspan3 counts a[k] ⊕ b[k] ⊕ j[k/8] in phase k mod 8 (len(a) = 8·len(j)).
func (c *laneCount) wspan3(a, b, j []uint64) {
	if countSIMD {
		c.wspan3SIMD(a, b, j)
	} else {
		c.wspan3Scalar(a, b, j)
	}
}

// wspan4 counts a[k] ⊕ b[k] ⊕ d[k] ⊕ e[k] in phase k mod 8.
func (c *laneCount) wspan4(a, b, d, e []uint64) {
	if countSIMD {
		c.span4SIMD(a, b, d, e)
	} else {
		c.wspan4Scalar(a, b, d, e)
	}
}
