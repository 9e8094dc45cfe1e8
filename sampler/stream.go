package sampler

import (
	"fmt"
	"math/rand/v2"
)

// Purpose names what a random stream is used for, so that streams for different
// purposes never coincide.
type Purpose uint64

// Stream purposes. Their values are part of the reproducibility contract: changing one
// changes every result.
const (
	PurposeDisorder Purpose = 1 // quenched disorder: couplings, patterns
	PurposeChain    Purpose = 2 // a chain's initial state and its updates
	PurposeSwap     Purpose = 3 // replica-exchange decisions
	PurposeData     Purpose = 4 // data sets, minibatch order
	// PurposePopulation seeds the steps of population annealing: step k of sample s
	// draws from streams derived from StreamSeed(seed, PurposePopulation, s, k).
	PurposePopulation Purpose = 5
)

// String returns the purpose's name.
func (p Purpose) String() string {
	switch p {
	case PurposeDisorder:
		return "disorder"
	case PurposeChain:
		return "chain"
	case PurposeSwap:
		return "swap"
	case PurposeData:
		return "data"
	case PurposePopulation:
		return "population"
	}
	return fmt.Sprintf("purpose(%d)", uint64(p))
}

// splitMix64 is the finaliser of SplitMix64 (Steele, Lea & Flood 2014): a bijective
// mixing of 64 bits.
func splitMix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// StreamSeed returns the two PCG seed words of the stream (seed, purpose, sample,
// replica). NewStream uses them; they are exported so checkpoints and tests can pin the
// mapping.
func StreamSeed(seed uint64, p Purpose, sample, replica int) (hi, lo uint64) {
	x := splitMix64(seed)
	x = splitMix64(x ^ uint64(p))
	x = splitMix64(x ^ uint64(sample))
	x = splitMix64(x ^ uint64(replica))
	return x, splitMix64(x ^ 0x6a09e667f3bcc909)
}

// NewStream returns the PCG stream for (seed, purpose, sample, replica). Distinct tuples
// give statistically independent streams; the same tuple always gives the same stream.
//
// Each stream sits alone on its own cache lines: a PCG is 16 bytes, and chains whose
// streams shared a line would slow each other down when swept on different cores
// (false sharing; two threads measured slower than one without this).
func NewStream(seed uint64, p Purpose, sample, replica int) *rand.PCG {
	s := new(paddedStream)
	s.pcg.Seed(StreamSeed(seed, p, sample, replica))
	return &s.pcg
}

// paddedStream is a PCG padded to 128 bytes, the size class whose objects the Go
// allocator places 128 bytes apart: two cache lines, so that adjacent-line prefetch
// does not pair it with a neighbour either.
type paddedStream struct {
	pcg rand.PCG
	_   [128 - 16]byte
}
