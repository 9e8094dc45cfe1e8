package meanfield

import (
	"math"
	"testing"
)

// TestTanhBoundaryPublished: χ₁ = 1 at the published boundary point σ_b² = 0.05 ⇒
// σ_w² = 1.7610 (Schoenholz et al. 2017, used in their Figs. 5–6; docs/references/
// chaos.md §4) to 1e−4, and Boundary returns that σ_w².
func TestTanhBoundaryPublished(t *testing.T) {
	net := Net{Phi: Tanh(), SW2: 1.7610, SB2: 0.05}
	q, err := net.FixedPoint(1)
	if err != nil {
		t.Fatal(err)
	}
	if chi := net.Chi1(q); math.Abs(chi-1) > 1e-4 {
		t.Errorf("χ₁(σ_w² = 1.7610, σ_b² = 0.05) = %.8f; want 1 ± 1e-4", chi)
	} else {
		t.Logf("χ₁(1.7610, 0.05) = %.8f (q* = %.6f)", chi, q)
	}
	sw2, err := Boundary(Tanh(), 0.05, Quad{})
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(sw2-1.7610) > 5e-5 {
		t.Errorf("Boundary(tanh, 0.05) = %.8f; want 1.7610 (to the published 4 decimals)", sw2)
	}
}

// TestTanhBoundaryIndependent checks Boundary (adaptive quadrature, root finding in
// σ_w²) against BoundaryAt computed with another quadrature and no root finding:
// Gauss–Hermite with 128 nodes, spectrally accurate for q* ≤ 1 (quad_test.go), at
// the q* that Boundary's point has. It also checks χ₁ = 1 there to 1e-10 and the
// table of docs/references/chaos.md §4 (trapezoid rule, 6 digits).
func TestTanhBoundaryIndependent(t *testing.T) {
	table := map[float64]float64{0: 1, 0.001: 1.18919, 0.01: 1.42421, 0.02: 1.54419, 0.05: 1.76095, 0.1: 1.98607,
		0.2: 2.28515, 0.3: 2.50513, 0.5: 2.84317, 1: 3.44321, 2: 4.26640}
	gh := Quad{Method: GaussHermite}
	for _, sb2 := range []float64{0, 0.001, 0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 1, 2, 0.037, 0.42} {
		sw2, err := Boundary(Tanh(), sb2, Quad{})
		if err != nil {
			t.Fatalf("σ_b² = %g: %v", sb2, err)
		}
		if want, ok := table[sb2]; ok && math.Abs(sw2-want) > 6e-6 {
			t.Errorf("Boundary(tanh, %g) = %.7f; table %.5f", sb2, sw2, want)
		}
		net := Net{Phi: Tanh(), SW2: sw2, SB2: sb2}
		q, err := net.FixedPoint(1)
		if err != nil {
			t.Fatal(err)
		}
		if chi := net.Chi1(q); math.Abs(chi-1) > 1e-10 {
			t.Errorf("σ_b² = %g: χ₁ at the boundary = %.13f; want 1", sb2, chi)
		}
		if sb2 == 0 || q > 1 {
			continue // q* = 0 (no parametric point), or outside GH's accurate range
		}
		sw2p, sb2p := BoundaryAt(Tanh(), q, gh)
		if math.Abs(sw2p-sw2) > 1e-9 || math.Abs(sb2p-sb2) > 1e-9 {
			t.Errorf("BoundaryAt(q*=%.6f) by Gauss–Hermite = (%.12f, %.12f); Boundary gave (%.12f, %.12f)", q, sw2p, sb2p, sw2, sb2)
		}
	}
}

// TestReLUChi1: χ₁ = σ_w²/2 for ReLU whatever q*, so χ₁ = 1 at σ_w² = 2 for every σ_b²
// (docs/references/chaos.md §4), even where q* diverges (σ_b² > 0).
func TestReLUChi1(t *testing.T) {
	for _, sb2 := range []float64{0, 1e-3, 0.05, 0.3, 1, 2, 10} {
		p, err := Net{Phi: ReLU(), SW2: 2, SB2: sb2}.Analyze()
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(p.Chi1-1) > 1e-13 {
			t.Errorf("ReLU σ_w² = 2, σ_b² = %g: χ₁ = %.16f; want 1", sb2, p.Chi1)
		}
		if sb2 > 0 && !math.IsInf(p.QStar, 1) {
			t.Errorf("ReLU σ_w² = 2, σ_b² = %g: q* = %v; want +Inf (q grows by σ_b² per layer)", sb2, p.QStar)
		}
		sw2, err := Boundary(ReLU(), sb2, Quad{})
		if err != nil || math.Abs(sw2-2) > 1e-12 {
			t.Errorf("Boundary(ReLU, %g) = %.15f, %v; want 2", sb2, sw2, err)
		}
		// Below the boundary, q* = σ_b²/(1 − σ_w²/2) (the length map is linear).
		p, err = Net{Phi: ReLU(), SW2: 1.5, SB2: sb2}.Analyze()
		if err != nil {
			t.Fatal(err)
		}
		if want := sb2 / (1 - 0.75); math.Abs(p.QStar-want) > 1e-12*math.Max(1, want) || math.Abs(p.Chi1-0.75) > 1e-13 {
			t.Errorf("ReLU σ_w² = 1.5, σ_b² = %g: q* = %.15g, χ₁ = %.15g; want %.15g, 0.75", sb2, p.QStar, p.Chi1, want)
		}
	}
}

// TestDepthScalesTable checks Analyze against docs/references/chaos.md §5 (tanh,
// σ_b² = 0.05; trapezoid rule, 5–6 digits) and the spot values of §4.
func TestDepthScalesTable(t *testing.T) {
	rows := []struct{ sw2, q, chi1, cs, chic, xic, xiq float64 }{
		{1.0, 0.19359, 0.75903, 1, 0.75903, 3.627, 1.748},
		{1.5, 0.41804, 0.93864, 1, 0.93864, 15.79, 1.683},
		{2.0, 0.72176, 1.04767, 0.74408, 0.96111, 25.21, 1.388},
		{3.0, 1.42801, 1.20893, 0.29932, 0.89540, 9.05, 1.041},
	}
	near := func(got, want float64, digits int) bool {
		return math.Abs(got-want) <= 0.51*math.Pow(10, -float64(digits))
	}
	for _, r := range rows {
		p, err := Net{Phi: Tanh(), SW2: r.sw2, SB2: 0.05}.Analyze()
		if err != nil {
			t.Fatal(err)
		}
		if !near(p.QStar, r.q, 5) || !near(p.Chi1, r.chi1, 5) || !near(p.CStar, r.cs, 5) || !near(p.ChiC, r.chic, 5) ||
			!near(p.XiC, r.xic, 2) || !near(p.XiQ, r.xiq, 3) {
			t.Errorf("σ_w² = %g: %v; table q*=%g χ₁=%g c*=%g χ_c=%g ξ_c=%g ξ_q=%g", r.sw2, p, r.q, r.chi1, r.cs, r.chic, r.xic, r.xiq)
		}
	}
	spots := []struct{ sw2, sb2, chi1 float64 }{{4, 0.09, 1.32707}, {1.69, 0.09, 0.93981}, {6.25, 0.09, 1.58523}, {2, 0.05, 1.04767}}
	for _, s := range spots {
		p, err := Net{Phi: Tanh(), SW2: s.sw2, SB2: s.sb2}.Analyze()
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(p.Chi1-s.chi1) > 1e-5 { // one unit of the table's last digit
			t.Errorf("χ₁(σ_w² = %g, σ_b² = %g) = %.6f; want %.5f", s.sw2, s.sb2, p.Chi1, s.chi1)
		}
	}
}

// TestMapsClosedForms checks the maps of erf, ReLU, hard tanh and linear nets against
// their closed forms (docs/references/chaos.md §3).
func TestMapsClosedForms(t *testing.T) {
	const sw2, sb2 = 1.7, 0.2
	for _, q := range []float64{0.05, 0.7, 3} {
		erf := Net{Phi: Erf(), SW2: sw2, SB2: sb2}
		if got, want := erf.LengthMap(q), sw2*erfPair(q, q, 1)+sb2; !relClose(got, want, 1e-12) {
			t.Errorf("erf LengthMap(%g) = %.15g; want %.15g", q, got, want)
		}
		if got, want := erf.Chi1(q), sw2*erfDerivPair(q, q, 1); !relClose(got, want, 1e-12) {
			t.Errorf("erf Chi1(%g) = %.15g; want %.15g", q, got, want)
		}
		for _, c := range []float64{0.1, 0.6, 0.99} {
			want := (sw2*erfPair(q, q, c) + sb2) / (sw2*erfPair(q, q, 1) + sb2)
			if got := erf.CorrMap(q, c); !relClose(got, want, 1e-11) {
				t.Errorf("erf CorrMap(%g, %g) = %.15g; want %.15g", q, c, got, want)
			}
			if got, want := erf.ChiC(q, c), sw2*erfDerivPair(q, q, c); !relClose(got, want, 1e-11) {
				t.Errorf("erf ChiC(%g, %g) = %.15g; want %.15g", q, c, got, want)
			}
			relu := Net{Phi: ReLU(), SW2: sw2, SB2: sb2}
			want = (sw2*reluPair(q, q, c) + sb2) / (sw2*q/2 + sb2)
			if got := relu.CorrMap(q, c); !relClose(got, want, 1e-11) {
				t.Errorf("ReLU CorrMap(%g, %g) = %.15g; want %.15g", q, c, got, want)
			}
			if got, want := relu.ChiC(q, c), sw2*stepPair(c); !relClose(got, want, 1e-11) {
				t.Errorf("ReLU ChiC(%g, %g) = %.15g; want %.15g", q, c, got, want)
			}
			lin := Net{Phi: Linear(), SW2: sw2, SB2: sb2}
			if got, want := lin.CorrMap(q, c), (sw2*q*c+sb2)/(sw2*q+sb2); !relClose(got, want, 1e-13) {
				t.Errorf("linear CorrMap(%g, %g) = %.15g; want %.15g", q, c, got, want)
			}
		}
		ht := Net{Phi: HardTanh(), SW2: sw2, SB2: sb2}
		if got, want := ht.LengthMap(q), sw2*hardTanhSq(q)+sb2; !relClose(got, want, 1e-12) {
			t.Errorf("hard tanh LengthMap(%g) = %.15g; want %.15g", q, got, want)
		}
		if got, want := ht.Chi1(q), sw2*hardTanhDerivSq(q); !relClose(got, want, 1e-12) {
			t.Errorf("hard tanh Chi1(%g) = %.15g; want %.15g", q, got, want)
		}
	}
	// Linear: q* = σ_b²/(1 − σ_w²), χ₁ = σ_w², ξ_q = ξ_c = −1/ln σ_w².
	p, err := Net{Phi: Linear(), SW2: 0.8, SB2: 0.3}.Analyze()
	if err != nil {
		t.Fatal(err)
	}
	if !relClose(p.QStar, 1.5, 1e-13) || !relClose(p.Chi1, 0.8, 1e-13) || p.CStar != 1 || !relClose(p.XiQ, -1/math.Log(0.8), 1e-12) || !relClose(p.XiC, -1/math.Log(0.8), 1e-12) {
		t.Errorf("linear σ_w² = 0.8, σ_b² = 0.3: %v; want q* = 1.5, χ₁ = 0.8, c* = 1, ξ = %.6g", p, -1/math.Log(0.8))
	}
}

// TestSlopes checks the slopes against numerical derivatives of the maps, and the
// Stein form of LengthSlope against Schoenholz et al.'s χ₁ + σ_w² ∫Dz φ″φ for tanh.
func TestSlopes(t *testing.T) {
	for _, phi := range []Phi{Tanh(), Erf(), ReLU(), HardTanh(), Sigmoid()} {
		net := Net{Phi: phi, SW2: 1.9, SB2: 0.1}
		for _, q := range []float64{0.3, 1.2} {
			h := 1e-5 * q
			num := (net.LengthMap(q+h) - net.LengthMap(q-h)) / (2 * h)
			if got := net.LengthSlope(q); math.Abs(got-num) > 1e-7 {
				t.Errorf("%s LengthSlope(%g) = %.10f; numerical %.10f", phi.Name, q, got, num)
			}
			for _, c := range []float64{0.2, 0.8} {
				// At fixed q, dc^{l+1}/dc = σ_w² ∫φ′φ′ · q/q^{l+1} (Price's theorem).
				dc := 1e-5
				num := (net.CorrMap(q, c+dc) - net.CorrMap(q, c-dc)) / (2 * dc)
				if got := net.ChiC(q, c) * q / net.LengthMap(q); math.Abs(got-num) > 1e-7 {
					t.Errorf("%s ChiC(%g, %g)·q/q′ = %.10f; numerical dc′/dc %.10f", phi.Name, q, c, got, num)
				}
			}
		}
	}
	tanh := Net{Phi: Tanh(), SW2: 2.5, SB2: 0.05}
	q := 1.1
	d2 := func(x float64) float64 { t := math.Tanh(x); return -2 * t * (1 - t*t) }
	paper := tanh.Chi1(q) + tanh.SW2*tanh.Quad.Expect(func(x float64) float64 { return d2(x) * math.Tanh(x) }, q, nil)
	if got := tanh.LengthSlope(q); !relClose(got, paper, 1e-12) {
		t.Errorf("tanh LengthSlope(%g) = %.15g; χ₁ + σ_w² ∫φ″φ = %.15g", q, got, paper)
	}
}

// TestNumericalDerivative: a Phi without D (φ′ by finite differences) gives the same
// maps as the analytic derivative, including at kinks.
func TestNumericalDerivative(t *testing.T) {
	for _, phi := range []Phi{Tanh(), ReLU(), HardTanh(), Sigmoid(), Erf()} {
		bare := phi
		bare.D = nil
		for _, x := range []float64{-2.5, -1, -1e-9, 0, 1e-9, 0.3, 1, 1 + 1e-9, 4} {
			if got, want := bare.Deriv(x), phi.D(x); math.Abs(got-want) > 1e-9 && !isKink(phi, x) {
				t.Errorf("%s numerical φ′(%g) = %.12g; want %.12g", phi.Name, x, got, want)
			}
		}
		a, b := Net{Phi: phi, SW2: 1.8, SB2: 0.1}, Net{Phi: bare, SW2: 1.8, SB2: 0.1}
		const q, c = 0.8, 0.6
		if !relClose(b.Chi1(q), a.Chi1(q), 1e-9) || !relClose(b.LengthSlope(q), a.LengthSlope(q), 1e-9) || !relClose(b.ChiC(q, c), a.ChiC(q, c), 1e-8) {
			t.Errorf("%s at q = %g, c = %g: numerical φ′ gives χ₁ %.12g, slope %.12g, χ_c %.12g; analytic %.12g, %.12g, %.12g", phi.Name, q, c,
				b.Chi1(q), b.LengthSlope(q), b.ChiC(q, c), a.Chi1(q), a.LengthSlope(q), a.ChiC(q, c))
		}
	}
}

func isKink(p Phi, x float64) bool {
	for _, k := range p.Kinks {
		if x == k {
			return true
		}
	}
	return false
}

// TestFixedPointEdges: q* = 0 below σ_w² = 1 for tanh without bias; divergence; the
// fixed point is a fixed point; bad input is an error.
func TestFixedPointEdges(t *testing.T) {
	for _, sw2 := range []float64{0.5, 0.99, 1} {
		q, err := Net{Phi: Tanh(), SW2: sw2}.FixedPoint(1)
		if err != nil || q > 1e-6 {
			t.Errorf("tanh σ_w² = %g, σ_b² = 0: q* = %g, %v; want 0", sw2, q, err)
		}
	}
	net := Net{Phi: Tanh(), SW2: 2.5, SB2: 0}
	q, err := net.FixedPoint(1)
	if err != nil || !(q > 0.5) || math.Abs(net.LengthMap(q)-q) > 1e-14 {
		t.Errorf("tanh σ_w² = 2.5, σ_b² = 0: q* = %v (%v), map(q*) − q* = %g", q, err, net.LengthMap(q)-q)
	}
	if q, err := (Net{Phi: Linear(), SW2: 1.2, SB2: 0.1}).FixedPoint(1); err != nil || !math.IsInf(q, 1) {
		t.Errorf("linear σ_w² = 1.2: q* = %v, %v; want +Inf", q, err)
	}
	for _, bad := range []Net{{Phi: Tanh(), SW2: -1}, {Phi: Tanh(), SW2: math.NaN()}, {SW2: 1}, {Phi: Tanh(), SW2: 1, SB2: math.Inf(1)},
		{Phi: Phi{Name: "nan", F: func(float64) float64 { return math.NaN() }}, SW2: 1}} {
		if _, err := bad.FixedPoint(1); err == nil {
			t.Errorf("FixedPoint of %v: no error", bad)
		}
		if _, err := bad.Analyze(); err == nil {
			t.Errorf("Analyze of %v: no error", bad)
		}
	}
	if _, err := (Net{Phi: Tanh(), SW2: 1}).FixedPoint(-1); err == nil {
		t.Error("FixedPoint(−1): no error")
	}
}

// TestPhiByName covers the names and the error.
func TestPhiByName(t *testing.T) {
	for _, name := range PhiNames() {
		p, err := PhiByName(name)
		if err != nil || p.Name != name || p.Validate() != nil {
			t.Errorf("PhiByName(%q) = %v, %v", name, p, err)
		}
	}
	if _, err := PhiByName("swish"); err == nil {
		t.Error(`PhiByName("swish"): no error`)
	}
}

// TestWarning: a jump that is not declared as a kink defeats the adaptive rule, and
// Analyze says so; declared, it is integrated exactly.
func TestWarning(t *testing.T) {
	step := func(x float64) float64 {
		if x < 0.3 {
			return 1
		}
		return 2
	}
	zero := func(float64) float64 { return 0 }
	p, err := Net{Phi: Phi{Name: "step", F: step, D: zero}, SW2: 1, SB2: 0.1}.Analyze()
	if err != nil {
		t.Fatal(err)
	}
	if p.Warning == "" {
		t.Errorf("undeclared jump: no warning: %v", p)
	}
	net := Net{Phi: Phi{Name: "step", F: step, D: zero, Kinks: []float64{0.3}}, SW2: 1, SB2: 0.1}
	if p, err = net.Analyze(); err != nil || p.Warning != "" {
		t.Errorf("declared jump: %v, %v; want no warning", p, err)
	}
	below := 0.5 * math.Erfc(-0.3/math.Sqrt(2*p.QStar)) // P(u < 0.3), u ~ N(0, q*)
	if want := below + 4*(1-below) + 0.1; !relClose(p.QStar, want, 1e-12) {
		t.Errorf("declared jump: q* = %.15g; want σ_w² E φ² + σ_b² = %.15g", p.QStar, want)
	}
}

// TestUserSine: a user-supplied φ = sin without derivative, whose maps are known in
// closed form (docs/references/chaos.md §3): E sin²u = (1 − e^{−2q})/2, E cos²u =
// (1 + e^{−2q})/2, E sin u₁ sin u₂ = e^{−q} sinh(qc). Its boundary χ₁ = 1 is, with q*
// as parameter, (σ_w², σ_b²) = (1 + tanh q*, q* − tanh q*): Boundary must find it.
func TestUserSine(t *testing.T) {
	sine := Phi{Name: "sin", F: math.Sin}
	for _, q := range []float64{0.1, 0.5, 1, 2} {
		wantW, sb2 := 1+math.Tanh(q), q-math.Tanh(q)
		w, err := Boundary(sine, sb2, Quad{})
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(w-wantW) > 1e-9 {
			t.Errorf("sin boundary at σ_b² = %.6g: σ_w² = %.12f; closed form %.12f", sb2, w, wantW)
		}
	}
	net := Net{Phi: sine, SW2: 2.5, SB2: 0.2}
	p, err := net.Analyze()
	if err != nil {
		t.Fatal(err)
	}
	q := p.QStar
	if want := net.SW2*(1-math.Exp(-2*q))/2 + net.SB2; !relClose(q, want, 1e-12) {
		t.Errorf("sin q* = %.15g; σ_w²(1 − e^{−2q*})/2 + σ_b² = %.15g", q, want)
	}
	if want := net.SW2 * (1 + math.Exp(-2*q)) / 2; !relClose(p.Chi1, want, 1e-9) {
		t.Errorf("sin χ₁ = %.15g; closed form %.15g", p.Chi1, want)
	}
	if want := (net.SW2*math.Exp(-q)*math.Sinh(q*p.CStar) + net.SB2) / q; math.Abs(p.CStar-want) > 1e-12 {
		t.Errorf("sin c* = %.15g is not a fixed point of the closed-form map (%.15g)", p.CStar, want)
	}
	// χ_c = σ_w² E cos u₁ cos u₂ = σ_w² e^{−q} cosh(q c*).
	if want := net.SW2 * math.Exp(-q) * math.Cosh(q*p.CStar); !relClose(p.ChiC, want, 1e-9) {
		t.Errorf("sin χ_c = %.15g; closed form %.15g", p.ChiC, want)
	}
}
