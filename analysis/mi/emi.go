package mi

import "math"

// emiExactBelow is the mean cell count below which the expectation E[m ln m] of a
// hypergeometric count is summed exactly; above it the series of expandMLogM, whose
// error is O(1/μ²) per cell (< 1e-6 here), is used.
const emiExactBelow = 100

// expectedMI returns the expectation (nats) of the plug-in mutual information of an
// n-pair table with row totals rows and column totals cols when the pairing is
// random: each cell count m is then hypergeometric (rows[x] marked among n, cols[y]
// drawn), E[m] = μ = rows[x]·cols[y]/n, and
//
//	E[I] = Σ_xy (E[m ln m] − μ ln μ) / n.
//
// This is the exact mean of the shuffled-sequence baseline (Vinh, Epps & Bailey, JMLR
// 11, 2837 (2010), eq. 24a: the "expected mutual information" of the adjusted MI).
// Terms beyond 12 standard deviations of a hypergeometric law are dropped (weight
// below 1e-30); for μ ≥ emiExactBelow the moment expansion replaces the sum.
func expectedMI(n int64, rows, cols []int64) float64 {
	N := float64(n)
	lgN := lfact(N)
	var e float64
	for _, a := range rows {
		if a == 0 {
			continue
		}
		fa := float64(a)
		la, lna := lfact(fa), lfact(N-fa)
		for _, b := range cols {
			if b == 0 {
				continue
			}
			fb := float64(b)
			mu := fa * fb / N
			if mu >= emiExactBelow {
				e += expandMLogM(N, fa, fb)
				continue
			}
			e += exactMLogM(n, a, b, N, la, lna, lgN-lfact(fb)-lfact(N-fb))
		}
	}
	return e / N
}

// lfact returns ln x!.
func lfact(x float64) float64 {
	v, _ := math.Lgamma(x + 1)
	return v
}

// exactMLogM returns E[m ln m] − μ ln μ for m hypergeometric (n, a marked, b drawn),
// μ = ab/n; la = ln a!, lna = ln (n−a)!, lcnb = ln C(n, b). It sums
// E[m ln(m/μ) − (m − μ)], equal since E[m] = μ, whose terms are ≥ 0 and O((m−μ)²/μ):
// the direct form loses everything to cancellation for large μ.
func exactMLogM(n, a, b int64, N, la, lna, lcnb float64) float64 {
	lo := max(0, a+b-n)
	hi := min(a, b)
	fa, fb := float64(a), float64(b)
	mu := fa * fb / N
	sd := math.Sqrt(mu * (1 - fa/N) * (1 - fb/N) * N / math.Max(N-1, 1))
	from := max(lo, int64(math.Floor(mu-12*sd-2)))
	to := min(hi, int64(math.Ceil(mu+12*sd+2)))
	// ln P(m) = ln C(a,m) + ln C(n−a, b−m) − ln C(n, b) at m = from, then by ratios.
	fm := float64(from)
	p := math.Exp(la - lfact(fm) - lfact(fa-fm) + lna - lfact(fb-fm) - lfact(N-fa-fb+fm) - lcnb)
	var s, norm float64
	logMu := math.Log(mu)
	for m := from; m <= to; m++ {
		fm := float64(m)
		if m > from {
			// P(m)/P(m−1) = (a−m+1)(b−m+1) / (m (n−a−b+m)).
			p *= (fa - fm + 1) * (fb - fm + 1) / (fm * (N - fa - fb + fm))
		}
		norm += p
		if m == 0 {
			s += p * mu
			continue
		}
		lm := logMu
		if m < int64(len(logInt)) {
			lm = logInt[m] - logMu
		} else {
			lm = math.Log(fm) - logMu
		}
		s += p * (fm*lm - fm + mu)
	}
	return s / norm
}

// expandMLogM returns E[m ln m] − μ ln μ for a hypergeometric m (n, a marked, b
// drawn) with a large mean μ = ab/n, from the Taylor series of m ln m about μ and the
// cumulants κ₂, κ₃, κ₄ of the hypergeometric law:
//
//	κ₂/(2μ) − κ₃/(6μ²) + (κ₄ + 3κ₂²)/(12μ³) − κ₃κ₂/(2μ⁴) + κ₂³/(2μ⁵) + O(μ⁻³),
//
// all the terms of order 1, 1/μ and 1/μ².
func expandMLogM(N, a, b float64) float64 {
	mu := a * b / N
	k2 := b * (a / N) * (1 - a/N) * (N - b) / (N - 1)
	skew := (N - 2*a) * math.Sqrt(N-1) * (N - 2*b) / (math.Sqrt(b*a*(N-a)*(N-b)) * (N - 2))
	k3 := skew * k2 * math.Sqrt(k2)
	excess := ((N-1)*N*N*(N*(N+1)-6*a*(N-a)-6*b*(N-b)) + 6*b*a*(N-a)*(N-b)*(5*N-6)) /
		(b * a * (N - a) * (N - b) * (N - 2) * (N - 3))
	k4 := excess * k2 * k2
	mu2, mu3 := mu*mu, mu*mu*mu
	return k2/(2*mu) - k3/(6*mu2) + (k4+3*k2*k2)/(12*mu3) - k3*k2/(2*mu2*mu2) + k2*k2*k2/(2*mu2*mu3)
}

// logInt[m] = ln m for the small counts of exactMLogM's sums (logInt[0] unused).
var logInt = func() []float64 {
	t := make([]float64, 2*emiExactBelow+16*16)
	for m := 1; m < len(t); m++ {
		t[m] = math.Log(float64(m))
	}
	return t
}()
