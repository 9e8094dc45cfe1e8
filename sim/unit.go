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

	chains [][]*sampler.Chain   // [replica][j]: for pt, the chains of pts[replica] in identity order
	moves  [][]sampler.Sweeper  // [replica][j], single-temperature samplers only
	pts    []*sampler.Tempering // one per replica, pt only
	pk     *packedUnit          // packed (multi-spin coded) chains instead of chains, moves and pts
	obs    []*observables       // per temperature j

	sweep   int  // sweeps done (adaptation excluded)
	adapted bool // the adaptive ladder (if any) has been set
	acc0    []int64
	prop0   []int64 // per replica×j chain counters at the end of thermalization
	bestE   float64
	bestSwp int
	bestAt  float64 // seconds since the start of the run (not part of the results)
	nanos   int64   // time spent sweeping, times the workers used
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
}

// qBins is the number of histogram bins of P(q) for a model of n spins: one per
// possible overlap value up to 201.
func qBins(n int) int { return min(n, 200) + 1 }

func newObservables(binLen, reps, n int) *observables {
	o := &observables{
		e: analysis.NewSeries(binLen), e2: analysis.NewSeries(binLen), am: analysis.NewSeries(binLen),
		m2: analysis.NewSeries(binLen), m4: analysis.NewSeries(binLen),
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

// measure records one measurement at temperature j.
func (u *unit) measure(j int, chainAt func(r, j int) *sampler.Chain, idx int) {
	o := u.obs[j]
	n := float64(u.n)
	inv := 1 / float64(u.reps)
	var e, e2, am, m2, m4 float64
	for r := 0; r < u.reps; r++ {
		c := chainAt(r, j)
		er := c.E / n
		m := c.Magnetization()
		e += er
		e2 += er * er
		am += math.Abs(m)
		m2 += m * m
		m4 += m * m * m * m
	}
	e, e2, am, m2, m4 = e*inv, e2*inv, am*inv, m2*inv, m4*inv
	o.e.Add(e)
	o.e2.Add(e2)
	o.am.Add(am)
	o.m2.Add(m2)
	o.m4.Add(m4)
	q2m, qlm := math.NaN(), math.NaN()
	if u.reps >= 2 {
		var q2, q4, aq, ql float64
		pairs := 0
		for a := 0; a < u.reps; a++ {
			for b := a + 1; b < u.reps; b++ {
				sa, sb := chainAt(a, j).S, chainAt(b, j).S
				q := models.Overlap(sa, sb)
				q2 += q * q
				q4 += q * q * q * q
				aq += math.Abs(q)
				ql += linkOverlap(u.inst.Model, sa, sb)
				bin := int(math.Round((q + 1) / 2 * float64(len(o.hist)-1)))
				o.hist[bin]++
				pairs++
			}
		}
		p := 1 / float64(pairs)
		q2, q4, aq, ql = q2*p, q4*p, aq*p, ql*p
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
