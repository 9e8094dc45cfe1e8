package learn

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/deepglass/deepglass/models"
)

// randomBinary returns n rows of nv pixels, each on with probability p.
func randomBinary(n, nv int, p float64, seed uint64) [][]float64 {
	rng := rand.New(rand.NewPCG(seed, 7))
	data := make([][]float64, n)
	for d := range data {
		data[d] = make([]float64, nv)
		for i := range data[d] {
			if rng.Float64() < p {
				data[d][i] = 1
			}
		}
	}
	return data
}

// maxDiff returns the largest |a − b| over the weights of two RBMs and over their
// biases, and the largest |w| and |bias| of a.
func maxDiff(a, b *models.RBM) (dw, sw, db, sb float64) {
	for i := range a.NV() {
		for j := range a.NH() {
			dw = max(dw, math.Abs(a.W.At(i, j)-b.W.At(i, j)))
			sw = max(sw, math.Abs(a.W.At(i, j)))
		}
	}
	for i := range a.A {
		db = max(db, math.Abs(a.A[i]-b.A[i]))
		sb = max(sb, math.Abs(a.A[i]))
	}
	for j := range a.B {
		db = max(db, math.Abs(a.B[j]-b.B[j]))
		sb = max(sb, math.Abs(a.B[j]))
	}
	return dw, sw, db, sb
}

// TestFloat32MatchesFloat64 trains the same RBM from the same seed in float64 and in
// float32 (CD-2 and PCD-1 with momentum, L2 and L1) and requires the weights and
// biases to agree to float32 precision: within 8·U·ε₃₂ of the largest weight (bias) after
// U updates (the rounding of each update, ε₃₂ = 2⁻²⁴, accumulating at most linearly).
// The two runs draw the same random numbers; a Bernoulli decision could differ only
// when its uniform falls within the rounding of its probability (about 10⁻⁷), which
// would move a weight by lr/batch ≈ 10⁻³, far beyond the tolerance.
func TestFloat32MatchesFloat64(t *testing.T) {
	data := randomBinary(200, 64, 0.2, 1)
	for _, o := range []Options{
		{Method: CD, K: 2, Epochs: 2, Batch: 20, LR: 0.05, Momentum: 0.5, L2: 1e-4, Seed: 3},
		{Method: PCD, K: 1, Epochs: 2, Batch: 30, LR: 0.05, L1: 1e-3, Seed: 4},
	} {
		t.Run(o.Method.String(), func(t *testing.T) {
			r64, _ := NewRBM(data, 32, 2)
			r32, _ := NewRBM(data, 32, 2)
			if _, err := Train(context.Background(), r64, data, o); err != nil {
				t.Fatal(err)
			}
			o.Float32 = true
			h, err := Train(context.Background(), r32, data, o)
			if err != nil {
				t.Fatal(err)
			}
			updates := o.Epochs * ((len(data) + o.Batch - 1) / o.Batch)
			dw, sw, db, sb := maxDiff(r64, r32)
			for _, c := range []struct {
				name        string
				diff, scale float64
			}{{"weights", dw, sw}, {"biases", db, sb}} {
				tol := 8 * float64(updates) * 0x1p-24 * c.scale
				if !(c.diff <= tol) {
					t.Errorf("float32 and float64 %s differ by %.3g (largest %.3g); want ≤ %.3g", c.name, c.diff, c.scale, tol)
				} else {
					t.Logf("%v: %s differ by ≤ %.3g after %d updates (tolerance %.3g, largest %.3g)", h.Options, c.name, c.diff, updates, tol, c.scale)
				}
			}
			r0, _ := NewRBM(data, 32, 2)
			if d0, _, _, _ := maxDiff(r0, r32); !(d0 > 1000*dw) {
				t.Errorf("training moved the weights by only %.3g", d0)
			}
		})
	}
	r, _ := NewRBM(data, 8, 1)
	if _, err := Train(context.Background(), r, data, Options{Method: PT, Epochs: 1, LR: 0.1, Float32: true}); err == nil {
		t.Error("float32 PT training succeeded")
	}
}

// BenchmarkPCD784Float32 is BenchmarkPCD784 in float32.
func BenchmarkPCD784Float32(b *testing.B) {
	data := randomBinary(2000, 784, 0.15, 1)
	r, _ := NewRBM(data, 256, 1)
	b.ResetTimer()
	for range b.N {
		if _, err := Train(context.Background(), r, data, Options{Method: PCD, Epochs: 1, Batch: 100, LR: 0.05, Seed: 1, Float32: true}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*len(data))/b.Elapsed().Seconds(), "samples/s")
}
