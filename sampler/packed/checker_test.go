package packed

import (
	"fmt"
	"testing"

	"github.com/deepglass/deepglass/models"
	"github.com/deepglass/deepglass/sampler"
)

// TestCheckerSweepTwins runs the kernel Sweep uses on sides that are multiples of 16
// (the assembly kernel where the CPU has it) and the portable twin from the same state
// and seed, and requires identical spins and counts: square and cubic lattices, one
// to three blocks of 16 columns, per-lane disorder, temperatures from infinite to low.
func TestCheckerSweepTwins(t *testing.T) {
	t.Logf("assembly kernel: %v", checkerAVX512)
	for _, lat := range []models.Lattice{models.Square(16), models.Square(48), models.Cubic(16), models.Cubic(32)} {
		pm, err := NewModelLanes(packedEA(lat, 64))
		if err != nil {
			t.Fatal(err)
		}
		for _, beta := range []float64{0, 0.2, 0.44, 1, 4} {
			t.Run(fmt.Sprintf("%v/beta=%g", lat, beta), func(t *testing.T) {
				mv := NewMetropolis(pm, beta, IndependentLanes)
				a := NewChain(pm, sampler.NewStream(5, sampler.PurposeChain, 0, 0))
				b := NewChain(pm, sampler.NewStream(5, sampler.PurposeChain, 0, 0))
				sweeps := 6
				if lat.Dim == 2 {
					sweeps = 30
				}
				for sweep := range sweeps {
					mv.Sweep(a)
					var g wideGen
					g.seed(b.Src)
					b.Accepted += int64(checkerSweepGo(pm, mv.wideQ, b.S, &g))
					for i := range a.S {
						if a.S[i] != b.S[i] {
							t.Fatalf("sweep %d: site %d differs", sweep, i)
						}
					}
				}
				if a.Accepted != b.Accepted {
					t.Errorf("accepted %d vs %d", a.Accepted, b.Accepted)
				}
				if a.Accepted == 0 && beta < 4 {
					t.Errorf("no flips")
				}
			})
		}
	}
}

// TestCheckerExact checks the checkerboard-row kernels against Kaufman's 2D Ising
// energies at L = 16 and 32, and, on the cubic lattice, against the typewriter kernel
// (same ±J samples, lanes started independently): both are exact samplers, so their
// mean energies agree within errors.
func TestCheckerExact(t *testing.T) {
	for k, tc := range []struct {
		l    int
		temp float64
	}{{16, 2.269}, {16, 3}, {32, 2}, {16, 1.5}} {
		t.Run(fmt.Sprintf("ising%d/T=%g", tc.l, tc.temp), func(t *testing.T) {
			pm, _ := NewModel(models.NewIsing(models.Square(tc.l), 1, 0))
			if !checkerOrder(pm) {
				t.Fatal("not the checkerboard-row kernel")
			}
			mv := NewMetropolis(pm, 1/tc.temp, IndependentLanes)
			c := NewChain(pm, sampler.NewStream(91, sampler.PurposeChain, k, 0))
			checkLaneMean(t, "e", packedRun(pm, mv, c, 1000, 6000), models.Kaufman(tc.l, tc.l, 1/tc.temp).E)
		})
	}
	t.Run("ea-cubic16/T=2", func(t *testing.T) {
		pm, err := NewModelLanes(packedEA(models.Cubic(16), 64))
		if err != nil {
			t.Fatal(err)
		}
		mv := NewMetropolis(pm, 1/2.0, IndependentLanes)
		c := NewChain(pm, sampler.NewStream(92, sampler.PurposeChain, 0, 0))
		got := packedRun(pm, mv, c, 1000, 8000)
		// the typewriter kernel on the same model
		ref := NewChain(pm, sampler.NewStream(93, sampler.PurposeChain, 0, 0))
		var x xoshiro
		sweep := func() {
			x.seed(ref.Src)
			packedSweep3D(pm, mv, ref.S, x)
		}
		for range 1000 {
			sweep()
		}
		var buf [Lanes]int64
		n := float64(pm.N())
		want := make([][]float64, Lanes)
		for range 8000 {
			sweep()
			pm.LaneEnergies(buf[:], ref.S)
			for l, v := range buf {
				want[l] = append(want[l], float64(v)/n)
			}
		}
		// lane l of both runs holds the same sample: compare the per-lane differences
		d := make([][]float64, Lanes)
		for l := range d {
			d[l] = make([]float64, len(got[l]))
			for i := range d[l] {
				d[l][i] = got[l][i] - want[l][i]
			}
		}
		checkLaneMean(t, "e(checker) − e(typewriter)", d, 0)
	})
}
