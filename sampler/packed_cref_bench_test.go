//go:build cgo

package sampler

import (
	"testing"
	"time"

	"github.com/deepglass/deepglass/models"
	"github.com/deepglass/deepglass/sampler/internal/cref"
)

// BenchmarkPackedVsC alternates blocks of packed sweeps (64 independent lanes) and C
// reference sweeps of the L = 256 Ising lattice at T = 2.269, so that both see the same
// machine load, and reports packed ns per spin update (one spin of one lane), C ns per
// flip attempt, and their ratio (packed/C).
func BenchmarkPackedVsC(b *testing.B) {
	const l = 256
	mv, pc := benchPacked(b, []*models.Sparse{models.NewIsing(models.Square(l), 1, 0)}, benchBeta, IndependentLanes)
	cc := cref.New(l, benchBeta, 1)
	cc.Sweep(64)
	const pBlock, cBlock = 1, 6 // blocks of comparable wall time (a few ms)
	var pT, cT time.Duration
	var pU, cU int64
	for b.Loop() {
		t0 := time.Now()
		for range pBlock {
			mv.Sweep(pc)
		}
		t1 := time.Now()
		cc.Sweep(cBlock)
		t2 := time.Now()
		pT += t1.Sub(t0)
		cT += t2.Sub(t1)
		pU += pBlock * l * l * PackedLanes
		cU += cBlock * l * l
	}
	p, c := float64(pT.Nanoseconds())/float64(pU), float64(cT.Nanoseconds())/float64(cU)
	b.ReportMetric(p, "packed-ns/update")
	b.ReportMetric(c, "c-ns/flip")
	b.ReportMetric(p/c, "ratio")
	b.ReportMetric(pc.Acceptance(), "accept")
}
