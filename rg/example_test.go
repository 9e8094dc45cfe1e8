package rg_test

import (
	"fmt"

	"github.com/deepglass/deepglass/models"
	"github.com/deepglass/deepglass/rg"
)

// ExamplePyramid blocks an 8×8 configuration twice with the majority rule (b = 3 would
// have no ties; b = 2 breaks ties with the stream, here never needed) and measures the
// nearest-neighbour operator and the magnetization on every level.
func ExamplePyramid() {
	l := models.Square(8)
	s := make([]int8, l.N())
	for i := range s {
		s[i] = 1
		if i%l.L < 4 { // left half down
			s[i] = -1
		}
	}
	p, err := rg.NewPyramid(l, 2, rg.Majority, 2)
	if err != nil {
		panic(err)
	}
	fmt.Println(p)
	var v rg.OperatorValues
	for k, c := range p.Apply(s, rg.NewTieBreakStream(1, 0)) {
		rg.Measure(&v, c, p.Lattice(k))
		fmt.Printf("level %d: %d spins, nn %g, magnetization %g\n", k, len(c), v.Even[0], v.Odd[0])
	}
	// Output:
	// majority b=2: square:8 → square:4 → square:2
	// level 0: 64 spins, nn 96, magnetization 0
	// level 1: 16 spins, nn 16, magnetization 0
	// level 2: 4 spins, nn 0, magnetization 0
}
