package rg_test

import (
	"fmt"
	"testing"

	"github.com/deepglass/deepglass/rg"
)

func TestStrings(t *testing.T) {
	for _, s := range []fmt.Stringer{rg.MehtaSchwabSpec(true, 1), rg.FieldShape{}, rg.Locality{}, rg.StackReport{Layers: []rg.Locality{{Layer: 1}}, Agreement: []float64{0.9}},
		rg.IsoSpec(true, 1), rg.FlowStart{}, rg.FlowResult{}, rg.LayerEnsemble{}, rg.FixedPointRow{}, rg.ExactIsingFixedPoint(),
		rg.MeanField, rg.Sample, rg.TrainLow, &rg.Thermometer{Temps: []float64{0, 1}}, &rg.Stack{Spec: rg.MehtaSchwabSpec(true, 1)}} {
		if s.String() == "" {
			t.Errorf("%T has an empty String()", s)
		}
	}
}
