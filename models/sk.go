package models

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// NewSK returns the Sherrington–Kirkpatrick model on n fully connected spins,
//
//	H = -Σ_{i<j} J_ij s_i s_j,
//
// with independent couplings of mean j0/n and variance 1/n: J_ij = j0/n + z/√n with z
// drawn from b (standard normal for Gaussian, ±1 for PlusMinus). Couplings are drawn for
// i < j in row-major order (i outer, j inner), one draw each. It panics if n < 1, j0 is
// not finite, b is unknown or rng is nil.
func NewSK(n int, j0 float64, b BondDist, rng *rand.Rand) *Dense {
	if n < 1 {
		panic(fmt.Sprintf("models: NewSK needs n ≥ 1, have %d", n))
	}
	if math.IsNaN(j0) || math.IsInf(j0, 0) {
		panic("models: NewSK needs a finite J0")
	}
	if b != PlusMinus && b != Gaussian {
		panic(fmt.Sprintf("models: NewSK: unknown bond distribution %d", int(b)))
	}
	if rng == nil {
		panic("models: NewSK with nil rng")
	}
	mean, sd := j0/float64(n), 1/math.Sqrt(float64(n))
	j := make([]float64, n*n)
	for a := 0; a < n; a++ {
		for c := a + 1; c < n; c++ {
			w := mean + sd*b.draw(rng)
			j[a*n+c], j[c*n+a] = w, w
		}
	}
	d := NewDense(n, j, nil)
	d.Name = fmt.Sprintf("sk N=%d J0=%g %s", n, j0, b)
	return d
}
