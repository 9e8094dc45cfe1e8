//go:build goexperiment.simd && amd64

package packed

import "simd/archsimd"

type vec = archsimd.Uint64x8

// countSIMD reports whether the span kernels of laneCount run vector code: only in builds
// with GOEXPERIMENT=simd on amd64 (Go's archsimd; count_amd64.s is the assembly of the
// other builds), on a CPU with AVX-512.
var countSIMD = archsimd.X86.AVX512()

// The word sources of spanSIMD: the vector of words k … k+7 of
const (
	srcA     = iota // a
	srcAB           // a ⊕ b
	srcABD          // a ⊕ b ⊕ d
	srcABDw         // a ⊕ b ⊕ d[k/8] (d one word per site of a wide chain)
	srcABDE         // a ⊕ b ⊕ d ⊕ e
	wideSite = WideWords
)

// words returns the vector of the words k … k+7 of source src.
func words(src int, a, b, d, e []uint64, k int) vec {
	x := archsimd.LoadUint64x8Slice(a[k : k+8])
	switch src {
	case srcAB:
		x = x.Xor(archsimd.LoadUint64x8Slice(b[k : k+8]))
	case srcABD:
		x = x.Xor(archsimd.LoadUint64x8Slice(b[k : k+8])).Xor(archsimd.LoadUint64x8Slice(d[k : k+8]))
	case srcABDw:
		x = x.Xor(archsimd.LoadUint64x8Slice(b[k : k+8])).Xor(archsimd.BroadcastUint64x8(d[k/wideSite]))
	case srcABDE:
		x = x.Xor(archsimd.LoadUint64x8Slice(b[k : k+8])).Xor(archsimd.LoadUint64x8Slice(d[k : k+8])).
			Xor(archsimd.LoadUint64x8Slice(e[k : k+8]))
	}
	return x
}

// vcsa is csa on vectors.
func vcsa(a, b, c vec) (h, l vec) {
	u := a.Xor(b)
	return a.And(b).Or(u.And(c)), u.Xor(c)
}

// spanSIMD counts the words of source src over a[0 : len(a)], word k in phase k mod 8:
// the eight phases are the eight elements of the vectors. Blocks of 128 words go through
// the Harley–Seal tree, the remaining vectors through a ripple-carry addition, the rest
// word by word.
func (c *laneCount) spanSIMD(src int, a, b, d, e []uint64) {
	n := len(a)
	ones, twos := archsimd.LoadUint64x8(&c.ones), archsimd.LoadUint64x8(&c.twos)
	fours, eights := archsimd.LoadUint64x8(&c.fours), archsimd.LoadUint64x8(&c.eights)
	zero := archsimd.BroadcastUint64x8(0)
	k := 0
	for ; k+wideBlock <= n; k += wideBlock {
		var twosA, twosB, foursA, foursB, eightsA, eightsB, sixteens vec
		twosA, ones = vcsa(ones, words(src, a, b, d, e, k), words(src, a, b, d, e, k+8))
		twosB, ones = vcsa(ones, words(src, a, b, d, e, k+16), words(src, a, b, d, e, k+24))
		foursA, twos = vcsa(twos, twosA, twosB)
		twosA, ones = vcsa(ones, words(src, a, b, d, e, k+32), words(src, a, b, d, e, k+40))
		twosB, ones = vcsa(ones, words(src, a, b, d, e, k+48), words(src, a, b, d, e, k+56))
		foursB, twos = vcsa(twos, twosA, twosB)
		eightsA, fours = vcsa(fours, foursA, foursB)
		twosA, ones = vcsa(ones, words(src, a, b, d, e, k+64), words(src, a, b, d, e, k+72))
		twosB, ones = vcsa(ones, words(src, a, b, d, e, k+80), words(src, a, b, d, e, k+88))
		foursA, twos = vcsa(twos, twosA, twosB)
		twosA, ones = vcsa(ones, words(src, a, b, d, e, k+96), words(src, a, b, d, e, k+104))
		twosB, ones = vcsa(ones, words(src, a, b, d, e, k+112), words(src, a, b, d, e, k+120))
		foursB, twos = vcsa(twos, twosA, twosB)
		eightsB, fours = vcsa(fours, foursA, foursB)
		sixteens, eights = vcsa(eights, eightsA, eightsB)
		c.ripple(sixteens, zero)
	}
	// The remaining vectors one at a time, by ripple-carry addition.
	for ; k+WideWords <= n; k += WideWords {
		x := words(src, a, b, d, e, k)
		t := ones.And(x)
		ones = ones.Xor(x)
		u := twos.And(t)
		twos = twos.Xor(t)
		t = fours.And(u)
		fours = fours.Xor(u)
		c.ripple(eights.And(t), zero)
		eights = eights.Xor(t)
	}
	ones.Store(&c.ones)
	twos.Store(&c.twos)
	fours.Store(&c.fours)
	eights.Store(&c.eights)
	for ; k < n; k++ {
		var x uint64
		switch src {
		case srcA:
			x = a[k]
		case srcAB:
			x = a[k] ^ b[k]
		case srcABD:
			x = a[k] ^ b[k] ^ d[k]
		case srcABDw:
			x = a[k] ^ b[k] ^ d[k/wideSite]
		default:
			x = a[k] ^ b[k] ^ d[k] ^ e[k]
		}
		c.add(k&(WideWords-1), x)
	}
}

// ripple adds sixteens (weight 16) to the ripple counter, all phases at once.
func (c *laneCount) ripple(sixteens, zero vec) {
	for p := 0; p < len(c.hi); p++ {
		if sixteens.Equal(zero).ToBits() == 0xff {
			break
		}
		h := archsimd.LoadUint64x8(&c.hi[p])
		h.Xor(sixteens).Store(&c.hi[p])
		sixteens = h.And(sixteens)
	}
}

func (c *laneCount) span1SIMD(a []uint64)       { c.spanSIMD(srcA, a, nil, nil, nil) }
func (c *laneCount) span2SIMD(a, b []uint64)    { c.spanSIMD(srcAB, a, b[:len(a)], nil, nil) }
func (c *laneCount) span3SIMD(a, b, j []uint64) { c.spanSIMD(srcABD, a, b[:len(a)], j[:len(a)], nil) }
func (c *laneCount) wspan3SIMD(a, b, j []uint64) {
	c.spanSIMD(srcABDw, a, b[:len(a)], j[:len(a)/wideSite], nil)
}
func (c *laneCount) span4SIMD(a, b, d, e []uint64) {
	c.spanSIMD(srcABDE, a, b[:len(a)], d[:len(a)], e[:len(a)])
}
