package meanfield

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"sync"
	"sync/atomic"

	"gonum.org/v1/gonum/integrate/quad"
)

// QuadMethod selects how Quad computes Gaussian integrals.
type QuadMethod int

// Quadrature methods.
const (
	// Adaptive is adaptive Gauss–Kronrod quadrature (7-point Gauss, 15-point Kronrod
	// panels) on z ∈ [−ZMax, ZMax], with breakpoints at the kinks: the default.
	Adaptive QuadMethod = iota
	// GaussHermite is the Nodes-point Gauss–Hermite rule (a product rule in two
	// dimensions). Kinks are ignored.
	GaussHermite
)

// String returns the name of the method.
func (m QuadMethod) String() string {
	switch m {
	case Adaptive:
		return "adaptive Gauss–Kronrod"
	case GaussHermite:
		return "Gauss–Hermite"
	}
	return fmt.Sprintf("QuadMethod(%d)", int(m))
}

// Quad computes expectations over standard Gaussian variables. Its zero value is
// the default: adaptive Gauss–Kronrod to a relative tolerance of 1e-12 on |z| ≤ 10.
//
// Accuracy (tested in quad_test.go against closed forms, docs/references/chaos.md §3):
// Adaptive reaches the tolerance for the built-in nonlinearities at every q and c
// tested (q up to 100); the truncation at |z| = 10 costs less than 1e-21 relative
// for φ that grow at most polynomially. GaussHermite with n nodes is exact for
// polynomials of degree < 2n, but for saturating φ its error grows with q (tanh²
// with 128 nodes: 1e-13 at q = 1, 3e-6 at q = 5, 2e-3 at q = 20), and at kinks it
// converges only algebraically.
type Quad struct {
	Method QuadMethod
	// Tol is the relative tolerance of Adaptive (0: 1e-12).
	Tol float64
	// ZMax truncates Adaptive's range to |z| ≤ ZMax (0: 10).
	ZMax float64
	// Nodes is the number of GaussHermite points per dimension (0: 128).
	Nodes int
	// fails, if set, counts the panels that Adaptive accepted unconverged (depth
	// 40 or 200000 evaluations reached): Net.Analyze reports them as a warning.
	fails *atomic.Int64
}

// String describes the method and its parameters.
func (q Quad) String() string {
	if q.Method == GaussHermite {
		return fmt.Sprintf("%v, %d nodes", q.Method, q.nodes())
	}
	return fmt.Sprintf("%v, tol %.0e, |z| ≤ %g", q.Method, q.tol(), q.zmax())
}

// Validate reports parameters out of range.
func (q Quad) Validate() error {
	var errs []error
	if q.Method != Adaptive && q.Method != GaussHermite {
		errs = append(errs, fmt.Errorf("quadrature method %d unknown", int(q.Method)))
	}
	if q.Tol < 0 || q.Tol >= 1 || math.IsNaN(q.Tol) {
		errs = append(errs, fmt.Errorf("quadrature tolerance %v: want 0 ≤ tol < 1", q.Tol))
	}
	if q.ZMax < 0 || math.IsNaN(q.ZMax) || math.IsInf(q.ZMax, 0) || (q.ZMax > 0 && q.ZMax < 4) {
		errs = append(errs, fmt.Errorf("quadrature range ZMax %v: want 0 (default) or 4 ≤ ZMax < ∞", q.ZMax))
	}
	if q.Nodes < 0 || q.Nodes > 2000 {
		errs = append(errs, fmt.Errorf("quadrature nodes %d: want 0 (default) to 2000", q.Nodes))
	}
	return errors.Join(errs...)
}

func (q Quad) tol() float64 {
	if q.Tol == 0 {
		return 1e-12
	}
	return q.Tol
}

func (q Quad) zmax() float64 {
	if q.ZMax == 0 {
		return 10
	}
	return q.ZMax
}

func (q Quad) nodes() int {
	if q.Nodes == 0 {
		return 128
	}
	return q.Nodes
}

// Gauss returns ∫Dz g(z), the expectation of g over a standard normal z. breaks
// are the points (in z) where g or its derivative jumps; Adaptive splits there.
func (q Quad) Gauss(g func(z float64) float64, breaks []float64) float64 {
	if q.Method == GaussHermite {
		r := hermiteRule(q.nodes())
		s := 0.0
		for i, z := range r.z {
			s += r.w[i] * g(z)
		}
		return s
	}
	a := integrator{tol: q.tol(), zmax: q.zmax()}
	v := a.gauss(g, breaks)
	q.count(a.failed)
	return v
}

func (q Quad) count(failed int) {
	if q.fails != nil && failed > 0 {
		q.fails.Add(int64(failed))
	}
}

// Expect returns E f(u) for u ~ N(0, v): ∫Dz f(√v z). kinks are f's kinks in u.
func (q Quad) Expect(f func(float64) float64, v float64, kinks []float64) float64 {
	s := math.Sqrt(v)
	return q.Gauss(func(z float64) float64 { return f(s * z) }, scaled(kinks, s))
}

// Pair returns E f(u₁) g(u₂) for jointly Gaussian u₁, u₂ with variances v1, v2 and
// correlation c: u₁ = √v1 z₁, u₂ = √v2 (c z₁ + √(1−c²) z₂) with z₁, z₂ independent
// standard normals. kf and kg are the kinks of f and g (in u). c is clamped to
// [−1, 1].
func (q Quad) Pair(f, g func(float64) float64, v1, v2, c float64, kf, kg []float64) float64 {
	c = math.Max(-1, math.Min(1, c))
	s1, s2 := math.Sqrt(v1), math.Sqrt(v2)
	sc := math.Sqrt((1 - c) * (1 + c))
	if sc == 0 {
		return q.Gauss(func(z float64) float64 { return f(s1*z) * g(s2*c*z) }, append(scaled(kf, s1), scaled(kg, s2*c)...))
	}
	if q.Method == GaussHermite {
		r := hermiteRule(q.nodes())
		s := 0.0
		for i, z1 := range r.z {
			fv := f(s1 * z1)
			if fv == 0 {
				continue
			}
			in := 0.0
			for j, z2 := range r.z {
				in += r.w[j] * g(s2*(c*z1+sc*z2))
			}
			s += r.w[i] * fv * in
		}
		return s
	}
	outer := integrator{tol: q.tol(), zmax: q.zmax()}
	// The inner integrals are computed to tol/10 relative to their own size, but never
	// more finely than tol/10 × E|g(u₂)|: where the inner integral is tiny (z₁ far out)
	// its relative accuracy does not matter, and rounding noise in g would defeat it.
	scale := outer.gauss(func(z float64) float64 { return math.Abs(g(s2 * z)) }, scaled(kg, s2))
	inner := integrator{tol: q.tol() / 10, zmax: q.zmax(), abs: q.tol() / 10 * scale}
	var ib []float64 // inner breakpoints, reused
	// The outer integrand is smooth except at f's kinks and, when sc is small, near
	// the points where g's kinks cross z₂ = 0.
	ob := append(scaled(kf, s1), scaled(kg, s2*c)...)
	v := outer.gauss(func(z1 float64) float64 {
		fv := f(s1 * z1)
		if fv == 0 {
			return 0
		}
		ib = ib[:0]
		for _, k := range kg {
			if s2 > 0 {
				ib = append(ib, (k/s2-c*z1)/sc)
			}
		}
		return fv * inner.gauss(func(z2 float64) float64 { return g(s2 * (c*z1 + sc*z2)) }, ib)
	}, ob)
	q.count(outer.failed + inner.failed)
	return v
}

// scaled returns the kinks k/s (the points in z where u = s z crosses them),
// dropping those that are not finite (s = 0).
func scaled(kinks []float64, s float64) []float64 {
	var out []float64
	for _, k := range kinks {
		if z := k / s; !math.IsNaN(z) && !math.IsInf(z, 0) {
			out = append(out, z)
		}
	}
	return out
}

// Gauss–Kronrod 7–15 nodes and weights on [−1, 1] (QUADPACK qk15; Piessens et al.
// 1983). xgk[1], xgk[3], xgk[5] and xgk[7] = 0 are the Gauss nodes, with weights wg.
// quad_test.go checks them: polynomial exactness to degree 22 and 13, and the Gauss
// nodes against gonum's Legendre rule.
var (
	xgk = [8]float64{
		0.991455371120812639206854697526329, 0.949107912342758524526189684047851,
		0.864864423359769072789712788640926, 0.741531185599394439863864773280788,
		0.586087235467691130294144845693013, 0.405845151377397166906606412076961,
		0.207784955007898467600689403773245, 0,
	}
	wgk = [8]float64{
		0.022935322010529224963732008058970, 0.063092092629978553290700663189204,
		0.104790010322250183839876322541518, 0.140653259715525918745189590510238,
		0.169004726639267902826583426598550, 0.190350578064785409913256402421014,
		0.204432940075298892414161999234649, 0.209482141084727828012999174891714,
	}
	wg = [4]float64{
		0.129484966168869693270611432679082, 0.279705391489276667901467771423780,
		0.381830050505118944950369775488975, 0.417959183673469387755102040816327,
	}
)

// k15 returns the 15-point Kronrod and 7-point Gauss estimates of ∫_a^b f and the
// Kronrod estimate of ∫_a^b |f|.
func k15(f func(float64) float64, a, b float64) (k, g, kabs float64) {
	k, _, kabs = k15err(f, a, b)
	c, h := (a+b)/2, (b-a)/2
	g = f(c) * wg[3]
	for j := 1; j < 7; j += 2 {
		x := h * xgk[j]
		g += wg[j/2] * (f(c-x) + f(c+x))
	}
	return k, g * h, kabs
}

// k15err returns the 15-point Kronrod estimate of ∫_a^b f, QUADPACK's estimate of its
// error and the Kronrod estimate of ∫_a^b |f|. The error estimate (qk15) scales the
// Gauss–Kronrod difference d by the variation ∫|f − mean| (resasc) as
// resasc·min(1, (200 d/resasc)^{3/2}), never below 50 ε ∫|f|.
func k15err(f func(float64) float64, a, b float64) (k, err, kabs float64) {
	c, h := (a+b)/2, (b-a)/2
	var fv1, fv2 [7]float64
	fc := f(c)
	k, g := fc*wgk[7], fc*wg[3]
	kabs = math.Abs(fc) * wgk[7]
	for j := 0; j < 7; j++ {
		x := h * xgk[j]
		f1, f2 := f(c-x), f(c+x)
		fv1[j], fv2[j] = f1, f2
		k += wgk[j] * (f1 + f2)
		kabs += wgk[j] * (math.Abs(f1) + math.Abs(f2))
		if j%2 == 1 {
			g += wg[j/2] * (f1 + f2)
		}
	}
	mean := k / 2
	resasc := wgk[7] * math.Abs(fc-mean)
	for j := 0; j < 7; j++ {
		resasc += wgk[j] * (math.Abs(fv1[j]-mean) + math.Abs(fv2[j]-mean))
	}
	k, kabs, resasc = k*h, kabs*h, resasc*math.Abs(h)
	err = math.Abs((k - g*h))
	if resasc != 0 && err != 0 {
		err = resasc * math.Min(1, math.Pow(200*err/resasc, 1.5))
	}
	if kabs > math.SmallestNonzeroFloat64/(50*epsilon) {
		err = math.Max(50*epsilon*kabs, err)
	}
	return k, err, kabs
}

const epsilon = 0x1p-52

// integrator is adaptive Gauss–Kronrod quadrature against the Gaussian weight.
type integrator struct {
	tol, zmax float64
	// abs is a floor to the absolute tolerance (0: none).
	abs float64
	// failed counts panels accepted unconverged (maximum depth or budget reached).
	failed int
	// evals counts integrand evaluations; budget is the limit per call of gauss.
	evals, budget int
}

const (
	maxDepth = 40
	// maxEvals bounds the integrand evaluations of one call of gauss.
	maxEvals = 200000
)

// initialEdges are the initial panel edges inside ±zmax: panels no wider than the
// Gaussian's scale where it matters.
var initialEdges = [...]float64{-6, -4, -2.5, -1.25, 0, 1.25, 2.5, 4, 6}

// gauss integrates g(z)·ϕ(z) over [−zmax, zmax], ϕ the standard normal density.
func (a *integrator) gauss(g func(float64) float64, breaks []float64) float64 {
	var buf [32]float64
	edges := append(buf[:0], -a.zmax, a.zmax)
	for _, e := range initialEdges {
		if e > -a.zmax && e < a.zmax {
			edges = append(edges, e)
		}
	}
	for _, b := range breaks {
		if b > -a.zmax && b < a.zmax {
			edges = append(edges, b)
		}
	}
	sort.Float64s(edges)
	f := func(z float64) float64 { return g(z) * math.Exp(-z*z/2) * (1 / math.Sqrt(2*math.Pi)) }
	type panel struct{ a, b, k, e, kabs float64 }
	var pbuf [32]panel
	panels := pbuf[:0]
	total := 0.0
	for i := 1; i < len(edges); i++ {
		lo, hi := edges[i-1], edges[i]
		if !(hi > lo) {
			continue
		}
		k, e, kabs := k15err(f, lo, hi)
		panels = append(panels, panel{lo, hi, k, e, kabs})
		total += kabs
	}
	a.evals += 15 * len(panels)
	a.budget = a.evals + maxEvals
	tolAbs := math.Max(a.tol*total, a.abs)
	if tolAbs == 0 {
		tolAbs = math.SmallestNonzeroFloat64
	}
	width := 2 * a.zmax
	sum := 0.0
	for _, p := range panels {
		sum += a.adapt(f, p.a, p.b, p.k, p.e, p.kabs, tolAbs*(p.b-p.a)/width, 0)
	}
	return sum
}

// adapt returns the integral over [lo, hi] given its Kronrod estimate k, error
// estimate e and ∫|f| estimate kabs, bisecting until e ≤ tol or e is rounding noise
// (≤ 64 ε kabs: k15err never estimates less than 50 ε kabs).
func (a *integrator) adapt(f func(float64) float64, lo, hi, k, e, kabs, tol float64, depth int) float64 {
	if e <= tol || e <= 64*epsilon*kabs {
		return k
	}
	if depth >= maxDepth || a.evals >= a.budget || math.IsNaN(k) {
		a.failed++
		return k
	}
	m := (lo + hi) / 2
	k1, e1, a1 := k15err(f, lo, m)
	k2, e2, a2 := k15err(f, m, hi)
	a.evals += 30
	return a.adapt(f, lo, m, k1, e1, a1, tol/2, depth+1) + a.adapt(f, m, hi, k2, e2, a2, tol/2, depth+1)
}

// hermite is a Gauss–Hermite rule for the standard normal: ∫Dz g ≈ Σ w_i g(z_i).
type hermite struct{ z, w []float64 }

var hermiteCache sync.Map // n → *hermite (a cache of pure values)

// hermiteRule returns the n-point rule, from gonum's Hermite (weight e^{−x²}) with
// z = √2 x and w = weight/√π.
func hermiteRule(n int) *hermite {
	if r, ok := hermiteCache.Load(n); ok {
		return r.(*hermite)
	}
	x, w := make([]float64, n), make([]float64, n)
	quad.Hermite{}.FixedLocations(x, w, math.Inf(-1), math.Inf(1))
	for i := range x {
		x[i] *= math.Sqrt2
		w[i] /= math.SqrtPi
	}
	r, _ := hermiteCache.LoadOrStore(n, &hermite{x, w})
	return r.(*hermite)
}
