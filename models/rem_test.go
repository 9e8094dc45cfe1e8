package models_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/deepglass/deepglass/models"
	"github.com/deepglass/deepglass/models/modeltest"
)

// energies returns the energy of every state of m, by index (models.StateIndex).
func energies(m models.Model) []float64 {
	n := m.N()
	s := make([]int8, n)
	out := make([]float64, 1<<uint(n))
	for k := range out {
		models.SetState(s, uint64(k))
		out[k] = m.Energy(s)
	}
	return out
}

func TestStateIndex(t *testing.T) {
	s := []int8{1, -1, -1, 1, 1}
	k := models.StateIndex(s)
	if k != 0b11001 {
		t.Fatalf("StateIndex(%v) = %b; want 11001", s, k)
	}
	got := make([]int8, len(s))
	models.SetState(got, k)
	for i := range s {
		if got[i] != s[i] {
			t.Fatalf("SetState(%b) = %v; want %v", k, got, s)
		}
	}
	mustPanic(t, "StateIndex of 65 spins", func() { models.StateIndex(make([]int8, 65)) })
}

func TestFunnelModelsConformance(t *testing.T) {
	rng := func(a uint64) *rand.Rand { return rand.New(rand.NewPCG(a, 23)) }
	dPlanted, _ := models.NewPlanted(30, 1.5, models.Gaussian, rng(4))
	pm, _ := models.NewPlanted(17, 0.5, models.PlusMinus, rng(5))
	for k, m := range []models.Model{
		models.NewREM(1, 1, rng(1)),
		models.NewREM(20, 1, rng(1)),
		models.NewREM(64, 2, rng(2)),
		models.NewGREM([]int{5, 7}, []float64{0.8, 0.2}, 1, rng(3)),
		models.NewGREM([]int{10}, []float64{1}, 1, rng(3)),
		models.NewGREM([]int{20, 20, 24}, []float64{0.5, 0.3, 0.2}, 1, rng(3)),
		models.NewFunnel(16, 1, 1, rng(6)),
		models.NewFunnel(40, 1, 0.9, rng(7)),
		models.NewPSpin(12, 2, 1, rng(8)),
		models.NewPSpin(12, 3, 1, rng(9)),
		models.NewPSpin(10, 4, 1.5, rng(10)),
		models.NewPSpin(6, 6, 1, rng(11)),
		models.NewDilutedPSpin(60, 3, 4, 1, rng(12)),
		models.NewDilutedPSpin(50, 4, 6, 1, rng(13)),
		dPlanted, pm,
	} {
		t.Run(stringOf(m), func(t *testing.T) { modeltest.Check(t, m, rand.NewPCG(uint64(k), 5)) })
	}
}

func TestREMDeterministic(t *testing.T) {
	a := models.NewREMSeed(30, 1, 42)
	b := models.NewREMSeed(30, 1, 42)
	c := models.NewREMSeed(30, 1, 43)
	same := 0
	for k := uint64(0); k < 1000; k++ {
		if a.EnergyIndex(k*7919) != b.EnergyIndex(k*7919) {
			t.Fatalf("same seed, state %d: %v ≠ %v", k, a.EnergyIndex(k), b.EnergyIndex(k))
		}
		if a.EnergyIndex(k) == c.EnergyIndex(k) {
			same++
		}
	}
	if same > 0 {
		t.Errorf("seeds 42 and 43 share %d of 1000 levels", same)
	}
	// Pin the mapping: any change of the hash changes every REM instance.
	if got, want := models.NewREMSeed(4, 1, 1).EnergyIndex(5), -0.03367246615058329; math.Abs(got-want) > 1e-15 {
		t.Errorf("NewREMSeed(4, 1, 1).EnergyIndex(5) = %.16g; want %.16g (the hash mapping changed)", got, want)
	}
}

// TestREMLevelStatistics checks that the levels of one instance are standard normal
// (times J√(N/2)) and uncorrelated between neighbouring states.
func TestREMLevelStatistics(t *testing.T) {
	const n = 18
	r := models.NewREMSeed(n, 2, 7)
	e := energies(r)
	scale := 2 * math.Sqrt(n/2.0)
	m := float64(len(e))
	var s1, s2, s4, below, nb float64
	for k, x := range e {
		z := x / scale
		s1 += z
		s2 += z * z
		s4 += z * z * z * z
		if z < -2 {
			below++
		}
		nb += z * e[k^1<<3] / scale
	}
	checkZ := func(name string, got, want, sd float64) {
		t.Helper()
		if z := (got - want) / sd; math.Abs(z) > 4 {
			t.Errorf("%s = %.5f; want %.5f ± %.5f (z = %.1f)", name, got, want, sd, z)
		}
	}
	checkZ("mean", s1/m, 0, 1/math.Sqrt(m))
	checkZ("variance", s2/m, 1, math.Sqrt(2/m))
	checkZ("fourth moment", s4/m, 3, math.Sqrt(96/m))
	p := 0.022750131948179195 // Φ(−2)
	checkZ("P(z < −2)", below/m, p, math.Sqrt(p*(1-p)/m))
	checkZ("neighbour correlation", nb/m, 0, 1/math.Sqrt(m))
}

// TestREMGroundStateOrderStatistics compares the exact order statistics with the
// reference table (docs/references/funnels.md §1) and with the minima of REM instances.
func TestREMGroundStateOrderStatistics(t *testing.T) {
	// docs/references/funnels.md §1: E[e_min] at J = 1.
	for _, c := range []struct {
		n    int
		want float64
	}{{8, -0.70672}, {10, -0.72633}, {12, -0.74017}, {16, -0.75857}, {20, -0.77038}, {24, -0.77867}, {30, -0.78739}} {
		if got, _ := models.REMGroundState(c.n, 1); math.Abs(got-c.want) > 6e-6 {
			t.Errorf("REMGroundState(%d) = %.6f; want %.5f", c.n, got, c.want)
		}
	}
	// Closed forms: the maximum of 2 normals has mean 1/√π and variance 1 − 1/π.
	m, sd := models.REMGroundState(1, 1)
	if math.Abs(m+1/math.Sqrt(2*math.Pi)) > 1e-12 || math.Abs(sd-math.Sqrt((1-1/math.Pi)/2)) > 1e-12 {
		t.Errorf("REMGroundState(1) = %v, %v; want %v, %v", m, sd, -1/math.Sqrt(2*math.Pi), math.Sqrt((1-1/math.Pi)/2))
	}
	// Scaling with J, and the approach to −J√ln 2 (monotone, within 0.003 at N = 1000).
	if a, _ := models.REMGroundState(12, 2.5); math.Abs(a-2.5*-0.74017) > 2e-5 {
		t.Errorf("REMGroundState(12, 2.5) = %v; want 2.5 × −0.74017", a)
	}
	prev := 0.0
	for _, n := range []int{4, 16, 64, 256, 1000} {
		e, _ := models.REMGroundState(n, 1)
		if e >= prev {
			t.Errorf("REMGroundState(%d) = %v does not decrease (previous %v)", n, e, prev)
		}
		prev = e
	}
	if lim := models.REMGroundStateLimit(1); math.Abs(prev-lim) > 0.003 || prev < lim {
		t.Errorf("REMGroundState(1000) = %v; want just above %v", prev, lim)
	}
	// Mean minimum over instances against the exact order statistics, within 4σ.
	for _, c := range []struct{ n, samples int }{{10, 400}, {16, 100}, {20, 10}} {
		var sum float64
		for k := range c.samples {
			r := models.NewREMSeed(c.n, 1, uint64(1000*c.n+k))
			lo := math.Inf(1)
			for x := uint64(0); x < 1<<uint(c.n); x++ {
				lo = min(lo, r.EnergyIndex(x))
			}
			sum += lo / float64(c.n)
		}
		mean := sum / float64(c.samples)
		want, sd := models.REMGroundState(c.n, 1)
		se := sd / math.Sqrt(float64(c.samples))
		z := (mean - want) / se
		t.Logf("N=%d: mean e_min over %d instances = %.5f ± %.5f; exact %.5f (z = %+.2f)", c.n, c.samples, mean, se, want, z)
		if math.Abs(z) > 4 {
			t.Errorf("N=%d: mean e_min over %d instances = %.5f; exact %.5f (z = %.1f)", c.n, c.samples, mean, want, z)
		}
	}
}

func TestREMLimits(t *testing.T) {
	tc := models.REMCriticalTemperature(1)
	if math.Abs(tc-0.6005612) > 1e-7 { // docs/references/funnels.md §1
		t.Errorf("T_c = %v; want 0.6005612", tc)
	}
	if math.Abs(models.REMGroundStateLimit(1)+0.8325546) > 1e-7 {
		t.Errorf("e0 = %v; want −0.8325546", models.REMGroundStateLimit(1))
	}
	// f is continuous at T_c, and s = (e − f)/T vanishes there.
	if d := models.REMFreeEnergy(tc*(1+1e-9), 1) - models.REMFreeEnergy(tc, 1); math.Abs(d) > 1e-8 {
		t.Errorf("f jumps by %v at T_c", d)
	}
	if s := models.REMEntropy(models.REMGroundStateLimit(1), 1); math.Abs(s) > 1e-12 {
		t.Errorf("s(e0) = %v; want 0", s)
	}
	if s := models.REMEntropy(-1, 1); !math.IsInf(s, -1) {
		t.Errorf("s(−1) = %v; want −Inf", s)
	}
	for _, tt := range []float64{0.7, 1, 2} {
		e, f := models.REMEnergy(tt, 1), models.REMFreeEnergy(tt, 1)
		if s := (e - f) / tt; math.Abs(s-models.REMEntropy(e, 1)) > 1e-12 {
			t.Errorf("T=%v: (e − f)/T = %v but s(e) = %v", tt, s, models.REMEntropy(e, 1))
		}
	}
}

func TestNormalMaximum(t *testing.T) {
	// The maximum of 2 normals: mean 1/√π, variance 1 − 1/π; of 1: mean 0, sd 1.
	if m, sd := models.NormalMaximum(math.Ln2); math.Abs(m-1/math.Sqrt(math.Pi)) > 1e-12 || math.Abs(sd-math.Sqrt(1-1/math.Pi)) > 1e-12 {
		t.Errorf("NormalMaximum(ln 2) = %v, %v", m, sd)
	}
	if m, sd := models.NormalMaximum(0); math.Abs(m) > 1e-12 || math.Abs(sd-1) > 1e-12 {
		t.Errorf("NormalMaximum(0) = %v, %v; want 0, 1", m, sd)
	}
	// Consistent with REMGroundState: e_min = −E[max]/√(2N).
	m, _ := models.NormalMaximum(16 * math.Ln2)
	if e, _ := models.REMGroundState(16, 1); math.Abs(-m/math.Sqrt(32)-e) > 1e-14 {
		t.Errorf("NormalMaximum and REMGroundState disagree: %v, %v", -m/math.Sqrt(32), e)
	}
	mustPanic(t, "NormalMaximum(−1)", func() { models.NormalMaximum(-1) })
}
