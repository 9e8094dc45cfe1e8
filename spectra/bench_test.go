package spectra

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// esdLike returns n values: a Marchenko–Pastur-like bulk with a power-law tail of
// 5% of the values, the shape of a trained layer's ESD.
func esdLike(n int, seed uint64) []float64 {
	r := rand.New(rand.NewPCG(seed, 3))
	x := make([]float64, n)
	for i := range x {
		if i < n/20 {
			x[i] = 4 * math.Pow(1-r.Float64(), -1/1.5)
		} else {
			u := r.Float64()
			x[i] = 0.1 + 3.9*u*u*(3-2*u)
		}
	}
	return x
}

// BenchmarkFitPowerLaw times FitPowerLaw (sort, logs, α for every candidate, the
// pruned KS scan) on samples of n values: an ESD-like bulk with a tail, a Pareto and a
// lognormal sample. ms/fit is wall time; cpu-ms/fit the process's CPU time per fit,
// which a loaded machine inflates less (the fit runs on one goroutine).
func BenchmarkFitPowerLaw(b *testing.B) {
	for _, n := range []int{1000, 10000, 100000} {
		for _, kind := range []string{"esd", "esd-sorted", "pareto", "lognormal"} {
			r := rand.New(rand.NewPCG(5, 5))
			x := esdLike(n, 1)
			switch kind {
			case "esd-sorted": // as Analyze passes an ESD: no sort needed
				slices.Sort(x)
			case "pareto":
				for i := range x {
					x[i] = math.Pow(1-r.Float64(), -1/1.8)
				}
			case "lognormal":
				for i := range x {
					x[i] = math.Exp(r.NormFloat64())
				}
			}
			b.Run(fmt.Sprintf("%s/n=%d", kind, n), func(b *testing.B) {
				c0 := cpuTime()
				for b.Loop() {
					if _, err := FitPowerLaw(x, nil); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(b.Elapsed().Microseconds())/1e3/float64(b.N), "ms/fit")
				b.ReportMetric(float64((cpuTime()-c0).Microseconds())/1e3/float64(b.N), "cpu-ms/fit")
			})
		}
	}
}

// BenchmarkEigenvalues times the two routes to the ESD of an n×n Gaussian matrix (see
// LAPACK for the routines of the build).
func BenchmarkEigenvalues(b *testing.B) {
	for _, n := range []int{256, 1024} {
		w := GaussianMatrix(n, n, 1)
		for _, m := range []Method{MethodSVD, MethodGram} {
			b.Run(fmt.Sprintf("%v/n=%d", m, n), func(b *testing.B) {
				c0 := cpuTime()
				for b.Loop() {
					if _, err := Eigenvalues(w, m); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(b.Elapsed().Microseconds())/1e3/float64(b.N), "ms/op")
				b.ReportMetric(float64((cpuTime()-c0).Microseconds())/1e3/float64(b.N), "cpu-ms/op")
			})
		}
	}
}

// BenchmarkAnalyze times the default analysis of the CLI (100 bootstrap and 100
// p-value replicates) of an n×n heavy-tailed matrix, SVD included.
func BenchmarkAnalyze(b *testing.B) {
	w := ParetoMatrix(1024, 1024, 3, 1)
	o := Options{Bootstrap: 100, GOF: 100, Seed: 1}
	for b.Loop() {
		if _, err := Analyze(context.Background(), MatrixLayer("w", w), o); err != nil {
			b.Fatal(err)
		}
	}
}
