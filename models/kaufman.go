package models

import (
	"fmt"
	"math"
)

// KaufmanThermo holds the exact thermodynamics of the isotropic (J = 1, no field) Ising
// model on a periodic Rows×Cols square lattice at inverse temperature Beta, from
// [Kaufman]. LnZ is the total ln Z; E, C and F are per spin: the energy ⟨H⟩/N, the
// specific heat β²(⟨H²⟩ - ⟨H⟩²)/N and the free energy -ln Z/(βN).
type KaufmanThermo struct {
	Beta       float64
	Rows, Cols int
	LnZ        float64
	E, C, F    float64
}

// String summarises the values, e.g. "4×4 β=0.5 e=… c=… f=… lnZ=…".
func (k KaufmanThermo) String() string {
	return fmt.Sprintf("%d×%d β=%g e=%.12g c=%.12g f=%.12g lnZ=%.12g",
		k.Rows, k.Cols, k.Beta, k.E, k.C, k.F, k.LnZ)
}

// Kaufman returns the exact thermodynamics of the Ising model H = -Σ_⟨ij⟩ s_i s_j on
// the periodic rows×cols square lattice (rows, cols ≥ 2; for a side of 2 the lattice
// has both bonds between neighbours, as [Square](2) does) at inverse temperature beta,
// from Kaufman's solution (Phys. Rev. 76, 1232 (1949)) in the form of Ferdinand and
// Fisher (Phys. Rev. 185, 832 (1969)). With m = rows, n = cols and K = β,
//
//	Z = ½ (2 sinh 2K)^{mn/2} (Z₁ + Z₂ + Z₃ + Z₄)
//	Z₁ = Π_{r<n} 2 cosh(m γ_{2r+1}/2)   Z₂ = Π_{r<n} 2 sinh(m γ_{2r+1}/2)
//	Z₃ = Π_{r<n} 2 cosh(m γ_{2r}/2)     Z₄ = Π_{r<n} 2 sinh(m γ_{2r}/2)
//	cosh γ_l = cosh 2K coth 2K - cos(πl/n) (γ_l > 0),   γ₀ = 2K + ln tanh K (signed).
//
// The products are summed in logs with signs, away from T_c with the divergent part of
// the γ_l factored out analytically, and the derivatives of ln Z in β are carried by
// forward-mode differentiation (no finite differences). E and C are accurate to about
// 1e-12 at any temperature, T_c included (relative, or absolute where C is
// exponentially small). At beta = 0, F is -Inf. It panics if rows or cols < 2, or beta
// is negative or NaN.
func Kaufman(rows, cols int, beta float64) KaufmanThermo {
	if rows < 2 || cols < 2 {
		panic(fmt.Sprintf("models: Kaufman needs rows, cols ≥ 2, have %d×%d", rows, cols))
	}
	if !(beta >= 0) {
		panic(fmt.Sprintf("models: Kaufman needs beta ≥ 0, have %g", beta))
	}
	nsite := float64(rows) * float64(cols)
	out := KaufmanThermo{Beta: beta, Rows: rows, Cols: cols}
	if beta == 0 {
		out.LnZ = nsite * math.Ln2
		out.F = math.Inf(-1)
		return out
	}
	lnZ := kaufmanLnZ(rows, cols, beta)
	out.LnZ = lnZ.v
	out.E = -lnZ.d / nsite
	out.C = beta * beta * lnZ.dd / nsite
	out.F = -lnZ.v / (beta * nsite)
	return out
}

// kaufmanW is the largest w (e^{-2K} below T_c, tanh K above) for which kaufmanLnZ
// uses the reduced form kaufmanReduced; near T_c (w → √2 - 1) that form loses accuracy
// to cancellation in B² - w², and the direct form is used instead.
const kaufmanW = 0.2

// kaufmanLnZ returns ln Z of the m×n torus as a jet in K = β.
func kaufmanLnZ(m, n int, beta float64) jet {
	k := jet{beta, 1, 0}
	switch {
	case math.Exp(-2*beta) <= kaufmanW:
		return kaufmanReduced(m, n, k, k.scale(-2).exp(), 1)
	case math.Tanh(beta) <= kaufmanW:
		return kaufmanReduced(m, n, k, k.tanh(), -1)
	}
	return kaufmanDirect(m, n, k)
}

// kaufmanDirect evaluates ln Z as written, for temperatures near T_c.
func kaufmanDirect(m, n int, k jet) jet {
	s := k.scale(2).sinh() // sinh 2K
	// y0 = cosh 2K coth 2K - 2 = (sinh 2K - 1)²/sinh 2K, so that
	// cosh γ_l = 1 + y0 + 2 sin²(πl/2n) without cancellation near γ_l = 0.
	sm1 := s.addConst(-1)
	y0 := sm1.mul(sm1.div(s))
	half := float64(m) / 2
	gamma := func(l int) jet {
		sn := math.Sin(math.Pi * float64(l) / float64(2*n))
		return y0.addConst(2 * sn * sn).acosh1p()
	}
	var l1, l2, l3, l4 jet // ln Z₁, ln Z₂, ln Z₃, ln |Z₄| without its r = 0 factor
	for r := 0; r < n; r++ {
		g := gamma(2*r + 1).scale(half)
		l1 = l1.add(g.ln2cosh())
		l2 = l2.add(g.ln2sinh())
		if r == 0 {
			continue
		}
		g = gamma(2 * r).scale(half)
		l3 = l3.add(g.ln2cosh())
		l4 = l4.add(g.ln2sinh())
	}
	// The r = 0 factors hold γ₀ = 2K + ln tanh K, which changes sign at T_c.
	g0 := k.scale(2).add(k.lntanh()).scale(half)
	l3 = l3.add(g0.ln2cosh())
	var w4 jet                // Z₄ / e^c, with c below
	c := math.Max(l1.v, l3.v) // Z₁ ≥ Z₂ > 0 and Z₃ ≥ |Z₄|
	if math.Abs(g0.v) < 1 {
		// Near T_c multiply 2 sinh(mγ₀/2) in directly: at γ₀ = 0 it vanishes but its
		// derivative does not, which ln|Z₄| cannot express.
		w4 = l4.addConst(-c).exp().mul(g0.sinh().scale(2))
	} else {
		w4 = l4.add(g0.abs().ln2sinh()).addConst(-c).exp()
		if g0.v < 0 {
			w4 = w4.scale(-1)
		}
	}
	sum := l1.addConst(-c).exp().add(l2.addConst(-c).exp()).add(l3.addConst(-c).exp()).add(w4)
	pre := k.scale(2).ln2sinh().scale(float64(m) * float64(n) / 2) // ln (2 sinh 2K)^{mn/2}
	return pre.add(sum.log()).addConst(c - math.Ln2)
}

// kaufmanReduced evaluates ln Z away from T_c, where the γ_l and their derivatives grow
// without bound (like 2K at low T, -ln tanh K at high T) and the direct form loses
// accuracy to cancellation. With w = e^{-2K} (sign0 = +1, T < T_c) or w = tanh K
// (sign0 = -1, T > T_c), both ≤ kaufmanW, one has cosh γ_l = A/w - cos(πl/n) with
// A = (1+w²)²/(2(1-w²)), so e^{γ_l} = R_l/w with R_l = B_l + √(B_l² - w²),
// B_l = A - w cos(πl/n), and |γ₀| = -ln w + ln((1-w)/(1+w)) with the sign sign0. The
// common factor w^{-mn/2} of Z₁…Z₄ combines with the prefactor into P = mn(2K + ½ ln(1-w²))
// at low T and P = mn ln(2 cosh K) at high T, and
//
//	ln Z = P - ln 2 + ln Σ_i Π_r R^{m/2}(1 ± (w/R)^m),
//
// where every quantity and its derivatives stay of order one.
func kaufmanReduced(m, n int, k, w jet, sign0 float64) jet {
	w2 := w.mul(w)
	var pre jet
	if sign0 > 0 {
		pre = k.scale(2).add(w2.scale(-1).log1p().scale(0.5))
	} else {
		pre = k.ln2cosh()
	}
	pre = pre.scale(float64(m) * float64(n))
	a := w2.addConst(1)
	a = a.mul(a).div(w2.scale(-2).addConst(2)) // (1+w²)²/(2(1-w²))
	half := float64(m) / 2
	// factors returns ln of the reduced cosh and sinh factors for ln R = rho, (w/R)^m = e.
	factors := func(rho, e jet) (c, s jet) {
		c = rho.scale(half).add(e.log1p())
		s = rho.scale(half).add(e.scale(-1).log1p())
		return c, s
	}
	var l1, l2, l3, l4 jet
	for l := 1; l < 2*n; l++ {
		sn, cn := math.Sincos(math.Pi * float64(l) / float64(2*n))
		// B - w = A - 2w cos²(θ/2) and B + w = A + 2w sin²(θ/2), θ = πl/n.
		bm := a.add(w.scale(-2 * cn * cn))
		bp := a.add(w.scale(2 * sn * sn))
		r := bm.add(w).add(bm.mul(bp).sqrt())
		c, s := factors(r.log(), w.div(r).pow(m))
		if l%2 == 1 {
			l1, l2 = l1.add(c), l2.add(s)
		} else {
			l3, l4 = l3.add(c), l4.add(s)
		}
	}
	// l = 0: ln R₀ = ln((1-w)/(1+w)), (w/R₀)^m = (w(1+w)/(1-w))^m.
	rho0 := w.scale(-1).log1p().add(w.log1p().scale(-1))
	c, s := factors(rho0, w.mul(w.addConst(1)).div(w.scale(-1).addConst(1)).pow(m))
	l3, l4 = l3.add(c), l4.add(s)
	off := math.Max(l1.v, l3.v) // Z₁ ≥ Z₂ > 0 and Z₃ ≥ |Z₄|
	sum := l1.addConst(-off).exp().add(l2.addConst(-off).exp()).add(l3.addConst(-off).exp()).
		add(l4.addConst(-off).exp().scale(sign0))
	return pre.add(sum.log()).addConst(off - math.Ln2)
}

// jet is a truncated Taylor expansion in one variable x: the value v and the first and
// second derivatives d = dv/dx, dd = d²v/dx². Arithmetic on jets is forward-mode
// automatic differentiation to second order.
type jet struct{ v, d, dd float64 }

func (a jet) add(b jet) jet          { return jet{a.v + b.v, a.d + b.d, a.dd + b.dd} }
func (a jet) addConst(c float64) jet { return jet{a.v + c, a.d, a.dd} }
func (a jet) scale(c float64) jet    { return jet{c * a.v, c * a.d, c * a.dd} }
func (a jet) mul(b jet) jet {
	return jet{a.v * b.v, a.d*b.v + a.v*b.d, a.dd*b.v + 2*a.d*b.d + a.v*b.dd}
}
func (a jet) abs() jet                    { return a.scale(math.Copysign(1, a.v)) }
func (a jet) chain(f, f1, f2 float64) jet { return jet{f, f1 * a.d, f2*a.d*a.d + f1*a.dd} }

// div returns a/b.
func (a jet) div(b jet) jet {
	q := a.v / b.v
	d := (a.d - q*b.d) / b.v
	return jet{q, d, (a.dd - 2*d*b.d - q*b.dd) / b.v}
}

func (a jet) exp() jet {
	e := math.Exp(a.v)
	return a.chain(e, e, e)
}

func (a jet) log1p() jet {
	return a.chain(math.Log1p(a.v), 1/(1+a.v), -1/((1+a.v)*(1+a.v)))
}

func (a jet) sqrt() jet {
	r := math.Sqrt(a.v)
	return a.chain(r, 0.5/r, -0.25/(r*a.v))
}

func (a jet) tanh() jet {
	t := math.Tanh(a.v)
	return a.chain(t, 1-t*t, -2*t*(1-t*t))
}

// pow returns a^m for an integer m ≥ 0.
func (a jet) pow(m int) jet {
	p := func(e int) float64 { // a.v^e, 0 for e < 0
		if e < 0 {
			return 0
		}
		x := 1.0
		for range e {
			x *= a.v
		}
		return x
	}
	fm := float64(m)
	return a.chain(p(m), fm*p(m-1), fm*(fm-1)*p(m-2))
}

func (a jet) log() jet { return a.chain(math.Log(a.v), 1/a.v, -1/(a.v*a.v)) }

func (a jet) sinh() jet {
	s, c := math.Sinh(a.v), math.Cosh(a.v)
	return a.chain(s, c, s)
}

// ln2cosh returns ln(2 cosh a), stable for large |a|.
func (a jet) ln2cosh() jet {
	x := math.Abs(a.v)
	t := math.Tanh(a.v)
	return a.chain(x+math.Log1p(math.Exp(-2*x)), t, 1-t*t)
}

// ln2sinh returns ln(2 sinh a) for a > 0, stable for small and large a.
func (a jet) ln2sinh() jet {
	x := a.v
	f := x + math.Log(-math.Expm1(-2*x))
	coth := 1 / math.Tanh(x)
	sh := math.Sinh(x)
	return a.chain(f, coth, -1/(sh*sh))
}

// lntanh returns ln tanh a for a > 0.
func (a jet) lntanh() jet {
	s2, c2 := math.Sinh(2*a.v), math.Cosh(2*a.v)
	return a.chain(math.Log(math.Tanh(a.v)), 2/s2, -4*c2/(s2*s2))
}

// acosh1p returns acosh(1 + a) for a > 0, accurate when a is small.
func (a jet) acosh1p() jet {
	y := a.v
	q := math.Sqrt(y) * math.Sqrt(y+2) // not √(y(y+2)), which overflows first
	return a.chain(math.Log1p(y+q), 1/q, -(y+1)/q/q/q)
}

// OnsagerEnergy returns Onsager's exact energy per spin of the infinite square-lattice
// Ising model (J = 1) at inverse temperature beta,
//
//	u = -coth 2K [1 + (2/π)(2 tanh² 2K - 1) K₁(k)],  k = 2 sinh 2K / cosh² 2K,
//
// with K₁ the complete elliptic integral of the first kind, evaluated by the
// arithmetic–geometric mean; u(T_c) = -√2. It panics if beta is negative or NaN.
func OnsagerEnergy(beta float64) float64 {
	if !(beta >= 0) {
		panic(fmt.Sprintf("models: OnsagerEnergy needs beta ≥ 0, have %g", beta))
	}
	if beta == 0 {
		return 0
	}
	t := math.Tanh(2 * beta)
	a := 2*t*t - 1    // (sinh² 2K - 1)/(sinh² 2K + 1), zero at T_c
	kp := math.Abs(a) // k' = √(1 - k²)
	if kp == 0 {
		return -math.Sqrt2
	}
	k1 := math.Pi / (2 * agm(1, kp))
	return -(1 / t) * (1 + (2/math.Pi)*a*k1)
}

// agm returns the arithmetic–geometric mean of a, b > 0.
func agm(a, b float64) float64 {
	for range 64 {
		if math.Abs(a-b) <= 1e-16*a {
			break
		}
		a, b = (a+b)/2, math.Sqrt(a*b)
	}
	return (a + b) / 2
}

// YangMagnetization returns the spontaneous magnetization per spin of the infinite
// square-lattice Ising model (J = 1) at inverse temperature beta (Yang 1952):
// (1 - sinh⁻⁴ 2K)^{1/8} below T_c and 0 at and above it. It panics if beta is negative
// or NaN.
func YangMagnetization(beta float64) float64 {
	if !(beta >= 0) {
		panic(fmt.Sprintf("models: YangMagnetization needs beta ≥ 0, have %g", beta))
	}
	s := math.Sinh(2 * beta)
	if s <= 1 {
		return 0
	}
	s2 := s * s
	return math.Pow(1-1/(s2*s2), 0.125)
}
