package spectra

import (
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
)

// ParetoMatrix returns an n×m matrix of iid symmetric Pareto elements ±(1−u)^{−1/μ}
// (tail P(|w| > x) = x^{−μ} for x ≥ 1, sign and u uniform), drawn from the stream
// PCG(seed, 11). For μ < 2 its ESD has the power-law tail α = 1 + μ/2 (Martin &
// Mahoney 2021, Table 1; docs/references/spectra.md).
func ParetoMatrix(n, m int, mu float64, seed uint64) *mat.Dense {
	r := rand.New(rand.NewPCG(seed, 11))
	w := mat.NewDense(n, m, nil)
	for i := range n {
		for j := range m {
			v := math.Pow(1-r.Float64(), -1/mu)
			if r.IntN(2) == 0 {
				v = -v
			}
			w.Set(i, j, v)
		}
	}
	return w
}

// GaussianMatrix returns an n×m matrix of iid standard normal elements, drawn from the
// stream PCG(seed, 13): its ESD is Marchenko–Pastur with edge (√n + √m)².
func GaussianMatrix(n, m int, seed uint64) *mat.Dense {
	r := rand.New(rand.NewPCG(seed, 13))
	w := mat.NewDense(n, m, nil)
	for i := range n {
		for j := range m {
			w.Set(i, j, r.NormFloat64())
		}
	}
	return w
}
