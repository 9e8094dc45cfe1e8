package figures

import (
	"context"
	"fmt"
	"math"

	"github.com/deepglass/deepglass/analysis"
	"github.com/deepglass/deepglass/analysis/plot"
	"github.com/deepglass/deepglass/models"
	"github.com/deepglass/deepglass/rg"
)

// Exact 2D Ising RG eigenvalue exponents: y_T = 1/ν = 1, y_H = 15/8 (docs/references/ising2d.md §1).
const (
	exactYT = 1.0
	exactYH = 15.0 / 8
)

// docs/references/rg.md §4's test window for MCRG on the 64² lattice at K_c, 3 even
// couplings, level 32→16.
const (
	ytLo, ytHi = 0.95, 1.02
	yhLo, yhHi = 1.865, 1.890
)

func mcrgExponents() Figure {
	return Figure{
		Name:        "mcrg-exponents",
		Paper:       "Swendsen, PRL 42, 859 (1979); docs/references/rg.md §4",
		Description: "Monte Carlo RG of the 2D Ising model at K_c (L = 64, b = 2 majority): y_T and y_H per level and number of couplings",
		FullTime:    "1.5 min",
		Run:         runMCRGExponents,
	}
}

type mcrgRecipe struct {
	Mode     string  `json:"mode"`
	Settings rg.MCRG `json:"settings"`
}

func runMCRGExponents(ctx context.Context, o Options) (*Result, error) {
	m := rg.MCRG{Lattice: models.Square(64), Beta: 1 / Tc, B: 2, Rule: rg.Majority, Levels: 4, Couplings: 3,
		OddCouplings: 1, Measurements: 100000, Threads: o.Threads, Seed: o.seed()}
	if o.Quick {
		m.Levels, m.Measurements = 3, 10000
	}
	m.Defaults()
	m.Progress = o.newProgress(1).run(0)
	r, err := m.Run(ctx)
	if err != nil {
		return nil, fmt.Errorf("mcrg-exponents: %w", err)
	}
	res := &Result{Header: []string{"level", "from", "to", "odd", "couplings", "y", "y_err"},
		Config: mcrgRecipe{Mode: mode(o), Settings: m}}
	levels := make([]float64, len(r.Levels))
	ticks := make([]float64, len(r.Levels))
	for n, l := range r.Levels {
		levels[n], ticks[n] = float64(n+1), float64(n+1)
		for k, e := range l.YTByCouplings {
			res.Rows = append(res.Rows, []float64{float64(n + 1), float64(l.From), float64(l.To), 0, float64(k + 1), e.Mean, e.Err})
		}
		for k, e := range l.YHByCouplings {
			res.Rows = append(res.Rows, []float64{float64(n + 1), float64(l.From), float64(l.To), 1, float64(k + 1), e.Mean, e.Err})
		}
	}
	panel := func(title, ylabel string, names []string, exact float64, exactName string, bottom bool, get func(l rg.MCRGLevel) []struct{ m, e float64 }) plot.Panel {
		p := plot.Panel{Title: title, XLabel: fmt.Sprintf("blocking level n (%d/2^(n−1) → %d/2^n)", m.Lattice.L, m.Lattice.L), YLabel: ylabel,
			XTicks: ticks, XRange: [2]float64{0.6, float64(len(levels)) + 0.4}, LegendBottom: bottom}
		for k := range names {
			name := names[0]
			if k > 0 {
				name = fmt.Sprintf("+ %s (%d couplings)", names[k], k+1)
			}
			s := plot.Series{Name: name, Line: true}
			for n, l := range r.Levels {
				v := get(l)[k]
				s.X = append(s.X, levels[n]+0.05*(float64(k)-float64(len(names)-1)/2))
				s.Y, s.YErr = append(s.Y, v.m), append(s.YErr, v.e)
			}
			p.Series = append(p.Series, s)
		}
		p.Curves = []plot.Curve{{Name: exactName, X: []float64{0.6, float64(len(levels)) + 0.4}, Y: []float64{exact, exact}, Dashed: true}}
		return p
	}
	pairs := func(es []analysis.Estimate) []struct{ m, e float64 } {
		out := make([]struct{ m, e float64 }, len(es))
		for i, e := range es {
			out[i].m, out[i].e = e.Mean, e.Err
		}
		return out
	}
	res.Figure = &plot.Figure{
		Title: fmt.Sprintf("Monte Carlo RG, 2D Ising at K_c, L = %d, b = 2 majority rule, %d measurements", m.Lattice.L, m.Measurements),
		Panels: []plot.Panel{
			panel("Thermal exponent (even couplings)", "y_T = ln λ_T / ln 2", r.Even, exactYT, "exact y_T = 1/ν = 1", true,
				func(l rg.MCRGLevel) []struct{ m, e float64 } { return pairs(l.YTByCouplings) }),
			panel("Magnetic exponent (odd couplings)", "y_H = ln λ_H / ln 2", r.Odd, exactYH, "exact y_H = 15/8", false,
				func(l rg.MCRGLevel) []struct{ m, e float64 } { return pairs(l.YHByCouplings) }),
		},
		Cols: 2,
	}
	lv := r.Levels[1] // 32→16, docs/references/rg.md §4's level
	lo, hi := ytLo, ytHi
	hlo, hhi := yhLo, yhHi
	window := "rg.md §4 window"
	if o.Quick {
		// A tenth of the measurements: widen the window by 4 standard errors of the
		// measured exponent.
		lo, hi = lo-4*lv.YT.Err, hi+4*lv.YT.Err
		hlo, hhi = hlo-4*lv.YH.Err, hhi+4*lv.YH.Err
		window += " ± 4σ"
	}
	res.Checks = []Check{
		{Name: fmt.Sprintf("y_T (3 even couplings, %d→%d) in [%.3f, %.3f] (%s)", lv.From, lv.To, lo, hi, window),
			Want: exactYT, Got: lv.YT.Mean, Err: lv.YT.Err, OK: lv.YT.Mean >= lo && lv.YT.Mean <= hi},
		{Name: fmt.Sprintf("y_H (magnetization, %d→%d) in [%.4f, %.4f] (%s)", lv.From, lv.To, hlo, hhi, window),
			Want: exactYH, Got: lv.YH.Mean, Err: lv.YH.Err, OK: lv.YH.Mean >= hlo && lv.YH.Mean <= hhi},
	}
	if !o.Quick {
		// Truncation: one even coupling misses much of the thermal eigenvalue (docs/references/rg.md
		// §4, observation (i)); adding the diagonal coupling must raise y_T by more than
		// 4σ (σ from the two errors added in quadrature, which ignores their positive
		// correlation and so overstates σ).
		d := lv.YTByCouplings[1].Mean - lv.YTByCouplings[0].Mean
		de := math.Hypot(lv.YTByCouplings[1].Err, lv.YTByCouplings[0].Err)
		res.Checks = append(res.Checks, Check{Name: fmt.Sprintf("y_T(2) − y_T(1) at %d→%d > 4σ (truncation effect)", lv.From, lv.To),
			Want: 4 * de, Got: d, OK: d > 4*de})
	}
	return res, nil
}

// U4 bounds at T_c (docs/references/ising2d.md §6 and §4): U* = 0.61069 for L → ∞ and the
// exact U4 = 0.617199 of the 4×4 torus; the unblocked model of side ≥ 4 lies between.
const u4Side4 = 0.617199

func blockSpinFlow() Figure {
	return Figure{
		Name:        "block-spin-flow",
		Paper:       "Kadanoff, Physics 2, 263 (1966); Binder, Z. Phys. B 43, 119 (1981); docs/references/ising2d.md §4, §6",
		Description: "2D Ising block spins (b = 2 majority) at T = 2, T_c, 3: U4, |m| and nn energy per level flow to order, stay at the fixed point, flow to disorder",
		FullTime:    "40 s",
		Run:         runBlockSpinFlow,
	}
}

type flowRecipe struct {
	Mode     string       `json:"mode"`
	Settings rg.BlockFlow `json:"settings"`
}

func runBlockSpinFlow(ctx context.Context, o Options) (*Result, error) {
	ts := []float64{2.0, Tc, 3.0}
	f := rg.BlockFlow{Lattice: models.Square(64), Betas: []float64{1 / ts[0], 1 / ts[1], 1 / ts[2]}, B: 2, Rule: rg.Majority,
		Levels: 4, Measurements: 20000, Threads: o.Threads, Seed: o.seed()}
	if o.Quick {
		f.Lattice, f.Levels, f.Measurements = models.Square(32), 3, 4000
	}
	f.Defaults()
	f.Progress = o.newProgress(1).run(0)
	r, err := f.Run(ctx)
	if err != nil {
		return nil, fmt.Errorf("block-spin-flow: %w", err)
	}
	nl := f.Levels + 1
	pt := func(i, l int) rg.FlowPoint { return r.Points[i*nl+l] }
	res := &Result{Header: []string{"T", "level", "L", "u4", "u4_err", "abs_m", "abs_m_err", "e", "e_err"},
		Config: flowRecipe{Mode: mode(o), Settings: f}}
	xl := fmt.Sprintf("blocking level (side %d/2^level)", f.Lattice.L)
	var ticks []float64
	for l := range nl {
		ticks = append(ticks, float64(l))
	}
	xr := [2]float64{-0.3, float64(f.Levels) + 0.3}
	panels := []plot.Panel{
		{Title: "Binder cumulant of the block spins", XLabel: xl, YLabel: "U4 = 1 − <m⁴>/(3<m²>²)", XTicks: ticks, XRange: xr,
			YRange: [2]float64{-0.5, 0.72}, LegendBottom: true, LegendLeft: true},
		{Title: "Block-spin magnetization", XLabel: xl, YLabel: "<|m|>", XTicks: ticks, XRange: xr, YRange: [2]float64{0, 1.3}},
		{Title: "Nearest-neighbour energy of the block spins", XLabel: xl, YLabel: "−<Σ s_i s_j>/N (per spin)", XTicks: ticks, XRange: xr,
			YRange: [2]float64{-2.05, 0.6}, LegendLeft: true},
	}
	for i, t := range ts {
		name := fmt.Sprintf("T = %g", t)
		if t == Tc {
			name = "T = T_c"
		}
		var s [3]plot.Series
		for k := range s {
			s[k] = plot.Series{Name: name, Line: true}
		}
		for l := range nl {
			p := pt(i, l)
			res.Rows = append(res.Rows, []float64{t, float64(l), float64(p.L), p.Binder.Mean, p.Binder.Err,
				p.AbsMagnetization.Mean, p.AbsMagnetization.Err, p.Energy.Mean, p.Energy.Err})
			for k, e := range []analysis.Estimate{p.Binder, p.AbsMagnetization, p.Energy} {
				s[k].X, s[k].Y, s[k].YErr = append(s[k].X, float64(l)), append(s[k].Y, e.Mean), append(s[k].YErr, e.Err)
			}
		}
		for k := range panels {
			panels[k].Series = append(panels[k].Series, s[k])
		}
	}
	panels[0].Curves = []plot.Curve{
		{Name: "U* = 0.6107 (L → ∞)", X: []float64{xr[0], xr[1]}, Y: []float64{UStar, UStar}, Dashed: true},
		{Name: "ordered: 2/3", X: []float64{xr[0], xr[1]}, Y: []float64{2.0 / 3, 2.0 / 3}, Dashed: true, Color: plot.SeriesColor(0)},
	}
	res.Figure = &plot.Figure{Title: fmt.Sprintf("Block-spin flow of the 2D Ising model (L = %d, b = 2 majority rule, Wolff)", f.Lattice.L),
		Panels: panels, Cols: 3}

	for i, t := range ts {
		p := pt(i, 0)
		exact := models.Kaufman(f.Lattice.L, f.Lattice.L, 1/t).E
		z := (p.Energy.Mean - exact) / p.Energy.Err
		res.Checks = append(res.Checks, Check{Name: fmt.Sprintf("e(T=%.4g, level 0) = Kaufman (|z| < 4)", t),
			Want: exact, Got: p.Energy.Mean, Err: p.Energy.Err, OK: math.Abs(z) < 4})
	}
	sep := func(a, b analysis.Estimate) float64 { return (a.Mean - b.Mean) / math.Hypot(a.Err, b.Err) }
	inBand, separated, ordering, disordering := true, true, true, true
	worstBand, worstSep := 0.0, math.Inf(1)
	for l := range nl {
		lo, c, hi := pt(0, l), pt(1, l), pt(2, l)
		u := c.Binder
		if u.Mean < UStar-4*u.Err || u.Mean > u4Side4+4*u.Err {
			inBand = false
		}
		worstBand = max(worstBand, math.Abs(u.Mean-UStar))
		s := min(sep(lo.Binder, c.Binder), sep(c.Binder, hi.Binder))
		worstSep = min(worstSep, s)
		separated = separated && s > 4
		if l > 0 {
			ordering = ordering && lo.AbsMagnetization.Mean > pt(0, l-1).AbsMagnetization.Mean && lo.Energy.Mean < pt(0, l-1).Energy.Mean
			disordering = disordering && hi.Energy.Mean > pt(2, l-1).Energy.Mean
		}
	}
	last := f.Levels
	res.Checks = append(res.Checks,
		Check{Name: fmt.Sprintf("U4(T_c) at every level in [U*, U4(L=4)] = [%.5f, %.6f] ± 4σ (largest |U4 − U*| shown)", UStar, u4Side4),
			Want: UStar, Got: UStar + worstBand, OK: inBand},
		Check{Name: "U4 separated from T_c's by > 4σ at every level, T = 2 above, T = 3 below (smallest z)",
			Want: 4, Got: worstSep, OK: separated},
		Check{Name: "T = 2: |m| rises and e falls at every blocking (toward order; |m| at the last level shown)",
			Want: 1, Got: pt(0, last).AbsMagnetization.Mean, OK: ordering},
		Check{Name: "T = 3: e rises toward 0 at every blocking (toward disorder; e at the last level shown)",
			Want: 0, Got: pt(2, last).Energy.Mean, OK: disordering},
	)
	return res, nil
}
