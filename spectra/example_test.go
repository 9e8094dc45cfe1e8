package spectra_test

import (
	"context"
	"fmt"

	"github.com/deepglass/deepglass/spectra"
)

// Analyze a 600×300 matrix of iid Pareto elements with tail index μ = 1, whose ESD
// has the power-law tail α = 1 + μ/2 = 1.5, with bootstrap error bars.
func ExampleAnalyze() {
	w := spectra.ParetoMatrix(600, 300, 1, 1)
	r, err := spectra.Analyze(context.Background(), spectra.MatrixLayer("W", w), spectra.Options{Bootstrap: 50, Seed: 1})
	if err != nil {
		panic(err)
	}
	fmt.Printf("α = %.2f ± %.2f (want 1.5), warning %q\n", r.Fit.Alpha, r.AlphaErr, r.Warning)
	// Output:
	// α = 1.44 ± 0.12 (want 1.5), warning "over-trained"
}

// FitPowerLaw is WeightWatcher's fit: here on the eigenvalues of a Gaussian matrix,
// where no power law holds; Analyze's KS p-value says so.
func ExampleFitPowerLaw() {
	ev, _ := spectra.Eigenvalues(spectra.GaussianMatrix(400, 200, 1), spectra.MethodSVD)
	fit, _ := spectra.FitPowerLaw(ev, nil)
	fmt.Printf("α = %.1f on %d of %d eigenvalues\n", fit.Alpha, fit.Tail, fit.N)
	r, _ := spectra.Analyze(context.Background(), spectra.MatrixLayer("gauss", spectra.GaussianMatrix(400, 200, 1)), spectra.Options{GOF: 100})
	fmt.Println("verdict:", r.Verdict)
	// Output:
	// α = 5.4 on 37 of 200 eigenvalues
	// verdict: rejected
}
