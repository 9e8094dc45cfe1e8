package packed

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/deepglass/deepglass/models"
	"github.com/deepglass/deepglass/sampler"
)

// The helpers below are those of package sampler's tests, copied (test files cannot be
// shared across packages): the same disorder streams and the same statistics, so that
// the packed tests draw the same samples as when they lived in package sampler.

// disorder returns the disorder stream of sample k for test models.
func disorder(k int) *rand.Rand {
	return rand.New(sampler.NewStream(20261126, sampler.PurposeDisorder, k, 0))
}

// batchStats returns the mean of x, its standard error from nb batch means, and a
// rough integrated autocorrelation time τ = (blen·Var(batch means)/Var(x) − 1)/2 in
// units of the spacing of x, where blen = len(x)/nb. The error is honest when blen ≫ τ,
// which callers check.
func batchStats(x []float64, nb int) (mean, err, tau float64, blen int) {
	blen = len(x) / nb
	x = x[:blen*nb]
	var sum float64
	for _, v := range x {
		sum += v
	}
	mean = sum / float64(len(x))
	var v0, vb float64
	for b := 0; b < nb; b++ {
		var s float64
		for _, v := range x[b*blen : (b+1)*blen] {
			s += v
			v0 += (v - mean) * (v - mean)
		}
		d := s/float64(blen) - mean
		vb += d * d
	}
	v0 /= float64(len(x) - 1)
	vb /= float64(nb - 1)
	err = math.Sqrt(vb / float64(nb))
	if v0 > 0 {
		tau = (float64(blen)*vb/v0 - 1) / 2
	}
	return mean, err, tau, blen
}

// groundEnergy returns the lowest energy of m by enumeration.
func groundEnergy(m models.Model) float64 {
	n := m.N()
	s := make([]int8, n)
	e0 := math.Inf(1)
	for x := range uint64(1) << n {
		for i := range s {
			s[i] = int8(x>>i&1)*2 - 1
		}
		e0 = min(e0, m.Energy(s))
	}
	return e0
}

// gsetDir is where the G-set samples live, relative to the package directory
// (testdata/gset/README.md: source and best known cuts).
const gsetDir = "../../testdata/gset/"

// loadGset reads a G-set graph; the files are part of the repository.
func loadGset(tb testing.TB, name string) (*models.Sparse, *models.Graph) {
	tb.Helper()
	p, g, err := models.ReadCouplings(gsetDir + name + ".txt")
	if err != nil {
		tb.Fatalf("G-set sample %s: %v", name, err)
	}
	return p, g
}

// benchBeta is β at T = 2.269 ≈ T_c, the temperature of the Go-versus-C comparison.
const benchBeta = 1 / 2.269

var benchSizes = []int{64, 256, 1024}

// reportFlips reports ns per attempted spin update and the acceptance rate.
func reportFlips(b *testing.B, flips int64, c *sampler.Chain) {
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(flips), "ns/flip")
	b.ReportMetric(c.Acceptance(), "accept")
}
