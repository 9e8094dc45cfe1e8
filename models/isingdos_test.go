package models_test

import (
	"math"
	"testing"

	"github.com/deepglass/deepglass/models"
)

// histogram returns the number of states per energy of m by enumeration.
func histogram(m models.Model) map[int]int64 {
	h := map[int]int64{}
	for _, e := range energies(m) {
		h[int(math.Round(e))]++
	}
	return h
}

func TestExactIsingDOSEnumeration(t *testing.T) {
	// docs/references/funnels.md §4: the 4×4 torus.
	ref := map[int]int64{-32: 2, -24: 32, -20: 64, -16: 424, -12: 1728, -8: 6688, -4: 13568, 0: 20524,
		4: 13568, 8: 6688, 12: 1728, 16: 424, 20: 64, 24: 32, 32: 2}
	d, err := models.ExactIsingDOS(4, 4)
	if err != nil {
		t.Fatal(err)
	}
	for k, e := range d.E {
		if d.G[k].Int64() != ref[e] {
			t.Errorf("4×4: g(%d) = %v; want %d", e, d.G[k], ref[e])
		}
	}
	// Against enumeration, square and rectangular (rows, cols).
	for _, c := range [][2]int{{2, 2}, {2, 4}, {4, 2}, {2, 6}, {6, 2}, {2, 8}, {8, 2}} {
		d, err := models.ExactIsingDOS(c[0], c[1])
		if err != nil {
			t.Fatal(err)
		}
		h := histogram(rectIsing(c[0], c[1]))
		for k, e := range d.E {
			if d.G[k].Int64() != h[e] {
				t.Errorf("%d×%d: g(%d) = %v; enumeration %d", c[0], c[1], e, d.G[k], h[e])
			}
		}
	}
	for _, c := range [][2]int{{3, 4}, {4, 5}, {0, 4}} {
		if _, err := models.ExactIsingDOS(c[0], c[1]); err == nil {
			t.Errorf("ExactIsingDOS(%d, %d) = nil error", c[0], c[1])
		}
	}
}

// rectIsing returns the ferromagnet on the periodic rows×cols torus (site x + cols·y),
// with both bonds between neighbours when a side is 2.
func rectIsing(rows, cols int) *models.Sparse {
	var bonds []models.Bond
	for y := range rows {
		for x := range cols {
			i := x + cols*y
			bonds = append(bonds, models.Bond{I: i, J: (x+1)%cols + cols*y, W: 1}, models.Bond{I: i, J: x + cols*((y+1)%rows), W: 1})
		}
	}
	return models.NewSparse(rows*cols, bonds, nil)
}

// TestExactIsingDOSLarge checks L = 8 against Beale's closed forms for the lowest
// levels and L = 16 against Kaufman's ln Z, e and c (docs/references/funnels.md §4).
func TestExactIsingDOSLarge(t *testing.T) {
	d8, err := models.ExactIsingDOS(8, 8)
	if err != nil {
		t.Fatal(err)
	}
	const mn = 64
	for k, want := range []int64{2, 0, 2 * mn, 4 * mn, mn*mn + 9*mn, 4*mn*mn + 24*mn} {
		if d8.G[k].Int64() != want {
			t.Errorf("8×8: g(%d) = %v; want %d (Beale)", d8.E[k], d8.G[k], want)
		}
	}
	d16, err := models.ExactIsingDOS(16, 16)
	if err != nil {
		t.Fatal(err)
	}
	if g := d16.G[len(d16.G)/2]; g.BitLen() < 240 {
		t.Errorf("16×16: g(0) has %d bits", g.BitLen())
	}
	lng := d16.LnG()
	for _, beta := range []float64{0.2, 0.4, 0.4406868, 0.5, 1} {
		// ln Z, ⟨E⟩ and ⟨E²⟩ from the DOS by log-sum-exp.
		lmax := math.Inf(-1)
		for k, l := range lng {
			lmax = max(lmax, l-beta*float64(d16.E[k]))
		}
		var z, e1, e2 float64
		for k, l := range lng {
			w := math.Exp(l - beta*float64(d16.E[k]) - lmax)
			e := float64(d16.E[k])
			z += w
			e1 += w * e
			e2 += w * e * e
		}
		lnZ := math.Log(z) + lmax
		e1, e2 = e1/z, e2/z
		kt := models.Kaufman(16, 16, beta)
		if math.Abs(lnZ-kt.LnZ) > 1e-11*kt.LnZ {
			t.Errorf("β=%v: ln Z from the DOS %.14g; Kaufman %.14g", beta, lnZ, kt.LnZ)
		}
		if math.Abs(e1/256-kt.E) > 1e-10 || math.Abs(beta*beta*(e2-e1*e1)/256-kt.C) > 1e-8 {
			t.Errorf("β=%v: e, c from the DOS %.12g, %.12g; Kaufman %.12g, %.12g", beta, e1/256, beta*beta*(e2-e1*e1)/256, kt.E, kt.C)
		}
	}
	if s := d16.String(); s == "" {
		t.Error("empty String")
	}
}
