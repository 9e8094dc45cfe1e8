package models

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mathext"
)

// MaxIndexN is the largest number of spins whose states [StateIndex] packs into a
// uint64: the random-energy models ([REM], [GREM], [Funnel]) hold at most this many.
const MaxIndexN = 64

// StateIndex returns the index of configuration s: bit i is set iff s[i] = +1, so the
// all-down state is 0 and flipping spin i toggles bit i. It panics if len(s) > 64.
func StateIndex(s []int8) uint64 {
	if len(s) > MaxIndexN {
		panic(fmt.Sprintf("models: StateIndex of %d spins (at most %d)", len(s), MaxIndexN))
	}
	var k uint64
	for i, v := range s {
		k |= uint64(v+1) >> 1 << uint(i)
	}
	return k
}

// SetState writes the configuration of index k (see [StateIndex]) into s.
func SetState(s []int8, k uint64) {
	for i := range s {
		s[i] = int8(k>>uint(i)&1)*2 - 1
	}
}

// remMix is the SplitMix64 finaliser (Steele, Lea & Flood 2014), a bijective mixing
// of 64 bits.
func remMix(x uint64) uint64 {
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// remGolden is the SplitMix64 increment, 2⁶⁴/φ.
const remGolden = 0x9e3779b97f4a7c15

// remKey derives the hashing key of an instance seed and a purpose (the GREM level).
func remKey(seed, purpose uint64) uint64 {
	return remMix(remMix(seed+remGolden) ^ (purpose+1)*0xd1b54a32d192ed03)
}

// remNormal returns the standard normal variate of state k under key: the k-th output
// of the SplitMix64 generator whose state starts at key, h, turned into a normal by
// the inverse distribution function. The top bit of h is the sign and the other 63 bits
// give u = (h mod 2⁶³ + ½)·2⁻⁶⁴ in (0, ½), so z = −Φ⁻¹(u) reaches 9.4σ (u = 2⁻⁶⁵)
// without loss in the tail (Φ⁻¹ is Wichura's AS241, gonum's mathext.NormalQuantile,
// accurate to about 1e-16 relative).
func remNormal(key, k uint64) float64 {
	h := remMix(key + (k+1)*remGolden)
	u := (float64(h&(1<<63-1)) + 0.5) * 0x1p-64
	z := mathext.NormalQuantile(u) // ≤ 0
	if h>>63 != 0 {
		return -z
	}
	return z
}

// REM is Derrida's random energy model (Phys. Rev. Lett. 45, 79 (1980); Phys. Rev. B
// 24, 2613 (1981)): each of the 2^N configurations has an independent Gaussian energy of
// mean 0 and variance N J²/2. Nothing of size 2^N is stored: the energy of the state of
// index k ([StateIndex]) is J√(N/2)·z_k, where z_k is a standard normal derived
// deterministically from the instance seed and k by hashing (SplitMix64, then the
// inverse normal distribution function; see the package's doc for the exact mapping),
// so two REMs with the same seed and N are the same instance. DeltaE costs two
// lookups.
//
// In the limit N → ∞ (docs/references/funnels.md §1) the entropy per spin is
// s(e) = ln 2 − e²/J² for |e| ≤ J√ln 2, and the model freezes at T_c = J/(2√ln 2):
// f = −T ln 2 − J²/(4T) above T_c, f = e = −J√ln 2 below.
type REM struct {
	n     int
	j     float64
	seed  uint64
	key   uint64
	scale float64 // J√(N/2)
	// Name describes the model, e.g. "rem N=20 J=1".
	Name string
}

// NewREM returns a random energy model of n spins and coupling scale j whose seed is
// one draw of rng. It panics unless 1 ≤ n ≤ 64 and j is finite and positive, or if rng
// is nil.
func NewREM(n int, j float64, rng *rand.Rand) *REM {
	if rng == nil {
		panic("models: NewREM with nil rng")
	}
	return NewREMSeed(n, j, rng.Uint64())
}

// NewREMSeed returns the random energy model of n spins, scale j and instance seed seed.
func NewREMSeed(n int, j float64, seed uint64) *REM {
	checkREM("NewREM", n, j)
	return &REM{n: n, j: j, seed: seed, key: remKey(seed, 0), scale: j * math.Sqrt(float64(n)/2),
		Name: fmt.Sprintf("rem N=%d J=%g", n, j)}
}

func checkREM(who string, n int, j float64) {
	if n < 1 || n > MaxIndexN {
		panic(fmt.Sprintf("models: %s needs 1 ≤ N ≤ %d, have %d", who, MaxIndexN, n))
	}
	if !(j > 0) || math.IsInf(j, 0) {
		panic(fmt.Sprintf("models: %s needs a finite J > 0, have %v", who, j))
	}
}

// N returns the number of spins.
func (r *REM) N() int { return r.n }

// J returns the coupling scale: energies have variance N J²/2.
func (r *REM) J() float64 { return r.j }

// Seed returns the instance seed.
func (r *REM) Seed() uint64 { return r.seed }

// EnergyIndex returns the energy of the state of index k.
func (r *REM) EnergyIndex(k uint64) float64 { return r.scale * remNormal(r.key, k) }

// Energy returns the total energy of s.
func (r *REM) Energy(s []int8) float64 {
	if len(s) != r.n {
		panic("models: REM.Energy spin length mismatch")
	}
	return r.EnergyIndex(StateIndex(s))
}

// DeltaE returns E(s with spin i flipped) − E(s).
func (r *REM) DeltaE(s []int8, i int) float64 {
	k := StateIndex(s)
	return r.EnergyIndex(k^1<<uint(i)) - r.EnergyIndex(k)
}

// String describes the model.
func (r *REM) String() string { return fmt.Sprintf("%s (N=%d, seed %#x)", r.Name, r.n, r.seed) }

// REMCriticalTemperature returns Derrida's freezing temperature T_c = J/(2√ln 2) of the
// REM with coupling scale j (N → ∞).
func REMCriticalTemperature(j float64) float64 { return j / (2 * math.Sqrt(math.Ln2)) }

// REMGroundStateLimit returns the N → ∞ ground-state energy per spin −J√ln 2 of the REM.
func REMGroundStateLimit(j float64) float64 { return -j * math.Sqrt(math.Ln2) }

// REMFreeEnergy returns Derrida's N → ∞ free energy per spin of the REM at temperature
// t: −T ln 2 − J²/(4T) above T_c and −J√ln 2 below.
func REMFreeEnergy(t, j float64) float64 {
	if t <= REMCriticalTemperature(j) {
		return REMGroundStateLimit(j)
	}
	return -t*math.Ln2 - j*j/(4*t)
}

// REMEnergy returns the N → ∞ energy per spin of the REM at temperature t: −J²/(2T)
// above T_c and −J√ln 2 below.
func REMEnergy(t, j float64) float64 {
	if t <= REMCriticalTemperature(j) {
		return REMGroundStateLimit(j)
	}
	return -j * j / (2 * t)
}

// REMEntropy returns the N → ∞ microcanonical entropy per spin s(e) = ln 2 − e²/J² of
// the REM, or −Inf outside |e| ≤ J√ln 2 where there are no states.
func REMEntropy(e, j float64) float64 {
	s := math.Ln2 - e*e/(j*j)
	if s < 0 {
		return math.Inf(-1)
	}
	return s
}
