package sim

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// updateGolden rewrites testdata/golden/*.json from the current code: run
// `go test ./sim -run TestGoldenSummaries -update-golden` only after a change that is
// meant to change numbers, and say so in the commit.
var updateGolden = flag.Bool("update-golden", false, "rewrite the golden summaries of TestGoldenSummaries")

// goldenConfigs are small runs of every model, sampler and representation: their
// summaries (timing and version aside) are pinned bit for bit, so that a refactor of
// the run loop that changes any number fails here.
func goldenConfigs() map[string]Config {
	ea4 := filepath.Join("..", "testdata", "ea4x4_pm.txt")
	return map[string]Config{
		"ising-metropolis":      {Model: "ising", Lattice: "square:8", T: Temperatures{2, 2.5}, Sampler: "metropolis", Therm: 200, Sweeps: 2000, Seed: 1},
		"ising-metropolis-rand": {Model: "ising", Lattice: "square:8", T: Temperatures{2.5}, Sampler: "metropolis", Order: "random", Start: "random", Therm: 200, Sweeps: 2000, Replicas: 2, Seed: 2},
		"ising-field-heatbath":  {Model: "ising", Lattice: "cubic:4", Field: 0.2, T: Temperatures{4}, Sampler: "heatbath", Therm: 200, Sweeps: 2000, Seed: 3},
		"ising-chain":           {Model: "ising", Lattice: "chain:32", T: Temperatures{1}, Sampler: "metropolis", Therm: 200, Sweeps: 2000, Seed: 4},
		"ising-wolff":           {Model: "ising", Lattice: "square:16", T: Temperatures{2.27}, Sampler: "wolff", Therm: 100, Sweeps: 1000, Seed: 5},
		"ising-sw":              {Model: "ising", Lattice: "square:16", T: Temperatures{2.27}, Sampler: "sw", Therm: 100, Sweeps: 1000, Seed: 6},
		"ea-pt":                 {Model: "ea", Lattice: "square:6", T: Temperatures{0.5, 0.8, 1.2, 2}, Sampler: "pt", Therm: 200, Sweeps: 2000, Samples: 3, Seed: 7},
		"ea-pt-feedback":        {Model: "ea", Lattice: "cubic:3", Bonds: "gauss", T: Temperatures{0.6, 0.9, 1.3, 2}, Sampler: "pt", Ladder: "feedback", Move: "heatbath", Therm: 400, Sweeps: 2000, Seed: 8},
		"ea-pt-constant":        {Model: "ea", Lattice: "square:4", T: Temperatures{0.5, 1, 2}, Sampler: "pt", Ladder: "constant", Therm: 400, Sweeps: 2000, Seed: 9},
		"sk-metropolis":         {Model: "sk", N: 24, T: Temperatures{0.5, 1}, Sampler: "metropolis", Therm: 200, Sweeps: 2000, Replicas: 2, Samples: 2, Seed: 10},
		"sk-pt-pm-j0":           {Model: "sk", N: 16, Bonds: "pm", J0: 1.2, T: Temperatures{0.5, 0.8, 1.3}, Sampler: "pt", Therm: 200, Sweeps: 2000, Seed: 11},
		"hopfield-heatbath":     {Model: "hopfield", N: 20, Patterns: 2, T: Temperatures{0.5}, Sampler: "heatbath", Therm: 200, Sweeps: 2000, Seed: 12},
		"mattis-metropolis":     {Model: "mattis", N: 20, T: Temperatures{0.7}, Sampler: "metropolis", Therm: 200, Sweeps: 2000, Seed: 13},
		"graph-metropolis":      {Couplings: ea4, T: Temperatures{1}, Sampler: "metropolis", Therm: 200, Sweeps: 2000, Seed: 14},
		"graph-sw":              {Couplings: ea4, T: Temperatures{1.5}, Sampler: "sw", Therm: 200, Sweeps: 2000, Seed: 15},
		"packed-metropolis":     {Model: "ea", Lattice: "square:8", T: Temperatures{1, 2}, Sampler: "metropolis", Packed: true, MeasureEvery: 1, Therm: 200, Sweeps: 1000, Replicas: 2, Seed: 16},
		"packed-wide":           {Model: "ising", Lattice: "square:8", T: Temperatures{2.27}, Sampler: "metropolis", Packed: true, Lanes: 512, MeasureEvery: 1, Therm: 100, Sweeps: 500, Seed: 17},
		"packed-pt":             {Model: "ea", Lattice: "cubic:4", T: Temperatures{0.8, 1.1, 1.5, 2}, Sampler: "pt", Packed: true, MeasureEvery: 1, Therm: 200, Sweeps: 1000, Seed: 18},
		"packed-auto":           {Model: "ising", Lattice: "square:16", T: Temperatures{2.27}, Sampler: "metropolis", Packed: true, Therm: 400, Sweeps: 8000, Replicas: 2, Seed: 22},
		"packed-wide-pt":        {Model: "ea", Lattice: "cubic:3", T: Temperatures{0.8, 1.1, 1.5, 2}, Sampler: "pt", Packed: true, Lanes: 512, MeasureEvery: 1, Therm: 100, Sweeps: 400, Seed: 23},
		"packed-graph":          {Couplings: ea4, T: Temperatures{1}, Sampler: "metropolis", Packed: true, MeasureEvery: 1, Therm: 200, Sweeps: 1000, Seed: 19},
		"anneal":                {Model: "ea", Lattice: "square:6", Sampler: "anneal", Restarts: 8, TimeLimit: 60, Seed: 20},
		"anneal-packed":         {Couplings: ea4, Sampler: "anneal", Packed: true, Restarts: 2, TimeLimit: 60, Seed: 21},
	}
}

// TestGoldenSummaries runs every golden config and compares its summary.json, timing
// and version aside, with testdata/golden/NAME.json.
func TestGoldenSummaries(t *testing.T) {
	for name, c := range goldenConfigs() {
		t.Run(name, func(t *testing.T) {
			sum, err := Run(context.Background(), c, Options{Threads: 2})
			if err != nil {
				t.Fatal(err)
			}
			got := comparable(t, sum)
			path := filepath.Join("testdata", "golden", name+".json")
			if *updateGolden {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				b, err := json.MarshalIndent(got, "", " ")
				if err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (create the golden files with -update-golden)", err)
			}
			var want any
			if err := json.Unmarshal(b, &want); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				diffJSON(t, "", want, got)
			}
		})
	}
}

// comparable returns the summary as generic JSON without the fields that vary from run
// to run: perf, the seconds and sweeps of time-to-target, version and revision.
func comparable(t *testing.T, s *Summary) any {
	t.Helper()
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	delete(m, "perf")
	delete(m, "version")
	delete(m, "revision")
	if gs, ok := m["ground_state"].(map[string]any); ok {
		delete(gs, "seconds")
		if c, ok := m["sampler"].(string); ok && c == "anneal" {
			// Restarts and sweeps depend on how many restarts ran before the limit.
			delete(gs, "sweeps")
		}
		delete(gs, "time_to_target")
	}
	return m
}

// diffJSON reports the paths at which got differs from want.
func diffJSON(t *testing.T, path string, want, got any) {
	t.Helper()
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			t.Errorf("%s: %v, want %v", path, got, want)
			return
		}
		for k := range w {
			diffJSON(t, path+"."+k, w[k], g[k])
		}
		for k := range g {
			if _, ok := w[k]; !ok {
				t.Errorf("%s.%s: new field %v", path, k, g[k])
			}
		}
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			t.Errorf("%s: %v, want %v", path, got, want)
			return
		}
		for i := range w {
			diffJSON(t, fmt.Sprintf("%s[%d]", path, i), w[i], g[i])
		}
	default:
		if !reflect.DeepEqual(want, got) {
			t.Errorf("%s: %v, want %v", path, got, want)
		}
	}
}
