package plot_test

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/deepglass/deepglass/analysis/plot"
)

// tree: minima 0 (E=−3), 1 (−2), 2 (−1.5) and 3 (−1); 0 and 1 join at −0.5 (node 4),
// 2 and 3 at −0.8 (node 5), everything at 0 (node 6, the root).
func tree() *plot.Disconnectivity {
	return &plot.Disconnectivity{
		Energy: []float64{-3, -2, -1.5, -1, -0.5, -0.8, 0},
		Parent: []int{4, 4, 5, 5, 6, 6, -1},
		Top:    math.NaN(),
	}
}

func TestDisconnectivityLayout(t *testing.T) {
	d := tree()
	x, err := d.Layout()
	if err != nil {
		t.Fatal(err)
	}
	// Leaves are 0 … 3 across; each internal node is in the middle of its children.
	leaves := map[float64]bool{}
	for _, k := range []int{0, 1, 2, 3} {
		leaves[x[k]] = true
	}
	if len(leaves) != 4 || !leaves[0] || !leaves[3] {
		t.Errorf("leaf positions %v; want 0, 1, 2, 3 in some order", x[:4])
	}
	for _, c := range []struct{ k, a, b int }{{4, 0, 1}, {5, 2, 3}, {6, 4, 5}} {
		if x[c.k] != (x[c.a]+x[c.b])/2 {
			t.Errorf("node %d at %v; want the middle of %v and %v", c.k, x[c.k], x[c.a], x[c.b])
		}
	}
	// The lowest minimum's branch (node 4) is placed first among the root's two children
	// (the middle slot of two is the left one).
	if !(x[4] < x[5]) {
		t.Errorf("branch of the lowest minimum at %v, the other at %v; want it left-centre", x[4], x[5])
	}
	if s := d.String(); !strings.Contains(s, "4 minima") {
		t.Errorf("String() = %q", s)
	}
}

func TestDisconnectivityPanel(t *testing.T) {
	d := tree()
	d.Highlight, d.Label = []int{0}, []string{"ground state"}
	p, err := d.Panel("test", "E")
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Curves) != 6+3+1+1 { // vertical per non-root node, bar per internal node, root line, highlight
		t.Errorf("%d segments; want 11", len(p.Curves))
	}
	f := &plot.Figure{Panels: []plot.Panel{p}}
	var buf bytes.Buffer
	if err := f.EncodePNG(&buf); err != nil || buf.Len() == 0 {
		t.Fatalf("EncodePNG: %v", err)
	}
	if dir := os.Getenv("PLOT_KEEP"); dir != "" {
		if err := f.WritePNG(filepath.Join(dir, "disconnectivity.png")); err != nil {
			t.Fatal(err)
		}
	}
	for name, bad := range map[string]*plot.Disconnectivity{
		"two roots":      {Energy: []float64{0, 1}, Parent: []int{-1, -1}},
		"child above":    {Energy: []float64{1, 0}, Parent: []int{1, -1}},
		"cycle":          {Energy: []float64{0, 0, 1}, Parent: []int{1, 0, -1}},
		"length":         {Energy: []float64{0}, Parent: []int{-1, 0}},
		"NaN energy":     {Energy: []float64{math.NaN()}, Parent: []int{-1}},
		"bad highlight":  {Energy: []float64{0}, Parent: []int{-1}, Highlight: []int{3}},
		"parent outside": {Energy: []float64{0, 1}, Parent: []int{5, -1}},
	} {
		if _, err := bad.Panel("", ""); err == nil {
			t.Errorf("%s: Panel accepted %+v", name, bad)
		}
	}
}

// TestDisconnectivityLevels checks Becker–Karplus binning: with two levels between −3
// and 0, the joins at −0.5 and −0.8 both round up to 0 and merge into the root, whose
// bar then carries all four minima.
func TestDisconnectivityLevels(t *testing.T) {
	d := tree()
	d.Levels = 2
	d.Highlight = []int{2}
	p, err := d.Panel("binned", "E")
	if err != nil {
		t.Fatal(err)
	}
	// 4 leaf lines, 1 bar, the root line and the highlight.
	if len(p.Curves) != 7 {
		t.Errorf("%d segments; want 7", len(p.Curves))
	}
	d.Levels = 6 // steps of 0.5: −0.8 → −0.5, −0.5 stays; both below the root
	p, err = d.Panel("binned", "E")
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Curves) != 11 {
		t.Errorf("%d segments with 6 levels; want 11 (no merge)", len(p.Curves))
	}
}
