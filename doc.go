// Package deepglass is the root of a toolkit for the statistical mechanics of spin
// glasses and of the networks that learn.
//
// # Package map
//
//   - [github.com/deepglass/deepglass/models]: energies of Ising-type models (lattices,
//     Edwards–Anderson, Sherrington–Kirkpatrick, Hopfield, graphs) and exact enumeration.
//   - [github.com/deepglass/deepglass/sampler]: Markov chains over spin configurations
//     (Metropolis, heat bath, Wolff, Swendsen–Wang).
//   - [github.com/deepglass/deepglass/analysis]: binned time series, error bars,
//     autocorrelation times, jackknife, Binder cumulants.
//   - [github.com/deepglass/deepglass/sim]: configs, runs and run directories.
//   - cmd/deepglass: the command-line tool.
//
// # Conventions
//
// Spins are []int8 holding ±1, indexed by site. The energy is
//
//	H(s) = -Σ_{i<j} J_ij s_i s_j - Σ_i h_i s_i
//
// with k_B = 1. Library APIs take the inverse temperature β; the command line takes
// temperatures T = 1/β. Model.Energy returns the total energy; every printed or saved
// quantity is per spin and says so. Randomness comes from math/rand/v2 PCG streams, one
// per chain, derived by hashing (seed, purpose, sample, replica), so results do not
// depend on the number of threads.
//
// # Citing a run
//
// A run is identified by the deepglass version and revision, its resolved config and its
// seed; all three are written to config.json in the run directory.
package deepglass
