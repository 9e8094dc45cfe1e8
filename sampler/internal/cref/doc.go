// Package cref is a plain C reference implementation of single-spin-flip Metropolis for
// the 2D Ising ferromagnet, the yardstick for the Go kernels' speed.
//
// The C code (ising.c, compiled with -O3 -march=native) keeps int8 spins on an L×L
// periodic lattice and sweeps it in typewriter order (row by row), finding the four
// neighbours by index arithmetic (x±1 and y±1 wrapped with a conditional). ΔE = 2 s_i Σ_nb
// s_j indexes a precomputed table of doubles exp(−βΔE) (1 for ΔE ≤ 0). Every proposal,
// uphill or not, draws r = (x>>11)·2⁻⁵³ ∈ [0, 1) from xoshiro256+ (Blackman & Vigna,
// output s[0]+s[3]) and flips the spin iff r < table[ΔE]. The generator state is seeded
// from four SplitMix64 outputs of the seed. The spins, table and generator state live in
// Go memory and are passed to C for each call, which the cgo pointer rules allow since
// they contain no Go pointers.
package cref
