// Package packed holds the bit-packed (multi-spin coded) kernels for ±J models (one
// magnitude of coupling, no field): 64 systems ("lanes") in the bits of machine words.
//
// A [Model] ([NewModel], or [NewModelLanes] and [NewGraphLanes] for one disorder sample
// per lane) and a [Chain] hold 64 lanes; [Metropolis] updates all lanes of a site with
// bitwise operations and an independent Bernoulli draw per lane ([Draws] names the
// correlated shared-draw variant, [SharedDraw], kept for comparison); on lattices whose
// side is a multiple of 16 it updates eight sites at once in row-checkerboard order
// ([RowCheckerboard]), in AVX-512 assembly where the CPU has it
// ([RowCheckerboardAVX512]). Metropolis
// follows the tie rule of package sampler: a move with ΔE = 0 is accepted with
// probability [sampler.TieAcceptance]. [Tempering] and [AnnealRestarts] are tempering and
// annealing over packed chains, and [NewPopulationAnnealing] is population annealing
// of packed lanes. [Metropolis.SweepWide] updates a [WideChain] of 512 lanes: AVX-512
// assembly on CPUs that have it ([WideSIMD] reports it), a portable twin giving
// the same bits otherwise; [WideTempering] and [WideAnnealRestarts] run on it.
//
// The kernels plug into the drivers of package sampler, whose exported API is all
// they use: the replica-exchange core [sampler.Exchange] (embedded in [Tempering]), the
// restart driver [sampler.AnnealRestartsOf] and the population-annealing driver
// [sampler.NewPopulationAnnealingOf]; random streams come from [sampler.NewStream].
// Package sampler does not import this one.
//
// # Names
//
// The kernels lived in package sampler, with a Packed prefix, until they moved here
// (same code, same numbers for the same seeds):
//
//	sampler.PackedLanes                   Lanes
//	sampler.PackedModel                   Model
//	sampler.NewPackedModel                NewModel
//	sampler.NewPackedModelLanes           NewModelLanes
//	sampler.NewPackedGraphLanes           NewGraphLanes
//	sampler.PackedGraph                   Graph
//	sampler.MaxPackedDegree               MaxDegree
//	sampler.PackedChain                   Chain
//	sampler.NewPackedChain                NewChain
//	sampler.PackedDraws                   Draws
//	sampler.PackedMetropolis              Metropolis
//	sampler.NewPackedMetropolis           NewMetropolis
//	sampler.PackedTempering               Tempering
//	sampler.NewPackedTempering            NewTempering
//	sampler.PackedAnnealRestarts          AnnealRestarts
//	sampler.NewPackedPopulationAnnealing  NewPopulationAnnealing
//
// The other names (IndependentLanes, SharedDraw, WideLanes, WideWords, WideChain,
// NewWideChain, WideSIMD, WideTempering, NewWideTempering, WideAnnealRestarts) are
// unchanged.
package packed
