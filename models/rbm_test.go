package models_test

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/deepglass/deepglass/models"
)

// randomRBM returns an RBM with W ~ N(0, sigma²) and biases ~ N(0, sigma²).
func randomRBM(nv, nh int, sigma float64, seed uint64) *models.RBM {
	rng := rand.New(rand.NewPCG(seed, 7))
	r := models.RandomRBM(nv, nh, sigma, rng)
	for i := range r.A {
		r.A[i] = sigma * rng.NormFloat64()
	}
	for j := range r.B {
		r.B[j] = sigma * rng.NormFloat64()
	}
	return r
}

// unitsOf writes the bits of x into u as 0/1 values and returns u.
func unitsOf(u []float64, x int) []float64 {
	for i := range u {
		u[i] = float64(x >> i & 1)
	}
	return u
}

// logSumExp returns ln Σ exp(t).
func logSumExp(t []float64) float64 {
	m := math.Inf(-1)
	for _, x := range t {
		m = math.Max(m, x)
	}
	s := 0.0
	for _, x := range t {
		s += math.Exp(x - m)
	}
	return m + math.Log(s)
}

func TestRBMLogZVisibleHiddenAgree(t *testing.T) {
	// docs/references/rbm.md §1 / issue 5: both sums agree to 1e-10 for nv = nh = 12, W ~ N(0, 0.5²).
	for _, tt := range []struct {
		nv, nh int
		sigma  float64
		seed   uint64
	}{
		{12, 12, 0.5, 1},
		{12, 12, 0.5, 2},
		{12, 12, 1, 3},
		{9, 13, 0.5, 4},
		{1, 1, 2, 5},
	} {
		rng := rand.New(rand.NewPCG(tt.seed, 1))
		r := models.RandomRBM(tt.nv, tt.nh, tt.sigma, rng)
		// Biases too, so the test does not rely on the symmetry of W-only models.
		for i := range r.A {
			r.A[i] = tt.sigma * rng.NormFloat64()
		}
		for j := range r.B {
			r.B[j] = tt.sigma * rng.NormFloat64()
		}
		zv, zh := r.LogZVisible(), r.LogZHidden()
		if d := math.Abs(zv - zh); d > 1e-10 {
			t.Errorf("nv=%d nh=%d σ=%v: LogZVisible = %.15g, LogZHidden = %.15g, |diff| = %.3g > 1e-10",
				tt.nv, tt.nh, tt.sigma, zv, zh, d)
		}
		z, err := r.LogZ()
		if err != nil || z != zh && z != zv {
			t.Errorf("LogZ() = %v, %v; want one of the two sums", z, err)
		}
		t.Logf("nv=%d nh=%d σ=%v: ln Z = %.12f, |visible − hidden| = %.2g", tt.nv, tt.nh, tt.sigma, zv, math.Abs(zv-zh))
	}
}

func TestRBMLogZBruteForce(t *testing.T) {
	for seed := uint64(1); seed <= 3; seed++ {
		const nv, nh = 4, 4
		r := randomRBM(nv, nh, 1, seed)
		v, h := make([]float64, nv), make([]float64, nh)
		var terms []float64
		for x := range 1 << nv {
			for y := range 1 << nh {
				terms = append(terms, -r.Energy(unitsOf(v, x), unitsOf(h, y)))
			}
		}
		want := logSumExp(terms)
		got, err := r.LogZ()
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(got-want) > 1e-12 {
			t.Errorf("seed %d: LogZ() = %.15g; want %.15g (sum over all (v,h))", seed, got, want)
		}
	}
}

func TestRBMEnergy(t *testing.T) {
	r := models.NewRBM(2, 3)
	r.A[0], r.A[1] = 0.5, -1
	r.B[0], r.B[1], r.B[2] = 2, 0.25, -0.75
	r.W.Set(0, 1, 3)
	r.W.Set(1, 2, -2)
	r.W.Set(1, 0, 0.125)
	// E = -(0.5 - 1) - (2 + 0.25) - (W01 + W10) = 0.5 - 2.25 - 3.125 = -4.875 for v=(1,1), h=(1,1,0).
	if got, want := r.Energy([]float64{1, 1}, []float64{1, 1, 0}), -4.875; got != want {
		t.Errorf("Energy = %v; want %v", got, want)
	}
}

func TestRBMFreeEnergyAndConditionals(t *testing.T) {
	for seed := uint64(1); seed <= 3; seed++ {
		const nv, nh = 5, 4
		r := randomRBM(nv, nh, 1.5, seed)
		v, h := make([]float64, nv), make([]float64, nh)
		ph, pv := make([]float64, nh), make([]float64, nv)
		for x := range 1 << nv {
			unitsOf(v, x)
			// F(v) = -ln Σ_h e^{-E(v,h)}, and P(h_j=1|v) by brute force.
			var terms []float64
			for y := range 1 << nh {
				terms = append(terms, -r.Energy(v, unitsOf(h, y)))
			}
			lz := logSumExp(terms)
			if got := r.FreeEnergy(v); math.Abs(got+lz) > 1e-12 {
				t.Errorf("FreeEnergy(%v) = %.15g; want %.15g", v, got, -lz)
			}
			r.HiddenProbs(ph, v)
			for j := range nh {
				p := 0.0
				for y, tm := range terms {
					if y>>j&1 == 1 {
						p += math.Exp(tm - lz)
					}
				}
				if math.Abs(ph[j]-p) > 1e-12 {
					t.Errorf("P(h_%d=1|v=%v) = %v; want %v", j, v, ph[j], p)
				}
			}
		}
		for y := range 1 << nh {
			unitsOf(h, y)
			var terms []float64
			for x := range 1 << nv {
				terms = append(terms, -r.Energy(unitsOf(v, x), h))
			}
			lz := logSumExp(terms)
			if got := r.FreeEnergyHidden(h); math.Abs(got+lz) > 1e-12 {
				t.Errorf("FreeEnergyHidden(%v) = %.15g; want %.15g", h, got, -lz)
			}
			r.VisibleProbs(pv, h)
			for i := range nv {
				p := 0.0
				for x, tm := range terms {
					if x>>i&1 == 1 {
						p += math.Exp(tm - lz)
					}
				}
				if math.Abs(pv[i]-p) > 1e-12 {
					t.Errorf("P(v_%d=1|h=%v) = %v; want %v", i, h, pv[i], p)
				}
			}
		}
	}
}

func TestRBMLogLikelihood(t *testing.T) {
	r := randomRBM(6, 5, 1, 9)
	lz, err := r.LogZ()
	if err != nil {
		t.Fatal(err)
	}
	// Σ_v p(v) = 1.
	v := make([]float64, 6)
	s := 0.0
	for x := range 1 << 6 {
		s += math.Exp(r.LogLikelihood([][]float64{unitsOf(v, x)}, lz))
	}
	if math.Abs(s-1) > 1e-12 {
		t.Errorf("Σ_v p(v) = %.15g; want 1", s)
	}
	data := [][]float64{{1, 0, 1, 0, 1, 1}, {0, 0, 0, 0, 0, 0}}
	want := (-r.FreeEnergy(data[0]) - r.FreeEnergy(data[1])) / 2
	if got := r.LogLikelihood(data, 0); math.Abs(got-want) > 1e-14 {
		t.Errorf("LogLikelihood = %v; want %v", got, want)
	}
}

func TestRBMLogZTooLarge(t *testing.T) {
	r := models.NewRBM(25, 25)
	if _, err := r.LogZ(); err == nil {
		t.Error("LogZ() on 25×25 gave no error")
	}
	// Zero model: ln Z = (nv + nh) ln 2, summed over the smaller (visible) layer.
	r = models.NewRBM(3, 40)
	z, err := r.LogZ()
	if err != nil || math.Abs(z-43*math.Ln2) > 1e-12 {
		t.Errorf("LogZ() of zero 3×40 RBM = %v, %v; want 43 ln 2", z, err)
	}
	// A wide layer (1100 > 512 units folded into the running product at a time) against
	// Σ_v e^{-F(v)}, F from Softplus.
	r = models.RandomRBM(3, 1100, 2, rand.New(rand.NewPCG(5, 5)))
	v := make([]float64, 3)
	var terms []float64
	for x := range 8 {
		terms = append(terms, -r.FreeEnergy(unitsOf(v, x)))
	}
	if got, want := r.LogZVisible(), logSumExp(terms); math.Abs(got-want) > 1e-9 {
		t.Errorf("LogZVisible() of 3×1100 RBM = %.12g; want %.12g", got, want)
	}
}

func TestRBMSoftplusSigmoid(t *testing.T) {
	for _, x := range []float64{-800, -50, -41, -5, -1e-9, 0, 1e-9, 3, 39, 41, 50, 800} {
		var want float64
		if x < 0 {
			want = math.Log1p(math.Exp(x))
		} else {
			want = x + math.Log1p(math.Exp(-x))
		}
		if got := models.Softplus(x); math.Abs(got-want) > 1e-15*math.Max(1, math.Abs(want)) {
			t.Errorf("Softplus(%v) = %v; want %v", x, got, want)
		}
		if got, want := models.Sigmoid(x), 1/(1+math.Exp(-x)); math.Abs(got-want) > 1e-15 {
			t.Errorf("Sigmoid(%v) = %v; want %v", x, got, want)
		}
	}
}

func TestRBMJSONRoundTrip(t *testing.T) {
	r := randomRBM(3, 2, 1, 4)
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var q models.RBM
	if err := json.Unmarshal(b, &q); err != nil {
		t.Fatal(err)
	}
	if q.NV() != 3 || q.NH() != 2 {
		t.Fatalf("shape %d×%d; want 3×2", q.NV(), q.NH())
	}
	for i := range 3 {
		if q.A[i] != r.A[i] {
			t.Errorf("A[%d] = %v; want %v", i, q.A[i], r.A[i])
		}
		for j := range 2 {
			if q.W.At(i, j) != r.W.At(i, j) {
				t.Errorf("W[%d,%d] = %v; want %v", i, j, q.W.At(i, j), r.W.At(i, j))
			}
		}
	}
	for j := range 2 {
		if q.B[j] != r.B[j] {
			t.Errorf("B[%d] = %v; want %v", j, q.B[j], r.B[j])
		}
	}
	for _, bad := range []string{`{"nv":2,"nh":1,"a":[0],"b":[0],"w":[0,0]}`, `{"nv":0}`, `[`} {
		if err := json.Unmarshal([]byte(bad), &q); err == nil {
			t.Errorf("Unmarshal(%s) gave no error", bad)
		}
	}
	if s := r.String(); s == "" {
		t.Error("empty String()")
	}
}

func TestSpinRBM(t *testing.T) {
	const nv, nh = 3, 4
	src := randomRBM(nv, nh, 1, 21) // its parameters are read as those of a ±1 RBM
	r, shift := models.SpinRBM(src.W, src.A, src.B)
	s, h := make([]float64, nv), make([]float64, nh)
	u, g := make([]float64, nv), make([]float64, nh)
	var terms []float64
	for x := range 1 << nv {
		for y := range 1 << nh {
			unitsOf(u, x)
			unitsOf(g, y)
			for i := range s {
				s[i] = 2*u[i] - 1
			}
			for j := range h {
				h[j] = 2*g[j] - 1
			}
			// The ±1 energy -aᵀs - bᵀh - sᵀWh, with src's parameters.
			e := 0.0
			for i := range s {
				e -= src.A[i] * s[i]
				for j := range h {
					e -= s[i] * src.W.At(i, j) * h[j]
				}
			}
			for j := range h {
				e -= src.B[j] * h[j]
			}
			if got := r.Energy(u, g) + shift; math.Abs(got-e) > 1e-12 {
				t.Errorf("E'(u,g)+shift = %v; want E±(s,h) = %v", got, e)
			}
			terms = append(terms, -e)
		}
	}
	lz, err := r.LogZ()
	if err != nil {
		t.Fatal(err)
	}
	if want := logSumExp(terms); math.Abs(lz-shift-want) > 1e-12 {
		t.Errorf("ln Z' - shift = %.15g; want ln Z± = %.15g", lz-shift, want)
	}
}
