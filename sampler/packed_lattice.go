package sampler

import "math/bits"

// packedSweep2D sweeps the square lattice in typewriter order and returns the number of
// accepted lane updates. In 2D a lane with u unsatisfied bonds has ΔE = 4(2 − u).
func packedSweep2D(m *PackedModel, pm *PackedMetropolis, s []uint64, x *xoshiro) int {
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
			ge2 := c1 | c2 | a1&a2 // u ≥ 2: ΔE ≤ 0
			some := e0 | e1 | e2 | e3
			flip := pm.decide(ge2, some&^ge2, ^some, 0, x)
			s[i] = si ^ flip
			acc += bits.OnesCount64(flip)
		}
	}
	return acc
}

// packedSweep3D sweeps the cubic lattice in typewriter order and returns the number of
// accepted lane updates. In 3D a lane with u unsatisfied bonds has ΔE = 4(3 − u).
func packedSweep3D(m *PackedModel, pm *PackedMetropolis, s []uint64, x *xoshiro) int {
	l := m.Lattice.L
	l2 := l * l
	jx, jy, jz := m.J[0], m.J[1], m.J[2]
	acc := 0
	for z := 0; z < l; z++ {
		pl := z * l2
		zb := (z + l - 1) % l * l2
		zf := (z + 1) % l * l2
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
				i := pl + row + xx
				si := s[i]
				e0 := si ^ s[pl+row+xr] ^ jx[i]
				e1 := si ^ s[pl+row+xl] ^ jx[pl+row+xl]
				e2 := si ^ s[pl+dn+xx] ^ jy[i]
				e3 := si ^ s[pl+up+xx] ^ jy[pl+up+xx]
				e4 := si ^ s[zf+row+xx] ^ jz[i]
				e5 := si ^ s[zb+row+xx] ^ jz[zb+row+xx]
				// Two full adders, then add their sums and carries.
				ha := e0 ^ e1
				sa, ca := ha^e2, e0&e1|ha&e2
				hb := e3 ^ e4
				sb, cb := hb^e5, e3&e4|hb&e5
				b0, c0 := sa^sb, sa&sb
				ht := ca ^ cb
				t0, t1 := ht^c0, ca&cb|ht&c0 // u = b0 + 2·t0 + 4·t1
				always := t1 | t0&b0         // u ≥ 3
				flip := pm.decide(always, t0&^t1&^b0, b0&^t0&^t1, ^(t1 | t0 | b0), x)
				s[i] = si ^ flip
				acc += bits.OnesCount64(flip)
			}
		}
	}
	return acc
}
