package mi

import (
	"errors"
	"fmt"
	"math"
	"math/cmplx"
	"math/rand/v2"
	"sort"

	"gonum.org/v1/gonum/mat"
)

// Markov is a stationary Markov chain on the symbols 0…K−1: P[x][y] is the
// probability that y follows x. Its I(d) is exact (ExactMI) and decays as |λ₂|^{2d}
// for large d, λ₂ being the eigenvalue of P second largest in modulus (Lin & Tegmark
// 2017, Theorem 1): correlations decay as λ₂^d and mutual information is quadratic in
// weak correlations.
type Markov struct {
	p   *mat.Dense
	pi  []float64
	cum [][]float64 // cumulative rows, for sampling
}

// NewMarkov returns the chain with transition matrix p (rows sum to 1 within 1e-9,
// entries ≥ 0). It must have a unique stationary distribution (one recurrent class);
// the stationary distribution is the left eigenvector of eigenvalue 1.
func NewMarkov(p [][]float64) (*Markov, error) {
	k := len(p)
	if k == 0 {
		return nil, errors.New("mi: empty transition matrix")
	}
	m := mat.NewDense(k, k, nil)
	for x, row := range p {
		if len(row) != k {
			return nil, fmt.Errorf("mi: transition matrix row %d has %d entries, want %d", x, len(row), k)
		}
		var s float64
		for y, v := range row {
			if !(v >= 0) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("mi: transition probability P[%d][%d] = %g", x, y, v)
			}
			s += v
			m.Set(x, y, v)
		}
		if math.Abs(s-1) > 1e-9 {
			return nil, fmt.Errorf("mi: transition matrix row %d sums to %g, want 1", x, s)
		}
	}
	pi, err := stationary(m)
	if err != nil {
		return nil, err
	}
	c := &Markov{p: m, pi: pi, cum: make([][]float64, k)}
	for x := range k {
		c.cum[x] = make([]float64, k)
		var s float64
		for y := range k {
			s += m.At(x, y)
			c.cum[x][y] = s
		}
		c.cum[x][k-1] = math.Inf(1) // rounding never falls off the end
	}
	return c, nil
}

// SymmetricMarkov returns the chain on k symbols that keeps its symbol with
// probability λ + (1−λ)/k and moves to each other one with probability (1−λ)/k:
// P = λ·1 + (1−λ)·U, U the matrix of 1/k. Its eigenvalues are 1 and λ (k−1 times),
// its stationary law uniform. For k = 2 it is the binary symmetric chain with flip
// probability ε = (1−λ)/2, whose I(d) = 1 − H₂((1 − λ^d)/2) bits. It panics unless
// k ≥ 2 and −1/(k−1) ≤ λ ≤ 1.
func SymmetricMarkov(k int, lambda float64) *Markov {
	if k < 2 || !(lambda <= 1) || !(lambda >= -1/float64(k-1)) {
		panic(fmt.Sprintf("mi: SymmetricMarkov(%d, %g): want k ≥ 2 and −1/(k−1) ≤ λ ≤ 1", k, lambda))
	}
	p := make([][]float64, k)
	for x := range p {
		p[x] = make([]float64, k)
		for y := range p[x] {
			p[x][y] = (1 - lambda) / float64(k)
		}
		p[x][x] += lambda
	}
	m, err := NewMarkov(p)
	if err != nil {
		panic("mi: SymmetricMarkov: " + err.Error())
	}
	return m
}

// stationary returns the normalised left eigenvector of m for eigenvalue 1.
func stationary(m *mat.Dense) ([]float64, error) {
	k, _ := m.Dims()
	var eig mat.Eigen
	if !eig.Factorize(m.T(), mat.EigenRight) {
		return nil, errors.New("mi: eigen-decomposition of the transition matrix failed")
	}
	vals := eig.Values(nil)
	var vecs mat.CDense
	eig.VectorsTo(&vecs)
	best, ones := -1, 0
	for i, v := range vals {
		if cmplx.Abs(v-1) < 1e-9 {
			ones++
			best = i
		}
	}
	if ones != 1 {
		return nil, fmt.Errorf("mi: transition matrix has %d eigenvalues 1: no unique stationary distribution", ones)
	}
	pi := make([]float64, k)
	var s float64
	for x := range k {
		pi[x] = real(vecs.At(x, best))
		s += pi[x]
	}
	for x := range pi {
		pi[x] /= s
		if pi[x] < 0 && pi[x] > -1e-12 {
			pi[x] = 0
		}
		if pi[x] < 0 {
			return nil, errors.New("mi: stationary distribution has negative entries")
		}
	}
	return pi, nil
}

// K returns the number of symbols.
func (m *Markov) K() int { return len(m.pi) }

// Stationary returns a copy of the stationary distribution.
func (m *Markov) Stationary() []float64 { return append([]float64(nil), m.pi...) }

// Matrix returns a copy of the transition matrix.
func (m *Markov) Matrix() [][]float64 {
	k := m.K()
	out := make([][]float64, k)
	for x := range out {
		out[x] = mat.Row(nil, x, m.p)
	}
	return out
}

// Lambda2 returns |λ₂|, the second largest modulus among the eigenvalues of P.
func (m *Markov) Lambda2() float64 {
	var eig mat.Eigen
	if !eig.Factorize(m.p, mat.EigenNone) {
		panic("mi: eigen-decomposition of the transition matrix failed")
	}
	vals := eig.Values(nil)
	mods := make([]float64, len(vals))
	for i, v := range vals {
		mods[i] = cmplx.Abs(v)
	}
	sort.Sort(sort.Reverse(sort.Float64Slice(mods)))
	if len(mods) < 2 {
		return 0
	}
	return mods[1]
}

// String describes the chain.
func (m *Markov) String() string {
	return fmt.Sprintf("Markov chain on %d symbols, |λ₂| = %.4g", m.K(), m.Lambda2())
}

// power returns P^d.
func (m *Markov) power(d int) *mat.Dense {
	var r mat.Dense
	r.Pow(m.p, d)
	return &r
}

// ExactMI returns the exact I(d) in bits of the stationary chain: the mutual
// information of the joint law π(x)·(P^d)(x,y). It panics for d < 0.
func (m *Markov) ExactMI(d int) float64 {
	if d < 0 {
		panic("mi: ExactMI with d < 0")
	}
	pd := m.power(d)
	k := m.K()
	joint := make([][]float64, k)
	for x := range joint {
		joint[x] = make([]float64, k)
		for y := range joint[x] {
			joint[x][y] = m.pi[x] * pd.At(x, y)
		}
	}
	return MutualInformation(joint)
}

// Generate returns n symbols of the chain started from its stationary law.
func (m *Markov) Generate(n int, src *rand.PCG) []int32 {
	if src == nil {
		panic("mi: Generate with nil source")
	}
	seq := make([]int32, n)
	if n == 0 {
		return seq
	}
	x := pick(m.cumulative(m.pi), src)
	for t := range seq {
		seq[t] = int32(x)
		x = pick(m.cum[x], src)
	}
	return seq
}

func (m *Markov) cumulative(p []float64) []float64 {
	c := make([]float64, len(p))
	var s float64
	for i, v := range p {
		s += v
		c[i] = s
	}
	c[len(c)-1] = math.Inf(1)
	return c
}

// pick draws an index from the cumulative distribution c.
func pick(c []float64, src *rand.PCG) int {
	u := float64(src.Uint64()>>11) * 0x1p-53
	for i, v := range c {
		if u < v {
			return i
		}
	}
	return len(c) - 1
}

// MutualInformation returns the mutual information (bits) of the joint distribution
// joint[x][y] (entries ≥ 0, normalised to their sum). It panics on a ragged or empty
// table.
func MutualInformation(joint [][]float64) float64 {
	if len(joint) == 0 {
		panic("mi: MutualInformation of an empty table")
	}
	ky := len(joint[0])
	px := make([]float64, len(joint))
	py := make([]float64, ky)
	var s float64
	for x, row := range joint {
		if len(row) != ky {
			panic("mi: MutualInformation of a ragged table")
		}
		for y, v := range row {
			px[x] += v
			py[y] += v
			s += v
		}
	}
	var i float64
	for x, row := range joint {
		for y, v := range row {
			if v > 0 {
				i += v / s * math.Log(v*s/(px[x]*py[y]))
			}
		}
	}
	return math.Max(i, 0) / math.Ln2
}
