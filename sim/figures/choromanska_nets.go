package figures

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/deepglass/deepglass/analysis/plot"
	"github.com/deepglass/deepglass/nets"
	"github.com/deepglass/deepglass/sampler"
)

func choromanskaNets() Figure {
	return Figure{
		Name:  "choromanska-nets",
		Paper: "Choromanska, Henaff, Mathieu, Ben Arous & LeCun, The loss surfaces of multilayer networks, AISTATS 2015 (arXiv:1412.0233), the MNIST experiment (one hidden layer, 10×10 MNIST)",
		Description: "final test losses of independently initialized and trained one-hidden-layer ReLU nets (n = 25 … 500 hidden units) on MNIST area-averaged to 10×10: " +
			"histograms narrowing with n, test against train loss, and the train–test correlation per n (CSV: one row per run)",
		FullTime: "~31 min of CPU, ≈ 2 h on the loaded 2-core development machine (estimated from a run with 60 of the 200 runs per width: docs/nets.md)",
		Run:      runChoromanskaNets,
	}
}

// choromanskaSpec is the experiment: widths, runs per width and the training of each.
type choromanskaSpec struct {
	Data    string `json:"data"`
	Hidden  []int  `json:"hidden"`
	Runs    int    `json:"runs_per_width"`
	Options string `json:"options"`
	opts    nets.Options
	bins    int
	Stats   []chStat  `json:"stats"`
	Seconds float64   `json:"seconds"`
	Mode    string    `json:"mode"`
	Note    string    `json:"note"`
	Seeds   [2]uint64 `json:"seed_rule"`
}

// chStat summarizes the runs of one width.
type chStat struct {
	Hidden       int     `json:"hidden"`
	Runs         int     `json:"runs"`
	MeanTest     float64 `json:"mean_test_loss"`
	StdTest      float64 `json:"std_test_loss"`
	StdTestErr   float64 `json:"std_test_loss_err"`
	MeanTrain    float64 `json:"mean_train_loss"`
	StdTrain     float64 `json:"std_train_loss"`
	Corr         float64 `json:"train_test_correlation"`
	CorrErr      float64 `json:"train_test_correlation_err"`
	MeanTestAcc  float64 `json:"mean_test_accuracy"`
	WorstTestAcc float64 `json:"worst_test_accuracy"`
}

// choromanskaSetup returns the experiment of the mode. Full: 200 runs per width, each
// trained on the first 5000 training images by plain SGD (batch 100, He
// initialization) for 40 epochs with a decaying step η = 0.1/(1 + 0.1(e−1)), so that
// runs settle near their minima, and measured on all 10000 test images; quick: 10 runs
// per width on 3000 training and 2000 test images, 4 epochs at η = 0.1.
func choromanskaSetup(quick bool) *choromanskaSpec {
	s := &choromanskaSpec{Data: "mnist10:n=5000", Hidden: []int{25, 50, 100, 250, 500}, Runs: 200, bins: 30,
		opts: nets.Options{Epochs: 40, Batch: 100, LR: 0.1, LRDecay: 0.1, Optimizer: nets.SGD, EvalEvery: -1}}
	if quick {
		s.Data, s.Runs, s.opts.Epochs, s.opts.LRDecay, s.bins = "mnist10:n=3000,ntest=2000", 10, 4, 0, 12
	}
	s.Options = s.opts.String()
	return s
}

func runChoromanskaNets(ctx context.Context, o Options) (*Result, error) {
	spec := choromanskaSetup(o.Quick)
	spec.Mode = mode(o)
	spec.Seeds = [2]uint64{o.seed(), uint64(sampler.PurposeDisorder)}
	spec.Note = "run r of width n: initialization and minibatch order from seed = first word of sampler.StreamSeed(seed, PurposeDisorder, n, r)"
	train, test, err := nets.ParseData(spec.Data, "")
	if err != nil {
		return nil, fmt.Errorf("choromanska-nets: %w", err)
	}
	type result struct{ train, test, acc float64 }
	W, R := len(spec.Hidden), spec.Runs
	results := make([]result, W*R)
	start := time.Now()
	prog := o.newProgress(1)
	defer prog.finish()
	err = parallelCounted(ctx, W*R, o.Threads, prog, 0, func(ctx context.Context, job int) error {
		n, r := spec.Hidden[job/R], job%R
		opts := spec.opts
		opts.Seed, _ = sampler.StreamSeed(o.seed(), sampler.PurposeDisorder, n, r)
		net, _, err := trainNet(ctx, []int{train.D, n, 10}, nets.ReLU, nets.Init{Kind: nets.He}, train, test, opts)
		if err != nil {
			return fmt.Errorf("choromanska-nets: n = %d, run %d: %w", n, r, err)
		}
		// Final losses, measured as the net is (in float32, as trained).
		mtr, err := net.Evaluate(train)
		if err != nil {
			return err
		}
		mte, err := net.Evaluate(test)
		if err != nil {
			return err
		}
		results[job] = result{mtr.Loss, mte.Loss, mte.Accuracy}
		return nil
	})
	if err != nil {
		return nil, err
	}
	spec.Seconds = time.Since(start).Seconds()
	res := &Result{Header: []string{"hidden", "run", "train_loss", "test_loss", "test_accuracy"}, Config: spec}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, r := range results {
		lo, hi = min(lo, r.test), max(hi, r.test)
	}
	pad := 0.02 * (hi - lo)
	lo, hi = lo-pad, hi+pad
	hist := plot.Panel{Title: "final test loss of independent runs", XLabel: "test loss (cross-entropy, nats)", YLabel: "density"}
	scatter := plot.Panel{Title: "test against train loss, one point per run", XLabel: "train loss", YLabel: "test loss", LegendBottom: true}
	summary := plot.Panel{Title: "spread and train–test correlation", XLabel: "hidden units n", LogX: true, XTicks: floats(spec.Hidden),
		YLabel: "std of test loss ×10 / correlation"}
	var ns, stds, stdErrs, corrs, corrErrs []float64
	for w, n := range spec.Hidden {
		tr, te := make([]float64, R), make([]float64, R)
		st := chStat{Hidden: n, Runs: R, WorstTestAcc: 1}
		for r := range R {
			x := results[w*R+r]
			tr[r], te[r] = x.train, x.test
			st.MeanTestAcc += x.acc / float64(R)
			st.WorstTestAcc = min(st.WorstTestAcc, x.acc)
			res.Rows = append(res.Rows, []float64{float64(n), float64(r), x.train, x.test, x.acc})
		}
		st.MeanTest, st.StdTest, st.StdTestErr = meanStd(te)
		st.MeanTrain, st.StdTrain, _ = meanStd(tr)
		st.Corr, st.CorrErr = pearson(tr, te)
		spec.Stats = append(spec.Stats, st)
		c, d := histogram(te, lo, hi, spec.bins)
		x, y := stepCurve(c, d)
		hist.Curves = append(hist.Curves, plot.Curve{Name: fmt.Sprintf("n = %d", n), X: x, Y: y, Color: plot.SeriesColor(w)})
		scatter.Series = append(scatter.Series, plot.Series{Name: fmt.Sprintf("n = %d (r = %.2f)", n, st.Corr), X: tr, Y: te})
		ns, stds, stdErrs = append(ns, float64(n)), append(stds, 10*st.StdTest), append(stdErrs, 10*st.StdTestErr)
		corrs, corrErrs = append(corrs, st.Corr), append(corrErrs, st.CorrErr)
	}
	summary.Series = []plot.Series{{Name: "std of test loss ×10", X: ns, Y: stds, YErr: stdErrs, Line: true},
		{Name: "train–test correlation", X: ns, Y: corrs, YErr: corrErrs, Line: true}}
	panels := []plot.Panel{hist}
	panels = append(panels, scatter, summary)
	res.Figure = &plot.Figure{Title: fmt.Sprintf("Choromanska et al. 2015: 1-hidden-layer ReLU nets on 10×10 MNIST, %d runs per width", R),
		Panels: panels, Cols: 2}
	// Checks: the spread narrows with n (every step, in full mode), and the train–test
	// correlation falls from the smallest to the largest width.
	first, last := spec.Stats[0], spec.Stats[W-1]
	mono := true
	for k := 1; k < W; k++ {
		mono = mono && spec.Stats[k].StdTest < spec.Stats[k-1].StdTest
	}
	if o.Quick {
		res.Checks = append(res.Checks, Check{Name: fmt.Sprintf("std of test loss at n = %d below that at n = %d", last.Hidden, first.Hidden),
			Want: first.StdTest, Got: last.StdTest, OK: last.StdTest < first.StdTest})
	} else {
		res.Checks = append(res.Checks, Check{Name: "std of test loss falls monotonically with n (1 = yes)", Want: 1, Got: b2f(mono), OK: mono})
		cmono := true
		for k := 1; k < W; k++ {
			cmono = cmono && spec.Stats[k].Corr < spec.Stats[k-1].Corr
		}
		res.Checks = append(res.Checks, Check{Name: "train–test correlation falls monotonically with n (1 = yes)", Want: 1, Got: b2f(cmono), OK: cmono})
	}
	dz := (first.Corr - last.Corr) / math.Hypot(first.CorrErr, last.CorrErr)
	zmin := 2.0
	if o.Quick {
		zmin = 0 // 10 runs per width: only the sign
	}
	res.Checks = append(res.Checks,
		Check{Name: fmt.Sprintf("train–test correlation at n = %d minus at n = %d, in σ (> %g)", first.Hidden, last.Hidden, zmin), Want: zmin, Got: dz, OK: dz > zmin},
		Check{Name: fmt.Sprintf("mean test loss falls from n = %d to n = %d", first.Hidden, last.Hidden), Want: first.MeanTest, Got: last.MeanTest, OK: last.MeanTest < first.MeanTest})
	return res, nil
}

func floats(xs []int) []float64 {
	out := make([]float64, len(xs))
	for i, x := range xs {
		out[i] = float64(x)
	}
	return out
}
