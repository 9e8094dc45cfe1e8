package mi

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Tree is the recursive generative process of Lin & Tegmark (2017, section 4): a root
// symbol drawn from the stationary law of M is replaced by Q symbols, each drawn from
// M given its parent, and so on for Depth generations; the Q^Depth leaves, left to
// right, are the sequence. Two leaves d apart are correlated through their lowest
// common ancestor h generations up, which is ≈ log_Q d, so correlations decay as
// |λ₂|^{2 log_Q d} and I(d) ∝ d^{−4 log_Q(1/|λ₂|)}: a power law, with exponent
// Exponent(). For the binary tree with the binary symmetric M of λ = 0.8 it is
// −4 log₂(1.25) = −1.2877.
type Tree struct {
	Q, Depth int
	M        *Markov
}

// NewTree returns the tree grammar with branching q ≥ 2, depth ≥ 1 and the chain m.
// It panics on bad arguments or a sequence longer than 2^31.
func NewTree(q, depth int, m *Markov) *Tree {
	if q < 2 || depth < 1 || m == nil || float64(depth)*math.Log(float64(q)) > 31*math.Ln2 {
		panic(fmt.Sprintf("mi: NewTree(%d, %d): want q ≥ 2, depth ≥ 1, q^depth ≤ 2^31 and a chain", q, depth))
	}
	return &Tree{Q: q, Depth: depth, M: m}
}

// Len returns the length Q^Depth of a generated sequence.
func (t *Tree) Len() int {
	n := 1
	for range t.Depth {
		n *= t.Q
	}
	return n
}

// Exponent returns the asymptotic exponent −4 log_Q(1/|λ₂|) of I(d) ∝ d^exponent.
func (t *Tree) Exponent() float64 {
	return 4 * math.Log(t.M.Lambda2()) / math.Log(float64(t.Q))
}

// String describes the tree.
func (t *Tree) String() string {
	return fmt.Sprintf("tree grammar q = %d, depth %d (%d leaves), %v: I(d) ∝ d^%.4f", t.Q, t.Depth, t.Len(), t.M, t.Exponent())
}

// Generate returns the leaves of one random tree.
func (t *Tree) Generate(src *rand.PCG) []int32 {
	if src == nil {
		panic("mi: Generate with nil source")
	}
	level := []int32{int32(pick(t.M.cumulative(t.M.pi), src))}
	for range t.Depth {
		next := make([]int32, 0, len(level)*t.Q)
		for _, x := range level {
			c := t.M.cum[x]
			for range t.Q {
				next = append(next, int32(pick(c, src)))
			}
		}
		level = next
	}
	return level
}

// ExactMI returns the exact I(d) in bits pooled over all pairs of leaves d apart in a
// tree of this depth: the mutual information of the mixture Σ_h w_d(h) J_h of the
// joint laws J_h(x,y) = Σ_a π(a) (M^h)(a,x) (M^h)(a,y) of two leaves whose lowest
// common ancestor is h generations up, weighted by the fraction w_d(h) of such pairs.
// Among the Q^D − d pairs, d·(Q^{D−h} − 1) have their ancestor more than h
// generations up when Q^h ≥ d, and all of them when Q^h < d. It panics unless
// 1 ≤ d < Len().
func (t *Tree) ExactMI(d int) float64 {
	n := t.Len()
	if d < 1 || d >= n {
		panic(fmt.Sprintf("mi: Tree.ExactMI(%d) outside 1…%d", d, n-1))
	}
	k := t.M.K()
	joint := make([][]float64, k)
	for x := range joint {
		joint[x] = make([]float64, k)
	}
	pairs := float64(n - d)
	above := func(h int) float64 { // fraction of pairs with the ancestor > h up
		qh := math.Pow(float64(t.Q), float64(h))
		if qh < float64(d) {
			return 1
		}
		return float64(d) * (math.Pow(float64(t.Q), float64(t.Depth-h)) - 1) / pairs
	}
	for h := 1; h <= t.Depth; h++ {
		w := above(h-1) - above(h)
		if w <= 0 {
			continue
		}
		ph := t.M.power(h)
		for a, pa := range t.M.pi {
			for x := range k {
				for y := range k {
					joint[x][y] += w * pa * ph.At(a, x) * ph.At(a, y)
				}
			}
		}
	}
	return MutualInformation(joint)
}
