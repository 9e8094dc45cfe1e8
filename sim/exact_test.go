package sim

import (
	"context"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/deepglass/deepglass/models"
	"github.com/deepglass/deepglass/sampler"
)

// writeEdgeList writes the bonds of p as an edge-list file (sites from 1).
func writeEdgeList(t *testing.T, p *models.Sparse) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "instance.txt")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, b := range p.Bonds() {
		if _, err := f.WriteString(formatBond(b)); err != nil {
			t.Fatal(err)
		}
	}
	return path
}

func formatBond(b models.Bond) string {
	return strconv.Itoa(b.I+1) + " " + strconv.Itoa(b.J+1) + " " + strconv.FormatFloat(b.W, 'g', -1, 64) + "\n"
}

// TestPTOnEdgeListMatchesTransferMatrix is issue 3's first check on an instance of our
// own: a 2D ±J L = 8 instance written as an edge list is run with pt, and its energies
// at T = 0.5, 1 and 2 must lie within 4σ of the exact transfer-matrix values, which the
// run attaches itself.
func TestPTOnEdgeListMatchesTransferMatrix(t *testing.T) {
	if testing.Short() {
		t.Skip("a PT run of ~10 s")
	}
	for _, seed := range []uint64{7, 8} {
		p := models.NewEA(models.Square(8), models.PlusMinus, rand.New(sampler.NewStream(seed, sampler.PurposeDisorder, 0, 0)))
		c := Config{Couplings: writeEdgeList(t, p), T: Temperatures{0.5, 0.6, 0.72, 0.85, 1, 1.25, 1.6, 2},
			Sampler: "pt", Therm: 5000, Sweeps: 100000, Seed: seed}
		sum, err := Run(context.Background(), c, Options{})
		if err != nil {
			t.Fatal(err)
		}
		for _, pt := range sum.Points {
			if pt.T != 0.5 && pt.T != 1 && pt.T != 2 {
				continue
			}
			if pt.Exact == nil || pt.Exact.Source != "transfer matrix" {
				t.Fatalf("T=%g: exact = %+v; want transfer-matrix values", pt.T, pt.Exact)
			}
			z := (pt.Energy.Mean - pt.Exact.Energy) / pt.Energy.Err
			t.Logf("seed %d T=%g: e = %v, exact %.6f (%.1fσ)", seed, pt.T, pt.Energy, pt.Exact.Energy, z)
			if !(math.Abs(z) < 4) {
				t.Errorf("seed %d T=%g: e = %v, transfer matrix %.6f: %.1fσ", seed, pt.T, pt.Energy, pt.Exact.Energy, z)
			}
		}
	}
}

// TestSKIdentity checks the exact identity [e] = −(β/2)(1 − [q²]) of Gaussian SK on a
// CI-sized study; the README reports the full N = 64, 20-sample one.
func TestSKIdentity(t *testing.T) {
	if testing.Short() {
		t.Skip("a PT study of ~10 s")
	}
	c := Config{Model: "sk", N: 32, T: Temperatures{0.3, 0.4, 0.53, 0.7, 0.92, 1.2, 1.6}, Sampler: "pt",
		Therm: 2000, Sweeps: 8000, Samples: 16, Seed: 2}
	sum, err := Run(context.Background(), c, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range sum.Points {
		id := p.Identity
		if id == nil {
			t.Fatalf("T=%g: no identity reported", p.T)
		}
		z := id.Diff.Mean / id.Diff.Err
		t.Logf("T=%g: [e] = %v, predicted %v, diff %v (%.1fσ)", p.T, id.Energy, id.Predicted, id.Diff, z)
		if !(math.Abs(z) < 3) {
			t.Errorf("T=%g: identity violated: diff %v (%.1fσ)", p.T, id.Diff, z)
		}
	}
}
