package deepglass_test

import (
	"fmt"

	"github.com/deepglass/deepglass/analysis"
	"github.com/deepglass/deepglass/models"
	"github.com/deepglass/deepglass/sampler"
)

// Example is the Go example of README.md ("From Go"): Metropolis on the 16×16 Ising
// model at T = 2.3 against Kaufman's exact energy. Keep the two in step.
func Example() {
	m := models.NewIsing(models.Square(16), 1, 0)
	c := sampler.NewChain(m, sampler.NewStream(1, sampler.PurposeChain, 0, 0))
	mh := sampler.NewMetropolis(m, 1/2.3, sampler.Typewriter)
	e := analysis.NewSeries(100)
	for sweep := 0; sweep < 100000; sweep++ {
		mh.Sweep(c)
		e.Add(c.E / float64(m.N()))
	}
	fmt.Println(e.Estimate(), models.Kaufman(16, 16, 1/2.3).E)
	// Output: -1.4037(22) -1.4060679255998618
}
