package packed_test

import (
	"fmt"

	"github.com/deepglass/deepglass/models"
	"github.com/deepglass/deepglass/sampler"
	"github.com/deepglass/deepglass/sampler/packed"
)

// ExampleMetropolis runs 64 independent Metropolis chains of the 16×16 Ising model
// at T = 3 in one packed word per site and averages the energy per spin over lanes and
// sweeps; the exact value is −0.8177 (models.Kaufman).
func ExampleMetropolis() {
	pm, err := packed.NewModel(models.NewIsing(models.Square(16), 1, 0))
	if err != nil {
		panic(err)
	}
	c := packed.NewChain(pm, sampler.NewStream(1, sampler.PurposeChain, 0, 0))
	mv := packed.NewMetropolis(pm, 1/3.0, packed.IndependentLanes)
	for range 500 { // thermalise
		mv.Sweep(c)
	}
	const sweeps = 2000
	var e [packed.Lanes]int64
	var sum float64
	for range sweeps {
		mv.Sweep(c)
		pm.LaneEnergies(e[:], c.S)
		for _, v := range e {
			sum += float64(v)
		}
	}
	fmt.Printf("E/N = %.2f\n", sum/float64(sweeps*packed.Lanes*pm.N()))
	// Output: E/N = -0.82
}
