package landscape_test

import (
	"bytes"
	"context"
	"math"
	"testing"

	"github.com/deepglass/deepglass/landscape"
	"github.com/deepglass/deepglass/models"
)

// TestQuenchMatchesEnumeration checks that the quench of every state ends where the
// exact steepest descent does, for each kernel (dense, sparse, p-spin, generic).
func TestQuenchMatchesEnumeration(t *testing.T) {
	for _, m := range []models.Model{
		models.NewSK(10, 0, models.Gaussian, rng(1)),
		models.NewEA(models.Square(3), models.Gaussian, rng(2)),
		models.NewPSpin(10, 4, 1, rng(3)),
		models.NewREM(10, 1, rng(4)),
	} {
		n := m.N()
		e, err := landscape.Energies(context.Background(), m)
		if err != nil {
			t.Fatal(err)
		}
		q := landscape.NewQuencher(m)
		s := make([]int8, n)
		for x := range e {
			models.SetState(s, uint64(x))
			e0 := m.Energy(s)
			_, de := q.Quench(s)
			want := descend(n, e, uint32(x))
			if got := models.StateIndex(s); got != uint64(want) {
				t.Fatalf("%v: quench from %d ends at %d; steepest descent at %d", m, x, got, want)
			}
			if math.Abs(e0+de-e[want]) > 1e-9 {
				t.Fatalf("%v: quench energy change %v; want %v", m, de, e[want]-e0)
			}
		}
	}
}

// TestSample checks sampled landscapes against the exact one on SK, N = 14: both
// methods find the ground state, and every minimum they report is an exact minimum.
func TestSample(t *testing.T) {
	m := models.NewSK(14, 0, models.Gaussian, rng(14))
	ex, err := landscape.Enumerate(context.Background(), m, nil)
	if err != nil {
		t.Fatal(err)
	}
	exact := map[uint64]bool{}
	for _, mn := range ex.Minima {
		exact[models.StateIndex(mn.State)] = true
	}
	for _, method := range []string{landscape.MethodPT, landscape.MethodAnneal} {
		l, err := landscape.Sample(context.Background(), m, landscape.SampleOptions{Method: method, Quenches: 300, Seed: 3, Therm: 200})
		if err != nil {
			t.Fatal(err)
		}
		if l.Exact || !l.Symmetric || l.Total != 300 || l.Tree != nil {
			t.Errorf("%s: %v", method, l)
		}
		if g := l.Ground().Energy; math.Abs(g-ex.Ground().Energy) > 1e-9 {
			t.Errorf("%s: ground energy %v; exact %v", method, g, ex.Ground().Energy)
		}
		var count int64
		for _, mn := range l.Minima {
			if !exact[models.StateIndex(mn.State)] {
				t.Errorf("%s: %v is not an exact minimum", method, mn)
			}
			count += mn.Count
		}
		if count != 300 || l.Count() != 2*len(l.Minima) || l.Count() > len(ex.Minima) {
			t.Errorf("%s: %d quenches counted, %d minima (exact %d)", method, count, l.Count(), len(ex.Minima))
		}
		if gb := l.GroundBasin(); !(gb > 0 && gb <= 1) {
			t.Errorf("%s: ground basin %v", method, gb)
		}
		if b := l.Barriers(); !math.IsNaN(b.Mean) {
			t.Errorf("%s: sampled barriers %+v; want NaN", method, b)
		}
		again, _ := landscape.Sample(context.Background(), m, landscape.SampleOptions{Method: method, Quenches: 300, Seed: 3, Therm: 200, Workers: 1})
		if len(again.Minima) != len(l.Minima) || again.Minima[0].Count != l.Minima[0].Count {
			t.Errorf("%s: not reproducible with one worker", method)
		}
	}
	if _, err := landscape.Sample(context.Background(), m, landscape.SampleOptions{Method: "magic"}); err == nil {
		t.Error("Sample accepted an unknown method")
	}
}

// TestSampleLarge runs the sampled landscape of SK at N = 96 (beyond enumeration).
func TestSampleLarge(t *testing.T) {
	m := models.NewSK(96, 0, models.Gaussian, rng(96))
	l, err := landscape.Sample(context.Background(), m, landscape.SampleOptions{Quenches: 160, Seed: 1, Therm: 300})
	if err != nil {
		t.Fatal(err)
	}
	// docs/references/funnels.md §3: e₀ → −0.763 (N → ∞), finite-N minima lie above.
	if e := l.Ground().Energy / 96; !(e < -0.65 && e > -0.80) {
		t.Errorf("N=96: lowest minimum e = %v; want about −0.7", e)
	}
	if l.Count() < 4 {
		t.Errorf("N=96: only %d minima from 160 quenches", l.Count())
	}
}

func TestFigure(t *testing.T) {
	m := models.NewSK(12, 0, models.Gaussian, rng(12))
	l, err := landscape.Enumerate(context.Background(), m, nil)
	if err != nil {
		t.Fatal(err)
	}
	d, err := l.Disconnectivity(10)
	if err != nil {
		t.Fatal(err)
	}
	leaves := 0
	isParent := map[int]bool{}
	for _, p := range d.Parent {
		isParent[p] = true
	}
	for k := range d.Parent {
		if !isParent[k] {
			leaves++
		}
	}
	if leaves != 10 {
		t.Errorf("pruned tree has %d leaves; want 10", leaves)
	}
	f, err := l.Figure("SK N=12", 10)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := f.EncodePNG(&buf); err != nil || buf.Len() == 0 {
		t.Fatalf("EncodePNG: %v", err)
	}
	s, _ := landscape.Sample(context.Background(), m, landscape.SampleOptions{Quenches: 50, Seed: 1, Therm: 50})
	if _, err := s.Disconnectivity(5); err == nil {
		t.Error("a sampled landscape drew a disconnectivity graph")
	}
	if f, err := s.Figure("sampled", 5); err != nil || len(f.Panels) != 1 {
		t.Errorf("sampled figure: %v, %v", f, err)
	}
}
