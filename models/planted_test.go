package models_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/deepglass/deepglass/models"
)

// TestPlantedGauge checks J_ij ξ_i ξ_j = J0/N ± 1/√N exactly for ±J noise, and the
// gauge invariance E(s) = E_gauged(ξ s).
func TestPlantedGauge(t *testing.T) {
	const n = 21
	d, xi := models.NewPlanted(n, 1.3, models.PlusMinus, rand.New(rand.NewPCG(2, 2)))
	g := make([]float64, n*n)
	for i := range n {
		for j := range n {
			if i == j {
				continue
			}
			w := d.Coupling(i, j) * float64(xi[i]*xi[j])
			g[i*n+j] = w
			if dev := math.Abs(w - 1.3/n); math.Abs(dev-1/math.Sqrt(n)) > 1e-12 {
				t.Fatalf("J_%d%d ξξ − J0/N = ±%v; want ±1/√N", i, j, dev)
			}
		}
	}
	gauged := models.NewDense(n, g, nil)
	rng := rand.New(rand.NewPCG(9, 9))
	s, u := make([]int8, n), make([]int8, n)
	for range 50 {
		for i := range s {
			s[i] = int8(2*rng.IntN(2) - 1)
			u[i] = s[i] * xi[i]
		}
		if a, b := d.Energy(s), gauged.Energy(u); math.Abs(a-b) > 1e-12 {
			t.Fatalf("E(s) = %v but E_gauged(ξs) = %v", a, b)
		}
	}
	// The same stream without the pattern's draws gives SK's noise: the draws line up.
	_, xi2 := models.NewPlanted(n, 0, models.Gaussian, rand.New(rand.NewPCG(4, 4)))
	want := models.RandomPatterns(1, n, rand.New(rand.NewPCG(4, 4)))[0]
	for i := range xi2 {
		if xi2[i] != want[i] {
			t.Fatal("the pattern is not RandomPatterns' first draw")
		}
	}
}

// TestPlantedNishimori checks the exact identity on the Nishimori line T = J²/J0:
// [⟨E⟩] = −J0 (N−1)/2 for any N (docs/references/funnels.md §3), by enumeration over
// instances.
func TestPlantedNishimori(t *testing.T) {
	const n = 10
	for _, j0 := range []float64{0.7, 1.5} {
		var x []float64
		for seed := range uint64(400) {
			d, _ := models.NewPlanted(n, j0, models.Gaussian, rand.New(rand.NewPCG(seed, 31)))
			x = append(x, models.Exact(d, j0).E)
		}
		m, v := meanVar(x)
		want := -j0 * (n - 1) / 2
		if z := (m - want) / math.Sqrt(v/float64(len(x))); math.Abs(z) > 4 {
			t.Errorf("J0=%v: [⟨E⟩] = %.4f; want %.4f (z = %.1f)", j0, m, want, z)
		}
	}
}

func TestPatternOverlaps(t *testing.T) {
	pats := [][]int8{{1, 1, 1, 1}, {1, -1, 1, -1}, {-1, -1, -1, -1}}
	s := []int8{1, 1, 1, -1}
	got := models.PatternOverlaps(nil, pats, s)
	want := []float64{0.5, 0.5, -0.5}
	for k := range want {
		if got[k] != want[k] {
			t.Fatalf("PatternOverlaps = %v; want %v", got, want)
		}
	}
	mustPanic(t, "PatternOverlaps length", func() { models.PatternOverlaps(make([]float64, 2), pats, s) })
	rng := rand.New(rand.NewPCG(1, 1))
	xi := models.RandomPatterns(1, 1000, rng)[0]
	if c := models.CorruptPattern(xi, 0, rng); models.Overlap(c, xi) != 1 {
		t.Error("CorruptPattern(p = 0) changed the pattern")
	}
	if c := models.CorruptPattern(xi, 1, rng); models.Overlap(c, xi) != -1 {
		t.Error("CorruptPattern(p = 1) did not flip every spin")
	}
	// p = 0.1: overlap 1 − 2p = 0.8 ± 4·2√(p(1−p)/N).
	if q := models.Overlap(models.CorruptPattern(xi, 0.1, rng), xi); math.Abs(q-0.8) > 8*math.Sqrt(0.09/1000) {
		t.Errorf("CorruptPattern(0.1) overlap %v; want 0.8", q)
	}
}
