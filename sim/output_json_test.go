package sim

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/deepglass/deepglass/analysis"
)

// TestWriteJSONNonFinite: summary.json is written even when numbers are NaN or ±Inf
// (a specific heat at T = 1e-300, where β² overflows, is NaN), with null in their place;
// `deepglass run -T 1e-300` used to exit 1 with "json: unsupported value: NaN".
func TestWriteJSONNonFinite(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	s := &Summary{Model: "ising", Points: []Point{{
		T:            1e-300,
		Energy:       analysis.Estimate{Mean: -2, Err: 0},
		SpecificHeat: analysis.Estimate{Mean: nan, Err: nan},
		Acceptance:   inf,
		Exact:        &ExactPoint{Source: "kaufman", Energy: -2, SpecificHeat: nan},
	}}, Perf: Perf{NsPerUpdate: inf, Seconds: 0}}
	path := filepath.Join(t.TempDir(), "summary.json")
	if err := writeJSON(path, s); err != nil {
		t.Fatalf("writeJSON: %v", err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Points []struct {
			Energy       map[string]any `json:"energy"`
			SpecificHeat map[string]any `json:"specific_heat"`
			Acceptance   *float64       `json:"acceptance"`
			Exact        struct {
				Energy       *float64 `json:"energy"`
				SpecificHeat *float64 `json:"specific_heat"`
			} `json:"exact"`
		} `json:"points"`
		Perf struct {
			NsPerUpdate *float64 `json:"ns_per_update"`
		} `json:"perf"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatalf("summary.json is not JSON: %v\n%s", err, b)
	}
	p := doc.Points[0]
	if p.Acceptance != nil || p.Exact.SpecificHeat != nil || doc.Perf.NsPerUpdate != nil ||
		p.SpecificHeat["mean"] != nil || p.Exact.Energy == nil || *p.Exact.Energy != -2 || p.Energy["mean"] != -2.0 {
		t.Errorf("non-finite numbers should be null and the others kept:\n%s", b)
	}
}

// TestShortTemperingRunJSON: a tempering run too short for any round trip has a NaN
// mean round-trip time. Its summary.json used to fail ("json: unsupported value: NaN");
// it now has null there, and aggregating the run directory reads the null back as NaN,
// not as 0.
func TestShortTemperingRunJSON(t *testing.T) {
	dir := t.TempDir()
	c := Config{Model: "ea", Lattice: "square:8", Bonds: "pm", T: Temperatures{0.2, 0.4, 0.8, 1.6}, Sampler: "pt",
		Therm: 0, Sweeps: 4, Seed: 1}
	c.Defaults()
	s, err := Run(context.Background(), c, Options{Out: dir})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if s.Tempering == nil || !math.IsNaN(s.Tempering.MeanRoundTrip) {
		t.Fatalf("tempering stats %+v: want a NaN mean round trip (no round trip in 4 sweeps)", s.Tempering)
	}
	b, err := os.ReadFile(filepath.Join(dir, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Tempering map[string]any `json:"tempering"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatalf("summary.json: %v", err)
	}
	if v, ok := doc.Tempering["mean_round_trip"]; !ok || v != nil {
		t.Errorf("mean_round_trip = %v (present %v); want null", v, ok)
	}
	agg, _, err := Aggregate([]string{dir}, false)
	if err != nil {
		t.Fatalf("Aggregate: %v", err)
	}
	if agg.Tempering == nil || !math.IsNaN(agg.Tempering.MeanRoundTrip) {
		t.Errorf("aggregated tempering stats %+v: want the NaN back", agg.Tempering)
	}
}
