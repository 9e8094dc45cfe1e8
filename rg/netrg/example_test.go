package netrg_test

import (
	"fmt"

	"github.com/deepglass/deepglass/analysis"
	"github.com/deepglass/deepglass/rg/netrg"
)

// Measure a receptive field: a 2×2 patch of weights on an 8×8 periodic lattice,
// wrapped across the boundary, lies wholly inside the 4×4 window of the first layer.
func ExampleShape() {
	const l = 8
	f := make([]float64, l*l)
	for _, site := range []int{3*l + 7, 3*l + 0, 4*l + 7, 4*l + 0} {
		f[site] = 0.5
	}
	fmt.Println(netrg.Shape(f, l, 4))
	// Output: centre (7.5, 3.5), share 1, width 0.707, half-mass radius 0.707, mass 2
}

// The fixed-point table: exact rows, then whatever the networks give (here a
// made-up flow result, to show the layout).
func ExampleCompareFixedPoints() {
	flow := netrg.FlowResult{Train: "all", Starts: []netrg.FlowStart{{FromT: 0, FixedPointT: analysis.Estimate{Mean: 2.12, Err: 0.01}}}}
	fmt.Print(netrg.CompareFixedPoints([]netrg.FlowResult{flow}, nil, 16))
	// Output:
	// qty    source                                   value
	// T*     exact (Onsager)                          2.269185314213022
	// y_T    exact                                    1  (1/ν)
	// U4     Salas & Sokal 2000 (torus, L→∞)          0.610690(10)
	// T*     RBM flow (all) from T=0                  2.120(10)
}
