package models

import (
	"fmt"
	"math"
)

// Exact N → ∞ results for the pure spherical p-spin model (docs/references/spherical.md).
// Energies u are per spin in the ABC normalization unless a name says CS.

// SphericalEInf returns E∞ = 2√((p−1)/p), the threshold of the ABC normalization:
// for p ≥ 3 the critical points of every finite index lie below −E∞·N and those
// above it have diverging index (Auffinger, Ben Arous & Černý, Comm. Pure Appl. Math. 66, 165
// (2013)). p = 2: √2, the edge of the semicircle of the coupling matrix; p = 3:
// 2√(2/3) = 1.632993.
func SphericalEInf(p int) float64 {
	if p < 2 {
		panic(fmt.Sprintf("models: SphericalEInf needs p ≥ 2, have %d", p))
	}
	return 2 * math.Sqrt(float64(p-1)/float64(p))
}

// sphericalI1 is the rate function I₁(u) of ABC, for u ≤ −E∞:
//
//	I₁(u) = −(u/E∞²)√(u² − E∞²) − ln(−u + √(u² − E∞²)) + ln E∞
//	      = ∫_{E∞}^{−u} (2/E∞²)√(v² − E∞²) dv,
//
// the large-deviation rate of the largest eigenvalue of a GOE matrix, in units of
// the energy. It is 0 for u ≥ −E∞.
func sphericalI1(p int, u float64) float64 {
	e := SphericalEInf(p)
	if u >= -e {
		return 0
	}
	r := math.Sqrt(u*u - e*e)
	return -(u/(e*e))*r - math.Log(-u+r) + math.Log(e)
}

// SphericalComplexity returns Θ_{k,p}(u), the annealed complexity of critical points
// of index k below the energy u·N (ABC normalization, u per spin):
//
//	lim (1/N) ln E Crt_{N,k}((−∞, u]) = Θ_{k,p}(u),
//
//	Θ_{k,p}(u) = ½ ln(p−1) − (p−2)/(4(p−1)) u² − (k+1) I₁(u)   for u ≤ −E∞,
//	           = ½ ln(p−1) − (p−2)/p                           for u ≥ −E∞
//
// (Auffinger, Ben Arous & Černý 2013, Theorem 2.5). k = 0 counts local minima, k = 1
// saddles of index 1, and so on. It is increasing in u up to −E∞ and constant above:
// every index-k critical point lies below −E∞. For p = 2 it is −(k+1)I₁(u) ≤ 0:
// a subexponential number (2(k+1) critical points of index k, the eigenvectors).
func SphericalComplexity(p, k int, u float64) float64 {
	if k < 0 {
		panic("models: SphericalComplexity needs k ≥ 0")
	}
	e := SphericalEInf(p)
	a := 0.5 * math.Log(float64(p-1))
	if u >= -e {
		return a - float64(p-2)/float64(p)
	}
	return a - float64(p-2)/(4*float64(p-1))*u*u - float64(k+1)*sphericalI1(p, u)
}

// SphericalComplexityTotal returns Θ_p(u), the annealed complexity of all critical
// points below u·N whatever their index (ABC normalization, u per spin):
//
//	Θ_p(u) = ½ ln(p−1) − (p−2)/(4(p−1)) u² − I₁(u)   for u ≤ −E∞,
//	       = ½ ln(p−1) − (p−2)/(4(p−1)) u²           for −E∞ ≤ u ≤ 0,
//	       = ½ ln(p−1)                               for u ≥ 0
//
// (Auffinger, Ben Arous & Černý 2013, the complexity of all critical points). Below
// −E∞ it equals Θ_{0,p}(u): there the critical points are minima but for an
// exponentially small share. Above −E∞ it keeps growing (saddles of diverging index)
// while every Θ_{k,p} stays at its value at −E∞.
func SphericalComplexityTotal(p int, u float64) float64 {
	e := SphericalEInf(p)
	a := 0.5 * math.Log(float64(p-1))
	switch {
	case u >= 0:
		return a
	case u >= -e:
		return a - float64(p-2)/(4*float64(p-1))*u*u
	}
	return a - float64(p-2)/(4*float64(p-1))*u*u - sphericalI1(p, u)
}

// SphericalEk returns E_k, where −E_k is the zero of Θ_{k,p} below −E∞: the energy
// per spin (ABC) below which there are no index-k critical points as N → ∞. E0 is the
// ground state; E0 > E1 > E2 > … → E∞ (the "layered structure" of ABC).
// For p = 2 every E_k equals √2. It is found by bisection to machine precision.
func SphericalEk(p, k int) float64 {
	e := SphericalEInf(p)
	if p == 2 {
		return e
	}
	lo, hi := -e, -e
	for SphericalComplexity(p, k, lo) > 0 {
		lo *= 2
	}
	for range 200 {
		mid := 0.5 * (lo + hi)
		if mid == lo || mid == hi {
			break
		}
		if SphericalComplexity(p, k, mid) > 0 {
			hi = mid
		} else {
			lo = mid
		}
	}
	return -0.5 * (lo + hi)
}

// SphericalE0 returns E0 = SphericalEk(p, 0): the ground-state energy of the ABC
// normalization is −E0·N as N → ∞ (p = 3: 1.656998; p = 4: 1.794085).
func SphericalE0(p int) float64 { return SphericalEk(p, 0) }

// SphericalTd returns the dynamical temperature of the Crisanti–Sommers normalization,
//
//	T_d = √(p (p−2)^{p−2} / (2 (p−1)^{p−1})),
//
// below which Langevin dynamics from a random start no longer equilibrates as
// N → ∞ (Crisanti, Horner & Sommers, Z. Phys. B 92, 257 (1993); p = 3: √(3/8) =
// 0.612372). For p = 2 it returns 1, the critical temperature of the spherical
// SK model (continuous transition, no separate dynamical one). Multiply by √2 for
// the ABC normalization.
func SphericalTd(p int) float64 {
	if p < 2 {
		panic(fmt.Sprintf("models: SphericalTd needs p ≥ 2, have %d", p))
	}
	if p == 2 {
		return 1
	}
	f := float64(p)
	return math.Sqrt(f * math.Pow(f-2, f-2) / (2 * math.Pow(f-1, f-1)))
}

// SphericalThresholdEnergyCS returns the energy per spin (Crisanti–Sommers) that
// Langevin dynamics at temperature T reaches after a quench from a random start as
// N → ∞ and then t → ∞: the paramagnetic −1/(2T) for T ≥ T_d, and below T_d the
// energy of the marginal "threshold" states of Cugliandolo & Kurchan (PRL 71, 173
// (1993)),
//
//	E_th(T) = −(1/T) [ξ(1) − ξ(q) + x ξ(q)],  ξ(q) = q^p/2,
//	ξ''(q) (1 − q)² = T² (marginality, q ≥ q_d = (p−2)/(p−1)),
//	x = (p−2)(1−q)/q (the fluctuation–dissipation ratio of the aging regime),
//
// which is continuous at T_d (x = 1, q = q_d) and tends to −√(2(p−1)/p) = −E∞/√2 at
// T = 0 (p = 3: −√(4/3) = −1.154701). It panics for p < 3 or T < 0.
func SphericalThresholdEnergyCS(p int, t float64) float64 {
	if p < 3 {
		panic("models: SphericalThresholdEnergyCS needs p ≥ 3")
	}
	if !(t >= 0) {
		panic("models: SphericalThresholdEnergyCS needs T ≥ 0")
	}
	if t == 0 {
		return -SphericalEInf(p) / math.Sqrt2
	}
	if t >= SphericalTd(p) {
		return -1 / (2 * t)
	}
	f := float64(p)
	marg := func(q float64) float64 { return f * (f - 1) / 2 * math.Pow(q, f-2) * (1 - q) * (1 - q) }
	// marg decreases from T_d² at q_d to 0 at q = 1.
	lo, hi := (f-2)/(f-1), 1.0
	for range 200 {
		mid := 0.5 * (lo + hi)
		if mid == lo || mid == hi {
			break
		}
		if marg(mid) > t*t {
			lo = mid
		} else {
			hi = mid
		}
	}
	q := 0.5 * (lo + hi)
	x := (f - 2) * (1 - q) / q
	xi := math.Pow(q, f) / 2
	return -(0.5 - xi + x*xi) / t
}

// SphericalTsCS returns the static transition temperature T_s of the
// Crisanti–Sommers normalization (p ≥ 3), where the one-step replica-symmetry-broken
// solution appears with breakpoint m = 1: with q the root in (0, 1) of
// q²/(p(1−q)) + ln(1−q) + q = 0, β_s² = 2/(p q^{p−2}(1−q)) (Crisanti & Sommers 1992;
// p = 3: T_s = 0.586054, q_s = 0.6450). It panics for p < 3.
func SphericalTsCS(p int) float64 {
	_, t := sphericalTs(p)
	return t
}

func sphericalTs(p int) (q, t float64) {
	if p < 3 {
		panic("models: SphericalTsCS needs p ≥ 3")
	}
	f := float64(p)
	g := func(q float64) float64 { return q*q/(f*(1-q)) + math.Log(1-q) + q }
	// g < 0 for small q (−q²/2 + q²/p·… < 0 for p ≥ 3) and → +∞ as q → 1.
	lo, hi := 1e-3, 1-1e-12
	for range 200 {
		mid := 0.5 * (lo + hi)
		if g(mid) < 0 {
			lo = mid
		} else {
			hi = mid
		}
	}
	q = 0.5 * (lo + hi)
	beta2 := 2 / (f * math.Pow(q, f-2) * (1 - q))
	return q, 1 / math.Sqrt(beta2)
}

// SphericalEquilibriumEnergyCS returns the equilibrium energy per spin of the
// Crisanti–Sommers normalization as N → ∞ (p ≥ 3): −1/(2T) above T_s
// ([SphericalTsCS]), and below it the one-step replica-symmetry-broken energy
//
//	e = −(1/(2T)) [1 − (1−m) q^p],
//
// with q and the breakpoint m stationary points of the 1RSB free energy of
// Crisanti & Sommers (1992) (q0 = 0, ξ(q) = q^p/2):
//
//	β² ξ'(q) = q / ((1−q)(1−(1−m)q)),
//	β² ξ(q) + (1/m²) ln((1−q)/(1−(1−m)q)) + q/(m(1−(1−m)q)) = 0.
//
// As T → 0 it tends to the ground state −E0/√2 (docs/references/spherical.md §2).
// Between T_s and T_d the equilibrium is paramagnetic but the dynamics cannot reach
// it ([SphericalThresholdEnergyCS]). It panics for p < 3 or T ≤ 0.
func SphericalEquilibriumEnergyCS(p int, t float64) float64 {
	if p < 3 {
		panic("models: SphericalEquilibriumEnergyCS needs p ≥ 3")
	}
	if !(t > 0) {
		panic("models: SphericalEquilibriumEnergyCS needs T > 0")
	}
	_, ts := sphericalTs(p)
	if t >= ts {
		return -1 / (2 * t)
	}
	q, m := spherical1RSB(p, 1/t)
	return -(1 / (2 * t)) * (1 - (1-m)*math.Pow(q, float64(p)))
}

// spherical1RSB solves the 1RSB equations of SphericalEquilibriumEnergyCS at β:
// for each m, q is the larger root of the q equation (the stable branch), and m is
// found by bisection on the m equation.
func spherical1RSB(p int, beta float64) (q, m float64) {
	f := float64(p)
	b2 := beta * beta
	// qOf solves β² (p/2) q^{p−2} (1−q)(1−(1−m)q) = 1 on the branch above the
	// maximum of the left side; it returns 0 if there is no root.
	qOf := func(m float64) float64 {
		lhs := func(q float64) float64 { return b2 * f / 2 * math.Pow(q, f-2) * (1 - q) * (1 - (1-m)*q) }
		// The maximum of lhs on (0, 1), by golden-section search.
		a, c := 0.0, 1.0
		for range 200 {
			x1, x2 := a+(c-a)*0.381966, a+(c-a)*0.618034
			if lhs(x1) < lhs(x2) {
				a = x1
			} else {
				c = x2
			}
		}
		top := 0.5 * (a + c)
		if lhs(top) < 1 {
			return 0
		}
		lo, hi := top, 1.0
		for range 200 {
			mid := 0.5 * (lo + hi)
			if lhs(mid) > 1 {
				lo = mid
			} else {
				hi = mid
			}
		}
		return 0.5 * (lo + hi)
	}
	resid := func(m float64) float64 {
		q := qOf(m)
		r := 1 - (1-m)*q
		return b2*math.Pow(q, f)/2 + math.Log((1-q)/r)/(m*m) + q/(m*r)
	}
	// resid changes sign between a small m and m = 1 below T_s.
	lo, hi := 1e-6, 1.0
	slo := resid(lo) > 0
	for range 200 {
		mid := 0.5 * (lo + hi)
		if (resid(mid) > 0) == slo {
			lo = mid
		} else {
			hi = mid
		}
	}
	m = 0.5 * (lo + hi)
	return qOf(m), m
}
