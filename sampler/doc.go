// Package sampler runs Markov chains over Ising configurations of a [models.Model].
//
// A [Chain] is the state of one chain: spins, their energy, a private PCG stream and
// acceptance counters. A [Sweeper] advances a chain by one sweep: N attempted
// single-spin updates for local moves ([Metropolis], [HeatBath]); for cluster moves, a
// fixed number of cluster flips that flip about N spins on average ([Wolff]; see there
// why not "until N spins have flipped") or one update of all clusters
// ([SwendsenWang]). Sweepers hold configuration (model, β, order) and precomputed
// tables or scratch space; the chain holds everything that changes.
//
// Samplers switch on the model's concrete type once per sweep and run a specialised
// kernel: integer local fields and an acceptance table for integer couplings (with
// neighbours from index arithmetic on square and cubic lattices), float fields for the
// rest, and a generic path through the [models.Model] interface for any other model.
// All paths draw random numbers in the same order and take the same decisions, so the
// fast and generic paths give bit-identical chains. Sweeps allocate nothing.
//
// Metropolis in [Typewriter] order accepts a move with ΔE = 0 with probability
// [TieAcceptance] = 15/16 (the tie rule; RandomSite order accepts it always): with every ΔE ≤ 0 move forced, a
// deterministic order has traps that no temperature leaves (rings, the staircase domain
// wall of every torus, Curie–Weiss and Hopfield models); see [Metropolis]. The packed
// kernels of sampler/packed follow the same rule.
//
// [Tempering] is parallel tempering over any of these sweepers: one chain per
// temperature, exchanges of neighbouring temperature slots (never spin arrays) after
// every sweep, drawn from the tempering's own stream, with the slots swept concurrently
// by a pool of workers; results are bit-identical for any number of workers.
// [GeometricBetas] and the adaptive ladders ([Tempering.AdaptConstantAcceptance],
// [Tempering.AdaptFeedback]) place its temperatures. [Anneal] and [AnnealRestarts]
// search for ground states by simulated annealing along a [Schedule].
//
// Random streams come from [NewStream], which derives an independent PCG from
// (seed, purpose, sample, replica) by hashing, so results do not depend on the number
// of goroutines or their scheduling.
//
// [PopulationAnnealing] anneals populations of replicas from β = 0 with reweighting
// and resampling ([NewPopulationAnnealing] for scalar chains).
//
// # Layout
//
// This package is the core: scalar chains and their moves (Metropolis, heat bath,
// Wolff, Swendsen–Wang, spherical moves), the tempering core ([Exchange], [Tempering],
// ladders), annealing, population annealing, Wang–Landau, and the random streams. The
// rest of the sampling lives in subpackages that build on its exported API (none of
// them is imported here):
//
//   - sampler/packed: bit-packed (multi-spin coded) kernels for ±J models, 64 or 512
//     systems ("lanes") in the bits of machine words, with packed tempering, annealing
//     restarts and population annealing. They plug into the drivers of this package
//     through [Exchange], [AnnealRestartsOf] with a [RestartPass], and
//     [NewPopulationAnnealingOf] with a [PAPopulation].
//   - sampler/rbmsample: sampling of restricted Boltzmann machines (block Gibbs, RBM
//     tempering, AIS).
//   - sampler/cbench: the speed of the kernels beside a plain C Metropolis kernel (the
//     only C in the library, with cgo).
package sampler

// Compile-time checks that the samplers are Sweepers.
var (
	_ Sweeper = (*Metropolis)(nil)
	_ Sweeper = (*HeatBath)(nil)
	_ Sweeper = (*Wolff)(nil)
	_ Sweeper = (*SwendsenWang)(nil)
)
