package packed

import (
	"context"
	"fmt"
	"testing"

	"github.com/deepglass/deepglass/models"
	"github.com/deepglass/deepglass/sampler"
)

// TestWideTemperingExact runs lane-wise wide tempering on a 2D ±J L = 4 sample down to
// T = 0.5 and on 2D Ising L = 8 across T_c, and compares the lane-averaged energy at
// every β with models.Exact and Kaufman's formula (within 4σ over 64 of the 512 lanes,
// eight from each word).
func TestWideTemperingExact(t *testing.T) {
	t.Logf("SIMD kernels: %v", WideSIMD())
	ea := models.NewEA(models.Square(4), models.PlusMinus, disorder(21))
	ising := models.NewIsing(models.Square(8), 1, 0)
	for k, tc := range []struct {
		name  string
		p     *models.Sparse
		betas []float64
		exact func(beta float64) float64
	}{
		{"ea-square4", ea, sampler.GeometricBetas(0.5, 2.0, 5), func(b float64) float64 { return models.Exact(ea, b).EnergyPerSpin() }},
		{"ising8", ising, sampler.GeometricBetas(1.8, 3.2, 4), func(b float64) float64 { return models.Kaufman(8, 8, b).E }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pm, err := NewModel(tc.p)
			if err != nil {
				t.Fatal(err)
			}
			chains := make([]*WideChain, len(tc.betas))
			for j := range chains {
				chains[j] = NewWideChain(pm, sampler.NewStream(91, sampler.PurposeChain, k, j))
			}
			pt := NewWideTempering(pm, tc.betas, chains, sampler.NewStream(91, sampler.PurposeSwap, k, 0))
			const therm, sweeps = 500, 4000
			for range therm {
				pt.Sweep()
			}
			e := make([][][]float64, len(tc.betas)) // e[j][picked lane][t]
			for j := range e {
				e[j] = make([][]float64, Lanes)
			}
			n := float64(pm.N())
			for range sweeps {
				pt.Sweep()
				for j := range tc.betas {
					for l := range Lanes {
						e[j][l] = append(e[j][l], float64(pt.E[j][8*l+l/8])/n) // lane 8l + l/8: eight from each word
					}
				}
			}
			buf := make([]int64, WideLanes)
			for j, c := range pt.Chains {
				pm.WideLaneEnergies(buf, c)
				if [WideLanes]int64(buf) != pt.E[j] {
					t.Fatalf("beta %d: stored lane energies differ from WideLaneEnergies", j)
				}
			}
			for j, beta := range tc.betas {
				checkLaneMean(t, fmt.Sprintf("T=%.3f", 1/beta), e[j], tc.exact(beta))
			}
			for j, a := range pt.SwapAcceptance() {
				if !(a > 0.05) {
					t.Errorf("pair %d: swap acceptance %.3f", j, a)
				}
			}
			if a := testing.AllocsPerRun(5, pt.Sweep); a != 0 {
				t.Errorf("WideTempering.Sweep: %v allocations; want 0", a)
			}
			t.Log(pt)
		})
	}
}

// TestWideTemperingDeterministic checks that two runs from the same seeds give
// bit-identical lanes and that Refresh restores the stored energies.
func TestWideTemperingDeterministic(t *testing.T) {
	pm, _ := NewModel(models.NewEA(models.Cubic(3), models.PlusMinus, disorder(31)))
	betas := sampler.GeometricBetas(0.8, 2.0, 4)
	run := func() *WideTempering {
		chains := make([]*WideChain, len(betas))
		for j := range chains {
			chains[j] = NewWideChain(pm, sampler.NewStream(71, sampler.PurposeChain, 0, j))
		}
		pt := NewWideTempering(pm, betas, chains, sampler.NewStream(71, sampler.PurposeSwap, 0, 0))
		for range 30 {
			pt.Sweep()
		}
		return pt
	}
	a, b := run(), run()
	for j := range betas {
		if fmt.Sprint(a.Chains[j].S) != fmt.Sprint(b.Chains[j].S) || a.E[j] != b.E[j] {
			t.Fatalf("beta %d: two runs from the same seeds differ", j)
		}
	}
	e := a.E[0]
	a.E[0][3] = 99
	a.Refresh()
	if a.E[0] != e {
		t.Error("Refresh does not restore the lane energies")
	}
}

// TestWideAnnealGroundState anneals 2D and 3D ±J lattices small enough to enumerate in
// wide passes and requires the exact ground-state energy, a best state that has it,
// restarts counted in whole passes, and results that do not depend on the number of
// workers.
func TestWideAnnealGroundState(t *testing.T) {
	for k, p := range []*models.Sparse{
		models.NewEA(models.Square(4), models.PlusMinus, disorder(45)),
		models.NewEA(models.Cubic(2), models.PlusMinus, disorder(46)),
	} {
		want := groundEnergy(p)
		s := sampler.Schedule{BetaStart: 0.1, BetaEnd: 3, Sweeps: 200}
		var first sampler.AnnealResult
		for _, workers := range []int{1, 2} {
			res, err := WideAnnealRestarts(context.Background(), p, s, uint64(k), workers, nil, 0, 600)
			if err != nil {
				t.Fatal(err)
			}
			if res.BestE != want || p.Energy(res.Best) != want {
				t.Errorf("model %d: best E %v (state %v); want the ground state %v", k, res.BestE, p.Energy(res.Best), want)
			}
			if res.Restarts != 2*WideLanes {
				t.Errorf("model %d: %d restarts; want 2 passes of %d", k, res.Restarts, WideLanes)
			}
			if workers == 1 {
				first = res
			} else if res.BestE != first.BestE || res.Sweeps != first.Sweeps || fmt.Sprint(res.Best) != fmt.Sprint(first.Best) {
				t.Errorf("model %d: 1 worker %v, 2 workers %v", k, first, res)
			}
		}
	}
	res, err := WideAnnealRestarts(context.Background(), models.NewEA(models.Square(4), models.PlusMinus, disorder(45)),
		sampler.Schedule{BetaStart: 0.1, BetaEnd: 3, Sweeps: 200}, 1, 1, []float64{-20}, 0, 0)
	if err != nil || len(res.Hits) != 1 || res.Hits[0].Restart%WideLanes != 0 {
		t.Errorf("target: %v, %v; want a hit by the first restart of a pass", res, err)
	}
	if _, err := WideAnnealRestarts(context.Background(), models.NewEA(models.Square(4), models.Gaussian, disorder(1)),
		sampler.Schedule{BetaStart: 0.1, BetaEnd: 3, Sweeps: 10}, 1, 1, nil, 0, 1); err == nil {
		t.Error("a Gaussian model was packed")
	}
}
