package models

// Model is an energy function of N Ising spins s_i ∈ {-1,+1}. Methods must not modify
// the receiver, so one Model can be shared by concurrently running chains.
type Model interface {
	// N returns the number of spins.
	N() int
	// Energy returns the total energy H(s).
	Energy(s []int8) float64
	// DeltaE returns E(s') - E(s), where s' is s with spin i flipped.
	DeltaE(s []int8, i int) float64
}
