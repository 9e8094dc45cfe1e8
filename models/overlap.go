package models

import "fmt"

// Overlap returns the spin overlap q = (1/N) Σ_i a_i b_i of two configurations of N
// spins. It panics if their lengths differ or are 0.
func Overlap(a, b []int8) float64 {
	if len(a) != len(b) || len(a) == 0 {
		panic(fmt.Sprintf("models: Overlap of configurations of %d and %d spins", len(a), len(b)))
	}
	return float64(dot(a, b)) / float64(len(a))
}

// dot returns Σ_i a_i b_i in integer arithmetic; len(b) ≥ len(a).
func dot(a, b []int8) int {
	b = b[:len(a)]
	var s0, s1, s2, s3 int
	i := 0
	for ; i+4 <= len(a); i += 4 {
		s0 += int(a[i]) * int(b[i])
		s1 += int(a[i+1]) * int(b[i+1])
		s2 += int(a[i+2]) * int(b[i+2])
		s3 += int(a[i+3]) * int(b[i+3])
	}
	for ; i < len(a); i++ {
		s0 += int(a[i]) * int(b[i])
	}
	return s0 + s1 + s2 + s3
}

// LinkOverlap returns the link overlap q_l = (1/N_b) Σ_⟨ij⟩ a_i a_j b_i b_j of two
// configurations, the sum running over the bonds of p, each once (a pair stored twice,
// as on a lattice of side 2, counts twice), with N_b = NumBonds. The couplings' values
// do not enter. For Gaussian couplings it gives the identity [⟨E⟩]/N = −(zβ/2)(1 −
// [⟨q_l⟩]) (docs/references/sk.md §4). It returns NaN if p has no bonds, and panics if a or b
// does not have N spins.
func (p *Sparse) LinkOverlap(a, b []int8) float64 {
	n := p.N()
	if len(a) != n || len(b) != n {
		panic(fmt.Sprintf("models: LinkOverlap of %d and %d spins on a model of %d", len(a), len(b), n))
	}
	start, nbr := p.Start[:n+1], p.Nbr
	var sum int
	for i := 0; i < n; i++ {
		var f int
		for k := start[i]; k < start[i+1]; k++ {
			j := nbr[k]
			f += int(a[j]) * int(b[j])
		}
		sum += int(a[i]) * int(b[i]) * f
	}
	// Every bond is stored from both ends, so sum counts each twice.
	return float64(sum) / float64(len(nbr))
}

// LinkOverlap returns the link overlap of the fully connected model,
// q_l = (2/(N(N−1))) Σ_{i<j} a_i a_j b_i b_j = (N q² − 1)/(N − 1), with q = [Overlap](a, b).
// It returns NaN for N = 1, and panics if a or b does not have N spins.
func (d *Dense) LinkOverlap(a, b []int8) float64 {
	n := d.N()
	if len(a) != n || len(b) != n {
		panic(fmt.Sprintf("models: LinkOverlap of %d and %d spins on a model of %d", len(a), len(b), n))
	}
	s := dot(a, b) // N q
	return float64(s*s-n) / float64(n*(n-1))
}
