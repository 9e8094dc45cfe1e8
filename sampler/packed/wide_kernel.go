package packed

import "math/bits"

// The portable wide kernels: the operations of the assembly kernels (checker_amd64.s,
// typewriter mode) one word at a time, so that both give the same bits.

// decideWide flips, in every word, the tie lanes (masks tie[w]) whose uniforms fall
// below TieAcceptance = 15/16 and the lanes of class 1 … 3 (masks k[c][w]) whose
// uniforms fall below q_c, by the bit-by-bit comparison of SweepWide, and returns the
// flip masks or-ed into flip. The first four words decide the ties (threshold 0.1111₂).
// The vector kernels step every generator in every iteration, until every word is
// decided; here each word is decided on its own, with its generator in registers, and
// then every generator is stepped on to the number of iterations of the slowest word
// (at least four), which gives the same flips and the same generator states.
func decideWide(q *[3][64]uint64, tie *[WideWords]uint64, k *[3][WideWords]uint64, flip *[WideWords]uint64, g *wideGen) {
	var n [WideWords]int
	iters := 4
	for w := range WideWords {
		s0, s1, s2, s3 := g.s0[w], g.s1[w], g.s2[w], g.s3[w]
		t, k1, k2, k3 := tie[w], k[0][w], k[1][w], k[2][w]
		und := t | k1 | k2 | k3
		f := flip[w]
		j := 0
		for ; j < 4; j++ {
			var r uint64
			s0, s1, s2, s3, r = xoStep(s0, s1, s2, s3)
			p := t | k1&q[0][j] | k2&q[1][j] | k3&q[2][j]
			f |= und & p &^ r
			und &^= p ^ r
		}
		und &^= t // and zero from here on: U ≥ 15/16, not flipped
		for ; j < 64 && und != 0; j++ {
			var r uint64
			s0, s1, s2, s3, r = xoStep(s0, s1, s2, s3)
			p := k1&q[0][j] | k2&q[1][j] | k3&q[2][j]
			f |= und & p &^ r
			und &^= p ^ r
		}
		flip[w], n[w] = f, j
		iters = max(iters, j)
		g.s0[w], g.s1[w], g.s2[w], g.s3[w] = s0, s1, s2, s3
	}
	for w := range WideWords {
		if n[w] == iters {
			continue
		}
		s0, s1, s2, s3 := g.s0[w], g.s1[w], g.s2[w], g.s3[w]
		for range iters - n[w] {
			s0, s1, s2, s3, _ = xoStep(s0, s1, s2, s3)
		}
		g.s0[w], g.s1[w], g.s2[w], g.s3[w] = s0, s1, s2, s3
	}
}

func sweepWide2D(m *Model, q *[3][64]uint64, s []uint64, g *wideGen) int {
	l := m.Lattice.L
	jx, jy := m.J[0], m.J[1]
	acc := 0
	var tie [WideWords]uint64
	var k [3][WideWords]uint64
	var flip [WideWords]uint64
	for y := 0; y < l; y++ {
		row := y * l
		up := (y + l - 1) % l * l
		dn := (y + 1) % l * l
		for xx := 0; xx < l; xx++ {
			xl, xr := wrap(xx, l)
			i := row + xx
			n0, n1, n2, n3 := WideWords*(row+xr), WideWords*(row+xl), WideWords*(dn+xx), WideWords*(up+xx)
			j0, j1, j2, j3 := jx[i], jx[row+xl], jy[i], jy[up+xx]
			for w := range WideWords {
				si := s[WideWords*i+w]
				e0 := si ^ s[n0+w] ^ j0
				e1 := si ^ s[n1+w] ^ j1
				e2 := si ^ s[n2+w] ^ j2
				e3 := si ^ s[n3+w] ^ j3
				flip[w], tie[w], k[0][w], k[1][w] = classify2D(e0, e1, e2, e3)
			}
			decideWide(q, &tie, &k, &flip, g)
			for w := range WideWords {
				s[WideWords*i+w] ^= flip[w]
				acc += bits.OnesCount64(flip[w])
			}
		}
	}
	return acc
}

func sweepWide3D(m *Model, q *[3][64]uint64, s []uint64, g *wideGen) int {
	l := m.Lattice.L
	l2 := l * l
	jx, jy, jz := m.J[0], m.J[1], m.J[2]
	acc := 0
	var tie [WideWords]uint64
	var k [3][WideWords]uint64
	var flip [WideWords]uint64
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
				n0, n1, n2, n3, n4, n5 := WideWords*(row+xr), WideWords*(row+xl), WideWords*(dn+xx),
					WideWords*(up+xx), WideWords*(fw+xx), WideWords*(bk+xx)
				j0, j1, j2, j3, j4, j5 := jx[i], jx[row+xl], jy[i], jy[up+xx], jz[i], jz[bk+xx]
				for w := range WideWords {
					si := s[WideWords*i+w]
					e0 := si ^ s[n0+w] ^ j0
					e1 := si ^ s[n1+w] ^ j1
					e2 := si ^ s[n2+w] ^ j2
					e3 := si ^ s[n3+w] ^ j3
					e4 := si ^ s[n4+w] ^ j4
					e5 := si ^ s[n5+w] ^ j5
					b0, t0, t1 := count6(e0, e1, e2, e3, e4, e5) // u = b0 + 2·t0 + 4·t1
					flip[w] = t1                                 // u ≥ 4: ΔE < 0
					tie[w] = t0 & b0 &^ t1                       // u = 3: ΔE = 0, the tie rule
					k[0][w] = t0 &^ t1 &^ b0                     // u = 2: ΔE = 4
					k[1][w] = b0 &^ t0 &^ t1                     // u = 1: ΔE = 8
					k[2][w] = ^(t1 | t0 | b0)                    // u = 0: ΔE = 12
				}
				decideWide(q, &tie, &k, &flip, g)
				for w := range WideWords {
					s[WideWords*i+w] ^= flip[w]
					acc += bits.OnesCount64(flip[w])
				}
			}
		}
	}
	return acc
}

// wrap returns the periodic left and right neighbours of column x of l.
func wrap(x, l int) (left, right int) {
	left, right = x-1, x+1
	if x == 0 {
		left = l - 1
	}
	if right == l {
		right = 0
	}
	return left, right
}
