package models_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/deepglass/deepglass/models"
)

// TestSKDrawOrder checks J_ij = J0/N + z/√N with z the draws of the stream in
// row-major order over i < j.
func TestSKDrawOrder(t *testing.T) {
	for _, tt := range []struct {
		n  int
		j0 float64
		b  models.BondDist
	}{{16, 0, models.Gaussian}, {9, 1.5, models.PlusMinus}} {
		d := models.NewSK(tt.n, tt.j0, tt.b, rand.New(rand.NewPCG(3, 4)))
		rng := rand.New(rand.NewPCG(3, 4))
		mean, sd := tt.j0/float64(tt.n), 1/math.Sqrt(float64(tt.n))
		for i := 0; i < tt.n; i++ {
			if d.Coupling(i, i) != 0 {
				t.Fatalf("%v: J_%d%d = %v; want 0", d, i, i, d.Coupling(i, i))
			}
			for j := i + 1; j < tt.n; j++ {
				var z float64
				if tt.b == models.Gaussian {
					z = rng.NormFloat64()
				} else {
					z = 1 - 2*float64(rng.Uint64()>>63)
				}
				want := mean + sd*z
				if d.Coupling(i, j) != want || d.Coupling(j, i) != want {
					t.Fatalf("%v: J_%d%d = %v, J_%d%d = %v; want %v", d, i, j, d.Coupling(i, j), j, i, d.Coupling(j, i), want)
				}
			}
		}
	}
}

func TestSKName(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	for _, tt := range []struct {
		d    *models.Dense
		want string
	}{
		{models.NewSK(64, 0, models.Gaussian, rng), "sk N=64 J0=0 gauss"},
		{models.NewSK(10, 1.5, models.PlusMinus, rng), "sk N=10 J0=1.5 pm"},
	} {
		if tt.d.Name != tt.want {
			t.Errorf("Name = %q; want %q", tt.d.Name, tt.want)
		}
		if got, want := tt.d.String(), fmt.Sprintf("%s (N=%d)", tt.want, tt.d.N()); got != want {
			t.Errorf("String() = %q; want %q", got, want)
		}
	}
}

// TestSKDistribution checks mean J0/N and variance 1/N (docs/references/sk.md, convention
// J_ij ~ N(J0/N, J²/N)) on the N(N-1)/2 = 79800 couplings of N = 400, to 5 standard
// errors.
func TestSKDistribution(t *testing.T) {
	const n = 400
	for _, b := range []models.BondDist{models.Gaussian, models.PlusMinus} {
		const j0 = 2.0
		d := models.NewSK(n, j0, b, rand.New(rand.NewPCG(8, 9)))
		js := make([]float64, 0, n*(n-1)/2)
		for i := 0; i < n; i++ {
			for j := i + 1; j < n; j++ {
				js = append(js, d.Coupling(i, j))
			}
		}
		cnt := float64(len(js))
		mean, v := meanVar(js)
		if se := math.Sqrt(1 / float64(n) / cnt); math.Abs(mean-j0/n) > 5*se {
			t.Errorf("%v: mean coupling %v; want %v ± %v", d, mean, j0/n, 5*se)
		}
		// The sample variance has standard error √(2/cnt)·σ² for Gaussian, ~0 for ±1.
		if se := math.Sqrt(2/cnt) / n; math.Abs(v-1.0/n) > 5*se {
			t.Errorf("%v: coupling variance %v; want %v ± %v", d, v, 1.0/n, 5*se)
		}
	}
}

func TestSKPanics(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	mustPanic(t, "NewSK(0)", func() { models.NewSK(0, 0, models.Gaussian, rng) })
	mustPanic(t, "NewSK(nil rng)", func() { models.NewSK(4, 0, models.Gaussian, nil) })
	mustPanic(t, "NewSK(NaN J0)", func() { models.NewSK(4, math.NaN(), models.Gaussian, rng) })
	mustPanic(t, "NewSK(bad dist)", func() { models.NewSK(4, 0, models.BondDist(-1), rng) })
}
