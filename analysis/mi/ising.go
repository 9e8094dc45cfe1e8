package mi

import (
	"math"
)

// BetaC2D is the critical inverse temperature ½ ln(1+√2) of the square-lattice Ising
// model with J = 1 (Onsager 1944).
var BetaC2D = 0.5 * math.Log(1+math.Sqrt2)

// IsingCorrelationLength returns the exact correlation length, in lattice spacings,
// of the spin–spin correlation along a lattice axis of the square-lattice Ising model
// (J = 1, infinite lattice) at inverse temperature beta above T_c (beta < BetaC2D):
//
//	1/ξ = 2(K* − K),  tanh K* = e^{−2K},  K = beta,
//
// the gap −γ₀ = −(2K + ln tanh K) of the row transfer matrix (Kaufman 1949; McCoy &
// Wu, The Two-Dimensional Ising Model (1973), ch. XI: ⟨σ_{0,0}σ_{0,r}⟩ ∝ r^{−1/2}
// e^{−r/ξ} for T > T_c). It returns +Inf for beta ≥ BetaC2D and panics for beta ≤ 0.
func IsingCorrelationLength(beta float64) float64 {
	if !(beta > 0) {
		panic("mi: IsingCorrelationLength needs beta > 0")
	}
	if beta >= BetaC2D {
		return math.Inf(1)
	}
	kStar := math.Atanh(math.Exp(-2 * beta))
	return 1 / (2 * (kStar - beta))
}

// SpinMI returns the mutual information (bits) of two ±1 spins with ⟨s⟩ = ⟨s′⟩ = 0 and
// ⟨s s′⟩ = g, whose joint law is p(s,s′) = (1 + g s s′)/4:
//
//	I = 1 − H₂((1+g)/2) = [(1+g) log₂(1+g) + (1−g) log₂(1−g)]/2 ≈ g²/(2 ln 2).
//
// It panics unless −1 ≤ g ≤ 1.
func SpinMI(g float64) float64 {
	if !(g >= -1 && g <= 1) {
		panic("mi: SpinMI needs −1 ≤ g ≤ 1")
	}
	t := func(x float64) float64 {
		if x == 0 {
			return 0
		}
		return x * math.Log2(x)
	}
	return (t(1+g) + t(1-g)) / 2
}
