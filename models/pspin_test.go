package models_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/deepglass/deepglass/models"
)

func TestPSpinStructure(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	d := models.NewPSpin(9, 3, 1, rng)
	if d.Terms() != 84 { // C(9, 3)
		t.Errorf("dense N=9 p=3 has %d terms; want 84", d.Terms())
	}
	seen := map[[3]int32]bool{}
	for k := range d.Terms() {
		s, _ := d.Term(k)
		if !(s[0] < s[1] && s[1] < s[2]) {
			t.Fatalf("term %d = %v is not increasing", k, s)
		}
		seen[[3]int32{s[0], s[1], s[2]}] = true
	}
	if len(seen) != 84 {
		t.Errorf("%d distinct terms; want 84", len(seen))
	}
	dil := models.NewDilutedPSpin(40, 4, 5, 1, rng)
	if dil.Terms() != 50 {
		t.Errorf("diluted N=40 p=4 c=5 has %d terms; want 50", dil.Terms())
	}
	deg := make([]int, 40)
	for k := range dil.Terms() {
		s, _ := dil.Term(k)
		for a := range s {
			deg[s[a]]++
			for b := range a {
				if s[a] == s[b] {
					t.Fatalf("term %d = %v repeats a site", k, s)
				}
			}
		}
	}
	for i, c := range deg {
		if c != 5 {
			t.Fatalf("site %d is in %d terms; want 5", i, c)
		}
	}
	for _, c := range []struct{ n, p, c int }{{1, 2, 0}, {5, 1, 0}, {5, 6, 0}, {10, 3, 2}, {200, 5, 0}, {10, 2, -1}} {
		if err := models.ValidatePSpin(c.n, c.p, c.c); err == nil {
			t.Errorf("ValidatePSpin(%d, %d, %d) = nil; want an error", c.n, c.p, c.c)
		}
	}
}

// TestPSpinNormalization checks Var J = p! J²/(2 N^{p−1}) for the dense model, and that
// p = 2 is SK's normalization (Var J_ij = J²/N, docs/references/funnels.md §1).
func TestPSpinNormalization(t *testing.T) {
	for _, c := range []struct {
		n, p int
		j    float64
	}{{64, 2, 1}, {20, 3, 1}, {14, 4, 2}} {
		fact := 1.0
		for k := 2; k <= c.p; k++ {
			fact *= float64(k)
		}
		want := fact * c.j * c.j / (2 * math.Pow(float64(c.n), float64(c.p-1)))
		var x []float64
		for seed := range uint64(8) {
			ps := models.NewPSpin(c.n, c.p, c.j, rand.New(rand.NewPCG(seed, 3)))
			for k := range ps.Terms() {
				_, w := ps.Term(k)
				x = append(x, w*w)
			}
		}
		m, v := meanVar(x)
		if z := (m - want) / math.Sqrt(v/float64(len(x))); math.Abs(z) > 4 {
			t.Errorf("N=%d p=%d: Var J = %.6g; want %.6g (z = %.1f)", c.n, c.p, m, want, z)
		}
		if c.p == 2 {
			if sk := 1 / float64(c.n); math.Abs(want-sk) > 1e-15 {
				t.Errorf("p = 2 variance %v ≠ SK's 1/N = %v", want, sk)
			}
		}
	}
	// Energies: Var E = (N J²/2)·N!/((N−p)! N^p) over instances at a fixed state.
	const n, p = 12, 3
	var e2 []float64
	s := make([]int8, n)
	for seed := range uint64(3000) {
		ps := models.NewPSpin(n, p, 1, rand.New(rand.NewPCG(seed, 4)))
		models.SetState(s, seed)
		e := ps.Energy(s)
		e2 = append(e2, e*e)
	}
	want := float64(n) / 2 * (12.0 * 11 * 10 / (12 * 12 * 12))
	m, v := meanVar(e2)
	if z := (m - want) / math.Sqrt(v/float64(len(e2))); math.Abs(z) > 4 {
		t.Errorf("Var E = %.4f; want %.4f (z = %.1f)", m, want, z)
	}
	// Diluted: Var J = p J²/(2c), so Var E = N J²/2 exactly.
	var d2 []float64
	for seed := range uint64(3000) {
		ps := models.NewDilutedPSpin(n, p, 4, 1, rand.New(rand.NewPCG(seed, 5)))
		models.SetState(s, seed*31)
		e := ps.Energy(s)
		d2 = append(d2, e*e)
	}
	m, v = meanVar(d2)
	if z := (m - n/2.0) / math.Sqrt(v/float64(len(d2))); math.Abs(z) > 4 {
		t.Errorf("diluted Var E = %.4f; want %v (z = %.1f)", m, n/2.0, z)
	}
}

// TestPSpinP2IsSK checks that the p = 2 model is a pairwise model with SK's
// normalization: its Dense form has the same energies, and the exact thermodynamics at
// high temperature obey SK's identity [⟨E⟩]/N = −(β/2)(1 − [⟨q²⟩]), checked here in its
// leading form −β/2·(1 − 1/N) for β → 0 through the exact energy at small β.
func TestPSpinP2IsSK(t *testing.T) {
	ps := models.NewPSpin(10, 2, 1, rand.New(rand.NewPCG(7, 7)))
	d := ps.Dense()
	s := make([]int8, 10)
	for k := range uint64(1 << 10) {
		models.SetState(s, k)
		if a, b := ps.Energy(s), d.Energy(s); math.Abs(a-b) > 1e-12 {
			t.Fatalf("state %d: PSpin %v, Dense %v", k, a, b)
		}
	}
	// At small β, [⟨E⟩] = −β Σ_{i<j} [J_ij²] + O(β³) = −β N(N−1)/(2N): over instances of
	// both, the slope of ⟨E⟩/N at β = 0.01 is −(N−1)/(2N) within errors.
	const beta = 0.01
	var sp, sk []float64
	for seed := range uint64(300) {
		p2 := models.NewPSpin(10, 2, 1, rand.New(rand.NewPCG(seed, 8)))
		sp = append(sp, models.Exact(p2, beta).EnergyPerSpin()/beta)
		sk = append(sk, models.Exact(models.NewSK(10, 0, models.Gaussian, rand.New(rand.NewPCG(seed, 9))), beta).EnergyPerSpin()/beta)
	}
	want := -9.0 / 20
	for name, x := range map[string][]float64{"p-spin p=2": sp, "SK": sk} {
		m, v := meanVar(x)
		if z := (m - want) / math.Sqrt(v/float64(len(x))); math.Abs(z) > 4 {
			t.Errorf("%s: [⟨E⟩]/(Nβ) = %.4f; want %.4f (z = %.1f)", name, m, want, z)
		}
	}
	mustPanic(t, "Dense of p = 3", func() { models.NewPSpin(5, 3, 1, rand.New(rand.NewPCG(1, 1))).Dense() })
}

// TestPSpinLocalFields checks that the incremental fields stay equal to fresh ones and
// give ΔE.
func TestPSpinLocalFields(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for _, ps := range []*models.PSpin{models.NewPSpin(16, 3, 1, rng), models.NewDilutedPSpin(60, 4, 6, 1, rng)} {
		n := ps.N()
		s := make([]int8, n)
		for i := range s {
			s[i] = int8(2*rng.IntN(2) - 1)
		}
		f := ps.LocalFields(nil, s)
		e := ps.Energy(s)
		for step := range 2000 {
			i := rng.IntN(n)
			want := ps.DeltaE(s, i)
			if math.Abs(2*float64(s[i])*f[i]-want) > 1e-10 {
				t.Fatalf("%v step %d: 2 s_i f_i = %v; DeltaE = %v", ps, step, 2*float64(s[i])*f[i], want)
			}
			e += ps.Flip(f, s, i)
		}
		fresh := ps.LocalFields(nil, s)
		for i := range f {
			if math.Abs(f[i]-fresh[i]) > 1e-10 {
				t.Fatalf("%v: field %d drifted to %v; fresh %v", ps, i, f[i], fresh[i])
			}
		}
		if math.Abs(e-ps.Energy(s)) > 1e-9 {
			t.Errorf("%v: energy from flips %v; want %v", ps, e, ps.Energy(s))
		}
	}
}
