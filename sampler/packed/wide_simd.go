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
	// code[j] says which classes' thresholds have bit j set (bit c−1 for class c), so
	// that the lanes comparing with a one at bit j are sel[code[j]], the union of
	// those classes, made once per site.
	var code [64]uint8
	classes := 3
	if m.Lattice.Dim == 2 {
		classes = 2
	}
	for j := range code {
		for c := range classes {
			code[j] |= uint8(q[c][j]&1) << c
		}
	}
	if m.Lattice.Dim == 2 {
		return simdSweep2D(m, &code, s, g)
	}
	return simdSweep3D(m, &code, s, g)
}

// The kernels below are decideWide on vectors, written out in each (a call per site
// cost 3%; one kernel for both lattices, with a branch per site on the dimension, cost
// 12% on the square lattice, 2026-12-05): sel[c] holds the union of the classes in c (bit c−1 set for class c:
// sel[1] = k1, sel[3] = k1 | k2, …; sel[0] = 0), so that the lanes comparing with a one
// at bit j are sel[code[j]]; the first four words decide the ties too.

// setClasses fills sel[1 … 7] with the unions of k1, k2, k3.
func setClasses(sel *[8]vec, k1, k2, k3 vec) {
	k12 := k1.Or(k2)
	sel[1], sel[2], sel[3] = k1, k2, k12
	sel[4], sel[5], sel[6], sel[7] = k3, k1.Or(k3), k2.Or(k3), k12.Or(k3)
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

func load(s []uint64, i int) vec { return archsimd.LoadUint64x8Slice(s[i : i+WideWords]) }

// flipCounter counts flipped lanes: with VPOPCNTQ in a vector of eight counts (one
// instruction per site), otherwise word by word.
type flipCounter struct {
	vpop bool
	v    vec
	n    int
}

func newFlipCounter() flipCounter {
	return flipCounter{vpop: archsimd.X86.AVX512VPOPCNTDQ()}
}

func (f *flipCounter) add(flip vec) {
	if f.vpop {
		f.v = f.v.Add(flip.OnesCount())
	} else {
		f.n += popcount8(flip)
	}
}

func (f *flipCounter) total() int {
	var a [WideWords]uint64
	f.v.Store(&a)
	n := f.n
	for _, x := range a {
		n += int(x)
	}
	return n
}

func popcount8(v vec) int {
	var a [WideWords]uint64
	v.Store(&a)
	n := 0
	for _, x := range a {
		n += bits.OnesCount64(x)
	}
	return n
}

func simdSweep2D(m *Model, code *[64]uint8, s []uint64, g *wideGen) int {
	var sel [8]vec
	zero := archsimd.BroadcastUint64x8(0)
	l := m.Lattice.L
	jx, jy := m.J[0], m.J[1]
	s0, s1, s2, s3 := archsimd.LoadUint64x8(&g.s0), archsimd.LoadUint64x8(&g.s1), archsimd.LoadUint64x8(&g.s2), archsimd.LoadUint64x8(&g.s3)
	fc := newFlipCounter()
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
			setClasses(&sel, some.AndNot(always.Or(tie)), some.Not(), zero)
			// decideWide on vectors (see setClasses).
			flip := always
			und := tie.Or(sel[7])
			for j := range 4 {
				var r vec
				s0, s1, s2, s3, r = simdStep(s0, s1, s2, s3)
				p := tie.Or(sel[code[j]&7])
				flip = flip.Or(und.And(p).AndNot(r))
				und = und.AndNot(p.Xor(r))
			}
			und = und.AndNot(tie)
			for j := 4; j < 64; j++ {
				if und.Equal(zero).ToBits() == 0xff {
					break
				}
				var r vec
				s0, s1, s2, s3, r = simdStep(s0, s1, s2, s3)
				p := sel[code[j]&7]
				flip = flip.Or(und.And(p).AndNot(r))
				und = und.AndNot(p.Xor(r))
			}
			si.Xor(flip).StoreSlice(s[WideWords*i : WideWords*i+WideWords])
			fc.add(flip)
		}
	}
	s0.Store(&g.s0)
	s1.Store(&g.s1)
	s2.Store(&g.s2)
	s3.Store(&g.s3)
	return fc.total()
}

func simdSweep3D(m *Model, code *[64]uint8, s []uint64, g *wideGen) int {
	var sel [8]vec
	zero := archsimd.BroadcastUint64x8(0)
	l := m.Lattice.L
	l2 := l * l
	jx, jy, jz := m.J[0], m.J[1], m.J[2]
	s0, s1, s2, s3 := archsimd.LoadUint64x8(&g.s0), archsimd.LoadUint64x8(&g.s1), archsimd.LoadUint64x8(&g.s2), archsimd.LoadUint64x8(&g.s3)
	fc := newFlipCounter()
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
				tie := t0.And(b0).AndNot(t1) // u = 3: ΔE = 0, the tie rule; u ≥ 4 (t1) flips
				k1 := t0.AndNot(t1).AndNot(b0)
				k2 := b0.AndNot(t0).AndNot(t1)
				k3 := t1.Or(t0).Or(b0).Not()
				setClasses(&sel, k1, k2, k3)
				// decideWide on vectors (see setClasses).
				flip := t1
				und := tie.Or(sel[7])
				for j := range 4 {
					var r vec
					s0, s1, s2, s3, r = simdStep(s0, s1, s2, s3)
					p := tie.Or(sel[code[j]&7])
					flip = flip.Or(und.And(p).AndNot(r))
					und = und.AndNot(p.Xor(r))
				}
				und = und.AndNot(tie)
				for j := 4; j < 64; j++ {
					if und.Equal(zero).ToBits() == 0xff {
						break
					}
					var r vec
					s0, s1, s2, s3, r = simdStep(s0, s1, s2, s3)
					p := sel[code[j]&7]
					flip = flip.Or(und.And(p).AndNot(r))
					und = und.AndNot(p.Xor(r))
				}
				si.Xor(flip).StoreSlice(s[WideWords*i : WideWords*i+WideWords])
				fc.add(flip)
			}
		}
	}
	s0.Store(&g.s0)
	s1.Store(&g.s1)
	s2.Store(&g.s2)
	s3.Store(&g.s3)
	return fc.total()
}
