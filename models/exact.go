package models

import (
	"fmt"
	"math"
	"math/bits"
)

// MaxExactN is the largest model Exact enumerates.
const MaxExactN = 24

// Thermo holds exact thermal averages of a model at inverse temperature Beta. E and E2
// are moments of the total energy; AbsM, M, M2, M4 are moments of the magnetization per
// spin m = (1/N) Σ_i s_i.
type Thermo struct {
	Beta, LnZ       float64
	N               int
	E, E2           float64
	M, AbsM, M2, M4 float64
}

// EnergyPerSpin returns ⟨E⟩/N.
func (t Thermo) EnergyPerSpin() float64 { return t.E / float64(t.N) }

// SpecificHeat returns the specific heat per spin β²(⟨E²⟩ - ⟨E⟩²)/N.
func (t Thermo) SpecificHeat() float64 {
	return t.Beta * t.Beta * (t.E2 - t.E*t.E) / float64(t.N)
}

// Susceptibility returns βN(⟨m²⟩ - ⟨|m|⟩²), the finite-size susceptibility built on |m|.
func (t Thermo) Susceptibility() float64 {
	return t.Beta * float64(t.N) * (t.M2 - t.AbsM*t.AbsM)
}

// Binder returns the Binder cumulant U₄ = 1 - ⟨m⁴⟩/(3⟨m²⟩²).
func (t Thermo) Binder() float64 { return 1 - t.M4/(3*t.M2*t.M2) }

// FreeEnergyPerSpin returns f = -ln Z/(βN).
func (t Thermo) FreeEnergyPerSpin() float64 { return -t.LnZ / (t.Beta * float64(t.N)) }

// String summarises the averages per spin.
func (t Thermo) String() string {
	return fmt.Sprintf("β=%g N=%d e=%.10g c=%.10g |m|=%.10g m²=%.10g U4=%.10g lnZ=%.10g",
		t.Beta, t.N, t.EnergyPerSpin(), t.SpecificHeat(), t.AbsM, t.M2, t.Binder(), t.LnZ)
}

// Exact returns the exact thermal averages of m at inverse temperature beta by
// enumerating all 2^N states. It panics if N > MaxExactN.
func Exact(m Model, beta float64) Thermo {
	return ExactBetas(m, []float64{beta})[0]
}

// ExactBetas is Exact at several inverse temperatures, sharing one enumeration.
func ExactBetas(m Model, betas []float64) []Thermo {
	n := m.N()
	if n < 1 || n > MaxExactN {
		panic(fmt.Sprintf("models: Exact needs 1 ≤ N ≤ %d, have %d", MaxExactN, n))
	}
	type acc struct{ ref, w, e, e2, m, am, m2, m4 float64 }
	accs := make([]acc, len(betas))
	s := make([]int8, n)
	for i := range s {
		s[i] = -1
	}
	e := m.Energy(s)
	mag := -n
	for i := range accs {
		accs[i].ref = e
	}
	const resync = 1 << 12 // recompute E exactly this often to stop round-off drift
	total := uint64(1) << uint(n)
	for k := uint64(0); k < total; k++ {
		if k > 0 {
			i := bits.TrailingZeros64(k)
			if k%resync == 0 {
				s[i] = -s[i]
				e = m.Energy(s)
			} else {
				e += m.DeltaE(s, i)
				s[i] = -s[i]
			}
			mag += 2 * int(s[i])
		}
		mm := float64(mag) / float64(n)
		m2 := mm * mm
		for b, beta := range betas {
			a := &accs[b]
			if e < a.ref { // keep weights ≤ 1 by moving the reference energy down
				f := math.Exp(-beta * (a.ref - e))
				a.w *= f
				a.e *= f
				a.e2 *= f
				a.m *= f
				a.am *= f
				a.m2 *= f
				a.m4 *= f
				a.ref = e
			}
			w := math.Exp(-beta * (e - a.ref))
			a.w += w
			a.e += w * e
			a.e2 += w * e * e
			a.m += w * mm
			a.am += w * math.Abs(mm)
			a.m2 += w * m2
			a.m4 += w * m2 * m2
		}
	}
	out := make([]Thermo, len(betas))
	for b, beta := range betas {
		a := accs[b]
		out[b] = Thermo{
			Beta: beta, N: n,
			LnZ: math.Log(a.w) - beta*a.ref,
			E:   a.e / a.w, E2: a.e2 / a.w,
			M: a.m / a.w, AbsM: a.am / a.w, M2: a.m2 / a.w, M4: a.m4 / a.w,
		}
	}
	return out
}
