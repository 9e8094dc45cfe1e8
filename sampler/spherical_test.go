package sampler

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/integrate/quad"
	"gonum.org/v1/gonum/mat"

	"github.com/deepglass/deepglass/models"
)

// exactSphere3 returns the exact Boltzmann mean energy ⟨H⟩ of a model with N = 3
// spins at inverse temperature beta, by quadrature over the sphere of radius √3
// (σ = √3(sinθ cosφ, sinθ sinφ, cosθ), measure sinθ dθ dφ; 160-point Legendre in
// each angle: the integrand is a smooth trigonometric polynomial times an
// exponential, so the rule is exact to rounding).
func exactSphere3(m *models.Spherical, beta float64) float64 {
	r := math.Sqrt(3)
	s := make([]float64, 3)
	var e0 float64
	{ // shift the exponent by a rough minimum for stability
		e0 = math.Inf(1)
		for a := 0; a < 60; a++ {
			for b := 0; b < 120; b++ {
				th, ph := math.Pi*(float64(a)+0.5)/60, 2*math.Pi*float64(b)/120
				s[0], s[1], s[2] = r*math.Sin(th)*math.Cos(ph), r*math.Sin(th)*math.Sin(ph), r*math.Cos(th)
				e0 = math.Min(e0, m.Energy(s))
			}
		}
	}
	moment := func(k int) float64 {
		return quad.Fixed(func(th float64) float64 {
			return math.Sin(th) * quad.Fixed(func(ph float64) float64 {
				s[0], s[1], s[2] = r*math.Sin(th)*math.Cos(ph), r*math.Sin(th)*math.Sin(ph), r*math.Cos(th)
				e := m.Energy(s)
				return math.Pow(e, float64(k)) * math.Exp(-beta*(e-e0))
			}, 0, 2*math.Pi, 160, nil, 0)
		}, 0, math.Pi, 160, nil, 0)
	}
	return moment(1) / moment(0)
}

// sdisorder returns the disorder stream of test instance k.
func sdisorder(k int) *rand.PCG { return NewStream(20261126, PurposeDisorder, k, 0) }

// HMC samples exp(−βH) exactly: the mean energy of N = 3 models (p = 2, 3, 4, both
// normalizations) matches the quadrature within 4σ, at a high and a low temperature.
func TestSphericalHMCExact(t *testing.T) {
	for _, c := range []struct {
		p    int
		norm models.SphericalNorm
		beta float64
	}{{2, models.ABC, 1}, {3, models.ABC, 2}, {3, models.CrisantiSommers, 4}, {4, models.ABC, 3}} {
		m := models.NewSpherical(3, c.p, c.norm, sdisorder(c.p))
		want := exactSphere3(m, c.beta)
		ch := NewSphericalChain(m, NewStream(1, PurposeChain, c.p, 0))
		h := NewSphericalHMC(m, c.beta)
		h.Step = 0.3
		for range 200 {
			h.Sweep(ch)
		}
		var e []float64
		for range 40000 {
			h.Sweep(ch)
			e = append(e, ch.E)
		}
		checkMean(t, "HMC ⟨H⟩ "+m.String(), e, 40, want)
		if a := ch.Acceptance(); a < 0.5 {
			t.Errorf("%v: acceptance %.2f", m, a)
		}
		if d := ch.Resync(m); math.Abs(d) > 1e-12 {
			t.Errorf("%v: energy drifted by %v", m, d)
		}
	}
}

// The projected Euler–Maruyama scheme is biased by O(dt): on an N = 3 model its mean
// energy differs from the exact one by an amount that halves with dt (within 4σ).
// Measured (400000 time units each): bias +0.0281(28) at dt = 0.2, +0.0131(28) at
// 0.1, +0.0065(27) at 0.05, +0.0023(29) at 0.025: about 0.13·dt for ⟨H⟩ ≈ −0.82.
func TestSphericalLangevinBias(t *testing.T) {
	m := models.NewSpherical(3, 3, models.CrisantiSommers, sdisorder(7))
	const beta = 2
	want := exactSphere3(m, beta)
	bias := map[float64][2]float64{}
	for _, dt := range []float64{0.2, 0.1} {
		ch := NewSphericalChain(m, NewStream(2, PurposeChain, 0, 0))
		l := &SphericalLangevin{Model: m, Beta: beta, Dt: dt, Steps: int(math.Round(1 / dt))}
		for range 100 {
			l.Sweep(ch)
		}
		var e []float64
		for range 400000 {
			l.Sweep(ch)
			e = append(e, ch.E)
		}
		mean, err, tau, blen := batchStats(e, 50)
		if tau*20 > float64(blen) {
			t.Fatalf("dt=%v: batches of %d not ≫ τ = %.1f", dt, blen, tau)
		}
		bias[dt] = [2]float64{mean - want, err}
		t.Logf("Langevin dt=%v: ⟨H⟩ = %.5f ± %.5f, exact %.5f, bias %+.5f", dt, mean, err, want, mean-want)
	}
	b1, b2 := bias[0.2], bias[0.1]
	if z := math.Abs(b1[0]) / b1[1]; z < 4 {
		t.Errorf("bias at dt = 0.2 not resolved (%.1fσ): lengthen the run", z)
	}
	if z := (b1[0] - 2*b2[0]) / math.Hypot(b1[1], 2*b2[1]); math.Abs(z) > 4 {
		t.Errorf("bias(0.2) = %.5f, bias(0.1) = %.5f: not first order in dt (z = %.1f)", b1[0], b2[0], z)
	}
}

// Parallel tempering over SphericalHMC moves: the exchange rule only needs each
// chain's Energy and a sampler whose β can be set; on an N = 3 model every rung
// matches the quadrature within 4σ.
func TestSphericalTempering(t *testing.T) {
	m := models.NewSpherical(3, 3, models.ABC, sdisorder(11))
	betas := []float64{0.5, 1, 2, 4}
	moves := make([]*SphericalHMC, len(betas))
	chains := make([]*SphericalChain, len(betas))
	slot := make([]int, len(betas))
	for k, b := range betas {
		moves[k] = NewSphericalHMC(m, 1)
		moves[k].SetBeta(b)
		chains[k] = NewSphericalChain(m, NewStream(3, PurposeChain, 0, k))
		slot[k] = k
	}
	swaps := NewStream(3, PurposeSwap, 0, 0)
	rng := rand.New(swaps)
	e := make([][]float64, len(betas))
	accepted := 0
	for sweep := range 30000 {
		for k := range betas {
			moves[k].Sweep(chains[slot[k]])
		}
		for k := sweep % 2; k+1 < len(betas); k += 2 {
			d := (betas[k+1] - betas[k]) * (chains[slot[k+1]].Energy() - chains[slot[k]].Energy())
			if d >= 0 || rng.Float64() < math.Exp(d) {
				slot[k], slot[k+1] = slot[k+1], slot[k]
				accepted++
			}
		}
		if sweep >= 500 {
			for k := range betas {
				e[k] = append(e[k], chains[slot[k]].Energy())
			}
		}
	}
	for k, b := range betas {
		checkMean(t, "PT rung β="+floatString(b), e[k], 30, exactSphere3(m, b))
	}
	if accepted == 0 {
		t.Error("no exchange accepted")
	}
}

func floatString(x float64) string { return string(mustJSON(x)) }

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// The exact finite-N identity of Gaussian disorder with covariance (N/2)q^p
// (Crisanti–Sommers), from Gaussian integration by parts:
//
//	E[⟨H⟩]/N = −(β/2)(1 − E[⟨q^p⟩]),  q = σ·σ'/N of two independent replicas,
//
// and in the paramagnet E[⟨q^p⟩] is O(N^{1−p}), so ⟨H⟩/N = −1/(2T): HMC above T_d
// matches it within 4σ (errors from the spread over instances).
func TestSphericalParamagnet(t *testing.T) {
	const n, inst, sweeps = 24, 8, 2000
	for _, temp := range []float64{1.0, 0.8} {
		beta := 1 / temp
		var lhs, rhs []float64
		for i := range inst {
			m := models.NewSpherical(n, 3, models.CrisantiSommers, sdisorder(100+i))
			a := NewSphericalChain(m, NewStream(4, PurposeChain, i, 0))
			b := NewSphericalChain(m, NewStream(4, PurposeChain, i, 1))
			h := NewSphericalHMC(m, beta)
			for range 300 {
				h.Sweep(a)
				h.Sweep(b)
			}
			if acc := a.Acceptance(); acc < 0.5 || acc > 0.95 {
				t.Errorf("T=%v instance %d: HMC acceptance %.2f with the default step", temp, i, acc)
			}
			var e, q3 float64
			for range sweeps {
				h.Sweep(a)
				h.Sweep(b)
				e += (a.E + b.E) / 2
				q := floats.Dot(a.S, b.S) / n
				q3 += q * q * q
			}
			e /= sweeps * n
			q3 /= sweeps
			lhs = append(lhs, e)
			rhs = append(rhs, -beta/2*(1-q3))
		}
		me, ve := meanVarF(lhs)
		mr, _ := meanVarF(rhs)
		se := math.Sqrt(ve / inst)
		t.Logf("T=%.2f N=%d: e = %.4f ± %.4f; −(β/2)(1−⟨q³⟩) = %.4f; −1/(2T) = %.4f", temp, n, me, se, mr, -beta/2)
		if z := (me - mr) / se; math.Abs(z) > 4 {
			t.Errorf("T=%v: e = %.4f ± %.4f; identity gives %.4f (z = %.1f)", temp, me, se, mr, z)
		}
		if z := (me + beta/2) / se; math.Abs(z) > 4 {
			t.Errorf("T=%v: e = %.4f ± %.4f; paramagnet −1/(2T) = %.4f (z = %.1f)", temp, me, se, -beta/2, z)
		}
	}
}

func meanVarF(x []float64) (mean, v float64) {
	for _, a := range x {
		mean += a
	}
	mean /= float64(len(x))
	for _, a := range x {
		v += (a - mean) * (a - mean)
	}
	return mean, v / float64(len(x)-1)
}

// A chain restored from its state continues bit for bit; bad states are refused.
func TestSphericalStateRestore(t *testing.T) {
	m := models.NewSpherical(10, 3, models.ABC, sdisorder(1))
	h := NewSphericalHMC(m, 1)
	a := NewSphericalChain(m, NewStream(5, PurposeChain, 0, 0))
	for range 5 {
		h.Sweep(a)
	}
	st := a.State()
	// Round trip through JSON, as a checkpoint would.
	var st2 SphericalState
	if err := json.Unmarshal(mustJSON(st), &st2); err != nil {
		t.Fatal(err)
	}
	b := &SphericalChain{}
	if err := b.Restore(m, st2); err != nil {
		t.Fatal(err)
	}
	for range 5 {
		h.Sweep(a)
		h.Sweep(b)
	}
	if !floats.Equal(a.S, b.S) || a.E != b.E || a.Accepted != b.Accepted || a.Sweeps != b.Sweeps {
		t.Errorf("restored chain diverged: %v vs %v", a, b)
	}
	other := models.NewSpherical(10, 3, models.ABC, sdisorder(2))
	bad := []struct {
		name string
		m    *models.Spherical
		f    func(s *SphericalState)
	}{
		{"length", m, func(s *SphericalState) { s.S = s.S[:9] }},
		{"off sphere", m, func(s *SphericalState) { s.S[0] += 1 }},
		{"other instance", other, func(*SphericalState) {}},
		{"counters", m, func(s *SphericalState) { s.Accepted = s.Proposed + 1 }},
		{"stream", m, func(s *SphericalState) { s.Src = []byte("x") }},
	}
	for _, c := range bad {
		s := a.State()
		c.f(&s)
		before := b.State()
		if err := b.Restore(c.m, s); err == nil {
			t.Errorf("Restore with bad %s succeeded", c.name)
		}
		if after := b.State(); !floats.Equal(before.S, after.S) || !bytes.Equal(before.Src, after.Src) {
			t.Errorf("failed Restore (%s) changed the chain", c.name)
		}
	}
}

// p = 2: every descent ends at the eigenvector of the lowest eigenvalue of the
// coupling matrix M (H = σᵀMσ), computed independently by gonum's EigenSym, with
// e = λ_min to 1e−8 and overlap 1 to 1e−6, for both methods.
func TestSphericalDescentP2(t *testing.T) {
	for _, meth := range []DescentMethod{ProjectedGD, LBFGS} {
		for _, n := range []int{20, 60} {
			for i := range 3 {
				m := models.NewSpherical(n, 2, models.ABC, sdisorder(200+i))
				var es mat.EigenSym
				if !es.Factorize(m.CouplingMatrix(), true) {
					t.Fatal("EigenSym failed")
				}
				lam := es.Values(nil)[0]
				var vecs mat.Dense
				es.VectorsTo(&vecs)
				v := mat.Col(nil, 0, &vecs)
				d := SphericalDescent{Model: m, Method: meth, Tol: 1e-9}
				for k := range 3 {
					s := make([]float64, n)
					models.RandomSphere(s, NewStream(6, PurposeChain, i, k))
					r, err := d.Run(context.Background(), s)
					if err != nil {
						t.Fatal(err)
					}
					ov := math.Abs(floats.Dot(s, v)) / math.Sqrt(float64(n))
					if !r.Converged || math.Abs(r.Energy-lam) > 1e-8 || 1-ov > 1e-6 {
						t.Errorf("%v N=%d instance %d start %d: %v; λ_min = %.10f, overlap %.9f", meth, n, i, k, r, lam, ov)
					}
				}
			}
		}
	}
}

// p = 3: descents lower the energy, end where the gradient vanishes, at local
// minima (index 0) of energy within the range of REFERENCE-like runs; GD and L-BFGS
// agree on the mean energy of the minima within 4σ.
func TestSphericalDescentP3(t *testing.T) {
	const n = 30
	var means [2][]float64
	for mi, meth := range []DescentMethod{ProjectedGD, LBFGS} {
		for i := range 6 {
			m := models.NewSpherical(n, 3, models.ABC, sdisorder(300+i))
			d := SphericalDescent{Model: m, Method: meth, Tol: 1e-7}
			for k := range 6 {
				s := make([]float64, n)
				models.RandomSphere(s, NewStream(7, PurposeChain, i, k))
				e0 := m.Energy(s) / n
				r, err := d.Run(context.Background(), s)
				if err != nil {
					t.Fatal(err)
				}
				c, err := m.Classify(s)
				if err != nil {
					t.Fatal(err)
				}
				if !r.Converged || r.Energy > e0 || math.Abs(c.Energy-r.Energy) > 1e-12 || c.GradRMS > 1e-7 {
					t.Errorf("%v: %v from e0 = %.4f; end point %v", meth, r, e0, c)
				}
				if c.Index != 0 {
					t.Logf("%v: descent ended at a saddle: %v", meth, c)
				}
				means[mi] = append(means[mi], r.Energy)
			}
		}
	}
	ma, va := meanVarF(means[0])
	mb, vb := meanVarF(means[1])
	se := math.Sqrt(va/float64(len(means[0])) + vb/float64(len(means[1])))
	t.Logf("N=%d minima: GD %.4f, L-BFGS %.4f (± %.4f)", n, ma, mb, se)
	if math.Abs(ma-mb) > 4*se {
		t.Errorf("GD mean %.4f and L-BFGS mean %.4f differ by more than 4σ = %.4f", ma, mb, 4*se)
	}
}

// Cancelling a descent stops it with the context's error.
func TestSphericalDescentCancel(t *testing.T) {
	m := models.NewSpherical(20, 3, models.ABC, sdisorder(1))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, meth := range []DescentMethod{ProjectedGD, LBFGS} {
		s := make([]float64, 20)
		models.RandomSphere(s, NewStream(1, PurposeChain, 0, 0))
		d := SphericalDescent{Model: m, Method: meth}
		if _, err := d.Run(ctx, s); err != context.Canceled {
			t.Errorf("%v: Run with a cancelled context returned %v", meth, err)
		}
	}
}

// The study gives the same numbers for any number of threads, reports the index of
// every end point, and returns what it finished when cancelled.
func TestSphericalLandscape(t *testing.T) {
	cfg := SphericalLandscapeConfig{P: 3, N: 20, Instances: 3, Starts: 5, Seed: 9, Method: LBFGS}
	var prev *SphericalLandscape
	for _, th := range []int{1, 2, 3} {
		cfg.Threads = th
		l, err := RunSphericalLandscape(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		if len(l.Energies) != 15 || len(l.Index) != 15 || len(l.InstanceMeans) != 3 {
			t.Fatalf("threads=%d: %v", th, l)
		}
		if prev != nil && !floats.Equal(prev.Energies, l.Energies) {
			t.Errorf("threads=%d: energies %v differ from %v", th, l.Energies, prev.Energies)
		}
		prev = l
		total := 0
		for _, c := range l.Counts {
			total += c
		}
		if total != 15 || l.ShareAboveThreshold+l.ShareInBand+l.ShareBelowGround != 1 {
			t.Errorf("histogram %v, shares %v %v %v", l.Counts, l.ShareAboveThreshold, l.ShareInBand, l.ShareBelowGround)
		}
		for d, idx := range l.Index {
			if idx != 0 {
				t.Errorf("descent %d ended at index %d after %d escapes", d, idx, l.Escapes[d])
			}
		}
	}
	if math.Abs(prev.Threshold+models.SphericalEInf(3)) > 1e-15 || prev.Mean > -1.2 || prev.Mean < -1.9 {
		t.Errorf("summary: %v", prev)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	l, err := RunSphericalLandscape(ctx, cfg)
	if err != context.Canceled || l == nil {
		t.Errorf("cancelled study: %v, %v", l, err)
	}
	bad := SphericalLandscapeConfig{P: 5, N: 1, Starts: -1}
	if _, err := RunSphericalLandscape(context.Background(), bad); err == nil {
		t.Error("invalid config accepted")
	}
}

// p = 2: the minimum energy per spin found by descent, averaged over instances,
// approaches −E0 = −E∞ = −√2 as N grows (the edge of the semicircle of the GOE
// coupling matrix; docs/references/spherical.md §3): closer at N = 160 than at
// N = 20 by more than 4σ, and below −1.3 at N = 160.
func TestSphericalP2Edge(t *testing.T) {
	mean := func(n int) (float64, float64) {
		l, err := RunSphericalLandscape(context.Background(), SphericalLandscapeConfig{P: 2, N: n, Instances: 64, Starts: 1, Method: LBFGS, Seed: 5, Tol: 1e-8})
		if err != nil {
			t.Fatal(err)
		}
		return l.Mean, l.Err
	}
	m20, e20 := mean(20)
	m160, e160 := mean(160)
	t.Logf("p = 2: mean minimum e = %.4f ± %.4f (N = 20), %.4f ± %.4f (N = 160); −√2 = %.4f", m20, e20, m160, e160, -math.Sqrt2)
	if z := (m160 - m20) / math.Hypot(e20, e160); z > -4 || m160 > -1.3 || m160 < -math.Sqrt2-4*e160 {
		t.Errorf("p = 2: mean minimum %.4f ± %.4f at N = 20, %.4f ± %.4f at N = 160 (z = %.1f); want a clear approach to −√2", m20, e20, m160, e160, z)
	}
}
