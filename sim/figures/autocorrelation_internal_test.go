package figures

import (
	"math"
	"testing"
)

func TestFitPowerLaw(t *testing.T) {
	// Exact data: the fit returns the exponent and amplitude, with χ² = 0.
	x := []float64{8, 16, 32, 64}
	var y, e []float64
	for _, v := range x {
		y = append(y, 3*math.Pow(v, 2.17))
		e = append(e, 0.05*3*math.Pow(v, 2.17))
	}
	f := fitPowerLaw(x, y, e)
	if math.Abs(f.z-2.17) > 1e-12 || math.Abs(f.at(10)-3*math.Pow(10, 2.17)) > 1e-9*f.at(10) || f.chi2 > 1e-20 {
		t.Errorf("exact power law: z = %v, A·10^z = %v, χ²/dof = %v", f.z, f.at(10), f.chi2)
	}
	// Two points: z is the slope and its error propagates from the two relative
	// errors, sqrt((e1/y1)² + (e2/y2)²)/ln(x2/x1).
	f = fitPowerLaw([]float64{16, 32}, []float64{10, 40}, []float64{0.5, 4})
	wantErr := math.Hypot(0.05, 0.1) / math.Ln2
	if math.Abs(f.z-2) > 1e-12 || math.Abs(f.zErr-wantErr) > 1e-12 || !math.IsNaN(f.chi2) {
		t.Errorf("two points: z = %v ± %v (χ²/dof %v); want 2 ± %v, NaN", f.z, f.zErr, f.chi2, wantErr)
	}
	// Scatter beyond the error bars inflates the error by √(χ²/dof).
	f = fitPowerLaw(x, []float64{1, 2.2, 3.6, 8.8}, []float64{0.01, 0.022, 0.036, 0.088})
	g := fitPowerLaw(x, []float64{1, 2.2, 3.6, 8.8}, []float64{1e-3, 2.2e-3, 3.6e-3, 8.8e-3})
	if !(f.chi2 > 1) || math.Abs(f.zErr-g.zErr) > 1e-9*f.zErr {
		t.Errorf("scaled errors: χ²/dof = %v, zErr = %v and %v; want > 1 and equal (error independent of the bar scale)", f.chi2, f.zErr, g.zErr)
	}
}
