package analysis

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"
	"gonum.org/v1/gonum/stat"
)

func normals(n int, mu, sigma float64, rng *rand.Rand) []float64 {
	x := make([]float64, n)
	for i := range x {
		x[i] = mu + sigma*rng.NormFloat64()
	}
	return x
}

func TestJackknifeIdentity(t *testing.T) {
	// For f = identity the jackknife is the mean and its standard error s/√M.
	x := normals(50, 3, 2, rand.New(rand.NewPCG(1, 2)))
	e := Jackknife(func(m []float64) float64 { return m[0] }, x)
	mean, sd := stat.MeanStdDev(x, nil)
	if !scalar.EqualWithinAbsOrRel(e.Mean, mean, 1e-14, 1e-14) || !scalar.EqualWithinAbsOrRel(e.Err, sd/math.Sqrt(50), 1e-14, 1e-12) {
		t.Errorf("Jackknife(identity) = %#v; want mean %v, err %v", e, mean, sd/math.Sqrt(50))
	}
	if e.Tau != 0 || e.N != 0 {
		t.Errorf("Jackknife(identity) = %#v; want Tau and N zero", e)
	}
}

func TestJackknifeSquare(t *testing.T) {
	// For f(m) = m², θ̄ differs from x̄² by s²/(M(M−1)), and the bias-corrected
	// estimate is x̄² − s²/M, whose expectation is exactly μ² (E x̄² = μ² + σ²/M).
	const m = 40
	x := normals(m, 0.5, 1, rand.New(rand.NewPCG(1, 2)))
	e := Jackknife(func(m []float64) float64 { return m[0] * m[0] }, x)
	mean, v := stat.MeanVariance(x, nil)
	want := mean*mean - v/m
	if !scalar.EqualWithinAbsOrRel(e.Mean, want, 1e-14, 1e-12) {
		t.Errorf("Jackknife(m²).Mean = %v; want x̄² − s²/M = %v", e.Mean, want)
	}
	// And its error is close to the delta-method value 2|x̄|·s/√M.
	if delta := 2 * math.Abs(mean) * math.Sqrt(v/m); !scalar.EqualWithinRel(e.Err, delta, 0.1) {
		t.Errorf("Jackknife(m²).Err = %v; want about %v", e.Err, delta)
	}

	// Averaged over many data sets, the corrected estimate is unbiased and the naive
	// one x̄² is not: with μ = 0, σ = 1, M = 4, E x̄² = 1/4.
	rng := rand.New(rand.NewPCG(3, 4))
	var corrected, naive []float64
	for range 20000 {
		x := normals(4, 0, 1, rng)
		corrected = append(corrected, Jackknife(func(m []float64) float64 { return m[0] * m[0] }, x).Mean)
		naive = append(naive, stat.Mean(x, nil)*stat.Mean(x, nil))
	}
	cm, csd := stat.MeanStdDev(corrected, nil)
	nm, _ := stat.MeanStdDev(naive, nil)
	if se := csd / math.Sqrt(20000); math.Abs(cm) > 4*se {
		t.Errorf("bias-corrected jackknife of μ² = 0 averages %v ± %v; want 0", cm, se)
	}
	if math.Abs(nm-0.25) > 0.02 {
		t.Errorf("naive x̄² averages %v; want the bias 1/4", nm)
	}
}

func TestJackknifeRatio(t *testing.T) {
	// Several observables, against a direct delete-one computation.
	rng := rand.New(rand.NewPCG(5, 6))
	a, b := normals(30, 2, 0.5, rng), normals(30, 5, 1, rng)
	f := func(m []float64) float64 { return m[0] / m[1] }
	got := Jackknife(f, a, b)

	const m = 30
	theta := make([]float64, m)
	for i := range theta {
		var sa, sb float64
		for j := range a {
			if j != i {
				sa += a[j]
				sb += b[j]
			}
		}
		theta[i] = sa / sb
	}
	tbar := stat.Mean(theta, nil)
	full := stat.Mean(a, nil) / stat.Mean(b, nil)
	var ss float64
	for _, th := range theta {
		ss += (th - tbar) * (th - tbar)
	}
	want := Estimate{Mean: m*full - (m-1)*tbar, Err: math.Sqrt((m - 1) / float64(m) * ss)}
	if !scalar.EqualWithinAbsOrRel(got.Mean, want.Mean, 1e-14, 1e-12) || !scalar.EqualWithinAbsOrRel(got.Err, want.Err, 1e-14, 1e-10) {
		t.Errorf("Jackknife(ratio) = %#v; want %#v", got, want)
	}
}

func TestJackknifeEdgeCases(t *testing.T) {
	id := func(m []float64) float64 { return m[0] }
	if e := Jackknife(id, []float64{2.5}); e.Mean != 2.5 || !math.IsNaN(e.Err) {
		t.Errorf("one block: %#v; want mean 2.5, NaN error", e)
	}
	if e := Jackknife(id, []float64{}); !math.IsNaN(e.Mean) || !math.IsNaN(e.Err) {
		t.Errorf("no blocks: %#v; want NaN", e)
	}
	mustPanic(t, "Jackknife(nil f)", func() { Jackknife(nil, []float64{1, 2}) })
	mustPanic(t, "Jackknife without observables", func() { Jackknife(id) })
	mustPanic(t, "Jackknife with lengths 2 and 3", func() { Jackknife(id, []float64{1, 2}, []float64{1, 2, 3}) })
}

func TestJackknifeSeries(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	x := normals(10000, 1, 1, rng)
	a, b := NewSeries(10), NewSeries(10)
	for _, v := range x {
		a.Add(v)
		b.Add(v * v)
	}
	f := func(m []float64) float64 { return m[1] - m[0]*m[0] }
	got := JackknifeSeries(f, 20, a, b)
	want := Jackknife(f, a.Blocks(20), b.Blocks(20))
	want.N = 10000
	if got != want {
		t.Errorf("JackknifeSeries = %#v; want %#v", got, want)
	}
	if got, want := JackknifeSeries(f, 0, a, b), JackknifeSeries(f, DefaultBlocks, a, b); got != want {
		t.Errorf("JackknifeSeries with 0 blocks = %v; want DefaultBlocks: %v", got, want)
	}
	c := NewSeries(5)
	for _, v := range x {
		c.Add(v)
	}
	short := NewSeries(10)
	short.Add(1)
	mustPanic(t, "JackknifeSeries without series", func() { JackknifeSeries(f, 10) })
	mustPanic(t, "JackknifeSeries with nil", func() { JackknifeSeries(f, 10, a, nil) })
	mustPanic(t, "JackknifeSeries with other bin length", func() { JackknifeSeries(f, 10, a, c) })
	mustPanic(t, "JackknifeSeries with other count", func() { JackknifeSeries(f, 10, a, short) })
}
