// The C code needs cgo; without it the package is empty and the benchmarks that use it
// are not built.

package cref

/*
#cgo CFLAGS: -O3 -march=native
#include "ising.h"
*/
import "C"

import (
	"fmt"
	"math"
	"unsafe"
)

// Ising2D is a 2D Ising Metropolis chain run by the C reference code.
type Ising2D struct {
	L    int
	Beta float64
	s    []int8
	rng  [4]uint64
	tab  [17]float64
}

// splitMix64 returns the next SplitMix64 output and advances x.
func splitMix64(x *uint64) uint64 {
	*x += 0x9e3779b97f4a7c15
	z := *x
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// New returns an L×L chain at inverse temperature beta with a random initial state, its
// generator seeded from seed. It panics if L < 3 or beta is negative or NaN.
func New(L int, beta float64, seed uint64) *Ising2D {
	if L < 3 || L > 1<<13 {
		panic("cref: New needs 3 ≤ L ≤ 8192")
	}
	if !(beta >= 0) {
		panic("cref: New needs β ≥ 0")
	}
	c := &Ising2D{L: L, Beta: beta, s: make([]int8, L*L)}
	x := seed
	for i := range c.rng {
		c.rng[i] = splitMix64(&x)
	}
	for i := range c.s {
		c.s[i] = int8(2*(splitMix64(&x)>>63)) - 1
	}
	for de := -8; de <= 8; de++ {
		c.tab[de+8] = math.Min(1, math.Exp(-beta*float64(de)))
	}
	return c
}

// Sweep does n sweeps (n·L² proposals) in one call into C.
func (c *Ising2D) Sweep(n int) {
	if n <= 0 {
		return
	}
	C.cref_sweeps((*C.int8_t)(unsafe.Pointer(&c.s[0])), C.int(c.L),
		(*C.uint64_t)(unsafe.Pointer(&c.rng[0])), (*C.double)(unsafe.Pointer(&c.tab[0])), C.long(n))
}

// Energy returns the total energy H = −Σ_⟨ij⟩ s_i s_j.
func (c *Ising2D) Energy() int {
	return int(C.cref_energy((*C.int8_t)(unsafe.Pointer(&c.s[0])), C.int(c.L)))
}

// Spins returns the spins (a view, not a copy), indexed x + L·y.
func (c *Ising2D) Spins() []int8 { return c.s }

// String describes the chain.
func (c *Ising2D) String() string {
	return fmt.Sprintf("cref ising2d L=%d β=%g E=%d", c.L, c.Beta, c.Energy())
}
