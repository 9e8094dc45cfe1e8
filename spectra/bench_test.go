package spectra

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// esdLike returns n values: a Marchenko–Pastur-like bulk with a power-law tail of
// 5% of the values, the shape of a trained layer's ESD.
func esdLike(n int, seed uint64) []float64 {
	r := rand.New(rand.NewPCG(seed, 3))
	x := make([]float64, n)
	for i := range x {
		if i < n/20 {
			x[i] = 4 * math.Pow(1-r.Float64(), -1/1.5)
		} else {
			u := r.Float64()
			x[i] = 0.1 + 3.9*u*u*(3-2*u)
		}
	}
	return x
}

func BenchmarkFitPowerLaw(b *testing.B) {
	for _, n := range []int{1000, 10000, 100000} {
		for _, kind := range []string{"esd", "pareto", "lognormal"} {
			r := rand.New(rand.NewPCG(5, 5))
			x := esdLike(n, 1)
			switch kind {
			case "pareto":
				for i := range x {
					x[i] = math.Pow(1-r.Float64(), -1/1.8)
				}
			case "lognormal":
				for i := range x {
					x[i] = math.Exp(r.NormFloat64())
				}
			}
			b.Run(fmt.Sprintf("%s/n=%d", kind, n), func(b *testing.B) {
				for b.Loop() {
					if _, err := FitPowerLaw(x, nil); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/fit")
			})
		}
	}
}
