package models_test

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/deepglass/deepglass/models"
)

// transferL8 returns the 8×8 ±J instance whose exact energies TestTransferL8 prints;
// the sampler's parallel-tempering test uses the same couplings.
func transferL8() *models.Sparse {
	return models.NewEA(models.Square(8), models.PlusMinus, rand.New(rand.NewPCG(8, 2026)))
}

// checkTransfer fails t unless got and want agree in ln Z, ⟨E⟩, ⟨E²⟩ and the specific
// heat to a relative tolerance tol.
func checkTransfer(t *testing.T, name string, got, want models.Thermo, tol float64) {
	t.Helper()
	for _, c := range []struct {
		what      string
		got, want float64
	}{
		{"lnZ", got.LnZ, want.LnZ},
		{"E", got.E, want.E},
		{"E2", got.E2, want.E2},
		{"C", got.SpecificHeat(), want.SpecificHeat()},
	} {
		if !closeRel(c.got, c.want, tol) {
			t.Errorf("%s β=%g: %s = %.15g; want %.15g", name, got.Beta, c.what, c.got, c.want)
		}
	}
}

// TestTransferVsExact compares the transfer matrix with enumeration of all states on
// ±J and Gaussian Edwards–Anderson models with L = 2, 3, 4 (L = 2 has two bonds between
// neighbours), from T = 0.2 to 10.
func TestTransferVsExact(t *testing.T) {
	betas := []float64{0, 0.1, 0.5, 1, 2, 5}
	for _, l := range []int{2, 3, 4} {
		for k, b := range []models.BondDist{models.PlusMinus, models.Gaussian} {
			lat := models.Square(l)
			p := models.NewEA(lat, b, rand.New(rand.NewPCG(uint64(l), uint64(k))))
			got, err := models.TransferMatrix2D(p, lat, betas)
			if err != nil {
				t.Fatal(err)
			}
			for i, ex := range models.ExactBetas(p, betas) {
				checkTransfer(t, p.Name, got[i], ex, 1e-10)
				if !math.IsNaN(got[i].M2) || got[i].N != l*l || got[i].Beta != betas[i] {
					t.Errorf("%s: got %+v; want N=%d β=%g and NaN magnetization", p.Name, got[i], l*l, betas[i])
				}
			}
		}
	}
}

// TestTransferGraph checks that a Sparse without Lattice, built from the bonds in
// another order, gives the same results.
func TestTransferGraph(t *testing.T) {
	lat := models.Square(4)
	p := models.NewEA(lat, models.Gaussian, rand.New(rand.NewPCG(4, 4)))
	bonds := p.Bonds()
	for k := range bonds { // reverse the order and the ends of every bond
		bonds[k].I, bonds[k].J = bonds[k].J, bonds[k].I
	}
	for i, j := 0, len(bonds)-1; i < j; i, j = i+1, j-1 {
		bonds[i], bonds[j] = bonds[j], bonds[i]
	}
	q := models.NewSparse(lat.N(), bonds, nil)
	betas := []float64{0.3, 1.7}
	a, err := models.TransferMatrix2D(p, lat, betas)
	if err != nil {
		t.Fatal(err)
	}
	b, err := models.TransferMatrix2D(q, lat, betas)
	if err != nil {
		t.Fatal(err)
	}
	for i := range a {
		checkTransfer(t, "graph", b[i], a[i], 1e-13)
	}
}

// TestTransferKaufman compares the transfer matrix with Kaufman's exact solution for
// the ferromagnet at L = 6, 8, 10.
func TestTransferKaufman(t *testing.T) {
	cases := []struct {
		l     int
		temps []float64
	}{
		{6, []float64{1, tc, 4}},
		{8, []float64{1.5, tc, 3}},
		{10, []float64{tc}},
	}
	for _, c := range cases {
		lat := models.Square(c.l)
		betas := make([]float64, len(c.temps))
		for k, T := range c.temps {
			betas[k] = 1 / T
		}
		t0 := time.Now()
		got, err := models.TransferMatrix2D(models.NewIsing(lat, 1, 0), lat, betas)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("L=%d: %d temperatures in %v", c.l, len(betas), time.Since(t0).Round(time.Millisecond))
		for k, g := range got {
			want := models.Kaufman(c.l, c.l, betas[k])
			for _, v := range []struct {
				what      string
				got, want float64
			}{
				{"lnZ", g.LnZ, want.LnZ},
				{"e", g.EnergyPerSpin(), want.E},
				{"c", g.SpecificHeat(), want.C},
			} {
				if !closeRel(v.got, v.want, 1e-9) {
					t.Errorf("L=%d T=%g: %s = %.15g; Kaufman %.15g", c.l, c.temps[k], v.what, v.got, v.want)
				}
			}
		}
	}
}

// TestTransferL8 computes the exact energies of the 8×8 ±J instance transferL8 at
// T = 0.5, 1 and 2, which the sampler's parallel-tempering test reproduces, prints
// them, and pins them (values from this code; the method is checked against Exact and
// Kaufman above). Its ground-state energy per spin is −1.3125 (the limit β → ∞).
func TestTransferL8(t *testing.T) {
	lat := models.Square(8)
	p := transferL8()
	want := []struct{ temp, e, c, lnZ float64 }{
		{0.5, -1.283752546147, 0.263687395367, 173.571982408119},
		{1, -1.193969806529, 0.233634038680, 93.685638161357},
		{2, -0.869324148299, 0.312996671977, 59.286007389469},
	}
	betas := make([]float64, len(want))
	for k, w := range want {
		betas[k] = 1 / w.temp
	}
	got, err := models.TransferMatrix2D(p, lat, betas)
	if err != nil {
		t.Fatal(err)
	}
	for k, g := range got {
		w := want[k]
		t.Logf("%s T=%g: e = %.12f, c = %.12f, lnZ = %.12f", p.Name, w.temp, g.EnergyPerSpin(), g.SpecificHeat(), g.LnZ)
		if !closeRel(g.EnergyPerSpin(), w.e, 1e-11) || !closeRel(g.SpecificHeat(), w.c, 1e-10) || !closeRel(g.LnZ, w.lnZ, 1e-12) {
			t.Errorf("T=%g: e, c, lnZ = %.12f, %.12f, %.12f; pinned %.12f, %.12f, %.12f",
				w.temp, g.EnergyPerSpin(), g.SpecificHeat(), g.LnZ, w.e, w.c, w.lnZ)
		}
	}
	cold, err := models.TransferMatrix2D(p, lat, []float64{40})
	if err != nil {
		t.Fatal(err)
	}
	if e := cold[0].EnergyPerSpin(); math.Abs(e-(-1.3125)) > 1e-9 {
		t.Errorf("T=1/40: e = %.12f; want the ground-state energy −1.3125", e)
	}
}

// TestTransferErrors checks the inputs TransferMatrix2D rejects.
func TestTransferErrors(t *testing.T) {
	sq4 := models.Square(4)
	ea4 := models.NewEA(sq4, models.PlusMinus, rand.New(rand.NewPCG(1, 1)))
	diag := models.NewSparse(16, append(sq4.Bonds(1), models.Bond{I: 0, J: 5, W: 1}), nil)
	field := models.NewIsing(sq4, 1, 0.5)
	cases := []struct {
		name  string
		p     *models.Sparse
		l     models.Lattice
		betas []float64
		want  string
	}{
		{"cubic", models.NewIsing(models.Cubic(3), 1, 0), models.Cubic(3), nil, "not square"},
		{"too big", models.NewIsing(models.Square(15), 1, 0), models.Square(15), nil, "outside"},
		{"nil", nil, sq4, nil, "nil model"},
		{"size", ea4, models.Square(3), nil, "has 16 sites"},
		{"other lattice", models.NewIsing(models.Square(4), 1, 0), models.Lattice{Dim: 2, L: 4}, nil, ""},
		{"field", field, sq4, nil, "fields"},
		{"diagonal bond", diag, sq4, nil, "not a nearest-neighbour bond"},
		{"negative β", ea4, sq4, []float64{1, -1}, "β[1]"},
		{"NaN β", ea4, sq4, []float64{math.NaN()}, "β[0]"},
		{"infinite β", ea4, sq4, []float64{math.Inf(1)}, "β[0]"},
	}
	for _, c := range cases {
		_, err := models.TransferMatrix2D(c.p, c.l, c.betas)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s: unexpected error %v", c.name, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%s: error %v; want one containing %q", c.name, err, c.want)
		}
	}
	p := models.NewIsing(models.Square(3), 1, 0) // carries Lattice square:3
	p2 := *p
	p2.Lattice = &models.Lattice{Dim: 2, L: 3}
	if _, err := models.TransferMatrix2D(&p2, models.Square(3), nil); err != nil {
		t.Errorf("equal lattice: %v", err)
	}
}
