package landscape_test

import (
	"context"
	"fmt"
	"math/rand/v2"

	"github.com/deepglass/deepglass/landscape"
	"github.com/deepglass/deepglass/models"
)

// Example maps the landscape of a Bryngelson–Wolynes funnel of 14 spins exactly: the
// native state is the lowest minimum, and its basin under steepest descent is small —
// the random energy model around it does not guide the descent towards it.
func Example() {
	f := models.NewFunnel(14, 1, 1.2, rand.New(rand.NewPCG(1, 2)))
	l, err := landscape.Enumerate(context.Background(), f, f.Native())
	if err != nil {
		panic(err)
	}
	g := l.Ground()
	fmt.Printf("%d minima; the lowest has e = %.2f and overlap %.0f with the native state\n", l.Count(), g.Energy/14, g.Overlap)
	fmt.Printf("basin of the native state: %.4f of all states\n", l.GroundBasin())
	// Output:
	// 1112 minima; the lowest has e = -1.20 and overlap 1 with the native state
	// basin of the native state: 0.0020 of all states
}
