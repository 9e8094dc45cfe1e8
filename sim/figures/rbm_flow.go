package figures

import (
	"context"
	"fmt"
	"math"

	"github.com/deepglass/deepglass/analysis/plot"
	"github.com/deepglass/deepglass/rg"
	"github.com/deepglass/deepglass/rg/netrg"
)

func rbmFlow() Figure {
	return Figure{
		Name:        "rbm-flow",
		Paper:       "Iso, Shiba & Yokoo, Phys. Rev. E 97, 053304 (2018), arXiv:1801.07172, Scale-invariant feature extraction of neural network and renormalization group flow",
		Description: "temperature read along the RBM flow v → h → v′ from T = 0 and T = 6 starts, for RBMs trained on all, only high and only low temperatures of L = 10 Ising data, and the fixed point against the epochs of training (CSV column train: 0 all, 1 high, 2 low)",
		FullTime:    "~1 min (measured on a loaded 2-core machine)",
		Run:         runRBMFlow,
	}
}

// rbmFlowRecipe is the recipe of rbm-flow, as recorded in NAME.json.
type rbmFlowRecipe struct {
	Mode        string             `json:"mode"`
	Spec        string             `json:"spec"`
	Thermometer string             `json:"thermometer"`
	Flows       []netrg.FlowResult `json:"flows"`
}

func runRBMFlow(ctx context.Context, o Options) (*Result, error) {
	spec := netrg.IsoSpec(o.Quick, o.seed())
	lab, err := netrg.NewFlowLab(spec)
	if err != nil {
		return nil, fmt.Errorf("rbm-flow: %w", err)
	}
	rec := &rbmFlowRecipe{Mode: mode(o), Spec: spec.String(), Thermometer: lab.Thermometer.String()}
	res := &Result{Header: []string{"train", "from_T", "step", "T", "T_err"}, Config: rec}
	// The CSV's train column: 0 = all, 1 = high, 2 = low temperatures.
	fig := &plot.Figure{Title: fmt.Sprintf("RBM flows (Iso, Shiba & Yokoo 2018): L = %d, %d hidden units, %s flow",
		spec.L, spec.Hidden, spec.Mode), Cols: 2, Width: 11, Height: 13}
	want := map[netrg.TrainSet][2]float64{netrg.TrainAll: {1.8, 2.8}, netrg.TrainHigh: {2.8, 6}, netrg.TrainLow: {0, 1.8}}
	// The RBM trained on all temperatures also runs its flows at stages of the
	// training (about 20 of them): where they settle depends on how long it trained.
	every := max(1, spec.RBM.Epochs/20)
	// Training the RBMs takes most of the time; the one trained on all temperatures
	// also runs about 20 scans of flows, which take about as long again.
	prog := o.newProgress(2, 1, 1)
	for si, set := range []netrg.TrainSet{netrg.TrainAll, netrg.TrainHigh, netrg.TrainLow} {
		scan := 0
		if set == netrg.TrainAll {
			scan = every
		}
		lab.Spec.RBM.Progress = prog.epochs(si)
		r, err := lab.RunScan(ctx, set, scan)
		if err != nil {
			return nil, fmt.Errorf("rbm-flow: %w", err)
		}
		rec.Flows = append(rec.Flows, r)
		p := plot.Panel{Title: fmt.Sprintf("RBM trained on %s temperatures", set), XLabel: "flow step", YLabel: "temperature read (J/k_B)",
			YRange: [2]float64{0, 6}, LegendBottom: true,
			Curves: []plot.Curve{{Name: "T_c = 2.269", F: func(float64) float64 { return rg.TcIsing }, Dashed: true}}}
		for _, s := range r.Starts {
			var x, y, e []float64
			for k, est := range s.Series {
				x, y, e = append(x, float64(k)), append(y, est.Mean), append(e, est.Err)
				res.Rows = append(res.Rows, []float64{float64(set), s.FromT, float64(k), est.Mean, est.Err})
			}
			p.Series = append(p.Series, plot.Series{Name: fmt.Sprintf("from T = %g: fixed point %.2f ± %.2f", s.FromT, s.FixedPointT.Mean, s.FixedPointT.Err), X: x, Y: y, YErr: e, Line: true})
			w := want[set]
			res.Checks = append(res.Checks, Check{Name: fmt.Sprintf("trained on %s, from T=%g: fixed point in (%g, %g)", set, s.FromT, w[0], w[1]),
				Want: (w[0] + w[1]) / 2, Got: s.FixedPointT.Mean, Err: s.FixedPointT.Err, OK: s.FixedPointT.Mean > w[0] && s.FixedPointT.Mean < w[1]})
		}
		fig.Panels = append(fig.Panels, p)
	}
	fig.Panels = append(fig.Panels, trainingScanPanel(rec.Flows[0], spec, want[netrg.TrainAll]), chainsPanel(rec.Flows[0]))
	res.Figure = fig
	return res, nil
}

// trainingScanPanel plots the fixed points of the flows of r (trained on all
// temperatures) against the epochs of training, beside the band the checks want.
func trainingScanPanel(r netrg.FlowResult, spec netrg.FlowSpec, band [2]float64) plot.Panel {
	p := plot.Panel{Title: "fixed point vs training (RBM trained on all T)", XLabel: fmt.Sprintf("epochs of CD-1 (%d updates each)", updatesPerEpoch(spec)),
		YLabel: "fixed point T", YRange: [2]float64{0, 6}, LegendBottom: true,
		Curves: []plot.Curve{{Name: "T_c = 2.269", F: func(float64) float64 { return rg.TcIsing }, Dashed: true},
			{Name: fmt.Sprintf("band %g … %g", band[0], band[1]), F: func(float64) float64 { return band[0] }, Dashed: true},
			{Name: "", F: func(float64) float64 { return band[1] }, Dashed: true}}}
	for k, from := range spec.Starts {
		var x, y, e []float64
		for _, sp := range r.Scan {
			x, y, e = append(x, float64(sp.Epochs)), append(y, sp.FixedPointT[k].Mean), append(e, sp.FixedPointT[k].Err)
		}
		p.Series = append(p.Series, plot.Series{Name: fmt.Sprintf("from T = %g", from), X: x, Y: y, YErr: e, Line: true})
	}
	return p
}

// updatesPerEpoch is the number of minibatch updates in one epoch on all the data.
func updatesPerEpoch(spec netrg.FlowSpec) int {
	n := spec.Samples * len(spec.Temps)
	return (n + spec.RBM.Batch - 1) / spec.RBM.Batch
}

// chainsPanel draws the distribution over chains of the fixed points of r's flows
// (a histogram in bins of 0.1, as a step line).
func chainsPanel(r netrg.FlowResult) plot.Panel {
	const lo, hi, bin = 0.0, 6.0, 0.1
	p := plot.Panel{Title: "fixed point per chain (RBM trained on all T)", XLabel: "chain's fixed point T", YLabel: "share of chains per 0.1",
		XRange: [2]float64{lo, hi},
		Curves: []plot.Curve{{Name: "T_c = 2.269", X: []float64{rg.TcIsing, rg.TcIsing}, Y: []float64{0, 1}, Dashed: true}}}
	nb := int(math.Round((hi - lo) / bin))
	for i, s := range r.Starts {
		count := make([]float64, nb)
		for _, t := range s.Chains {
			k := min(nb-1, max(0, int((t-lo)/bin)))
			count[k] += 1 / float64(len(s.Chains))
		}
		var x, y []float64
		for k, c := range count {
			x, y = append(x, lo+float64(k)*bin, lo+float64(k+1)*bin), append(y, c, c)
		}
		p.Curves = append(p.Curves, plot.Curve{Name: fmt.Sprintf("from T = %g (%d chains)", s.FromT, len(s.Chains)), X: x, Y: y, Color: plot.SeriesColor(i)})
	}
	return p
}
