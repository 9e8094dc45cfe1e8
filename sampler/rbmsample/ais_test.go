package rbmsample

import (
	"math"
	"math/rand/v2"
	"runtime"
	"testing"
	"time"

	"github.com/deepglass/deepglass/models"
	"github.com/deepglass/deepglass/sampler"
)

// TestAISvsExact is the issue-5 check: AIS agrees with the exact ln Z within 0.1 nats
// for nv = 16, nh = 12 and random weights W ~ N(0, σ²), σ = 0.5 and 1.
func TestAISvsExact(t *testing.T) {
	for _, tt := range []struct {
		name   string
		sigma  float64
		biases bool
		seed   uint64
		full   bool // the full S&M schedule (15000 steps) instead of a fifth of it
	}{
		{"σ=0.5", 0.5, false, 1, false},
		{"σ=1", 1, false, 2, false},
		{"σ=1,biases", 1, true, 3, false},
		{"σ=1,S&M-schedule", 1, false, 4, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if tt.full && testing.Short() {
				t.Skip("full schedule skipped in -short")
			}
			rng := rand.New(rand.NewPCG(tt.seed, 5))
			r := models.RandomRBM(16, 12, tt.sigma, rng)
			if tt.biases {
				for i := range r.A {
					r.A[i] = rng.NormFloat64()
				}
				for j := range r.B {
					r.B[j] = rng.NormFloat64()
				}
			}
			exact, err := r.LogZ()
			if err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			// A fifth of the S&M schedule keeps the test short; 100 chains as in S&M.
			opts := AISOptions{Betas: AISBetas(200, 800, 2000), Seed: tt.seed}
			if tt.full {
				opts.Betas = nil
			}
			res := AIS(r, opts)
			el := time.Since(start)
			diff := res.LogZ - exact
			t.Logf("%s: exact ln Z = %.5f, AIS %v, diff = %+.4f (%.1f se), %v", tt.name, exact, res, diff, diff/res.Err, el)
			if math.Abs(diff) > 0.1 {
				t.Errorf("AIS ln Z = %.4f; exact %.4f (|diff| %.3f > 0.1)", res.LogZ, exact, math.Abs(diff))
			}
			if math.Abs(diff) > 4*res.Err+0.01 {
				t.Errorf("AIS ln Z = %.4f ± %.4f; exact %.4f: error estimate too small", res.LogZ, res.Err, exact)
			}
		})
	}
}

// TestAISExactBase checks the estimator on trivial cases: with W = 0 and b = 0 the base
// model with a0 = a is exact, and every weight is 0.
func TestAISExactBase(t *testing.T) {
	r := models.NewRBM(5, 3)
	for i := range r.A {
		r.A[i] = float64(i) - 2
	}
	exact, err := r.LogZ()
	if err != nil {
		t.Fatal(err)
	}
	res := AIS(r, AISOptions{Betas: AISBetas(3, 3, 3), Chains: 7, A0: r.A})
	if math.Abs(res.LogZ-exact) > 1e-12 || res.Err != 0 {
		t.Errorf("AIS = %v; want exactly %v", res, exact)
	}
	if math.Abs(res.LogZ0-exact) > 1e-12 {
		t.Errorf("LogZ0 = %v; want %v", res.LogZ0, exact)
	}
}

// TestAISReproducible checks that the result does not depend on Workers or GOMAXPROCS.
func TestAISReproducible(t *testing.T) {
	r := models.RandomRBM(10, 6, 1, rand.New(rand.NewPCG(3, 3)))
	opts := AISOptions{Betas: AISBetas(20, 20, 20), Chains: 13, Seed: 9}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	opts.Workers = 1
	want := AIS(r, opts)
	for _, procs := range []int{1, 2, 4} {
		runtime.GOMAXPROCS(procs)
		for _, w := range []int{0, 1, 3, 13} {
			opts.Workers = w
			got := AIS(r, opts)
			for c := range want.LogWeights {
				if got.LogWeights[c] != want.LogWeights[c] {
					t.Fatalf("GOMAXPROCS=%d Workers=%d: ln w[%d] = %v; want %v", procs, w, c, got.LogWeights[c], want.LogWeights[c])
				}
			}
			if got.LogZ != want.LogZ || got.Err != want.Err {
				t.Fatalf("GOMAXPROCS=%d Workers=%d: %v; want %v", procs, w, got, want)
			}
		}
	}
}

func TestAISBetas(t *testing.T) {
	b := DefaultAISBetas()
	if len(b) != 15001 || b[0] != 0 || b[1000] != 0.5 || math.Abs(b[5000]-0.9) > 1e-15 || b[15000] != 1 {
		t.Errorf("DefaultAISBetas: len %d, b[0]=%v b[1000]=%v b[5000]=%v b[15000]=%v", len(b), b[0], b[1000], b[5000], b[15000])
	}
	for k := 1; k < len(b); k++ {
		if !(b[k] > b[k-1]) {
			t.Fatalf("not increasing at %d", k)
		}
	}
	a0 := BaseRate([][]float64{{1, 0}, {1, 0}, {1, 1}})
	// p = (3.5/4, 1.5/4).
	if math.Abs(a0[0]-math.Log(7)) > 1e-14 || math.Abs(a0[1]-math.Log(0.6)) > 1e-14 {
		t.Errorf("BaseRate = %v; want [ln 7, ln 0.6]", a0)
	}
}

// rbmExactSamples draws n exact samples of p(v) of a small-nh RBM: h from the hidden
// marginal p(h) ∝ e^{-F(h)} by enumeration, then v from P(v|h).
func rbmExactSamples(r *models.RBM, n int, src *rand.PCG) [][]float64 {
	nh := r.NH()
	h := make([]float64, nh)
	lp := make([]float64, 1<<nh)
	m := math.Inf(-1)
	for y := range lp {
		for j := range h {
			h[j] = float64(y >> j & 1)
		}
		lp[y] = -r.FreeEnergyHidden(h)
		m = math.Max(m, lp[y])
	}
	cum, s := make([]float64, len(lp)), 0.0
	for y := range lp {
		s += math.Exp(lp[y] - m)
		cum[y] = s
	}
	out := make([][]float64, n)
	pv := make([]float64, r.NV())
	for d := range out {
		u := uniform(src) * s
		y := 0
		for y < len(cum)-1 && cum[y] <= u {
			y++
		}
		for j := range h {
			h[j] = float64(y >> j & 1)
		}
		r.VisibleProbs(pv, h)
		v := make([]float64, len(pv))
		for i, p := range pv {
			if uniform(src) < p {
				v[i] = 1
			}
		}
		out[d] = v
	}
	return out
}

// TestReverseAIS checks reverse AIS against the exact ln Z (nv = 16, nh = 12, σ = 1)
// from exact starting samples and from burnt-in Gibbs chains, and that forward and
// reverse estimates sit on either side of the exact value within their errors.
func TestReverseAIS(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 5))
	r := models.RandomRBM(16, 12, 1, rng)
	exact, err := r.LogZ()
	if err != nil {
		t.Fatal(err)
	}
	opts := AISOptions{Betas: AISBetas(200, 800, 2000), Seed: 8}
	fwd := AIS(r, opts)
	start := rbmExactSamples(r, 100, sampler.NewStream(8, sampler.PurposeData, 0, 0))
	for _, tt := range []struct {
		name   string
		start  [][]float64
		burnin int
	}{
		{"exact-start", start, 0},
		{"gibbs-start", nil, 200},
	} {
		rev := ReverseAIS(r, opts, tt.start, tt.burnin)
		t.Logf("%s: exact %.5f, forward %v (diff %+.4f), reverse %v (diff %+.4f)",
			tt.name, exact, fwd, fwd.LogZ-exact, rev, rev.LogZ-exact)
		if math.Abs(rev.LogZ-exact) > 0.1 {
			t.Errorf("%s: reverse AIS ln Z = %.4f; exact %.4f (|diff| > 0.1)", tt.name, rev.LogZ, exact)
		}
		if rev.LogZ < exact-4*rev.Err-0.01 || fwd.LogZ > exact+4*fwd.Err+0.01 {
			t.Errorf("%s: bracket [%.4f ± %.4f, %.4f ± %.4f] misses exact %.4f", tt.name, fwd.LogZ, fwd.Err, rev.LogZ, rev.Err, exact)
		}
	}
}

func BenchmarkAIS(b *testing.B) {
	r := models.RandomRBM(16, 12, 1, rand.New(rand.NewPCG(2, 5)))
	opts := AISOptions{Betas: AISBetas(100, 400, 1000), Workers: 1}
	for b.Loop() {
		AIS(r, opts)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*1500*100), "ns/chain-step")
}

// TestAISBaseRateFromData runs AIS with the base-rate model taken from data (exact
// samples of the RBM, biased visible units) and checks it against the exact ln Z.
func TestAISBaseRateFromData(t *testing.T) {
	r := randomTestRBM(16, 12, 1, 17)
	for i := range r.A {
		r.A[i] += 1.5 // strongly biased visible units, where the base rate matters
	}
	exact, err := r.LogZ()
	if err != nil {
		t.Fatal(err)
	}
	data := rbmExactSamples(r, 500, sampler.NewStream(17, sampler.PurposeData, 0, 0))
	res := AIS(r, AISOptions{Betas: AISBetas(200, 800, 2000), Seed: 17, Data: data})
	lz0 := 12 * math.Ln2
	for _, a := range BaseRate(data) {
		lz0 += models.Softplus(a)
	}
	if math.Abs(res.LogZ0-lz0) > 1e-12 {
		t.Errorf("LogZ0 = %v; want %v", res.LogZ0, lz0)
	}
	unif := AIS(r, AISOptions{Betas: AISBetas(200, 800, 2000), Seed: 17})
	t.Logf("exact %.5f; base rate from data: %v (diff %+.4f); uniform base: %v (diff %+.4f)",
		exact, res, res.LogZ-exact, unif, unif.LogZ-exact)
	if math.Abs(res.LogZ-exact) > 0.1 {
		t.Errorf("AIS ln Z = %.4f; exact %.4f (|diff| > 0.1)", res.LogZ, exact)
	}
}
