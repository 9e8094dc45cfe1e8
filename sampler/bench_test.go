package sampler

import (
	"fmt"
	"testing"

	"github.com/deepglass/deepglass/models"
)

// benchBeta is β at T = 2.269 ≈ T_c, the temperature of the Go-versus-C comparison.
const benchBeta = 1 / 2.269

var benchSizes = []int{64, 256, 1024}

// reportFlips reports ns per attempted spin update and the acceptance rate.
func reportFlips(b *testing.B, flips int64, c *Chain) {
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(flips), "ns/flip")
	b.ReportMetric(c.Acceptance(), "accept")
}

// benchChain returns a chain of m on the L×L lattice from a random state, thermalised by
// a few sweeps of mv.
func benchChain(l int, mv Sweeper, m models.Model) *Chain {
	c := NewChain(m, NewStream(1, PurposeChain, 0, 0))
	for range max(10, 1<<22/(l*l)) {
		mv.Sweep(c)
	}
	c.Accepted, c.Proposed = 0, 0
	return c
}

// clusterChain is benchChain for cluster samplers: it starts from the ordered state, from
// which they reach equilibrium at T_c in a few sweeps (from a random state, clusters
// start small and grow for many sweeps, so that sweeps get slower as b.Loop ramps up).
func clusterChain(mv Sweeper, m models.Model) *Chain {
	s := make([]int8, m.N())
	for i := range s {
		s[i] = 1
	}
	c := NewChainFrom(m, s, NewStream(1, PurposeChain, 0, 0))
	for range 20 {
		mv.Sweep(c)
	}
	c.Accepted, c.Proposed = 0, 0
	return c
}

func BenchmarkMetropolisIsing2D(b *testing.B) {
	for _, l := range benchSizes {
		b.Run(fmt.Sprintf("L=%d", l), func(b *testing.B) {
			m := models.NewIsing(models.Square(l), 1, 0)
			mh := NewMetropolis(m, benchBeta, Typewriter)
			c := benchChain(l, mh, m)
			var flips int64
			for b.Loop() {
				mh.Sweep(c)
				flips += int64(l * l)
			}
			reportFlips(b, flips, c)
		})
	}
}

func BenchmarkMetropolisIsing2DRandom(b *testing.B) {
	for _, l := range benchSizes {
		b.Run(fmt.Sprintf("L=%d", l), func(b *testing.B) {
			m := models.NewIsing(models.Square(l), 1, 0)
			mh := NewMetropolis(m, benchBeta, RandomSite)
			c := benchChain(l, mh, m)
			var flips int64
			for b.Loop() {
				mh.Sweep(c)
				flips += int64(l * l)
			}
			reportFlips(b, flips, c)
		})
	}
}

func BenchmarkHeatBathIsing2D(b *testing.B) {
	for _, l := range benchSizes {
		b.Run(fmt.Sprintf("L=%d", l), func(b *testing.B) {
			m := models.NewIsing(models.Square(l), 1, 0)
			hb := NewHeatBath(m, benchBeta, Typewriter)
			c := benchChain(l, hb, m)
			var flips int64
			for b.Loop() {
				hb.Sweep(c)
				flips += int64(l * l)
			}
			reportFlips(b, flips, c)
		})
	}
}

func BenchmarkWolffIsing2D(b *testing.B) {
	for _, l := range benchSizes {
		b.Run(fmt.Sprintf("L=%d", l), func(b *testing.B) {
			m := models.NewIsing(models.Square(l), 1, 0)
			w := NewWolff(m, benchBeta)
			c := clusterChain(w, m)
			for b.Loop() {
				w.Sweep(c)
			}
			// Proposed counts flipped spins: ns per spin flipped in clusters.
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(c.Proposed), "ns/flip")
			b.ReportMetric(float64(w.Clusters), "clusters/sweep")
		})
	}
}

func BenchmarkSwendsenWangIsing2D(b *testing.B) {
	for _, l := range benchSizes {
		b.Run(fmt.Sprintf("L=%d", l), func(b *testing.B) {
			m := models.NewIsing(models.Square(l), 1, 0)
			sw := NewSwendsenWang(m, benchBeta)
			c := clusterChain(sw, m)
			for b.Loop() {
				sw.Sweep(c)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(c.Proposed), "ns/flip")
		})
	}
}

func BenchmarkMetropolisIsing3D(b *testing.B) {
	const l = 32
	lat := models.Cubic(l)
	m := models.NewIsing(lat, 1, 0)
	mh := NewMetropolis(m, 1/4.5, Typewriter) // near T_c ≈ 4.51
	c := benchChain(l*6, mh, m)               // a few sweeps suffice
	var flips int64
	for b.Loop() {
		mh.Sweep(c)
		flips += int64(lat.N())
	}
	reportFlips(b, flips, c)
}
