package rg

import (
	"fmt"
	"math"

	"github.com/deepglass/deepglass/analysis"
	"github.com/deepglass/deepglass/models"
)

// Moments accumulates, configuration by configuration, the magnetization per spin m
// and the nearest-neighbour energy per spin e = −Σ_⟨ij⟩ s_i s_j / N (J = 1) of spin
// configurations on one lattice — sampled, blocked or produced by a network — and
// estimates U₄, ⟨|m|⟩ and ⟨e⟩ with jackknife errors. Make it with [NewMoments].
type Moments struct {
	Lattice models.Lattice
	m2, m4  *analysis.Series
	absm, e *analysis.Series
	v       OperatorValues
}

// NewMoments returns empty moments of configurations on l, binned by binLen values
// (see [analysis.Series]). It panics if l is not a chain, square or cubic lattice or
// binLen < 1.
func NewMoments(l models.Lattice, binLen int) *Moments {
	if l.Validate() != nil {
		panic(fmt.Sprintf("rg: NewMoments on %v", l))
	}
	return &Moments{Lattice: l, m2: analysis.NewSeries(binLen), m4: analysis.NewSeries(binLen),
		absm: analysis.NewSeries(binLen), e: analysis.NewSeries(binLen)}
}

// Add records the configuration s. It allocates only when a bin completes.
func (m *Moments) Add(s []int8) {
	Measure(&m.v, s, m.Lattice)
	n := float64(len(s))
	x := m.v.Odd[0] / n
	x2 := x * x
	m.m2.Add(x2)
	m.m4.Add(x2 * x2)
	m.absm.Add(math.Abs(x))
	m.e.Add(-m.v.Even[0] / n)
}

// Merge appends the configurations of o (same lattice and bin length).
func (m *Moments) Merge(o *Moments) {
	if o.Lattice != m.Lattice {
		panic(fmt.Sprintf("rg: Moments.Merge of %v into %v", o.Lattice, m.Lattice))
	}
	m.m2.Merge(o.m2)
	m.m4.Merge(o.m4)
	m.absm.Merge(o.absm)
	m.e.Merge(o.e)
}

// Count returns the number of configurations added.
func (m *Moments) Count() int { return int(m.m2.Count()) }

// Binder returns U₄ = 1 − ⟨m⁴⟩/(3⟨m²⟩²) over the given number of jackknife blocks
// (≤ 0: analysis.DefaultBlocks).
func (m *Moments) Binder(blocks int) analysis.Estimate { return analysis.Binder(m.m2, m.m4, blocks) }

// AbsMagnetization returns ⟨|m|⟩ with its jackknife error.
func (m *Moments) AbsMagnetization(blocks int) analysis.Estimate { return mean(m.absm, blocks) }

// Energy returns the nearest-neighbour energy per spin ⟨e⟩ with its jackknife error.
func (m *Moments) Energy(blocks int) analysis.Estimate { return mean(m.e, blocks) }

func mean(s *analysis.Series, blocks int) analysis.Estimate {
	return analysis.JackknifeSeries(func(m []float64) float64 { return m[0] }, blocks, s)
}

// String returns e.g. "square:16, 1000 configurations: U4 0.61(1) |m| 0.70(1) e -1.45(1)".
func (m *Moments) String() string {
	return fmt.Sprintf("%v, %d configurations: U4 %v |m| %v e %v", m.Lattice, m.Count(),
		m.Binder(0), m.AbsMagnetization(0), m.Energy(0))
}
