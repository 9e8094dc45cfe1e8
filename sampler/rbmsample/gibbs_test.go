package rbmsample

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/deepglass/deepglass/models"
	"github.com/deepglass/deepglass/sampler"
)

// randomTestRBM returns an RBM with weights and biases drawn from N(0, sigma²).
func randomTestRBM(nv, nh int, sigma float64, seed uint64) *models.RBM {
	rng := rand.New(rand.NewPCG(seed, 11))
	r := models.RandomRBM(nv, nh, sigma, rng)
	for i := range r.A {
		r.A[i] = sigma * rng.NormFloat64()
	}
	for j := range r.B {
		r.B[j] = sigma * rng.NormFloat64()
	}
	return r
}

// rbmExactVisible returns p_β(v) ∝ Σ_h e^{-βE(v,h)} over the 2^nv visible states (bit i
// of the index is v_i), by brute force over (v, h).
func rbmExactVisible(r *models.RBM, beta float64) []float64 {
	nv, nh := r.NV(), r.NH()
	v, h := make([]float64, nv), make([]float64, nh)
	p := make([]float64, 1<<nv)
	z := 0.0
	for x := range p {
		for i := range v {
			v[i] = float64(x >> i & 1)
		}
		for y := range 1 << nh {
			for j := range h {
				h[j] = float64(y >> j & 1)
			}
			p[x] += math.Exp(-beta * r.Energy(v, h))
		}
		z += p[x]
	}
	for x := range p {
		p[x] /= z
	}
	return p
}

// TestBlockGibbsDistribution compares the visible histogram of a long chain with exact
// p_β(v), state by state, with errors from batch means (64 batches) so that
// autocorrelation is accounted for: every |z| < 4.
func TestBlockGibbsDistribution(t *testing.T) {
	steps := 1 << 20
	if testing.Short() {
		steps = 1 << 18
	}
	const nv, nh, batches = 4, 3, 64
	for _, tt := range []struct {
		beta  float64
		sigma float64
		seed  uint64
	}{
		{1, 1, 1},
		{0.5, 2, 2},
		{1, 2, 3},
	} {
		r := randomTestRBM(nv, nh, tt.sigma, tt.seed)
		want := rbmExactVisible(r, tt.beta)
		c := NewRBMChain(r, sampler.NewStream(tt.seed, sampler.PurposeChain, 0, 0))
		g := BlockGibbs{RBM: r, Beta: tt.beta}
		g.Run(c, 100)
		per := steps / batches
		var sum, sum2 [1 << nv]float64
		for range batches {
			var n [1 << nv]int
			for range per {
				g.Step(c)
				x := 0
				for i, vi := range c.V {
					x |= int(vi) << i
				}
				n[x]++
			}
			for x := range n {
				f := float64(n[x]) / float64(per)
				sum[x] += f
				sum2[x] += f * f
			}
		}
		worst := 0.0
		for x := range want {
			m := sum[x] / batches
			se := math.Sqrt((sum2[x]/batches - m*m) / (batches - 1))
			z := (m - want[x]) / se
			worst = math.Max(worst, math.Abs(z))
			if math.Abs(z) > 4 {
				t.Errorf("β=%v σ=%v: p(v=%04b) = %.5f ± %.5f; want %.5f (z = %.1f)", tt.beta, tt.sigma, x, m, se, want[x], z)
			}
		}
		t.Logf("β=%v σ=%v: %d steps, max |z| over 16 states = %.2f", tt.beta, tt.sigma, steps, worst)
	}
}

func TestBlockGibbsNoAllocs(t *testing.T) {
	r := randomTestRBM(20, 10, 1, 5)
	c := NewRBMChain(r, sampler.NewStream(1, sampler.PurposeChain, 0, 0))
	g := BlockGibbs{RBM: r, Beta: 1}
	if a := testing.AllocsPerRun(100, func() { g.Step(c) }); a != 0 {
		t.Errorf("BlockGibbs.Step allocates %v times; want 0", a)
	}
	if c.String() == "" || g.String() == "" {
		t.Error("empty String()")
	}
}

func BenchmarkBlockGibbs(b *testing.B) {
	r := randomTestRBM(784, 256, 0.05, 1)
	c := NewRBMChain(r, sampler.NewStream(1, sampler.PurposeChain, 0, 0))
	g := BlockGibbs{RBM: r, Beta: 1}
	for b.Loop() {
		g.Step(c)
	}
}

// TestRBMTemperingDistribution checks every temperature of RBM parallel tempering
// against the exact p_β(v) (nv = 4, nh = 3, strong weights), with batch-mean errors.
func TestRBMTemperingDistribution(t *testing.T) {
	steps := 1 << 19
	if testing.Short() {
		steps = 1 << 17
	}
	const nv, nh, batches = 4, 3, 64
	r := randomTestRBM(nv, nh, 3, 6)
	betas := []float64{0.2, 0.45, 0.7, 1}
	chains := make([]*RBMChain, len(betas))
	for k := range chains {
		chains[k] = NewRBMChain(r, sampler.NewStream(6, sampler.PurposeChain, 0, k))
	}
	pt := NewRBMTempering(r, betas, chains, sampler.NewStream(6, sampler.PurposeSwap, 0, 0))
	for range 100 {
		pt.Sweep()
	}
	per := steps / batches
	sum := make([][1 << nv]float64, len(betas))
	sum2 := make([][1 << nv]float64, len(betas))
	for range batches {
		n := make([][1 << nv]int, len(betas))
		for range per {
			pt.Sweep()
			for k := range betas {
				x := 0
				for i, vi := range pt.ChainAt(k).V {
					x |= int(vi) << i
				}
				n[k][x]++
			}
		}
		for k := range betas {
			for x := range n[k] {
				f := float64(n[k][x]) / float64(per)
				sum[k][x] += f
				sum2[k][x] += f * f
			}
		}
	}
	for k, b := range betas {
		want := rbmExactVisible(r, b)
		worst := 0.0
		for x := range want {
			m := sum[k][x] / batches
			// Floor: the binomial error of independent draws, for states too rare to be seen.
			se := math.Max(math.Sqrt(math.Max(sum2[k][x]/batches-m*m, 0)/(batches-1)),
				math.Sqrt(want[x]*(1-want[x])/float64(steps)))
			z := (m - want[x]) / se
			worst = math.Max(worst, math.Abs(z))
			if math.Abs(z) > 4 {
				t.Errorf("β=%v: p(v=%04b) = %.5f ± %.5f; want %.5f (z = %.1f)", b, x, m, se, want[x], z)
			}
		}
		t.Logf("β=%v: max |z| over 16 states = %.2f", b, worst)
	}
	t.Log(pt)
	if pt.Cold() != pt.ChainAt(len(betas)-1) {
		t.Error("Cold() is not the chain at the last β")
	}
	if a := testing.AllocsPerRun(50, pt.Sweep); a != 0 {
		t.Errorf("RBMTempering.Step allocates %v times; want 0", a)
	}
}
