package figures

import (
	"context"
	"fmt"
	"math"

	"github.com/deepglass/deepglass/analysis/plot"
	"github.com/deepglass/deepglass/nets"
)

func explodingMLP() Figure {
	return Figure{
		Name:  "exploding-mlp",
		Paper: "the essay's \"a naive 5-layer MLP trained long enough … diverges\"; regularization as a temperature (no single paper: see docs/nets.md)",
		Description: "a 5-layer ReLU MLP on MNIST trained by momentum SGD far past convergence: without damping its weights grow until it blows up (accuracy collapses to chance), " +
			"not with weight decay, gradient clipping or a smaller step; and a phase diagram over learning rate × weight decay of stable, diverging and frozen runs " +
			"(CSV: part 0 = runs against epochs, part 1 = phase diagram)",
		FullTime: "~35 min (34 min 52 s measured on a loaded 2-core machine: 9 min of CPU)",
		Run:      runExploding,
	}
}

// explodingSpec is the experiment of one mode.
type explodingSpec struct {
	Mode     string        `json:"mode"`
	Data     string        `json:"data"`
	Layers   []int         `json:"layers"`
	Base     string        `json:"base_options"`
	Epochs   int           `json:"epochs"`
	Seeds    []uint64      `json:"seeds"`
	Settings []explSetting `json:"settings"`
	PhaseLR  []float64     `json:"phase_lr"`
	PhaseWD  []float64     `json:"phase_wd"`
	PhaseEp  int           `json:"phase_epochs"`
	Rule     string        `json:"rule"`
	Runs     []explRun     `json:"runs"`
	Phase    []explRun     `json:"phase"`
}

// explSetting is one of the compared trainings.
type explSetting struct {
	Name string  `json:"name"`
	LR   float64 `json:"lr"`
	WD   float64 `json:"wd"`
	Clip float64 `json:"clip"`
}

// explRun is the outcome of one training.
type explRun struct {
	Setting  string  `json:"setting,omitempty"`
	LR       float64 `json:"lr"`
	WD       float64 `json:"wd"`
	Seed     uint64  `json:"seed"`
	Phase    string  `json:"phase"` // stable, diverged or frozen
	When     int     `json:"collapse_epoch,omitempty"`
	BestAcc  float64 `json:"best_train_accuracy"`
	FinalAcc float64 `json:"final_train_accuracy"`
	TestAcc  float64 `json:"final_test_accuracy"`
	MaxNorm  float64 `json:"max_weight_norm"`
	history  nets.History
}

// Phases of a run.
const (
	phaseStable   = "stable"
	phaseDiverged = "diverged"
	phaseFrozen   = "frozen"
)

// classify reads a history: diverged if the loss became non-finite or the training
// accuracy, having exceeded 0.7, ended below 0.3 (the net blew up and died; chance is
// 0.1); frozen if it ended at or below 0.3 otherwise (stuck in a trivial state: dead
// from the start, weights decayed to zero, or too small a step); stable otherwise. It
// returns the phase and the epoch of the collapse.
func classify(h nets.History) (phase string, when int, best, final, maxNorm float64) {
	for _, e := range h.Epochs {
		a := e.TrainAccuracy
		if math.IsNaN(a) {
			continue
		}
		best = max(best, a)
		final = a
		n := 0.0
		for _, w := range e.WeightNorms {
			n += w * w
		}
		maxNorm = max(maxNorm, math.Sqrt(n))
		if when == 0 && best > 0.7 && a < 0.3 {
			when = e.Epoch
		}
	}
	switch {
	case h.Diverged != nil:
		return phaseDiverged, h.Diverged.Epoch, best, final, maxNorm
	case when > 0 && final < 0.3:
		return phaseDiverged, when, best, final, maxNorm
	case final <= 0.3:
		return phaseFrozen, 0, best, final, maxNorm
	}
	return phaseStable, 0, best, final, maxNorm
}

// explodingSetup returns the experiment: an MLP 784-100-100-100-100-10 (5 weight
// layers, ReLU, He initialization) trained by SGD with momentum 0.9, batch 32, on
// 2000 MNIST images for 150 epochs (full; 3 seeds per setting; phase diagram of 4
// learning rates × 5 weight decays, 100 epochs) or for 15 epochs (quick; 1 seed;
// 2 × 2 diagram), with a larger step in quick mode so that the naive run blows up
// within it.
func explodingSetup(quick bool, seed uint64) *explodingSpec {
	s := &explodingSpec{Data: "mnist:n=2000,ntest=2000", Layers: []int{784, 100, 100, 100, 100, 10}, Epochs: 150,
		Seeds: []uint64{seed, seed + 1, seed + 2}, PhaseLR: []float64{0.01, 0.03, 0.1, 0.2}, PhaseWD: []float64{0, 1e-4, 1e-3, 1e-2, 1e-1}, PhaseEp: 100,
		Rule: "diverged: loss non-finite, or training accuracy ended below 0.3 after exceeding 0.7; frozen: ended at or below 0.3 otherwise; stable: otherwise"}
	lr := 0.1
	if quick {
		s.Data, s.Epochs, s.Seeds, s.PhaseLR, s.PhaseWD, s.PhaseEp = "mnist:n=2000,ntest=1000", 15, []uint64{seed}, []float64{0.03, 0.12}, []float64{0, 1e-1}, 15
		lr = 0.12
	}
	s.Settings = []explSetting{{"naive (no damping)", lr, 0, 0}, {"weight decay 3e-4", lr, 3e-4, 0}, {"clipping |g| ≤ 1", lr, 0, 1}, {"smaller step", 0.03, 0, 0}}
	s.Base = explOptions(0.1, 0, 0, 1, 1).String()
	return s
}

func explOptions(lr, wd, clip float64, epochs int, seed uint64) nets.Options {
	return nets.Options{Epochs: epochs, Batch: 32, LR: lr, Optimizer: nets.Momentum, Momentum: 0.9, WeightDecay: wd, Clip: clip, Seed: seed}
}

func runExploding(ctx context.Context, o Options) (*Result, error) {
	s := explodingSetup(o.Quick, o.seed())
	s.Mode = mode(o)
	train, test, err := nets.ParseData(s.Data, "")
	if err != nil {
		return nil, fmt.Errorf("exploding-mlp: %w", err)
	}
	train1 := func(ctx context.Context, lr, wd, clip float64, epochs int, seed uint64) (explRun, error) {
		_, h, err := trainNet(ctx, s.Layers, nets.ReLU, nets.Init{Kind: nets.He}, train, test, explOptions(lr, wd, clip, epochs, seed))
		if err != nil && h.Diverged == nil {
			return explRun{}, err
		}
		r := explRun{LR: lr, WD: wd, Seed: seed, history: h}
		r.Phase, r.When, r.BestAcc, r.FinalAcc, r.MaxNorm = classify(h)
		r.TestAcc = h.Last().TestAccuracy
		return r, nil
	}
	// The compared settings, every seed; then the phase diagram, first seed.
	nr := len(s.Settings) * len(s.Seeds)
	np := len(s.PhaseLR) * len(s.PhaseWD)
	s.Runs, s.Phase = make([]explRun, nr), make([]explRun, np)
	prog := o.newProgress(1)
	defer prog.finish()
	err = parallelCounted(ctx, nr+np, o.Threads, prog, 0, func(ctx context.Context, i int) error {
		var err error
		if i < nr {
			st, seed := s.Settings[i/len(s.Seeds)], s.Seeds[i%len(s.Seeds)]
			s.Runs[i], err = train1(ctx, st.LR, st.WD, st.Clip, s.Epochs, seed)
			s.Runs[i].Setting = st.Name
		} else {
			j := i - nr
			s.Phase[j], err = train1(ctx, s.PhaseLR[j%len(s.PhaseLR)], s.PhaseWD[j/len(s.PhaseLR)], 0, s.PhaseEp, s.Seeds[0])
		}
		if err != nil {
			return fmt.Errorf("exploding-mlp: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	res := &Result{Header: []string{"part", "setting", "seed", "lr", "wd", "epoch", "train_accuracy", "test_accuracy", "train_loss", "weight_norm", "phase"}, Config: s}
	phaseCode := map[string]float64{phaseStable: 0, phaseDiverged: 1, phaseFrozen: 2}
	acc := plot.Panel{Title: "training accuracy, far past convergence", XLabel: "epoch", YLabel: "training accuracy", YRange: [2]float64{0, 1.02}, LegendBottom: true}
	norm := plot.Panel{Title: "weights: total Frobenius norm", XLabel: "epoch", YLabel: "|W| (all layers)", LogY: true, LegendLeft: true}
	for i, r := range s.Runs {
		set := i / len(s.Seeds)
		var x, ya, yn []float64
		for _, e := range r.history.Epochs {
			n := 0.0
			for _, w := range e.WeightNorms {
				n += w * w
			}
			n = math.Sqrt(n)
			x, ya, yn = append(x, float64(e.Epoch)), append(ya, e.TrainAccuracy), append(yn, n)
			res.Rows = append(res.Rows, []float64{0, float64(set), float64(r.Seed), r.LR, r.WD, float64(e.Epoch), e.TrainAccuracy, e.TestAccuracy, e.TrainLoss, n, phaseCode[r.Phase]})
		}
		// The first seed of each setting is a series in the legend; the others are
		// lines of the same colour.
		if r.Seed == s.Seeds[0] {
			name := s.Settings[set].Name
			if r.Phase == phaseDiverged {
				name += fmt.Sprintf(" (collapses at epoch %d)", r.When)
			}
			acc.Series = append(acc.Series, plot.Series{Name: name, X: x, Y: ya, Line: true})
			norm.Series = append(norm.Series, plot.Series{Name: name, X: x, Y: yn, Line: true})
		} else {
			acc.Curves = append(acc.Curves, plot.Curve{X: x, Y: ya, Color: plot.SeriesColor(set)})
			norm.Curves = append(norm.Curves, plot.Curve{X: x, Y: yn, Color: plot.SeriesColor(set)})
		}
	}
	if len(s.Seeds) > 1 {
		acc.Title = fmt.Sprintf("training accuracy, far past convergence (%d seeds each)", len(s.Seeds))
	}
	// Phase diagram: y = log10 of the weight decay, with 0 drawn one decade below the
	// smallest positive value.
	logWD := func(wd float64) float64 {
		if wd > 0 {
			return math.Log10(wd)
		}
		lo := math.Inf(1)
		for _, w := range s.PhaseWD {
			if w > 0 {
				lo = min(lo, math.Log10(w))
			}
		}
		return lo - 1
	}
	phase := plot.Panel{Title: fmt.Sprintf("phases after %d epochs (seed %d)", s.PhaseEp, s.Seeds[0]), XLabel: "learning rate η", LogX: true, XTicks: s.PhaseLR,
		YLabel: "log₁₀ weight decay (lowest row: none)"}
	byPhase := map[string]*plot.Series{}
	for _, p := range []string{phaseStable, phaseDiverged, phaseFrozen} {
		byPhase[p] = &plot.Series{Name: p}
	}
	for _, r := range s.Phase {
		sr := byPhase[r.Phase]
		sr.X, sr.Y = append(sr.X, r.LR), append(sr.Y, logWD(r.WD))
		res.Rows = append(res.Rows, []float64{1, -1, float64(r.Seed), r.LR, r.WD, float64(s.PhaseEp), r.FinalAcc, r.TestAcc, math.NaN(), r.MaxNorm, phaseCode[r.Phase]})
	}
	for _, p := range []string{phaseStable, phaseDiverged, phaseFrozen} {
		if len(byPhase[p].X) > 0 {
			phase.Series = append(phase.Series, *byPhase[p])
		}
	}
	res.Figure = &plot.Figure{Title: fmt.Sprintf("A 5-layer MLP %v on %d MNIST images, momentum SGD, batch 32", s.Layers, train.N),
		Panels: []plot.Panel{acc, norm, phase}, Cols: 2}
	// Checks: every seed of the naive setting diverges; no seed of the damped ones does;
	// the diagram holds all three phases.
	count := func(set int, phase string) int {
		k := 0
		for _, r := range s.Runs[set*len(s.Seeds) : (set+1)*len(s.Seeds)] {
			if r.Phase == phase {
				k++
			}
		}
		return k
	}
	ns := float64(len(s.Seeds))
	naive := float64(count(0, phaseDiverged))
	res.Checks = append(res.Checks, Check{Name: fmt.Sprintf("naive, η = %g: runs that blow up (of %d seeds)", s.Settings[0].LR, len(s.Seeds)), Want: ns, Got: naive, OK: naive == ns})
	for k := 1; k < len(s.Settings); k++ {
		st := float64(count(k, phaseStable))
		res.Checks = append(res.Checks, Check{Name: fmt.Sprintf("%s: stable runs (of %d seeds)", s.Settings[k].Name, len(s.Seeds)), Want: ns, Got: st, OK: st == ns})
	}
	for _, p := range []string{phaseStable, phaseDiverged, phaseFrozen} {
		k := float64(len(byPhase[p].X))
		res.Checks = append(res.Checks, Check{Name: "phase diagram: " + p + " runs (≥ 1)", Want: 1, Got: k, OK: k >= 1})
	}
	return res, nil
}
