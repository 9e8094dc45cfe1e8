package figures_test

import (
	"testing"
)

func TestChoromanskaSpinGlass(t *testing.T) {
	r := runQuick(t, "choromanska-spin-glass")
	// One row per descent: N, energy per spin, index, instance.
	sizes := map[float64]int{}
	for _, row := range r.Rows {
		if len(row) != 4 || row[1] > -1 || row[1] < -2 {
			t.Fatalf("row %v", row)
		}
		sizes[row[0]]++
	}
	if len(sizes) < 3 {
		t.Errorf("rows cover sizes %v", sizes)
	}
}

func TestSphericalDynamics(t *testing.T) { runQuick(t, "spherical-dynamics") }
