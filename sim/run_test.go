package sim

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"testing"
)

// TestRunMatchesExact runs every sampler on small models whose exact averages come from
// enumeration and requires |mean − exact| < 4σ for the energy, and for ⟨|m|⟩ and U₄
// where the run reports them.
func TestRunMatchesExact(t *testing.T) {
	cfgs := []Config{
		{Model: "ising", Lattice: "square:4", T: Temperatures{1.5, 2.269185314213022, 4}, Sampler: "metropolis", Order: "random"},
		{Model: "ising", Lattice: "square:4", Field: 0.3, T: Temperatures{2.5}, Sampler: "heatbath"},
		{Model: "ea", Lattice: "square:4", Bonds: "gauss", T: Temperatures{0.7, 2}, Sampler: "metropolis"},
		{Model: "ea", Lattice: "cubic:2", Bonds: "pm", T: Temperatures{1}, Sampler: "sw"},
		{Model: "sk", N: 12, J0: 1.5, T: Temperatures{0.6, 1.4}, Sampler: "heatbath"},
		{Model: "mattis", N: 10, T: Temperatures{0.8}, Sampler: "metropolis"},
		{Model: "hopfield", N: 12, Patterns: 2, T: Temperatures{0.5}, Sampler: "heatbath", Order: "random"},
	}
	for _, c := range cfgs {
		// 10⁶ sweeps: at T = 0.7 the 4×4 Gaussian glass hops between valleys on a time
		// scale near 10⁴ sweeps, which a run of 10⁵ sweeps samples too rarely to see in
		// its own autocorrelation function (τ_int read 6 there, 48 over 10⁶ sweeps).
		c.Therm, c.Sweeps, c.Seed = 1000, 1000000, 11
		sum, err := Run(context.Background(), c, Options{})
		if err != nil {
			t.Fatalf("%s: %v", c, err)
		}
		for _, p := range sum.Points {
			ex := p.Exact
			if ex == nil || ex.Source != "enumeration" {
				t.Fatalf("%s: no exact values", c)
			}
			check := func(name string, got float64, err float64, want float64) {
				if z := (got - want) / err; !(math.Abs(z) < 4) {
					t.Errorf("%s T=%g %s = %.6f ± %.6f; exact %.6f (%.1fσ)", c.Model, p.T, name, got, err, want, z)
				}
			}
			check("e", p.Energy.Mean, p.Energy.Err, ex.Energy)
			check("c", p.SpecificHeat.Mean, p.SpecificHeat.Err, ex.SpecificHeat)
			check("|m|", p.AbsMagnetization.Mean, p.AbsMagnetization.Err, *ex.AbsMagnetization)
			check("U4", p.Binder.Mean, p.Binder.Err, *ex.Binder)
		}
	}
}

func TestRunThreadsIndependent(t *testing.T) {
	c := Config{Model: "ea", Lattice: "square:6", Bonds: "pm", T: Temperatures{0.8, 1.2, 2, 3}, Sampler: "metropolis",
		Therm: 100, Sweeps: 2000, Seed: 5}
	a, err := Run(context.Background(), c, Options{Threads: 1})
	if err != nil {
		t.Fatal(err)
	}
	b, err := Run(context.Background(), c, Options{Threads: 3})
	if err != nil {
		t.Fatal(err)
	}
	for k := range a.Points {
		pa, pb := a.Points[k], b.Points[k]
		if pa.Energy != pb.Energy || pa.Binder != pb.Binder || pa.Acceptance != pb.Acceptance {
			t.Errorf("T=%g: 1 thread %v, 3 threads %v", pa.T, pa.Energy, pb.Energy)
		}
	}
	c.Seed = 6
	d, _ := Run(context.Background(), c, Options{Threads: 1})
	if d.Points[0].Energy == a.Points[0].Energy {
		t.Error("a different seed gave identical results")
	}
}

func TestRunCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	dir := t.TempDir()
	c := Config{Model: "ising", Lattice: "square:8", T: Temperatures{2}, Sampler: "metropolis", Sweeps: 1000000}
	sum, err := Run(ctx, c, Options{Out: dir})
	if !errors.Is(err, context.Canceled) || sum == nil || !sum.Interrupted {
		t.Fatalf("Run on a cancelled context: %v, %+v", err, sum)
	}
	b, err := os.ReadFile(filepath.Join(dir, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	var s Summary
	if err := json.Unmarshal(b, &s); err != nil || !s.Interrupted {
		t.Errorf("summary.json of an interrupted run: %v %s", err, b)
	}
}

func TestGroundStateCut(t *testing.T) {
	// A 4-cycle with w = 1 on every edge: the best cut takes all 4 edges. (Heat bath, as
	// typewriter Metropolis cycles deterministically through the E = 0 states of a
	// 4-cycle when ΔE = 0 flips are always accepted and uphill ones are rare.)
	dir := t.TempDir()
	p := filepath.Join(dir, "c4.txt")
	os.WriteFile(p, []byte("4 4\n1 2 1\n2 3 1\n3 4 1\n4 1 1\n"), 0o644)
	c := Config{Couplings: p, T: Temperatures{0.3}, Sampler: "heatbath", Sweeps: 100, Seed: 1}
	sum, err := Run(context.Background(), c, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if g := sum.GroundState; g == nil || g.Cut == nil || *g.Cut != 4 || g.Energy != -1 {
		t.Errorf("ground state %+v; want cut 4, energy −1 per spin", g)
	}
}
