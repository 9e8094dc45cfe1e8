package learn

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/mat"

	"github.com/deepglass/deepglass/sampler"
)

// State is the complete state of a training run stopped between two minibatches,
// from which [Train] continues (Options.Resume) exactly as the uninterrupted run
// would have: the same weights, measurements and final numbers for the same seed. Train
// returns it in History.State when its context is cancelled.
//
// It holds plain values, so that a caller can store it in any format; nothing in it
// refers to the run it came from.
type State struct {
	// Epoch is the epoch in progress (0-based) and Batch the number of its minibatches
	// done. Batch = 0 means that the epoch has not started: its data order has not
	// been drawn.
	Epoch, Batch int
	// Options identifies the options of the run (everything that changes its
	// numbers) and Data is the SHA-256 of its training data: Train refuses to resume
	// with others.
	Options string
	Data    [32]byte
	// W (NV×NH, row by row), A and B are the RBM's parameters; VelW, VelA and VelB
	// the previous update (momentum).
	W, A, B          []float64
	VelW, VelA, VelB []float64
	// Order is the order of the data rows (the current epoch's, once Batch > 0).
	Order []int
	// DataStream and ChainStream are the states (rand.PCG.MarshalBinary) of the
	// streams of the data order and of chain sampling (CD, PCD).
	DataStream, ChainStream []byte
	// Hidden holds the hidden units of the persistent chains of PCD (chain by
	// chain, NH each).
	Hidden []float64
	// Ladders are the tempering ladders of PT.
	Ladders []LadderState
	// Epochs, Samples and Seconds are the History so far.
	Epochs  []Epoch
	Samples int64
	Seconds float64
}

// LadderState is the state of one parallel-tempering ladder of PT.
type LadderState struct {
	Tempering sampler.TemperingState
	// Swap is the state of the swap stream.
	Swap   []byte
	Chains []ChainState
}

// ChainState is the state of one RBM chain: its units, steps and stream.
type ChainState struct {
	V, H   []float64
	Steps  int64
	Stream []byte
}

// String summarises the state.
func (s *State) String() string {
	return fmt.Sprintf("training state: epoch %d, %d minibatches done, %d samples, %d measured epochs",
		s.Epoch+1, s.Batch, s.Samples, len(s.Epochs))
}

// optionsKey identifies the options (with defaults applied) that a run's numbers
// depend on.
func optionsKey(o Options) string {
	m := o.Monitor
	return fmt.Sprintf("%v betas=%v monitor: every=%d loglik=%v ais=%d×%d recon=%v pl=%v rows=%d",
		o, o.Betas, m.Every, m.LogLik, m.AISChains, m.AISSteps, m.Recon, m.PseudoLL, m.MaxRows)
}

// dataHash returns the SHA-256 of the training data's values (t.data, row by row).
// It is computed only for a State and for a resume: it reads all the data.
func (t *trainer) dataHash() [32]byte {
	h := sha256.New()
	rows, cols := t.data.Dims()
	buf := make([]byte, 8*cols)
	binary.LittleEndian.PutUint64(buf, uint64(rows))
	h.Write(buf[:8])
	for i := range rows {
		for j, x := range t.data.RawRowView(i) {
			binary.LittleEndian.PutUint64(buf[8*j:], math.Float64bits(x))
		}
		h.Write(buf)
	}
	var out [32]byte
	h.Sum(out[:0])
	return out
}

// state captures the trainer's state during epoch e after batch minibatches.
func (t *trainer) state(e, batch int, hist History) (*State, error) {
	s := &State{Epoch: e, Batch: batch, Options: optionsKey(t.opts), Data: t.dataHash(),
		W: denseData(t.r.W), A: slices.Clone(t.r.A), B: slices.Clone(t.r.B),
		VelW: denseData(t.vel), VelA: slices.Clone(t.velA), VelB: slices.Clone(t.velB),
		Order: slices.Clone(t.order), Epochs: slices.Clone(hist.Epochs), Samples: hist.Samples, Seconds: hist.Seconds}
	var err error
	if s.DataStream, err = t.shufSrc.MarshalBinary(); err != nil {
		return nil, err
	}
	if s.ChainStream, err = t.src.MarshalBinary(); err != nil {
		return nil, err
	}
	if t.hc != nil {
		s.Hidden = denseData(t.hc)
	}
	for _, p := range t.pt {
		l := LadderState{Tempering: p.State()}
		if l.Swap, err = p.Src.MarshalBinary(); err != nil {
			return nil, err
		}
		for _, c := range p.Chains {
			st, err := c.Src.MarshalBinary()
			if err != nil {
				return nil, err
			}
			l.Chains = append(l.Chains, ChainState{V: slices.Clone(c.V), H: slices.Clone(c.H), Steps: c.Steps, Stream: st})
		}
		s.Ladders = append(s.Ladders, l)
	}
	return s, nil
}

// restore sets the trainer (and its RBM) to s, after checking that s belongs to a run
// of the same options and data.
func (t *trainer) restore(s *State) error {
	if s.Options != optionsKey(t.opts) {
		return fmt.Errorf("resume: the training options differ from the interrupted run's\n  were: %s\n  now:  %s", s.Options, optionsKey(t.opts))
	}
	if s.Data != t.dataHash() {
		return errors.New("resume: the training data differ from the interrupted run's")
	}
	nv, nh, nd := t.r.NV(), t.r.NH(), len(t.order)
	batches := (nd + t.opts.Batch - 1) / t.opts.Batch
	switch {
	case s.Epoch < 0 || s.Epoch >= t.opts.Epochs || s.Batch < 0 || s.Batch >= batches:
		return fmt.Errorf("resume: epoch %d, minibatch %d is outside the run (%d epochs of %d minibatches)", s.Epoch, s.Batch, t.opts.Epochs, batches)
	case len(s.W) != nv*nh || len(s.A) != nv || len(s.B) != nh || len(s.VelW) != nv*nh || len(s.VelA) != nv || len(s.VelB) != nh:
		return fmt.Errorf("resume: the state's parameters do not fit a %d×%d RBM", nv, nh)
	case !isPermutation(s.Order, nd):
		return fmt.Errorf("resume: the state's data order is not a permutation of %d rows", nd)
	case t.hc != nil && len(s.Hidden) != t.nc*nh, t.hc == nil && s.Hidden != nil:
		return errors.New("resume: the state's persistent chains do not fit the options")
	case len(s.Ladders) != len(t.pt):
		return fmt.Errorf("resume: the state has %d tempering ladders, the options %d", len(s.Ladders), len(t.pt))
	case s.Samples < 0 || !(s.Seconds >= 0):
		return errors.New("resume: negative counters in the state")
	}
	for k, l := range s.Ladders {
		p := t.pt[k]
		if len(l.Chains) != len(p.Chains) {
			return fmt.Errorf("resume: ladder %d has %d chains, want %d", k, len(l.Chains), len(p.Chains))
		}
		for _, c := range l.Chains {
			if len(c.V) != nv || len(c.H) != nh || c.Steps < 0 {
				return fmt.Errorf("resume: a chain of ladder %d does not fit a %d×%d RBM", k, nv, nh)
			}
		}
	}
	// Streams first: their states are the only part that can still be rejected. The
	// streams belong to the trainer, which a failed restore discards; the RBM is
	// changed only after every check passed.
	if err := t.shufSrc.UnmarshalBinary(s.DataStream); err != nil {
		return fmt.Errorf("resume: data stream: %w", err)
	}
	if err := t.src.UnmarshalBinary(s.ChainStream); err != nil {
		return fmt.Errorf("resume: chain stream: %w", err)
	}
	for k, l := range s.Ladders {
		if err := t.pt[k].Src.UnmarshalBinary(l.Swap); err != nil {
			return fmt.Errorf("resume: swap stream of ladder %d: %w", k, err)
		}
		for c, cs := range l.Chains {
			if err := t.pt[k].Chains[c].Src.UnmarshalBinary(cs.Stream); err != nil {
				return fmt.Errorf("resume: stream of chain %d of ladder %d: %w", c, k, err)
			}
		}
	}
	for k, l := range s.Ladders {
		if err := t.pt[k].Restore(l.Tempering); err != nil {
			return fmt.Errorf("resume: ladder %d: %w", k, err)
		}
		for c, cs := range l.Chains {
			ch := t.pt[k].Chains[c]
			copy(ch.V, cs.V)
			copy(ch.H, cs.H)
			ch.Steps = cs.Steps
		}
	}
	setDense(t.r.W, s.W)
	copy(t.r.A, s.A)
	copy(t.r.B, s.B)
	setDense(t.vel, s.VelW)
	copy(t.velA, s.VelA)
	copy(t.velB, s.VelB)
	copy(t.order, s.Order)
	if t.hc != nil {
		setDense(t.hc, s.Hidden)
	}
	return nil
}

// denseData returns the elements of m row by row.
func denseData(m *mat.Dense) []float64 {
	r, c := m.Dims()
	out := make([]float64, 0, r*c)
	for i := range r {
		out = append(out, m.RawRowView(i)...)
	}
	return out
}

// setDense sets the elements of m from data, row by row.
func setDense(m *mat.Dense, data []float64) {
	r, c := m.Dims()
	for i := range r {
		copy(m.RawRowView(i), data[i*c:(i+1)*c])
	}
}

// isPermutation reports whether p is a permutation of 0…n-1.
func isPermutation(p []int, n int) bool {
	if len(p) != n {
		return false
	}
	seen := make([]bool, n)
	for _, x := range p {
		if x < 0 || x >= n || seen[x] {
			return false
		}
		seen[x] = true
	}
	return true
}
