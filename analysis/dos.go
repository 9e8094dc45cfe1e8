package analysis

import (
	"fmt"
	"math"
)

// DensityOfStates is ln g(E) of a system of N degrees of freedom on energy levels E
// (total energies, increasing; for binned continuous energies, the bin centres), up to
// an additive constant unless normalised. It gives the canonical thermodynamics at any
// temperature, Z(β) = Σ_E g(E) e^{−βE}, and the microcanonical entropy s(e) = ln g/N.
// For continuous energies the level spacing is a histogram's bin width, and
// thermodynamic averages carry its discretisation error (of order the width squared
// times the second derivative of ln g).
type DensityOfStates struct {
	E, LnG []float64
	N      int
}

// String describes the levels.
func (d DensityOfStates) String() string {
	if len(d.E) == 0 {
		return "density of states (empty)"
	}
	return fmt.Sprintf("density of states N=%d, %d levels from %g to %g", d.N, len(d.E), d.E[0], d.E[len(d.E)-1])
}

// check panics unless d is usable.
func (d DensityOfStates) check(who string) {
	if len(d.E) == 0 || len(d.E) != len(d.LnG) || d.N < 1 {
		panic(fmt.Sprintf("analysis: %s needs N ≥ 1 and as many ln g as levels, have N=%d, %d and %d", who, d.N, len(d.E), len(d.LnG)))
	}
}

// Normalized returns a copy with ln g shifted so that Σ g = e^{lnTotal} (for N Ising
// spins, lnTotal = N ln 2). Levels with ln g = −Inf stay empty.
func (d DensityOfStates) Normalized(lnTotal float64) DensityOfStates {
	d.check("DensityOfStates.Normalized")
	lmax := math.Inf(-1)
	for _, l := range d.LnG {
		lmax = max(lmax, l)
	}
	var z float64
	for _, l := range d.LnG {
		z += math.Exp(l - lmax)
	}
	shift := lnTotal - lmax - math.Log(z)
	out := DensityOfStates{E: append([]float64(nil), d.E...), LnG: make([]float64, len(d.LnG)), N: d.N}
	for k, l := range d.LnG {
		out.LnG[k] = l + shift
	}
	return out
}

// DOSThermo is the canonical thermodynamics at inverse temperature Beta from a
// density of states: LnZ (total), and per degree of freedom the energy E = ⟨E⟩/N, the
// specific heat C = β²(⟨E²⟩ − ⟨E⟩²)/N, the free energy F = −ln Z/(βN) and the entropy
// S = β(E − F) = (ln Z + β⟨E⟩)/N. LnZ, F and S depend on the normalisation of ln g.
type DOSThermo struct {
	Beta, LnZ  float64
	E, C, F, S float64
}

// String returns the values per degree of freedom.
func (t DOSThermo) String() string {
	return fmt.Sprintf("β=%g e=%.8g c=%.8g f=%.8g s=%.8g lnZ=%.10g", t.Beta, t.E, t.C, t.F, t.S, t.LnZ)
}

// Thermo returns the thermodynamics at inverse temperature beta (≥ 0), summing
// g e^{−βE} relative to its largest term. F is −Inf at β = 0.
func (d DensityOfStates) Thermo(beta float64) DOSThermo {
	d.check("DensityOfStates.Thermo")
	if !(beta >= 0) || math.IsInf(beta, 0) {
		panic(fmt.Sprintf("analysis: DensityOfStates.Thermo at β = %v", beta))
	}
	lmax := math.Inf(-1)
	for k, l := range d.LnG {
		lmax = max(lmax, l-beta*d.E[k])
	}
	// Energies relative to the mean of the extremes, for a stable variance.
	ref := (d.E[0] + d.E[len(d.E)-1]) / 2
	var z, m1, m2 float64
	for k, l := range d.LnG {
		w := math.Exp(l - beta*d.E[k] - lmax)
		x := d.E[k] - ref
		z += w
		m1 += w * x
		m2 += w * x * x
	}
	m1, m2 = m1/z, m2/z
	n := float64(d.N)
	t := DOSThermo{Beta: beta, LnZ: math.Log(z) + lmax}
	t.E = (m1 + ref) / n
	t.C = beta * beta * max(0, m2-m1*m1) / n
	t.F = -t.LnZ / (beta * n)
	t.S = (t.LnZ + beta*(m1+ref)) / n
	return t
}

// Entropy returns the microcanonical entropy per degree of freedom s(e) = ln g(E)/N at
// e = E/N, for every level.
func (d DensityOfStates) Entropy() (e, s []float64) {
	d.check("DensityOfStates.Entropy")
	n := float64(d.N)
	e = make([]float64, len(d.E))
	s = make([]float64, len(d.E))
	for k := range d.E {
		e[k], s[k] = d.E[k]/n, d.LnG[k]/n
	}
	return e, s
}
