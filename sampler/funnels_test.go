package sampler

import (
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/deepglass/deepglass/analysis"
	"github.com/deepglass/deepglass/models"
)

// These tests check the random-energy and p-spin models of models/ with the samplers
// of this package against exact enumeration (docs/references/funnels.md §1): parallel
// tempering above and below T_c, single-temperature Metropolis above T_c, and below T_c
// Metropolis either agrees or is flagged as stuck by R̂ over independent chains — it
// never gives a wrong number silently.

// ptEnergies runs parallel tempering of m over betas (Metropolis moves) for therm +
// sweeps sweeps and returns the energy per spin at every slot after every sweep.
func ptEnergies(m models.Model, betas []float64, seed uint64, therm, sweeps int) [][]float64 {
	chains := make([]*Chain, len(betas))
	for k := range chains {
		chains[k] = NewChain(m, NewStream(seed, PurposeChain, 0, k))
	}
	pt := NewTempering(betas, func(b float64) Sweeper { return NewMetropolis(m, b, Typewriter) }, chains, NewStream(seed, PurposeSwap, 0, 0))
	pt.SetWorkers(1)
	defer pt.Close()
	for range therm {
		pt.Sweep()
	}
	out := make([][]float64, len(betas))
	n := float64(m.N())
	for range sweeps {
		pt.Sweep()
		for k := range betas {
			out[k] = append(out[k], pt.ChainAt(k).E/n)
		}
	}
	return out
}

// checkPT compares ⟨E⟩/N at the slots whose temperatures are listed (nearest slot) with
// models.Exact, within 4σ (batch means, τ checked).
func checkPT(t *testing.T, name string, m models.Model, tmin, tmax float64, nt int, temps []float64, therm, sweeps int) {
	t.Helper()
	betas := GeometricBetas(tmin, tmax, nt)
	e := ptEnergies(m, betas, 7, therm, sweeps)
	for _, temp := range temps {
		k := 0
		for j, b := range betas {
			if math.Abs(1/b-temp) < math.Abs(1/betas[k]-temp) {
				k = j
			}
		}
		ex := models.Exact(m, betas[k])
		checkMean(t, name+" PT e(T="+fmtT(1/betas[k])+")", e[k], 50, ex.EnergyPerSpin())
	}
}

func fmtT(t float64) string { return fmt.Sprintf("%.3g", t) }

// TestREMTempering: REM, N = 12 and 16, PT from 0.25 to 3 (T_c = 0.60 for N → ∞).
// At N = 16 and T = 0.3 the energy's τ_int is 100–200 sweeps (six seeds of 200000
// sweeps agreed with enumeration within 2σ): 150000 sweeps make the 50 batch means
// 20 τ long, so that their error is to be trusted.
func TestREMTempering(t *testing.T) {
	checkPT(t, "REM N=12", models.NewREM(12, 1, disorder(12)), 0.25, 3, 16, []float64{0.25, 0.4, 1, 2}, 2000, 40000)
	checkPT(t, "REM N=16", models.NewREM(16, 1, disorder(16)), 0.3, 3, 18, []float64{0.3, 0.45, 1.2}, 4000, 150000)
}

// TestPSpinTempering: Ising p-spin p = 3 and 4, N = 14, PT from 0.25 to 3.
func TestPSpinTempering(t *testing.T) {
	checkPT(t, "p-spin N=14 p=3", models.NewPSpin(14, 3, 1, disorder(143)), 0.25, 3, 12, []float64{0.25, 0.4, 1, 2}, 1000, 15000)
	checkPT(t, "p-spin N=14 p=4", models.NewPSpin(14, 4, 1, disorder(144)), 0.25, 3, 12, []float64{0.25, 0.5, 1.5}, 1000, 15000)
}

// metropolisChains runs r independent Metropolis chains of m at beta and returns each
// one's energy per spin after every sweep.
func metropolisChains(m models.Model, beta float64, r int, seed uint64, therm, sweeps int) [][]float64 {
	out := make([][]float64, r)
	mv := NewMetropolis(m, beta, RandomSite)
	for c := range out {
		ch := NewChain(m, NewStream(seed, PurposeChain, 1, c))
		for range therm {
			mv.Sweep(ch)
		}
		for range sweeps {
			mv.Sweep(ch)
			out[c] = append(out[c], ch.E/float64(m.N()))
		}
	}
	return out
}

// TestSingleTemperatureTrust: above T_c single-temperature Metropolis converges (R̂
// near 1) and agrees with enumeration; below, chains of the REM get stuck in different
// valleys and R̂ says so. For every case: warned, or within 4σ.
func TestSingleTemperatureTrust(t *testing.T) {
	cases := []struct {
		name      string
		m         models.Model
		temp      float64
		wantStuck bool // the detector must fire
		wantOK    bool // the chains must converge and agree
	}{
		{"REM N=12 T=1.5", models.NewREM(12, 1, disorder(12)), 1.5, false, true},
		{"REM N=16 T=2", models.NewREM(16, 1, disorder(16)), 2, false, true},
		{"REM N=12 T=0.25", models.NewREM(12, 1, disorder(12)), 0.25, true, false},
		{"REM N=16 T=0.3", models.NewREM(16, 1, disorder(16)), 0.3, true, false},
		{"p-spin N=14 p=3 T=1.5", models.NewPSpin(14, 3, 1, disorder(143)), 1.5, false, true},
		{"p-spin N=14 p=3 T=0.3", models.NewPSpin(14, 3, 1, disorder(143)), 0.3, true, false},
		{"p-spin N=14 p=4 T=0.2", models.NewPSpin(14, 4, 1, disorder(144)), 0.2, true, false},
	}
	for _, c := range cases {
		chains := metropolisChains(c.m, 1/c.temp, 6, 3, 500, 8000)
		warn := analysis.ConvergenceWarning("e", 0, chains...)
		var all []float64
		for _, ch := range chains {
			all = append(all, ch...)
		}
		mean, se, tau, blen := batchStats(all, 60)
		exact := models.Exact(c.m, 1/c.temp).EnergyPerSpin()
		z := (mean - exact) / se
		t.Logf("%s: e = %.4f ± %.4f (τ ≈ %.0f), exact %.4f, z = %.1f; %q", c.name, mean, se, tau, exact, z, warn)
		switch {
		case c.wantStuck && warn == "":
			t.Errorf("%s: chains stuck in different valleys, but no warning (e = %.4f, exact %.4f)", c.name, mean, exact)
		case c.wantOK && (warn != "" || math.Abs(z) >= 4 || tau*20 > float64(blen)):
			t.Errorf("%s: e = %.4f ± %.4f (τ ≈ %.0f); exact %.4f (z = %.1f); warning %q", c.name, mean, se, tau, exact, z, warn)
		case warn == "" && math.Abs(z) >= 4:
			t.Errorf("%s: a wrong number without a warning: e = %.4f ± %.4f, exact %.4f (z = %.1f)", c.name, mean, se, exact, z)
		}
	}
}

// TestFunnelPNative checks the probability of the native state of a BW funnel, N = 14,
// from parallel tempering against the exact finite-N formula
// P_native = 1/(1 + Z′ e^{−βNε}) (docs/references/funnels.md §2), across the folding
// transition (T_f ≈ 1.12 for ε = 1 at N → ∞). The native state is found only by random
// search (Levinthal), so the autocorrelation time grows as 2^N/(N·K) sweeps: N = 14
// keeps the run short; the funnel-vs-glass figure checks N = 16.
func TestFunnelPNative(t *testing.T) {
	f := models.NewFunnel(14, 1, 1, disorder(1414))
	betas := GeometricBetas(0.45, 2.5, 12)
	xi := models.StateIndex(f.Native())
	chains := make([]*Chain, len(betas))
	for k := range chains {
		chains[k] = NewChain(f, NewStream(9, PurposeChain, 0, k))
	}
	pt := NewTempering(betas, func(b float64) Sweeper { return NewMetropolis(f, b, Typewriter) }, chains, NewStream(9, PurposeSwap, 0, 0))
	pt.SetWorkers(1)
	defer pt.Close()
	for range 2000 {
		pt.Sweep()
	}
	in := make([][]float64, len(betas))
	for range 80000 {
		pt.Sweep()
		for k := range betas {
			x := 0.0
			if models.StateIndex(pt.ChainAt(k).S) == xi {
				x = 1
			}
			in[k] = append(in[k], x)
		}
	}
	exact := f.PNative(betas)
	for k := range betas {
		if exact[k] < 1e-4 || exact[k] > 1-1e-4 {
			continue // no fluctuations to measure an error from
		}
		checkMean(t, fmt.Sprintf("P_native(T=%.3g)", 1/betas[k]), in[k], 25, exact[k])
	}
}

// anyModel hides a model's concrete type, so that the samplers take their generic
// kernels.
type anyModel struct{ models.Model }

// TestIndexKernels: the Metropolis and heat-bath kernels of the index models (REM,
// GREM, funnel) take the decisions of the generic kernels, flip for flip, with the
// energy looked up instead of accumulated.
func TestIndexKernels(t *testing.T) {
	for _, m := range []models.Model{
		models.NewREM(14, 1, disorder(1)),
		models.NewGREM([]int{6, 8}, []float64{0.6, 0.4}, 1, disorder(2)),
		models.NewFunnel(12, 1, 1.1, disorder(3)),
	} {
		for _, order := range []Order{Typewriter, RandomSite} {
			for _, kind := range []string{"metropolis", "heatbath"} {
				a := NewChain(m, NewStream(5, PurposeChain, 0, 0))
				b := NewChain(anyModel{m}, NewStream(5, PurposeChain, 0, 0))
				var sa, sb Sweeper
				if kind == "metropolis" {
					sa, sb = NewMetropolis(m, 1.3, order), NewMetropolis(anyModel{m}, 1.3, order)
				} else {
					sa, sb = NewHeatBath(m, 1.3, order), NewHeatBath(anyModel{m}, 1.3, order)
				}
				for sweep := range 200 {
					sa.Sweep(a)
					sb.Sweep(b)
					if !slices.Equal(a.S, b.S) || a.Accepted != b.Accepted || math.Abs(a.E-b.E) > 1e-9 {
						t.Fatalf("%v %s %v sweep %d: index kernel and generic kernel differ (E %v, %v)", m, kind, order, sweep, a.E, b.E)
					}
					if e := m.Energy(a.S); a.E != e {
						t.Fatalf("%v %s %v sweep %d: tracked energy %v, energy of the state %v", m, kind, order, sweep, a.E, e)
					}
				}
			}
		}
	}
}
