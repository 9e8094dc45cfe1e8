package packed

import (
	"slices"
	"testing"

	"github.com/deepglass/deepglass/models"
	"github.com/deepglass/deepglass/sampler"
)

// TestPackedCopyIsolated is TestSamplerCopyIsolated of package sampler for the packed sweeper, on a
// lattice (whose tables SetBeta replaces) and on a graph (whose tables SetBeta used to
// rewrite in place), through both SetBeta and the Beta field.
func TestPackedCopyIsolated(t *testing.T) {
	lat, err := NewModel(models.NewEA(models.Square(8), models.PlusMinus, disorder(3)))
	if err != nil {
		t.Fatal(err)
	}
	graph, err := NewGraphLanes([]*models.Sparse{randomPMGraph(30, 0.2, 1, disorder(4))})
	if err != nil {
		t.Fatal(err)
	}
	same := func(a, b *Chain) bool {
		return slices.Equal(a.S, b.S) && a.Accepted == b.Accepted && a.Proposed == b.Proposed
	}
	const lo, hi = 0.2, 2.0
	for _, pm := range []*Model{lat, graph} {
		for _, draws := range []Draws{IndependentLanes, SharedDraw} {
			for _, viaField := range []bool{false, true} {
				set := func(mv *Metropolis, b float64) {
					if viaField {
						mv.Beta = b
					} else {
						mv.SetBeta(b)
					}
				}
				newChain := func(seed uint64) *Chain { return NewChain(pm, sampler.NewStream(seed, sampler.PurposeChain, 0, 0)) }
				ref, refC := NewMetropolis(pm, lo, draws), newChain(1)
				hot, hotC := NewMetropolis(pm, hi, draws), newChain(2)
				for range 60 {
					ref.Sweep(refC)
				}
				for range 50 {
					hot.Sweep(hotC)
				}
				a, ca := NewMetropolis(pm, lo, draws), newChain(1)
				for range 10 {
					a.Sweep(ca)
				}
				b, cb := *a, newChain(2)
				set(&b, hi)
				for range 50 {
					b.Sweep(cb)
					a.Sweep(ca)
				}
				if !same(ca, refC) {
					t.Errorf("%v %v (field %v): the original changed when a copy swept at β = %g", pm, draws, viaField, hi)
				}
				if !same(cb, hotC) {
					t.Errorf("%v %v (field %v): the copy at β = %g differs from a fresh sweeper", pm, draws, viaField, hi)
				}
				// The original changes β; its copy stays at lo.
				a2, ca2 := NewMetropolis(pm, lo, draws), newChain(1)
				for range 10 {
					a2.Sweep(ca2)
				}
				b2, cx := *a2, newChain(2)
				set(a2, hi)
				for range 50 {
					a2.Sweep(cx)
					b2.Sweep(ca2)
				}
				if !same(ca2, refC) {
					t.Errorf("%v %v (field %v): a copy changed when its original swept at β = %g", pm, draws, viaField, hi)
				}
				if !same(cx, hotC) {
					t.Errorf("%v %v (field %v): the original at β = %g differs from a fresh sweeper", pm, draws, viaField, hi)
				}
			}
		}
	}
}
