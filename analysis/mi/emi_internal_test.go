package mi

import (
	"math"
	"testing"
)

// TestExpandMLogM checks the moment expansion of E[m ln m] − μ ln μ against the exact
// hypergeometric sum where the two branches meet and beyond.
func TestExpandMLogM(t *testing.T) {
	for _, c := range [][3]int64{{1000000, 10000, 10000}, {1000000, 20000, 25000}, {500000, 100000, 3000}, {2000000, 1000000, 10000}, {100000, 90000, 500}} {
		n, a, b := c[0], c[1], c[2]
		N, fa, fb := float64(n), float64(a), float64(b)
		mu := fa * fb / N
		exact := exactMLogM(n, a, b, N, lfact(fa), lfact(N-fa), lfact(N)-lfact(fb)-lfact(N-fb))
		got := expandMLogM(N, fa, fb)
		t.Logf("μ = %.0f: exact %.10f, expansion %.10f", mu, exact, got)
		if math.Abs(got-exact) > 5e-6 {
			t.Errorf("n=%d a=%d b=%d (μ = %.0f): expansion %.10f; exact %.10f", n, a, b, mu, got, exact)
		}
	}
}
