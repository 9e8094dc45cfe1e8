package netrg

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"

	"github.com/deepglass/deepglass/analysis"
	"github.com/deepglass/deepglass/learn"
	"github.com/deepglass/deepglass/models"
	"github.com/deepglass/deepglass/rg"
	"github.com/deepglass/deepglass/sampler"
	"gonum.org/v1/gonum/optimize"
)

// IsoTemperatures returns the temperatures of Iso, Shiba & Yokoo's data set,
// 0, 0.25, …, 6 (25 values; docs/references/rg.md §2).
func IsoTemperatures() []float64 {
	t := make([]float64, 25)
	for k := range t {
		t[k] = 0.25 * float64(k)
	}
	return t
}

// FlowData returns n configurations of the L×L periodic 2D Ising model (J = 1) at
// each temperature, units {0,1}, with the index of the temperature of every row.
// At T = 0 the rows alternate between the two ground states (all up, all down);
// at T > 0 they come from [learn.IsingData] (Wolff, 1000 sweeps of thermalization,
// 2 between samples) with the seed of temperature k drawn from
// NewStream(seed, PurposeData, k, 0).
func FlowData(l int, temps []float64, n int, seed uint64) (data [][]float64, label []int, err error) {
	for k, t := range temps {
		if t == 0 {
			for i := range n {
				v := make([]float64, l*l)
				if i%2 == 0 {
					for j := range v {
						v[j] = 1
					}
				}
				data, label = append(data, v), append(label, k)
			}
			continue
		}
		s := sampler.NewStream(seed, sampler.PurposeData, k, 0).Uint64()
		d, _, err := learn.IsingData(learn.IsingSpec{L: l, T: t, N: n, Seed: s})
		if err != nil {
			return nil, nil, fmt.Errorf("flow data: %w", err)
		}
		for _, v := range d {
			data, label = append(data, v), append(label, k)
		}
	}
	return data, label, nil
}

// thermoFeatures are the inputs of the thermometer: the energy per spin e and the
// absolute magnetization per spin |m| of a configuration (units u, spins 2u − 1,
// which may be fractional for mean-field configurations), and their squares.
const thermoFeatures = 4

func features(dst, v []float64) {
	e := learn.IsingEnergy(v)
	m := 0.0
	for _, u := range v {
		m += 2*u - 1
	}
	m = math.Abs(m) / float64(len(v))
	dst[0], dst[1], dst[2], dst[3] = e, m, e*e, m*m
}

// Thermometer reads the temperature of a 2D Ising configuration: a softmax
// (multinomial logistic) regression of the temperature class on standardized
// features (e, |m|, e², m²), trained on labelled Monte Carlo data. The energy is the
// sufficient statistic of T for equilibrium configurations (p(s|T) ∝ e^{−E(s)/T}),
// so a classifier on e alone is already Bayes-optimal for them; |m| adds the order
// parameter, which a network reading raw configurations (Iso et al.'s thermometer)
// also picks up, and makes the read-out of non-equilibrium (flowed) configurations
// use both. The read temperature is the posterior mean Σ_k p(k|v) T_k.
type Thermometer struct {
	Temps     []float64 // class temperatures
	Mean, Std []float64 // feature standardization
	// Coef holds, per class k, the bias then the thermoFeatures weights.
	Coef [][]float64
	// Accuracy is the share of training rows whose most probable class is right,
	// and RMSE the root mean square of (read T − true T) on the training rows.
	Accuracy, RMSE float64
}

// String returns a summary.
func (t *Thermometer) String() string {
	return fmt.Sprintf("thermometer: softmax on (e, |m|, e², m²) over %d temperatures %g…%g; training accuracy %.3f, rmse %.3f",
		len(t.Temps), t.Temps[0], t.Temps[len(t.Temps)-1], t.Accuracy, t.RMSE)
}

// TrainThermometer fits the softmax regression to data with temperature classes
// label (indices into temps), minimizing the mean cross-entropy plus
// (λ/2)·Σ weights² with λ = 10⁻⁴ (a convex problem) by L-BFGS (gonum/optimize) to a
// gradient norm of 10⁻⁸. It returns an error if the data or labels are inconsistent
// or the optimizer fails.
func TrainThermometer(data [][]float64, label []int, temps []float64) (*Thermometer, error) {
	if len(data) == 0 || len(data) != len(label) {
		return nil, fmt.Errorf("thermometer: %d rows and %d labels", len(data), len(label))
	}
	nk, nf := len(temps), thermoFeatures
	x := make([][]float64, len(data))
	th := &Thermometer{Temps: temps, Mean: make([]float64, nf), Std: make([]float64, nf)}
	for n, v := range data {
		if label[n] < 0 || label[n] >= nk {
			return nil, fmt.Errorf("thermometer: row %d has label %d, want 0…%d", n, label[n], nk-1)
		}
		x[n] = make([]float64, nf)
		features(x[n], v)
		for f, xf := range x[n] {
			th.Mean[f] += xf / float64(len(data))
		}
	}
	for _, xn := range x {
		for f, xf := range xn {
			th.Std[f] += (xf - th.Mean[f]) * (xf - th.Mean[f]) / float64(len(data))
		}
	}
	for f := range th.Std {
		th.Std[f] = math.Sqrt(th.Std[f])
		if th.Std[f] == 0 {
			th.Std[f] = 1
		}
	}
	// Rows with the same features share one softmax: group them, with the count of
	// each label, so that the cost per step is set by the number of distinct
	// feature vectors (on an L×L lattice e and |m| take O(L⁴) values together).
	type group struct {
		x     []float64
		n     float64
		count []float64 // per class
	}
	var groups []*group
	index := map[[thermoFeatures]float64]*group{}
	for n, xn := range x {
		key := [thermoFeatures]float64(xn)
		g := index[key]
		if g == nil {
			g = &group{x: xn, count: make([]float64, nk)}
			th.standardize(g.x)
			index[key] = g
			groups = append(groups, g)
		}
		g.n++
		g.count[label[n]]++
	}
	const lambda = 1e-4
	np := nf + 1
	p := make([]float64, nk)
	loss := func(grad, w []float64) float64 {
		for i := range grad {
			grad[i] = 0
		}
		var l float64
		for _, g := range groups {
			logits(p, w, g.x, nk)
			lse := softmaxInPlace(p)
			for k, c := range g.count {
				if c != 0 {
					l -= c * (logitAt(w, g.x, k) - lse)
				}
			}
			if grad != nil {
				for k, pk := range p {
					d := g.n*pk - g.count[k]
					grad[k*np] += d
					for f, xf := range g.x {
						grad[k*np+1+f] += d * xf
					}
				}
			}
		}
		inv := 1 / float64(len(x))
		l *= inv
		for i, wi := range w {
			if i%np != 0 {
				l += lambda / 2 * wi * wi
			}
		}
		for i := range grad {
			grad[i] *= inv
			if i%np != 0 {
				grad[i] += lambda * w[i]
			}
		}
		return l
	}
	w, err := minimizeConvex(loss, make([]float64, nk*np))
	if err != nil {
		return nil, fmt.Errorf("thermometer: %w", err)
	}
	th.Coef = make([][]float64, nk)
	for k := range th.Coef {
		th.Coef[k] = append([]float64(nil), w[k*np:(k+1)*np]...)
	}
	var right, se float64
	for n, v := range data {
		t, k := th.read(v, p)
		if k == label[n] {
			right++
		}
		se += (t - temps[label[n]]) * (t - temps[label[n]])
	}
	th.Accuracy, th.RMSE = right/float64(len(data)), math.Sqrt(se/float64(len(data)))
	return th, nil
}

// minimizeConvex minimizes the smooth convex f (which returns the value and fills
// grad when not nil) from w by L-BFGS and returns the minimizer.
func minimizeConvex(f func(grad, w []float64) float64, w []float64) ([]float64, error) {
	p := optimize.Problem{
		Func: func(x []float64) float64 { return f(nil, x) },
		Grad: func(grad, x []float64) { f(grad, x) },
	}
	res, err := optimize.Minimize(p, w, &optimize.Settings{GradientThreshold: 1e-8, MajorIterations: 10000}, &optimize.LBFGS{})
	if err != nil && (res == nil || res.Status != optimize.GradientThreshold) {
		return nil, fmt.Errorf("L-BFGS: %w", err)
	}
	return res.X, nil
}

func (t *Thermometer) standardize(x []float64) {
	for f := range x {
		x[f] = (x[f] - t.Mean[f]) / t.Std[f]
	}
}

// logits sets p[k] = w_k0 + Σ_f w_kf x_f.
func logits(p, w, x []float64, nk int) {
	for k := range nk {
		p[k] = logitAt(w, x, k)
	}
}

func logitAt(w, x []float64, k int) float64 {
	np := len(x) + 1
	s := w[k*np]
	for f, xf := range x {
		s += w[k*np+1+f] * xf
	}
	return s
}

// softmaxInPlace turns logits into probabilities and returns log Σ exp(logits).
func softmaxInPlace(p []float64) float64 {
	mx := math.Inf(-1)
	for _, v := range p {
		mx = math.Max(mx, v)
	}
	var s float64
	for k, v := range p {
		p[k] = math.Exp(v - mx)
		s += p[k]
	}
	for k := range p {
		p[k] /= s
	}
	return mx + math.Log(s)
}

// read returns the posterior-mean temperature and the most probable class; p is
// scratch of length len(Temps).
func (t *Thermometer) read(v []float64, p []float64) (float64, int) {
	x := make([]float64, thermoFeatures)
	features(x, v)
	t.standardize(x)
	for k, c := range t.Coef {
		s := c[0]
		for f, xf := range x {
			s += c[1+f] * xf
		}
		p[k] = s
	}
	softmaxInPlace(p)
	var mean float64
	best := 0
	for k, pk := range p {
		mean += pk * t.Temps[k]
		if pk > p[best] {
			best = k
		}
	}
	return mean, best
}

// Read returns the temperature the thermometer reads from configuration v (units
// in [0, 1], L×L row-major): the posterior mean Σ_k p(k|v) T_k.
func (t *Thermometer) Read(v []float64) float64 {
	r, _ := t.read(v, make([]float64, len(t.Temps)))
	return r
}

// FlowMode is how a flow step v → h → v′ treats the units.
type FlowMode int

const (
	// MeanField iterates probabilities: h = σ(b + Wᵀv), v′ = σ(a + Wh), and the
	// thermometer reads v′ as it is (spins 2v′ − 1 ∈ [−1, 1]). The flow is
	// deterministic given its start.
	MeanField FlowMode = iota
	// Sample draws binary h and v′ (one block-Gibbs step of the RBM per flow step);
	// the flow is the RBM's Gibbs chain.
	Sample
)

// String returns "meanfield" or "sample".
func (m FlowMode) String() string {
	switch m {
	case MeanField:
		return "meanfield"
	case Sample:
		return "sample"
	}
	return fmt.Sprintf("FlowMode(%d)", int(m))
}

// ParseFlowMode parses "meanfield" or "sample".
func ParseFlowMode(s string) (FlowMode, error) {
	switch strings.ToLower(s) {
	case "meanfield", "mf":
		return MeanField, nil
	case "sample":
		return Sample, nil
	}
	return 0, fmt.Errorf("unknown flow mode %q (want meanfield or sample)", s)
}

// TrainSet selects the temperatures an RBM of the flow experiment is trained on.
type TrainSet int

const (
	TrainAll  TrainSet = iota // every temperature
	TrainHigh                 // only T > T_c
	TrainLow                  // only T < T_c
)

// TrainSets lists the names [ParseTrainSet] accepts.
var TrainSets = []string{"all", "high", "low"}

// String returns "all", "high" or "low".
func (s TrainSet) String() string {
	if s >= 0 && int(s) < len(TrainSets) {
		return TrainSets[s]
	}
	return fmt.Sprintf("TrainSet(%d)", int(s))
}

// ParseTrainSet parses "all", "high" or "low".
func ParseTrainSet(s string) (TrainSet, error) {
	for k, name := range TrainSets {
		if strings.EqualFold(s, name) {
			return TrainSet(k), nil
		}
	}
	return 0, fmt.Errorf("unknown training set %q (want all, high or low)", s)
}

// includes reports whether temperature t belongs to the set.
func (s TrainSet) includes(t float64) bool {
	switch s {
	case TrainHigh:
		return t > rg.TcIsing
	case TrainLow:
		return t < rg.TcIsing
	}
	return true
}

// FlowSpec is the recipe of an RBM-flow experiment (Iso, Shiba & Yokoo 2018).
type FlowSpec struct {
	L       int       // lattice size (10 in the paper)
	Temps   []float64 // temperatures of the data (0…6)
	Samples int       // configurations per temperature
	Hidden  int       // hidden units (64)
	// RBM holds the training options of the RBMs.
	RBM learn.Options
	// Steps is the number of flow steps, Chains the number of flows per start
	// temperature; the fixed point averages the readings of the last half of the
	// steps.
	Steps, Chains int
	// Starts are the start temperatures of the flows (0 and 6).
	Starts []float64
	Mode   FlowMode
	Seed   uint64
}

// IsoSpec returns the recipe: quick is CI-sized (200 configurations per temperature,
// 30 epochs, 40 chains, 40 steps); the full one uses 1000 configurations per
// temperature, 100 epochs, 100 chains and 100 steps. Both use L = 10, T = 0, 0.25, …,
// 6, 64 hidden units, CD-1 with batch 100, learning rate 0.05 and momentum 0.5
// (docs/references/rg.md §2: Iso et al.'s main case N_h = 64, CD), starts at T = 0 and 6,
// and mean-field flows. The flows of the RBM trained on all temperatures reach T_c
// from both starts after about 10³ updates (the quick recipe's 30 epochs); the full
// recipe's 2.5·10⁴ updates take the flow from T = 0 to T ≈ 1.3 (see
// [FlowLab.RunScan], TestFlowMustShow and the README).
func IsoSpec(quick bool, seed uint64) FlowSpec {
	s := FlowSpec{L: 10, Temps: IsoTemperatures(), Samples: 1000, Hidden: 64,
		RBM:   learn.Options{Method: learn.CD, K: 1, Epochs: 100, Batch: 100, LR: 0.05, Momentum: 0.5, Seed: seed, Monitor: learn.Monitor{Every: -1}},
		Steps: 100, Chains: 100, Starts: []float64{0, 6}, Mode: MeanField, Seed: seed}
	if quick {
		s.Samples, s.RBM.Epochs, s.Steps, s.Chains = 200, 30, 40, 40
	}
	return s
}

// String returns a one-line description.
func (s FlowSpec) String() string {
	return fmt.Sprintf("L=%d, %d temperatures %g…%g × %d samples, %d hidden, %v; %s flows, %d steps × %d chains from T=%v, seed %d",
		s.L, len(s.Temps), s.Temps[0], s.Temps[len(s.Temps)-1], s.Samples, s.Hidden, s.RBM, s.Mode, s.Steps, s.Chains, s.Starts, s.Seed)
}

// FlowLab holds what the flows of one spec share: the labelled data, the
// thermometer and the start configurations.
type FlowLab struct {
	Spec        FlowSpec
	Data        [][]float64
	Label       []int
	Thermometer *Thermometer
	// Starts[k] holds Spec.Chains start configurations at Spec.Starts[k], drawn
	// independently of the training data.
	Starts [][][]float64
}

// String returns a summary.
func (l *FlowLab) String() string {
	return fmt.Sprintf("flow lab: %d configurations; %v", len(l.Data), l.Thermometer)
}

// NewFlowLab generates the data and the start configurations and trains the
// thermometer. It returns an error for an invalid spec.
func NewFlowLab(spec FlowSpec) (*FlowLab, error) {
	switch {
	case spec.L < 2, len(spec.Temps) < 2, spec.Samples < 1, spec.Hidden < 1, spec.Steps < 2, spec.Chains < 2, len(spec.Starts) == 0:
		return nil, fmt.Errorf("flow: invalid spec %v", spec)
	}
	for _, t := range append(append([]float64(nil), spec.Temps...), spec.Starts...) {
		if !(t >= 0) || math.IsInf(t, 0) {
			return nil, fmt.Errorf("flow: temperature %v: want finite T ≥ 0", t)
		}
	}
	data, label, err := FlowData(spec.L, spec.Temps, spec.Samples, spec.Seed)
	if err != nil {
		return nil, err
	}
	th, err := TrainThermometer(data, label, spec.Temps)
	if err != nil {
		return nil, err
	}
	lab := &FlowLab{Spec: spec, Data: data, Label: label, Thermometer: th}
	for k, t := range spec.Starts {
		// Start configurations use their own seed, independent of the training data.
		s := sampler.NewStream(spec.Seed, sampler.PurposeData, len(spec.Temps)+k, 1).Uint64()
		d, _, err := FlowData(spec.L, []float64{t}, spec.Chains, s)
		if err != nil {
			return nil, err
		}
		lab.Starts = append(lab.Starts, d)
	}
	return lab, nil
}

// TrainRBM trains an RBM with Spec.Hidden hidden units on the rows of the data
// whose temperature is in set ([learn.NewRBM], [learn.Train] with Spec.RBM).
func (l *FlowLab) TrainRBM(ctx context.Context, set TrainSet) (*models.RBM, error) {
	return l.trainRBM(ctx, set, nil)
}

// trainRBM is TrainRBM; after is called, if not nil, with the RBM after every epoch.
func (l *FlowLab) trainRBM(ctx context.Context, set TrainSet, after func(epoch int, r *models.RBM)) (*models.RBM, error) {
	var rows [][]float64
	for n, v := range l.Data {
		if set.includes(l.Spec.Temps[l.Label[n]]) {
			rows = append(rows, v)
		}
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("flow: no training data at %s temperatures", set)
	}
	r, err := learn.NewRBM(rows, l.Spec.Hidden, l.Spec.RBM.Seed)
	if err != nil {
		return nil, fmt.Errorf("flow: %w", err)
	}
	opts := l.Spec.RBM
	if after != nil {
		user := opts.Progress
		opts.Progress = func(done, total int) {
			after(done, r)
			if user != nil {
				user(done, total)
			}
		}
	}
	if _, err := learn.Train(ctx, r, rows, opts); err != nil {
		return nil, fmt.Errorf("flow: %w", err)
	}
	return r, nil
}

// FlowStart is the flow from one start temperature.
type FlowStart struct {
	FromT float64 `json:"from_T"`
	// FixedPointT is the mean over chains of each chain's average reading over the
	// last half of the steps, with its standard error over chains.
	FixedPointT analysis.Estimate `json:"fixed_point_T"`
	// Series[s] is the reading after s steps (0 = the start), mean ± standard error
	// over chains.
	Series []analysis.Estimate `json:"series"`
	// Chains[c] is chain c's average reading over the last half of the steps: the
	// distribution behind FixedPointT.
	Chains []float64 `json:"chains"`
}

// String returns e.g. "from T=0: fixed point T = 2.31(4) after 40 steps".
func (f FlowStart) String() string {
	return fmt.Sprintf("from T=%g: fixed point T = %v after %d steps", f.FromT, f.FixedPointT, len(f.Series)-1)
}

// Flow runs Spec.Steps flow steps of r from every start configuration and reads
// the temperature along the flows. Sample mode draws from
// NewStream(Spec.Seed, PurposeChain, start, chain).
func (l *FlowLab) Flow(r *models.RBM) []FlowStart {
	var out []FlowStart
	p := make([]float64, len(l.Spec.Temps))
	h := make([]float64, r.NH())
	steps := l.Spec.Steps
	for k, starts := range l.Starts {
		read := make([][]float64, len(starts)) // [chain][step]
		for c, v0 := range starts {
			v := append([]float64(nil), v0...)
			var src *rand.PCG
			if l.Spec.Mode == Sample {
				src = sampler.NewStream(l.Spec.Seed, sampler.PurposeChain, k, c)
			}
			read[c] = make([]float64, steps+1)
			read[c][0], _ = l.Thermometer.read(v, p)
			for s := 1; s <= steps; s++ {
				r.HiddenProbs(h, v)
				if src != nil {
					sample(src, h)
				}
				r.VisibleProbs(v, h)
				if src != nil {
					sample(src, v)
				}
				read[c][s], _ = l.Thermometer.read(v, p)
			}
		}
		fs := FlowStart{FromT: l.Spec.Starts[k]}
		col := make([]float64, len(starts))
		for s := 0; s <= steps; s++ {
			for c := range starts {
				col[c] = read[c][s]
			}
			m, e := meanErr(col)
			fs.Series = append(fs.Series, analysis.Estimate{Mean: m, Err: e, N: len(col)})
		}
		late := make([]float64, len(starts))
		for c := range starts {
			for s := steps - steps/2; s <= steps; s++ {
				late[c] += read[c][s] / float64(steps/2+1)
			}
		}
		m, e := meanErr(late)
		fs.FixedPointT = analysis.Estimate{Mean: m, Err: e, N: len(late)}
		fs.Chains = late
		out = append(out, fs)
	}
	return out
}

// FlowResult is the outcome of one RBM-flow experiment.
type FlowResult struct {
	Spec   string      `json:"spec"`
	Train  string      `json:"train"`
	Starts []FlowStart `json:"starts"`
	// Scan, from [FlowLab.RunScan], holds the flows' fixed points at stages of
	// the training; the last stage is Starts.
	Scan []ScanPoint `json:"training_scan,omitempty"`
}

// ScanPoint is where the flows of a partly trained RBM settle.
type ScanPoint struct {
	Epochs int `json:"epochs"`
	// FixedPointT[k] is the fixed point of the flows from Spec.Starts[k] (see
	// [FlowStart]).
	FixedPointT []analysis.Estimate `json:"fixed_point_T"`
}

// String returns e.g. "after 10 epochs: 2.31(2) 2.44(5)".
func (p ScanPoint) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "after %d epochs:", p.Epochs)
	for _, e := range p.FixedPointT {
		fmt.Fprintf(&b, " %v", e)
	}
	return b.String()
}

// String returns one line per start, then the training scan if there is one.
func (r FlowResult) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "RBM trained on %s temperatures (%s)\n", r.Train, r.Spec)
	for _, s := range r.Starts {
		fmt.Fprintf(&b, "  %v\n", s)
	}
	if len(r.Scan) > 0 {
		fmt.Fprintf(&b, "fixed points during training (starts")
		for _, s := range r.Starts {
			fmt.Fprintf(&b, " T=%g", s.FromT)
		}
		fmt.Fprintf(&b, "):\n")
		for _, p := range r.Scan {
			fmt.Fprintf(&b, "  %v\n", p)
		}
	}
	return b.String()
}

// Run trains an RBM on the given set and runs the flows.
func (l *FlowLab) Run(ctx context.Context, set TrainSet) (FlowResult, error) {
	return l.RunScan(ctx, set, 0)
}

// RunScan is Run that also runs the flows after every `every` epochs of training
// (and after the last), recording where they settle in FlowResult.Scan: how the
// network's fixed point depends on how long it was trained. every = 0 is Run.
// The flows read the RBM between epochs and do not change the training, so the
// final RBM and Starts are those of Run.
func (l *FlowLab) RunScan(ctx context.Context, set TrainSet, every int) (FlowResult, error) {
	if every < 0 {
		return FlowResult{}, fmt.Errorf("flow: scan every %d epochs: want ≥ 0", every)
	}
	var scan []ScanPoint
	var final []FlowStart // the flows after the last epoch, when the scan ran them
	var after func(int, *models.RBM)
	if every > 0 {
		after = func(e int, r *models.RBM) {
			last := e == l.Spec.RBM.Epochs
			if e%every != 0 && !last {
				return
			}
			starts := l.Flow(r)
			p := ScanPoint{Epochs: e}
			for _, s := range starts {
				p.FixedPointT = append(p.FixedPointT, s.FixedPointT)
			}
			scan = append(scan, p)
			if last {
				final = starts
			}
		}
	}
	r, err := l.trainRBM(ctx, set, after)
	if err != nil {
		return FlowResult{}, err
	}
	if final == nil {
		final = l.Flow(r)
	}
	return FlowResult{Spec: l.Spec.String(), Train: set.String(), Starts: final, Scan: scan}, nil
}
