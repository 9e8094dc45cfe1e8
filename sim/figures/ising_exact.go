package figures

import (
	"context"
	"fmt"
	"image/color"
	"math"

	"github.com/deepglass/deepglass/analysis/plot"
	"github.com/deepglass/deepglass/models"
	"github.com/deepglass/deepglass/sim"
)

// Tc is the critical temperature of the 2D Ising model, 2/ln(1+√2) (Onsager 1944).
const Tc = 2.269185314213022

func isingExact() Figure {
	return Figure{
		Name:        "ising-exact",
		Paper:       "Kaufman, Phys. Rev. 76, 1232 (1949); Ferdinand & Fisher, Phys. Rev. 185, 832 (1969)",
		Description: "2D Ising e, c, |m|, U4 vs T for L = 8, 16, 32 (Wolff) against Kaufman's exact finite-L solution",
		FullTime:    "3 min",
		Run:         runIsingExact,
	}
}

// isingRecipe is the recipe of ising-exact and binder-crossing, as recorded in NAME.json.
type isingRecipe struct {
	Mode    string       `json:"mode"`
	Sizes   []int        `json:"sizes"`
	Configs []sim.Config `json:"configs"`
}

// runIsing runs the 2D Ising model with Wolff at the temperatures ts for every
// size, one sim run per size, and returns the points per size.
func runIsing(ctx context.Context, o Options, sizes []int, ts []float64, therm, sweeps func(L int) int, rec *isingRecipe) ([][]sim.Point, error) {
	var out [][]sim.Point
	costs := make([]float64, len(sizes))
	for i, L := range sizes {
		costs[i] = float64(L*L) * float64(therm(L)+sweeps(L))
	}
	prog := o.newProgress(costs...)
	for i, L := range sizes {
		c := sim.Config{
			Model:   "ising",
			Lattice: fmt.Sprintf("square:%d", L),
			T:       sim.Temperatures(ts),
			Sampler: "wolff",
			Therm:   therm(L),
			Sweeps:  sweeps(L),
			// One seed per size, derived from the figure's seed.
			Seed: o.seed()*1000 + uint64(i),
		}
		pts, err := run(ctx, c, o, prog.run(i))
		if err != nil {
			return nil, fmt.Errorf("size L = %d: %w", L, err)
		}
		prog.set(i, 1)
		rec.Configs = append(rec.Configs, c)
		out = append(out, pts)
	}
	return out, nil
}

func runIsingExact(ctx context.Context, o Options) (*Result, error) {
	sizes := []int{8, 16, 32}
	ts := append(linspace(1.5, 3.5, 21), Tc)
	therm := func(L int) int { return 2000 }
	sweeps := func(L int) int { return 100000 }
	if o.Quick {
		sizes = []int{8, 16}
		ts = append(linspace(1.6, 3.2, 9), Tc)
		sweeps = func(L int) int { return 20000 }
		therm = func(L int) int { return 500 }
	}
	rec := &isingRecipe{Mode: mode(o), Sizes: sizes}
	all, err := runIsing(ctx, o, sizes, ts, therm, sweeps, rec)
	if err != nil {
		return nil, fmt.Errorf("ising-exact: %w", err)
	}

	res := &Result{
		Header: []string{"L", "T", "e", "e_err", "e_exact", "c", "c_err", "c_exact", "abs_m", "abs_m_err", "u4", "u4_err"},
		Config: rec,
	}
	panels := []plot.Panel{
		{Title: "Energy", XLabel: "T (J/k_B)", YLabel: "e = E/N (J per spin)", LegendLeft: true},
		{Title: "Specific heat", XLabel: "T (J/k_B)", YLabel: "c = C/N (k_B per spin)"},
		{Title: "Magnetization", XLabel: "T (J/k_B)", YLabel: "<|m|> (per spin)"},
		{Title: "Binder cumulant", XLabel: "T (J/k_B)", YLabel: "U4 = 1 − <m⁴>/(3<m²>²)", LegendBottom: true, LegendLeft: true},
	}
	worstE, worstC := 0.0, 0.0
	var worstEAt, worstCAt string
	tmin, tmax := ts[0], ts[0]
	for _, t := range ts {
		tmin, tmax = math.Min(tmin, t), math.Max(tmax, t)
	}
	for i, L := range sizes {
		name := fmt.Sprintf("L = %d", L)
		var T, e, ee, c, ce, m, me, u, ue []float64
		for _, p := range all[i] {
			kt := models.Kaufman(L, L, 1/p.T)
			T = append(T, p.T)
			e, ee = append(e, p.Energy.Mean), append(ee, p.Energy.Err)
			c, ce = append(c, p.SpecificHeat.Mean), append(ce, p.SpecificHeat.Err)
			m, me = append(m, p.AbsMagnetization.Mean), append(me, p.AbsMagnetization.Err)
			u, ue = append(u, p.Binder.Mean), append(ue, p.Binder.Err)
			res.Rows = append(res.Rows, []float64{float64(L), p.T, p.Energy.Mean, p.Energy.Err, kt.E,
				p.SpecificHeat.Mean, p.SpecificHeat.Err, kt.C, p.AbsMagnetization.Mean, p.AbsMagnetization.Err,
				p.Binder.Mean, p.Binder.Err})
			if z := math.Abs(p.Energy.Mean-kt.E) / p.Energy.Err; !(z <= worstE) {
				worstE, worstEAt = z, fmt.Sprintf("L=%d T=%.4g", L, p.T)
			}
			if z := math.Abs(p.SpecificHeat.Mean-kt.C) / p.SpecificHeat.Err; !(z <= worstC) {
				worstC, worstCAt = z, fmt.Sprintf("L=%d T=%.4g", L, p.T)
			}
		}
		panels[0].Series = append(panels[0].Series, plot.Series{Name: name, X: T, Y: e, YErr: ee})
		panels[1].Series = append(panels[1].Series, plot.Series{Name: name, X: T, Y: c, YErr: ce})
		panels[2].Series = append(panels[2].Series, plot.Series{Name: name, X: T, Y: m, YErr: me, Line: true})
		panels[3].Series = append(panels[3].Series, plot.Series{Name: name, X: T, Y: u, YErr: ue, Line: true})
		col := plot.SeriesColor(i)
		panels[0].Curves = append(panels[0].Curves, plot.Curve{Name: "exact, " + name, F: func(t float64) float64 { return models.Kaufman(L, L, 1/t).E }, XMin: tmin, XMax: tmax, Color: col})
		panels[1].Curves = append(panels[1].Curves, plot.Curve{Name: "exact, " + name, F: func(t float64) float64 { return models.Kaufman(L, L, 1/t).C }, XMin: tmin, XMax: tmax, Color: col})
	}
	// Onsager–Yang spontaneous magnetization of the infinite lattice.
	panels[2].Curves = append(panels[2].Curves, plot.Curve{Name: "Onsager–Yang, L = ∞", F: onsagerM, XMin: tmin, XMax: Tc, Color: color.Black})
	for k := range panels {
		panels[k].VLines = []float64{Tc}
	}
	res.Figure = &plot.Figure{Title: "2D Ising model (Wolff) against the exact solution", Panels: panels, Cols: 2}
	res.Checks = []Check{
		{Name: "max |z| of e vs Kaufman (" + worstEAt + ")", Want: 4, Got: worstE, OK: worstE < 4},
		{Name: "max |z| of c vs Kaufman (" + worstCAt + ")", Want: 5, Got: worstC, OK: worstC < 5},
	}
	return res, nil
}

// onsagerM is the spontaneous magnetization (1 − sinh⁻⁴(2/T))^{1/8} below T_c (Yang 1952).
func onsagerM(t float64) float64 {
	if t >= Tc {
		return 0
	}
	return math.Pow(1-math.Pow(math.Sinh(2/t), -4), 0.125)
}

func mode(o Options) string {
	if o.Quick {
		return "quick"
	}
	return "full"
}
