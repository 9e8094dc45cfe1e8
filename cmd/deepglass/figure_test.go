package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/deepglass/deepglass/sim/figures"
)

func TestFigureList(t *testing.T) {
	rc, out, errb := runCLI(t, "figure", "list")
	if rc != exitOK {
		t.Fatalf("figure list: rc %d, stderr %s", rc, errb)
	}
	for _, f := range figures.List() {
		if !strings.Contains(out, f.Name) || !strings.Contains(out, f.FullTime) {
			t.Errorf("figure list lacks %s (%s):\n%s", f.Name, f.FullTime, out)
		}
	}
}

func TestFigureUsage(t *testing.T) {
	cases := []struct {
		name string
		args []string
		rc   int
		want string // in stderr
	}{
		{"unknown figure", []string{"figure", "no-such-figure"}, exitUsage, "ising-exact"},
		{"no name", []string{"figure"}, exitUsage, "Usage"},
		{"two names", []string{"figure", "a", "b"}, exitUsage, "Usage"},
		{"bad flag", []string{"figure", "ising-exact", "-frobnicate"}, exitUsage, "frobnicate"},
		{"help", []string{"figure", "-h"}, exitOK, "Usage"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rc, _, errb := runCLI(t, c.args...)
			if rc != c.rc || !strings.Contains(errb, c.want) {
				t.Errorf("%v: rc %d, stderr %q; want rc %d and %q", c.args, rc, errb, c.rc, c.want)
			}
		})
	}
}

// TestFigureQuick runs a figure in quick mode through the CLI, flags after the name,
// and checks the files and the table. (sim/figures tests run every figure's quick
// mode; this one tests the command around them.)
func TestFigureQuick(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a figure (about 10 s)")
	}
	for _, f := range []figures.Figure{figures.List()[0]} {
		t.Run(f.Name, func(t *testing.T) {
			dir := t.TempDir()
			rc, out, errb := runCLI(t, "figure", f.Name, "-quick", "-out", dir, "-seed", "1")
			t.Logf("%s", out)
			if rc != exitOK {
				t.Fatalf("rc %d; stderr %s", rc, errb)
			}
			if !strings.Contains(out, "check") || strings.Contains(out, "FAIL") {
				t.Errorf("no table of passed checks:\n%s", out)
			}
			for _, ext := range []string{".png", ".svg", ".csv", ".json"} {
				if st, err := os.Stat(filepath.Join(dir, f.Name+ext)); err != nil || st.Size() == 0 {
					t.Errorf("%s%s: %v", f.Name, ext, err)
				}
			}
			data, err := os.ReadFile(filepath.Join(dir, f.Name+".json"))
			if err != nil {
				t.Fatal(err)
			}
			var doc struct {
				Figure string          `json:"figure"`
				Checks []figures.Check `json:"checks"`
				Config json.RawMessage `json:"config"`
			}
			if err := json.Unmarshal(data, &doc); err != nil || doc.Figure != f.Name || len(doc.Checks) == 0 || len(doc.Config) == 0 {
				t.Errorf("%s.json: %v\n%s", f.Name, err, data)
			}
		})
	}
}

// TestFigureFailedCheck: a failed check is exit status 1, reported in the table.
func TestFigureFailedCheck(t *testing.T) {
	old := lookupFigure
	t.Cleanup(func() { lookupFigure = old })
	lookupFigure = func(name string) (figures.Figure, bool) {
		return figures.Figure{Name: name, Run: func(context.Context, figures.Options) (*figures.Result, error) {
			return &figures.Result{
				Header: []string{"x"},
				Checks: []figures.Check{{Name: "passes", Want: 1, Got: 1, OK: true}, {Name: "fails", Want: 1, Got: 9}},
			}, nil
		}}, true
	}
	rc, out, errb := runCLI(t, "figure", "fake", "-out", t.TempDir())
	if rc != exitError || !strings.Contains(out, "FAIL") || !strings.Contains(errb, "check failed") {
		t.Errorf("rc %d, stdout %q, stderr %q; want rc %d, FAIL in the table", rc, out, errb, exitError)
	}
}
