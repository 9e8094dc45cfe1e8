package sampler

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/deepglass/deepglass/models"
)

// BenchmarkTableCheck measures what the sampler-copy fix can cost: the checks that a
// sampler's tables are its own and current (a pointer and a float comparison per
// sweep, per cluster for Wolff). It alternates, in blocks of a few milliseconds in the
// same process (so that the load of a shared machine hits both alike), the public
// entry point (Sweep, Update), which runs every check, with the bare kernel on
// precomputed tables, which runs none, on two chains of the same model and reports
// ns per spin update of both and the median over pairs of adjacent blocks of their
// ratio. The ratio bounds the overhead of all
// checks, old and new. Both paths sweep the same chain in turn (they are the same
// dynamics), so that they see the same states: cluster sizes, for one, vary widely.
// sampler/packed has the twin for the packed sweeper.
func BenchmarkTableCheck(b *testing.B) {
	type pair struct {
		name           string
		n              int // spin updates per call, or 0 to count c.Proposed
		viaAPI, kernel func(*Chain)
		chains         func() (*Chain, *Chain)
	}
	ising := func(l int) *models.Sparse { return models.NewIsing(models.Square(l), 1, 0) }
	var pairs []pair
	for _, l := range []int{16, 64} {
		m := ising(l)
		mh := NewMetropolis(m, benchBeta, Typewriter)
		t := mh.prepare(m)
		hb := NewHeatBath(m, benchBeta, Typewriter)
		th := hb.prepare(m)
		w := NewWolff(m, benchBeta)
		chains := func(mv Sweeper) func() (*Chain, *Chain) {
			return func() (*Chain, *Chain) { c := benchChain(l, mv, m); return c, c }
		}
		pairs = append(pairs,
			pair{fmt.Sprintf("metropolis/L=%d", l), l * l, mh.Sweep, func(c *Chain) {
				acc, de := metropolisSquareFerro(m, t.lat, t.thr, &t.thrU, c)
				c.E += float64(de)
				c.Accepted += acc
				c.Proposed += int64(len(c.S))
			}, chains(mh)},
			pair{fmt.Sprintf("heatbath/L=%d", l), l * l, hb.Sweep, func(c *Chain) {
				acc, de := heatBathSquareFerro(m, th.lat, th.thr, &th.thrH, c)
				c.E += float64(de)
				c.Accepted += acc
				c.Proposed += int64(len(c.S))
			}, chains(hb)},
			pair{fmt.Sprintf("wolff-update/L=%d", l), 0, func(c *Chain) { w.Update(c) }, func(c *Chain) { w.update(c) },
				func() (*Chain, *Chain) { c := clusterChain(w, m); return c, c }})
	}
	for _, p := range pairs {
		b.Run(p.name, func(b *testing.B) {
			c1, c2 := p.chains()
			calls := 1
			if p.n > 0 {
				calls = max(1, 1<<18/p.n) // blocks of about 2¹⁸ updates
			} else {
				calls = 64
			}
			var tAPI, tKernel time.Duration
			var nAPI, nKernel int64
			var ratios []float64 // per pair of adjacent blocks: robust against load changes
			run := func(f func(*Chain), c *Chain, t *time.Duration, n *int64) float64 {
				var before int64
				if c != nil {
					before = c.Proposed
				}
				t0 := time.Now()
				for range calls {
					f(c)
				}
				d := time.Since(t0)
				*t += d
				k := int64(calls * p.n)
				if p.n == 0 {
					k = c.Proposed - before
				}
				*n += k
				return float64(d.Nanoseconds()) / float64(k)
			}
			odd := false
			for b.Loop() {
				var a, k float64
				if odd {
					a = run(p.viaAPI, c1, &tAPI, &nAPI)
					k = run(p.kernel, c2, &tKernel, &nKernel)
				} else {
					k = run(p.kernel, c2, &tKernel, &nKernel)
					a = run(p.viaAPI, c1, &tAPI, &nAPI)
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
