package packed

import (
	"fmt"
	"math"
	"testing"

	"github.com/deepglass/deepglass/models"
	"github.com/deepglass/deepglass/sampler"
)

// packedPTSetup returns packed tempering on 64 lanes of one ±J sample.
func packedPTSetup(t *testing.T, p *models.Sparse, betas []float64, seed uint64) (*Model, *Tempering) {
	t.Helper()
	pm, err := NewModel(p)
	if err != nil {
		t.Fatal(err)
	}
	chains := make([]*Chain, len(betas))
	for k := range chains {
		chains[k] = NewChain(pm, sampler.NewStream(seed, sampler.PurposeChain, 0, k))
	}
	return pm, NewTempering(pm, betas, IndependentLanes, chains, sampler.NewStream(seed, sampler.PurposeSwap, 0, 0))
}

// TestPackedTemperingExact runs lane-wise packed tempering on a 2D ±J L=4 sample down
// to T = 0.4 and compares the lane-averaged energy at every β with models.Exact, and
// with scalar Tempering on the same instance (both within 4σ).
func TestPackedTemperingExact(t *testing.T) {
	p := models.NewEA(models.Square(4), models.PlusMinus, disorder(21))
	betas := sampler.GeometricBetas(0.4, 2.0, 6)
	pm, pt := packedPTSetup(t, p, betas, 61)
	const therm, sweeps = 500, 8000
	for range therm {
		pt.Sweep()
	}
	e := make([][][]float64, len(betas)) // e[k][lane][t]
	for k := range e {
		e[k] = make([][]float64, Lanes)
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
	var buf [Lanes]int64
	for k, c := range pt.Chains {
		pm.LaneEnergies(buf[:], c.S)
		if buf != pt.E[k] {
			t.Fatalf("beta %d: stored lane energies differ from LaneEnergies", k)
		}
	}
	// Scalar tempering on the same instance.
	chains := make([]*sampler.Chain, len(betas))
	for k := range chains {
		chains[k] = sampler.NewChain(p, sampler.NewStream(62, sampler.PurposeChain, 0, k))
	}
	st := sampler.NewTempering(betas, func(b float64) sampler.Sweeper { return sampler.NewMetropolis(p, b, sampler.Typewriter) }, chains, sampler.NewStream(62, sampler.PurposeSwap, 0, 0))
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
			means := make([]float64, Lanes)
			for l, x := range e[k] {
				for _, v := range x {
					means[l] += v
				}
				means[l] /= float64(len(x))
				pm += means[l]
			}
			pm /= Lanes
			for _, m := range means {
				pv += (m - pm) * (m - pm)
			}
			perr := math.Sqrt(pv / (Lanes - 1) / Lanes)
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
		t.Errorf("Tempering.Sweep: %v allocations; want 0", a)
	}
}
