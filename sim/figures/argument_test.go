package figures_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/deepglass/deepglass/sim/figures"
)

// TestArgument runs the argument figure in quick mode with an output directory that
// holds a (made-up) trainable-depth result of the same mode and an htsr-training
// result of the other mode: the first is read and drawn, the second ignored, and the
// parts of the quick subset are run.
func TestArgument(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the quick modes of five figures (about 30 s of CPU)")
	}
	dir := t.TempDir()
	write := func(name, mode, csv string) {
		doc := `{"figure": "` + name + `", "version": "test", "checks": [{"name": "made up", "want": 1, "got": null, "err": 0, "ok": true}], "config": {"mode": "` + mode + `"}}`
		if err := os.WriteFile(filepath.Join(dir, name+".json"), []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name+".csv"), []byte(csv), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("trainable-depth", "quick", "sw2,depth,train_accuracy\n1,10,0.9\n2,10,0.95\n1,20,0.5\n2,20,0.9\n")
	write("htsr-training", "full", "batch,layer,alpha,alpha_err\n1,1,2.5,0.1\n")
	f, ok := figures.Lookup("argument")
	if !ok {
		t.Fatal("Lookup(argument) failed")
	}
	var fractions []float64
	r, err := f.Run(context.Background(), figures.Options{Quick: true, Seed: 1, Out: dir,
		Progress: func(x float64) { fractions = append(fractions, x) }})
	if err != nil {
		t.Fatal(err)
	}
	checkProgress(t, "argument", fractions)
	data, err := json.Marshal(r.Config)
	if err != nil {
		t.Fatal(err)
	}
	var rec struct {
		Mode  string
		Parts []struct {
			Name, Source, Mode string
			Checks             int
		}
	}
	if err := json.Unmarshal(data, &rec); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"choromanska-spin-glass": "ran", "choromanska-nets": "missing", "funnel-vs-glass": "ran", "rbm-flow": "ran",
		"poole-phase-diagram": "ran", "trainable-depth": "read", "rbm-spectra": "ran", "htsr-training": "missing", "lin-tegmark": "ran", "exploding-mlp": "missing"}
	for _, p := range rec.Parts {
		if p.Name == "trainable-depth" && p.Checks != 1 {
			t.Errorf("trainable-depth: %d checks read; want 1", p.Checks)
		}
		if want[p.Name] != p.Source {
			t.Errorf("part %s: source %q; want %q", p.Name, p.Source, want[p.Name])
		}
	}
	if len(rec.Parts) != len(want) || rec.Mode != "quick" {
		t.Errorf("recipe %s", data)
	}
	var titles []string
	for _, p := range r.Figure.Panels {
		titles = append(titles, p.Title)
	}
	all := strings.Join(titles, "\n")
	for _, s := range []string{"Claim 1: 3-spin", "trained nets: not run", "Claim 4", "Claim 5", "boundary χ₁ = 1", "trainable depth (quick)", "Claim 12", "Claim 8", "Claims 3, 10: stability: not run"} {
		if !strings.Contains(all, s) {
			t.Errorf("no panel %q among\n%s", s, all)
		}
	}
	if strings.Contains(all, "MLP layers") {
		t.Errorf("htsr-training of the other mode drawn:\n%s", all)
	}
	if len(r.Checks) != 6 {
		t.Errorf("%d checks; want one per part of the quick subset:\n%s", len(r.Checks), figures.FormatChecks(r.Checks))
	}
	out := os.Getenv("FIGURES_OUT")
	if out == "" {
		out = t.TempDir()
	}
	if err := figures.Write(out, "argument", r); err != nil {
		t.Fatal(err)
	}
	for _, c := range r.Checks {
		if !c.OK {
			t.Errorf("check failed: %v", c)
		}
	}
}
