package netrg_test

import (
	"fmt"
	"testing"

	"github.com/deepglass/deepglass/rg/netrg"
)

func TestStrings(t *testing.T) {
	for _, s := range []fmt.Stringer{netrg.MehtaSchwabSpec(true, 1), netrg.FieldShape{}, netrg.Locality{}, netrg.StackReport{Layers: []netrg.Locality{{Layer: 1}}, Agreement: []float64{0.9}},
		netrg.IsoSpec(true, 1), netrg.FlowStart{}, netrg.FlowResult{}, netrg.LayerEnsemble{}, netrg.FixedPointRow{}, netrg.ExactIsingFixedPoint(),
		netrg.MeanField, netrg.Sample, netrg.TrainLow, &netrg.Thermometer{Temps: []float64{0, 1}}, &netrg.Stack{Spec: netrg.MehtaSchwabSpec(true, 1)}} {
		if s.String() == "" {
			t.Errorf("%T has an empty String()", s)
		}
	}
}
