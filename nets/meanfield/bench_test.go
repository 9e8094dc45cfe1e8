package meanfield

import (
	"context"
	"testing"
)

// BenchmarkAnalyze: one mean-field point (q*, c*, slopes, depth scales) in ms/point.
func BenchmarkAnalyze(b *testing.B) {
	for _, c := range []struct {
		name string
		sw2  float64
	}{{"tanh-ordered", 1.5}, {"tanh-chaotic", 3}} {
		b.Run(c.name, func(b *testing.B) {
			net := Net{Phi: Tanh(), SW2: c.sw2, SB2: 0.05}
			for b.Loop() {
				if _, err := net.Analyze(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/1e6/float64(b.N), "ms/point")
		})
	}
}

// BenchmarkSimulate: random nets of width 1000, 3 inputs, in ns per unit·layer·input,
// for explicit weights and for the Gram sampler.
func BenchmarkSimulate(b *testing.B) {
	for _, m := range []SimMethod{Weights, Gram} {
		b.Run(m.String(), func(b *testing.B) {
			spec := SimSpec{Phi: Tanh(), SW2: 3, SB2: 0.05, Width: 1000, Depth: 10, Nets: 2, Q0: 1, C0: []float64{0.5, 0.9}, Seed: 1, Method: m, Threads: 1}
			for b.Loop() {
				if _, err := Simulate(context.Background(), spec); err != nil {
					b.Fatal(err)
				}
			}
			units := float64(b.N) * float64(spec.Nets*spec.Depth*spec.Width*(len(spec.C0)+1))
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/units, "ns/unit-layer-input")
		})
	}
}
