package analysis

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"
	"gonum.org/v1/gonum/stat"
)

const (
	thermoN      = 1 << 16 // measurements
	thermoBinLen = 16
)

// seriesPair records g(x) and h(x) for each value of x.
func seriesPair(x []float64, g, h func(float64) float64) (*Series, *Series) {
	a, b := NewSeries(thermoBinLen), NewSeries(thermoBinLen)
	for _, v := range x {
		a.Add(g(v))
		b.Add(h(v))
	}
	return a, b
}

// checkDerived checks a derived estimate against the exact value within 4 errors, and
// against the formula applied to the plain means (which differ by the O(1/n) bias,
// far below the error).
func checkDerived(t *testing.T, name string, got Estimate, exact, plain float64) {
	t.Helper()
	t.Logf("%s = %v (exact %.6g)", name, got, exact)
	if got.N != thermoN || got.Tau != 0 {
		t.Errorf("%s: N, Tau = %d, %v; want %d, 0", name, got.N, got.Tau, thermoN)
	}
	if !(got.Err > 0) || math.Abs(got.Mean-exact) > 4*got.Err {
		t.Errorf("%s = %v; want %v within 4 errors", name, got, exact)
	}
	if math.Abs(got.Mean-plain) > got.Err/10 {
		t.Errorf("%s = %v; the formula on the means gives %v", name, got, plain)
	}
}

func TestBinder(t *testing.T) {
	// Gaussian m: ⟨m⁴⟩ = 3⟨m²⟩², so U₄ = 0.
	x := normals(thermoN, 0, 0.3, rand.New(rand.NewPCG(1, 2)))
	m2, m4 := seriesPair(x, func(m float64) float64 { return m * m }, func(m float64) float64 { return m * m * m * m })
	checkDerived(t, "Binder(Gaussian)", Binder(m2, m4, 64), 0, 1-m4.Mean()/(3*m2.Mean()*m2.Mean()))

	// m = ±0.8: ⟨m⁴⟩ = ⟨m²⟩², so U₄ = 2/3 with no fluctuations at all.
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range x {
		x[i] = 0.8
		if rng.IntN(2) == 0 {
			x[i] = -0.8
		}
	}
	m2, m4 = seriesPair(x, func(m float64) float64 { return m * m }, func(m float64) float64 { return m * m * m * m })
	if u := Binder(m2, m4, 0); !scalar.EqualWithinAbs(u.Mean, 2.0/3, 1e-12) || u.Err > 1e-12 {
		t.Errorf("Binder(m = ±0.8) = %#v; want 2/3 exactly", u)
	}
}

func TestSpecificHeat(t *testing.T) {
	// e ~ N(−1.4, 0.1²) per spin: C/N = β² N σ² = 0.25 · 64 · 0.01 = 0.16.
	const beta, n, sigma = 0.5, 64, 0.1
	x := normals(thermoN, -1.4, sigma, rand.New(rand.NewPCG(5, 6)))
	e, e2 := seriesPair(x, func(e float64) float64 { return e }, func(e float64) float64 { return e * e })
	c := SpecificHeat(e, e2, beta, n, 64)
	checkDerived(t, "SpecificHeat", c, beta*beta*n*sigma*sigma, beta*beta*n*(e2.Mean()-e.Mean()*e.Mean()))

	// The sample variance of n Gaussian values has sd σ²·sqrt(2/n); the jackknife
	// error over 64 blocks should match it to about 1/sqrt(2·63) ≈ 9%: allow 30%.
	if want := beta * beta * n * sigma * sigma * math.Sqrt(2.0/thermoN); !scalar.EqualWithinRel(c.Err, want, 0.3) {
		t.Errorf("SpecificHeat error = %v; want about %v", c.Err, want)
	}

	// The bias correction is exact: with block means A of e² and B of e,
	// C = β²N (Ā − B̄² + s_B²/M).
	const blocks = 64
	bm := e.Blocks(blocks)
	a := stat.Mean(e2.Blocks(blocks), nil)
	b, vb := stat.MeanVariance(bm, nil)
	if want := beta * beta * n * (a - b*b + vb/blocks); !scalar.EqualWithinAbsOrRel(c.Mean, want, 1e-14, 1e-9) {
		t.Errorf("SpecificHeat = %v; want β²N(Ā − B̄² + s_B²/M) = %v", c.Mean, want)
	}
	mustPanic(t, "SpecificHeat with 0 spins", func() { SpecificHeat(e, e2, beta, 0, 64) })
}

func TestSusceptibility(t *testing.T) {
	// m ~ N(0, σ²): ⟨m²⟩ = σ², ⟨|m|⟩ = σ sqrt(2/π), so χ = βN σ² (1 − 2/π).
	const beta, n, sigma = 0.4, 100, 0.3
	x := normals(thermoN, 0, sigma, rand.New(rand.NewPCG(7, 8)))
	m2, absm := seriesPair(x, func(m float64) float64 { return m * m }, math.Abs)
	checkDerived(t, "Susceptibility", Susceptibility(m2, absm, beta, n, 64),
		beta*n*sigma*sigma*(1-2/math.Pi), beta*n*(m2.Mean()-absm.Mean()*absm.Mean()))
	mustPanic(t, "Susceptibility with 0 spins", func() { Susceptibility(m2, absm, beta, 0, 64) })
}
