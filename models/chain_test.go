package models

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestChainTransferEnumeration checks the ring transfer matrix against enumeration:
// the ferromagnet with and without a field, ±J and Gaussian chains (frustrated rings
// included), on chain:2 (two bonds between the sites), chain:3 and chain:12.
func TestChainTransferEnumeration(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	betas := []float64{0.1, 0.7, 1.3, 3}
	cases := []*Sparse{NewIsing(Chain(2), 1, 0), NewIsing(Chain(3), 1, 0.4), NewIsing(Chain(12), 1, -0.3),
		NewEA(Chain(2), Gaussian, rng), NewEA(Chain(5), PlusMinus, rng), NewEA(Chain(12), Gaussian, rng)}
	for _, p := range cases {
		got, err := ChainTransfer(p, betas)
		if err != nil {
			t.Fatalf("%v: %v", p, err)
		}
		for k, b := range betas {
			want := Exact(p, b)
			if d := math.Abs(got[k].EnergyPerSpin() - want.EnergyPerSpin()); d > 1e-12 {
				t.Errorf("%v β=%g: e = %.15g, enumeration %.15g", p, b, got[k].EnergyPerSpin(), want.EnergyPerSpin())
			}
			if d := math.Abs(got[k].SpecificHeat() - want.SpecificHeat()); d > 1e-10 {
				t.Errorf("%v β=%g: c = %.15g, enumeration %.15g", p, b, got[k].SpecificHeat(), want.SpecificHeat())
			}
			if d := math.Abs(got[k].LnZ - want.LnZ); d > 1e-11*max(1, math.Abs(want.LnZ)) {
				t.Errorf("%v β=%g: ln Z = %.15g, enumeration %.15g", p, b, got[k].LnZ, want.LnZ)
			}
		}
	}
}

// TestChainTransferClosedForm checks long rings against the closed form of the
// ferromagnet, Z = (2 cosh β)^N + (2 sinh β)^N (Baxter, Exactly Solved Models, ch. 2).
// The round-off of the product grows like N·ε, so the tolerance is 10⁻¹⁴·N.
func TestChainTransferClosedForm(t *testing.T) {
	for _, n := range []int{4, 17, 1000, 100000} {
		p := NewIsing(Chain(n), 1, 0)
		betas := []float64{0.2, 1, 2.5}
		got, err := ChainTransfer(p, betas)
		if err != nil {
			t.Fatal(err)
		}
		for k, b := range betas {
			// E = −∂ln Z/∂β with Z = c^N + s^N, c = 2cosh β, s = 2sinh β:
			// E/N = −(c^{N−1} s + s^{N−1} c)/(c^N + s^N) = −(t + t^{N−1})/(1 + t^N), t = tanh β.
			tb := math.Tanh(b)
			want := -(tb + math.Pow(tb, float64(n-1))) / (1 + math.Pow(tb, float64(n)))
			if d := math.Abs(got[k].EnergyPerSpin() - want); d > 1e-14*float64(n) {
				t.Errorf("N=%d β=%g: e = %.15g, closed form %.15g", n, b, got[k].EnergyPerSpin(), want)
			}
		}
	}
	if _, err := ChainTransfer(NewIsing(Square(4), 1, 0), []float64{1}); err == nil {
		t.Error("a square lattice accepted as a ring")
	}
}
