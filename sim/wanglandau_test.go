package sim

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/deepglass/deepglass/analysis"
	"github.com/deepglass/deepglass/models"
)

// TestWangLandauIsing16Run: `-sampler wanglandau` on the 16×16 Ising torus gives ln g
// within 4σ of Beale's exact density of states in every level, and c(T) within 4σ of
// Kaufman's solution (docs/references/funnels.md §4); the deviations are converted
// from Student's t with 7 degrees of freedom (8 walks) to normal deviates.
func TestWangLandauIsing16Run(t *testing.T) {
	temps := Temperatures{1.5, 2, 2.269185, 2.5, 3.5}
	c := Config{Model: "ising", Lattice: "square:16", Sampler: "wanglandau", T: temps, Sweeps: 30000, Seed: 1}
	sum, err := Run(context.Background(), c, Options{Threads: 2})
	if err != nil {
		t.Fatal(err)
	}
	d := sum.DensityOfStates
	if d == nil {
		t.Fatal("no density_of_states")
	}
	if len(sum.Warnings) > 0 {
		t.Errorf("warnings: %v", sum.Warnings)
	}
	if d.Walks != 8 || !d.Grid || d.WindowSource != "bound" || !strings.HasPrefix(d.ExactSource, "Beale") {
		t.Errorf("walks %d, grid %v, window %s, exact %q", d.Walks, d.Grid, d.WindowSource, d.ExactSource)
	}
	// Every level but the empty ±(2N − 4): 255 of the 257 on the grid.
	if len(d.E) != 255 || len(d.ExactLnG) != len(d.E) {
		t.Fatalf("%d levels, %d exact", len(d.E), len(d.ExactLnG))
	}
	ex, err := models.ExactIsingDOS(16, 16)
	if err != nil {
		t.Fatal(err)
	}
	beale := map[float64]float64{}
	for k, l := range ex.LnG() {
		beale[float64(ex.E[k])/256] = l
	}
	for k, e := range d.E {
		if want := beale[e]; d.ExactLnG[k] != want {
			t.Fatalf("e = %g: exact ln g %v in the summary, Beale %v", e, d.ExactLnG[k], want)
		}
	}
	checkLnG(t, "Ising 16×16 vs Beale", d)
	for _, p := range d.Thermo {
		k := models.Kaufman(16, 16, 1/p.T)
		for _, q := range []struct {
			name      string
			got, want float64
			err       float64
		}{{"c", p.C.Mean, k.C, p.C.Err}, {"e", p.E.Mean, k.E, p.E.Err}} {
			if z := tToNormal((q.got-q.want)/q.err, d.Walks-1); !(math.Abs(z) < 4) {
				t.Errorf("T=%g: %s = %.6f ± %.2g, Kaufman %.6f (as unlikely as %.1fσ)", p.T, q.name, q.got, q.err, q.want, z)
			}
		}
		if math.Abs(p.Exact.C-k.C) > 1e-9 || math.Abs(p.Exact.E-k.E) > 1e-9 {
			t.Errorf("T=%g: Beale's c %.10f, e %.10f; Kaufman's %.10f, %.10f", p.T, p.Exact.C, p.Exact.E, k.C, k.E)
		}
	}
}

// TestWangLandauResume: a Wang–Landau run interrupted and resumed from its checkpoint
// gives the same summary as an uninterrupted one, bit for bit, on the p-spin model
// (whose walks keep incremental local fields) and on a lattice.
func TestWangLandauResume(t *testing.T) {
	for _, c := range []Config{
		{Model: "pspin", N: 12, P: 3, Sampler: "wanglandau", T: Temperatures{0.5, 1}, Sweeps: 6000, Replicas: 3, Seed: 4},
		{Model: "ea", Lattice: "square:6", Sampler: "wanglandau", T: Temperatures{0.8, 2}, Sweeps: 6000, Replicas: 2, Seed: 5},
	} {
		want, err := Run(context.Background(), c, Options{Threads: 2})
		if err != nil {
			t.Fatal(err)
		}
		dir := filepath.Join(t.TempDir(), "run")
		ctx, cancel := context.WithCancel(context.Background())
		var calls atomic.Int64
		_, err = Run(ctx, c, Options{Out: dir, Threads: 2, Progress: func(done, total int64) {
			if done > total/3 && calls.Add(1) == 1 {
				cancel()
			}
		}})
		cancel()
		if !errors.Is(err, ErrInterrupted) {
			t.Fatalf("%s: interrupted run returned %v", c.Model, err)
		}
		if _, err := os.Stat(filepath.Join(dir, checkpointName)); err != nil {
			t.Fatalf("%s: no checkpoint: %v", c.Model, err)
		}
		got, err := Run(context.Background(), c, Options{Out: dir, Threads: 1, Resume: true})
		if err != nil {
			t.Fatalf("%s: resume: %v", c.Model, err)
		}
		if !reflect.DeepEqual(got.DensityOfStates, want.DensityOfStates) {
			a, _ := json.Marshal(got.DensityOfStates)
			b, _ := json.Marshal(want.DensityOfStates)
			t.Errorf("%s: resumed run differs:\n%s\nuninterrupted:\n%s", c.Model, a, b)
		}
		if _, err := os.Stat(filepath.Join(dir, checkpointName)); !os.IsNotExist(err) {
			t.Errorf("%s: checkpoint left after the resumed run finished (%v)", c.Model, err)
		}
		if _, err := os.Stat(filepath.Join(dir, "dos.csv")); err != nil {
			t.Errorf("%s: %v", c.Model, err)
		}
	}
}

// TestWangLandauPeriodicCheckpoint: a run with -checkpoint-every leaves checkpoints
// that resume to the uninterrupted result (a run killed after one was written).
func TestWangLandauPeriodicCheckpoint(t *testing.T) {
	c := Config{Model: "rem", N: 14, Sampler: "wanglandau", T: Temperatures{0.5, 1}, Sweeps: 40000, Replicas: 2, Seed: 6}
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
	if _, err := Run(context.Background(), c, Options{Out: dir, Threads: 2, CheckpointEvery: 5 * time.Millisecond}); err != nil {
		t.Fatal(err)
	}
	if !copied.Load() {
		t.Skip("the run finished before its first periodic checkpoint")
	}
	// Pretend the run was killed after that checkpoint.
	b, err := os.ReadFile(saved)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, checkpointName), b, 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := Run(context.Background(), c, Options{Out: dir, Threads: 2, Resume: true})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.DensityOfStates, want.DensityOfStates) {
		t.Errorf("resumed from a periodic checkpoint: %v; uninterrupted: %v", got.DensityOfStates, want.DensityOfStates)
	}
}

// TestWangLandauRefusals: configs wanglandau cannot run are refused naming the field.
func TestWangLandauRefusals(t *testing.T) {
	for _, tc := range []struct {
		c    Config
		want string
	}{
		{Config{Model: "sk", N: 10, Sampler: "wanglandau", T: Temperatures{1}, Sweeps: 100, Replicas: 1, Seed: 1}, "replicas"},
		{Config{Model: "sk", N: 10, Sampler: "wanglandau", T: Temperatures{1}, Sweeps: 100, Samples: 2, Seed: 1}, "samples"},
		{Config{Model: "sk", N: 10, Sampler: "wanglandau", T: Temperatures{1}, Sweeps: 100, Bins: 1, Seed: 1}, "bins"},
		{Config{Model: "sk", N: 10, Sampler: "metropolis", T: Temperatures{1}, Sweeps: 100, Bins: 20, Seed: 1}, "-bins has no effect"},
		{Config{Model: "ising", Lattice: "square:4", Sampler: "wanglandau", T: Temperatures{1}, Sweeps: 100, Packed: true, Seed: 1}, "packed"},
		{Config{Model: "ising", Lattice: "square:4", Sampler: "wanglandau", T: Temperatures{1}, Sweeps: 100, Start: "random", Seed: 1}, "-start has no effect"},
	} {
		_, err := Run(context.Background(), tc.c, Options{})
		if err == nil || !IsInputError(err) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: %v; want an input error mentioning %q", tc.c, err, tc.want)
		}
	}
}

// TestWangLandauBinnedPSpin: on an N = 20 p-spin instance (continuous energies,
// binned over the window annealing finds) ln g agrees with enumeration in the same
// bins (docs/references/funnels.md §5), and e(T) and c(T) with the exact binned
// density of states.
func TestWangLandauBinnedPSpin(t *testing.T) {
	c := Config{Model: "pspin", N: 20, P: 3, Sampler: "wanglandau", T: Temperatures{0.5, 1, 2}, Sweeps: 20000, Bins: 40, Seed: 2}
	sum, err := Run(context.Background(), c, Options{Threads: 2})
	if err != nil {
		t.Fatal(err)
	}
	d := sum.DensityOfStates
	if len(sum.Warnings) > 0 {
		t.Errorf("warnings: %v", sum.Warnings)
	}
	if d.Grid || d.WindowSource != "annealing" || d.ExactSource != "enumeration" || len(d.E) < 30 {
		t.Fatalf("grid %v, window %s, exact %q, %d bins", d.Grid, d.WindowSource, d.ExactSource, len(d.E))
	}
	checkLnG(t, "p-spin N=20 vs enumeration", d)
	for _, p := range d.Thermo {
		for _, q := range []struct {
			name string
			got  analysis.Estimate
			want float64
		}{{"e", p.E, p.Exact.E}, {"c", p.C, p.Exact.C}, {"f", p.F, p.Exact.F}} {
			z := tToNormal((q.got.Mean-q.want)/q.got.Err, d.Walks-1)
			t.Logf("T=%g: %s = %v, exact (same bins) %.6f, as unlikely as %+.2fσ", p.T, q.name, q.got, q.want, z)
			if !(math.Abs(z) < 4) {
				t.Errorf("T=%g: %s = %v, exact (same bins) %.6f: as unlikely as %.1fσ", p.T, q.name, q.got, q.want, z)
			}
		}
	}
}

// checkLnG compares the density of states of a run with the exact one in the same
// bins with the tolerance of docs/references/funnels.md §5: every bin's deviation,
// t = (ln g − exact)/(error over the walks), as unlikely as less than 4σ (Student's t
// with walks − 1 degrees of freedom), and the mean of t² over the bins in [0.2, 3]
// (ν/(ν−2) = 1.4 expected for 8 walks), so that the error bars are neither far too
// small nor far too large.
func checkLnG(t *testing.T, name string, d *DensityOfStates) {
	t.Helper()
	worst, t2 := 0.0, 0.0
	for k := range d.E {
		tk := (d.LnG[k] - d.ExactLnG[k]) / d.LnGErr[k]
		t2 += tk * tk
		if z := tToNormal(tk, d.Walks-1); !(math.Abs(z) <= math.Abs(worst)) {
			worst = z
		}
	}
	t2 /= float64(len(d.E))
	t.Logf("%s: ln g over %d bins: worst deviation as unlikely as %.2fσ, mean t² = %.2f", name, len(d.E), worst, t2)
	if !(math.Abs(worst) < 4) || !(t2 >= 0.2 && t2 <= 3) {
		t.Errorf("%s: ln g: worst deviation as unlikely as %.1fσ, mean t² = %.2f (want < 4σ and 0.2…3)", name, worst, t2)
	}
}
