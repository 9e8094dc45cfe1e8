package analysis

import (
	"math"
	"math/rand/v2"
	"testing"
)

// ar1 returns n steps of the stationary AR(1) process x_t = ρ x_{t−1} + √(1−ρ²) ξ_t,
// ξ_t ~ N(0,1), started in equilibrium (x_0 ~ N(0,1)). Its mean is 0, its variance 1,
// its autocorrelation ρ^t and its integrated autocorrelation time (1+ρ)/(2(1−ρ)).
func ar1(n int, rho float64, rng *rand.Rand) []float64 {
	x := make([]float64, n)
	s := math.Sqrt(1 - rho*rho)
	v := rng.NormFloat64()
	for i := range x {
		x[i] = v
		v = rho*v + s*rng.NormFloat64()
	}
	return x
}

// ar1Tau is the exact integrated autocorrelation time of the AR(1) process with parameter rho.
func ar1Tau(rho float64) float64 { return (1 + rho) / (2 * (1 - rho)) }

func TestTauIntAR1(t *testing.T) {
	const n = 1 << 20
	for i, rho := range []float64{0, 0.5, 0.9, 0.98} {
		x := ar1(n, rho, rand.New(rand.NewPCG(1, uint64(i))))
		tau, w := TauInt(x, 6)
		exact := ar1Tau(rho)
		sd := TauIntErr(exact, w, n)
		z := (tau - exact) / sd
		t.Logf("ρ=%v: τ_int = %.4f ± %.4f (W=%d), exact %.4f, z = %.2f", rho, tau, sd, w, exact, z)
		if math.Abs(z) > 4 {
			t.Errorf("ρ=%v: TauInt = %v (W=%d); want %v ± 4·%v", rho, tau, w, exact, sd)
		}
		if float64(w) < 6*tau {
			t.Errorf("ρ=%v: window %d < 6·τ_int = %v", rho, w, 6*tau)
		}
	}
}

func TestTauIntSpecialCases(t *testing.T) {
	tests := []struct {
		name   string
		x      []float64
		tau    float64
		window int
	}{
		{"empty", nil, math.NaN(), 0},
		{"single", []float64{3}, 0.5, 0},
		{"constant", []float64{2, 2, 2, 2, 2}, 0.5, 0},
		{"two", []float64{1, 2}, 0, 1},                     // ρ(1) = −1/2: τ = 0 ≤ W = 1
		{"alternating", []float64{1, -1, 1, -1}, -0.25, 1}, // ρ(1) = −3/4
	}
	for _, tt := range tests {
		tau, w := TauInt(tt.x, 6)
		if !(tau == tt.tau || math.IsNaN(tau) && math.IsNaN(tt.tau)) || w != tt.window {
			t.Errorf("%s: TauInt(%v, 6) = %v, %d; want %v, %d", tt.name, tt.x, tau, w, tt.tau, tt.window)
		}
	}

	// c ≤ 0 and NaN mean DefaultWindowC.
	x := ar1(5000, 0.7, rand.New(rand.NewPCG(1, 2)))
	tau6, w6 := TauInt(x, DefaultWindowC)
	for _, c := range []float64{0, -1, math.NaN()} {
		if tau, w := TauInt(x, c); tau != tau6 || w != w6 {
			t.Errorf("TauInt(x, %v) = %v, %d; want the c = 6 result %v, %d", c, tau, w, tau6, w6)
		}
	}
	// A larger c widens the window.
	if _, w10 := TauInt(x, 10); w10 <= w6 {
		t.Errorf("window for c = 10 is %d; want more than %d for c = 6", w10, w6)
	}
}

// TestTauIntPaths checks that the FFT and direct autocorrelations agree, and that
// TauInt gives the same answer whichever path it takes.
func TestTauIntPaths(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{2, 3, 7, 64, 999, 1000, 3001} {
		for _, rho := range []float64{0, 0.95} {
			x := ar1(n, rho, rng)
			for i := range x {
				x[i] += 10 // an offset must not matter
			}
			mean := 0.0
			for _, v := range x {
				mean += v
			}
			mean /= float64(n)
			direct, fft := autocorrDirect(x, mean), autocorrFFT(x, mean)
			for k := range direct {
				if math.Abs(direct[k]-fft[k]) > 1e-10 {
					t.Fatalf("n=%d ρ=%v: ρ(%d) = %v by FFT, %v directly", n, rho, k, fft[k], direct[k])
				}
			}
			for _, c := range []float64{1, 6, 30} {
				wantTau, wantW := windowTau(direct, c)
				tau, w := TauInt(x, c)
				if w != wantW || math.Abs(tau-wantTau) > 1e-10 {
					t.Errorf("n=%d ρ=%v c=%v: TauInt = %v, %d; want %v, %d", n, rho, c, tau, w, wantTau, wantW)
				}
			}
		}
	}
}

func TestTauIntErr(t *testing.T) {
	// Madras–Sokal: δτ = τ sqrt(2(2W+1)/n); τ = 2, W = 12, n = 5000 → 2·sqrt(50/5000) = 0.2.
	if got := TauIntErr(2, 12, 5000); math.Abs(got-0.2) > 1e-15 {
		t.Errorf("TauIntErr(2, 12, 5000) = %v; want 0.2", got)
	}
	if got := TauIntErr(2, 12, 0); !math.IsNaN(got) {
		t.Errorf("TauIntErr(2, 12, 0) = %v; want NaN", got)
	}
}

func TestFastLen(t *testing.T) {
	tests := []struct{ n, want int }{{0, 1}, {1, 1}, {7, 8}, {11, 12}, {97, 100}, {1999999, 2000000}, {2000001, 2025000}}
	for _, tt := range tests {
		if got := fastLen(tt.n); got != tt.want {
			t.Errorf("fastLen(%d) = %d; want %d", tt.n, got, tt.want)
		}
	}
}

func BenchmarkTauInt(b *testing.B) {
	for _, bc := range []struct {
		name string
		rho  float64
	}{{"iid", 0}, {"rho=0.99", 0.99}} {
		x := ar1(1e6, bc.rho, rand.New(rand.NewPCG(1, 2)))
		b.Run(bc.name+"/n=1e6", func(b *testing.B) {
			for b.Loop() {
				TauInt(x, 6)
			}
		})
	}
}

func TestAutocorrelation(t *testing.T) {
	const n = 1 << 16
	const rho = 0.9
	x := ar1(n, rho, rand.New(rand.NewPCG(7, 7)))
	r := Autocorrelation(x, 200)
	if len(r) != 201 || r[0] != 1 {
		t.Fatalf("Autocorrelation: len %d, ρ(0) = %v; want 201, 1", len(r), r[0])
	}
	// TauInt is ½ + Σ_{t≤W} ρ(t) (TauInt sums short windows directly: rounding only).
	tau, w := TauInt(x, 6)
	sum := 0.5
	for k := 1; k <= w; k++ {
		sum += r[k]
	}
	if math.Abs(sum-tau) > 1e-9*tau {
		t.Errorf("½ + Σ ρ(t≤%d) = %.12g; TauInt = %.12g", w, sum, tau)
	}
	// ρ(t) of AR(1) is rho^t; the error of ρ̂(t) is about sqrt(2τ_int/n) (Bartlett).
	tol := 5 * math.Sqrt(2*ar1Tau(rho)/n)
	for k := 1; k <= 20; k++ {
		if want := math.Pow(rho, float64(k)); math.Abs(r[k]-want) > tol {
			t.Errorf("ρ(%d) = %.4f; want %.4f ± %.3f", k, r[k], want, tol)
		}
	}
	if got := Autocorrelation([]float64{1, 2}, 10); len(got) != 2 {
		t.Errorf("maxLag beyond the series: len %d; want 2", len(got))
	}
	if got := Autocorrelation([]float64{3, 3, 3}, 2); got[0] != 1 || got[1] != 0 || got[2] != 0 {
		t.Errorf("constant series: %v; want [1 0 0]", got)
	}
	if Autocorrelation(nil, 3) != nil {
		t.Error("empty series: want nil")
	}
	mustPanic(t, "negative maxLag", func() { Autocorrelation(x, -1) })
}
