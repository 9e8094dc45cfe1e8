package sim

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/deepglass/deepglass/sampler/cbench"
	"github.com/deepglass/deepglass/sampler/packed"
)

// BenchmarkRunVsC times what `deepglass run -packed` runs with default flags — the
// config cmd/deepglass builds when model flags are given (therm 1000, sweeps 10000,
// metropolis), a run directory written, measure_every left to the run — end to end
// (model, thermalization, measurements, summary, files), alternately with the plain C
// Metropolis kernel (2D Ising L = 256, T = 2.269; sampler/cbench.RunAgainstC), one
// round per b.N. It reports the median over rounds of the speedup (C's ns per flip over
// the run's wall ns per spin update of one lane), both times, and of the last run: its
// measurement time against its sweep time, the fraction of its wall time spent
// sweeping (before the files are written), its measurement interval and I/O time. The cases are the
// scale issue's: 2D Ising L = 256 at T = 2.269 and 3D ±J EA L = 32 at T = 1.0, with 64
// lanes and with -lanes 512 (the AVX-512 kernels in GOEXPERIMENT=simd builds). A round
// takes 10 s to minutes on a loaded machine:
//
//	go test -run '^$' -bench RunVsC -benchtime 3x -timeout 2h ./sim
//	GOEXPERIMENT=simd go test -run '^$' -bench 'RunVsC/.*lanes=512' -benchtime 3x -timeout 2h ./sim
func BenchmarkRunVsC(b *testing.B) {
	for _, tc := range []struct {
		name string
		cfg  Config
	}{
		{"ising2d-L256", Config{Model: "ising", Lattice: "square:256", T: Temperatures{2.269}}},
		{"ea3d-L32", Config{Model: "ea", Lattice: "cubic:32", T: Temperatures{1.0}}},
	} {
		for _, lanes := range []int{packed.Lanes, packed.WideLanes} {
			b.Run(fmt.Sprintf("%s/lanes=%d", tc.name, lanes), func(b *testing.B) {
				c := tc.cfg
				c.Therm, c.Sweeps, c.Sampler = 1000, 10000, "metropolis" // cmd/deepglass's defaults
				c.Packed, c.Seed = true, 1
				if lanes != packed.Lanes {
					c.Lanes = lanes
				}
				c.Defaults()
				if err := c.Validate(); err != nil {
					b.Fatal(err)
				}
				var last *Summary
				a, err := cbench.RunAgainstC(b.N, func() (float64, error) {
					sum, err := Run(context.Background(), c, Options{Out: b.TempDir()})
					if err != nil {
						return 0, err
					}
					last = sum
					return sum.Perf.SpinUpdates, nil
				})
				if err != nil {
					b.Skip(err)
				}
				b.Logf("%s: %v; simd %v", b.Name(), a, packed.WideSIMD())
				b.ReportMetric(a.Median(), "speedup")
				b.ReportMetric(median(a.NsPerUpdate), "run-ns/update")
				b.ReportMetric(median(a.CNsPerUpdate), "c-ns/flip")
				p := last.Perf
				b.ReportMetric(p.MeasureSeconds/p.SweepSeconds, "measure/sweep")
				b.ReportMetric(p.SweepSeconds/p.Seconds, "sweep/wall")
				b.ReportMetric(float64(last.MeasureEvery), "measure_every")
				b.ReportMetric(p.IOSeconds, "io-s")
			})
		}
	}
}

func median(x []float64) float64 {
	s := slices.Clone(x)
	slices.Sort(s)
	if n := len(s); n%2 == 0 {
		return (s[n/2-1] + s[n/2]) / 2
	}
	return s[len(s)/2]
}
