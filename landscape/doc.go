// Package landscape maps the energy landscapes of Ising-type models: their single-flip
// local minima, the basins that drain into them, and the lowest barriers between them.
//
// For N ≤ 24 spins, [Enumerate] visits all 2^N configurations and is exact: a state is
// in a minimum when no single flip lowers its energy (a plateau of equal-energy states
// with no lower neighbour is one minimum), and the disconnectivity graph comes from a
// union-find over the states taken in order of energy (Becker & Karplus 1997; Wales):
// each state joins the components of its lower neighbours, and two components that each
// hold a minimum join at the lowest saddle between them. For larger N, [Sample] quenches
// configurations drawn by parallel tempering or simulated annealing (sampler.Tempering,
// sampler.Anneal) and collects the minima they end in.
//
// # Conventions
//
// Single-flip moves connect configurations; the quench is steepest descent: from a
// state, flip the spin whose flip lowers the energy most (the lowest site among equal
// ones), until no flip lowers it. Energies are totals in the [Landscape]; printed and
// saved values are per spin. A model is symmetric when E(−s) = E(s) (no field, even
// interactions): its minima then come in ± pairs, and both members are counted.
// Overlaps are taken with a reference state: the ground state unless one is given (the
// native state of a funnel, the planted pattern).
package landscape
