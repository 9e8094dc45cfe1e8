package sampler

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/deepglass/deepglass/models"
)

// Population annealing (Hukushima & Iba 2003; Machta, PRE 82, 026704 (2010); Wang,
// Machta & Katzgraber, PRE 92, 063307 (2015)); the formulas are collected in
// docs/references/scale.md §2.
//
// A population of about R replicas starts from uniformly random configurations, the
// exact equilibrium at β = 0, and is annealed to larger β in steps. At each step
// β → β + Δβ every replica i gets the weight τ_i = e^{−Δβ E_i}; the normalization
// Q = (1/R_β) Σ_i τ_i estimates Z(β + Δβ)/Z(β), so that ln Z is known at every β from
// ln Z(0) = N ln 2; the population is resampled in proportion to τ (each replica copied
// about R τ_i/Σ τ times) and every replica then makes Sweeps sweeps at the new β.
// Averages at β are averages over the population.
//
// Independent populations (PAOptions.Populations) give the errors (a jackknife over
// populations) and the overlaps (replica j of one population with replica j of
// another); their results are combined by Machta's weighted average, each population's
// averages weighted by its estimate of Z, which removes the 1/R bias of the equal-weight
// average to leading order, and the free energy is −ln(mean of the Z estimates)/β.
//
// The equilibration of a population is judged from its families (the descendants of
// one replica of the β = 0 population): ρ_t = R Σ_f ν_f², ν_f the fraction of the
// population in family f, and the family entropy S_f = −Σ_f ν_f ln ν_f (ρ_s = R e^{−S_f});
// Wang, Machta & Katzgraber take R ≥ 100 ρ_t as the sign of an equilibrated run, and a
// point that fails it carries a warning.

// PAResampling is the resampling rule of population annealing.
type PAResampling int

const (
	// NearestResampling gives replica i ⌊ρ_i⌋ or ⌊ρ_i⌋ + 1 copies, the latter with
	// probability ρ_i − ⌊ρ_i⌋, where ρ_i = R τ_i/Σ_j τ_j (Wang, Machta & Katzgraber
	// 2015): the population size fluctuates around R, with the smallest variance of the
	// copy numbers. The default.
	NearestResampling PAResampling = iota
	// MultinomialResampling draws exactly R replicas with probabilities τ_i/Σ_j τ_j.
	MultinomialResampling
)

// String returns "nearest" or "multinomial".
func (r PAResampling) String() string {
	switch r {
	case NearestResampling:
		return "nearest"
	case MultinomialResampling:
		return "multinomial"
	}
	return fmt.Sprintf("PAResampling(%d)", int(r))
}

// ParsePAResampling parses "nearest" (or "") and "multinomial".
func ParsePAResampling(s string) (PAResampling, error) {
	switch s {
	case "", "nearest":
		return NearestResampling, nil
	case "multinomial":
		return MultinomialResampling, nil
	}
	return 0, fmt.Errorf("unknown resampling %q (want nearest or multinomial)", s)
}

// PAOptions configures population annealing. Zero values take the defaults noted.
type PAOptions struct {
	// Betas are the inverse temperatures at which a point is recorded, strictly
	// increasing and > 0; the anneal starts at β = 0 and ends at the last. Required.
	Betas []float64
	// R is the target size of each population (default 1000).
	R int
	// Populations is the number of independent populations (default 8); errors and
	// overlaps need at least 2. The jackknife error over M populations is itself
	// uncertain by about 1/√(2(M−1)) of its value, so quote errors from M ≥ 8.
	Populations int
	// Sweeps is the number of sweeps of every replica after each resampling (default 10).
	Sweeps int
	// Overlap is the target overlap α = Σ_i min(1/R_β, τ_i/Σ_j τ_j) of the population
	// with its reweighted self, which sets each step Δβ (default 0.85): 1 − α is the
	// fraction of the population the step culls. Steps never pass a β of Betas.
	Overlap float64
	// Schedule, if not empty, fixes the steps instead: the β after each step, strictly
	// increasing, > 0, holding every β of Betas and ending at the last.
	Schedule []float64
	// Resampling is the resampling rule (default NearestResampling).
	Resampling PAResampling
	// Seed and Sample select the random streams: the streams of step k derive from
	// StreamSeed(Seed, PurposePopulation, Sample, k), so that Sample separates the
	// disorder samples of one study.
	Seed   uint64
	Sample int
	// Workers is the number of goroutines that sweep replicas (GOMAXPROCS if < 1).
	// Results do not depend on it.
	Workers int
}

// Defaults of PAOptions.
const (
	DefaultPAR           = 1000
	DefaultPAPopulations = 8
	DefaultPASweeps      = 10
	DefaultPAOverlap     = 0.85
)

// withDefaults returns o with zero fields set to their defaults.
func (o PAOptions) withDefaults() PAOptions {
	if o.R == 0 {
		o.R = DefaultPAR
	}
	if o.Populations == 0 {
		o.Populations = DefaultPAPopulations
	}
	if o.Sweeps == 0 {
		o.Sweeps = DefaultPASweeps
	}
	if o.Overlap == 0 {
		o.Overlap = DefaultPAOverlap
	}
	if o.Workers < 1 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	o.Betas = slices.Clone(o.Betas)
	o.Schedule = slices.Clone(o.Schedule)
	return o
}

// Validate reports every problem of o (after defaults) in one error, or nil.
func (o PAOptions) Validate() error {
	o = o.withDefaults()
	var errs []error
	bad := func(format string, a ...any) { errs = append(errs, fmt.Errorf(format, a...)) }
	if len(o.Betas) == 0 {
		bad("population annealing: no Betas")
	}
	for k, b := range o.Betas {
		if !(b > 0) || math.IsInf(b, 0) || k > 0 && !(b > o.Betas[k-1]) {
			bad("population annealing: Betas[%d] = %v: want finite, > 0 and increasing", k, b)
		}
	}
	if o.R < 2 {
		bad("population annealing: R = %d: want at least 2", o.R)
	}
	if o.Populations < 1 {
		bad("population annealing: Populations = %d: want at least 1", o.Populations)
	}
	if o.Sweeps < 0 {
		bad("population annealing: Sweeps = %d: want ≥ 0", o.Sweeps)
	}
	if !(o.Overlap > 0 && o.Overlap < 1) {
		bad("population annealing: Overlap = %v: want 0 < α < 1", o.Overlap)
	}
	if o.Resampling != NearestResampling && o.Resampling != MultinomialResampling {
		bad("population annealing: unknown resampling %v", o.Resampling)
	}
	if len(o.Schedule) > 0 {
		for k, b := range o.Schedule {
			if !(b > 0) || math.IsInf(b, 0) || k > 0 && !(b > o.Schedule[k-1]) {
				bad("population annealing: Schedule[%d] = %v: want finite, > 0 and increasing", k, b)
			}
		}
		for _, b := range o.Betas {
			if !slices.Contains(o.Schedule, b) {
				bad("population annealing: Schedule does not hold β = %v of Betas", b)
			}
		}
		if len(o.Betas) > 0 && o.Schedule[len(o.Schedule)-1] != o.Betas[len(o.Betas)-1] {
			bad("population annealing: Schedule ends at %v, not at the last β of Betas", o.Schedule[len(o.Schedule)-1])
		}
	}
	return errors.Join(errs...)
}

// String describes the options.
func (o PAOptions) String() string {
	sched := fmt.Sprintf("adaptive α=%g", o.Overlap)
	if len(o.Schedule) > 0 {
		sched = fmt.Sprintf("%d fixed steps", len(o.Schedule))
	}
	return fmt.Sprintf("population annealing R=%d ×%d populations, %d sweeps/step, %s, %v resampling, %d points to β=%g",
		o.R, o.Populations, o.Sweeps, sched, o.Resampling, len(o.Betas), last(o.Betas))
}

func last(x []float64) float64 {
	if len(x) == 0 {
		return math.NaN()
	}
	return x[len(x)-1]
}

// PAEstimate is a mean with its standard error (NaN when it cannot be estimated: one
// population).
type PAEstimate struct{ Mean, Err float64 }

// String formats the estimate as "mean ± err".
func (e PAEstimate) String() string { return fmt.Sprintf("%.6g ± %.2g", e.Mean, e.Err) }

// MarshalJSON writes {"mean": …, "err": …} with null for NaN or infinite values, so
// that a state or point with no error (one population) still encodes.
func (e PAEstimate) MarshalJSON() ([]byte, error) {
	f := func(x float64) *float64 {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil
		}
		return &x
	}
	return json.Marshal(struct {
		Mean *float64 `json:"mean"`
		Err  *float64 `json:"err"`
	}{f(e.Mean), f(e.Err)})
}

// UnmarshalJSON reads what MarshalJSON writes, null as NaN.
func (e *PAEstimate) UnmarshalJSON(b []byte) error {
	var v struct{ Mean, Err *float64 }
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	e.Mean, e.Err = math.NaN(), math.NaN()
	if v.Mean != nil {
		e.Mean = *v.Mean
	}
	if v.Err != nil {
		e.Err = *v.Err
	}
	return nil
}

// PAPoint holds the results of population annealing at one β of PAOptions.Betas. All
// quantities but LnZ are per spin; errors are from the jackknife over populations.
type PAPoint struct {
	Beta float64
	// Step is the number of temperature steps taken to reach Beta.
	Step int
	// LnZ is the total ln Z (the log of the mean of the populations' estimates of Z);
	// FreeEnergy f = −ln Z/(βN) and Entropy s = β(e − f).
	LnZ, FreeEnergy, Entropy PAEstimate
	Energy                   PAEstimate
	// SpecificHeat is β²N(⟨e²⟩ − ⟨e⟩²), Susceptibility βN(⟨m²⟩ − ⟨|m|⟩²), Binder
	// U₄ = 1 − ⟨m⁴⟩/(3⟨m²⟩²).
	SpecificHeat, AbsM, M2, M4, Susceptibility, Binder PAEstimate
	// With two or more populations: overlaps q of replica j of one population with
	// replica j of another (every pair of populations), BinderSG g = (3 − ⟨q⁴⟩/⟨q²⟩²)/2,
	// and the link overlap for sparse and packed models (NaN otherwise).
	Q2, Q4, AbsQ, BinderSG, LinkOverlap PAEstimate
	// MinEnergy is the lowest energy per spin in the populations.
	MinEnergy float64
	// Population is the mean population size, Families the mean number of surviving
	// families; RhoT the largest ρ_t of the populations, RhoS and FamilyEntropy (S_f)
	// means over populations.
	Population, Families, RhoT, RhoS, FamilyEntropy float64
	// Warnings says why the point may not be equilibrated (R < 100 ρ_t).
	Warnings []string
}

// String summarises the point.
func (p PAPoint) String() string {
	return fmt.Sprintf("β=%g (step %d): f=%v e=%v q²=%v ρ_t=%.3g", p.Beta, p.Step, p.FreeEnergy, p.Energy, p.Q2, p.RhoT)
}

// PAState is the state of a [PopulationAnnealing] between steps, for checkpoints: the
// replicas (spins and families), the anneal's position and its estimates so far. The
// random streams need not be saved: each step reseeds them from (Seed, Sample, step).
// Scalar runs fill Spins, packed runs Words and Size.
type PAState struct {
	Beta     float64
	Step     int
	Next     int       // index of the next β of Betas to reach
	Schedule []float64 // β after each step so far
	LnZ      []float64 // per population, at Beta
	Culled   []float64 // fraction of the population culled at each step (mean over populations)
	Points   []PAPoint
	Family   [][]int32  // [population][replica]: index of the β = 0 ancestor
	Spins    [][][]int8 // [population][replica][site]
	// Energies are the total energies of scalar replicas as the run tracked them
	// ([population][replica]), restored as they are so that a resumed run repeats the
	// uninterrupted one bit for bit (energies recomputed from the spins may differ in
	// the last bits for real couplings); when absent they are recomputed.
	Energies [][]float64
	Words    [][][]uint64 // [population][word][site]: 64 replicas per word
	Size     []int        // replicas per population (packed)
}

// String summarises the state.
func (s PAState) String() string {
	return fmt.Sprintf("population annealing state: step %d, β=%g, %d points, %d populations", s.Step, s.Beta, len(s.Points), len(s.LnZ))
}

// PAPopulation is one population of a [PopulationAnnealing]: its replicas and their
// move. Package sampler implements it for scalar chains ([NewPopulationAnnealing]);
// sampler/packed implements it for bit-packed lanes. It is the hook for populations
// outside this package ([NewPopulationAnnealingOf]); users of population annealing do
// not call its methods.
//
// A population holds Size() replicas in Units() units of sweeping work (chains, or
// words of 64 lanes), each unit with its own random stream. Families()[j] is the β = 0
// ancestor of replica j. The methods are called from one goroutine, except Sweep,
// which is called concurrently for distinct units.
type PAPopulation interface {
	Size() int
	Families() []int32
	// Energies sets dst[j] to the total energy of replica j.
	Energies(dst []float64)
	Magnetizations(dst []float64)
	// Overlaps sets q[j] and ql[j] to the overlap and link overlap of replica j with
	// replica j of o (a population of the same kind), for j < len(q) (NaN link overlaps
	// where the model has no bonds to count).
	Overlaps(o PAPopulation, q, ql []float64)
	// Resample replaces the population by copies of replicas parents[t], t = 0, 1, …,
	// with their families.
	Resample(parents []int32)
	// Prepare sets β and reseeds the streams of the step of seed for population r:
	// unit u from StreamSeed(seed, PurposeChain, r, u).
	Prepare(beta float64, seed uint64, r int)
	Units() int
	// Sweep makes sweeps sweeps of unit u with the scratch of one goroutine, made by
	// NewWorker of any population of the run.
	Sweep(u, sweeps int, w *PAWorker)
	NewWorker(beta float64) *PAWorker
	// SaveState appends population r to s (Spins for scalar chains, Words and Size for
	// packed lanes; Family is filled by the caller).
	SaveState(s *PAState, r int)
	// Load returns a new population of the same model and move holding population r
	// of s, or an error if s does not fit; the receiver is unchanged.
	Load(s *PAState, r int) (PAPopulation, error)
}

// PAWorker is the scratch of one sweeping goroutine: the move of scalar populations
// (Sweepers are not safe for concurrent use); packed populations need none.
type PAWorker struct{ Sweeper Sweeper }

// PopulationAnnealing runs population annealing; see the package documentation above
// and docs/population-annealing.md. Use [NewPopulationAnnealing] (scalar chains with
// any move) or NewPopulationAnnealing of sampler/packed (packed lanes, ±J models).
type PopulationAnnealing struct {
	// Options are the resolved options (defaults set).
	Options PAOptions
	n       int
	pops    []PAPopulation
	lnZ     []float64
	beta    float64
	step    int
	next    int
	sched   []float64
	culled  []float64
	points  []PAPoint
	e       [][]float64 // scratch: energies per population
	m, q    []float64
	ql      []float64
}

// NewPopulationAnnealing returns population annealing of m with the equilibrium move
// move(β) (as for [NewTempering]: Metropolis, heat bath, Wolff, … built once per step
// and goroutine). The populations start from uniformly random configurations. Invalid
// options are an error; a nil model or move panics.
func NewPopulationAnnealing(m models.Model, move func(beta float64) Sweeper, opts PAOptions) (*PopulationAnnealing, error) {
	if m == nil || move == nil {
		panic("sampler: NewPopulationAnnealing with nil model or move")
	}
	sp, _ := m.(*models.Sparse)
	return NewPopulationAnnealingOf(m.N(), opts, func(r, size int, seed uint64) PAPopulation {
		p := &paScalar{m: m, sp: sp, move: move, fam: make([]int32, size)}
		for j := range size {
			p.chains = append(p.chains, NewChain(m, newStreamFrom(seed, r, j)))
			p.fam[j] = int32(j)
		}
		return p
	})
}

// NewPopulationAnnealingOf returns population annealing of n spins over the
// populations newPop builds: newPop(r, size, seed) returns population r of size replicas
// drawn uniformly at random (the equilibrium at β = 0), replica j in family j, unit u
// streamed by NewStream(seed, PurposeChain, r, u). size is the resolved Options.R. It is
// the constructor behind [NewPopulationAnnealing] and the packed populations of
// sampler/packed. Invalid options are an error.
func NewPopulationAnnealingOf(n int, opts PAOptions, newPop func(r, size int, seed uint64) PAPopulation) (*PopulationAnnealing, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	pa := newPA(opts, n)
	seed := pa.stepSeed(0)
	for r := range pa.pops {
		pa.pops[r] = newPop(r, pa.Options.R, seed)
	}
	return pa, nil
}

func newPA(opts PAOptions, n int) *PopulationAnnealing {
	o := opts.withDefaults()
	pa := &PopulationAnnealing{Options: o, n: n, pops: make([]PAPopulation, o.Populations),
		lnZ: make([]float64, o.Populations), e: make([][]float64, o.Populations)}
	for r := range pa.lnZ {
		pa.lnZ[r] = float64(n) * math.Ln2 // Z(β = 0) = 2^N
	}
	return pa
}

// stepSeed returns the seed of the streams of step k.
func (pa *PopulationAnnealing) stepSeed(k int) uint64 {
	hi, _ := StreamSeed(pa.Options.Seed, PurposePopulation, pa.Options.Sample, k)
	return hi
}

// newStreamFrom returns the stream of unit j of population r at a step seed.
func newStreamFrom(seed uint64, r, j int) *rand.PCG {
	return NewStream(seed, PurposeChain, r, j)
}

// Beta returns the current inverse temperature.
func (pa *PopulationAnnealing) Beta() float64 { return pa.beta }

// Steps returns the number of temperature steps taken.
func (pa *PopulationAnnealing) Steps() int { return pa.step }

// Done reports whether the anneal has reached the last β of Options.Betas.
func (pa *PopulationAnnealing) Done() bool { return pa.next >= len(pa.Options.Betas) }

// Points returns the points recorded so far (the slice is shared; do not modify).
func (pa *PopulationAnnealing) Points() []PAPoint { return pa.points }

// Schedule returns the β after each step so far (shared; do not modify).
func (pa *PopulationAnnealing) Schedule() []float64 { return pa.sched }

// String summarises the run.
func (pa *PopulationAnnealing) String() string {
	return fmt.Sprintf("%v: step %d at β=%g, %d points", pa.Options, pa.step, pa.beta, len(pa.points))
}

// Run takes steps until the anneal is done or ctx is cancelled (checked between steps:
// the state is then consistent for State and a later Run); it returns ctx's error in the
// latter case.
func (pa *PopulationAnnealing) Run(ctx context.Context) error {
	for !pa.Done() {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("population annealing interrupted at step %d (β = %g): %w", pa.step, pa.beta, err)
		}
		pa.Step()
	}
	return nil
}

// Step takes one temperature step: chooses Δβ, reweights and resamples every population,
// sweeps every replica at the new β, and records a point if the new β is one of
// Options.Betas. It reports whether a step was taken (false once Done).
func (pa *PopulationAnnealing) Step() bool {
	if pa.Done() {
		return false
	}
	o := &pa.Options
	for r, p := range pa.pops {
		pa.e[r] = grow(pa.e[r], p.Size())
		p.Energies(pa.e[r])
	}
	target := o.Betas[pa.next]
	var nb float64
	if len(o.Schedule) > 0 {
		nb = o.Schedule[pa.step]
	} else {
		nb = pa.adaptiveBeta(target)
	}
	db := nb - pa.beta
	seed := pa.stepSeed(pa.step + 1)
	var culled float64
	for r, p := range pa.pops {
		src := NewStream(seed, PurposeSwap, r, 0)
		lnQ, parents, c := reweight(pa.e[r], db, o.R, o.Resampling, src)
		pa.lnZ[r] += lnQ
		culled += c
		p.Resample(parents)
	}
	pa.culled = append(pa.culled, culled/float64(len(pa.pops)))
	pa.beta = nb
	pa.step++
	pa.sched = append(pa.sched, nb)
	pa.sweepAll(seed)
	if nb == target {
		pa.points = append(pa.points, pa.measure())
		pa.next++
	}
	return true
}

// adaptiveBeta returns the next β: β + Δβ with the overlap α(Δβ) of the populations
// (averaged over them) equal to Options.Overlap, found by bisection, or target if the
// whole step to it keeps α at least that high.
func (pa *PopulationAnnealing) adaptiveBeta(target float64) float64 {
	want := pa.Options.Overlap
	alpha := func(db float64) float64 {
		var s float64
		for _, e := range pa.e {
			s += overlapAlpha(e, db)
		}
		return s / float64(len(pa.e))
	}
	hi := target - pa.beta
	if alpha(hi) >= want {
		return target
	}
	lo := 0.0
	for range 100 {
		mid := (lo + hi) / 2
		if mid == lo || mid == hi {
			break
		}
		if alpha(mid) >= want {
			lo = mid
		} else {
			hi = mid
		}
	}
	if lo == 0 { // cannot happen for finite energies: α is continuous with α(0) = 1
		lo = hi
	}
	return pa.beta + lo
}

// overlapAlpha returns Σ_i min(1/n, τ_i/Σ_j τ_j) with τ_i = e^{−Δβ E_i}.
func overlapAlpha(e []float64, db float64) float64 {
	emin := slices.Min(e)
	var w float64
	for _, x := range e {
		w += math.Exp(-db * (x - emin))
	}
	inv := 1 / float64(len(e))
	var a float64
	for _, x := range e {
		a += min(inv, math.Exp(-db*(x-emin))/w)
	}
	return a
}

// reweight returns ln Q = ln((1/n) Σ_i e^{−Δβ E_i}), the parents of the resampled
// population (each replica i repeated by its number of copies, in order), and the
// fraction of the population that got no copy.
func reweight(e []float64, db float64, r int, rule PAResampling, src *rand.PCG) (lnQ float64, parents []int32, culled float64) {
	emin := slices.Min(e)
	w := make([]float64, len(e))
	var sum float64
	for i, x := range e {
		w[i] = math.Exp(-db * (x - emin))
		sum += w[i]
	}
	lnQ = -db*emin + math.Log(sum/float64(len(e)))
	uniform := func() float64 { return float64(src.Uint64()>>11) * 0x1p-53 }
	parents = make([]int32, 0, r+r/8)
	zero := 0
	switch rule {
	case MultinomialResampling:
		// R sorted uniforms from normalized sums of R+1 exponential variates.
		var total float64
		ex := make([]float64, r+1)
		for k := range ex {
			ex[k] = -math.Log1p(-uniform())
			total += ex[k]
		}
		var u, cum float64
		i := 0
		for k := range r {
			u += ex[k] / total
			for i < len(w)-1 && cum+w[i]/sum <= u {
				cum += w[i] / sum
				i++
			}
			parents = append(parents, int32(i))
		}
	default:
		for i := range w {
			rho := float64(r) * w[i] / sum
			c := math.Floor(rho)
			if uniform() < rho-c {
				c++
			}
			for range int(c) {
				parents = append(parents, int32(i))
			}
		}
	}
	if len(parents) == 0 { // possible only with vanishing weights everywhere
		parents = append(parents, int32(slices.Index(w, slices.Max(w))))
	}
	seen := make([]bool, len(e))
	for _, p := range parents {
		seen[p] = true
	}
	for _, s := range seen {
		if !s {
			zero++
		}
	}
	return lnQ, parents, float64(zero) / float64(len(e))
}

// sweepAll prepares every population for the step of seed and sweeps all their units
// on the workers, each unit Options.Sweeps times.
func (pa *PopulationAnnealing) sweepAll(seed uint64) {
	type item struct{ r, u int }
	var items []item
	for r, p := range pa.pops {
		p.Prepare(pa.beta, seed, r)
		for u := range p.Units() {
			items = append(items, item{r, u})
		}
	}
	if pa.Options.Sweeps == 0 {
		return
	}
	nw := min(pa.Options.Workers, len(items))
	workers := make([]*PAWorker, nw)
	for w := range workers {
		workers[w] = pa.pops[0].NewWorker(pa.beta)
	}
	var wg sync.WaitGroup
	for w := range nw {
		lo, hi := w*len(items)/nw, (w+1)*len(items)/nw
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, it := range items[lo:hi] {
				pa.pops[it.r].Sweep(it.u, pa.Options.Sweeps, workers[w])
			}
		}()
	}
	wg.Wait()
}

// popMoments are one population's averages at a point.
type popMoments struct{ e1, e2, am, m2, m4, emin float64 }

// measure records the point at the current β.
func (pa *PopulationAnnealing) measure() PAPoint {
	P := len(pa.pops)
	n := float64(pa.n)
	beta := pa.beta
	mom := make([]popMoments, P)
	pt := PAPoint{Beta: beta, Step: pa.step, MinEnergy: math.Inf(1)}
	for r, p := range pa.pops {
		size := p.Size()
		pa.e[r] = grow(pa.e[r], size)
		p.Energies(pa.e[r])
		pa.m = grow(pa.m, size)
		p.Magnetizations(pa.m)
		var mm popMoments
		mm.emin = math.Inf(1)
		for j, E := range pa.e[r] {
			e := E / n
			m := pa.m[j]
			mm.e1 += e
			mm.e2 += e * e
			mm.am += math.Abs(m)
			mm.m2 += m * m
			mm.m4 += m * m * m * m
			mm.emin = min(mm.emin, e)
		}
		s := float64(size)
		mm.e1, mm.e2, mm.am, mm.m2, mm.m4 = mm.e1/s, mm.e2/s, mm.am/s, mm.m2/s, mm.m4/s
		mom[r] = mm
		pt.MinEnergy = min(pt.MinEnergy, mm.emin)
		// Families.
		counts := make([]int, pa.Options.R) // families are the replicas of the β = 0 population
		for _, f := range p.Families() {
			counts[f]++
		}
		var rho, sf float64
		alive := 0
		for _, c := range counts {
			if c == 0 {
				continue
			}
			alive++
			nu := float64(c) / s
			rho += nu * nu
			sf -= nu * math.Log(nu)
		}
		rho *= s
		pt.Population += s / float64(P)
		pt.Families += float64(alive) / float64(P)
		pt.RhoT = max(pt.RhoT, rho)
		pt.RhoS += s / math.Exp(sf) / float64(P)
		pt.FamilyEntropy += sf / float64(P)
	}
	// Pair moments: q², q⁴, |q|, q_l of replica j of population a with replica j of b.
	type pairMoments struct{ q2, q4, aq, ql float64 }
	pairs := make([][]pairMoments, P)
	for a := range P {
		pairs[a] = make([]pairMoments, P)
		for b := a + 1; b < P; b++ {
			k := min(pa.pops[a].Size(), pa.pops[b].Size())
			pa.q, pa.ql = grow(pa.q, k), grow(pa.ql, k)
			pa.pops[a].Overlaps(pa.pops[b], pa.q, pa.ql)
			var pm pairMoments
			for j, q := range pa.q {
				pm.q2 += q * q
				pm.q4 += q * q * q * q
				pm.aq += math.Abs(q)
				pm.ql += pa.ql[j]
			}
			kf := float64(k)
			pm.q2, pm.q4, pm.aq, pm.ql = pm.q2/kf, pm.q4/kf, pm.aq/kf, pm.ql/kf
			pairs[a][b] = pm
		}
	}
	// Estimates over a set of populations (all, or all but one for the jackknife), each
	// weighted by its Z estimate (Machta 2010).
	const nq = 15
	est := func(skip int) [nq]float64 {
		var zmax = math.Inf(-1)
		for r, l := range pa.lnZ {
			if r != skip {
				zmax = max(zmax, l)
			}
		}
		w := make([]float64, P)
		var wsum float64
		cnt := 0
		for r, l := range pa.lnZ {
			if r != skip {
				w[r] = math.Exp(l - zmax)
				wsum += w[r]
				cnt++
			}
		}
		var e1, e2, am, m2, m4 float64
		for r := range P {
			if r == skip {
				continue
			}
			x := w[r] / wsum
			e1 += x * mom[r].e1
			e2 += x * mom[r].e2
			am += x * mom[r].am
			m2 += x * mom[r].m2
			m4 += x * mom[r].m4
		}
		var q2, q4, aq, ql, pw float64
		for a := range P {
			for b := a + 1; b < P; b++ {
				if a == skip || b == skip {
					continue
				}
				x := w[a] * w[b]
				pw += x
				q2 += x * pairs[a][b].q2
				q4 += x * pairs[a][b].q4
				aq += x * pairs[a][b].aq
				ql += x * pairs[a][b].ql
			}
		}
		q2, q4, aq, ql = q2/pw, q4/pw, aq/pw, ql/pw
		lnZ := zmax + math.Log(wsum/float64(cnt))
		f := -lnZ / (beta * n)
		return [nq]float64{lnZ, f, beta * (e1 - f), e1, beta * beta * n * (e2 - e1*e1),
			am, m2, m4, beta * n * (m2 - am*am), 1 - m4/(3*m2*m2),
			q2, q4, aq, (3 - q4/(q2*q2)) / 2, ql}
	}
	full := est(-1)
	var errs [nq]float64
	if P < 2 {
		for k := range errs {
			errs[k] = math.NaN()
		}
	} else {
		jk := make([][nq]float64, P)
		var mean [nq]float64
		for r := range P {
			jk[r] = est(r)
			for k := range nq {
				mean[k] += jk[r][k] / float64(P)
			}
		}
		for k := range nq {
			var v float64
			for r := range P {
				d := jk[r][k] - mean[k]
				v += d * d
			}
			errs[k] = math.Sqrt(float64(P-1) / float64(P) * v)
		}
	}
	e := func(k int) PAEstimate { return PAEstimate{Mean: full[k], Err: errs[k]} }
	pt.LnZ, pt.FreeEnergy, pt.Entropy, pt.Energy, pt.SpecificHeat = e(0), e(1), e(2), e(3), e(4)
	pt.AbsM, pt.M2, pt.M4, pt.Susceptibility, pt.Binder = e(5), e(6), e(7), e(8), e(9)
	pt.Q2, pt.Q4, pt.AbsQ, pt.BinderSG, pt.LinkOverlap = e(10), e(11), e(12), e(13), e(14)
	if P < 2 {
		nan := PAEstimate{Mean: math.NaN(), Err: math.NaN()}
		pt.Q2, pt.Q4, pt.AbsQ, pt.BinderSG, pt.LinkOverlap = nan, nan, nan, nan, nan
	}
	if float64(pa.Options.R) < 100*pt.RhoT {
		pt.Warnings = append(pt.Warnings, fmt.Sprintf("ρ_t = %.3g > R/100 = %.3g: the populations may not be in equilibrium at β = %g (raise R or Sweeps)",
			pt.RhoT, float64(pa.Options.R)/100, beta))
	}
	return pt
}

// grow returns x resized to n, reusing its storage when it can.
func grow(x []float64, n int) []float64 {
	if cap(x) < n {
		return make([]float64, n)
	}
	return x[:n]
}

// State returns a copy of the run's state for a checkpoint.
func (pa *PopulationAnnealing) State() PAState {
	s := PAState{Beta: pa.beta, Step: pa.step, Next: pa.next, Schedule: slices.Clone(pa.sched),
		LnZ: slices.Clone(pa.lnZ), Culled: slices.Clone(pa.culled), Family: make([][]int32, len(pa.pops))}
	for _, p := range pa.points {
		p.Warnings = slices.Clone(p.Warnings)
		s.Points = append(s.Points, p)
	}
	for r, p := range pa.pops {
		s.Family[r] = slices.Clone(p.Families())
		p.SaveState(&s, r)
	}
	return s
}

// Restore sets the run's state from s (copying it). It returns an error, and changes
// nothing, if s does not fit this run: another number of populations or sites, a
// position outside Options.Betas, or malformed replicas.
func (pa *PopulationAnnealing) Restore(s PAState) error {
	P := len(pa.pops)
	if len(s.LnZ) != P || len(s.Family) != P {
		return fmt.Errorf("population annealing state has %d populations, want %d", len(s.LnZ), P)
	}
	if s.Next < 0 || s.Next > len(pa.Options.Betas) || s.Step < 0 || len(s.Schedule) != s.Step || len(s.Points) != s.Next {
		return fmt.Errorf("population annealing state: step %d, next point %d, %d scheduled, %d points do not fit %d Betas",
			s.Step, s.Next, len(s.Schedule), len(s.Points), len(pa.Options.Betas))
	}
	if s.Step > 0 && s.Schedule[s.Step-1] != s.Beta || s.Step == 0 && s.Beta != 0 {
		return errors.New("population annealing state: Beta is not the last scheduled β")
	}
	// Load into fresh populations, so that a failure changes nothing.
	fresh := make([]PAPopulation, P)
	for r, p := range pa.pops {
		q, err := p.Load(&s, r)
		if err != nil {
			return fmt.Errorf("population annealing state: population %d: %w", r, err)
		}
		if len(s.Family[r]) != q.Size() {
			return fmt.Errorf("population annealing state: population %d has %d families for %d replicas", r, len(s.Family[r]), q.Size())
		}
		for j, f := range s.Family[r] {
			if f < 0 || int(f) >= pa.Options.R {
				return fmt.Errorf("population annealing state: population %d: replica %d has family %d outside [0, %d)", r, j, f, pa.Options.R)
			}
		}
		fresh[r] = q
	}
	pa.pops = fresh
	pa.beta, pa.step, pa.next = s.Beta, s.Step, s.Next
	pa.sched, pa.lnZ, pa.culled = slices.Clone(s.Schedule), slices.Clone(s.LnZ), slices.Clone(s.Culled)
	pa.points = nil
	for _, p := range s.Points {
		p.Warnings = slices.Clone(p.Warnings)
		pa.points = append(pa.points, p)
	}
	return nil
}

// Replicas returns the number of replicas in all populations now.
func (pa *PopulationAnnealing) Replicas() int {
	n := 0
	for _, p := range pa.pops {
		n += p.Size()
	}
	return n
}

// Culled returns the fraction of the population culled at each step so far (mean over
// populations; shared, do not modify).
func (pa *PopulationAnnealing) Culled() []float64 { return pa.culled }

// Report formats the points as a table.
func (pa *PopulationAnnealing) Report() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%8s %5s %22s %22s %22s %8s %8s\n", "β", "step", "f", "e", "q²", "ρ_t", "S_f")
	for _, p := range pa.points {
		fmt.Fprintf(&b, "%8.4g %5d %22v %22v %22v %8.3g %8.3g\n", p.Beta, p.Step, p.FreeEnergy, p.Energy, p.Q2, p.RhoT, p.FamilyEntropy)
	}
	return b.String()
}
