package spectra

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"

	"github.com/deepglass/deepglass/internal/pool"
	"gonum.org/v1/gonum/optimize"
)

// LRTest compares the fitted power law with another law on the same tail (x ≥ xmin)
// by their log-likelihood ratio (Clauset, Shalizi & Newman 2009, §5).
type LRTest struct {
	// Alt names the alternative: "exponential", "lognormal" or "truncated_power_law".
	Alt string `json:"alt"`
	// R is Σ ln p_PL(x) − ln p_alt(x) over the tail: positive favours the power law.
	R float64 `json:"R"`
	// P is the significance of the sign of R: Vuong's two-sided test for the
	// non-nested exponential and lognormal, Wilks's χ²₁ for the nested truncated law.
	P float64 `json:"p"`
	// Params are the alternative's fitted parameters: λ; μ, σ; α, λ.
	Params []float64 `json:"params"`
}

// String returns the comparison, e.g. "power law vs lognormal: R=-3.1 p=0.04".
func (t LRTest) String() string {
	return fmt.Sprintf("power law vs %s: R=%.4g p=%.3g", t.Alt, t.R, t.P)
}

// Favours reports which law the test favours at significance level: "power_law",
// the alternative's name, or "" when the sign of R is not significant.
func (t LRTest) Favours(level float64) string {
	switch {
	case !(t.P < level):
		return ""
	case t.R > 0:
		return "power_law"
	case t.R < 0:
		return t.Alt
	}
	return ""
}

// tailOf returns the sorted values ≥ xmin.
func tailOf(x []float64, xmin float64) []float64 {
	s := slices.Clone(x)
	slices.Sort(s)
	return s[sort.SearchFloat64s(s, xmin):]
}

// plLogLik returns the pointwise log-likelihoods of the power law on the tail.
func plLogLik(tail []float64, alpha, xmin float64) []float64 {
	out := make([]float64, len(tail))
	for i, v := range tail {
		out[i] = math.Log(alpha-1) - math.Log(xmin) - alpha*math.Log(v/xmin)
	}
	return out
}

// CompareLaws tests the power law p against the exponential, the lognormal and the
// truncated power law on the tail of x (the values ≥ p.Xmin), each alternative fitted
// by maximum likelihood on the same tail.
func CompareLaws(x []float64, p PowerLaw) []LRTest {
	tail := tailOf(x, p.Xmin)
	if len(tail) < 2 || !(p.Alpha > 1) {
		return nil
	}
	lpl := plLogLik(tail, p.Alpha, p.Xmin)
	var out []LRTest
	le, lam := expLogLik(tail, p.Xmin)
	out = append(out, vuong("exponential", lpl, le, []float64{lam}))
	ll, mu, sg := lognormalFit(tail, p.Xmin)
	out = append(out, vuong("lognormal", lpl, ll, []float64{mu, sg}))
	if tp, err := FitTruncated(tail, p.Xmin); err == nil {
		lt := tp.logLik(tail)
		r := 0.0
		for i := range lpl {
			r += lpl[i] - lt[i]
		}
		out = append(out, LRTest{Alt: "truncated_power_law", R: r, P: math.Erfc(math.Sqrt(math.Abs(r))), Params: []float64{tp.Alpha, tp.Lambda}})
	}
	return out
}

// vuong builds the non-nested test from pointwise log-likelihoods: R = Σd, p =
// erfc(|R|/√(2nσ²)) with σ² the variance of d (Vuong 1989; CSN 2009 eq. 5.4).
func vuong(alt string, a, b, params []float64) LRTest {
	n := float64(len(a))
	r, mean := 0.0, 0.0
	d := make([]float64, len(a))
	for i := range a {
		d[i] = a[i] - b[i]
		r += d[i]
	}
	mean = r / n
	v := 0.0
	for _, x := range d {
		v += (x - mean) * (x - mean)
	}
	v /= n
	p := 1.0
	if v > 0 {
		p = math.Erfc(math.Abs(r) / math.Sqrt(2*n*v))
	}
	return LRTest{Alt: alt, R: r, P: p, Params: params}
}

// expLogLik fits p(x) = λe^{−λ(x−xmin)} on x ≥ xmin and returns the pointwise
// log-likelihoods and λ.
func expLogLik(tail []float64, xmin float64) ([]float64, float64) {
	mean := 0.0
	for _, v := range tail {
		mean += v - xmin
	}
	mean /= float64(len(tail))
	lam := 1 / mean
	out := make([]float64, len(tail))
	for i, v := range tail {
		out[i] = math.Log(lam) - lam*(v-xmin)
	}
	return out, lam
}

// logErfc returns ln erfc(z), accurate also where erfc underflows.
func logErfc(z float64) float64 {
	if z < 20 {
		return math.Log(math.Erfc(z))
	}
	// Asymptotic series: erfc z = e^{−z²}/(z√π)·(1 − 1/(2z²) + 3/(4z⁴) − …).
	z2 := z * z
	return -z2 - math.Log(z*math.Sqrt(math.Pi)) + math.Log(1-1/(2*z2)+3/(4*z2*z2)-15/(8*z2*z2*z2))
}

// lognormalFit fits the lognormal truncated at xmin by maximum likelihood (Nelder–Mead
// on μ and ln σ) and returns the pointwise log-likelihoods, μ and σ.
func lognormalFit(tail []float64, xmin float64) ([]float64, float64, float64) {
	lx := make([]float64, len(tail))
	m0 := 0.0
	for i, v := range tail {
		lx[i] = math.Log(v)
		m0 += lx[i]
	}
	m0 /= float64(len(tail))
	s0 := 0.0
	for _, v := range lx {
		s0 += (v - m0) * (v - m0)
	}
	s0 = math.Sqrt(s0/float64(len(tail))) + 1e-3
	lmin := math.Log(xmin)
	nll := func(p []float64) float64 {
		mu, sg := p[0], math.Exp(p[1])
		if math.IsInf(sg, 0) || sg == 0 {
			return math.Inf(1)
		}
		norm := logErfc((lmin-mu)/(sg*math.Sqrt2)) - math.Ln2
		s := 0.0
		for _, l := range lx {
			s += l + math.Log(sg) + 0.5*math.Log(2*math.Pi) + (l-mu)*(l-mu)/(2*sg*sg) + norm
		}
		return s
	}
	res, err := optimize.Minimize(optimize.Problem{Func: nll}, []float64{m0, math.Log(s0)},
		&optimize.Settings{MajorIterations: 2000, Converger: &optimize.FunctionConverge{Absolute: 1e-10, Iterations: 50}},
		&optimize.NelderMead{})
	p := []float64{m0, math.Log(s0)}
	if err == nil && res != nil && nll(res.X) < nll(p) {
		p = res.X
	}
	mu, sg := p[0], math.Exp(p[1])
	norm := logErfc((lmin-mu)/(sg*math.Sqrt2)) - math.Ln2
	out := make([]float64, len(tail))
	for i, l := range lx {
		out[i] = -(l + math.Log(sg) + 0.5*math.Log(2*math.Pi) + (l-mu)*(l-mu)/(2*sg*sg) + norm)
	}
	return out, mu, sg
}

// Truncated is a truncated power law p(x) ∝ x^{−α} e^{−λx} on x ≥ Xmin.
type Truncated struct {
	Alpha, Lambda, Xmin float64
	// LogZ is ln ∫_{xmin}^∞ x^{−α} e^{−λx} dx.
	LogZ float64
}

// String returns the parameters.
func (t Truncated) String() string {
	return fmt.Sprintf("truncated power law α=%.4g λ=%.4g xmin=%.4g", t.Alpha, t.Lambda, t.Xmin)
}

func (t Truncated) logLik(tail []float64) []float64 {
	out := make([]float64, len(tail))
	for i, v := range tail {
		out[i] = -t.Alpha*math.Log(v) - t.Lambda*v - t.LogZ
	}
	return out
}

// FitTruncated fits a truncated power law to the values of tail ≥ xmin by maximum
// likelihood (α > 0, λ > 0, as the powerlaw package allows; Nelder–Mead on ln α and ln λ).
// The normalization is xmin^{1−α}·E_α(λ·xmin), with the generalized exponential
// integral E_α computed by quadrature.
func FitTruncated(tail []float64, xmin float64) (Truncated, error) {
	var t []float64
	for _, v := range tail {
		if v >= xmin {
			t = append(t, v)
		}
	}
	if len(t) < 2 || !(xmin > 0) {
		return Truncated{}, fmt.Errorf("spectra: truncated power-law fit of %d values", len(t))
	}
	n := float64(len(t))
	var sl, sx float64
	for _, v := range t {
		sl += math.Log(v / xmin)
		sx += v
	}
	a0 := 1 + n/sl
	l0 := 1 / (sx / n)
	lz := func(a, l float64) float64 { return (1-a)*math.Log(xmin) + math.Log(expint(a, l*xmin)) }
	nll := func(p []float64) float64 {
		a, l := math.Exp(p[0]), math.Exp(p[1])
		z := lz(a, l)
		if math.IsNaN(z) || math.IsInf(z, 0) {
			return math.Inf(1)
		}
		return a*(sl+n*math.Log(xmin)) + l*sx + n*z
	}
	start := []float64{math.Log(a0), math.Log(l0)}
	res, err := optimize.Minimize(optimize.Problem{Func: nll}, start,
		&optimize.Settings{MajorIterations: 1000, Converger: &optimize.FunctionConverge{Absolute: 1e-9, Iterations: 40}},
		&optimize.NelderMead{})
	p := start
	if err == nil && res != nil && nll(res.X) <= nll(p) {
		p = res.X
	}
	a, l := math.Exp(p[0]), math.Exp(p[1])
	return Truncated{Alpha: a, Lambda: l, Xmin: xmin, LogZ: lz(a, l)}, nil
}

// expint is the generalized exponential integral E_p(z) = ∫_1^∞ e^{−zt} t^{−p} dt for
// z > 0 (or p > 1 at z = 0), as ∫_0^∞ exp(−(p−1)s − z·eˢ) ds by composite
// 10-point Gauss–Legendre quadrature on panels of width ½ up to where the integrand
// is 60 e-folds below its maximum.
func expint(p, z float64) float64 {
	if z == 0 {
		if p > 1 {
			return 1 / (p - 1)
		}
		return math.Inf(1)
	}
	g := func(s float64) float64 { return -(p-1)*s - z*math.Exp(s) }
	s0 := 0.0
	if p < 1 {
		s0 = max(0, math.Log((1-p)/z))
	}
	gmax := g(s0)
	top := s0 + 1
	for g(top) > gmax-60 {
		top = s0 + 2*(top-s0)
		if top > 1e4 {
			break
		}
	}
	panels := int(math.Ceil(top / 0.5))
	h := top / float64(panels)
	sum := 0.0
	for k := range panels {
		a := float64(k) * h
		for i, x := range glNodes {
			s := a + h/2*(x+1)
			sum += glWeights[i] * math.Exp(g(s)-gmax)
		}
	}
	return sum * h / 2 * math.Exp(gmax)
}

// 10-point Gauss–Legendre nodes and weights on [−1, 1].
var (
	glNodes = []float64{-0.9739065285171717, -0.8650633666889845, -0.6794095682990244, -0.4333953941292472, -0.1488743389816312,
		0.1488743389816312, 0.4333953941292472, 0.6794095682990244, 0.8650633666889845, 0.9739065285171717}
	glWeights = []float64{0.0666713443086881, 0.1494513491505806, 0.2190863625159820, 0.2692667193099963, 0.2955242247147529,
		0.2955242247147529, 0.2692667193099963, 0.2190863625159820, 0.1494513491505806, 0.0666713443086881}
)

// GOF is the goodness of fit of a power law by the semi-parametric bootstrap of
// Clauset, Shalizi & Newman (2009, §4.1).
type GOF struct {
	// P is the share of synthetic samples whose fitted D is at least the data's; Err
	// its binomial standard error √(P(1−P)/Replicates).
	P, Err float64
	// Replicates is the number of synthetic samples.
	Replicates int
}

// String returns the p-value with its error.
func (g GOF) String() string {
	return fmt.Sprintf("KS p = %.3f ± %.3f (%d replicates)", g.P, g.Err, g.Replicates)
}

// GoodnessOfFit returns the KS p-value of the fit p of x: each of replicates synthetic
// samples has len(x) values, each drawn with probability tail/len(x) from the fitted
// power law above xmin (x = xmin·(1−u)^{−1/(α−1)}) and otherwise uniformly from the
// values of x below xmin; it is fitted by the same scan (with opts), and P is the share
// of synthetic D ≥ the data's D. Replicate k draws from its own stream of seed, so
// the result does not depend on the number of goroutines.
func GoodnessOfFit(ctx context.Context, x []float64, p PowerLaw, opts *FitOptions, replicates int, seed uint64) (GOF, error) {
	if replicates < 1 || !(p.Alpha > 1) {
		return GOF{}, fmt.Errorf("spectra: goodness of fit with %d replicates of α=%g", replicates, p.Alpha)
	}
	s := slices.Clone(x)
	slices.Sort(s)
	body := s[:sort.SearchFloat64s(s, p.Xmin)]
	ptail := float64(len(s)-len(body)) / float64(len(s))
	ds := make([]float64, replicates)
	err := parallel(ctx, replicates, func(k int) error {
		r := rand.New(stream(seed, purposeGOF, k))
		y := make([]float64, len(s))
		for i := range y {
			if len(body) == 0 || r.Float64() < ptail {
				y[i] = p.Xmin * math.Pow(1-r.Float64(), -1/(p.Alpha-1))
			} else {
				y[i] = body[r.IntN(len(body))]
			}
		}
		f, err := FitPowerLaw(y, opts)
		if err != nil {
			ds[k] = math.Inf(1) // no fit counts as worse than the data's
			return nil
		}
		ds[k] = f.D
		return nil
	})
	if err != nil {
		return GOF{}, err
	}
	ge := 0
	for _, d := range ds {
		if d >= p.D {
			ge++
		}
	}
	pv := float64(ge) / float64(replicates)
	return GOF{P: pv, Err: math.Sqrt(pv * (1 - pv) / float64(replicates)), Replicates: replicates}, nil
}

// Purposes of the random streams (see stream).
const (
	purposeGOF = iota + 1
	purposeBootstrap
	purposeShuffle
)

// stream returns the random stream of replicate k for a purpose: a PCG seeded by
// SplitMix64 hashes of (seed, purpose, k), so replicates are independent of
// scheduling.
func stream(seed uint64, purpose, k int) *rand.PCG {
	h := splitmix(seed ^ splitmix(uint64(purpose)<<32^uint64(k)))
	return rand.NewPCG(h, splitmix(h))
}

func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// parallel runs f(0), …, f(n−1) on up to GOMAXPROCS goroutines, stopping early when ctx
// is cancelled or f fails; it returns the first error in index order (internal/pool).
func parallel(ctx context.Context, n int, f func(k int) error) error {
	return pool.Each(ctx, n, 0, func(_ context.Context, k, _ int) error { return f(k) })
}
