package nets

import (
	"context"
	"fmt"
	"testing"
)

// BenchmarkTrain trains one epoch of 4096 samples (Gaussian clusters of the input
// width) and reports samples per second, for the two nets of the speed comparison
// with PyTorch (nets/testdata/speed/run.sh): 784-300-100-10 at batch 128 and
// 100-25-10 (Choromanska et al.'s nets on 10×10 MNIST) at batch 32.
func BenchmarkTrain(b *testing.B) {
	for _, c := range []struct {
		sizes []int
		batch int
		opt   Optimizer
	}{
		{[]int{784, 300, 100, 10}, 128, SGD},
		{[]int{784, 300, 100, 10}, 128, Adam},
		{[]int{100, 25, 10}, 32, SGD},
		{[]int{100, 25, 10}, 32, Adam},
	} {
		b.Run(fmt.Sprintf("%v-b%d-%v", c.sizes, c.batch, c.opt), func(b *testing.B) {
			tr, _, err := Blobs(BlobsSpec{D: c.sizes[0], Classes: 10, N: 4096, NTest: 1, Sep: 3, Seed: 1})
			if err != nil {
				b.Fatal(err)
			}
			n, _ := NewNet(c.sizes, ReLU, CrossEntropy)
			n.Initialize(DefaultInit(ReLU), 1)
			t, err := NewTrainer(n, tr, nil, Options{Epochs: b.N, Batch: c.batch, LR: 0.001, Optimizer: c.opt, EvalEvery: -1})
			if err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			h, err := t.Run(context.Background())
			if err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(h.SamplesPerSecond(), "samples/s")
		})
	}
}
