package sampler

import (
	"math"
	"testing"

	"github.com/deepglass/deepglass/models"
)

// BenchmarkWangLandau reports ns per proposal of a Wang–Landau sweep and, as the
// reference run in the same process, of a Metropolis sweep (random sites) on the same
// model: WL adds a bin lookup, the ln g update and an exp per proposal.
func BenchmarkWangLandau(b *testing.B) {
	ps := models.NewPSpin(20, 3, 1, disorder(20))
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, e := range grayEnergies(ps) {
		lo, hi = min(lo, e), max(hi, e)
	}
	rem := models.NewREM(20, 1, disorder(21))
	cases := []struct {
		name string
		m    models.Model
		bins EnergyBins
	}{
		{"ising16", models.NewIsing(models.Square(16), 1, 0), GridBins(-512, 512, 4)},
		{"pspin20p3", ps, EnergyBins{Min: lo, Width: (hi - lo) / 39, Bins: 40}},
		{"rem20", rem, EnergyBins{Min: -4, Width: 0.2, Bins: 41}},
	}
	for _, c := range cases {
		b.Run(c.name+"/wanglandau", func(b *testing.B) {
			w := NewWangLandau(c.m, c.bins)
			ch, err := NewWangLandauChain(c.m, c.bins, NewStream(1, PurposeChain, 0, 0))
			if err != nil {
				b.Fatal(err)
			}
			props := 0
			for b.Loop() {
				w.Sweep(ch)
				props += c.m.N()
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(props), "ns/proposal")
		})
		b.Run(c.name+"/metropolis", func(b *testing.B) {
			mh := NewMetropolis(c.m, 1, RandomSite)
			ch := NewChain(c.m, NewStream(1, PurposeChain, 0, 0))
			props := 0
			for b.Loop() {
				mh.Sweep(ch)
				props += c.m.N()
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(props), "ns/proposal")
		})
	}
}
