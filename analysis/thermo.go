package analysis

import "fmt"

// The derived quantities below take Series of per-measurement values of intensive
// observables, recorded together (same count and bin length), and return
// bias-corrected jackknife estimates over the given number of blocks (≤ 0 means
// [DefaultBlocks]); N of the result is the number of measurements and Tau is 0.

// Binder returns the Binder cumulant
//
//	U₄ = 1 − ⟨m⁴⟩ / (3⟨m²⟩²),
//
// where m2 and m4 hold m² and m⁴ of each measurement. For an Ising-like order
// parameter U₄ → 0 in the disordered phase (Gaussian m) and → 2/3 in the ordered one
// (m = ±m₀). Called with series of q² and q⁴, it gives the spin-glass cumulant in the
// same normalisation; the often used g = (3 − ⟨q⁴⟩/⟨q²⟩²)/2 is 3/2 times it. (The
// ratio ⟨m⁴⟩/⟨m²⟩² itself is 3(1 − U₄).)
func Binder(m2, m4 *Series, blocks int) Estimate {
	return JackknifeSeries(func(m []float64) float64 { return 1 - m[1]/(3*m[0]*m[0]) }, blocks, m2, m4)
}

// SpecificHeat returns the specific heat per spin, from the fluctuations of the
// energy,
//
//	C/N = β² (⟨E²⟩ − ⟨E⟩²)/N = β² N (⟨e²⟩ − ⟨e⟩²),
//
// where e = E/N is the energy per spin of each measurement (held by e) and e2 holds
// e² of each measurement, β is the inverse temperature (k_B = 1) and n the number of
// spins N. The jackknife removes the leading bias of the variance (⟨e⟩² estimated by
// the squared sample mean is too large by the squared error of the mean). It panics
// if n < 1.
func SpecificHeat(e, e2 *Series, beta float64, n int, blocks int) Estimate {
	if n < 1 {
		panic(fmt.Sprintf("analysis: SpecificHeat with %d spins", n))
	}
	c := beta * beta * float64(n)
	return JackknifeSeries(func(m []float64) float64 { return c * (m[1] - m[0]*m[0]) }, blocks, e, e2)
}

// Susceptibility returns the magnetic susceptibility per spin in the finite-size
// form that uses |m|,
//
//	χ = β N (⟨m²⟩ − ⟨|m|⟩²),
//
// where m is the magnetisation per spin of each measurement, m2 holds m² and absm
// holds |m|, β is the inverse temperature and n the number of spins N. (In the
// disordered phase of a finite system βN⟨m²⟩ is also used; it is βN times
// m2.Estimate().) It panics if n < 1.
func Susceptibility(m2, absm *Series, beta float64, n int, blocks int) Estimate {
	if n < 1 {
		panic(fmt.Sprintf("analysis: Susceptibility with %d spins", n))
	}
	c := beta * float64(n)
	return JackknifeSeries(func(m []float64) float64 { return c * (m[0] - m[1]*m[1]) }, blocks, m2, absm)
}
