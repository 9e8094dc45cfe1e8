package analysis

import (
	"math"
	"math/rand/v2"
	"testing"
)

// lcg reproduces the data of testdata/rhat_ref.py: 64-bit LCG (Knuth's MMIX
// constants), values (s >> 11)/2^53.
func lcg(seed uint64, n int) []float64 {
	out := make([]float64, n)
	s := seed
	for i := range out {
		s = 6364136223846793005*s + 1442695040888963407
		out[i] = float64(s>>11) / (1 << 53)
	}
	return out
}

// TestRHatReference compares with an independent NumPy/SciPy implementation of the
// rank-normalized split-R̂ (testdata/rhat_ref.py, run with Debian's python3-numpy
// 1.24 and python3-scipy 1.10), on three chains of unequal length, the third shifted
// and stretched.
func TestRHatReference(t *testing.T) {
	third := lcg(3, 41)
	for i := range third {
		third[i] = third[i]*2 + 0.3
	}
	got := RHat(lcg(1, 40), lcg(2, 40), third)
	const want = 1.405204342777049 // rhat_ref.py: max(bulk 1.4052043427770490, tail 1.1312218427738834)
	if math.Abs(got-want) > 1e-12 {
		t.Errorf("RHat = %.15g, want %.15g", got, want)
	}
}

// TestRHatBehaviour: chains of one distribution give R̂ near 1; a shifted chain, a
// chain of another spread, and stuck chains are flagged.
func TestRHatBehaviour(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	normal := func(n int, mu, sigma float64) []float64 {
		x := make([]float64, n)
		for i := range x {
			x[i] = mu + sigma*rng.NormFloat64()
		}
		return x
	}
	var worst float64
	for range 50 {
		worst = max(worst, RHat(normal(400, 0, 1), normal(400, 0, 1), normal(400, 0, 1), normal(400, 0, 1)))
	}
	if worst > 1.02 {
		t.Errorf("iid chains: worst R̂ of 50 = %v, want ≤ 1.02", worst)
	}
	if r := RHat(normal(400, 0, 1), normal(400, 0, 1), normal(400, 1, 1)); r < 1.05 {
		t.Errorf("a chain shifted by σ: R̂ = %v, want > 1.05", r)
	}
	if r := RHat(normal(400, 0, 1), normal(400, 0, 1), normal(400, 0, 3)); r < 1.05 {
		t.Errorf("a chain 3× wider: R̂ = %v, want > 1.05 (the folded R̂ sees it)", r)
	}
	one := normal(400, 0, 1)
	for i := 200; i < 400; i++ {
		one[i] += 1 // a single chain that moved between its halves
	}
	if r := RHat(one); r < 1.1 {
		t.Errorf("one chain whose halves differ: R̂ = %v, want > 1.1", r)
	}
	c := func(v float64) []float64 {
		x := make([]float64, 20)
		for i := range x {
			x[i] = v
		}
		return x
	}
	if r := RHat(c(-1), c(-1)); r != 1 {
		t.Errorf("identical constant chains: R̂ = %v, want 1", r)
	}
	if r := RHat(c(-1), c(-2)); !math.IsInf(r, 1) {
		t.Errorf("constant chains in different states: R̂ = %v, want +Inf", r)
	}
	if r := RHat([]float64{1, 2, 3}); !math.IsNaN(r) {
		t.Errorf("too short: R̂ = %v, want NaN", r)
	}
}
