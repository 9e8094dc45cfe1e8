package models_test

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/deepglass/deepglass/models"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata")

// gsetDir holds the G-set samples (testdata/gset/README.md: source and best cuts).
const gsetDir = "../testdata/gset"

func TestParseCouplingsErrors(t *testing.T) {
	long := strings.Repeat("1", 1<<20+1)
	tests := []struct {
		name, in, want string
	}{
		{"G22.txt", "3 2\n1 2 1\n1 3 1.x\n", `G22.txt:3: coupling "1.x" is not a number`},
		{"edges.txt", "# header\n800 1\n1 900 1\n", `edges.txt:3: site 900 out of range 1..800`},
		{"edges.txt", "800 1\n0 2 1\n", `edges.txt:2: site 0 out of range 1..800`},
		{"x.txt", "1 2 1\n2 3 1\n# c\n\n3 4\n", `x.txt:5: want "i j J", got 2 fields`},
		{"x.txt", "1 2 1 0\n", `x.txt:1: want "i j J", got 4 fields`},
		{"g.txt", "3 1\n1 2 1 1\n", `g.txt:2: want "i j w", got 4 fields`},
		{"x.txt", "a 2 1\n", `x.txt:1: site "a" is not an integer`},
		{"x.txt", "1 2.5 1\n", `x.txt:1: site "2.5" is not an integer`},
		{"x.txt", "0 2 1\n", `x.txt:1: site 0 out of range 1..67108864`},
		{"x.txt", "-3 2 1\n", `x.txt:1: site -3 out of range 1..67108864`},
		{"x.txt", "1 67108865 1\n", `x.txt:1: site 67108865 out of range 1..67108864`},
		{"x.txt", "1 99999999999999999999 1\n", `x.txt:1: site 99999999999999999999 out of range 1..67108864`},
		{"x.txt", "1 2 inf\n", `x.txt:1: coupling "inf" is not finite`},
		{"x.txt", "1 2 NaN\n", `x.txt:1: coupling "NaN" is not finite`},
		{"x.txt", "1 2 1e400\n", `x.txt:1: coupling "1e400" is not finite`},
		{"x.txt", "1 1 x\n", `x.txt:1: field "x" is not a number`},
		{"x.txt", "1 1 -Inf\n", `x.txt:1: field "-Inf" is not finite`},
		{"x.txt", "1 1 0.5\n1 2 1\n1 1 0.2\n", `x.txt:3: field on site 1 already set on line 1`},
		{"x.txt", "1 2 1\n2 3 1\n2 1 -1\n", `x.txt:3: duplicate bond (1,2), first given on line 1`},
		{"x.txt", "1 2 1\n# again\n1 2 1\n", `x.txt:3: duplicate bond (1,2), first given on line 1`},
		{"g.txt", "3 2\n1 2 1\n2 1 1\n", `g.txt:3: duplicate bond (1,2), first given on line 2`},
		{"g.txt", "3 1\n2 2 1\n", `g.txt:2: self-loop on site 2 (G-set files have no fields)`},
		{"x.txt", "", `x.txt: empty file: no couplings`},
		{"x.txt", "# only\n\n   # comments\n", `x.txt: empty file: no couplings`},
		{"g.txt", "3 2\n1 2 1\n", `g.txt: header declares 2 edges, found 1`},
		{"g.txt", "3 1\n1 2 1\n2 3 1\n", `g.txt:3: more edge lines than the 1 the header declares`},
		{"g.txt", "67108865 0\n", `g.txt:1: header: N = 67108865 exceeds the limit 67108864`},
		{"g.txt", "0 0\n", `g.txt:1: header: N = 0, want at least 1`},
		{"g.txt", "3 -1\n", `g.txt:1: header: M = -1 edges, want at least 0`},
		{"g.txt", "3 4\n", `g.txt:1: header: M = 4 edges, more than N(N-1)/2 = 3`},
		{"g.txt", "67108864 1073741824\n", `g.txt:1: header: M = 1073741824 edges exceeds the limit 1073741823`},
		{"x.txt", long + "\n", `x.txt:1: line longer than 1048576 bytes`},
		{"x.txt", "1 2 1\n" + long, `x.txt:2: line longer than 1048576 bytes`},
	}
	for _, tt := range tests {
		m, g, err := models.ParseCouplings(strings.NewReader(tt.in), tt.name)
		if err == nil {
			t.Errorf("ParseCouplings(%.40q) = %v, %v; want error %q", tt.in, m, g, tt.want)
			continue
		}
		if err.Error() != tt.want {
			t.Errorf("ParseCouplings(%.40q) error:\n got %q\nwant %q", tt.in, err, tt.want)
		}
		if m != nil || g != nil {
			t.Errorf("ParseCouplings(%.40q) returned a model with error %v", tt.in, err)
		}
	}
}

func TestParseCouplingsReadError(t *testing.T) {
	boom := errors.New("boom")
	r := io.MultiReader(strings.NewReader("1 2 1\n"), iotest.ErrReader(boom))
	_, _, err := models.ParseCouplings(r, "x.txt")
	if !errors.Is(err, boom) || !strings.HasPrefix(err.Error(), "x.txt: ") {
		t.Errorf("error %v; want x.txt: wrapping %v", err, boom)
	}
}

func TestReadCouplingsMissing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "missing.txt")
	_, _, err := models.ReadCouplings(path)
	if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), path) {
		t.Errorf("ReadCouplings(%q) error %v; want fs.ErrNotExist naming the path", path, err)
	}
}

func TestParseEdgeList(t *testing.T) {
	in := "\ufeff# a small model\r\n" +
		"1 2 1.5   # ferro\r\n" +
		"\n" +
		"3 2 -0.25\r\n" +
		"2 2 0.5\r\n" + // field on site 2
		"1 5 2\n"
	m, g, err := models.ParseCouplings(strings.NewReader(in), "dir/small.txt")
	if err != nil {
		t.Fatal(err)
	}
	want := models.Graph{Path: "dir/small.txt", Format: "edgelist", N: 5, Edges: 3, TotalWeight: -(1.5 - 0.25 + 2)}
	if *g != want {
		t.Errorf("graph %+v; want %+v", *g, want)
	}
	if m.Name != "graph small.txt" || m.N() != 5 || m.NumBonds() != 3 {
		t.Errorf("model %v (name %q); want graph small.txt with N=5 and 3 bonds", m, m.Name)
	}
	for _, b := range []models.Bond{{I: 0, J: 1, W: 1.5}, {I: 1, J: 2, W: -0.25}, {I: 0, J: 4, W: 2}} {
		if got, ok := coupling(m, b.I, b.J); !ok || got != b.W {
			t.Errorf("J(%d,%d) = %v, %v; want %v", b.I, b.J, got, ok, b.W)
		}
	}
	if h := []float64{0, 0.5, 0, 0, 0}; !equalFloats(m.H, h) {
		t.Errorf("H = %v; want %v", m.H, h)
	}
	if m.JInt != nil {
		t.Error("non-integer couplings mirrored as integers")
	}
	if got, want := g.String(), "dir/small.txt: edgelist N=5 edges=3 W=-3.25"; got != want {
		t.Errorf("String() = %q; want %q", got, want)
	}
}

// TestGsetCut checks Cut = (W - E)/2 against the cut counted edge by edge, for every
// state of a small ±1-weighted G-set graph.
func TestGsetCut(t *testing.T) {
	in := "5 6\n1 2 1\n2 3 -1\n3 4 1\n4 5 1\n5 1 -1\n1 3 1\n"
	m, g, err := models.ParseCouplings(strings.NewReader(in), "tiny.txt")
	if err != nil {
		t.Fatal(err)
	}
	if g.Format != "gset" || g.N != 5 || g.Edges != 6 || g.TotalWeight != 2 {
		t.Fatalf("graph %+v; want gset N=5 edges=6 W=2", *g)
	}
	if m.JInt == nil {
		t.Error("±1 weights not mirrored as integer couplings")
	}
	edges := [][3]int{{1, 2, 1}, {2, 3, -1}, {3, 4, 1}, {4, 5, 1}, {5, 1, -1}, {1, 3, 1}}
	s := make([]int8, 5)
	for k := range 1 << 5 {
		for i := range s {
			s[i] = int8(1 - 2*(k>>i&1))
		}
		cut := 0
		for _, e := range edges {
			if s[e[0]-1] != s[e[1]-1] {
				cut += e[2]
			}
		}
		if got := g.Cut(m.Energy(s)); got != float64(cut) {
			t.Fatalf("state %05b: Cut(E) = %v; want %d", k, got, cut)
		}
	}
}

// TestGsetFiles reads the G-set samples; N, edge counts and weight signs are from
// testdata/gset/README.md (Helmberg & Rendl 1997).
func TestGsetFiles(t *testing.T) {
	tests := []struct {
		file     string
		n, edges int
		mixed    bool // weights ±1 (otherwise all +1)
	}{
		{"G1.txt", 800, 19176, false},
		{"G11.txt", 800, 1600, true},
		{"G22.txt", 2000, 19990, false},
	}
	for _, tt := range tests {
		path := filepath.Join(gsetDir, tt.file)
		m, g, err := models.ReadCouplings(path)
		if err != nil {
			t.Fatal(err)
		}
		if g.Format != "gset" || g.N != tt.n || g.Edges != tt.edges || m.N() != tt.n || m.NumBonds() != tt.edges {
			t.Errorf("%s: %v, %v; want gset N=%d edges=%d", tt.file, g, m, tt.n, tt.edges)
		}
		if g.Path != path || m.Name != "graph "+tt.file {
			t.Errorf("%s: Path %q, Name %q", tt.file, g.Path, m.Name)
		}
		neg := 0
		for _, j := range m.J {
			if j != 1 && j != -1 {
				t.Fatalf("%s: coupling %v; want ±1", tt.file, j)
			}
			if j == 1 {
				neg++ // J = +1 is w = -1
			}
		}
		if (neg > 0) != tt.mixed {
			t.Errorf("%s: %d entries with w = -1; mixed weights = %v", tt.file, neg/2, tt.mixed)
		}
		// All spins equal cut nothing: E = Σ w_ij = W.
		up := make([]int8, m.N())
		for i := range up {
			up[i] = 1
		}
		if e := m.Energy(up); e != g.TotalWeight || g.Cut(e) != 0 {
			t.Errorf("%s: E(all up) = %v, W = %v, cut %v; want E = W, cut 0", tt.file, e, g.TotalWeight, g.Cut(e))
		}
		if !tt.mixed && g.TotalWeight != float64(tt.edges) {
			t.Errorf("%s: W = %v; want %d", tt.file, g.TotalWeight, tt.edges)
		}
	}
}

// ea4x4 is the model written to testdata/ea4x4_pm.txt.
func ea4x4() *models.Sparse {
	return models.NewEA(models.Square(4), models.PlusMinus, rand.New(rand.NewPCG(1, 1)))
}

const ea4x4Path = "../testdata/ea4x4_pm.txt"

// edgeList writes p as an edge list (sites from 1), bonds in the order given, then
// every field line if withFields.
func edgeList(w io.Writer, p *models.Sparse, bonds []models.Bond, withFields bool) {
	for _, b := range bonds {
		j, _ := coupling(p, b.I, b.J)
		fmt.Fprintf(w, "%d %d %v\n", b.I+1, b.J+1, j)
	}
	if withFields {
		for i, h := range p.H {
			fmt.Fprintf(w, "%d %d %v\n", i+1, i+1, h)
		}
	}
}

// TestEA4x4File checks testdata/ea4x4_pm.txt against the model it was generated from
// (run with -update to regenerate it).
func TestEA4x4File(t *testing.T) {
	m := ea4x4()
	var buf bytes.Buffer
	buf.WriteString(`# 2D ±J Edwards–Anderson spin glass on the periodic 4×4 square lattice: N = 16, 32 bonds.
# Generated by models.NewEA(models.Square(4), models.PlusMinus, rand.New(rand.NewPCG(1, 1)))
# (math/rand/v2), bonds in the order of models.Square(4).Bonds; regenerate with
#   go test ./models -run TestEA4x4File -update
# Site x + 4y (0 ≤ x, y < 4) is numbered x + 4y + 1. Format: i j J.
`)
	edgeList(&buf, m, models.Square(4).Bonds(1), false)
	if *update {
		if err := os.WriteFile(ea4x4Path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(ea4x4Path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, buf.Bytes()) {
		t.Fatalf("%s differs from NewEA's output; run go test -run TestEA4x4File -update\ngot:\n%s\nwant:\n%s", ea4x4Path, got, buf.Bytes())
	}
	p, g, err := models.ReadCouplings(ea4x4Path)
	if err != nil {
		t.Fatal(err)
	}
	if g.N != 16 || g.Edges != 32 || p.HasField() {
		t.Fatalf("%v: want N=16, 32 bonds, no field", g)
	}
	rng := rand.New(rand.NewPCG(2, 2))
	s := make([]int8, 16)
	for range 100 {
		for i := range s {
			s[i] = int8(1 - 2*rng.IntN(2))
		}
		if a, b := p.Energy(s), m.Energy(s); a != b {
			t.Fatalf("file model E = %v; NewEA model E = %v", a, b)
		}
	}
}

// FuzzParseCouplings checks that no input makes the parser panic, that errors name the
// file, and that a parsed model is consistent and survives a round trip through the
// edge-list format.
func FuzzParseCouplings(f *testing.F) {
	for _, s := range []string{
		"1 2 1\n2 3 -1\n3 1 0.5\n",
		"# c\n1 1 0.3\n1 2 -2 # x\n",
		"3 3\n1 2 1\n2 3 1\n1 3 -1\n",
		"3 2\n1 2 1\n1 3 1.x\n",
		"800 1\n1 900 1\n",
		"1 2 1\n1 2 1\n",
		"1 1 1\n1 1 2\n",
		"3 1\n2 2 1\n",
		"3 1\n1 2 1\n2 3 1\n",
		"0 0\n",
		"1 2 nan\n",
		"1 2\n",
		"",
		"\ufeff2 1\n1 2 0x1p-3\n",
		"4294967297 4294967298 1\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		m, g, err := models.ParseCouplings(bytes.NewReader(data), "fuzz.txt")
		if err != nil {
			if m != nil || g != nil {
				t.Fatalf("model returned with error %v", err)
			}
			if !strings.HasPrefix(err.Error(), "fuzz.txt:") {
				t.Fatalf("error %q does not name the file", err)
			}
			return
		}
		if m.N() != g.N || m.NumBonds() != g.Edges || g.N < 1 || g.N > models.MaxGraphN {
			t.Fatalf("model %v, graph %v disagree", m, g)
		}
		if g.Format != "edgelist" && g.Format != "gset" {
			t.Fatalf("format %q", g.Format)
		}
		if g.N > 1<<12 {
			return // keep the round trip cheap
		}
		up := make([]int8, m.N())
		for i := range up {
			up[i] = 1
		}
		if e := m.Energy(up); math.IsNaN(e) {
			t.Fatalf("E(all up) = NaN")
		}
		var buf bytes.Buffer
		edgeList(&buf, m, m.Bonds(), true)
		m2, _, err := models.ParseCouplings(&buf, "round.txt")
		if err != nil {
			t.Fatalf("round trip: %v", err)
		}
		if !equalFloats(m.H, m2.H) || fmt.Sprint(m.Bonds()) != fmt.Sprint(m2.Bonds()) {
			t.Fatalf("round trip changed the model: %v → %v", m, m2)
		}
	})
}
