package learn

import (
	"context"
	"math"
	"testing"
)

func TestStack(t *testing.T) {
	data := BarsAndStripes(4)
	o := StackOptions{Layer: Options{Method: PCD, Epochs: 30, Batch: 10, LR: 0.05, L1: 1e-4, Seed: 4}}
	d, hists, err := Stack(context.Background(), data, []int{12, 6, 3}, o)
	if err != nil {
		t.Fatal(err)
	}
	if d.String() != "DBN 16-12-6-3" || len(hists) != 3 {
		t.Fatalf("%v with %d histories", d, len(hists))
	}
	for l, r := range d.Layers[1:] {
		if r.NV() != d.Layers[l].NH() {
			t.Errorf("layer %d has %d visible units below %d hidden", l+1, r.NV(), d.Layers[l].NH())
		}
	}
	// Propagate agrees with the hidden probabilities unit by unit.
	top := d.Propagate(data, 2)
	h1 := make([]float64, 12)
	h2 := make([]float64, 6)
	for k, v := range data {
		d.Layers[0].HiddenProbs(h1, v)
		d.Layers[1].HiddenProbs(h2, h1)
		for j := range h2 {
			if math.Abs(h2[j]-top[k][j]) > 1e-12 {
				t.Fatalf("pattern %d unit %d: Propagate %v, HiddenProbs %v", k, j, top[k][j], h2[j])
			}
		}
	}
	// Sampled propagation gives binary inputs and a different second layer.
	o.Sample = true
	ds, _, err := Stack(context.Background(), data, []int{12, 6}, o)
	if err != nil {
		t.Fatal(err)
	}
	if !floatsEqual(ds.Layers[0].A, d.Layers[0].A) {
		t.Error("first layer depends on the propagation mode")
	}
	if floatsEqual(ds.Layers[1].B, d.Layers[1].B) {
		t.Error("second layer does not depend on the propagation mode")
	}
	if _, _, err := Stack(context.Background(), data, nil, o); err == nil {
		t.Error("Stack with no layers succeeded")
	}
}
