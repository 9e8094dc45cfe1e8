package figures

import (
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/deepglass/deepglass/analysis"
	"github.com/deepglass/deepglass/analysis/plot"
	"github.com/deepglass/deepglass/sim"
)

// Figure is a paper figure as a recipe.
type Figure struct {
	// Name is the command-line name (e.g. "ising-exact").
	Name string
	// Paper cites what the figure reproduces.
	Paper string
	// Description is one line on what the figure shows.
	Description string
	// FullTime is how long the full mode takes on two cores (e.g. "4 min").
	FullTime string
	// Run makes the figure.
	Run func(ctx context.Context, o Options) (*Result, error)
}

// String returns the name and the description.
func (f Figure) String() string { return f.Name + ": " + f.Description }

// Options select the mode of a figure run; they are part of the recipe.
type Options struct {
	// Quick runs smaller systems and fewer sweeps (under a minute on two cores).
	Quick bool
	// Seed determines every random number (0 means 1).
	Seed uint64
	// Out is where the caller will write the files; figures themselves write nothing.
	Out string
	// Threads is the number of goroutines sweeping at once (0: GOMAXPROCS).
	Threads int
	// Progress, if not nil, is called as the figure's inner runs go, with the fraction
	// of its work done (the parts weighted by their estimated cost), never from two
	// goroutines at once. It changes no number of the figure.
	Progress func(fraction float64) `json:"-"`
}

// String describes the mode.
func (o Options) String() string {
	mode := "full"
	if o.Quick {
		mode = "quick"
	}
	return fmt.Sprintf("%s mode, seed %d", mode, o.seed())
}

func (o Options) seed() uint64 {
	if o.Seed == 0 {
		return 1
	}
	return o.Seed
}

// Check is one measured number against its reference: Got ± Err against Want.
// For a bound (a z-score against a limit, a value that must stay below a
// threshold), Want is the bound and Err is 0. OK says whether the check passed.
type Check struct {
	Name string  `json:"name"`
	Want float64 `json:"want"`
	Got  float64 `json:"got"`
	Err  float64 `json:"err"`
	OK   bool    `json:"ok"`
}

// String returns the check as one line.
func (c Check) String() string {
	status := "ok"
	if !c.OK {
		status = "FAIL"
	}
	if c.Err > 0 {
		return fmt.Sprintf("%s: got %.6g ± %.2g, want %.6g: %s", c.Name, c.Got, c.Err, c.Want, status)
	}
	return fmt.Sprintf("%s: got %.6g, want %.6g: %s", c.Name, c.Got, c.Want, status)
}

// Result is what a figure run produces.
type Result struct {
	// Figure is the picture.
	Figure *plot.Figure
	// Header and Rows are the data behind the picture, one row per point.
	Header []string
	Rows   [][]float64
	// Checks compare measured numbers with exact or published ones.
	Checks []Check
	// Config records the recipe (configs, sizes, seeds) as written to NAME.json.
	Config any
}

// OK reports whether every check passed.
func (r *Result) OK() bool {
	for _, c := range r.Checks {
		if !c.OK {
			return false
		}
	}
	return true
}

// String summarizes the result.
func (r *Result) String() string {
	failed := 0
	for _, c := range r.Checks {
		if !c.OK {
			failed++
		}
	}
	return fmt.Sprintf("%d rows, %d checks (%d failed)", len(r.Rows), len(r.Checks), failed)
}

// List returns every figure of the catalog, in catalog order.
func List() []Figure {
	return []Figure{
		isingExact(),
		binderCrossing(),
		autocorrelation(),
		skPhase(),
		eaTempering(),
		gsetTTS(),
		rbmBarsStripes(),
		mcrgExponents(),
		blockSpinFlow(),
		mehtaSchwab(),
		rbmFlow(),
		kernelSpeed(),
		linTegmark(),
		poolePhaseDiagram(),
		signalPropagation(),
		rbmSpectra(),
		htsrTraining(),
		remFreezing(),
		pspinToREM(),
		funnelVsGlass(),
		paVsPT(),
		choromanskaSpinGlass(),
		sphericalDynamics(),
		choromanskaNets(),
		goodfellowInterpolation(),
		explodingMLP(),
		trainableDepth(),
		argumentFigure(),
	}
}

// Lookup returns the figure called name.
func Lookup(name string) (Figure, bool) {
	for _, f := range List() {
		if f.Name == name {
			return f, true
		}
	}
	return Figure{}, false
}

// Names returns the names of all figures.
func Names() []string {
	var names []string
	for _, f := range List() {
		names = append(names, f.Name)
	}
	return names
}

// Write saves the result of figure name in dir (created if needed) as NAME.png,
// NAME.svg, NAME.csv and NAME.json, the last holding
// {"figure": name, "version", "revision", "checks": […], "config": …}.
func Write(dir, name string, r *Result) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("figure %s: %w", name, err)
	}
	base := filepath.Join(dir, name)
	if r.Figure != nil {
		if err := r.Figure.WritePNG(base + ".png"); err != nil {
			return fmt.Errorf("figure %s: %w", name, err)
		}
		if err := r.Figure.WriteSVG(base + ".svg"); err != nil {
			return fmt.Errorf("figure %s: %w", name, err)
		}
	}
	var b strings.Builder
	w := csv.NewWriter(&b)
	if err := w.Write(r.Header); err != nil {
		return fmt.Errorf("figure %s: %w", name, err)
	}
	for _, row := range r.Rows {
		rec := make([]string, len(row))
		for i, v := range row {
			rec[i] = strconv.FormatFloat(v, 'g', -1, 64)
		}
		if err := w.Write(rec); err != nil {
			return fmt.Errorf("figure %s: %w", name, err)
		}
	}
	w.Flush()
	if err := sim.WriteFileAtomic(base+".csv", []byte(b.String())); err != nil {
		return fmt.Errorf("figure %s: %w", name, err)
	}
	checks := r.Checks
	if checks == nil {
		checks = []Check{}
	}
	doc := struct {
		Figure   string  `json:"figure"`
		Version  string  `json:"version"`
		Revision string  `json:"revision,omitempty"`
		Checks   []Check `json:"checks"`
		Config   any     `json:"config"`
	}{name, sim.Version, sim.Revision(), checks, r.Config}
	// NaN and ±Inf (a check's want, got or err, a number in the config) are written as
	// null.
	data, err := analysis.MarshalJSONIndent(doc, "", "  ")
	if err != nil {
		return fmt.Errorf("figure %s: %w", name, err)
	}
	if err := sim.WriteFileAtomic(base+".json", append(data, '\n')); err != nil {
		return fmt.Errorf("figure %s: %w", name, err)
	}
	return nil
}

// FormatChecks returns the checks as an aligned table.
func FormatChecks(checks []Check) string {
	wn := len("check")
	for _, c := range checks {
		wn = max(wn, len([]rune(c.Name)))
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%-*s  %12s  %12s  %10s\n", wn, "check", "want", "got", "err")
	for _, c := range checks {
		status := "ok"
		if !c.OK {
			status = "FAIL"
		}
		e := ""
		if c.Err > 0 {
			e = fmt.Sprintf("%.2g", c.Err)
		}
		fmt.Fprintf(&b, "%s%s  %12.6g  %12.6g  %10s  %s\n", c.Name, strings.Repeat(" ", wn-len([]rune(c.Name))), c.Want, c.Got, e, status)
	}
	return b.String()
}

// run executes one sim config, reporting its progress to prog (if not nil), and
// returns its points sorted by temperature.
func run(ctx context.Context, c sim.Config, o Options, prog func(done, total int64)) ([]sim.Point, error) {
	s, err := sim.Run(ctx, c, sim.Options{Threads: o.Threads, Progress: prog})
	if err != nil {
		return nil, err
	}
	pts := s.Points
	sort.Slice(pts, func(i, j int) bool { return pts[i].T < pts[j].T })
	return pts, nil
}

// linspace returns n points from a to b inclusive.
func linspace(a, b float64, n int) []float64 {
	if n == 1 {
		return []float64{a}
	}
	xs := make([]float64, n)
	for i := range xs {
		xs[i] = a + (b-a)*float64(i)/float64(n-1)
	}
	return xs
}
