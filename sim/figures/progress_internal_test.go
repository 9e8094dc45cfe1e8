package figures

import (
	"context"
	"reflect"
	"testing"

	"github.com/deepglass/deepglass/sim"
)

// TestRunProgressChangesNothing: a sim run reporting progress gives the points of
// the same run without.
func TestRunProgressChangesNothing(t *testing.T) {
	c := sim.Config{Model: "ising", Lattice: "square:8", T: sim.Temperatures{2, 2.5}, Sampler: "metropolis",
		Therm: 200, Sweeps: 3000, Seed: 3}
	var last float64
	p := Options{Progress: func(f float64) { last = f }}.newProgress(1)
	with, err := run(context.Background(), c, Options{}, p.run(0))
	if err != nil {
		t.Fatal(err)
	}
	p.set(0, 1)
	without, err := run(context.Background(), c, Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(with, without) || last != 1 {
		t.Errorf("points with progress differ from those without (last fraction %v)", last)
	}
	if Options.newProgress(Options{}, 1) != nil || (*progress)(nil).run(0) != nil || (*progress)(nil).epochs(0) != nil {
		t.Error("no Progress: want nil progress and nil callbacks")
	}
}
