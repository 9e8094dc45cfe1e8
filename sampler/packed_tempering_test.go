package sampler

import (
	"fmt"
	"math"
	"testing"

	"github.com/deepglass/deepglass/models"
)

// packedPTSetup returns packed tempering on 64 lanes of one ±J sample.
func packedPTSetup(t *testing.T, p *models.Sparse, betas []float64, seed uint64) (*PackedModel, *PackedTempering) {
	t.Helper()
	pm, err := NewPackedModel(p)
	if err != nil {
		t.Fatal(err)
	}
	chains := make([]*PackedChain, len(betas))
	for k := range chains {
		chains[k] = NewPackedChain(pm, NewStream(seed, PurposeChain, 0, k))
	}
	return pm, NewPackedTempering(pm, betas, IndependentLanes, chains, NewStream(seed, PurposeSwap, 0, 0))
}

// TestPackedTemperingExact runs lane-wise packed tempering on a 2D ±J L=4 sample down
// to T = 0.4 and compares the lane-averaged energy at every β with models.Exact, and
// with scalar Tempering on the same instance (both within 4σ).
func TestPackedTemperingExact(t *testing.T) {
	p := models.NewEA(models.Square(4), models.PlusMinus, disorder(21))
	betas := GeometricBetas(0.4, 2.0, 6)
	pm, pt := packedPTSetup(t, p, betas, 61)
	const therm, sweeps = 500, 8000
	for range therm {
		pt.Sweep()
	}
	e := make([][][]float64, len(betas)) // e[k][lane][t]
	for k := range e {
		e[k] = make([][]float64, PackedLanes)
	}
	n := float64(pm.N())
	for range sweeps {
		pt.Sweep()
		for k := range betas {
			for l, v := range pt.E[k] {
				e[k][l] = append(e[k][l], float64(v)/n)
			}
		}
	}
	// Stored energies stay exact.
	var buf [PackedLanes]int64
	for k, c := range pt.Chains {
		pm.LaneEnergies(buf[:], c.S)
		if buf != pt.E[k] {
			t.Fatalf("beta %d: stored lane energies differ from LaneEnergies", k)
		}
	}
	// Scalar tempering on the same instance.
	chains := make([]*Chain, len(betas))
	for k := range chains {
		chains[k] = NewChain(p, NewStream(62, PurposeChain, 0, k))
	}
	st := NewTempering(betas, func(b float64) Sweeper { return NewMetropolis(p, b, Typewriter) }, chains, NewStream(62, PurposeSwap, 0, 0))
	for range therm {
		st.Sweep()
	}
	se := make([][]float64, len(betas))
	for range 4 * sweeps {
		st.Sweep()
		for k := range betas {
			se[k] = append(se[k], st.Chains[st.Slot[k]].E/n)
		}
	}
	for k, beta := range betas {
		t.Run(fmt.Sprintf("T=%.3f", 1/beta), func(t *testing.T) {
			exact := models.Exact(p, beta).EnergyPerSpin()
			checkLaneMean(t, "packed PT e", e[k], exact)
			sm, serr, tau, blen := batchStats(se[k], 40)
			if tau*20 > float64(blen) {
				t.Errorf("scalar PT: batches of %d not ≫ τ ≈ %.1f", blen, tau)
			}
			var pm, pv float64
			means := make([]float64, PackedLanes)
			for l, x := range e[k] {
				for _, v := range x {
					means[l] += v
				}
				means[l] /= float64(len(x))
				pm += means[l]
			}
			pm /= PackedLanes
			for _, m := range means {
				pv += (m - pm) * (m - pm)
			}
			perr := math.Sqrt(pv / (PackedLanes - 1) / PackedLanes)
			if z := (pm - sm) / math.Hypot(perr, serr); !(math.Abs(z) < 4) {
				t.Errorf("packed PT e = %.5f ± %.5f, scalar PT e = %.5f ± %.5f (z = %.2f)", pm, perr, sm, serr, z)
			} else {
				t.Logf("packed PT e = %.5f ± %.5f, scalar PT e = %.5f ± %.5f, exact %.5f", pm, perr, sm, serr, exact)
			}
		})
	}
	if acc := pt.Acceptance(); acc[0] <= 0 {
		t.Errorf("swap acceptance %v", acc)
	}
	if a := testing.AllocsPerRun(20, pt.Sweep); a != 0 {
		t.Errorf("PackedTempering.Sweep: %v allocations; want 0", a)
	}
}
