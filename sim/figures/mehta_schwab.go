package figures

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"

	"github.com/deepglass/deepglass/analysis/plot"
	"github.com/deepglass/deepglass/learn"
	"github.com/deepglass/deepglass/models"
	"github.com/deepglass/deepglass/rg"
	"github.com/deepglass/deepglass/rg/netrg"
)

func mehtaSchwab() Figure {
	return Figure{
		Name:        "mehta-schwab",
		Paper:       "Mehta & Schwab, arXiv:1410.3831 (2014), An exact mapping between the variational renormalization group and deep learning, Fig. 4",
		Description: "stacked RBMs on near-critical 2D Ising data (K = 0.408): locality and width of the receptive fields per layer, agreement of reconstructions with majority block spins, and the T_c ensemble mapped by the layers",
		FullTime:    "~1.5 min (32×32, layers 1024-256-64-16; measured on a loaded 2-core machine)",
		Run:         runMehtaSchwab,
	}
}

// mehtaSchwabRecipe is the recipe of mehta-schwab, as recorded in NAME.json.
type mehtaSchwabRecipe struct {
	Mode     string                `json:"mode"`
	Spec     string                `json:"spec"`
	Critical int                   `json:"critical_samples"`
	Layers   []netrg.Locality      `json:"layers"`
	Agree    []float64             `json:"block_agreement"`
	Ensemble []netrg.LayerEnsemble `json:"critical_ensemble"`
	// Fields[ℓ−1] holds the receptive fields (L² values, row-major) of the first
	// (up to 16) units of layer ℓ, and Sample one training configuration,
	// Reconstructions[ℓ−1] its mean-field reconstruction through layer ℓ: the data
	// of an image grid beside block spins.
	Fields          [][][]float64 `json:"receptive_fields"`
	Sample          []float64     `json:"sample"`
	Reconstructions [][]float64   `json:"reconstructions"`
}

func runMehtaSchwab(ctx context.Context, o Options) (*Result, error) {
	spec := netrg.MehtaSchwabSpec(o.Quick, o.seed())
	if prog := o.newProgress(1); prog != nil {
		// Every layer trains Layer.Epochs epochs, one after the other.
		var epochs int
		total := float64(spec.Layer.Epochs * len(spec.Hidden))
		spec.Layer.Progress = func(int, int) {
			epochs++
			prog.set(0, float64(epochs)/total)
		}
	}
	st, err := netrg.TrainStack(ctx, spec)
	if err != nil {
		return nil, fmt.Errorf("mehta-schwab: %w", err)
	}
	rep := st.Report(500)
	ncrit := 1024
	crit, _, err := learn.IsingData(learn.IsingSpec{L: spec.L, T: rg.TcIsing, N: ncrit, Seed: o.seed() + 1})
	if err != nil {
		return nil, fmt.Errorf("mehta-schwab: %w", err)
	}
	ens := netrg.MapEnsemble(st.DBN, crit, spec.L, 32, o.seed())
	rec := &mehtaSchwabRecipe{Mode: mode(o), Spec: spec.String(), Critical: ncrit, Layers: rep.Layers, Agree: rep.Agreement, Ensemble: ens,
		Sample: st.Data[0]}
	for layer := 1; layer <= len(st.DBN.Layers); layer++ {
		f := netrg.ReceptiveFields(st.DBN, layer)
		_, nh := f.Dims()
		var fl [][]float64
		for j := range min(nh, 16) {
			fl = append(fl, mat.Col(nil, j, f))
		}
		rec.Fields = append(rec.Fields, fl)
		rec.Reconstructions = append(rec.Reconstructions, netrg.Reconstruct(st.DBN, st.Data[:1], layer, nil)[0])
	}
	res := &Result{Header: []string{"layer", "window", "share", "share_err", "mass_share", "uniform_share", "width", "width_err", "block_agreement",
		"tc_abs_m", "tc_abs_m_err", "tc_energy", "tc_energy_err", "tc_binder", "tc_binder_err", "radius50", "radius50_err"}, Config: rec}
	var ls, share, shareErr, mshare, uni, width, widthErr, r50, r50Err, agree []float64
	for k, l := range rep.Layers {
		e := ens[l.Layer]
		res.Rows = append(res.Rows, []float64{float64(l.Layer), float64(l.Window), l.Share, l.ShareErr, l.MassShare, l.Uniform, l.Width, l.WidthErr,
			rep.Agreement[k], e.AbsM.Mean, e.AbsM.Err, e.Energy.Mean, e.Energy.Err, e.Binder.Mean, e.Binder.Err, l.Radius50, l.Radius50Err})
		ls = append(ls, float64(l.Layer))
		share, shareErr, uni = append(share, l.Share), append(shareErr, l.ShareErr), append(uni, l.Uniform)
		mshare = append(mshare, l.MassShare)
		width, widthErr, agree = append(width, l.Width), append(widthErr, l.WidthErr), append(agree, rep.Agreement[k])
		r50, r50Err = append(r50, l.Radius50), append(r50Err, l.Radius50Err)
	}
	var el, em, emErr, ee, eeErr, eu, euErr []float64
	for _, e := range ens {
		el = append(el, float64(e.Layer))
		em, emErr = append(em, e.AbsM.Mean), append(emErr, e.AbsM.Err)
		ee, eeErr = append(ee, e.Energy.Mean), append(eeErr, e.Energy.Err)
		eu, euErr = append(eu, e.Binder.Mean), append(euErr, e.Binder.Err)
	}
	nl := float64(len(rep.Layers))
	xr := [2]float64{0.5, nl + 0.5}
	res.Figure = &plot.Figure{
		Title: fmt.Sprintf("Variational RG (Mehta & Schwab 2014): %v on %d×%d Ising at K = %.3f", st.DBN, spec.L, spec.L, netrg.KMehtaSchwab),
		Cols:  2, Width: 11, Height: 13,
		Panels: []plot.Panel{
			{Title: "locality of the fields W₁⋯W_ℓ", XLabel: "layer ℓ", YLabel: "share of |field| in (2·2^ℓ)² window",
				XRange: xr, YRange: [2]float64{0, 1.3}, XTicks: ls,
				Series: []plot.Series{{Name: "trained stack (mean ± s.e. over units)", X: ls, Y: share, YErr: shareErr, Line: true},
					{Name: "trained stack, |field|-mass weighted", X: ls, Y: mshare, Line: true},
					{Name: "uniform field (no locality)", X: ls, Y: uni, Line: true}},
				Curves: []plot.Curve{{Name: "must-show 0.7", F: func(float64) float64 { return 0.7 }, Dashed: true}}},
			{Title: "field width", XLabel: "layer ℓ", YLabel: "radius (lattice spacings)", XRange: xr, XTicks: ls, LegendLeft: true,
				Series: []plot.Series{{Name: "half-mass radius (core)", X: ls, Y: r50, YErr: r50Err, Line: true},
					{Name: "rms radius (core + background)", X: ls, Y: width, YErr: widthErr, Line: true}},
				Curves: []plot.Curve{{Name: "block size 2^ℓ / 2 (Kadanoff)", X: ls, Y: halfBlock(ls), Dashed: true}}},
			{Title: "reconstructions vs block spins", XLabel: "layer ℓ (block 2^ℓ × 2^ℓ)", YLabel: "share of blocks with the same sign",
				XRange: xr, YRange: [2]float64{0.4, 1}, XTicks: ls, LegendBottom: true,
				Series: []plot.Series{{Name: "mean-field reconstruction", X: ls, Y: agree, Line: true}},
				Curves: []plot.Curve{{Name: "chance", F: func(float64) float64 { return 0.5 }, Dashed: true}}},
			{Title: fmt.Sprintf("T_c ensemble (%d samples) through the layers", ncrit), XLabel: "layer ℓ (0 = data)", YLabel: "per spin",
				XRange: [2]float64{-0.5, nl + 0.5}, XTicks: el, LegendBottom: true, LegendLeft: true,
				Series: []plot.Series{{Name: "|m|", X: el, Y: em, YErr: emErr, Line: true}, {Name: "−e/2", X: el, Y: scaled(ee, -0.5), YErr: scaled(eeErr, 0.5), Line: true},
					{Name: "Binder U₄", X: el, Y: eu, YErr: euErr, Line: true}},
				Curves: []plot.Curve{{Name: "U* = 0.61069 (Salas & Sokal 2000)", F: func(float64) float64 { return 0.61069 }, Dashed: true}}},
		},
	}
	fields, config := mehtaSchwabImages(rec, spec.L, o.seed())
	res.Figure.Panels = append(res.Figure.Panels, fields, config)
	for _, l := range rep.Layers {
		res.Checks = append(res.Checks, Check{Name: fmt.Sprintf("layer %d: share of |W| in %d×%d window > 0.7", l.Layer, l.Window, l.Window),
			Want: 0.7, Got: l.Share, Err: l.ShareErr, OK: l.Share > 0.7})
	}
	// The width is the half-mass radius: the rms radius also measures the weak
	// background that a field spreads over the whole lattice (see netrg.FieldShape).
	for k := 1; k < len(rep.Layers); k++ {
		a, b := rep.Layers[k-1], rep.Layers[k]
		d, e := b.Radius50-a.Radius50, math.Hypot(a.Radius50Err, b.Radius50Err)
		res.Checks = append(res.Checks, Check{Name: fmt.Sprintf("half-mass radius grows from layer %d to %d (z-score > 4)", a.Layer, b.Layer),
			Want: 4, Got: d / e, OK: d > 4*e})
	}
	return res, nil
}

func halfBlock(ls []float64) []float64 {
	out := make([]float64, len(ls))
	for k, l := range ls {
		out[k] = math.Pow(2, l) / 2
	}
	return out
}

func scaled(x []float64, c float64) []float64 {
	out := make([]float64, len(x))
	for k, v := range x {
		out[k] = c * v
	}
	return out
}

// mehtaSchwabImages draws the receptive fields (the first eight units of every layer,
// each field scaled by its largest |value| so that every unit uses the whole colour
// range) and, for one training configuration, its majority block spins beside the
// mean-field reconstructions of each layer.
func mehtaSchwabImages(rec *mehtaSchwabRecipe, l int, seed uint64) (fields, config plot.Panel) {
	var imgs []plot.Image
	for k, fl := range rec.Fields {
		for j, f := range fl[:min(len(fl), 8)] {
			m := 0.0
			for _, v := range f {
				m = max(m, math.Abs(v))
			}
			if m == 0 {
				m = 1
			}
			imgs = append(imgs, plot.NewImage(fmt.Sprintf("%d.%d", k+1, j+1), scaled(f, 1/m), l, l))
		}
	}
	fields = plot.Panel{Title: "receptive fields ℓ.unit (scaled)",
		Grid: &plot.ImageGrid{Images: imgs, Cols: 8, Min: -1, Max: 1, Colormap: plot.BlueRed, Label: "field / max |field|"}}

	spins := make([]int8, l*l)
	for i, v := range rec.Sample {
		spins[i] = int8(2*v - 1)
	}
	cimgs := []plot.Image{plot.SpinImage("data", spins, l, l)}
	lat, side := models.Square(l), l
	src := rand.NewPCG(seed, 0x6b5)
	for k, r := range rec.Reconstructions {
		bs, err := rg.NewBlockSpin(lat, 2, rg.Majority)
		if err != nil {
			break // the lattice cannot be blocked further
		}
		coarse := make([]int8, bs.Coarse().N())
		bs.Apply(coarse, spins, src)
		spins, lat, side = coarse, bs.Coarse(), side/2
		mean := make([]float64, len(r)) // P(v = 1) as the mean spin 2P − 1
		for i, p := range r {
			mean[i] = 2*p - 1
		}
		cimgs = append(cimgs, plot.SpinImage(fmt.Sprintf("%d×%d", l/side, l/side), spins, side, side),
			plot.NewImage(fmt.Sprintf("rec. %d", k+1), mean, l, l))
	}
	config = plot.Panel{Title: "data, block spins, reconstructions",
		Grid: &plot.ImageGrid{Images: cimgs, Cols: len(cimgs), Min: -1, Max: 1, Colormap: plot.Gray}}
	return fields, config
}
