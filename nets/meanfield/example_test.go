package meanfield_test

import (
	"context"
	"fmt"
	"math"

	"github.com/deepglass/deepglass/nets/meanfield"
)

// The fixed points, slopes and depth scales of a tanh net in the chaotic phase.
func ExampleNet_Analyze() {
	p, err := meanfield.Net{Phi: meanfield.Tanh(), SW2: 2, SB2: 0.05}.Analyze()
	if err != nil {
		panic(err)
	}
	fmt.Printf("%v phase: q* = %.5f, c* = %.5f, χ₁ = %.5f, ξ_c = %.2f, ξ_q = %.3f\n", p.Phase, p.QStar, p.CStar, p.Chi1, p.XiC, p.XiQ)
	// Output:
	// chaotic phase: q* = 0.72176, c* = 0.74408, χ₁ = 1.04767, ξ_c = 25.21, ξ_q = 1.388
}

// The order–chaos boundary of tanh nets: χ₁ = 1 at σ_w² = 1.7610 for σ_b² = 0.05.
func ExampleBoundary() {
	for _, sb2 := range []float64{0, 0.05, 0.3} {
		sw2, err := meanfield.Boundary(meanfield.Tanh(), sb2, meanfield.Quad{})
		if err != nil {
			panic(err)
		}
		fmt.Printf("σ_b² = %.2f: σ_w² = %.4f\n", sb2, sw2)
	}
	// Output:
	// σ_b² = 0.00: σ_w² = 1.0000
	// σ_b² = 0.05: σ_w² = 1.7610
	// σ_b² = 0.30: σ_w² = 2.5051
}

// A nonlinearity of your own is a plain Go function: here softsign, x/(1 + |x|),
// without a derivative (Deriv differentiates it numerically). φ′ = 1/(1 + |x|)² has a
// corner at 0, declared as a kink so that the quadrature splits there.
func ExamplePhi() {
	softsign := meanfield.Phi{Name: "softsign", F: func(x float64) float64 { return x / (1 + math.Abs(x)) }, Kinks: []float64{0}}
	sw2, err := meanfield.Boundary(softsign, 0.05, meanfield.Quad{})
	if err != nil {
		panic(err)
	}
	fmt.Printf("softsign boundary at σ_b² = 0.05: σ_w² = %.4f\n", sw2)
	for _, w := range []float64{sw2 - 0.5, sw2 + 0.5} {
		p, err := meanfield.Net{Phi: softsign, SW2: w, SB2: 0.05}.Analyze()
		if err != nil {
			panic(err)
		}
		fmt.Printf("σ_w² = %.4f: %v, χ₁ = %.4f, c* = %.4f, ξ_c = %.2f\n", p.SW2, p.Phase, p.Chi1, p.CStar, p.XiC)
	}
	// Output:
	// softsign boundary at σ_b² = 0.05: σ_w² = 3.1412
	// σ_w² = 2.6412: ordered, χ₁ = 0.9312, c* = 1.0000, ξ_c = 14.03
	// σ_w² = 3.6412: chaotic, χ₁ = 1.0552, c* = 0.8457, ξ_c = 26.27
}

// Random nets of width 1000 against the maps: q^l and c^l of a pair of inputs.
func ExampleSimulate() {
	net := meanfield.Net{Phi: meanfield.Tanh(), SW2: 3, SB2: 0.05}
	r, err := meanfield.Simulate(context.Background(), meanfield.SimSpec{Phi: net.Phi, SW2: net.SW2, SB2: net.SB2,
		Width: 1000, Depth: 6, Nets: 200, Q0: 1, C0: []float64{0.9}, Seed: 1, Method: meanfield.Gram})
	if err != nil {
		panic(err)
	}
	qs, cs := net.Correlations(1, 0.9, 6)
	for _, l := range []int{1, 3, 6} {
		fmt.Printf("layer %d: q = %.2f (maps %.2f), c = %.2f (maps %.2f)\n", l, r.Q[l].Mean, qs[l], r.C[0][l].Mean, cs[l])
	}
	// Output:
	// layer 1: q = 1.24 (maps 1.23), c = 0.89 (maps 0.89)
	// layer 3: q = 1.40 (maps 1.40), c = 0.86 (maps 0.86)
	// layer 6: q = 1.43 (maps 1.43), c = 0.80 (maps 0.80)
}
