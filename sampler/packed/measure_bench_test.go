package packed

import (
	"fmt"
	"testing"
	"time"

	"github.com/deepglass/deepglass/models"
	"github.com/deepglass/deepglass/sampler"
)

// measureCase is a model of the measurement benchmarks: 2D Ising L = 256 at T = 2.269
// and 64 samples of 3D ±J EA L = 32 at T = 1.1.
type measureCase struct {
	name string
	ps   []*models.Sparse
	beta float64
}

func measureCases() []measureCase {
	ea := make([]*models.Sparse, Lanes)
	for k := range ea {
		ea[k] = models.NewEA(models.Cubic(32), models.PlusMinus, disorder(k))
	}
	return []measureCase{
		{"ising2d/L=256", []*models.Sparse{models.NewIsing(models.Square(256), 1, 0)}, benchBeta},
		{"ea3d/L=32", ea, 1 / 1.1},
	}
}

// BenchmarkPackedMeasure times, alternately in the same loop, one sweep of two replicas
// a and b and the measurement of every lane after it: energies and magnetizations of
// both, overlaps and link overlaps of the pair. It reports the ratios
// measurement/sweep for one chain's energies and magnetizations (em/sweep) and for the
// whole set (all/sweep, over the two sweeps), and each part in ns per site.
func BenchmarkPackedMeasure(b *testing.B) {
	for _, mc := range measureCases() {
		pm, err := NewModelLanes(mc.ps)
		if err != nil {
			b.Fatal(err)
		}
		mv := NewMetropolis(pm, mc.beta, IndependentLanes)
		n := pm.N()
		b.Run(mc.name+"/lanes=64", func(b *testing.B) {
			ca := NewChain(pm, sampler.NewStream(1, sampler.PurposeChain, 0, 0))
			cb := NewChain(pm, sampler.NewStream(1, sampler.PurposeChain, 0, 1))
			for range 20 {
				mv.Sweep(ca)
				mv.Sweep(cb)
			}
			var e [Lanes]int64
			var m, q, ql [Lanes]float64
			var tSweep, tEM, tQ time.Duration
			for b.Loop() {
				t0 := time.Now()
				mv.Sweep(ca)
				mv.Sweep(cb)
				t1 := time.Now()
				pm.LaneEnergies(e[:], ca.S)
				ca.LaneMagnetizations(m[:])
				pm.LaneEnergies(e[:], cb.S)
				cb.LaneMagnetizations(m[:])
				t2 := time.Now()
				ca.LaneOverlaps(q[:], cb)
				pm.LaneLinkOverlaps(ql[:], ca.S, cb.S)
				t3 := time.Now()
				tSweep += t1.Sub(t0)
				tEM += t2.Sub(t1)
				tQ += t3.Sub(t2)
			}
			reportMeasure(b, n, 1, tSweep, tEM, tQ)
		})
		b.Run(mc.name+"/lanes=512", func(b *testing.B) {
			ca := NewWideChain(pm, sampler.NewStream(1, sampler.PurposeChain, 0, 0))
			cb := NewWideChain(pm, sampler.NewStream(1, sampler.PurposeChain, 0, 1))
			for range 4 {
				mv.SweepWide(ca)
				mv.SweepWide(cb)
			}
			e := make([]int64, WideLanes)
			m, q, ql := make([]float64, WideLanes), make([]float64, WideLanes), make([]float64, WideLanes)
			var tSweep, tEM, tQ time.Duration
			for b.Loop() {
				t0 := time.Now()
				mv.SweepWide(ca)
				mv.SweepWide(cb)
				t1 := time.Now()
				pm.WideLaneEnergies(e, ca)
				ca.LaneMagnetizations(m)
				pm.WideLaneEnergies(e, cb)
				cb.LaneMagnetizations(m)
				t2 := time.Now()
				ca.LaneOverlaps(q, cb)
				pm.WideLaneLinkOverlaps(ql, ca, cb)
				t3 := time.Now()
				tSweep += t1.Sub(t0)
				tEM += t2.Sub(t1)
				tQ += t3.Sub(t2)
			}
			reportMeasure(b, n, WideWords, tSweep, tEM, tQ)
			simd := 0.0
			if WideSIMD() {
				simd = 1
			}
			b.ReportMetric(simd, "simd")
		})
	}
}

// reportMeasure reports the ratios of BenchmarkPackedMeasure: tSweep is two sweeps, tEM
// two chains' energies and magnetizations, tQ one pair's overlaps.
func reportMeasure(b *testing.B, n, words int, tSweep, tEM, tQ time.Duration) {
	b.ReportMetric(float64(tEM)/float64(tSweep), "em/sweep")
	b.ReportMetric(float64(tEM+tQ)/float64(tSweep), "all/sweep")
	per := float64(b.N) * float64(n) * float64(words) * 2
	b.ReportMetric(float64(tSweep)/per, "ns-sweep/site-word")
	b.ReportMetric(float64(tEM)/per, "ns-em/site-word")
	b.ReportMetric(2*float64(tQ)/per, "ns-q/site-word")
	b.ReportMetric(0, "ns/op")
}

// BenchmarkLaneCount times the bit-sliced count alone: ns per counted word.
func BenchmarkLaneCount(b *testing.B) {
	for _, n := range []int{1 << 12, 1 << 16} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			src := sampler.NewStream(1, sampler.PurposeChain, 0, 0)
			w := make([]uint64, n)
			for i := range w {
				w[i] = src.Uint64()
			}
			c := &Chain{S: w}
			var m [Lanes]float64
			for b.Loop() {
				c.LaneMagnetizations(m[:])
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/word")
		})
	}
}
