package landscape

import (
	"fmt"
	"math"

	"github.com/deepglass/deepglass/analysis/plot"
)

// Disconnectivity returns the disconnectivity graph of the keep lowest minima (all if
// keep ≤ 0), energies per spin: the tree restricted to their leaves, with joins that
// no longer join two kept branches removed, drawn on 40 energy levels (see
// plot.Disconnectivity). The lowest minimum is highlighted, and the
// minimum nearest the reference state too when that is not the lowest. It returns an
// error for a sampled landscape, which has no tree.
func (l *Landscape) Disconnectivity(keep int) (*plot.Disconnectivity, error) {
	if l.Tree == nil {
		return nil, fmt.Errorf("landscape: a sampled landscape has no disconnectivity tree")
	}
	t := l.Tree
	if keep <= 0 || keep > len(l.Minima) {
		keep = len(l.Minima)
	}
	children := make([][]int, t.Len())
	root := -1
	for k, p := range t.Parent {
		if p >= 0 {
			children[p] = append(children[p], k)
		} else {
			root = k
		}
	}
	n := float64(l.N)
	d := &plot.Disconnectivity{Top: math.NaN(), Levels: 40}
	newID := map[int]int{}
	// build returns the new id of the pruned subtree of node k, or −1 if it keeps no
	// leaf; parent links are set by the caller.
	var build func(k int) int
	build = func(k int) int {
		if t.Min[k] >= 0 {
			if t.Min[k] >= keep {
				return -1
			}
			d.Energy = append(d.Energy, t.Energy[k]/n)
			d.Parent = append(d.Parent, -1)
			newID[k] = len(d.Energy) - 1
			return len(d.Energy) - 1
		}
		var kept []int
		for _, c := range children[k] {
			if id := build(c); id >= 0 {
				kept = append(kept, id)
			}
		}
		switch len(kept) {
		case 0:
			return -1
		case 1:
			return kept[0]
		}
		d.Energy = append(d.Energy, t.Energy[k]/n)
		d.Parent = append(d.Parent, -1)
		id := len(d.Energy) - 1
		for _, c := range kept {
			d.Parent[c] = id
		}
		return id
	}
	build(root)
	d.Highlight = []int{newID[l.Minima[0].Leaf]}
	d.Label = []string{"lowest minimum"}
	if r := l.referenceMinimum(); r > 0 && r < keep {
		d.Highlight = append(d.Highlight, newID[l.Minima[r].Leaf])
		d.Label = append(d.Label, "reference state")
	}
	return d, nil
}

// referenceMinimum returns the index of the minimum with the largest overlap with the
// reference state (exactly the reference when it is a minimum).
func (l *Landscape) referenceMinimum() int {
	best, bq := 0, math.Inf(-1)
	for k, m := range l.Minima {
		if m.Overlap > bq {
			best, bq = k, m.Overlap
		}
	}
	return best
}

// FunnelPanel returns the funnel plot: the energy per spin of every minimum against its
// overlap q with the reference state (|q| for a symmetric model, whose minima come in
// ± pairs). A funnel shows energies falling as q → 1; a glass shows deep minima at every
// q.
func (l *Landscape) FunnelPanel(title string) plot.Panel {
	var x, y []float64
	n := float64(l.N)
	for _, m := range l.Minima {
		q := m.Overlap
		if l.Symmetric {
			q = math.Abs(q)
		}
		x = append(x, q)
		y = append(y, m.Energy/n)
	}
	xl := "overlap q with the reference state"
	if l.Symmetric {
		xl = "|q| with the reference state"
	}
	return plot.Panel{
		Title: title, XLabel: xl, YLabel: "energy of the minimum per spin",
		Series: []plot.Series{{Name: fmt.Sprintf("%d minima", len(l.Minima)), X: x, Y: y}},
		XRange: [2]float64{-1.05, 1.05},
	}
}

// Figure returns the disconnectivity graph of the keep lowest minima beside the funnel
// plot (the funnel plot alone for a sampled landscape).
func (l *Landscape) Figure(title string, keep int) (*plot.Figure, error) {
	f := &plot.Figure{Title: title}
	if l.Tree != nil {
		d, err := l.Disconnectivity(keep)
		if err != nil {
			return nil, err
		}
		p, err := d.Panel(fmt.Sprintf("disconnectivity graph (%d lowest of %d minima)", min(keep, len(l.Minima)), len(l.Minima)), "energy per spin")
		if err != nil {
			return nil, err
		}
		f.Panels = append(f.Panels, p)
	}
	fp := l.FunnelPanel("minima: energy against overlap")
	if l.Symmetric {
		fp.XRange = [2]float64{-0.02, 1.02}
	}
	f.Panels = append(f.Panels, fp)
	return f, nil
}
