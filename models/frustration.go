package models

import (
	"errors"
	"fmt"
	"math"
)

// Frustration counts frustrated loops: Frustrated of Total loops have a negative
// product of couplings, so no configuration satisfies all their bonds.
type Frustration struct {
	Frustrated, Total int
}

// Fraction returns Frustrated/Total (NaN when there are no loops).
func (f Frustration) Fraction() float64 {
	if f.Total == 0 {
		return math.NaN()
	}
	return float64(f.Frustrated) / float64(f.Total)
}

// String returns e.g. "131/256 frustrated (0.512)".
func (f Frustration) String() string {
	return fmt.Sprintf("%d/%d frustrated (%.3g)", f.Frustrated, f.Total, f.Fraction())
}

// pairCoupling returns the coupling between sites i and j of p (the sum, if the pair is
// stored more than once) and whether they are bonded.
func pairCoupling(p *Sparse, i, j int) (float64, bool) {
	var w float64
	found := false
	for k := p.Start[i]; k < p.Start[i+1]; k++ {
		if int(p.Nbr[k]) == j {
			w += p.J[k]
			found = true
		}
	}
	return w, found
}

// FrustratedPlaquettes counts the frustrated elementary plaquettes of a model on a
// periodic square or cubic lattice (p.Lattice set, side ≥ 3): the L² squares of the
// square lattice, the 3L³ of the cubic one. A plaquette is frustrated when the product
// of its four couplings is negative (Toulouse, Commun. Phys. 2, 115 (1977)); a
// plaquette with a missing or zero bond is counted as not frustrated. The ferromagnet
// has none; the ±J Edwards–Anderson model has half of them frustrated on average.
func FrustratedPlaquettes(p *Sparse) (Frustration, error) {
	if p.Lattice == nil {
		return Frustration{}, errors.New("frustrated plaquettes: the model has no lattice")
	}
	l := *p.Lattice
	if l.Dim < 2 {
		return Frustration{}, fmt.Errorf("frustrated plaquettes: a %d-dimensional lattice has no plaquettes", l.Dim)
	}
	if l.L < 3 {
		return Frustration{}, fmt.Errorf("frustrated plaquettes need a side ≥ 3, have %d", l.L)
	}
	var f Frustration
	for i := 0; i < l.N(); i++ {
		for a := 0; a < l.Dim; a++ {
			for b := a + 1; b < l.Dim; b++ {
				ia := l.Step(i, a, 1)
				iab := l.Step(ia, b, 1)
				ib := l.Step(i, b, 1)
				prod := 1.0
				for _, e := range [4][2]int{{i, ia}, {ia, iab}, {iab, ib}, {ib, i}} {
					w, _ := pairCoupling(p, e[0], e[1])
					prod *= w
				}
				f.Total++
				if prod < 0 {
					f.Frustrated++
				}
			}
		}
	}
	return f, nil
}

// FrustratedTriangles counts the frustrated triangles of a pairwise model: every
// triple i < j < k whose three couplings are non-zero is a triangle, frustrated when
// J_ij J_jk J_ki < 0. For a [*Dense] model that is all C(N, 3) triples (O(N³)); for a
// [*Sparse] one, the triangles of its graph. SK has half of its triangles frustrated on
// average (the product of three independent symmetric couplings is negative with
// probability 1/2); a Mattis model (Hopfield with one pattern) has none. Other models
// give an error.
func FrustratedTriangles(m Model) (Frustration, error) {
	var f Frustration
	switch p := m.(type) {
	case *Dense:
		n := p.N()
		for i := 0; i < n; i++ {
			for j := i + 1; j < n; j++ {
				jij := p.J[i*n+j]
				if jij == 0 {
					continue
				}
				row := p.J[j*n : j*n+n]
				for k := j + 1; k < n; k++ {
					w := jij * row[k] * p.J[k*n+i]
					if w != 0 {
						f.Total++
						if w < 0 {
							f.Frustrated++
						}
					}
				}
			}
		}
	case *Sparse:
		n := p.N()
		nb := make([]map[int]float64, n)
		for i := range nb {
			nb[i] = map[int]float64{}
			for k := p.Start[i]; k < p.Start[i+1]; k++ {
				nb[i][int(p.Nbr[k])] += p.J[k]
			}
		}
		for i := 0; i < n; i++ {
			for j, wij := range nb[i] {
				if j <= i || wij == 0 {
					continue
				}
				for k, wjk := range nb[j] {
					if k <= j || wjk == 0 {
						continue
					}
					if wki, ok := nb[k][i]; ok && wki != 0 {
						f.Total++
						if wij*wjk*wki < 0 {
							f.Frustrated++
						}
					}
				}
			}
		}
	default:
		return Frustration{}, fmt.Errorf("frustrated triangles: %v is not a pairwise model", m)
	}
	return f, nil
}

// CouplingBound returns B = Σ_{i<j} |J_ij| + Σ_i |h_i| for a pairwise model (for a
// [*PSpin], Σ_t |J_t|): no configuration has an energy below −B, and one reaches −B
// exactly when every bond (and field) can be satisfied at once. Other models give an
// error.
func CouplingBound(m Model) (float64, error) {
	var b float64
	switch p := m.(type) {
	case *Dense:
		n := p.N()
		for i := 0; i < n; i++ {
			for j := i + 1; j < n; j++ {
				b += math.Abs(p.J[i*n+j])
			}
			b += math.Abs(p.H[i])
		}
	case *Sparse:
		for i := range p.H {
			for k := p.Start[i]; k < p.Start[i+1]; k++ {
				b += math.Abs(p.J[k]) / 2
			}
			b += math.Abs(p.H[i])
		}
	case *PSpin:
		for _, w := range p.j {
			b += math.Abs(w)
		}
	default:
		return 0, fmt.Errorf("coupling bound: %v has no couplings to sum", m)
	}
	return b, nil
}

// FrustrationIndex returns the ground-state frustration index 1 − E0/(−B), with E0 the
// ground-state energy (total, exact or the best known) and B = [CouplingBound](m): 0
// for an unfrustrated model (ferromagnet, Mattis), and the fraction by which the
// ground state misses satisfying every bond otherwise. (For SK, B ≈ N^{3/2}/√(2π)
// grows faster than E0 ≈ −0.763 N, so the index tends to 1.) It returns an error for
// models without couplings to sum or with a bound of 0.
func FrustrationIndex(m Model, e0 float64) (float64, error) {
	b, err := CouplingBound(m)
	if err != nil {
		return math.NaN(), err
	}
	if b == 0 {
		return math.NaN(), errors.New("frustration index: the model has no couplings")
	}
	return 1 + e0/b, nil
}
