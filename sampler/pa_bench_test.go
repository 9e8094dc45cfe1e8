package sampler

import (
	"context"
	"testing"

	"github.com/deepglass/deepglass/models"
)

// BenchmarkPA anneals a 2D ±J L = 32 sample to β = 1 with R = 1024 in one population,
// with scalar Metropolis (sampler/packed has the packed twin), and reports ns per spin update (replica sweeps ×
// N over the wall time, resampling and measurement included).
func BenchmarkPA(b *testing.B) {
	p := models.NewEA(models.Square(32), models.PlusMinus, disorder(1))
	o := PAOptions{Betas: []float64{1}, R: 1024, Populations: 1, Sweeps: 10, Workers: 1}
	for _, name := range []string{"scalar"} {
		b.Run(name, func(b *testing.B) {
			var updates float64
			for b.Loop() {
				pa, _ := NewPopulationAnnealing(p, func(beta float64) Sweeper { return NewMetropolis(p, beta, Typewriter) }, o)
				if err := pa.Run(context.Background()); err != nil {
					b.Fatal(err)
				}
				updates += float64(pa.Steps()) * float64(o.R) * float64(o.Sweeps) * float64(p.N())
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/updates, "ns/update")
		})
	}
}
