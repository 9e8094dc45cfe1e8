package sampler

import "math/rand/v2"

// Disorder returns the disorder stream of sample (instance) sample under seed,
// rand.New(NewStream(seed, PurposeDisorder, sample, 0)): the stream from which the
// runs draw couplings, patterns and random-energy seeds, so that a notebook or a
// command builds the same instance as a run with that seed.
func Disorder(seed uint64, sample int) *rand.Rand {
	return rand.New(NewStream(seed, PurposeDisorder, sample, 0))
}
