package meanfield

import (
	"errors"
	"fmt"
	"math"
	"sync/atomic"
)

// Net is a deep random network in the mean-field limit: nonlinearity Phi, weights
// N(0, SW2/N), biases N(0, SB2). Its methods are the maps of the package doc; Quad
// computes their Gaussian integrals (zero value: adaptive, 1e-12; integrals of a
// numerical φ′ to 1e-10, the accuracy of the finite differences).
type Net struct {
	Phi      Phi
	SW2, SB2 float64
	Quad     Quad
}

// String returns φ, σ_w² and σ_b².
func (n Net) String() string {
	return fmt.Sprintf("%s net, σ_w² = %.6g, σ_b² = %.6g", n.Phi.Name, n.SW2, n.SB2)
}

// Validate reports every problem with the net at once.
func (n Net) Validate() error {
	var errs []error
	if n.Phi.F == nil {
		errs = append(errs, errors.New("nonlinearity has no function F"))
	} else if err := n.Phi.Validate(); err != nil {
		errs = append(errs, err)
	}
	if !(n.SW2 >= 0) || math.IsInf(n.SW2, 0) {
		errs = append(errs, fmt.Errorf("σ_w² = %v: want a finite value ≥ 0", n.SW2))
	}
	if !(n.SB2 >= 0) || math.IsInf(n.SB2, 0) {
		errs = append(errs, fmt.Errorf("σ_b² = %v: want a finite value ≥ 0", n.SB2))
	}
	if err := n.Quad.Validate(); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// qMax is the length beyond which the length map is taken to diverge; at q* = 0 the
// slopes are evaluated at qZero, their limit q → 0⁺.
const (
	qMax  = 1e15
	qZero = 1e-200
)

// dquad is the quadrature of integrals of φ′: with a numerical φ′ (noisy at the
// 1e-13 level) its tolerance is at least 1e-10, which the adaptive rule can reach.
func (n Net) dquad() Quad {
	q := n.Quad
	if n.Phi.D == nil && q.tol() < 1e-10 {
		q.Tol = 1e-10
	}
	return q
}

func (n Net) sq(x float64) float64  { v := n.Phi.F(x); return v * v }
func (n Net) dsq(x float64) float64 { v := n.Phi.Deriv(x); return v * v }

// LengthMap returns q^{l+1} = σ_w² ∫Dz φ(√q z)² + σ_b² (Poole et al. eq. 3).
func (n Net) LengthMap(q float64) float64 {
	return n.SW2*n.Quad.Expect(n.sq, q, n.Phi.Kinks) + n.SB2
}

// LengthSlope returns the slope dq^{l+1}/dq^l of the length map at q, which sets ξ_q.
// Schoenholz et al. write it χ₁ + σ_w² ∫Dz φ″(√q z) φ(√q z); integrating by parts
// (Stein's lemma) it is σ_w² ∫Dz z φ(√q z) φ′(√q z)/√q, which needs no φ″ and so
// holds for kinked φ too. At q = 0 it is σ_w² [φ′(0)² + φ(0) φ″(0)].
func (n Net) LengthSlope(q float64) float64 {
	if q == 0 {
		d := n.Phi.Deriv(0)
		s := d * d
		if f0 := n.Phi.F(0); f0 != 0 {
			h := 1e-4
			s += f0 * (n.Phi.Deriv(h) - n.Phi.Deriv(-h)) / (2 * h)
		}
		return n.SW2 * s
	}
	s := math.Sqrt(q)
	e := n.dquad().Gauss(func(z float64) float64 { x := s * z; return z * n.Phi.F(x) * n.Phi.Deriv(x) }, scaled(n.Phi.Kinks, s))
	return n.SW2 * e / s
}

// Chi1 returns χ₁ = σ_w² ∫Dz φ′(√q z)² at length q: the slope of the correlation map
// at c = 1 when q is the fixed point (Poole et al. eq. 7).
func (n Net) Chi1(q float64) float64 {
	return n.SW2 * n.dquad().Expect(n.dsq, q, n.Phi.Kinks)
}

// ChiC returns χ_c = σ_w² ∫Dz₁Dz₂ φ′(u₁) φ′(u₂), u₁, u₂ of length q and correlation c:
// the slope of the correlation map at c when q is the fixed point (Schoenholz et al.).
func (n Net) ChiC(q, c float64) float64 {
	if c >= 1 {
		return n.Chi1(q)
	}
	return n.SW2 * n.dquad().Pair(n.Phi.Deriv, n.Phi.Deriv, q, q, c, n.Phi.Kinks, n.Phi.Kinks)
}

// CovMap maps the lengths q1, q2 and the covariance q12 of two inputs to those of the
// next layer (Poole et al. eqs. 3 and 5).
func (n Net) CovMap(q1, q2, q12 float64) (n1, n2, n12 float64) {
	n1, n2 = n.LengthMap(q1), n.LengthMap(q2)
	c := 0.0
	if q1 > 0 && q2 > 0 {
		c = q12 / math.Sqrt(q1*q2)
	}
	n12 = n.SW2*n.Quad.Pair(n.Phi.F, n.Phi.F, q1, q2, c, n.Phi.Kinks, n.Phi.Kinks) + n.SB2
	return n1, n2, n12
}

// CorrMap returns the correlation c^{l+1} of two inputs of equal length q and
// correlation c: (σ_w² ∫Dz₁Dz₂ φ(u₁)φ(u₂) + σ_b²)/q^{l+1}.
func (n Net) CorrMap(q, c float64) float64 {
	if c >= 1 {
		return 1
	}
	_, q2, q12 := n.CovMap(q, q, c*q)
	return q12 / q2
}

// Lengths returns the iterates q^0 = q0, q^1, …, q^depth of the length map.
func (n Net) Lengths(q0 float64, depth int) []float64 {
	qs := make([]float64, depth+1)
	qs[0] = q0
	for l := 1; l <= depth; l++ {
		qs[l] = n.LengthMap(qs[l-1])
	}
	return qs
}

// Correlations returns the iterates of the length and correlation maps for two inputs
// of length q0 and correlation c0: q^0…q^depth and c^0…c^depth.
func (n Net) Correlations(q0, c0 float64, depth int) (q, c []float64) {
	q, c = make([]float64, depth+1), make([]float64, depth+1)
	q[0], c[0] = q0, c0
	for l := 1; l <= depth; l++ {
		c[l] = n.CorrMap(q[l-1], c[l-1])
		q[l] = n.LengthMap(q[l-1])
	}
	return q, c
}

// FixedPoint returns the fixed point q* of the length map that the iteration from q0
// reaches: +Inf if the length grows without bound (beyond 1e15; e.g. ReLU with
// σ_w² ≥ 2 and σ_b² > 0). It iterates the map a few times, brackets the root of
// q^{l+1}(q) − q in the direction the iterates move and solves by Brent's method to
// 1e-15 relative.
func (n Net) FixedPoint(q0 float64) (float64, error) {
	if err := n.Validate(); err != nil {
		return math.NaN(), err
	}
	if !(q0 >= 0) || math.IsInf(q0, 0) {
		return math.NaN(), fmt.Errorf("initial length q0 = %v: want a finite value ≥ 0", q0)
	}
	g := func(q float64) float64 { return n.LengthMap(q) - q }
	q := q0
	for i := 0; i < 20; i++ {
		next := n.LengthMap(q)
		if math.IsNaN(next) {
			return math.NaN(), fmt.Errorf("%v: length map is NaN at q = %g", n, q)
		}
		if next > qMax {
			return math.Inf(1), nil
		}
		if math.Abs(next-q) <= 1e-15*next {
			return next, nil
		}
		q = next
	}
	gq := g(q)
	xtol := func(x float64) float64 { return 1e-15*x + 1e-300 }
	if gq > 0 { // the iterates rise: the root is above q
		lo, hi := q, 2*q+1e-300
		gh := g(hi)
		// A crossing at rounding level (|g| < 1e-10 q: the length would still be
		// drifting after 1e10 layers) is no fixed point: ReLU at σ_w² = 2 has
		// g = σ_b² − O(ε q), which rounding makes cross 0 near q ≈ σ_b²/ε.
		for gh > 0 || gh > -1e-10*hi {
			lo, hi = hi, 2*hi
			if hi > qMax {
				return math.Inf(1), nil
			}
			gh = g(hi)
		}
		return brent(g, lo, hi, g(lo), gh, xtol(hi))
	}
	// The iterates fall: the root is below q (possibly 0).
	hi, lo := q, q/2
	gl := g(lo)
	for gl < 0 {
		hi, lo = lo, lo/2
		if lo < 1e-200 {
			lo = 0
			gl = g(0)
			if gl <= 0 {
				return 0, nil
			}
			break
		}
		gl = g(lo)
	}
	return brent(g, lo, hi, gl, g(hi), xtol(hi))
}

// CStar returns the stable fixed point c* of the correlation map at the length fixed
// point q: 1 in the ordered phase (χ₁ ≤ 1), below 1 in the chaotic phase. On [0, 1]
// the correlation map is a power series in c with non-negative coefficients (the
// squared Hermite coefficients of φ), so it is convex: with χ₁ > 1 it has exactly one
// fixed point in [0, 1), found by Brent's method to 1e-14.
func (n Net) CStar(q float64) (float64, error) {
	if q == 0 || math.IsInf(q, 1) || n.Chi1(q) <= 1 {
		return 1, nil
	}
	f := func(c float64) float64 { return n.CorrMap(q, c) - c }
	f0 := f(0)
	if f0 <= 1e-15 {
		return 0, nil
	}
	hi, fh := 0.5, f(0.5)
	for k := 2; fh >= 0; k++ {
		if k > 50 {
			return 1, nil // no fixed point below 1 that the quadrature can resolve
		}
		hi = 1 - math.Ldexp(1, -k)
		fh = f(hi)
	}
	return brent(f, 0, hi, f0, fh, 1e-14)
}

// Phase is the phase of a random net: ordered (χ₁ < 1) or chaotic (χ₁ > 1).
type Phase int

// Phases.
const (
	Ordered Phase = iota
	Critical
	Chaotic
)

// String returns the name of the phase.
func (p Phase) String() string {
	switch p {
	case Ordered:
		return "ordered"
	case Critical:
		return "critical"
	case Chaotic:
		return "chaotic"
	}
	return fmt.Sprintf("Phase(%d)", int(p))
}

// Point is the mean-field analysis of one net: fixed points, slopes and depth scales.
type Point struct {
	Phi      string
	SW2, SB2 float64
	// QStar is the fixed point of the length map (+Inf if the length diverges; the
	// slopes are then evaluated at q = 1e15, their limit for homogeneous φ like ReLU;
	// at q* = 0 they are evaluated at q = 1e-200, their limit q → 0⁺).
	QStar float64
	// CStar is the stable fixed point of the correlation map.
	CStar float64
	// Chi1 is the slope of the correlation map at c = 1, ChiC at c*; LengthSlope
	// that of the length map at q*.
	Chi1, ChiC, LengthSlope float64
	// XiQ = −1/ln|LengthSlope| and XiC = −1/ln χ_c are the depth scales (+Inf on
	// the boundary).
	XiQ, XiC float64
	Phase    Phase
	// Warning is set when a quadrature did not reach its tolerance (a φ too rough
	// or too fast-growing for the adaptive rule): the numbers are then suspect.
	Warning string
}

// String returns the point as one line.
func (p Point) String() string {
	s := fmt.Sprintf("%s σ_w²=%.6g σ_b²=%.6g: q*=%.6g c*=%.6g χ₁=%.6g χ_c=%.6g ξ_q=%.4g ξ_c=%.4g (%v)",
		p.Phi, p.SW2, p.SB2, p.QStar, p.CStar, p.Chi1, p.ChiC, p.XiQ, p.XiC, p.Phase)
	if p.Warning != "" {
		s += " WARNING: " + p.Warning
	}
	return s
}

// depth returns −1/ln|s|: the number of layers over which s^l falls by e.
func depth(s float64) float64 {
	s = math.Abs(s)
	if s >= 1 {
		return math.Inf(1)
	}
	if s == 0 {
		return 0
	}
	return -1 / math.Log(s)
}

// Analyze returns the fixed points, slopes and depth scales of the net, starting
// the length map from q0 = 1.
func (n Net) Analyze() (p Point, err error) {
	p = Point{Phi: n.Phi.Name, SW2: n.SW2, SB2: n.SB2}
	fails := new(atomic.Int64)
	n.Quad.fails = fails
	defer func() {
		if k := fails.Load(); k > 0 {
			p.Warning = fmt.Sprintf("%d quadrature panels did not converge", k)
		}
	}()
	q, err := n.FixedPoint(1)
	if err != nil {
		return p, err
	}
	p.QStar = q
	switch {
	case math.IsInf(q, 1):
		q = qMax
	case q == 0:
		q = qZero // the slopes as q → 0⁺ (for ReLU without bias they do not depend on q)
	}
	p.Chi1 = n.Chi1(q)
	p.LengthSlope = n.LengthSlope(q)
	c, err := n.CStar(q)
	if err != nil {
		return p, fmt.Errorf("%v: c*: %w", n, err)
	}
	p.CStar = c
	p.ChiC = n.ChiC(q, c)
	p.XiQ, p.XiC = depth(p.LengthSlope), depth(p.ChiC)
	switch {
	case math.Abs(p.Chi1-1) <= 1e-12:
		p.Phase = Critical
	case p.Chi1 < 1:
		p.Phase = Ordered
	default:
		p.Phase = Chaotic
	}
	return p, nil
}

// Boundary returns σ_w² on the order–chaos boundary χ₁ = 1 at bias variance sb2: the
// root in σ_w² of χ₁(q*(σ_w², σ_b²)) − 1, bracketed by stepping σ_w² up or down by
// factors of 1.5 from 1, then solved by Brent's method to 1e-13. χ₁ must cross 1 once
// for σ_w² in [1e-3, 1e4] (true for the built-ins).
func Boundary(phi Phi, sb2 float64, q Quad) (float64, error) {
	f := func(sw2 float64) (float64, error) {
		n := Net{Phi: phi, SW2: sw2, SB2: sb2, Quad: q}
		qs, err := n.FixedPoint(1)
		if err != nil {
			return math.NaN(), err
		}
		if math.IsInf(qs, 1) {
			qs = qMax
		}
		return n.Chi1(qs) - 1, nil
	}
	var ferr error
	g := func(sw2 float64) float64 {
		v, err := f(sw2)
		if err != nil && ferr == nil {
			ferr = err
		}
		return v
	}
	a, b := 1.0, 1.0
	fa := g(a)
	fb := fa
	for fa > 0 {
		b, fb = a, fa
		a /= 1.5
		if a < 1e-3 {
			return math.NaN(), fmt.Errorf("%s, σ_b² = %g: χ₁ > 1 down to σ_w² = 1e-3", phi.Name, sb2)
		}
		fa = g(a)
	}
	for fb <= 0 && fb == fb {
		if fb == 0 {
			return b, ferr
		}
		a, fa = b, fb
		b *= 1.5
		if b > 1e4 {
			return math.NaN(), fmt.Errorf("%s, σ_b² = %g: χ₁ < 1 up to σ_w² = 1e4", phi.Name, sb2)
		}
		fb = g(b)
	}
	if ferr != nil {
		return math.NaN(), ferr
	}
	r, err := brent(g, a, b, fa, fb, 1e-13)
	if ferr != nil {
		return math.NaN(), ferr
	}
	return r, err
}

// BoundaryAt returns the point (σ_w², σ_b²) of the boundary χ₁ = 1 whose length
// fixed point is q: σ_w² = 1/∫Dz φ′(√q z)² and σ_b² = q − σ_w² ∫Dz φ(√q z)² (σ_b² < 0
// means no such point). It needs no root finding: the tests use it to check Boundary.
func BoundaryAt(phi Phi, q float64, qd Quad) (sw2, sb2 float64) {
	n := Net{Phi: phi, SW2: 1, Quad: qd}
	sw2 = 1 / n.Chi1(q)
	return sw2, q - sw2*qd.Expect(n.sq, q, phi.Kinks)
}
