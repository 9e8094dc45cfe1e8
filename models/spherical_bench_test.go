package models_test

import (
	"fmt"
	"testing"

	"github.com/deepglass/deepglass/models"
)

// BenchmarkSphericalGradient times one gradient (with the energy) and reports the
// flop rate: 4 flops per stored coupling (a multiply-add into the row's dot product
// and one into the gradient), C(N+p−1, p) couplings.
func BenchmarkSphericalGradient(b *testing.B) {
	for _, c := range []struct{ p, n int }{{2, 1000}, {3, 100}, {3, 200}, {3, 400}, {4, 60}} {
		b.Run(fmt.Sprintf("p=%d/N=%d", c.p, c.n), func(b *testing.B) {
			rng := sphereRng(1)
			m := models.NewSpherical(c.n, c.p, models.ABC, rng)
			s := randomPoint(c.n, rng)
			g := make([]float64, c.n)
			flops := 4 * float64(models.SphericalTuples(c.n, c.p))
			for b.Loop() {
				m.Gradient(g, s)
			}
			ns := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
			b.ReportMetric(ns/1e6, "ms/grad")
			b.ReportMetric(flops/ns, "Gflop/s")
			b.ReportMetric(flops/1e6, "Mflop/grad")
		})
	}
}
