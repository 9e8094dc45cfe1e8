package packed

import "math/bits"

// The four kernels below differ only in the lattice (2D, 3D) and in how lanes are
// decided (independent or shared draws). They are written out, with the xoshiro256++
// state in local variables (xoStep is inlined), because the generator's state round
// trip through memory would otherwise sit on the critical path of every draw.
//
// Independent lanes: a lane of class k (ΔE = 4k > 0) must flip with probability
// q^k, q = e^{−4β}. Masks M_a, M_b, M_c of 64 independent Bernoulli(q) bits (two random
// words and eight lookups in one table, see byteBernoulli) decide: class 1 flips where
// M_a is set, class 2 where M_a and M_b are, class 3 where all three are. A lane reads
// only its own bits, so lanes are independent and every lane is an exact Metropolis
// chain; M_b (M_c) is drawn only when a lane of a higher class survived M_a (and M_b).
// One table for every class keeps the kernel's memory small.

// A mask is two xoStep outputs and eight lookups (tableHalf), written out in the
// kernels so that nothing is called on the fast path; resolveMask handles ambiguous
// cells. (The tables of small q are complete too: the sparse draw of xoshiro.mask is
// not used here.)
// packedSweep2D sweeps the square lattice in typewriter order with independent lanes and
// returns the number of accepted lane updates. A lane with u unsatisfied bonds has
// ΔE = 4(2 − u).
func packedSweep2D(m *Model, pm *Metropolis, s []uint64, x xoshiro) int {
	bb := pm.bern[0]
	tb := &bb.t
	l := m.Lattice.L
	jx, jy := m.J[0], m.J[1]
	s0, s1, s2, s3 := x.s0, x.s1, x.s2, x.s3
	acc := 0
	for y := 0; y < l; y++ {
		row := y * l
		up := (y + l - 1) % l * l
		dn := (y + 1) % l * l
		for xx := 0; xx < l; xx++ {
			xl := xx - 1
			if xx == 0 {
				xl = l - 1
			}
			xr := xx + 1
			if xr == l {
				xr = 0
			}
			i := row + xx
			si := s[i]
			e0 := si ^ s[row+xr] ^ jx[i]
			e1 := si ^ s[row+xl] ^ jx[row+xl]
			e2 := si ^ s[dn+xx] ^ jy[i]
			e3 := si ^ s[up+xx] ^ jy[up+xx]
			always, tie, k1, k2 := classify2D(e0, e1, e2, e3) // u ≥ 3 unsatisfied bonds, u = 2 (ΔE = 0), u = 1, 0
			flip := always
			if tie != 0 { // flip with probability 15/16 = TieAcceptance: the OR of four random bits
				var r0, r1, r2, r3 uint64
				s0, s1, s2, s3, r0 = xoStep(s0, s1, s2, s3)
				s0, s1, s2, s3, r1 = xoStep(s0, s1, s2, s3)
				s0, s1, s2, s3, r2 = xoStep(s0, s1, s2, s3)
				s0, s1, s2, s3, r3 = xoStep(s0, s1, s2, s3)
				flip |= tie & (r0 | r1 | r2 | r3)
			}
			if k1|k2 != 0 {
				var ma uint64
				{
					var r0, r1 uint64
					s0, s1, s2, s3, r0 = xoStep(s0, s1, s2, s3)
					s0, s1, s2, s3, r1 = xoStep(s0, s1, s2, s3)
					lo, f0 := tableHalf(tb, r0)
					hi, f1 := tableHalf(tb, r1)
					ma = lo | hi<<32
					if (f0|f1)&ambiguous != 0 {
						s0, s1, s2, s3, ma = resolveMask(bb, &x, s0, s1, s2, s3, r0, r1)
					}
				}
				flip |= k1 & ma
				if k2 &= ma; k2 != 0 {
					var mb uint64
					{
						var r0, r1 uint64
						s0, s1, s2, s3, r0 = xoStep(s0, s1, s2, s3)
						s0, s1, s2, s3, r1 = xoStep(s0, s1, s2, s3)
						lo, f0 := tableHalf(tb, r0)
						hi, f1 := tableHalf(tb, r1)
						mb = lo | hi<<32
						if (f0|f1)&ambiguous != 0 {
							s0, s1, s2, s3, mb = resolveMask(bb, &x, s0, s1, s2, s3, r0, r1)
						}
					}
					flip |= k2 & mb
				}
			}
			s[i] = si ^ flip
			acc += bits.OnesCount64(flip)
		}
	}
	return acc
}

// packedSweep2DShared is packedSweep2D with one uniform per site shared by all lanes.
func packedSweep2DShared(m *Model, pm *Metropolis, s []uint64, x xoshiro) int {
	q1, q2 := pm.q[0], pm.q[1]
	l := m.Lattice.L
	jx, jy := m.J[0], m.J[1]
	s0, s1, s2, s3 := x.s0, x.s1, x.s2, x.s3
	acc := 0
	for y := 0; y < l; y++ {
		row := y * l
		up := (y + l - 1) % l * l
		dn := (y + 1) % l * l
		for xx := 0; xx < l; xx++ {
			xl := xx - 1
			if xx == 0 {
				xl = l - 1
			}
			xr := xx + 1
			if xr == l {
				xr = 0
			}
			i := row + xx
			si := s[i]
			e0 := si ^ s[row+xr] ^ jx[i]
			e1 := si ^ s[row+xl] ^ jx[row+xl]
			e2 := si ^ s[dn+xx] ^ jy[i]
			e3 := si ^ s[up+xx] ^ jy[up+xx]
			always, tie, k1, k2 := classify2D(e0, e1, e2, e3) // u ≥ 3 unsatisfied bonds, u = 2 (ΔE = 0), u = 1, 0
			r := bits.RotateLeft64(s0+s3, 23) + s0
			t := s1 << 17
			s2 ^= s0
			s3 ^= s1
			s1 ^= s2
			s0 ^= s3
			s2 ^= t
			s3 = bits.RotateLeft64(s3, 45)
			flip := always | tie&ltMask(r, tieQ) | k1&ltMask(r, q1) | k2&ltMask(r, q2)
			s[i] = si ^ flip
			acc += bits.OnesCount64(flip)
		}
	}
	return acc
}

// packedSweep3D sweeps the cubic lattice in typewriter order with independent lanes and
// returns the number of accepted lane updates. A lane with u unsatisfied bonds has
// ΔE = 4(3 − u).
func packedSweep3D(m *Model, pm *Metropolis, s []uint64, x xoshiro) int {
	bb := pm.bern[0]
	tb := &bb.t
	s0, s1, s2, s3 := x.s0, x.s1, x.s2, x.s3
	l := m.Lattice.L
	l2 := l * l
	jx, jy, jz := m.J[0], m.J[1], m.J[2]
	acc := 0
	for z := 0; z < l; z++ {
		pl := z * l2
		zb := (z + l - 1) % l * l2
		zf := (z + 1) % l * l2
		for y := 0; y < l; y++ {
			row := pl + y*l
			up := pl + (y+l-1)%l*l
			dn := pl + (y+1)%l*l
			bk := zb + y*l
			fw := zf + y*l
			for xx := 0; xx < l; xx++ {
				xl := xx - 1
				if xx == 0 {
					xl = l - 1
				}
				xr := xx + 1
				if xr == l {
					xr = 0
				}
				i := row + xx
				si := s[i]
				e0 := si ^ s[row+xr] ^ jx[i]
				e1 := si ^ s[row+xl] ^ jx[row+xl]
				e2 := si ^ s[dn+xx] ^ jy[i]
				e3 := si ^ s[up+xx] ^ jy[up+xx]
				e4 := si ^ s[fw+xx] ^ jz[i]
				e5 := si ^ s[bk+xx] ^ jz[bk+xx]
				b0, t0, t1 := count6(e0, e1, e2, e3, e4, e5) // u = b0 + 2·t0 + 4·t1
				always := t1                                 // u ≥ 4: ΔE < 0
				tie := t0 & b0 &^ t1                         // u = 3: ΔE = 0, the tie rule
				k1 := t0 &^ t1 &^ b0                         // u = 2: ΔE = 4
				k2 := b0 &^ t0 &^ t1                         // u = 1: ΔE = 8
				k3 := ^(t1 | t0 | b0)                        // u = 0: ΔE = 12
				flip := always
				if tie != 0 { // flip with probability 15/16 = TieAcceptance: the OR of four random bits
					var r0, r1, r2, r3 uint64
					s0, s1, s2, s3, r0 = xoStep(s0, s1, s2, s3)
					s0, s1, s2, s3, r1 = xoStep(s0, s1, s2, s3)
					s0, s1, s2, s3, r2 = xoStep(s0, s1, s2, s3)
					s0, s1, s2, s3, r3 = xoStep(s0, s1, s2, s3)
					flip |= tie & (r0 | r1 | r2 | r3)
				}
				if k1|k2|k3 != 0 {
					var ma uint64
					{
						var r0, r1 uint64
						s0, s1, s2, s3, r0 = xoStep(s0, s1, s2, s3)
						s0, s1, s2, s3, r1 = xoStep(s0, s1, s2, s3)
						lo, f0 := tableHalf(tb, r0)
						hi, f1 := tableHalf(tb, r1)
						ma = lo | hi<<32
						if (f0|f1)&ambiguous != 0 {
							s0, s1, s2, s3, ma = resolveMask(bb, &x, s0, s1, s2, s3, r0, r1)
						}
					}
					flip |= k1 & ma
					k2 &= ma
					k3 &= ma
					if k2|k3 != 0 {
						var mb uint64
						{
							var r0, r1 uint64
							s0, s1, s2, s3, r0 = xoStep(s0, s1, s2, s3)
							s0, s1, s2, s3, r1 = xoStep(s0, s1, s2, s3)
							lo, f0 := tableHalf(tb, r0)
							hi, f1 := tableHalf(tb, r1)
							mb = lo | hi<<32
							if (f0|f1)&ambiguous != 0 {
								s0, s1, s2, s3, mb = resolveMask(bb, &x, s0, s1, s2, s3, r0, r1)
							}
						}
						flip |= k2 & mb
						if k3 &= mb; k3 != 0 {
							var mc uint64
							{
								var r0, r1 uint64
								s0, s1, s2, s3, r0 = xoStep(s0, s1, s2, s3)
								s0, s1, s2, s3, r1 = xoStep(s0, s1, s2, s3)
								lo, f0 := tableHalf(tb, r0)
								hi, f1 := tableHalf(tb, r1)
								mc = lo | hi<<32
								if (f0|f1)&ambiguous != 0 {
									s0, s1, s2, s3, mc = resolveMask(bb, &x, s0, s1, s2, s3, r0, r1)
								}
							}
							flip |= k3 & mc
						}
					}
				}
				s[i] = si ^ flip
				acc += bits.OnesCount64(flip)
			}
		}
	}
	return acc
}

// packedSweep3DShared is packedSweep3D with one uniform per site shared by all lanes.
func packedSweep3DShared(m *Model, pm *Metropolis, s []uint64, x xoshiro) int {
	q1, q2, q3 := pm.q[0], pm.q[1], pm.q[2]
	l := m.Lattice.L
	l2 := l * l
	jx, jy, jz := m.J[0], m.J[1], m.J[2]
	s0, s1, s2, s3 := x.s0, x.s1, x.s2, x.s3
	acc := 0
	for z := 0; z < l; z++ {
		pl := z * l2
		zb := (z + l - 1) % l * l2
		zf := (z + 1) % l * l2
		for y := 0; y < l; y++ {
			row := pl + y*l
			up := pl + (y+l-1)%l*l
			dn := pl + (y+1)%l*l
			bk := zb + y*l
			fw := zf + y*l
			for xx := 0; xx < l; xx++ {
				xl := xx - 1
				if xx == 0 {
					xl = l - 1
				}
				xr := xx + 1
				if xr == l {
					xr = 0
				}
				i := row + xx
				si := s[i]
				e0 := si ^ s[row+xr] ^ jx[i]
				e1 := si ^ s[row+xl] ^ jx[row+xl]
				e2 := si ^ s[dn+xx] ^ jy[i]
				e3 := si ^ s[up+xx] ^ jy[up+xx]
				e4 := si ^ s[fw+xx] ^ jz[i]
				e5 := si ^ s[bk+xx] ^ jz[bk+xx]
				b0, t0, t1 := count6(e0, e1, e2, e3, e4, e5) // u = b0 + 2·t0 + 4·t1
				always := t1                                 // u ≥ 4: ΔE < 0
				tie := t0 & b0 &^ t1                         // u = 3: ΔE = 0, the tie rule
				k1 := t0 &^ t1 &^ b0                         // u = 2: ΔE = 4
				k2 := b0 &^ t0 &^ t1                         // u = 1: ΔE = 8
				k3 := ^(t1 | t0 | b0)                        // u = 0: ΔE = 12
				r := bits.RotateLeft64(s0+s3, 23) + s0
				t := s1 << 17
				s2 ^= s0
				s3 ^= s1
				s1 ^= s2
				s0 ^= s3
				s2 ^= t
				s3 = bits.RotateLeft64(s3, 45)
				flip := always | tie&ltMask(r, tieQ) | k1&ltMask(r, q1) | k2&ltMask(r, q2) | k3&ltMask(r, q3)
				s[i] = si ^ flip
				acc += bits.OnesCount64(flip)
			}
		}
	}
	return acc
}

// xoStep returns the xoshiro256++ state advanced by one output, and that output; it
// inlines, so a kernel's generator state stays in registers.
func xoStep(s0, s1, s2, s3 uint64) (n0, n1, n2, n3, r uint64) {
	r = bits.RotateLeft64(s0+s3, 23) + s0
	t := s1 << 17
	s2 ^= s0
	s3 ^= s1
	s1 ^= s2
	s0 ^= s3
	s2 ^= t
	s3 = bits.RotateLeft64(s3, 45)
	return s0, s1, s2, s3, r
}

// tableHalf looks up four cells of t from the 16-bit fields of r: the four bytes
// packed low to high, and the OR of the entries (ambiguous set if any cell is).
func tableHalf(t *[1 << 16]uint16, r uint64) (m uint64, flags uint16) {
	v0, v1, v2, v3 := t[uint16(r)], t[uint16(r>>16)], t[uint16(r>>32)], t[uint16(r>>48)]
	return uint64(v0) | uint64(v1)<<8 | uint64(v2)<<16 | uint64(v3)<<24, v0 | v1 | v2 | v3
}

// resolveMask finishes a mask whose words r0, r1 hit an ambiguous cell, drawing the
// extra words from x, whose state is synchronised with the kernel's around the call.
func resolveMask(bb *byteBernoulli, x *xoshiro, s0, s1, s2, s3, r0, r1 uint64) (n0, n1, n2, n3, m uint64) {
	x.s0, x.s1, x.s2, x.s3 = s0, s1, s2, s3
	m = x.maskSlow(bb, r0, r1)
	return x.s0, x.s1, x.s2, x.s3, m
}
