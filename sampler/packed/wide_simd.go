//go:build goexperiment.simd && amd64

package packed

import (
	"math/bits"
	"simd/archsimd"
)

// WideSIMD reports whether SweepWide runs its AVX-512 kernels: only in builds with
// GOEXPERIMENT=simd on amd64, on a CPU with AVX-512.
func WideSIMD() bool { return archsimd.X86.AVX512() }

type vec = archsimd.Uint64x8

// sweepWideSIMD is sweepWide2D or sweepWide3D with the eight words of a site in one
// AVX-512 vector and the eight generators in four state vectors.
func sweepWideSIMD(m *Model, q *[3][64]uint64, s []uint64, g *wideGen) int {
	var Q [3][64]vec
	for c := range Q {
		for j := range 64 {
			Q[c][j] = archsimd.BroadcastUint64x8(q[c][j])
		}
	}
	if m.Lattice.Dim == 2 {
		return simdSweep2D(m, &Q, s, g)
	}
	return simdSweep3D(m, &Q, s, g)
}

// simdDecide2 is simdDecide for two classes (the square lattice).
func simdDecide2(Q *[3][64]vec, k1, k2, flip, s0, s1, s2, s3 vec) (vec, vec, vec, vec, vec) {
	zero := archsimd.BroadcastUint64x8(0)
	und := k1.Or(k2)
	for j := 0; j < 64; j++ {
		if und.Equal(zero).ToBits() == 0xff {
			break
		}
		r := s0.Add(s3).RotateAllLeft(23).Add(s0)
		t := s1.ShiftAllLeft(17)
		s2 = s2.Xor(s0)
		s3 = s3.Xor(s1)
		s1 = s1.Xor(s2)
		s0 = s0.Xor(s3)
		s2 = s2.Xor(t)
		s3 = s3.RotateAllLeft(45)
		p := k1.And(Q[0][j]).Or(k2.And(Q[1][j]))
		flip = flip.Or(und.And(p).AndNot(r))
		und = und.AndNot(p.Xor(r))
	}
	return flip, s0, s1, s2, s3
}

// simdDecide is decideWide on vectors: it returns flip with the accepted lanes of
// classes k1, k2, k3 added, and the advanced generator states.
func simdDecide(Q *[3][64]vec, k1, k2, k3, flip, s0, s1, s2, s3 vec) (vec, vec, vec, vec, vec) {
	zero := archsimd.BroadcastUint64x8(0)
	und := k1.Or(k2).Or(k3)
	for j := 0; j < 64; j++ {
		if und.Equal(zero).ToBits() == 0xff {
			break
		}
		r := s0.Add(s3).RotateAllLeft(23).Add(s0)
		t := s1.ShiftAllLeft(17)
		s2 = s2.Xor(s0)
		s3 = s3.Xor(s1)
		s1 = s1.Xor(s2)
		s0 = s0.Xor(s3)
		s2 = s2.Xor(t)
		s3 = s3.RotateAllLeft(45)
		p := k1.And(Q[0][j]).Or(k2.And(Q[1][j])).Or(k3.And(Q[2][j]))
		flip = flip.Or(und.And(p).AndNot(r))
		und = und.AndNot(p.Xor(r))
	}
	return flip, s0, s1, s2, s3
}

// simdStep advances the eight generators by one output, the vector twin of
// wideGen.step for every word.
func simdStep(s0, s1, s2, s3 vec) (vec, vec, vec, vec, vec) {
	r := s0.Add(s3).RotateAllLeft(23).Add(s0)
	t := s1.ShiftAllLeft(17)
	s2 = s2.Xor(s0)
	s3 = s3.Xor(s1)
	s1 = s1.Xor(s2)
	s0 = s0.Xor(s3)
	s2 = s2.Xor(t)
	s3 = s3.RotateAllLeft(45)
	return s0, s1, s2, s3, r
}

// simdTieMask is wideGen.tieMask for every word: the OR of four outputs.
func simdTieMask(s0, s1, s2, s3 vec) (vec, vec, vec, vec, vec) {
	s0, s1, s2, s3, a := simdStep(s0, s1, s2, s3)
	s0, s1, s2, s3, b := simdStep(s0, s1, s2, s3)
	s0, s1, s2, s3, c := simdStep(s0, s1, s2, s3)
	s0, s1, s2, s3, d := simdStep(s0, s1, s2, s3)
	return s0, s1, s2, s3, a.Or(b).Or(c).Or(d)
}

func load(s []uint64, i int) vec { return archsimd.LoadUint64x8Slice(s[i : i+WideWords]) }

func popcount8(v vec) int {
	var a [WideWords]uint64
	v.Store(&a)
	n := 0
	for _, x := range a {
		n += bits.OnesCount64(x)
	}
	return n
}

func simdSweep2D(m *Model, Q *[3][64]vec, s []uint64, g *wideGen) int {
	l := m.Lattice.L
	jx, jy := m.J[0], m.J[1]
	s0, s1, s2, s3 := archsimd.LoadUint64x8(&g.s0), archsimd.LoadUint64x8(&g.s1), archsimd.LoadUint64x8(&g.s2), archsimd.LoadUint64x8(&g.s3)
	acc := 0
	for y := 0; y < l; y++ {
		row := y * l
		up := (y + l - 1) % l * l
		dn := (y + 1) % l * l
		for xx := 0; xx < l; xx++ {
			xl, xr := wrap(xx, l)
			i := row + xx
			si := load(s, WideWords*i)
			e0 := si.Xor(load(s, WideWords*(row+xr))).Xor(archsimd.BroadcastUint64x8(jx[i]))
			e1 := si.Xor(load(s, WideWords*(row+xl))).Xor(archsimd.BroadcastUint64x8(jx[row+xl]))
			e2 := si.Xor(load(s, WideWords*(dn+xx))).Xor(archsimd.BroadcastUint64x8(jy[i]))
			e3 := si.Xor(load(s, WideWords*(up+xx))).Xor(archsimd.BroadcastUint64x8(jy[up+xx]))
			a1, c1 := e0.Xor(e1), e0.And(e1)
			a2, c2 := e2.Xor(e3), e2.And(e3)
			always := c1.And(a2.Or(c2)).Or(c2.And(a1.Or(c1)))
			tie := c1.AndNot(a2.Or(c2)).Or(c2.AndNot(a1.Or(c1))).Or(a1.And(a2))
			some := e0.Or(e1).Or(e2).Or(e3)
			var r vec
			s0, s1, s2, s3, r = simdTieMask(s0, s1, s2, s3)
			flip, n0, n1, n2, n3 := simdDecide2(Q, some.AndNot(always.Or(tie)), some.Not(), always.Or(tie.And(r)), s0, s1, s2, s3)
			s0, s1, s2, s3 = n0, n1, n2, n3
			si.Xor(flip).StoreSlice(s[WideWords*i : WideWords*i+WideWords])
			acc += popcount8(flip)
		}
	}
	s0.Store(&g.s0)
	s1.Store(&g.s1)
	s2.Store(&g.s2)
	s3.Store(&g.s3)
	return acc
}

func simdSweep3D(m *Model, Q *[3][64]vec, s []uint64, g *wideGen) int {
	l := m.Lattice.L
	l2 := l * l
	jx, jy, jz := m.J[0], m.J[1], m.J[2]
	s0, s1, s2, s3 := archsimd.LoadUint64x8(&g.s0), archsimd.LoadUint64x8(&g.s1), archsimd.LoadUint64x8(&g.s2), archsimd.LoadUint64x8(&g.s3)
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
				xl, xr := wrap(xx, l)
				i := row + xx
				si := load(s, WideWords*i)
				e0 := si.Xor(load(s, WideWords*(row+xr))).Xor(archsimd.BroadcastUint64x8(jx[i]))
				e1 := si.Xor(load(s, WideWords*(row+xl))).Xor(archsimd.BroadcastUint64x8(jx[row+xl]))
				e2 := si.Xor(load(s, WideWords*(dn+xx))).Xor(archsimd.BroadcastUint64x8(jy[i]))
				e3 := si.Xor(load(s, WideWords*(up+xx))).Xor(archsimd.BroadcastUint64x8(jy[up+xx]))
				e4 := si.Xor(load(s, WideWords*(fw+xx))).Xor(archsimd.BroadcastUint64x8(jz[i]))
				e5 := si.Xor(load(s, WideWords*(bk+xx))).Xor(archsimd.BroadcastUint64x8(jz[bk+xx]))
				ha := e0.Xor(e1)
				sa, ca := ha.Xor(e2), e0.And(e1).Or(ha.And(e2))
				hb := e3.Xor(e4)
				sb, cb := hb.Xor(e5), e3.And(e4).Or(hb.And(e5))
				b0, c0 := sa.Xor(sb), sa.And(sb)
				ht := ca.Xor(cb)
				t0, t1 := ht.Xor(c0), ca.And(cb).Or(ht.And(c0))
				var r vec
				s0, s1, s2, s3, r = simdTieMask(s0, s1, s2, s3)
				always := t1.Or(t0.And(b0).AndNot(t1).And(r)) // u ≥ 4; u = 3 (ΔE = 0) by the tie rule
				k1 := t0.AndNot(t1).AndNot(b0)
				k2 := b0.AndNot(t0).AndNot(t1)
				k3 := t1.Or(t0).Or(b0).Not()
				flip, n0, n1, n2, n3 := simdDecide(Q, k1, k2, k3, always, s0, s1, s2, s3)
				s0, s1, s2, s3 = n0, n1, n2, n3
				si.Xor(flip).StoreSlice(s[WideWords*i : WideWords*i+WideWords])
				acc += popcount8(flip)
			}
		}
	}
	s0.Store(&g.s0)
	s1.Store(&g.s1)
	s2.Store(&g.s2)
	s3.Store(&g.s3)
	return acc
}
