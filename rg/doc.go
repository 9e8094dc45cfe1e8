// Package rg coarse-grains lattice spin configurations and measures renormalization-
// group flows: block-spin transformations ([BlockSpin], [Pyramid]: majority rule with
// random tie-break, or decimation, block side b, any number of levels, on chain, square
// and cubic lattices), the operators of block-spin Hamiltonians ([Measure]), Swendsen's
// Monte Carlo renormalization group ([MCRG]: linearized RG matrix from correlation
// functions of successive levels, leading eigenvalues, exponents y_T and y_H with
// jackknife errors) and the flow of the Binder cumulant under blocking ([BlockFlow]),
// with [Moments] for U₄, ⟨|m|⟩ and the energy of any set of configurations.
//
// Spins are []int8 holding ±1 on a [models.Lattice] (site x + L·y + L²·z); the block
// of coarse site (X, Y, Z) is the b^Dim fine sites (bX+i, bY+j, bZ+k), 0 ≤ i, j, k < b,
// and decimation keeps the fine spin at (bX, bY, bZ). Operators are extensive sums
// (not per spin), as the linearized RG needs: T = B⁻¹A is not invariant under
// rescaling the operators of one level only. APIs take inverse temperatures β; k_B = J = 1.
//
// Random numbers (Wolff updates, tie-breaks) come from [sampler.NewStream] streams of
// (seed, purpose, 0, chain); chains run concurrently and their data are merged in chain
// order, so results do not depend on GOMAXPROCS.
//
// # Variational RG with networks
//
// The network half of the package compares trained networks with the RG. Stacked RBMs
// (Mehta & Schwab 2014): [TrainStack] trains a [Stack] layer by layer on Ising
// configurations ([StackSpec], [MehtaSchwabSpec]); [ReceptiveFields] multiplies the
// weight matrices, [MeasureLocality] and [Shape] measure how local and how wide the
// fields are, [Reconstruct] and [BlockAgreement] compare reconstructions with majority
// block spins, and [MapEnsemble] maps a critical ensemble through the layers. RBM flows
// (Iso, Shiba & Yokoo 2018): a [FlowLab] ([NewFlowLab], [FlowSpec], [IsoSpec]) holds
// Ising data at [IsoTemperatures], trains RBMs on all, high or low temperatures
// ([TrainSet]) and runs the flow v → h → v′ ([FlowLab.Run], [FlowLab.RunScan] along the
// training), read out by a [Thermometer] ([TrainThermometer]). [CompareFixedPoints]
// puts T_c, y_T and U* of the exact solution ([ExactIsingFixedPoint]) beside those the
// networks give.
package rg
