package spectra

import (
	"math"
	"math/rand/v2"
	"testing"
)

// samples returns test samples of several shapes: pure Pareto, MP-like bulk with a
// Pareto tail, lognormal, ties, tiny.
func samples(seed uint64) map[string][]float64 {
	r := rand.New(rand.NewPCG(seed, 7))
	out := map[string][]float64{}
	pareto := func(n int, a, xm float64) []float64 {
		v := make([]float64, n)
		for i := range v {
			v[i] = xm * math.Pow(1-r.Float64(), -1/(a-1))
		}
		return v
	}
	out["pareto2.5"] = pareto(2000, 2.5, 1)
	out["pareto1.5"] = pareto(500, 1.5, 0.1)
	bulk := make([]float64, 3000)
	for i := range bulk {
		bulk[i] = 0.5 + r.Float64()*2 + 0.3*r.NormFloat64()*r.NormFloat64()
		bulk[i] = math.Abs(bulk[i]) + 1e-3
	}
	out["bulk+tail"] = append(bulk, pareto(200, 3, 3)...)
	ln := make([]float64, 1500)
	for i := range ln {
		ln[i] = math.Exp(r.NormFloat64() * 1.2)
	}
	out["lognormal"] = ln
	ties := make([]float64, 800)
	for i := range ties {
		ties[i] = math.Round(pareto(1, 2.2, 1)[0]*4) / 4
	}
	out["ties"] = ties
	out["tiny"] = []float64{1, 2}
	out["three"] = []float64{3, 1, 2}
	out["equal"] = []float64{2, 2, 2, 2, 5}
	return out
}

// TestFastScanExact checks that the pruned scan picks the candidate and D of the full
// O(n²) scan, bit for bit, on many samples.
func TestFastScanExact(t *testing.T) {
	for seed := uint64(1); seed <= 2; seed++ {
		for name, x := range samples(seed) {
			tl, lo, hi, err := prepare(x, nil)
			if err != nil {
				t.Fatal(err)
			}
			wi, wd := tl.bestNaive(lo, hi)
			gi, gd := tl.best(lo, hi)
			if gi != wi || gd != wd {
				t.Errorf("seed %d %s: fast scan chose %d (D=%v), full scan %d (D=%v)", seed, name, gi, gd, wi, wd)
			}
		}
	}
}

func TestFitErrors(t *testing.T) {
	for _, x := range [][]float64{nil, {1}, {1, math.NaN()}, {1, -2, 3}, {0, 1, 2}, {1, math.Inf(1)}} {
		if p, err := FitPowerLaw(x, nil); err == nil {
			t.Errorf("FitPowerLaw(%v) = %v; want an error", x, p)
		}
	}
	if _, err := FitPowerLaw([]float64{1, 2, 3, 4}, &FitOptions{XminLo: 10, XminHi: 20}); err == nil {
		t.Error("empty xmin range accepted")
	}
}
