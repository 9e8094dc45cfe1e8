package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestFlagsWithoutEffect: flags that do nothing for the chosen model or sampler were
// accepted silently; now each is an error naming the flag (exit 2).
func TestFlagsWithoutEffect(t *testing.T) {
	ising := []string{"run", "-model", "ising", "-lattice", "square:8", "-T", "2", "-sweeps", "100", "-seed", "1"}
	resumable := filepath.Join(t.TempDir(), "run")
	if rc, _, stderr := runCLI(t, append(ising, "-out", resumable)...); rc != exitOK {
		t.Fatalf("a plain run: exit %d: %s", rc, stderr)
	}
	cases := []struct {
		args []string
		want string
	}{
		{append(ising, "-N", "100"), "-N"},
		{append(ising, "-target", "-2"), "-target"},
		{append(ising, "-samples", "4"), "-samples"},
		{append(ising, "-move", "heatbath"), "-move"},
		{append(ising, "-lanes", "512"), "-lanes"},
		{append(ising, "-threads", "-3"), "-threads"},
		{append(ising, "-checkpoint-every", "-5s"), "-checkpoint-every"},
		{append(ising, "-sampler", "wolff", "-order", "random"), "-order"},
		{append(ising, "-sampler", "anneal", "-start", "random"), "-start"},
		{[]string{"run", "-model", "sk", "-N", "16", "-T", "1", "-lattice", "square:4"}, "-lattice"},
		{[]string{"run", "-resume", resumable, "-sweeps", "10"}, "-sweeps"},
		{[]string{"run", "-resume", resumable, "-T", "3"}, "-T"},
	}
	for _, c := range cases {
		rc, _, stderr := runCLI(t, c.args...)
		if rc != exitUsage || !strings.Contains(stderr, c.want) {
			t.Errorf("%q: exit %d, stderr %q; want exit 2 naming %s", c.args, rc, stderr, c.want)
		}
	}
}

// TestSeedDrawnAndRecorded: runs without -seed all used seed 0, so "independent" runs
// were identical; now a seed is drawn, printed and recorded in config.json.
func TestSeedDrawnAndRecorded(t *testing.T) {
	seeds := map[uint64]bool{}
	for k := range 2 {
		dir := filepath.Join(t.TempDir(), "run")
		rc, _, stderr := runCLI(t, "run", "-model", "ising", "-lattice", "square:4", "-T", "2", "-sweeps", "100", "-out", dir)
		if rc != exitOK {
			t.Fatalf("run %d: exit %d: %s", k, rc, stderr)
		}
		b, err := os.ReadFile(filepath.Join(dir, "config.json"))
		if err != nil {
			t.Fatal(err)
		}
		var cfg struct {
			Seed uint64 `json:"seed"`
		}
		if err := json.Unmarshal(b, &cfg); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(stderr, "seed "+strconv.FormatUint(cfg.Seed, 10)) {
			t.Errorf("run %d: seed %d recorded but not printed: %q", k, cfg.Seed, stderr)
		}
		seeds[cfg.Seed] = true
	}
	if len(seeds) != 2 {
		t.Errorf("two runs without -seed used the same seed %v", seeds)
	}
}

// TestOutAndMemoryExitUsage: a reused -out directory and a run too large for the
// machine are refused with exit 2 and a message saying what to do.
func TestOutAndMemoryExitUsage(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	base := []string{"run", "-model", "ising", "-lattice", "square:4", "-T", "2", "-sweeps", "100", "-seed", "1", "-out", dir}
	if rc, _, stderr := runCLI(t, base...); rc != exitOK {
		t.Fatalf("first run: exit %d: %s", rc, stderr)
	}
	rc, _, stderr := runCLI(t, "run", "-model", "ea", "-lattice", "square:4", "-T", "2", "-sweeps", "100", "-seed", "1", "-out", dir)
	if rc != exitUsage || !strings.Contains(stderr, "not empty") || !strings.Contains(stderr, "-out") {
		t.Errorf("second study into %s: exit %d, %q; want exit 2 saying to choose a new -out", dir, rc, stderr)
	}
	rc, _, stderr = runCLI(t, "run", "-model", "sk", "-N", "65536", "-T", "1", "-sweeps", "10", "-seed", "1", "-out", filepath.Join(t.TempDir(), "big"))
	if rc != exitUsage || !strings.Contains(stderr, "GiB") {
		t.Errorf("sk N=65536 (64 GiB of couplings): exit %d, %q; want exit 2 with the memory it needs", rc, stderr)
	}
}
