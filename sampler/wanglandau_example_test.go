package sampler_test

import (
	"context"
	"fmt"
	"math"

	"github.com/deepglass/deepglass/analysis"
	"github.com/deepglass/deepglass/models"
	"github.com/deepglass/deepglass/sampler"
)

// ExampleWangLandau estimates the density of states of the 8×8 Ising torus and the
// specific heat at T_c from it, against Kaufman's exact value (a short run: about
// 1% off; see the tests for error bars).
func ExampleWangLandau() {
	m := models.NewIsing(models.Square(8), 1, 0)
	w := sampler.NewWangLandau(m, sampler.GridBins(-128, 128, 4))
	c := sampler.NewChain(m, sampler.NewStream(1, sampler.PurposeChain, 0, 0))
	if err := w.Run(context.Background(), c, 100000); err != nil {
		panic(err)
	}
	d := analysis.DensityOfStates{E: w.Energies(), LnG: w.LnDOS(64 * math.Ln2), N: 64}
	tc := 2 / math.Log(1+math.Sqrt2)
	fmt.Printf("g(ground) = %.0f\n", math.Exp(d.LnG[0]))
	fmt.Printf("c(T_c) = %.1f (Kaufman %.1f)\n", d.Thermo(1/tc).C, models.Kaufman(8, 8, 1/tc).C)
	// Output:
	// g(ground) = 2
	// c(T_c) = 1.1 (Kaufman 1.1)
}
