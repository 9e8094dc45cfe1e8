package sampler

import (
	"fmt"
	"math/rand/v2"

	"github.com/deepglass/deepglass/models"
)

// Chain is one Markov chain: a configuration, its energy and a private random stream.
type Chain struct {
	S []int8
	// E is the total energy of S, updated incrementally by sweeps; Resync recomputes it.
	E float64
	// Src is the chain's random stream; it is never shared with another chain.
	Src *rand.PCG
	// Accepted and Proposed count single-spin updates: attempted and accepted flips for
	// local moves; spins flipped (both counters) for cluster moves.
	Accepted, Proposed int64

	fs []float64 // scratch: float64(S[i]), for the dense kernels
}

// floatSpins returns a float64 copy of the spins in scratch space owned by the chain.
func (c *Chain) floatSpins() []float64 {
	if len(c.fs) != len(c.S) {
		c.fs = make([]float64, len(c.S))
	}
	for i, v := range c.S {
		c.fs[i] = float64(v)
	}
	return c.fs
}

// dot4 returns Σ_j row[j]·x[j] summed exactly as models.Dense.LocalField sums
// Σ_j J_ij s_j: four interleaved partial sums p_k over j ≡ k mod 4, the tail added to
// p0, p1, p2 in turn, and (p0 + p1) + (p2 + p3). With x[j] = ±1 every product is exact,
// so the two agree bit for bit (the FastPath conformance test checks it).
func dot4(row, x []float64) float64 {
	var p0, p1, p2, p3 float64
	j := 0
	for ; j+4 <= len(row); j += 4 {
		r, v := row[j:j+4:j+4], x[j:j+4:j+4]
		p0 += r[0] * v[0]
		p1 += r[1] * v[1]
		p2 += r[2] * v[2]
		p3 += r[3] * v[3]
	}
	for k := 0; j < len(row); j, k = j+1, k+1 {
		switch k {
		case 0:
			p0 += row[j] * x[j]
		case 1:
			p1 += row[j] * x[j]
		default:
			p2 += row[j] * x[j]
		}
	}
	return (p0 + p1) + (p2 + p3)
}

// NewChain returns a chain of m with a uniformly random initial state drawn from src.
func NewChain(m models.Model, src *rand.PCG) *Chain {
	if src == nil {
		panic("sampler: NewChain with nil source")
	}
	s := make([]int8, m.N())
	for i := 0; i < len(s); i += 64 {
		w := src.Uint64()
		for b := 0; b < 64 && i+b < len(s); b++ {
			s[i+b] = int8(2*((w>>uint(b))&1)) - 1
		}
	}
	return &Chain{S: s, E: m.Energy(s), Src: src}
}

// NewChainFrom returns a chain of m starting from a copy of s.
func NewChainFrom(m models.Model, s []int8, src *rand.PCG) *Chain {
	if src == nil {
		panic("sampler: NewChainFrom with nil source")
	}
	if len(s) != m.N() {
		panic("sampler: NewChainFrom spin length mismatch")
	}
	c := &Chain{S: append([]int8(nil), s...), Src: src}
	c.E = m.Energy(c.S)
	return c
}

// Resync recomputes E from the spins and returns the drift it removed (new minus old).
func (c *Chain) Resync(m models.Model) float64 {
	e := m.Energy(c.S)
	d := e - c.E
	c.E = e
	return d
}

// Magnetization returns m = (1/N) Σ_i s_i.
func (c *Chain) Magnetization() float64 {
	var sum int
	for _, v := range c.S {
		sum += int(v)
	}
	return float64(sum) / float64(len(c.S))
}

// Acceptance returns Accepted/Proposed, or 0 before any update.
func (c *Chain) Acceptance() float64 {
	if c.Proposed == 0 {
		return 0
	}
	return float64(c.Accepted) / float64(c.Proposed)
}

// String summarises the chain.
func (c *Chain) String() string {
	return fmt.Sprintf("N=%d E=%g m=%.4g acc=%.3g", len(c.S), c.E, c.Magnetization(), c.Acceptance())
}

// Sweeper advances a chain by one sweep. Implementations hold only configuration and
// scratch space; all state that the chain carries forward lives in the Chain.
type Sweeper interface {
	Sweep(c *Chain)
}

// Order is the order in which local moves visit sites.
type Order int

const (
	// Typewriter visits sites 0, 1, …, N-1 in turn: cache-friendly, and each update
	// keeps the Boltzmann distribution invariant.
	Typewriter Order = iota
	// RandomSite draws each of the N sites of a sweep uniformly at random.
	RandomSite
)

// String returns "typewriter" or "random".
func (o Order) String() string {
	switch o {
	case Typewriter:
		return "typewriter"
	case RandomSite:
		return "random"
	}
	return fmt.Sprintf("order(%d)", int(o))
}

// ParseOrder parses "typewriter" (or "") and "random".
func ParseOrder(s string) (Order, error) {
	switch s {
	case "", "typewriter":
		return Typewriter, nil
	case "random":
		return RandomSite, nil
	}
	return 0, fmt.Errorf("unknown site order %q (want typewriter or random)", s)
}
