//go:build cgo

package cbench

import (
	"fmt"
	"time"

	"github.com/deepglass/deepglass/models"
	"github.com/deepglass/deepglass/sampler"
	"github.com/deepglass/deepglass/sampler/internal/cref"
	"github.com/deepglass/deepglass/sampler/packed"
)

// MeasureKernels times every kernel of KernelNames on the 2D Ising model of side l
// (l ≥ 4) at inverse temperature beta, single-threaded, each for about d in blocks
// alternating with the C reference, and returns their speeds. Times are wall times
// on a possibly shared machine: compare the ratios, not the absolute numbers.
func MeasureKernels(l int, beta float64, d time.Duration) ([]KernelSpeed, error) {
	if l < 4 || l > 4096 {
		return nil, fmt.Errorf("measuring kernels: side %d, want 4 ≤ L ≤ 4096", l)
	}
	m := models.NewIsing(models.Square(l), 1, 0)
	n := int64(l * l)
	var out []KernelSpeed
	for _, name := range KernelNames {
		sweep, lanes, err := kernelSweeper(name, m, beta)
		if err != nil {
			return nil, err
		}
		cc := cref.New(l, beta, 1)
		for range 3 {
			sweep()
			cc.Sweep(1)
		}
		// Blocks of about 2 ms of each.
		t0 := time.Now()
		sweep()
		per := max(time.Since(t0), time.Microsecond)
		kBlock := max(1, int(2*time.Millisecond/per))
		t0 = time.Now()
		cc.Sweep(1)
		cPer := max(time.Since(t0), time.Microsecond)
		cBlock := max(1, int(2*time.Millisecond/cPer))
		var kT, cT time.Duration
		var kU, cU int64
		for start := time.Now(); time.Since(start) < d || kU == 0; {
			a := time.Now()
			for range kBlock {
				sweep()
			}
			b := time.Now()
			cc.Sweep(cBlock)
			c := time.Now()
			kT += b.Sub(a)
			cT += c.Sub(b)
			kU += int64(kBlock) * n * lanes
			cU += int64(cBlock) * n
		}
		k := KernelSpeed{Kernel: name, L: l,
			NsPerUpdate:  float64(kT.Nanoseconds()) / float64(kU),
			CNsPerUpdate: float64(cT.Nanoseconds()) / float64(cU)}
		k.Ratio = k.NsPerUpdate / k.CNsPerUpdate
		out = append(out, k)
	}
	return out, nil
}

// kernelSweeper returns one sweep of kernel name on m and the lanes it updates.
func kernelSweeper(name string, m *models.Sparse, beta float64) (func(), int64, error) {
	src := sampler.NewStream(1, sampler.PurposeChain, 0, 0)
	c := sampler.NewChain(m, src)
	single := func(sw sampler.Sweeper) (func(), int64, error) { return func() { sw.Sweep(c) }, 1, nil }
	packedSweep := func(pm *packed.Model, err error, draws packed.Draws) (func(), int64, error) {
		if err != nil {
			return nil, 0, err
		}
		mv := packed.NewMetropolis(pm, beta, draws)
		pc := packed.NewChain(pm, src)
		return func() { mv.Sweep(pc) }, packed.Lanes, nil
	}
	switch name {
	case "metropolis":
		return single(sampler.NewMetropolis(m, beta, sampler.Typewriter))
	case "heatbath":
		return single(sampler.NewHeatBath(m, beta, sampler.Typewriter))
	case "wolff":
		return single(sampler.NewWolff(m, beta))
	case "sw":
		return single(sampler.NewSwendsenWang(m, beta))
	case "packed":
		pm, err := packed.NewModel(m)
		return packedSweep(pm, err, packed.IndependentLanes)
	case "packed-shared":
		pm, err := packed.NewModel(m)
		return packedSweep(pm, err, packed.SharedDraw)
	case "packed-graph":
		pm, err := packed.NewGraphLanes([]*models.Sparse{m})
		return packedSweep(pm, err, packed.IndependentLanes)
	case "packed-wide":
		pm, err := packed.NewModel(m)
		if err != nil {
			return nil, 0, err
		}
		mv := packed.NewMetropolis(pm, beta, packed.IndependentLanes)
		wc := packed.NewWideChain(pm, src)
		return func() { mv.SweepWide(wc) }, packed.Lanes * packed.WideWords, nil
	}
	return nil, 0, fmt.Errorf("measuring kernels: unknown kernel %q", name)
}
