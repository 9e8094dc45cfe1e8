package analysis_test

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/deepglass/deepglass/analysis"
)

// paramagnet returns the density of states of N free spins in a field h:
// g(E = −h(N − 2k)) = C(N, k).
func paramagnet(n int, h float64) analysis.DensityOfStates {
	d := analysis.DensityOfStates{N: n}
	for k := n; k >= 0; k-- { // increasing E
		lg, _ := math.Lgamma(float64(n + 1))
		a, _ := math.Lgamma(float64(k + 1))
		b, _ := math.Lgamma(float64(n - k + 1))
		d.E = append(d.E, -h*float64(n-2*k))
		d.LnG = append(d.LnG, lg-a-b+5) // an arbitrary offset
	}
	return d
}

func TestDensityOfStatesThermo(t *testing.T) {
	const n, h = 50, 0.7
	d := paramagnet(n, h).Normalized(n * math.Ln2)
	for _, beta := range []float64{0, 0.3, 1, 4} {
		th := d.Thermo(beta)
		x := beta * h
		wantE := -h * math.Tanh(x)
		wantC := x * x / (math.Cosh(x) * math.Cosh(x))
		wantLnZ := n * math.Log(2*math.Cosh(x))
		if math.Abs(th.E-wantE) > 1e-12 || math.Abs(th.C-wantC) > 1e-12 || math.Abs(th.LnZ-wantLnZ) > 1e-10 {
			t.Errorf("β=%v: %v; want e=%v c=%v lnZ=%v", beta, th, wantE, wantC, wantLnZ)
		}
		if beta > 0 {
			wantS := math.Log(2*math.Cosh(x)) - x*math.Tanh(x)
			if math.Abs(th.S-wantS) > 1e-12 || math.Abs(th.F-(th.E-th.S/beta)) > 1e-12 {
				t.Errorf("β=%v: s=%v f=%v; want s=%v, f = e − Ts", beta, th.S, th.F, wantS)
			}
		}
	}
	e, s := d.Entropy()
	if math.Abs(e[n/2]) > 1e-15 || math.Abs(s[n/2]-math.Log(1.2641060643775e14)/n) > 1e-12 { // C(50, 25)
		t.Errorf("s(0) = %v at e = %v; want ln C(50,25)/50", s[n/2], e[n/2])
	}
	if !strings.Contains(d.String(), "51 levels") {
		t.Errorf("String() = %q", d.String())
	}
}

func TestRHat(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	same := make([][]float64, 4)
	apart := make([][]float64, 4)
	for c := range same {
		for range 2000 {
			x := rng.NormFloat64()
			same[c] = append(same[c], x)
			apart[c] = append(apart[c], x+float64(c))
		}
	}
	if r := analysis.RHat(same...); math.Abs(r-1) > 0.01 {
		t.Errorf("R̂ of chains of one distribution = %v; want ≈ 1", r)
	}
	if r := analysis.RHat(apart...); r < 1.5 {
		t.Errorf("R̂ of chains at different means = %v; want ≫ 1", r)
	}
	if w := analysis.ConvergenceWarning("e", 0, apart...); !strings.Contains(w, "stuck") {
		t.Errorf("warning %q", w)
	}
	if w := analysis.ConvergenceWarning("e", 0, same...); w != "" {
		t.Errorf("warning %q for converged chains", w)
	}
	if r := analysis.RHat([]float64{1, 2, 3, 4}); !math.IsNaN(r) {
		t.Errorf("R̂ of a chain too short to split = %v; want NaN", r)
	}
	ones, twos := []float64{1, 1, 1, 1, 1, 1, 1, 1}, []float64{2, 2, 2, 2, 2, 2, 2, 2}
	if r := analysis.RHat(ones, ones); r != 1 {
		t.Errorf("R̂ of constant chains = %v; want 1", r)
	}
	if r := analysis.RHat(ones, twos); !math.IsInf(r, 1) {
		t.Errorf("R̂ of constant chains at different values = %v; want +Inf", r)
	}
}
