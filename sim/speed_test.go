package sim

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/deepglass/deepglass/sampler"
	"github.com/deepglass/deepglass/sampler/cbench"
	"github.com/deepglass/deepglass/sampler/packed"
)

// BenchmarkRunVsC times what `deepglass run -packed` runs with default flags — the
// config cmd/deepglass builds when model flags are given (therm 1000, sweeps 10000,
// metropolis), a run directory written, measure_every left to the run — end to end
// (model, thermalization, measurements, summary, files), alternately with the plain C
// Metropolis kernel (2D Ising L = 256, T = 2.269; sampler/cbench.RunAgainstC), one
// round per b.N, and the bare kernel (a fifth of the run's sweeps on a fresh chain)
// alternately with C too. It reports the medians over rounds of the speedups (C's ns
// per flip over the run's, or the kernel's, wall ns per spin update of one lane), the
// times, and of the last run: its
// measurement time against its sweep time, the fraction of its wall time spent
// sweeping (before the files are written), its measurement interval and I/O time. The cases are the
// scale issue's: 2D Ising L = 256 at T = 2.269 and 3D ±J EA L = 32 at T = 1.0, with 64
// lanes and with -lanes 512 (AVX-512 kernels on CPUs that have them). A round
// takes 10 s to minutes on a loaded machine:
//
//	go test -run '^$' -bench RunVsC -benchtime 3x -timeout 2h ./sim
//	go test -run '^$' -bench 'RunVsC/.*lanes=512' -benchtime 3x -timeout 2h ./sim
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
				kernel := kernelSweeps(b, c, (c.Therm+c.Sweeps)/5)
				var last *Summary
				run := func() (float64, error) {
					sum, err := Run(context.Background(), c, Options{Out: b.TempDir()})
					if err != nil {
						return 0, err
					}
					last = sum
					return sum.Perf.SpinUpdates, nil
				}
				var a, k cbench.Against
				for range b.N {
					ra, err := cbench.RunAgainstC(1, run)
					if err != nil {
						b.Skip(err)
					}
					rk, err := cbench.RunAgainstC(1, kernel)
					if err != nil {
						b.Fatal(err)
					}
					a.NsPerUpdate, a.CNsPerUpdate = append(a.NsPerUpdate, ra.NsPerUpdate...), append(a.CNsPerUpdate, ra.CNsPerUpdate...)
					a.Speedup = append(a.Speedup, ra.Speedup...)
					k.NsPerUpdate, k.CNsPerUpdate = append(k.NsPerUpdate, rk.NsPerUpdate...), append(k.CNsPerUpdate, rk.CNsPerUpdate...)
					k.Speedup = append(k.Speedup, rk.Speedup...)
				}
				b.Logf("%s: run %v; kernel alone %v; simd %v", b.Name(), a, k, packed.WideSIMD())
				b.ReportMetric(a.Median(), "speedup")
				b.ReportMetric(k.Median(), "kernel-speedup")
				b.ReportMetric(median(a.NsPerUpdate), "run-ns/update")
				b.ReportMetric(median(k.NsPerUpdate), "kernel-ns/update")
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

// kernelSweeps returns work doing sweeps sweeps of the bare kernel of c's run (packed
// or wide Metropolis on a fresh chain of its model), for comparison with the run.
func kernelSweeps(b *testing.B, c Config, sweeps int) func() (float64, error) {
	inst, err := BuildModel(c, 0)
	if err != nil {
		b.Fatal(err)
	}
	pm, err := packModel(inst.Model)
	if err != nil {
		b.Fatal(err)
	}
	mv := packed.NewMetropolis(pm, 1/c.T[0], packed.IndependentLanes)
	src := sampler.NewStream(c.Seed, sampler.PurposeChain, 0, 0)
	updates := float64(sweeps) * float64(pm.N()) * float64(c.Lanes)
	if c.Lanes == packed.WideLanes {
		wc := packed.NewWideChain(pm, src)
		return func() (float64, error) {
			for range sweeps {
				mv.SweepWide(wc)
			}
			return updates, nil
		}
	}
	pc := packed.NewChain(pm, src)
	return func() (float64, error) {
		for range sweeps {
			mv.Sweep(pc)
		}
		return updates, nil
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
