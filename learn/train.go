package learn

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"time"

	"gonum.org/v1/gonum/mat"

	"github.com/deepglass/deepglass/models"
	"github.com/deepglass/deepglass/sampler"
	"github.com/deepglass/deepglass/sampler/rbmsample"
)

// Method selects how [Train] draws the negative samples of the gradient.
type Method int

const (
	CD  Method = iota // contrastive divergence: chains start at the minibatch
	PCD               // persistent contrastive divergence
	PT                // parallel tempering with persistent ladders
)

// Methods lists the names [ParseMethod] accepts.
var Methods = []string{"cd", "pcd", "pt"}

// String returns "cd", "pcd" or "pt".
func (m Method) String() string {
	switch m {
	case CD:
		return "cd"
	case PCD:
		return "pcd"
	case PT:
		return "pt"
	}
	return fmt.Sprintf("Method(%d)", int(m))
}

// ParseMethod parses "cd", "pcd" or "pt" (case-insensitive).
func ParseMethod(s string) (Method, error) {
	for m, name := range Methods {
		if strings.EqualFold(s, name) {
			return Method(m), nil
		}
	}
	return 0, fmt.Errorf("unknown method %q (want %s)", s, strings.Join(Methods, ", "))
}

// Monitor selects what [Train] measures after an epoch.
type Monitor struct {
	// Every is the number of epochs between measurements; the last epoch is always
	// measured. 0 means 1; a negative value means only the last epoch.
	Every int
	// LogLik measures the mean log-likelihood per sample: exact when the smaller layer
	// has at most MaxExactMonitor units, else ln Z from AIS with AISChains runs and
	// AISSteps intermediate distributions.
	LogLik bool
	// AISChains and AISSteps configure the AIS estimate; 0 means 100 and 1000.
	AISChains, AISSteps int
	// Recon measures the mean-field reconstruction error per unit,
	// ‖v − σ(a + W σ(b + Wᵀv))‖²/NV averaged over samples.
	Recon bool
	// PseudoLL measures the log pseudo-likelihood per sample, Σ_i ln p(v_i | v_{−i}),
	// computed exactly (one flip of each unit).
	PseudoLL bool
	// MaxRows limits the samples used for Recon and PseudoLL (the first MaxRows rows
	// of the data; the log-likelihood always uses all rows); 0 means 1000.
	MaxRows int
}

// MaxExactMonitor is the largest size of the smaller layer for which the monitor
// computes the exact ln Z (2^20 terms: about half a second at 20×20).
const MaxExactMonitor = 20

// String returns a summary such as "every 1: loglik recon pl".
func (m Monitor) String() string {
	var parts []string
	if m.LogLik {
		parts = append(parts, "loglik")
	}
	if m.Recon {
		parts = append(parts, "recon")
	}
	if m.PseudoLL {
		parts = append(parts, "pl")
	}
	if len(parts) == 0 {
		return "none"
	}
	every := "every epoch"
	switch {
	case m.Every < 0:
		every = "last epoch"
	case m.Every > 1:
		every = fmt.Sprintf("every %d epochs", m.Every)
	}
	return every + ": " + strings.Join(parts, " ")
}

// Options configures [Train]. [DefaultOptions] gives working values.
type Options struct {
	Method Method
	// K is the number of block-Gibbs steps (CD, PCD) or tempering rounds (PT) per
	// update; 0 means 1.
	K int
	// Epochs is the number of passes over the data.
	Epochs int
	// Batch is the minibatch size; 0 or more than the data means all the data.
	Batch int
	// LR is the learning rate of epoch 0; epoch e uses LR/(1 + LRDecay·e).
	LR, LRDecay float64
	// Momentum is the fraction of the previous update added to the current one.
	Momentum float64
	// L2 is the weight decay, L1 the sparsity penalty L1·Σ|W|. The decay enters the
	// gradient (−L2·W); the L1 penalty is applied by its proximal step after each
	// update (soft thresholding: every weight moves toward 0 by lr·L1 and stops at
	// 0), which, unlike the subgradient −L1·sign(W), leaves the weights it prunes
	// at exactly zero. Biases are not penalised.
	L2, L1 float64
	// L1Warmup is the number of epochs over which the L1 penalty rises linearly
	// from 0 to L1: epoch e uses L1·min(1, e/L1Warmup). W = 0 is a stationary point
	// of the likelihood (hidden units independent of the data give no gradient), so
	// a penalty at full strength from the start can prune the small initial
	// weights before any feature forms; 0 means no warm-up.
	L1Warmup int
	// Seed selects the random streams (data order, chains, swaps).
	Seed uint64
	// Chains is the number of persistent chains (PCD) or tempering ladders (PT); 0
	// means the batch size for PCD and 10 for PT. CD ignores it.
	Chains int
	// Betas is the inverse-temperature ladder of PT, increasing to 1; nil means 10
	// values equally spaced in [0, 1].
	Betas []float64
	// Float32 trains in single precision: float32 data, weights and products (gonum
	// blas32; OpenBLAS sgemm with the openblas tag), about twice the speed of float64
	// products and half the memory, with the random numbers of a float64 run, so that
	// the two agree to float32 rounding. CD and PCD only. The RBM's float64 weights are
	// set from the float32 ones before each measurement and at the end.
	Float32 bool
	// Monitor selects the per-epoch measurements.
	Monitor Monitor
	// Progress, if not nil, is called after every epoch with the epochs done and the
	// total.
	Progress func(done, total int)
	// Resume, if not nil, continues the interrupted run whose state it is (from
	// History.State of a Train whose context was cancelled): the RBM's parameters,
	// momentum, persistent chains, streams and history are set from it, and training
	// goes on from the minibatch where it stopped, exactly as the run would have gone
	// on. The options (but Progress and Resume) and data must be the run's.
	Resume *State
}

// DefaultOptions returns PCD-1, 100 epochs, batch 100, LR 0.05, monitoring the
// log-likelihood and the reconstruction error every epoch.
func DefaultOptions() Options {
	return Options{Method: PCD, K: 1, Epochs: 100, Batch: 100, LR: 0.05,
		Monitor: Monitor{LogLik: true, Recon: true}}
}

// String returns a one-line summary of the options.
func (o Options) String() string {
	s := fmt.Sprintf("%v-%d epochs=%d batch=%d lr=%g", o.Method, max(o.K, 1), o.Epochs, o.Batch, o.LR)
	if o.LRDecay != 0 {
		s += fmt.Sprintf(" decay=%g", o.LRDecay)
	}
	if o.Momentum != 0 {
		s += fmt.Sprintf(" momentum=%g", o.Momentum)
	}
	if o.L2 != 0 {
		s += fmt.Sprintf(" l2=%g", o.L2)
	}
	if o.L1 != 0 {
		s += fmt.Sprintf(" l1=%g", o.L1)
		if o.L1Warmup != 0 {
			s += fmt.Sprintf(" l1-warmup=%d", o.L1Warmup)
		}
	}
	if o.Method != CD && o.Chains != 0 {
		s += fmt.Sprintf(" chains=%d", o.Chains)
	}
	if o.Method == PT && o.Betas != nil {
		s += fmt.Sprintf(" temperatures=%d", len(o.Betas))
	}
	if o.Float32 {
		s += " float32"
	}
	return s + fmt.Sprintf(" seed=%d", o.Seed)
}

// DefaultPTBetas returns n inverse temperatures equally spaced from 0 to 1.
func DefaultPTBetas(n int) []float64 {
	if n < 2 {
		panic(fmt.Sprintf("learn: DefaultPTBetas(%d) needs n ≥ 2", n))
	}
	b := make([]float64, n)
	for k := range b {
		b[k] = float64(k) / float64(n-1)
	}
	return b
}

// Epoch holds the measurements after one epoch. Unmeasured quantities are NaN.
type Epoch struct {
	Epoch       int     `json:"epoch"` // 1-based
	LR          float64 `json:"lr"`
	LogLik      float64 `json:"loglik"`       // mean ln p(v) per sample
	LogLikExact bool    `json:"loglik_exact"` // ln Z exact (else AIS)
	LogZ        float64 `json:"logz"`
	LogZErr     float64 `json:"logz_err"` // AIS standard error; 0 if exact
	Recon       float64 `json:"recon"`    // reconstruction error per unit
	PseudoLL    float64 `json:"pseudo_ll"`
	Seconds     float64 `json:"seconds"` // training time so far, monitoring excluded
}

// String returns a line such as "epoch 10: loglik -5.123 (exact) recon 0.0812".
func (e Epoch) String() string {
	s := fmt.Sprintf("epoch %d:", e.Epoch)
	if !math.IsNaN(e.LogLik) {
		kind := "exact"
		if !e.LogLikExact {
			kind = fmt.Sprintf("AIS ±%.2g", e.LogZErr)
		}
		s += fmt.Sprintf(" loglik %.4f (%s)", e.LogLik, kind)
	}
	if !math.IsNaN(e.Recon) {
		s += fmt.Sprintf(" recon %.4g", e.Recon)
	}
	if !math.IsNaN(e.PseudoLL) {
		s += fmt.Sprintf(" pl %.4f", e.PseudoLL)
	}
	return s
}

// History is the record of a training run.
type History struct {
	Options Options `json:"-"`
	Epochs  []Epoch `json:"epochs"` // the monitored epochs
	// Samples is the number of training samples processed (epochs × data rows), and
	// Seconds the wall time of training without monitoring.
	Samples int64   `json:"samples"`
	Seconds float64 `json:"seconds"`
	// SwapRates holds the final swap acceptance of each neighbouring pair of the PT
	// ladder, averaged over ladders (nil for CD and PCD).
	SwapRates []float64 `json:"swap_rates,omitempty"`
	// State is, when Train stopped because its context was cancelled, the state from
	// which Options.Resume continues the run; nil otherwise.
	State *State `json:"-"`
}

// SamplesPerSecond returns Samples/Seconds.
func (h History) SamplesPerSecond() float64 { return float64(h.Samples) / h.Seconds }

// Last returns the last monitored epoch, or an Epoch of NaNs if there is none.
func (h History) Last() Epoch {
	if len(h.Epochs) == 0 {
		return nanEpoch(0, math.NaN())
	}
	return h.Epochs[len(h.Epochs)-1]
}

// String returns a summary such as "pcd-1 …: 100 epochs, 3.2e+04 samples/s; epoch 100: …".
func (h History) String() string {
	s := fmt.Sprintf("%v: %d samples in %.3g s (%.3g samples/s)", h.Options, h.Samples, h.Seconds, h.SamplesPerSecond())
	if len(h.Epochs) > 0 {
		s += fmt.Sprintf("; %v", h.Last())
	}
	return s
}

func nanEpoch(e int, lr float64) Epoch {
	nan := math.NaN()
	return Epoch{Epoch: e, LR: lr, LogLik: nan, LogZ: nan, LogZErr: nan, Recon: nan, PseudoLL: nan}
}

// NewRBM returns an RBM for training on data with nh hidden units: weights drawn from
// N(0, 0.01²) (Hinton 2012, "A practical guide to training RBMs", §8), visible biases
// the smoothed log-odds of the data ([rbmsample.BaseRate]) and hidden biases zero. The
// weights come from NewStream(seed, PurposeDisorder, 0, 0). It returns an error if the
// data are empty or ragged or nh < 1.
func NewRBM(data [][]float64, nh int, seed uint64) (*models.RBM, error) {
	if _, err := checkData(data); err != nil {
		return nil, err
	}
	if nh < 1 {
		return nil, fmt.Errorf("need at least one hidden unit, have %d", nh)
	}
	r := models.RandomRBM(len(data[0]), nh, 0.01, rand.New(sampler.NewStream(seed, sampler.PurposeDisorder, 0, 0)))
	copy(r.A, rbmsample.BaseRate(data))
	return r, nil
}

// checkData returns the number of columns, or an error if data are empty, ragged, or
// hold values outside [0, 1].
func checkData(data [][]float64) (int, error) {
	if len(data) == 0 || len(data[0]) == 0 {
		return 0, errors.New("empty data")
	}
	nv := len(data[0])
	for d, row := range data {
		if len(row) != nv {
			return 0, fmt.Errorf("row %d has %d values, row 0 has %d", d, len(row), nv)
		}
		for i, x := range row {
			if !(x >= 0 && x <= 1) {
				return 0, fmt.Errorf("row %d column %d: value %v outside [0, 1]", d, i, x)
			}
		}
	}
	return nv, nil
}

// Train fits r to data (rows of NV values in [0, 1], usually 0 or 1) with the given
// options, changing r's weights and biases in place, and returns the history of the
// monitored epochs. It returns an error for invalid options or data (or a
// Options.Resume that does not fit them), or ctx's error when ctx is cancelled: it
// checks ctx before every minibatch, r then holds the weights after the last finished
// one and History.State the state from which Options.Resume continues.
func Train(ctx context.Context, r *models.RBM, data [][]float64, opts Options) (History, error) {
	hist := History{Options: opts}
	nv, err := checkData(data)
	if err != nil {
		return hist, err
	}
	if nv != r.NV() {
		return hist, fmt.Errorf("data have %d columns but the RBM has %d visible units", nv, r.NV())
	}
	var t epochRunner
	var err64 error
	if opts.Float32 {
		t, err64 = newTrainer32(r, data, opts)
	} else {
		t, err64 = newTrainer(r, data, opts)
	}
	if err64 != nil {
		return hist, err64
	}
	defer t.close()
	defer t.sync()
	o := t.options()
	hist.Options = o
	first, batch := 0, 0
	if s := opts.Resume; s != nil {
		if err := t.restore(s); err != nil {
			return hist, err
		}
		first, batch = s.Epoch, s.Batch
		hist.Epochs, hist.Samples, hist.Seconds = slices.Clone(s.Epochs), s.Samples, s.Seconds
	}
	mon := newMonitor(r, data, o)
	elapsed := time.Duration(hist.Seconds * float64(time.Second))
	for e := first; e < o.Epochs; e++ {
		start := time.Now()
		lr := o.LR / (1 + o.LRDecay*float64(e))
		l1 := o.L1
		if w := o.L1Warmup; e < w {
			l1 *= float64(e) / float64(w)
		}
		t.setL1(l1)
		done, rows, err := t.epoch(ctx, lr, batch)
		elapsed += time.Since(start)
		hist.Samples += int64(rows)
		if err != nil {
			hist.Seconds = elapsed.Seconds()
			t.sync()
			st, serr := t.state(e, done, hist)
			if serr != nil {
				return hist, errors.Join(err, serr)
			}
			hist.State = st
			return hist, err
		}
		batch = 0
		if mon.due(e) {
			t.sync()
			ep := mon.measure(e+1, lr)
			ep.Seconds = elapsed.Seconds()
			hist.Epochs = append(hist.Epochs, ep)
		}
		if o.Progress != nil {
			o.Progress(e+1, o.Epochs)
		}
	}
	hist.Seconds = elapsed.Seconds()
	hist.SwapRates = t.swapRates()
	return hist, nil
}

// epochRunner is a training run in float64 (trainer) or float32 (trainer32).
type epochRunner interface {
	// epoch makes one pass over the data, or finishes one whose first `from`
	// minibatches are done; it stops before a minibatch when ctx is done, returning
	// the minibatches done, the rows trained on and ctx's error.
	epoch(ctx context.Context, lr float64, from int) (done, rows int, err error)
	// state captures the run during epoch e after batch minibatches (after sync);
	// restore sets the run to a state of the same options and data.
	state(e, batch int, hist History) (*State, error)
	restore(s *State) error
	setL1(l1 float64)
	options() Options
	sync() // set the RBM's weights from the run's
	swapRates() []float64
	close()
}

func (t *trainer) options() Options { return t.opts }
func (t *trainer) setL1(l1 float64) { t.l1 = l1 }
func (t *trainer) sync()            {}

// trainer holds the state of a training run: the data as one matrix and the
// preallocated work matrices of the minibatch update.
type trainer struct {
	r    *models.RBM
	opts Options
	k    int
	l1   float64 // L1 penalty of the current epoch (see Options.L1Warmup)

	data    *mat.Dense // D×NV
	order   []int      // minibatch order, reshuffled each epoch
	shuf    *rand.Rand
	shufSrc *rand.PCG // shuf's stream
	src     *rand.PCG // chain sampling (CD, PCD)

	// Work matrices for full batches (f) and the last, partial batch (p).
	full, part *batchWork
	nc         int        // negative rows: batch size (CD) or chains (PCD, PT)
	hc         *mat.Dense // persistent hidden states (PCD), nc×NH
	pt         []*rbmsample.RBMTempering
	start      []chan struct{} // PT workers: one signal per update
	done       chan struct{}

	grad, vel *mat.Dense // NV×NH
	gradA     []float64
	gradB     []float64
	velA      []float64
	velB      []float64
}

// batchWork holds the matrices of one minibatch size nb: S = [V0; Vc] stacks the
// batch over the negative visible states, X = S·W the hidden inputs, Q the scaled
// hidden probabilities [P0/nb; −Pn/nc], so that Sᵀ·Q is the weight gradient.
type batchWork struct {
	nb, nc  int
	s, x, q *mat.Dense // (nb+nc)×NV, (nb+nc)×NH, (nb+nc)×NH
	v0, vc  *mat.Dense // views of S
	x0, xc  *mat.Dense // views of X
	hc      *mat.Dense // nc×NH hidden samples (CD: chains of this batch)
	yc      *mat.Dense // nc×NV visible inputs
	sT      mat.Matrix // S transposed
	wT      mat.Matrix // W transposed
	nbScale float64
	ncScale float64
}

// resolve checks opts for nd data rows and returns them with defaults set.
func (opts Options) resolve(nd int) (Options, error) {
	if opts.K == 0 {
		opts.K = 1
	}
	switch {
	case opts.Method < CD || opts.Method > PT:
		return opts, fmt.Errorf("unknown method %d", int(opts.Method))
	case opts.K < 0:
		return opts, fmt.Errorf("k = %d: want k ≥ 1", opts.K)
	case opts.Epochs < 0:
		return opts, fmt.Errorf("epochs = %d: want ≥ 0", opts.Epochs)
	case opts.Batch < 0:
		return opts, fmt.Errorf("batch = %d: want ≥ 0", opts.Batch)
	case !(opts.LR > 0) || math.IsInf(opts.LR, 0):
		return opts, fmt.Errorf("learning rate %v: want a finite value > 0", opts.LR)
	case !(opts.LRDecay >= 0) || math.IsInf(opts.LRDecay, 0):
		return opts, fmt.Errorf("learning-rate decay %v: want a finite value ≥ 0", opts.LRDecay)
	case !(opts.Momentum >= 0 && opts.Momentum < 1):
		return opts, fmt.Errorf("momentum %v: want 0 ≤ momentum < 1", opts.Momentum)
	case !(opts.L2 >= 0) || math.IsInf(opts.L2, 0):
		return opts, fmt.Errorf("l2 %v: want a finite value ≥ 0", opts.L2)
	case !(opts.L1 >= 0) || math.IsInf(opts.L1, 0):
		return opts, fmt.Errorf("l1 %v: want a finite value ≥ 0", opts.L1)
	case opts.L1Warmup < 0:
		return opts, fmt.Errorf("l1 warm-up %d: want ≥ 0 epochs", opts.L1Warmup)
	case opts.Chains < 0:
		return opts, fmt.Errorf("chains = %d: want ≥ 0", opts.Chains)
	}
	if opts.Batch == 0 || opts.Batch > nd {
		opts.Batch = nd
	}
	if opts.Chains == 0 {
		switch opts.Method {
		case PCD:
			opts.Chains = opts.Batch
		case PT:
			opts.Chains = 10
		}
	}
	if opts.Method == PT {
		if opts.Betas == nil {
			opts.Betas = DefaultPTBetas(10)
		}
		if err := checkBetas(opts.Betas); err != nil {
			return opts, err
		}
	}
	if opts.Float32 && opts.Method == PT {
		return opts, errors.New("float32 training runs cd and pcd, not pt")
	}
	return opts, nil
}

func newTrainer(r *models.RBM, data [][]float64, opts Options) (*trainer, error) {
	nd := len(data)
	opts, err := opts.resolve(nd)
	if err != nil {
		return nil, err
	}
	nv, nh := r.NV(), r.NH()
	shufSrc := sampler.NewStream(opts.Seed, sampler.PurposeData, 0, 0)
	t := &trainer{r: r, opts: opts, k: opts.K, l1: opts.L1,
		data:    mat.NewDense(nd, nv, nil),
		order:   make([]int, nd),
		shuf:    rand.New(shufSrc),
		shufSrc: shufSrc,
		src:     sampler.NewStream(opts.Seed, sampler.PurposeChain, 0, 0),
		grad:    mat.NewDense(nv, nh, nil), vel: mat.NewDense(nv, nh, nil),
		gradA: make([]float64, nv), gradB: make([]float64, nh),
		velA: make([]float64, nv), velB: make([]float64, nh),
	}
	for d, row := range data {
		t.data.SetRow(d, row)
		t.order[d] = d
	}
	t.nc = opts.Chains // CD: per batch
	t.full = t.newBatchWork(opts.Batch)
	if rem := nd % opts.Batch; rem != 0 {
		t.part = t.newBatchWork(rem)
	}
	switch opts.Method {
	case PCD:
		// Chains start from hidden samples of random data rows.
		t.hc = mat.NewDense(t.nc, nh, nil)
		x := make([]float64, nh)
		for c := range t.nc {
			r.HiddenInput(x, data[t.shuf.IntN(nd)])
			row := t.hc.RawRowView(c)
			for j, xj := range x {
				row[j] = bernoulli(t.src, xj)
			}
		}
	case PT:
		t.pt = make([]*rbmsample.RBMTempering, t.nc)
		for c := range t.pt {
			chains := make([]*rbmsample.RBMChain, len(opts.Betas))
			for k := range chains {
				chains[k] = rbmsample.NewRBMChain(r, sampler.NewStream(opts.Seed, sampler.PurposeChain, c+1, k))
			}
			t.pt[c] = rbmsample.NewRBMTempering(r, opts.Betas, chains, sampler.NewStream(opts.Seed, sampler.PurposeSwap, c+1, 0))
		}
		t.startWorkers()
	}
	return t, nil
}

func checkBetas(b []float64) error {
	if len(b) < 2 {
		return fmt.Errorf("tempering needs at least 2 temperatures, have %d", len(b))
	}
	for k, x := range b {
		if !(x >= 0) || math.IsInf(x, 0) || (k > 0 && !(x > b[k-1])) {
			return fmt.Errorf("inverse temperatures %v: want finite, ≥ 0 and strictly increasing", b)
		}
	}
	if b[len(b)-1] != 1 {
		return fmt.Errorf("inverse temperatures %v: the last must be 1 (temperature 1)", b)
	}
	return nil
}

func (t *trainer) newBatchWork(nb int) *batchWork {
	nv, nh := t.r.NV(), t.r.NH()
	nc := t.nc
	if t.opts.Method == CD {
		nc = nb
	}
	n := nb + nc
	w := &batchWork{nb: nb, nc: nc,
		s: mat.NewDense(n, nv, nil), x: mat.NewDense(n, nh, nil), q: mat.NewDense(n, nh, nil),
		hc: mat.NewDense(nc, nh, nil), yc: mat.NewDense(nc, nv, nil),
		nbScale: 1 / float64(nb), ncScale: 1 / float64(nc)}
	w.v0 = w.s.Slice(0, nb, 0, nv).(*mat.Dense)
	w.vc = w.s.Slice(nb, n, 0, nv).(*mat.Dense)
	w.x0 = w.x.Slice(0, nb, 0, nh).(*mat.Dense)
	w.xc = w.x.Slice(nb, n, 0, nh).(*mat.Dense)
	w.sT = w.s.T()
	w.wT = t.r.W.T()
	return w
}

// epoch makes one pass over the data in a freshly shuffled order, or, if from > 0,
// finishes the pass whose first from minibatches are done. Before each minibatch it
// checks ctx; if ctx is done it returns its error with the number of minibatches of
// the epoch done (the data are shuffled when the first one starts). It also returns
// the number of rows it trained on.
func (t *trainer) epoch(ctx context.Context, lr float64, from int) (done, rows int, err error) {
	nb := t.opts.Batch
	for b := from; b*nb < len(t.order); b++ {
		if err := ctx.Err(); err != nil {
			return b, rows, err
		}
		if b == 0 {
			t.shuf.Shuffle(len(t.order), func(i, j int) { t.order[i], t.order[j] = t.order[j], t.order[i] })
		}
		start := b * nb
		w := t.full
		if start+nb > len(t.order) {
			w = t.part
		}
		t.update(w, t.order[start:start+w.nb], lr)
		rows += w.nb
	}
	return 0, rows, nil
}

// update makes one gradient step on the minibatch rows idx. It allocates nothing.
func (t *trainer) update(w *batchWork, idx []int, lr float64) {
	r := t.r
	for b, d := range idx {
		copy(w.v0.RawRowView(b), t.data.RawRowView(d))
	}
	switch t.opts.Method {
	case CD:
		// P0 first: the chains start from hidden samples of the batch.
		w.x0.Mul(w.v0, r.W)
		for b := range w.nb {
			x, h := w.x0.RawRowView(b), w.hc.RawRowView(b)
			for j, xj := range x {
				h[j] = bernoulli(t.src, xj+r.B[j])
			}
		}
		t.gibbs(w, w.hc)
	case PCD:
		t.gibbs(w, t.hc)
	case PT:
		t.stepLadders()
		for c, p := range t.pt {
			copy(w.vc.RawRowView(c), p.Cold().V)
		}
	}
	// Hidden inputs of batch and negative samples: X = S·W in one product (CD has X0).
	if t.opts.Method == CD {
		w.xc.Mul(w.vc, r.W)
	} else {
		w.x.Mul(w.s, r.W)
	}
	// Q = [σ(X0+b)/nb; −σ(Xc+b)/nc], the hidden-bias gradient as its column sums; PCD
	// chains keep a hidden sample of their last visible state.
	clear(t.gradB)
	n := w.nb + w.nc
	for row := range n {
		scale := w.nbScale
		if row >= w.nb {
			scale = -w.ncScale
		}
		x, q := w.x.RawRowView(row), w.q.RawRowView(row)
		var hrow []float64
		if t.opts.Method == PCD && row >= w.nb {
			hrow = t.hc.RawRowView(row - w.nb)
		}
		for j, xj := range x {
			p := models.Sigmoid(xj + r.B[j])
			q[j] = scale * p
			t.gradB[j] += scale * p
			if hrow != nil {
				hrow[j] = bernoulliP(t.src, p)
			}
		}
	}
	clear(t.gradA)
	for row := range n {
		scale := w.nbScale
		if row >= w.nb {
			scale = -w.ncScale
		}
		for i, v := range w.s.RawRowView(row) {
			t.gradA[i] += scale * v
		}
	}
	t.grad.Mul(w.sT, w.q)
	t.step(lr)
}

// gibbs runs k block-Gibbs steps from the hidden states h into the visible states
// w.vc; h holds hidden samples of all but the last step's visible states.
func (t *trainer) gibbs(w *batchWork, h *mat.Dense) {
	r := t.r
	for s := range t.k {
		w.yc.Mul(h, w.wT)
		for c := range w.nc {
			y, v := w.yc.RawRowView(c), w.vc.RawRowView(c)
			for i, yi := range y {
				v[i] = bernoulli(t.src, yi+r.A[i])
			}
		}
		if s == t.k-1 {
			break
		}
		w.xc.Mul(w.vc, r.W)
		for c := range w.nc {
			x, hr := w.xc.RawRowView(c), h.RawRowView(c)
			for j, xj := range x {
				hr[j] = bernoulli(t.src, xj+r.B[j])
			}
		}
	}
}

// step applies the gradient in t.grad, t.gradA, t.gradB with momentum and penalties.
func (t *trainer) step(lr float64) {
	r := t.r
	mom, l2, l1 := t.opts.Momentum, t.opts.L2, t.l1
	wr, gr, vr := r.W.RawMatrix(), t.grad.RawMatrix(), t.vel.RawMatrix()
	nh := r.NH()
	for i := range r.NV() {
		wrow := wr.Data[i*wr.Stride : i*wr.Stride+nh]
		grow := gr.Data[i*gr.Stride : i*gr.Stride+nh]
		vrow := vr.Data[i*vr.Stride : i*vr.Stride+nh]
		for j, g := range grow {
			wij := wrow[j]
			g -= l2 * wij
			vrow[j] = mom*vrow[j] + lr*g
			w := wij + vrow[j]
			if l1 != 0 {
				w = softThreshold(w, lr*l1)
			}
			wrow[j] = w
		}
	}
	for i, g := range t.gradA {
		t.velA[i] = mom*t.velA[i] + lr*g
		r.A[i] += t.velA[i]
	}
	for j, g := range t.gradB {
		t.velB[j] = mom*t.velB[j] + lr*g
		r.B[j] += t.velB[j]
	}
}

// softThreshold returns the proximal step of the penalty t·|w|: w shrunk toward 0
// by t, and exactly 0 within t of it.
func softThreshold(w, t float64) float64 {
	switch {
	case w > t:
		return w - t
	case w < -t:
		return w + t
	}
	return 0
}

// startWorkers starts min(GOMAXPROCS, ladders) goroutines that step the PT ladders:
// worker w steps ladders w, w+n, w+2n… Every ladder draws from its own streams, so the
// result does not depend on the number of workers. close stops them.
func (t *trainer) startWorkers() {
	n := min(runtime.GOMAXPROCS(0), len(t.pt))
	if n < 2 {
		return
	}
	t.done = make(chan struct{}, n)
	t.start = make([]chan struct{}, n)
	for w := range t.start {
		t.start[w] = make(chan struct{}, 1)
		go func(w int, start <-chan struct{}) {
			for range start {
				t.stepLadderRange(w, n)
				t.done <- struct{}{}
			}
		}(w, t.start[w])
	}
}

// stepLadders makes K tempering rounds of every PT ladder, on the workers if any.
// It allocates nothing.
func (t *trainer) stepLadders() {
	if len(t.start) == 0 {
		t.stepLadderRange(0, 1)
		return
	}
	for _, c := range t.start {
		c <- struct{}{}
	}
	for range t.start {
		<-t.done
	}
}

func (t *trainer) stepLadderRange(first, stride int) {
	for c := first; c < len(t.pt); c += stride {
		for range t.k {
			t.pt[c].Sweep()
		}
	}
}

// close stops the PT workers.
func (t *trainer) close() {
	for _, c := range t.start {
		close(c)
	}
	t.start = nil
}

func (t *trainer) swapRates() []float64 {
	if len(t.pt) == 0 {
		return nil
	}
	rates := make([]float64, len(t.opts.Betas)-1)
	for _, p := range t.pt {
		for k := range rates {
			if p.Tried[k] > 0 {
				rates[k] += float64(p.Swapped[k]) / float64(p.Tried[k]) / float64(len(t.pt))
			}
		}
	}
	return rates
}

// uniform returns a uniform float64 in [0, 1) from one draw.
func uniform(src *rand.PCG) float64 { return float64(src.Uint64()>>11) * 0x1p-53 }

// bernoulli returns 1 with probability σ(x), else 0, from one draw u: 1 if u < σ(x).
// It decides from the table sigmoidGrid of σ at multiples of 1/sigmoidScale when u lies
// outside [σ(x_k), σ(x_{k+1})) for the grid interval holding x (σ is monotone), and
// computes σ(x) only otherwise, in a fraction ≤ 1/(4·sigmoidScale) of the draws; the
// decisions are the same as those of uniform(src) < models.Sigmoid(x).
func bernoulli(src *rand.PCG, x float64) float64 {
	u := uniform(src)
	if t := x * sigmoidScale; t > -sigmoidRange && t < sigmoidRange {
		k := int(math.Floor(t)) + sigmoidRange // t = x·64 is exact, so x_k ≤ x < x_{k+1}
		if u < sigmoidGrid[k] {
			return 1
		}
		if u >= sigmoidGrid[k+1] {
			return 0
		}
	}
	if u < models.Sigmoid(x) {
		return 1
	}
	return 0
}

const (
	sigmoidScale = 64                // grid points per unit of x
	sigmoidRange = 16 * sigmoidScale // grid covers |x| < 16
)

// sigmoidGrid[k] = σ((k − sigmoidRange)/sigmoidScale), k = 0 … 2·sigmoidRange.
var sigmoidGrid = func() []float64 {
	g := make([]float64, 2*sigmoidRange+1)
	for k := range g {
		g[k] = models.Sigmoid(float64(k-sigmoidRange) / sigmoidScale)
	}
	return g
}()

// bernoulliP returns 1 with probability p, else 0, from one draw.
func bernoulliP(src *rand.PCG, p float64) float64 {
	if uniform(src) < p {
		return 1
	}
	return 0
}
