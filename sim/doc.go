// Package sim turns a study description into results: a [Config] (JSON or YAML, every
// field documented, unknown keys rejected), [Config.Validate] reporting every problem at
// once, and [Run], which builds the model, runs one independent chain per temperature in
// parallel over cores, measures per-spin observables on a fixed schedule and returns a
// [Summary] with error bars. With [Options.Out] set, Run also writes a run directory:
//
//	config.json   the fully resolved config (seed, version and revision included)
//	summary.json  the results (schema in DESIGN.md; fields are added, never renamed)
//	series.csv    measurements over time: one row per bin of bin_len measurements
//
// All energies and other extensive quantities are per spin. Temperatures are given as T
// (k_B = 1); the samplers take β = 1/T.
//
// Random streams derive from (seed, purpose, sample, replica) with [sampler.NewStream]:
// the disorder of sample s comes from (seed, disorder, s, 0) and the chain at the k-th
// temperature from (seed, chain, s, k), so a point's result depends only on the seed, the
// config and its own temperature, never on the number of threads.
package sim
