package rg

import (
	"context"
	"math"
	"testing"

	"github.com/deepglass/deepglass/models"
)

// TestBlockFlow: block spins of the 2D Ising model stay near the fixed point at T_c
// and flow to order below it and to disorder above it.
func TestBlockFlow(t *testing.T) {
	const L = 32
	betas := []float64{0.5, Kc, 1.0 / 3}
	r, err := BlockFlow{Lattice: models.Square(L), Betas: betas, Levels: 3, Measurements: 4000, Seed: 1}.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%.1f s\n%s", r.Seconds, r.Table())
	if len(r.Points) != 3*4 {
		t.Fatalf("%d points; want 12", len(r.Points))
	}
	pt := func(i, l int) FlowPoint { return r.Points[4*i+l] }
	for i, beta := range betas {
		// Level 0 is the unblocked model: its energy is Kaufman's (docs/references/ising2d.md §2).
		within(t, pt(i, 0).String()+" e", pt(i, 0).Energy, models.Kaufman(L, L, beta).E)
	}
	for l := range 4 {
		lo, c, hi := pt(0, l), pt(1, l), pt(2, l)
		if lo.L != L>>l || c.Level != l {
			t.Errorf("point %v: want level %d, L = %d", c, l, L>>l)
		}
		// At T_c, U4 lies between U* = 0.61069 (L → ∞, docs/references/ising2d.md §6) and the exact
		// U4(L=4) = 0.617199 (§1.4), as for the unblocked model of side ≥ 4.
		if c.Binder.Mean < 0.61069-4*c.Binder.Err || c.Binder.Mean > 0.617199+4*c.Binder.Err {
			t.Errorf("T_c level %d: U4 = %v; want in [0.61069, 0.617199] ± 4σ", l, c.Binder)
		}
		sep := func(a, b FlowPoint) float64 {
			return (a.Binder.Mean - b.Binder.Mean) / math.Hypot(a.Binder.Err, b.Binder.Err)
		}
		if sep(lo, c) < 4 || sep(c, hi) < 4 {
			t.Errorf("level %d: U4 %v (T=2), %v (T_c), %v (T=3) not separated by 4σ", l, lo.Binder, c.Binder, hi.Binder)
		}
		if l == 0 {
			continue
		}
		// Toward order below T_c: |m| → 1, e → −2; toward disorder above: e → 0.
		if prev := pt(0, l-1); lo.AbsMagnetization.Mean <= prev.AbsMagnetization.Mean || lo.Energy.Mean >= prev.Energy.Mean {
			t.Errorf("T=2 level %d: |m| %v, e %v after %v, %v: not ordering", l, lo.AbsMagnetization, lo.Energy, prev.AbsMagnetization, prev.Energy)
		}
		if prev := pt(2, l-1); hi.Energy.Mean <= prev.Energy.Mean {
			t.Errorf("T=3 level %d: e %v after %v: not disordering", l, hi.Energy, prev.Energy)
		}
	}
}

// TestMomentsExactL4: level 0 of the 4×4 torus at T_c against the exact moments of
// docs/references/ising2d.md §4 (transfer matrix): e = −1.565623787638, ⟨|m|⟩ = 0.843860444813,
// U4 = 0.617199318.
func TestMomentsExactL4(t *testing.T) {
	r, err := BlockFlow{Lattice: models.Square(4), Betas: []float64{Kc}, Levels: 1, Measurements: 40000, Seed: 4}.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	p := r.Points[0]
	within(t, "e", p.Energy, -1.565623787638)
	within(t, "|m|", p.AbsMagnetization, 0.843860444813)
	within(t, "U4", p.Binder, 0.617199318)
}

func TestMomentsOrdered(t *testing.T) {
	l := models.Square(4)
	m := NewMoments(l, 1)
	up := make([]int8, l.N())
	for i := range up {
		up[i] = 1
	}
	for range 4 {
		m.Add(up)
	}
	if u, a, e := m.Binder(2).Mean, m.AbsMagnetization(2).Mean, m.Energy(2).Mean; math.Abs(u-2.0/3) > 1e-15 || a != 1 || e != -2 {
		t.Errorf("all up: U4 %v |m| %v e %v; want 2/3, 1, -2", u, a, e)
	}
	if m.Count() != 4 || m.String() == "" {
		t.Errorf("Count %d, String %q", m.Count(), m)
	}
}
