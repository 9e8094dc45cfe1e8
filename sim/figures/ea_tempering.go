package figures

import (
	"context"
	"encoding/csv"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"

	"github.com/deepglass/deepglass/analysis/plot"
	"github.com/deepglass/deepglass/sim"
)

func eaTempering() Figure {
	return Figure{
		Name:        "ea-tempering",
		Paper:       "Hukushima & Nemoto, J. Phys. Soc. Jpn. 65, 1604 (1996); Edwards & Anderson, J. Phys. F 5, 965 (1975)",
		Description: "2D ±J Edwards–Anderson spin glass (L = 8) by parallel tempering: energy against the exact transfer matrix, swap acceptance and P(q)",
		FullTime:    "~20 s",
		Run:         runEATempering,
	}
}

// eaRecipe is the recipe of ea-tempering, as recorded in NAME.json.
type eaRecipe struct {
	Mode   string     `json:"mode"`
	Config sim.Config `json:"config"`
}

const eaL = 8

func runEATempering(ctx context.Context, o Options) (*Result, error) {
	// A geometric ladder of 12 temperatures in [0.5, 2.5].
	nt := 12
	ts := make([]float64, nt)
	for i := range ts {
		ts[i] = 0.5 * math.Pow(2.5/0.5, float64(i)/float64(nt-1))
	}
	therm, sweeps := 100000, 400000
	if o.Quick {
		therm, sweeps = 20000, 80000
	}
	c := sim.Config{
		Model: "ea", Lattice: fmt.Sprintf("square:%d", eaL), Bonds: "pm",
		T: sim.Temperatures(ts), Sampler: "pt", Replicas: 2, Samples: 1,
		Therm: therm, Sweeps: sweeps, Seed: o.seed(),
	}
	dir, err := os.MkdirTemp("", "deepglass-ea-tempering-")
	if err != nil {
		return nil, fmt.Errorf("ea-tempering: %w", err)
	}
	defer os.RemoveAll(dir)
	prog := o.newProgress(1)
	s, err := sim.Run(ctx, c, sim.Options{Out: dir, Threads: o.Threads, Progress: prog.run(0)})
	if err != nil {
		return nil, fmt.Errorf("ea-tempering: %w", err)
	}
	prog.set(0, 1)
	pq, err := readPQ(filepath.Join(dir, "pq.csv"))
	if err != nil {
		return nil, fmt.Errorf("ea-tempering: %w", err)
	}
	pts := s.Points
	res := &Result{
		Header: []string{"T", "energy", "energy_err", "energy_exact", "z", "swap_acceptance"},
		Config: &eaRecipe{Mode: mode(o), Config: c},
	}
	var T, e, ee, xT, xe, sT, sa []float64
	worstZ, minSwap := 0.0, math.Inf(1)
	for _, p := range pts {
		if p.Exact == nil || p.Exact.Source != "transfer matrix" {
			return nil, fmt.Errorf("ea-tempering: T = %g: no transfer-matrix exact value", p.T)
		}
		z := (p.Energy.Mean - p.Exact.Energy) / p.Energy.Err
		if math.IsNaN(z) || math.Abs(z) > worstZ {
			worstZ = math.Abs(z)
		}
		T, e, ee = append(T, p.T), append(e, p.Energy.Mean), append(ee, p.Energy.Err)
		xT, xe = append(xT, p.T), append(xe, p.Exact.Energy)
		swap := math.NaN()
		if p.SwapAcceptance != nil {
			swap = *p.SwapAcceptance
			sT, sa = append(sT, p.T), append(sa, swap)
			minSwap = math.Min(minSwap, swap)
		}
		res.Rows = append(res.Rows, []float64{p.T, p.Energy.Mean, p.Energy.Err, p.Exact.Energy, z, swap})
	}
	if len(sa) == 0 {
		return nil, fmt.Errorf("ea-tempering: no swap acceptances measured")
	}
	ePanel := plot.Panel{
		Title: fmt.Sprintf("Energy (±J EA, L = %d)", eaL), XLabel: "T (J/k_B)", YLabel: "e = E/N (J)",
		Series:     []plot.Series{{Name: "parallel tempering", X: T, Y: e, YErr: ee}},
		Curves:     []plot.Curve{{Name: "exact (transfer matrix)", X: xT, Y: xe}},
		LegendLeft: true,
	}
	sPanel := plot.Panel{
		Title: "Swap acceptance", XLabel: "T (J/k_B)", YLabel: "acceptance (T ↔ next colder)",
		Series: []plot.Series{{Name: "neighbouring pair", X: sT, Y: sa, Line: true}},
		YRange: [2]float64{0, 1}, LegendBottom: true,
	}
	// P(q) at the lowest and a middle temperature of the ladder.
	qPanel := plot.Panel{Title: "Overlap distribution", XLabel: "q", YLabel: "P(q) per bin"}
	for _, t := range []float64{T[0], T[len(T)/2]} {
		q, p := pqAt(pq, t)
		if len(q) == 0 {
			return nil, fmt.Errorf("ea-tempering: no P(q) at T = %g", t)
		}
		qPanel.Series = append(qPanel.Series, plot.Series{Name: fmt.Sprintf("T = %.3g", t), X: q, Y: p, Line: true})
	}
	hPanel, err := pqHeat(pq, T)
	if err != nil {
		return nil, fmt.Errorf("ea-tempering: %w", err)
	}
	res.Figure = &plot.Figure{
		Title:  fmt.Sprintf("2D ±J EA spin glass, L = %d, parallel tempering over %d temperatures (seed %d)", eaL, nt, o.seed()),
		Panels: []plot.Panel{ePanel, sPanel, qPanel, hPanel}, Cols: 2, Width: 11, Height: 8.4,
	}
	res.Checks = []Check{
		{Name: "worst |z| of e against transfer matrix", Want: 4, Got: worstZ, OK: worstZ <= 4},
		{Name: "min swap acceptance", Want: 0.1, Got: minSwap, OK: minSwap > 0.1},
	}
	return res, nil
}

// pqRow is one line of sim's pq.csv.
type pqRow struct{ T, q, p float64 }

func readPQ(path string) ([]pqRow, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	var rows []pqRow
	for i, r := range recs {
		if i == 0 {
			continue
		}
		if len(r) != 3 {
			return nil, fmt.Errorf("%s:%d: %d fields, want 3", path, i+1, len(r))
		}
		var v [3]float64
		for k := range v {
			if v[k], err = strconv.ParseFloat(r[k], 64); err != nil {
				return nil, fmt.Errorf("%s:%d: %w", path, i+1, err)
			}
		}
		rows = append(rows, pqRow{v[0], v[1], v[2]})
	}
	return rows, nil
}

// pqAt returns the P(q) bins at the temperature of rows closest to t.
func pqAt(rows []pqRow, t float64) (q, p []float64) {
	best := math.Inf(1)
	for _, r := range rows {
		best = math.Min(best, math.Abs(r.T-t))
	}
	for _, r := range rows {
		if math.Abs(r.T-t) == best {
			q, p = append(q, r.q), append(p, r.p)
		}
	}
	return q, p
}

// pqHeat returns a panel with P(q) at every temperature ts of the ladder as a heat
// map over the (q, T) plane.
func pqHeat(rows []pqRow, ts []float64) (plot.Panel, error) {
	h := &plot.HeatMap{Y: ts, Label: "P(q) per bin"}
	for _, t := range ts {
		q, p := pqAt(rows, t)
		if len(q) == 0 {
			return plot.Panel{}, fmt.Errorf("no P(q) at T = %g", t)
		}
		if h.X == nil {
			h.X = q
		} else if len(q) != len(h.X) {
			return plot.Panel{}, fmt.Errorf("P(q) at T = %g has %d bins, want %d", t, len(q), len(h.X))
		}
		h.Z = append(h.Z, p)
	}
	return plot.Panel{Title: "P(q) at every temperature", XLabel: "q", YLabel: "T (J/k_B)", Heat: h}, nil
}
