package meanfield

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/integrate/quad"
)

// TestKronrodConstants checks the typed QUADPACK constants: the Kronrod rule is exact
// for polynomials to degree 22 and the Gauss rule to degree 13 (Piessens et al. 1983);
// the Gauss nodes and weights equal gonum's 7-point Legendre rule.
func TestKronrodConstants(t *testing.T) {
	for deg := 0; deg <= 22; deg += 2 {
		f := func(x float64) float64 { return math.Pow(x, float64(deg)) }
		k, g, _ := k15(f, -1, 1)
		want := 2 / float64(deg+1)
		if math.Abs(k-want) > 1e-15 {
			t.Errorf("Kronrod ∫x^%d = %.17g; want %.17g", deg, k, want)
		}
		if deg <= 13 && math.Abs(g-want) > 1e-15 {
			t.Errorf("Gauss ∫x^%d = %.17g; want %.17g", deg, g, want)
		}
	}
	x, w := make([]float64, 7), make([]float64, 7)
	quad.Legendre{}.FixedLocations(x, w, -1, 1)
	// gonum's nodes descend from the largest; compare magnitudes.
	for i, j := range []int{1, 3, 5, 7} {
		if math.Abs(math.Abs(x[i])-xgk[j]) > 1e-15 || math.Abs(w[i]-wg[i]) > 1e-15 {
			t.Errorf("Gauss node %d: (%.17g, %.17g); gonum (%.17g, %.17g)", i, xgk[j], wg[i], x[i], w[i])
		}
	}
}

// Closed forms of Gaussian expectations (docs/references/chaos.md §3), for u ~ N(0, v)
// and (u₁, u₂) with variances v1, v2 and correlation c.
func reluSq(v float64) float64 { return v / 2 }
func reluPair(v1, v2, c float64) float64 { // arc-cosine kernel of degree 1 (Cho & Saul 2009)
	th := math.Acos(c)
	return math.Sqrt(v1*v2) / (2 * math.Pi) * (math.Sin(th) + (math.Pi-th)*c)
}
func stepPair(c float64) float64 { return (math.Pi - math.Acos(c)) / (2 * math.Pi) } // degree 0
func erfPair(v1, v2, c float64) float64 { // arcsine kernel (Williams 1997)
	r := c * math.Sqrt(v1*v2)
	return 2 / math.Pi * math.Asin(2*r/math.Sqrt((1+2*v1)*(1+2*v2)))
}
func erfDerivPair(v1, v2, c float64) float64 { // (4/π) E e^{−u₁²−u₂²} = (4/π) det(1+2Σ)^{−1/2}
	r := c * math.Sqrt(v1*v2)
	return 4 / math.Pi / math.Sqrt((1+2*v1)*(1+2*v2)-4*r*r)
}
func hardTanhSq(v float64) float64 {
	a := 1 / math.Sqrt(v)
	phi := math.Exp(-a*a/2) / math.Sqrt(2*math.Pi)
	return v*(math.Erf(a/math.Sqrt2)-2*a*phi) + math.Erfc(a/math.Sqrt2)
}
func hardTanhDerivSq(v float64) float64 { return math.Erf(1 / math.Sqrt(2*v)) }

func relClose(got, want, tol float64) bool {
	return math.Abs(got-want) <= tol*math.Max(1e-300, math.Abs(want))
}

// TestQuadClosedForms states the accuracy of both methods against closed forms.
func TestQuadClosedForms(t *testing.T) {
	relu, erf, ht, lin := ReLU(), Erf(), HardTanh(), Linear()
	sq := func(f func(float64) float64) func(float64) float64 {
		return func(x float64) float64 { v := f(x); return v * v }
	}
	type c1 struct {
		name string
		got  func(q Quad, v float64) float64
		want func(v float64) float64
	}
	ones := []c1{
		{"E relu²", func(q Quad, v float64) float64 { return q.Expect(sq(relu.F), v, relu.Kinks) }, reluSq},
		{"E step²", func(q Quad, v float64) float64 { return q.Expect(sq(relu.D), v, relu.Kinks) }, func(float64) float64 { return 0.5 }},
		{"E erf²", func(q Quad, v float64) float64 { return q.Expect(sq(erf.F), v, nil) }, func(v float64) float64 { return erfPair(v, v, 1) }},
		{"E erf′²", func(q Quad, v float64) float64 { return q.Expect(sq(erf.D), v, nil) }, func(v float64) float64 { return erfDerivPair(v, v, 1) }},
		{"E hardtanh²", func(q Quad, v float64) float64 { return q.Expect(sq(ht.F), v, ht.Kinks) }, hardTanhSq},
		{"E hardtanh′²", func(q Quad, v float64) float64 { return q.Expect(sq(ht.D), v, ht.Kinks) }, hardTanhDerivSq},
		{"E u²", func(q Quad, v float64) float64 { return q.Expect(sq(lin.F), v, nil) }, func(v float64) float64 { return v }},
	}
	vs := []float64{1e-4, 0.01, 0.3, 1, 2.5, 10, 100}
	for _, c := range ones {
		for _, v := range vs {
			if got, want := c.got(Quad{}, v), c.want(v); !relClose(got, want, 1e-11) {
				t.Errorf("adaptive %s(v=%g) = %.15g; want %.15g (rel err %.1e)", c.name, v, got, want, math.Abs(got/want-1))
			}
		}
	}
	type c2 struct {
		name string
		got  func(q Quad, v1, v2, c float64) float64
		want func(v1, v2, c float64) float64
	}
	twos := []c2{
		{"E relu relu", func(q Quad, v1, v2, c float64) float64 {
			return q.Pair(relu.F, relu.F, v1, v2, c, relu.Kinks, relu.Kinks)
		}, reluPair},
		{"E step step", func(q Quad, v1, v2, c float64) float64 {
			return q.Pair(relu.D, relu.D, v1, v2, c, relu.Kinks, relu.Kinks)
		},
			func(_, _, c float64) float64 { return stepPair(c) }},
		{"E erf erf", func(q Quad, v1, v2, c float64) float64 { return q.Pair(erf.F, erf.F, v1, v2, c, nil, nil) }, erfPair},
		{"E erf′ erf′", func(q Quad, v1, v2, c float64) float64 { return q.Pair(erf.D, erf.D, v1, v2, c, nil, nil) }, erfDerivPair},
		{"E u₁u₂", func(q Quad, v1, v2, c float64) float64 { return q.Pair(lin.F, lin.F, v1, v2, c, nil, nil) },
			func(v1, v2, c float64) float64 { return c * math.Sqrt(v1*v2) }},
	}
	pairs := [][2]float64{{0.01, 0.01}, {0.5, 0.5}, {1, 2}, {3, 3}, {20, 20}}
	cs := []float64{-0.9, -0.3, 0, 0.2, 0.7, 0.95, 0.999, 1}
	for _, c := range twos {
		for _, p := range pairs {
			for _, cc := range cs {
				got, want := c.got(Quad{}, p[0], p[1], cc), c.want(p[0], p[1], cc)
				if math.Abs(got-want) > 1e-11*math.Max(math.Abs(want), math.Sqrt(p[0]*p[1])*1e-2) {
					t.Errorf("adaptive %s(v=%g,%g, c=%g) = %.15g; want %.15g", c.name, p[0], p[1], cc, got, want)
				}
			}
		}
	}
	// Gauss–Hermite: exact for the linear kernel; spectral for erf at small v; slow at kinks.
	gh := Quad{Method: GaussHermite, Nodes: 64}
	if got := gh.Pair(lin.F, lin.F, 2, 3, 0.4, nil, nil); !relClose(got, 0.4*math.Sqrt(6), 1e-13) {
		t.Errorf("GH E u₁u₂ = %v; want %v", got, 0.4*math.Sqrt(6))
	}
	if got, want := gh.Pair(erf.F, erf.F, 0.5, 0.5, 0.6, nil, nil), erfPair(0.5, 0.5, 0.6); !relClose(got, want, 1e-12) {
		t.Errorf("GH E erf erf = %.15g; want %.15g", got, want)
	}
	if got, want := gh.Pair(relu.F, relu.F, 1, 1, 0.6, nil, nil), reluPair(1, 1, 0.6); relClose(got, want, 1e-6) {
		t.Logf("GH on the ReLU kink is unexpectedly accurate: %.15g vs %.15g", got, want)
	}
}

// TestQuadTanh compares the adaptive rule on tanh (no closed form) with Gauss–Hermite
// at small q, where GH with 64 nodes is accurate to 1e-14 (spectral convergence),
// and with a brute-force composite Gauss–Legendre rule (0.02-wide panels × 20 points
// on [−14, 14]) at every q.
func TestQuadTanh(t *testing.T) {
	th := Tanh()
	sq := func(x float64) float64 { v := math.Tanh(x); return v * v }
	d4 := func(x float64) float64 { v := th.D(x); return v * v }
	brute := func(f func(float64) float64, v float64) float64 {
		x, w := make([]float64, 20), make([]float64, 20)
		s := 0.0
		for p := 0; p < 1400; p++ {
			a := -14 + float64(p)*0.02
			quad.Legendre{}.FixedLocations(x, w, a, a+0.02)
			for i := range x {
				s += w[i] * f(math.Sqrt(v)*x[i]) * math.Exp(-x[i]*x[i]/2)
			}
		}
		return s / math.Sqrt(2*math.Pi)
	}
	for _, v := range []float64{0.01, 0.1, 0.57, 1, 5, 20, 100} {
		for _, f := range []func(float64) float64{sq, d4} {
			got, want := Quad{}.Expect(f, v, nil), brute(f, v)
			if !relClose(got, want, 1e-11) {
				t.Errorf("adaptive E tanh-term(v=%g) = %.15g; brute force %.15g", v, got, want)
			}
			if v <= 0.1 {
				if gh := (Quad{Method: GaussHermite, Nodes: 64}).Expect(f, v, nil); !relClose(gh, want, 1e-13) {
					t.Errorf("GH(64) at v=%g = %.15g; brute force %.15g", v, gh, want)
				}
			}
		}
	}
	// Pair at a chaotic fixed point against the brute-force product of 1-D rules.
	got := Quad{}.Pair(math.Tanh, math.Tanh, 1.428, 1.428, 0.2993, nil, nil)
	gh := Quad{Method: GaussHermite, Nodes: 400}.Pair(math.Tanh, math.Tanh, 1.428, 1.428, 0.2993, nil, nil)
	if !relClose(got, gh, 1e-8) {
		t.Errorf("adaptive Pair = %.15g; GH(400) = %.15g", got, gh)
	}
}
