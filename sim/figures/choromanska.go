package figures

import (
	"context"
	"fmt"
	"image/color"
	"math"

	"github.com/deepglass/deepglass/analysis/plot"
	"github.com/deepglass/deepglass/models"
	"github.com/deepglass/deepglass/sampler"
)

func choromanskaSpinGlass() Figure {
	return Figure{
		Name:  "choromanska-spin-glass",
		Paper: "Choromanska, Henaff, Mathieu, Ben Arous & LeCun, AISTATS 2015 (arXiv 1412.0233), Fig. 1 (spin-glass half); Auffinger, Ben Arous & Černý, Comm. Pure Appl. Math. 66, 165 (2013)",
		Description: "spherical 3-spin (ABC normalization): energies of the minima reached by descents from random starts for N = 25…400 " +
			"narrow and move toward the band [−E0, −E∞]; the annealed complexity Θ_k(u) beside",
		FullTime: "~4 min",
		Run:      runChoromanska,
	}
}

// ChoromanskaSize is the study of one size N in the recipe of choromanska-spin-glass,
// as recorded in its NAME.json: the energies per spin of every end point (so that
// other figures, e.g. the networks' loss histograms, can be drawn beside them) and
// their statistics.
type ChoromanskaSize struct {
	N         int    `json:"n"`
	Instances int    `json:"instances"`
	Starts    int    `json:"starts"`
	Method    string `json:"method"`
	Seed      uint64 `json:"seed"`
	// Energies are per spin, one per descent, instance-major; Index the index of
	// each end point.
	Energies []float64 `json:"energies"`
	Index    []int     `json:"index"`
	// Mean ± MeanErr (from the spread of the instance means) and Std ± StdErr
	// (jackknife over instances).
	Mean                float64 `json:"mean"`
	MeanErr             float64 `json:"mean_err"`
	Std                 float64 `json:"std"`
	StdErr              float64 `json:"std_err"`
	ShareAboveThreshold float64 `json:"share_above_threshold"`
	ShareMinima         float64 `json:"share_minima"`
	Gradients           int64   `json:"gradients"`
	Seconds             float64 `json:"seconds"`
}

// choromanskaRecipe is the recipe of choromanska-spin-glass, as recorded in NAME.json.
type choromanskaRecipe struct {
	Mode      string            `json:"mode"`
	P         int               `json:"p"`
	Norm      string            `json:"norm"`
	Tol       float64           `json:"tol"`
	E0        float64           `json:"e0"`
	EInf      float64           `json:"e_inf"`
	Sizes     []ChoromanskaSize `json:"sizes"`
	Compare   []ChoromanskaSize `json:"gd_comparison"`
	MeanFit   map[string]any    `json:"mean_fit"`
	SpreadFit map[string]any    `json:"spread_fit"`
}

// choromanskaPlan gives, per size, the disorder instances and the starts on each.
type choromanskaPlan struct{ n, instances, starts int }

func runChoromanska(ctx context.Context, o Options) (*Result, error) {
	const p = 3
	plan := []choromanskaPlan{{25, 50, 20}, {50, 50, 20}, {100, 40, 15}, {200, 30, 10}, {400, 20, 10}}
	compare := []choromanskaPlan{{25, 20, 10}, {50, 20, 10}, {100, 10, 8}}
	if o.Quick {
		plan = []choromanskaPlan{{25, 12, 10}, {50, 12, 10}, {100, 8, 6}, {200, 6, 4}}
		compare = []choromanskaPlan{{25, 10, 8}, {50, 8, 6}}
	}
	const tol = 1e-6
	e0, einf := models.SphericalE0(p), models.SphericalEInf(p)
	rec := &choromanskaRecipe{Mode: mode(o), P: p, Norm: models.ABC.String(), Tol: tol, E0: e0, EInf: einf}
	study := func(pl choromanskaPlan, m sampler.DescentMethod, seed uint64) (ChoromanskaSize, error) {
		cfg := sampler.SphericalLandscapeConfig{
			P: p, N: pl.n, Norm: models.ABC, Instances: pl.instances, Starts: pl.starts,
			Method: m, Tol: tol, Seed: seed, Threads: o.Threads,
		}
		l, err := sampler.RunSphericalLandscape(ctx, cfg)
		if err != nil {
			return ChoromanskaSize{}, fmt.Errorf("choromanska-spin-glass: N = %d: %w", pl.n, err)
		}
		sd, sdErr := jackknifeStd(l.Energies, l.Instance)
		return ChoromanskaSize{
			N: pl.n, Instances: pl.instances, Starts: pl.starts, Method: m.String(), Seed: seed,
			Energies: l.Energies, Index: l.Index, Mean: l.Mean, MeanErr: l.Err, Std: sd, StdErr: sdErr,
			ShareAboveThreshold: l.ShareAboveThreshold, ShareMinima: l.ShareMinima,
			Gradients: l.Gradients, Seconds: l.Seconds,
		}, nil
	}
	res := &Result{Header: []string{"N", "energy", "index", "instance"}, Config: rec}
	prog := o.newProgress(equalParts(len(plan) + len(compare))...)
	defer prog.finish()
	for i, pl := range plan {
		prog.upTo(i)
		s, err := study(pl, sampler.LBFGS, o.seed()*1000+uint64(i))
		if err != nil {
			return nil, err
		}
		rec.Sizes = append(rec.Sizes, s)
		for d, e := range s.Energies {
			res.Rows = append(res.Rows, []float64{float64(s.N), e, float64(s.Index[d]), float64(d / s.Starts)})
		}
	}
	for i, pl := range compare {
		prog.upTo(len(plan) + i)
		// The same instances and starts (same seed) descended by projected gradient
		// descent instead of L-BFGS.
		lb, err := study(pl, sampler.LBFGS, o.seed()*1000+500+uint64(i))
		if err != nil {
			return nil, err
		}
		gd, err := study(pl, sampler.ProjectedGD, o.seed()*1000+500+uint64(i))
		if err != nil {
			return nil, err
		}
		rec.Compare = append(rec.Compare, lb, gd)
	}

	// Fits: mean = a + b N^{−1/2} (weighted by the errors of the means), and
	// std = A N^{−ρ}.
	var xs, ns, means, merrs, sds, sderrs []float64
	for _, s := range rec.Sizes {
		ns = append(ns, float64(s.N))
		xs = append(xs, 1/math.Sqrt(float64(s.N)))
		means, merrs = append(means, s.Mean), append(merrs, s.MeanErr)
		sds, sderrs = append(sds, s.Std), append(sderrs, s.StdErr)
	}
	lin := fitLine(xs, means, merrs)
	pow := fitPowerLaw(ns, sds, sderrs)
	// The other form the finite-size corrections might take, for comparison only.
	var x23 []float64
	for _, n := range ns {
		x23 = append(x23, math.Pow(n, -2.0/3))
	}
	lin23 := fitLine(x23, means, merrs)
	rec.MeanFit = map[string]any{
		"form": "a + b/sqrt(N)", "a": lin.a, "a_err": lin.aErr, "b": lin.b, "b_err": lin.bErr, "chi2_per_dof": num(lin.chi2),
		"alternative": map[string]any{"form": "a + b N^(-2/3)", "a": lin23.a, "a_err": lin23.aErr, "chi2_per_dof": num(lin23.chi2)},
	}
	rec.SpreadFit = map[string]any{"form": "A N^(-rho)", "rho": -pow.z, "rho_err": pow.zErr, "chi2_per_dof": num(pow.chi2)}

	// Checks.
	first, last := rec.Sizes[0], rec.Sizes[len(rec.Sizes)-1]
	minima := 1.0
	for _, s := range rec.Sizes {
		minima = math.Min(minima, s.ShareMinima)
	}
	drop := last.Mean - first.Mean
	dropErr := math.Hypot(last.MeanErr, first.MeanErr)
	// Distance of the extrapolated a from the band [−E0, −E∞] (0 inside).
	dist := math.Max(0, math.Max(-e0-lin.a, lin.a+einf))
	res.Checks = []Check{
		{Name: "E0 from the complexity Θ_0(−E0) = 0 vs published 1.657 (ABC 2013)", Want: 1.657, Got: e0, OK: math.Abs(e0-1.657) < 5e-4},
		{Name: "E∞ = 2√(2/3) vs published 1.633 (ABC 2013)", Want: 1.633, Got: einf, OK: math.Abs(einf-1.633) < 5e-4},
		{Name: "least share of descents ending at minima (index 0)", Want: 1, Got: minima, OK: minima == 1},
		{Name: fmt.Sprintf("mean e(N=%d) − mean e(N=%d): z-score (must be < −4)", last.N, first.N), Want: -4, Got: drop / dropErr, OK: drop/dropErr < -4},
		{Name: "spread falls with N: exponent ρ of std ∝ N^−ρ, z-score (must be > 4)", Want: 4, Got: -pow.z / pow.zErr, OK: -pow.z/pow.zErr > 4},
		{Name: "fit a + b/√N: distance of a from the band [−E0, −E∞] in σ_a (must be < 4)", Want: 4, Got: dist / lin.aErr, OK: dist/lin.aErr < 4},
	}
	if !o.Quick {
		res.Checks = append(res.Checks, Check{Name: "fit a + b/√N: |a − (−E∞)| (must be < 0.03)", Want: 0.03, Got: math.Abs(lin.a + einf), OK: math.Abs(lin.a+einf) < 0.03})
	}
	for k := 0; k+1 < len(rec.Compare); k += 2 {
		lb, gd := rec.Compare[k], rec.Compare[k+1]
		z := (gd.Mean - lb.Mean) / math.Hypot(gd.MeanErr, lb.MeanErr)
		res.Checks = append(res.Checks, Check{Name: fmt.Sprintf("N=%d: projected GD mean %.4f vs L-BFGS %.4f, |z| (must be < 4)", lb.N, gd.Mean, lb.Mean), Want: 4, Got: math.Abs(z), OK: math.Abs(z) < 4})
	}

	// Panels.
	hist := plot.Panel{
		Title: "Minima found by L-BFGS descents (spherical 3-spin)", XLabel: "e = H/N (ABC normalization, per spin)",
		YLabel: "density of end points", VLines: []float64{-e0, -einf}, LegendLeft: true,
	}
	lo, hi := -e0-0.05, -einf+0.05
	for _, s := range rec.Sizes {
		for _, e := range s.Energies {
			lo, hi = math.Min(lo, e), math.Max(hi, e)
		}
	}
	for i, s := range rec.Sizes {
		x, y := densitySteps(s.Energies, lo, hi, 40)
		hist.Curves = append(hist.Curves, plot.Curve{Name: fmt.Sprintf("N = %d (%d)", s.N, len(s.Energies)), X: x, Y: y, Color: plot.SeriesColor(i)})
	}
	cx := plot.Panel{
		Title: "Annealed complexity (ABC 2013)", XLabel: "u = H/N (ABC, per spin)", YLabel: "Θ(u) (log of the number, per spin)",
		VLines: []float64{-e0, -einf}, YRange: [2]float64{-0.06, 0.08}, LegendBottom: true,
	}
	names := []string{"Θ₀: minima", "Θ₁: index-1 saddles", "Θ₂: index-2 saddles"}
	for k := range 3 {
		cx.Curves = append(cx.Curves, plot.Curve{Name: names[k], F: func(u float64) float64 { return models.SphericalComplexity(p, k, u) }, XMin: -1.75, XMax: -1.5, Color: plot.SeriesColor(k)})
	}
	cx.Curves = append(cx.Curves, plot.Curve{Name: "all critical points", F: func(u float64) float64 { return models.SphericalComplexityTotal(p, u) }, XMin: -1.75, XMax: -1.5, Dashed: true},
		plot.Curve{Name: "", X: []float64{-1.75, -1.5}, Y: []float64{0, 0}, Color: color.Gray{Y: 0x99}})
	meanPanel := plot.Panel{
		Title: "Mean energy of the minima vs 1/√N", XLabel: "1/√N", YLabel: "mean e (per spin)", LegendLeft: true,
		XRange: [2]float64{0, 0.21}, YRange: [2]float64{-1.67, -1.36},
		Series: []plot.Series{{Name: "descents (± s.e.)", X: xs, Y: means, YErr: merrs}},
		Curves: []plot.Curve{
			{Name: fmt.Sprintf("fit a + b/√N, a = %.3f ± %.3f", lin.a, lin.aErr), F: func(x float64) float64 { return lin.a + lin.b*x }, XMin: 0, XMax: 0.21, Color: plot.SeriesColor(1)},
			{Name: fmt.Sprintf("alternative a + b N^−2/3, a = %.3f ± %.3f", lin23.a, lin23.aErr), F: func(x float64) float64 { return lin23.a + lin23.b*math.Pow(x, 4.0/3) }, XMin: 0, XMax: 0.21, Color: plot.SeriesColor(2), Dashed: true},
			{Name: "−E0 (ground state)", X: []float64{0, 0.21}, Y: []float64{-e0, -e0}, Dashed: true},
			{Name: "−E∞ (threshold)", X: []float64{0, 0.21}, Y: []float64{-einf, -einf}, Dashed: true, Color: color.Gray{Y: 0x80}},
		},
	}
	spread := plot.Panel{
		Title: "Spread of the minima", XLabel: "N", YLabel: "standard deviation of e", LogX: true, LogY: true, XTicks: ns,
		YRange: [2]float64{0.008, 0.15},
		Series: []plot.Series{{Name: "descents (± jackknife)", X: ns, Y: sds, YErr: sderrs}},
		Curves: []plot.Curve{{Name: fmt.Sprintf("fit ∝ N^−ρ, ρ = %.2f ± %.2f", -pow.z, pow.zErr), F: pow.at, XMin: ns[0], XMax: ns[len(ns)-1], Color: plot.SeriesColor(1)}},
	}
	res.Figure = &plot.Figure{
		Title:  "Minima of the spherical 3-spin from random starts (Choromanska et al. 2015, Fig. 1)",
		Panels: []plot.Panel{hist, cx, meanPanel, spread}, Cols: 2,
	}
	return res, nil
}

// densitySteps returns the outline of the normalized histogram of x over [lo, hi]
// with the given number of bins, as the corners of a step line.
func densitySteps(x []float64, lo, hi float64, bins int) (xs, ys []float64) {
	counts := make([]float64, bins)
	w := (hi - lo) / float64(bins)
	for _, v := range x {
		b := int((v - lo) / w)
		counts[min(max(b, 0), bins-1)]++
	}
	xs, ys = append(xs, lo), append(ys, 0)
	for b, c := range counts {
		d := c / (float64(len(x)) * w)
		xs = append(xs, lo+float64(b)*w, lo+float64(b+1)*w)
		ys = append(ys, d, d)
	}
	return append(xs, hi), append(ys, 0)
}

// lineFit is a weighted least-squares fit y = a + b x.
type lineFit struct {
	a, aErr, b, bErr float64
	// chi2 is χ² per degree of freedom (NaN with two points).
	chi2 float64
}

// fitLine fits y ± e = a + b x with weights 1/e². The errors are the fit's, scaled
// by √(χ²/dof) when that exceeds 1.
func fitLine(x, y, e []float64) lineFit {
	var sw, sx, sy, sxx, sxy float64
	for i := range x {
		w := 1 / (e[i] * e[i])
		sw, sx, sy, sxx, sxy = sw+w, sx+w*x[i], sy+w*y[i], sxx+w*x[i]*x[i], sxy+w*x[i]*y[i]
	}
	d := sw*sxx - sx*sx
	f := lineFit{b: (sw*sxy - sx*sy) / d, a: (sxx*sy - sx*sxy) / d}
	f.aErr, f.bErr = math.Sqrt(sxx/d), math.Sqrt(sw/d)
	f.chi2 = math.NaN()
	if dof := len(x) - 2; dof > 0 {
		var chi2 float64
		for i := range x {
			r := (y[i] - f.a - f.b*x[i]) / e[i]
			chi2 += r * r
		}
		f.chi2 = chi2 / float64(dof)
		s := math.Sqrt(math.Max(1, f.chi2))
		f.aErr *= s
		f.bErr *= s
	}
	return f
}

// jackknifeStd returns the standard deviation of x and its jackknife error over the
// groups (instances) given by group: each group is left out in turn.
func jackknifeStd(x []float64, group []int) (sd, err float64) {
	std := func(skip int) float64 {
		var n, s, ss float64
		for i, v := range x {
			if group[i] != skip {
				n++
				s += v
				ss += v * v
			}
		}
		m := s / n
		return math.Sqrt((ss - n*m*m) / (n - 1))
	}
	sd = std(-1)
	var ids []int
	seen := map[int]bool{}
	for _, g := range group {
		if !seen[g] {
			seen[g] = true
			ids = append(ids, g)
		}
	}
	k := float64(len(ids))
	if k < 2 {
		return sd, sd / math.Sqrt(2*float64(len(x)-1))
	}
	var vals []float64
	var mean float64
	for _, g := range ids {
		v := std(g)
		vals = append(vals, v)
		mean += v
	}
	mean /= k
	var v2 float64
	for _, v := range vals {
		v2 += (v - mean) * (v - mean)
	}
	return sd, math.Sqrt((k - 1) / k * v2)
}

// num returns x, or nil where x is NaN or infinite (a JSON null).
func num(x float64) *float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return nil
	}
	return &x
}
