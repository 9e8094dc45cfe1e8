package models_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/deepglass/deepglass/models"
)

func TestFrustratedPlaquettes(t *testing.T) {
	f, err := models.FrustratedPlaquettes(models.NewIsing(models.Square(5), 1, 0))
	if err != nil || f.Frustrated != 0 || f.Total != 25 {
		t.Errorf("ferromagnet 5×5: %v, %v; want 0/25", f, err)
	}
	f, err = models.FrustratedPlaquettes(models.NewIsing(models.Cubic(3), -1, 0))
	if err != nil || f.Frustrated != 0 || f.Total != 81 {
		t.Errorf("antiferromagnet 3×3×3: %v, %v; want 0/81 (a product of four negative bonds is positive)", f, err)
	}
	// One antiferromagnetic bond frustrates the two plaquettes that share it.
	l := models.Square(4)
	bonds := l.Bonds(1)
	bonds[5].W = -1
	p := models.NewSparse(l.N(), bonds, nil)
	p.Lattice = &l
	if f, err := models.FrustratedPlaquettes(p); err != nil || f.Frustrated != 2 {
		t.Errorf("one negative bond: %v, %v; want 2 frustrated", f, err)
	}
	// ±J: each plaquette is frustrated with probability 1/2, independently of the others
	// it shares a bond with.
	var fr, tot int
	for k := range 4 {
		f, err := models.FrustratedPlaquettes(models.NewEA(models.Square(16), models.PlusMinus, rand.New(rand.NewPCG(uint64(k), 1))))
		if err != nil {
			t.Fatal(err)
		}
		fr += f.Frustrated
		tot += f.Total
	}
	if z := (float64(fr)/float64(tot) - 0.5) / math.Sqrt(0.25/float64(tot)); math.Abs(z) > 4 {
		t.Errorf("±J EA: %d/%d frustrated; want 1/2 (z = %.1f)", fr, tot, z)
	}
	for _, bad := range []*models.Sparse{models.NewIsing(models.Square(2), 1, 0), models.NewIsing(models.Lattice{Dim: 1, L: 5}, 1, 0), models.NewSparse(3, nil, nil)} {
		if _, err := models.FrustratedPlaquettes(bad); err == nil {
			t.Errorf("FrustratedPlaquettes(%v) = nil error", bad)
		}
	}
}

func TestFrustratedTriangles(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	f, err := models.FrustratedTriangles(models.NewHopfield(models.RandomPatterns(1, 30, rng)))
	if err != nil || f.Frustrated != 0 || f.Total != 4060 {
		t.Errorf("Mattis N=30: %v, %v; want 0/4060", f, err)
	}
	f, err = models.FrustratedTriangles(models.NewSK(30, 0, models.Gaussian, rng))
	if err != nil || f.Total != 4060 {
		t.Fatalf("SK N=30: %v, %v", f, err)
	}
	if z := (f.Fraction() - 0.5) / math.Sqrt(0.25/4060); math.Abs(z) > 4 {
		t.Errorf("SK: %v; want half frustrated (z = %.1f)", f, z)
	}
	tri := models.NewSparse(4, []models.Bond{{I: 0, J: 1, W: 1}, {I: 1, J: 2, W: 1}, {I: 2, J: 0, W: -2}, {I: 2, J: 3, W: 1}}, nil)
	if f, err := models.FrustratedTriangles(tri); err != nil || f.Frustrated != 1 || f.Total != 1 {
		t.Errorf("one frustrated triangle: %v, %v", f, err)
	}
	if _, err := models.FrustratedTriangles(models.NewREMSeed(5, 1, 1)); err == nil {
		t.Error("FrustratedTriangles(REM) = nil error")
	}
}

func TestFrustrationIndex(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	// Unfrustrated models reach −Σ|J|: index 0.
	mattis := models.NewHopfield(models.RandomPatterns(1, 12, rng))
	ferro := models.NewIsing(models.Square(4), 1, 0.5)
	for _, m := range []models.Model{mattis, ferro} {
		e0 := groundEnergy(m)
		if x, err := models.FrustrationIndex(m, e0); err != nil || math.Abs(x) > 1e-12 {
			t.Errorf("%v: index %v, %v; want 0", m, x, err)
		}
	}
	// ±J EA 4×4: B = number of bonds = 32; the index is 1 + E0/32 > 0.
	ea := models.NewEA(models.Square(4), models.PlusMinus, rng)
	e0 := groundEnergy(ea)
	x, err := models.FrustrationIndex(ea, e0)
	if err != nil || math.Abs(x-(1+e0/32)) > 1e-12 || !(x > 0) {
		t.Errorf("±J EA: index %v, %v; want 1 + E0/32 = %v > 0", x, err, 1+e0/32)
	}
	// p-spin: the bound is Σ|J_t|.
	ps := models.NewPSpin(8, 3, 1, rng)
	b, _ := models.CouplingBound(ps)
	var want float64
	for k := range ps.Terms() {
		_, w := ps.Term(k)
		want += math.Abs(w)
	}
	if math.Abs(b-want) > 1e-12 {
		t.Errorf("p-spin bound %v; want %v", b, want)
	}
	if _, err := models.FrustrationIndex(models.NewREMSeed(4, 1, 1), -1); err == nil {
		t.Error("FrustrationIndex(REM) = nil error")
	}
}

// groundEnergy returns the lowest energy of m by enumeration.
func groundEnergy(m models.Model) float64 {
	lo := math.Inf(1)
	for _, e := range energies(m) {
		lo = min(lo, e)
	}
	return lo
}
