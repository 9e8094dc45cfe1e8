package interp

import (
	"fmt"
	"go/build"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/cosmos72/gomacro/fast"

	_ "github.com/deepglass/deepglass/cmd/deepglass-kernel/internal/bindings"
	"github.com/deepglass/deepglass/cmd/deepglass-kernel/internal/jupyter"
	"github.com/deepglass/deepglass/models"
)

type shown []jupyter.Bundle

func (s *shown) Display(b jupyter.Bundle) { *s = append(*s, b) }

func newInterp(t *testing.T) *Interp {
	t.Helper()
	e, err := New()
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func text(t *testing.T, e *Interp, code string) string {
	t.Helper()
	var out shown
	b, err := e.Execute(code, &out)
	if err != nil {
		t.Fatalf("%s: %v", code, err)
	}
	if b == nil {
		return ""
	}
	s, _ := b.Data["text/plain"].(string)
	return s
}

// The test binary runs with gotypesalias=1 (go.mod says go 1.24), the mode Go 1.27
// makes the only one: the interpreter must start and work there, through
// reflectionOnly.
func TestAliasModeWorks(t *testing.T) {
	if !aliasesMaterialized() {
		t.Fatal("test binary runs with gotypesalias=0: the alias fix is not exercised")
	}
	e := newInterp(t)
	got := text(t, e, `import ("strings"; "sort"; "time")
type byLen []string
func (b byLen) Len() int { return len(b) }
func (b byLen) Less(i, j int) bool { return len(b[i]) < len(b[j]) }
func (b byLen) Swap(i, j int) { b[i], b[j] = b[j], b[i] }
w := byLen{"ccc", "a", "bb"}
sort.Sort(w)
strings.Join(w, ",") + " " + (1500 * time.Millisecond).String()`)
	if got != "a,bb,ccc 1.5s" {
		t.Errorf("got %q", got)
	}
}

// TestAliasPanicWithoutFix shows why reflectionOnly exists: with the standard
// library's export data in reach, gomacro panics on aliases. When an upstream gomacro
// handles *types.Alias, this test fails and reflectionOnly can go.
func TestAliasPanicWithoutFix(t *testing.T) {
	goroot, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		t.Fatalf("go env GOROOT: %v", err)
	}
	saved := build.Default.GOROOT
	defer func() { build.Default.GOROOT = saved }()
	build.Default.GOROOT = strings.TrimSpace(string(goroot))
	defer func() {
		r := recover()
		if r == nil || !strings.Contains(fmt.Sprint(r), "types.Alias") {
			t.Errorf("fast.New with export data: recovered %v; want the *types.Alias panic", r)
		}
	}()
	fast.New()
}

func TestExecute(t *testing.T) {
	e := newInterp(t)
	if got := text(t, e, "x := 20\nx + 22"); got != "42" {
		t.Errorf("x + 22 = %q", got)
	}
	for _, code := range []string{"y := 1", `import "fmt"
fmt.Println("printed")`, `Display(display.HTML("<i>x</i>"))`} {
		if got := text(t, e, code); got != "" {
			t.Errorf("%q returned %q", code, got)
		}
	}
	// deepglass is bound: exact energy of the 4×4 Ising model at β = 0.4
	want := models.Kaufman(4, 4, 0.4).String()
	if got := text(t, e, `import "github.com/deepglass/deepglass/models"
models.Kaufman(4, 4, 0.4)`); got != want {
		t.Errorf("Kaufman = %q; want %q", got, want)
	}
	for code, name := range map[string]string{
		"undefinedName":            "error",
		`panic("boom")`:            "panic",
		"var z []int; _ = z[3]; 1": "",
	} {
		_, err := e.Execute(code, &shown{})
		ee, ok := err.(*jupyter.EvalError)
		if !ok {
			t.Errorf("%s: err = %v; want an EvalError", code, err)
			continue
		}
		if name != "" && ee.Name != name {
			t.Errorf("%s: ename %q; want %q", code, ee.Name, name)
		}
	}
	if _, err := e.Execute("x := 1\nundefinedName", &shown{}); err == nil || !strings.Contains(err.Error(), "cell:2:1") {
		t.Errorf("error position: %v; want cell:2:1", err)
	}
	if got := text(t, e, "x"); got != "20" {
		t.Errorf("state lost after errors: x = %q", got)
	}
	// Untyped constants of deepglass's packages are bound.
	if got := text(t, e, `import "github.com/deepglass/deepglass/sampler/packed"
packed.Lanes * 2`); got != "128" {
		t.Errorf("packed.Lanes * 2 = %q; want 128", got)
	}
	// A value whose PNG method panics while the result is rendered (as a figure
	// whose curve is a broken interpreted function would): the cell's error, and the
	// interpreter lives on.
	code := `import "github.com/deepglass/deepglass/analysis/plot"
&plot.Figure{Panels: []plot.Panel{{XLabel: "x", YLabel: "y",
	Series: []plot.Series{{Name: "s", X: []float64{0, 1}, Y: []float64{0, 1}}},
	Curves: []plot.Curve{{Name: "c", F: func(x float64) float64 { panic("render") }}}}}}`
	if _, err := e.Execute(code, &shown{}); err == nil || !strings.Contains(err.Error(), "render") {
		t.Errorf("panic while rendering: err = %v; want the panic as the cell's error", err)
	}
	if got := text(t, e, "x + 1"); got != "21" {
		t.Errorf("after a panic while rendering: x + 1 = %q", got)
	}
}

// A cell defines Go functions and types and passes them to deepglass: an interpreted
// observable to the jackknife, and an interpreted model to exact enumeration.
func TestInterpretedCallbacks(t *testing.T) {
	e := newInterp(t)
	got := text(t, e, `import "github.com/deepglass/deepglass/analysis"
ratio := func(m []float64) float64 { return m[0] / m[1] }
est := analysis.Jackknife(ratio, []float64{1, 2, 3, 4}, []float64{2, 4, 6, 8})
est.Mean`)
	if got != "0.5" {
		t.Errorf("jackknife of an interpreted ratio = %q; want 0.5", got)
	}
	// a two-spin ferromagnet written in the cell: Z = 2e^β + 2e^−β, e = −tanh β / 2 per spin
	got = text(t, e, `import "github.com/deepglass/deepglass/models"
type pair struct{}
func (pair) N() int { return 2 }
func (pair) Energy(s []int8) float64 { return -float64(s[0] * s[1]) }
func (p pair) DeltaE(s []int8, i int) float64 { return 2 * float64(s[0]*s[1]) }
import "math"
th := models.Exact(pair{}, 0.5)
math.Abs(th.EnergyPerSpin() + math.Tanh(0.5)/2) < 1e-15 // rounding of a 4-term sum`)
	if got != "true" {
		t.Errorf("exact energy of an interpreted model ≠ −tanh(β)/2")
	}
}

func TestDisplay(t *testing.T) {
	e := newInterp(t)
	var out shown
	b, err := e.Execute(`import "github.com/deepglass/deepglass/analysis/plot"
f := &plot.Figure{Panels: []plot.Panel{{Title: "t", XLabel: "x", YLabel: "y", Series: []plot.Series{{Name: "s", X: []float64{1, 2}, Y: []float64{1, 4}}}}}}
Display(display.Markdown("# before"))
f`, &out)
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != 1 || out[0].Data["text/markdown"] != "# before" {
		t.Errorf("Display: %v", out)
	}
	png, _ := b.Data["image/png"].([]byte)
	if len(png) < 8 || string(png[1:4]) != "PNG" {
		t.Errorf("a figure did not render as PNG: %v", b.Data["text/plain"])
	}
	b, _ = e.Execute(`display.SVG("<svg></svg>")`, &out)
	if b.Data["image/svg+xml"] != "<svg></svg>" {
		t.Errorf("display.SVG: %v", b.Data)
	}
}

func TestInterrupt(t *testing.T) {
	e := newInterp(t)
	done := make(chan error, 1)
	go func() {
		_, err := e.Execute("n := 0\nfor { n++ }", &shown{})
		done <- err
	}()
	// repeated: an interrupt that arrives before the cell runs is forgotten
	var err error
	for try := 0; ; try++ {
		if try == 30 {
			t.Fatal("infinite loop not interrupted")
		}
		time.Sleep(300 * time.Millisecond)
		e.Interrupt()
		select {
		case err = <-done:
		case <-time.After(time.Second):
			continue
		}
		break
	}
	if ee, ok := err.(*jupyter.EvalError); !ok || ee.Name != "interrupted" {
		t.Fatalf("err = %v; want interrupted", err)
	}
	if got := text(t, e, "n > 0"); got != "true" {
		t.Errorf("after interrupt: n > 0 = %q", got)
	}
}

// TestInterruptCompiledCall interrupts a long sim.Run given the cell's context: the
// run stops and the cell ends.
func TestInterruptCompiledCall(t *testing.T) {
	e := newInterp(t)
	done := make(chan error, 1)
	go func() {
		_, err := e.Execute(`import "github.com/deepglass/deepglass/sim"
cfg := sim.Config{Model: "ising", Lattice: "square:32", T: sim.Temperatures{2.3}, Sampler: "metropolis", Sweeps: 1000000000, Seed: 1}
_, err := sim.Run(display.Context(), cfg, sim.Options{})
err`, &shown{})
		done <- err
	}()
	for try := 0; ; try++ {
		if try == 30 {
			t.Fatal("sim.Run not interrupted")
		}
		time.Sleep(300 * time.Millisecond)
		e.Interrupt()
		select {
		case <-done:
		case <-time.After(2 * time.Second):
			continue
		}
		break
	}
	if got := text(t, e, "1 + 1"); got != "2" {
		t.Errorf("after the interrupt: 1 + 1 = %q", got)
	}
}

func TestIsCompleteAndComplete(t *testing.T) {
	e := newInterp(t)
	for code, want := range map[string]string{
		"x := 1":             "complete",
		"func f() {":         "incomplete",
		"s := `raw":          "incomplete",
		"a := []int{1, 2,\n": "incomplete",
		"}":                  "invalid",
	} {
		if got, _ := e.IsComplete(code); got != want {
			t.Errorf("IsComplete(%q) = %s; want %s", code, got, want)
		}
	}
	text(t, e, `import "strings"`)
	code := "strings.HasPr"
	m, start, end := e.Complete(code, len(code))
	if !strings.Contains(strings.Join(m, " "), "HasPrefix") || end != len(code) || start > end {
		t.Errorf("Complete(%q) = %v [%d:%d]", code, m, start, end)
	}
}
