package packed

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// WideWords is the number of 64-lane words a WideChain holds per site: 512 lanes.
const WideWords = 8

// WideChain is 512 packed chains (WideWords words of 64 lanes per site) for the wide
// kernels of [Metropolis.SweepWide]: S[WideWords·i + w] holds spin i of lanes
// 64w … 64w+63 (bit set: s = −1). Word w's lanes see the couplings of the model's lanes,
// so the 512 lanes are 8 × 64 systems of the model's samples.
type WideChain struct {
	S                  []uint64
	Src                *rand.PCG
	Accepted, Proposed int64
}

// NewWideChain returns a wide chain over m's sites with every lane started from an
// independent uniformly random configuration drawn from src. It panics if src is nil
// or m is not on a square or cubic lattice.
func NewWideChain(m *Model, src *rand.PCG) *WideChain {
	if src == nil {
		panic("packed: NewWideChain: nil source")
	}
	if m.Graph != nil {
		panic("packed: NewWideChain: wide kernels run square and cubic lattices")
	}
	c := &WideChain{S: make([]uint64, WideWords*m.N()), Src: src}
	for i := range c.S {
		c.S[i] = src.Uint64()
	}
	return c
}

// Word writes word w (lanes 64w … 64w+63) of c into p, a 64-lane chain of the same
// model, so that the 64-lane observables (LaneEnergies, LaneMagnetizations) apply.
func (c *WideChain) Word(p *Chain, w int) {
	for i := range p.S {
		p.S[i] = c.S[WideWords*i+w]
	}
}

// String summarises the chain.
func (c *WideChain) String() string {
	acc := 0.0
	if c.Proposed > 0 {
		acc = float64(c.Accepted) / float64(c.Proposed)
	}
	return fmt.Sprintf("wide packed N=%d lanes=%d acc=%.2f", len(c.S)/WideWords, 64*WideWords, acc)
}

// wideGen is WideWords xoshiro256++ generators, word w's in element w of each state.
type wideGen struct{ s0, s1, s2, s3 [WideWords]uint64 }

func (g *wideGen) seed(src *rand.PCG) {
	for w := range WideWords {
		g.s0[w], g.s1[w], g.s2[w], g.s3[w] = src.Uint64(), src.Uint64(), src.Uint64(), src.Uint64()|1
	}
}

// wideThresholds returns, for bit j = 0 … 63 from the top, all ones where bit j of
// q_k = e^{−4βk} is set, for k = 1, 2, 3.
func wideThresholds(beta float64) (q [3][64]uint64) {
	for k := range q {
		qk := fixed64(math.Exp(-4 * beta * float64(k+1)))
		for j := range 64 {
			q[k][j] = -(qk >> (63 - j) & 1)
		}
	}
	return q
}

// SweepWide attempts one update of every site in every lane of c, in typewriter order,
// with independent lanes: each lane of class k (ΔE = 4k > 0) compares its own uniform
// with q_k = e^{−4βk}, and each tie lane (ΔE = 0) with TieAcceptance = 15/16 = 0.1111₂,
// bit by bit from the top, one random word per bit and per word of the site, until
// every lane of the site is decided (exact to 2^−64). The lanes of a word share its
// random words but never a bit (each lane is in one class), so the ties cost no words
// of their own: they are decided by the first four. Words draw from their own
// xoshiro256++ generator, seeded from c.Src at the start of the sweep.
//
// On amd64 with AVX-512 the eight words of a site are one vector, in the assembly of
// the row-checkerboard kernels (checker_amd64.s, in any build but -tags purego);
// otherwise a portable version does the same operations one word at a time, with
// bit-identical results ([WideSIMD] reports which runs). It panics
// unless pm uses IndependentLanes on a square or cubic lattice and c has pm's size.
func (pm *Metropolis) SweepWide(c *WideChain) {
	pm.refresh()
	m := pm.Model
	if m.Graph != nil || pm.Draws != IndependentLanes {
		panic("packed: SweepWide needs IndependentLanes on a square or cubic lattice")
	}
	if len(c.S) != WideWords*m.N() {
		panic("packed: SweepWide: chain size does not match model")
	}
	var g wideGen
	g.seed(c.Src)
	var acc int
	if WideSIMD() {
		acc = wideSweepAsm(m, pm.wideQ, c.S, &g)
	} else if m.Lattice.Dim == 2 {
		acc = sweepWide2D(m, pm.wideQ, c.S, &g)
	} else {
		acc = sweepWide3D(m, pm.wideQ, c.S, &g)
	}
	c.Accepted += int64(acc)
	c.Proposed += int64(m.N()) * 64 * WideWords
}
