// Package sampler runs Markov chains over Ising configurations of a [models.Model].
//
// A [Chain] is the state of one chain: spins, their energy, a private PCG stream and
// acceptance counters. A [Sweeper] advances a chain by one sweep, which is N attempted
// single-spin updates for local moves (Metropolis, heat bath) and, for cluster moves,
// as many cluster flips as it takes to flip at least N spins (Wolff) or one update of all
// clusters (Swendsen–Wang). Sweepers hold an immutable configuration (model, β, order);
// the chain holds everything that changes.
//
// Samplers switch on the model's concrete type once per sweep and run a specialised
// kernel: integer local fields and an acceptance table for integer couplings, float
// fields for the rest, and a generic path through the [models.Model] interface for any
// other model. All paths draw random numbers in the same order, so the fast and generic
// paths give bit-identical chains. Sweeps allocate nothing.
//
// Random streams come from [NewStream], which derives an independent PCG from
// (seed, purpose, sample, replica) by hashing, so results do not depend on the number
// of goroutines or their scheduling.
package sampler
