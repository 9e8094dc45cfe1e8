package models_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/deepglass/deepglass/models"
)

// ExampleNewREM compares the lowest of the 2^16 levels of a few REM instances with
// the exact order statistics and with Derrida's N → ∞ value.
func ExampleNewREM() {
	rng := rand.New(rand.NewPCG(1, 1))
	var sum float64
	const n, samples = 16, 20
	for range samples {
		r := models.NewREM(n, 1, rng)
		lo := 0.0
		for k := range uint64(1 << n) {
			lo = min(lo, r.EnergyIndex(k))
		}
		sum += lo / n
	}
	want, sd := models.REMGroundState(n, 1)
	fmt.Printf("mean e_min over %d instances: %.2f (exact %.3f ± %.3f per instance; N → ∞: %.3f)\n",
		samples, sum/samples, want, sd, models.REMGroundStateLimit(1))
	// Output:
	// mean e_min over 20 instances: -0.76 (exact -0.759 ± 0.049 per instance; N → ∞: -0.833)
}

// ExampleNewFunnel prints the Bryngelson–Wolynes folding temperature of a funnel of
// 16 spins, exactly for the instance and for N → ∞.
func ExampleNewFunnel() {
	f := models.NewFunnel(16, 1, 1, rand.New(rand.NewPCG(2, 2)))
	fmt.Printf("T_f = %.2f (N → ∞: %.2f), T_g = %.2f\n", f.FoldingTemperature(0.2, 5),
		models.BWFoldingTemperature(1, 1), models.BWGlassTemperature(1))
	// Output:
	// T_f = 1.13 (N → ∞: 1.12), T_g = 0.60
}
