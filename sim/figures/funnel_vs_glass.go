package figures

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/deepglass/deepglass/analysis"
	"github.com/deepglass/deepglass/analysis/plot"
	"github.com/deepglass/deepglass/landscape"
	"github.com/deepglass/deepglass/models"
	"github.com/deepglass/deepglass/sampler"
)

func funnelVsGlass() Figure {
	return Figure{
		Name:        "funnel-vs-glass",
		Paper:       "Bryngelson & Wolynes, PNAS 84, 7524 (1987); Becker & Karplus, J. Chem. Phys. 106, 1495 (1997)",
		Description: "exact disconnectivity graphs and funnel plots of a glassy SK, a planted SK and the BW funnel; planted SK minima and basin against J0; T_f/T_g against ε with the BW boundary, P_native from PT against the exact formula",
		FullTime:    "4 min",
		Run:         runFunnelVsGlass,
	}
}

// funnelRecipe is the recipe of funnel-vs-glass, as recorded in NAME.json.
type funnelRecipe struct {
	Mode       string    `json:"mode"`
	N          int       `json:"n"`
	J0         []float64 `json:"planted_J0"`
	Instances  int       `json:"planted_instances"`
	Epsilons   []float64 `json:"bw_epsilons"`
	BWInst     int       `json:"bw_instances"`
	PTEpsilons []float64 `json:"pt_epsilons"`
	PTSweeps   int       `json:"pt_sweeps"`
	Seed       uint64    `json:"seed"`
	Boundary   string    `json:"planted_boundary"`
}

// funnelStream returns disorder stream k of the figure's purpose tag.
func funnelStream(o Options, tag, k int) *rand.Rand {
	return rand.New(sampler.NewStream(o.seed(), sampler.PurposeDisorder, 5000+tag, k))
}

func runFunnelVsGlass(ctx context.Context, o Options) (*Result, error) {
	n, plantedInst, bwInst, ptSweeps := 18, 40, 30, 300000
	j0s := []float64{0, 0.5, 1, 1.5, 2, 2.5, 3}
	eps := []float64{0.8, 0.85, 0.9, 1, 1.2, 1.5}
	ptEps := []float64{0.9, 1, 1.2}
	if o.Quick {
		n, plantedInst, bwInst, ptSweeps = 16, 20, 10, 150000
		ptEps = []float64{1}
	}
	rec := &funnelRecipe{Mode: mode(o), N: n, J0: j0s, Instances: plantedInst, Epsilons: eps, BWInst: bwInst, PTEpsilons: ptEps,
		PTSweeps: ptSweeps, Seed: o.seed(), Boundary: "J0 = J (Parisi, T = 0); J0 = √(π/2) J (replica symmetric)"}
	res := &Result{Header: []string{"kind", "x", "y", "y_err"}, Config: rec}
	var panels []plot.Panel
	var checks []Check

	// 1–4: three landscapes, exact.
	sk := models.NewSK(n, 0, models.Gaussian, funnelStream(o, 1, 0))
	planted, xi := models.NewPlanted(n, 2, models.Gaussian, funnelStream(o, 2, 0))
	bw := models.NewFunnel(n, 1, 1.2, funnelStream(o, 3, 0))
	fp := plot.Panel{Title: "Funnel plot: minima", XLabel: "|q| with the reference state", YLabel: "energy per spin (J)", XRange: [2]float64{-0.02, 1.02}}
	prog := o.newProgress(1, 1) // the three landscapes, then planted SK against J0
	defer prog.finish()
	for i, c := range []struct {
		title string
		m     models.Model
		ref   []int8
	}{
		{fmt.Sprintf("Glass: SK, N = %d", n), sk, nil},
		{fmt.Sprintf("Planted SK, J0 = 2, N = %d", n), planted, xi},
		{fmt.Sprintf("BW funnel, ε = 1.2, N = %d", n), bw, bw.Native()},
	} {
		l, err := landscape.Enumerate(ctx, c.m, c.ref)
		if err != nil {
			return nil, err
		}
		d, err := l.Disconnectivity(40)
		if err != nil {
			return nil, err
		}
		p, err := d.Panel(fmt.Sprintf("%s: %d minima", c.title, l.Count()), "energy per spin (J)")
		if err != nil {
			return nil, err
		}
		panels = append(panels, p)
		s := plot.Series{Name: []string{"glass (ground state)", "planted (ξ)", "BW funnel (native)"}[i]}
		for _, mn := range l.Minima {
			s.X = append(s.X, math.Abs(mn.Overlap))
			s.Y = append(s.Y, mn.Energy/float64(n))
			res.Rows = append(res.Rows, []float64{float64(i), math.Abs(mn.Overlap), mn.Energy / float64(n), 0})
		}
		fp.Series = append(fp.Series, s)
	}
	// The funnel's thousands of minima first, so that the others stay visible.
	fp.Series = []plot.Series{fp.Series[2], fp.Series[0], fp.Series[1]}
	panels = append(panels, fp)

	// 5: planted SK against J0: minima and the basin of ±ξ, exact, averaged over instances.
	pp := plot.Panel{Title: fmt.Sprintf("Planted SK, N = %d: the funnel forms", n), XLabel: "J0 / J", YLabel: "share", VLines: []float64{1, math.Sqrt(math.Pi / 2)}}
	var minRel, minRelErr, basin, basinErr []float64
	type jstat struct{ minima, minErr, basin, basinErr float64 }
	stats := map[float64]jstat{}
	var min0 float64
	prog.upTo(1)
	for _, j0 := range j0s {
		var cnt, bas []float64
		for k := range plantedInst {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			d, xi := models.NewPlanted(n, j0, models.Gaussian, funnelStream(o, 4, k))
			l, err := landscape.Enumerate(ctx, d, xi)
			if err != nil {
				return nil, err
			}
			b := 0.0
			for _, mn := range l.Minima {
				if math.Abs(mn.Overlap) == 1 {
					b += mn.Basin
				}
			}
			cnt = append(cnt, float64(l.Count()))
			bas = append(bas, b)
		}
		mc, ec := meanErr(cnt)
		mb, eb := meanErr(bas)
		stats[j0] = jstat{mc, ec, mb, eb}
		if j0 == 0 {
			min0 = mc
		}
		minRel, minRelErr = append(minRel, mc), append(minRelErr, ec)
		basin, basinErr = append(basin, mb), append(basinErr, eb)
		res.Rows = append(res.Rows, []float64{3, j0, mc, ec}, []float64{4, j0, mb, eb})
	}
	for k := range minRel {
		minRel[k] /= min0
		minRelErr[k] /= min0
	}
	pp.Series = append(pp.Series,
		plot.Series{Name: "minima / minima at J0 = 0", X: j0s, Y: minRel, YErr: minRelErr, Line: true},
		plot.Series{Name: "basin of ±ξ (share of states)", X: j0s, Y: basin, YErr: basinErr, Line: true})
	pp.LegendLeft = true
	panels = append(panels, pp)
	below, above := stats[0.5], stats[2]
	zMin := (below.minima - above.minima) / math.Hypot(below.minErr, above.minErr)
	zBasin := (above.basin - below.basin) / math.Hypot(below.basinErr, above.basinErr)
	checks = append(checks,
		Check{Name: fmt.Sprintf("planted N=%d: minima fall from J0=0.5 (%.1f) to J0=2 (%.1f), z", n, below.minima, above.minima), Want: 4, Got: zMin, OK: zMin > 4},
		Check{Name: fmt.Sprintf("planted N=%d: basin of ±ξ grows from J0=0.5 (%.3f) to J0=2 (%.3f), z", n, below.basin, above.basin), Want: 4, Got: zBasin, OK: zBasin > 4})

	// 6: T_f/T_g against ε: the BW boundary, exact finite-N instances, and PT.
	tg := models.BWGlassTemperature(1)
	tp := plot.Panel{Title: "Folding vs glass temperature", XLabel: "ε / J", YLabel: "T_f / T_g", LegendLeft: true}
	var ex, ey, ee []float64
	for _, e := range eps {
		var tfs []float64
		for k := range bwInst {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			f := models.NewFunnel(n, 1, e, funnelStream(o, 5, k))
			if tf := f.FoldingTemperature(0.1, 5); !math.IsNaN(tf) {
				tfs = append(tfs, tf/tg)
			}
		}
		m, se := meanErr(tfs)
		ex, ey, ee = append(ex, e), append(ey, m), append(ee, se)
		res.Rows = append(res.Rows, []float64{5, e, m, se})
		if want := models.BWFoldingTemperature(e, 1) / tg; e >= 1 {
			rel := math.Abs(m/want - 1)
			checks = append(checks, Check{Name: fmt.Sprintf("BW N=%d ε=%.2g: exact [T_f]/T_g vs y + √(y²−1), relative deviation", n, e), Want: 0.02, Got: rel, OK: rel < 0.02})
		}
	}
	tp.Series = append(tp.Series, plot.Series{Name: fmt.Sprintf("exact, N = %d (mean of %d instances)", n, bwInst), X: ex, Y: ey, YErr: ee})
	tp.Curves = append(tp.Curves,
		plot.Curve{Name: "BW, N → ∞: y + √(y² − 1)", F: func(e float64) float64 { return models.BWFoldingRatio(e / math.Sqrt(math.Ln2)) }, XMin: math.Sqrt(math.Ln2), XMax: 1.6},
		plot.Curve{Name: "T_f = T_g", F: func(float64) float64 { return 1 }, XMin: 0.75, XMax: 1.6, Dashed: true})

	// PT: P_native(T) against the exact formula, and T_f from its crossing of 1/2.
	var px, py, pe []float64
	// Parallel tempering at N = 16: the autocorrelation time of P_native grows as
	// 2^N/(N K) sweeps (the native state is found by random search), so N = 18 would
	// need millions of sweeps for 4σ checks with honest errors.
	const ptN = 16
	for i, e := range ptEps {
		f := models.NewFunnel(ptN, 1, e, funnelStream(o, 6, i))
		tf, tfErr, pchecks, err := funnelPT(ctx, o, f, ptSweeps, i)
		if err != nil {
			return nil, err
		}
		checks = append(checks, pchecks...)
		exact := f.FoldingTemperature(0.1, 5)
		z := math.Abs(tf-exact) / tfErr
		checks = append(checks, Check{Name: fmt.Sprintf("BW N=%d ε=%.2g: |z| of T_f from PT (%.4g ± %.2g) vs exact %.4g", ptN, e, tf, tfErr, exact), Want: 4, Got: z, OK: z < 4})
		px, py, pe = append(px, e), append(py, tf/tg), append(pe, tfErr/tg)
		res.Rows = append(res.Rows, []float64{6, e, tf / tg, tfErr / tg})
	}
	tp.Series = append(tp.Series, plot.Series{Name: fmt.Sprintf("parallel tempering, N = %d (one instance each)", ptN), X: px, Y: py, YErr: pe})
	panels = append(panels, tp)

	res.Checks = checks
	res.Figure = &plot.Figure{Title: "Funnels against glasses: exact landscapes, planted patterns and the Bryngelson–Wolynes boundary", Panels: panels, Cols: 3}
	return res, nil
}

// funnelPT runs parallel tempering on the funnel f (16 temperatures, geometric from
// 0.45 to 2.5) for sweeps sweeps after sweeps/10 of warm-up, checks the measured
// P_native at every temperature where it fluctuates against the exact finite-N
// formula (|z| < 4, τ below 1/200 of the run), and returns T_f from the crossing of
// P_native = 1/2 (logit interpolated linearly in β between the bracketing slots) with
// its jackknife error over 20 blocks of the run.
func funnelPT(ctx context.Context, o Options, f *models.Funnel, sweeps, tag int) (tf, tfErr float64, checks []Check, err error) {
	n := f.N()
	betas := sampler.GeometricBetas(0.45, 2.5, 16)
	chains := make([]*sampler.Chain, len(betas))
	for k := range chains {
		chains[k] = sampler.NewChain(f, sampler.NewStream(o.seed(), sampler.PurposeChain, 6000+tag, k))
	}
	pt := sampler.NewTempering(betas, func(b float64) sampler.Sweeper { return sampler.NewMetropolis(f, b, sampler.Typewriter) },
		chains, sampler.NewStream(o.seed(), sampler.PurposeSwap, 6000+tag, 0))
	pt.SetWorkers(o.Threads)
	defer pt.Close()
	xi := models.StateIndex(f.Native())
	for range sweeps / 10 {
		pt.Sweep()
	}
	const blocks = 20
	per := sweeps / blocks
	sweeps = per * blocks
	series := make([]*analysis.Series, len(betas))
	blockHits := make([][]float64, len(betas)) // per slot, per block: native count
	for k := range series {
		series[k] = analysis.NewSeries(500)
		blockHits[k] = make([]float64, blocks)
	}
	for s := range sweeps {
		if s%256 == 0 && ctx.Err() != nil {
			return 0, 0, nil, ctx.Err()
		}
		pt.Sweep()
		for k := range betas {
			x := 0.0
			if models.StateIndex(pt.ChainAt(k).S) == xi {
				x = 1
			}
			series[k].Add(x)
			blockHits[k][s/per] += x
		}
	}
	exact := f.PNative(betas)
	worst, worstT, maxTau := 0.0, 0.0, 0.0
	for k, b := range betas {
		if exact[k] < 1e-3 || exact[k] > 1-1e-3 {
			continue
		}
		est := series[k].Estimate()
		z := math.Abs(est.Mean-exact[k]) / est.Err
		if z > worst {
			worst, worstT = z, 1/b
		}
		maxTau = math.Max(maxTau, est.Tau)
	}
	// Honest errors need many independent samples: every τ below 1/200 of the run.
	checks = append(checks, Check{Name: fmt.Sprintf("BW N=%d ε=%.2g: max |z| of P_native from PT vs exact (at T=%.3g; τ ≤ %.0f of %d sweeps)", n, f.Epsilon(), worstT, maxTau, sweeps),
		Want: 4, Got: worst, OK: maxTau*200 < float64(sweeps) && worst < 4})
	crossing := func(p []float64) float64 {
		for k := 0; k+1 < len(p); k++ { // betas increase: P rises through 1/2
			if p[k] < 0.5 && p[k+1] >= 0.5 && p[k] > 0 && p[k+1] < 1 {
				la, lb := math.Log(p[k]/(1-p[k])), math.Log(p[k+1]/(1-p[k+1]))
				beta := betas[k] + (0-la)*(betas[k+1]-betas[k])/(lb-la)
				return 1 / beta
			}
		}
		return math.NaN()
	}
	all := make([]float64, len(betas))
	for k := range betas {
		all[k] = series[k].Mean()
	}
	tf = crossing(all)
	var js []float64
	for b := range blocks {
		p := make([]float64, len(betas))
		for k := range betas {
			var sum float64
			for c := range blocks {
				if c != b {
					sum += blockHits[k][c]
				}
			}
			p[k] = sum / float64(per*(blocks-1))
		}
		js = append(js, crossing(p))
	}
	var m, v float64
	for _, x := range js {
		m += x
	}
	m /= blocks
	for _, x := range js {
		v += (x - m) * (x - m)
	}
	return tf, math.Sqrt(v * (blocks - 1) / blocks), checks, nil
}
