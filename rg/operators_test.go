package rg

import (
	"math/rand/v2"
	"testing"

	"github.com/deepglass/deepglass/models"
)

// at returns the site at offset (dx, dy, dz) from i, by Lattice.Step.
func at(l models.Lattice, i int, off ...int) int {
	for d, o := range off {
		for ; o > 0; o-- {
			i = l.Step(i, d, +1)
		}
		for ; o < 0; o++ {
			i = l.Step(i, d, -1)
		}
	}
	return i
}

// naiveOperators computes the operators from their definitions with Lattice.Step.
func naiveOperators(s []int8, l models.Lattice) OperatorValues {
	var v OperatorValues
	sp := func(i int, off ...int) float64 { return float64(s[at(l, i, off...)]) }
	for i := range s {
		s0 := float64(s[i])
		switch l.Dim {
		case 1:
			v.Even[0] += s0 * sp(i, 1)
			v.Even[1] += s0 * sp(i, 2)
			v.Odd[0] += s0
			v.Odd[1] += s0 * sp(i, 1) * sp(i, 2)
		case 2:
			a, b, c := sp(i, 1, 0), sp(i, 0, 1), sp(i, 1, 1)
			v.Even[0] += s0*a + s0*b
			v.Even[1] += s0*c + s0*sp(i, 1, -1)
			v.Even[2] += s0 * a * b * c
			v.Even[3] += s0*sp(i, 2, 0) + s0*sp(i, 0, 2)
			v.Even[4] += s0 * (sp(i, 2, 1) + sp(i, 2, -1) + sp(i, 1, 2) + sp(i, -1, 2))
			v.Odd[0] += s0
			v.Odd[1] += s0*a*b + s0*a*c + s0*b*c + a*b*c
			v.Odd[2] += s0*a*sp(i, 2, 0) + s0*b*sp(i, 0, 2)
		case 3:
			v.Even[0] += s0 * (sp(i, 1) + sp(i, 0, 1) + sp(i, 0, 0, 1))
			v.Odd[0] += s0
		}
	}
	return v
}

func TestMeasureNaive(t *testing.T) {
	src := rand.NewPCG(7, 8)
	for _, l := range []models.Lattice{{Dim: 1, L: 5}, {Dim: 1, L: 16}, models.Square(3), models.Square(4),
		models.Square(7), models.Square(16), models.Cubic(3), models.Cubic(5)} {
		for range 10 {
			s := randomSpins(l.N(), src)
			var got OperatorValues
			Measure(&got, s, l)
			if want := naiveOperators(s, l); got != want {
				t.Errorf("%v: Measure = %v; want %v", l, got, want)
			}
		}
	}
}

// TestMeasureOrdered: in the all-up state every operator counts its terms.
func TestMeasureOrdered(t *testing.T) {
	l := models.Square(8)
	n := float64(l.N())
	s := make([]int8, l.N())
	for i := range s {
		s[i] = 1
	}
	var v OperatorValues
	Measure(&v, s, l)
	want := OperatorValues{Even: [MaxEven]float64{2 * n, 2 * n, n, 2 * n, 4 * n}, Odd: [MaxOdd]float64{n, 4 * n, 2 * n}}
	if v != want {
		t.Errorf("all up: %v; want %v", v, want)
	}
	even, odd := Operators(2)
	if len(even) != 5 || len(odd) != 3 || even[2] != Plaquette || odd[0] != Magnetization {
		t.Errorf("Operators(2) = %v, %v", even, odd)
	}
}
