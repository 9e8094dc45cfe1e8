package landscape_test

import (
	"context"
	"testing"

	"github.com/deepglass/deepglass/landscape"
	"github.com/deepglass/deepglass/models"
)

// BenchmarkEnumerate reports ns per state of the exact landscape (energies, sort,
// union-find, basins) and, as the reference in the same process, of the energies alone
// by Gray-code enumeration through DeltaE (the generic path, forced by hiding the type).
func BenchmarkEnumerate(b *testing.B) {
	for _, c := range []struct {
		name string
		m    models.Model
	}{
		{"sk18", models.NewSK(18, 0, models.Gaussian, rng(18))},
		{"pspin18p4", models.NewPSpin(18, 4, 1, rng(19))},
		{"rem18", models.NewREM(18, 1, rng(20))},
	} {
		states := float64(int(1) << c.m.N())
		b.Run(c.name+"/landscape", func(b *testing.B) {
			for b.Loop() {
				if _, err := landscape.Enumerate(context.Background(), c.m, nil); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/(states*float64(b.N)), "ns/state")
		})
		b.Run(c.name+"/energies-generic", func(b *testing.B) {
			for b.Loop() {
				if _, err := landscape.Energies(context.Background(), struct{ models.Model }{c.m}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/(states*float64(b.N)), "ns/state")
		})
		b.Run(c.name+"/energies", func(b *testing.B) {
			for b.Loop() {
				if _, err := landscape.Energies(context.Background(), c.m); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/(states*float64(b.N)), "ns/state")
		})
	}
}
