package packed

import "fmt"

// WideLanes is the number of lanes of a WideChain.
const WideLanes = Lanes * WideWords

// bondWords describes the words whose set bits the lattice observables count: the bond
// words a_i ⊕ a_j ⊕ J_ij (energies: b nil) or a_i ⊕ a_j ⊕ b_i ⊕ b_j (link overlaps of a
// with b), for chains of g words per site (1, or WideWords for wide chains).
type bondWords struct {
	a, b []uint64
	j    [][]uint64
	g    int
}

// span counts into c the words of the n bonds along axis d from sites i0 … i0+n−1 to
// sites j0 … j0+n−1.
func (bw *bondWords) span(c *laneCount, i0, j0, n, d int) {
	g := bw.g
	a0, a1 := bw.a[g*i0:g*(i0+n)], bw.a[g*j0:g*(j0+n)]
	switch {
	case bw.b == nil && g == 1:
		c.span3(a0, a1, bw.j[d][i0:i0+n])
	case bw.b == nil:
		c.wspan3(a0, a1, bw.j[d][i0:i0+n])
	case g == 1:
		c.span4(a0, a1, bw.b[i0:i0+n], bw.b[j0:j0+n])
	default:
		c.wspan4(a0, a1, bw.b[g*i0:g*(i0+n)], bw.b[g*j0:g*(j0+n)])
	}
}

// count adds the words of every bond of lattice lat to pos, with neg holding words to
// subtract: the x bonds are counted as one span over the whole lattice, whose words at
// the row ends (x = L−1 to the next row's x = 0) go to neg and the periodic ones
// (x = L−1 to x = 0 of the same row) to pos; likewise the y bonds of 3D lattices at the
// plane ends.
func (bw *bondWords) count(pos, neg *laneCount, l, dim int) {
	n := l * l
	if dim == 3 {
		n *= l
	}
	bw.span(pos, 0, 1, n-1, 0)
	bw.xWrap(pos, neg, n, l)
	bw.span(pos, 0, l, n-l, 1)
	if dim == 2 {
		bw.span(pos, n-l, 0, l, 1)
		return
	}
	l2 := l * l
	for pl := 0; pl < n; pl += l2 {
		last := pl + l2 - l // the plane's row y = L−1
		if pl+l2 < n {
			bw.span(neg, last, last+l, l, 1)
		}
		bw.span(pos, last, pl, l, 1)
	}
	bw.span(pos, 0, l2, n-l2, 2)
	bw.span(pos, n-l2, 0, l2, 2)
}

// xWrap adds the periodic x bonds of every row to pos and the row-crossing words of the
// whole-lattice span to neg. The words (one per row and word of a site, so that word w
// of a wide chain stays in phase w) are gathered wideBlock at a time and counted as
// spans.
func (bw *bondWords) xWrap(pos, neg *laneCount, n, l int) {
	a, b, jx, g := bw.a, bw.b, bw.j[0], bw.g
	var px, nx [wideBlock]uint64
	np, nn := 0, 0
	for r := 0; r < n; r += l {
		e := r + l - 1
		next := e + 1
		for w := range g {
			ae, ar := a[g*e+w], a[g*r+w]
			if b == nil {
				px[np] = ae ^ ar ^ jx[e]
			} else {
				px[np] = ae ^ ar ^ b[g*e+w] ^ b[g*r+w]
			}
			np++
			if next == n {
				continue
			}
			if b == nil {
				nx[nn] = ae ^ a[g*next+w] ^ jx[e]
			} else {
				nx[nn] = ae ^ a[g*next+w] ^ b[g*e+w] ^ b[g*next+w]
			}
			nn++
		}
		if np == wideBlock {
			countWords(pos, px[:], g)
			np = 0
		}
		if nn == wideBlock {
			countWords(neg, nx[:], g)
			nn = 0
		}
	}
	countWords(pos, px[:np], g)
	countWords(neg, nx[:nn], g)
}

// countWords counts the words x into c: in phase k mod 8 for wide chains (g > 1).
func countWords(c *laneCount, x []uint64, g int) {
	if g == 1 {
		c.span1(x)
	} else {
		c.wspan1(x)
	}
}

// latticeLaneEnergies is LaneEnergies on a square or cubic lattice.
func (m *Model) latticeLaneEnergies(dst []int64, s []uint64) {
	var pos, neg laneCount
	bw := bondWords{a: s, j: m.J, g: 1}
	bw.count(&pos, &neg, m.Lattice.L, m.Lattice.Dim)
	clear(dst)
	pos.sumLanes(dst, 2)
	neg.sumLanes(dst, -2)
	nb := int64(m.Lattice.Dim * m.N())
	for l := range dst {
		dst[l] -= nb
	}
}

// WideLaneEnergies sets dst[64w + ℓ] to the total energy of lane ℓ of word w of the wide
// chain c (the lane order of WideChain.Word), as LaneEnergies does for a 64-lane chain.
// It panics unless len(dst) == WideLanes and c has m's size; it allocates nothing.
func (m *Model) WideLaneEnergies(dst []int64, c *WideChain) {
	m.checkWide("WideLaneEnergies", len(dst), c)
	var pos, neg laneCount
	bw := bondWords{a: c.S, j: m.J, g: WideWords}
	bw.count(&pos, &neg, m.Lattice.L, m.Lattice.Dim)
	clear(dst)
	pos.wideLanes(dst, 2)
	neg.wideLanes(dst, -2)
	nb := int64(m.Lattice.Dim * m.N())
	for l := range dst {
		dst[l] -= nb
	}
}

// WideLaneLinkOverlaps sets dst[64w + ℓ] to the link overlap of lane 64w + ℓ of a with
// the same lane of b, as LaneLinkOverlaps does for 64-lane chains. It panics unless
// len(dst) == WideLanes and a and b have m's size; it allocates nothing.
func (m *Model) WideLaneLinkOverlaps(dst []float64, a, b *WideChain) {
	m.checkWide("WideLaneLinkOverlaps", len(dst), a)
	m.checkWide("WideLaneLinkOverlaps", len(dst), b)
	var pos, neg laneCount
	bw := bondWords{a: a.S, b: b.S, j: m.J, g: WideWords}
	bw.count(&pos, &neg, m.Lattice.L, m.Lattice.Dim)
	var u [WideLanes]int64
	pos.wideLanes(u[:], 1)
	neg.wideLanes(u[:], -1)
	nb := float64(m.Lattice.Dim * m.N())
	for l, v := range u {
		dst[l] = (nb - 2*float64(v)) / nb
	}
}

// checkWide panics unless dst has WideLanes elements and c is a wide chain of m.
func (m *Model) checkWide(who string, dst int, c *WideChain) {
	if m.Graph != nil {
		panic(fmt.Sprintf("packed: %s: wide chains are on square and cubic lattices", who))
	}
	if dst != WideLanes || len(c.S) != WideWords*m.N() {
		panic(fmt.Sprintf("packed: %s: length mismatch", who))
	}
}

// LaneMagnetizations sets dst[64w + ℓ] to the magnetization per spin of lane ℓ of word
// w. It panics unless len(dst) == WideLanes; it allocates nothing.
func (c *WideChain) LaneMagnetizations(dst []float64) {
	c.laneCounts(dst, nil)
}

// LaneOverlaps sets dst[64w + ℓ] to the overlap per spin of lane 64w + ℓ of c with the
// same lane of o. It panics unless len(dst) == WideLanes and the chains have the same
// size; it allocates nothing.
func (c *WideChain) LaneOverlaps(dst []float64, o *WideChain) {
	if len(o.S) != len(c.S) {
		panic("packed: WideChain.LaneOverlaps: chain sizes differ")
	}
	c.laneCounts(dst, o.S)
}

// laneCounts sets dst[64w + ℓ] to (N − 2·ones)/N, where ones counts the sites whose lane
// 64w + ℓ is set in c.S (xor o, if o is not nil).
func (c *WideChain) laneCounts(dst []float64, o []uint64) {
	if len(dst) != WideLanes {
		panic("packed: WideChain: len(dst) != WideLanes")
	}
	var cnt laneCount
	if o == nil {
		cnt.wspan1(c.S)
	} else {
		cnt.wspan2(c.S, o)
	}
	var u [WideLanes]int64
	cnt.wideLanes(u[:], 1)
	n := float64(len(c.S) / WideWords)
	for l, v := range u {
		dst[l] = (n - 2*float64(v)) / n
	}
}
