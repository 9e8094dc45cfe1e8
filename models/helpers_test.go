package models_test

import (
	"math"
	"testing"

	"github.com/deepglass/deepglass/models"
)

// tc is the 2D Ising critical temperature 2/ln(1+√2) (docs/references/ising2d.md §1).
var tc = 2 / math.Log(1+math.Sqrt2)

// coupling returns the coupling between sites i and j of p (the sum, if stored more
// than once), and whether they are bonded.
func coupling(p *models.Sparse, i, j int) (float64, bool) {
	var w float64
	found := false
	for k := p.Start[i]; k < p.Start[i+1]; k++ {
		if int(p.Nbr[k]) == j {
			w += p.J[k]
			found = true
		}
	}
	return w, found
}

// closeRel reports whether got and want agree to a relative tolerance tol (absolute
// for |want| < 1).
func closeRel(got, want, tol float64) bool {
	return math.Abs(got-want) <= tol*math.Max(1, math.Abs(want))
}

// mustPanic fails t unless f panics with a message starting with "models: ".
func mustPanic(t *testing.T, name string, f func()) {
	t.Helper()
	defer func() {
		t.Helper()
		r := recover()
		if r == nil {
			t.Errorf("%s did not panic", name)
			return
		}
		if msg, ok := r.(string); !ok || len(msg) < 8 || msg[:8] != "models: " {
			t.Errorf("%s panicked with %v; want a string starting with \"models: \"", name, r)
		}
	}()
	f()
}

// meanVar returns the sample mean and variance of xs.
func meanVar(xs []float64) (mean, variance float64) {
	for _, x := range xs {
		mean += x
	}
	mean /= float64(len(xs))
	for _, x := range xs {
		variance += (x - mean) * (x - mean)
	}
	return mean, variance / float64(len(xs)-1)
}
