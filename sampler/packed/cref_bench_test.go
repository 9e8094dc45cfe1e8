//go:build cgo

package packed

import (
	"testing"
	"time"

	"github.com/deepglass/deepglass/models"
	"github.com/deepglass/deepglass/sampler"
	"github.com/deepglass/deepglass/sampler/internal/cref"
)

// BenchmarkPackedVsC alternates blocks of packed sweeps (64 independent lanes) with
// sweeps of the C reference (2D Ising, L = 256, T = 2.269), so that both see the same
// machine load, and reports packed ns per spin update (one spin of one lane), C ns per
// flip attempt, and their ratio (packed/C). ising2d is the comparison (same
// model, same T); ea3d runs 64 samples of the 3D ±J glass at L = 32, T = 1.1 against the
// same 2D C reference, for scale; ising2d-shared is ising2d with SharedDraw (correlated
// lanes), for comparison only; the -typewriter cases run Sweep on sides that are not
// multiples of 16, where it sweeps in typewriter order with table masks (the sides of
// the others run the row-checkerboard kernels, see RowCheckerboard); the -wide cases run SweepWide (512 independent lanes per
// site, AVX-512 kernels where the CPU has them, see WideSIMD), and report it as
// the metric simd (1 or 0).
func BenchmarkPackedVsC(b *testing.B) {
	ea, ea30 := make([]*models.Sparse, Lanes), make([]*models.Sparse, Lanes)
	for k := range ea {
		ea[k] = models.NewEA(models.Cubic(32), models.PlusMinus, disorder(k))
		ea30[k] = models.NewEA(models.Cubic(30), models.PlusMinus, disorder(k))
	}
	for _, bc := range []struct {
		name   string
		ps     []*models.Sparse
		beta   float64
		draws  Draws
		wide   bool // SweepWide: 512 lanes (SIMD kernels when WideSIMD())
		cBlock int  // C sweeps per packed sweep: blocks of comparable wall time
	}{
		{"ising2d/L=256", []*models.Sparse{models.NewIsing(models.Square(256), 1, 0)}, benchBeta, IndependentLanes, false, 6},
		{"ea3d/L=32", ea, 1 / 1.1, IndependentLanes, false, 3},
		{"ising2d-typewriter/L=250", []*models.Sparse{models.NewIsing(models.Square(250), 1, 0)}, benchBeta, IndependentLanes, false, 6},
		{"ea3d-typewriter/L=30", ea30, 1 / 1.1, IndependentLanes, false, 3},
		{"ising2d-shared/L=256", []*models.Sparse{models.NewIsing(models.Square(256), 1, 0)}, benchBeta, SharedDraw, false, 2},
		{"ising2d-wide/L=256", []*models.Sparse{models.NewIsing(models.Square(256), 1, 0)}, benchBeta, IndependentLanes, true, 6},
		{"ea3d-wide/L=32", ea, 1 / 1.1, IndependentLanes, true, 3},
	} {
		b.Run(bc.name, func(b *testing.B) {
			const l = 256
			mv, pc := benchPacked(b, bc.ps, bc.beta, bc.draws)
			var wc *WideChain
			if bc.wide {
				wc = NewWideChain(mv.Model, sampler.NewStream(1, sampler.PurposeChain, 0, 1))
				for range 10 {
					mv.SweepWide(wc)
				}
			}
			cc := cref.New(l, benchBeta, 1)
			cc.Sweep(64)
			var pT, cT time.Duration
			var pU, cU int64
			for b.Loop() {
				t0 := time.Now()
				if wc != nil {
					mv.SweepWide(wc)
					pU += int64(len(pc.S)) * Lanes * WideWords
				} else {
					mv.Sweep(pc)
					pU += int64(len(pc.S)) * Lanes
				}
				t1 := time.Now()
				cc.Sweep(bc.cBlock)
				t2 := time.Now()
				pT += t1.Sub(t0)
				cT += t2.Sub(t1)
				cU += int64(bc.cBlock) * l * l
			}
			p, c := float64(pT.Nanoseconds())/float64(pU), float64(cT.Nanoseconds())/float64(cU)
			b.ReportMetric(p, "packed-ns/update")
			b.ReportMetric(c, "c-ns/flip")
			b.ReportMetric(p/c, "ratio")
			acc := pc.Acceptance()
			if wc != nil {
				acc = float64(wc.Accepted) / float64(wc.Proposed)
			}
			b.ReportMetric(acc, "accept")
			if wc != nil {
				simd := 0.0
				if WideSIMD() {
					simd = 1
				}
				b.ReportMetric(simd, "simd")
			}
		})
	}
}
