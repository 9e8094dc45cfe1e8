// Package spectra measures the spectra of weight matrices: heavy-tailed
// self-regularization (Martin & Mahoney, JMLR 22 (2021); Nature Communications 12,
// 4122 (2021)) as WeightWatcher computes it, with error bars and fit diagnostics.
package spectra
