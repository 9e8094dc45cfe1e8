package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/deepglass/deepglass/sim"
)

// readJSON reads a JSON file into a generic map, failing the test if it is not JSON.
func readJSON(t *testing.T, path string) map[string]any {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("%s is not JSON: %v\n%s", path, err, b)
	}
	return m
}

// TestRGStackNullAgreement: a layer whose block side (2^layer) does not divide L has
// no block agreement. It is NaN, written as null (it used to be written as −1).
func TestRGStackNullAgreement(t *testing.T) {
	dir := t.TempDir()
	var out, errb bytes.Buffer
	rc := cmdRGStack(context.Background(), []string{"-L", "6", "-layers", "16,4", "-samples", "20", "-epochs", "1",
		"-critical", "0", "-seed", "3", "-out", dir, "-json"}, &out, &errb)
	if rc != exitOK {
		t.Fatalf("exit %d: %s", rc, errb.String())
	}
	sum := readJSON(t, filepath.Join(dir, "summary.json"))
	layers := sum["layers"].([]any)
	a0, a1 := layers[0].(map[string]any)["block_agreement"], layers[1].(map[string]any)
	if _, ok := a0.(float64); !ok {
		t.Errorf("layer 1 (2×2 blocks of 6×6): block_agreement %v; want a number", a0)
	}
	if v, ok := a1["block_agreement"]; !ok || v != nil {
		t.Errorf("layer 2 (4×4 blocks of 6×6): block_agreement %v (present %v); want null", v, ok)
	}
	var stdout map[string]any
	if err := json.Unmarshal(out.Bytes(), &stdout); err != nil {
		t.Errorf("-json output is not JSON: %v", err)
	}
}

// TestRGMCRGFrozenJSON: at T = 1e-300 every configuration is a ground state, the RG
// matrix is undefined and the exponents are NaN: summary.json and -json are still
// JSON, with null exponents.
func TestRGMCRGFrozenJSON(t *testing.T) {
	dir := t.TempDir()
	rc, stdout, stderr := runCLI(t, "rg", "mcrg", "-L", "8", "-T", "1e-300", "-samples", "128", "-therm", "10",
		"-chains", "2", "-seed", "1", "-out", dir, "-json")
	if rc != exitOK {
		t.Fatalf("exit %d: %s", rc, stderr)
	}
	if !bytes.Contains([]byte(stdout), []byte("null")) {
		t.Errorf("no null in the output of a frozen MCRG run:\n%s", stdout)
	}
	readJSON(t, filepath.Join(dir, "summary.json"))
}

// TestAggregateNullJSON: a one-sample tempering run too short for a round trip has a
// NaN mean round-trip time, written as null; aggregating its directory reads it back
// as NaN and writes null again, in -json and in -out's summary.json.
func TestAggregateNullJSON(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	c := sim.Config{Model: "ea", Lattice: "square:4", Bonds: "pm", T: sim.Temperatures{0.3, 0.6, 1.2}, Sampler: "pt",
		Sweeps: 3, Samples: 1, Seed: 2}
	if _, err := sim.Run(context.Background(), c, sim.Options{Out: dir}); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "agg")
	rc, stdout, stderr := runCLI(t, "aggregate", "-json", "-out", out, dir)
	if rc != exitOK {
		t.Fatalf("aggregate: exit %d: %s", rc, stderr)
	}
	var sum struct {
		Tempering map[string]any `json:"tempering"`
	}
	if err := json.Unmarshal([]byte(stdout), &sum); err != nil {
		t.Fatalf("-json output: %v\n%s", err, stdout)
	}
	if v, ok := sum.Tempering["mean_round_trip"]; !ok || v != nil {
		t.Errorf("mean_round_trip = %v (present %v); want null", v, ok)
	}
	if v := readJSON(t, filepath.Join(out, "summary.json"))["tempering"].(map[string]any)["mean_round_trip"]; v != nil {
		t.Errorf("aggregate summary.json: mean_round_trip = %v; want null", v)
	}
}
