package packed

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/deepglass/deepglass/models"
	"github.com/deepglass/deepglass/sampler"
)

// benchPacked returns a thermalised packed chain and its sweeper; one update is one spin
// of one lane.
func benchPacked(b *testing.B, ps []*models.Sparse, beta float64, draws Draws) (*Metropolis, *Chain) {
	b.Helper()
	pm, err := NewModelLanes(ps)
	if err != nil {
		b.Fatal(err)
	}
	mv := NewMetropolis(pm, beta, draws)
	c := NewChain(pm, sampler.NewStream(1, sampler.PurposeChain, 0, 0))
	for range max(4, 1<<20/pm.N()) {
		mv.Sweep(c)
	}
	c.Accepted, c.Proposed = 0, 0
	return mv, c
}

// runPacked sweeps in b.Loop and reports ns per spin update (over all lanes) and the
// acceptance rate.
func runPacked(b *testing.B, mv *Metropolis, c *Chain) {
	var updates int64
	for b.Loop() {
		mv.Sweep(c)
		updates += int64(len(c.S)) * Lanes
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(updates), "ns/update")
	b.ReportMetric(c.Acceptance(), "accept")
}

func BenchmarkPackedIsing2D(b *testing.B) {
	for _, draws := range []Draws{IndependentLanes, SharedDraw} {
		for _, l := range benchSizes {
			b.Run(fmt.Sprintf("%v/L=%d", draws, l), func(b *testing.B) {
				p := models.NewIsing(models.Square(l), 1, 0)
				mv, c := benchPacked(b, []*models.Sparse{p}, benchBeta, draws)
				runPacked(b, mv, c)
			})
		}
	}
	for _, l := range benchSizes {
		b.Run(fmt.Sprintf("wide/L=%d", l), func(b *testing.B) {
			runWide(b, []*models.Sparse{models.NewIsing(models.Square(l), 1, 0)}, benchBeta)
		})
	}
}

// runWide thermalises a wide chain (512 lanes) of ps and reports ns per spin update
// of one lane while SweepWide sweeps it in b.Loop, and whether it ran SIMD code.
func runWide(b *testing.B, ps []*models.Sparse, beta float64) {
	pm, err := NewModelLanes(ps)
	if err != nil {
		b.Fatal(err)
	}
	mv := NewMetropolis(pm, beta, IndependentLanes)
	c := NewWideChain(pm, sampler.NewStream(1, sampler.PurposeChain, 0, 0))
	for range max(4, 1<<17/pm.N()) {
		mv.SweepWide(c)
	}
	var updates int64
	for b.Loop() {
		mv.SweepWide(c)
		updates += int64(pm.N()) * Lanes * WideWords
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(updates), "ns/update")
	simd := 0.0
	if WideSIMD() {
		simd = 1
	}
	b.ReportMetric(simd, "simd")
}

// BenchmarkPackedEA3D runs 64 disorder samples of the 3D ±J spin glass at T = 1.1,
// near its T_c ≈ 1.1 (Katzgraber, Körner and Young, PRB 73, 224432 (2006)).
func BenchmarkPackedEA3D(b *testing.B) {
	for _, draws := range []Draws{IndependentLanes, SharedDraw} {
		for _, l := range []int{16, 32} {
			b.Run(fmt.Sprintf("%v/L=%d", draws, l), func(b *testing.B) {
				ps := make([]*models.Sparse, Lanes)
				for k := range ps {
					ps[k] = models.NewEA(models.Cubic(l), models.PlusMinus, disorder(k))
				}
				mv, c := benchPacked(b, ps, 1/1.1, draws)
				runPacked(b, mv, c)
			})
		}
	}
	for _, l := range []int{16, 32} {
		b.Run(fmt.Sprintf("wide/L=%d", l), func(b *testing.B) {
			ps := make([]*models.Sparse, Lanes)
			for k := range ps {
				ps[k] = models.NewEA(models.Cubic(l), models.PlusMinus, disorder(k))
			}
			runWide(b, ps, 1/1.1)
		})
	}
}

// BenchmarkMetropolisEA3D is the scalar kernel on the model and temperature of
// BenchmarkPackedEA3D (one sample), for comparison.
func BenchmarkMetropolisEA3D(b *testing.B) {
	for _, l := range []int{16, 32} {
		b.Run(fmt.Sprintf("L=%d", l), func(b *testing.B) {
			m := models.NewEA(models.Cubic(l), models.PlusMinus, disorder(0))
			mh := sampler.NewMetropolis(m, 1/1.1, sampler.Typewriter)
			c := sampler.NewChain(m, sampler.NewStream(1, sampler.PurposeChain, 0, 0))
			for range max(4, 1<<20/m.N()) {
				mh.Sweep(c)
			}
			c.Accepted, c.Proposed = 0, 0
			var flips int64
			for b.Loop() {
				mh.Sweep(c)
				flips += int64(m.N())
			}
			reportFlips(b, flips, c)
		})
	}
}

// BenchmarkPackedGraphSweep sweeps the packed graph kernel on G22 (64 replicas) at
// fixed β, reporting ns per spin update of one lane, beside the scalar annealing kernel.
func BenchmarkPackedGraphSweep(b *testing.B) {
	p, _ := loadGset(b, "G22")
	pm, err := NewGraphLanes([]*models.Sparse{p})
	if err != nil {
		b.Fatal(err)
	}
	for _, beta := range []float64{0.1, 0.5, 1, 2, 3.5} {
		b.Run(fmt.Sprintf("beta=%g", beta), func(b *testing.B) {
			mv := NewMetropolis(pm, beta, IndependentLanes)
			c := NewChain(pm, sampler.NewStream(1, sampler.PurposeChain, 0, 0))
			for range 200 {
				mv.Sweep(c)
			}
			runPacked(b, mv, c)
		})
	}
}

// BenchmarkAnnealG22Packed alternates a scalar annealing restart with a packed pass (64
// restarts) of the default schedule on G22, on one goroutine each, and reports the time
// per spin update of each (one spin of one lane is one update for the packed pass), their
// ratio, and the mean cut of a restart.
func BenchmarkAnnealG22Packed(b *testing.B) {
	p, g := loadGset(b, "G22")
	s := sampler.DefaultSchedule(p)
	a := sampler.NewAnneal(p, s)
	var sT, pT time.Duration
	var sU, pU int64
	var sCut, pCut float64
	k := 0
	for b.Loop() {
		t0 := time.Now()
		c := sampler.NewChain(p, sampler.NewStream(1, sampler.PurposeChain, 0, k))
		_, e := a.Run(c)
		t1 := time.Now()
		res, err := AnnealRestarts(context.Background(), p, s, uint64(k), 1, nil, 0, Lanes)
		t2 := time.Now()
		if err != nil {
			b.Fatal(err)
		}
		sT, pT = sT+t1.Sub(t0), pT+t2.Sub(t1)
		sU += c.Proposed
		pU += res.Sweeps * int64(p.N()) * Lanes
		sCut += g.Cut(e)
		pCut += g.Cut(res.BestE)
		k++
	}
	sn, pn := float64(sT.Nanoseconds())/float64(sU), float64(pT.Nanoseconds())/float64(pU)
	b.ReportMetric(sn, "scalar-ns/update")
	b.ReportMetric(pn, "packed-ns/update")
	b.ReportMetric(pn/sn, "ratio")
	b.ReportMetric(sCut/float64(k), "scalar-cut")
	b.ReportMetric(pCut/float64(k), "packed-best-of-64-cut")
}
