package sampler

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/deepglass/deepglass/models"
)

// tc is Onsager's critical temperature of the square-lattice Ising ferromagnet,
// T_c = 2/ln(1+√2) (docs/references/ising2d.md §1).
var tc = 2 / math.Log(1+math.Sqrt2)

// generic hides a model's concrete type, forcing samplers onto their generic path.
type generic struct{ models.Model }

// disorder returns the disorder stream of sample k for test models.
func disorder(k int) *rand.Rand {
	return rand.New(NewStream(20261126, PurposeDisorder, k, 0))
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

// observables records e = E/N, |m| and m² after each sweep.
type observables struct {
	e, absM, m2 []float64
}

// record appends the chain's current values.
func (o *observables) record(c *Chain) {
	m := c.Magnetization()
	o.e = append(o.e, c.E/float64(len(c.S)))
	o.absM = append(o.absM, math.Abs(m))
	o.m2 = append(o.m2, m*m)
}

// checkMean fails t unless the mean of x is within 4σ (σ from nb batch means) of want,
// or unless the batches are not much longer than the autocorrelation time.
func checkMean(t *testing.T, name string, x []float64, nb int, want float64) {
	t.Helper()
	mean, err, tau, blen := batchStats(x, nb)
	if tau*20 > float64(blen) {
		t.Errorf("%s: batches of %d are not ≫ τ ≈ %.1f; lengthen the run", name, blen, tau)
	}
	z := (mean - want) / err
	if err == 0 {
		z = math.Inf(1)
		if mean == want {
			z = 0
		}
	}
	if math.Abs(z) >= 4 {
		t.Errorf("%s = %.6f ± %.6f (τ ≈ %.1f); want %.6f (z = %.2f)", name, mean, err, tau, want, z)
	} else if testing.Verbose() {
		t.Logf("%s = %.6f ± %.6f (τ ≈ %.1f); exact %.6f (z = %+.2f)", name, mean, err, tau, want, z)
	}
}

// checkThermo runs mv on a chain of m for therm + sweeps sweeps and compares ⟨E⟩/N, ⟨|m|⟩
// and ⟨m²⟩ with the exact values.
func checkThermo(t *testing.T, m models.Model, mv Sweeper, beta float64, seed uint64, therm, sweeps int) {
	t.Helper()
	ex := models.Exact(m, beta)
	c := NewChain(m, NewStream(seed, PurposeChain, 0, 0))
	for range therm {
		mv.Sweep(c)
	}
	var o observables
	for range sweeps {
		mv.Sweep(c)
		o.record(c)
	}
	if d := c.Resync(m); math.Abs(d) > 1e-9*math.Max(1, math.Abs(c.E)) {
		t.Errorf("energy drifted by %g", d)
	}
	const nb = 100
	checkMean(t, "e", o.e, nb, ex.EnergyPerSpin())
	checkMean(t, "|m|", o.absM, nb, ex.AbsM)
	checkMean(t, "m²", o.m2, nb, ex.M2)
}

// smallModel is a model with N ≤ 16 and a temperature to test it at.
type smallModel struct {
	name  string
	m     models.Model
	beta  float64
	field bool
}

// smallModels returns the models every sampler is checked against models.Exact on.
// Temperatures are chosen so that the slowest sampler's τ stays ≪ the batch length.
func smallModels() []smallModel {
	ea := func(l models.Lattice, b models.BondDist, k int) *models.Sparse {
		return models.NewEA(l, b, disorder(k))
	}
	return []smallModel{
		{"ising4/T=1.5", models.NewIsing(models.Square(4), 1, 0), 1 / 1.5, false},
		{"ising4/T=Tc", models.NewIsing(models.Square(4), 1, 0), 1 / tc, false},
		{"ising4/T=4", models.NewIsing(models.Square(4), 1, 0), 1 / 4.0, false},
		{"ising3/h=1", models.NewIsing(models.Square(3), 1, 1), 1 / 2.5, true},
		{"ising4/h=0.3", models.NewIsing(models.Square(4), 1, 0.3), 1 / 2.0, true},
		{"ising2x2x2/h=-1", models.NewIsing(models.Cubic(2), 1, -1), 1 / 3.0, true},
		{"ea4/pm", ea(models.Square(4), models.PlusMinus, 1), 1 / 1.0, false},
		{"ea4/gauss", ea(models.Square(4), models.Gaussian, 2), 1 / 1.0, false},
		{"ea2x2x2/pm", ea(models.Cubic(2), models.PlusMinus, 3), 1 / 1.5, false},
		{"ea2x2x2/gauss", ea(models.Cubic(2), models.Gaussian, 4), 1 / 1.5, false},
		{"sk12/J0=0", models.NewSK(12, 0, models.Gaussian, disorder(5)), 1 / 0.5, false},
		{"sk12/J0=1.5", models.NewSK(12, 1.5, models.Gaussian, disorder(6)), 1 / 0.7, false},
		{"hopfield12/P=2", models.NewHopfield(models.RandomPatterns(2, 12, disorder(7))), 1 / 0.7, false},
		{"generic/ea4/pm", generic{ea(models.Square(4), models.PlusMinus, 8)}, 1 / 1.2, false},
	}
}

// mustPanic fails t unless f panics with a message starting with "sampler: ".
func mustPanic(t *testing.T, what string, f func()) {
	t.Helper()
	defer func() {
		t.Helper()
		r := recover()
		if r == nil {
			t.Errorf("%s did not panic", what)
			return
		}
		if msg := fmt.Sprint(r); !strings.HasPrefix(msg, "sampler: ") {
			t.Errorf("%s panicked with %q; want prefix \"sampler: \"", what, msg)
		}
	}()
	f()
}
