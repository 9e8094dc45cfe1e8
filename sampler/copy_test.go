package sampler

import (
	"math"
	"slices"
	"testing"

	"github.com/deepglass/deepglass/models"
)

// copyCase is a sampler type whose values hold precomputed tables or scratch space:
// make builds one at β, dup copies a value (b := *a) and setBeta changes its Beta
// field, as a user would.
type copyCase struct {
	name    string
	model   models.Model
	make    func(beta float64) Sweeper
	dup     func(mv Sweeper) Sweeper
	setBeta func(mv Sweeper, beta float64)
}

func copyCases() []copyCase {
	ising := models.NewIsing(models.Square(8), 1, 0)                    // integer, uniform: lattice ferro kernels
	ea := models.NewEA(models.Square(8), models.PlusMinus, disorder(1)) // integer, not uniform
	gauss := models.NewEA(models.Square(6), models.Gaussian, disorder(2))
	var cases []copyCase
	for _, m := range []*models.Sparse{ising, ea, gauss} {
		for _, o := range []Order{Typewriter, RandomSite} {
			cases = append(cases,
				copyCase{"metropolis " + o.String(), m,
					func(b float64) Sweeper { return NewMetropolis(m, b, o) },
					func(mv Sweeper) Sweeper { c := *mv.(*Metropolis); return &c },
					func(mv Sweeper, b float64) { mv.(*Metropolis).Beta = b }},
				copyCase{"heatbath " + o.String(), m,
					func(b float64) Sweeper { return NewHeatBath(m, b, o) },
					func(mv Sweeper) Sweeper { c := *mv.(*HeatBath); return &c },
					func(mv Sweeper, b float64) { mv.(*HeatBath).Beta = b }})
		}
		cases = append(cases,
			copyCase{"wolff", m,
				func(b float64) Sweeper { return NewWolff(m, b) },
				func(mv Sweeper) Sweeper { c := *mv.(*Wolff); return &c },
				func(mv Sweeper, b float64) { mv.(*Wolff).Beta = b }},
			copyCase{"swendsen-wang", m,
				func(b float64) Sweeper { return NewSwendsenWang(m, b) },
				func(mv Sweeper) Sweeper { c := *mv.(*SwendsenWang); return &c },
				func(mv Sweeper, b float64) { mv.(*SwendsenWang).Beta = b }})
	}
	return cases
}

// sameChain reports whether two chains are in the same state with the same counters.
func sameChain(a, b *Chain) bool {
	return slices.Equal(a.S, b.S) && a.E == b.E && a.Accepted == b.Accepted && a.Proposed == b.Proposed
}

// TestSamplerCopyIsolated is the regression test of the sampler-copy aliasing
// (docs/references/sampler-copy.md): a copy b := *a whose Beta is changed used to
// rewrite the acceptance table a sweeps with (8×8 Ising at β = 0.2 then accepted 0.52
// instead of 0.69). For every sampler type with
// tables or scratch space, on integer lattice ferro and ±J models and on a Gaussian
// model, the chain of the original must be bit-identical to an uncopied run's while a
// copy at β = 5 sweeps in between, and the copy must be bit-identical to a fresh
// sampler at β = 5. The same holds the other way round: the original changes β and the
// copy, left at β = 0.2, must follow the uncopied run.
func TestSamplerCopyIsolated(t *testing.T) {
	const lo, hi = 0.2, 5.0
	const before, after = 20, 200
	for _, cc := range copyCases() {
		newChain := func(seed uint64) *Chain { return NewChain(cc.model, NewStream(seed, PurposeChain, 0, 0)) }
		// The uncopied references: β = 0.2 on stream 1, β = 5 on stream 2.
		ref, refC := cc.make(lo), newChain(1)
		for range before + after {
			ref.Sweep(refC)
		}
		hot, hotC := cc.make(hi), newChain(2)
		for range after {
			hot.Sweep(hotC)
		}

		// The copy changes β.
		a, ca := cc.make(lo), newChain(1)
		for range before {
			a.Sweep(ca)
		}
		b, cb := cc.dup(a), newChain(2)
		cc.setBeta(b, hi)
		for range after {
			b.Sweep(cb)
			a.Sweep(ca)
		}
		if !sameChain(ca, refC) {
			t.Errorf("%s on %v: the original's chain changed when a copy swept at β = %g: acceptance %.4f, uncopied %.4f",
				cc.name, cc.model, hi, ca.Acceptance(), refC.Acceptance())
		}
		if !sameChain(cb, hotC) {
			t.Errorf("%s on %v: the copy at β = %g differs from a fresh sampler: acceptance %.4f, fresh %.4f",
				cc.name, cc.model, hi, cb.Acceptance(), hotC.Acceptance())
		}

		// The original changes β; the copy stays at 0.2.
		a2, ca2 := cc.make(lo), newChain(1)
		for range before {
			a2.Sweep(ca2)
		}
		b2 := cc.dup(a2)
		cc.setBeta(a2, hi)
		cx := newChain(2)
		for range after {
			a2.Sweep(cx)
			b2.Sweep(ca2)
		}
		if !sameChain(ca2, refC) {
			t.Errorf("%s on %v: a copy's chain changed when its original swept at β = %g: acceptance %.4f, uncopied %.4f",
				cc.name, cc.model, hi, ca2.Acceptance(), refC.Acceptance())
		}
		if !sameChain(cx, hotC) {
			t.Errorf("%s on %v: the original at β = %g differs from a fresh sampler", cc.name, cc.model, hi)
		}
	}
}

// TestMetropolisCopyAcceptance is the case in numbers (docs/references/
// sampler-copy.md §1): 8×8 Ising at β = 0.2 in typewriter order accepts the same
// fraction of its proposals, within 4σ of its own uncopied run, after a copy with β = 5
// has swept (the bug gave 0.52 instead of 0.69). The errors are those of batch means
// of 100 sweeps. (The two runs use the same stream and are in fact identical.)
func TestMetropolisCopyAcceptance(t *testing.T) {
	m := models.NewIsing(models.Square(8), 1, 0)
	const sweeps = 4000
	run := func(copyFirst bool) (acc []float64) {
		a := NewMetropolis(m, 0.2, Typewriter)
		c := NewChain(m, NewStream(7, PurposeChain, 0, 0))
		if copyFirst {
			b := *a
			b.Beta = 5
			b.Sweep(NewChain(m, NewStream(8, PurposeChain, 0, 0)))
		}
		for range sweeps {
			before := c.Accepted
			a.Sweep(c)
			acc = append(acc, float64(c.Accepted-before)/float64(m.N()))
		}
		return acc
	}
	ref := run(false)
	got := run(true)
	mRef, eRef, _, _ := batchStats(ref, 40)
	mGot, eGot, _, _ := batchStats(got, 40)
	sigma := math.Hypot(eRef, eGot)
	if math.Abs(mGot-mRef) > 4*sigma {
		t.Errorf("acceptance after a copy at β = 5: %.4f ± %.4f; uncopied %.4f ± %.4f", mGot, eGot, mRef, eRef)
	}
	// The 0.69 is not checked: it holds for the rule "ΔE = 0 always accepted",
	// which the tie rule of Typewriter order changes (docs/references/sampler-copy.md §1).
	t.Logf("acceptance %.4f ± %.4f after a copy swept at β = 5, %.4f ± %.4f uncopied", mGot, eGot, mRef, eRef)
}
