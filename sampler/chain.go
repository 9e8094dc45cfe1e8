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
