package models

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Funnel is the minimally frustrated random energy model of Bryngelson & Wolynes
// (PNAS 84, 7524 (1987)): one native configuration ξ with energy −Nε, and every other
// configuration with an independent Gaussian energy of mean 0 and variance N J²/2, as in
// the [REM] of the same seed (whose level at ξ is replaced by the native energy). It is
// the caricature of a folding protein, and of a trained network: a rugged landscape
// with one deep attractor.
//
// For N → ∞ (docs/references/funnels.md §2), with y = ε/(J√ln 2), the non-native states
// freeze at T_g = J/(2√ln 2) and the native state is the equilibrium state below
//
//	T_f = [ε + √(ε² − J² ln 2)]/(2 ln 2),   T_f/T_g = y + √(y² − 1),
//
// which lies above T_g iff ε > J√ln 2 (the native state below the REM's ground state):
// the folding transition is first order. At finite N the exact probability of the
// native state is P_native(T) = e^{Nε/T}/(e^{Nε/T} + Z′(T)), Z′ the partition function
// of the non-native states ([Funnel.PNative]).
type Funnel struct {
	rem       *REM
	native    []int8
	nativeIdx uint64
	eps       float64
	// Name describes the model, e.g. "funnel N=16 J=1 epsilon=1".
	Name string
}

// NewFunnel returns a BW funnel of n spins, coupling scale j and stability ε per spin
// (native energy −n·eps). Two draws of rng give the instance seed of the non-native REM
// and the native state (bit i of the second draw set: ξ_i = +1). It panics unless
// 1 ≤ n ≤ 64, j > 0 and eps are finite, and rng is not nil.
func NewFunnel(n int, j, eps float64, rng *rand.Rand) *Funnel {
	if rng == nil {
		panic("models: NewFunnel with nil rng")
	}
	seed := rng.Uint64()
	nat := rng.Uint64()
	xi := make([]int8, n)
	SetState(xi, nat)
	return NewFunnelNative(NewREMSeed(n, j, seed), xi, eps)
}

// NewFunnelNative returns the funnel whose non-native states are those of rem and whose
// native state is a copy of xi, at energy −N·eps.
func NewFunnelNative(rem *REM, xi []int8, eps float64) *Funnel {
	if rem == nil {
		panic("models: NewFunnelNative with nil REM")
	}
	if len(xi) != rem.N() {
		panic(fmt.Sprintf("models: NewFunnelNative: native state of %d spins for N = %d", len(xi), rem.N()))
	}
	for i, v := range xi {
		if v != 1 && v != -1 {
			panic(fmt.Sprintf("models: NewFunnelNative: native spin %d is %d, want ±1", i, v))
		}
	}
	if math.IsNaN(eps) || math.IsInf(eps, 0) {
		panic("models: NewFunnelNative needs a finite epsilon")
	}
	return &Funnel{rem: rem, native: append([]int8(nil), xi...), nativeIdx: StateIndex(xi), eps: eps,
		Name: fmt.Sprintf("funnel N=%d J=%g epsilon=%g", rem.N(), rem.J(), eps)}
}

// N returns the number of spins.
func (f *Funnel) N() int { return f.rem.N() }

// Epsilon returns the stability ε per spin: the native energy is −Nε.
func (f *Funnel) Epsilon() float64 { return f.eps }

// J returns the coupling scale of the non-native states.
func (f *Funnel) J() float64 { return f.rem.J() }

// Native returns a copy of the native configuration ξ.
func (f *Funnel) Native() []int8 { return append([]int8(nil), f.native...) }

// NativeEnergy returns −Nε.
func (f *Funnel) NativeEnergy() float64 { return -float64(f.rem.N()) * f.eps }

// NonNative returns the REM whose levels are the non-native energies.
func (f *Funnel) NonNative() *REM { return f.rem }

// EnergyIndex returns the energy of the state of index k ([StateIndex]).
func (f *Funnel) EnergyIndex(k uint64) float64 {
	if k == f.nativeIdx {
		return f.NativeEnergy()
	}
	return f.rem.EnergyIndex(k)
}

// Energy returns the total energy of s.
func (f *Funnel) Energy(s []int8) float64 {
	if len(s) != f.rem.N() {
		panic("models: Funnel.Energy spin length mismatch")
	}
	return f.EnergyIndex(StateIndex(s))
}

// DeltaE returns E(s with spin i flipped) − E(s).
func (f *Funnel) DeltaE(s []int8, i int) float64 {
	k := StateIndex(s)
	return f.EnergyIndex(k^1<<uint(i)) - f.EnergyIndex(k)
}

// NativeOverlap returns the overlap q = (1/N) Σ_i ξ_i s_i of s with the native state.
func (f *Funnel) NativeOverlap(s []int8) float64 { return Overlap(f.native, s) }

// String describes the model.
func (f *Funnel) String() string {
	return fmt.Sprintf("%s (N=%d, seed %#x)", f.Name, f.rem.N(), f.rem.Seed())
}

// NonNativeLnZ returns ln Z′(β) = ln Σ_{s≠ξ} e^{−βE(s)} at each β, by enumerating the
// 2^N − 1 non-native states (log-sum-exp, relative to the lowest energy). It panics if
// N > MaxExactN.
func (f *Funnel) NonNativeLnZ(betas []float64) []float64 {
	n := f.rem.N()
	if n > MaxExactN {
		panic(fmt.Sprintf("models: Funnel.NonNativeLnZ needs N ≤ %d, have %d", MaxExactN, n))
	}
	e := make([]float64, 0, 1<<uint(n))
	emin := math.Inf(1)
	for k := uint64(0); k < 1<<uint(n); k++ {
		if k == f.nativeIdx {
			continue
		}
		x := f.rem.EnergyIndex(k)
		emin = min(emin, x)
		e = append(e, x)
	}
	out := make([]float64, len(betas))
	for b, beta := range betas {
		var z float64
		for _, x := range e {
			z += math.Exp(-beta * (x - emin))
		}
		out[b] = math.Log(z) - beta*emin
	}
	return out
}

// PNative returns the exact probability of the native state at each inverse
// temperature, 1/(1 + Z′ e^{−βNε}), by enumeration ([Funnel.NonNativeLnZ]).
func (f *Funnel) PNative(betas []float64) []float64 {
	lz := f.NonNativeLnZ(betas)
	out := make([]float64, len(betas))
	for k, beta := range betas {
		out[k] = logistic(-beta*f.NativeEnergy() - lz[k])
	}
	return out
}

// FoldingTemperature returns the exact folding temperature of this instance: the
// highest T in [tmin, tmax] at which P_native(T) = 1/2, located on a geometric grid of 40
// points
// and refined by bisection to 1e-10 relative, or NaN if P_native stays on one side of
// 1/2 there. It enumerates 2^N states per evaluation (N ≤ MaxExactN).
func (f *Funnel) FoldingTemperature(tmin, tmax float64) float64 {
	if !(tmin > 0 && tmax > tmin) {
		panic(fmt.Sprintf("models: Funnel.FoldingTemperature(%v, %v) needs 0 < tmin < tmax", tmin, tmax))
	}
	n := f.rem.N()
	if n > MaxExactN {
		panic(fmt.Sprintf("models: Funnel.FoldingTemperature needs N ≤ %d, have %d", MaxExactN, n))
	}
	var e []float64
	for k := uint64(0); k < 1<<uint(n); k++ {
		if k != f.nativeIdx {
			e = append(e, f.rem.EnergyIndex(k))
		}
	}
	en := f.NativeEnergy()
	// g(T) = ln(P/(1−P)) = −βE_N − ln Z′, in sums relative to E_N.
	g := func(t float64) float64 {
		beta := 1 / t
		var z float64
		for _, x := range e {
			z += math.Exp(-beta * (x - en))
		}
		return -math.Log(z)
	}
	const grid = 40
	prevT, prevG := tmax, g(tmax)
	for k := 1; k <= grid; k++ {
		t := tmax * math.Pow(tmin/tmax, float64(k)/grid)
		gt := g(t)
		if (gt >= 0) != (prevG >= 0) {
			lo, hi := t, prevT
			for hi-lo > 1e-10*hi {
				mid := (lo + hi) / 2
				if (g(mid) >= 0) == (gt >= 0) {
					lo = mid
				} else {
					hi = mid
				}
			}
			return (lo + hi) / 2
		}
		prevT, prevG = t, gt
	}
	return math.NaN()
}

func logistic(x float64) float64 {
	if x >= 0 {
		return 1 / (1 + math.Exp(-x))
	}
	ex := math.Exp(x)
	return ex / (1 + ex)
}

// BWGlassTemperature returns the glass temperature T_g = J/(2√ln 2) of the funnel's
// non-native states (the REM's T_c).
func BWGlassTemperature(j float64) float64 { return REMCriticalTemperature(j) }

// BWFoldingTemperature returns the N → ∞ folding temperature of the BW funnel,
// T_f = [ε + √(ε² − J² ln 2)]/(2 ln 2), or NaN when ε ≤ J√ln 2, where the native state
// never becomes the equilibrium state above T_g.
func BWFoldingTemperature(eps, j float64) float64 {
	d := eps*eps - j*j*math.Ln2
	if eps <= 0 || d < 0 {
		return math.NaN()
	}
	return (eps + math.Sqrt(d)) / (2 * math.Ln2)
}

// BWFoldingRatio returns the BW phase boundary T_f/T_g = y + √(y² − 1) for
// y = δE_s/(ΔE√(2S₀)) ≥ 1 (in REM units y = ε/(J√ln 2)), NaN for y < 1.
func BWFoldingRatio(y float64) float64 {
	if !(y >= 1) {
		return math.NaN()
	}
	return y + math.Sqrt(y*y-1)
}

// BWPNativeAnnealed returns the finite-N probability of the native state when the
// non-native partition function is replaced by its mean over instances,
// E[Z′] = (2^N − 1) e^{N β² J²/4}: 1/(1 + E[Z′] e^{−βNε}). It is close to the exact
// instance value above T_g, where Z′ is self-averaging, and wrong below.
func BWPNativeAnnealed(n int, j, eps, t float64) float64 {
	beta := 1 / t
	nf := float64(n)
	lnZ := math.Log(math.Exp2(nf)-1) + nf*beta*beta*j*j/4
	return logistic(beta*nf*eps - lnZ)
}
