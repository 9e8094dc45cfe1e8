package meanfield

import (
	"context"
	"errors"
	"fmt"
	"math"
)

// XiC is ξ_c measured in simulated nets beside the mean-field value: the decay length
// of the mean over nets of |c^l − c*|, fitted over layers From … To.
type XiC struct {
	Point Point
	// C0 are the input correlations: 1 − Delta in the ordered phase; c* + Delta and
	// c* − Delta in the chaotic phase, whose fitted rates are averaged (FitExpMean)
	// so that the nonlinear transient cancels to first order.
	C0    []float64
	Delta float64
	// Fit is the fit of the simulation; TheoryFit the same fit of the maps' iterates
	// from the same start (the asymptotic value is Point.XiC).
	Fit       Fit
	TheoryFit float64
	Sim       *SimResult
}

// String returns the measured and the mean-field ξ_c.
func (x *XiC) String() string {
	return fmt.Sprintf("%s σ_w²=%.6g σ_b²=%.6g (%v): ξ_c = %v from %d nets of width %d (layers %d–%d), maps %.4g (same window %.4g)",
		x.Point.Phi, x.Point.SW2, x.Point.SB2, x.Point.Phase, x.Fit.Scale, x.Sim.Spec.Nets, x.Sim.Spec.Width, x.Fit.From, x.Fit.To, x.Point.XiC, x.TheoryFit)
}

// Z returns (measured − mean-field ξ_c)/error.
func (x *XiC) Z() float64 { return (x.Fit.Scale.Mean - x.Point.XiC) / x.Fit.Scale.Err }

// MeasureXiC simulates nets random nets of the given width (inputs at q*) and fits
// the decay of |c^l − c*|. The start is 1 − 0.01 in the ordered phase and c* ± Δ,
// Δ = min(0.15, c*/2, (1 − c*)/2), in the chaotic one; the window starts at the first
// layer where the maps' local decay rate is within 0.5% (ordered) or 1% (chaotic,
// where the averaged rate settles fast but noise bounds the depth) of ln χ_c and spans
// 2ξ_c layers (at least 4), so that the transient is small and the deviation stays
// well above the noise; it ends earlier if the mean deviation falls below 3 standard
// errors. It fails on the boundary, where ξ_c is infinite, and with too few nets.
func MeasureXiC(ctx context.Context, n Net, width, nets int, seed uint64, method SimMethod) (*XiC, error) {
	p, err := n.Analyze()
	if err != nil {
		return nil, err
	}
	x := &XiC{Point: p}
	if math.IsInf(p.XiC, 0) || math.IsInf(p.QStar, 0) || p.QStar == 0 || p.XiC > 500 {
		return nil, fmt.Errorf("%v: ξ_c = %.4g (q* = %.4g): too close to the boundary to measure", n, p.XiC, p.QStar)
	}
	var signs []float64
	if p.CStar >= 1 {
		x.Delta = 0.01
		x.C0, signs = []float64{1 - x.Delta}, []float64{-1}
	} else {
		x.Delta = math.Min(0.15, math.Min(p.CStar/2, (1-p.CStar)/2))
		if x.Delta < 1e-3 {
			return nil, fmt.Errorf("%v: c* = %.6g leaves no room for inputs on both sides", n, p.CStar)
		}
		x.C0, signs = []float64{p.CStar + x.Delta, p.CStar - x.Delta}, []float64{1, -1}
	}
	// The maps' deviations and the window.
	maxL := int(math.Ceil(12*p.XiC)) + 10
	theory := make([][]float64, len(x.C0))
	for k, c0 := range x.C0 {
		_, cs := n.Correlations(p.QStar, c0, maxL)
		theory[k] = make([]float64, len(cs))
		for l, c := range cs {
			theory[k][l] = signs[k] * (c - p.CStar)
		}
	}
	asym := math.Log(p.ChiC)
	tol := 0.005
	if len(x.C0) > 1 {
		tol = 0.01
	}
	from := -1
	for l := 0; l+1 <= maxL; l++ {
		r := 0.0
		for k := range theory {
			r += math.Log(theory[k][l+1]/theory[k][l]) / float64(len(theory))
		}
		if math.Abs(r-asym) < tol*math.Abs(asym) {
			from = l
			break
		}
	}
	if from < 0 {
		return nil, fmt.Errorf("%v: the maps' decay rate does not settle within %d layers", n, maxL)
	}
	to := from + max(4, int(math.Ceil(2*p.XiC)))
	if to > maxL {
		return nil, errors.New("window beyond the computed maps")
	}
	spec := SimSpec{Phi: n.Phi, SW2: n.SW2, SB2: n.SB2, Width: width, Depth: to, Nets: nets, Q0: p.QStar, C0: x.C0, Seed: seed, Method: method}
	sim, err := Simulate(ctx, spec)
	if err != nil {
		return nil, err
	}
	x.Sim = sim
	ys := make([][][]float64, len(x.C0))
	th := make([][][]float64, len(x.C0))
	for k := range x.C0 {
		ys[k] = make([][]float64, nets)
		for m := range ys[k] {
			ys[k][m] = make([]float64, to+1)
			for l := range ys[k][m] {
				ys[k][m][l] = signs[k] * (sim.CNet[k][m][l] - p.CStar)
			}
		}
		th[k] = [][]float64{theory[k][:to+1], theory[k][:to+1]}
	}
	// Stop the window before the mean deviation sinks into the noise (below 3 standard
	// errors in any set): too few nets for the planned window shorten it.
	for l := from; l <= to; l++ {
		noisy := false
		for k := range ys {
			col := make([]float64, nets)
			for m := range col {
				col[m] = ys[k][m][l]
			}
			if st := meanErr(col); !(st.Mean > 3*st.Err) {
				noisy = true
			}
		}
		if noisy {
			if l-1-from < 3 {
				return nil, fmt.Errorf("%v: |c^l − c*| is below 3 standard errors at layer %d: too few nets (%d) to fit ξ_c", n, l, nets)
			}
			to = l - 1
			break
		}
	}
	if x.Fit, err = FitExpMean(ys, from, to); err != nil {
		return nil, fmt.Errorf("%v: %w", n, err)
	}
	tf, err := FitExpMean(th, from, to)
	if err != nil {
		return nil, fmt.Errorf("%v: maps: %w", n, err)
	}
	x.TheoryFit = tf.Scale.Mean
	return x, nil
}
