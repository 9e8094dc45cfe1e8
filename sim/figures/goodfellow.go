package figures

import (
	"context"
	"fmt"
	"math"

	"github.com/deepglass/deepglass/analysis/plot"
	"github.com/deepglass/deepglass/nets"
)

func goodfellowInterpolation() Figure {
	return Figure{
		Name:  "goodfellow-interpolation",
		Paper: "Goodfellow, Vinyals & Saxe, Qualitatively characterizing neural network optimization problems, ICLR 2015 (arXiv:1412.6544), Figs. 1–2 and the interpolation between two solutions",
		Description: "loss and accuracy of an MLP on MNIST along θ(α) = (1−α)θ₀ + αθ₁ from initialization to solution (monotone, no barrier) and between two solutions " +
			"from different seeds (a barrier) (CSV column path: 0 init→solution, 1 solution→solution)",
		FullTime: "~8 min (7 min 46 s measured on a loaded 2-core machine: 110 s of CPU)",
		Run:      runGoodfellow,
	}
}

// goodfellowRecipe is the recipe of goodfellow-interpolation, as recorded in NAME.json.
type goodfellowRecipe struct {
	Mode     string     `json:"mode"`
	Data     string     `json:"data"`
	Layers   string     `json:"layers"`
	Options  string     `json:"options"`
	Seeds    [2]uint64  `json:"seeds"`
	Alphas   [3]any     `json:"alpha_grid"` // from, to, points
	TrainAcc [2]float64 `json:"train_accuracy"`
	Increase int        `json:"increases_on_0_1"`
	Barrier  float64    `json:"barrier"`
}

// goodfellowSetup returns the data, the widths, the training and the α grid of the
// mode: an MLP 784-64-64-10 (ReLU, He initialization) trained by plain SGD (η = 0.1,
// batch 32) to about zero training error, 30 epochs on 2000 training images (quick;
// α in [−0.25, 1.25] in steps of 0.05) or 40 on 20000 (full; steps of 0.01).
func goodfellowSetup(quick bool) (data string, sizes []int, o nets.Options, alphas int) {
	o = nets.Options{Epochs: 40, Batch: 32, LR: 0.1, Optimizer: nets.SGD, EvalEvery: -1}
	if quick {
		o.Epochs = 30
		return "mnist:n=2000,ntest=1000", []int{784, 64, 64, 10}, o, 31
	}
	return "mnist:n=20000,ntest=10000", []int{784, 64, 64, 10}, o, 151
}

func runGoodfellow(ctx context.Context, o Options) (*Result, error) {
	spec, sizes, opts, na := goodfellowSetup(o.Quick)
	train, test, err := nets.ParseData(spec, "")
	if err != nil {
		return nil, fmt.Errorf("goodfellow-interpolation: %w", err)
	}
	seeds := [2]uint64{o.seed(), o.seed() + 1}
	first := opts
	first.Seed = seeds[0]
	rec := &goodfellowRecipe{Mode: mode(o), Data: spec, Layers: fmt.Sprint(sizes), Options: first.String() + " (and the next seed)", Seeds: seeds,
		Alphas: [3]any{-0.25, 1.25, na}}
	var init, sol [2]*nets.Net
	prog := o.newProgress(1)
	defer prog.finish()
	err = parallelCounted(ctx, 2, o.Threads, prog, 0, func(ctx context.Context, k int) error {
		n, err := nets.NewNet(sizes, nets.ReLU, nets.CrossEntropy)
		if err != nil {
			return err
		}
		n.Initialize(nets.Init{Kind: nets.He}, seeds[k])
		init[k] = n.Clone()
		oo := opts
		oo.Seed = seeds[k]
		if _, err := nets.Train(ctx, n, train, nil, oo); err != nil {
			return fmt.Errorf("goodfellow-interpolation: seed %d: %w", seeds[k], err)
		}
		sol[k] = n
		m, err := n.Evaluate(train)
		rec.TrainAcc[k] = m.Accuracy
		return err
	})
	if err != nil {
		return nil, err
	}
	alphas := linspace(-0.25, 1.25, na)
	curves := [2][]nets.CurvePoint{}
	for p, ends := range [2][2]*nets.Net{{init[0], sol[0]}, {sol[0], sol[1]}} {
		if curves[p], err = nets.InterpolateCurve(ends[0], ends[1], alphas, train, test); err != nil {
			return nil, fmt.Errorf("goodfellow-interpolation: %w", err)
		}
	}
	res := &Result{Header: []string{"path", "alpha", "train_loss", "train_accuracy", "test_loss", "test_accuracy"}, Config: rec}
	titles := [2]string{"initialization (α = 0) → solution (α = 1)", "solution (α = 0) → solution of another seed (α = 1)"}
	var panels []plot.Panel
	for p, c := range curves {
		var a, trl, tel, tra, tea []float64
		for _, q := range c {
			a, trl, tel = append(a, q.Alpha), append(trl, q.Train.Loss), append(tel, q.Test.Loss)
			tra, tea = append(tra, q.Train.Accuracy), append(tea, q.Test.Accuracy)
			res.Rows = append(res.Rows, []float64{float64(p), q.Alpha, q.Train.Loss, q.Train.Accuracy, q.Test.Loss, q.Test.Accuracy})
		}
		panels = append(panels,
			plot.Panel{Title: titles[p], XLabel: "α", YLabel: "loss (cross-entropy, nats)", LogY: true, VLines: []float64{0, 1},
				Series: []plot.Series{{Name: "train", X: a, Y: trl, Line: true}, {Name: "test", X: a, Y: tel, Line: true}}},
			plot.Panel{Title: titles[p], XLabel: "α", YLabel: "accuracy", VLines: []float64{0, 1}, YRange: [2]float64{0, 1}, LegendBottom: true,
				Series: []plot.Series{{Name: "train", X: a, Y: tra, Line: true}, {Name: "test", X: a, Y: tea, Line: true}}})
	}
	res.Figure = &plot.Figure{Title: fmt.Sprintf("Goodfellow et al. 2015: MLP %v on %d MNIST images, linear paths", sizes, train.N),
		Panels: panels, Cols: 2}
	// Checks (docs/references/nets.md §4): the training loss along init → solution is
	// non-increasing on [0, 1] but for at most 2% of the steps, each rising by less
	// than 1% of J(0); the test loss rises again beyond α = 1 (the training loss
	// keeps falling there: a ReLU net is positively homogeneous, and going on along
	// θ₁ − θ₀ scales its margins up); and the path between two solutions crosses a
	// barrier above both ends.
	c := curves[0]
	j0 := c[indexOf(alphas, 0)].Train.Loss
	i1 := indexOf(alphas, 1)
	steps, ups, worst := 0, 0, 0.0
	for k := indexOf(alphas, 0) + 1; k <= i1; k++ {
		steps++
		if d := c[k].Train.Loss - c[k-1].Train.Loss; d > 0 {
			ups++
			worst = max(worst, d/j0)
		}
	}
	rec.Increase = ups
	frac := float64(ups) / float64(steps)
	end := c[len(c)-1].Test.Loss
	b := curves[1]
	peak := 0.0
	for _, q := range b {
		if q.Alpha >= 0 && q.Alpha <= 1 {
			peak = max(peak, q.Train.Loss)
		}
	}
	ends := max(b[indexOf(alphas, 0)].Train.Loss, b[i1].Train.Loss)
	rec.Barrier = peak - ends
	res.Checks = []Check{
		{Name: "training accuracy of the solutions ≥ 0.99 (worse seed)", Want: 0.99, Got: min(rec.TrainAcc[0], rec.TrainAcc[1]), OK: min(rec.TrainAcc[0], rec.TrainAcc[1]) >= 0.99},
		{Name: "init → solution: fraction of α steps on [0, 1] where the training loss rises (≤ 0.02)", Want: 0.02, Got: frac, OK: frac <= 0.02},
		{Name: "init → solution: largest rise on [0, 1] relative to J(0) (< 0.01)", Want: 0.01, Got: worst, OK: worst < 0.01},
		{Name: "init → solution: test loss J(1.25) − J(1) > 0", Want: 0, Got: end - c[i1].Test.Loss, OK: end > c[i1].Test.Loss},
		{Name: "solution → solution: barrier max J − max(J(0), J(1)) (> 0.5 nats)", Want: 0.5, Got: rec.Barrier, OK: rec.Barrier > 0.5},
	}
	return res, nil
}

// indexOf returns the index of the grid point closest to x.
func indexOf(grid []float64, x float64) int {
	best := 0
	for i, g := range grid {
		if math.Abs(g-x) < math.Abs(grid[best]-x) {
			best = i
		}
	}
	return best
}
