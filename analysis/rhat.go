package analysis

import (
	"fmt"
	"math"
)

// RHat returns the split potential scale reduction factor R̂ of several Markov chains
// of one observable (Gelman & Rubin, Stat. Sci. 7, 457 (1992), in the split form of
// Gelman et al., Bayesian Data Analysis, 3rd ed., §11.4): each chain is cut into two
// halves, and with m halves of n values each, W the mean within-half variance and B/n
// the variance of the half means,
//
//	R̂ = √( ((n−1)/n·W + B/n) / W ).
//
// R̂ is close to 1 when every chain samples the same distribution, and large when the
// chains sit in different regions: a chain stuck in a valley of a glassy landscape
// (below T_c of the REM, for single-spin Metropolis) gives R̂ ≫ 1 against chains stuck
// elsewhere. A common threshold for "not converged" is R̂ > 1.1 (1.01 for strict
// work). Chains of different lengths are cut to the shortest. It returns NaN with fewer
// than two chains or fewer than four values per chain, and 1 when all values are equal.
func RHat(chains ...[]float64) float64 {
	if len(chains) < 2 {
		return math.NaN()
	}
	n := len(chains[0])
	for _, c := range chains {
		n = min(n, len(c))
	}
	half := n / 2
	if half < 2 {
		return math.NaN()
	}
	var means, vars []float64
	for _, c := range chains {
		for _, part := range [][]float64{c[:half], c[n-half : n]} {
			var s float64
			for _, x := range part {
				s += x
			}
			mu := s / float64(half)
			var v float64
			for _, x := range part {
				v += (x - mu) * (x - mu)
			}
			means = append(means, mu)
			vars = append(vars, v/float64(half-1))
		}
	}
	m := float64(len(means))
	var grand, w float64
	for k := range means {
		grand += means[k]
		w += vars[k]
	}
	grand /= m
	w /= m
	var b float64
	for _, mu := range means {
		b += (mu - grand) * (mu - grand)
	}
	b *= float64(half) / (m - 1)
	if w == 0 {
		if b == 0 {
			return 1
		}
		return math.Inf(1)
	}
	hf := float64(half)
	return math.Sqrt(((hf-1)/hf*w + b/hf) / w)
}

// Converged reports whether R̂ of the chains is at most threshold (1.1 if threshold ≤
// 0), and returns R̂.
func Converged(threshold float64, chains ...[]float64) (bool, float64) {
	if threshold <= 0 {
		threshold = 1.1
	}
	r := RHat(chains...)
	return r <= threshold, r
}

// ConvergenceWarning returns a warning for an observable whose chains disagree (R̂
// above threshold, 1.1 if threshold ≤ 0, or undefined), or "" when they agree.
func ConvergenceWarning(name string, threshold float64, chains ...[]float64) string {
	if threshold <= 0 {
		threshold = 1.1
	}
	ok, r := Converged(threshold, chains...)
	if ok {
		return ""
	}
	return fmt.Sprintf("%s: independent chains disagree (R̂ = %.3g > %.3g): the sampler is stuck and the estimate is not trustworthy", name, r, threshold)
}
