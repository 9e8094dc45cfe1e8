package models

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
)

// SphericalNorm names the normalization of a spherical p-spin Hamiltonian. Both
// draw the same Gaussian disorder; they differ by a constant factor (and sign), so
// H_CS = −H_ABC/√2 for the same couplings. See [Spherical].
type SphericalNorm int

const (
	// ABC is the normalization of Auffinger, Ben Arous & Černý (2013), used by
	// Choromanska et al. (2015):
	//
	//	H(σ) = N^{−(p−1)/2} Σ_{i1,…,ip=1}^{N} J_{i1…ip} σ_{i1}⋯σ_{ip},  J iid N(0,1),
	//
	// summed over all ordered p-tuples, with covariance E[H(σ)H(σ')] = N q^p,
	// q = σ·σ'/N. The ground state is −E0·N and the threshold −E∞·N (p = 3:
	// E0 = 1.656998, E∞ = 2√(2/3) = 1.632993; p = 2: E0 = E∞ = √2).
	ABC SphericalNorm = iota
	// CrisantiSommers is the physics normalization of Crisanti & Sommers (1992):
	//
	//	H(σ) = −Σ_{i1≤…≤ip} J_{i1…ip} σ_{i1}⋯σ_{ip}
	//
	// with covariance E[H(σ)H(σ')] = (N/2) q^p exactly: var J = p!/(2N^{p−1}) for
	// distinct indices (as in Crisanti–Sommers' Σ_{i1<…<ip}), and the diagonal
	// terms (repeated indices, a share O(1/N) of the variance) carry the weight that
	// makes the covariance exact. Energies per spin are those of ABC divided by √2:
	// the dynamical temperature of p = 3 is T_d = √(3/8), the threshold
	// −√(4/3)·N at T = 0.
	CrisantiSommers
)

// String returns "abc" or "cs".
func (n SphericalNorm) String() string {
	switch n {
	case ABC:
		return "abc"
	case CrisantiSommers:
		return "cs"
	}
	return fmt.Sprintf("SphericalNorm(%d)", int(n))
}

// ParseSphericalNorm reads "abc" or "cs" (also "choromanska", "crisanti-sommers").
func ParseSphericalNorm(s string) (SphericalNorm, error) {
	switch s {
	case "abc", "ABC", "choromanska":
		return ABC, nil
	case "cs", "CS", "crisanti-sommers":
		return CrisantiSommers, nil
	}
	return 0, fmt.Errorf("unknown normalization %q (want abc or cs)", s)
}

// perSpinScale is the factor by which energies per spin in this normalization
// differ from ABC's (in magnitude).
func (n SphericalNorm) perSpinScale() float64 {
	if n == CrisantiSommers {
		return 1 / math.Sqrt2
	}
	return 1
}

// Spherical is the pure spherical p-spin glass: N continuous spins σ ∈ ℝ^N on the
// sphere |σ|² = N, with the energy of [ABC] or [CrisantiSommers] (see there), a
// homogeneous polynomial of degree p = 2, 3 or 4. Spins are []float64; the methods
// evaluate the polynomial at any σ ∈ ℝ^N (the sphere matters for the Riemannian
// gradient and Hessian, which assume |σ|² = N).
//
// # Storage
//
// Only the symmetric part of the coupling tensor enters H, so the couplings are kept
// once per sorted tuple i1 ≤ i2 ≤ … ≤ ip, in lexicographic order: C(N+p−1, p) numbers
// instead of N^p (p = 3, N = 500: 21.0 million, 168 MB, instead of 1 GB). The coupling
// of a sorted tuple t is the sum of J over the m(t) distinct orderings of t, where
// m(t) = p!/∏_k n_k! and n_k is the multiplicity of index k in t: a Gaussian of
// variance m(t) (times the normalization's scale). Therefore
//
//	H(σ) = Σ_{i1≤…≤ip} K_t σ_{i1}⋯σ_{ip},  K_t = c·√m(t)·z_t,  z_t iid N(0,1),
//
// with c = N^{−(p−1)/2} (ABC) or −N^{−(p−1)/2}/√2 (Crisanti–Sommers), and
// Σ_t m(t) ∏σ_{t_a}σ'_{t_a} = (σ·σ')^p gives the covariances above exactly.
//
// A Spherical is immutable after construction and safe for concurrent use.
type Spherical struct {
	n, p int
	norm SphericalNorm
	k    []float64 // couplings of the sorted tuples, lexicographic order, scale included
}

// SphericalTuples returns the number of sorted p-tuples of n indices, C(n+p−1, p): the
// number of couplings a [Spherical] stores. It returns −1 on overflow.
func SphericalTuples(n, p int) int {
	if n < 0 || p < 0 {
		return -1
	}
	c := 1.0
	r := 1
	for a := 1; a <= p; a++ {
		c = c * float64(n+a-1) / float64(a)
		if c > 1<<52 {
			return -1
		}
		r = int(math.Round(c))
	}
	return r
}

// SphericalBytes returns the memory the couplings of a spherical model with n spins
// and degree p take (8 bytes per sorted tuple), or −1 on overflow.
func SphericalBytes(n, p int) int64 {
	t := SphericalTuples(n, p)
	if t < 0 {
		return -1
	}
	return 8 * int64(t)
}

// checkSpherical panics on a bad size or degree.
func checkSpherical(name string, n, p int, norm SphericalNorm) {
	if p < 2 || p > 4 {
		panic(fmt.Sprintf("models: %s needs p = 2, 3 or 4, have %d", name, p))
	}
	if n < 1 {
		panic(fmt.Sprintf("models: %s needs n ≥ 1, have %d", name, n))
	}
	if norm != ABC && norm != CrisantiSommers {
		panic(fmt.Sprintf("models: %s: unknown normalization %d", name, int(norm)))
	}
	if SphericalTuples(n, p) < 0 {
		panic(fmt.Sprintf("models: %s: n = %d, p = %d is too large", name, n, p))
	}
}

// scale returns c, the factor of the couplings (see [Spherical]).
func sphericalScale(n, p int, norm SphericalNorm) float64 {
	c := math.Pow(float64(n), -float64(p-1)/2)
	if norm == CrisantiSommers {
		c = -c / math.Sqrt2
	}
	return c
}

// NewSpherical returns a spherical p-spin model of n spins with Gaussian couplings
// drawn from src: one standard normal z_t per sorted tuple (rand.New(src).NormFloat64),
// in storage order (see [Spherical]), so the same stream gives the same disorder in
// both normalizations. It panics if p is not 2, 3 or 4, n < 1, norm is unknown or src
// is nil.
func NewSpherical(n, p int, norm SphericalNorm, src *rand.PCG) *Spherical {
	checkSpherical("NewSpherical", n, p, norm)
	if src == nil {
		panic("models: NewSpherical with nil source")
	}
	rng := rand.New(src)
	m := &Spherical{n: n, p: p, norm: norm, k: make([]float64, SphericalTuples(n, p))}
	c := sphericalScale(n, p, norm)
	// √m(t) for the multiplicity patterns of p ≤ 4: p!/∏ n_k!.
	var t [4]int
	idx := 0
	forTuples(n, p, t[:p], func(t []int) {
		m.k[idx] = c * math.Sqrt(float64(multiplicity(t))) * rng.NormFloat64()
		idx++
	})
	return m
}

// NewSphericalFromTensor returns the spherical model whose Hamiltonian in
// normalization norm is built from the full coupling tensor j of N^p entries (row
// major: j[((i1·n + i2)·n + …)·n + ip] = J_{i1…ip}), summed over all ordered tuples as
// in the definition of [ABC]. The tensor is folded into sorted-tuple storage:
// K_t = c·Σ_{orderings π of t} J_π. It is the reference that the folded storage is
// tested against, and a way to load couplings from programs that store N^p numbers.
func NewSphericalFromTensor(n, p int, norm SphericalNorm, j []float64) *Spherical {
	checkSpherical("NewSphericalFromTensor", n, p, norm)
	size := 1
	for range p {
		size *= n
	}
	if len(j) != size {
		panic(fmt.Sprintf("models: NewSphericalFromTensor needs %d = n^p couplings, have %d", size, len(j)))
	}
	m := &Spherical{n: n, p: p, norm: norm, k: make([]float64, SphericalTuples(n, p))}
	c := sphericalScale(n, p, norm)
	var t, perm [4]int
	idx := 0
	forTuples(n, p, t[:p], func(t []int) {
		var sum float64
		forDistinctPermutations(t, perm[:p], func(q []int) {
			off := 0
			for _, v := range q {
				off = off*n + v
			}
			sum += j[off]
		})
		m.k[idx] = c * sum
		idx++
	})
	return m
}

// forTuples calls f for every sorted tuple 0 ≤ t[0] ≤ … ≤ t[p−1] < n in lexicographic
// order (the storage order), reusing t.
func forTuples(n, p int, t []int, f func(t []int)) {
	for a := range t {
		t[a] = 0
	}
	for {
		f(t)
		a := p - 1
		for a >= 0 && t[a] == n-1 {
			a--
		}
		if a < 0 {
			return
		}
		t[a]++
		for b := a + 1; b < p; b++ {
			t[b] = t[a]
		}
	}
}

// multiplicity returns p!/∏ n_k!, the number of distinct orderings of the sorted
// tuple t.
func multiplicity(t []int) int {
	num := 1
	for a := 2; a <= len(t); a++ {
		num *= a
	}
	run := 1
	for a := 1; a <= len(t); a++ {
		if a < len(t) && t[a] == t[a-1] {
			run++
			continue
		}
		for b := 2; b <= run; b++ {
			num /= b
		}
		run = 1
	}
	return num
}

// forDistinctPermutations calls f with every distinct ordering of the sorted tuple t
// (each once), in lexicographic order, using q as scratch.
func forDistinctPermutations(t, q []int, f func(q []int)) {
	copy(q, t)
	for {
		f(q)
		// Next lexicographic permutation (handles repeated values).
		a := len(q) - 2
		for a >= 0 && q[a] >= q[a+1] {
			a--
		}
		if a < 0 {
			return
		}
		b := len(q) - 1
		for q[b] <= q[a] {
			b--
		}
		q[a], q[b] = q[b], q[a]
		for l, r := a+1, len(q)-1; l < r; l, r = l+1, r-1 {
			q[l], q[r] = q[r], q[l]
		}
	}
}

// N returns the number of spins.
func (m *Spherical) N() int { return m.n }

// P returns the degree p of the interaction.
func (m *Spherical) P() int { return m.p }

// Norm returns the normalization.
func (m *Spherical) Norm() SphericalNorm { return m.norm }

// Couplings returns the stored couplings K_t of the sorted tuples, in storage order
// (see [Spherical]). The slice is shared with the model and must not be modified.
func (m *Spherical) Couplings() []float64 { return m.k }

// CouplingMatrix returns, for p = 2, the symmetric N×N matrix M with H(σ) = σᵀMσ:
// M_ii = K_ii and M_ij = M_ji = K_ij/2 for i < j. It panics for p ≠ 2.
func (m *Spherical) CouplingMatrix() *mat.SymDense {
	if m.p != 2 {
		panic("models: Spherical.CouplingMatrix needs p = 2")
	}
	a := mat.NewSymDense(m.n, nil)
	idx := 0
	for i := 0; i < m.n; i++ {
		a.SetSym(i, i, m.k[idx])
		idx++
		for j := i + 1; j < m.n; j++ {
			a.SetSym(i, j, m.k[idx]/2)
			idx++
		}
	}
	return a
}

// CouplingEigenvalues returns, for p = 2, the eigenvalues of [Spherical.CouplingMatrix]
// in increasing order (gonum's EigenSym): the energies per spin of the critical points,
// the first being the ground state. It panics for p ≠ 2 and returns an error if the
// decomposition fails.
func (m *Spherical) CouplingEigenvalues() ([]float64, error) {
	var es mat.EigenSym
	if !es.Factorize(m.CouplingMatrix(), false) {
		return nil, fmt.Errorf("spherical: eigendecomposition of the coupling matrix failed")
	}
	return es.Values(nil), nil
}

// ThresholdEnergy returns the threshold energy per spin of this normalization as
// N → ∞: −E∞ (ABC) or −E∞/√2 (Crisanti–Sommers), E∞ = 2√((p−1)/p)
// ([SphericalEInf]). Below it lie the local minima (for p ≥ 3).
func (m *Spherical) ThresholdEnergy() float64 {
	return -SphericalEInf(m.p) * m.norm.perSpinScale()
}

// GroundEnergy returns the ground-state energy per spin of this normalization as
// N → ∞: −E0 (ABC) or −E0/√2 (Crisanti–Sommers), E0 from [SphericalE0].
func (m *Spherical) GroundEnergy() float64 {
	return -SphericalE0(m.p) * m.norm.perSpinScale()
}

// String describes the model.
func (m *Spherical) String() string {
	return fmt.Sprintf("spherical p=%d N=%d norm=%s (%d couplings)", m.p, m.n, m.norm, len(m.k))
}

func (m *Spherical) checkLen(name string, s []float64) {
	if len(s) != m.n {
		panic(fmt.Sprintf("models: Spherical.%s: %d spins, want %d", name, len(s), m.n))
	}
}

// Energy returns H(σ).
func (m *Spherical) Energy(s []float64) float64 {
	m.checkLen("Energy", s)
	switch m.p {
	case 2:
		return energy2(m.k, s)
	case 3:
		return energy3(m.k, s)
	default:
		return energy4(m.k, s)
	}
}

// Gradient writes the Euclidean gradient ∇H(σ) into g and returns H(σ). The work
// is one pass over the couplings, about 4 flops per stored coupling (a fused dot
// product and update per row of the tensor); it allocates nothing.
func (m *Spherical) Gradient(g, s []float64) float64 {
	m.checkLen("Gradient", s)
	m.checkLen("Gradient", g)
	for i := range g {
		g[i] = 0
	}
	switch m.p {
	case 2:
		return grad2(m.k, s, g)
	case 3:
		return grad3(m.k, s, g)
	default:
		return grad4(m.k, s, g)
	}
}

// TangentGradient writes the Riemannian gradient of H on the sphere |σ|² = N,
//
//	grad H = ∇H − (σ·∇H/|σ|²) σ,
//
// into g (the projection of ∇H onto the tangent space at σ), and returns H(σ).
func (m *Spherical) TangentGradient(g, s []float64) float64 {
	e := m.Gradient(g, s)
	Project(g, s)
	return e
}

// Project removes from v its component along σ: v ← v − (σ·v/|σ|²) σ, the
// orthogonal projection onto the tangent space of the sphere at σ.
func Project(v, s []float64) {
	var sv, ss float64
	for i, x := range s {
		sv += x * v[i]
		ss += x * x
	}
	if ss == 0 {
		return
	}
	c := sv / ss
	for i, x := range s {
		v[i] -= c * x
	}
}

// Hessian writes the Euclidean Hessian ∇²H(σ) into h (N×N, resized if empty).
// It costs O(p²) operations per stored coupling.
func (m *Spherical) Hessian(h *mat.SymDense, s []float64) {
	m.checkLen("Hessian", s)
	n := m.n
	if h.IsEmpty() {
		h.ReuseAsSym(n)
	} else if h.SymmetricDim() != n {
		panic("models: Spherical.Hessian: matrix size mismatch")
	}
	// a collects, for every sorted tuple and every pair of positions a < b, the
	// coupling times the product of the other spins at (t_a, t_b); the Hessian is
	// a + aᵀ (the pair (b, a) of positions).
	a := make([]float64, n*n)
	switch m.p {
	case 2:
		hessian2(m.k, n, a)
	case 3:
		hessian3(m.k, s, a)
	default:
		m.hessianGeneric(s, a)
	}
	for i := 0; i < n; i++ {
		for j := i; j < n; j++ {
			h.SetSym(i, j, a[i*n+j]+a[j*n+i])
		}
	}
}

// hessianGeneric adds to a (n×n, row-major), for every sorted tuple t and pair of
// positions x < y, the coupling times the product of the other spins at
// (t_x, t_y): the Hessian is a + aᵀ.
func (m *Spherical) hessianGeneric(s, a []float64) {
	n, p := m.n, m.p
	var t [4]int
	idx := 0
	forTuples(n, p, t[:p], func(t []int) {
		k := m.k[idx]
		idx++
		for x := 0; x < p; x++ {
			for y := x + 1; y < p; y++ {
				prod := k
				for z := 0; z < p; z++ {
					if z != x && z != y {
						prod *= s[t[z]]
					}
				}
				a[t[x]*n+t[y]] += prod
			}
		}
	})
}

// RiemannianHessian writes the Riemannian Hessian of H on the sphere of radius |σ|
// at σ, as an N×N matrix acting on ℝ^N,
//
//	Hess H = P ∇²H P − (σ·∇H/|σ|²) P,  P = I − σσᵀ/|σ|²,
//
// into h (resized if empty), and returns H(σ). Restricted to the tangent space (the
// image of P) it is the second-order term of H along geodesics through σ when σ
// is a critical point; σ itself is an eigenvector with eigenvalue 0. For a
// homogeneous H of degree p, σ·∇H = pH.
func (m *Spherical) RiemannianHessian(h *mat.SymDense, s []float64) float64 {
	n := m.n
	g := make([]float64, n)
	e := m.Gradient(g, s)
	m.Hessian(h, s)
	var ss, sg float64
	for i, x := range s {
		ss += x * x
		sg += x * g[i]
	}
	if ss == 0 {
		panic("models: Spherical.RiemannianHessian at σ = 0")
	}
	lambda := sg / ss
	// P A P = A − u wᵀ − w uᵀ + (uᵀ A u) u uᵀ with u = σ/|σ|, w = A u.
	u := make([]float64, n)
	for i, x := range s {
		u[i] = x / math.Sqrt(ss)
	}
	uv := mat.NewVecDense(n, u)
	var wv mat.VecDense
	wv.MulVec(h, uv)
	w := wv.RawVector().Data
	uau := mat.Dot(uv, &wv)
	for i := 0; i < n; i++ {
		for j := i; j < n; j++ {
			v := h.At(i, j) - u[i]*w[j] - w[i]*u[j] + uau*u[i]*u[j]
			// − λ P
			pij := -u[i] * u[j]
			if i == j {
				pij++
			}
			h.SetSym(i, j, v-lambda*pij)
		}
	}
	return e
}

// Critical describes a point σ of the sphere by its energy, its Riemannian gradient
// and the spectrum of its Riemannian Hessian on the tangent space.
type Critical struct {
	// Energy is H(σ)/N, per spin.
	Energy float64
	// GradRMS is |grad H|/√N, the root mean square of the Riemannian gradient.
	GradRMS float64
	// Index is the number of negative eigenvalues of the Riemannian Hessian on the
	// tangent space (0 at a local minimum, k at a saddle of index k).
	Index int
	// Eigenvalues are the N−1 eigenvalues of the Riemannian Hessian on the tangent
	// space, in increasing order.
	Eigenvalues []float64
}

// String summarises the point.
func (c Critical) String() string {
	lo := math.NaN()
	if len(c.Eigenvalues) > 0 {
		lo = c.Eigenvalues[0]
	}
	return fmt.Sprintf("e=%.6f |grad|=%.2g index=%d λmin=%.4g", c.Energy, c.GradRMS, c.Index, lo)
}

// Classify returns the energy, gradient norm, index and Hessian spectrum at σ,
// which must lie on the sphere |σ|² = N. Eigenvalues below tol·max(1, |λ|max) in
// magnitude would be numerically undecided; the index counts eigenvalues < 0
// exactly as computed (use Eigenvalues to judge marginal cases). It costs one
// Hessian (O(p²) per coupling) and a symmetric eigendecomposition (O(N³)), and
// returns an error if the decomposition fails.
func (m *Spherical) Classify(s []float64) (Critical, error) {
	n := m.n
	m.checkLen("Classify", s)
	h := mat.NewSymDense(n, nil)
	e := m.RiemannianHessian(h, s)
	g := make([]float64, n)
	m.TangentGradient(g, s)
	var gg, ss float64
	for i := range g {
		gg += g[i] * g[i]
		ss += s[i] * s[i]
	}
	// Shift the normal direction σ (eigenvalue 0) above the whole spectrum, so that
	// the largest eigenvalue is the normal one and the others are the tangent ones.
	shift := 1 + mat.Norm(h, 2)
	if math.IsNaN(shift) || math.IsInf(shift, 0) {
		return Critical{}, fmt.Errorf("spherical: Hessian is not finite")
	}
	for i := 0; i < n; i++ {
		for j := i; j < n; j++ {
			h.SetSym(i, j, h.At(i, j)+shift*s[i]*s[j]/ss)
		}
	}
	var es mat.EigenSym
	if ok := es.Factorize(h, false); !ok {
		return Critical{}, fmt.Errorf("spherical: eigendecomposition of the Hessian failed")
	}
	vals := es.Values(nil) // ascending
	vals = vals[:n-1]
	idx := 0
	for _, v := range vals {
		if v < 0 {
			idx++
		}
	}
	return Critical{Energy: e / float64(n), GradRMS: math.Sqrt(gg / float64(n)), Index: idx, Eigenvalues: vals}, nil
}

// RandomSphere writes a uniform random point of the sphere |σ|² = N into s, from
// len(s) standard normals drawn from src (rand.New(src).NormFloat64).
func RandomSphere(s []float64, src *rand.PCG) {
	rng := rand.New(src)
	for i := range s {
		s[i] = rng.NormFloat64()
	}
	Normalize(s)
}

// Normalize rescales s onto the sphere |σ|² = N = len(s) (the retraction of the
// descents). It panics if s = 0.
func Normalize(s []float64) {
	var ss float64
	for _, x := range s {
		ss += x * x
	}
	if ss == 0 {
		panic("models: Normalize of the zero vector")
	}
	c := math.Sqrt(float64(len(s)) / ss)
	for i := range s {
		s[i] *= c
	}
}

// EnergyGeneric returns H(σ) by a plain loop over the sorted tuples, as the
// definition reads: the slow reference that the fast kernels are tested against.
func (m *Spherical) EnergyGeneric(s []float64) float64 {
	m.checkLen("EnergyGeneric", s)
	var t [4]int
	var e float64
	idx := 0
	forTuples(m.n, m.p, t[:m.p], func(t []int) {
		prod := m.k[idx]
		idx++
		for _, v := range t {
			prod *= s[v]
		}
		e += prod
	})
	return e
}

// GradientGeneric writes ∇H(σ) into g by differentiating every monomial: the slow
// reference for [Spherical.Gradient].
func (m *Spherical) GradientGeneric(g, s []float64) {
	m.checkLen("GradientGeneric", s)
	m.checkLen("GradientGeneric", g)
	for i := range g {
		g[i] = 0
	}
	var t [4]int
	idx := 0
	forTuples(m.n, m.p, t[:m.p], func(t []int) {
		k := m.k[idx]
		idx++
		for a := range t {
			prod := k
			for b, v := range t {
				if b != a {
					prod *= s[v]
				}
			}
			g[t[a]] += prod
		}
	})
}
