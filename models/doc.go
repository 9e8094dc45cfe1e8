// Package models holds the energy functions of Ising-type models: no dynamics, no
// random state.
//
// # Conventions
//
// Spins are []int8 holding ±1, flat, indexed by site 0…N-1. The energy is
//
//	H(s) = -Σ_{i<j} J_ij s_i s_j - Σ_i h_i s_i
//
// in units with k_B = 1. [Model.Energy] returns the total energy; callers divide by N for
// per-spin values. A ferromagnetic bond has J_ij > 0. Models are immutable after
// construction, so one model can be shared by any number of concurrently running chains.
//
// Pairwise models come in two representations: [Sparse] (compressed sparse rows, for
// lattices, Edwards–Anderson and graphs read from files) and [Dense] (an N×N matrix, for
// Sherrington–Kirkpatrick and Hopfield). Samplers switch on the concrete type once per
// sweep and run a specialised kernel; any other type implementing [Model] works too,
// through a slower generic path.
//
// [Exact] enumerates all 2^N states of a small model (N ≤ 24): it is the oracle the
// samplers are tested against.
package models
