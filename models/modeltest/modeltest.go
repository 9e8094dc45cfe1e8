package modeltest

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/deepglass/deepglass/models"
)

// Tol is the relative tolerance of the energy comparisons, applied to the magnitude of
// the energies involved (at least 1).
const Tol = 1e-12

// fastPathSeeds are the seeds FastPath runs a sampler with.
var fastPathSeeds = []uint64{1, 0x9e3779b97f4a7c15}

// Check runs every conformance check that needs only the model: [DeltaE] and
// [Symmetric], as subtests.
func Check(t *testing.T, m models.Model, src *rand.PCG) {
	t.Helper()
	t.Run("DeltaE", func(t *testing.T) { DeltaE(t, m, src, 200) })
	t.Run("Symmetric", func(t *testing.T) { Symmetric(t, m, src, 20) })
}

// DeltaE checks on trials random states and sites, drawn from src, that m.DeltaE(s, i)
// equals m.Energy(s with spin i flipped) - m.Energy(s) to a relative tolerance [Tol] of
// the energies, that neither method changes s, and that all-up and all-down states
// agree too.
func DeltaE(t testing.TB, m models.Model, src *rand.PCG, trials int) {
	t.Helper()
	n := m.N()
	if n < 1 {
		t.Fatalf("%v: N() = %d; want ≥ 1", m, n)
	}
	rng := rand.New(src)
	s := make([]int8, n)
	for trial := range trials + 2 {
		switch trial {
		case 0, 1: // uniform states, to catch errors that random states average out
			for k := range s {
				s[k] = int8(1 - 2*trial)
			}
		default:
			randomState(rng, s)
		}
		i := rng.IntN(n)
		before := append([]int8(nil), s...)
		e0 := m.Energy(s)
		d := m.DeltaE(s, i)
		if !equal(s, before) {
			t.Fatalf("%v: Energy or DeltaE(s, %d) modified s", m, i)
		}
		s[i] = -s[i]
		e1 := m.Energy(s)
		s[i] = -s[i]
		want := e1 - e0
		if math.IsNaN(d) || math.IsInf(d, 0) || math.Abs(d-want) > Tol*scale(e0, e1, d) {
			t.Fatalf("%v: trial %d: DeltaE(s, %d) = %v; want Energy difference %v (E = %v → %v)",
				m, trial, i, d, want, e0, e1)
		}
	}
}

// Symmetric checks structural symmetries on trials random states drawn from src:
// for a model without a field E(-s) = E(s), and for a pairwise model with fields
// E(s) - E(-s) = -2 Σ_i h_i s_i. For a [*models.Dense] it also checks that J is
// N×N, symmetric, with a zero diagonal; for a [*models.Sparse], that the CSR arrays
// are consistent, that every bond appears from both ends with the same J, and that the
// integer mirrors JInt and HInt, when present, equal J and H. Whether a model of
// another type has a field is asked through a HasField() bool method; without one,
// the spin-flip check is skipped.
func Symmetric(t testing.TB, m models.Model, src *rand.PCG, trials int) {
	t.Helper()
	var h []float64 // fields of a pairwise model, nil otherwise
	field, known := false, false
	switch p := m.(type) {
	case *models.Dense:
		checkDense(t, p)
		h, known = p.H, true
		field = hasField(h)
	case *models.Sparse:
		checkSparse(t, p)
		h, known = p.H, true
		field = hasField(h)
	case interface{ HasField() bool }:
		field, known = p.HasField(), true
	}
	if !known || (field && h == nil) {
		return
	}
	rng := rand.New(src)
	s := make([]int8, m.N())
	neg := make([]int8, m.N())
	for trial := range trials {
		randomState(rng, s)
		for i, v := range s {
			neg[i] = -v
		}
		e, en := m.Energy(s), m.Energy(neg)
		want := 0.0
		for i := range h {
			want -= 2 * h[i] * float64(s[i])
		}
		if math.Abs((e-en)-want) > Tol*scale(e, en, want) {
			t.Fatalf("%v: trial %d: E(s) - E(-s) = %v; want %v (-2 Σ h_i s_i)", m, trial, e-en, want)
		}
	}
}

// checkDense checks the shape and symmetry of a dense coupling matrix.
func checkDense(t testing.TB, d *models.Dense) {
	t.Helper()
	n := len(d.H)
	if d.N() != n || len(d.J) != n*n {
		t.Fatalf("%v: N() = %d, len(H) = %d, len(J) = %d; want N, N, N²", d, d.N(), n, len(d.J))
	}
	for i := 0; i < n; i++ {
		if d.J[i*n+i] != 0 {
			t.Fatalf("%v: J[%d][%d] = %v; want 0", d, i, i, d.J[i*n+i])
		}
		for j := i + 1; j < n; j++ {
			if d.J[i*n+j] != d.J[j*n+i] {
				t.Fatalf("%v: J[%d][%d] = %v but J[%d][%d] = %v", d, i, j, d.J[i*n+j], j, i, d.J[j*n+i])
			}
		}
	}
}

// checkSparse checks the CSR structure, the bond symmetry and the integer mirrors.
func checkSparse(t testing.TB, p *models.Sparse) {
	t.Helper()
	n := len(p.H)
	if p.N() != n || len(p.Start) != n+1 || p.Start[0] != 0 {
		t.Fatalf("%v: N() = %d, len(H) = %d, len(Start) = %d, Start[0] = %d", p, p.N(), n, len(p.Start), p.Start[0])
	}
	for i := 0; i < n; i++ {
		if p.Start[i+1] < p.Start[i] {
			t.Fatalf("%v: Start[%d] = %d > Start[%d] = %d", p, i, p.Start[i], i+1, p.Start[i+1])
		}
	}
	if int(p.Start[n]) != len(p.Nbr) || len(p.J) != len(p.Nbr) {
		t.Fatalf("%v: Start[N] = %d, len(Nbr) = %d, len(J) = %d; want equal", p, p.Start[n], len(p.Nbr), len(p.J))
	}
	type entry struct {
		i, j int32
		w    float64
	}
	count := make(map[entry]int, len(p.Nbr))
	for i := 0; i < n; i++ {
		for k := p.Start[i]; k < p.Start[i+1]; k++ {
			j := p.Nbr[k]
			if j < 0 || int(j) >= n || int(j) == i {
				t.Fatalf("%v: site %d has neighbour %d", p, i, j)
			}
			count[entry{int32(i), j, p.J[k]}]++
		}
	}
	for i := 0; i < n; i++ { // in CSR order, so the first failure reported is deterministic
		for k := p.Start[i]; k < p.Start[i+1]; k++ {
			e := entry{int32(i), p.Nbr[k], p.J[k]}
			if c, back := count[e], count[entry{e.j, e.i, e.w}]; back != c {
				t.Fatalf("%v: bond (%d,%d) with J = %v appears %d times from site %d but %d times from site %d",
					p, e.i, e.j, e.w, c, e.i, back, e.j)
			}
		}
	}
	if p.JInt == nil {
		if p.HInt != nil || p.MaxIntField() != -1 {
			t.Fatalf("%v: JInt is nil but HInt = %v, MaxIntField() = %d", p, p.HInt != nil, p.MaxIntField())
		}
		return
	}
	if len(p.JInt) != len(p.J) || len(p.HInt) != n {
		t.Fatalf("%v: len(JInt) = %d, len(HInt) = %d; want %d, %d", p, len(p.JInt), len(p.HInt), len(p.J), n)
	}
	maxField := 0
	for i := 0; i < n; i++ {
		if float64(p.HInt[i]) != p.H[i] {
			t.Fatalf("%v: HInt[%d] = %d but H[%d] = %v", p, i, p.HInt[i], i, p.H[i])
		}
		f := abs(int(p.HInt[i]))
		for k := p.Start[i]; k < p.Start[i+1]; k++ {
			if float64(p.JInt[k]) != p.J[k] {
				t.Fatalf("%v: JInt[%d] = %d but J[%d] = %v", p, k, p.JInt[k], k, p.J[k])
			}
			f += abs(int(p.JInt[k]))
		}
		maxField = max(maxField, f)
	}
	if got := p.MaxIntField(); got != maxField {
		t.Fatalf("%v: MaxIntField() = %d; want %d", p, got, maxField)
	}
}

// FastPath checks that a sampler gives bit-identical spins on its specialised path for
// m's concrete type and on its generic path: it calls run(m, seed) and
// run(struct{ models.Model }{m}, seed), which hides the concrete type, for a few seeds.
// run must build its own chain and streams from seed, sweep a few times and return the
// final spins.
func FastPath(t testing.TB, m models.Model, run func(m models.Model, seed uint64) []int8) {
	t.Helper()
	for _, seed := range fastPathSeeds {
		fast := run(m, seed)
		slow := run(struct{ models.Model }{m}, seed)
		if len(fast) != m.N() || len(slow) != m.N() {
			t.Fatalf("%v: seed %d: run returned %d spins (concrete) and %d (generic); want %d",
				m, seed, len(fast), len(slow), m.N())
		}
		for i := range fast {
			if fast[i] != 1 && fast[i] != -1 {
				t.Fatalf("%v: seed %d: spin %d = %d on the concrete path; want ±1", m, seed, i, fast[i])
			}
			if fast[i] != slow[i] {
				t.Fatalf("%v: seed %d: spin %d = %d on the concrete path but %d on the generic path (%s)",
					m, seed, i, fast[i], slow[i], diffCount(fast, slow))
			}
		}
	}
}

func randomState(rng *rand.Rand, s []int8) {
	for i := range s {
		s[i] = 1 - 2*int8(rng.Uint64()>>63)
	}
}

func equal(a, b []int8) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return len(a) == len(b)
}

func diffCount(a, b []int8) string {
	c := 0
	for i := range a {
		if a[i] != b[i] {
			c++
		}
	}
	return fmt.Sprintf("%d of %d spins differ", c, len(a))
}

// scale is the magnitude the tolerance applies to: the largest |x|, at least 1.
func scale(xs ...float64) float64 {
	m := 1.0
	for _, x := range xs {
		m = math.Max(m, math.Abs(x))
	}
	return m
}

func hasField(h []float64) bool {
	for _, v := range h {
		if v != 0 {
			return true
		}
	}
	return false
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
