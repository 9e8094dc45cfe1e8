// Package analysis turns Monte Carlo time series into estimates with honest error
// bars: binned series, integrated autocorrelation times, the jackknife and derived
// thermodynamic quantities (Binder cumulant, specific heat, susceptibility).
//
// # Conventions
//
// An [Estimate] is a mean with its one-standard-deviation error, the integrated
// autocorrelation time τ_int of the underlying series and the number of values it
// came from. τ_int is measured in units of the spacing of the series (measurements,
// not necessarily sweeps) and normalised so that uncorrelated data have τ_int = 1/2;
// the squared error of the mean of n values with variance σ² is then
//
//	err² = 2 τ_int σ² / n.
//
// A [Series] stores fixed-length bins of the measurements (memory O(n/binLen)), so
// it can be merged across runs and regrouped into jackknife blocks later. Derived
// quantities ([Binder], [SpecificHeat], [Susceptibility]) take Series of
// per-measurement values of intensive (per-spin) observables and return
// bias-corrected jackknife estimates, per spin.
//
// The package imports only the standard library and gonum, and its exported API is
// free of generics so that it can be called from notebooks through gomacro.
package analysis
