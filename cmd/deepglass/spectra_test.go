package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/deepglass/deepglass/learn"
	"github.com/deepglass/deepglass/models"
	"github.com/deepglass/deepglass/npy"
	"github.com/deepglass/deepglass/spectra"
)

// spectraFixture writes a model directory: an MLP model/ of NPY files (W1 heavy-tailed
// 200×100, its bias b1, W2 Gaussian 100×50), an RBM pair (learn.Save) in rbm/, a
// safetensors file with a conv kernel, and returns the root.
func spectraFixture(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	r := rand.New(rand.NewPCG(1, 2))
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.MkdirAll(filepath.Join(root, "model"), 0o755))
	must(os.MkdirAll(filepath.Join(root, "rbm"), 0o755))
	w1 := make([]float64, 200*100)
	for i := range w1 {
		w1[i] = math.Pow(1-r.Float64(), -1/1.0) * float64(1-2*r.IntN(2))
	}
	must(npy.WriteFile(filepath.Join(root, "model", "W1.npy"), []int{200, 100}, w1))
	must(npy.WriteFile(filepath.Join(root, "model", "b1.npy"), []int{100}, make([]float64, 100)))
	w2 := make([]float64, 100*50)
	for i := range w2 {
		w2[i] = r.NormFloat64()
	}
	must(npy.WriteFile(filepath.Join(root, "model", "W2.npy"), []int{100, 50}, w2))
	rbm := models.RandomRBM(64, 32, 0.1, r)
	must(learn.Save(filepath.Join(root, "rbm", "model"), rbm, nil))
	// A run directory's other files are not weights: ignored.
	must(os.WriteFile(filepath.Join(root, "rbm", "summary.json"), []byte(`{"command": "train"}`), 0o644))
	// A DBN directory: one RBM pair per layer.
	must(os.MkdirAll(filepath.Join(root, "dbn"), 0o755))
	must(learn.Save(filepath.Join(root, "dbn", "layer1"), models.RandomRBM(64, 48, 0.1, r), nil))
	must(learn.Save(filepath.Join(root, "dbn", "layer2"), models.RandomRBM(48, 24, 0.1, r), nil))
	conv := make([]float64, 40*20*3*3)
	for i := range conv {
		conv[i] = r.NormFloat64()
	}
	var b bytes.Buffer
	must(spectra.WriteSafetensors(&b, []spectra.Tensor{{Name: "features.0.weight", Shape: []int{40, 20, 3, 3}, Data: conv}}, map[string]string{"format": "pt"}))
	must(os.WriteFile(filepath.Join(root, "conv.safetensors"), b.Bytes(), 0o644))
	return root
}

type spectraLayerJSON struct {
	Name        string
	Alpha       float64
	AlphaErr    *float64 `json:"alpha_err"`
	Xmin        float64
	D           float64
	NumPLSpikes int      `json:"num_pl_spikes"`
	LambdaMax   float64  `json:"lambda_max"`
	MPEdge      *float64 `json:"mp_edge"`
	Warnings    []string
	Status      string
	RF          int `json:"rf"`
	LogNorm     float64
	Traps       *int `json:"rand_num_spikes"`
}

func TestSpectraDirectory(t *testing.T) {
	root := spectraFixture(t)
	out := t.TempDir()
	rc, stdout, stderr := runCLI(t, "spectra", root, "-out", out, "-bootstrap", "20", "-gof", "20", "-randomize", "-plot", "-json")
	if rc != exitOK {
		t.Fatalf("exit %d: %s", rc, stderr)
	}
	var sum struct {
		Command string
		Layers  []spectraLayerJSON
		Skipped []spectraNote
		Summary struct {
			Layers, Fitted int
			Mean           map[string]*float64
		}
		Complete bool
		LAPACK   string
	}
	if err := json.Unmarshal([]byte(stdout), &sum); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, stdout)
	}
	b, _ := os.ReadFile(filepath.Join(out, "summary.json"))
	if string(b) != stdout {
		t.Error("summary.json differs from stdout")
	}
	var names []string
	for _, l := range sum.Layers {
		names = append(names, filepath.ToSlash(strings.TrimPrefix(l.Name, root+string(filepath.Separator))))
	}
	want := []string{"conv.safetensors:features.0.weight", "dbn/layer1", "dbn/layer2", "model/W1.npy", "model/W2.npy", "rbm/model"}
	if strings.Join(names, ",") != strings.Join(want, ",") {
		t.Fatalf("layers %v; want %v", names, want)
	}
	if len(sum.Skipped) != 1 || !strings.HasSuffix(sum.Skipped[0].Name, "b1.npy") || !sum.Complete || sum.Summary.Fitted != 6 {
		t.Errorf("skipped %v, complete %v, summary %+v", sum.Skipped, sum.Complete, sum.Summary)
	}
	for _, l := range sum.Layers {
		if l.Status != "success" || l.AlphaErr == nil || l.MPEdge == nil || l.Traps == nil || l.LambdaMax <= 0 || l.NumPLSpikes < 1 {
			t.Errorf("layer %+v", l)
		}
	}
	if w1 := sum.Layers[3]; w1.Alpha > 2 || !strings.Contains(strings.Join(w1.Warnings, ";"), "over-trained") {
		t.Errorf("W1 (Pareto μ=1 elements): α %v, warnings %v", w1.Alpha, w1.Warnings)
	}
	if c := sum.Layers[0]; c.RF != 9 {
		t.Errorf("conv layer rf %d", c.RF)
	}
	f, err := os.Open(filepath.Join(out, "layers.csv"))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil || len(rows) != 7 || rows[0][0] != "name" {
		t.Errorf("layers.csv: %d rows, %v", len(rows), err)
	}
	pngs, _ := filepath.Glob(filepath.Join(out, "plots", "*.png"))
	if len(pngs) != 6 {
		t.Errorf("%d plots", len(pngs))
	}
	// The table names every layer and the summary.
	rc, stdout, _ = runCLI(t, "spectra", filepath.Join(root, "model"), filepath.Join(root, "rbm", "model.json"), "-out", t.TempDir(), "-bootstrap", "0", "-gof", "0")
	if rc != exitOK || !strings.Contains(stdout, "W2.npy") || !strings.Contains(stdout, "mean alpha") || !strings.Contains(stdout, "rbm/model") {
		t.Errorf("table (exit %d):\n%s", rc, stdout)
	}
}

func TestSpectraBadInput(t *testing.T) {
	dir := t.TempDir()
	good, _ := npy.Bytes([]int{30, 20}, make([]float64, 600))
	os.WriteFile(filepath.Join(dir, "trunc.npy"), good[:len(good)-100], 0o644)
	nan := mat.NewDense(30, 20, nil)
	for i := range 30 {
		for j := range 20 {
			nan.Set(i, j, float64(i*j%7))
		}
	}
	nan.Set(2, 3, math.NaN())
	npy.WriteFile(filepath.Join(dir, "nan.npy"), []int{30, 20}, nan.RawMatrix().Data)
	npy.WriteFile(filepath.Join(dir, "row.npy"), []int{1, 40}, make([]float64, 40))
	os.WriteFile(filepath.Join(dir, "bad.safetensors"), []byte("\x08\x00\x00\x00\x00\x00\x00\x00{\"a\":1} "), 0o644)
	os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("hi"), 0o644)
	cases := []struct {
		args []string
		rc   int
		msg  string
	}{
		{[]string{filepath.Join(dir, "trunc.npy")}, exitUsage, "truncated"},
		{[]string{filepath.Join(dir, "nan.npy")}, exitUsage, "NaN"},
		{[]string{filepath.Join(dir, "bad.safetensors")}, exitUsage, "bad.safetensors"},
		{[]string{filepath.Join(dir, "notes.txt")}, exitUsage, "unknown input"},
		{[]string{filepath.Join(dir, "none.npy")}, exitUsage, "no such file"},
		{[]string{}, exitUsage, "no input"},
		{[]string{filepath.Join(dir, "row.npy"), "-bootstrap", "1"}, exitUsage, "-bootstrap"},
		{[]string{filepath.Join(dir, "row.npy"), "-method", "qr"}, exitUsage, "-method"},
		{[]string{filepath.Join(dir, "row.npy"), "-fingers", "x"}, exitUsage, "-fingers"},
		{[]string{filepath.Join(dir, "row.npy"), "-json", "-csv"}, exitUsage, "-csv"},
		{[]string{"-h"}, exitOK, "Usage: deepglass spectra"},
	}
	for _, c := range cases {
		rc, stdout, stderr := runCLI(t, append(append([]string{"spectra"}, c.args...), "-out", t.TempDir())...)
		if rc != c.rc || !strings.Contains(stdout+stderr, c.msg) {
			t.Errorf("spectra %v: exit %d (want %d), output %q; want it to mention %q", c.args, rc, c.rc, stdout+stderr, c.msg)
		}
	}
	// A 1×N matrix is listed as skipped, with exit 0; the directory run reports the
	// broken files as errors (exit 2) but analyzes the rest.
	out := t.TempDir()
	rc, stdout, stderr := runCLI(t, "spectra", dir, "-out", out, "-json", "-bootstrap", "0", "-gof", "0")
	if rc != exitUsage || !strings.Contains(stderr, "trunc.npy") || !strings.Contains(stderr, "NaN") {
		t.Errorf("directory with bad files: exit %d, %s", rc, stderr)
	}
	var sum struct {
		Layers []spectraLayerJSON
		Errors []spectraNote
	}
	if err := json.Unmarshal([]byte(stdout), &sum); err != nil {
		t.Fatal(err)
	}
	if len(sum.Layers) != 1 || sum.Layers[0].Status != "skipped" || sum.Layers[0].Alpha != -1 || len(sum.Errors) != 3 {
		t.Errorf("layers %+v, errors %+v", sum.Layers, sum.Errors)
	}
}

// TestSpectraInterrupted: a cancelled context writes what was done and exits 3.
func TestSpectraInterrupted(t *testing.T) {
	root := spectraFixture(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var o, e bytes.Buffer
	out := t.TempDir()
	if rc := runContext(ctx, []string{"spectra", root, "-out", out}, &o, &e); rc != exitInterrupted {
		t.Fatalf("exit %d: %s", rc, e.String())
	}
	b, err := os.ReadFile(filepath.Join(out, "summary.json"))
	if err != nil || !strings.Contains(string(b), `"complete": false`) {
		t.Errorf("summary after interruption: %v\n%s", err, b)
	}
}

func TestNaturalCompare(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want int
	}{{"W2", "W10", -1}, {"W10", "W2", 1}, {"a", "a", 0}, {"layer1/W3", "layer1/W3x", -1}, {"b", "a", 1}} {
		if got := naturalCompare(c.a, c.b); (got < 0) != (c.want < 0) || (got > 0) != (c.want > 0) {
			t.Errorf("naturalCompare(%q, %q) = %d", c.a, c.b, got)
		}
	}
}
