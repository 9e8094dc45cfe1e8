package figures

import (
	"context"
	"fmt"
	"image/color"
	"math"

	"github.com/deepglass/deepglass/analysis/plot"
	"github.com/deepglass/deepglass/sim"
)

func skPhase() Figure {
	return Figure{
		Name:        "sk-phase-diagram",
		Paper:       "Sherrington & Kirkpatrick, PRL 35, 1792 (1975); Parisi, PRL 43, 1754 (1979)",
		Description: "SK model with ferromagnetic bias J0: paramagnet, ferromagnet and spin glass in the (J0/J, T/J) plane from m and q (pt)",
		FullTime:    "~15 min",
		Run:         runSKPhase,
	}
}

// skRecipe is the recipe of sk-phase-diagram, as recorded in NAME.json.
type skRecipe struct {
	Mode       string       `json:"mode"`
	Thresholds [2]float64   `json:"thresholds_m_q"`
	Configs    []sim.Config `json:"configs"`
}

// Phase thresholds on the disorder averages [⟨|m|⟩] and [⟨|q|⟩] of finite systems.
const (
	skMFerro = 0.5 // |m| above: ferromagnet
	skQGlass = 0.3 // |m| below skMFerro and |q| above: spin glass
)

func runSKPhase(ctx context.Context, o Options) (*Result, error) {
	j0s := []float64{0, 0.5, 0.8, 1.0, 1.2, 1.5, 2.0}
	ts := []float64{0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1, 1.25, 1.4, 1.6, 1.8}
	n, samples, therm, sweeps := 128, 16, 4000, 8000
	if o.Quick {
		j0s = []float64{0, 0.5, 1.0, 1.5, 2.0}
		ts = []float64{0.4, 0.5, 0.62, 0.76, 0.93, 1.14, 1.4, 1.8}
		n, samples, therm, sweeps = 64, 6, 1500, 3000
	}
	rec := &skRecipe{Mode: mode(o), Thresholds: [2]float64{skMFerro, skQGlass}}
	res := &Result{Header: []string{"J0", "T", "abs_m", "abs_m_err", "abs_q", "abs_q_err", "q2", "q2_err"}, Config: rec}
	mPanel := plot.Panel{Title: fmt.Sprintf("Magnetization (N = %d)", n), XLabel: "T (J)", YLabel: "[<|m|>]", VLines: []float64{1}}
	qPanel := plot.Panel{Title: fmt.Sprintf("Overlap (N = %d)", n), XLabel: "T (J)", YLabel: "[<|q|>]", VLines: []float64{1}}
	var fm, sg, pm [2][]float64 // phase-diagram points (J0, T) per phase
	look := map[[2]float64]sim.Point{}
	var qs [][]float64 // [<|q|>] per J0, at the temperatures tq
	var tq []float64
	prog := o.newProgress(equalParts(len(j0s))...)
	for i, j0 := range j0s {
		c := sim.Config{
			Model: "sk", N: n, Bonds: "gauss", J0: j0,
			T: sim.Temperatures(ts), Sampler: "pt", Replicas: 2, Samples: samples,
			Therm: therm, Sweeps: sweeps, Seed: o.seed()*1000 + uint64(i),
		}
		pts, err := run(ctx, c, o, prog.run(i))
		if err != nil {
			return nil, fmt.Errorf("sk-phase-diagram: J0 = %g: %w", j0, err)
		}
		prog.set(i, 1)
		rec.Configs = append(rec.Configs, c)
		var T, m, me, q, qe []float64
		for _, p := range pts {
			if p.AbsQ == nil || p.Q2 == nil {
				return nil, fmt.Errorf("sk-phase-diagram: J0 = %g, T = %g: no overlaps measured", j0, p.T)
			}
			look[[2]float64{j0, p.T}] = p
			T = append(T, p.T)
			m, me = append(m, p.AbsMagnetization.Mean), append(me, p.AbsMagnetization.Err)
			q, qe = append(q, p.AbsQ.Mean), append(qe, p.AbsQ.Err)
			res.Rows = append(res.Rows, []float64{j0, p.T, p.AbsMagnetization.Mean, p.AbsMagnetization.Err,
				p.AbsQ.Mean, p.AbsQ.Err, p.Q2.Mean, p.Q2.Err})
			ph := &pm
			switch {
			case p.AbsMagnetization.Mean > skMFerro:
				ph = &fm
			case p.AbsQ.Mean > skQGlass:
				ph = &sg
			}
			ph[0], ph[1] = append(ph[0], j0), append(ph[1], p.T)
		}
		qs, tq = append(qs, q), T
		name := fmt.Sprintf("J0 = %g", j0)
		mPanel.Series = append(mPanel.Series, plot.Series{Name: name, X: T, Y: m, YErr: me, Line: true})
		qPanel.Series = append(qPanel.Series, plot.Series{Name: name, X: T, Y: q, YErr: qe, Line: true})
	}
	tmax := ts[len(ts)-1]
	jmax := j0s[len(j0s)-1]
	phase := plot.Panel{
		Title: "Phase diagram", XLabel: "J0 / J", YLabel: "T / J",
		Series: []plot.Series{
			{Name: fmt.Sprintf("ferromagnet (|m| > %g)", skMFerro), X: fm[0], Y: fm[1]},
			{Name: fmt.Sprintf("spin glass (|q| > %g)", skQGlass), X: sg[0], Y: sg[1]},
			{Name: "paramagnet", X: pm[0], Y: pm[1]},
		},
		Curves: []plot.Curve{
			{Name: "T = J (PM–SG)", X: []float64{0, 1}, Y: []float64{1, 1}, Color: color.Black},
			{Name: "T = J0 (PM–FM)", X: []float64{1, math.Min(jmax, tmax+0.1)}, Y: []float64{1, math.Min(jmax, tmax+0.1)}, Color: color.Black, Dashed: true},
			{Name: "J0 = J (SG–FM, Parisi)", X: []float64{1, 1}, Y: []float64{0, 1}, Color: color.Gray{0x70}, Dashed: true},
		},
		XRange: [2]float64{-0.1, jmax + 0.1}, YRange: [2]float64{0, tmax + 1.1}, // room for the legend
		LegendLeft: true,
	}
	// [<|q|>] over the (J0, T) plane: it orders below T = max(J, J0), spin glass and
	// ferromagnet alike.
	heat := &plot.HeatMap{X: j0s, Y: tq, Label: "[<|q|>]"}
	for i := range tq {
		row := make([]float64, len(j0s))
		for k := range j0s {
			row[k] = qs[k][i]
		}
		heat.Z = append(heat.Z, row)
	}
	white := color.White
	hPanel := plot.Panel{
		Title: fmt.Sprintf("Overlap in the (J0, T) plane (N = %d)", n), XLabel: "J0 / J", YLabel: "T / J", Heat: heat,
		Curves: []plot.Curve{
			{X: []float64{j0s[0], 1}, Y: []float64{1, 1}, Color: white},
			{X: []float64{1, math.Min(jmax, tmax)}, Y: []float64{1, math.Min(jmax, tmax)}, Color: white, Dashed: true},
			{X: []float64{1, 1}, Y: []float64{ts[0], 1}, Color: white, Dashed: true},
		},
	}
	res.Figure = &plot.Figure{
		Title:  "Sherrington–Kirkpatrick model with ferromagnetic bias J0 (parallel tempering, Gaussian couplings)",
		Panels: []plot.Panel{mPanel, qPanel, phase, hPanel}, Cols: 2, Width: 11, Height: 8.4,
	}

	at := func(j0, t float64) sim.Point {
		best, bd := sim.Point{}, math.Inf(1)
		for k, p := range look {
			if d := math.Abs(k[0]-j0) + math.Abs(k[1]-t); d < bd {
				best, bd = p, d
			}
		}
		return best
	}
	ferro := at(1.5, 0.5)
	glass := at(0, 0.4)
	hot := at(0, 1.8)
	hot1 := at(1, 1.8)
	res.Checks = []Check{
		{Name: fmt.Sprintf("|m| > 0.5 at J0=1.5, T=%.3g (ferromagnet)", ferro.T), Want: 0.5, Got: ferro.AbsMagnetization.Mean, Err: ferro.AbsMagnetization.Err, OK: ferro.AbsMagnetization.Mean > 0.5},
		{Name: fmt.Sprintf("|m| < 0.3 at J0=0, T=%.3g (spin glass)", glass.T), Want: 0.3, Got: glass.AbsMagnetization.Mean, Err: glass.AbsMagnetization.Err, OK: glass.AbsMagnetization.Mean < 0.3},
		{Name: fmt.Sprintf("|q| > 0.3 at J0=0, T=%.3g (spin glass)", glass.T), Want: 0.3, Got: glass.AbsQ.Mean, Err: glass.AbsQ.Err, OK: glass.AbsQ.Mean > 0.3},
		{Name: fmt.Sprintf("|q| < 0.2 at J0=0, T=%.3g (paramagnet)", hot.T), Want: 0.2, Got: hot.AbsQ.Mean, Err: hot.AbsQ.Err, OK: hot.AbsQ.Mean < 0.2},
		{Name: fmt.Sprintf("|q| < 0.2 at J0=1, T=%.3g (paramagnet)", hot1.T), Want: 0.2, Got: hot1.AbsQ.Mean, Err: hot1.AbsQ.Err, OK: hot1.AbsQ.Mean < 0.2},
	}
	return res, nil
}
