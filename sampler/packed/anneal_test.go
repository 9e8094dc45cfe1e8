package packed

import (
	"context"
	"testing"

	"github.com/deepglass/deepglass/models"
	"github.com/deepglass/deepglass/sampler"
)

// TestPackedAnnealGroundState anneals small ±J graphs and a 2D lattice in packed passes
// and requires the exact ground-state energy, a best state that has it, restarts counted
// in whole passes, and results that do not depend on the number of workers.
func TestPackedAnnealGroundState(t *testing.T) {
	for k, p := range []*models.Sparse{
		randomPMGraph(18, 0.3, 1, disorder(40)),
		randomPMGraph(16, 0.5, 0.5, disorder(41)),
		models.NewEA(models.Square(4), models.PlusMinus, disorder(42)),
	} {
		want := groundEnergy(p)
		s := sampler.DefaultSchedule(p)
		var first sampler.AnnealResult
		for _, workers := range []int{1, 2} {
			res, err := AnnealRestarts(context.Background(), p, s, uint64(k), workers, nil, 0, 100)
			if err != nil {
				t.Fatal(err)
			}
			if res.BestE != want || p.Energy(res.Best) != want {
				t.Errorf("model %d: best E %v (state %v); want the ground state %v", k, res.BestE, p.Energy(res.Best), want)
			}
			if res.Restarts != 128 {
				t.Errorf("model %d: %d restarts; want 2 passes of 64", k, res.Restarts)
			}
			if workers == 1 {
				first = res
			} else if res.BestE != first.BestE || res.Sweeps != first.Sweeps {
				t.Errorf("model %d: 1 worker %v, 2 workers %v", k, first, res)
			}
		}
	}
	if _, err := AnnealRestarts(context.Background(), models.NewSparse(2, []models.Bond{{I: 0, J: 1, W: 1}}, []float64{1, 0}),
		sampler.Schedule{BetaStart: 0.1, BetaEnd: 3, Sweeps: 10}, 1, 1, nil, 0, 1); err == nil {
		t.Error("a model with a field was packed")
	}
}

// TestPackedAnnealTarget stops at a target.
func TestPackedAnnealTarget(t *testing.T) {
	p := randomPMGraph(18, 0.3, 1, disorder(43))
	want := groundEnergy(p)
	res, err := AnnealRestarts(context.Background(), p, sampler.DefaultSchedule(p), 1, 2, []float64{want + 2, want}, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) != 2 || res.Hits[1].Target != want || res.Hits[1].Restart%Lanes != 0 {
		t.Errorf("hits %v; want both targets, by the first restart of a pass", res.Hits)
	}
}

// TestLaneDelta checks the energies the packed anneal tracks from its sweeps against
// LaneEnergies.
func TestLaneDelta(t *testing.T) {
	p := randomPMGraph(30, 0.3, 1, disorder(44))
	pm, err := NewGraphLanes([]*models.Sparse{p})
	if err != nil {
		t.Fatal(err)
	}
	c := NewChain(pm, sampler.NewStream(1, sampler.PurposeChain, 0, 0))
	mv := NewMetropolis(pm, 0.4, IndependentLanes)
	var e, want [Lanes]int64
	pm.LaneEnergies(e[:], c.S)
	var dl laneDelta
	var x xoshiro
	for k := range 50 {
		mv.SetBeta(0.4 + 0.05*float64(k))
		x.seed(c.Src)
		packedSweepGraph(pm.Graph, mv.gq, c.S, &x, &dl)
		dl.take(&e, 2)
		pm.LaneEnergies(want[:], c.S)
		if e != want {
			t.Fatalf("sweep %d: tracked energies %v; want %v", k, e[:4], want[:4])
		}
	}
}
