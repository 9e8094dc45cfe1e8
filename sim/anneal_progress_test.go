package sim

import (
	"context"
	"sync"
	"testing"
	"time"
)

// TestAnnealProgress: an annealing run reports the share of its time limit used,
// rising to the limit when the search ends, and where it stopped when interrupted.
func TestAnnealProgress(t *testing.T) {
	var mu sync.Mutex
	var got [][2]int64
	report := func(done, total int64) {
		mu.Lock()
		got = append(got, [2]int64{done, total})
		mu.Unlock()
	}
	c := Config{Model: "ea", Lattice: "square:6", Bonds: "pm", T: Temperatures{1}, Sampler: "anneal", TimeLimit: 0.3,
		AnnealSweeps: 50, Seed: 1}
	if _, err := Run(context.Background(), c, Options{Progress: report, Threads: 1}); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(got) < 2 {
		t.Fatalf("%d progress reports in 0.3 s; want about 3", len(got))
	}
	for i, r := range got {
		if r[1] != 300 || r[0] < 0 || r[0] > r[1] || i > 0 && r[0] < got[i-1][0] {
			t.Fatalf("report %d: %v (all: %v)", i, r, got)
		}
	}
	if last := got[len(got)-1]; last[0] != last[1] {
		t.Errorf("last report %v; want the search done", last)
	}

	got = got[:0]
	stop := annealProgress(func(d, tot int64) { got = append(got, [2]int64{d, tot}) }, time.Hour)
	stop(false)
	if len(got) != 1 || got[0][0] >= got[0][1] {
		t.Errorf("interrupted at once: reports %v; want one, far from the limit", got)
	}
	annealProgress(nil, time.Second)(true) // no report function: nothing to do
}
