package models

import (
	"math"
	"math/rand/v2"
	"testing"
)

// The weights m(t) = p!/∏ n_k! of the sorted tuples are the numbers of distinct
// orderings, so Σ_t m(t) = N^p and Σ_t m(t) ∏_a σ_{t_a}σ'_{t_a} = (σ·σ')^p: the
// identity that makes the covariance of [Spherical] exactly N q^p.
func TestSphericalMultiplicity(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	for _, p := range []int{2, 3, 4} {
		for _, n := range []int{1, 2, 5, 9} {
			a, b := make([]float64, n), make([]float64, n)
			var dot float64
			for i := range a {
				a[i], b[i] = rng.NormFloat64(), rng.NormFloat64()
				dot += a[i] * b[i]
			}
			var sum, cov float64
			count := 0
			var tt, perm [4]int
			forTuples(n, p, tt[:p], func(t []int) {
				m := multiplicity(t)
				distinct := 0
				forDistinctPermutations(t, perm[:p], func([]int) { distinct++ })
				if distinct != m {
					panic("multiplicity differs from the count of distinct orderings")
				}
				sum += float64(m)
				prod := float64(m)
				for _, v := range t {
					prod *= a[v] * b[v]
				}
				cov += prod
				count++
			})
			if count != SphericalTuples(n, p) {
				t.Errorf("p=%d N=%d: %d tuples; want %d", p, n, count, SphericalTuples(n, p))
			}
			if want := math.Pow(float64(n), float64(p)); sum != want {
				t.Errorf("p=%d N=%d: Σ m(t) = %v; want N^p = %v", p, n, sum, want)
			}
			if want := math.Pow(dot, float64(p)); math.Abs(cov-want) > 1e-10*math.Max(1, math.Abs(want)) {
				t.Errorf("p=%d N=%d: Σ m(t)∏σσ' = %v; want (σ·σ')^p = %v", p, n, cov, want)
			}
		}
	}
}

// The row-wise Hessian kernels of p = 2 and 3 fill the same pair terms as the
// plain loop over tuples.
func TestSphericalHessianKernels(t *testing.T) {
	for _, p := range []int{2, 3} {
		for _, n := range []int{1, 2, 7, 13} {
			rng := rand.NewPCG(uint64(p), uint64(n))
			m := NewSpherical(n, p, ABC, rng)
			s := make([]float64, n)
			RandomSphere(s, rng)
			fast, slow := make([]float64, n*n), make([]float64, n*n)
			if p == 2 {
				hessian2(m.k, n, fast)
			} else {
				hessian3(m.k, s, fast)
			}
			m.hessianGeneric(s, slow)
			for i := range fast {
				if math.Abs(fast[i]-slow[i]) > 1e-12 {
					t.Fatalf("p=%d N=%d: pair term %d = %v; generic %v", p, n, i, fast[i], slow[i])
				}
			}
		}
	}
}
