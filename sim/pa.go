package sim

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"sync/atomic"
	"time"

	"github.com/deepglass/deepglass/analysis"
	"github.com/deepglass/deepglass/sampler"
	"github.com/deepglass/deepglass/sampler/packed"
)

// Sampler pa: population annealing (sampler.PopulationAnnealing; docs/population-annealing.md).
// Each disorder sample is annealed from T = ∞ to the lowest temperature of the config
// by -replicas independent populations of -population replicas, in adaptive steps
// (target overlap -pa-overlap of successive reweighted populations), with -sweeps sweeps
// of every replica after each resampling; the config's temperatures are where points
// are recorded. A point holds the free energy and entropy from the populations'
// normalizations beside the usual averages, errors from the jackknife over
// populations, and the equilibration measures ρ_t and the family entropy.

// paStateVersion versions the checkpoint section of a population-annealing run.
const paStateVersion = 1

// paProgressScale is the progress of one sample's anneal: β/β_max in units of 1/1000.
const paProgressScale = 1000

// PAStats is a point's "pa": the equilibration measures of population annealing at one
// temperature (Wang, Machta & Katzgraber, PRE 92, 063307 (2015)). With several
// samples: means over samples, RhoT the largest.
type PAStats struct {
	// R is the target population size (-population), Populations the number of
	// independent populations (-replicas).
	R           int `json:"r"`
	Populations int `json:"populations"`
	// Steps is the number of temperature steps taken from T = ∞ to this point.
	Steps float64 `json:"steps"`
	// Population is the mean population size, Families the mean number of surviving
	// families (descendants of one replica of the T = ∞ population).
	Population float64 `json:"population"`
	Families   float64 `json:"families"`
	// RhoT is ρ_t = R Σ_f ν_f² (ν_f: the fraction of the population in family f), the
	// largest over the populations; RhoTLimit = R/100 is the largest value of an
	// equilibrated run by the criterion R ≥ 100 ρ_t (Wang, Machta & Katzgraber 2015),
	// above which the point carries a pa-equilibration warning.
	RhoT      float64 `json:"rho_t"`
	RhoTLimit float64 `json:"rho_t_limit"`
	// RhoS = R e^{−S_f} and FamilyEntropy S_f = −Σ_f ν_f ln ν_f, means over populations.
	RhoS          float64 `json:"rho_s"`
	FamilyEntropy float64 `json:"family_entropy"`
	// LnZ is the total ln Z of one sample (absent for disorder averages).
	LnZ *analysis.Estimate `json:"ln_z,omitempty"`
}

// PARun is a sample's "population_annealing": the temperature steps the adaptive
// schedule took (β after each step) and the fraction of the population culled at each
// (mean over populations).
type PARun struct {
	Betas  []float64 `json:"betas"`
	Culled []float64 `json:"culled"`
}

func paDefaults(c *Config) {
	if c.Replicas == 0 {
		c.Replicas = sampler.DefaultPAPopulations
	}
	if c.Population == 0 {
		c.Population = sampler.DefaultPAR
		if c.Packed {
			c.Population = 16 * packed.Lanes
		}
	}
	if c.PAOverlap == 0 {
		c.PAOverlap = sampler.DefaultPAOverlap
	}
	setDefault(&c.Move, "metropolis")
	setDefault(&c.Resampling, sampler.NearestResampling.String())
}

// maxPopulation bounds -population.
const maxPopulation = 1 << 24

func validatePA(c *Config, m ModelKind, bad reporter) {
	if c.Replicas < 2 {
		bad("replicas", "pa needs at least 2 independent populations (-replicas) for its error bars and overlaps, have %d", c.Replicas)
	}
	if c.Population < 2 || c.Population > maxPopulation {
		bad("population", "pa needs 2 ≤ population ≤ 2^24 replicas, have %d", c.Population)
	}
	if !(c.PAOverlap > 0 && c.PAOverlap < 1) {
		bad("pa_overlap", "pa needs a target overlap 0 < α < 1 (-pa-overlap), have %v", c.PAOverlap)
	}
	if _, err := sampler.ParsePAResampling(c.Resampling); err != nil {
		bad("resampling", "%v", err)
	}
	switch c.Move {
	case "metropolis":
		validateOrder(c, m, bad)
	case "heatbath":
		if c.Packed {
			bad("packed", "packed pa sweeps with metropolis, not %q", c.Move)
		}
	default:
		bad("move", "pa sweeps with metropolis or heatbath, not %q", c.Move)
	}
	if c.Therm != 0 {
		bad("therm", "pa has no thermalization (it starts in equilibrium at T = ∞ and makes -sweeps sweeps after every temperature step): drop -therm %d", c.Therm)
	}
	if c.Lanes > 64 {
		bad("lanes", "pa runs 64-lane packed populations: drop -lanes %d", c.Lanes)
	}
	if c.MeasureEvery != 1 && c.MeasureEvery != 0 { // 0: the automatic default of packed runs
		bad("measure_every", "pa measures the whole population once at each temperature: drop -measure-every %d", c.MeasureEvery)
	}
	seen := map[float64]bool{}
	for _, t := range c.T {
		if seen[t] {
			bad("T", "pa needs distinct temperatures, %v is repeated", t)
		}
		seen[t] = true
	}
}

// paRunner holds the state of one population-annealing run.
type paRunner struct {
	c       Config
	opts    Options
	threads int
	samples []int
	order   []int // config temperature index of each β, hottest first
	betas   []float64
	done    atomic.Int64
	results []SampleResult // finished samples, in order
	// The sample being annealed when the run was interrupted (cur < 0: none).
	cur      int
	curState *sampler.PAState
	curNanos int64
	curUpd   float64
	warnings []Warning
}

// runPA runs population annealing on every disorder sample of the shard, one sample
// after the other, each on all threads (the results do not depend on their number).
// When ctx is cancelled it writes a checkpoint between two temperature steps (when
// opts.Out is set), from which opts.Resume continues bit for bit.
func runPA(ctx context.Context, c Config, opts Options) (*Summary, error) {
	start := time.Now()
	r := &paRunner{c: c, opts: opts, threads: opts.Threads, cur: -1}
	if r.threads <= 0 {
		r.threads = runtime.GOMAXPROCS(0)
	}
	for s := range c.Samples {
		if opts.Shards <= 1 || s%opts.Shards == opts.Shard {
			r.samples = append(r.samples, s)
		}
	}
	if len(r.samples) == 0 {
		return nil, &InputError{fmt.Errorf("shard %d/%d has no samples (samples = %d)", opts.Shard, opts.Shards, c.Samples)}
	}
	r.order = make([]int, len(c.T))
	for k := range r.order {
		r.order[k] = k
	}
	sort.SliceStable(r.order, func(a, b int) bool { return c.T[r.order[a]] > c.T[r.order[b]] })
	for _, k := range r.order {
		r.betas = append(r.betas, 1/c.T[k])
	}
	inst, err := BuildModel(c, r.samples[0])
	if err != nil {
		return nil, err
	}
	desc, n := fmt.Sprint(inst.Model), inst.Model.N()
	if c.Packed {
		if _, err := packModel(inst.Model); err != nil {
			return nil, err
		}
	}
	if opts.Out != "" && !opts.Resume {
		if err := writeRunConfig(opts.Out, c, opts.Shard, opts.Shards); err != nil {
			return nil, err
		}
	}
	if opts.Resume {
		if err := r.restore(); err != nil {
			return nil, err
		}
	}
	r.done.Store(int64(len(r.results)) * paProgressScale)
	stopProgress := startProgress(opts.Progress, &r.done, int64(len(r.samples))*paProgressScale)
	var runErr error
	lastCk := time.Now()
	for _, s := range r.samples {
		if slices.ContainsFunc(r.results, func(res SampleResult) bool { return res.Sample == s }) {
			continue
		}
		if s != r.samples[0] {
			if inst, err = BuildModel(c, s); err != nil {
				runErr = err
				break
			}
		}
		pa, err := r.newPA(inst, s)
		if err != nil {
			runErr = err
			break
		}
		var nanos int64
		var upd float64
		if r.cur == s {
			if err := pa.Restore(*r.curState); err != nil {
				runErr = &InputError{fmt.Errorf("resume %s: sample %d: %w", opts.Out, s, err)}
				break
			}
			nanos, upd = r.curNanos, r.curUpd
			r.cur, r.curState = -1, nil
		}
		base := int64(len(r.results)) * paProgressScale
		for !pa.Done() && ctx.Err() == nil {
			t0 := time.Now()
			pa.Step()
			nanos += int64(time.Since(t0)) * int64(r.threads)
			upd += float64(pa.Replicas()) * float64(c.Sweeps) * float64(n)
			r.done.Store(base + int64(paProgressScale*pa.Beta()/r.betas[len(r.betas)-1]))
			if opts.CheckpointEvery > 0 && opts.Out != "" && time.Since(lastCk) >= opts.CheckpointEvery && !pa.Done() {
				st := pa.State()
				if err := r.writeCheckpoint(s, &st, nanos, upd); err != nil {
					r.warnings = append(r.warnings, Warning{Code: "checkpoint", Message: fmt.Sprintf("a periodic checkpoint write failed: %v", err)})
					if opts.Log != nil {
						opts.Log("checkpoint: " + err.Error())
					}
				}
				lastCk = time.Now()
			}
		}
		if !pa.Done() { // interrupted
			st := pa.State()
			r.cur, r.curState, r.curNanos, r.curUpd = s, &st, nanos, upd
			break
		}
		r.results = append(r.results, r.sampleResult(inst, s, pa, nanos, upd))
	}
	stopProgress()
	interrupted := runErr == nil && ctx.Err() != nil && len(r.results) < len(r.samples)
	if interrupted && opts.Out != "" {
		if err := r.writeCheckpoint(r.cur, r.curState, r.curNanos, r.curUpd); err != nil {
			runErr = err
		}
	}
	sort.Slice(r.results, func(a, b int) bool { return r.results[a].Sample < r.results[b].Sample })
	sum := Combine(c, desc, n, r.results)
	if opts.Shards > 1 {
		sum.Shard = fmt.Sprintf("%d/%d", opts.Shard, opts.Shards)
	}
	var nanos float64
	for _, res := range r.results {
		sum.Perf.SpinUpdates += res.Perf.SpinUpdates
		nanos += res.Perf.NsPerUpdate * res.Perf.SpinUpdates
	}
	if r.curState != nil {
		sum.Perf.SpinUpdates += r.curUpd
		nanos += float64(r.curNanos)
	}
	sum.Perf.Seconds = time.Since(start).Seconds()
	sum.Perf.Threads = r.threads
	if sum.Perf.SpinUpdates > 0 {
		sum.Perf.NsPerUpdate = nanos / sum.Perf.SpinUpdates
	}
	sum.Interrupted = interrupted
	sum.Warnings = append(sum.Warnings, r.warnings...)
	if opts.Out != "" {
		if err := writeResults(opts.Out, sum, r.results, nil); err != nil && runErr == nil {
			runErr = err
		}
		if !interrupted && runErr == nil {
			removeCheckpoints(opts.Out)
		}
	}
	if runErr == nil && interrupted {
		runErr = fmt.Errorf("%w: %w", ErrInterrupted, ctx.Err())
	}
	return sum, runErr
}

// paOptions returns the library options of sample s.
func (r *paRunner) paOptions(s int) sampler.PAOptions {
	c := r.c
	rs, _ := sampler.ParsePAResampling(c.Resampling) // validated
	return sampler.PAOptions{Betas: r.betas, R: c.Population, Populations: c.Replicas, Sweeps: c.Sweeps,
		Overlap: c.PAOverlap, Resampling: rs, Seed: c.Seed, Sample: s, Workers: r.threads}
}

// newPA builds the population annealing of sample s: packed lanes with -packed, scalar
// chains with the -move sweeper otherwise.
func (r *paRunner) newPA(inst Instance, s int) (*sampler.PopulationAnnealing, error) {
	c := r.c
	opts := r.paOptions(s)
	if c.Packed {
		pm, err := packModel(inst.Model)
		if err != nil {
			return nil, err
		}
		pa, err := packed.NewPopulationAnnealing(pm, opts)
		if err != nil {
			return nil, &InputError{err}
		}
		return pa, nil
	}
	m := inst.Model
	moveConfig := Config{Sampler: c.Move, Order: c.Order}
	if _, err := NewSweeper(moveConfig, m, r.betas[0]); err != nil {
		return nil, err
	}
	move := func(beta float64) sampler.Sweeper {
		sw, err := NewSweeper(moveConfig, m, beta)
		if err != nil { // the same config and model worked above
			panic("sim: pa move: " + err.Error())
		}
		return sw
	}
	pa, err := sampler.NewPopulationAnnealing(m, move, opts)
	if err != nil {
		return nil, &InputError{err}
	}
	return pa, nil
}

// sampleResult turns a finished anneal into the sample's result.
func (r *paRunner) sampleResult(inst Instance, s int, pa *sampler.PopulationAnnealing, nanos int64, upd float64) SampleResult {
	c := r.c
	hash := ConfigHash(c)
	res := SampleResult{Sample: s, ConfigHash: fmt.Sprintf("%x", hash[:]), Points: make([]Point, len(c.T)),
		PopulationAnnealing: &PARun{Betas: slices.Clone(pa.Schedule()), Culled: slices.Clone(pa.Culled())}}
	n := inst.Model.N()
	low := math.Inf(1)
	for i, pp := range pa.Points() {
		k := r.order[i]
		res.Points[k] = paPoint(c, c.T[k], n, pp)
		low = min(low, pp.MinEnergy)
	}
	exact := exactPoints(c, inst, c.T)
	lnZ := exactLnZ(c, inst, c.T)
	for k := range res.Points {
		if e := exact[k]; e != nil {
			if !math.IsNaN(lnZ[k]) {
				f := -lnZ[k] * c.T[k] / float64(n)
				e.FreeEnergy = &f
			}
			res.Points[k].Exact = e
		}
		diagnosePA(&res.Points[k], c.Replicas)
	}
	res.GroundState = &GroundState{Energy: low, Sweeps: int64(pa.Steps() * c.Sweeps)}
	if inst.Graph != nil && inst.Graph.Format == "gset" {
		cut := inst.Graph.Cut(low * float64(n))
		res.GroundState.Cut = &cut
	}
	res.Perf.SpinUpdates = upd
	if upd > 0 {
		res.Perf.NsPerUpdate = float64(nanos) / upd
	}
	return res
}

// paPoint converts a point of the library into a summary point at temperature T.
func paPoint(c Config, T float64, n int, pp sampler.PAPoint) Point {
	est := func(e sampler.PAEstimate) analysis.Estimate {
		return analysis.Estimate{Mean: e.Mean, Err: e.Err, N: c.Replicas}
	}
	ptr := func(e sampler.PAEstimate) *analysis.Estimate { x := est(e); return &x }
	p := Point{
		T:                T,
		Energy:           est(pp.Energy),
		AbsMagnetization: est(pp.AbsM),
		M2:               est(pp.M2),
		M4:               est(pp.M4),
		SpecificHeat:     est(pp.SpecificHeat),
		Susceptibility:   est(pp.Susceptibility),
		Binder:           est(pp.Binder),
		Samples:          1,
		Measurements:     int(math.Round(pp.Population * float64(c.Replicas))),
		FreeEnergy:       ptr(pp.FreeEnergy),
		Entropy:          ptr(pp.Entropy),
	}
	if !math.IsNaN(pp.Q2.Mean) {
		p.Q2, p.Q4, p.AbsQ, p.BinderSG = ptr(pp.Q2), ptr(pp.Q4), ptr(pp.AbsQ), ptr(pp.BinderSG)
		if !math.IsNaN(pp.LinkOverlap.Mean) {
			p.LinkOverlap = ptr(pp.LinkOverlap)
		}
		chi := analysis.Estimate{Mean: float64(n) * pp.Q2.Mean, Err: float64(n) * pp.Q2.Err, N: c.Replicas}
		p.ChiSG = &chi
	}
	lnZ := est(pp.LnZ)
	p.PA = &PAStats{R: c.Population, Populations: c.Replicas, Steps: float64(pp.Step), Population: pp.Population,
		Families: pp.Families, RhoT: pp.RhoT, RhoTLimit: float64(c.Population) / 100, RhoS: pp.RhoS,
		FamilyEntropy: pp.FamilyEntropy, LnZ: &lnZ}
	return p
}

// diagnosePA sets the warnings of one sample's pa point: ρ_t above R/100, and a free
// energy or energy further than ZMax from an exact value (as unlikely as ZMax σ of a
// normal deviate for Student's t with populations − 1 degrees of freedom: the errors
// are jackknife errors over the populations).
func diagnosePA(p *Point, populations int) {
	p.Warnings = nil
	T := p.T
	add := func(code, format string, args ...any) {
		p.Warnings = append(p.Warnings, Warning{Code: code, T: &T, Message: fmt.Sprintf(format, args...)})
	}
	if s := p.PA; s != nil && s.RhoT > s.RhoTLimit {
		add("pa-equilibration", "ρ_t = %.3g > R/100 = %.3g: by the criterion R ≥ 100 ρ_t (Wang, Machta & Katzgraber, PRE 92, 063307 (2015)) the populations may not be in equilibrium here; raise -population or -sweeps",
			s.RhoT, s.RhoTLimit)
	}
	ex := p.Exact
	if p.Energy.Err == 0 && (ex == nil || !roundingEqual(p.Energy.Mean, ex.Energy)) {
		add("zero-variance", "every replica of every population has the energy %.8g per spin: the error bar of 0 means the populations are too small to hold the excitations (raise -population)", p.Energy.Mean)
	}
	if ex == nil {
		return
	}
	check := func(name string, got *analysis.Estimate, want *float64) {
		if got == nil || want == nil || !(got.Err > 0) || roundingEqual(got.Mean, *want) {
			return
		}
		t := (got.Mean - *want) / got.Err
		if z := tToNormal(t, populations-1); math.Abs(z) > ZMax {
			add("exact-mismatch", "%s = %s is %.1f standard errors from the exact %.8g (%s; as unlikely as %.1fσ for %d populations)",
				name, got, t, *want, ex.Source, z, populations)
		}
	}
	check("the free energy", p.FreeEnergy, ex.FreeEnergy)
	check("the energy", &p.Energy, &ex.Energy)
}

// averagePA adds the disorder averages of pa's fields to out (see averagePoints).
func averagePA(out *Point, ps []Point) {
	if ps[0].FreeEnergy == nil || ps[0].PA == nil {
		return
	}
	get := func(f func(p Point) float64) []float64 {
		x := make([]float64, len(ps))
		for i, p := range ps {
			x[i] = f(p)
		}
		return x
	}
	f := overSamples(get(func(p Point) float64 { return p.FreeEnergy.Mean }))
	s := overSamples(get(func(p Point) float64 { return p.Entropy.Mean }))
	out.FreeEnergy, out.Entropy = &f, &s
	mean := func(f func(p Point) float64) float64 { return overSamples(get(f)).Mean }
	st := *ps[0].PA
	st.LnZ = nil
	st.Steps = mean(func(p Point) float64 { return p.PA.Steps })
	st.Population = mean(func(p Point) float64 { return p.PA.Population })
	st.Families = mean(func(p Point) float64 { return p.PA.Families })
	st.RhoS = mean(func(p Point) float64 { return p.PA.RhoS })
	st.FamilyEntropy = mean(func(p Point) float64 { return p.PA.FamilyEntropy })
	st.RhoT = slices.Max(get(func(p Point) float64 { return p.PA.RhoT }))
	out.PA = &st
	if out.Exact != nil {
		for _, p := range ps {
			if p.Exact == nil || p.Exact.FreeEnergy == nil {
				return
			}
		}
		ef := mean(func(p Point) float64 { return *p.Exact.FreeEnergy })
		out.Exact.FreeEnergy = &ef
	}
}

// exactLnZ returns the exact total ln Z at each temperature where exactValues knows
// it, NaN elsewhere.
func exactLnZ(c Config, in Instance, temps []float64) []float64 {
	out := make([]float64, len(temps))
	for k, v := range exactValues(c, in, temps) {
		out[k] = math.NaN()
		if v != nil {
			out[k] = v.lnZ
		}
	}
	return out
}

// encodePAState appends a population-annealing state to e.
func encodePAState(e *Encoder, s *sampler.PAState) error {
	pts, err := json.Marshal(s.Points)
	if err != nil {
		return fmt.Errorf("population annealing points: %w", err)
	}
	e.PutFloat64(s.Beta)
	e.PutInt64(int64(s.Step))
	e.PutInt64(int64(s.Next))
	e.PutFloat64s(s.Schedule)
	e.PutFloat64s(s.LnZ)
	e.PutFloat64s(s.Culled)
	e.PutBytes(pts)
	P := len(s.LnZ)
	e.PutInt64(int64(P))
	for r := range P {
		fam := make([]int64, len(s.Family[r]))
		for j, f := range s.Family[r] {
			fam[j] = int64(f)
		}
		e.PutInt64s(fam)
	}
	scalar := s.Spins != nil
	if scalar {
		e.PutUint64(1)
		for r := range P {
			var flat []int8
			for _, sp := range s.Spins[r] {
				flat = append(flat, sp...)
			}
			e.PutInt64(int64(len(s.Spins[r])))
			e.PutInt8s(flat)
			e.PutFloat64s(s.Energies[r])
		}
		return nil
	}
	e.PutUint64(2)
	for r := range P {
		e.PutInt64(int64(s.Size[r]))
		e.PutInt64(int64(len(s.Words[r])))
		for _, w := range s.Words[r] {
			v := make([]int64, len(w))
			for i, x := range w {
				v[i] = int64(x)
			}
			e.PutInt64s(v)
		}
	}
	return nil
}

// decodePAState reads what encodePAState wrote for a model of n spins; the library's
// Restore checks the rest.
func decodePAState(d *Decoder, n int) (*sampler.PAState, error) {
	s := &sampler.PAState{}
	s.Beta = d.GetFloat64()
	s.Step = int(d.GetInt64())
	s.Next = int(d.GetInt64())
	s.Schedule = d.GetFloat64s()
	s.LnZ = d.GetFloat64s()
	s.Culled = d.GetFloat64s()
	pts := d.GetBytes()
	if d.Err() == nil {
		if err := json.Unmarshal(pts, &s.Points); err != nil {
			return nil, fmt.Errorf("population annealing points: %w", err)
		}
	}
	P := int(d.GetInt64())
	if d.Err() != nil {
		return nil, d.Err()
	}
	if P != len(s.LnZ) {
		return nil, fmt.Errorf("%d populations, %d normalizations", P, len(s.LnZ))
	}
	for range P {
		var fam []int32
		for _, f := range d.GetInt64s() {
			fam = append(fam, int32(f))
		}
		s.Family = append(s.Family, fam)
	}
	switch kind := d.GetUint64(); kind {
	case 1:
		for range P {
			size := int(d.GetInt64())
			flat := d.GetInt8s()
			if d.Err() != nil {
				return nil, d.Err()
			}
			if size < 0 || len(flat) != size*n {
				return nil, fmt.Errorf("%d spins for %d replicas of %d sites", len(flat), size, n)
			}
			var reps [][]int8
			for j := range size {
				reps = append(reps, flat[j*n:(j+1)*n:(j+1)*n])
			}
			s.Spins = append(s.Spins, reps)
			s.Energies = append(s.Energies, d.GetFloat64s())
		}
	case 2:
		for range P {
			s.Size = append(s.Size, int(d.GetInt64()))
			nw := int(d.GetInt64())
			if d.Err() != nil {
				return nil, d.Err()
			}
			if nw < 0 || nw > d.remaining() {
				return nil, fmt.Errorf("%d words of replicas", nw)
			}
			var words [][]uint64
			for range nw {
				v := d.GetInt64s()
				w := make([]uint64, len(v))
				for i, x := range v {
					w[i] = uint64(x)
				}
				words = append(words, w)
			}
			s.Words = append(s.Words, words)
		}
	default:
		if d.Err() == nil {
			return nil, fmt.Errorf("unknown replica kind %d", kind)
		}
	}
	return s, d.Err()
}

// writeCheckpoint writes the run's checkpoint: the finished samples' results and the
// state of sample cur (st; none when cur < 0) with its time and spin updates so far.
func (r *paRunner) writeCheckpoint(cur int, st *sampler.PAState, nanos int64, upd float64) error {
	var e Encoder
	e.PutUint64(paStateVersion)
	e.PutInt64(int64(r.opts.Shard))
	e.PutInt64(int64(r.opts.Shards))
	e.PutInt64(int64(len(r.results)))
	for _, res := range r.results {
		b, err := analysis.MarshalJSON(res)
		if err != nil {
			return fmt.Errorf("checkpoint: sample %d: %w", res.Sample, err)
		}
		e.PutBytes(b)
	}
	if cur < 0 || st == nil {
		e.PutInt64(-1)
	} else {
		e.PutInt64(int64(cur))
		e.PutInt64(nanos)
		e.PutFloat64(upd)
		if err := encodePAState(&e, st); err != nil {
			return fmt.Errorf("checkpoint: sample %d: %w", cur, err)
		}
	}
	ck := NewCheckpoint(r.c)
	ck.Set("pa", e.Bytes())
	return writeCheckpointFile(filepath.Join(r.opts.Out, checkpointName), ck)
}

// restore reads the checkpoint of an interrupted run.
func (r *paRunner) restore() error {
	path := filepath.Join(r.opts.Out, checkpointName)
	ck, err := ReadCheckpoint(path, ConfigHash(r.c))
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return &InputError{fmt.Errorf("resume %s: no checkpoint to resume (the run finished, or never wrote one)", r.opts.Out)}
		}
		return &InputError{fmt.Errorf("resume: %w", err)}
	}
	if ck.Warning != nil {
		r.warnings = append(r.warnings, Warning{Code: "checkpoint", Message: fmt.Sprintf("resumed from the previous checkpoint: %v", ck.Warning)})
		if r.opts.Log != nil {
			r.opts.Log("resume: " + ck.Warning.Error())
		}
	}
	bad := func(err error) error { return &InputError{fmt.Errorf("resume %s: %w", path, err)} }
	d := ck.Decoder("pa")
	if v := d.GetUint64(); d.Err() == nil && v != paStateVersion {
		return bad(fmt.Errorf("population annealing state version %d, want %d", v, paStateVersion))
	}
	shard, shards := int(d.GetInt64()), int(d.GetInt64())
	if d.Err() == nil && (shard != r.opts.Shard || shards != r.opts.Shards) {
		return bad(fmt.Errorf("checkpoint is of shard %d/%d, this run is shard %d/%d", shard, shards, r.opts.Shard, r.opts.Shards))
	}
	nres := int(d.GetInt64())
	if d.Err() == nil && (nres < 0 || nres > len(r.samples)) {
		return bad(fmt.Errorf("%d finished samples, the shard has %d", nres, len(r.samples)))
	}
	hash := ConfigHash(r.c)
	for i := 0; i < nres && d.Err() == nil; i++ {
		b := d.GetBytes()
		if d.Err() != nil {
			break
		}
		var res SampleResult
		if err := json.Unmarshal(b, &res); err != nil {
			return bad(fmt.Errorf("sample result: %w", err))
		}
		if err := analysis.NullToNaN(b, &res); err != nil {
			return bad(fmt.Errorf("sample result: %w", err))
		}
		if res.ConfigHash != fmt.Sprintf("%x", hash[:]) || !slices.Contains(r.samples, res.Sample) {
			return bad(fmt.Errorf("sample %d is not one of this run's", res.Sample))
		}
		r.results = append(r.results, res)
	}
	cur := int(d.GetInt64())
	if d.Err() == nil && cur >= 0 {
		if !slices.Contains(r.samples, cur) {
			return bad(fmt.Errorf("sample %d is not one of this run's", cur))
		}
		r.curNanos = d.GetInt64()
		r.curUpd = d.GetFloat64()
		inst, err := BuildModel(r.c, cur)
		if err != nil {
			return err
		}
		st, err := decodePAState(d, inst.Model.N())
		if err != nil {
			return bad(fmt.Errorf("sample %d: %w", cur, err))
		}
		r.cur, r.curState = cur, st
	}
	if err := d.Finish(); err != nil {
		return bad(err)
	}
	return nil
}

// paMemory sizes the replicas of a pa run: every population twice (the resampled one
// is built beside the old), a quarter above R for the fluctuations of nearest
// resampling; scalar replicas hold a byte per spin, packed ones a word per site for
// 64 of them. It returns the count of replica units and the bytes of each.
func paMemory(c Config, spins int) (units, bytes int64) {
	reps := int64(c.Replicas) * int64(c.Population) * 5 / 4 * 2
	if c.Packed {
		return (reps + 63) / 64, int64(spins) * 8
	}
	return reps, int64(spins) + 96
}
