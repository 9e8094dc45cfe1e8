package sim

import (
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/deepglass/deepglass/analysis"
)

// checkExactPA requires the free energy and the energy of every point within 4σ of the
// exact values of the point (Kaufman, the transfer matrix, enumeration).
func checkExactPA(t *testing.T, name string, sum *Summary, source string) {
	t.Helper()
	for _, p := range sum.Points {
		if p.Exact == nil || p.Exact.FreeEnergy == nil || p.FreeEnergy == nil {
			t.Fatalf("%s T=%g: no free energy or no exact value (%+v)", name, p.T, p.Exact)
		}
		if !strings.HasPrefix(p.Exact.Source, source) {
			t.Errorf("%s T=%g: exact values from %q, want %q", name, p.T, p.Exact.Source, source)
		}
		for _, q := range []struct {
			what string
			got  analysis.Estimate
			want float64
		}{{"f", *p.FreeEnergy, *p.Exact.FreeEnergy}, {"e", p.Energy, p.Exact.Energy}} {
			z := (q.got.Mean - q.want) / q.got.Err
			t.Logf("%s T=%g: %s = %v, exact %.7f, z = %.2f", name, p.T, q.what, q.got, q.want, z)
			if !(q.got.Err > 0) || math.Abs(z) > 4 {
				t.Errorf("%s T=%g: %s = %v is %.1fσ from the exact %.7f", name, p.T, q.what, q.got, z, q.want)
			}
		}
		if p.PA == nil || p.PA.RhoT <= 0 || p.PA.FamilyEntropy <= 0 || p.PA.RhoTLimit != float64(p.PA.R)/100 {
			t.Errorf("%s T=%g: equilibration measures missing: %+v", name, p.T, p.PA)
		}
		if p.Entropy == nil || math.Abs(p.Entropy.Mean-(p.Energy.Mean-p.FreeEnergy.Mean)/p.T) > 1e-9 {
			t.Errorf("%s T=%g: entropy %v is not (e − f)/T", name, p.T, p.Entropy)
		}
	}
}

// TestPAIsingKaufman: the free energy and the energy of the 16×16 Ising torus across
// T_c within 4σ of Kaufman's exact solution, with packed populations (and scalar ones on
// 8×8, cheaper).
func TestPAIsingKaufman(t *testing.T) {
	for _, c := range []Config{
		{Model: "ising", Lattice: "square:16", Sampler: "pa", Packed: true, T: Temperatures{3, 2.5, 2.269185314213022, 2, 1.5},
			Population: 2048, Replicas: 8, Sweeps: 10, Seed: 3},
		{Model: "ising", Lattice: "square:8", Sampler: "pa", T: Temperatures{3, 2.269185314213022, 1.5},
			Population: 500, Replicas: 8, Sweeps: 5, Seed: 4},
	} {
		sum, err := Run(context.Background(), c, Options{Threads: 2})
		if err != nil {
			t.Fatal(err)
		}
		checkExactPA(t, c.Lattice, sum, "kaufman")
	}
}

// TestPAEATransferMatrix: the free energy and the energy of one 6×6 ±J instance within 4σ
// of the row transfer matrix, and of a 4×4 Gaussian instance within 4σ of enumeration
// (scalar heat-bath populations).
func TestPAEATransferMatrix(t *testing.T) {
	for _, c := range []Config{
		{Model: "ea", Lattice: "square:6", Sampler: "pa", T: Temperatures{2, 1.2, 0.8, 0.5},
			Population: 500, Replicas: 16, Sweeps: 10, Seed: 5},
		{Model: "ea", Lattice: "square:4", Bonds: "gauss", Sampler: "pa", Move: "heatbath", T: Temperatures{1.5, 0.6},
			Population: 500, Replicas: 8, Sweeps: 5, Seed: 6},
	} {
		sum, err := Run(context.Background(), c, Options{Threads: 2})
		if err != nil {
			t.Fatal(err)
		}
		src := "transfer matrix"
		if c.Bonds == "gauss" {
			src = "enumeration"
		}
		checkExactPA(t, c.Lattice+" "+c.Bonds, sum, src)
	}
}

// TestPAAgreesWithPT: on one 4×4×4 ±J instance, pa's energies and ⟨q²⟩ (overlaps between
// populations) agree with parallel tempering's (overlaps between two ladders) within
// 4σ of the combined error.
func TestPAAgreesWithPT(t *testing.T) {
	T := Temperatures{2, 1.6, 1.3, 1.1, 0.9}
	pa := Config{Model: "ea", Lattice: "cubic:4", Sampler: "pa", Packed: true, T: T, Population: 1024, Replicas: 8, Sweeps: 20, Seed: 7}
	pt := Config{Model: "ea", Lattice: "cubic:4", Sampler: "pt", Packed: true, T: T, Therm: 5000, Sweeps: 20000, Replicas: 2, Seed: 7}
	a, err := Run(context.Background(), pa, Options{Threads: 2})
	if err != nil {
		t.Fatal(err)
	}
	b, err := Run(context.Background(), pt, Options{Threads: 2})
	if err != nil {
		t.Fatal(err)
	}
	for k := range T {
		p, q := a.Points[k], b.Points[k]
		if math.Abs(p.T-q.T) > 1e-12 { // pt reports 1/β
			t.Fatalf("points %d at T = %g and %g", k, p.T, q.T)
		}
		for _, x := range []struct {
			what string
			a, b analysis.Estimate
		}{{"e", p.Energy, q.Energy}, {"q²", *p.Q2, *q.Q2}} {
			s := math.Hypot(x.a.Err, x.b.Err)
			z := (x.a.Mean - x.b.Mean) / s
			t.Logf("T=%g %s: pa %v, pt %v, z = %.2f", p.T, x.what, x.a, x.b, z)
			if !(s > 0) || math.Abs(z) > 4 {
				t.Errorf("T=%g: %s of pa %v and pt %v differ by %.1fσ", p.T, x.what, x.a, x.b, z)
			}
		}
	}
}

// interruptPA runs c into dir and cancels it once a third of its progress is done; it
// requires the interruption and the checkpoint.
func interruptPA(t *testing.T, c Config, dir string, opts Options) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var calls atomic.Int64
	opts.Out = dir
	opts.Progress = func(done, total int64) {
		if done > total/3 && calls.Add(1) == 1 {
			cancel()
		}
	}
	sum, err := Run(ctx, c, opts)
	if !errors.Is(err, ErrInterrupted) || sum == nil || !sum.Interrupted {
		t.Fatalf("interrupted run returned %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, checkpointName)); err != nil {
		t.Fatalf("no checkpoint: %v", err)
	}
}

// pointsJSON returns the points as JSON (NaN as null, so that equal results compare
// equal).
func pointsJSON(t *testing.T, ps []Point) string {
	t.Helper()
	b, err := analysis.MarshalJSON(ps)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestPAResume: runs interrupted in the middle of an anneal and resumed (with another
// number of threads) give the uninterrupted results bit for bit: scalar populations with
// Gaussian couplings (energies tracked in floating point), and packed ones.
func TestPAResume(t *testing.T) {
	for _, c := range []Config{
		{Model: "ea", Lattice: "square:6", Bonds: "gauss", Sampler: "pa", T: Temperatures{1.5, 0.7}, Population: 300, Replicas: 4, Sweeps: 5, Samples: 3, Seed: 8},
		{Model: "ea", Lattice: "cubic:4", Sampler: "pa", Packed: true, T: Temperatures{1.5, 0.9}, Population: 256, Replicas: 4, Sweeps: 10, Samples: 3, Seed: 9},
	} {
		want, err := Run(context.Background(), c, Options{Threads: 2})
		if err != nil {
			t.Fatal(err)
		}
		dir := filepath.Join(t.TempDir(), "run")
		interruptPA(t, c, dir, Options{Threads: 2})
		got, err := Run(context.Background(), c, Options{Out: dir, Threads: 1, Resume: true})
		if err != nil {
			t.Fatalf("%s: resume: %v", c.Lattice, err)
		}
		if a, b := pointsJSON(t, got.Points), pointsJSON(t, want.Points); a != b {
			t.Errorf("%s: resumed run differs:\n%s\nuninterrupted:\n%s", c.Lattice, a, b)
		}
		if _, err := os.Stat(filepath.Join(dir, checkpointName)); !os.IsNotExist(err) {
			t.Errorf("%s: checkpoint left after the resumed run finished (%v)", c.Lattice, err)
		}
	}
}

// TestPAPeriodicCheckpoint: a checkpoint written by -checkpoint-every in the middle of
// an anneal resumes to the uninterrupted result (a run killed after it was written).
func TestPAPeriodicCheckpoint(t *testing.T) {
	c := Config{Model: "ea", Lattice: "square:8", Sampler: "pa", T: Temperatures{1.2, 0.6}, Population: 400, Replicas: 4, Sweeps: 5, Seed: 10}
	want, err := Run(context.Background(), c, Options{Threads: 2})
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "run")
	saved := filepath.Join(t.TempDir(), "saved.bin")
	old := writeCheckpointFile
	defer func() { writeCheckpointFile = old }()
	var copied atomic.Bool
	writeCheckpointFile = func(path string, ck *Checkpoint) error {
		if err := old(path, ck); err != nil {
			return err
		}
		if copied.CompareAndSwap(false, true) {
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			return os.WriteFile(saved, b, 0o644)
		}
		return nil
	}
	if _, err := Run(context.Background(), c, Options{Out: dir, Threads: 2, CheckpointEvery: 1}); err != nil {
		t.Fatal(err)
	}
	writeCheckpointFile = old
	if !copied.Load() {
		t.Fatal("no periodic checkpoint was written")
	}
	b, err := os.ReadFile(saved)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, checkpointName), b, 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := Run(context.Background(), c, Options{Out: dir, Threads: 1, Resume: true})
	if err != nil {
		t.Fatal(err)
	}
	if a, b := pointsJSON(t, got.Points), pointsJSON(t, want.Points); a != b {
		t.Errorf("run resumed from a periodic checkpoint differs:\n%s\nuninterrupted:\n%s", a, b)
	}
}

// TestPAShards: the shards of a pa study, aggregated, give the unsharded summary, and
// the disorder average carries the free energy, its exact value and ρ_t.
func TestPAShards(t *testing.T) {
	c := Config{Model: "ea", Lattice: "square:4", Sampler: "pa", T: Temperatures{1.5, 0.7}, Population: 200, Replicas: 4, Sweeps: 5, Samples: 3, Seed: 11}
	want, err := Run(context.Background(), c, Options{Threads: 2})
	if err != nil {
		t.Fatal(err)
	}
	var dirs []string
	for i := range 2 {
		dir := filepath.Join(t.TempDir(), "shard")
		if _, err := Run(context.Background(), c, Options{Out: dir, Threads: 1, Shard: i, Shards: 2}); err != nil {
			t.Fatal(err)
		}
		dirs = append(dirs, dir)
	}
	got, _, err := Aggregate(dirs, false)
	if err != nil {
		t.Fatal(err)
	}
	if a, b := pointsJSON(t, got.Points), pointsJSON(t, want.Points); a != b {
		t.Errorf("aggregated shards differ:\n%s\nunsharded:\n%s", a, b)
	}
	for _, p := range want.Points {
		if p.Samples != 3 || p.FreeEnergy == nil || p.PA == nil || p.Exact == nil || p.Exact.FreeEnergy == nil {
			t.Errorf("T=%g: disorder average lacks pa's fields: %+v", p.T, p)
		}
	}
}

// TestPAThreadsIndependent: the same seed gives the same numbers on 1 and 2 threads.
func TestPAThreadsIndependent(t *testing.T) {
	c := Config{Model: "sk", N: 32, Sampler: "pa", T: Temperatures{1, 0.5}, Population: 200, Replicas: 4, Sweeps: 3, Seed: 12}
	a, err := Run(context.Background(), c, Options{Threads: 1})
	if err != nil {
		t.Fatal(err)
	}
	b, err := Run(context.Background(), c, Options{Threads: 2})
	if err != nil {
		t.Fatal(err)
	}
	if x, y := pointsJSON(t, a.Points), pointsJSON(t, b.Points); x != y {
		t.Errorf("1 and 2 threads differ:\n%s\n%s", x, y)
	}
}

// TestPARefusals: settings pa cannot honour are refused, naming the field.
func TestPARefusals(t *testing.T) {
	base := Config{Model: "ising", Lattice: "square:8", Sampler: "pa", T: Temperatures{2, 1}, Sweeps: 10, Seed: 1}
	for _, tc := range []struct {
		name string
		set  func(c *Config)
		want string
	}{
		{"therm", func(c *Config) { c.Therm = 100 }, "therm"},
		{"measure every", func(c *Config) { c.MeasureEvery = 2 }, "measure_every"},
		{"one population", func(c *Config) { c.Replicas = 1 }, "replicas"},
		{"population", func(c *Config) { c.Population = 1 }, "population"},
		{"overlap", func(c *Config) { c.PAOverlap = 1.5 }, "pa_overlap"},
		{"resampling", func(c *Config) { c.Resampling = "systematic" }, "resampling"},
		{"move", func(c *Config) { c.Move = "wolff" }, "move"},
		{"packed heatbath", func(c *Config) { c.Packed, c.Move = true, "heatbath" }, "packed"},
		{"wide lanes", func(c *Config) { c.Packed, c.Lanes = true, 512 }, "lanes"},
		{"start", func(c *Config) { c.Start = "random" }, "start"},
		{"bins", func(c *Config) { c.Bins = 10 }, "bins"},
		{"ladder", func(c *Config) { c.Ladder = "feedback" }, "ladder"},
		{"repeated T", func(c *Config) { c.T = Temperatures{2, 1, 2} }, "T"},
		{"no sweeps", func(c *Config) { c.Sweeps = 0 }, "sweeps"},
		{"population for pt", func(c *Config) { c.Sampler, c.Population = "pt", 100 }, "population"},
	} {
		c := base
		tc.set(&c)
		c.Defaults()
		err := c.Validate()
		if err == nil || !strings.Contains(err.Error(), tc.want+":") {
			t.Errorf("%s: Validate = %v, want an error naming %s", tc.name, err, tc.want)
		}
	}
	c := base
	c.Defaults()
	if err := c.Validate(); err != nil {
		t.Errorf("the base config is refused: %v", err)
	}
	if c.Replicas != 8 || c.Population != 1000 || c.Move != "metropolis" || c.Resampling != "nearest" || c.PAOverlap != 0.85 {
		t.Errorf("defaults: %+v", c)
	}
	c = base
	c.Packed = true
	c.Defaults()
	if c.Population != 1024 {
		t.Errorf("packed default population %d, want 1024", c.Population)
	}
}
