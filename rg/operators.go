package rg

import (
	"fmt"

	"github.com/deepglass/deepglass/models"
)

// Operator is a lattice sum of a product of spins: a term Σ K_α S_α of a block-spin
// Hamiltonian. Even operators are products of an even number of spins (invariant
// under flipping all spins: the thermal sector), odd ones of an odd number (the
// magnetic sector). Offsets are (x, y); each pair or cluster is counted once.
type Operator int

// The operators [Measure] computes, by lattice (see [Operators] for which apply).
const (
	// NearestNeighbour is Σ s_i s_{i+e} over the nearest-neighbour bonds.
	NearestNeighbour Operator = iota
	// Diagonal is Σ s_i (s_{i+(1,1)} + s_{i+(1,−1)}), the next-nearest neighbours of the
	// square lattice.
	Diagonal
	// Plaquette is Σ s_i s_{i+(1,0)} s_{i+(0,1)} s_{i+(1,1)}, the 4-spin product round
	// each elementary square.
	Plaquette
	// Distance2 is Σ s_i (s_{i+(2,0)} + s_{i+(0,2)}), the third neighbours of the square
	// lattice (straight, distance 2); s_i s_{i+2} on the chain.
	Distance2
	// Knight is Σ s_i (s_{i+(2,1)} + s_{i+(2,−1)} + s_{i+(1,2)} + s_{i+(−1,2)}), the
	// fourth neighbours of the square lattice (distance √5).
	Knight
	// Magnetization is Σ s_i.
	Magnetization
	// Triangle is the sum over elementary squares of the products of three of their
	// four spins (four triangles per square).
	Triangle
	// Line3 is Σ s_{i} s_{i+(1,0)} s_{i+(2,0)} + s_i s_{i+(0,1)} s_{i+(0,2)}, three spins
	// in a straight row (one term per site on the chain).
	Line3
)

// String returns the operator's short name.
func (o Operator) String() string {
	switch o {
	case NearestNeighbour:
		return "nn"
	case Diagonal:
		return "diagonal"
	case Plaquette:
		return "plaquette"
	case Distance2:
		return "distance-2"
	case Knight:
		return "knight"
	case Magnetization:
		return "magnetization"
	case Triangle:
		return "triangle"
	case Line3:
		return "line3"
	}
	return fmt.Sprintf("operator(%d)", int(o))
}

// MaxEven and MaxOdd bound the number of even and odd operators of any lattice.
const (
	MaxEven = 5
	MaxOdd  = 3
)

// Operators returns the even and odd operators [Measure] computes on lattices of
// dimension dim, in the order in which MCRG adds couplings: the chain has
// (nn, distance-2 | magnetization, line3), the square lattice (nn, diagonal,
// plaquette, distance-2, knight | magnetization, triangle, line3) — Swendsen's
// choice of the short-range couplings first — and the cubic lattice (nn |
// magnetization). It panics for other dimensions.
func Operators(dim int) (even, odd []Operator) {
	switch dim {
	case 1:
		return []Operator{NearestNeighbour, Distance2}, []Operator{Magnetization, Line3}
	case 2:
		return []Operator{NearestNeighbour, Diagonal, Plaquette, Distance2, Knight},
			[]Operator{Magnetization, Triangle, Line3}
	case 3:
		return []Operator{NearestNeighbour}, []Operator{Magnetization}
	}
	panic(fmt.Sprintf("rg: Operators of dimension %d", dim))
}

// OperatorValues holds the values of the even and odd operators of one
// configuration, in the order of [Operators]; unused entries are zero.
type OperatorValues struct {
	Even [MaxEven]float64
	Odd  [MaxOdd]float64
}

// String lists the values, e.g. "even [1800 1504 …] odd [12 …]".
func (v OperatorValues) String() string {
	return fmt.Sprintf("even %v odd %v", v.Even, v.Odd)
}

// Measure sets dst to the operators of s on the periodic lattice l. It allocates
// nothing, and panics if len(s) ≠ l.N() or l is not a chain, square or cubic lattice.
func Measure(dst *OperatorValues, s []int8, l models.Lattice) {
	if len(s) != l.N() {
		panic(fmt.Sprintf("rg: Measure with %d spins on %v", len(s), l))
	}
	*dst = OperatorValues{}
	switch l.Dim {
	case 1:
		measureChain(dst, s)
	case 2:
		measureSquare(dst, s, l.L)
	case 3:
		measureCubic(dst, s, l.L)
	default:
		panic(fmt.Sprintf("rg: Measure on %v", l))
	}
}

func measureChain(dst *OperatorValues, s []int8) {
	n := len(s)
	var nn, d2, m, l3 int
	for i, v := range s {
		a, b := int(v), int(s[(i+1)%n])
		c := int(s[(i+2)%n])
		nn += a * b
		d2 += a * c
		m += a
		l3 += a * b * c
	}
	dst.Even[0], dst.Even[1] = float64(nn), float64(d2)
	dst.Odd[0], dst.Odd[1] = float64(m), float64(l3)
}

// measureSquare computes all square-lattice operators in one pass; each site is the
// origin (x, y) of its pairs and clusters.
func measureSquare(dst *OperatorValues, s []int8, l int) {
	var nn, diag, plaq, d2, knight, m, tri, l3 int
	for y := range l {
		r0 := y * l
		r1 := (y + 1) % l * l
		r2 := (y + 2) % l * l
		rm := (y + l - 1) % l * l
		for x := range l {
			x1, x2, xm := x+1, x+2, x-1
			if x1 >= l {
				x1 -= l
			}
			if x2 >= l {
				x2 -= l
			}
			if xm < 0 {
				xm += l
			}
			s00, s10, s01, s11 := int(s[r0+x]), int(s[r0+x1]), int(s[r1+x]), int(s[r1+x1])
			s20, s02, s1m := int(s[r0+x2]), int(s[r2+x]), int(s[rm+x1])
			s21, s2m, s12, sm2 := int(s[r1+x2]), int(s[rm+x2]), int(s[r2+x1]), int(s[r2+xm])
			p := s00 * s10 * s01 * s11
			nn += s00 * (s10 + s01)
			diag += s00 * (s11 + s1m)
			plaq += p
			d2 += s00 * (s20 + s02)
			knight += s00 * (s21 + s2m + s12 + sm2)
			m += s00
			tri += p * (s00 + s10 + s01 + s11) // each triangle is p times its missing spin
			l3 += s00 * (s10*s20 + s01*s02)
		}
	}
	dst.Even = [MaxEven]float64{float64(nn), float64(diag), float64(plaq), float64(d2), float64(knight)}
	dst.Odd = [MaxOdd]float64{float64(m), float64(tri), float64(l3)}
}

func measureCubic(dst *OperatorValues, s []int8, l int) {
	var nn, m int
	l2 := l * l
	for z := range l {
		z1 := (z + 1) % l * l2
		for y := range l {
			y1 := (y + 1) % l * l
			r := z*l2 + y*l
			for x := range l {
				x1 := x + 1
				if x1 == l {
					x1 = 0
				}
				v := int(s[r+x])
				nn += v * (int(s[r+x1]) + int(s[z*l2+y1+x]) + int(s[z1+y*l+x]))
				m += v
			}
		}
	}
	dst.Even[0] = float64(nn)
	dst.Odd[0] = float64(m)
}
