package learn

import (
	"context"
	"errors"
	"math"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/deepglass/deepglass/models"
)

// stopAfter is a context whose Err reports cancellation from its (n+1)-th call on:
// Train checks its context once before every minibatch, so it stops after n of them.
type stopAfter struct {
	context.Context
	n atomic.Int64
}

func newStopAfter(n int64) *stopAfter {
	s := &stopAfter{Context: context.Background()}
	s.n.Store(n)
	return s
}

func (s *stopAfter) Err() error {
	if s.n.Add(-1) < 0 {
		return context.Canceled
	}
	return nil
}

// sameEpochs compares histories without their timings.
func sameEpochs(a, b []Epoch) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := a[i], b[i]
		x.Seconds, y.Seconds = 0, 0
		same := func(p, q float64) bool { return p == q || math.IsNaN(p) && math.IsNaN(q) }
		if x.Epoch != y.Epoch || x.LogLikExact != y.LogLikExact || !same(x.LR, y.LR) || !same(x.LogLik, y.LogLik) ||
			!same(x.LogZ, y.LogZ) || !same(x.LogZErr, y.LogZErr) || !same(x.Recon, y.Recon) || !same(x.PseudoLL, y.PseudoLL) {
			return false
		}
	}
	return true
}

// TestResumeExact interrupts training of every method at minibatch boundaries inside
// an epoch, at epoch boundaries and before the first minibatch, resumes from
// History.State (twice in a row for one case), and requires exactly the weights,
// history and swap rates of the uninterrupted run.
func TestResumeExact(t *testing.T) {
	data := BarsAndStripes(3) // 14 rows: batches of 4 leave a partial batch of 2
	for _, m := range []Method{CD, PCD, PT} {
		opts := Options{Method: m, K: 2, Epochs: 5, Batch: 4, LR: 0.1, LRDecay: 0.1, Momentum: 0.5, L2: 1e-3,
			L1: 1e-3, L1Warmup: 2, Seed: 5, Chains: 3, Monitor: Monitor{Every: 2, LogLik: true, Recon: true, PseudoLL: true}}
		if m == PT {
			opts.Betas = []float64{0.2, 0.6, 1}
		}
		ref, _ := NewRBM(data, 5, 5)
		want, err := Train(context.Background(), ref, data, opts)
		if err != nil {
			t.Fatal(err)
		}
		if want.State != nil {
			t.Errorf("%v: a complete run has a State", m)
		}
		for _, stops := range [][]int64{{0}, {1}, {3}, {4}, {6}, {9, 3}, {18}} {
			r, _ := NewRBM(data, 5, 5)
			o := opts
			var hist History
			for _, n := range stops {
				hist, err = Train(newStopAfter(n), r, data, o)
				if !errors.Is(err, context.Canceled) || hist.State == nil {
					t.Fatalf("%v stopped after %v minibatches: err %v, state %v", m, stops, err, hist.State)
				}
				o.Resume = hist.State
				r, _ = NewRBM(data, 5, 5) // a fresh RBM: the state carries the parameters
			}
			got, err := Train(context.Background(), r, data, o)
			if err != nil {
				t.Fatalf("%v resumed after %v: %v", m, stops, err)
			}
			if !mat.Equal(r.W, ref.W) || !slices.Equal(r.A, ref.A) || !slices.Equal(r.B, ref.B) {
				t.Errorf("%v stopped after %v minibatches: the resumed weights differ from the uninterrupted run's", m, stops)
			}
			if !sameEpochs(got.Epochs, want.Epochs) || got.Samples != want.Samples || !slices.Equal(got.SwapRates, want.SwapRates) {
				t.Errorf("%v stopped after %v minibatches: history %v, %d samples, swap %v; uninterrupted %v, %d, %v",
					m, stops, got.Epochs, got.Samples, got.SwapRates, want.Epochs, want.Samples, want.SwapRates)
			}
		}
	}
}

// TestResumeRefused: a state resumes only the run it came from.
func TestResumeRefused(t *testing.T) {
	data := BarsAndStripes(3)
	opts := Options{Method: PCD, Epochs: 3, Batch: 5, LR: 0.1, Seed: 1}
	r, _ := NewRBM(data, 4, 1)
	hist, err := Train(newStopAfter(2), r, data, opts)
	if !errors.Is(err, context.Canceled) || hist.State == nil {
		t.Fatalf("err %v, state %v", err, hist.State)
	}
	if !strings.Contains(hist.State.String(), "epoch 1, 2 minibatches") {
		t.Errorf("State.String() = %q", hist.State)
	}
	for _, c := range []struct {
		name string
		edit func(o *Options, d *[][]float64, r **models.RBM)
		want string
	}{
		{"other lr", func(o *Options, _ *[][]float64, _ **models.RBM) { o.LR = 0.2 }, "options differ"},
		{"other seed", func(o *Options, _ *[][]float64, _ **models.RBM) { o.Seed = 2 }, "options differ"},
		{"other monitor", func(o *Options, _ *[][]float64, _ **models.RBM) { o.Monitor.AISSteps = 50 }, "options differ"},
		{"other data", func(_ *Options, d *[][]float64, _ **models.RBM) {
			*d = slices.Clone(*d)
			(*d)[0] = (*d)[1]
		}, "data differ"},
		{"other size", func(_ *Options, d *[][]float64, r **models.RBM) { *r, _ = NewRBM(*d, 3, 1) }, "do not fit"},
		{"bad order", func(o *Options, _ *[][]float64, _ **models.RBM) {
			s := *o.Resume
			s.Order = slices.Clone(s.Order)
			s.Order[0] = s.Order[1]
			o.Resume = &s
		}, "permutation"},
		{"bad stream", func(o *Options, _ *[][]float64, _ **models.RBM) {
			s := *o.Resume
			s.ChainStream = []byte("garbage")
			o.Resume = &s
		}, "stream"},
	} {
		o, d := opts, data
		o.Resume = hist.State
		r2, _ := NewRBM(d, 4, 1)
		c.edit(&o, &d, &r2)
		if _, err := Train(context.Background(), r2, d, o); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err %v; want one containing %q", c.name, err, c.want)
		}
	}
}
