//go:build cgo

package sampler

import (
	"fmt"
	"testing"
	"time"

	"github.com/deepglass/deepglass/models"
	"github.com/deepglass/deepglass/sampler/internal/cref"
)

func BenchmarkCRefIsing2D(b *testing.B) {
	for _, l := range benchSizes {
		b.Run(fmt.Sprintf("L=%d", l), func(b *testing.B) {
			c := cref.New(l, benchBeta, 1)
			c.Sweep(max(10, 1<<22/(l*l)))
			var flips int64
			for b.Loop() {
				c.Sweep(1)
				flips += int64(l * l)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(flips), "ns/flip")
		})
	}
}

// BenchmarkGoVsC alternates blocks of Go and C Metropolis sweeps of the same L = 256
// Ising lattice at T = 2.269, so that both see the same machine load, and reports
// ns/flip for each and their ratio (Go/C).
func BenchmarkGoVsC(b *testing.B) {
	const l, block = 256, 4
	m := models.NewIsing(models.Square(l), 1, 0)
	mh := NewMetropolis(m, benchBeta, Typewriter)
	gc := benchChain(l, mh, m)
	cc := cref.New(l, benchBeta, 1)
	cc.Sweep(64)
	var goT, cT time.Duration
	var sweeps int64
	for b.Loop() {
		t0 := time.Now()
		for range block {
			mh.Sweep(gc)
		}
		t1 := time.Now()
		cc.Sweep(block)
		t2 := time.Now()
		goT += t1.Sub(t0)
		cT += t2.Sub(t1)
		sweeps += block
	}
	flips := float64(sweeps * l * l)
	g, c := float64(goT.Nanoseconds())/flips, float64(cT.Nanoseconds())/flips
	b.ReportMetric(g, "go-ns/flip")
	b.ReportMetric(c, "c-ns/flip")
	b.ReportMetric(g/c, "ratio")
	b.ReportMetric(gc.Acceptance(), "accept")
}
