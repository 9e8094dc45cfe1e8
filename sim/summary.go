package sim

import (
	"encoding/hex"
	"fmt"
	"math"
	"slices"
	"sort"
	"time"

	"github.com/deepglass/deepglass/analysis"
	"github.com/deepglass/deepglass/models"
)

// summarize builds the per-sample results of every finished sample and the summary.
func (r *runner) summarize(interrupted bool) (*Summary, []SampleResult) {
	c := r.c
	bySample := map[int][]*unit{}
	var order []int
	var perf Perf
	var nanos, measure float64
	for _, u := range r.units {
		if _, ok := bySample[u.sample]; !ok {
			order = append(order, u.sample)
		}
		bySample[u.sample] = append(bySample[u.sample], u)
		perf.SpinUpdates += float64(u.updates())
		nanos += float64(u.nanos)
		measure += float64(u.measureNanos)
	}
	hash := ConfigHash(c)
	var samples []SampleResult
	for _, s := range order {
		units := bySample[s]
		complete := true
		for _, u := range units {
			complete = complete && u.done
		}
		if !complete {
			continue
		}
		res := SampleResult{Sample: s, ConfigHash: hex.EncodeToString(hash[:]), Points: make([]Point, len(c.T))}
		res.PQ = make([][]float64, len(c.T))
		var sn, sm float64
		var best *unit
		for _, u := range units {
			for j, k := range u.temps {
				res.Points[k] = u.result[j]
				res.PQ[k] = u.pq[j]
			}
			res.LogBins = append(res.LogBins, u.logBins...)
			res.Perf.SpinUpdates += float64(u.updates())
			sn += float64(u.nanos)
			sm += float64(u.measureNanos)
			if best == nil || u.bestE < best.bestE {
				best = u
			}
		}
		if res.Perf.SpinUpdates > 0 {
			res.Perf.NsPerUpdate = sn / res.Perf.SpinUpdates
		}
		res.Perf.SweepSeconds, res.Perf.MeasureSeconds = (sn-sm)/1e9, sm/1e9
		if r.c.Replicas < 2 {
			res.PQ = nil
		}
		sort.SliceStable(res.LogBins, func(a, b int) bool { return res.LogBins[a].T < res.LogBins[b].T })
		in, err := r.instance(s)
		if err == nil {
			temps := make([]float64, len(res.Points))
			for k, p := range res.Points {
				temps[k] = p.T // the adapted ladder's, for pt with an adaptive ladder
			}
			for k, e := range exactPoints(c, in, temps) {
				res.Points[k].Exact = e
			}
		}
		spins := 0
		if err == nil && in.Model != nil {
			spins = in.Model.N()
		}
		for k := range res.Points {
			diagnosePoint(&res.Points[k], spins)
		}
		res.GroundState = r.groundState(best, in)
		res.Tempering = units[0].tstats
		samples = append(samples, res)
	}
	sort.Slice(samples, func(a, b int) bool { return samples[a].Sample < samples[b].Sample })
	sum := Combine(c, r.desc, r.n, samples)
	if r.opts.Shards > 1 {
		sum.Shard = fmt.Sprintf("%d/%d", r.opts.Shard, r.opts.Shards)
	}
	perf.Seconds = time.Since(r.start).Seconds()
	perf.Threads = r.threads
	if perf.SpinUpdates > 0 {
		perf.NsPerUpdate = nanos / perf.SpinUpdates
	}
	perf.SweepSeconds, perf.MeasureSeconds = (nanos-measure)/1e9, measure/1e9
	perf.IOSeconds = float64(r.ioNanos.Load()) / 1e9
	sum.Perf = perf
	sum.Interrupted = interrupted
	sum.Warnings = append(sum.Warnings, r.warnings...)
	return sum, samples
}

// groundState reports the lowest energy a unit saw.
func (r *runner) groundState(u *unit, in Instance) *GroundState {
	if u == nil || math.IsInf(u.bestE, 0) {
		return nil
	}
	gs := &GroundState{Energy: u.bestE / float64(u.n), Sweeps: int64(u.bestSwp), Seconds: u.bestAt}
	if len(u.temps) == 1 {
		gs.T = r.c.T[u.temps[0]]
	}
	if in.Graph != nil && in.Graph.Format == "gset" {
		cut := in.Graph.Cut(u.bestE)
		gs.Cut = &cut
	}
	return gs
}

// Combine builds the summary of a study from the results of its disorder samples
// (sorted by sample): a single sample's points as they are, or disorder averages over
// several. It is what Run and [Aggregate] both use, so that merging the samples of
// shards gives exactly the summary of one run. Perf is left for the caller.
func Combine(c Config, desc string, n int, samples []SampleResult) *Summary {
	sum := &Summary{
		Version: Version, Revision: Revision(),
		Model: c.Model, Description: desc, N: n, Seed: c.Seed, Sampler: c.Sampler,
		Samples: len(samples), Replicas: c.Replicas, Points: []Point{},
	}
	if c.Packed {
		sum.Lanes = c.Lanes
	}
	defer func() {
		for _, p := range sum.Points {
			if p.MeasureEvery > 0 {
				sum.MeasureEveryAuto = true
				sum.MeasureEvery = max(sum.MeasureEvery, p.MeasureEvery)
			}
		}
	}()
	switch len(samples) {
	case 0:
		return sum
	case 1:
		s := samples[0]
		sum.Points = append(sum.Points, s.Points...)
		sum.GroundState = s.GroundState
		sum.Tempering = s.Tempering
		sum.Equilibration = s.LogBins
		collectWarnings(sum, temperingWarnings(samples))
		return sum
	}
	for k := range c.T {
		ps := make([]Point, len(samples))
		for i, s := range samples {
			ps[i] = s.Points[k]
		}
		pt := averagePoints(c, n, ps)
		diagnoseAverage(&pt, ps)
		sum.Points = append(sum.Points, pt)
	}
	collectWarnings(sum, temperingWarnings(samples))
	sum.Equilibration = averageLogBins(samples)
	var e float64
	ok := true
	for _, s := range samples {
		if s.GroundState == nil {
			ok = false
			break
		}
		e += s.GroundState.Energy
	}
	if ok {
		sum.GroundState = &GroundState{Energy: e / float64(len(samples))}
	}
	return sum
}

// overSamples returns the mean of x over samples with its standard error.
func overSamples(x []float64) analysis.Estimate {
	var m float64
	for _, v := range x {
		m += v
	}
	m /= float64(len(x))
	var v float64
	for _, y := range x {
		v += (y - m) * (y - m)
	}
	err := math.Sqrt(v / float64(len(x)-1) / float64(len(x)))
	return analysis.Estimate{Mean: m, Err: err, N: len(x)}
}

// averagePoints averages the points of one temperature over samples.
func averagePoints(c Config, n int, ps []Point) Point {
	S := len(ps)
	get := func(f func(p Point) float64) []float64 {
		out := make([]float64, S)
		for i, p := range ps {
			out[i] = f(p)
		}
		return out
	}
	avg := func(f func(p Point) float64) analysis.Estimate { return overSamples(get(f)) }
	T := ps[0].T
	beta := 1 / T
	out := Point{
		T:                T,
		Energy:           avg(func(p Point) float64 { return p.Energy.Mean }),
		AbsMagnetization: avg(func(p Point) float64 { return p.AbsMagnetization.Mean }),
		M2:               avg(func(p Point) float64 { return p.M2.Mean }),
		M4:               avg(func(p Point) float64 { return p.M4.Mean }),
		SpecificHeat:     avg(func(p Point) float64 { return p.SpecificHeat.Mean }),
		Susceptibility:   avg(func(p Point) float64 { return p.Susceptibility.Mean }),
		Samples:          S,
		Measurements:     ps[0].Measurements,
		BinLen:           ps[0].BinLen,
	}
	var taus []float64
	for _, p := range ps {
		out.MeasureEvery = max(out.MeasureEvery, p.MeasureEvery)
		if p.MeasureEveryTau != nil {
			taus = append(taus, *p.MeasureEveryTau)
		}
	}
	if len(taus) > 0 {
		tau := overSamples(taus).Mean
		out.MeasureEveryTau = &tau
	}
	m2, m4 := get(func(p Point) float64 { return p.M2.Mean }), get(func(p Point) float64 { return p.M4.Mean })
	out.Binder = analysis.Jackknife(func(m []float64) float64 { return 1 - m[1]/(3*m[0]*m[0]) }, m2, m4)
	out.Binder.N = S
	out.Acceptance = avg(func(p Point) float64 { return p.Acceptance }).Mean
	if ps[0].SwapAcceptance != nil {
		sa := avg(func(p Point) float64 { return *p.SwapAcceptance }).Mean
		out.SwapAcceptance = &sa
	}
	if ps[0].Q2 != nil {
		q2s, q4s := get(func(p Point) float64 { return p.Q2.Mean }), get(func(p Point) float64 { return p.Q4.Mean })
		q2, q4 := overSamples(q2s), overSamples(q4s)
		aq := avg(func(p Point) float64 { return p.AbsQ.Mean })
		ql := avg(func(p Point) float64 { return p.LinkOverlap.Mean })
		g := analysis.Jackknife(func(m []float64) float64 { return (3 - m[1]/(m[0]*m[0])) / 2 }, q2s, q4s)
		g.N = S
		chi := analysis.Estimate{Mean: float64(n) * q2.Mean, Err: float64(n) * q2.Err, N: S}
		out.Q2, out.Q4, out.AbsQ, out.LinkOverlap, out.BinderSG, out.ChiSG = &q2, &q4, &aq, &ql, &g, &chi
		out.Identity = identity(c, n, beta, ps)
	}
	exact := true
	for _, p := range ps {
		exact = exact && p.Exact != nil
	}
	if exact {
		ex := &ExactPoint{Source: ps[0].Exact.Source + " (disorder average)"}
		ex.Energy = avg(func(p Point) float64 { return p.Exact.Energy }).Mean
		ex.SpecificHeat = avg(func(p Point) float64 { return p.Exact.SpecificHeat }).Mean
		if ps[0].Exact.AbsMagnetization != nil {
			am := avg(func(p Point) float64 { return *p.Exact.AbsMagnetization }).Mean
			ex.AbsMagnetization = &am
		}
		for name := range ps[0].Exact.Observables {
			if ex.Observables == nil {
				ex.Observables = map[string]float64{}
			}
			ex.Observables[name] = avg(func(p Point) float64 { return p.Exact.Observables[name] }).Mean
		}
		out.Exact = ex
	}
	out.Convergence = worstConvergence(ps)
	averagePA(&out, ps)
	for name := range ps[0].Observables {
		if out.Observables == nil {
			out.Observables = map[string]analysis.Estimate{}
		}
		out.Observables[name] = avg(func(p Point) float64 { return p.Observables[name].Mean })
	}
	return out
}

// worstConvergence returns, per observable, the largest R̂ and the smallest ESS over
// the samples' points.
func worstConvergence(ps []Point) []Convergence {
	var out []Convergence
	for i, cv := range ps[0].Convergence {
		w := cv
		for _, p := range ps[1:] {
			if i >= len(p.Convergence) {
				continue
			}
			o := p.Convergence[i]
			if o.RHat > w.RHat || math.IsNaN(o.RHat) {
				w.RHat = o.RHat
			}
			if o.ESS < w.ESS || math.IsNaN(o.ESS) {
				w.ESS = o.ESS
			}
		}
		out = append(out, w)
	}
	return out
}

// identity evaluates the exact energy–overlap identity of Gaussian couplings:
// SK with J0 = 0, [e] = −(β/2)(1 − [q²]); Gaussian EA with z neighbours,
// [e] = −(zβ/2)(1 − [q_l]) (docs/references/sk.md §4, by Gaussian integration by parts). It
// returns nil for other models.
func identity(c Config, n int, beta float64, ps []Point) *Identity {
	var name string
	var pred func(p Point) float64
	switch {
	case c.Model == "sk" && c.Bonds == "gauss" && c.J0 == 0:
		name = "sk: [e] = -(β/2)(1 - [q²])"
		pred = func(p Point) float64 { return -beta / 2 * (1 - p.Q2.Mean) }
	case c.Model == "ea" && c.Bonds == "gauss":
		l, err := models.ParseLattice(c.Lattice)
		if err != nil {
			return nil
		}
		z := float64(l.Coordination())
		name = fmt.Sprintf("ea: [e] = -(%gβ/2)(1 - [q_l])", z)
		pred = func(p Point) float64 { return -z * beta / 2 * (1 - p.LinkOverlap.Mean) }
	default:
		return nil
	}
	e := make([]float64, len(ps))
	pr := make([]float64, len(ps))
	d := make([]float64, len(ps))
	for i, p := range ps {
		e[i], pr[i] = p.Energy.Mean, pred(p)
		d[i] = e[i] - pr[i]
	}
	return &Identity{Name: name, Energy: overSamples(e), Predicted: overSamples(pr), Diff: overSamples(d)}
}

// averageLogBins averages the logarithmic bins of the samples window by window.
func averageLogBins(samples []SampleResult) []LogBin {
	if len(samples) == 0 {
		return nil
	}
	out := append([]LogBin(nil), samples[0].LogBins...)
	val := func(p *float64) float64 {
		if p == nil {
			return math.NaN()
		}
		return *p
	}
	for i := range out {
		var e, am, q2, ql float64
		for _, s := range samples {
			b := s.LogBins[i]
			e, am, q2, ql = e+b.Energy, am+b.AbsMagnetization, q2+val(b.Q2), ql+val(b.LinkOverlap)
		}
		k := float64(len(samples))
		out[i].Energy, out[i].AbsMagnetization, out[i].Q2, out[i].LinkOverlap = e/k, am/k, finite(q2/k), finite(ql/k)
	}
	return out
}

// exactPoints returns exact reference values per temperature where they are known:
// enumeration for models of at most 20 spins, and otherwise Kaufman's finite-lattice
// solution for the zero-field square-lattice ferromagnet, the 2×2 transfer matrix of a
// ring (chain:L, or a graph whose sites form one), and the row transfer matrix of an
// L×L torus up to L = 8.
func exactPoints(c Config, in Instance, temps []float64) []*ExactPoint {
	out := exactThermo(c, in, temps)
	addExactObservables(out, in, temps)
	return out
}

// addExactObservables adds the exact values of the instance's observables that have
// them to the exact points that exist.
func addExactObservables(out []*ExactPoint, in Instance, temps []float64) {
	betas := make([]float64, len(temps))
	for k, t := range temps {
		betas[k] = 1 / t
	}
	for _, ob := range in.Observables {
		if ob.Exact == nil || !slices.ContainsFunc(out, func(p *ExactPoint) bool { return p != nil }) {
			continue
		}
		vals := ob.Exact(betas)
		if len(vals) != len(temps) {
			continue // not computable for this instance
		}
		for k, p := range out {
			if p == nil {
				continue
			}
			if p.Observables == nil {
				p.Observables = map[string]float64{}
			}
			p.Observables[ob.Name] = vals[k]
		}
	}
}

// exactValue holds the exact values at one temperature and their source.
type exactValue struct {
	source       string
	energy, heat float64  // per spin
	lnZ          float64  // total
	absM, binder *float64 // closed forms and enumeration only
}

// exactValues returns the exact values at each temperature where a closed form,
// enumeration, Kaufman's solution or a transfer matrix gives them (nil where none
// applies or the work would exceed exactBudget): the one choice of oracle behind
// exactThermo and exactLnZ.
func exactValues(c Config, in Instance, temps []float64) []*exactValue {
	out := make([]*exactValue, len(temps))
	betas := make([]float64, len(temps))
	for k, t := range temps {
		betas[k] = 1 / t
	}
	fromThermo := func(source string, th []models.Thermo, withM bool) {
		for k := range th {
			v := &exactValue{source: source, energy: th[k].EnergyPerSpin(), heat: th[k].SpecificHeat(), lnZ: th[k].LnZ}
			if withM {
				am, u := th[k].AbsM, th[k].Binder()
				v.absM, v.binder = &am, &u
			}
			out[k] = v
		}
	}
	n := in.Model.N()
	work := func(perBeta float64) bool { return perBeta*float64(len(temps)*c.Samples) <= exactBudget }
	switch {
	case in.Exact != nil:
		th := make([]models.Thermo, len(betas))
		for k, b := range betas {
			th[k] = in.Exact(b)
		}
		fromThermo("closed form", th, true)
	case n <= 20 && work(float64(int(1)<<n)):
		fromThermo("enumeration", models.ExactBetas(in.Model, betas), true)
	case c.Model == "ising" && in.Lattice != nil && in.Lattice.Dim == 2 && c.Field == 0:
		for k, b := range betas {
			kt := models.Kaufman(in.Lattice.L, in.Lattice.L, b)
			out[k] = &exactValue{source: "kaufman", energy: kt.E, heat: kt.C, lnZ: kt.LnZ}
		}
	default:
		p, ok := in.Model.(*models.Sparse)
		if ok && isRing(p) {
			if th, err := models.ChainTransfer(p, betas); err == nil {
				fromThermo("ring transfer matrix", th, false)
			}
		} else if l, ok := torusSide(in.Model); ok && work(30*float64(int(1)<<(2*l-2))*float64(l*l)) {
			// An error: not a nearest-neighbour torus after all.
			if th, err := models.TransferMatrix2D(in.Model.(*models.Sparse), models.Square(l), betas); err == nil {
				fromThermo("transfer matrix", th, false)
			}
		}
	}
	return out
}

// exactThermo returns the exact energy, specific heat and magnetization at each
// temperature where exactValues knows them.
func exactThermo(c Config, in Instance, temps []float64) []*ExactPoint {
	out := make([]*ExactPoint, len(temps))
	for k, v := range exactValues(c, in, temps) {
		if v != nil {
			out[k] = &ExactPoint{Source: v.source, Energy: v.energy, SpecificHeat: v.heat, AbsMagnetization: v.absM, Binder: v.binder}
		}
	}
	return out
}

// isRing reports whether every site of p has exactly the neighbours i±1 mod N: a
// periodic chain, whose exact values the 2×2 transfer matrix gives.
func isRing(p *models.Sparse) bool {
	n := p.N()
	if n < 3 || p.NumBonds() != n {
		return p.Lattice != nil && p.Lattice.Dim == 1
	}
	for i := range n {
		if p.Degree(i) != 2 {
			return false
		}
		for k := p.Start[i]; k < p.Start[i+1]; k++ {
			if j := int(p.Nbr[k]); j != (i+1)%n && j != (i+n-1)%n {
				return false
			}
		}
	}
	return true
}

// maxTransferSide is the largest L×L torus whose exact values a run computes by
// transfer matrix (its cost grows as 4^L·L²).
const maxTransferSide = 8

// exactBudget bounds the work (in elementary steps over all samples) spent on exact
// reference values, so that they never dominate a many-sample study.
const exactBudget = 1e9

// torusSide reports whether m could be a zero-field nearest-neighbour L×L torus with
// 3 ≤ L ≤ maxTransferSide (sites x + L·y, 2N bonds): the EA and Ising models, or a
// graph read from a file. TransferMatrix2D confirms it.
func torusSide(m models.Model) (int, bool) {
	p, ok := m.(*models.Sparse)
	if !ok || p.HasField() || p.NumBonds() != 2*p.N() {
		return 0, false
	}
	for l := 3; l <= maxTransferSide; l++ {
		if l*l == p.N() {
			return l, true
		}
	}
	return 0, false
}
