package figures

import (
	"context"
	"fmt"
	"image/color"
	"math"
	"sync/atomic"

	"github.com/deepglass/deepglass/analysis/plot"
	"github.com/deepglass/deepglass/internal/pool"
	"github.com/deepglass/deepglass/nets/meanfield"
)

// The references of the chaos figures are in docs/references/chaos.md.

// pooleBoundary is the tanh boundary χ₁ = 1 (σ_b², σ_w²) of docs/references/chaos.md §4
// (trapezoid rule on z ∈ [−9, 9], dz = 0.03; 5–6 digits).
var pooleBoundary = [][2]float64{{0, 1}, {0.001, 1.18919}, {0.01, 1.42421}, {0.02, 1.54419}, {0.05, 1.76095}, {0.1, 1.98607},
	{0.2, 2.28515}, {0.3, 2.50513}, {0.5, 2.84317}, {1, 3.44321}, {2, 4.26640}}

// schoenholzTable is docs/references/chaos.md §5: tanh, σ_b² = 0.05, rows σ_w², ξ_c, ξ_q.
var schoenholzTable = [][3]float64{{1.0, 3.627, 1.748}, {1.5, 15.79, 1.683}, {2.0, 25.21, 1.388}, {3.0, 9.05, 1.041}}

func poolePhaseDiagram() Figure {
	return Figure{
		Name:        "poole-phase-diagram",
		Paper:       "Poole et al., NIPS 2016 (arXiv 1606.05340) Fig. 2; Schoenholz et al., ICLR 2017 (arXiv 1611.01232) Figs. 1–2",
		Description: "tanh nets: order–chaos boundary χ₁ = 1 in (σ_w², σ_b²) over a heat map of ξ_c; ξ_c and ξ_q at σ_b² = 0.05; ReLU's boundary σ_w² = 2",
		FullTime:    "1.5 min",
		Run:         runPoolePhaseDiagram,
	}
}

// chaosRecipe is the recipe of the chaos figures, as recorded in NAME.json.
type chaosRecipe struct {
	Mode       string    `json:"mode"`
	Phi        string    `json:"phi"`
	SW2        []float64 `json:"sw2,omitempty"`
	SB2        []float64 `json:"sb2,omitempty"`
	Quadrature string    `json:"quadrature"`
	Width      int       `json:"width,omitempty"`
	Nets       int       `json:"nets,omitempty"`
	XiNets     int       `json:"xi_nets,omitempty"`
	Depth      int       `json:"depth,omitempty"`
	Circle     string    `json:"circle,omitempty"`
	Seed       uint64    `json:"seed,omitempty"`
}

// parallel runs f(i) for i = 0 … n−1 on threads goroutines (0: GOMAXPROCS) and
// returns ctx.Err() if it was cancelled (internal/pool).
func parallel(ctx context.Context, n, threads int, f func(i int)) error {
	return pool.Each(ctx, n, threads, func(_ context.Context, i, _ int) error {
		f(i)
		return nil
	})
}

func runPoolePhaseDiagram(ctx context.Context, o Options) (*Result, error) {
	nw, nb := 49, 26
	if o.Quick {
		nw, nb = 21, 11
	}
	sw2 := linspace(0.5, 4.5, nw)
	sb2 := linspace(0, 0.5, nb)
	// The heat map needs colours, not 12 digits: tolerance 1e-10. The checks use the
	// default 1e-12.
	hq := meanfield.Quad{Tol: 1e-10}
	rec := &chaosRecipe{Mode: mode(o), Phi: "tanh", SW2: sw2, SB2: sb2, Quadrature: hq.String()}
	res := &Result{Header: []string{"sw2", "sb2", "q_star", "c_star", "chi1", "chi_c", "xi_q", "xi_c"}, Config: rec}
	tanh := meanfield.Tanh()
	pts := make([]meanfield.Point, nw*nb)
	errs := make([]error, nw*nb)
	prog := o.newProgress(float64(nw*nb), 1)
	var done atomic.Int64
	if err := parallel(ctx, nw*nb, o.Threads, func(i int) {
		pts[i], errs[i] = meanfield.Net{Phi: tanh, SW2: sw2[i%nw], SB2: sb2[i/nw], Quad: hq}.Analyze()
		prog.set(0, float64(done.Add(1))/float64(nw*nb))
	}); err != nil {
		return nil, err
	}
	z := make([][]float64, nb)
	for j := range z {
		z[j] = make([]float64, nw)
		for i := range z[j] {
			p := pts[j*nw+i]
			if errs[j*nw+i] != nil {
				return nil, fmt.Errorf("poole-phase-diagram: %w", errs[j*nw+i])
			}
			z[j][i] = math.Log10(math.Min(p.XiC, 1e3))
			res.Rows = append(res.Rows, []float64{p.SW2, p.SB2, p.QStar, p.CStar, p.Chi1, p.ChiC, p.XiQ, p.XiC})
		}
	}
	// The boundary by root finding, on a fine σ_b² grid.
	var bx, by []float64
	for _, b := range linspace(0, 0.5, 41) {
		w, err := meanfield.Boundary(tanh, b, meanfield.Quad{})
		if err != nil {
			return nil, fmt.Errorf("poole-phase-diagram: %w", err)
		}
		bx, by = append(bx, w), append(by, b)
	}
	var tx, ty []float64
	for _, r := range pooleBoundary {
		if r[0] <= 0.5 {
			tx, ty = append(tx, r[1]), append(ty, r[0])
		}
	}
	heat := plot.Panel{Title: "tanh: ξ_c; boundary χ₁ = 1", XLabel: "σ_w²", YLabel: "σ_b²",
		Heat:   &plot.HeatMap{Z: z, X: sw2, Y: sb2, Min: 0, Max: 2.5, Label: "log₁₀ ξ_c (layers)"},
		Curves: []plot.Curve{{Name: "χ₁ = 1 (root finding)", X: bx, Y: by, Color: color.White}},
		Series: []plot.Series{{Name: "Poole et al. (table)", X: tx, Y: ty}}, LegendLeft: true}

	// Depth scales at σ_b² = 0.05, and the table of Schoenholz et al.
	cut := linspace(0.8, 4, 65)
	if o.Quick {
		cut = linspace(0.8, 4, 25)
	}
	b005, err := meanfield.Boundary(tanh, 0.05, meanfield.Quad{})
	if err != nil {
		return nil, err
	}
	cut = append(cut, b005-0.02, b005-0.005, b005+0.005, b005+0.02)
	sortFloats(cut)
	xc, xq := make([]float64, len(cut)), make([]float64, len(cut))
	if err := parallel(ctx, len(cut), o.Threads, func(i int) {
		p, err := meanfield.Net{Phi: tanh, SW2: cut[i], SB2: 0.05}.Analyze()
		if err != nil {
			xc[i], xq[i] = math.NaN(), math.NaN()
			return
		}
		xc[i], xq[i] = p.XiC, p.XiQ
	}); err != nil {
		return nil, err
	}
	var sx, sc, sq []float64
	worstTable := 0.0
	for _, r := range schoenholzTable {
		p, err := meanfield.Net{Phi: tanh, SW2: r[0], SB2: 0.05}.Analyze()
		if err != nil {
			return nil, err
		}
		sx, sc, sq = append(sx, r[0]), append(sc, r[1]), append(sq, r[2])
		worstTable = math.Max(worstTable, math.Max(math.Abs(p.XiC/r[1]-1), math.Abs(p.XiQ/r[2]-1)))
	}
	depth := plot.Panel{Title: "depth scales, tanh, σ_b² = 0.05", XLabel: "σ_w²", YLabel: "ξ (layers)", LogY: true,
		YRange: [2]float64{0.5, 300}, VLines: []float64{b005},
		Curves: []plot.Curve{{Name: "ξ_c = −1/ln χ_c", X: cut, Y: xc}, {Name: "ξ_q", X: cut, Y: xq, Dashed: true}},
		Series: []plot.Series{{Name: "ξ_c, Schoenholz et al. (table)", X: sx, Y: sc}, {Name: "ξ_q (table)", X: sx, Y: sq}}}

	// ReLU: χ₁ = σ_w²/2 whatever σ_b²: the boundary is σ_w² = 2.
	relu := meanfield.ReLU()
	reluWorst := 0.0
	for _, b := range []float64{0, 0.01, 0.05, 0.1, 0.3, 0.5, 1, 2} {
		p, err := meanfield.Net{Phi: relu, SW2: 2, SB2: b}.Analyze()
		if err != nil {
			return nil, err
		}
		reluWorst = math.Max(reluWorst, math.Abs(p.Chi1-1))
		w, err := meanfield.Boundary(relu, b, meanfield.Quad{})
		if err != nil {
			return nil, err
		}
		reluWorst = math.Max(reluWorst, math.Abs(w-2))
	}
	chiPanel := plot.Panel{Title: "χ₁ at q*: tanh and ReLU", XLabel: "σ_w²", YLabel: "χ₁", LegendLeft: true, VLines: []float64{2}}
	for k, b := range []float64{0.05, 0.3} {
		var x, y, yr []float64
		for _, w := range linspace(0.5, 4.5, 33) {
			p, err := meanfield.Net{Phi: tanh, SW2: w, SB2: b}.Analyze()
			if err != nil {
				return nil, err
			}
			x, y = append(x, w), append(y, p.Chi1)
			if w < 1.99 {
				pr, err := meanfield.Net{Phi: relu, SW2: w, SB2: b}.Analyze()
				if err != nil {
					return nil, err
				}
				yr = append(yr, pr.Chi1)
			}
		}
		chiPanel.Curves = append(chiPanel.Curves, plot.Curve{Name: fmt.Sprintf("tanh, σ_b² = %g", b), X: x, Y: y, Color: plot.SeriesColor(k)})
		chiPanel.Series = append(chiPanel.Series, plot.Series{Name: fmt.Sprintf("ReLU (σ_w²/2), σ_b² = %g", b), X: x[:len(yr)], Y: yr})
	}
	chiPanel.Curves = append(chiPanel.Curves, plot.Curve{Name: "χ₁ = 1", X: []float64{0.5, 4.5}, Y: []float64{1, 1}, Dashed: true})

	// Checks (docs/references/chaos.md §4–5).
	pub := meanfield.Net{Phi: tanh, SW2: 1.7610, SB2: 0.05}
	qp, err := pub.FixedPoint(1)
	if err != nil {
		return nil, err
	}
	chiPub := pub.Chi1(qp)
	worstB, worstSelf, worstIndep := 0.0, 0.0, 0.0
	gh := meanfield.Quad{Method: meanfield.GaussHermite}
	for _, r := range pooleBoundary {
		w, err := meanfield.Boundary(tanh, r[0], meanfield.Quad{})
		if err != nil {
			return nil, err
		}
		worstB = math.Max(worstB, math.Abs(w-r[1]))
		n := meanfield.Net{Phi: tanh, SW2: w, SB2: r[0]}
		q, err := n.FixedPoint(1)
		if err != nil {
			return nil, err
		}
		worstSelf = math.Max(worstSelf, math.Abs(n.Chi1(q)-1))
		if q > 0 && q <= 1 { // Gauss–Hermite is spectrally accurate there
			pw, pb := meanfield.BoundaryAt(tanh, q, gh)
			worstIndep = math.Max(worstIndep, math.Max(math.Abs(pw-w), math.Abs(pb-r[0])))
		}
	}
	res.Figure = &plot.Figure{Title: "Order and chaos in deep random nets (mean-field theory)", Panels: []plot.Panel{heat, depth, chiPanel}, Cols: 3}
	res.Checks = []Check{
		{Name: "|χ₁ − 1| at the published point (σ_w², σ_b²) = (1.7610, 0.05)", Want: 1e-4, Got: math.Abs(chiPub - 1), OK: math.Abs(chiPub-1) < 1e-4},
		{Name: "max |σ_w² − table| on the tanh boundary (11 points, 6 digits)", Want: 6e-6, Got: worstB, OK: worstB < 6e-6},
		{Name: "max |χ₁ − 1| on the computed boundary", Want: 1e-10, Got: worstSelf, OK: worstSelf < 1e-10},
		{Name: "max |Δ| boundary vs Gauss–Hermite parametric form (q* ≤ 1)", Want: 1e-9, Got: worstIndep, OK: worstIndep < 1e-9},
		{Name: "ReLU: max |χ₁ − 1| at σ_w² = 2 and |boundary − 2| over 8 σ_b²", Want: 1e-12, Got: reluWorst, OK: reluWorst < 1e-12},
		{Name: "max relative deviation of ξ_c, ξ_q from the σ_b² = 0.05 table", Want: 2e-3, Got: worstTable, OK: worstTable < 2e-3},
	}
	// ξ_c peaks at the boundary: in every row of the heat map the largest ξ_c lies in a
	// cell next to the boundary.
	bad := 0
	for j, b := range sb2 {
		w, err := meanfield.Boundary(tanh, b, meanfield.Quad{})
		if err != nil {
			return nil, err
		}
		best := 0
		for i := range sw2 {
			if pts[j*nw+i].XiC > pts[j*nw+best].XiC {
				best = i
			}
		}
		if math.Abs(sw2[best]-w) > (sw2[1]-sw2[0])*1.01 {
			bad++
		}
	}
	res.Checks = append(res.Checks, Check{Name: "rows of the heat map whose largest ξ_c is not next to the boundary", Want: 0, Got: float64(bad), OK: bad == 0})
	prog.set(1, 1)
	return res, nil
}

// sortFloats sorts xs in place (insertion sort: short slices).
func sortFloats(xs []float64) {
	for i := 1; i < len(xs); i++ {
		for j := i; j > 0 && xs[j] < xs[j-1]; j-- {
			xs[j], xs[j-1] = xs[j-1], xs[j]
		}
	}
}

func signalPropagation() Figure {
	return Figure{
		Name:        "signal-propagation",
		Paper:       "Poole et al., NIPS 2016 (arXiv 1606.05340) Figs. 1–3; Schoenholz et al., ICLR 2017 (arXiv 1611.01232) Fig. 1",
		Description: "tanh nets of width 1000, ordered (σ_w² = 1.3) and chaotic (σ_w² = 3), σ_b² = 0.05: q^l, c^l and |c^l − c*| against the maps, ξ_c fitted; length of Poole's great circle vs depth",
		FullTime:    "4 min",
		Run:         runSignalPropagation,
	}
}

func runSignalPropagation(ctx context.Context, o Options) (*Result, error) {
	width, nets, xiNets, depth := 1000, 1000, 4000, 30
	cK, cNets, cWidth, cDepth := 400, 8, 1000, 12
	if o.Quick {
		nets, xiNets, depth = 300, 1000, 20
		cK, cNets, cWidth, cDepth = 160, 4, 500, 8
	}
	const sb2 = 0.05
	tanh := meanfield.Tanh()
	phases := []float64{1.3, 3}
	rec := &chaosRecipe{Mode: mode(o), Phi: "tanh", SW2: phases, SB2: []float64{sb2}, Quadrature: meanfield.Quad{}.String(),
		Width: width, Nets: nets, XiNets: xiNets, Depth: depth, Seed: o.seed(),
		Circle: fmt.Sprintf("%d points, width %d, %d nets, depth %d, explicit weights", cK, cWidth, cNets, cDepth)}
	res := &Result{Header: []string{"sw2", "kind", "l", "value", "err", "maps"}, Config: rec}
	qPanel := plot.Panel{Title: "length q^l (from q₀ = 0.1 and 3)", XLabel: "layer l", YLabel: "q^l = |h^l|²/N", LegendBottom: true}
	cPanel := plot.Panel{Title: "correlation c^l of two inputs", XLabel: "layer l", YLabel: "c^l", LegendBottom: true}
	dPanel := plot.Panel{Title: "|c^l − c*|: decay over ξ_c layers", XLabel: "layer l", YLabel: "|c^l − c*| (mean over nets)", LogY: true, LegendBottom: true,
		YRange: [2]float64{5e-4, 0.3}}
	lPanel := plot.Panel{Title: "Poole's great circle: length of its image", XLabel: "layer l", YLabel: "length / √N", LogY: true, LegendLeft: true}
	var checks []Check
	prog := o.newProgress(equalParts(len(phases))...)
	for pi, sw2 := range phases {
		prog.upTo(pi)
		net := meanfield.Net{Phi: tanh, SW2: sw2, SB2: sb2}
		p, err := net.Analyze()
		if err != nil {
			return nil, err
		}
		name := fmt.Sprintf("σ_w² = %g (%v)", sw2, p.Phase)
		// q^l from two starting lengths and c^l of three pairs.
		worst, worstAt := 0.0, ""
		c0 := []float64{0.2, 0.6, 0.95}
		for qi, q0 := range []float64{0.1, 3} {
			spec := meanfield.SimSpec{Phi: tanh, SW2: sw2, SB2: sb2, Width: width, Depth: depth, Nets: nets, Q0: q0, Seed: o.seed()*100 + uint64(10*pi+qi), Method: meanfield.Gram, Threads: o.Threads}
			if qi == 1 {
				spec.C0 = c0
			}
			r, err := meanfield.Simulate(ctx, spec)
			if err != nil {
				return nil, fmt.Errorf("signal-propagation: %w", err)
			}
			qs := net.Lengths(q0, depth)
			s := plot.Series{Name: fmt.Sprintf("σ_w² = %g, q₀ = %g", sw2, q0)}
			for l := 0; l <= depth; l++ {
				s.X, s.Y, s.YErr = append(s.X, float64(l)), append(s.Y, r.Q[l].Mean), append(s.YErr, r.Q[l].Err)
				res.Rows = append(res.Rows, []float64{sw2, float64(qi), float64(l), r.Q[l].Mean, r.Q[l].Err, qs[l]})
				if l > 0 {
					if z := math.Abs(r.Q[l].Mean-qs[l]) / r.Q[l].Err; z > worst {
						worst, worstAt = z, fmt.Sprintf("q, q₀ = %g, l = %d", q0, l)
					}
				}
			}
			qPanel.Series = append(qPanel.Series, s)
			qPanel.Curves = append(qPanel.Curves, plot.Curve{X: s.X, Y: qs, Color: plot.SeriesColor(len(qPanel.Series) - 1)})
			for k, c := range spec.C0 {
				_, cs := net.Correlations(q0, c, depth)
				cs2 := plot.Series{Name: fmt.Sprintf("σ_w² = %g, c₀ = %g", sw2, c)}
				for l := 0; l <= depth; l++ {
					cs2.X, cs2.Y, cs2.YErr = append(cs2.X, float64(l)), append(cs2.Y, r.C[k][l].Mean), append(cs2.YErr, r.C[k][l].Err)
					res.Rows = append(res.Rows, []float64{sw2, float64(2 + k), float64(l), r.C[k][l].Mean, r.C[k][l].Err, cs[l]})
					if l > 0 {
						if z := math.Abs(r.C[k][l].Mean-cs[l]) / r.C[k][l].Err; z > worst {
							worst, worstAt = z, fmt.Sprintf("c, c₀ = %g, l = %d", c, l)
						}
					}
				}
				cPanel.Series = append(cPanel.Series, cs2)
				cPanel.Curves = append(cPanel.Curves, plot.Curve{X: cs2.X, Y: cs, Color: plot.SeriesColor(len(cPanel.Series) - 1)})
			}
		}
		checks = append(checks, Check{Name: fmt.Sprintf("%s: max |z| of q^l, c^l vs the maps (%s)", name, worstAt), Want: 4, Got: worst, OK: worst < 4})

		// ξ_c from the decay of |c^l − c*| (must-show).
		x, err := meanfield.MeasureXiC(ctx, net, width, xiNets, o.seed()*100+uint64(50+pi), meanfield.Gram)
		if err != nil {
			return nil, fmt.Errorf("signal-propagation: %w", err)
		}
		for k, c := range x.C0 {
			sgn := 1.0
			if c < p.CStar || p.CStar >= 1 {
				sgn = -1
			}
			_, cs := net.Correlations(p.QStar, c, len(x.Sim.C[k])-1)
			s := plot.Series{Name: fmt.Sprintf("σ_w² = %g, c₀ = %.3g", sw2, c)}
			var ty []float64
			for l := range x.Sim.C[k] {
				if d := sgn * (x.Sim.C[k][l].Mean - p.CStar); d > 0 {
					s.X, s.Y, s.YErr = append(s.X, float64(l)), append(s.Y, d), append(s.YErr, x.Sim.C[k][l].Err)
					ty = append(ty, sgn*(cs[l]-p.CStar))
				}
			}
			dPanel.Series = append(dPanel.Series, s)
			dPanel.Curves = append(dPanel.Curves, plot.Curve{X: s.X, Y: ty, Color: plot.SeriesColor(len(dPanel.Series) - 1)})
		}
		z := x.Z()
		checks = append(checks, Check{Name: fmt.Sprintf("%s: ξ_c from |c^l − c*| (layers %d–%d) vs the maps' %.4g", name, x.Fit.From, x.Fit.To, p.XiC),
			Want: p.XiC, Got: x.Fit.Scale.Mean, Err: x.Fit.Scale.Err, OK: math.Abs(z) < 4})
		res.Rows = append(res.Rows, []float64{sw2, 10, float64(x.Fit.To), x.Fit.Scale.Mean, x.Fit.Scale.Err, p.XiC})

		// Poole's great circle.
		cr, err := meanfield.Circle(ctx, meanfield.CircleSpec{Phi: tanh, SW2: sw2, SB2: sb2, Width: cWidth, Depth: cDepth, Nets: cNets, Points: cK,
			Q0: p.QStar, Seed: o.seed()*100 + uint64(70+pi), Threads: o.Threads})
		if err != nil {
			return nil, fmt.Errorf("signal-propagation: %w", err)
		}
		poly := net.CircleTheory(p.QStar, cK, cDepth)
		curve := net.CircleTheory(p.QStar, 0, cDepth)
		to := 0
		for to < cDepth && math.Abs(poly[to+1]/curve[to+1]-1) < 0.01 {
			to++
		}
		sq, err := meanfield.FitExp(cr.SquareNet, 0, to)
		if err != nil {
			return nil, fmt.Errorf("signal-propagation: circle: %w", err)
		}
		plain, err := meanfield.FitExp(cr.LengthNet, 0, to)
		if err != nil {
			return nil, fmt.Errorf("signal-propagation: circle: %w", err)
		}
		rate := meanfield.Stat{Mean: sq.Rate.Mean / 2, Err: sq.Rate.Err / 2}
		want := 0.5 * math.Log(p.Chi1)
		ls := plot.Series{Name: fmt.Sprintf("σ_w² = %g: length", sw2)}
		for l := 0; l <= cDepth; l++ {
			ls.X, ls.Y, ls.YErr = append(ls.X, float64(l)), append(ls.Y, cr.Length[l].Mean), append(ls.YErr, cr.Length[l].Err)
			res.Rows = append(res.Rows, []float64{sw2, 20, float64(l), cr.Length[l].Mean, cr.Length[l].Err, poly[l]})
		}
		lPanel.Series = append(lPanel.Series, ls)
		col := plot.SeriesColor(len(lPanel.Series) - 1)
		cname, pname := "", ""
		if pi == 0 {
			cname, pname = "2π√q* χ₁^{l/2} (maps)", fmt.Sprintf("%d-gon (maps)", cK)
		}
		lPanel.Curves = append(lPanel.Curves, plot.Curve{Name: pname, X: ls.X, Y: poly, Color: col},
			plot.Curve{Name: cname, X: ls.X, Y: curve, Dashed: true, Color: col})
		checks = append(checks, Check{Name: fmt.Sprintf("%s: circle growth rate (√mean square, layers 0–%d; length: %v) vs ½ ln χ₁", name, to, plain.Rate),
			Want: want, Got: rate.Mean, Err: rate.Err, OK: math.Abs(rate.Mean-want) < 4*rate.Err})
		res.Rows = append(res.Rows, []float64{sw2, 21, float64(to), rate.Mean, rate.Err, want}, []float64{sw2, 22, float64(to), plain.Rate.Mean, plain.Rate.Err, want})
	}
	// Growth in the chaotic phase, shrinkage in the ordered one.
	last := len(lPanel.Series[0].Y) - 1
	shrink, grow := lPanel.Series[0].Y[last] < lPanel.Series[0].Y[0], lPanel.Series[1].Y[last] > 1.5*lPanel.Series[1].Y[0]
	checks = append(checks, Check{Name: fmt.Sprintf("circle shrinks (ordered) and grows by more than 1.5 (chaotic) over %d layers", last), Want: 1, Got: b2f(shrink && grow), OK: shrink && grow})
	res.Checks = checks
	res.Figure = &plot.Figure{Title: fmt.Sprintf("Signal propagation in tanh nets (N = %d, σ_b² = %g): simulation (points) vs maps (lines)", width, sb2),
		Panels: []plot.Panel{qPanel, cPanel, dPanel, lPanel}, Cols: 2}
	prog.finish()
	return res, nil
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
