package models_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/deepglass/deepglass/models"
)

func TestRandomPatterns(t *testing.T) {
	p := models.RandomPatterns(3, 1000, rand.New(rand.NewPCG(2, 3)))
	q := models.RandomPatterns(3, 1000, rand.New(rand.NewPCG(2, 3)))
	if len(p) != 3 {
		t.Fatalf("got %d patterns; want 3", len(p))
	}
	for mu, xi := range p {
		if len(xi) != 1000 {
			t.Fatalf("pattern %d has length %d; want 1000", mu, len(xi))
		}
		sum := 0
		for i, v := range xi {
			if v != 1 && v != -1 {
				t.Fatalf("pattern %d site %d = %d; want ±1", mu, i, v)
			}
			if v != q[mu][i] {
				t.Fatalf("pattern %d site %d differs between two draws from the same stream", mu, i)
			}
			sum += int(v)
		}
		if math.Abs(float64(sum)) > 5*math.Sqrt(1000) { // unbiased: Σ ξ_i has sd √N
			t.Errorf("pattern %d has Σξ = %d; want 0 ± %v", mu, sum, 5*math.Sqrt(1000))
		}
	}
	mustPanic(t, "RandomPatterns(0, 5)", func() { models.RandomPatterns(0, 5, rand.New(rand.NewPCG(1, 1))) })
	mustPanic(t, "RandomPatterns(nil rng)", func() { models.RandomPatterns(1, 5, nil) })
}

func TestHopfieldCouplings(t *testing.T) {
	// By hand: ξ¹ = (+,+,-), ξ² = (+,-,-), N = 3: J_01 = (1-1)/3, J_02 = (-1-1)/3,
	// J_12 = (-1+1)/3.
	d := models.NewHopfield([][]int8{{1, 1, -1}, {1, -1, -1}})
	want := [3][3]float64{{0, 0, -2.0 / 3}, {0, 0, 0}, {-2.0 / 3, 0, 0}}
	for i := range 3 {
		for j := range 3 {
			if got := d.Coupling(i, j); got != want[i][j] {
				t.Errorf("J_%d%d = %v; want %v", i, j, got, want[i][j])
			}
		}
	}
	if d.Name != "hopfield N=3 P=2" {
		t.Errorf("Name = %q; want %q", d.Name, "hopfield N=3 P=2")
	}
}

// TestMattis checks P = 1: each stored pattern (and its reverse) has the energy
// -Σ_{i<j} 1/N = -(N-1)/2 of the Curie–Weiss ground state, and the model is the
// Curie–Weiss ferromagnet J_ij = 1/N under the gauge s_i → ξ_i s_i, so it has the
// same ln Z and ⟨E⟩ (docs/references/hopfield.md §2: the Mattis model).
func TestMattis(t *testing.T) {
	const n = 12
	xi := models.RandomPatterns(1, n, rand.New(rand.NewPCG(4, 4)))
	d := models.NewHopfield(xi)
	rev := make([]int8, n)
	for i, v := range xi[0] {
		rev[i] = -v
	}
	for _, s := range [][]int8{xi[0], rev} {
		if got, want := d.Energy(s), -float64(n-1)/2; !closeRel(got, want, 1e-14) {
			t.Errorf("E(pattern) = %v; want %v", got, want)
		}
	}
	cw := make([]float64, n*n)
	for i := range n {
		for j := range n {
			if i != j {
				cw[i*n+j] = 1.0 / n
			}
		}
	}
	curieWeiss := models.NewDense(n, cw, nil)
	for _, beta := range []float64{0.5, 1, 2} {
		a, b := models.Exact(d, beta), models.Exact(curieWeiss, beta)
		if !closeRel(a.LnZ, b.LnZ, 1e-12) || !closeRel(a.E, b.E, 1e-12) || !closeRel(a.E2, b.E2, 1e-12) {
			t.Errorf("β=%v: Mattis %v; want Curie–Weiss %v", beta, a, b)
		}
	}
}

func TestHopfieldPanics(t *testing.T) {
	mustPanic(t, "NewHopfield(nil)", func() { models.NewHopfield(nil) })
	mustPanic(t, "NewHopfield(empty pattern)", func() { models.NewHopfield([][]int8{{}}) })
	mustPanic(t, "NewHopfield(ragged)", func() { models.NewHopfield([][]int8{{1, 1}, {1}}) })
	mustPanic(t, "NewHopfield(0 entry)", func() { models.NewHopfield([][]int8{{1, 0, 1}}) })
	mustPanic(t, "NewHopfield(2 entry)", func() { models.NewHopfield([][]int8{{1, -1}, {2, 1}}) })
}
