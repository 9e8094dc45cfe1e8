package models

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// NewPlanted returns the Sherrington–Kirkpatrick model with a planted pattern ξ, the
// "funneled SK" of docs/references/funnels.md §3:
//
//	J_ij = (J0/N) ξ_i ξ_j + z_ij/√N,
//
// with z_ij drawn from b (standard normal or ±1), and the pattern ξ. The pattern is
// drawn first, site by site from the top bit of one rng.Uint64 each (set: −1, as
// [RandomPatterns]); then the z_ij for i < j in row-major order, one draw each, as
// [NewSK] draws them. The gauge transformation s_i → ξ_i s_i maps it to SK with
// couplings of mean J0/N: the planted state orders ("folds") below T = J0 when J0 > 1,
// the spin glass takes over below T = 1 when J0 < 1 (at T = 0 the boundary is J0 ≈ 1
// in Parisi's solution, J0 = √(π/2) in the replica-symmetric one); on the Nishimori
// line T = 1/J0 the disorder average of the energy is exactly −J0(N−1)/2. Report the
// overlap with ξ ([Overlap]). It panics if n < 1, j0 is not finite, b is unknown or
// rng is nil.
func NewPlanted(n int, j0 float64, b BondDist, rng *rand.Rand) (*Dense, []int8) {
	if n < 1 {
		panic(fmt.Sprintf("models: NewPlanted needs n ≥ 1, have %d", n))
	}
	if math.IsNaN(j0) || math.IsInf(j0, 0) {
		panic("models: NewPlanted needs a finite J0")
	}
	if b != PlusMinus && b != Gaussian {
		panic(fmt.Sprintf("models: NewPlanted: unknown bond distribution %d", int(b)))
	}
	if rng == nil {
		panic("models: NewPlanted with nil rng")
	}
	xi := RandomPatterns(1, n, rng)[0]
	mean, sd := j0/float64(n), 1/math.Sqrt(float64(n))
	j := make([]float64, n*n)
	for a := 0; a < n; a++ {
		for c := a + 1; c < n; c++ {
			w := mean*float64(xi[a]*xi[c]) + sd*b.draw(rng)
			j[a*n+c], j[c*n+a] = w, w
		}
	}
	d := NewDense(n, j, nil)
	d.Name = fmt.Sprintf("planted N=%d J0=%g %s", n, j0, b)
	return d, xi
}

// PatternOverlaps sets dst[μ] = m_μ = (1/N) Σ_i ξ_i^μ s_i, the overlap of s with each
// stored pattern (the Mattis magnetizations of a Hopfield network), and returns dst
// (allocated if nil). It panics if a pattern's length differs from len(s) or
// len(dst) ≠ len(patterns).
func PatternOverlaps(dst []float64, patterns [][]int8, s []int8) []float64 {
	if dst == nil {
		dst = make([]float64, len(patterns))
	}
	if len(dst) != len(patterns) {
		panic(fmt.Sprintf("models: PatternOverlaps: %d destinations for %d patterns", len(dst), len(patterns)))
	}
	for mu, xi := range patterns {
		if len(xi) != len(s) || len(s) == 0 {
			panic(fmt.Sprintf("models: PatternOverlaps: pattern %d has %d spins, configuration %d", mu, len(xi), len(s)))
		}
		dst[mu] = float64(dot(xi, s)) / float64(len(s))
	}
	return dst
}

// CorruptPattern returns a copy of ξ with each spin flipped independently with
// probability p (one rng.Float64 per site): a start near a stored pattern for retrieval
// runs (p = 0 starts at the pattern). It panics unless 0 ≤ p ≤ 1 and rng is not nil.
func CorruptPattern(xi []int8, p float64, rng *rand.Rand) []int8 {
	if !(p >= 0 && p <= 1) {
		panic(fmt.Sprintf("models: CorruptPattern with flip probability %v", p))
	}
	if rng == nil {
		panic("models: CorruptPattern with nil rng")
	}
	s := append([]int8(nil), xi...)
	for i := range s {
		if rng.Float64() < p {
			s[i] = -s[i]
		}
	}
	return s
}
