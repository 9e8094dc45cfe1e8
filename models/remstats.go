package models

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/integrate/quad"
)

// MaxOrderStatN is the largest N for which [REMGroundState] computes the order
// statistics (2^N levels; e^{N ln 2} must stay a finite float64).
const MaxOrderStatN = 1000

// REMGroundState returns the mean and the standard deviation over instances of the
// ground-state energy per spin of the REM with n spins and coupling scale j: the
// minimum of 2^n independent Gaussian energies of variance n j²/2, divided by n, that
// is −j/√(2n) times the maximum of M = 2^n standard normals. The moments of the maximum
// come from numerical integration of its distribution function Φ(x)^M,
//
//	E[X] = ∫₀^∞ (1 − Φ^M) dx − ∫₋∞^0 Φ^M dx,   E[X²] = ∫₀^∞ 2x (1 − Φ^M(x) + Φ^M(−x)) dx,
//
// with 10-point Gauss–Legendre rules on panels of width 0.05 (gonum's quad.Fixed) and
// Φ^M evaluated as exp(−M·(−ln Φ)) in logarithms, so that it works up to n = 1000
// (M = 2^1000). As n → ∞ the mean tends to −j√ln 2 ([REMGroundStateLimit]) slowly,
// with corrections of order ln n / n (docs/references/funnels.md §1). It panics unless
// 1 ≤ n ≤ MaxOrderStatN and j > 0.
func REMGroundState(n int, j float64) (mean, sd float64) {
	if n < 1 || n > MaxOrderStatN {
		panic(fmt.Sprintf("models: REMGroundState needs 1 ≤ N ≤ %d, have %d", MaxOrderStatN, n))
	}
	if !(j > 0) || math.IsInf(j, 0) {
		panic(fmt.Sprintf("models: REMGroundState needs a finite J > 0, have %v", j))
	}
	m1, m2 := maxNormalMoments(float64(n) * math.Ln2)
	v := max(0, m2-m1*m1)
	c := j / math.Sqrt(2*float64(n))
	return -c * m1, c * math.Sqrt(v)
}

// maxNormalMoments returns E[X] and E[X²] of the maximum X of M = e^{lnM} independent
// standard normals.
func maxNormalMoments(lnM float64) (m1, m2 float64) {
	// g(x) = Φ(x)^M and 1 − g(x) for x ≥ 0, from ln(−ln Φ(x)) = ln(−log1p(−Q(x))).
	oneMinusG := func(x float64) float64 {
		lq := lnUpperTail(x)
		var l float64 // ln(−ln Φ(x))
		if lq < -30 {
			l = lq + math.Exp(lq)/2 // −ln(1−Q) = Q + Q²/2 + …
		} else {
			l = math.Log(-math.Log1p(-math.Exp(lq)))
		}
		return -math.Expm1(-math.Exp(lnM + l))
	}
	gNeg := func(x float64) float64 { // g(−x) for x ≥ 0: Φ(−x)^M = exp(M ln Q(x))
		return math.Exp(math.Exp(lnM) * lnUpperTail(x))
	}
	// Upper end: where M·Q(x) < e^{−60}; ln Q(x) < −x²/2 for x ≥ 1.
	hi := math.Sqrt(2 * (lnM + 60))
	const h = 0.05
	const pts = 10
	panels := int(math.Ceil(hi / h))
	for k := range panels {
		a, b := float64(k)*h, float64(k+1)*h
		m1 += quad.Fixed(oneMinusG, a, b, pts, quad.Legendre{}, 0)
		m2 += quad.Fixed(func(x float64) float64 { return 2 * x * (oneMinusG(x) + gNeg(x)) }, a, b, pts, quad.Legendre{}, 0)
	}
	// Lower tail: Φ^M on (−∞, 0] is below 2^{−M}; integrate it where it is not negligible.
	for k := range int(math.Ceil(10 / h)) {
		a, b := float64(k)*h, float64(k+1)*h
		m1 -= quad.Fixed(gNeg, a, b, pts, quad.Legendre{}, 0)
	}
	return m1, m2
}

// lnUpperTail returns ln Q(x), Q(x) = P(Z > x) = erfc(x/√2)/2 for a standard normal Z,
// for x ≥ 0: directly below x = 25, and from the asymptotic series
// Q(x) = φ(x)/x · (1 − 1/x² + 3/x⁴ − 15/x⁶ + 105/x⁸ − …) above (relative error below
// 1e-11 there), where erfc would underflow.
func lnUpperTail(x float64) float64 {
	if x < 25 {
		return math.Log(math.Erfc(x/math.Sqrt2) / 2)
	}
	y := 1 / (x * x)
	series := 1 + y*(-1+y*(3+y*(-15+y*105)))
	return -x*x/2 - math.Log(x*math.Sqrt(2*math.Pi)) + math.Log(series)
}

// NormalMaximum returns the mean and the standard deviation of the maximum of
// M = e^{lnM} independent standard normal variables (lnM ≥ 0, M ≤ e^{693}), by the
// integration of [REMGroundState]. With lnM = (N−1) ln 2 it gives the order statistics
// of a model whose 2^N energies come in 2^{N−1} equal ± pairs (E(−s) = E(s)), such as
// the Ising p-spin model with even p.
func NormalMaximum(lnM float64) (mean, sd float64) {
	if !(lnM >= 0) || lnM > MaxOrderStatN*math.Ln2 {
		panic(fmt.Sprintf("models: NormalMaximum needs 0 ≤ ln M ≤ %v, have %v", MaxOrderStatN*math.Ln2, lnM))
	}
	m1, m2 := maxNormalMoments(lnM)
	return m1, math.Sqrt(max(0, m2-m1*m1))
}
