package figures

import (
	"context"
	"fmt"
	"math"

	"github.com/deepglass/deepglass/analysis/plot"
	"github.com/deepglass/deepglass/learn"
	"github.com/deepglass/deepglass/models"
	"github.com/deepglass/deepglass/rg"
	"github.com/deepglass/deepglass/spectra"
)

func rbmSpectra() Figure {
	return Figure{
		Name: "rbm-spectra",
		Paper: "Martin & Mahoney, JMLR 22 (2021) 1–73, Implicit self-regularization in deep neural networks (heavy-tailed ESDs, α); " +
			"RBMs and stacked RBMs on 2D Ising data as in Mehta & Schwab, arXiv:1410.3831",
		Description: "power-law exponent α and MP spikes of the weight ESD of an RBM and of the second RBM of a stack, trained (CD-1) on 2D Ising configurations below, at and above T_c, against the epochs of training (CSV: T, layer, epoch, α, its bootstrap error, D, spikes, λ_max, MP edge, verdict 0 ok 1 weak 2 rejected 3 failed, MP fit at a σ bound)",
		FullTime:    "~2 min (16×16, layers 256-256-128, 60 epochs; measured on a loaded 2-core machine)",
		Run:         runRBMSpectra,
	}
}

// rbmSpectraSpec is the recipe of rbm-spectra.
type rbmSpectraSpec struct {
	L, Samples     int
	Temps          []float64
	Hidden         [2]int
	Epochs, Every  int
	Bootstrap      int
	Train          learn.Options `json:"-"`
	TrainOptions   string
	Seed           uint64
	SpectraOptions string
}

func rbmSpectraSpecFor(quick bool, seed uint64) rbmSpectraSpec {
	s := rbmSpectraSpec{L: 16, Samples: 3000, Temps: []float64{1.8, rg.TcIsing, 3.5}, Hidden: [2]int{256, 128}, Epochs: 60, Every: 3,
		Bootstrap: 50, Seed: seed,
		Train: learn.Options{Method: learn.CD, K: 1, Batch: 50, LR: 0.1, Momentum: 0.5, Seed: seed, Monitor: learn.Monitor{Every: -1}}}
	if quick {
		s.L, s.Samples, s.Hidden, s.Epochs, s.Every, s.Bootstrap = 10, 1000, [2]int{100, 50}, 30, 3, 30
	}
	s.Train.Epochs = s.Epochs
	s.TrainOptions = s.Train.String()
	return s
}

// rbmSpectraRecipe is what NAME.json records.
type rbmSpectraRecipe struct {
	Mode  string         `json:"mode"`
	Spec  rbmSpectraSpec `json:"spec"`
	Final []rbmSpectraPt `json:"final"`
}

// rbmSpectraPt is one measurement of one layer.
type rbmSpectraPt struct {
	T         float64 `json:"T"`
	Layer     int     `json:"layer"`
	Epoch     int     `json:"epoch"`
	Alpha     float64 `json:"alpha"`
	AlphaErr  float64 `json:"alpha_err"`
	D         float64 `json:"D"`
	Spikes    int     `json:"num_spikes"`
	LambdaMax float64 `json:"lambda_max"`
	MPEdge    float64 `json:"mp_edge"`
	EdgeErr   float64 `json:"mp_edge_err"`
	AtBound   bool    `json:"mp_at_bound"`
	Verdict   string  `json:"verdict"`
}

var verdictCode = map[string]float64{spectra.VerdictOK: 0, spectra.VerdictWeak: 1, spectra.VerdictRejected: 2, spectra.VerdictFailed: 3}

func runRBMSpectra(ctx context.Context, o Options) (*Result, error) {
	spec := rbmSpectraSpecFor(o.Quick, o.seed())
	sopt := spectra.Options{Bootstrap: spec.Bootstrap, Seed: spec.Seed, MinEvals: 10}
	spec.SpectraOptions = sopt.String()
	rec := &rbmSpectraRecipe{Mode: mode(o), Spec: spec}
	res := &Result{Header: []string{"T", "layer", "epoch", "alpha", "alpha_err", "D", "num_spikes", "lambda_max", "mp_edge", "verdict", "mp_at_bound"}, Config: rec}
	measure := func(T float64, layer, epoch int, r *models.RBM) (rbmSpectraPt, error) {
		a, err := spectra.Analyze(ctx, spectra.MatrixLayer("W", r.W), sopt)
		if err != nil {
			return rbmSpectraPt{}, err
		}
		p := rbmSpectraPt{T: T, Layer: layer, Epoch: epoch, Alpha: a.Alpha(), AlphaErr: a.AlphaErr, D: a.Fit.D, Spikes: a.MP.NumSpikes,
			LambdaMax: a.Metrics.SpectralNorm, MPEdge: a.MP.BulkMax, EdgeErr: a.MPEdgeErr, AtBound: a.MP.AtBound, Verdict: a.Verdict}
		bound := 0.0
		if p.AtBound {
			bound = 1
		}
		res.Rows = append(res.Rows, []float64{T, float64(layer), float64(epoch), p.Alpha, p.AlphaErr, p.D, float64(p.Spikes), p.LambdaMax,
			p.MPEdge, verdictCode[p.Verdict], bound})
		return p, nil
	}
	type track struct {
		T      float64
		layer  int
		points []rbmSpectraPt
	}
	var tracks []*track
	var inits []rbmSpectraPt
	prog := o.newProgress(equalParts(len(spec.Temps))...)
	defer prog.finish()
	for ti, T := range spec.Temps {
		prog.upTo(ti) // the parts before this one are done

		data, _, err := learn.IsingData(learn.IsingSpec{L: spec.L, T: T, N: spec.Samples, Seed: spec.Seed + uint64(100*ti)})
		if err != nil {
			return nil, fmt.Errorf("rbm-spectra: %w", err)
		}
		in := data
		for layer := 1; layer <= 2; layer++ {
			tr := &track{T: T, layer: layer}
			tracks = append(tracks, tr)
			r, err := learn.NewRBM(in, spec.Hidden[layer-1], spec.Seed+uint64(10*ti+layer))
			if err != nil {
				return nil, fmt.Errorf("rbm-spectra: %w", err)
			}
			p, err := measure(T, layer, 0, r)
			if err != nil {
				return nil, fmt.Errorf("rbm-spectra: %w", err)
			}
			tr.points = append(tr.points, p)
			if layer == 1 {
				inits = append(inits, p)
			}
			opts := spec.Train
			opts.Seed = spec.Seed + uint64(10*ti+layer)
			var merr error
			opts.Progress = func(done, total int) {
				if merr == nil && (done%spec.Every == 0 || done == total) {
					var p rbmSpectraPt
					if p, merr = measure(T, layer, done, r); merr == nil {
						tr.points = append(tr.points, p)
					}
				}
			}
			if _, err := learn.Train(ctx, r, in, opts); err != nil {
				return nil, fmt.Errorf("rbm-spectra: %w", err)
			}
			if merr != nil {
				return nil, fmt.Errorf("rbm-spectra: %w", merr)
			}
			rec.Final = append(rec.Final, tr.points[len(tr.points)-1])
			in = learn.Up(r, in, nil)
		}
	}
	// Checks. At initialization W has iid N(0, 0.01²) elements (learn.NewRBM): its ESD
	// is Marchenko–Pastur with the exact edge 0.01²(√NV + √NH)², and has no spikes.
	nv := spec.L * spec.L
	edge := 1e-4 * math.Pow(math.Sqrt(float64(nv))+math.Sqrt(float64(spec.Hidden[0])), 2)
	for _, p := range inits {
		res.Checks = append(res.Checks, Check{Name: fmt.Sprintf("T=%.3g, initial W: MP edge = 0.01²(√%d+√%d)²", p.T, nv, spec.Hidden[0]),
			Want: edge, Got: p.MPEdge, Err: p.EdgeErr, OK: math.Abs(p.MPEdge-edge) < 4*p.EdgeErr},
			Check{Name: fmt.Sprintf("T=%.3g, initial W: no spike above the Tracy–Widom edge", p.T), Want: 0, Got: float64(p.Spikes), OK: p.Spikes == 0})
	}
	// Training pulls eigenvalues out of the MP bulk: the RBM must learn the data's
	// correlations, which live in a few directions (the leading eigenvectors of the
	// data covariance); a W that stayed inside the MP bulk would be noise.
	for _, p := range rec.Final {
		if p.Layer == 1 {
			res.Checks = append(res.Checks, Check{Name: fmt.Sprintf("T=%.3g, trained layer 1: spikes above the MP edge", p.T), Want: 1,
				Got: float64(p.Spikes), OK: p.Spikes >= 1})
		}
	}
	res.Figure = rbmSpectraFigure(spec, func(yield func(T float64, layer int, pts []rbmSpectraPt)) {
		for _, tr := range tracks {
			yield(tr.T, tr.layer, tr.points)
		}
	})
	return res, nil
}

// rbmSpectraFigure draws α and λ_max/λ+ against the epochs, per layer and temperature.
func rbmSpectraFigure(spec rbmSpectraSpec, each func(func(T float64, layer int, pts []rbmSpectraPt))) *plot.Figure {
	fig := &plot.Figure{Title: fmt.Sprintf("Weight spectra of RBMs on %d×%d Ising data (CD-1, %d samples)", spec.L, spec.L, spec.Samples), Cols: 2}
	panels := []plot.Panel{
		{Title: fmt.Sprintf("layer 1 (%d×%d): power-law α", spec.L*spec.L, spec.Hidden[0]), XLabel: "epoch", YLabel: "α (WeightWatcher fit)",
			Curves: []plot.Curve{{Name: "α = 2", F: func(float64) float64 { return 2 }, Dashed: true}}},
		{Title: fmt.Sprintf("layer 2 (%d×%d): power-law α", spec.Hidden[0], spec.Hidden[1]), XLabel: "epoch", YLabel: "α (WeightWatcher fit)",
			Curves: []plot.Curve{{Name: "α = 2", F: func(float64) float64 { return 2 }, Dashed: true}}},
		{Title: "layer 1: λ_max / MP edge (fits at a σ bound left out)", XLabel: "epoch", YLabel: "λ_max / λ+", LogY: true},
		{Title: "layer 2: λ_max / MP edge (fits at a σ bound left out)", XLabel: "epoch", YLabel: "λ_max / λ+", LogY: true},
	}
	each(func(T float64, layer int, pts []rbmSpectraPt) {
		var x, a, e, xr, ratio []float64
		for _, p := range pts {
			x = append(x, float64(p.Epoch))
			a, e = append(a, p.Alpha), append(e, p.AlphaErr)
			if !p.AtBound {
				xr, ratio = append(xr, float64(p.Epoch)), append(ratio, p.LambdaMax/p.MPEdge)
			}
		}
		name := fmt.Sprintf("T = %.3g", T)
		panels[layer-1].Series = append(panels[layer-1].Series, plot.Series{Name: name, X: x, Y: a, YErr: e, Line: true})
		panels[layer+1].Series = append(panels[layer+1].Series, plot.Series{Name: name, X: xr, Y: ratio, Line: true})
	})
	fig.Panels = panels
	return fig
}
