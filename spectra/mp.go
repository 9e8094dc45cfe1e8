package spectra

import (
	"fmt"
	"math"
	"slices"
	"sort"
)

// MPFit is a Marchenko–Pastur fit of an ESD's bulk, as WeightWatcher's mp_fit makes it.
type MPFit struct {
	// Q = N/M is the aspect ratio.
	Q float64
	// Scale is √(len(λ)/Σλ): the ESD is fitted after λ → Scale²·λ, which makes its
	// mean 1 (WeightWatcher's W_scale).
	Scale float64
	// Sigma is σ_MP of the rescaled ESD: the bulk of a random matrix gives σ = 1.
	Sigma float64
	// BulkMax and BulkMin are the bulk edges λ± = σ²(1 ± 1/√Q)², in the units of the
	// ESD (not rescaled).
	BulkMax, BulkMin float64
	// TWMax is the spike threshold: the rescaled edge plus the Tracy–Widom margin
	// √(Q^{−1/2} λ₊^{2/3} M^{−2/3}), in the units of the ESD.
	TWMax float64
	// NumSpikes counts the eigenvalues above TWMax.
	NumSpikes int
	// Softrank is mp_softrank, λ₊/λ_max.
	Softrank float64
	// Residual is the fit's sum of squared differences between the MP density and the
	// kernel density estimate of the ESD.
	Residual float64
	// AtBound reports a σ at an end of the searched range [0.05, 2)·s: the bulk was not
	// found (typically when a few huge eigenvalues hold most of the trace), and the
	// edge is unreliable.
	AtBound bool
}

// String returns σ, the edge and the spikes.
func (f MPFit) String() string {
	return fmt.Sprintf("MP fit: Q=%.3g σ=%.4g λ+=%.4g spikes=%d softrank=%.3g", f.Q, f.Sigma, f.BulkMax, f.NumSpikes, f.Softrank)
}

// FitMP fits the Marchenko–Pastur law to the eigenvalues evals of a layer whose
// matrices are N×M (N ≥ M), as WeightWatcher 0.7.5 does (RMT_Util.fit_density_with_range
// and WeightWatcher.mp_fit):
//
//   - the ESD is rescaled to mean 1;
//   - its density is estimated with a linear kernel of bandwidth 0.1 on 1000 points
//     of [0, λ_max + 0.5], keeping the points where the estimate exceeds 0.01;
//   - σ minimizes the sum of squared differences between the MP density of ratio
//     Q = N/M and the estimate, by a grid search over σ ∈ [0.05, 2)·s in steps of
//     0.01·s (s = √λ_max/(1 + 1/√Q)) followed by Nelder–Mead from the best point
//     (scipy's brute with its default fmin finish); a σ whose edges miss the estimate's
//     peak or range is penalised;
//   - for Q = 1, the quarter-circle law (1/πσ²)√(4 − ν²) is fitted to the singular
//     values ν = √λ instead, as WeightWatcher does;
//   - spikes are the eigenvalues above λ₊ + √(Q^{−1/2} λ₊^{2/3} M^{−2/3}).
//
// evals must be non-empty, finite and non-negative, with a positive sum.
func FitMP(evals []float64, N, M int) (MPFit, error) {
	if len(evals) == 0 || N < 1 || M < 1 {
		return MPFit{}, fmt.Errorf("spectra: MP fit of %d eigenvalues (N=%d, M=%d)", len(evals), N, M)
	}
	sum := 0.0
	for _, v := range evals {
		if !(v >= 0) || math.IsInf(v, 0) {
			return MPFit{}, fmt.Errorf("spectra: MP fit of an eigenvalue %v", v)
		}
		sum += v
	}
	if !(sum > 0) {
		return MPFit{}, fmt.Errorf("spectra: MP fit of an ESD with zero trace")
	}
	Q := float64(N) / float64(M)
	scale := math.Sqrt(float64(len(evals))) / math.Sqrt(sum)
	x := make([]float64, len(evals))
	for i, v := range evals {
		x[i] = scale * scale * v
	}
	slices.Sort(x)
	lmax := x[len(x)-1]
	toFit := x
	if Q == 1 {
		toFit = make([]float64, len(x))
		for i, v := range x {
			toFit[i] = math.Sqrt(v)
		}
	}
	obj := newMPObjective(toFit, Q, 0.1)
	// σ range of WeightWatcher's issue #60 fix: s is the σ that puts the edge at λ_max.
	s := math.Sqrt(lmax / ((1 + 1/math.Sqrt(Q)) * (1 + 1/math.Sqrt(Q))))
	lo, hi, step := 0.05*s, 2.0*s, 0.01*s
	n := int(math.Ceil((hi - lo) / step))
	best, bestF := lo, math.Inf(1)
	for k := range n {
		sg := lo + float64(k)*step
		if f := obj.f(sg); f < bestF {
			best, bestF = sg, f
		}
	}
	sigma, res := fmin1(obj.f, best)
	atBound := sigma <= lo*(1+1e-6) || sigma >= hi-step
	bulkMax := math.Pow(sigma*(1+1/math.Sqrt(Q)), 2)
	bulkMin := math.Pow(sigma*(1-1/math.Sqrt(Q)), 2)
	tw := 1 / math.Sqrt(Q) * math.Pow(bulkMax, 2.0/3) * math.Pow(float64(M), -2.0/3)
	twMax := bulkMax + math.Sqrt(tw)
	spikes := len(x) - sort.Search(len(x), func(i int) bool { return x[i] > twMax })
	s2 := scale * scale
	return MPFit{Q: Q, Scale: scale, Sigma: sigma, BulkMax: bulkMax / s2, BulkMin: bulkMin / s2, TWMax: twMax / s2,
		NumSpikes: spikes, Softrank: bulkMax / lmax, Residual: res, AtBound: atBound}, nil
}

// mpObjective is WeightWatcher's resid_mp with allresid=False: the squared distance
// between the MP (or quarter-circle) density and a kernel density estimate.
type mpObjective struct {
	q        float64
	x, y     []float64 // grid points where the estimate exceeds 0.01, and the estimate
	peak     float64   // the grid point of the estimate's maximum
	xmaxGood float64
}

// newMPObjective estimates the density of the sorted values v with a linear kernel of
// bandwidth bw (scikit-learn's KernelDensity(kernel='linear')): (1/(n·bw)) Σ (1 − |x−v_i|/bw)₊.
func newMPObjective(v []float64, q, bw float64) *mpObjective {
	n := len(v)
	prefix := make([]float64, n+1)
	for i, x := range v {
		prefix[i+1] = prefix[i] + x
	}
	top := v[n-1] + 0.5
	o := &mpObjective{q: q}
	peakY := -1.0
	const points, thresh = 1000, 0.01
	for k := range points {
		x := top * float64(k) / float64(points-1) // np.linspace(0, top, 1000)
		a := sort.SearchFloat64s(v, x-bw)         // first v_i ≥ x − bw
		b := sort.SearchFloat64s(v, x)            // first v_i ≥ x
		c := sort.Search(n, func(i int) bool { return v[i] >= x+bw })
		// Σ over v_i ∈ (x−bw, x+bw) of 1 − |x − v_i|/bw; v_i = x ± bw contribute 0.
		below := float64(b-a)*x - (prefix[b] - prefix[a])
		above := (prefix[c] - prefix[b]) - float64(c-b)*x
		y := (float64(c-a) - (below+above)/bw) / (float64(n) * bw)
		if !(y > thresh) {
			continue
		}
		o.x, o.y = append(o.x, x), append(o.y, y)
		if y > peakY {
			o.peak, peakY = x, y
		}
		o.xmaxGood = x
	}
	return o
}

// f is the objective at σ.
func (o *mpObjective) f(sigma float64) float64 {
	sum := 0.0
	if o.q == 1 {
		for i, x := range o.x {
			d := nanToNum(1/(math.Pi*sigma*sigma)*math.Sqrt(4-x*x)) - o.y[i]
			sum += d * d
		}
		return sum
	}
	b := math.Pow(sigma*(1+math.Sqrt(1/o.q)), 2)
	a := math.Pow(sigma*(1-math.Sqrt(1/o.q)), 2)
	if b < o.peak || b > o.xmaxGood || a > o.peak {
		return 1e6 * float64(len(o.x)) // every residual set to 1000
	}
	y := 1 / o.q
	for i, x := range o.x {
		d := nanToNum(1/(2*math.Pi*sigma*sigma*x*y)*math.Sqrt((b-x)*(x-a))) - o.y[i]
		sum += d * d
	}
	return sum
}

// nanToNum is numpy's nan_to_num: NaN → 0, ±Inf → ±MaxFloat64.
func nanToNum(v float64) float64 {
	switch {
	case math.IsNaN(v):
		return 0
	case math.IsInf(v, 1):
		return math.MaxFloat64
	case math.IsInf(v, -1):
		return -math.MaxFloat64
	}
	return v
}

// MPDensity is the Marchenko–Pastur density of ratio Q = N/M and scale σ at x:
// √((λ₊−x)(x−λ₋))/(2πσ²x/Q), zero outside [λ₋, λ₊].
func MPDensity(x, Q, sigma float64) float64 {
	b := math.Pow(sigma*(1+math.Sqrt(1/Q)), 2)
	a := math.Pow(sigma*(1-math.Sqrt(1/Q)), 2)
	if x <= a || x >= b || x <= 0 {
		return 0
	}
	return math.Sqrt((b-x)*(x-a)) / (2 * math.Pi * sigma * sigma * x / Q)
}

// fmin1 minimizes f from x0 by Nelder–Mead in one dimension with scipy.optimize.fmin's
// defaults: initial step 5% of x0 (0.00025 at 0), reflection 1, expansion 2,
// contraction 0.5, shrink 0.5, stop when both the simplex and its values span at most
// 1e-4, or after 200 iterations or evaluations. It returns the best point and value.
func fmin1(f func(float64) float64, x0 float64) (float64, float64) {
	const rho, chi, psi, sig, xtol, ftol, maxIter = 1.0, 2.0, 0.5, 0.5, 1e-4, 1e-4, 200
	x1 := 0.00025
	if x0 != 0 {
		x1 = 1.05 * x0
	}
	sim := [2]float64{x0, x1}
	fs := [2]float64{f(x0), f(x1)}
	calls := 2
	order := func() {
		if fs[1] < fs[0] { // a stable sort of two: ties keep their order
			sim[0], sim[1] = sim[1], sim[0]
			fs[0], fs[1] = fs[1], fs[0]
		}
	}
	order()
	for it := 1; it < maxIter && calls < maxIter; it++ {
		if math.Abs(sim[1]-sim[0]) <= xtol && math.Abs(fs[0]-fs[1]) <= ftol {
			break
		}
		xbar := sim[0]
		xr := (1+rho)*xbar - rho*sim[1]
		fxr := f(xr)
		calls++
		shrink := false
		if fxr < fs[0] {
			xe := (1+rho*chi)*xbar - rho*chi*sim[1]
			fxe := f(xe)
			calls++
			if fxe < fxr {
				sim[1], fs[1] = xe, fxe
			} else {
				sim[1], fs[1] = xr, fxr
			}
		} else { // fs[0] ≤ fxr; with one dimension fxr < fs[-2] = fs[0] never holds
			if fxr < fs[1] {
				xc := (1+psi*rho)*xbar - psi*rho*sim[1]
				fxc := f(xc)
				calls++
				if fxc <= fxr {
					sim[1], fs[1] = xc, fxc
				} else {
					shrink = true
				}
			} else {
				xcc := (1-psi)*xbar + psi*sim[1]
				fxcc := f(xcc)
				calls++
				if fxcc < fs[1] {
					sim[1], fs[1] = xcc, fxcc
				} else {
					shrink = true
				}
			}
			if shrink {
				sim[1] = sim[0] + sig*(sim[1]-sim[0])
				fs[1] = f(sim[1])
				calls++
			}
		}
		order()
	}
	return sim[0], fs[0]
}
