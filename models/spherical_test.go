package models_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"testing"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/integrate/quad"
	"gonum.org/v1/gonum/mat"

	"github.com/deepglass/deepglass/models"
)

func sphereRng(seed uint64) *rand.PCG { return rand.NewPCG(seed, 0x5eed) }

func randomPoint(n int, rng *rand.PCG) []float64 {
	s := make([]float64, n)
	models.RandomSphere(s, rng)
	return s
}

func TestSphericalTuples(t *testing.T) {
	for _, c := range []struct{ n, p, want int }{
		{1, 2, 1}, {3, 2, 6}, {4, 3, 20}, {5, 4, 70}, {200, 3, 1353400}, {500, 3, 20958500},
	} {
		if got := models.SphericalTuples(c.n, c.p); got != c.want {
			t.Errorf("SphericalTuples(%d, %d) = %d; want C(n+p−1, p) = %d", c.n, c.p, got, c.want)
		}
	}
	if got := models.SphericalBytes(500, 3); got != 8*20958500 {
		t.Errorf("SphericalBytes(500, 3) = %d", got)
	}
	if got := models.SphericalTuples(1<<40, 4); got != -1 {
		t.Errorf("SphericalTuples(2^40, 4) = %d; want −1 (overflow)", got)
	}
}

// The fast kernels agree with the plain loop over the tuples, for p = 2, 3, 4 and
// sizes that exercise the unrolled loops' tails.
func TestSphericalKernels(t *testing.T) {
	for _, p := range []int{2, 3, 4} {
		for _, n := range []int{1, 2, 3, 5, 8, 13, 31} {
			rng := sphereRng(uint64(100*p + n))
			m := models.NewSpherical(n, p, models.ABC, rng)
			for range 3 {
				s := randomPoint(n, rng)
				e1, e2 := m.Energy(s), m.EnergyGeneric(s)
				g1, g2 := make([]float64, n), make([]float64, n)
				e3 := m.Gradient(g1, s)
				m.GradientGeneric(g2, s)
				if math.Abs(e1-e2) > 1e-12*math.Max(1, math.Abs(e2)) || math.Abs(e3-e2) > 1e-12*math.Max(1, math.Abs(e2)) {
					t.Errorf("p=%d N=%d: Energy %v, Gradient's energy %v; generic %v", p, n, e1, e3, e2)
				}
				if !floats.EqualApprox(g1, g2, 1e-12) {
					t.Errorf("p=%d N=%d: Gradient = %v; generic %v", p, n, g1, g2)
				}
			}
		}
	}
}

// The folded storage gives the Hamiltonian of the definition: N^{−(p−1)/2} Σ over
// all ordered tuples of a full Gaussian tensor, evaluated naively.
func TestSphericalFromTensor(t *testing.T) {
	for _, p := range []int{2, 3, 4} {
		n := 6
		rng := sphereRng(uint64(p))
		size := int(math.Pow(float64(n), float64(p)))
		j := make([]float64, size)
		normal := rand.New(rng)
		for i := range j {
			j[i] = normal.NormFloat64()
		}
		abc := models.NewSphericalFromTensor(n, p, models.ABC, j)
		cs := models.NewSphericalFromTensor(n, p, models.CrisantiSommers, j)
		for range 5 {
			s := randomPoint(n, rng)
			var want float64
			idx := make([]int, p)
			for off := range size {
				x := off
				for a := p - 1; a >= 0; a-- {
					idx[a] = x % n
					x /= n
				}
				prod := j[off]
				for _, v := range idx {
					prod *= s[v]
				}
				want += prod
			}
			want *= math.Pow(float64(n), -float64(p-1)/2)
			if got := abc.Energy(s); math.Abs(got-want) > 1e-12*math.Max(1, math.Abs(want)) {
				t.Errorf("p=%d: folded H = %v; full tensor %v", p, got, want)
			}
			if got := cs.Energy(s); math.Abs(got+want/math.Sqrt2) > 1e-12*math.Max(1, math.Abs(want)) {
				t.Errorf("p=%d: Crisanti–Sommers H = %v; want −H_ABC/√2 = %v", p, got, -want/math.Sqrt2)
			}
		}
	}
}

// The same rng gives the same disorder in both normalizations: H_CS = −H_ABC/√2.
func TestSphericalNormalizations(t *testing.T) {
	for _, p := range []int{2, 3, 4} {
		abc := models.NewSpherical(9, p, models.ABC, sphereRng(7))
		cs := models.NewSpherical(9, p, models.CrisantiSommers, sphereRng(7))
		s := randomPoint(9, sphereRng(8))
		if a, c := abc.Energy(s), cs.Energy(s); math.Abs(c+a/math.Sqrt2) > 1e-12 {
			t.Errorf("p=%d: H_CS = %v, H_ABC = %v; want H_CS = −H_ABC/√2", p, c, a)
		}
		if got, want := cs.ThresholdEnergy(), abc.ThresholdEnergy()/math.Sqrt2; math.Abs(got-want) > 1e-15 {
			t.Errorf("p=%d: CS threshold %v; want %v", p, got, want)
		}
	}
	for _, s := range []string{"abc", "cs"} {
		n, err := models.ParseSphericalNorm(s)
		if err != nil || n.String() != s {
			t.Errorf("ParseSphericalNorm(%q) = %v, %v", s, n, err)
		}
	}
	if _, err := models.ParseSphericalNorm("xyz"); err == nil {
		t.Error(`ParseSphericalNorm("xyz") succeeded`)
	}
}

// The covariance of the random Hamiltonian is N q^p (ABC) and (N/2) q^p (CS),
// q = σ·σ'/N: checked over 4000 instances at three pairs of points, within 4σ of the
// sample (co)variance's own standard error.
func TestSphericalCovariance(t *testing.T) {
	const n, inst = 5, 4000
	for _, p := range []int{2, 3, 4} {
		for _, norm := range []models.SphericalNorm{models.ABC, models.CrisantiSommers} {
			pts := sphereRng(uint64(p))
			a, b := randomPoint(n, pts), randomPoint(n, pts)
			q := floats.Dot(a, b) / n
			rng := sphereRng(uint64(1000 + p))
			ha, hb := make([]float64, inst), make([]float64, inst)
			for k := range inst {
				m := models.NewSpherical(n, p, norm, rng)
				ha[k], hb[k] = m.Energy(a), m.Energy(b)
			}
			scale := 1.0
			if norm == models.CrisantiSommers {
				scale = 0.5
			}
			for _, c := range []struct {
				name string
				x, y []float64
				want float64
			}{{"Var H(σ)", ha, ha, scale * n}, {"Cov H(σ),H(σ')", ha, hb, scale * n * math.Pow(q, float64(p))}} {
				prod := make([]float64, inst)
				for k := range prod {
					prod[k] = c.x[k] * c.y[k] // E[H] = 0 exactly
				}
				mean, v := meanVar(prod)
				if z := (mean - c.want) / math.Sqrt(v/inst); math.Abs(z) > 4 {
					t.Errorf("p=%d %v: %s = %.4g ± %.2g; want %.4g (z = %.1f)", p, norm, c.name, mean, math.Sqrt(v/inst), c.want, z)
				}
			}
		}
	}
}

// Euler's identities for a homogeneous polynomial of degree p: σ·∇H = pH,
// ∇²H σ = (p−1)∇H, and σᵀ∇²Hσ = p(p−1)H.
func TestSphericalEuler(t *testing.T) {
	for _, p := range []int{2, 3, 4} {
		n := 11
		rng := sphereRng(uint64(p))
		m := models.NewSpherical(n, p, models.CrisantiSommers, rng)
		s := randomPoint(n, rng)
		floats.Scale(1.3, s) // off the sphere: the identities hold everywhere
		g := make([]float64, n)
		e := m.Gradient(g, s)
		if got := floats.Dot(s, g); math.Abs(got-float64(p)*e) > 1e-12*math.Max(1, math.Abs(e)) {
			t.Errorf("p=%d: σ·∇H = %v; want pH = %v", p, got, float64(p)*e)
		}
		var h mat.SymDense
		m.Hessian(&h, s)
		var hs mat.VecDense
		hs.MulVec(&h, mat.NewVecDense(n, s))
		for i := range n {
			if got, want := hs.AtVec(i), float64(p-1)*g[i]; math.Abs(got-want) > 1e-11 {
				t.Errorf("p=%d: (∇²H σ)_%d = %v; want (p−1)∂_%dH = %v", p, i, got, i, want)
			}
		}
		if got, want := floats.Dot(s, hs.RawVector().Data), float64(p*(p-1))*e; math.Abs(got-want) > 1e-11*math.Max(1, math.Abs(want)) {
			t.Errorf("p=%d: σᵀ∇²Hσ = %v; want p(p−1)H = %v", p, got, want)
		}
	}
}

// Gradient and Hessian against central finite differences, Euclidean and along
// geodesics of the sphere: d/dt H(γ(t)) = grad·v and d²/dt² H(γ(t)) = vᵀ Hess v at
// t = 0 for γ(t) = σ cos(|v|t/r) + (r v/|v|) sin(|v|t/r), v tangent, r = √N.
func TestSphericalFiniteDifferences(t *testing.T) {
	for _, p := range []int{2, 3, 4} {
		for _, norm := range []models.SphericalNorm{models.ABC, models.CrisantiSommers} {
			n := 9
			rng := sphereRng(uint64(10*p) + uint64(norm))
			m := models.NewSpherical(n, p, norm, rng)
			s := randomPoint(n, rng)
			g := make([]float64, n)
			m.Gradient(g, s)
			var h mat.SymDense
			m.Hessian(&h, s)
			const eps = 1e-5
			sp, sm := make([]float64, n), make([]float64, n)
			gp, gm := make([]float64, n), make([]float64, n)
			for i := range n {
				copy(sp, s)
				copy(sm, s)
				sp[i] += eps
				sm[i] -= eps
				if fd := (m.Energy(sp) - m.Energy(sm)) / (2 * eps); math.Abs(fd-g[i]) > 1e-7 {
					t.Errorf("p=%d %v: ∂_%dH = %v; finite difference %v", p, norm, i, g[i], fd)
				}
				m.Gradient(gp, sp)
				m.Gradient(gm, sm)
				for j := range n {
					if fd := (gp[j] - gm[j]) / (2 * eps); math.Abs(fd-h.At(i, j)) > 1e-7 {
						t.Errorf("p=%d %v: ∂_%d∂_%dH = %v; finite difference %v", p, norm, i, j, h.At(i, j), fd)
					}
				}
			}
			// Along a geodesic.
			tg := make([]float64, n)
			m.TangentGradient(tg, s)
			var rh mat.SymDense
			m.RiemannianHessian(&rh, s)
			v := randomPoint(n, rng)
			models.Project(v, s)
			r, a := math.Sqrt(float64(n)), floats.Norm(v, 2)
			geo := func(tt float64) float64 {
				x := make([]float64, n)
				for i := range x {
					x[i] = s[i]*math.Cos(a*tt/r) + r*v[i]/a*math.Sin(a*tt/r)
				}
				return m.Energy(x)
			}
			const dt = 1e-4
			d1 := (geo(dt) - geo(-dt)) / (2 * dt)
			d2 := (geo(dt) - 2*geo(0) + geo(-dt)) / (dt * dt)
			if want := floats.Dot(tg, v); math.Abs(d1-want) > 1e-6*math.Max(1, math.Abs(want)) {
				t.Errorf("p=%d %v: d/dt H(γ) = %v; grad·v = %v", p, norm, d1, want)
			}
			var hv mat.VecDense
			hv.MulVec(&rh, mat.NewVecDense(n, v))
			if want := floats.Dot(v, hv.RawVector().Data); math.Abs(d2-want) > 1e-4*math.Max(1, math.Abs(want)) {
				t.Errorf("p=%d %v: d²/dt² H(γ) = %v; vᵀ Hess v = %v", p, norm, d2, want)
			}
			if got := floats.Dot(tg, s); math.Abs(got) > 1e-10 {
				t.Errorf("p=%d %v: grad·σ = %v; want 0 (tangent)", p, norm, got)
			}
		}
	}
}

// For p = 2, H = σᵀMσ: the critical points are the eigenvectors of M (scaled to
// |σ|² = N), with energy per spin λ_k, and the Riemannian Hessian at the k-th has
// tangent eigenvalues 2(λ_j − λ_k), j ≠ k: index k, counted from the bottom.
func TestSphericalP2Spectrum(t *testing.T) {
	const n = 12
	m := models.NewSpherical(n, 2, models.ABC, sphereRng(3))
	a := m.CouplingMatrix()
	s := randomPoint(n, sphereRng(4))
	var as mat.VecDense
	as.MulVec(a, mat.NewVecDense(n, s))
	if got, want := m.Energy(s), floats.Dot(s, as.RawVector().Data); math.Abs(got-want) > 1e-12 {
		t.Fatalf("σᵀMσ = %v; H = %v", want, got)
	}
	var es mat.EigenSym
	if !es.Factorize(a, true) {
		t.Fatal("EigenSym failed")
	}
	lam := es.Values(nil)
	var vecs mat.Dense
	es.VectorsTo(&vecs)
	for k := range n {
		v := make([]float64, n)
		mat.Col(v, k, &vecs)
		models.Normalize(v)
		c, err := m.Classify(v)
		if err != nil {
			t.Fatal(err)
		}
		if c.Index != k || math.Abs(c.Energy-lam[k]) > 1e-12 || c.GradRMS > 1e-12 {
			t.Errorf("eigenvector %d: %v; want index %d, e = %v, gradient 0", k, c, k, lam[k])
		}
		var want []float64
		for j := range n {
			if j != k {
				want = append(want, 2*(lam[j]-lam[k]))
			}
		}
		sort.Float64s(want)
		if !floats.EqualApprox(c.Eigenvalues, want, 1e-11) {
			t.Errorf("eigenvector %d: Hessian spectrum %v; want %v", k, c.Eigenvalues, want)
		}
	}
}

func TestSphericalPanics(t *testing.T) {
	rng := sphereRng(1)
	mustPanic(t, "p=5", func() { models.NewSpherical(4, 5, models.ABC, rng) })
	mustPanic(t, "n=0", func() { models.NewSpherical(0, 3, models.ABC, rng) })
	mustPanic(t, "nil rng", func() { models.NewSpherical(4, 3, models.ABC, nil) })
	mustPanic(t, "norm", func() { models.NewSpherical(4, 3, models.SphericalNorm(7), rng) })
	mustPanic(t, "tensor size", func() { models.NewSphericalFromTensor(4, 3, models.ABC, make([]float64, 10)) })
	m := models.NewSpherical(4, 3, models.ABC, rng)
	mustPanic(t, "length", func() { m.Energy(make([]float64, 3)) })
	mustPanic(t, "CouplingMatrix p=3", func() { m.CouplingMatrix() })
	mustPanic(t, "Normalize 0", func() { models.Normalize(make([]float64, 3)) })
	if s := m.String(); s != "spherical p=3 N=4 norm=abc (20 couplings)" {
		t.Errorf("String() = %q", s)
	}
}

// Published and independently derived values of the N → ∞ theory
// (docs/references/spherical.md §2).
func TestSphericalTheory(t *testing.T) {
	// E∞ = 2√((p−1)/p): p = 2 √2, p = 3 2√(2/3) (ABC 2013; docs/references/spherical.md §2).
	if got := models.SphericalEInf(3); math.Abs(got-2*math.Sqrt(2.0/3)) > 1e-15 {
		t.Errorf("E∞(3) = %v", got)
	}
	// Published to 3 decimals: −E0 = −1.657, −E∞ = −1.633 for p = 3 (ABC 2013;
	// Choromanska et al. 2015); to 6 decimals in docs/references/spherical.md §2.
	for _, c := range []struct {
		p         int
		e0, theta float64
	}{{3, 1.656998, 0.013240}, {4, 1.794085, 0.049306}} {
		if got := models.SphericalE0(c.p); math.Abs(got-c.e0) > 1e-6 {
			t.Errorf("E0(%d) = %.7f; want %.6f", c.p, got, c.e0)
		}
		if got := models.SphericalComplexity(c.p, 0, -models.SphericalEInf(c.p)); math.Abs(got-c.theta) > 1e-6 {
			t.Errorf("Θ_{0,%d}(−E∞) = %.7f; want %.6f", c.p, got, c.theta)
		}
		// Layered structure: E0 > E1 > E2 > … > E∞.
		prev := math.Inf(1)
		for k := range 6 {
			ek := models.SphericalEk(c.p, k)
			if !(ek < prev && ek > models.SphericalEInf(c.p)) {
				t.Errorf("E_%d(%d) = %v; want below E_%d = %v and above E∞", k, c.p, ek, k-1, prev)
			}
			if th := models.SphericalComplexity(c.p, k, -ek); math.Abs(th) > 1e-12 {
				t.Errorf("Θ_{%d,%d}(−E_k) = %v; want 0", k, c.p, th)
			}
			prev = ek
		}
		// Below −E∞ the total complexity is Θ_0 (minima dominate), above it is
		// larger; it is continuous at −E∞.
		ei := models.SphericalEInf(c.p)
		if d := models.SphericalComplexityTotal(c.p, -ei-1e-9) - models.SphericalComplexityTotal(c.p, -ei+1e-9); math.Abs(d) > 1e-6 {
			t.Errorf("Θ_%d jumps at −E∞ by %v", c.p, d)
		}
		if d := models.SphericalComplexityTotal(c.p, -ei-0.1) - models.SphericalComplexity(c.p, 0, -ei-0.1); d != 0 {
			t.Errorf("Θ_%d(−E∞−0.1) − Θ_{0,%d}(−E∞−0.1) = %v; want 0", c.p, c.p, d)
		}
		if d := models.SphericalComplexityTotal(c.p, -1) - models.SphericalComplexity(c.p, 0, -1); !(d > 0) {
			t.Errorf("Θ_%d(−1) − Θ_{0,%d}(−1) = %v; want > 0", c.p, c.p, d)
		}
	}
	if got := models.SphericalE0(2); got != math.Sqrt2 {
		t.Errorf("E0(2) = %v; want √2", got)
	}
	// I₁(u) is the integral of (2/E∞²)√(v² − E∞²) from E∞ to −u: check the closed
	// form through Θ_0 − Θ_1 = I₁ against gonum's quadrature.
	for _, u := range []float64{-1.64, -1.7, -2.0} {
		ei := models.SphericalEInf(3)
		want := quad.Fixed(func(v float64) float64 { return 2 / (ei * ei) * math.Sqrt(v*v-ei*ei) }, ei, -u, 200, nil, 0)
		got := models.SphericalComplexity(3, 0, u) - models.SphericalComplexity(3, 1, u)
		if math.Abs(got-want) > 1e-8 {
			t.Errorf("I₁(%v) = %v; quadrature %v", u, got, want)
		}
	}
	// E0 agrees with the zero-temperature 1RSB ground state of Crisanti–Sommers,
	// derived independently (docs/references/spherical.md §2): e_gs = −F with
	// F = ½[ξ'(1)χ + μξ(1) + (1/μ) ln(1 + μ/χ)] at its stationary point, times √2.
	for _, p := range []int{3, 4, 5} {
		if got, want := models.SphericalE0(p), math.Sqrt2*groundState1RSB(p); math.Abs(got-want) > 1e-9 {
			t.Errorf("E0(%d) = %.10f; √2 × 1RSB ground state = %.10f", p, got, want)
		}
	}
	// T_d = √(3/8) for p = 3 (Crisanti, Horner & Sommers 1993).
	if got := models.SphericalTd(3); math.Abs(got-math.Sqrt(3.0/8)) > 1e-15 {
		t.Errorf("T_d(3) = %v", got)
	}
	// The threshold energy: −√(4/3) at T = 0, −1/(2T_d) at T_d, increasing in T.
	if got := models.SphericalThresholdEnergyCS(3, 1e-9); math.Abs(got+math.Sqrt(4.0/3)) > 1e-6 {
		t.Errorf("E_th(T→0) = %v; want −√(4/3)", got)
	}
	td := models.SphericalTd(3)
	if got := models.SphericalThresholdEnergyCS(3, td*(1-1e-9)); math.Abs(got+1/(2*td)) > 1e-6 {
		t.Errorf("E_th(T_d) = %v; want −1/(2T_d) = %v", got, -1/(2*td))
	}
	// T_s and the static (1RSB) energy: T_s = 0.586054 (p = 3), 0.503039 (p = 4)
	// (docs/references/spherical.md §2); the 1RSB energy is continuous at T_s, lies
	// below the threshold energy, and tends to the ground state −E0/√2 as T → 0
	// (linearly: e ≈ e_gs + T/2, the equipartition of N harmonic modes).
	for _, c := range []struct {
		p  int
		ts float64
	}{{3, 0.586054}, {4, 0.503039}} {
		ts := models.SphericalTsCS(c.p)
		if math.Abs(ts-c.ts) > 1e-6 {
			t.Errorf("T_s(%d) = %.7f; want %.6f", c.p, ts, c.ts)
		}
		below, above := models.SphericalEquilibriumEnergyCS(c.p, ts*(1-1e-7)), -1/(2*ts)
		if math.Abs(below-above) > 1e-5 {
			t.Errorf("p=%d: 1RSB energy at T_s⁻ = %v; paramagnet %v", c.p, below, above)
		}
		egs := -models.SphericalE0(c.p) / math.Sqrt2
		e1, e2 := models.SphericalEquilibriumEnergyCS(c.p, 0.02), models.SphericalEquilibriumEnergyCS(c.p, 0.01)
		if got := 2*e2 - e1; math.Abs(got-egs) > 2e-4 {
			t.Errorf("p=%d: 1RSB energy extrapolated to T = 0: %.6f; ground state −E0/√2 = %.6f", c.p, got, egs)
		}
		for _, tt := range []float64{0.1, 0.3, 0.45} {
			if eq, th := models.SphericalEquilibriumEnergyCS(c.p, tt), models.SphericalThresholdEnergyCS(c.p, tt); !(eq < th) {
				t.Errorf("p=%d T=%v: equilibrium %v not below threshold %v", c.p, tt, eq, th)
			}
		}
	}
	prev := math.Inf(-1)
	for _, tt := range []float64{0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6} {
		e := models.SphericalThresholdEnergyCS(3, tt)
		if !(e > prev) || !(e > -1/(2*tt)) {
			t.Errorf("E_th(%v) = %v; want increasing and above −1/(2T)", tt, e)
		}
		prev = e
	}
}

// groundState1RSB solves the zero-temperature 1RSB equations of the pure spherical
// p-spin with ξ(q) = q^p/2 (Crisanti–Sommers) by Newton's method: with χ = β(1−q)
// and μ = βm, the energy is −F(χ, μ), F = ½[ξ'(1)χ + μξ(1) + (1/μ) ln(1 + μ/χ)],
// stationary in χ and μ.
func groundState1RSB(p int) float64 {
	xi1, dxi1 := 0.5, float64(p)/2
	f := func(chi, mu float64) (float64, float64) {
		return dxi1 - 1/(chi*(chi+mu)), xi1 - math.Log(1+mu/chi)/(mu*mu) + 1/(mu*(chi+mu))
	}
	chi, mu := 0.3, 1.5
	for range 100 {
		f1, f2 := f(chi, mu)
		const h = 1e-7
		a1, a2 := f(chi+h, mu)
		b1, b2 := f(chi, mu+h)
		j11, j21 := (a1-f1)/h, (a2-f2)/h
		j12, j22 := (b1-f1)/h, (b2-f2)/h
		det := j11*j22 - j12*j21
		dchi := (f1*j22 - f2*j12) / det
		dmu := (j11*f2 - j21*f1) / det
		chi, mu = chi-dchi, mu-dmu
		if math.Abs(dchi)+math.Abs(dmu) < 1e-15 {
			break
		}
	}
	return 0.5 * (dxi1*chi + mu*xi1 + math.Log(1+mu/chi)/mu)
}

func ExampleSpherical() {
	rng := rand.NewPCG(1, 2)
	m := models.NewSpherical(50, 3, models.ABC, rng)
	s := make([]float64, 50)
	models.RandomSphere(s, rng)
	g := make([]float64, 50)
	e := m.Gradient(g, s)
	fmt.Println(m)
	fmt.Println("Euler σ·∇H = 3H:", math.Abs(floats.Dot(s, g)-3*e) < 1e-9)
	fmt.Printf("E0 = %.6f, E∞ = %.6f\n", models.SphericalE0(3), models.SphericalEInf(3))
	// Output:
	// spherical p=3 N=50 norm=abc (22100 couplings)
	// Euler σ·∇H = 3H: true
	// E0 = 1.656998, E∞ = 1.632993
}
