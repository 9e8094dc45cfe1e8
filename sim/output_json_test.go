package sim

import (
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
