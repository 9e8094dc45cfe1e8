package sim

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
)

// comparable returns the summary.json of dir without the fields that measure time.
func comparableSummary(t *testing.T, dir string) map[string]any {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	delete(m, "perf")
	if gs, ok := m["ground_state"].(map[string]any); ok {
		delete(gs, "seconds")
	}
	return m
}

func studyConfig() Config {
	return Config{Model: "ea", Lattice: "square:4", Bonds: "gauss", T: Temperatures{0.6, 0.9, 1.4, 2},
		Sampler: "pt", Therm: 500, Sweeps: 3000, Samples: 5, Seed: 21}
}

func TestShardsAggregateExactly(t *testing.T) {
	c := studyConfig()
	full := t.TempDir()
	if _, err := Run(context.Background(), c, Options{Out: full}); err != nil {
		t.Fatal(err)
	}
	var dirs []string
	for i := 0; i < 3; i++ {
		d := t.TempDir()
		if _, err := Run(context.Background(), c, Options{Out: d, Shard: i, Shards: 3, Threads: 1 + i%2}); err != nil {
			t.Fatalf("shard %d: %v", i, err)
		}
		dirs = append(dirs, d)
	}
	sum, samples, err := Aggregate(dirs, false)
	if err != nil {
		t.Fatal(err)
	}
	agg := t.TempDir()
	if err := WriteAggregate(agg, c, sum, samples); err != nil {
		t.Fatal(err)
	}
	if a, b := comparableSummary(t, full), comparableSummary(t, agg); !reflect.DeepEqual(a, b) {
		t.Errorf("aggregated shards differ from the unsharded run:\n%v\n%v", a, b)
	}
	for _, f := range []string{"pq.csv", "equilibration.csv"} {
		a, _ := os.ReadFile(filepath.Join(full, f))
		b, _ := os.ReadFile(filepath.Join(agg, f))
		if len(a) == 0 || string(a) != string(b) {
			t.Errorf("%s differs or is empty (%d vs %d bytes)", f, len(a), len(b))
		}
	}
	if _, _, err := Aggregate(dirs[:2], false); err == nil || !strings.Contains(err.Error(), "missing") {
		t.Errorf("aggregating 2 of 3 shards: %v; want a missing-samples error", err)
	}
	if _, _, err := Aggregate([]string{dirs[0], dirs[0]}, false); err == nil || !strings.Contains(err.Error(), "both") {
		t.Errorf("aggregating a shard twice: %v; want a duplicate error", err)
	}
}

// TestResumeBitIdentical interrupts runs at several points (with periodic checkpoints
// in between), resumes them, and requires the summary of an uninterrupted run.
func TestResumeBitIdentical(t *testing.T) {
	for _, c := range []Config{
		studyConfig(),
		{Model: "sk", N: 24, T: Temperatures{0.5, 1, 1.5}, Sampler: "heatbath", Replicas: 2, Therm: 300, Sweeps: 4000, Samples: 2, Seed: 4},
		{Model: "ising", Lattice: "square:8", T: Temperatures{2.2, 2.4}, Sampler: "wolff", Therm: 100, Sweeps: 5000, Seed: 2},
	} {
		full := t.TempDir()
		if _, err := Run(context.Background(), c, Options{Out: full}); err != nil {
			t.Fatal(err)
		}
		for _, stopAt := range []int64{1, 700, 4000} {
			dir := t.TempDir()
			ctx, cancel := context.WithCancel(context.Background())
			var stopped atomic.Bool
			opts := Options{Out: dir, Progress: func(done, total int64) {
				if done >= stopAt && stopped.CompareAndSwap(false, true) {
					cancel()
				}
			}}
			_, err := Run(ctx, c, opts)
			cancel()
			if err == nil {
				continue // finished before the progress report could stop it
			}
			if !errors.Is(err, ErrInterrupted) {
				t.Fatalf("%s: %v", c.Model, err)
			}
			if _, err := os.Stat(filepath.Join(dir, checkpointName)); err != nil {
				t.Fatalf("no checkpoint after an interrupt: %v", err)
			}
			if _, err := Run(context.Background(), c, Options{Out: dir, Resume: true}); err != nil {
				t.Fatalf("resume: %v", err)
			}
			if a, b := comparableSummary(t, full), comparableSummary(t, dir); !reflect.DeepEqual(a, b) {
				t.Errorf("%s stopped at %d: resumed run differs from the uninterrupted one", c.Model, stopAt)
			}
			if _, err := os.Stat(filepath.Join(dir, checkpointName)); err == nil {
				t.Errorf("checkpoint left behind by a finished run")
			}
		}
	}
}

func TestResumeRefusesOtherConfig(t *testing.T) {
	c := studyConfig()
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	Run(ctx, c, Options{Out: dir})
	c.Seed++
	_, err := Run(context.Background(), c, Options{Out: dir, Resume: true})
	if err == nil || !IsInputError(err) || !strings.Contains(err.Error(), "different config") {
		t.Errorf("resuming with another seed: %v; want an input error about the config", err)
	}
	os.WriteFile(filepath.Join(dir, checkpointName), []byte("DGCK garbage"), 0o644)
	os.Remove(filepath.Join(dir, checkpointName+".prev"))
	c.Seed--
	if _, err := Run(context.Background(), c, Options{Out: dir, Resume: true}); err == nil || !IsInputError(err) {
		t.Errorf("resuming a corrupt checkpoint: %v; want an input error", err)
	}
}

func TestPeriodicCheckpoints(t *testing.T) {
	c := studyConfig()
	c.Sweeps = 20000
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var sawCheckpoint atomic.Bool
	opts := Options{Out: dir, CheckpointEvery: 20e6, Progress: func(done, total int64) {
		if _, err := os.Stat(filepath.Join(dir, checkpointName)); err == nil {
			sawCheckpoint.Store(true)
			cancel()
		}
	}}
	Run(ctx, c, opts)
	if !sawCheckpoint.Load() {
		t.Skip("the run finished before the first periodic checkpoint (slow machine)")
	}
	ck, err := ReadCheckpoint(filepath.Join(dir, checkpointName), ConfigHash(c))
	if err != nil {
		t.Fatal(err)
	}
	if len(ck.Names()) < 2 {
		t.Errorf("checkpoint has sections %v", ck.Names())
	}
}

// TestAdaptiveLadders runs pt with the adaptive ladders: they keep the end temperatures,
// report the ladder they chose, and the constant-acceptance ladder evens out the swap
// acceptances of a geometric one.
func TestAdaptiveLadders(t *testing.T) {
	spread := map[string]float64{}
	for _, ladder := range []string{"fixed", "constant", "feedback"} {
		c := Config{Model: "sk", N: 32, T: Temperatures{0.3, 0.4, 0.55, 0.75, 1, 1.4, 2}, Sampler: "pt",
			Ladder: ladder, Therm: 4000, Sweeps: 4000, Seed: 2}
		sum, err := Run(context.Background(), c, Options{})
		if err != nil {
			t.Fatalf("%s: %v", ladder, err)
		}
		pts := sum.Points
		if pts[0].T != 0.3 || pts[len(pts)-1].T != 2 {
			t.Errorf("%s: end temperatures %g, %g; want 0.3, 2", ladder, pts[0].T, pts[len(pts)-1].T)
		}
		if sum.Tempering == nil || len(sum.Tempering.T) != len(pts) {
			t.Fatalf("%s: no tempering diagnostics", ladder)
		}
		lo, hi := 1.0, 0.0
		for _, p := range pts[1:] {
			lo, hi = min(lo, *p.SwapAcceptance), max(hi, *p.SwapAcceptance)
		}
		spread[ladder] = hi - lo
	}
	if !(spread["constant"] < spread["fixed"]) {
		t.Errorf("constant-acceptance ladder spread %.3f not below the fixed ladder's %.3f", spread["constant"], spread["fixed"])
	}
}
