package learn_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/deepglass/deepglass/learn"
	"gonum.org/v1/gonum/mat"
)

// Train an RBM with 16 hidden units on all 30 bars-and-stripes patterns of 4×4 pixels
// by parallel tempering and print the exact log-likelihood per pattern.
func ExampleTrain() {
	data, _ := learn.ParseData("bas:4")
	r, _ := learn.NewRBM(data, 16, 1)
	opts := learn.Options{Method: learn.PT, Epochs: 6000, Batch: 10, LR: 0.1, LRDecay: 0.001, Momentum: 0.5,
		Seed: 1, Monitor: learn.Monitor{Every: -1, LogLik: true}}
	h, err := learn.Train(context.Background(), r, data, opts)
	if err != nil {
		panic(err)
	}
	fmt.Println(h.Last()) // epoch 6000: loglik -3.87 (exact), optimum ln(1/30) = -3.40
}

func TestStrings(t *testing.T) {
	h := learn.History{Options: learn.DefaultOptions(), Epochs: []learn.Epoch{{Epoch: 3, LogLik: -4, LogLikExact: true}}, Samples: 10, Seconds: 1}
	for _, s := range []fmt.Stringer{learn.PT, learn.DefaultOptions(), learn.Monitor{LogLik: true, Every: 5}, h.Epochs[0], h,
		learn.LogLik{PerSample: -3, Exact: true}, learn.IsingSpec{L: 8, T: 2.27, N: 10}, &learn.DBN{}, learn.StackOptions{}} {
		if s.String() == "" {
			t.Errorf("%T has an empty String()", s)
		}
	}
	t.Log(h)
}

// Interrupt a training run (here by a context cancelled after two epochs, as a
// SIGINT does) and continue it from History.State: the weights are exactly those of
// the uninterrupted run.
func ExampleOptions_resume() {
	data, _ := learn.ParseData("bas:3")
	opts := learn.Options{Method: learn.PCD, Epochs: 10, Batch: 5, LR: 0.1, Momentum: 0.5, Seed: 1}

	full, _ := learn.NewRBM(data, 6, 1)
	if _, err := learn.Train(context.Background(), full, data, opts); err != nil {
		panic(err)
	}

	r, _ := learn.NewRBM(data, 6, 1)
	ctx, cancel := context.WithCancel(context.Background())
	opts2 := opts
	opts2.Progress = func(done, total int) { // called after every epoch
		if done == 2 {
			cancel()
		}
	}
	h, err := learn.Train(ctx, r, data, opts2)
	fmt.Println(err, h.State)

	r2, _ := learn.NewRBM(data, 6, 1) // the state carries the weights
	opts.Resume = h.State
	if _, err := learn.Train(context.Background(), r2, data, opts); err != nil {
		panic(err)
	}
	fmt.Println(mat.Equal(r2.W, full.W))
	// Output:
	// context canceled training state: epoch 3, 0 minibatches done, 28 samples, 0 measured epochs
	// true
}
