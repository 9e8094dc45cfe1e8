package sampler_test

import (
	"fmt"

	"github.com/deepglass/deepglass/models"
	"github.com/deepglass/deepglass/sampler"
)

// ExamplePackedMetropolis runs 64 independent Metropolis chains of the 16×16 Ising model
// at T = 3 in one packed word per site and averages the energy per spin over lanes and
// sweeps; the exact value is −0.8177 (models.Kaufman).
func ExamplePackedMetropolis() {
	pm, err := sampler.NewPackedModel(models.NewIsing(models.Square(16), 1, 0))
	if err != nil {
		panic(err)
	}
	c := sampler.NewPackedChain(pm, sampler.NewStream(1, sampler.PurposeChain, 0, 0))
	mv := sampler.NewPackedMetropolis(pm, 1/3.0, sampler.IndependentLanes)
	for range 500 { // thermalise
		mv.Sweep(c)
	}
	const sweeps = 2000
	var e [sampler.PackedLanes]int64
	var sum float64
	for range sweeps {
		mv.Sweep(c)
		pm.LaneEnergies(e[:], c.S)
		for _, v := range e {
			sum += float64(v)
		}
	}
	fmt.Printf("E/N = %.2f\n", sum/float64(sweeps*sampler.PackedLanes*pm.N()))
	// Output: E/N = -0.82
}
