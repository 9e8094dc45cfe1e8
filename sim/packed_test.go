package sim

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/deepglass/deepglass/models"
	"github.com/deepglass/deepglass/sampler"
)

// checkExact fails t unless every point's energy is within 4σ of the exact value the
// run attached.
func checkExact(t *testing.T, name string, sum *Summary, source string) {
	t.Helper()
	for _, p := range sum.Points {
		if p.Exact == nil || (source != "" && p.Exact.Source != source) {
			t.Fatalf("%s T=%g: exact = %+v; want %s values", name, p.T, p.Exact, source)
		}
		z := (p.Energy.Mean - p.Exact.Energy) / p.Energy.Err
		t.Logf("%s T=%g: e = %v, exact %.6f (%+.1fσ)", name, p.T, p.Energy, p.Exact.Energy, z)
		if !(math.Abs(z) < 4) {
			t.Errorf("%s T=%g: e = %v, exact %.6f: %.1fσ", name, p.T, p.Energy, p.Exact.Energy, z)
		}
	}
}

// TestPackedRunExact runs packed metropolis and pt through Run on lattices and on a
// graph read from an edge-list file, against exact enumeration.
func TestPackedRunExact(t *testing.T) {
	rng := rand.New(sampler.NewStream(3, sampler.PurposeDisorder, 0, 0))
	var bonds []models.Bond
	for i := range 14 {
		for j := i + 1; j < 14; j++ {
			if rng.Float64() < 0.35 {
				bonds = append(bonds, models.Bond{I: i, J: j, W: float64(1 - 2*rng.IntN(2))})
			}
		}
	}
	graph := writeEdgeList(t, models.NewSparse(14, bonds, nil))
	for _, c := range []Config{
		{Model: "ising", Lattice: "square:4", T: Temperatures{2, 3}, Sampler: "metropolis", Therm: 500, Sweeps: 10000, Seed: 1},
		{Model: "ea", Lattice: "square:4", T: Temperatures{0.8, 1.5}, Sampler: "metropolis", Therm: 500, Sweeps: 10000, Seed: 2, Replicas: 2},
		{Model: "ea", Lattice: "cubic:2", T: Temperatures{0.7, 1.1, 1.7}, Sampler: "pt", Therm: 500, Sweeps: 10000, Seed: 3},
		{Couplings: graph, T: Temperatures{0.5, 0.8, 1.3, 2}, Sampler: "pt", Therm: 500, Sweeps: 10000, Seed: 4},
		{Model: "ea", Lattice: "square:4", T: Temperatures{0.8, 2}, Sampler: "metropolis", Therm: 500, Sweeps: 3000, Seed: 5, Replicas: 2, Lanes: 512},
		{Model: "ea", Lattice: "cubic:2", T: Temperatures{0.7, 1.1, 1.7}, Sampler: "pt", Therm: 500, Sweeps: 3000, Seed: 6, Lanes: 512},
	} {
		c.Packed = true
		sum, err := Run(context.Background(), c, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if want := max(c.Lanes, 64); sum.Lanes != want {
			t.Errorf("summary lanes = %d; want %d", sum.Lanes, want)
		}
		checkExact(t, c.Model+"/"+c.Sampler, sum, "enumeration")
		if c.Replicas >= 2 || c.Sampler == "pt" {
			for _, p := range sum.Points {
				if p.Q2 == nil || p.LinkOverlap == nil || !(p.Q2.Mean > 0 && p.Q2.Mean <= 1) {
					t.Errorf("%s T=%g: overlaps missing or out of range: q2 %v, ql %v", c.Model, p.T, p.Q2, p.LinkOverlap)
				}
			}
		}
	}
}

// TestPackedPTEdgeList is issue 4's check: packed pt on a 2D ±J L = 8 instance given
// as an edge-list file reproduces the exact transfer-matrix energies and the scalar pt
// results on the same instance.
func TestPackedPTEdgeList(t *testing.T) {
	if testing.Short() {
		t.Skip("two PT runs of a few seconds")
	}
	p := models.NewEA(models.Square(8), models.PlusMinus, rand.New(sampler.NewStream(7, sampler.PurposeDisorder, 0, 0)))
	c := Config{Couplings: writeEdgeList(t, p), T: Temperatures{0.5, 0.6, 0.72, 0.85, 1, 1.25, 1.6, 2},
		Sampler: "pt", Therm: 2000, Sweeps: 10000, Seed: 7, Packed: true}
	packed, err := Run(context.Background(), c, Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkExact(t, "packed pt", packed, "transfer matrix")
	c.Packed, c.Sweeps = false, 30000
	scalar, err := Run(context.Background(), c, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for k, a := range packed.Points {
		b := scalar.Points[k]
		for _, o := range []struct {
			name string
			x, y float64
			ex   float64
		}{
			{"e", a.Energy.Mean, b.Energy.Mean, math.Hypot(a.Energy.Err, b.Energy.Err)},
			{"q2", a.Q2.Mean, b.Q2.Mean, math.Hypot(a.Q2.Err, b.Q2.Err)},
			{"q_l", a.LinkOverlap.Mean, b.LinkOverlap.Mean, math.Hypot(a.LinkOverlap.Err, b.LinkOverlap.Err)},
		} {
			if z := (o.x - o.y) / o.ex; !(math.Abs(z) < 4) {
				t.Errorf("T=%g %s: packed %.5f, scalar %.5f (%.1fσ)", a.T, o.name, o.x, o.y, z)
			}
		}
	}
}

// TestPackedThreadsAndResume checks that packed runs do not depend on the number of
// threads, and that an interrupted packed run resumes to the uninterrupted summary
// (these runs choose measure_every themselves; the last is interrupted while its pilot
// records).
func TestPackedThreadsAndResume(t *testing.T) {
	for _, c := range []Config{
		{Model: "ea", Lattice: "cubic:4", T: Temperatures{0.9, 1.2, 1.6, 2.2}, Sampler: "pt",
			Therm: 200, Sweeps: 2000, Samples: 2, Seed: 9, Packed: true},
		{Model: "ea", Lattice: "square:6", T: Temperatures{0.9, 1.6}, Sampler: "metropolis", Replicas: 2,
			Therm: 200, Sweeps: 1000, Samples: 2, Seed: 10, Packed: true, Lanes: 512},
		{Model: "ea", Lattice: "cubic:3", T: Temperatures{0.9, 1.3, 2}, Sampler: "pt",
			Therm: 200, Sweeps: 2000, Seed: 12, Packed: true, Lanes: 512},
		// interrupted inside the pilot window of the automatic measure_every
		{Model: "ising", Lattice: "square:8", T: Temperatures{2.3}, Sampler: "metropolis",
			Therm: 2000, Sweeps: 2400, Seed: 11, Packed: true},
	} {
		testPackedThreadsAndResume(t, c)
	}
}

func testPackedThreadsAndResume(t *testing.T, c Config) {
	full := t.TempDir()
	if _, err := Run(context.Background(), c, Options{Out: full, Threads: 1}); err != nil {
		t.Fatal(err)
	}
	two := t.TempDir()
	if _, err := Run(context.Background(), c, Options{Out: two, Threads: 2}); err != nil {
		t.Fatal(err)
	}
	if a, b := comparableSummary(t, full), comparableSummary(t, two); !reflect.DeepEqual(a, b) {
		t.Errorf("1 and 2 threads differ")
	}
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	var stopped atomic.Bool
	_, err := Run(ctx, c, Options{Out: dir, Threads: 2, Progress: func(done, total int64) {
		if done >= int64(c.Sweeps)/2 && stopped.CompareAndSwap(false, true) {
			cancel()
		}
	}})
	cancel()
	if !errors.Is(err, ErrInterrupted) {
		t.Fatalf("interrupted run: %v", err)
	}
	if _, err := Run(context.Background(), c, Options{Out: dir, Resume: true}); err != nil {
		t.Fatalf("resume: %v", err)
	}
	if a, b := comparableSummary(t, full), comparableSummary(t, dir); !reflect.DeepEqual(a, b) {
		t.Errorf("resumed packed run differs from the uninterrupted one")
	}
}

func TestPackedConfigErrors(t *testing.T) {
	dir := t.TempDir()
	mixed := filepath.Join(dir, "mixed.txt")
	os.WriteFile(mixed, []byte("1 2 1\n2 3 0.5\n"), 0o644)
	for _, tc := range []struct {
		c    Config
		want string
	}{
		{Config{Model: "sk", N: 10, T: Temperatures{1}, Sampler: "metropolis", Sweeps: 10}, "±J models"},
		{Config{Model: "ea", Lattice: "square:4", Bonds: "gauss", T: Temperatures{1}, Sampler: "metropolis", Sweeps: 10}, "bonds pm"},
		{Config{Model: "ising", Lattice: "square:4", Field: 0.1, T: Temperatures{1}, Sampler: "metropolis", Sweeps: 10}, "field"},
		{Config{Model: "ising", Lattice: "square:4", T: Temperatures{1}, Sampler: "wolff", Sweeps: 10}, "metropolis, pt, anneal or pa"},
		{Config{Model: "ea", Lattice: "square:4", T: Temperatures{1, 2}, Sampler: "pt", Move: "heatbath", Sweeps: 10}, "composes metropolis"},
		{Config{Model: "ea", Lattice: "square:4", T: Temperatures{1}, Sampler: "metropolis", Order: "random", Sweeps: 10}, "sweep sites in order typewriter"},
		{Config{Model: "ea", Lattice: "square:32", T: Temperatures{1}, Sampler: "metropolis", Order: "typewriter", Sweeps: 10}, "sweep sites in order row-checkerboard"},
		{Config{Model: "ea", Lattice: "cubic:16", T: Temperatures{1}, Sampler: "pt", Order: "random", Sweeps: 10}, "sweep sites in order row-checkerboard"},
		{Config{Couplings: mixed, T: Temperatures{1}, Sampler: "metropolis", Sweeps: 10}, "one |J|"},
		{Config{Model: "ea", Lattice: "square:4", T: Temperatures{1}, Sampler: "metropolis", Sweeps: 10, Lanes: 100}, "64 or 512"},
		{Config{Model: "ising", Lattice: "chain:16", T: Temperatures{1, 2}, Sampler: "pt", Sweeps: 10, Lanes: 512}, "wide kernels"},
	} {
		tc.c.Packed = true
		_, err := Run(context.Background(), tc.c, Options{})
		if err == nil || !IsInputError(err) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: %v; want an input error containing %q", tc.c, err, tc.want)
		}
	}
}
