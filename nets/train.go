package nets

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/deepglass/deepglass/sampler"
)

// Options are the settings of training. The zero value of a field means its default
// where one is given.
type Options struct {
	// Epochs is the number of passes over the training data (≥ 1).
	Epochs int
	// Batch is the minibatch size (default 128); the last minibatch of an epoch holds
	// the remainder, as with PyTorch's DataLoader (drop_last=False).
	Batch int
	// LR is the learning rate η (> 0); with LRDecay d, epoch e (from 1) uses
	// η/(1 + d·(e−1)).
	LR, LRDecay float64
	Optimizer   Optimizer
	// Momentum is μ for Momentum (default 0.9).
	Momentum float64
	// Beta1, Beta2 and Eps are Adam's (defaults 0.9, 0.999, 1e-8).
	Beta1, Beta2, Eps float64
	// WeightDecay λ adds λθ to the gradient of every parameter, biases included
	// (PyTorch's weight_decay): an L2 penalty λ|θ|²/2.
	WeightDecay float64
	// Clip, if > 0, scales the minibatch gradient down to norm Clip when it is longer
	// (torch.nn.utils.clip_grad_norm_ over all parameters), before weight decay.
	Clip float64
	// T, if > 0, adds Langevin noise at temperature T (SGLD with SGD, SGHMC with
	// Momentum; not with Adam): for small η the parameters then sample
	// exp(−(L(θ) + λ|θ|²/2)/T), L the mean training loss.
	T float64
	// Seed determines the minibatch order (NewStream(Seed, PurposeData, 0, 0)) and
	// the Langevin noise (NewStream(Seed, PurposeChain, 0, 0)).
	Seed uint64
	// Float64 trains in float64 instead of float32.
	Float64 bool
	// EvalEvery is the number of epochs between measurements of the loss and accuracy
	// on the whole training and test sets (0 means 1; −1 means the last epoch only).
	EvalEvery int
	// Progress, if set, is called about 50 times per epoch with the running loss.
	Progress func(Progress) `json:"-"`
	// OnEpoch, if set, is called with the measurements of each epoch; the net then
	// holds the parameters after that epoch (they are copied into it first).
	OnEpoch func(Epoch) `json:"-"`
	// Checkpoint, if set, is called every CheckpointEvery of training (between two
	// steps) and when ctx is cancelled; it typically writes [Trainer.Checkpoint] to a
	// file. An error from it stops training.
	Checkpoint      func(*Trainer) error `json:"-"`
	CheckpointEvery time.Duration        `json:"-"`
}

// Progress reports the state of training between two steps.
type Progress struct {
	Epoch, Epochs int     // the epoch under way, from 1
	Step, Steps   int     // steps done in this epoch, of Steps
	Loss          float64 // mean minibatch loss of the epoch so far
}

// String returns "epoch 3/10 step 120/469 loss 0.2345".
func (p Progress) String() string {
	return fmt.Sprintf("epoch %d/%d step %d/%d loss %.4g", p.Epoch, p.Epochs, p.Step, p.Steps, p.Loss)
}

// withDefaults fills in the defaults.
func (o Options) withDefaults() Options {
	if o.Batch == 0 {
		o.Batch = 128
	}
	if o.Optimizer == Momentum && o.Momentum == 0 {
		o.Momentum = 0.9
	}
	if o.Optimizer == Adam {
		if o.Beta1 == 0 {
			o.Beta1 = 0.9
		}
		if o.Beta2 == 0 {
			o.Beta2 = 0.999
		}
		if o.Eps == 0 {
			o.Eps = 1e-8
		}
	}
	if o.EvalEvery == 0 {
		o.EvalEvery = 1
	}
	return o
}

// Validate reports every invalid setting at once, naming the field.
func (o Options) Validate() error {
	var errs []error
	bad := func(format string, a ...any) { errs = append(errs, fmt.Errorf(format, a...)) }
	finite := func(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
	if o.Epochs < 1 {
		bad("epochs %d: want ≥ 1", o.Epochs)
	}
	if o.Batch < 0 {
		bad("batch %d: want ≥ 1", o.Batch)
	}
	if !(o.LR > 0) || !finite(o.LR) {
		bad("lr %v: want a finite value > 0", o.LR)
	}
	if !(o.LRDecay >= 0) || !finite(o.LRDecay) {
		bad("lr decay %v: want a finite value ≥ 0", o.LRDecay)
	}
	if o.Optimizer < SGD || o.Optimizer > Adam {
		bad("optimizer %d unknown", int(o.Optimizer))
	}
	if !(o.Momentum >= 0 && o.Momentum < 1) {
		bad("momentum %v: want 0 ≤ μ < 1", o.Momentum)
	}
	if !(o.Beta1 >= 0 && o.Beta1 < 1) || !(o.Beta2 >= 0 && o.Beta2 < 1) || !(o.Eps >= 0) || !finite(o.Eps) {
		bad("adam beta1 %v, beta2 %v, eps %v: want 0 ≤ β < 1, finite ε ≥ 0", o.Beta1, o.Beta2, o.Eps)
	}
	if !(o.WeightDecay >= 0) || !finite(o.WeightDecay) {
		bad("weight decay %v: want a finite value ≥ 0", o.WeightDecay)
	}
	if !(o.Clip >= 0) || !finite(o.Clip) {
		bad("clip %v: want a finite value ≥ 0 (0: no clipping)", o.Clip)
	}
	if !(o.T >= 0) || !finite(o.T) {
		bad("temperature %v: want a finite value ≥ 0", o.T)
	}
	if o.T > 0 && o.Optimizer == Adam {
		bad("temperature %v: Langevin noise needs sgd or momentum, not adam", o.T)
	}
	if o.EvalEvery < -1 {
		bad("eval every %d: want ≥ 1, 0 (every epoch) or −1 (last only)", o.EvalEvery)
	}
	if o.CheckpointEvery < 0 {
		bad("checkpoint every %v: want ≥ 0", o.CheckpointEvery)
	}
	return errors.Join(errs...)
}

// String describes the options, e.g. "adam lr=0.001 batch=128 epochs=10 seed=1".
func (o Options) String() string {
	o = o.withDefaults()
	s := fmt.Sprintf("%v lr=%g", o.Optimizer, o.LR)
	if o.LRDecay > 0 {
		s += fmt.Sprintf("/(1+%g·epoch)", o.LRDecay)
	}
	if o.Optimizer == Momentum {
		s += fmt.Sprintf(" momentum=%g", o.Momentum)
	}
	s += fmt.Sprintf(" batch=%d epochs=%d", o.Batch, o.Epochs)
	if o.WeightDecay > 0 {
		s += fmt.Sprintf(" wd=%g", o.WeightDecay)
	}
	if o.Clip > 0 {
		s += fmt.Sprintf(" clip=%g", o.Clip)
	}
	if o.T > 0 {
		s += fmt.Sprintf(" T=%g", o.T)
	}
	if o.Float64 {
		s += " float64"
	}
	return s + fmt.Sprintf(" seed=%d", o.Seed)
}

// Epoch holds the measurements after one epoch. Quantities not measured are NaN
// (null in JSON).
type Epoch struct {
	Epoch int     `json:"epoch"` // from 1
	Steps int     `json:"steps"` // minibatch steps of this epoch
	LR    float64 `json:"lr"`    // learning rate of the epoch
	// Loss and accuracy on the whole training and test sets after the epoch.
	TrainLoss     float64 `json:"train_loss"`
	TrainAccuracy float64 `json:"train_accuracy"`
	TestLoss      float64 `json:"test_loss"`
	TestAccuracy  float64 `json:"test_accuracy"`
	// RunningLoss is the mean minibatch loss during the epoch.
	RunningLoss float64 `json:"running_loss"`
	// GradNorm and GradNormMax are the mean and the largest norm of the minibatch
	// gradient (before clipping, without weight decay); Clipped counts the steps
	// whose gradient was clipped.
	GradNorm    float64 `json:"grad_norm"`
	GradNormMax float64 `json:"grad_norm_max"`
	Clipped     int     `json:"clipped"`
	// WeightNorms are the Frobenius norms of the weight matrices after the epoch.
	WeightNorms []float64 `json:"weight_norms"`
	// Seconds is the training time so far (steps only, measurements excluded).
	Seconds float64 `json:"seconds"`
}

// String returns a line such as "epoch 3: train 0.0712 (0.9801) test 0.0813 (0.9765)".
func (e Epoch) String() string {
	s := fmt.Sprintf("epoch %d: running loss %.4g", e.Epoch, e.RunningLoss)
	if !math.IsNaN(e.TrainLoss) {
		s += fmt.Sprintf(" train %.4g (%.4f)", e.TrainLoss, e.TrainAccuracy)
	}
	if !math.IsNaN(e.TestLoss) {
		s += fmt.Sprintf(" test %.4g (%.4f)", e.TestLoss, e.TestAccuracy)
	}
	return s + fmt.Sprintf(" |g| %.3g", e.GradNorm)
}

// MarshalJSON encodes NaN and infinite values as null.
func (e Epoch) MarshalJSON() ([]byte, error) {
	wn := make([]jsonFloat, len(e.WeightNorms))
	for i, w := range e.WeightNorms {
		wn[i] = jsonFloat(w)
	}
	return json.Marshal(struct {
		Epoch         int         `json:"epoch"`
		Steps         int         `json:"steps"`
		LR            jsonFloat   `json:"lr"`
		TrainLoss     jsonFloat   `json:"train_loss"`
		TrainAccuracy jsonFloat   `json:"train_accuracy"`
		TestLoss      jsonFloat   `json:"test_loss"`
		TestAccuracy  jsonFloat   `json:"test_accuracy"`
		RunningLoss   jsonFloat   `json:"running_loss"`
		GradNorm      jsonFloat   `json:"grad_norm"`
		GradNormMax   jsonFloat   `json:"grad_norm_max"`
		Clipped       int         `json:"clipped"`
		WeightNorms   []jsonFloat `json:"weight_norms"`
		Seconds       jsonFloat   `json:"seconds"`
	}{e.Epoch, e.Steps, jsonFloat(e.LR), jsonFloat(e.TrainLoss), jsonFloat(e.TrainAccuracy), jsonFloat(e.TestLoss), jsonFloat(e.TestAccuracy),
		jsonFloat(e.RunningLoss), jsonFloat(e.GradNorm), jsonFloat(e.GradNormMax), e.Clipped, wn, jsonFloat(e.Seconds)})
}

// jsonFloat is a float64 that encodes NaN and ±Inf as null.
type jsonFloat float64

// MarshalJSON encodes finite values as numbers and the others as null.
func (f jsonFloat) MarshalJSON() ([]byte, error) {
	x := float64(f)
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return []byte("null"), nil
	}
	return strconv.AppendFloat(nil, x, 'g', -1, 64), nil
}

// Divergence records where training stopped on a non-finite loss.
type Divergence struct {
	Epoch int     `json:"epoch"` // from 1
	Step  int     `json:"step"`  // from 1, within the epoch
	Loss  float64 `json:"-"`
	// LossText is the loss as text ("NaN", "+Inf").
	LossText string `json:"loss"`
}

// String returns "diverged at epoch 3, step 17 (loss NaN)".
func (d Divergence) String() string {
	return fmt.Sprintf("diverged at epoch %d, step %d (loss %s)", d.Epoch, d.Step, d.LossText)
}

// History is the record of a training run.
type History struct {
	Epochs []Epoch `json:"epochs"`
	// Steps and Samples count the minibatch steps and the samples trained on;
	// Seconds is the wall time of the steps, EvalSeconds that of the measurements,
	// and CPUSeconds the CPU time of the process (all threads) during the steps
	// (0 where it is not measured), a measure of cost that a loaded machine disturbs
	// less than the wall time.
	Steps       int64   `json:"steps"`
	Samples     int64   `json:"samples"`
	Seconds     float64 `json:"seconds"`
	EvalSeconds float64 `json:"eval_seconds"`
	CPUSeconds  float64 `json:"cpu_seconds"`
	// Diverged is set when a non-finite loss stopped training.
	Diverged *Divergence `json:"diverged,omitempty"`
}

// SamplesPerSecond returns the training throughput Samples/Seconds.
func (h History) SamplesPerSecond() float64 {
	if h.Seconds <= 0 {
		return 0
	}
	return float64(h.Samples) / h.Seconds
}

// Last returns the last epoch, or an Epoch of NaNs if there is none.
func (h History) Last() Epoch {
	if len(h.Epochs) == 0 {
		return nanEpoch(0)
	}
	return h.Epochs[len(h.Epochs)-1]
}

// String summarizes the run.
func (h History) String() string {
	s := fmt.Sprintf("%d epochs, %d samples in %.3g s (%.3g samples/s)", len(h.Epochs), h.Samples, h.Seconds, h.SamplesPerSecond())
	if len(h.Epochs) > 0 {
		s += "; " + h.Last().String()
	}
	if h.Diverged != nil {
		s += fmt.Sprintf("; diverged at epoch %d step %d (loss %s)", h.Diverged.Epoch, h.Diverged.Step, h.Diverged.LossText)
	}
	return s
}

func nanEpoch(e int) Epoch {
	nan := math.NaN()
	return Epoch{Epoch: e, TrainLoss: nan, TrainAccuracy: nan, TestLoss: nan, TestAccuracy: nan,
		RunningLoss: nan, GradNorm: nan, GradNormMax: nan}
}

// ErrDiverged is returned (wrapped) when a minibatch loss is NaN or infinite.
var ErrDiverged = errors.New("training diverged: non-finite loss")

// Trainer trains a net step by step; it can be checkpointed between any two steps and
// resumed bit for bit.
type Trainer struct {
	net         *Net
	train, test *Data
	opts        Options
	core        trainCore
	shuffle     *rand.PCG
	noise       *rand.PCG
	perm        []int32
	epoch, step int // completed epochs; steps done in the current one
	acc         accum
	hist        History
}

// accum sums the measurements of the epoch under way.
type accum struct {
	Loss, Grad, GradMax float64
	Clipped, Steps      int
}

// NewTrainer prepares to train net on train, measuring on test (nil: no test set).
// It validates the options and the data against the net.
func NewTrainer(net *Net, train, test *Data, opts Options) (*Trainer, error) {
	opts = opts.withDefaults()
	if err := opts.Validate(); err != nil {
		return nil, fmt.Errorf("nets: %w", err)
	}
	if train == nil || train.N == 0 {
		return nil, errors.New("nets: no training data")
	}
	if err := net.compatible(train); err != nil {
		return nil, err
	}
	if test != nil {
		if err := net.compatible(test); err != nil {
			return nil, err
		}
	}
	t := &Trainer{net: net, train: train, test: test, opts: opts,
		shuffle: sampler.NewStream(opts.Seed, sampler.PurposeData, 0, 0),
		noise:   sampler.NewStream(opts.Seed, sampler.PurposeChain, 0, 0),
		perm:    make([]int32, train.N)}
	for i := range t.perm {
		t.perm[i] = int32(i)
	}
	t.makeCore()
	t.core.setParams(net.p)
	t.shufflePerm() // the order of the first epoch
	return t, nil
}

func (t *Trainer) makeCore() {
	n := t.net
	rows := t.train.N
	if t.test != nil {
		rows = max(rows, t.test.N)
	}
	rows = min(max(t.opts.Batch, evalBatch), rows)
	if t.opts.Float64 {
		t.core = newOptim[float64](n.Sizes, n.Act, n.Loss, t.opts, rows, rand.New(t.noise))
	} else {
		t.core = newOptim[float32](n.Sizes, n.Act, n.Loss, t.opts, rows, rand.New(t.noise))
	}
}

// Net returns the net being trained; its parameters are those of the last step after
// Run returns.
func (t *Trainer) Net() *Net { return t.net }

// Options returns the options in use (defaults filled in).
func (t *Trainer) Options() Options { return t.opts }

// History returns the record so far.
func (t *Trainer) History() History { return t.hist }

// Done reports whether all epochs have been trained.
func (t *Trainer) Done() bool { return t.epoch >= t.opts.Epochs }

// String describes the state, e.g. "MLP 784-300-100-10 … : epoch 3/10 step 17/469".
func (t *Trainer) String() string {
	return fmt.Sprintf("%v on %s, %v: epoch %d/%d step %d/%d", t.net, t.train.Name, t.opts, t.epoch, t.opts.Epochs, t.step, t.steps())
}

func (t *Trainer) steps() int { return (t.train.N + t.opts.Batch - 1) / t.opts.Batch }

// Run trains until all epochs are done, the context is cancelled, or the loss turns
// non-finite, and copies the parameters into the net. On cancellation it calls the
// Checkpoint option (if set) and returns an error wrapping ctx.Err(); on a non-finite
// loss, one wrapping [ErrDiverged], with the epoch measured and recorded. The history
// is returned in every case.
func (t *Trainer) Run(ctx context.Context) (History, error) {
	defer t.core.getParams(t.net.p)
	o := t.opts
	steps := t.steps()
	every := max(steps/50, 1)
	lastCkpt := time.Now()
	for t.epoch < o.Epochs {
		start, cpu0 := time.Now(), cpuSeconds()
		for t.step < steps {
			if ctx.Err() != nil {
				t.hist.Seconds += time.Since(start).Seconds()
				t.hist.CPUSeconds += cpuSeconds() - cpu0
				if o.Checkpoint != nil {
					if err := o.Checkpoint(t); err != nil {
						return t.hist, fmt.Errorf("nets: checkpoint: %w", err)
					}
				}
				return t.hist, fmt.Errorf("nets: stopped at epoch %d, step %d of %d: %w", t.epoch+1, t.step, steps, ctx.Err())
			}
			lo := t.step * o.Batch
			idx := t.perm[lo:min(lo+o.Batch, t.train.N)]
			loss, gn, clipped := t.core.step(t.train, idx, t.lr())
			t.step++
			t.hist.Steps++
			t.hist.Samples += int64(len(idx))
			t.acc.Loss += loss
			t.acc.Steps++
			if math.IsNaN(loss) || math.IsInf(loss, 0) {
				t.hist.Seconds += time.Since(start).Seconds()
				t.hist.CPUSeconds += cpuSeconds() - cpu0
				t.hist.Diverged = &Divergence{Epoch: t.epoch + 1, Step: t.step, Loss: loss, LossText: fmt.Sprint(loss)}
				t.finishEpoch(true)
				return t.hist, fmt.Errorf("nets: epoch %d, step %d: loss %v: %w", t.hist.Diverged.Epoch, t.hist.Diverged.Step, loss, ErrDiverged)
			}
			t.acc.Grad += gn
			t.acc.GradMax = max(t.acc.GradMax, gn)
			if clipped {
				t.acc.Clipped++
			}
			if o.Progress != nil && (t.step%every == 0 || t.step == steps) {
				o.Progress(Progress{Epoch: t.epoch + 1, Epochs: o.Epochs, Step: t.step, Steps: steps, Loss: t.acc.Loss / float64(t.acc.Steps)})
			}
			if o.Checkpoint != nil && o.CheckpointEvery > 0 && time.Since(lastCkpt) >= o.CheckpointEvery {
				t.hist.Seconds += time.Since(start).Seconds()
				t.hist.CPUSeconds += cpuSeconds() - cpu0
				if err := o.Checkpoint(t); err != nil {
					return t.hist, fmt.Errorf("nets: checkpoint: %w", err)
				}
				start, lastCkpt, cpu0 = time.Now(), time.Now(), cpuSeconds()
			}
		}
		t.hist.Seconds += time.Since(start).Seconds()
		t.hist.CPUSeconds += cpuSeconds() - cpu0
		t.finishEpoch(false)
	}
	return t.hist, nil
}

// lr returns the learning rate of the epoch under way.
func (t *Trainer) lr() float64 { return t.opts.LR / (1 + t.opts.LRDecay*float64(t.epoch)) }

// shufflePerm draws the order of an epoch: a Fisher–Yates shuffle of the previous
// order with the data stream.
func (t *Trainer) shufflePerm() {
	r := rand.New(t.shuffle)
	r.Shuffle(len(t.perm), func(i, j int) { t.perm[i], t.perm[j] = t.perm[j], t.perm[i] })
}

// finishEpoch measures and records the epoch under way and starts the next one.
func (t *Trainer) finishEpoch(force bool) {
	e := nanEpoch(t.epoch + 1)
	e.LR = t.lr()
	t.epoch++
	e.Steps = t.acc.Steps
	if t.acc.Steps > 0 {
		e.RunningLoss = t.acc.Loss / float64(t.acc.Steps)
		if n := t.acc.Steps; !force || n > 1 {
			if force {
				n-- // the last step had no gradient
			}
			e.GradNorm = t.acc.Grad / float64(n)
			e.GradNormMax = t.acc.GradMax
		}
	}
	e.Clipped = t.acc.Clipped
	e.Seconds = t.hist.Seconds
	e.WeightNorms = make([]float64, len(t.net.W))
	t.core.weightNorms(e.WeightNorms)
	ev := t.opts.EvalEvery
	if force || t.epoch == t.opts.Epochs || (ev > 0 && t.epoch%ev == 0) {
		start := time.Now()
		e.TrainLoss, e.TrainAccuracy = t.core.evaluate(t.train)
		if t.test != nil {
			e.TestLoss, e.TestAccuracy = t.core.evaluate(t.test)
		}
		t.hist.EvalSeconds += time.Since(start).Seconds()
	}
	t.hist.Epochs = append(t.hist.Epochs, e)
	if t.opts.OnEpoch != nil {
		t.core.getParams(t.net.p)
		t.opts.OnEpoch(e)
	}
	t.step = 0
	t.acc = accum{}
	t.shufflePerm() // the order of the next epoch, so checkpoints between epochs hold it
}

// Train trains net on train with opts and returns the history (see [Trainer.Run]).
func Train(ctx context.Context, net *Net, train, test *Data, opts Options) (History, error) {
	t, err := NewTrainer(net, train, test, opts)
	if err != nil {
		return History{}, err
	}
	return t.Run(ctx)
}
