package meanfield

import (
	"context"
	"math"
	"testing"
)

// TestSimulateMatchesMaps (must-show): in N = 1000 nets, q^l and c^l agree with the
// iterates of the maps within 4σ at every layer, on both sides of the boundary.
func TestSimulateMatchesMaps(t *testing.T) {
	for _, sw2 := range []float64{1.3, 3} { // ordered, chaotic (tanh, σ_b² = 0.05)
		net := Net{Phi: Tanh(), SW2: sw2, SB2: 0.05}
		p, err := net.Analyze()
		if err != nil {
			t.Fatal(err)
		}
		c0 := []float64{0.6, 0.95}
		const depth = 30
		r, err := Simulate(context.Background(), SimSpec{Phi: net.Phi, SW2: sw2, SB2: 0.05, Width: 1000, Depth: depth, Nets: 400,
			Q0: 0.5 * p.QStar, C0: c0, Seed: 3, Method: Gram})
		if err != nil {
			t.Fatal(err)
		}
		worst, at := 0.0, ""
		for k := range c0 {
			qs, cs := net.Correlations(0.5*p.QStar, c0[k], depth)
			for l := 1; l <= depth; l++ { // layer 0 is the exact input
				for _, z := range []float64{(r.Q[l].Mean - qs[l]) / r.Q[l].Err, (r.C[k][l].Mean - cs[l]) / r.C[k][l].Err} {
					if math.Abs(z) > worst {
						worst, at = math.Abs(z), net.String()+" layer "+string(rune('0'+l/10))+string(rune('0'+l%10))
					}
				}
			}
		}
		t.Logf("%v: max |z| of q^l, c^l vs the maps = %.2f (%s); %.1f s", p, worst, at, r.Seconds)
		if worst > 4 {
			t.Errorf("%v: simulation and maps differ by %.2fσ at %s", net, worst, at)
		}
	}
}

// TestXiCFromSimulation (must-show): ξ_c from the maps agrees with the decay of
// |c^l − c*| in N = 1000 nets within 4σ, in the ordered and in the chaotic phase.
func TestXiCFromSimulation(t *testing.T) {
	for _, sw2 := range []float64{1.3, 3} {
		x, err := MeasureXiC(context.Background(), Net{Phi: Tanh(), SW2: sw2, SB2: 0.05}, 1000, 1000, 1, Gram)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%v; z = %.2f; %.1f s", x, x.Z(), x.Sim.Seconds)
		if z := x.Z(); math.Abs(z) > 4 {
			t.Errorf("%v: |z| = %.2f > 4", x, z)
		}
		// The transient left in the window is much smaller than the error.
		if d := math.Abs(x.TheoryFit - x.Point.XiC); d > x.Fit.Scale.Err/2 {
			t.Errorf("%v: the maps' own fit is %.4g, %.2g from ξ_c: the window is not asymptotic", x, x.TheoryFit, d)
		}
	}
	if _, err := MeasureXiC(context.Background(), Net{Phi: Tanh(), SW2: 1.76095, SB2: 0.05}, 100, 10, 1, Gram); err == nil {
		t.Error("MeasureXiC on the boundary: no error")
	}
}

// TestGramMatchesWeights: the Gram sampler draws the same law as explicit weight
// matrices: the means and the spreads over nets of q^l and c^l agree (two-sample z
// within 4) at every layer.
func TestGramMatchesWeights(t *testing.T) {
	spec := SimSpec{Phi: Tanh(), SW2: 3, SB2: 0.05, Width: 150, Depth: 10, Nets: 300, Q0: 1, C0: []float64{0.5, 0.97}, Seed: 7}
	a, err := Simulate(context.Background(), spec)
	if err != nil {
		t.Fatal(err)
	}
	spec.Method, spec.Seed = Gram, 8
	b, err := Simulate(context.Background(), spec)
	if err != nil {
		t.Fatal(err)
	}
	// Spread: the standard deviation over nets, with error σ/√(2(M−1)).
	sd := func(xs [][]float64, l int) Stat {
		col := make([]float64, len(xs))
		for m := range xs {
			col[m] = xs[m][l]
		}
		s := meanErr(col)
		v := s.Err * math.Sqrt(float64(len(col)))
		return Stat{v, v / math.Sqrt(2*float64(len(col)-1))}
	}
	z := func(x, y Stat) float64 { return (x.Mean - y.Mean) / math.Hypot(x.Err, y.Err) }
	worst := 0.0
	for l := 1; l <= spec.Depth; l++ {
		zs := []float64{z(a.Q[l], b.Q[l]), z(sd(a.QNet, l), sd(b.QNet, l))}
		for k := range spec.C0 {
			zs = append(zs, z(a.C[k][l], b.C[k][l]), z(sd(a.CNet[k], l), sd(b.CNet[k], l)))
		}
		for _, v := range zs {
			worst = math.Max(worst, math.Abs(v))
		}
	}
	t.Logf("weights %.1f s, gram %.1f s; max |z| = %.2f over %d layers × 6 statistics", a.Seconds, b.Seconds, worst, spec.Depth)
	if worst > 4 {
		t.Errorf("Gram and Weights differ: max |z| = %.2f", worst)
	}
}

// TestCircleRate: the image of Poole's great circle grows (chaotic) or shrinks
// (ordered) by √χ₁ per layer. Its squared length agrees with the maps' polygon at
// every layer within 4σ; the fitted rate of its square root agrees within 4σ with the
// polygon's and with the curve's, ½ ln χ₁ (the 160-gon resolves the curve over 7
// layers to 0.6% of the rate). The rate of the plain length is reported beside.
func TestCircleRate(t *testing.T) {
	for _, sw2 := range []float64{1.3, 4} {
		net := Net{Phi: Tanh(), SW2: sw2, SB2: 0.05}
		p, err := net.Analyze()
		if err != nil {
			t.Fatal(err)
		}
		const K, depth = 160, 7
		r, err := Circle(context.Background(), CircleSpec{Phi: net.Phi, SW2: sw2, SB2: 0.05, Width: 300, Depth: depth, Nets: 30, Points: K, Q0: p.QStar, Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		sq, err := FitExp(r.SquareNet, 0, depth)
		if err != nil {
			t.Fatal(err)
		}
		rate := Stat{sq.Rate.Mean / 2, sq.Rate.Err / 2}
		plain, err := FitExp(r.LengthNet, 0, depth)
		if err != nil {
			t.Fatal(err)
		}
		poly := net.CircleTheory(p.QStar, K, depth)
		pf, err := FitExp([][]float64{poly, poly}, 0, depth)
		if err != nil {
			t.Fatal(err)
		}
		want := 0.5 * math.Log(p.Chi1)
		t.Logf("%v: rate of √(mean square) %v, of the length %v per layer; maps: polygon %.4f, curve ½ ln χ₁ = %.4f (%.1f s)",
			p.Phase, rate, plain.Rate, pf.Rate.Mean, want, r.Seconds)
		if z := (rate.Mean - pf.Rate.Mean) / rate.Err; math.Abs(z) > 4 {
			t.Errorf("%v: rate %v; polygon of the maps %.4f (z = %.2f)", net, rate, pf.Rate.Mean, z)
		}
		if z := (rate.Mean - want) / rate.Err; math.Abs(z) > 4 {
			t.Errorf("%v: rate %v; curve of the maps ½ ln χ₁ = %.4f (z = %.2f)", net, rate, want, z)
		}
		for l := 1; l <= depth; l++ {
			if z := (r.Square[l].Mean - poly[l]*poly[l]) / r.Square[l].Err; math.Abs(z) > 4 {
				t.Errorf("%v layer %d: squared length %v; polygon of the maps %.5g (z = %.2f)", net, l, r.Square[l], poly[l]*poly[l], z)
			}
		}
		if th := net.CircleTheory(p.QStar, 0, 0)[0]; math.Abs(r.Length[0].Mean-th) > 1e-3*th {
			t.Errorf("circle length at layer 0 = %v; want 2π√q* (1 − O(1/K²)) = %.6f", r.Length[0], th)
		}
	}
}

// TestSimulateReproducible: the same seed gives the same numbers whatever the
// number of threads; cancellation is an error; bad specs are errors.
func TestSimulateReproducible(t *testing.T) {
	for _, m := range []SimMethod{Weights, Gram} {
		spec := SimSpec{Phi: ReLU(), SW2: 1.5, SB2: 0.1, Width: 50, Depth: 5, Nets: 7, Q0: 1, C0: []float64{0.3}, Seed: 11, Method: m, Threads: 1}
		a, err := Simulate(context.Background(), spec)
		if err != nil {
			t.Fatal(err)
		}
		spec.Threads = 3
		b, err := Simulate(context.Background(), spec)
		if err != nil {
			t.Fatal(err)
		}
		for l := range a.Q {
			if a.Q[l] != b.Q[l] || a.C[0][l] != b.C[0][l] {
				t.Fatalf("%v layer %d: 1 thread %v %v, 3 threads %v %v", m, l, a.Q[l], a.C[0][l], b.Q[l], b.C[0][l])
			}
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Simulate(ctx, SimSpec{Phi: Tanh(), SW2: 1, Width: 10, Depth: 3, Nets: 4, Q0: 1}); err == nil {
		t.Error("Simulate with a cancelled context: no error")
	}
	if _, err := Circle(ctx, CircleSpec{Phi: Tanh(), SW2: 1, Width: 10, Depth: 3, Nets: 4, Points: 10, Q0: 1}); err == nil {
		t.Error("Circle with a cancelled context: no error")
	}
	for _, bad := range []SimSpec{{Phi: Tanh(), SW2: 1, Width: 1, Depth: 3, Nets: 4, Q0: 1}, {Phi: Tanh(), SW2: 1, Width: 10, Depth: 3, Nets: 1, Q0: 1},
		{Phi: Tanh(), SW2: 1, Width: 10, Depth: 3, Nets: 4, Q0: 0}, {Phi: Tanh(), SW2: 1, Width: 10, Depth: 3, Nets: 4, Q0: 1, C0: []float64{1.5}},
		{Phi: Tanh(), SW2: 1, Width: 10, Depth: 3, Nets: 4, Q0: 1, Method: 7}} {
		if _, err := Simulate(context.Background(), bad); err == nil {
			t.Errorf("Simulate(%v): no error", bad)
		}
	}
}

// TestStatString pins the mean(error) format.
func TestStatString(t *testing.T) {
	for _, c := range []struct {
		s    Stat
		want string
	}{{Stat{0.43212, 0.0012}, "0.4321(12)"}, {Stat{7.8316, 0.023}, "7.832(23)"}, {Stat{123.4, 12}, "123(12)"}, {Stat{1.5, 0}, "1.5"}, {Stat{2, math.NaN()}, "2"}} {
		if got := c.s.String(); got != c.want {
			t.Errorf("%#v.String() = %q; want %q", c.s, got, c.want)
		}
	}
}
