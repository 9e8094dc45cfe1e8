//go:build cgo

package cref

import (
	"math"
	"testing"

	"github.com/deepglass/deepglass/models"
)

// energy recomputes H = -Σ_⟨ij⟩ s_i s_j in Go through models.NewIsing.
func energy(c *Ising2D) float64 {
	return models.NewIsing(models.Square(c.L), 1, 0).Energy(c.Spins())
}

// TestEnergyAgainstKaufman checks that the C chain samples the Boltzmann distribution:
// its mean energy per spin at L = 16, T = 3 is within 4σ (σ from 100 batch means) of
// Kaufman's exact value, −0.8176893679 (docs/references/ising2d.md §3).
func TestEnergyAgainstKaufman(t *testing.T) {
	const l, temp = 16, 3.0
	want := models.Kaufman(l, l, 1/temp).E
	if math.Abs(want-(-0.8176893679)) > 1e-9 {
		t.Fatalf("models.Kaufman: e = %.10f; docs/references/ising2d.md §3 has -0.8176893679", want)
	}
	c := New(l, 1/temp, 1)
	c.Sweep(1000)
	const nb, blen = 100, 2000
	var sum, sum2 float64
	for range nb {
		var b float64
		for range blen {
			c.Sweep(1)
			b += float64(c.Energy())
		}
		b /= blen * l * l
		sum += b
		sum2 += b * b
	}
	mean := sum / nb
	err := math.Sqrt((sum2/nb - mean*mean) / (nb - 1))
	if z := (mean - want) / err; math.Abs(z) >= 4 {
		t.Errorf("e = %.6f ± %.6f; want %.6f (z = %.2f)", mean, err, want, z)
	}
	if e := energy(c); float64(c.Energy()) != e {
		t.Errorf("Energy() = %d; Go recomputes %v", c.Energy(), e)
	}
}

// TestDeterministic checks that a seed fixes the chain and that n sweeps in one call
// equal n calls of one sweep.
func TestDeterministic(t *testing.T) {
	a, b := New(12, 0.4, 7), New(12, 0.4, 7)
	a.Sweep(50)
	for range 50 {
		b.Sweep(1)
	}
	if string(int8sToBytes(a.Spins())) != string(int8sToBytes(b.Spins())) || a.rng != b.rng {
		t.Errorf("Sweep(50) and 50×Sweep(1) differ")
	}
	if c := New(12, 0.4, 8); c.rng == a.rng {
		t.Errorf("seeds 7 and 8 give the same generator state")
	}
}

// TestLimits checks the two temperature limits: at β = 0 every proposal is accepted, so
// a sweep flips every spin once; at β = ∞ (here 50) the energy never increases.
func TestLimits(t *testing.T) {
	c := New(8, 0, 3)
	before := append([]int8(nil), c.Spins()...)
	c.Sweep(1)
	for i, v := range c.Spins() {
		if v != -before[i] {
			t.Fatalf("β = 0: spin %d not flipped by one sweep", i)
		}
	}
	c = New(8, 50, 3)
	e := c.Energy()
	for range 20 {
		c.Sweep(1)
		if c.Energy() > e {
			t.Fatalf("β = 50: energy rose from %d to %d", e, c.Energy())
		}
		e = c.Energy()
	}
	if s := c.String(); s == "" {
		t.Errorf("empty String()")
	}
}

func TestPanics(t *testing.T) {
	for _, tt := range []struct {
		l    int
		beta float64
	}{{2, 1}, {8, -1}, {8, math.NaN()}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("New(%d, %v) did not panic", tt.l, tt.beta)
				}
			}()
			New(tt.l, tt.beta, 1)
		}()
	}
}

func int8sToBytes(s []int8) []byte {
	b := make([]byte, len(s))
	for i, v := range s {
		b[i] = byte(v)
	}
	return b
}
