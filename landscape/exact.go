package landscape

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"math/bits"
	"runtime"
	"slices"
	"sync"

	"github.com/deepglass/deepglass/models"
)

// MaxExactN is the largest number of spins [Enumerate] accepts. It needs about 24 bytes
// per state: 400 MB at N = 24.
const MaxExactN = 24

// indexed is a model whose energies are looked up by state index (models.StateIndex):
// the random-energy models.
type indexed interface {
	EnergyIndex(k uint64) float64
}

// Energies returns the total energy of every configuration of m, indexed by
// models.StateIndex. For a [*models.PSpin] or [*models.Dense] model the energy is a
// Walsh expansion, E(s) = Σ_T c_T Π_{i∈T} s_i over the interaction sets T, and all 2^N
// energies come from one fast Walsh–Hadamard transform of the coefficients (N·2^N
// additions, whatever p). Other models are enumerated in parallel blocks of 2^16 states (Gray-code order within
// a block, the energy recomputed exactly at the start of each block and every 1024
// flips), or looked up directly for models with an EnergyIndex method. When E(−s) =
// E(s) for every s within round-off, the energies of each ± pair are made equal. It
// stops early
// with ctx's error when ctx is cancelled. It returns an error if N > MaxExactN.
func Energies(ctx context.Context, m models.Model) ([]float64, error) {
	n := m.N()
	if n < 1 || n > MaxExactN {
		return nil, fmt.Errorf("landscape: enumeration needs 1 ≤ N ≤ %d, have %d", MaxExactN, n)
	}
	total := uint64(1) << uint(n)
	if e, ok := walshEnergies(m); ok {
		symmetrize(e)
		return e, nil
	}
	e := make([]float64, total)
	lowBits := min(n, 16)
	block := uint64(1) << uint(lowBits)
	nblocks := total / block
	workers := max(1, min(runtime.GOMAXPROCS(0), int(nblocks)))
	next := make(chan uint64)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := make([]int8, n)
			for b := range next {
				hi := b * block
				if ix, ok := m.(indexed); ok {
					for j := uint64(0); j < block; j++ {
						e[hi|j] = ix.EnergyIndex(hi | j)
					}
					continue
				}
				models.SetState(s, hi)
				k := hi
				x := m.Energy(s)
				e[k] = x
				for j := uint64(1); j < block; j++ {
					i := bits.TrailingZeros64(j)
					if j%1024 == 0 {
						s[i] = -s[i]
						x = m.Energy(s)
					} else {
						x += m.DeltaE(s, i)
						s[i] = -s[i]
					}
					k ^= 1 << uint(i)
					e[k] = x
				}
			}
		}()
	}
	var err error
	for b := uint64(0); b < nblocks; b++ {
		if b%16 == 0 {
			if err = ctx.Err(); err != nil {
				break
			}
		}
		next <- b
	}
	close(next)
	wg.Wait()
	if err != nil {
		return nil, err
	}
	symmetrize(e)
	return e, nil
}

// Enumerate returns the exact landscape of m (N ≤ MaxExactN): every single-flip local
// minimum, its basin under steepest descent, and the disconnectivity tree of the lowest
// saddles between minima. Overlaps are taken with ref (the ground state if ref is nil).
//
// Method. The 2^N states are sorted by energy (ties by index) and added one level of
// equal energy at a time to a union-find structure over single-flip neighbours: a state
// joins the components of its neighbours added before it. A component that after its
// level holds no minimum is a new minimum (a plateau of equal-energy states with no
// lower neighbour); when a state joins two components that each hold minima, their
// basins meet at that state's energy, which becomes an internal node of the tree. The
// steepest descent of each state follows its lowest strictly lower neighbour, whose
// basin is known by then; a state without one belongs to the lowest minimum of its
// component. Memory is about 24 bytes per state.
func Enumerate(ctx context.Context, m models.Model, ref []int8) (*Landscape, error) {
	e, err := Energies(ctx, m)
	if err != nil {
		return nil, err
	}
	return FromEnergies(ctx, m.N(), e, ref, fmt.Sprint(m))
}

// FromEnergies is [Enumerate] for energies e of all 2^n states (indexed by
// models.StateIndex), as returned by [Energies]; name describes the model.
func FromEnergies(ctx context.Context, n int, e []float64, ref []int8, name string) (*Landscape, error) {
	if n < 1 || n > MaxExactN || len(e) != 1<<uint(n) {
		return nil, fmt.Errorf("landscape: %d energies for N = %d", len(e), n)
	}
	if ref != nil && len(ref) != n {
		return nil, fmt.Errorf("landscape: reference state of %d spins for N = %d", len(ref), n)
	}
	total := len(e)
	mask := uint32(total - 1)
	order := make([]uint32, total)
	for k := range order {
		order[k] = uint32(k)
	}
	slices.SortFunc(order, func(a, b uint32) int {
		if c := cmp.Compare(e[a], e[b]); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	before := func(y, x uint32) bool { // y is added before x
		return e[y] < e[x] || (e[y] == e[x] && y < x)
	}
	parent := make([]int32, total) // union-find; −1: not added yet
	for k := range parent {
		parent[k] = -1
	}
	find := func(x uint32) uint32 {
		for uint32(parent[x]) != x {
			parent[x] = parent[parent[x]]
			x = uint32(parent[x])
		}
		return x
	}
	node := make([]int32, total) // tree node of the component of each root, −1 none
	basin := make([]int32, total)
	t := &Tree{}
	var minima []Minimum
	newNode := func(en float64, min, lowest int) int32 {
		t.Energy = append(t.Energy, en)
		t.Parent = append(t.Parent, -1)
		t.Min = append(t.Min, min)
		t.Lowest = append(t.Lowest, lowest)
		return int32(len(t.Energy) - 1)
	}
	// merge joins the components of roots a and b at energy en; a becomes the root.
	merge := func(a, b uint32, en float64) {
		na, nb := node[a], node[b]
		parent[b] = int32(a)
		switch {
		case nb < 0:
			return
		case na < 0:
			node[a] = nb
			return
		}
		ia, ib := int(na), int(nb)
		low := min(t.Lowest[ia], t.Lowest[ib])
		switch {
		case t.Min[ia] < 0 && t.Energy[ia] == en: // a join at this level already: add b
			t.Parent[ib] = ia
			t.Lowest[ia] = low
		case t.Min[ib] < 0 && t.Energy[ib] == en:
			t.Parent[ia] = ib
			t.Lowest[ib] = low
			node[a] = nb
		default:
			c := newNode(en, -1, low)
			t.Parent[ia], t.Parent[ib] = int(c), int(c)
			node[a] = c
		}
	}
	s := make([]int8, n)
	for lo := 0; lo < total; {
		if lo%(1<<16) == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		en := e[order[lo]]
		hi := lo + 1
		for hi < total && e[order[hi]] == en {
			hi++
		}
		for _, x := range order[lo:hi] {
			parent[x], node[x] = int32(x), -1
			for i := 0; i < n; i++ {
				y := x ^ 1<<uint(i)
				if parent[y] < 0 || !before(y, x) {
					continue
				}
				rx, ry := find(x), find(y)
				if rx != ry {
					merge(rx, ry, en)
				}
			}
		}
		// New minima: components of this level that hold none yet.
		for _, x := range order[lo:hi] {
			r := find(x)
			if node[r] >= 0 {
				continue
			}
			models.SetState(s, uint64(x))
			k := len(minima)
			leaf := newNode(en, k, k)
			node[r] = leaf
			minima = append(minima, Minimum{State: append([]int8(nil), s...), Energy: en, Leaf: int(leaf)})
		}
		// Steepest descent: the lowest strictly lower neighbour (lowest site on ties).
		for _, x := range order[lo:hi] {
			best, bestE := uint32(0), en
			found := false
			for i := 0; i < n; i++ {
				y := x ^ 1<<uint(i)
				if e[y] < bestE {
					best, bestE, found = y, e[y], true
				}
			}
			if found {
				basin[x] = basin[best]
			} else {
				basin[x] = int32(t.Lowest[node[find(x)]])
			}
		}
		lo = hi
	}
	for _, b := range basin {
		minima[b].Count++
	}
	l := &Landscape{N: n, Model: name, Exact: true, Total: int64(total), Minima: minima, Tree: t, Symmetric: true}
	for k := uint32(0); k < uint32(total) && l.Symmetric; k++ {
		a, b := e[k], e[mask^k]
		l.Symmetric = math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(a))
	}
	for k := range minima {
		minima[k].Basin = float64(minima[k].Count) / float64(total)
		// The saddle to a lower minimum: the first ancestor whose lowest minimum is lower.
		j := t.Parent[minima[k].Leaf]
		for j >= 0 && t.Lowest[j] == k {
			j = t.Parent[j]
		}
		minima[k].Saddle = math.Inf(1)
		if j >= 0 {
			minima[k].Saddle = t.Energy[j]
		}
	}
	l.setOverlaps(ref)
	return l, nil
}

// symmetrize makes the energies of each ± pair equal when they agree within round-off
// for every pair: computed along different paths they can differ in the last bits, and
// ± pairs should tie exactly.
func symmetrize(e []float64) {
	mask := len(e) - 1
	for k := 0; k < len(e)/2; k++ {
		a, b := e[k], e[mask^k]
		if math.Abs(a-b) > 1e-9*math.Max(1, math.Abs(a)) {
			return
		}
	}
	for k := 0; k < len(e)/2; k++ {
		e[mask^k] = e[k]
	}
}

// walshEnergies returns the energies of a p-spin or dense model by a fast
// Walsh–Hadamard transform: with b_i = 1 for s_i = +1, Π_{i∈T} s_i =
// (−1)^{|T|}·(−1)^{popcount(T∧k)}, so E[k] = Σ_T a_T (−1)^{popcount(T∧k)} with
// a_T = −J_T (−1)^{|T|}, the Hadamard transform of a.
func walshEnergies(m models.Model) ([]float64, bool) {
	n := m.N()
	var a []float64
	set := func(mask uint64, size int, j float64) {
		if size%2 == 1 {
			a[mask] += j // −J·(−1)
		} else {
			a[mask] -= j
		}
	}
	switch p := m.(type) {
	case *models.PSpin:
		a = make([]float64, 1<<uint(n))
		for t := range p.Terms() {
			sites, j := p.Term(t)
			var mask uint64
			for _, i := range sites {
				mask |= 1 << uint(i)
			}
			set(mask, len(sites), j)
		}
	case *models.Dense:
		a = make([]float64, 1<<uint(n))
		for i := 0; i < n; i++ {
			set(1<<uint(i), 1, p.H[i])
			for j := i + 1; j < n; j++ {
				set(1<<uint(i)|1<<uint(j), 2, p.J[i*n+j])
			}
		}
	default:
		return nil, false
	}
	for h := 1; h < len(a); h <<= 1 {
		for i := 0; i < len(a); i += h << 1 {
			for j := i; j < i+h; j++ {
				x, y := a[j], a[j+h]
				a[j], a[j+h] = x+y, x-y
			}
		}
	}
	return a, true
}
