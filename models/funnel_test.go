package models_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/deepglass/deepglass/models"
)

func TestFunnelEnergies(t *testing.T) {
	f := models.NewFunnel(12, 1, 0.9, rand.New(rand.NewPCG(3, 3)))
	xi := f.Native()
	if e := f.Energy(xi); e != -12*0.9 {
		t.Errorf("E(ξ) = %v; want −Nε = %v", e, -12*0.9)
	}
	if q := f.NativeOverlap(xi); q != 1 {
		t.Errorf("overlap of ξ with itself = %v", q)
	}
	k0 := models.StateIndex(xi)
	for k := range uint64(1 << 12) {
		if k != k0 && f.EnergyIndex(k) != f.NonNative().EnergyIndex(k) {
			t.Fatalf("state %d: funnel %v, REM %v", k, f.EnergyIndex(k), f.NonNative().EnergyIndex(k))
		}
	}
}

// TestFunnelPNativeExact checks P_native against an independent enumeration
// (models.Exact's ln Z): P = e^{−βE_N}/Z.
func TestFunnelPNativeExact(t *testing.T) {
	f := models.NewFunnel(14, 1, 0.85, rand.New(rand.NewPCG(5, 5)))
	betas := []float64{0.5, 1, 1.5, 2, 3}
	p := f.PNative(betas)
	for k, b := range betas {
		want := math.Exp(-b*f.NativeEnergy() - models.Exact(f, b).LnZ)
		if math.Abs(p[k]-want) > 1e-10*math.Max(want, 1e-3) {
			t.Errorf("β=%v: PNative = %.12g; Exact gives %.12g", b, p[k], want)
		}
	}
	tf := f.FoldingTemperature(0.2, 5)
	if pf := f.PNative([]float64{1 / tf})[0]; math.Abs(pf-0.5) > 1e-8 {
		t.Errorf("P_native(T_f = %v) = %v; want 1/2", tf, pf)
	}
	weak := models.NewFunnel(10, 1, 0.1, rand.New(rand.NewPCG(5, 5)))
	if tf := weak.FoldingTemperature(0.2, 5); !math.IsNaN(tf) {
		t.Errorf("ε = 0.1: T_f = %v in [0.2, 5]; want NaN (never folds there)", tf)
	}
}

// TestBWFormulas checks the Bryngelson–Wolynes boundary (docs/references/funnels.md §2).
func TestBWFormulas(t *testing.T) {
	j := 1.0
	tg := models.BWGlassTemperature(j)
	for _, eps := range []float64{0.85, 0.9, 1, 1.5, 3} {
		tf := models.BWFoldingTemperature(eps, j)
		// F_u(T_f) = E_N: −J²/(4T_f) − T_f ln 2 = −ε.
		if d := j*j/(4*tf) + tf*math.Ln2 - eps; math.Abs(d) > 1e-12 {
			t.Errorf("ε=%v: F_u(T_f) + ε = %v; want 0", eps, d)
		}
		y := eps / (j * math.Sqrt(math.Ln2))
		if r := models.BWFoldingRatio(y); math.Abs(r-tf/tg) > 1e-12 {
			t.Errorf("ε=%v: y + √(y²−1) = %v but T_f/T_g = %v", eps, r, tf/tg)
		}
		if r := tf / tg; math.Abs(r+1/r-2*y) > 1e-12 {
			t.Errorf("ε=%v: T_f/T_g + T_g/T_f = %v; want 2y = %v", eps, r+1/r, 2*y)
		}
	}
	if tf := models.BWFoldingTemperature(math.Sqrt(math.Ln2), j); math.Abs(tf-tg) > 1e-12 {
		t.Errorf("at ε = J√ln2, T_f = %v; want T_g = %v", tf, tg)
	}
	if !math.IsNaN(models.BWFoldingTemperature(0.8, j)) || !math.IsNaN(models.BWFoldingRatio(0.99)) {
		t.Error("below the boundary T_f and T_f/T_g must be NaN")
	}
	// The annealed finite-N P_native: 1/2 at the N → ∞ T_f up to ln(1 − 2^−N)/N.
	if p := models.BWPNativeAnnealed(40, j, 1, models.BWFoldingTemperature(1, j)); math.Abs(p-0.5) > 1e-9 {
		t.Errorf("annealed P_native(T_f) = %v; want 1/2", p)
	}
}
