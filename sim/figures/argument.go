package figures

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"image/color"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/deepglass/deepglass/analysis"
	"github.com/deepglass/deepglass/analysis/plot"
	"github.com/deepglass/deepglass/rg"
)

func argumentFigure() Figure {
	return Figure{
		Name:  "argument",
		Paper: "C. H. Martin, \"Why do deep learning networks scale?\" (KDnuggets, 2016) and the papers it cites; the claims and verdicts are in docs/argument.md",
		Description: "the essay's argument from the other figures' results: p-spin minima beside trained-net losses, glass against funnel, " +
			"the RBM flow against T_c, the order–chaos boundary (with trainable depth when present), α of weight spectra, I(d) of text beside the critical Ising model, the stability of a deep MLP",
		FullTime: "seconds when -out holds its parts' full-mode NAME.json and NAME.csv (as docs/figures does); else the sum of the parts' full modes (≈ 3 h on two loaded cores: choromanska-nets ≈ 2 h, exploding-mlp 35 min)",
		Run:      runArgument,
	}
}

// argumentPart is a figure whose results the argument figure draws.
type argumentPart struct {
	name string
	// quick: run in the argument's quick mode (the others are drawn only when their
	// quick-mode outputs are in Options.Out).
	quick bool
	// optional: never run, drawn only when its outputs are in Options.Out (figures
	// that may not be in the catalog yet).
	optional bool
}

// argumentParts are the parts in the order of the panels. The quick subset keeps the
// quick mode of the argument near half a minute of CPU time (choromanska-nets, which
// needs MNIST, is left out).
var argumentParts = []argumentPart{
	{name: "choromanska-spin-glass", quick: true},
	{name: "choromanska-nets"},
	{name: "funnel-vs-glass", quick: true},
	{name: "rbm-flow", quick: true},
	{name: "poole-phase-diagram", quick: true},
	{name: "trainable-depth", optional: true},
	{name: "rbm-spectra", quick: true},
	{name: "htsr-training", optional: true},
	{name: "lin-tegmark", quick: true},
	{name: "exploding-mlp"},
}

// partResult is what the argument figure knows of one part: its recipe, checks and
// rows, read from NAME.json and NAME.csv or produced by running it.
type partResult struct {
	Name     string `json:"name"`
	Source   string `json:"source"` // "read", "ran" or "missing"
	Mode     string `json:"mode,omitempty"`
	Revision string `json:"revision,omitempty"`
	Checks   int    `json:"checks"`
	Failed   int    `json:"failed"`
	config   map[string]any
	checks   []Check
	header   []string
	rows     [][]float64
}

// argumentRecipe is the recipe of argument, as recorded in NAME.json.
type argumentRecipe struct {
	Mode  string        `json:"mode"`
	Seed  uint64        `json:"seed"`
	Parts []*partResult `json:"parts"`
	Note  string        `json:"note"`
}

func runArgument(ctx context.Context, o Options) (*Result, error) {
	rec := &argumentRecipe{Mode: mode(o), Seed: o.seed(),
		Note: "each part is read from NAME.json and NAME.csv in the output directory when they hold the same mode (full mode also takes a quick-mode output), else run (quick mode runs only a subset); the checks say that each part's results are present, and its own checks are counted in parts (a part's failed check is a finding of that figure, discussed in docs/argument.md)"}
	res := &Result{Header: []string{"part", "rows", "checks", "failed_checks"}, Config: rec} // parts in the order of recipe.parts
	var weights []float64
	for _, p := range argumentParts {
		w := 0.0
		if !p.optional && (p.quick || !o.Quick) {
			w = 1
		}
		weights = append(weights, w)
	}
	prog := o.newProgress(weights...)
	defer prog.finish()
	parts := map[string]*partResult{}
	for k, p := range argumentParts {
		r, err := loadPart(ctx, o, p, prog, k)
		if err != nil {
			return nil, fmt.Errorf("argument: %s: %w", p.name, err)
		}
		prog.set(k, 1)
		rec.Parts = append(rec.Parts, r)
		parts[p.name] = r
		if !p.optional && (p.quick || !o.Quick) {
			got := 0.0
			if r.Source != "missing" {
				got = 1
			}
			res.Checks = append(res.Checks, Check{Name: fmt.Sprintf("%s: results present (%s; %d of its %d checks failed)", p.name, r.Source, r.Failed, r.Checks),
				Want: 1, Got: got, OK: got == 1})
		}
	}
	for i, r := range rec.Parts {
		res.Rows = append(res.Rows, []float64{float64(i), float64(len(r.rows)), float64(r.Checks), float64(r.Failed)})
	}
	fig := &plot.Figure{Title: "Why do deep networks train and scale? Claims of the essay, measured (docs/argument.md)", Cols: 3, Width: 17}
	for _, panel := range []func(map[string]*partResult) []plot.Panel{
		pspinPanel, netsPanel, funnelPanel, flowPanel, chaosPanel, spectraPanel, infoPanel, stabilityPanel,
	} {
		fig.Panels = append(fig.Panels, panel(parts)...)
	}
	fig.Height = 4.2 * float64((len(fig.Panels)+2)/3)
	res.Figure = fig
	return res, nil
}

// loadPart reads part p from o.Out, or runs it.
func loadPart(ctx context.Context, o Options, p argumentPart, prog *progress, k int) (*partResult, error) {
	r := &partResult{Name: p.name, Source: "missing"}
	if o.Out != "" {
		ok, err := readPart(o.Out, mode(o), r)
		if err != nil {
			return nil, err
		}
		if ok {
			r.Source = "read"
			return r, nil
		}
	}
	f, found := Lookup(p.name)
	if p.optional || !found || (o.Quick && !p.quick) {
		return r, nil
	}
	sub := Options{Quick: o.Quick, Seed: o.Seed, Threads: o.Threads}
	if prog != nil {
		sub.Progress = func(x float64) { prog.set(k, x) }
	}
	out, err := f.Run(ctx, sub)
	if err != nil {
		return nil, err
	}
	// The recipe as NAME.json holds it (NaN and ±Inf as null).
	data, err := analysis.MarshalJSON(out.Config)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(data, &r.config); err != nil {
		return nil, err
	}
	r.Source, r.Mode, r.checks, r.header, r.rows = "ran", mode(o), out.Checks, out.Header, out.Rows
	r.count()
	return r, nil
}

// count records the number of checks and of failed ones.
func (r *partResult) count() {
	r.Checks, r.Failed = len(r.checks), 0
	for _, c := range r.checks {
		if !c.OK {
			r.Failed++
		}
	}
}

// readPart reads dir/NAME.json and dir/NAME.csv into r; it reports false when either
// is missing or the JSON holds another mode (in full mode, other than quick).
func readPart(dir, want string, r *partResult) (bool, error) {
	data, err := os.ReadFile(filepath.Join(dir, r.Name+".json"))
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	var doc struct {
		Figure   string         `json:"figure"`
		Revision string         `json:"revision"`
		Checks   []nullCheck    `json:"checks"`
		Config   map[string]any `json:"config"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return false, fmt.Errorf("%s.json: %w", r.Name, err)
	}
	// Full mode draws a quick-mode output when that is all there is (a part whose
	// full mode was not run); the panel says which mode it shows.
	m, _ := doc.Config["mode"].(string)
	if doc.Figure != r.Name || (m != want && !(want == "full" && m == "quick")) {
		return false, nil
	}
	f, err := os.Open(filepath.Join(dir, r.Name+".csv"))
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return false, fmt.Errorf("%s.csv: %w", r.Name, err)
	}
	if len(recs) == 0 {
		return false, fmt.Errorf("%s.csv: no header", r.Name)
	}
	r.header = recs[0]
	for i, rec := range recs[1:] {
		row := make([]float64, len(rec))
		for j, s := range rec {
			if row[j], err = strconv.ParseFloat(s, 64); err != nil {
				return false, fmt.Errorf("%s.csv line %d: %w", r.Name, i+2, err)
			}
		}
		r.rows = append(r.rows, row)
	}
	r.Mode, r.Revision, r.config = m, doc.Revision, doc.Config
	for _, c := range doc.Checks {
		r.checks = append(r.checks, Check{Name: c.Name, Want: c.Want.f(), Got: c.Got.f(), Err: c.Err.f(), OK: c.OK})
	}
	r.count()
	return true, nil
}

// nullFloat is a float of NAME.json, where null stands for NaN or ±Inf.
type nullFloat struct{ v *float64 }

func (n *nullFloat) UnmarshalJSON(b []byte) error { return json.Unmarshal(b, &n.v) }

func (n nullFloat) f() float64 {
	if n.v == nil {
		return math.NaN()
	}
	return *n.v
}

type nullCheck struct {
	Name string    `json:"name"`
	Want nullFloat `json:"want"`
	Got  nullFloat `json:"got"`
	Err  nullFloat `json:"err"`
	OK   bool      `json:"ok"`
}

// col returns the index of the column called name, or −1.
func (r *partResult) col(name string) int {
	for i, h := range r.header {
		if h == name {
			return i
		}
	}
	return -1
}

// ok reports whether the part has rows with the named columns.
func (r *partResult) ok(cols ...string) bool {
	if r == nil || len(r.rows) == 0 {
		return false
	}
	for _, c := range cols {
		if r.col(c) < 0 {
			return false
		}
	}
	return true
}

// num returns the number at the dotted path of the part's recipe (array indices as
// numbers), or NaN.
func (r *partResult) num(path string) float64 {
	var v any = r.config
	for _, key := range strings.Split(path, ".") {
		switch x := v.(type) {
		case map[string]any:
			v = x[key]
		case []any:
			i, err := strconv.Atoi(key)
			if err != nil || i < 0 || i >= len(x) {
				return math.NaN()
			}
			v = x[i]
		default:
			return math.NaN()
		}
	}
	if f, ok := v.(float64); ok {
		return f
	}
	return math.NaN()
}

// missingPanel says that a part has no results in this mode.
func missingPanel(title, name string) plot.Panel {
	return plot.Panel{Title: title + ": not run in this mode", XLabel: "", YLabel: "",
		Curves: []plot.Curve{{Name: "no data: deepglass figure " + name + " -out DIR", X: []float64{0, 1}, Y: []float64{0, 0}, Color: color.Gray{Y: 0xb0}}}}
}

// stepHistogram returns the step line of the density of xs in nb bins over [lo, hi].
func stepHistogram(xs []float64, lo, hi float64, nb int) (x, y []float64) {
	return stepCurve(histogram(xs, lo, hi, nb))
}

// groups splits the values of column val by the value of column key, keys ascending.
func (r *partResult) groups(key, val string, keep func(row []float64) bool) ([]float64, map[float64][]float64) {
	ki, vi := r.col(key), r.col(val)
	g := map[float64][]float64{}
	for _, row := range r.rows {
		if keep != nil && !keep(row) {
			continue
		}
		g[row[ki]] = append(g[row[ki]], row[vi])
	}
	var keys []float64
	for k := range g {
		keys = append(keys, k)
	}
	sort.Float64s(keys)
	return keys, g
}

// pspinPanel: claim 1, the minima of the spherical 3-spin glass against N, with the band.
func pspinPanel(parts map[string]*partResult) []plot.Panel {
	const title = "Claim 1: 3-spin minima"
	r := parts["choromanska-spin-glass"]
	if !r.ok("N", "energy") {
		return []plot.Panel{missingPanel(title, "choromanska-spin-glass")}
	}
	e0, einf := r.num("e0"), r.num("e_inf")
	p := plot.Panel{Title: fmt.Sprintf("%s vs N; band [−E0, −E∞]", title), XLabel: "energy per spin of a minimum (ABC)", YLabel: "density",
		VLines: []float64{-e0, -einf}, XRange: [2]float64{-1.75, -1.2}}
	keys, g := r.groups("N", "energy", nil)
	for i, n := range keys {
		x, y := stepHistogram(g[n], -1.75, -1.2, 44)
		p.Curves = append(p.Curves, plot.Curve{Name: fmt.Sprintf("N = %g (%d minima)", n, len(g[n])), X: x, Y: y, Color: plot.SeriesColor(i)})
	}
	return []plot.Panel{p}
}

// netsPanel: claim 1 for networks, histograms of the test losses of trained nets against width.
func netsPanel(parts map[string]*partResult) []plot.Panel {
	const title = "Claim 1: trained nets"
	r := parts["choromanska-nets"]
	if !r.ok("hidden", "test_loss") {
		return []plot.Panel{missingPanel(title, "choromanska-nets")}
	}
	keys, g := r.groups("hidden", "test_loss", nil)
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range g {
		for _, x := range v {
			lo, hi = math.Min(lo, x), math.Max(hi, x)
		}
	}
	pad := 0.05 * (hi - lo)
	p := plot.Panel{Title: fmt.Sprintf("%s: test losses, 100-n-10 (%s)", title, r.Mode), XLabel: "test loss (nats)", YLabel: "density"}
	for i, n := range keys {
		x, y := stepHistogram(g[n], lo-pad, hi+pad, 30)
		p.Curves = append(p.Curves, plot.Curve{Name: fmt.Sprintf("n = %g (%d nets)", n, len(g[n])), X: x, Y: y, Color: plot.SeriesColor(i)})
	}
	return []plot.Panel{p}
}

// funnelPanel: claim 4, the funnel plot (energy of every minimum against its overlap
// with the reference state) of a glass, a planted glass and the BW funnel.
func funnelPanel(parts map[string]*partResult) []plot.Panel {
	const title = "Claim 4: glass vs funnel"
	r := parts["funnel-vs-glass"]
	if !r.ok("kind", "x", "y") {
		return []plot.Panel{missingPanel(title, "funnel-vs-glass")}
	}
	p := plot.Panel{Title: fmt.Sprintf("%s: exact minima, N = %g", title, r.num("n")), XLabel: "|q| with the reference state", YLabel: "energy per spin of a minimum (J)", XRange: [2]float64{-0.02, 1.02}}
	names := []string{"SK glass (ground state)", "planted SK, J0 = 2 (ξ)"}
	ki, xi, yi := r.col("kind"), r.col("x"), r.col("y")
	// The BW funnel's thousands of minima (kind 2) would hide the others: its panel
	// is in funnel-vs-glass.
	for _, kind := range []int{0, 1} {
		s := plot.Series{}
		for _, row := range r.rows {
			if int(row[ki]) == kind {
				s.X, s.Y = append(s.X, row[xi]), append(s.Y, row[yi])
			}
		}
		s.Name = fmt.Sprintf("%s: %d minima", names[kind], len(s.X))
		p.Series = append(p.Series, s)
	}
	return []plot.Panel{p}
}

// flowPanel: claim 5, the fixed point of the RBM flow against the epochs of training.
func flowPanel(parts map[string]*partResult) []plot.Panel {
	const title = "Claim 5: RBM flow vs T_c"
	r := parts["rbm-flow"]
	if r == nil || r.config == nil {
		return []plot.Panel{missingPanel(title, "rbm-flow")}
	}
	p := plot.Panel{Title: fmt.Sprintf("%s: fixed point vs training (%s)", title, r.Mode), XLabel: "epochs of CD-1 (RBM trained on all T)",
		YLabel: "fixed point of the flow (J/k_B)", YRange: [2]float64{0, 6}, LegendBottom: true,
		Curves: []plot.Curve{{Name: "T_c = 2.269", F: func(float64) float64 { return rg.TcIsing }, Dashed: true}}}
	for k, from := range []string{"0", "6"} {
		s := plot.Series{Name: "flow from T = " + from, Line: true}
		for i := 0; ; i++ {
			ep := r.num(fmt.Sprintf("flows.0.training_scan.%d.epochs", i))
			if math.IsNaN(ep) {
				break
			}
			s.X = append(s.X, ep)
			s.Y = append(s.Y, r.num(fmt.Sprintf("flows.0.training_scan.%d.fixed_point_T.%d.mean", i, k)))
			s.YErr = append(s.YErr, r.num(fmt.Sprintf("flows.0.training_scan.%d.fixed_point_T.%d.err", i, k)))
		}
		p.Series = append(p.Series, s)
	}
	return []plot.Panel{p}
}

// chaosPanel: claim 6, the order–chaos boundary χ₁ = 1 of deep tanh nets, with the
// trainable depth when its results are present.
func chaosPanel(parts map[string]*partResult) []plot.Panel {
	const title = "Claim 6: order vs chaos"
	r := parts["poole-phase-diagram"]
	if !r.ok("sw2", "sb2", "chi1", "xi_c") {
		return []plot.Panel{missingPanel(title, "poole-phase-diagram")}
	}
	// The boundary: on each row σ_b², where χ₁ crosses 1 (linear interpolation).
	keys, chi := r.groups("sb2", "chi1", nil)
	_, sw := r.groups("sb2", "sw2", nil)
	var bx, by []float64
	for _, b := range keys {
		c, w := chi[b], sw[b]
		for i := 1; i < len(c); i++ {
			if (c[i-1]-1)*(c[i]-1) <= 0 && c[i] != c[i-1] {
				bx, by = append(bx, w[i-1]+(1-c[i-1])*(w[i]-w[i-1])/(c[i]-c[i-1])), append(by, b)
				break
			}
		}
	}
	// ξ_c at σ_b² = 0.05 (or the row nearest to it) against σ_w².
	best := keys[0]
	for _, b := range keys {
		if math.Abs(b-0.05) < math.Abs(best-0.05) {
			best = b
		}
	}
	_, xi := r.groups("sb2", "xi_c", nil)
	p := plot.Panel{Title: fmt.Sprintf("%s: depth scale ξ_c (tanh)", title), XLabel: "σ_w²", YLabel: "layers", LogY: true,
		Series: []plot.Series{{Name: fmt.Sprintf("ξ_c at σ_b² = %g", best), X: sw[best], Y: xi[best], Line: true}},
		Curves: []plot.Curve{{Name: "6 ξ_c (Schoenholz et al.: trainable depth)", X: sw[best], Y: scale(xi[best], 6), Dashed: true}}}
	for i, b := range by {
		if b == best {
			p.VLines = []float64{bx[i]}
		}
	}
	q := plot.Panel{Title: fmt.Sprintf("%s: boundary χ₁ = 1 (tanh)", title), XLabel: "σ_w²", YLabel: "σ_b²",
		Curves: []plot.Curve{{Name: "χ₁ = 1: ordered (left) | chaotic (right)", X: bx, Y: by}}}
	if d := parts["trainable-depth"]; d.ok("sw2", "depth", "train_accuracy") {
		return []plot.Panel{p, q, trainableDepthPanel(d, p)}
	}
	return []plot.Panel{p, q}
}

// trainableDepthPanel draws the training accuracy of the trainable-depth figure's nets
// as a heat map over (σ_w², L), with 6ξ_c of the maps and the fitted c·ξ_c over it.
func trainableDepthPanel(d *partResult, xiPanel plot.Panel) plot.Panel {
	xi, yi, zi := d.col("sw2"), d.col("depth"), d.col("train_accuracy")
	xs, ys := map[float64]bool{}, map[float64]bool{}
	for _, row := range d.rows {
		xs[row[xi]], ys[row[yi]] = true, true
	}
	sorted := func(m map[float64]bool) []float64 {
		var v []float64
		for k := range m {
			v = append(v, k)
		}
		sort.Float64s(v)
		return v
	}
	x, y := sorted(xs), sorted(ys)
	z := make([][]float64, len(y))
	for i := range z {
		z[i] = make([]float64, len(x))
		for j := range z[i] {
			z[i][j] = math.NaN()
		}
	}
	for _, row := range d.rows {
		i, j := sort.SearchFloat64s(y, row[yi]), sort.SearchFloat64s(x, row[xi])
		z[i][j] = row[zi]
	}
	p := plot.Panel{Title: "Claim 6: trainable depth (" + d.Mode + "): training accuracy", XLabel: "σ_w²", YLabel: "depth L",
		Heat: &plot.HeatMap{Z: z, X: x, Y: y, Label: "training accuracy"}, LegendBottom: true}
	if len(x) > 1 && len(y) > 1 {
		p.XRange = [2]float64{x[0] - (x[1]-x[0])/2, x[len(x)-1] + (x[1]-x[0])/2}
		p.YRange = [2]float64{0, y[len(y)-1] * 1.1}
	}
	if len(xiPanel.Curves) > 0 {
		c := xiPanel.Curves[0]
		c.Color = color.White
		p.Curves = append(p.Curves, c)
		if k := d.num("c"); !math.IsNaN(k) && len(xiPanel.Series) > 0 {
			s := xiPanel.Series[0]
			p.Curves = append(p.Curves, plot.Curve{Name: fmt.Sprintf("c ξ_c, c = %.2f ± %.2f (fit)", k, d.num("c_err")), X: s.X, Y: scale(s.Y, k), Color: color.Black})
		}
	}
	return p
}

func scale(x []float64, f float64) []float64 {
	y := make([]float64, len(x))
	for i, v := range x {
		y[i] = f * v
	}
	return y
}

// spectraPanel: claim 12, the tail exponent α of the weight spectra of RBMs during
// training (and of MLPs against batch size, when htsr-training is present).
func spectraPanel(parts map[string]*partResult) []plot.Panel {
	const title = "Claim 12"
	var out []plot.Panel
	r := parts["rbm-spectra"]
	if r.ok("T", "layer", "epoch", "alpha", "alpha_err") {
		p := plot.Panel{Title: fmt.Sprintf("%s: α of RBM layer 1 (%s)", title, r.Mode), XLabel: "epochs of CD-1", YLabel: "power-law exponent α",
			YRange: [2]float64{0, 10},
			Curves: []plot.Curve{{Name: "α = 2 (below: \"glassy\")", F: func(float64) float64 { return 2 }, Dashed: true}}}
		ti, li, ei, ai, si := r.col("T"), r.col("layer"), r.col("epoch"), r.col("alpha"), r.col("alpha_err")
		byT := map[float64]*plot.Series{}
		var temps []float64
		for _, row := range r.rows {
			if row[li] != 1 || row[ai] < 0 {
				continue
			}
			s := byT[row[ti]]
			if s == nil {
				s = &plot.Series{Name: fmt.Sprintf("data at T = %.3g", row[ti]), Line: true}
				byT[row[ti]] = s
				temps = append(temps, row[ti])
			}
			s.X, s.Y, s.YErr = append(s.X, row[ei]), append(s.Y, row[ai]), append(s.YErr, row[si])
		}
		for _, t := range temps {
			p.Series = append(p.Series, *byT[t])
		}
		out = append(out, p)
	} else {
		out = append(out, missingPanel(title, "rbm-spectra"))
	}
	if h := parts["htsr-training"]; h != nil && h.config != nil {
		// htsr-training's recipe holds the final α_FC1 per reading and batch size
		// (mean and standard error over seeds).
		if final, _ := h.config["final"].([]any); len(final) > 0 {
			p := plot.Panel{Title: "Claim 12: α of an MLP's first layer vs batch (" + h.Mode + ")", XLabel: "batch size b", LogX: true,
				YLabel: "final α of FC1 (784×300)",
				Curves: []plot.Curve{{Name: "α = 2", F: func(float64) float64 { return 2 }, Dashed: true}}}
			names := map[string]string{"sum": "summed loss, step 0.01·b", "mean": "mean loss, step 0.01"}
			ser := map[string]*plot.Series{}
			var order []string
			for _, f := range final {
				m, _ := f.(map[string]any)
				r, _ := m["reading"].(string)
				b, _ := m["batch"].(float64)
				a, _ := m["alpha_fc1"].(float64)
				e, _ := m["alpha_fc1_err"].(float64)
				if ser[r] == nil {
					ser[r] = &plot.Series{Name: names[r], Line: true}
					order = append(order, r)
				}
				ser[r].X, ser[r].Y, ser[r].YErr = append(ser[r].X, b), append(ser[r].Y, a), append(ser[r].YErr, e)
			}
			for _, r := range order {
				p.Series = append(p.Series, *ser[r])
			}
			out = append(out, p)
		}
	}
	return out
}

// infoPanel: claim 8, the mutual information I(d) of English text beside that of the
// critical 2D Ising model and of the digits of π.
func infoPanel(parts map[string]*partResult) []plot.Panel {
	const title = "Claim 8: I(d)"
	r := parts["lin-tegmark"]
	if !r.ok("series", "d", "I_bits", "err") {
		return []plot.Panel{missingPanel(title, "lin-tegmark")}
	}
	p := plot.Panel{Title: fmt.Sprintf("%s: text vs Ising at T_c (%s)", title, r.Mode), XLabel: "distance d (characters; sites for Ising)",
		YLabel: "I(d) (bits)", LogX: true, LogY: true, YRange: [2]float64{1e-4, 2}}
	si, di, ii, ei := r.col("series"), r.col("d"), r.col("I_bits"), r.col("err")
	for k := 0; ; k++ {
		spec, ok := r.config["series"].([]any)
		if !ok || k >= len(spec) {
			break
		}
		m, _ := spec[k].(map[string]any)
		name, _ := m["spec"].(string)
		label := ""
		switch {
		case strings.HasPrefix(name, "corpus:kjv"):
			label = "English (King James Bible)"
		case strings.HasPrefix(name, "ising:") && strings.Contains(name, "T=2.269"):
			label = "2D Ising at T_c, " + strings.Split(strings.TrimPrefix(name, "ising:"), ",")[0]
		default:
			continue
		}
		s := plot.Series{Name: label}
		for _, row := range r.rows {
			// Positive values only, on log axes.
			if int(row[si]) == k && row[ii] > 0 {
				s.X, s.Y, s.YErr = append(s.X, row[di]), append(s.Y, row[ii]), append(s.YErr, row[ei])
			}
		}
		p.Series = append(p.Series, s)
	}
	return []plot.Panel{p}
}

// stabilityPanel: claims 3 and 10, the training accuracy of a 5-layer MLP trained long,
// without damping and with each kind of damping (seed 1).
func stabilityPanel(parts map[string]*partResult) []plot.Panel {
	const title = "Claims 3, 10: stability"
	r := parts["exploding-mlp"]
	if !r.ok("part", "setting", "seed", "epoch", "train_accuracy", "test_accuracy") {
		return []plot.Panel{missingPanel(title, "exploding-mlp")}
	}
	p := plot.Panel{Title: fmt.Sprintf("%s: 5-layer MLP, seed 1 (%s)", title, r.Mode), XLabel: "epoch", YLabel: "accuracy", YRange: [2]float64{0, 1.05}, LegendBottom: true}
	names := []string{"no damping: train", "weight decay 3e-4: train", "clipping |g| ≤ 1: train", "η = 0.03: train"}
	pi, si, di, ei, ti, vi := r.col("part"), r.col("setting"), r.col("seed"), r.col("epoch"), r.col("train_accuracy"), r.col("test_accuracy")
	for k, name := range names {
		s := plot.Series{Name: name, Line: true}
		t := plot.Series{Name: "no damping: test", Line: true}
		for _, row := range r.rows {
			if row[pi] == 0 && int(row[si]) == k && row[di] == 1 {
				s.X, s.Y = append(s.X, row[ei]), append(s.Y, row[ti])
				t.X, t.Y = append(t.X, row[ei]), append(t.Y, row[vi])
			}
		}
		p.Series = append(p.Series, s)
		if k == 0 {
			p.Series = append(p.Series, t)
		}
	}
	return []plot.Panel{p}
}
