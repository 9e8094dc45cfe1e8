package mi

import "math"

// expectedMI returns the expectation (nats) of the plug-in mutual information of an
// n-pair table with row totals rows and column totals cols when the pairing is
// random: each cell count n_xy is then hypergeometric (n draws, rows[x] successes,
// cols[y] draws), and
//
//	E[I] = Σ_xy Σ_m P(n_xy = m) (m/n) ln(n m / (rows[x] cols[y])).
//
// This is the exact mean of the shuffled-sequence baseline (Vinh, Epps & Bailey, JMLR
// 11, 2837 (2010), eq. 24a, the "expected mutual information" of the adjusted MI).
// Terms beyond 12 standard deviations of each hypergeometric law are dropped (their
// weight is below 1e-30).
func expectedMI(n int64, rows, cols []int64) float64 {
	N := float64(n)
	lgN := lgam(N)
	var e float64
	for _, a := range rows {
		if a == 0 {
			continue
		}
		for _, b := range cols {
			if b == 0 {
				continue
			}
			e += cellEMI(n, a, b, N, lgN)
		}
	}
	return e
}

func lgam(x float64) float64 {
	v, _ := math.Lgamma(x + 1)
	return v // ln x!
}

// cellEMI is the contribution of one cell with margins a and b.
func cellEMI(n, a, b int64, N, lgN float64) float64 {
	lo := max(1, a+b-n)
	hi := min(a, b)
	if lo > hi {
		return 0
	}
	fa, fb := float64(a), float64(b)
	mean := fa * fb / N
	sd := math.Sqrt(mean * (1 - fa/N) * (1 - fb/N) * N / math.Max(N-1, 1))
	from := max(lo, int64(math.Floor(mean-12*sd-2)))
	to := min(hi, int64(math.Ceil(mean+12*sd+2)))
	// ln P(m) = ln C(a,m) + ln C(n−a, b−m) − ln C(n, b), at m = from, then by ratios.
	lp := func(m float64) float64 {
		return lgam(fa) - lgam(m) - lgam(fa-m) + lgam(N-fa) - lgam(fb-m) - lgam(N-fa-fb+m) - (lgN - lgam(fb) - lgam(N-fb))
	}
	p := math.Exp(lp(float64(from)))
	var s float64
	for m := from; m <= to; m++ {
		fm := float64(m)
		if m > from {
			// P(m)/P(m−1) = (a−m+1)(b−m+1) / (m (n−a−b+m)).
			p *= (fa - fm + 1) * (fb - fm + 1) / (fm * (N - fa - fb + fm))
		}
		s += p * fm / N * math.Log(N*fm/(fa*fb))
	}
	return s
}
