package plot

import (
	"errors"
	"fmt"
	"image/color"
	"math"
	"sort"
)

// Disconnectivity is a disconnectivity graph (Becker & Karplus, J. Chem. Phys. 106,
// 1495 (1997); Wales, Miller & Walsh, Nature 394, 758 (1998)): a tree whose leaves are
// local minima, drawn at their energies, and whose internal nodes are the lowest
// saddle energies at which the basins below them join. Read from the bottom up, a
// funnel is one deep trunk that the other minima join at low barriers ("palm tree"); a
// glass is many deep branches that join only high up ("banyan tree").
//
// Node k has energy Energy[k] and parent Parent[k] (−1 for the root). Leaves are the
// nodes that are no one's parent. Each leaf is drawn as a vertical line from its energy
// up to its parent's, each internal node as a horizontal bar across its children at its
// energy, and the root's line continues up to Top (NaN: a tenth of the energy range
// above the root). Children are ordered by the lowest energy below them, the lowest in
// the middle, so that the lowest minimum of the whole tree sits at the centre.
// Highlight lists leaves drawn in colour, with Label[k] naming them in the legend.
//
// With Levels > 0 the joins are drawn on Levels equally spaced energy levels between the
// lowest leaf and the root (each join rounded up to the next level), and a join that
// falls on its parent's level merges into it, as in Becker & Karplus's graphs: many
// nearly simultaneous binary joins become one bar with many branches.
type Disconnectivity struct {
	Energy []float64
	Parent []int
	Top    float64
	Levels int
	// Highlight and Label: leaves drawn in the series colours, with legend labels.
	Highlight []int
	Label     []string
}

// String describes the tree.
func (d *Disconnectivity) String() string {
	leaves := 0
	for _, c := range d.children() {
		if len(c) == 0 {
			leaves++
		}
	}
	return fmt.Sprintf("disconnectivity graph of %d nodes, %d minima", len(d.Energy), leaves)
}

func (d *Disconnectivity) children() [][]int {
	ch := make([][]int, len(d.Energy))
	for k, p := range d.Parent {
		if p >= 0 && p < len(ch) {
			ch[p] = append(ch[p], k)
		}
	}
	return ch
}

// validate reports whether the tree is a single tree with finite energies, every
// parent at or above its children.
func (d *Disconnectivity) validate() (root int, err error) {
	if len(d.Energy) == 0 || len(d.Energy) != len(d.Parent) {
		return -1, fmt.Errorf("disconnectivity graph with %d energies and %d parents", len(d.Energy), len(d.Parent))
	}
	root = -1
	for k, p := range d.Parent {
		if math.IsNaN(d.Energy[k]) || math.IsInf(d.Energy[k], 0) {
			return -1, fmt.Errorf("disconnectivity graph: node %d has energy %v", k, d.Energy[k])
		}
		switch {
		case p == -1:
			if root >= 0 {
				return -1, errors.New("disconnectivity graph has more than one root")
			}
			root = k
		case p < 0 || p >= len(d.Parent) || p == k:
			return -1, fmt.Errorf("disconnectivity graph: node %d has parent %d", k, p)
		case d.Energy[p] < d.Energy[k]:
			return -1, fmt.Errorf("disconnectivity graph: node %d (E = %v) lies above its parent %d (E = %v)", k, d.Energy[k], p, d.Energy[p])
		}
	}
	if root < 0 {
		return -1, errors.New("disconnectivity graph has no root")
	}
	// Every node must reach the root (no cycles).
	for k := range d.Parent {
		steps := 0
		for j := k; j != root; j = d.Parent[j] {
			if steps++; steps > len(d.Parent) {
				return -1, fmt.Errorf("disconnectivity graph: node %d is on a cycle", k)
			}
		}
	}
	for _, h := range d.Highlight {
		if h < 0 || h >= len(d.Energy) {
			return -1, fmt.Errorf("disconnectivity graph: highlighted node %d out of range", h)
		}
	}
	return root, nil
}

// binned returns the tree with joins rounded up to Levels levels and joins on their
// parent's level merged into it, and the map from old to new node numbers (−1 for a
// merged join). Without Levels it returns d itself.
func (d *Disconnectivity) binned() (*Disconnectivity, []int, error) {
	root, err := d.validate()
	if err != nil {
		return nil, nil, err
	}
	id := make([]int, len(d.Energy))
	for k := range id {
		id[k] = k
	}
	if d.Levels <= 0 {
		return d, id, nil
	}
	ch := d.children()
	lo := math.Inf(1)
	for _, e := range d.Energy {
		lo = math.Min(lo, e)
	}
	step := (d.Energy[root] - lo) / float64(d.Levels)
	level := func(e float64) float64 {
		if step <= 0 {
			return e
		}
		return lo + math.Ceil((e-lo)/step-1e-9)*step
	}
	out := &Disconnectivity{Top: d.Top, Levels: d.Levels, Label: d.Label}
	var walk func(k, parent int)
	walk = func(k, parent int) {
		e := d.Energy[k]
		internal := len(ch[k]) > 0
		if internal {
			e = level(e)
			if parent >= 0 && e >= out.Energy[parent] {
				id[k] = -1
				for _, c := range ch[k] {
					walk(c, parent)
				}
				return
			}
		}
		out.Energy = append(out.Energy, e)
		out.Parent = append(out.Parent, parent)
		me := len(out.Energy) - 1
		id[k] = me
		for _, c := range ch[k] {
			walk(c, me)
		}
	}
	walk(root, -1)
	for _, h := range d.Highlight {
		out.Highlight = append(out.Highlight, id[h])
	}
	return out, id, nil
}

// Layout returns the x position of every node: leaves at 0, 1, 2, … from left to right,
// internal nodes in the middle of their children.
func (d *Disconnectivity) Layout() ([]float64, error) {
	root, err := d.validate()
	if err != nil {
		return nil, err
	}
	ch := d.children()
	low := make([]float64, len(d.Energy)) // lowest energy below each node
	var lowest func(k int) float64
	lowest = func(k int) float64 {
		low[k] = d.Energy[k]
		for _, c := range ch[k] {
			low[k] = math.Min(low[k], lowest(c))
		}
		return low[k]
	}
	lowest(root)
	x := make([]float64, len(d.Energy))
	next := 0.0
	var place func(k int)
	place = func(k int) {
		if len(ch[k]) == 0 {
			x[k] = next
			next++
			return
		}
		kids := append([]int(nil), ch[k]...)
		sort.SliceStable(kids, func(a, b int) bool { return low[kids[a]] < low[kids[b]] })
		// Lowest in the middle: alternate the rest to the right and the left.
		order := make([]int, len(kids))
		mid := (len(kids) - 1) / 2
		order[mid] = kids[0]
		for i, l, r := 1, mid-1, mid+1; i < len(kids); i++ {
			if i%2 == 1 && r < len(kids) || l < 0 {
				order[r] = kids[i]
				r++
			} else {
				order[l] = kids[i]
				l--
			}
		}
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, c := range order {
			place(c)
			lo, hi = math.Min(lo, x[c]), math.Max(hi, x[c])
		}
		x[k] = (lo + hi) / 2
	}
	place(root)
	return x, nil
}

// Panel returns a [Panel] that draws the graph, with the given title and energy label
// (e.g. "energy per spin (J)"); the x axis carries no meaning and is unlabelled.
func (d *Disconnectivity) Panel(title, ylabel string) (Panel, error) {
	d, _, err := d.binned()
	if err != nil {
		return Panel{}, err
	}
	x, err := d.Layout()
	if err != nil {
		return Panel{}, err
	}
	root, _ := d.validate()
	ch := d.children()
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, e := range d.Energy {
		lo, hi = math.Min(lo, e), math.Max(hi, e)
	}
	top := d.Top
	if math.IsNaN(top) || top <= d.Energy[root] {
		top = d.Energy[root] + 0.1*math.Max(hi-lo, 1e-9)
	}
	grey := color.Gray{0x30}
	p := Panel{Title: title, YLabel: ylabel}
	seg := func(x0, y0, x1, y1 float64, col color.Color, name string) {
		p.Curves = append(p.Curves, Curve{Name: name, X: []float64{x0, x1}, Y: []float64{y0, y1}, Color: col})
	}
	for k, par := range d.Parent {
		if par >= 0 {
			seg(x[k], d.Energy[k], x[k], d.Energy[par], grey, "")
		}
		if len(ch[k]) > 0 {
			l, r := math.Inf(1), math.Inf(-1)
			for _, c := range ch[k] {
				l, r = math.Min(l, x[c]), math.Max(r, x[c])
			}
			seg(l, d.Energy[k], r, d.Energy[k], grey, "")
		}
	}
	seg(x[root], d.Energy[root], x[root], top, grey, "")
	for i, h := range d.Highlight {
		name := ""
		if i < len(d.Label) {
			name = d.Label[i]
		}
		up := top
		if par := d.Parent[h]; par >= 0 {
			up = d.Energy[par]
		}
		seg(x[h], d.Energy[h], x[h], up, SeriesColor(i+1), name)
	}
	n := 0.0
	for _, v := range x {
		n = math.Max(n, v)
	}
	p.XRange = [2]float64{-1, n + 1}
	p.YRange = [2]float64{lo - 0.03*(top-lo), top}
	return p, nil
}
