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
// kernels follow the same rule.
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
// # Bit-packed kernels
//
// Multi-spin coding for ±J models (one magnitude of coupling, no field): a
// [PackedModel] ([NewPackedModel], or [NewPackedModelLanes] and [NewPackedGraphLanes]
// for one disorder sample per lane) and a [PackedChain] hold 64 systems ("lanes") in the
// bits of machine words; [PackedMetropolis] updates all lanes of a site with bitwise
// operations and an independent Bernoulli draw per lane ([PackedDraws] names the
// correlated shared-draw variant kept for comparison). [PackedTempering] and
// [PackedAnnealRestarts] are tempering and annealing over packed chains.
// [PackedMetropolis.SweepWide] updates a [WideChain] of 512 lanes: AVX-512 code in
// builds with GOEXPERIMENT=simd ([WideSIMD] reports it), a portable twin giving the same
// bits otherwise.
//
// # Elsewhere
//
// Sampling of restricted Boltzmann machines (block Gibbs, RBM tempering, AIS) is in
// sampler/rbmsample; the speed of these kernels beside a plain C Metropolis kernel
// (the only C in the library, with cgo) is measured by sampler/cbench. Tempering of every
// kind shares the exchange core [Exchange].
package sampler

// Compile-time checks that the samplers are Sweepers.
var (
	_ Sweeper = (*Metropolis)(nil)
	_ Sweeper = (*HeatBath)(nil)
	_ Sweeper = (*Wolff)(nil)
	_ Sweeper = (*SwendsenWang)(nil)
)
