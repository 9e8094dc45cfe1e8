package models

import (
	"fmt"
	"math"
)

// Bond is one pairwise coupling J between sites I and J (0-based) in a [Sparse] model.
type Bond struct {
	I, J int
	W    float64 // the coupling J_ij; positive is ferromagnetic
}

// Sparse is a pairwise model in compressed-sparse-row form: site i couples to Nbr[k]
// with strength J[k] for k in [Start[i], Start[i+1]). Every bond is stored twice, once
// from each end. A pair listed twice (the two bonds between the sites of a periodic
// lattice of side 2) counts twice. len(H) == N, so kernels never branch on a missing
// field.
//
// When every coupling and field is an integer of magnitude at most 127 (ferromagnetic
// Ising, ±J Edwards–Anderson, G-set graphs), JInt and HInt mirror J and H, and samplers
// use integer local fields with precomputed acceptance tables; otherwise they are nil.
//
// A Sparse must not be modified after construction.
type Sparse struct {
	Start []int32
	Nbr   []int32
	J     []float64
	H     []float64

	JInt []int8
	HInt []int8

	// Lattice is the lattice the sites live on, or nil for a general graph.
	Lattice *Lattice
	// Name describes the model, e.g. "ising square:16".
	Name string

	maxField int // max_i |h_i| + Σ_k |J_ik| when JInt != nil
}

// NewSparse builds a sparse model on n sites from bonds (each listed once) and fields h
// (nil means zero field). It panics if a site is out of range, a bond joins a site to
// itself, or len(h) is neither 0 nor n: input from files is validated by the parsers.
func NewSparse(n int, bonds []Bond, h []float64) *Sparse {
	if n < 1 {
		panic("models: NewSparse needs n ≥ 1")
	}
	if h != nil && len(h) != n {
		panic("models: NewSparse field length mismatch")
	}
	deg := make([]int32, n+1)
	for _, b := range bonds {
		if b.I < 0 || b.I >= n || b.J < 0 || b.J >= n {
			panic(fmt.Sprintf("models: bond (%d,%d) out of range [0,%d)", b.I, b.J, n))
		}
		if b.I == b.J {
			panic(fmt.Sprintf("models: bond joins site %d to itself", b.I))
		}
		deg[b.I+1]++
		deg[b.J+1]++
	}
	for i := 1; i <= n; i++ {
		deg[i] += deg[i-1]
	}
	p := &Sparse{
		Start: deg,
		Nbr:   make([]int32, deg[n]),
		J:     make([]float64, deg[n]),
		H:     make([]float64, n),
	}
	if h != nil {
		copy(p.H, h)
	}
	next := make([]int32, n)
	copy(next, deg[:n])
	for _, b := range bonds {
		k := next[b.I]
		p.Nbr[k], p.J[k] = int32(b.J), b.W
		next[b.I]++
		k = next[b.J]
		p.Nbr[k], p.J[k] = int32(b.I), b.W
		next[b.J]++
	}
	p.initInt()
	return p
}

// initInt sets JInt, HInt and maxField when all couplings are small integers.
func (p *Sparse) initInt() {
	isSmallInt := func(x float64) bool { return x == math.Trunc(x) && math.Abs(x) <= 127 }
	for _, j := range p.J {
		if !isSmallInt(j) {
			return
		}
	}
	for _, h := range p.H {
		if !isSmallInt(h) {
			return
		}
	}
	p.JInt = make([]int8, len(p.J))
	p.HInt = make([]int8, len(p.H))
	for k, j := range p.J {
		p.JInt[k] = int8(j)
	}
	for i, h := range p.H {
		p.HInt[i] = int8(h)
	}
	p.maxField = 0
	for i := range p.H {
		f := int(math.Abs(p.H[i]))
		for k := p.Start[i]; k < p.Start[i+1]; k++ {
			f += int(math.Abs(p.J[k]))
		}
		p.maxField = max(p.maxField, f)
	}
}

// MaxIntField returns the largest possible |h_i + Σ_j J_ij s_j| over sites and states
// when the model has integer couplings (JInt != nil), and -1 otherwise.
func (p *Sparse) MaxIntField() int {
	if p.JInt == nil {
		return -1
	}
	return p.maxField
}

// N returns the number of spins.
func (p *Sparse) N() int { return len(p.H) }

// LocalField returns h_i + Σ_j J_ij s_j.
func (p *Sparse) LocalField(s []int8, i int) float64 {
	f := p.H[i]
	for k := p.Start[i]; k < p.Start[i+1]; k++ {
		f += p.J[k] * float64(s[p.Nbr[k]])
	}
	return f
}

// DeltaE returns the energy change of flipping spin i: 2 s_i (h_i + Σ_j J_ij s_j).
func (p *Sparse) DeltaE(s []int8, i int) float64 {
	return 2 * float64(s[i]) * p.LocalField(s, i)
}

// Energy returns the total energy H(s).
func (p *Sparse) Energy(s []int8) float64 {
	if len(s) != len(p.H) {
		panic("models: Sparse.Energy spin length mismatch")
	}
	var pair, field float64
	for i := range p.H {
		var f float64
		for k := p.Start[i]; k < p.Start[i+1]; k++ {
			f += p.J[k] * float64(s[p.Nbr[k]])
		}
		pair += float64(s[i]) * f
		field += p.H[i] * float64(s[i])
	}
	return -pair/2 - field
}

// Degree returns the number of bond entries of site i.
func (p *Sparse) Degree(i int) int { return int(p.Start[i+1] - p.Start[i]) }

// NumBonds returns the number of bonds (each counted once).
func (p *Sparse) NumBonds() int { return len(p.Nbr) / 2 }

// Bonds returns every bond once (I < J, in CSR order).
func (p *Sparse) Bonds() []Bond {
	out := make([]Bond, 0, len(p.Nbr)/2)
	for i := range p.H {
		for k := p.Start[i]; k < p.Start[i+1]; k++ {
			if j := int(p.Nbr[k]); j > i {
				out = append(out, Bond{I: i, J: j, W: p.J[k]})
			}
		}
	}
	return out
}

// HasField reports whether any h_i is non-zero.
func (p *Sparse) HasField() bool {
	for _, h := range p.H {
		if h != 0 {
			return true
		}
	}
	return false
}

// String describes the model.
func (p *Sparse) String() string {
	name := p.Name
	if name == "" {
		name = "sparse"
	}
	return fmt.Sprintf("%s (N=%d, bonds=%d)", name, p.N(), p.NumBonds())
}
