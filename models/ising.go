package models

import "fmt"

// NewIsing returns the nearest-neighbour Ising model on the periodic lattice l with
// uniform coupling j (j > 0 ferromagnetic) and uniform field h:
//
//	H = -j Σ_⟨ik⟩ s_i s_k - h Σ_i s_i
func NewIsing(l Lattice, j, h float64) *Sparse {
	if err := l.Validate(); err != nil {
		panic("models: NewIsing: " + err.Error())
	}
	var field []float64
	if h != 0 {
		field = make([]float64, l.N())
		for i := range field {
			field[i] = h
		}
	}
	p := NewSparse(l.N(), l.Bonds(j), field)
	lat := l
	p.Lattice = &lat
	p.Name = fmt.Sprintf("ising %s", l)
	if j != 1 || h != 0 {
		p.Name += fmt.Sprintf(" J=%g h=%g", j, h)
	}
	return p
}
