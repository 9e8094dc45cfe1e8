package models

import (
	"fmt"
	"strconv"
	"strings"
)

// Lattice is a periodic hypercubic lattice of side L in Dim dimensions (2: square,
// 3: cubic). Site (x, y, z) has index x + L*y + L²*z.
type Lattice struct {
	Dim, L int
}

// Square returns the periodic L×L square lattice.
func Square(l int) Lattice { return Lattice{Dim: 2, L: l} }

// Chain returns the periodic chain (ring) of L sites.
func Chain(l int) Lattice { return Lattice{Dim: 1, L: l} }

// Cubic returns the periodic L×L×L cubic lattice.
func Cubic(l int) Lattice { return Lattice{Dim: 3, L: l} }

var latticeNames = map[string]int{"chain": 1, "square": 2, "cubic": 3}

// ParseLattice parses "square:L", "cubic:L" or "chain:L". L must be at least 2.
func ParseLattice(spec string) (Lattice, error) {
	name, side, ok := strings.Cut(strings.TrimSpace(spec), ":")
	if !ok {
		return Lattice{}, fmt.Errorf("lattice %q: want square:L, cubic:L or chain:L", spec)
	}
	dim, ok := latticeNames[name]
	if !ok {
		return Lattice{}, fmt.Errorf("lattice %q: unknown kind %q (want square, cubic or chain)", spec, name)
	}
	l, err := strconv.Atoi(side)
	if err != nil {
		return Lattice{}, fmt.Errorf("lattice %q: side %q is not an integer", spec, side)
	}
	lat := Lattice{Dim: dim, L: l}
	if err := lat.Validate(); err != nil {
		return Lattice{}, fmt.Errorf("lattice %q: %w", spec, err)
	}
	return lat, nil
}

// Validate reports whether the lattice is usable: 1 ≤ Dim ≤ 3, L ≥ 2 and at most 2^26 sites.
func (l Lattice) Validate() error {
	if l.Dim < 1 || l.Dim > 3 {
		return fmt.Errorf("dimension %d not supported (want 1, 2 or 3)", l.Dim)
	}
	if l.L < 2 {
		return fmt.Errorf("side %d < 2", l.L)
	}
	n := 1
	for d := 0; d < l.Dim; d++ {
		n *= l.L
		if n > 1<<26 {
			return fmt.Errorf("side %d gives more than 2^26 sites", l.L)
		}
	}
	return nil
}

// N returns the number of sites, L^Dim.
func (l Lattice) N() int {
	n := 1
	for d := 0; d < l.Dim; d++ {
		n *= l.L
	}
	return n
}

// Coordination returns the number of nearest neighbours, 2·Dim.
func (l Lattice) Coordination() int { return 2 * l.Dim }

// Step returns the index of the site one step from i along axis d (0 = x, 1 = y,
// 2 = z) in direction dir (+1 or -1), with periodic boundaries.
func (l Lattice) Step(i, d, dir int) int {
	stride := 1
	for k := 0; k < d; k++ {
		stride *= l.L
	}
	x := (i / stride) % l.L
	nx := (x + dir + l.L) % l.L
	return i + (nx-x)*stride
}

// Bonds returns the Dim·N nearest-neighbour bonds, each once, as (i, i+e_d) for every
// site i and axis d in that order, with coupling w. For L = 2 the two bonds between a
// pair of sites along an axis are both listed, as the periodic lattice has them.
func (l Lattice) Bonds(w float64) []Bond {
	n := l.N()
	out := make([]Bond, 0, n*l.Dim)
	for i := 0; i < n; i++ {
		for d := 0; d < l.Dim; d++ {
			out = append(out, Bond{I: i, J: l.Step(i, d, +1), W: w})
		}
	}
	return out
}

// String returns the spec ParseLattice reads, e.g. "square:16".
func (l Lattice) String() string {
	for name, d := range latticeNames {
		if d == l.Dim {
			return fmt.Sprintf("%s:%d", name, l.L)
		}
	}
	return fmt.Sprintf("dim%d:%d", l.Dim, l.L)
}
