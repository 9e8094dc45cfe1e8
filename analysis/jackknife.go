package analysis

import (
	"fmt"
	"math"
)

// DefaultBlocks is the number of jackknife blocks used when a function of this package
// is given blocks ≤ 0. With M blocks the jackknife error has a relative error of
// about 1/sqrt(2(M−1)), 9% for 64 blocks, while a run of a few thousand bins still
// puts dozens of bins (many autocorrelation times) in each block, so that the block
// means are nearly independent, as the jackknife assumes.
const DefaultBlocks = 64

// Jackknife returns the delete-one jackknife estimate of a function f of the means of
// one or more observables. blocks[a] holds the M block means of observable a (for
// example from [Series.Blocks]); all must have the same length. With θ_i = f of the
// means leaving out block i and θ̄ their average,
//
//	Mean = M·f(all means) − (M−1)·θ̄      (bias-corrected to O(1/M²))
//	Err  = sqrt((M−1)/M · Σ_i (θ_i − θ̄)²).
//
// For f = identity this is the mean and the standard error of the block means. f
// receives the means in the order of blocks, in a slice that Jackknife reuses: f must
// not keep it. Tau and N of the result are zero. With M = 1 the error is NaN and the
// mean is f of the block; with M = 0, both are NaN. Jackknife panics if f is nil, if
// no blocks are given or if their lengths differ.
func Jackknife(f func(means []float64) float64, blocks ...[]float64) Estimate {
	if f == nil {
		panic("analysis: Jackknife with nil function")
	}
	if len(blocks) == 0 {
		panic("analysis: Jackknife without observables")
	}
	m := len(blocks[0])
	for a, b := range blocks {
		if len(b) != m {
			panic(fmt.Sprintf("analysis: Jackknife observable %d has %d blocks, observable 0 has %d", a, len(b), m))
		}
	}
	if m == 0 {
		return Estimate{Mean: math.NaN(), Err: math.NaN()}
	}
	sums := make([]float64, len(blocks))
	means := make([]float64, len(blocks))
	for a, b := range blocks {
		for _, v := range b {
			sums[a] += v
		}
		means[a] = sums[a] / float64(m)
	}
	full := f(means)
	if m == 1 {
		return Estimate{Mean: full, Err: math.NaN()}
	}
	theta := make([]float64, m)
	var thetaBar float64
	for i := range theta {
		for a, b := range blocks {
			means[a] = (sums[a] - b[i]) / float64(m-1)
		}
		theta[i] = f(means)
		thetaBar += theta[i]
	}
	thetaBar /= float64(m)
	var ss float64
	for _, t := range theta {
		ss += (t - thetaBar) * (t - thetaBar)
	}
	return Estimate{
		Mean: float64(m)*full - float64(m-1)*thetaBar,
		Err:  math.Sqrt(float64(m-1) / float64(m) * ss),
	}
}

// JackknifeSeries returns the [Jackknife] estimate of f of the means of the series s,
// using s[a].Blocks(blocks) as the blocks of observable a (blocks ≤ 0 means
// [DefaultBlocks]). The series must be measured together: same count and bin length.
// N of the result is their count, Tau is zero. It panics if no series is given, one is
// nil, or their counts or bin lengths differ.
func JackknifeSeries(f func(means []float64) float64, blocks int, s ...*Series) Estimate {
	if len(s) == 0 {
		panic("analysis: JackknifeSeries without series")
	}
	if blocks <= 0 {
		blocks = DefaultBlocks
	}
	bl := make([][]float64, len(s))
	for a, sa := range s {
		switch {
		case sa == nil:
			panic(fmt.Sprintf("analysis: JackknifeSeries with nil series %d", a))
		case sa.Count() != s[0].Count() || sa.BinLen() != s[0].BinLen():
			panic(fmt.Sprintf("analysis: JackknifeSeries series %d has %d values in bins of %d, series 0 has %d in bins of %d",
				a, sa.Count(), sa.BinLen(), s[0].Count(), s[0].BinLen()))
		}
		bl[a] = sa.Blocks(blocks)
	}
	e := Jackknife(f, bl...)
	e.N = int(s[0].Count())
	return e
}
