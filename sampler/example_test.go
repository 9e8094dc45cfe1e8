package sampler_test

import (
	"fmt"

	"github.com/deepglass/deepglass/models"
	"github.com/deepglass/deepglass/sampler"
)

// ExampleMetropolis estimates the energy per spin of the 16×16 Ising model at T = 3,
// whose exact value is −0.8177 (Kaufman; models.Kaufman).
func ExampleMetropolis() {
	m := models.NewIsing(models.Square(16), 1, 0)
	c := sampler.NewChain(m, sampler.NewStream(1, sampler.PurposeChain, 0, 0))
	mh := sampler.NewMetropolis(m, 1/3.0, sampler.Typewriter)
	for range 1000 { // thermalise
		mh.Sweep(c)
	}
	const sweeps = 20000
	var e float64
	for range sweeps {
		mh.Sweep(c)
		e += c.E
	}
	fmt.Printf("e = %.2f, exact %.2f\n", e/sweeps/float64(m.N()), models.Kaufman(16, 16, 1/3.0).E)
	fmt.Printf("acceptance %.2f\n", c.Acceptance())
	// Output:
	// e = -0.82, exact -0.82
	// acceptance 0.45
}

// ExampleWolff measures ⟨m²⟩ of the 8×8 Ising model at T_c with Wolff's improved
// estimator ⟨|C|⟩/N; the exact value is 0.6469 (docs/references/ising2d.md §4).
func ExampleWolff() {
	m := models.NewIsing(models.Square(8), 1, 0)
	c := sampler.NewChain(m, sampler.NewStream(2, sampler.PurposeChain, 0, 0))
	w := sampler.NewWolff(m, 0.4406867935097715) // β_c = ln(1+√2)/2
	for range 1000 {
		w.Update(c)
	}
	const clusters = 100000
	var size int
	for range clusters {
		size += w.Update(c)
	}
	fmt.Printf("<m²> ≈ %.2f\n", float64(size)/clusters/float64(m.N()))
	// Output: <m²> ≈ 0.65
}
