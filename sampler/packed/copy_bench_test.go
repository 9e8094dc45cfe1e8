package packed

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/deepglass/deepglass/models"
	"github.com/deepglass/deepglass/sampler"
)

// BenchmarkTableCheck is sampler's BenchmarkTableCheck for the packed sweeper: it
// alternates, in blocks of about 2¹⁸ lane updates, the public Sweep (which checks that
// the sweeper's tables are its own and current) with the bare 2D kernel, on one chain
// of a ±J sample, and reports ns per lane update of both and the median over pairs of
// adjacent blocks of their ratio.
func BenchmarkTableCheck(b *testing.B) {
	for _, l := range []int{16, 64} {
		pm, _ := NewModel(models.NewEA(models.Square(l), models.PlusMinus, disorder(1)))
		pmv := NewMetropolis(pm, benchBeta, IndependentLanes)
		c := NewChain(pm, sampler.NewStream(1, sampler.PurposeChain, 0, 0))
		viaAPI := func() { pmv.Sweep(c) }
		kernel := func() {
			var x xoshiro
			x.seed(c.Src)
			c.Accepted += int64(packedSweep2D(pm, pmv, c.S, x))
			c.Proposed += int64(len(c.S)) * Lanes
		}
		b.Run(fmt.Sprintf("packed/L=%d", l), func(b *testing.B) {
			n := l * l * Lanes
			calls := max(1, 1<<18/n)
			var tAPI, tKernel time.Duration
			var nAPI, nKernel int64
			var ratios []float64 // per pair of adjacent blocks: robust against load changes
			run := func(f func(), t *time.Duration, k *int64) float64 {
				t0 := time.Now()
				for range calls {
					f()
				}
				d := time.Since(t0)
				*t += d
				*k += int64(calls * n)
				return float64(d.Nanoseconds()) / float64(calls*n)
			}
			odd := false
			for b.Loop() {
				var a, k float64
				if odd {
					a = run(viaAPI, &tAPI, &nAPI)
					k = run(kernel, &tKernel, &nKernel)
				} else {
					k = run(kernel, &tKernel, &nKernel)
					a = run(viaAPI, &tAPI, &nAPI)
				}
				ratios = append(ratios, a/k)
				odd = !odd
			}
			slices.Sort(ratios)
			b.ReportMetric(float64(tAPI.Nanoseconds())/float64(nAPI), "ns/update(api)")
			b.ReportMetric(float64(tKernel.Nanoseconds())/float64(nKernel), "ns/update(kernel)")
			b.ReportMetric(ratios[len(ratios)/2], "api/kernel(median)")
		})
	}
}
