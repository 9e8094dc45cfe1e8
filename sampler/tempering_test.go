package sampler

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/deepglass/deepglass/models"
)

// newTemperingFor returns tempering over betas for m with moves from mk, chains from
// the streams (seed, PurposeChain, 0, k) and swaps from (seed, PurposeSwap, 0, 0).
func newTemperingFor(m models.Model, betas []float64, seed uint64, mk func(m models.Model, beta float64) Sweeper) *Tempering {
	chains := make([]*Chain, len(betas))
	for k := range chains {
		chains[k] = NewChain(m, NewStream(seed, PurposeChain, 0, k))
	}
	return NewTempering(betas, func(beta float64) Sweeper { return mk(m, beta) }, chains, NewStream(seed, PurposeSwap, 0, 0))
}

func heatBathMove(m models.Model, beta float64) Sweeper   { return NewHeatBath(m, beta, Typewriter) }
func metropolisMove(m models.Model, beta float64) Sweeper { return NewMetropolis(m, beta, Typewriter) }

// runTempering runs therm sweeps, then sweeps sweeps recording the energy per spin at
// every slot: e[k][t] is slot k after sweep t.
func runTempering(pt *Tempering, therm, sweeps int) [][]float64 {
	for range therm {
		pt.Sweep()
	}
	e := make([][]float64, len(pt.Betas))
	for k := range e {
		e[k] = make([]float64, sweeps)
	}
	n := float64(len(pt.Chains[0].S))
	for t := range sweeps {
		pt.Sweep()
		for k := range e {
			e[k][t] = pt.ChainAt(k).E / n
		}
	}
	return e
}

// checkDiagnostics fails t unless the swap acceptances are in (0, 1), chains made
// round trips, and the flow runs from 1 at the hottest slot to 0 at the coldest.
func checkDiagnostics(t *testing.T, pt *Tempering) {
	t.Helper()
	for k, a := range pt.Acceptance() {
		if !(a > 0 && a < 1) {
			t.Errorf("swap acceptance of pair %d = %v; want in (0, 1)", k, a)
		}
	}
	f := pt.Flow()
	if f[0] != 1 || f[len(f)-1] != 0 {
		t.Errorf("flow %v; want 1 at the hottest slot and 0 at the coldest", f)
	}
	if pt.RoundTrips() == 0 || !(pt.MeanRoundTrip() > 0) {
		t.Errorf("%d round trips, mean %v sweeps; want some", pt.RoundTrips(), pt.MeanRoundTrip())
	}
	if testing.Verbose() {
		t.Logf("%v", pt)
		t.Logf("acceptance %.3f", pt.Acceptance())
		t.Logf("flow %.3f", f)
	}
}

// TestTemperingExact runs parallel tempering on small models over 8–12 temperatures
// and compares ⟨E⟩/N at every temperature with exact enumeration.
func TestTemperingExact(t *testing.T) {
	cases := []struct {
		name  string
		m     models.Model
		betas []float64
		mk    func(models.Model, float64) Sweeper
	}{
		{"ea4/pm/heatbath", models.NewEA(models.Square(4), models.PlusMinus, disorder(40)), GeometricBetas(0.3, 3, 10), heatBathMove},
		{"ea4/gauss/metropolis", models.NewEA(models.Square(4), models.Gaussian, disorder(41)), GeometricBetas(0.3, 3, 12), metropolisMove},
		{"sk12/heatbath", models.NewSK(12, 0, models.Gaussian, disorder(42)), GeometricBetas(0.2, 2, 8), heatBathMove},
	}
	for k, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			exact := models.ExactBetas(c.m, c.betas)
			pt := newTemperingFor(c.m, c.betas, uint64(500+k), c.mk)
			pt.SetWorkers(1) // TestTemperingDeterministic shows more workers give the same chains
			e := runTempering(pt, 2000, 100_000)
			for s, ex := range exact {
				checkMean(t, fmt.Sprintf("e(T=%.3f)", 1/c.betas[s]), e[s], 100, ex.EnergyPerSpin())
			}
			for _, ch := range pt.Chains {
				if d := ch.Resync(c.m); math.Abs(d) > 1e-9*math.Max(1, math.Abs(ch.E)) {
					t.Errorf("energy drifted by %g", d)
				}
			}
			checkDiagnostics(t, pt)
		})
	}
}

// l8 returns the 8×8 ±J instance whose exact energies models' TestTransferL8 prints.
func l8() *models.Sparse {
	return models.NewEA(models.Square(8), models.PlusMinus, rand.New(rand.NewPCG(8, 2026)))
}

// TestTemperingTransferL8 runs parallel tempering on the 8×8 ±J instance l8 over 13
// temperatures from 0.5 to 2 and compares ⟨E⟩/N at T = 0.5, 1 and 2 with the exact
// transfer matrix. Under -short the run is 5 times shorter.
func TestTemperingTransferL8(t *testing.T) {
	m := l8()
	betas := GeometricBetas(0.5, 2, 13) // T_6 = 1 (up to rounding)
	slots := []int{0, 6, 12}
	var at []float64
	for _, s := range slots {
		at = append(at, betas[s])
	}
	exact, err := models.TransferMatrix2D(m, models.Square(8), at)
	if err != nil {
		t.Fatal(err)
	}
	sweeps := 200_000
	if testing.Short() {
		sweeps = 40_000
	}
	pt := newTemperingFor(m, betas, 600, metropolisMove)
	defer pt.Close()
	e := runTempering(pt, 5000, sweeps)
	for i, s := range slots {
		checkMean(t, fmt.Sprintf("e(T=%.4f)", 1/betas[s]), e[s], 100, exact[i].EnergyPerSpin())
	}
	checkDiagnostics(t, pt)
}

// TestTemperingDeterministic checks that the chains, streams and diagnostics are
// bit-identical for any number of workers and any GOMAXPROCS.
func TestTemperingDeterministic(t *testing.T) {
	m := models.NewEA(models.Cubic(4), models.Gaussian, disorder(43))
	betas := GeometricBetas(0.4, 3, 8)
	type run struct {
		procs, workers int
	}
	var ref string
	for i, r := range []run{{1, 1}, {1, 0}, {2, 0}, {2, 2}, {4, 4}, {4, 3}, {2, 16}} {
		func() {
			defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(r.procs))
			pt := newTemperingFor(m, betas, 700, heatBathMove)
			defer pt.Close()
			pt.SetWorkers(r.workers)
			for range 2000 {
				pt.Sweep()
			}
			got := fingerprint(t, pt)
			if i == 0 {
				ref = got
			} else if got != ref {
				t.Errorf("GOMAXPROCS=%d, %d workers: state differs from GOMAXPROCS=1, 1 worker", r.procs, r.workers)
			}
			if w := pt.effectiveWorkers(); w != min(r.procs, max(r.workers, 1)) && r.workers != 0 {
				t.Errorf("GOMAXPROCS=%d, SetWorkers(%d): %d workers", r.procs, r.workers, w)
			}
		}()
	}
}

// fingerprint returns a string that pins the complete state of pt: spins, energies,
// counters and streams of every chain, and the tempering state.
func fingerprint(t *testing.T, pt *Tempering) string {
	t.Helper()
	var b strings.Builder
	for _, c := range pt.Chains {
		src, err := c.Src.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%v %x %d %d %x\n", c.S, math.Float64bits(c.E), c.Accepted, c.Proposed, src)
	}
	src, err := pt.Src.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(&b, "%+v %x", pt.State(), src)
	return b.String()
}

// noMove is a Sweeper that leaves the chain alone.
type noMove struct{}

func (noMove) Sweep(*Chain) {}

// TestSwapDetailedBalance checks the exchange move on a toy: two temperatures, one spin
// in a field h per chain (two states each). Exactly: the transition matrix of one
// exchange proposal over (spins, slot assignment), built from swapLogRatio, keeps the
// product Boltzmann distribution invariant. By simulation: with frozen spins (sweeps
// that do nothing) the fraction of sweeps with chain A at the hot slot converges to
// its stationary value 1/(1+e^{2(β₁−β₀)h·…}).
func TestSwapDetailedBalance(t *testing.T) {
	const h = 0.7
	m := models.NewSparse(1, nil, []float64{h})
	betas := []float64{0.4, 1.3}
	newPT := func() *Tempering {
		chains := []*Chain{NewChainFrom(m, []int8{1}, NewStream(1, PurposeChain, 0, 0)), NewChainFrom(m, []int8{-1}, NewStream(1, PurposeChain, 0, 1))}
		return NewTempering(betas, func(float64) Sweeper { return noMove{} }, chains, NewStream(1, PurposeSwap, 0, 0))
	}
	// Exact: states x = (sA, sB, σ), σ = 0 if chain A is at slot 0.
	pt := newPT()
	energy := func(s int8) float64 { return -h * float64(s) }
	type state struct {
		sA, sB int8
		sigma  int
	}
	var states []state
	for _, sA := range []int8{1, -1} {
		for _, sB := range []int8{1, -1} {
			for sigma := range 2 {
				states = append(states, state{sA, sB, sigma})
			}
		}
	}
	pi := make([]float64, len(states))
	var z float64
	for i, x := range states {
		eA, eB := energy(x.sA), energy(x.sB)
		if x.sigma == 0 {
			pi[i] = math.Exp(-betas[0]*eA - betas[1]*eB)
		} else {
			pi[i] = math.Exp(-betas[0]*eB - betas[1]*eA)
		}
		z += pi[i]
	}
	next := make([]float64, len(states))
	for i, x := range states {
		pi[i] /= z
		pt.Chains[0].S[0], pt.Chains[1].S[0] = x.sA, x.sB
		pt.Chains[0].E, pt.Chains[1].E = energy(x.sA), energy(x.sB)
		pt.Slot[0], pt.Slot[1] = x.sigma, 1-x.sigma
		p := math.Min(1, math.Exp(pt.swapLogRatio(0)))
		j := i ^ 1 // the same spins with the other assignment
		next[j] += pi[i] * p
		next[i] += pi[i] * (1 - p)
	}
	for i := range pi {
		if math.Abs(next[i]-pi[i]) > 1e-12 {
			t.Errorf("πP ≠ π at %+v: %v vs %v", states[i], next[i], pi[i])
		}
	}
	// Simulation: chain A (s = +1, E = −h) and chain B (s = −1, E = +h), frozen.
	pt = newPT()
	const sweeps = 400_000
	hot := make([]float64, sweeps)
	for k := range hot {
		pt.Sweep()
		if pt.Slot[0] == 0 {
			hot[k] = 1
		}
	}
	// π(A hot) ∝ e^{−β₀E_A−β₁E_B} = e^{(β₀−β₁)h}, π(B hot) ∝ e^{(β₁−β₀)h}.
	want := 1 / (1 + math.Exp(2*(betas[1]-betas[0])*h))
	checkMean(t, "P(chain A at the hot slot)", hot, 100, want)
	if pt.Tried[0] != sweeps/2 {
		t.Errorf("Tried = %d; want %d (one proposal every other sweep)", pt.Tried[0], sweeps/2)
	}
}

// TestTemperingAllocs checks that Sweep allocates nothing, with one worker and with two.
func TestTemperingAllocs(t *testing.T) {
	m := models.NewEA(models.Square(6), models.PlusMinus, disorder(45))
	for _, w := range []int{1, 2} {
		func() {
			defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
			pt := newTemperingFor(m, GeometricBetas(0.5, 2, 6), 1000, metropolisMove)
			defer pt.Close()
			pt.SetWorkers(w)
			pt.Sweep()
			if a := testing.AllocsPerRun(200, pt.Sweep); a != 0 {
				t.Errorf("%d workers: %v allocations per Sweep; want 0", w, a)
			}
		}()
	}
}

// TestTemperingStateRestore checks that State and Restore, with the chains and streams
// saved alongside, resume a run bit for bit, and that Restore rejects bad states.
func TestTemperingStateRestore(t *testing.T) {
	m := models.NewSK(16, 0, models.Gaussian, disorder(46))
	pt := newTemperingFor(m, GeometricBetas(0.3, 2, 6), 1100, metropolisMove)
	defer pt.Close()
	for range 300 {
		pt.Sweep()
	}
	// Save.
	st := pt.State()
	type saved struct {
		s         []int8
		e         float64
		acc, prop int64
		src       []byte
	}
	var chains []saved
	for _, c := range pt.Chains {
		b, _ := c.Src.MarshalBinary()
		chains = append(chains, saved{append([]int8(nil), c.S...), c.E, c.Accepted, c.Proposed, b})
	}
	swapSrc, _ := pt.Src.MarshalBinary()
	for range 200 {
		pt.Sweep()
	}
	want := fingerprint(t, pt)
	// Restore into a fresh Tempering with a different ladder, and replay.
	pt2 := newTemperingFor(m, GeometricBetas(0.5, 1, 6), 1, metropolisMove)
	defer pt2.Close()
	for k, c := range pt2.Chains {
		copy(c.S, chains[k].s)
		c.E, c.Accepted, c.Proposed = chains[k].e, chains[k].acc, chains[k].prop
		if err := c.Src.UnmarshalBinary(chains[k].src); err != nil {
			t.Fatal(err)
		}
	}
	if err := pt2.Src.UnmarshalBinary(swapSrc); err != nil {
		t.Fatal(err)
	}
	if err := pt2.Restore(st); err != nil {
		t.Fatal(err)
	}
	checkMoves(t, pt2)
	for range 200 {
		pt2.Sweep()
	}
	if got := fingerprint(t, pt2); got != want {
		t.Errorf("restored run differs:\n%s\nwant\n%s", got, want)
	}
	if !strings.Contains(st.String(), "sweeps=300") {
		t.Errorf("State().String() = %q", st)
	}

	bad := []func(s *TemperingState){
		func(s *TemperingState) { s.Betas = s.Betas[:5] },
		func(s *TemperingState) { s.Betas[2] = s.Betas[1] },
		func(s *TemperingState) { s.Slot[0] = s.Slot[1] },
		func(s *TemperingState) { s.Slot[0] = 6 },
		func(s *TemperingState) { s.Tried = nil },
		func(s *TemperingState) { s.Swapped[0] = s.Tried[0] + 1 },
		func(s *TemperingState) { s.Label[0] = 3 },
		func(s *TemperingState) { s.Parity = 2 },
		func(s *TemperingState) { s.FlowCold = s.FlowCold[1:] },
		func(s *TemperingState) { s.Sweeps = -1 },
	}
	for i, f := range bad {
		s := pt.State()
		f(&s)
		before := fingerprint(t, pt)
		if err := pt.Restore(s); err == nil {
			t.Errorf("bad state %d: Restore accepted it", i)
		}
		if fingerprint(t, pt) != before {
			t.Errorf("bad state %d: Restore changed the Tempering", i)
		}
	}
}

// helpers returns the number of live pool helper goroutines, from a dump of all stacks.
// It counts the goroutines created by newSweepPool: a helper that has not started yet
// shows only a wrapper frame, not (*sweepPool).helper.
func helpers() int {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			return strings.Count(string(buf[:n]), "created by github.com/deepglass/deepglass/sampler.newSweepPool")
		}
		buf = make([]byte, 2*len(buf))
	}
}

// TestTemperingClose checks that Close stops the helper goroutines, that a Tempering
// dropped without Close has them stopped by its cleanup, and that a panicking move
// re-panics in the caller.
func TestTemperingClose(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(3))
	m := models.NewEA(models.Square(4), models.PlusMinus, disorder(47))
	for range 3 { // let the cleanups of other tests' dropped Temperings run
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
	base := helpers()
	waitFor := func(what string, n int) {
		t.Helper()
		deadline := time.Now().Add(5 * time.Second)
		var seen []int
		for h := helpers(); h != n && time.Now().Before(deadline); h = helpers() {
			seen = append(seen, h)
			runtime.GC()
			time.Sleep(time.Millisecond)
		}
		if h := helpers(); h != n {
			t.Errorf("%s: %d helpers; want %d (seen %v)", what, h, n, seen)
		}
	}
	pt := newTemperingFor(m, GeometricBetas(0.5, 2, 4), 1200, metropolisMove)
	pt.Sweep()
	waitFor("after Sweep with 3 workers", base+2)
	pt.Close()
	pt.Close()
	waitFor("after Close", base)
	pt.Sweep() // usable again
	waitFor("after another Sweep", base+2)
	pt.SetWorkers(2)
	pt.Sweep()
	waitFor("after SetWorkers(2)", base+1)
	pt.SetWorkers(1)
	pt.Sweep()
	waitFor("after SetWorkers(1)", base)

	func() {
		pt := newTemperingFor(m, GeometricBetas(0.5, 2, 4), 1200, metropolisMove)
		pt.Sweep()
	}()
	waitFor("after dropping a Tempering", base)

	pt = newTemperingFor(m, GeometricBetas(0.5, 2, 4), 1200, metropolisMove)
	defer pt.Close()
	pt.Moves[2] = panicMove{}
	for range 3 { // whichever goroutine runs slot 2
		func() {
			defer func() {
				if r := recover(); r != "boom" {
					t.Errorf("recovered %v; want boom", r)
				}
			}()
			pt.Sweep()
		}()
	}
}

type panicMove struct{}

func (panicMove) Sweep(*Chain) { panic("boom") }

// TestNewTemperingPanics checks the argument checks of NewTempering.
func TestNewTemperingPanics(t *testing.T) {
	m := models.NewIsing(models.Square(3), 1, 0)
	mk := func(beta float64) Sweeper { return NewMetropolis(m, beta, Typewriter) }
	chains := func(n int) []*Chain {
		cs := make([]*Chain, n)
		for k := range cs {
			cs[k] = NewChain(m, NewStream(1, PurposeChain, 0, k))
		}
		return cs
	}
	swap := NewStream(1, PurposeSwap, 0, 0)
	shared := chains(2)
	shared[1].Src = shared[0].Src
	for _, c := range []struct {
		name string
		f    func()
	}{
		{"no temperatures", func() { NewTempering(nil, mk, nil, swap) }},
		{"decreasing", func() { NewTempering([]float64{1, 0.5}, mk, chains(2), swap) }},
		{"equal", func() { NewTempering([]float64{1, 1}, mk, chains(2), swap) }},
		{"negative", func() { NewTempering([]float64{-1, 1}, mk, chains(2), swap) }},
		{"infinite", func() { NewTempering([]float64{1, math.Inf(1)}, mk, chains(2), swap) }},
		{"nil move", func() { NewTempering([]float64{0.5, 1}, nil, chains(2), swap) }},
		{"nil source", func() { NewTempering([]float64{0.5, 1}, mk, chains(2), nil) }},
		{"chain count", func() { NewTempering([]float64{0.5, 1}, mk, chains(3), swap) }},
		{"shared stream", func() { NewTempering([]float64{0.5, 1}, mk, shared, swap) }},
		{"swap stream of a chain", func() { cs := chains(2); NewTempering([]float64{0.5, 1}, mk, cs, cs[0].Src) }},
		{"nil chain", func() { NewTempering([]float64{0.5, 1}, mk, []*Chain{nil, nil}, swap) }},
		{"negative workers", func() { NewTempering([]float64{0.5}, mk, chains(1), swap).SetWorkers(-1) }},
	} {
		mustPanic(t, c.name, c.f)
	}
	// One temperature works: no exchanges, no round trips.
	pt := NewTempering([]float64{0.5}, mk, chains(1), swap)
	pt.Sweep()
	if len(pt.Acceptance()) != 0 || pt.RoundTrips() != 0 || !strings.Contains(pt.String(), "K=1") {
		t.Errorf("one temperature: %v", pt)
	}
	var b bytes.Buffer
	fmt.Fprint(&b, pt)
}

// BenchmarkTempering3DEA runs parallel tempering on the 3D ±J Edwards–Anderson model
// with L = 8 (N = 512) over 16 temperatures from 0.5 to 2.0 (around T_c ≈ 1.1,
// docs/references/ea.md). The workers follow GOMAXPROCS: compare -cpu 1,2.
func BenchmarkTempering3DEA(b *testing.B) {
	m := models.NewEA(models.Cubic(8), models.PlusMinus, disorder(30))
	betas := GeometricBetas(0.5, 2.0, 16)
	for _, mv := range []struct {
		name string
		mk   func(models.Model, float64) Sweeper
	}{{"heatbath", heatBathMove}, {"metropolis", metropolisMove}} {
		b.Run(mv.name, func(b *testing.B) {
			pt := newTemperingFor(m, betas, 1, mv.mk)
			defer pt.Close()
			for range 100 {
				pt.Sweep()
			}
			// A b.N loop, not b.Loop: in Go 1.26 b.Loop runs the whole measurement of
			// the first -cpu value before the testing package sets GOMAXPROCS for it.
			b.ResetTimer()
			for range b.N {
				pt.Sweep()
			}
			b.StopTimer()
			updates := float64(b.N) * float64(len(betas)*m.N())
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/updates, "ns/update")
			b.ReportMetric(float64(pt.effectiveWorkers()), "workers")
		})
	}
}

// BenchmarkTemperingSpeedup measures the speedup of two workers over one on 3D ±J EA
// (L = 8, 16 temperatures), alternating blocks of sweeps with 1 and 2 workers in the same
// run so that the machine's drifting speed affects both alike. It reports the ratio of
// the times, "speedup", and needs GOMAXPROCS ≥ 2.
func BenchmarkTemperingSpeedup(b *testing.B) {
	if runtime.GOMAXPROCS(0) < 2 {
		b.Skip("needs GOMAXPROCS ≥ 2")
	}
	m := models.NewEA(models.Cubic(8), models.PlusMinus, disorder(30))
	betas := GeometricBetas(0.5, 2.0, 16)
	for _, mv := range []struct {
		name string
		mk   func(models.Model, float64) Sweeper
	}{{"heatbath", heatBathMove}, {"metropolis", metropolisMove}} {
		b.Run(mv.name, func(b *testing.B) {
			pt := newTemperingFor(m, betas, 1, mv.mk)
			defer pt.Close()
			const block = 50
			var t [3]time.Duration
			for w := 1; w <= 2; w++ { // warm up both pools
				pt.SetWorkers(w)
				for range block {
					pt.Sweep()
				}
			}
			b.ResetTimer()
			for range b.N {
				for w := 1; w <= 2; w++ {
					pt.SetWorkers(w)
					start := time.Now()
					for range block {
						pt.Sweep()
					}
					t[w] += time.Since(start)
				}
			}
			updates := float64(b.N) * block * float64(len(betas)*m.N())
			b.ReportMetric(float64(t[1].Nanoseconds())/updates, "ns/update-1")
			b.ReportMetric(float64(t[2].Nanoseconds())/updates, "ns/update-2")
			b.ReportMetric(float64(t[1])/float64(t[2]), "speedup")
		})
	}
}
