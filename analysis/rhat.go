package analysis

import (
	"fmt"
	"math"
	"slices"
	"sort"

	"gonum.org/v1/gonum/stat/distuv"
)

// RHat returns the rank-normalized split-R̂ of Vehtari, Gelman, Simpson, Carpenter &
// Bürkner (2021, "Rank-normalization, folding, and localization: an improved R̂ for
// assessing convergence of MCMC", Bayesian Analysis 16, 667), the convergence
// diagnostic across independent chains: each chain is split into halves (a middle
// draw of an odd-length chain is dropped), all draws are replaced by the normal scores
// of their pooled ranks, z = Φ⁻¹((r − 3/8)/(S + 1/4)), and the classic potential scale
// reduction
//
//	R̂ = sqrt(((n−1)/n · W + B/n) / W)
//
// (W the mean within-half variance, B/n the variance of the half means) is computed
// for these z ("bulk") and for the folded draws |x − median| ("tail"); RHat is the
// larger. It is ≈ 1 for chains that sample one distribution and grows when they sit in
// different places or spread differently; Vehtari et al. recommend R̂ < 1.01 for
// final results with many draws. With one chain it is still defined (its two halves
// are compared) but cannot see a chain stuck for its whole length.
//
// The draws may be bin means of long chains (batch means): what matters is that they
// are many per chain (say ≥ 20 per half). It returns NaN with fewer than 4 draws per
// half, 1 when every draw is equal (nothing to compare: no fluctuation at all), and
// +Inf when the halves are constant but differ.
func RHat(chains ...[]float64) float64 {
	halves := splitHalves(chains)
	if halves == nil {
		return math.NaN()
	}
	bulk := rhatClassic(normalScores(halves))
	// Tail: fold around the pooled median.
	var pooled []float64
	for _, h := range halves {
		pooled = append(pooled, h...)
	}
	med := median(pooled)
	folded := make([][]float64, len(halves))
	for i, h := range halves {
		folded[i] = make([]float64, len(h))
		for k, x := range h {
			folded[i][k] = math.Abs(x - med)
		}
	}
	tail := rhatClassic(normalScores(folded))
	if math.IsNaN(bulk) {
		return tail
	}
	if math.IsNaN(tail) {
		return bulk
	}
	return max(bulk, tail)
}

// splitHalves splits each chain into two halves of equal length n, the shortest chain
// setting n; nil when n < 4.
func splitHalves(chains [][]float64) [][]float64 {
	n := math.MaxInt
	for _, c := range chains {
		n = min(n, len(c)/2)
	}
	if len(chains) == 0 || n < 4 {
		return nil
	}
	out := make([][]float64, 0, 2*len(chains))
	for _, c := range chains {
		out = append(out, c[:n], c[len(c)-n:])
	}
	return out
}

// normalScores replaces the draws by the normal scores of their ranks in the pooled
// draws (ties get their average rank).
func normalScores(seqs [][]float64) [][]float64 {
	type draw struct {
		x    float64
		i, k int
	}
	var all []draw
	for i, s := range seqs {
		for k, x := range s {
			all = append(all, draw{x, i, k})
		}
	}
	sort.Slice(all, func(a, b int) bool { return all[a].x < all[b].x })
	out := make([][]float64, len(seqs))
	for i, s := range seqs {
		out[i] = make([]float64, len(s))
	}
	S := float64(len(all))
	norm := distuv.UnitNormal
	for lo := 0; lo < len(all); {
		hi := lo + 1
		for hi < len(all) && all[hi].x == all[lo].x {
			hi++
		}
		r := float64(lo+hi+1) / 2 // average 1-based rank of the tie group
		z := norm.Quantile((r - 0.375) / (S + 0.25))
		for _, d := range all[lo:hi] {
			out[d.i][d.k] = z
		}
		lo = hi
	}
	return out
}

// rhatClassic is Gelman & Rubin's potential scale reduction of equal-length
// sequences.
func rhatClassic(seqs [][]float64) float64 {
	m, n := float64(len(seqs)), float64(len(seqs[0]))
	means := make([]float64, len(seqs))
	var w float64
	for i, s := range seqs {
		var sum float64
		for _, x := range s {
			sum += x
		}
		means[i] = sum / n
		var v float64
		for _, x := range s {
			v += (x - means[i]) * (x - means[i])
		}
		w += v / (n - 1)
	}
	w /= m
	var grand float64
	for _, x := range means {
		grand += x
	}
	grand /= m
	var b float64 // B/n: the variance of the sequence means
	for _, x := range means {
		b += (x - grand) * (x - grand)
	}
	b /= m - 1
	if w == 0 {
		if b == 0 {
			return 1
		}
		return math.Inf(1)
	}
	return math.Sqrt(((n-1)/n*w + b) / w)
}

func median(x []float64) float64 {
	s := slices.Clone(x)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
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
