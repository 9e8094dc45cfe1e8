package models

import (
	"fmt"
	"math"
	"testing"
)

// TestCurieWeissExact compares the sum over the magnetization with enumeration of the
// same model (small N) and with the mean-field limit (large N): above T_c = 1,
// ⟨m²⟩ → 0; below, ⟨|m|⟩ → the root of m = tanh(βm).
func TestCurieWeissExact(t *testing.T) {
	for _, n := range []int{2, 5, 12} {
		for _, h := range []float64{0, 0.3} {
			m := NewCurieWeiss(n, 1, h)
			for _, beta := range []float64{0.2, 1, 2.5} {
				got, want := CurieWeissExact(n, 1, h, beta), Exact(m, beta)
				for _, c := range []struct {
					name string
					a, b float64
				}{
					{"e", got.EnergyPerSpin(), want.EnergyPerSpin()}, {"c", got.SpecificHeat(), want.SpecificHeat()},
					{"|m|", got.AbsM, want.AbsM}, {"m²", got.M2, want.M2}, {"m⁴", got.M4, want.M4}, {"ln Z", got.LnZ, want.LnZ},
				} {
					if math.Abs(c.a-c.b) > 1e-11*max(1, math.Abs(c.b)) {
						t.Errorf("N=%d h=%g β=%g: %s = %.15g, enumeration %.15g", n, h, beta, c.name, c.a, c.b)
					}
				}
			}
		}
	}
	// Mean-field limit at N = 10⁵: |m| solves m = tanh(βm) below T_c, e = −m²/2.
	beta := 1.5
	m0 := 0.9
	for range 200 {
		m0 = math.Tanh(beta * m0)
	}
	th := CurieWeissExact(100000, 1, 0, beta)
	if math.Abs(th.AbsM-m0) > 1e-3 || math.Abs(th.EnergyPerSpin()+m0*m0/2) > 1e-3 {
		t.Errorf("N=1e5 β=1.5: |m| = %.6f, e = %.6f; mean field %.6f, %.6f", th.AbsM, th.EnergyPerSpin(), m0, -m0*m0/2)
	}
	if th := CurieWeissExact(100000, 1, 0, 0.5); th.M2 > 1e-4 {
		t.Errorf("N=1e5 above T_c: ⟨m²⟩ = %g, want ≈ 1/(N(1−β)) = 2e-5", th.M2)
	}
}

// ExampleNewCurieWeiss shows the model added in docs/adding-a-model.md: an energy of
// the Dense representation and its exact thermodynamics at a size enumeration cannot
// reach.
func ExampleNewCurieWeiss() {
	m := NewCurieWeiss(1000, 1, 0)
	th := CurieWeissExact(1000, 1, 0, 1/0.8) // T = 0.8 < T_c = 1
	fmt.Println(m)
	fmt.Printf("e = %.4f, |m| = %.4f per spin\n", th.EnergyPerSpin(), th.AbsM)
	// Output:
	// curieweiss N=1000 J=1 h=0 (N=1000)
	// e = -0.2503, |m| = 0.7073 per spin
}
