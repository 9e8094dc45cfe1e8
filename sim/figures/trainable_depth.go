package figures

import (
	"context"
	"errors"
	"fmt"
	"image/color"
	"math"
	"math/rand/v2"
	"sort"
	"time"

	"gonum.org/v1/gonum/stat"

	"github.com/deepglass/deepglass/analysis/plot"
	"github.com/deepglass/deepglass/nets"
	"github.com/deepglass/deepglass/nets/meanfield"
	"github.com/deepglass/deepglass/sampler"
)

// schoenholzC is the constant of Schoenholz et al. (2017): nets train to depths
// L ≲ 6ξ_c (docs/references/chaos.md §5, [M]).
const schoenholzC = 6

func trainableDepth() Figure {
	return Figure{
		Name:  "trainable-depth",
		Paper: "Schoenholz, Gilmer, Ganguli & Sohl-Dickstein, Deep information propagation, ICLR 2017 (arXiv:1611.01232), Fig. 6 (trainability against depth and σ_w²)",
		Description: "tanh nets of depth L at points of the (σ_w², L) plane (σ_b² = 0.05) trained by SGD on 14×14 MNIST for a fixed number of steps: " +
			"map of the final training accuracy with 6ξ_c(σ_w²) and the fitted c·ξ_c drawn over it; the largest trainable depth against ξ_c; accuracy against L/ξ_c",
		FullTime: "17–31 min on the loaded 2-core development machine (510 s of CPU; docs/chaos.md)",
		Run:      runTrainableDepth,
	}
}

// tdSpec is the recipe and the measurements of trainable-depth, as written to
// trainable-depth.json.
type tdSpec struct {
	Mode      string    `json:"mode"`
	Data      string    `json:"data"`
	Width     int       `json:"width"`
	Act       string    `json:"activation"`
	SB2       float64   `json:"sb2"`
	SW2       []float64 `json:"sw2"`
	Depths    []int     `json:"depths"`
	DepthNote string    `json:"depth_note"`
	Options   string    `json:"options"`
	Steps     int       `json:"steps"`
	opts      nets.Options
	SeedRule  string `json:"seed_rule"`
	// Threshold is halfway between chance (Chance) and the best training accuracy
	// on the grid (Best): a net with a training accuracy at or above it trained.
	Chance    float64    `json:"chance"`
	Best      float64    `json:"best_train_accuracy"`
	Threshold float64    `json:"threshold"`
	Columns   []tdColumn `json:"columns"`
	// Near indexes the column next to the boundary χ₁ = 1; LB is its crossing depth,
	// the depth the budget itself allows (+Inf, null in JSON, if even its deepest net
	// trained).
	Near int     `json:"near_boundary_column"`
	LB   float64 `json:"budget_depth"`
	// C is the fitted constant of L_max = c·ξ_c (least squares in ln L_max over the
	// columns with a crossing below LB/√2, Fitted), CErr its bootstrap error over
	// columns; CAll and CAllErr the same over every column with a crossing (the
	// near-boundary one excluded), for comparison.
	C          float64 `json:"c"`
	CErr       float64 `json:"c_err"`
	CAll       float64 `json:"c_all_columns"`
	CAllErr    float64 `json:"c_all_columns_err"`
	Bootstrap  int     `json:"bootstrap"`
	FitColumns int     `json:"fit_columns"`
	LogCorr    float64 `json:"ln_lmax_ln_xic_correlation"`
	// LnScatter is the standard deviation of ln(L_max/ξ_c) over the fitted columns.
	LnScatter float64 `json:"ln_ratio_scatter"`
	SchoenC   float64 `json:"schoenholz_c"`
	Seconds   float64 `json:"seconds"`
	Diverged  int     `json:"diverged_runs"`
}

// tdColumn is one σ_w² of the grid: ξ_c from the maps, the training accuracies at
// each depth, and the depth L_max where the accuracy crosses the threshold.
type tdColumn struct {
	SW2  float64 `json:"sw2"`
	XiC  float64 `json:"xi_c"`
	Chi1 float64 `json:"chi1"`
	// LMax is the crossing depth (log-linear interpolation between the deepest grid
	// depth at or above the threshold and the next); Censored is "above" when even
	// the deepest net trained (LMax is then a lower bound, the deepest depth),
	// "below" when not even the shallowest did, "" otherwise.
	LMax     float64   `json:"l_max"`
	Censored string    `json:"censored,omitempty"`
	Ratio    float64   `json:"l_max_over_xi_c"`
	Fitted   bool      `json:"fitted"`
	Train    []float64 `json:"train_accuracy"`
	Test     []float64 `json:"test_accuracy"`
}

// tdSetup returns the experiment of the mode. Full: 12 σ_w² × 10 depths (2 … 70
// hidden layers, about evenly in ln L) of width 100 on the first 8000 MNIST training
// images area-averaged to 14×14, 3 epochs of plain SGD (η = 0.02, batch 64: 375
// steps); test accuracy on the first 2000 test images. Quick: 4 × 5 points of width
// 50 on 10×10 MNIST (2000 images, 120 steps at η = 0.05).
func tdSetup(quick bool) *tdSpec {
	s := &tdSpec{Mode: "full", Data: "mnist:size=14,n=8000,ntest=2000", Width: 100, Act: "tanh", SB2: 0.05,
		SW2:    []float64{0.5, 0.75, 1, 1.25, 1.5, 1.75, 2, 2.5, 3, 3.5, 4, 4.5},
		Depths: []int{2, 4, 6, 9, 13, 18, 25, 35, 50, 70},
		opts:   nets.Options{Epochs: 3, Batch: 64, LR: 0.02, Optimizer: nets.SGD, EvalEvery: -1},
		Chance: 0.1, SchoenC: schoenholzC, Bootstrap: 2000}
	if quick {
		s.Mode, s.Data, s.Width = "quick", "mnist10:n=2000,ntest=500", 50
		s.SW2, s.Depths = []float64{0.5, 1, 1.75, 3}, []int{2, 4, 8, 16, 24}
		s.opts.Epochs, s.opts.Batch, s.opts.LR = 3, 50, 0.05
	}
	s.DepthNote = "L is the number of hidden tanh layers of width `width`; the net is D-width×L-10 (L+1 weight matrices), the output layer linear with cross-entropy"
	s.Options = s.opts.String()
	return s
}

func runTrainableDepth(ctx context.Context, o Options) (*Result, error) {
	spec := tdSetup(o.Quick)
	spec.SeedRule = "point (i, k) = (σ_w² index, depth index): initialization and minibatch order from seed = first word of sampler.StreamSeed(seed, PurposeDisorder, i, k); bootstrap from NewStream(seed, PurposeData, 7, 0)"
	train, test, err := nets.ParseData(spec.Data, "")
	if err != nil {
		return nil, fmt.Errorf("trainable-depth: %w", err)
	}
	spec.Steps = spec.opts.Epochs * ((train.N + spec.opts.Batch - 1) / spec.opts.Batch)
	tanh := meanfield.Tanh()
	nw, nl := len(spec.SW2), len(spec.Depths)
	spec.Columns = make([]tdColumn, nw)
	for i, w := range spec.SW2 {
		p, err := meanfield.Net{Phi: tanh, SW2: w, SB2: spec.SB2}.Analyze()
		if err != nil {
			return nil, fmt.Errorf("trainable-depth: %w", err)
		}
		spec.Columns[i] = tdColumn{SW2: w, XiC: p.XiC, Chi1: p.Chi1, Train: make([]float64, nl), Test: make([]float64, nl)}
	}

	// The runs, costliest first so that the two cores finish together; each writes
	// its own slot, so the numbers do not depend on the number of threads.
	type point struct {
		i, k     int
		diverged bool
		loss     float64
	}
	jobs := make([]point, 0, nw*nl)
	for i := range nw {
		for k := range nl {
			jobs = append(jobs, point{i: i, k: k})
		}
	}
	sort.SliceStable(jobs, func(a, b int) bool { return spec.Depths[jobs[a].k] > spec.Depths[jobs[b].k] })
	weights := make([]float64, len(jobs))
	for j, p := range jobs {
		weights[j] = float64(spec.Depths[p.k] + 2)
	}
	prog := o.newProgress(weights...)
	start := time.Now()
	err = parallelErr(ctx, len(jobs), o.Threads, func(ctx context.Context, j int) error {
		p := &jobs[j]
		col, L := &spec.Columns[p.i], spec.Depths[p.k]
		sizes := []int{train.D}
		for range L {
			sizes = append(sizes, spec.Width)
		}
		sizes = append(sizes, 10)
		opts := spec.opts
		opts.Seed, _ = sampler.StreamSeed(o.seed(), sampler.PurposeDisorder, p.i, p.k)
		if prog != nil {
			opts.Progress = func(q nets.Progress) {
				prog.set(j, (float64(q.Epoch-1)*float64(q.Steps)+float64(q.Step))/float64(q.Epochs*q.Steps))
			}
		}
		net, h, err := trainNet(ctx, sizes, nets.Tanh, nets.Init{Kind: nets.Gaussian, SigmaW2: col.SW2, SigmaB2: spec.SB2}, train, test, opts)
		if err != nil && !errors.Is(err, nets.ErrDiverged) {
			return fmt.Errorf("trainable-depth: σ_w² = %g, L = %d: %w", col.SW2, L, err)
		}
		p.diverged = err != nil
		var trAcc, teAcc float64
		if n := len(h.Epochs); n > 0 {
			e := h.Epochs[n-1]
			trAcc, teAcc, p.loss = e.TrainAccuracy, e.TestAccuracy, e.TrainLoss
		}
		if math.IsNaN(trAcc) || math.IsNaN(teAcc) {
			mtr, err := net.Evaluate(train)
			if err != nil {
				return err
			}
			mte, err := net.Evaluate(test)
			if err != nil {
				return err
			}
			trAcc, teAcc, p.loss = mtr.Accuracy, mte.Accuracy, mtr.Loss
		}
		col.Train[p.k], col.Test[p.k] = trAcc, teAcc
		prog.set(j, 1)
		return nil
	})
	if err != nil {
		return nil, err
	}
	spec.Seconds = time.Since(start).Seconds()

	res := &Result{Header: []string{"sw2", "depth", "xi_c", "depth_over_xi_c", "train_accuracy", "test_accuracy", "train_loss", "diverged"}, Config: spec}
	sort.Slice(jobs, func(a, b int) bool { return jobs[a].i*nl+jobs[a].k < jobs[b].i*nl+jobs[b].k })
	for _, p := range jobs {
		col, L := spec.Columns[p.i], spec.Depths[p.k]
		res.Rows = append(res.Rows, []float64{col.SW2, float64(L), col.XiC, float64(L) / col.XiC, col.Train[p.k], col.Test[p.k], p.loss, b2f(p.diverged)})
		spec.Best = math.Max(spec.Best, col.Train[p.k])
		if p.diverged {
			spec.Diverged++
		}
	}
	spec.Threshold = (spec.Chance + spec.Best) / 2

	tdFit(spec, o.seed())
	res.Figure = tdFigure(spec)
	res.Checks = tdChecks(spec, o.Quick)
	return res, nil
}

// tdFit finds the trainable depth of each column, the budget's own limit L_B (the
// crossing of the column next to the boundary, where ξ_c is far beyond the grid) and
// fits L_max = c·ξ_c over the columns with a crossing below L_B/√2: closer to L_B the
// fixed number of steps, not ξ_c, limits the depth. CAll is the same fit over every
// column with a crossing, for comparison.
func tdFit(spec *tdSpec, seed uint64) {
	near := 0
	for i := range spec.Columns {
		col := &spec.Columns[i]
		col.LMax, col.Censored = crossingDepth(spec.Depths, col.Train, spec.Threshold)
		col.Ratio = col.LMax / col.XiC
		if math.Abs(math.Log(col.Chi1)) < math.Abs(math.Log(spec.Columns[near].Chi1)) {
			near = i
		}
	}
	spec.Near = near
	spec.LB = math.Inf(1)
	if nc := spec.Columns[near]; nc.Censored == "" {
		spec.LB = nc.LMax
	}
	var lnL, lnXi, allL, allXi []float64
	for i := range spec.Columns {
		col := &spec.Columns[i]
		if col.Censored != "" || i == near {
			continue
		}
		allL, allXi = append(allL, math.Log(col.LMax)), append(allXi, math.Log(col.XiC))
		if col.LMax < spec.LB/math.Sqrt2 {
			col.Fitted = true
			lnL, lnXi = append(lnL, math.Log(col.LMax)), append(lnXi, math.Log(col.XiC))
		}
	}
	spec.FitColumns = len(lnL)
	spec.C, spec.CErr, spec.CAll, spec.CAllErr, spec.LogCorr = math.NaN(), math.NaN(), math.NaN(), math.NaN(), math.NaN()
	rng := rand.New(sampler.NewStream(seed, sampler.PurposeData, 7, 0))
	fit := func(lnL, lnXi []float64) (c, cErr, scatter float64) {
		if len(lnL) < 2 {
			return math.NaN(), math.NaN(), math.NaN()
		}
		r := make([]float64, len(lnL))
		for k := range r {
			r[k] = lnL[k] - lnXi[k]
		}
		cs := make([]float64, spec.Bootstrap)
		bl, bx := make([]float64, len(lnL)), make([]float64, len(lnL))
		for b := range cs {
			for k := range bl {
				j := rng.IntN(len(lnL))
				bl[k], bx[k] = lnL[j], lnXi[j]
			}
			cs[b] = fitC(bl, bx)
		}
		return fitC(lnL, lnXi), stat.StdDev(cs, nil), stat.StdDev(r, nil)
	}
	spec.C, spec.CErr, spec.LnScatter = fit(lnL, lnXi)
	spec.CAll, spec.CAllErr, _ = fit(allL, allXi)
	if len(lnL) >= 3 {
		spec.LogCorr = stat.Correlation(lnL, lnXi, nil)
	}
}

// crossingDepth returns the depth where acc (at the increasing depths) falls through
// thr: between the deepest depth at or above thr and the next, interpolated linearly
// in ln L; with "above" (the deepest depth, a lower bound) when the deepest net is at
// or above thr, "below" (the shallowest depth, an upper bound) when none is.
func crossingDepth(depths []int, acc []float64, thr float64) (float64, string) {
	k := -1
	for j, a := range acc {
		if a >= thr {
			k = j
		}
	}
	switch k {
	case -1:
		return float64(depths[0]), "below"
	case len(acc) - 1:
		return float64(depths[k]), "above"
	}
	t := (acc[k] - thr) / (acc[k] - acc[k+1])
	a, b := math.Log(float64(depths[k])), math.Log(float64(depths[k+1]))
	return math.Exp(a + t*(b-a)), ""
}

// fitC is the least-squares c of ln L = ln c + ln ξ: the geometric mean of L/ξ.
func fitC(lnL, lnXi []float64) float64 {
	var s float64
	for k := range lnL {
		s += lnL[k] - lnXi[k]
	}
	return math.Exp(s / float64(len(lnL)))
}

// xiCurve returns the branches of c·ξ_c(σ_w²) on either side of the boundary over
// [lo, hi], cut where they leave the depth range [0, top].
func xiCurve(c, sb2, lo, hi, top float64, n int) (branches [2][2][]float64) {
	tanh := meanfield.Tanh()
	b, err := meanfield.Boundary(tanh, sb2, meanfield.Quad{})
	if err != nil {
		return branches
	}
	for _, w := range linspace(lo, hi, n) {
		p, err := meanfield.Net{Phi: tanh, SW2: w, SB2: sb2, Quad: meanfield.Quad{Tol: 1e-10}}.Analyze()
		if err != nil || !(c*p.XiC <= top) {
			continue
		}
		side := 0
		if w > b {
			side = 1
		}
		branches[side][0] = append(branches[side][0], w)
		branches[side][1] = append(branches[side][1], c*p.XiC)
	}
	return branches
}

func tdFigure(s *tdSpec) *plot.Figure {
	nw, nl := len(s.SW2), len(s.Depths)
	z := make([][]float64, nl)
	ys := make([]float64, nl)
	for k, L := range s.Depths {
		ys[k] = float64(L)
		z[k] = make([]float64, nw)
		for i := range nw {
			z[k][i] = s.Columns[i].Train[k]
		}
	}
	lo, hi := s.SW2[0]-0.125, s.SW2[nw-1]+0.25
	// The heat map's cells reach halfway to their neighbours (plot's edges).
	top := 1.5*float64(s.Depths[nl-1]) - 0.5*float64(s.Depths[nl-2])
	bottom := 1.5*float64(s.Depths[0]) - 0.5*float64(s.Depths[1])
	heat := plot.Panel{Title: fmt.Sprintf("training accuracy after %d SGD steps, width %d", s.Steps, s.Width), XLabel: "σ_w²  (σ_b² = 0.05)", YLabel: "depth L (hidden layers)",
		LogY: true, LegendLeft: true, YRange: [2]float64{bottom, top}, XRange: [2]float64{lo, hi},
		Heat: &plot.HeatMap{Z: z, X: s.SW2, Y: ys, Min: s.Chance, Max: math.Max(s.Best, s.Chance+0.1), Label: "training accuracy"}}
	addXi := func(c float64, name string, col color.Color, dashed bool) {
		for _, b := range xiCurve(c, s.SB2, lo, hi, top, 161) {
			if len(b[0]) < 2 {
				continue
			}
			heat.Curves = append(heat.Curves, plot.Curve{Name: name, X: b[0], Y: b[1], Color: col, Dashed: dashed})
			name = "" // one legend entry for both branches
		}
	}
	addXi(schoenholzC, "6ξ_c (Schoenholz et al.)", color.White, false)
	if !math.IsNaN(s.C) {
		addXi(s.C, fmt.Sprintf("%.2gξ_c (fit)", s.C), color.RGBA{0xff, 0x50, 0x50, 0xff}, true)
	}
	var cx, cy, ux, uy, ax, ay, bx, by []float64
	for _, c := range s.Columns {
		switch {
		case c.Fitted:
			cx, cy = append(cx, c.SW2), append(cy, c.LMax)
		case c.Censored == "":
			ux, uy = append(ux, c.SW2), append(uy, c.LMax)
		case c.Censored == "above":
			ax, ay = append(ax, c.SW2), append(ay, c.LMax)
		default:
			bx, by = append(bx, c.SW2), append(by, c.LMax)
		}
	}
	if !math.IsInf(s.LB, 0) {
		heat.Curves = append(heat.Curves, plot.Curve{Name: fmt.Sprintf("L_B = %.0f: the budget's limit", s.LB), X: []float64{lo, hi}, Y: []float64{s.LB, s.LB},
			Dashed: true, Color: color.Gray{0xb0}})
	}
	heat.Series = append(heat.Series, plot.Series{Name: "L_max (crossing), fitted", X: cx, Y: cy})
	if len(ux) > 0 {
		heat.Series = append(heat.Series, plot.Series{Name: "L_max ≥ L_B/√2, not fitted", X: ux, Y: uy})
	}
	if len(ax) > 0 {
		heat.Series = append(heat.Series, plot.Series{Name: "all depths trained", X: ax, Y: ay})
	}
	if len(bx) > 0 {
		heat.Series = append(heat.Series, plot.Series{Name: "no depth trained", X: bx, Y: by})
	}

	// L_max against ξ_c, ordered and chaotic columns apart.
	scat := plot.Panel{Title: "trainable depth against the maps' ξ_c", XLabel: "ξ_c (layers)", YLabel: "L_max (layers)", LogX: true, LogY: true, LegendBottom: true}
	var ox, oy, hx, hy, nx, ny []float64
	xmin, xmax := math.Inf(1), math.Inf(-1)
	for i, c := range s.Columns {
		if c.Censored != "" || i == s.Near {
			continue
		}
		xmin, xmax = math.Min(xmin, c.XiC), math.Max(xmax, c.XiC)
		switch {
		case !c.Fitted:
			nx, ny = append(nx, c.XiC), append(ny, c.LMax)
		case c.Chi1 < 1:
			ox, oy = append(ox, c.XiC), append(oy, c.LMax)
		default:
			hx, hy = append(hx, c.XiC), append(hy, c.LMax)
		}
	}
	if xmin < xmax {
		xmin, xmax = xmin/1.3, xmax*1.3
		scat.Curves = append(scat.Curves, plot.Curve{Name: "L = 6ξ_c", F: func(x float64) float64 { return schoenholzC * x }, XMin: xmin, XMax: xmax})
		if !math.IsNaN(s.C) {
			c := s.C
			scat.Curves = append(scat.Curves, plot.Curve{Name: fmt.Sprintf("L = %.2f(%.0f) ξ_c (fit)", c, math.Round(100*s.CErr)), F: func(x float64) float64 { return c * x },
				XMin: xmin, XMax: xmax, Dashed: true, Color: color.RGBA{0xd0, 0x20, 0x20, 0xff}})
		}
	}
	scat.Series = []plot.Series{{Name: "ordered (χ₁ < 1)", X: ox, Y: oy}, {Name: "chaotic (χ₁ > 1)", X: hx, Y: hy},
		{Name: "L_max ≥ L_B/√2 (budget-limited, not fitted)", X: nx, Y: ny}}
	if !math.IsInf(s.LB, 0) && xmin < xmax {
		scat.Curves = append(scat.Curves, plot.Curve{Name: "L_B", X: []float64{xmin, xmax}, Y: []float64{s.LB, s.LB}, Dashed: true, Color: color.Gray{0x90}})
	}

	// Accuracy against L/ξ_c: one line per σ_w².
	coll := plot.Panel{Title: "training accuracy against L/ξ_c", XLabel: "L / ξ_c", YLabel: "training accuracy", LogX: true,
		VLines: []float64{schoenholzC}, YRange: [2]float64{0, 1}}
	for _, c := range s.Columns {
		if c.XiC > 1e3 {
			continue // at the boundary: L/ξ_c ≈ 0
		}
		x := make([]float64, nl)
		for k, L := range s.Depths {
			x[k] = float64(L) / c.XiC
		}
		coll.Series = append(coll.Series, plot.Series{Name: fmt.Sprintf("σ_w² = %g", c.SW2), X: x, Y: c.Train, Line: true})
	}
	coll.Curves = []plot.Curve{{Name: "threshold", F: func(float64) float64 { return s.Threshold }, Dashed: true, Color: color.Gray{0x80}}}
	return &plot.Figure{Title: fmt.Sprintf("Trainable depth of tanh nets, σ_b² = %g, data %s: L_max = c·ξ_c with c = %.2f ± %.2f (Schoenholz et al.: ≈ 6)", s.SB2, s.Data, s.C, s.CErr),
		Panels: []plot.Panel{heat, scat, coll}, Cols: 3, Width: 19, Height: 5.5}
}

// tdChecks are the figure's checks; each can fail. At the deepest depth where the net
// next to the boundary trains, the nets at both ends of the σ_w² grid must be near
// chance; nets deeper than 12ξ_c in the ordered phase must be near chance; nets
// shallower than ξ_c (and than the budget's L_B) must train; in full mode the fitted
// crossings must follow ξ_c. The constant c is a measurement; its check only asks that
// it be of the order of Schoenholz et al.'s.
func tdChecks(s *tdSpec, quick bool) []Check {
	var checks []Check
	nc := s.Columns[s.Near]
	kStar := -1
	for k, a := range nc.Train {
		if a >= s.Threshold {
			kStar = k
		}
	}
	// The grid's ends: in quick mode only the ordered one (its depths do not reach
	// the chaotic end's limit).
	ends := []int{0, len(s.Columns) - 1}
	if quick {
		ends = ends[:1]
	}
	if kStar < 0 {
		checks = append(checks, Check{Name: fmt.Sprintf("σ_w² = %g (next to the boundary) trains at some depth", nc.SW2), Want: s.Threshold, Got: nc.Train[0]})
	} else {
		worst, names := 0.0, ""
		for _, i := range ends {
			worst = math.Max(worst, s.Columns[i].Train[kStar])
			names += fmt.Sprintf(" σ_w² = %g", s.Columns[i].SW2)
		}
		checks = append(checks, Check{Name: fmt.Sprintf("L = %d, the deepest at which σ_w² = %g (χ₁ = %.3f, next to the boundary) trains (accuracy %.3f): at the grid's ends (%s) accuracy ≤ 0.2 (chance 0.1)",
			s.Depths[kStar], nc.SW2, nc.Chi1, nc.Train[kStar], names[1:]), Want: 0.2, Got: worst, OK: worst <= 0.2})
	}
	// Deep in the ordered phase: L ≥ 12ξ_c, twice Schoenholz et al.'s bound.
	deepMax, deepN := 0.0, 0
	for _, c := range s.Columns {
		for k, L := range s.Depths {
			if c.Chi1 < 1 && float64(L) >= 2*schoenholzC*c.XiC {
				deepMax, deepN = math.Max(deepMax, c.Train[k]), deepN+1
			}
		}
	}
	checks = append(checks, Check{Name: fmt.Sprintf("ordered phase, L ≥ 12ξ_c (%d nets): highest training accuracy ≤ 0.2 (chance 0.1)", deepN),
		Want: 0.2, Got: deepMax, OK: deepN > 0 && deepMax <= 0.2})
	// Nets shallower than ξ_c and than the budget's limit train, in either phase.
	shallow, shallowN := 1.0, 0
	for _, c := range s.Columns {
		for k, L := range s.Depths {
			if float64(L) <= c.XiC && float64(L) < s.LB/math.Sqrt2 {
				shallow, shallowN = math.Min(shallow, c.Train[k]), shallowN+1
			}
		}
	}
	checks = append(checks, Check{Name: fmt.Sprintf("L ≤ ξ_c and L < L_B/√2 (%d nets): lowest training accuracy ≥ threshold", shallowN),
		Want: s.Threshold, Got: shallow, OK: shallowN > 0 && shallow >= s.Threshold})
	if quick {
		return checks
	}
	checks = append(checks, Check{Name: fmt.Sprintf("ln L_max against ln ξ_c over the %d fitted columns: correlation ≥ 0.8", s.FitColumns),
		Want: 0.8, Got: s.LogCorr, OK: s.LogCorr >= 0.8})
	checks = append(checks, Check{Name: fmt.Sprintf("c of L_max = c·ξ_c (%d columns below L_B/√2 = %.0f): a measurement (bootstrap error over columns), of Schoenholz et al.'s order (OK within [2, 12])", s.FitColumns, s.LB/math.Sqrt2),
		Want: schoenholzC, Got: s.C, Err: s.CErr, OK: s.C >= 2 && s.C <= 12})
	return checks
}
