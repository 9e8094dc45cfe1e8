package spectra

import (
	"context"
	"encoding/json"
	"math"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"

	"gonum.org/v1/gonum/integrate/quad"
	"gonum.org/v1/gonum/mat"
)

func paretoMatrix(n, m int, mu float64, seed uint64) *mat.Dense { return ParetoMatrix(n, m, mu, seed) }

func gaussMatrix(n, m int, seed uint64) *mat.Dense { return GaussianMatrix(n, m, seed) }

// TestParetoTail: for iid elements with tail index μ < 2 the ESD's tail exponent is
// α = 1 + μ/2 (docs/references/spectra.md §2); the fit recovers it within 4 bootstrap
// standard errors.
func TestParetoTail(t *testing.T) {
	for i, mu := range []float64{0.5, 1, 1.5} {
		w := paretoMatrix(800, 400, mu, uint64(10+i))
		r, err := Analyze(context.Background(), MatrixLayer("pareto", w), Options{Bootstrap: 40, Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		want := 1 + mu/2
		z := (r.Fit.Alpha - want) / r.AlphaErr
		t.Logf("μ=%g: α = %.3f ± %.3f (asymptotic σ %.3f), want %.3f: z = %.2f; tail %d", mu, r.Fit.Alpha, r.AlphaErr, r.Fit.Sigma, want, z, r.Fit.Tail)
		if math.Abs(z) > 4 || r.Status != StatusSuccess {
			t.Errorf("μ=%g: α = %.3f ± %.3f, want %.3f (z = %.1f)", mu, r.Fit.Alpha, r.AlphaErr, want, z)
		}
		if r.Warning != "over-trained" {
			t.Errorf("μ=%g: α < 2 not flagged over-trained: %q", mu, r.Warning)
		}
	}
}

// TestMPEdge: for a Gaussian N×M matrix of unit variance the MP bulk edge of
// λ = σ² is (√N + √M)² and σ_MP (after rescaling to mean 1) is 1; both are recovered
// within 4 bootstrap errors, for Q = 2 (MP) and Q = 1 (quarter circle), with no
// spikes and no correlation traps.
func TestMPEdge(t *testing.T) {
	for _, dims := range [][2]int{{800, 400}, {400, 400}} {
		n, m := dims[0], dims[1]
		r, err := Analyze(context.Background(), MatrixLayer("gauss", gaussMatrix(n, m, 3)), Options{Bootstrap: 40, Seed: 2, Randomize: true})
		if err != nil {
			t.Fatal(err)
		}
		want := math.Pow(math.Sqrt(float64(n))+math.Sqrt(float64(m)), 2)
		z := (r.MP.BulkMax - want) / r.MPEdgeErr
		t.Logf("%d×%d: λ+ = %.1f ± %.1f, want %.1f (z = %.2f); σ_MP = %.4f; λmax = %.1f; spikes %d, traps %d, rand_distance %.4f",
			n, m, r.MP.BulkMax, r.MPEdgeErr, want, z, r.MP.Sigma, r.Metrics.SpectralNorm, r.MP.NumSpikes, r.Rand.NumSpikes, r.RandDistance)
		if math.Abs(z) > 4 {
			t.Errorf("%d×%d: edge %.1f ± %.1f, want %.1f", n, m, r.MP.BulkMax, r.MPEdgeErr, want)
		}
		if math.Abs(r.MP.Sigma-1) > 4*r.MPEdgeErr/want {
			t.Errorf("%d×%d: σ_MP = %.4f, want 1", n, m, r.MP.Sigma)
		}
		if r.MP.NumSpikes != 0 || r.Rand.NumSpikes != 0 {
			t.Errorf("%d×%d: %d spikes, %d traps in a Gaussian matrix", n, m, r.MP.NumSpikes, r.Rand.NumSpikes)
		}
	}
}

// TestCorrelationTrap plants one large element in a Gaussian matrix: above the BBP
// threshold (NM)^{1/4} its rank-one perturbation makes a spike that shuffling keeps
// (the element only moves), so the randomized ESD has a trap; without it, none.
func TestCorrelationTrap(t *testing.T) {
	w := gaussMatrix(500, 250, 5)
	clean, err := Analyze(context.Background(), MatrixLayer("clean", w), Options{Randomize: true, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	w.Set(17, 42, 80) // (NM)^{1/4} = 18.8
	trap, err := Analyze(context.Background(), MatrixLayer("trap", w), Options{Randomize: true, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("clean: traps %d, rand λ+ %.1f, max rand λ %.1f; trap: traps %d, rand λ+ %.1f, max rand λ %.1f",
		clean.Rand.NumSpikes, clean.Rand.BulkMax, clean.MaxRandEval, trap.Rand.NumSpikes, trap.Rand.BulkMax, trap.MaxRandEval)
	if clean.Rand.NumSpikes != 0 {
		t.Errorf("Gaussian matrix: %d traps", clean.Rand.NumSpikes)
	}
	if trap.Rand.NumSpikes < 1 || !strings.Contains(strings.Join(trap.Warnings, ";"), "correlation traps") {
		t.Errorf("planted trap not found: %d traps, warnings %v", trap.Rand.NumSpikes, trap.Warnings)
	}
}

// TestBadInput: NaN/Inf entries are an error naming the layer; 1×N matrices are
// skipped and flagged; a zero or rank-one matrix (an empty tail) is a failed, flagged
// fit with α = −1; nothing panics.
func TestBadInput(t *testing.T) {
	ctx := context.Background()
	w := gaussMatrix(30, 20, 1)
	w.Set(3, 4, math.NaN())
	w.Set(5, 6, math.Inf(-1))
	if _, err := Analyze(ctx, MatrixLayer("nan", w), Options{}); err == nil || !strings.Contains(err.Error(), "nan: 2 of 600 entries are NaN") {
		t.Errorf("NaN matrix: %v", err)
	}
	r, err := Analyze(ctx, MatrixLayer("row", gaussMatrix(1, 50, 1)), Options{})
	if err != nil || r.Status != StatusSkipped || r.Alpha() != -1 || len(r.Warnings) == 0 {
		t.Errorf("1×N: %v, %v", r, err)
	}
	rank1 := mat.NewDense(40, 30, nil)
	for i := range 40 {
		for j := range 30 {
			rank1.Set(i, j, float64(i+1)*float64(j+1))
		}
	}
	huge, tiny := gaussMatrix(40, 30, 2), gaussMatrix(40, 30, 2)
	huge.Scale(1e200, huge)  // λ overflows to +Inf
	tiny.Scale(1e-200, tiny) // λ underflows to 0
	for name, m := range map[string]*mat.Dense{"zero": mat.NewDense(40, 30, nil), "rank1": rank1, "huge": huge, "tiny": tiny} {
		r, err := Analyze(ctx, MatrixLayer(name, m), Options{Bootstrap: 5, GOF: 5, Randomize: true})
		if err != nil || r.Status != StatusFailed || r.Alpha() != -1 || r.Verdict != VerdictFailed {
			t.Errorf("%s: %v, %v", name, r, err)
			continue
		}
		if _, err := json.Marshal(r); err != nil {
			t.Errorf("%s: JSON: %v", name, err)
		}
	}
	if _, err := FitMP(nil, 3, 2); err == nil {
		t.Error("FitMP of nothing succeeded")
	}
	if _, err := FitMP([]float64{0, 0}, 3, 2); err == nil {
		t.Error("FitMP of zeros succeeded")
	}
}

// TestConvSlices checks WeightWatcher's slicing of both kernel layouts and its scaling.
func TestConvSlices(t *testing.T) {
	// PyTorch layout (out=5, in=3, 2, 2): slice (i, j) is W[:, :, i, j].
	shape := []int{5, 3, 2, 2}
	data := make([]float64, 60)
	for k := range data {
		data[k] = float64(k)
	}
	ls, err := NewLayers("conv", shape, data, ConvPooled)
	if err != nil || len(ls) != 1 || len(ls[0].Mats) != 4 || ls[0].RF != 4 || ls[0].N != 5 || ls[0].M != 3 {
		t.Fatalf("pooled: %v %v", ls, err)
	}
	s := math.Sqrt(0.5)
	if got, want := ls[0].Mats[1].At(2, 1), s*data[((2*3+1)*2+0)*2+1]; got != want {
		t.Errorf("slice (0,1) at (2,1) = %v; want %v", got, want)
	}
	ls, _ = NewLayers("conv", shape, data, ConvSlices)
	if len(ls) != 4 || ls[3].Scale != math.Sqrt(2) || ls[3].Name != "conv[1,1]" {
		t.Errorf("slices: %v", ls)
	}
	// Keras layout (2, 2, in=3, out=5): slice (i, j) is W[i, j, :, :].
	ks, _ := NewLayers("k", []int{2, 2, 3, 5}, data, ConvPooled)
	if got, want := ks[0].Mats[2].At(1, 4), s*data[((1*2+0)*3+1)*5+4]; got != want || ks[0].N != 5 || ks[0].M != 3 {
		t.Errorf("keras slice (1,0) at (1,4) = %v; want %v (%v)", got, want, ks[0])
	}
	for _, bad := range [][]int{{3}, {2, 3, 4}, {}, {1, 1, 1, 1, 1}} {
		n := 1
		for _, d := range bad {
			n *= d
		}
		if _, err := NewLayers("b", bad, make([]float64, n), ConvPooled); err == nil {
			t.Errorf("shape %v accepted", bad)
		}
	}
	if _, err := NewLayers("b", []int{2, 2}, make([]float64, 3), ConvPooled); err == nil {
		t.Error("wrong data length accepted")
	}
}

// TestMetrics checks the norm metrics on a matrix with known singular values 1…5
// (λ = 1, 4, 9, 16, 25), by their definitions.
func TestMetrics(t *testing.T) {
	ev := []float64{1, 4, 9, 16, 25}
	m := ComputeMetrics(ev, 2, 8)
	sum := 55.0
	h := 0.0
	for _, v := range ev {
		h -= v / sum * math.Log(v/sum)
	}
	want := Metrics{Norm: sum, LogNorm: math.Log10(sum), SpectralNorm: 25, LogSpectralNorm: math.Log10(25),
		AlphaWeighted: 2 * math.Log10(25), LogAlphaNorm: math.Log10(1 + 16 + 81 + 256 + 625), StableRank: sum / 25,
		MatrixRank: 5, Entropy: h / math.Log(5)}
	for name, pair := range map[string][2]float64{
		"norm": {m.Norm, want.Norm}, "log_norm": {m.LogNorm, want.LogNorm}, "lambda_max": {m.SpectralNorm, want.SpectralNorm},
		"log_spectral_norm": {m.LogSpectralNorm, want.LogSpectralNorm}, "alpha_weighted": {m.AlphaWeighted, want.AlphaWeighted},
		"log_alpha_norm": {m.LogAlphaNorm, want.LogAlphaNorm}, "stable_rank": {m.StableRank, want.StableRank},
		"entropy": {m.Entropy, want.Entropy},
	} {
		if math.Abs(pair[0]-pair[1]) > 1e-12*math.Abs(pair[1]) {
			t.Errorf("%s = %v; want %v", name, pair[0], pair[1])
		}
	}
	if m.MatrixRank != 5 {
		t.Errorf("matrix_rank = %d", m.MatrixRank)
	}
	// A uniform spectrum has entropy 1; a rank-one spectrum 0.
	if e := ComputeMetrics([]float64{2, 2, 2, 2}, 2, 4).Entropy; math.Abs(e-1) > 1e-12 {
		t.Errorf("uniform entropy %v", e)
	}
	if e := ComputeMetrics([]float64{0, 0, 3}, 2, 4).Entropy; e != 0 {
		t.Errorf("rank-one entropy %v", e)
	}
	if m := ComputeMetrics(ev, math.NaN(), 8); !math.IsNaN(m.AlphaWeighted) || !math.IsNaN(m.LogAlphaNorm) {
		t.Error("α metrics of a failed fit are not NaN")
	}
}

// TestJensenShannon: identical vectors are at distance 0; p = (1,0), q = (0,1) are at
// √ln 2 (each KL to m = (½,½) is ln 2).
func TestJensenShannon(t *testing.T) {
	if d, _ := JensenShannon([]float64{1, 2, 3}, []float64{2, 4, 6}); d != 0 {
		t.Errorf("d(p, 2p) = %v", d)
	}
	if d, _ := JensenShannon([]float64{1, 0}, []float64{0, 1}); math.Abs(d-math.Sqrt(math.Ln2)) > 1e-15 {
		t.Errorf("d = %v; want √ln2 = %v", d, math.Sqrt(math.Ln2))
	}
	if _, err := JensenShannon([]float64{1}, []float64{1, 2}); err == nil {
		t.Error("lengths 1 and 2 accepted")
	}
}

// TestMPDensity: the density integrates to 1 for Q = 1.5, 2, 4 (gonum quad), and the
// KDE objective is minimized near σ = 1 by exact MP quantiles.
func TestMPDensity(t *testing.T) {
	for _, q := range []float64{1.5, 2, 4} {
		b := math.Pow(1+math.Sqrt(1/q), 2)
		a := math.Pow(1-math.Sqrt(1/q), 2)
		// Substitute x = a + (b−a)(1−cos θ)/2 to remove the square-root ends.
		f := func(th float64) float64 {
			x := a + (b-a)*(1-math.Cos(th))/2
			return MPDensity(x, q, 1) * (b - a) * math.Sin(th) / 2
		}
		if s := quad.Fixed(f, 0, math.Pi, 200, nil, 0); math.Abs(s-1) > 1e-9 {
			t.Errorf("Q=%g: ∫ρ = %v", q, s)
		}
	}
}

// TestExpint checks E_p(z) against closed forms and tabulated values (Abramowitz &
// Stegun 5.1): E_1(1) = 0.219383934395520, E_2(1) = 0.148495506775922,
// E_{1/2}(z) = √(π/z) erfc(√z), E_p(0) = 1/(p−1).
func TestExpint(t *testing.T) {
	cases := []struct{ p, z, want float64 }{
		{1, 1, 0.219383934395520}, {2, 1, 0.148495506775922}, {0.5, 2, math.Sqrt(math.Pi/2) * math.Erfc(math.Sqrt2)},
		{0.5, 1e-4, math.Sqrt(math.Pi/1e-4) * math.Erfc(1e-2)}, {3, 0, 0.5}, {1.5, 0, 2},
	}
	for _, c := range cases {
		if got := expint(c.p, c.z); math.Abs(got-c.want) > 1e-10*c.want {
			t.Errorf("E_%g(%g) = %.15g; want %.15g", c.p, c.z, got, c.want)
		}
	}
}

// TestTruncated recovers α and λ of samples of x^{−α}e^{−λx} (x ≥ 1) drawn by
// rejection from a Pareto proposal, within 4 bootstrap errors.
func TestTruncated(t *testing.T) {
	const alpha, lambda, n = 1.8, 0.05, 4000
	r := rand.New(rand.NewPCG(4, 4))
	sample := func() []float64 {
		x := make([]float64, 0, n)
		for len(x) < n {
			v := math.Pow(1-r.Float64(), -1/(alpha-1))
			if r.Float64() < math.Exp(-lambda*(v-1)) {
				x = append(x, v)
			}
		}
		return x
	}
	x := sample()
	fit, err := FitTruncated(x, 1)
	if err != nil {
		t.Fatal(err)
	}
	var as, ls []float64
	for range 20 {
		f, _ := FitTruncated(sample(), 1)
		as, ls = append(as, f.Alpha), append(ls, f.Lambda)
	}
	ea, el := stdDev(as), stdDev(ls)
	t.Logf("α = %.4f ± %.4f (want %g), λ = %.4f ± %.4f (want %g)", fit.Alpha, ea, alpha, fit.Lambda, el, lambda)
	if math.Abs(fit.Alpha-alpha) > 4*ea || math.Abs(fit.Lambda-lambda) > 4*el {
		t.Errorf("truncated fit %v; want α=%g λ=%g", fit, alpha, lambda)
	}
	// The power law is then disfavoured against it.
	p, _ := FitPowerLaw(x, nil)
	for _, lr := range CompareLaws(x, p) {
		t.Log(lr)
		if lr.Alt == "truncated_power_law" && lr.Favours(0.05) != "truncated_power_law" && p.Xmin < 2 {
			t.Errorf("truncated law not favoured at xmin %g: %v", p.Xmin, lr)
		}
	}
}

// TestGoodnessOfFit: the KS p-values of Pareto samples are uniform (their mean is
// within 4 standard errors of ½); a uniform sample and the ESD of a Gaussian matrix
// (a pure MP bulk, which WeightWatcher would report as α ≈ 8, "under-trained") are
// rejected.
func TestGoodnessOfFit(t *testing.T) {
	ctx := context.Background()
	r := rand.New(rand.NewPCG(8, 8))
	const samples = 20
	sum := 0.0
	for k := range samples {
		pl := make([]float64, 500)
		for i := range pl {
			pl[i] = math.Pow(1-r.Float64(), -1/1.5)
		}
		fp, _ := FitPowerLaw(pl, nil)
		gp, err := GoodnessOfFit(ctx, pl, fp, nil, 50, uint64(k))
		if err != nil {
			t.Fatal(err)
		}
		sum += gp.P
		for _, lr := range CompareLaws(pl, fp) {
			if lr.Alt != "truncated_power_law" && lr.Favours(0.01) == lr.Alt {
				t.Errorf("Pareto sample %d: %v favoured", k, lr)
			}
		}
	}
	mean, se := sum/samples, math.Sqrt(1.0/12/samples)
	t.Logf("Pareto samples: mean KS p = %.3f (want 0.5 ± %.3f)", mean, se)
	if math.Abs(mean-0.5) > 4*se {
		t.Errorf("mean p-value of Pareto samples %.3f; want 0.5 ± %.3f", mean, se)
	}
	u := make([]float64, 2000)
	for i := range u {
		u[i] = 1 + r.Float64()
	}
	fu, _ := FitPowerLaw(u, nil)
	gu, _ := GoodnessOfFit(ctx, u, fu, nil, 100, 1)
	t.Logf("uniform sample: %v, %v", fu, gu)
	if gu.P > 0.05 {
		t.Errorf("uniform sample not rejected: %v", gu)
	}
	r2, err := Analyze(ctx, MatrixLayer("gauss", gaussMatrix(800, 400, 1)), Options{GOF: 100, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("Gaussian ESD: %v", r2)
	if r2.Verdict != VerdictRejected {
		t.Errorf("MP bulk not rejected as a power law: %v", r2)
	}
}

// TestReproducible: the same seed gives the same numbers with 1 or 2 threads.
func TestReproducible(t *testing.T) {
	w := paretoMatrix(200, 100, 1.2, 3)
	o := Options{Bootstrap: 20, GOF: 20, Randomize: true, Seed: 9}
	run := func(procs int) []byte {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		r, err := Analyze(context.Background(), MatrixLayer("w", w), o)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(r)
		return b
	}
	if a, b := run(1), run(2); string(a) != string(b) {
		t.Errorf("GOMAXPROCS 1 and 2 differ:\n%s\n%s", a, b)
	}
}

// TestCancel stops a long bootstrap when the context is cancelled.
func TestCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Analyze(ctx, MatrixLayer("w", gaussMatrix(100, 50, 1)), Options{Bootstrap: 1000}); !ErrCancelled(err) {
		t.Errorf("cancelled analysis returned %v", err)
	}
}

// TestMethods: the Gram route and the SVD agree on every eigenvalue to a few ulp of
// λ_max, and the analysis through either gives the same α.
func TestMethods(t *testing.T) {
	w := paretoMatrix(300, 200, 2.5, 6)
	a, _ := Eigenvalues(w, MethodSVD)
	b, _ := Eigenvalues(w, MethodGram)
	lmax := a[len(a)-1]
	for i := range a {
		if math.Abs(a[i]-b[i]) > 1e-12*lmax {
			t.Fatalf("λ_%d: svd %v, gram %v", i, a[i], b[i])
		}
	}
	if _, err := Eigenvalues(mat.NewDense(2, 2, []float64{1, math.NaN(), 0, 1}), MethodSVD); err == nil {
		t.Error("NaN accepted")
	}
	t.Log(LAPACK)
}

// TestFingers checks the xmin_peak range on a sample with a known peak.
func TestFingers(t *testing.T) {
	// 900 values in [1, 1.1) (the peak, in log10 bins) and a Pareto tail above 2.
	r := rand.New(rand.NewPCG(1, 1))
	x := make([]float64, 1000)
	for i := range x {
		x[i] = 1 + 0.1*r.Float64()
		if i < 100 {
			x[i] = 2 * math.Pow(1-r.Float64(), -1/2.0)
		}
	}
	lo, hi := PeakRange(x, 0)
	if !(lo >= 0.95*0.95 && lo <= 0.95*1.1 && math.Abs(hi/lo-1.5/0.95) < 1e-12) {
		t.Errorf("peak range [%v, %v]; want 0.95·p, 1.5·p with p in [1, 1.1)", lo, hi)
	}
	fit, err := FitPowerLaw(x, &FitOptions{XminLo: lo, XminHi: hi})
	if err != nil || fit.Xmin < lo || fit.Xmin > hi {
		t.Errorf("xmin_peak fit %v outside [%v, %v] (%v)", fit, lo, hi, err)
	}
	for _, f := range []Fingers{FingersNone, XminPeak, ClipXmax} {
		g, err := ParseFingers(f.String())
		if err != nil || g != f {
			t.Errorf("ParseFingers(%q) = %v, %v", f, g, err)
		}
	}
}

func TestStrings(t *testing.T) {
	for _, s := range []interface{ String() string }{
		PowerLaw{}, MPFit{}, Metrics{}, LRTest{}, Truncated{}, GOF{}, Scan{}, Options{}, &Result{Status: StatusSkipped},
		Summary{}, Layer{}, ESD{}, MethodGram, ConvSlices, ResampleRows, XminPeak,
	} {
		if s.String() == "" {
			t.Errorf("%T has an empty String()", s)
		}
	}
	for _, name := range []string{"auto", "svd", "gram"} {
		if m, err := ParseMethod(name); err != nil || m.String() != name {
			t.Errorf("ParseMethod(%q) = %v, %v", name, m, err)
		}
	}
	if _, err := ParseMethod("qr"); err == nil {
		t.Error("ParseMethod(qr) succeeded")
	}
}
