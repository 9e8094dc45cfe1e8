package models_test

import (
	"fmt"
	"runtime"
	"testing"

	"github.com/deepglass/deepglass/models"
)

// BenchmarkSphericalGradient times one gradient (with the energy) and reports the
// flop rate: 4 flops per stored coupling (a multiply-add into the row's dot product
// and one into the gradient), C(N+p−1, p) couplings. On a shared machine the wall
// time (ms/grad) counts the time other processes hold the core; cpu-ms/grad is the
// CPU time of the benchmark's own thread (Linux; 0 elsewhere), the cost of a
// gradient on an idle core.
func BenchmarkSphericalGradient(b *testing.B) {
	for _, c := range []struct{ p, n int }{{2, 1000}, {3, 100}, {3, 200}, {3, 400}, {4, 60}} {
		b.Run(fmt.Sprintf("p=%d/N=%d", c.p, c.n), func(b *testing.B) {
			rng := sphereRng(1)
			m := models.NewSpherical(c.n, c.p, models.ABC, rng)
			s := randomPoint(c.n, rng)
			g := make([]float64, c.n)
			flops := 4 * float64(models.SphericalTuples(c.n, c.p))
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			cpu0 := threadCPU()
			for b.Loop() {
				m.Gradient(g, s)
			}
			cpu := threadCPU() - cpu0
			ns := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
			b.ReportMetric(ns/1e6, "ms/grad")
			b.ReportMetric(cpu/1e6/float64(b.N), "cpu-ms/grad")
			b.ReportMetric(flops/ns, "Gflop/s")
			if cpu > 0 {
				b.ReportMetric(flops*float64(b.N)/cpu, "cpu-Gflop/s")
			}
			b.ReportMetric(flops/1e6, "Mflop/grad")
		})
	}
}
