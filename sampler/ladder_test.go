package sampler

import (
	"fmt"
	"math"
	"testing"

	"github.com/deepglass/deepglass/models"
)

// TestLadders checks GeometricBetas and BetasFromTemperatures.
func TestLadders(t *testing.T) {
	b := GeometricBetas(0.25, 4, 9)
	if b[0] != 0.25 || b[8] != 4 {
		t.Errorf("GeometricBetas endpoints %v, %v; want 0.25, 4", b[0], b[8])
	}
	for k := 1; k < len(b); k++ {
		if r := b[k] / b[k-1]; math.Abs(r-math.Sqrt2) > 1e-12 {
			t.Errorf("β[%d]/β[%d] = %v; want √2", k, k-1, r)
		}
	}
	if g := GeometricBetas(2, 2, 1); len(g) != 1 || g[0] != 0.5 {
		t.Errorf("GeometricBetas(2, 2, 1) = %v; want [0.5]", g)
	}
	got := BetasFromTemperatures([]float64{1, math.Inf(1), 0.5, 2})
	if want := []float64{0, 0.5, 1, 2}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("BetasFromTemperatures = %v; want %v", got, want)
	}
	mustPanic(t, "GeometricBetas(2, 1, 4)", func() { GeometricBetas(2, 1, 4) })
	mustPanic(t, "GeometricBetas(0, 1, 4)", func() { GeometricBetas(0, 1, 4) })
	mustPanic(t, "GeometricBetas(1, 2, 1)", func() { GeometricBetas(1, 2, 1) })
	mustPanic(t, "GeometricBetas(1, +Inf, 3)", func() { GeometricBetas(1, math.Inf(1), 3) })
	mustPanic(t, "BetasFromTemperatures(0)", func() { BetasFromTemperatures([]float64{1, 0}) })
	mustPanic(t, "BetasFromTemperatures(NaN)", func() { BetasFromTemperatures([]float64{math.NaN()}) })
	mustPanic(t, "BetasFromTemperatures(repeat)", func() { BetasFromTemperatures([]float64{1, 2, 1}) })
}

// acceptanceSpread runs sweeps sweeps of pt from fresh statistics and returns min/max of
// the pair acceptances.
func acceptanceSpread(pt *Tempering, sweeps int) float64 {
	pt.ResetStats()
	for range sweeps {
		pt.Sweep()
	}
	lo, hi := math.Inf(1), 0.0
	for _, a := range pt.Acceptance() {
		lo, hi = min(lo, a), max(hi, a)
	}
	return lo / hi
}

// TestAdaptConstantAcceptance starts SK N=32 from a ladder linear in β, whose
// acceptances are far from equal, and checks that adaptation evens them out.
func TestAdaptConstantAcceptance(t *testing.T) {
	m := models.NewSK(32, 0, models.Gaussian, disorder(44))
	const k = 10
	betas := make([]float64, k)
	for i := range betas {
		betas[i] = 0.3 + 3*float64(i)/(k-1) // T from 3.3 to 0.3
	}
	pt := newTemperingFor(m, betas, 800, metropolisMove)
	pt.SetWorkers(1)
	for range 2000 {
		pt.Sweep()
	}
	before := acceptanceSpread(pt, 20_000)
	accBefore := pt.Acceptance()
	pt.AdaptConstantAcceptance(20_000)
	if pt.Betas[0] != betas[0] || pt.Betas[k-1] != betas[k-1] {
		t.Errorf("endpoints moved: %v", pt.Betas)
	}
	checkMoves(t, pt)
	after := acceptanceSpread(pt, 20_000)
	t.Logf("min/max acceptance %.3f → %.3f", before, after)
	t.Logf("before %.3f", accBefore)
	t.Logf("after  %.3f", pt.Acceptance())
	t.Logf("T      %.3f", temperatures(pt.Betas))
	if !(after > before) || after < 0.8 {
		t.Errorf("min/max acceptance %.3f → %.3f; want closer to 1 (≥ 0.8)", before, after)
	}
}

// temperatures returns 1/β for each β.
func temperatures(betas []float64) []float64 {
	ts := make([]float64, len(betas))
	for k, b := range betas {
		ts[k] = 1 / b
	}
	return ts
}

// checkMoves fails t unless the ladder is strictly increasing and Moves[k] is a
// Metropolis at Betas[k].
func checkMoves(t *testing.T, pt *Tempering) {
	t.Helper()
	if err := checkLadder(pt.Betas); err != nil {
		t.Errorf("ladder %v: %v", pt.Betas, err)
	}
	for k, mv := range pt.Moves {
		if b := mv.(*Metropolis).Beta; b != pt.Betas[k] {
			t.Errorf("Moves[%d] at β = %v; want %v", k, b, pt.Betas[k])
		}
	}
}

// TestAdaptFeedback runs the feedback optimisation on the 8×8 Ising ferromagnet across
// its transition and checks that it keeps the endpoints, rebuilds the moves, and
// brings the flow closer to linear.
func TestAdaptFeedback(t *testing.T) {
	m := models.NewIsing(models.Square(8), 1, 0)
	betas := GeometricBetas(1.2, 5, 10)
	pt := newTemperingFor(m, betas, 900, metropolisMove)
	pt.SetWorkers(1)
	for range 2000 {
		pt.Sweep()
	}
	dev := func() float64 { // max |f(k) − (1 − k/(K−1))|
		pt.ResetStats()
		for range 40_000 {
			pt.Sweep()
		}
		var d float64
		for k, f := range pt.Flow() {
			d = max(d, math.Abs(f-(1-float64(k)/float64(len(betas)-1))))
		}
		return d
	}
	before := dev()
	flowBefore, tripBefore := pt.Flow(), pt.MeanRoundTrip()
	pt.AdaptFeedback(4, 10_000)
	if pt.Betas[0] != betas[0] || pt.Betas[len(betas)-1] != betas[len(betas)-1] {
		t.Errorf("endpoints moved: %v", pt.Betas)
	}
	checkMoves(t, pt)
	after := dev()
	t.Logf("T    %.3f", temperatures(pt.Betas))
	t.Logf("flow %.3f (round trip %.0f sweeps) → %.3f (%.0f sweeps)", flowBefore, tripBefore, pt.Flow(), pt.MeanRoundTrip())
	t.Logf("max deviation of f from linear %.3f → %.3f", before, after)
	if !(after < before) {
		t.Errorf("max deviation of the flow from linear %.3f → %.3f; want smaller", before, after)
	}
}
