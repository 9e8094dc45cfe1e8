package models

import (
	"fmt"
	"math/rand/v2"
)

// RandomPatterns returns p patterns of n unbiased random ±1 entries, drawn pattern by
// pattern, site by site, each entry from the top bit of one rng.Uint64 (set: -1). It
// panics if p < 1, n < 1 or rng is nil.
func RandomPatterns(p, n int, rng *rand.Rand) [][]int8 {
	if p < 1 || n < 1 {
		panic(fmt.Sprintf("models: RandomPatterns needs p, n ≥ 1, have p=%d n=%d", p, n))
	}
	if rng == nil {
		panic("models: RandomPatterns with nil rng")
	}
	out := make([][]int8, p)
	for mu := range out {
		xi := make([]int8, n)
		for i := range xi {
			xi[i] = 1 - 2*int8(rng.Uint64()>>63)
		}
		out[mu] = xi
	}
	return out
}

// NewHopfield returns the Hopfield network storing patterns ξ^μ (μ = 1…P, each of N
// entries ±1) with the Hebb rule
//
//	J_ij = (1/N) Σ_μ ξ_i^μ ξ_j^μ  (i ≠ j),  J_ii = 0,
//
// so H = -Σ_{i<j} J_ij s_i s_j = -½ Σ_{i≠j} J_ij s_i s_j. With P = 1 it is the Mattis
// model, a gauge-transformed Curie–Weiss ferromagnet. It panics unless there is at
// least one pattern, all patterns have the same non-zero length and every entry is ±1.
func NewHopfield(patterns [][]int8) *Dense {
	if len(patterns) == 0 {
		panic("models: NewHopfield needs at least one pattern")
	}
	n := len(patterns[0])
	if n == 0 {
		panic("models: NewHopfield: empty pattern")
	}
	for mu, xi := range patterns {
		if len(xi) != n {
			panic(fmt.Sprintf("models: NewHopfield: pattern %d has length %d, want %d", mu, len(xi), n))
		}
		for i, v := range xi {
			if v != 1 && v != -1 {
				panic(fmt.Sprintf("models: NewHopfield: pattern %d has entry %d at site %d, want ±1", mu, v, i))
			}
		}
	}
	j := make([]float64, n*n)
	for a := 0; a < n; a++ {
		for c := a + 1; c < n; c++ {
			var sum int
			for _, xi := range patterns {
				sum += int(xi[a]) * int(xi[c])
			}
			w := float64(sum) / float64(n)
			j[a*n+c], j[c*n+a] = w, w
		}
	}
	d := NewDense(n, j, nil)
	d.Name = fmt.Sprintf("hopfield N=%d P=%d", n, len(patterns))
	return d
}
