// Package mi measures the mutual information I(d) between symbols a distance d apart
// in one or many sequences, and between Ising spins r lattice spacings apart, with
// bias correction, jackknife error bars and power-law against exponential fits (Lin &
// Tegmark, Entropy 19, 299 (2017), arXiv:1606.06737).
//
// # Estimator
//
// For each distance d every pair (x_t, x_{t+d}) inside a sequence is counted into one
// joint table pooled over positions and sequences, and
//
//	I(d) = Σ_xy p(x,y) log2[p(x,y) / (p(x) p(y))]   (bits)
//
// is estimated from it, with p(x) and p(y) the margins of the pair table. The plug-in
// estimate (frequencies for probabilities) is biased upwards by about (K−1)²/(2N ln 2)
// bits for K symbols and N pairs of independent symbols, more when the sequence is
// correlated: the bias is what makes a naive I(d) of random digits look like a slow
// power law. [Method] chooses the correction:
//
//   - [Shuffle] subtracts the exact expectation of the plug-in estimate when the same
//     symbols are paired at random (the shuffled-sequence baseline, computed from the
//     hypergeometric law rather than by shuffling): right for independent pairs even
//     when rare symbols leave the table undersampled, short when the sequence is
//     correlated (the pairs are then not independent draws, and the bias is larger).
//   - [Jackknife] removes bias of the form c/N by the delete-one-block jackknife,
//     whatever its origin, correlations included; it fails for rare symbols, whose
//     bias falls more slowly than 1/N.
//   - [ShuffleJackknife], the default, does both: it subtracts the baseline, with its
//     own margins, from the estimate and from every leave-one-out replica, and
//     jackknifes the remainder.
//   - [Grassberger] replaces every entropy by the estimator of Grassberger (2003), as
//     Lin & Tegmark did; [PlugIn] applies no correction.
//
// docs/mi.md compares them on data with known answers.
//
// # Errors
//
// Errors are delete-one-block jackknife errors over Options.Blocks contiguous blocks
// of the data (the pair (t, t+d) belongs to the block of t; with many sequences,
// blocks are runs of whole sequences as far as the lengths allow). The leave-one-out
// estimates are kept (Result.Replicas), so that a fit can be repeated on each and its
// parameters carry errors that include the correlations between distances.
//
// # Symbols
//
// Symbols are small integers 0…K−1 in []int32 sequences. [FromBytes], [FromRunes],
// [FromWords], [FromDigits] and [FromSpins] turn data into symbols. The package
// imports only the standard library and gonum; its exported API has no generics.
package mi
