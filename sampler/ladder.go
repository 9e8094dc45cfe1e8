package sampler

import (
	"fmt"
	"math"
	"slices"
)

// GeometricBetas returns n inverse temperatures whose temperatures form a geometric
// sequence from tmin to tmax (T_k = tmin·(tmax/tmin)^{k/(n−1)}), as increasing β:
// 1/tmax first, 1/tmin last, both exact. A geometric ladder gives roughly equal swap
// acceptances when the specific heat is roughly constant, and is the usual starting
// point for spin glasses (docs/references/sk.md §5). It panics unless 0 < tmin < tmax < ∞ and
// n ≥ 2, or tmin == tmax and n == 1.
func GeometricBetas(tmin, tmax float64, n int) []float64 {
	if n == 1 && tmin == tmax && tmin > 0 && !math.IsInf(tmin, 0) {
		return []float64{1 / tmin}
	}
	if !(tmin > 0 && tmax > tmin) || math.IsInf(tmax, 0) || n < 2 {
		panic(fmt.Sprintf("sampler: GeometricBetas(%v, %v, %d) needs 0 < tmin < tmax < ∞ and n ≥ 2", tmin, tmax, n))
	}
	b := make([]float64, n)
	ratio := tmax / tmin
	for k := range b {
		// b[k] holds the k-th temperature from the top: T = tmax·ratio^{−k/(n−1)}.
		b[k] = 1 / (tmax * math.Pow(ratio, -float64(k)/float64(n-1)))
	}
	b[0], b[n-1] = 1/tmax, 1/tmin
	return b
}

// BetasFromTemperatures returns the inverse temperatures 1/T of ts in increasing order
// (a T of +Inf gives β = 0). It panics if a temperature is not positive or two are
// equal.
func BetasFromTemperatures(ts []float64) []float64 {
	b := make([]float64, len(ts))
	for k, t := range ts {
		if !(t > 0) {
			panic(fmt.Sprintf("sampler: BetasFromTemperatures: T[%d] = %v (want T > 0)", k, t))
		}
		b[k] = 1 / t
	}
	slices.Sort(b)
	for k := 1; k < len(b); k++ {
		if b[k] == b[k-1] {
			panic(fmt.Sprintf("sampler: BetasFromTemperatures: temperature %v repeated", 1/b[k]))
		}
	}
	return b
}

// AdaptConstantAcceptance runs about sweeps sweeps (in up to 6 rounds of doubling
// length, each at least 50 sweeps) and after each round moves the interior inverse
// temperatures so that the exchange acceptances of all neighbouring pairs become equal,
// keeping Betas[0] and Betas[K−1] fixed. It then rebuilds the Moves and calls
// ResetStats. With fewer than 3 temperatures it just sweeps.
//
// Method: for Gaussian energy distributions of equal width σ the mean acceptance of
// a pair Δβ apart is A = erfc(Δβσ/2), so x_k = 2 erfc⁻¹(A_k) measures how far apart
// pair k is in units of the energy fluctuations. The x_k, spread uniformly over their
// intervals, define a piecewise-linear "distance" along β, and the new ladder divides
// the total distance Σ x_k into K−1 equal parts. The fixed point of this iteration is
// equal acceptances whether or not the Gaussian model holds; the model only makes the
// steps good. A_k is the mean of min(1, e^d) over the round's proposals, which has less
// noise than the fraction accepted.
//
// Use it during thermalisation, when nothing is known about the model: equal
// acceptances are the textbook choice (Hukushima 1999; Kofke 2002) and work well for
// spin glasses, whose specific heat has no sharp peak. Near a phase transition, or to
// minimise round-trip times, use AdaptFeedback. The chains are not reset: they need
// further thermalisation at the new temperatures.
func (t *Tempering) AdaptConstantAcceptance(sweeps int) {
	if sweeps < 0 {
		panic(fmt.Sprintf("sampler: AdaptConstantAcceptance(%d)", sweeps))
	}
	const (
		maxRounds = 6
		minRound  = 50
	)
	rounds := maxRounds
	for rounds > 1 && sweeps/(1<<rounds-1) < minRound {
		rounds--
	}
	first := sweeps / (1<<rounds - 1)
	n := len(t.Betas)
	done := 0
	for r := range rounds {
		m := first << r
		if r == rounds-1 {
			m = sweeps - done
		}
		done += m
		t.ResetStats()
		for range m {
			t.Sweep()
		}
		if n < 3 || m < 2 {
			continue
		}
		acc := t.meanSwapProb()
		cost := make([]float64, n-1)
		for k, a := range acc {
			// Clamp so that the cost stays finite and positive: 1e-9 < A < 1 − 1e-9.
			a = min(max(a, 1e-9), 1-1e-9)
			cost[k] = 2 * math.Erfcinv(a)
		}
		t.regrid(cost, false)
	}
	t.ResetStats()
}

// AdaptFeedback is the feedback optimisation of Katzgraber, Trebst, Huse & Troyer
// (J. Stat. Mech. P03018 (2006)): it runs rounds rounds of sweepsPerRound sweeps each,
// measures the replica flow f(k) ([Tempering.Flow]) in each round, and moves the
// interior temperatures so that the new ladder has density η(T) ∝ √((df/dT)/ΔT), which
// makes f linear in the slot index and minimises round-trip times. Endpoints are kept.
// After each round the Moves are rebuilt; at the end the statistics are reset (the
// chain labels are kept).
//
// With f_k measured at the current temperatures, df/dT/ΔT on interval k is
// (f_k − f_{k+1})/ΔT_k², so η integrates to √(f_k − f_{k+1}) over the interval; the new
// temperatures divide Σ_k √(f_k − f_{k+1}) into K−1 equal parts, with η constant in T
// within each interval (in β if the hottest β is 0). Non-positive differences, from
// noise, are raised to 1% of the ideal 1/(K−1), so no interval collapses. A round in
// which some slot saw no labelled chain leaves the ladder unchanged.
//
// Each round must be long enough for several round trips, or f is noise: Katzgraber et
// al. double the length of successive rounds until the ladder converges, which callers
// can do by calling AdaptFeedback repeatedly with doubling sweepsPerRound. Use it when
// the system has a bottleneck (a phase transition, a peak of the specific heat) where
// equal acceptances leave too few temperatures; for spin glasses without one it gives
// ladders close to those of AdaptConstantAcceptance. The chains need further
// thermalisation at the new temperatures.
func (t *Tempering) AdaptFeedback(rounds, sweepsPerRound int) {
	if rounds < 0 || sweepsPerRound < 0 {
		panic(fmt.Sprintf("sampler: AdaptFeedback(%d, %d)", rounds, sweepsPerRound))
	}
	n := len(t.Betas)
	for range rounds {
		t.ResetStats()
		for range sweepsPerRound {
			t.Sweep()
		}
		if n < 3 {
			continue
		}
		f := t.Flow()
		if slices.ContainsFunc(f, math.IsNaN) {
			continue
		}
		floor := 0.01 / float64(n-1)
		cost := make([]float64, n-1)
		for k := range cost {
			cost[k] = math.Sqrt(max(f[k]-f[k+1], floor))
		}
		t.regrid(cost, t.Betas[0] > 0)
	}
	t.ResetStats()
}

// regrid moves the interior Betas so that the new intervals carry equal shares of
// Σ cost, where cost[k] is spread uniformly over interval k in β, or in T = 1/β if
// inTemperature. It rebuilds the Moves.
func (t *Tempering) regrid(cost []float64, inTemperature bool) {
	n := len(t.Betas)
	x := make([]float64, n) // the coordinate in which cost is uniform, in ladder order
	for k, b := range t.Betas {
		x[k] = b
		if inTemperature {
			x[k] = 1 / b
		}
	}
	var total float64
	for _, c := range cost {
		total += c
	}
	if !(total > 0) || math.IsInf(total, 0) {
		return
	}
	nx := make([]float64, n)
	nx[0], nx[n-1] = x[0], x[n-1]
	k := 0
	var below float64 // Σ cost[:k]
	for j := 1; j < n-1; j++ {
		target := total * float64(j) / float64(n-1)
		for k < n-2 && below+cost[k] < target {
			below += cost[k]
			k++
		}
		frac := 0.0
		if cost[k] > 0 {
			frac = min(max((target-below)/cost[k], 0), 1)
		}
		nx[j] = x[k] + frac*(x[k+1]-x[k])
	}
	nb := make([]float64, n)
	for j, v := range nx {
		nb[j] = v
		if inTemperature {
			nb[j] = 1 / v
		}
	}
	nb[0], nb[n-1] = t.Betas[0], t.Betas[n-1]
	if checkLadder(nb) != nil {
		return // rounding produced a tie: keep the old ladder
	}
	copy(t.Betas, nb)
	t.rebuildMoves()
}
