package sampler

import (
	"math"
	"testing"

	"github.com/deepglass/deepglass/models"
)

// clusterSamplers are the cluster algorithms with their constructors.
var clusterSamplers = []struct {
	name string
	make func(m *models.Sparse, beta float64) Sweeper
}{
	{"wolff", func(m *models.Sparse, beta float64) Sweeper { return NewWolff(m, beta) }},
	{"swendsen-wang", func(m *models.Sparse, beta float64) Sweeper { return NewSwendsenWang(m, beta) }},
}

// denseToSparse returns d as a Sparse model (all N(N-1)/2 bonds).
func denseToSparse(d *models.Dense) *models.Sparse {
	n := d.N()
	var bonds []models.Bond
	for i := range n {
		for j := i + 1; j < n; j++ {
			bonds = append(bonds, models.Bond{I: i, J: j, W: d.Coupling(i, j)})
		}
	}
	p := models.NewSparse(n, bonds, d.H)
	p.Name = "sparse " + d.String()
	return p
}

// floatCopy returns a copy of p without the integer mirrors, so that samplers take
// their float kernels.
func floatCopy(p *models.Sparse) *models.Sparse {
	q := *p
	q.JInt, q.HInt = nil, nil
	return &q
}

// TestClusterExact compares ⟨E⟩/N, ⟨|m|⟩ and ⟨m²⟩ of Wolff and Swendsen–Wang with exact
// enumeration on the zero-field models of smallModels, and on an SK model as a Sparse.
func TestClusterExact(t *testing.T) {
	type cm struct {
		name string
		m    *models.Sparse
		beta float64
	}
	var ms []cm
	for _, sm := range smallModels() {
		if p, ok := sm.m.(*models.Sparse); ok && !sm.field {
			ms = append(ms, cm{sm.name, p, sm.beta})
		}
	}
	ms = append(ms,
		cm{"sk12/J0=1.5/T=1.5", denseToSparse(models.NewSK(12, 1.5, models.Gaussian, disorder(6))), 1 / 1.5},
		cm{"ising4/T=1.5/float", floatCopy(models.NewIsing(models.Square(4), 1, 0)), 1 / 1.5})
	for _, cs := range clusterSamplers {
		for k, c := range ms {
			t.Run(cs.name+"/"+c.name, func(t *testing.T) {
				t.Parallel()
				checkThermo(t, c.m, cs.make(c.m, c.beta), c.beta, uint64(200+k), 1000, 100_000)
			})
		}
	}
}

// TestWolffImprovedEstimator checks ⟨|C|⟩/N = ⟨m²⟩ for the Ising ferromagnet at T_c,
// where |C| is the size of a Wolff cluster, against the exact ⟨m²⟩: 0.761358908569 for
// L = 4 and 0.646911574994 for L = 8 (docs/references/ising2d.md §4, exact transfer matrix; L = 4
// is also checked against models.Exact).
func TestWolffImprovedEstimator(t *testing.T) {
	for _, tt := range []struct {
		l  int
		m2 float64
	}{{4, 0.761358908569}, {8, 0.646911574994}} {
		m := models.NewIsing(models.Square(tt.l), 1, 0)
		if tt.l == 4 {
			if ex := models.Exact(m, 1/tc); math.Abs(ex.M2-tt.m2) > 1e-10 {
				t.Fatalf("Exact ⟨m²⟩ = %.12f; docs/references/ising2d.md §4 has %.12f", ex.M2, tt.m2)
			}
		}
		w := NewWolff(m, 1/tc)
		c := NewChain(m, NewStream(7, PurposeChain, tt.l, 0))
		for range 1000 {
			w.Update(c)
		}
		sizes := make([]float64, 200_000)
		for k := range sizes {
			sizes[k] = float64(w.Update(c)) / float64(m.N())
		}
		checkMean(t, "⟨|C|⟩/N", sizes, 100, tt.m2)
		if d := c.Resync(m); d != 0 {
			t.Errorf("L=%d: energy drifted by %g", tt.l, d)
		}
	}
}

// TestClusterIntFloat requires the integer and float kernels of the cluster samplers
// to give bit-identical chains on a model with integer couplings.
func TestClusterIntFloat(t *testing.T) {
	for _, cs := range clusterSamplers {
		for _, m := range []*models.Sparse{
			models.NewIsing(models.Square(8), 1, 0),
			models.NewEA(models.Cubic(4), models.PlusMinus, disorder(51)),
			models.NewIsing(models.Square(2), -2, 0),
		} {
			for _, beta := range []float64{0.2, 0.44, 1} {
				var spins [2][]int8
				var es [2]float64
				for k, p := range []*models.Sparse{m, floatCopy(m)} {
					c := NewChain(p, NewStream(8, PurposeChain, 0, 0))
					mv := cs.make(p, beta)
					for range 30 {
						mv.Sweep(c)
					}
					spins[k], es[k] = c.S, c.E
				}
				if string(int8sToBytes(spins[0])) != string(int8sToBytes(spins[1])) || es[0] != es[1] {
					t.Errorf("%s on %v at β=%g: integer and float kernels differ", cs.name, m, beta)
				}
			}
		}
	}
}

// TestClusterEnergyDrift checks that the energy kept from cluster boundaries stays equal
// to the recomputed one.
func TestClusterEnergyDrift(t *testing.T) {
	for _, cs := range clusterSamplers {
		for _, m := range []*models.Sparse{
			models.NewEA(models.Square(16), models.Gaussian, disorder(52)),
			denseToSparse(models.NewSK(32, 1, models.Gaussian, disorder(53))),
			models.NewIsing(models.Cubic(5), 1, 0),
		} {
			c := NewChain(m, NewStream(9, PurposeChain, 0, 0))
			mv := cs.make(m, 0.5)
			for range 2000 {
				mv.Sweep(c)
			}
			e := m.Energy(c.S)
			if math.Abs(c.E-e) > 1e-9*math.Max(1, math.Abs(e)) {
				t.Errorf("%v: after 2000 sweeps E = %.15g; Energy(S) = %.15g", mv, c.E, e)
			}
		}
	}
}

// TestClusterAllocs requires sweeps to allocate nothing.
func TestClusterAllocs(t *testing.T) {
	for _, cs := range clusterSamplers {
		for _, m := range []*models.Sparse{
			models.NewIsing(models.Square(16), 1, 0),
			models.NewEA(models.Square(8), models.Gaussian, disorder(54)),
		} {
			c := NewChain(m, NewStream(10, PurposeChain, 0, 0))
			mv := cs.make(m, 0.44)
			if a := testing.AllocsPerRun(20, func() { mv.Sweep(c) }); a != 0 {
				t.Errorf("%v: %v allocations per sweep; want 0", mv, a)
			}
		}
	}
}

// TestClusterCounters checks the units: Wolff counts flipped spins in both counters and
// calibrates Clusters so that a sweep flips about N spins on average; a Swendsen–Wang
// sweep counts N.
func TestClusterCounters(t *testing.T) {
	m := models.NewIsing(models.Square(8), 1, 0)
	for _, beta := range []float64{0.2, 1 / tc, 0.7} {
		c := NewChain(m, NewStream(11, PurposeChain, 0, 0))
		w := NewWolff(m, beta)
		for range 10 { // thermalise
			w.Update(c)
		}
		c.Accepted, c.Proposed = 0, 0
		var sizes int
		for range 100 {
			sizes += w.Update(c)
		}
		w.Sweep(c)
		if c.Accepted != c.Proposed || c.Proposed < int64(sizes) {
			t.Errorf("%v: Proposed = %d, Accepted = %d; want equal, ≥ %d", w, c.Proposed, c.Accepted, sizes)
		}
		c.Accepted, c.Proposed = 0, 0
		for range 1000 {
			w.Sweep(c)
		}
		if per := float64(c.Proposed) / 1000 / 64; per < 0.5 || per > 2 {
			t.Errorf("%v: %.2f·N spins flipped per sweep; want ≈ 1", w, per)
		}
	}
	c := NewChain(m, NewStream(11, PurposeChain, 0, 0))
	NewSwendsenWang(m, 0.3).Sweep(c)
	if c.Proposed != 64 || c.Accepted != 64 {
		t.Errorf("Swendsen–Wang sweep: Proposed = %d, Accepted = %d; want 64, 64", c.Proposed, c.Accepted)
	}
}

// TestWolffGenerationWrap runs clusters across the wrap-around of the mark generation.
func TestWolffGenerationWrap(t *testing.T) {
	m := models.NewIsing(models.Square(6), 1, 0)
	a := NewChain(m, NewStream(12, PurposeChain, 0, 0))
	b := NewChain(m, NewStream(12, PurposeChain, 0, 0))
	wa, wb := NewWolff(m, 0.4), NewWolff(m, 0.4)
	for range 5 {
		wa.Update(a)
		wb.Update(b)
	}
	wb.gen = math.MaxUint32 - 3 // stale marks of earlier generations stay in wb.mark
	for range 20 {
		if sa, sb := wa.Update(a), wb.Update(b); sa != sb {
			t.Fatalf("cluster sizes %d and %d differ across the generation wrap", sa, sb)
		}
	}
	if string(int8sToBytes(a.S)) != string(int8sToBytes(b.S)) || a.E != b.E {
		t.Errorf("chains differ across the generation wrap")
	}
}

// TestClusterBetaChange checks that changing Beta and Model between sweeps takes effect.
func TestClusterBetaChange(t *testing.T) {
	m := models.NewIsing(models.Square(6), 1, 0)
	m2 := models.NewEA(models.Square(5), models.Gaussian, disorder(55))
	for _, cs := range clusterSamplers {
		a := NewChain(m2, NewStream(13, PurposeChain, 0, 0))
		b := NewChain(m2, NewStream(13, PurposeChain, 0, 0))
		mv := cs.make(m, 0.2)
		mv.Sweep(NewChain(m, NewStream(1, PurposeChain, 0, 0)))
		switch v := mv.(type) {
		case *Wolff:
			v.Beta, v.Model = 0.9, m2
		case *SwendsenWang:
			v.Beta, v.Model = 0.9, m2
		}
		fresh := cs.make(m2, 0.9)
		for range 10 {
			mv.Sweep(a)
			fresh.Sweep(b)
		}
		if string(int8sToBytes(a.S)) != string(int8sToBytes(b.S)) || a.E != b.E {
			t.Errorf("%s: after changing Beta and Model the chain differs from a fresh sampler's", cs.name)
		}
	}
}

func TestClusterPanics(t *testing.T) {
	field := models.NewIsing(models.Square(4), 1, 0.5)
	m := models.NewIsing(models.Square(4), 1, 0)
	for _, cs := range clusterSamplers {
		mustPanic(t, cs.name+" with a field", func() { cs.make(field, 1) })
		mustPanic(t, cs.name+" with nil model", func() { cs.make(nil, 1) })
		mustPanic(t, cs.name+" with β < 0", func() { cs.make(m, -1) })
		mv := cs.make(m, 1)
		mustPanic(t, cs.name+" on a chain of another size", func() {
			mv.Sweep(NewChain(models.NewIsing(models.Square(3), 1, 0), NewStream(1, PurposeChain, 0, 0)))
		})
	}
}

func TestClusterString(t *testing.T) {
	m := models.NewIsing(models.Square(16), 1, 0)
	for _, tt := range []struct {
		got, want string
	}{
		{NewWolff(m, 0.44).String(), "wolff β=0.44 clusters/sweep=auto on ising square:16 (N=256, bonds=512)"},
		{(&Wolff{Model: m, Beta: 0.3, Clusters: 4}).String(), "wolff β=0.3 clusters/sweep=4 on ising square:16 (N=256, bonds=512)"},
		{NewSwendsenWang(m, 0.44).String(), "swendsen-wang β=0.44 on ising square:16 (N=256, bonds=512)"},
	} {
		if tt.got != tt.want {
			t.Errorf("String() = %q; want %q", tt.got, tt.want)
		}
	}
}
