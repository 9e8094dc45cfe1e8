package figures_test

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/deepglass/deepglass/analysis/plot"
	"github.com/deepglass/deepglass/sim/figures"
)

// runQuick runs a figure in quick mode, writes it (to FIGURES_OUT if set, to refresh
// docs/figures) and fails on any failed check.
func runQuick(t *testing.T, name string) *figures.Result {
	t.Helper()
	f, ok := figures.Lookup(name)
	if !ok {
		t.Fatalf("Lookup(%q) failed", name)
	}
	start := time.Now()
	var fractions []float64 // Options.Progress is never called concurrently
	r, err := f.Run(context.Background(), figures.Options{Quick: true, Seed: 1,
		Progress: func(x float64) { fractions = append(fractions, x) }})
	if err != nil {
		t.Fatal(err)
	}
	checkProgress(t, name, fractions)
	t.Logf("%s quick: %v\n%s", name, time.Since(start).Round(time.Millisecond), figures.FormatChecks(r.Checks))
	dir := os.Getenv("FIGURES_OUT")
	if dir == "" {
		dir = t.TempDir()
	}
	if err := figures.Write(dir, name, r); err != nil {
		t.Fatal(err)
	}
	for _, c := range r.Checks {
		if !c.OK {
			t.Errorf("check failed: %v", c)
		}
	}
	return r
}

// checkProgress requires a figure's progress reports to rise from [0, 1] to 1.
func checkProgress(t *testing.T, name string, fractions []float64) {
	t.Helper()
	if len(fractions) == 0 {
		t.Errorf("%s: no progress reported", name)
		return
	}
	for i, x := range fractions {
		if !(x >= 0 && x <= 1) || i > 0 && x < fractions[i-1] {
			t.Errorf("%s: progress report %d is %v after %v", name, i, x, fractions[max(i-1, 0)])
			return
		}
	}
	if last := fractions[len(fractions)-1]; math.Abs(last-1) > 1e-9 {
		t.Errorf("%s: progress ends at %v; want 1", name, last)
	}
}

// TestProgressChangesNothing runs a figure with and without Options.Progress: the
// numbers must be the same.
func TestProgressChangesNothing(t *testing.T) {
	f, _ := figures.Lookup("block-spin-flow")
	var calls int
	with, err := f.Run(context.Background(), figures.Options{Quick: true, Seed: 2, Progress: func(float64) { calls++ }})
	if err != nil {
		t.Fatal(err)
	}
	without, err := f.Run(context.Background(), figures.Options{Quick: true, Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	if calls == 0 || !reflect.DeepEqual(with.Rows, without.Rows) || !reflect.DeepEqual(with.Checks, without.Checks) {
		t.Errorf("%d progress calls; the results with and without progress differ", calls)
	}
}

func TestIsingExact(t *testing.T) { runQuick(t, "ising-exact") }

func TestCatalog(t *testing.T) {
	seen := map[string]bool{}
	for _, f := range figures.List() {
		if f.Name == "" || f.Paper == "" || f.Description == "" || f.FullTime == "" || f.Run == nil {
			t.Errorf("figure %q is incomplete: %+v", f.Name, f)
		}
		if seen[f.Name] {
			t.Errorf("figure %q listed twice", f.Name)
		}
		seen[f.Name] = true
		if g, ok := figures.Lookup(f.Name); !ok || g.Name != f.Name {
			t.Errorf("Lookup(%q) = %v, %v", f.Name, g, ok)
		}
	}
	if _, ok := figures.Lookup("no-such-figure"); ok {
		t.Error(`Lookup("no-such-figure") succeeded`)
	}
}

func TestWrite(t *testing.T) {
	dir := t.TempDir()
	r := &figures.Result{
		Header: []string{"x", "y"},
		Rows:   [][]float64{{1, 2}, {3, math.NaN()}},
		Checks: []figures.Check{{Name: "a", Want: 1, Got: 1.1, Err: 0.1, OK: true}, {Name: "b", Want: 4, Got: math.Inf(1)}},
		Config: map[string]any{"L": 8, "undefined": math.NaN()}, // NaN in a recipe used to make Write fail
		Figure: &plot.Figure{Panels: []plot.Panel{{XLabel: "x", YLabel: "y", Series: []plot.Series{{Name: "s", X: []float64{1, 3}, Y: []float64{2, 1}}}}}},
	}
	if err := figures.Write(dir, "test", r); err != nil {
		t.Fatal(err)
	}
	for _, ext := range []string{".png", ".svg", ".csv"} {
		st, err := os.Stat(filepath.Join(dir, "test"+ext))
		if err != nil || st.Size() == 0 {
			t.Errorf("test%s: %v", ext, err)
		}
	}
	data, err := os.ReadFile(filepath.Join(dir, "test.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Figure string           `json:"figure"`
		Checks []map[string]any `json:"checks"`
		Config map[string]any   `json:"config"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatalf("test.json: %v\n%s", err, data)
	}
	if u, ok := doc.Config["undefined"]; doc.Figure != "test" || len(doc.Checks) != 2 || doc.Config["L"] != 8.0 || !ok || u != nil {
		t.Errorf("test.json = %s", data)
	}
	for _, k := range []string{"name", "want", "got", "err", "ok"} {
		if _, ok := doc.Checks[0][k]; !ok {
			t.Errorf("check lacks %q: %v", k, doc.Checks[0])
		}
	}
	if doc.Checks[1]["got"] != nil || doc.Checks[1]["ok"] != false {
		t.Errorf("check with infinite got = %v; want got null and ok false", doc.Checks[1])
	}
	if r.OK() {
		t.Error("OK() = true with a failed check")
	}
	csv, _ := os.ReadFile(filepath.Join(dir, "test.csv"))
	if string(csv) != "x,y\n1,2\n3,NaN\n" {
		t.Errorf("test.csv = %q", csv)
	}
	tab := figures.FormatChecks(r.Checks)
	if !strings.Contains(tab, "FAIL") || !strings.Contains(tab, "ok") {
		t.Errorf("FormatChecks:\n%s", tab)
	}
}
func TestBinderCrossing(t *testing.T) { runQuick(t, "binder-crossing") }
func TestSKPhaseDiagram(t *testing.T) { runQuick(t, "sk-phase-diagram") }
func TestKernelSpeed(t *testing.T)    { runQuick(t, "kernel-speed") }

func TestMCRGExponents(t *testing.T) { runQuick(t, "mcrg-exponents") }

func TestBlockSpinFlow(t *testing.T) { runQuick(t, "block-spin-flow") }

func TestRBMBarsStripes(t *testing.T) { runQuick(t, "rbm-bars-stripes") }
