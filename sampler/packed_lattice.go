package sampler

import "math/bits"

// The four kernels below differ only in the lattice (2D, 3D) and in how lanes are
// decided (independent or shared draws). They are written out, with the xoshiro256++
// state in local variables, because the generator's state round trip through memory
// would otherwise sit on the critical path of every round.
//
// Independent lanes: for each class k of lanes with ΔE = 4k > 0 present at a site, a
// mask of 64 independent Bernoulli(q_k = e^{−4βk}) bits is drawn (two random words and
// eight table lookups, see byteBernoulli), and the lanes of class k flip where it is set.
// Each lane uses only its own bit of the masks of its own class, so lanes are independent
// and every lane is an exact Metropolis chain.

// packedSweep2D sweeps the square lattice in typewriter order with independent lanes and
// returns the number of accepted lane updates. A lane with u unsatisfied bonds has
// ΔE = 4(2 − u).
func packedSweep2D(m *PackedModel, pm *PackedMetropolis, s []uint64, x xoshiro) int {
	b1, b2 := pm.bern[0], pm.bern[1]
	g := &x
	l := m.Lattice.L
	jx, jy := m.J[0], m.J[1]
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
			a1, c1 := e0^e1, e0&e1
			a2, c2 := e2^e3, e2&e3
			always := c1 | c2 | a1&a2 // u ≥ 2: ΔE ≤ 0
			some := e0 | e1 | e2 | e3
			k1, k2 := some&^always, ^some // u = 1, 0: ΔE = 4, 8
			flip := always
			if k1 != 0 {
				flip |= k1 & g.mask(b1)
			}
			if k2 != 0 {
				flip |= k2 & g.mask(b2)
			}
			s[i] = si ^ flip
			acc += bits.OnesCount64(flip)
		}
	}
	return acc
}

// packedSweep2DShared is packedSweep2D with one uniform per site shared by all lanes.
func packedSweep2DShared(m *PackedModel, pm *PackedMetropolis, s []uint64, x xoshiro) int {
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
			a1, c1 := e0^e1, e0&e1
			a2, c2 := e2^e3, e2&e3
			always := c1 | c2 | a1&a2 // u ≥ 2: ΔE ≤ 0
			some := e0 | e1 | e2 | e3
			k1, k2 := some&^always, ^some // u = 1, 0: ΔE = 4, 8
			r := bits.RotateLeft64(s0+s3, 23) + s0
			t := s1 << 17
			s2 ^= s0
			s3 ^= s1
			s1 ^= s2
			s0 ^= s3
			s2 ^= t
			s3 = bits.RotateLeft64(s3, 45)
			flip := always | k1&ltMask(r, q1) | k2&ltMask(r, q2)
			s[i] = si ^ flip
			acc += bits.OnesCount64(flip)
		}
	}
	return acc
}

// packedSweep3D sweeps the cubic lattice in typewriter order with independent lanes and
// returns the number of accepted lane updates. A lane with u unsatisfied bonds has
// ΔE = 4(3 − u).
func packedSweep3D(m *PackedModel, pm *PackedMetropolis, s []uint64, x xoshiro) int {
	b1, b2, b3 := pm.bern[0], pm.bern[1], pm.bern[2]
	g := &x
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
				// Two full adders, then the sum of their sums and carries.
				ha := e0 ^ e1
				sa, ca := ha^e2, e0&e1|ha&e2
				hb := e3 ^ e4
				sb, cb := hb^e5, e3&e4|hb&e5
				b0, c0 := sa^sb, sa&sb
				ht := ca ^ cb
				t0, t1 := ht^c0, ca&cb|ht&c0 // u = b0 + 2·t0 + 4·t1
				always := t1 | t0&b0         // u ≥ 3: ΔE ≤ 0
				k1 := t0 &^ t1 &^ b0         // u = 2: ΔE = 4
				k2 := b0 &^ t0 &^ t1         // u = 1: ΔE = 8
				k3 := ^(t1 | t0 | b0)        // u = 0: ΔE = 12
				flip := always
				if k1 != 0 {
					flip |= k1 & g.mask(b1)
				}
				if k2 != 0 {
					flip |= k2 & g.mask(b2)
				}
				if k3 != 0 {
					flip |= k3 & g.mask(b3)
				}
				s[i] = si ^ flip
				acc += bits.OnesCount64(flip)
			}
		}
	}
	return acc
}

// packedSweep3DShared is packedSweep3D with one uniform per site shared by all lanes.
func packedSweep3DShared(m *PackedModel, pm *PackedMetropolis, s []uint64, x xoshiro) int {
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
				// Two full adders, then the sum of their sums and carries.
				ha := e0 ^ e1
				sa, ca := ha^e2, e0&e1|ha&e2
				hb := e3 ^ e4
				sb, cb := hb^e5, e3&e4|hb&e5
				b0, c0 := sa^sb, sa&sb
				ht := ca ^ cb
				t0, t1 := ht^c0, ca&cb|ht&c0 // u = b0 + 2·t0 + 4·t1
				always := t1 | t0&b0         // u ≥ 3: ΔE ≤ 0
				k1 := t0 &^ t1 &^ b0         // u = 2: ΔE = 4
				k2 := b0 &^ t0 &^ t1         // u = 1: ΔE = 8
				k3 := ^(t1 | t0 | b0)        // u = 0: ΔE = 12
				r := bits.RotateLeft64(s0+s3, 23) + s0
				t := s1 << 17
				s2 ^= s0
				s3 ^= s1
				s1 ^= s2
				s0 ^= s3
				s2 ^= t
				s3 = bits.RotateLeft64(s3, 45)
				flip := always | k1&ltMask(r, q1) | k2&ltMask(r, q2) | k3&ltMask(r, q3)
				s[i] = si ^ flip
				acc += bits.OnesCount64(flip)
			}
		}
	}
	return acc
}
