package models_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/deepglass/deepglass/models"
)

// randomSpins returns n random ±1 spins from rng.
func randomSpins(n int, rng *rand.Rand) []int8 {
	s := make([]int8, n)
	for i := range s {
		s[i] = int8(2*rng.IntN(2) - 1)
	}
	return s
}

// TestOverlap compares Overlap with the definition, for lengths that exercise the
// unrolled loop's remainder.
func TestOverlap(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for n := 1; n <= 13; n++ {
		a, b := randomSpins(n, rng), randomSpins(n, rng)
		var want float64
		for i := range a {
			want += float64(a[i]) * float64(b[i])
		}
		want /= float64(n)
		if got := models.Overlap(a, b); got != want {
			t.Errorf("Overlap(%v, %v) = %v; want %v", a, b, got, want)
		}
		if got := models.Overlap(a, a); got != 1 {
			t.Errorf("Overlap(a, a) = %v; want 1", got)
		}
	}
	mustPanic(t, "Overlap of different lengths", func() { models.Overlap([]int8{1}, []int8{1, 1}) })
	mustPanic(t, "Overlap of empty", func() { models.Overlap(nil, nil) })
}

// linkOverlapBrute is (1/N_b) Σ over the bonds of p of a_i a_j b_i b_j.
func linkOverlapBrute(p *models.Sparse, a, b []int8) float64 {
	bonds := p.Bonds()
	var sum float64
	for _, bd := range bonds {
		sum += float64(a[bd.I]) * float64(a[bd.J]) * float64(b[bd.I]) * float64(b[bd.J])
	}
	return sum / float64(len(bonds))
}

// TestSparseLinkOverlap compares LinkOverlap with the sum over bonds on lattices
// (including side 2, where pairs are bonded twice) and a graph.
func TestSparseLinkOverlap(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	graph := models.NewSparse(5, []models.Bond{{I: 0, J: 1, W: 2}, {I: 3, J: 1, W: -1}, {I: 4, J: 2, W: 0.5}}, nil)
	for _, p := range []*models.Sparse{
		models.NewIsing(models.Square(2), 1, 0),
		models.NewIsing(models.Square(5), 1, 0),
		models.NewEA(models.Cubic(3), models.Gaussian, rng),
		graph,
	} {
		for range 20 {
			a, b := randomSpins(p.N(), rng), randomSpins(p.N(), rng)
			got, want := p.LinkOverlap(a, b), linkOverlapBrute(p, a, b)
			if math.Abs(got-want) > 1e-15 {
				t.Errorf("%v: LinkOverlap = %v; want %v", p, got, want)
			}
		}
		a := randomSpins(p.N(), rng)
		if got := p.LinkOverlap(a, a); got != 1 {
			t.Errorf("%v: LinkOverlap(a, a) = %v; want 1", p, got)
		}
		flipped := make([]int8, len(a))
		for i := range a {
			flipped[i] = -a[i]
		}
		if got := p.LinkOverlap(a, flipped); got != 1 {
			t.Errorf("%v: LinkOverlap(a, -a) = %v; want 1 (invariant under global flip)", p, got)
		}
	}
	noBonds := models.NewSparse(3, nil, nil)
	if got := noBonds.LinkOverlap([]int8{1, 1, 1}, []int8{1, -1, 1}); !math.IsNaN(got) {
		t.Errorf("LinkOverlap without bonds = %v; want NaN", got)
	}
	mustPanic(t, "Sparse.LinkOverlap length", func() { graph.LinkOverlap([]int8{1}, []int8{1}) })
}

// TestDenseLinkOverlap compares the closed form with the sum over all pairs.
func TestDenseLinkOverlap(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, n := range []int{2, 3, 7, 32} {
		d := models.NewSK(n, 0, models.Gaussian, rng)
		for range 20 {
			a, b := randomSpins(n, rng), randomSpins(n, rng)
			var sum float64
			for i := 0; i < n; i++ {
				for j := i + 1; j < n; j++ {
					sum += float64(a[i]) * float64(a[j]) * float64(b[i]) * float64(b[j])
				}
			}
			want := 2 * sum / float64(n*(n-1))
			if got := d.LinkOverlap(a, b); math.Abs(got-want) > 1e-15 {
				t.Errorf("N=%d: LinkOverlap = %v; want %v", n, got, want)
			}
			q := models.Overlap(a, b)
			if got, want := d.LinkOverlap(a, b), (float64(n)*q*q-1)/float64(n-1); math.Abs(got-want) > 1e-14 {
				t.Errorf("N=%d: LinkOverlap = %v; (Nq²−1)/(N−1) = %v", n, got, want)
			}
		}
	}
	one := models.NewDense(1, []float64{0}, nil)
	if got := one.LinkOverlap([]int8{1}, []int8{-1}); !math.IsNaN(got) {
		t.Errorf("N=1: LinkOverlap = %v; want NaN", got)
	}
	mustPanic(t, "Dense.LinkOverlap length", func() { one.LinkOverlap([]int8{1, 1}, []int8{1, 1}) })
}

func BenchmarkOverlap(b *testing.B) {
	rng := rand.New(rand.NewPCG(7, 8))
	a, c := randomSpins(4096, rng), randomSpins(4096, rng)
	var q float64
	for b.Loop() {
		q += models.Overlap(a, c)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/4096, "ns/spin")
}
