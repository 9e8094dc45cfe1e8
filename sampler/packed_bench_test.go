package sampler

import (
	"fmt"
	"testing"

	"github.com/deepglass/deepglass/models"
)

// benchPacked returns a thermalised packed chain and its sweeper; one update is one spin
// of one lane.
func benchPacked(b *testing.B, ps []*models.Sparse, beta float64, draws PackedDraws) (*PackedMetropolis, *PackedChain) {
	b.Helper()
	pm, err := NewPackedModelLanes(ps)
	if err != nil {
		b.Fatal(err)
	}
	mv := NewPackedMetropolis(pm, beta, draws)
	c := NewPackedChain(pm, NewStream(1, PurposeChain, 0, 0))
	for range max(4, 1<<20/pm.N()) {
		mv.Sweep(c)
	}
	c.Accepted, c.Proposed = 0, 0
	return mv, c
}

// runPacked sweeps in b.Loop and reports ns per spin update (over all lanes) and the
// acceptance rate.
func runPacked(b *testing.B, mv *PackedMetropolis, c *PackedChain) {
	var updates int64
	for b.Loop() {
		mv.Sweep(c)
		updates += int64(len(c.S)) * PackedLanes
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(updates), "ns/update")
	b.ReportMetric(c.Acceptance(), "accept")
}

func BenchmarkPackedIsing2D(b *testing.B) {
	for _, draws := range []PackedDraws{IndependentLanes, SharedDraw} {
		for _, l := range benchSizes {
			b.Run(fmt.Sprintf("%v/L=%d", draws, l), func(b *testing.B) {
				p := models.NewIsing(models.Square(l), 1, 0)
				mv, c := benchPacked(b, []*models.Sparse{p}, benchBeta, draws)
				runPacked(b, mv, c)
			})
		}
	}
}

// BenchmarkPackedEA3D runs 64 disorder samples of the 3D ±J spin glass at T = 1.1,
// near its T_c ≈ 1.1 (Katzgraber, Körner and Young, PRB 73, 224432 (2006)).
func BenchmarkPackedEA3D(b *testing.B) {
	for _, draws := range []PackedDraws{IndependentLanes, SharedDraw} {
		for _, l := range []int{16, 32} {
			b.Run(fmt.Sprintf("%v/L=%d", draws, l), func(b *testing.B) {
				ps := make([]*models.Sparse, PackedLanes)
				for k := range ps {
					ps[k] = models.NewEA(models.Cubic(l), models.PlusMinus, disorder(k))
				}
				mv, c := benchPacked(b, ps, 1/1.1, draws)
				runPacked(b, mv, c)
			})
		}
	}
}

// BenchmarkMetropolisEA3D is the scalar kernel on the model and temperature of
// BenchmarkPackedEA3D (one sample), for comparison.
func BenchmarkMetropolisEA3D(b *testing.B) {
	for _, l := range []int{16, 32} {
		b.Run(fmt.Sprintf("L=%d", l), func(b *testing.B) {
			m := models.NewEA(models.Cubic(l), models.PlusMinus, disorder(0))
			mh := NewMetropolis(m, 1/1.1, Typewriter)
			c := NewChain(m, NewStream(1, PurposeChain, 0, 0))
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
	pm, err := NewPackedGraphLanes([]*models.Sparse{p})
	if err != nil {
		b.Fatal(err)
	}
	for _, beta := range []float64{0.1, 0.5, 1, 2, 3.5} {
		b.Run(fmt.Sprintf("beta=%g", beta), func(b *testing.B) {
			mv := NewPackedMetropolis(pm, beta, IndependentLanes)
			c := NewPackedChain(pm, NewStream(1, PurposeChain, 0, 0))
			for range 200 {
				mv.Sweep(c)
			}
			runPacked(b, mv, c)
		})
	}
}
