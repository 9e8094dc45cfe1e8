package figures

import (
	"context"
	"fmt"
	"image/color"
	"math"
	"math/rand/v2"

	"github.com/deepglass/deepglass/analysis/plot"
)

// UStar is the Binder cumulant U₄ = 1 − 1/(3Q) at T_c of the periodic square
// lattice in the scaling limit, from Q = ⟨m²⟩²/⟨m⁴⟩ = 0.856216(1) of Kamieniarz and
// Blöte, J. Phys. A 26, 201 (1993).
const UStar = 0.61069

func binderCrossing() Figure {
	return Figure{
		Name:        "binder-crossing",
		Paper:       "Binder, Z. Phys. B 43, 119 (1981); Kamieniarz & Blöte, J. Phys. A 26, 201 (1993)",
		Description: "2D Ising Binder cumulant U4(T) for L = 8…64 (Wolff) crossing at T_c with U* ≈ 0.611",
		FullTime:    "13 min",
		Run:         runBinderCrossing,
	}
}

func runBinderCrossing(ctx context.Context, o Options) (*Result, error) {
	sizes := []int{8, 16, 32, 64}
	ts := []float64{2.20, 2.22, 2.24, 2.25, 2.26, Tc, 2.28, 2.29, 2.30, 2.32, 2.34}
	sweeps := func(L int) int { return 200000 }
	tol := 0.01
	if o.Quick {
		sizes = []int{8, 16, 32}
		ts = []float64{2.21, 2.24, 2.255, Tc, 2.285, 2.30, 2.33}
		sweeps = func(L int) int { return 240000 / L }
		tol = 0.03
	}
	therm := func(L int) int { return 1000 }
	rec := &isingRecipe{Mode: mode(o), Sizes: sizes}
	all, err := runIsing(ctx, o, sizes, ts, therm, sweeps, rec)
	if err != nil {
		return nil, fmt.Errorf("binder-crossing: %w", err)
	}
	res := &Result{Header: []string{"L", "T", "u4", "u4_err"}, Config: rec}
	uPanel := plot.Panel{
		Title: "Binder cumulant near T_c", XLabel: "T (J/k_B)", YLabel: "U4 = 1 − <m⁴>/(3<m²>²)",
		VLines: []float64{Tc}, LegendLeft: true, LegendBottom: true,
	}
	T := make([]float64, len(ts))
	U := make([][]float64, len(sizes))
	E := make([][]float64, len(sizes))
	for i, L := range sizes {
		for k, p := range all[i] {
			T[k] = p.T
			U[i] = append(U[i], p.Binder.Mean)
			E[i] = append(E[i], p.Binder.Err)
			res.Rows = append(res.Rows, []float64{float64(L), p.T, p.Binder.Mean, p.Binder.Err})
		}
		uPanel.Series = append(uPanel.Series, plot.Series{Name: fmt.Sprintf("L = %d", L), X: T, Y: U[i], YErr: E[i], Line: true})
	}
	uPanel.Curves = []plot.Curve{{Name: "U* = 0.6107 (L → ∞)", X: []float64{T[0], T[len(T)-1]}, Y: []float64{UStar, UStar}, Dashed: true, Color: color.Gray{0x60}}}

	// Crossings of successive pairs (L, 2L), with errors from resampling the points
	// within their error bars.
	src := rand.New(rand.NewPCG(o.seed(), 0xb1de))
	xPanel := plot.Panel{
		Title: "Crossing temperatures", XLabel: "L (smaller size of the pair L, 2L)", YLabel: "T*(L, 2L) (J/k_B)",
		LogX: true, LegendBottom: true,
	}
	var xs, ys, es []float64
	for i := 0; i+1 < len(sizes); i++ {
		tx, ex := crossingWithError(T, U[i], E[i], U[i+1], E[i+1], src)
		xs, ys, es = append(xs, float64(sizes[i])), append(ys, tx), append(es, ex)
	}
	xPanel.Series = []plot.Series{{Name: "T* from U4 crossings", X: xs, Y: ys, YErr: es}}
	lo, hi := float64(sizes[0])/1.3, float64(sizes[len(sizes)-2])*1.3
	xPanel.Curves = []plot.Curve{{Name: "T_c (Onsager)", X: []float64{lo, hi}, Y: []float64{Tc, Tc}, Dashed: true}}
	xPanel.XRange = [2]float64{lo, hi}
	xPanel.XTicks = xs
	res.Figure = &plot.Figure{Title: "2D Ising model: Binder cumulant crossing (Wolff)", Panels: []plot.Panel{uPanel, xPanel}, Cols: 2}

	last := len(sizes) - 1
	tx, ex := ys[len(ys)-1], es[len(es)-1]
	var uc, ucErr float64
	for k, t := range T {
		if t == Tc {
			uc, ucErr = U[last][k], E[last][k]
		}
	}
	res.Checks = []Check{
		{Name: fmt.Sprintf("T* of U4 crossing L=%d,%d (Onsager T_c)", sizes[last-1], sizes[last]), Want: Tc, Got: tx, Err: ex,
			OK: math.Abs(tx-Tc) <= tol},
		{Name: fmt.Sprintf("|T* − T_c| ≤ %g", tol), Want: tol, Got: math.Abs(tx - Tc), OK: math.Abs(tx-Tc) <= tol},
		{Name: fmt.Sprintf("U4(T_c) at L=%d (U* ∈ [0.58, 0.64])", sizes[last]), Want: UStar, Got: uc, Err: ucErr,
			OK: uc >= 0.58 && uc <= 0.64},
	}
	return res, nil
}

// crossing returns the temperature where b − a changes sign from positive to
// negative (the larger system has the larger U₄ below T_c), interpolating linearly
// between the grid points; NaN if it does not.
func crossing(t, a, b []float64) float64 {
	for k := 0; k+1 < len(t); k++ {
		d0, d1 := b[k]-a[k], b[k+1]-a[k+1]
		if d0 >= 0 && d1 < 0 {
			return t[k] + (t[k+1]-t[k])*d0/(d0-d1)
		}
	}
	return math.NaN()
}

// crossingWithError returns the crossing of the measured curves and, as its error,
// the standard deviation of the crossings of 400 resamplings of every point from a
// normal distribution with its error bar.
func crossingWithError(t, a, ea, b, eb []float64, src *rand.Rand) (float64, float64) {
	x := crossing(t, a, b)
	ra, rb := make([]float64, len(a)), make([]float64, len(b))
	var s, s2 float64
	n := 0
	for range 400 {
		for k := range a {
			ra[k] = a[k] + ea[k]*src.NormFloat64()
			rb[k] = b[k] + eb[k]*src.NormFloat64()
		}
		if c := crossing(t, ra, rb); !math.IsNaN(c) {
			s += c
			s2 += c * c
			n++
		}
	}
	if n < 2 {
		return x, math.NaN()
	}
	m := s / float64(n)
	return x, math.Sqrt(math.Max(0, s2/float64(n)-m*m))
}
