package packed

import (
	"math/bits"

	"github.com/deepglass/deepglass/models"
)

// The 64-lane kernels of lattices whose side is a multiple of 16 (checkerSweep) update
// eight sites at once: in each row, the even columns x0, x0+2, …, x0+14 of each block of
// 16, then the odd ones. The eight sites of a group are not neighbours, so they are
// updated as one vector of eight words, each word with its own xoshiro256++ generator,
// deciding its lanes as the wide kernels decide the eight words of a site (decideWide:
// each lane compares its own uniform with its class's threshold, bit by bit, exact to
// 2^−64; the ties cost no words of their own). The order of a sweep is therefore: rows
// in turn (planes in turn in 3D), and in each row the even columns before the odd; any
// fixed order of single-site Metropolis updates leaves the Boltzmann distribution
// invariant, and every lane is still an exact Metropolis chain independent of the
// others. On amd64 with AVX-512 the kernel is assembly (checker_amd64.s);
// everywhere else the portable twin below does the same operations a word at a time,
// and both give the same bits (TestCheckerSweepTwins).

// RowCheckerboard reports whether [Metropolis.Sweep] with IndependentLanes sweeps a
// model on lattice l in row-checkerboard order: rows in turn (planes in turn on the
// cubic lattice), and in each row the even columns before the odd, eight sites at once.
// It does on square and cubic lattices whose side is a multiple of 16; elsewhere (and
// with SharedDraw, and in the wide kernels) sweeps run in typewriter order.
func RowCheckerboard(l models.Lattice) bool {
	return (l.Dim == 2 || l.Dim == 3) && l.L >= 16 && l.L%16 == 0
}

// RowCheckerboardAVX512 reports whether the row-checkerboard kernels run their AVX-512
// assembly (amd64 with AVX-512 Foundation, not built with the purego tag); otherwise
// they run the portable twin, which gives the same bits.
func RowCheckerboardAVX512() bool { return checkerAVX512 }

// checkerOrder reports whether 64-lane sweeps of m with independent lanes run the
// checkerboard-row kernels.
func checkerOrder(m *Model) bool {
	return m.Graph == nil && RowCheckerboard(m.Lattice)
}

// classify2D returns the classes of the lanes of a square-lattice site whose four bonds
// are unsatisfied where e0 … e3 are set: u ≥ 3 unsatisfied bonds flip (ΔE < 0), u = 2
// is a tie (ΔE = 0), u = 1 and u = 0 are classes 1 and 2 (ΔE = 4, 8).
func classify2D(e0, e1, e2, e3 uint64) (always, tie, k1, k2 uint64) {
	a1, c1 := e0^e1, e0&e1
	a2, c2 := e2^e3, e2&e3
	always = c1&(a2|c2) | c2&(a1|c1)
	tie = c1&^(a2|c2) | c2&^(a1|c1) | a1&a2
	some := e0 | e1 | e2 | e3
	return always, tie, some &^ (always | tie), ^some
}

// classify3D is classify2D on the cubic lattice: u ≥ 4 flips, u = 3 is a tie, u = 2, 1,
// 0 are classes 1, 2, 3 (ΔE = 4, 8, 12).
func classify3D(e0, e1, e2, e3, e4, e5 uint64) (always, tie, k1, k2, k3 uint64) {
	b0, t0, t1 := count6(e0, e1, e2, e3, e4, e5)
	return t1, t0 & b0 &^ t1, t0 &^ t1 &^ b0, b0 &^ t0 &^ t1, ^(t1 | t0 | b0)
}

// count6 returns, lane by lane, the number u = b0 + 2·t0 + 4·t1 of set bits among
// e0 … e5: two full adders, then the sum of their sums and carries.
func count6(e0, e1, e2, e3, e4, e5 uint64) (b0, t0, t1 uint64) {
	ha := e0 ^ e1
	sa, ca := ha^e2, e0&e1|ha&e2
	hb := e3 ^ e4
	sb, cb := hb^e5, e3&e4|hb&e5
	b0, c0 := sa^sb, sa&sb
	ht := ca ^ cb
	return b0, ht ^ c0, ca&cb | ht&c0
}

// checkerSweepGo is the portable row-checkerboard kernel of either lattice: planes in
// turn (one on the square lattice), rows in turn, in each row the even columns, then the
// odd, eight at a time.
func checkerSweepGo(m *Model, q *[3][64]uint64, s []uint64, g *wideGen) int {
	l, dim := m.Lattice.L, m.Lattice.Dim
	l2, planes := l*l, 1
	if dim == 3 {
		planes = l
	}
	jx, jy := m.J[0], m.J[1]
	var jz []uint64
	if dim == 3 {
		jz = m.J[2]
	}
	var tie, flip [WideWords]uint64
	var k [3][WideWords]uint64
	acc := 0
	for z := range planes {
		pl := z * l2
		zb, zf := (z+l-1)%l*l2, (z+1)%l*l2
		for y := range l {
			row := pl + y*l
			up, dn := pl+(y+l-1)%l*l, pl+(y+1)%l*l
			bk, fw := zb+y*l, zf+y*l
			for p := range 2 {
				for x0 := 0; x0 < l; x0 += 16 {
					for w := range WideWords {
						xx := x0 + p + 2*w
						xl, xr := wrap(xx, l)
						i := row + xx
						si := s[i]
						e0, e1 := si^s[row+xr]^jx[i], si^s[row+xl]^jx[row+xl]
						e2, e3 := si^s[dn+xx]^jy[i], si^s[up+xx]^jy[up+xx]
						if dim == 2 {
							flip[w], tie[w], k[0][w], k[1][w] = classify2D(e0, e1, e2, e3)
						} else {
							flip[w], tie[w], k[0][w], k[1][w], k[2][w] = classify3D(e0, e1, e2, e3,
								si^s[fw+xx]^jz[i], si^s[bk+xx]^jz[bk+xx])
						}
					}
					decideWide(q, &tie, &k, &flip, g)
					for w := range WideWords {
						s[row+x0+p+2*w] ^= flip[w]
						acc += bits.OnesCount64(flip[w])
					}
				}
			}
		}
	}
	return acc
}
