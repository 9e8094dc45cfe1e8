package landscape

import (
	"fmt"
	"math"
	"sort"

	"github.com/deepglass/deepglass/models"
)

// Minimum is a single-flip local minimum.
type Minimum struct {
	// State is the minimum's configuration (for a plateau, the state of lowest index).
	State []int8
	// Energy is its total energy.
	Energy float64
	// Count is the number of states (Enumerate) or quenches (Sample) whose steepest
	// descent ends in it; Basin is Count over all states or quenches.
	Count int64
	Basin float64
	// Overlap is q = (1/N) Σ s_i r_i with the landscape's reference state.
	Overlap float64
	// Saddle is the lowest energy at which the minimum's basin joins that of a lower
	// minimum (+Inf for the lowest minimum, NaN when unknown, as for sampled minima).
	Saddle float64
	// Leaf is the minimum's node in the landscape's Tree, or −1.
	Leaf int
}

// Barrier returns Saddle − Energy: the lowest energy barrier the minimum must cross to
// reach a lower one (+Inf for the lowest minimum, NaN when unknown).
func (m Minimum) Barrier() float64 { return m.Saddle - m.Energy }

// String describes the minimum per spin.
func (m Minimum) String() string {
	n := float64(len(m.State))
	return fmt.Sprintf("minimum e=%.6g basin=%.4g q=%.3g barrier=%.4g per spin", m.Energy/n, m.Basin, m.Overlap, m.Barrier()/n)
}

// Tree is a disconnectivity tree: node k has Energy[k] (a minimum's energy for a leaf,
// the saddle energy at which its children join for an internal node) and Parent[k] (−1
// for the root). Min[k] is the index in Landscape.Minima of a leaf's minimum and −1 for
// internal nodes; Lowest[k] is the lowest minimum below node k.
type Tree struct {
	Energy []float64
	Parent []int
	Min    []int
	Lowest []int
}

// Len returns the number of nodes.
func (t *Tree) Len() int { return len(t.Energy) }

// Root returns the root node, or −1 for an empty tree.
func (t *Tree) Root() int {
	for k, p := range t.Parent {
		if p < 0 {
			return k
		}
	}
	return -1
}

// depth returns the number of edges from node k to the root.
func (t *Tree) depth(k int) int {
	d := 0
	for ; t.Parent[k] >= 0; k = t.Parent[k] {
		d++
	}
	return d
}

// Join returns the energy of the lowest common ancestor of nodes a and b: for two
// leaves, the lowest saddle between their minima (the smallest E such that a path of
// single flips joins them without rising above E).
func (t *Tree) Join(a, b int) float64 {
	da, db := t.depth(a), t.depth(b)
	for ; da > db; da-- {
		a = t.Parent[a]
	}
	for ; db > da; db-- {
		b = t.Parent[b]
	}
	for a != b {
		a, b = t.Parent[a], t.Parent[b]
	}
	return t.Energy[a]
}

// String describes the tree.
func (t *Tree) String() string {
	leaves := 0
	for _, m := range t.Min {
		if m >= 0 {
			leaves++
		}
	}
	return fmt.Sprintf("disconnectivity tree of %d nodes, %d minima", len(t.Energy), leaves)
}

// Landscape is the map of a model's minima.
type Landscape struct {
	// N is the number of spins; Model describes the model.
	N     int
	Model string
	// Exact is true for an enumeration, false for sampled minima.
	Exact bool
	// Symmetric is true when E(−s) = E(s): minima come in ± pairs.
	Symmetric bool
	// Total is the number of states enumerated or of quenches made.
	Total int64
	// Minima are the minima found, by increasing energy (ties by state index).
	Minima []Minimum
	// Tree is the disconnectivity tree (nil for sampled landscapes).
	Tree *Tree
	// Reference is the state overlaps are taken with.
	Reference []int8
	// Method says how a sampled landscape was sampled ("pt" or "anneal").
	Method string
}

// Ground returns the lowest minimum found.
func (l *Landscape) Ground() Minimum { return l.Minima[0] }

// GroundBasin returns the share of states (or quenches) that end in the lowest minimum,
// or, for a symmetric model, in it or in its mirror image.
func (l *Landscape) GroundBasin() float64 {
	g := l.Minima[0]
	b := g.Basin
	if l.Symmetric {
		if k := l.find(flip(g.State)); k > 0 {
			b += l.Minima[k].Basin
		}
	}
	return b
}

// find returns the index of the minimum with state s, or −1.
func (l *Landscape) find(s []int8) int {
	for k, m := range l.Minima {
		if equal(m.State, s) {
			return k
		}
	}
	return -1
}

// Count returns the number of minima, both members of each ± pair counted: for a
// sampled symmetric landscape, minima found in one orientation count twice.
func (l *Landscape) Count() int {
	if l.Exact || !l.Symmetric {
		return len(l.Minima)
	}
	return 2 * len(l.Minima)
}

// Barriers summarises the barriers of the minima other than the lowest: their mean and
// largest value (total energies), the barrier of the second-lowest distinct minimum, and
// how many minima there are. NaN for a sampled landscape.
type Barriers struct {
	Mean, Max, Second float64
	Minima            int
}

// Barriers returns the summary of the barriers (see [Barriers]).
func (l *Landscape) Barriers() Barriers {
	b := Barriers{Mean: math.NaN(), Max: math.NaN(), Second: math.NaN()}
	if l.Tree == nil {
		return b
	}
	var sum float64
	n := 0
	for k, m := range l.Minima {
		x := m.Barrier()
		if math.IsInf(x, 0) || math.IsNaN(x) {
			continue
		}
		if l.Symmetric && k == 1 && l.find(flip(l.Minima[0].State)) == 1 {
			continue // the ground state's mirror image
		}
		sum += x
		n++
		if math.IsNaN(b.Max) || x > b.Max {
			b.Max = x
		}
		if math.IsNaN(b.Second) {
			b.Second = x
		}
	}
	if n > 0 {
		b.Mean = sum / float64(n)
	}
	b.Minima = n
	return b
}

// String summarises the landscape per spin.
func (l *Landscape) String() string {
	kind := "exact"
	if !l.Exact {
		kind = "sampled (" + l.Method + ")"
	}
	n := float64(l.N)
	return fmt.Sprintf("%s landscape of %s: %d minima, ground e=%.6g, ground basin %.4g, %d %s",
		kind, l.Model, l.Count(), l.Minima[0].Energy/n, l.GroundBasin(), l.Total, map[bool]string{true: "states", false: "quenches"}[l.Exact])
}

// setOverlaps sets the reference (the ground state if ref is nil) and every minimum's
// overlap with it.
func (l *Landscape) setOverlaps(ref []int8) {
	if ref == nil {
		ref = l.Minima[0].State
	}
	l.Reference = append([]int8(nil), ref...)
	for k := range l.Minima {
		l.Minima[k].Overlap = models.Overlap(l.Minima[k].State, l.Reference)
	}
}

// sortMinima orders minima by energy, then state index.
func sortMinima(ms []Minimum) {
	sort.SliceStable(ms, func(a, b int) bool {
		if ms[a].Energy != ms[b].Energy {
			return ms[a].Energy < ms[b].Energy
		}
		return stateLess(ms[a].State, ms[b].State)
	})
}

func flip(s []int8) []int8 {
	out := make([]int8, len(s))
	for i, v := range s {
		out[i] = -v
	}
	return out
}

func equal(a, b []int8) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// stateLess orders configurations as their state indices (models.StateIndex) order
// them: at the highest site where they differ, the one with −1 comes first.
func stateLess(a, b []int8) bool {
	for i := len(a) - 1; i >= 0; i-- {
		if a[i] != b[i] {
			return a[i] < b[i]
		}
	}
	return false
}
