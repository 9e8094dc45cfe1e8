package learn

import (
	"context"
	"math/rand/v2"
	"testing"
)

// BenchmarkPCD784 trains PCD-1 on 2000 random binary samples of 784 units with 256
// hidden units, batch 100, lr 0.05 (the setting of learn/testdata/speed at a fifth of
// the data); it reports samples per second.
func BenchmarkPCD784(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	data := make([][]float64, 2000)
	for d := range data {
		data[d] = make([]float64, 784)
		for i := range data[d] {
			if rng.Float64() < 0.15 {
				data[d][i] = 1
			}
		}
	}
	r, _ := NewRBM(data, 256, 1)
	b.ResetTimer()
	for range b.N {
		if _, err := Train(context.Background(), r, data, Options{Method: PCD, Epochs: 1, Batch: 100, LR: 0.05, Seed: 1}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*len(data))/b.Elapsed().Seconds(), "samples/s")
}
