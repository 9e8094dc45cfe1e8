package figures

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"

	"github.com/deepglass/deepglass/analysis/plot"
	"github.com/deepglass/deepglass/sim"
)

func gsetTTS() Figure {
	return Figure{
		Name:        "gset-time-to-target",
		Paper:       "Helmberg & Rendl, SIAM J. Optim. 10, 673 (2000) (G-set); best known cuts from Benlic & Hao, Eng. Appl. Artif. Intell. 26, 1162 (2013), as listed in testdata/gset/README.md",
		Description: "Max-Cut on G-set graphs by simulated annealing restarts: probability of reaching 99%, 99.5% and 100% of the best known cut vs wall time",
		FullTime:    "~8 min",
		Run:         runGsetTTS,
	}
}

// gsetBest holds the best known cuts (testdata/gset/README.md).
var gsetBest = map[string]float64{"G1": 11624, "G22": 13359, "G43": 6660, "G55": 10299}

// ErrNoGset is returned (wrapped) when the G-set directory cannot be found.
var ErrNoGset = errors.New("directory of the G-set graphs not found")

// gsetDirCandidates are where the G-set files are looked for, relative to the
// working directory: the repository's testdata/gset from its root or from a package
// directory one to three levels down.
var gsetDirCandidates = []string{"testdata/gset", "../testdata/gset", "../../testdata/gset", "../../../testdata/gset"}

// gsetDir returns the first candidate directory holding G1.txt.
func gsetDir() (string, error) {
	for _, d := range gsetDirCandidates {
		if _, err := os.Stat(filepath.Join(d, "G1.txt")); err == nil {
			return d, nil
		}
	}
	wd, _ := os.Getwd()
	return "", fmt.Errorf("gset-time-to-target: %w: looked for G1.txt in %q relative to %s", ErrNoGset, gsetDirCandidates, wd)
}

// gsetRecipe is the recipe of gset-time-to-target, as recorded in NAME.json.
type gsetRecipe struct {
	Mode     string             `json:"mode"`
	BestCuts map[string]float64 `json:"best_known_cuts"`
	Seeds    int                `json:"seeds"`
	Configs  []sim.Config       `json:"configs"`
}

func runGsetTTS(ctx context.Context, o Options) (*Result, error) {
	dir, err := gsetDir()
	if err != nil {
		return nil, err
	}
	graphs := []string{"G1", "G22", "G43", "G55"}
	k, limit := 10, 40.0
	if o.Quick {
		graphs, k, limit = []string{"G1", "G43"}, 5, 3.0
	}
	fractions := []float64{0.99, 0.995, 1}
	rec := &gsetRecipe{Mode: mode(o), BestCuts: map[string]float64{}, Seeds: k}
	res := &Result{Header: []string{"graph", "seed", "fraction", "reached", "seconds", "sweeps"}, Config: rec}
	fig := &plot.Figure{
		Title: fmt.Sprintf("Max-Cut on the G-set: simulated annealing restarts, %d seeds, %g s limit each", k, limit),
		Cols:  len(graphs), Width: 5 * float64(len(graphs)), Height: 4.6,
	}
	var g1Frac995 float64
	var g1Times99 []float64
	prog := o.newProgress(equalParts(len(graphs) * k)...) // every run has the same time limit
	for gi, g := range graphs {
		best := gsetBest[g]
		rec.BestCuts[g] = best
		// times[f] are the seconds each seed took to reach fraction f (+Inf: never).
		times := make([][]float64, len(fractions))
		for seed := 1; seed <= k; seed++ {
			c := sim.Config{
				Couplings: filepath.Join(dir, g+".txt"), T: sim.Temperatures{1},
				Sampler: "anneal", TimeLimit: limit, Target: best,
				Seed: o.seed()*1000 + uint64(seed),
			}
			part := gi*k + seed - 1
			s, err := sim.Run(ctx, c, sim.Options{Threads: o.Threads, Progress: prog.run(part)})
			if err != nil {
				return nil, fmt.Errorf("gset-time-to-target: %s seed %d: %w", g, seed, err)
			}
			prog.set(part, 1) // a run that reached its target stops early
			if seed == 1 {
				rec.Configs = append(rec.Configs, c)
			}
			if s.GroundState == nil || len(s.GroundState.TimeToTarget) == 0 {
				return nil, fmt.Errorf("gset-time-to-target: %s seed %d: no time to target", g, seed)
			}
			for fi, f := range fractions {
				t := math.Inf(1)
				var sweeps int64
				reached := 0.0
				for _, tt := range s.GroundState.TimeToTarget {
					if math.Abs(tt.Fraction-f) < 1e-9 && tt.Reached {
						t, sweeps, reached = tt.Seconds, tt.Sweeps, 1
					}
				}
				times[fi] = append(times[fi], t)
				sec := t
				if math.IsInf(sec, 1) {
					sec = math.NaN()
				}
				res.Rows = append(res.Rows, []float64{float64(gi), float64(seed), f, reached, sec, float64(sweeps)})
			}
		}
		panel := plot.Panel{
			Title: fmt.Sprintf("%s (best known cut %g)", g, best), XLabel: "wall time (s)", YLabel: "P(reached)",
			LogX: true, YRange: [2]float64{-0.05, 1.05}, XRange: [2]float64{1e-3, limit}, LegendBottom: true,
		}
		for fi, f := range fractions {
			x, y := ecdf(times[fi], 1e-3, limit)
			panel.Series = append(panel.Series, plot.Series{Name: fmt.Sprintf("%g%% of best cut", 100*f), X: x, Y: y, Line: true})
		}
		fig.Panels = append(fig.Panels, panel)
		if g == "G1" {
			g1Frac995 = fractionFinite(times[1])
			g1Times99 = times[0]
		}
	}
	res.Figure = fig
	med := median(g1Times99)
	res.Checks = []Check{
		{Name: "G1: fraction of seeds reaching 99.5%", Want: 1, Got: g1Frac995, OK: g1Frac995 == 1},
		{Name: "G1: median time to 99% (s)", Want: 1, Got: med, OK: med < 1},
	}
	return res, nil
}

// ecdf returns the staircase of the empirical probability of having reached the
// target by time t, from lo to hi, for times (+Inf: never reached).
func ecdf(times []float64, lo, hi float64) (x, y []float64) {
	ts := append([]float64(nil), times...)
	sort.Float64s(ts)
	n := float64(len(ts))
	x, y = []float64{lo}, []float64{0}
	for i, t := range ts {
		if math.IsInf(t, 1) || t > hi {
			break
		}
		t = math.Max(t, lo)
		x, y = append(x, t, t), append(y, y[len(y)-1], float64(i+1)/n)
	}
	x, y = append(x, hi), append(y, y[len(y)-1])
	return x, y
}

func fractionFinite(ts []float64) float64 {
	n := 0
	for _, t := range ts {
		if !math.IsInf(t, 1) {
			n++
		}
	}
	return float64(n) / float64(len(ts))
}

func median(ts []float64) float64 {
	s := append([]float64(nil), ts...)
	sort.Float64s(s)
	n := len(s)
	if n == 0 {
		return math.NaN()
	}
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}
