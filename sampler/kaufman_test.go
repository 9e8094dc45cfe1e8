package sampler

import (
	"fmt"
	"math"
	"testing"

	"github.com/deepglass/deepglass/models"
)

// kaufmanTable holds exact energies per spin of the periodic L×L Ising model from
// docs/references/ising2d.md §3 (Kaufman 1949 / Ferdinand–Fisher 1969, evaluated independently),
// used to check models.Kaufman before trusting it as the oracle below.
var kaufmanTable = []struct {
	l    int
	t    float64 // 0 means T_c
	want float64
}{
	{16, 2.0, -1.7455306690},
	{16, 0, -1.4530648528},
	{16, 3.0, -0.8176893679},
	{32, 0, -1.4336584661},
}

func kaufmanE(t *testing.T, l int, temp float64) float64 {
	t.Helper()
	e := models.Kaufman(l, l, 1/temp).E
	for _, row := range kaufmanTable {
		rt := row.t
		if rt == 0 {
			rt = tc
		}
		if row.l == l && math.Abs(rt-temp) < 1e-12 && math.Abs(e-row.want) > 1e-9 {
			t.Fatalf("models.Kaufman(%d, %d, 1/%g).E = %.10f; docs/references/ising2d.md §3 has %.10f", l, l, temp, e, row.want)
		}
	}
	return e
}

// runEnergy sweeps a chain of m with mv and returns the energy per spin after each of
// sweeps sweeps, following therm sweeps of thermalisation.
func runEnergy(m models.Model, mv Sweeper, seed uint64, therm, sweeps int) []float64 {
	c := NewChain(m, NewStream(seed, PurposeChain, 0, 0))
	for range therm {
		mv.Sweep(c)
	}
	e := make([]float64, sweeps)
	n := float64(m.N())
	for k := range e {
		mv.Sweep(c)
		e[k] = c.E / n
	}
	return e
}

// TestKaufmanLocal checks the energy per spin of Metropolis and heat-bath chains on the
// 16×16 Ising model at T = 2.0, T_c and 3.0 against Kaufman's exact solution.
func TestKaufmanLocal(t *testing.T) {
	const l = 16
	m := models.NewIsing(models.Square(l), 1, 0)
	for k, ls := range localSamplers {
		for j, temp := range []float64{2.0, tc, 3.0} {
			t.Run(fmt.Sprintf("%s/T=%.4f", ls.name, temp), func(t *testing.T) {
				t.Parallel()
				want := kaufmanE(t, l, temp)
				e := runEnergy(m, ls.make(m, 1/temp, Typewriter), uint64(300+3*k+j), 10_000, 200_000)
				checkMean(t, "e", e, 100, want)
			})
		}
	}
}

// TestKaufmanCluster checks the energy per spin of Wolff and Swendsen–Wang chains on the
// 32×32 Ising model at T_c against Kaufman's exact solution.
func TestKaufmanCluster(t *testing.T) {
	if testing.Short() {
		t.Skip("long: 32×32 cluster runs")
	}
	const l = 32
	m := models.NewIsing(models.Square(l), 1, 0)
	want := kaufmanE(t, l, tc)
	for k, cs := range clusterSamplers {
		t.Run(cs.name, func(t *testing.T) {
			t.Parallel()
			e := runEnergy(m, cs.make(m, 1/tc), uint64(400+k), 1000, 50_000)
			checkMean(t, "e", e, 100, want)
		})
	}
}
