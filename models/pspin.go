package models

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// PSpin is the Ising p-spin glass
//
//	H = −Σ_{i1<…<ip} J_{i1…ip} s_i1 ⋯ s_ip,
//
// a sum over M terms ("interactions"), each a set of p distinct sites with a Gaussian
// coupling. Dense ([NewPSpin]): all C(N, p) p-sets with Var J = p! J²/(2 N^{p−1}), so
// that energies are Gaussian with Var E = (N J²/2)·N!/((N−p)! N^p) → N J²/2 and
// covariance ≈ (N J²/2) q^p between configurations of overlap q; p = 2 is the
// Sherrington–Kirkpatrick model with J_ij of variance J²/N, and p → ∞ is Derrida's REM
// (docs/references/funnels.md §1). Diluted ([NewDilutedPSpin]): M = N c/p random p-sets
// in which every site appears exactly c times, with Var J = p J²/(2c), so that again
// Var E = N J²/2.
//
// DeltaE sums over the terms of one site: 2 s_i Σ_{t∋i} J_t Π_{j∈t, j≠i} s_j, O(c·p)
// with c the number of terms per site. Kernels that flip often keep the local fields
// instead ([PSpin.LocalFields], [PSpin.Flip]): then ΔE is one lookup and a flip updates
// the fields of the c(p−1) sites it shares a term with.
type PSpin struct {
	n, p  int
	sites []int32   // term t holds sites[t*p : (t+1)*p], increasing
	j     []float64 // coupling of each term
	start []int32   // terms of site i: termOf[start[i]:start[i+1]]
	term  []int32
	// Name describes the model, e.g. "pspin N=20 p=3 J=1".
	Name string
}

// MaxDensePSpinTerms bounds the number of terms C(N, p) of a dense p-spin model.
const MaxDensePSpinTerms = 1 << 26

// NewPSpin returns the dense Ising p-spin model on n spins with coupling scale j: one
// Gaussian coupling of variance p! j²/(2 n^{p−1}) for every p-set i1 < … < ip, drawn
// with rng.NormFloat64 in lexicographic order of the sets. It panics unless 2 ≤ p ≤ n,
// j > 0 is finite, C(n, p) ≤ MaxDensePSpinTerms and rng is not nil.
func NewPSpin(n, p int, j float64, rng *rand.Rand) *PSpin {
	if err := ValidatePSpin(n, p, 0); err != nil {
		panic("models: NewPSpin: " + err.Error())
	}
	if !(j > 0) || math.IsInf(j, 0) {
		panic(fmt.Sprintf("models: NewPSpin needs a finite J > 0, have %v", j))
	}
	if rng == nil {
		panic("models: NewPSpin with nil rng")
	}
	fact := 1.0
	for k := 2; k <= p; k++ {
		fact *= float64(k)
	}
	sd := j * math.Sqrt(fact/(2*math.Pow(float64(n), float64(p-1))))
	m := int(binomial(n, p))
	ps := &PSpin{n: n, p: p, sites: make([]int32, 0, m*p), j: make([]float64, 0, m)}
	set := make([]int32, p)
	for k := range set {
		set[k] = int32(k)
	}
	for {
		ps.sites = append(ps.sites, set...)
		ps.j = append(ps.j, sd*rng.NormFloat64())
		// Next p-set in lexicographic order.
		k := p - 1
		for k >= 0 && int(set[k]) == n-p+k {
			k--
		}
		if k < 0 {
			break
		}
		set[k]++
		for l := k + 1; l < p; l++ {
			set[l] = set[l-1] + 1
		}
	}
	ps.index()
	ps.Name = fmt.Sprintf("pspin N=%d p=%d J=%g", n, p, j)
	return ps
}

// NewDilutedPSpin returns the Ising p-spin model on a random p-uniform hypergraph in
// which every site lies in exactly c terms (M = n c/p terms), with Gaussian couplings
// of variance p j²/(2c). The hypergraph comes from the configuration model: the n·c
// site copies are shuffled (Fisher–Yates with rng) and cut into p-sets; a set that
// repeats a site swaps one of its copies with a random copy elsewhere until no set
// does. Then the couplings are drawn, one rng.NormFloat64 per term in order. It panics
// unless 2 ≤ p ≤ n, 1 ≤ c, n·c divisible by p, j > 0 and rng not nil.
func NewDilutedPSpin(n, p, c int, j float64, rng *rand.Rand) *PSpin {
	if err := ValidatePSpin(n, p, c); err != nil {
		panic("models: NewDilutedPSpin: " + err.Error())
	}
	if !(j > 0) || math.IsInf(j, 0) {
		panic(fmt.Sprintf("models: NewDilutedPSpin needs a finite J > 0, have %v", j))
	}
	if rng == nil {
		panic("models: NewDilutedPSpin with nil rng")
	}
	stubs := make([]int32, n*c)
	for i := range stubs {
		stubs[i] = int32(i / c)
	}
	rng.Shuffle(len(stubs), func(a, b int) { stubs[a], stubs[b] = stubs[b], stubs[a] })
	m := n * c / p
	repeated := func(t int) int { // position of a repeated site in term t, or -1
		for a := t * p; a < (t+1)*p; a++ {
			for b := a + 1; b < (t+1)*p; b++ {
				if stubs[a] == stubs[b] {
					return b
				}
			}
		}
		return -1
	}
	swaps := 0
	for clean := false; !clean; {
		clean = true
		for t := range m {
			for b := repeated(t); b >= 0; b = repeated(t) {
				clean = false
				if swaps++; swaps > 1000*len(stubs) {
					panic("models: NewDilutedPSpin could not build a hypergraph without repeated sites")
				}
				o := rng.IntN(len(stubs))
				stubs[b], stubs[o] = stubs[o], stubs[b]
			}
		}
	}
	ps := &PSpin{n: n, p: p, sites: stubs, j: make([]float64, m)}
	for t := range m { // sort the sites of each term
		set := ps.sites[t*p : (t+1)*p]
		for a := 1; a < p; a++ {
			for b := a; b > 0 && set[b] < set[b-1]; b-- {
				set[b], set[b-1] = set[b-1], set[b]
			}
		}
	}
	sd := j * math.Sqrt(float64(p)/(2*float64(c)))
	for t := range ps.j {
		ps.j[t] = sd * rng.NormFloat64()
	}
	ps.index()
	ps.Name = fmt.Sprintf("pspin N=%d p=%d degree=%d J=%g", n, p, c, j)
	return ps
}

// NewPSpinTerms returns the p-spin model on n spins with the given terms: sites holds
// the p sites of term t at sites[t*p:(t+1)*p] and j[t] its coupling. It panics if a
// site is out of range or repeated within a term.
func NewPSpinTerms(n, p int, sites []int32, j []float64) *PSpin {
	if n < 1 || p < 1 || len(sites) != p*len(j) {
		panic("models: NewPSpinTerms needs n, p ≥ 1 and p sites per coupling")
	}
	ps := &PSpin{n: n, p: p, sites: append([]int32(nil), sites...), j: append([]float64(nil), j...)}
	for t := range ps.j {
		set := ps.sites[t*p : (t+1)*p]
		for a, i := range set {
			if i < 0 || int(i) >= n {
				panic(fmt.Sprintf("models: NewPSpinTerms: term %d has site %d out of range", t, i))
			}
			for _, k := range set[:a] {
				if k == i {
					panic(fmt.Sprintf("models: NewPSpinTerms: term %d repeats site %d", t, i))
				}
			}
		}
	}
	ps.index()
	ps.Name = fmt.Sprintf("pspin N=%d p=%d terms=%d", n, p, len(j))
	return ps
}

// ValidatePSpin reports whether (n, p, c) describe a p-spin model: 2 ≤ p ≤ n; for a
// dense model (c = 0) at most MaxDensePSpinTerms terms; for a diluted one c ≥ 1 and n·c
// divisible by p.
func ValidatePSpin(n, p, c int) error {
	if n < 2 {
		return fmt.Errorf("N = %d (want ≥ 2)", n)
	}
	if p < 2 || p > n {
		return fmt.Errorf("p = %d (want 2 ≤ p ≤ N = %d)", p, n)
	}
	if c < 0 {
		return fmt.Errorf("degree %d < 0", c)
	}
	if c == 0 {
		if b := binomial(n, p); b > MaxDensePSpinTerms {
			return fmt.Errorf("dense model with C(%d, %d) = %.3g terms (at most %d): give a degree", n, p, b, MaxDensePSpinTerms)
		}
		return nil
	}
	if (n*c)%p != 0 {
		return fmt.Errorf("spins times degree, %d·%d, is not divisible by p = %d", n, c, p)
	}
	return nil
}

// binomial returns C(n, k) as a float64.
func binomial(n, k int) float64 {
	b := 1.0
	for i := 1; i <= k; i++ {
		b = b * float64(n-k+i) / float64(i)
	}
	return math.Round(b)
}

// index builds the site-to-term lists.
func (ps *PSpin) index() {
	ps.start = make([]int32, ps.n+1)
	for _, i := range ps.sites {
		ps.start[i+1]++
	}
	for i := 1; i <= ps.n; i++ {
		ps.start[i] += ps.start[i-1]
	}
	ps.term = make([]int32, len(ps.sites))
	next := append([]int32(nil), ps.start[:ps.n]...)
	for t := range ps.j {
		for _, i := range ps.sites[t*ps.p : (t+1)*ps.p] {
			ps.term[next[i]] = int32(t)
			next[i]++
		}
	}
}

// N returns the number of spins.
func (ps *PSpin) N() int { return ps.n }

// P returns the order p of the interactions.
func (ps *PSpin) P() int { return ps.p }

// Terms returns the number of interaction terms M.
func (ps *PSpin) Terms() int { return len(ps.j) }

// Term returns the sites and the coupling of term t (the sites are not to be modified).
func (ps *PSpin) Term(t int) ([]int32, float64) {
	return ps.sites[t*ps.p : (t+1)*ps.p : (t+1)*ps.p], ps.j[t]
}

// product returns Π_{j ∈ term t} s_j.
func (ps *PSpin) product(s []int8, t int32) int8 {
	var x int8 = 1
	for _, i := range ps.sites[int(t)*ps.p : int(t+1)*ps.p] {
		x *= s[i]
	}
	return x
}

// Energy returns the total energy −Σ_t J_t Π_{i∈t} s_i.
func (ps *PSpin) Energy(s []int8) float64 {
	if len(s) != ps.n {
		panic("models: PSpin.Energy spin length mismatch")
	}
	var e float64
	for t, w := range ps.j {
		e -= w * float64(ps.product(s, int32(t)))
	}
	return e
}

// DeltaE returns the energy change of flipping spin i, 2 Σ_{t∋i} J_t Π_{j∈t} s_j.
func (ps *PSpin) DeltaE(s []int8, i int) float64 {
	var d float64
	for _, t := range ps.term[ps.start[i]:ps.start[i+1]] {
		d += ps.j[t] * float64(ps.product(s, t))
	}
	return 2 * d
}

// LocalFields sets dst[i] = Σ_{t∋i} J_t Π_{j∈t, j≠i} s_j for every site and returns
// dst (allocated if nil), so that flipping spin i changes the energy by 2 s_i dst[i].
func (ps *PSpin) LocalFields(dst []float64, s []int8) []float64 {
	if dst == nil {
		dst = make([]float64, ps.n)
	}
	if len(dst) != ps.n || len(s) != ps.n {
		panic("models: PSpin.LocalFields length mismatch")
	}
	clear(dst)
	for t, w := range ps.j {
		x := w * float64(ps.product(s, int32(t)))
		for _, i := range ps.sites[t*ps.p : (t+1)*ps.p] {
			dst[i] += x * float64(s[i]) // Π over the others = Π all · s_i
		}
	}
	return dst
}

// Flip flips spin i of s and updates the local fields of the sites that share a term
// with it (fields must be s's fields from [PSpin.LocalFields] or earlier Flips); it
// returns the energy change 2 s_i fields[i] (with s_i before the flip). Round-off
// accumulates in the fields: recompute them now and then.
func (ps *PSpin) Flip(fields []float64, s []int8, i int) float64 {
	si := float64(s[i])
	de := 2 * si * fields[i]
	for _, t := range ps.term[ps.start[i]:ps.start[i+1]] {
		x := 2 * ps.j[t] * float64(ps.product(s, t)) // before the flip
		for _, k := range ps.sites[int(t)*ps.p : int(t+1)*ps.p] {
			if int(k) != i {
				fields[k] -= x * float64(s[k])
			}
		}
	}
	s[i] = -s[i]
	return de
}

// HasField reports false for even p (then E(−s) = E(s)) and true for odd p, where
// flipping every spin changes the sign of the energy, as a field would.
func (ps *PSpin) HasField() bool { return ps.p%2 == 1 }

// Dense returns the p = 2 model as a [Dense] pairwise model with the same energy
// function (J_ij is the coupling of the term {i, j}, 0 where there is none). It panics
// if p ≠ 2.
func (ps *PSpin) Dense() *Dense {
	if ps.p != 2 {
		panic(fmt.Sprintf("models: PSpin.Dense of a p = %d model", ps.p))
	}
	n := ps.n
	j := make([]float64, n*n)
	for t, w := range ps.j {
		a, b := ps.sites[2*t], ps.sites[2*t+1]
		j[int(a)*n+int(b)] += w
		j[int(b)*n+int(a)] += w
	}
	d := NewDense(n, j, nil)
	d.Name = ps.Name
	return d
}

// String describes the model.
func (ps *PSpin) String() string {
	return fmt.Sprintf("%s (N=%d, terms=%d)", ps.Name, ps.n, len(ps.j))
}
