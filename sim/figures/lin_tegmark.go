package figures

import (
	"context"
	"fmt"
	"math"

	"github.com/deepglass/deepglass/analysis/mi"
	"github.com/deepglass/deepglass/analysis/plot"
)

func linTegmark() Figure {
	return Figure{
		Name:  "lin-tegmark",
		Paper: "Lin & Tegmark, Critical behavior in physics and probabilistic formal languages, Entropy 19, 299 (2017), arXiv:1606.06737, Fig. 1",
		Description: "mutual information I(d) against distance: English text (King James Bible), digits of π and e (null), " +
			"a Markov chain and the binary tree grammar with their exact curves, 2D Ising spins at T_c and at T = 2.6",
		FullTime: "~2 min",
		Run:      runLinTegmark,
	}
}

// linTegmarkRecipe is the recipe of lin-tegmark, as recorded in NAME.json: the
// inputs in the order of the CSV's series column, and the fits behind the checks.
type linTegmarkRecipe struct {
	Mode   string            `json:"mode"`
	Method string            `json:"method"`
	Series []linTegmarkInput `json:"series"`
}

type linTegmarkInput struct {
	Spec   string         `json:"spec"`
	Source string         `json:"source"`
	DMax   int            `json:"dmax"`
	Fit    *mi.Comparison `json:"fit,omitempty"`
	OZ     *mi.Fit        `json:"ornstein_zernike,omitempty"`
	Exact  *float64       `json:"exact_exponent,omitempty"`
	XiOZ   *linTegmarkXi  `json:"xi,omitempty"`
	Window [2]int         `json:"fit_window"`
}

type linTegmarkXi struct {
	Fit   float64 `json:"fit"`
	Err   float64 `json:"err"`
	Exact float64 `json:"exact"`
}

func runLinTegmark(ctx context.Context, o Options) (*Result, error) {
	seed := o.seed()
	markovN, trees, isingN, kjvDMax := 1<<20, 16, 400, 1000
	if !o.Quick {
		markovN, trees, isingN, kjvDMax = 1<<22, 64, 2000, 4000
	}
	const isingL = 128
	markov := fmt.Sprintf("markov:P=0.9:0.07:0.03/0.05:0.9:0.05/0.02:0.08:0.9,n=%d", markovN)
	tree := fmt.Sprintf("tree:q=2,lambda=0.8,depth=16,n=%d", trees)
	specs := []struct {
		spec       string
		dmax       int
		win        [2]int
		label      string
		ising      bool
		null       bool
		prefactor1 bool
	}{
		{"corpus:kjv", kjvDMax, [2]int{30, 1000}, "English (King James Bible, characters)", false, false, false},
		{"corpus:pi", 1000, [2]int{}, "digits of π", false, true, false},
		{"corpus:e", 1000, [2]int{}, "digits of e", false, true, false},
		{markov, 30, [2]int{1, 30}, "Markov chain, 3 symbols", false, false, false},
		{tree, 512, [2]int{8, 512}, "tree grammar q = 2, λ = 0.8", false, false, false},
		{fmt.Sprintf("ising:L=%d,T=%.9g,n=%d", isingL, Tc, isingN), 32, [2]int{2, isingL / 8}, "2D Ising at T_c", true, false, false},
		{fmt.Sprintf("ising:L=%d,T=2.6,n=%d", isingL, isingN), 32, [2]int{3, 15}, "2D Ising at T = 2.6", true, false, true},
	}
	rec := &linTegmarkRecipe{Mode: mode(o), Method: mi.ShuffleJackknife.String()}
	res := &Result{Header: []string{"series", "d", "I_bits", "err", "exact"}, Config: rec}
	data := plot.Panel{Title: "symbol sequences", XLabel: "distance d (symbols)", YLabel: "I(d) (bits)", LogX: true, LogY: true,
		LegendBottom: true, LegendLeft: true, YRange: [2]float64{1e-6, 2}}
	null := plot.Panel{Title: "null: digits of π and e (linear scale)", XLabel: "distance d (digits)", YLabel: "I(d) (bits)", LogX: true,
		LegendBottom: true}
	spins := plot.Panel{Title: "2D Ising, L = 128: spins r apart along an axis", XLabel: "distance r (lattice spacings)", YLabel: "I(r) (bits)",
		LogX: true, LogY: true, LegendBottom: true, LegendLeft: true, YRange: [2]float64{1e-7, 1}}
	prog := o.newProgress(equalParts(len(specs))...)
	defer prog.finish()
	for k, s := range specs {
		prog.upTo(k) // the parts before this one are done

		in, err := ParseMIInput(ctx, s.spec, MIInputOptions{Unit: "char", Seed: seed})
		if err != nil {
			return nil, fmt.Errorf("lin-tegmark: %w", err)
		}
		r, err := in.Estimate(ctx, mi.Options{DMax: s.dmax, Method: mi.ShuffleJackknife})
		if err != nil {
			return nil, fmt.Errorf("lin-tegmark: %s: %w", s.spec, err)
		}
		entry := linTegmarkInput{Spec: s.spec, Source: in.Source, DMax: s.dmax, Window: s.win}
		x := make([]float64, len(r.D))
		for i, d := range r.D {
			x[i] = float64(d)
			ex := math.NaN()
			if in.Exact != nil {
				ex = in.Exact(d)
			}
			res.Rows = append(res.Rows, []float64{float64(k), x[i], r.I[i], r.Err[i], ex})
		}
		panel := &data
		switch {
		case s.ising:
			panel = &spins
		case s.null:
			panel = &null
		}
		col := plot.SeriesColor(len(panel.Series))
		panel.Series = append(panel.Series, plot.Series{Name: s.label, X: x, Y: r.I, YErr: r.Err})
		if in.Exact != nil {
			y := make([]float64, len(r.D))
			for i, d := range r.D {
				y[i] = in.Exact(d)
			}
			panel.Curves = append(panel.Curves, plot.Curve{Name: "exact, " + s.label, X: x, Y: y, Color: col})
		}
		switch {
		case s.null:
			worst := 0.0
			for i := range r.D {
				worst = max(worst, math.Abs(r.I[i]/r.Err[i]))
			}
			res.Checks = append(res.Checks, Check{Name: fmt.Sprintf("%s: max |I(d)|/σ over %d distances d ≤ %d (consistent with 0)", s.label, len(r.D), s.dmax),
				Want: 4, Got: worst, OK: worst < 4})
		case in.Exact != nil && s.spec == markov:
			worst := 0.0
			for i := range r.D {
				worst = max(worst, math.Abs(r.I[i]-in.Exact(r.D[i]))/r.Err[i])
			}
			res.Checks = append(res.Checks, Check{Name: "Markov chain: max |I(d) − exact|/σ over d = 1…30", Want: 4, Got: worst, OK: worst < 4})
		}
		if s.win[1] == 0 {
			rec.Series = append(rec.Series, entry)
			continue
		}
		c, err := mi.Compare(r, s.win[0], s.win[1])
		if err != nil {
			return nil, fmt.Errorf("lin-tegmark: %s: %w", s.spec, err)
		}
		entry.Fit = &c
		var fit mi.Fit // the curve drawn
		switch {
		case s.spec == tree:
			want := in.ExactExponent
			entry.Exact = &want
			res.Checks = append(res.Checks,
				Check{Name: fmt.Sprintf("tree grammar: power-law exponent over d = %d…%d (exact −4 log₂(1/λ))", s.win[0], s.win[1]),
					Want: want, Got: c.Power.Exponent, Err: c.Power.ExponentErr, OK: math.Abs(c.Power.Exponent-want) < 4*c.Power.ExponentErr},
				Check{Name: "tree grammar: ΔAIC(exponential − power) > 10", Want: 10, Got: c.DeltaAIC, OK: c.DeltaAIC > 10})
			fit = c.Power
		case s.spec == markov:
			res.Checks = append(res.Checks, Check{Name: "Markov chain: ΔAIC(exponential − power) < −10 over d = 1…30", Want: -10, Got: c.DeltaAIC, OK: c.DeltaAIC < -10})
			fit = c.Exponential
		case s.prefactor1:
			oz, err := mi.FitExponential(r, s.win[0], s.win[1], 1)
			if err != nil {
				return nil, fmt.Errorf("lin-tegmark: %s: %w", s.spec, err)
			}
			entry.OZ = &oz
			xi, xiErr := 2*oz.Length, 2*oz.LengthErr
			entry.XiOZ = &linTegmarkXi{xi, xiErr, in.ExactXi}
			res.Checks = append(res.Checks,
				Check{Name: fmt.Sprintf("Ising T = 2.6: ξ from I ∝ r⁻¹e^(−2r/ξ), r = %d…%d, within 10%% of exact", s.win[0], s.win[1]),
					Want: in.ExactXi, Got: xi, Err: xiErr, OK: math.Abs(xi/in.ExactXi-1) < 0.10},
				Check{Name: "Ising T = 2.6: ΔAIC(exponential − power) < −10", Want: -10, Got: c.DeltaAIC, OK: c.DeltaAIC < -10})
			fit = oz
		case s.ising:
			res.Checks = append(res.Checks, Check{Name: fmt.Sprintf("Ising T_c: power-law slope over r = %d…%d, |slope + 1/2| < 0.05", s.win[0], s.win[1]),
				Want: -0.5, Got: c.Power.Exponent, Err: c.Power.ExponentErr, OK: math.Abs(c.Power.Exponent+0.5) < 0.05})
			fit = c.Power
		default: // English
			res.Checks = append(res.Checks,
				Check{Name: fmt.Sprintf("English: power law over d = %d…%d preferred, ΔAIC > 10", s.win[0], s.win[1]), Want: 10, Got: c.DeltaAIC, OK: c.DeltaAIC > 10},
				Check{Name: "English: power-law exponent < 0 by more than 4σ", Want: 0, Got: c.Power.Exponent, Err: c.Power.ExponentErr,
					OK: c.Power.Exponent+4*c.Power.ExponentErr < 0})
			fit = c.Power
		}
		var fx, fy []float64
		for _, v := range x {
			if v >= float64(s.win[0]) && v <= float64(s.win[1]) {
				fx, fy = append(fx, v), append(fy, fit.Eval(v))
			}
		}
		panel.Curves = append(panel.Curves, plot.Curve{Name: "fit: " + shortFitName(fit), X: fx, Y: fy, Dashed: true, Color: col})
		rec.Series = append(rec.Series, entry)
	}
	null.Curves = append(null.Curves, plot.Curve{Name: "0", F: func(float64) float64 { return 0 }, Dashed: true})
	res.Figure = &plot.Figure{Title: "Mutual information against distance (Lin & Tegmark 2017)", Panels: []plot.Panel{data, null, spins},
		Cols: 3, Width: 19, Height: 6.5}
	return res, nil
}

func shortFitName(f mi.Fit) string {
	if f.Model == "power" {
		return fmt.Sprintf("d^%.3f", f.Exponent)
	}
	if f.Prefactor != 0 {
		return fmt.Sprintf("r^-%g e^(-r/%.3g)", f.Prefactor, f.Length)
	}
	return fmt.Sprintf("e^(-d/%.3g)", f.Length)
}
