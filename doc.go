// Package deepglass is the root of a toolkit for the statistical mechanics of spin
// glasses and of the networks that learn.
//
// # Package map
//
//   - [github.com/deepglass/deepglass/models]: energies of Ising-type models (lattices,
//     Edwards–Anderson, Sherrington–Kirkpatrick, Hopfield, graphs, RBMs), exact
//     enumeration, Kaufman's finite-lattice solution and transfer matrices.
//   - [github.com/deepglass/deepglass/models/modeltest]: the conformance suite every
//     model passes.
//   - [github.com/deepglass/deepglass/sampler]: Markov chains over spin configurations
//     (Metropolis, heat bath, Wolff, Swendsen–Wang), parallel tempering and its
//     exchange core, annealing, population annealing, random streams.
//   - [github.com/deepglass/deepglass/sampler/packed]: bit-packed (multi-spin coded)
//     kernels for ±J models, 64 or 512 lanes per site, with their tempering, annealing
//     and population annealing.
//   - [github.com/deepglass/deepglass/sampler/rbmsample]: RBM sampling (block Gibbs,
//     tempering, AIS).
//   - [github.com/deepglass/deepglass/sampler/cbench]: the speed of the kernels beside a
//     plain C Metropolis kernel.
//   - [github.com/deepglass/deepglass/analysis]: binned time series, error bars,
//     autocorrelation times, jackknife, Binder cumulants.
//   - [github.com/deepglass/deepglass/analysis/plot]: figures over gonum/plot (error
//     bars, exact curves, panels, heat maps, image grids; PNG and SVG).
//   - [github.com/deepglass/deepglass/learn]: RBM training (CD-k, PCD-k, parallel
//     tempering), data sets, likelihoods, NPY files, deep belief nets.
//   - [github.com/deepglass/deepglass/rg]: block spins, Monte Carlo RG, the block-spin
//     flow; stacked RBMs, RBM flows and the fixed points compared.
//   - [github.com/deepglass/deepglass/sim]: configs, runs and run directories,
//     checkpoints, shards and aggregation.
//   - [github.com/deepglass/deepglass/sim/figures]: paper figures as recipes with checks.
//   - cmd/deepglass: the command-line tool.
//   - cmd/deepglass-kernel: the Jupyter kernel, with deepglass compiled into a gomacro
//     interpreter.
//
// The manual is in docs/ (docs/cli.md for the command line, docs/validation.md for what
// is tested against which oracle); the reference values the tests use, with their
// sources, are in docs/references/.
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
