package sim

import (
	"math"
	"math/bits"

	"github.com/deepglass/deepglass/analysis"
	"github.com/deepglass/deepglass/models"
	"github.com/deepglass/deepglass/sampler"
)

// A unit is the part of a study that one goroutine advances on its own: one
// temperature of one disorder sample for single-temperature samplers, or the whole
// ladder of a sample for parallel tempering; in both cases with all its replicas.
type unit struct {
	index  int
	sample int
	temps  []int // indices into Config.T
	inst   Instance
	n      int
	reps   int

	eng engine         // the chains; nil until the unit starts
	obs []*observables // per temperature j

	sweep   int  // sweeps done (adaptation excluded)
	adapted bool // the adaptive ladder (if any) has been set
	acc0    []int64
	prop0   []int64 // per replica×j chain counters at the end of thermalization
	bestE   float64
	bestSwp int
	bestAt  float64 // seconds since the start of the run (not part of the results)
	nanos   int64   // time spent sweeping and measuring, times the workers used
	// measureNanos is the part of nanos spent measuring (not checkpointed: a resumed
	// run counts the measurements since the resume)
	measureNanos int64
	// every is the number of sweeps between measurements: the config's, or for an
	// automatic measure_every 0 until the pilot (if any) has chosen it at the end of
	// thermalization; tau is the pilot's estimate of τ_int (NaN without one).
	every   int
	tau     float64
	pilot   *pilot
	workers int
	done    bool
	result  []Point // per temperature j, once done
	pq      [][]float64
	logBins []LogBin // per temperature j × window, once done
	tstats  *TemperingStats
}

// observables accumulates the measurements at one temperature: replica averages per
// measurement, so that every Series has one value per measurement.
type observables struct {
	e, e2, am, m2, m4 *analysis.Series
	q2, q4, aq, ql    *analysis.Series // nil with one replica
	hist              []int64          // P(q) histogram over qBins bins of [-1, 1]
	log               logBins
	// extra holds the model's own observables (Instance.Observables), replica averages.
	extra []*analysis.Series
	// chainE and chainM are each chain's own energy and |m| per spin (a chain is a
	// replica, or a lane of a packed replica), in at most chainBins bins: the draws of
	// the convergence diagnostic R̂ across chains.
	chainE, chainM []*analysis.Series
}

// chainBins bounds the bins per chain kept for R̂: 512 bins give halves of 256 batch
// means, so that R̂ of two converged chains stays within about 1.02 (with 64 per half,
// 1.04 was reached in 600 points of converged runs, too close to RHatMax).
const chainBins = 512

// chainBinLen is the bin length of the per-chain series of nmeas measurements.
func chainBinLen(nmeas int) int { return max(1, (nmeas+chainBins-1)/chainBins) }

// qBins is the number of histogram bins of P(q) for a model of n spins: one per
// possible overlap value up to 201.
func qBins(n int) int { return min(n, 200) + 1 }

func newObservables(binLen, reps, n, chains, chainBin, extra int) *observables {
	o := &observables{
		e: analysis.NewSeries(binLen), e2: analysis.NewSeries(binLen), am: analysis.NewSeries(binLen),
		m2: analysis.NewSeries(binLen), m4: analysis.NewSeries(binLen),
		chainE: make([]*analysis.Series, chains), chainM: make([]*analysis.Series, chains),
	}
	for k := range chains {
		o.chainE[k], o.chainM[k] = analysis.NewSeries(chainBin), analysis.NewSeries(chainBin)
	}
	for range extra {
		o.extra = append(o.extra, analysis.NewSeries(binLen))
	}
	if reps >= 2 {
		o.q2, o.q4, o.aq, o.ql = analysis.NewSeries(binLen), analysis.NewSeries(binLen),
			analysis.NewSeries(binLen), analysis.NewSeries(binLen)
		o.hist = make([]int64, qBins(n))
	}
	return o
}

// logBins holds means of the energy, q² and q_l over windows of measurements
// [2^w − 1, 2^{w+1} − 1): the logarithmic binning used to judge equilibration.
type logBins struct {
	count          []int64
	e, q2, ql, abs []float64
}

func (l *logBins) add(i int, e, q2, ql, am float64) {
	w := bits.Len(uint(i+1)) - 1
	for len(l.count) <= w {
		l.count = append(l.count, 0)
		l.e, l.q2, l.ql, l.abs = append(l.e, 0), append(l.q2, 0), append(l.ql, 0), append(l.abs, 0)
	}
	l.count[w]++
	l.e[w] += e
	l.q2[w] += q2 // NaN with one replica, and stays NaN
	l.ql[w] += ql
	l.abs[w] += am
}

// LogBin is the mean of the measurements in one logarithmic window of a run, for
// equilibration checks: an observable is equilibrated when the last windows agree.
type LogBin struct {
	T    float64 `json:"T"`
	From int     `json:"from"` // first measurement (0-based) of the window
	To   int     `json:"to"`   // one past the last
	// Energy, AbsMagnetization, Q2 and LinkOverlap are window means (per spin); the
	// overlaps are absent with one replica, and the link overlap for models without
	// bonds.
	Energy           float64  `json:"energy"`
	AbsMagnetization float64  `json:"abs_magnetization"`
	Q2               *float64 `json:"q2,omitempty"`
	LinkOverlap      *float64 `json:"link_overlap,omitempty"`
}

// numChains returns the number of chains per temperature: replicas, times the lanes of
// a packed replica.
func (u *unit) numChains() int { return u.eng.numChains() }

// convergence returns R̂ across the chains at temperature j and the effective
// sample size of the energy and |m| estimates.
func (u *unit) convergence(j int, p Point) []Convergence {
	o := u.obs[j]
	out := make([]Convergence, 0, 2)
	for _, c := range []struct {
		name   string
		series []*analysis.Series
		est    analysis.Estimate
	}{{"energy", o.chainE, p.Energy}, {"abs_magnetization", o.chainM, p.AbsMagnetization}} {
		draws := make([][]float64, len(c.series))
		for k, s := range c.series {
			draws[k] = s.Bins()
		}
		cv := Convergence{Observable: c.name, Chains: len(c.series), RHat: analysis.RHat(draws...), ESS: math.NaN()}
		if c.est.Tau > 0 {
			cv.ESS = float64(len(c.series)) * float64(c.est.N) / (2 * c.est.Tau)
		}
		out = append(out, cv)
	}
	return out
}

// measureChains records one measurement at temperature j of scalar chains (chainAt
// returns replica r's chain at temperature j) and returns their lowest energy.
func (u *unit) measureChains(j, idx int, chainAt func(r, j int) *sampler.Chain) float64 {
	lowest := math.Inf(1)
	var m moments
	n := float64(u.n)
	o := u.obs[j]
	for r := 0; r < u.reps; r++ {
		c := chainAt(r, j)
		lowest = min(lowest, c.E)
		e, mag := c.E/n, c.Magnetization()
		m.state(e, mag)
		o.chainE[r].Add(e)
		o.chainM[r].Add(math.Abs(mag))
	}
	if u.reps >= 2 {
		for a := 0; a < u.reps; a++ {
			for b := a + 1; b < u.reps; b++ {
				sa, sb := chainAt(a, j).S, chainAt(b, j).S
				m.overlap(models.Overlap(sa, sb), linkOverlap(u.inst.Model, sa, sb), o.hist)
			}
		}
	}
	for k, ob := range u.inst.Observables {
		var sum float64
		for r := 0; r < u.reps; r++ {
			sum += ob.Value(chainAt(r, j).S)
		}
		o.extra[k].Add(sum / float64(u.reps))
	}
	m.record(o, idx)
	return lowest
}

// moments sums one measurement's states (energy per spin e, magnetization per spin m)
// and replica-pair overlaps (q, link overlap q_l); record adds their means to the
// observables.
type moments struct {
	e, e2, am, m2, m4 float64
	states            int
	q2, q4, aq, ql    float64
	pairs             int
}

func (s *moments) state(e, m float64) {
	s.e += e
	s.e2 += e * e
	s.am += math.Abs(m)
	s.m2 += m * m
	s.m4 += m * m * m * m
	s.states++
}

// overlap adds a pair's overlaps and counts q in the P(q) histogram hist.
func (s *moments) overlap(q, ql float64, hist []int64) {
	s.q2 += q * q
	s.q4 += q * q * q * q
	s.aq += math.Abs(q)
	s.ql += ql
	hist[int(math.Round((q+1)/2*float64(len(hist)-1)))]++
	s.pairs++
}

func (s *moments) record(o *observables, idx int) {
	inv := 1 / float64(s.states)
	e, e2, am, m2, m4 := s.e*inv, s.e2*inv, s.am*inv, s.m2*inv, s.m4*inv
	o.e.Add(e)
	o.e2.Add(e2)
	o.am.Add(am)
	o.m2.Add(m2)
	o.m4.Add(m4)
	q2m, qlm := math.NaN(), math.NaN()
	if s.pairs > 0 {
		p := 1 / float64(s.pairs)
		q2, q4, aq, ql := s.q2*p, s.q4*p, s.aq*p, s.ql*p
		o.q2.Add(q2)
		o.q4.Add(q4)
		o.aq.Add(aq)
		o.ql.Add(ql)
		q2m, qlm = q2, ql
	}
	o.log.add(idx, e, q2m, qlm, am)
}

// linkOverlap returns the link overlap of two states, or NaN for models without bonds.
func linkOverlap(m models.Model, a, b []int8) float64 {
	switch p := m.(type) {
	case *models.Sparse:
		return p.LinkOverlap(a, b)
	case *models.Dense:
		return p.LinkOverlap(a, b)
	}
	return math.NaN()
}
