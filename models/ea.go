package models

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// BondDist is the distribution quenched couplings are drawn from.
type BondDist int

const (
	// PlusMinus draws J = +1 or -1 with probability 1/2 each (the ±J model).
	PlusMinus BondDist = iota
	// Gaussian draws J from the standard normal distribution N(0, 1).
	Gaussian
)

// String returns the name ParseBondDist reads: "pm" or "gauss".
func (b BondDist) String() string {
	switch b {
	case PlusMinus:
		return "pm"
	case Gaussian:
		return "gauss"
	}
	return fmt.Sprintf("BondDist(%d)", int(b))
}

// ParseBondDist parses a bond distribution: "pm" (alias "pmj") or "gauss" (alias
// "gaussian"), case-insensitively.
func ParseBondDist(s string) (BondDist, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "pm", "pmj":
		return PlusMinus, nil
	case "gauss", "gaussian":
		return Gaussian, nil
	}
	return 0, fmt.Errorf("bond distribution %q: want pm or gauss", s)
}

// draw returns one coupling with mean 0 and variance 1 from rng. PlusMinus uses the top
// bit of one rng.Uint64 (set: -1); Gaussian uses one rng.NormFloat64.
func (b BondDist) draw(rng *rand.Rand) float64 {
	switch b {
	case PlusMinus:
		if rng.Uint64()>>63 != 0 {
			return -1
		}
		return 1
	case Gaussian:
		return rng.NormFloat64()
	}
	panic(fmt.Sprintf("models: unknown bond distribution %d", int(b)))
}

// NewEA returns the Edwards–Anderson spin glass on the periodic lattice l,
//
//	H = -Σ_⟨ij⟩ J_ij s_i s_j,
//
// with one coupling drawn from b for each bond of l.Bonds, in that order, so a given
// stream always gives the same couplings on the same bonds. ±J models carry integer
// couplings (JInt). It panics if l is invalid, b is unknown or rng is nil.
func NewEA(l Lattice, b BondDist, rng *rand.Rand) *Sparse {
	if err := l.Validate(); err != nil {
		panic("models: NewEA: " + err.Error())
	}
	if b != PlusMinus && b != Gaussian {
		panic(fmt.Sprintf("models: NewEA: unknown bond distribution %d", int(b)))
	}
	if rng == nil {
		panic("models: NewEA with nil rng")
	}
	bonds := l.Bonds(1)
	for k := range bonds {
		bonds[k].W = b.draw(rng)
	}
	p := NewSparse(l.N(), bonds, nil)
	lat := l
	p.Lattice = &lat
	p.Name = fmt.Sprintf("ea %s %s", l, b)
	return p
}
