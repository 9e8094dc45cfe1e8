package models_test

import (
	"math"
	"testing"

	"github.com/deepglass/deepglass/models"
)

func TestGREMOneLevelIsREM(t *testing.T) {
	g := models.NewGREMSeed([]int{14}, []float64{1}, 1.5, 99)
	r := models.NewREMSeed(14, 1.5, 99)
	for k := uint64(0); k < 1<<14; k++ {
		if g.EnergyIndex(k) != r.EnergyIndex(k) {
			t.Fatalf("state %d: GREM %v, REM %v", k, g.EnergyIndex(k), r.EnergyIndex(k))
		}
	}
}

// TestGREMCovariance checks the tree structure: over instances, two states that agree
// on the first level have covariance a₁·N J²/2, others none, and the variance is N J²/2.
func TestGREMCovariance(t *testing.T) {
	const n1, n2 = 4, 6
	const a1 = 0.7
	n := float64(n1 + n2)
	var same, diff, vari []float64
	for seed := range uint64(2000) {
		g := models.NewGREMSeed([]int{n1, n2}, []float64{a1, 1 - a1}, 1, seed)
		k := seed % (1 << (n1 + n2))
		kSame := k ^ 1<<(n1+2) // differs in the second level only
		kDiff := k ^ 1<<1      // differs in the first level
		e := g.EnergyIndex(k) / math.Sqrt(n/2)
		same = append(same, e*g.EnergyIndex(kSame)/math.Sqrt(n/2))
		diff = append(diff, e*g.EnergyIndex(kDiff)/math.Sqrt(n/2))
		vari = append(vari, e*e)
	}
	for _, c := range []struct {
		name string
		x    []float64
		want float64
	}{{"covariance, same first level", same, a1}, {"covariance, different first level", diff, 0}, {"variance", vari, 1}} {
		m, v := meanVar(c.x)
		if z := (m - c.want) / math.Sqrt(v/float64(len(c.x))); math.Abs(z) > 4 {
			t.Errorf("%s = %.4f; want %.4f (z = %.1f)", c.name, m, c.want, z)
		}
	}
}

// TestGREMLimit checks the two-level examples of docs/references/funnels.md §1.
func TestGREMLimit(t *testing.T) {
	h := math.Ln2 / 2 // α₁ = α₂ = √2
	two := models.GREMLimit{LnAlpha: []float64{h, h}, Shares: []float64{0.8, 0.2}, J: 1}
	ts := two.FreezingTemperatures()
	if len(ts) != 2 || math.Abs(ts[0]-0.75966) > 1e-5 || math.Abs(ts[1]-0.37983) > 1e-5 {
		t.Errorf("a₁ = 0.8: freezing at %v; want 0.75966, 0.37983", ts)
	}
	if e0 := two.GroundState(); math.Abs(e0+0.78983) > 1e-5 {
		t.Errorf("a₁ = 0.8: e0 = %v; want −0.78983", e0)
	}
	// Between the transitions: f = −J√(a₁ ln α₁) − T ln α₂ − a₂J²/(4T).
	tt := 0.5
	if f, want := two.FreeEnergy(tt), -math.Sqrt(0.8*h)-tt*h-0.2/(4*tt); math.Abs(f-want) > 1e-12 {
		t.Errorf("f(0.5) = %v; want %v", f, want)
	}
	// Above T₁ the REM's f; continuity at both transitions.
	if f := two.FreeEnergy(2); math.Abs(f-models.REMFreeEnergy(2, 1)) > 1e-12 {
		t.Errorf("f(2) = %v; want the REM's %v", f, models.REMFreeEnergy(2, 1))
	}
	for _, tc := range ts {
		if d := two.FreeEnergy(tc*(1+1e-9)) - two.FreeEnergy(tc); math.Abs(d) > 1e-8 {
			t.Errorf("f jumps by %v at T = %v", d, tc)
		}
	}
	one := models.GREMLimit{LnAlpha: []float64{h, h}, Shares: []float64{0.2, 0.8}, J: 1}
	if ts := one.FreezingTemperatures(); len(ts) != 1 || math.Abs(ts[0]-0.60056) > 1e-5 {
		t.Errorf("a₁ = 0.2: freezing at %v; want one transition at 0.60056", ts)
	}
	if e0 := one.GroundState(); math.Abs(e0-models.REMGroundStateLimit(1)) > 1e-12 {
		t.Errorf("a₁ = 0.2: e0 = %v; want the REM's", e0)
	}
	g := models.NewGREMSeed([]int{8, 8}, []float64{0.8, 0.2}, 1, 1)
	if lt := g.Limit(); math.Abs(lt.GroundState()+0.78983) > 1e-5 {
		t.Errorf("%v: limit e0 = %v", g, lt.GroundState())
	}
}

func TestGREMValidate(t *testing.T) {
	for _, c := range []struct {
		spins  []int
		shares []float64
	}{
		{nil, nil}, {[]int{3}, []float64{0.5, 0.5}}, {[]int{0, 3}, []float64{0.5, 0.5}},
		{[]int{40, 40}, []float64{0.5, 0.5}}, {[]int{3, 3}, []float64{0.5, 0.6}}, {[]int{3, 3}, []float64{1.5, -0.5}},
	} {
		if err := models.ValidateGREM(c.spins, c.shares); err == nil {
			t.Errorf("ValidateGREM(%v, %v) = nil; want an error", c.spins, c.shares)
		}
	}
	mustPanic(t, "NewGREMSeed with bad shares", func() { models.NewGREMSeed([]int{3, 3}, []float64{1, 1}, 1, 0) })
}
