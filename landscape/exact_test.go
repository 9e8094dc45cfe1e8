package landscape_test

import (
	"container/heap"
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/deepglass/deepglass/landscape"
	"github.com/deepglass/deepglass/models"
)

func rng(a uint64) *rand.Rand { return rand.New(rand.NewPCG(a, 77)) }

// bruteEnergies computes every energy with Model.Energy, state by state.
func bruteEnergies(m models.Model) []float64 {
	s := make([]int8, m.N())
	e := make([]float64, 1<<uint(m.N()))
	for k := range e {
		models.SetState(s, uint64(k))
		e[k] = m.Energy(s)
	}
	return e
}

// bruteMinima finds the minima by flood fill: plateaus (connected sets of equal-energy
// states) without a lower neighbour, each named by its lowest index.
func bruteMinima(n int, e []float64) map[uint32]bool {
	seen := make([]bool, len(e))
	out := map[uint32]bool{}
	for x := range e {
		if seen[x] {
			continue
		}
		plateau := []uint32{uint32(x)}
		seen[x] = true
		lowest, lower := uint32(x), false
		for q := 0; q < len(plateau); q++ {
			y := plateau[q]
			lowest = min(lowest, y)
			for i := 0; i < n; i++ {
				z := y ^ 1<<uint(i)
				switch {
				case e[z] < e[y]:
					lower = true
				case e[z] == e[y] && !seen[z]:
					seen[z] = true
					plateau = append(plateau, z)
				}
			}
		}
		if !lower {
			out[lowest] = true
		}
	}
	return out
}

// bottleneck returns, for every state, the lowest possible maximum energy along a path
// of single flips from src (a minimax Dijkstra).
func bottleneck(n int, e []float64, src uint32) []float64 {
	best := make([]float64, len(e))
	for k := range best {
		best[k] = math.Inf(1)
	}
	best[src] = e[src]
	h := &pq{{src, e[src]}}
	for h.Len() > 0 {
		it := heap.Pop(h).(item)
		if it.v > best[it.x] {
			continue
		}
		for i := 0; i < n; i++ {
			y := it.x ^ 1<<uint(i)
			v := math.Max(it.v, e[y])
			if v < best[y] {
				best[y] = v
				heap.Push(h, item{y, v})
			}
		}
	}
	return best
}

type item struct {
	x uint32
	v float64
}
type pq []item

func (p pq) Len() int           { return len(p) }
func (p pq) Less(a, b int) bool { return p[a].v < p[b].v }
func (p pq) Swap(a, b int)      { p[a], p[b] = p[b], p[a] }
func (p *pq) Push(x any)        { *p = append(*p, x.(item)) }
func (p *pq) Pop() any {
	old := *p
	x := old[len(old)-1]
	*p = old[:len(old)-1]
	return x
}

// descend follows steepest descent from x (lowest strictly lower neighbour, the lowest
// site on ties) to its end.
func descend(n int, e []float64, x uint32) uint32 {
	for {
		best := x
		for i := 0; i < n; i++ {
			if y := x ^ 1<<uint(i); e[y] < e[best] {
				best = y
			}
		}
		if best == x {
			return x
		}
		x = best
	}
}

// TestEnumerateBruteForce checks the exact landscape against an independent
// computation: energies state by state, minima by flood fill, barriers by minimax
// Dijkstra between every pair of minima, basins by walking down from every state.
func TestEnumerateBruteForce(t *testing.T) {
	planted, _ := models.NewPlanted(11, 1.5, models.Gaussian, rng(4))
	cases := []struct {
		m       models.Model
		plateau bool // degenerate energies: skip the basin walk, whose plateau ends differ
	}{
		{models.NewSK(11, 0, models.Gaussian, rng(1)), false},
		{models.NewREM(10, 1, rng(2)), false},
		{models.NewPSpin(10, 3, 1, rng(3)), false},
		{planted, false},
		{models.NewFunnel(10, 1, 0.9, rng(5)), false},
		{models.NewEA(models.Square(3), models.PlusMinus, rng(6)), true},
		{models.NewIsing(models.Square(3), 1, 0), true},
	}
	for _, c := range cases {
		t.Run(stringOf(c.m), func(t *testing.T) {
			n := c.m.N()
			l, err := landscape.Enumerate(context.Background(), c.m, nil)
			if err != nil {
				t.Fatal(err)
			}
			e := bruteEnergies(c.m)
			got, err := landscape.Energies(context.Background(), c.m)
			if err != nil {
				t.Fatal(err)
			}
			for k := range e {
				if math.Abs(got[k]-e[k]) > 1e-9*math.Max(1, math.Abs(e[k])) {
					t.Fatalf("state %d: Energies %v, Energy %v", k, got[k], e[k])
				}
			}
			e = got // identical ties for the comparisons below
			mins := bruteMinima(n, e)
			if len(mins) != len(l.Minima) {
				t.Fatalf("%d minima; brute force finds %d", len(l.Minima), len(mins))
			}
			idx := make([]uint32, len(l.Minima))
			for k, m := range l.Minima {
				idx[k] = uint32(models.StateIndex(m.State))
				if !mins[idx[k]] {
					t.Fatalf("minimum %d (state %d, E=%v) is not a brute-force minimum", k, idx[k], m.Energy)
				}
				if k > 0 && m.Energy < l.Minima[k-1].Energy {
					t.Fatal("minima not sorted by energy")
				}
			}
			// Barriers: the tree's join of every pair equals the minimax path energy, and
			// each minimum's saddle is the lowest join with a lower minimum.
			for a := range l.Minima {
				bn := bottleneck(n, e, idx[a])
				lowest := math.Inf(1)
				for b := range l.Minima {
					want := bn[idx[b]]
					if got := l.Tree.Join(l.Minima[a].Leaf, l.Minima[b].Leaf); got != want {
						t.Fatalf("join of minima %d and %d = %v; brute force %v", a, b, got, want)
					}
					if b < a {
						lowest = math.Min(lowest, want)
					}
				}
				if s := l.Minima[a].Saddle; s != lowest {
					t.Fatalf("minimum %d: saddle %v; brute force %v", a, s, lowest)
				}
			}
			// Basins: walk down from every state.
			if !c.plateau {
				count := make([]int64, len(l.Minima))
				pos := map[uint32]int{}
				for k, x := range idx {
					pos[x] = k
				}
				for x := range e {
					count[pos[descend(n, e, uint32(x))]]++
				}
				for k := range count {
					if count[k] != l.Minima[k].Count {
						t.Fatalf("minimum %d: basin of %d states; brute force %d", k, l.Minima[k].Count, count[k])
					}
				}
			}
			var sum int64
			for _, m := range l.Minima {
				sum += m.Count
			}
			if sum != 1<<uint(n) {
				t.Errorf("basins hold %d states; want 2^%d", sum, n)
			}
		})
	}
}

func stringOf(m models.Model) string {
	if s, ok := m.(interface{ String() string }); ok {
		return s.String()
	}
	return "model"
}

// TestEnumerateSymmetry checks ± pairs and the ground basin of a symmetric model.
func TestEnumerateSymmetry(t *testing.T) {
	m := models.NewSK(12, 0, models.Gaussian, rng(9))
	l, err := landscape.Enumerate(context.Background(), m, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !l.Symmetric || len(l.Minima)%2 != 0 {
		t.Fatalf("SK: symmetric %v, %d minima; want symmetric, an even count", l.Symmetric, len(l.Minima))
	}
	g0, g1 := l.Minima[0], l.Minima[1]
	if g0.Energy != g1.Energy || models.Overlap(g0.State, g1.State) != -1 {
		t.Errorf("the two lowest minima are not a ± pair: %v, %v", g0, g1)
	}
	if gb := l.GroundBasin(); math.Abs(gb-(g0.Basin+g1.Basin)) > 1e-15 || gb <= 0 || gb > 1 {
		t.Errorf("ground basin %v; want %v + %v", gb, g0.Basin, g1.Basin)
	}
	if g0.Overlap != 1 || g1.Overlap != -1 {
		t.Errorf("overlaps with the ground state %v, %v", g0.Overlap, g1.Overlap)
	}
	b := l.Barriers()
	if !(b.Max >= b.Mean && b.Mean > 0) || b.Minima != len(l.Minima)-2 {
		t.Errorf("barriers %+v for %d minima", b, len(l.Minima))
	}
	f := models.NewFunnel(12, 1, 1.2, rng(10))
	lf, err := landscape.Enumerate(context.Background(), f, f.Native())
	if err != nil {
		t.Fatal(err)
	}
	if lf.Symmetric {
		t.Error("the funnel is not symmetric")
	}
	if lf.Minima[0].Overlap != 1 || lf.Minima[0].Energy != f.NativeEnergy() {
		t.Errorf("funnel ground state %v; want the native state", lf.Minima[0])
	}
	if _, err := landscape.Enumerate(context.Background(), models.NewREMSeed(30, 1, 1), nil); err == nil {
		t.Error("Enumerate accepted N = 30")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := landscape.Enumerate(ctx, models.NewREMSeed(20, 1, 1), nil); err == nil {
		t.Error("Enumerate ignored a cancelled context")
	}
}
