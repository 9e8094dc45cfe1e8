package main

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/deepglass/deepglass/models"
	"github.com/deepglass/deepglass/sim"
)

// runCLI runs the command in-process and returns its exit status and output.
func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	rc := run(args, &out, &errb)
	return rc, out.String(), errb.String()
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestBadInput(t *testing.T) {
	badNumber := writeFile(t, "bad.txt", "1 2 1\n2 3 x1.5\n")
	outOfRange := writeFile(t, "gset.txt", "3 2\n1 2 1\n2 9 1\n")
	cases := []struct {
		name string
		args []string
		want []string // substrings of stderr
	}{
		{"bad coupling number", []string{"run", "-couplings", badNumber, "-T", "1"}, []string{"bad.txt:2", "x1.5"}},
		{"site out of range", []string{"run", "-couplings", outOfRange, "-T", "1"}, []string{"gset.txt:3", "9"}},
		{"missing file", []string{"run", "-couplings", "/nonexistent/g.txt", "-T", "1"}, []string{"/nonexistent/g.txt"}},
		{"negative temperature", []string{"run", "-model", "ising", "-lattice", "square:8", "-T", "-1"}, []string{"T:", "-1"}},
		{"negative in list", []string{"run", "-model", "ising", "-lattice", "square:8", "-T", "1,-2"}, []string{"T:", "-2"}},
		{"unknown model", []string{"run", "-model", "potts", "-T", "1"}, []string{"unknown model", "potts"}},
		{"lattice side 1", []string{"run", "-model", "ising", "-lattice", "square:1", "-T", "1"}, []string{"lattice", "side 1 < 2"}},
		{"unknown lattice", []string{"run", "-model", "ising", "-lattice", "hex:8", "-T", "1"}, []string{"lattice", "hex"}},
		{"unknown sampler", []string{"run", "-model", "ising", "-lattice", "square:8", "-T", "1", "-sampler", "gibbs"}, []string{"unknown sampler", "gibbs"}},
		{"wolff on sk", []string{"run", "-model", "sk", "-N", "16", "-T", "1", "-sampler", "wolff"}, []string{"wolff", "sparse"}},
		{"bad T syntax", []string{"run", "-model", "ising", "-lattice", "square:8", "-T", "abc"}, []string{"-T", "abc"}},
		{"unknown flag", []string{"run", "-frobnicate"}, []string{"frobnicate"}},
		{"unknown command", []string{"frobnicate"}, []string{"unknown command"}},
		{"zero sweeps", []string{"run", "-model", "ising", "-lattice", "square:8", "-T", "1", "-sweeps", "0"}, []string{"sweeps"}},
		{"missing config", []string{"run", "/nonexistent/config.yaml"}, []string{"/nonexistent/config.yaml"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rc, _, stderr := runCLI(t, append(c.args, "-out", t.TempDir())...)
			if rc != exitUsage {
				t.Errorf("exit status %d; want %d\nstderr: %s", rc, exitUsage, stderr)
			}
			for _, w := range c.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr %q does not mention %q", stderr, w)
				}
			}
			if strings.Contains(stderr, "panic") || strings.Contains(stderr, "goroutine") {
				t.Errorf("stderr shows a panic: %s", stderr)
			}
		})
	}
}

func TestConfigErrorsReportedTogether(t *testing.T) {
	cfg := writeFile(t, "c.yaml", "model: ising\nlattice: square:1\nT: [-1]\nsampler: nope\nsweeps: 10\n")
	rc, _, stderr := runCLI(t, "run", cfg, "-out", t.TempDir())
	if rc != exitUsage {
		t.Fatalf("exit status %d; want 2", rc)
	}
	for _, w := range []string{"lattice", "T:", "sampler"} {
		if !strings.Contains(stderr, w) {
			t.Errorf("stderr %q does not report %q", stderr, w)
		}
	}
	unknown := writeFile(t, "u.json", `{"model":"ising","lattice":"square:4","T":1,"sampler":"metropolis","sweeps":10,"colour":"red"}`)
	rc, _, stderr = runCLI(t, "run", unknown, "-out", t.TempDir())
	if rc != exitUsage || !strings.Contains(stderr, "colour") {
		t.Errorf("unknown key: exit %d, stderr %q; want 2 naming the key", rc, stderr)
	}
}

func summaryOf(t *testing.T, stdout string) sim.Summary {
	t.Helper()
	var s sim.Summary
	if err := json.Unmarshal([]byte(stdout), &s); err != nil {
		t.Fatalf("summary JSON: %v\n%s", err, stdout)
	}
	return s
}

// TestKaufman runs the command of the core issue's first check at temperatures in the
// ordered, critical and disordered regimes and compares the energy per spin with
// Kaufman's exact finite-lattice value: |mean - exact| < 4σ, σ from the run's own
// error bar.
func TestKaufman(t *testing.T) {
	cases := []struct {
		sampler string
		L       int
		T       string
		sweeps  string
	}{
		{"metropolis", 16, "2.3", "200000"},
		{"metropolis", 16, "1.5,2.269185314213022,3.5", "100000"},
		{"heatbath", 16, "2.3", "200000"},
		{"heatbath", 8, "2.0,2.6,5", "100000"},
		{"wolff", 32, "2.3", "200000"},
		{"wolff", 32, "2.0,2.269185314213022,3.0", "50000"},
		{"sw", 16, "2.269185314213022,2.6", "50000"},
	}
	if testing.Short() {
		cases = cases[:1]
	}
	for _, c := range cases {
		lat := "square:" + strconv.Itoa(c.L)
		rc, stdout, stderr := runCLI(t, "run", "-model", "ising", "-lattice", lat, "-T", c.T,
			"-sampler", c.sampler, "-sweeps", c.sweeps, "-therm", "2000", "-seed", "1", "-json", "-out", t.TempDir())
		if rc != 0 {
			t.Fatalf("%s %s T=%s: exit %d: %s", c.sampler, lat, c.T, rc, stderr)
		}
		s := summaryOf(t, stdout)
		if s.Perf.NsPerUpdate <= 0 || s.Perf.SpinUpdates <= 0 {
			t.Errorf("perf not reported: %+v", s.Perf)
		}
		for _, p := range s.Points {
			want := models.Kaufman(c.L, c.L, 1/p.T).E
			z := (p.Energy.Mean - want) / p.Energy.Err
			t.Logf("%-10s L=%-3d T=%-8.4g e=%v exact=%.6f z=%+.2f τ=%.1f", c.sampler, c.L, p.T, p.Energy, want, z, p.Energy.Tau)
			if !(math.Abs(z) < 4) {
				t.Errorf("%s L=%d T=%g: e = %v, Kaufman %.8f: %.1fσ away", c.sampler, c.L, p.T, p.Energy, want, z)
			}
			if p.Exact == nil || p.Exact.Source != "kaufman" || p.Exact.Energy != want {
				t.Errorf("summary exact = %+v; want Kaufman %.8f", p.Exact, want)
			}
		}
	}
}

func TestRunDirectory(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	rc, stdout, stderr := runCLI(t, "run", "-model", "sk", "-N", "12", "-J0", "0.5", "-T", "0.8,1.5",
		"-sampler", "heatbath", "-sweeps", "20000", "-therm", "500", "-seed", "7", "-out", dir)
	if rc != 0 {
		t.Fatalf("exit %d: %s", rc, stderr)
	}
	if !strings.Contains(stdout, "exact e") {
		t.Errorf("table lacks the exact column for N ≤ 20:\n%s", stdout)
	}
	for _, f := range []string{"config.json", "summary.json", "series.csv"} {
		if st, err := os.Stat(filepath.Join(dir, f)); err != nil || st.Size() == 0 {
			t.Errorf("%s missing or empty: %v", f, err)
		}
	}
	b, _ := os.ReadFile(filepath.Join(dir, "config.json"))
	var cfg map[string]any
	if err := json.Unmarshal(b, &cfg); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"seed", "version", "model", "T", "bonds"} {
		if _, ok := cfg[k]; !ok {
			t.Errorf("config.json lacks %q: %s", k, b)
		}
	}
	csv, _ := os.ReadFile(filepath.Join(dir, "series.csv"))
	lines := strings.Split(strings.TrimSpace(string(csv)), "\n")
	if lines[0] != "T,bin,sweeps,energy,energy2,abs_magnetization,m2,m4" || len(lines) < 100 {
		t.Errorf("series.csv: header %q, %d lines", lines[0], len(lines))
	}
	// The run is reproducible: the same seed gives the same numbers.
	b1, _ := os.ReadFile(filepath.Join(dir, "summary.json"))
	dir2 := filepath.Join(t.TempDir(), "run2")
	runCLI(t, "run", "-model", "sk", "-N", "12", "-J0", "0.5", "-T", "0.8,1.5",
		"-sampler", "heatbath", "-sweeps", "20000", "-therm", "500", "-seed", "7", "-out", dir2, "-threads", "1")
	b2, _ := os.ReadFile(filepath.Join(dir2, "summary.json"))
	var s1, s2 sim.Summary
	json.Unmarshal(b1, &s1)
	json.Unmarshal(b2, &s2)
	for k := range s1.Points {
		if s1.Points[k].Energy != s2.Points[k].Energy || s1.Points[k].Binder != s2.Points[k].Binder {
			t.Errorf("point %d differs between 2 threads and 1: %+v vs %+v", k, s1.Points[k].Energy, s2.Points[k].Energy)
		}
	}
}

func TestVersionAndHelp(t *testing.T) {
	if rc, out, _ := runCLI(t, "version"); rc != 0 || !strings.Contains(out, sim.Version) {
		t.Errorf("version: %d %q", rc, out)
	}
	if rc, _, errOut := runCLI(t, "run", "-h"); rc != 0 || !strings.Contains(errOut, "-sampler") {
		t.Errorf("run -h: %d %q", rc, errOut)
	}
	if rc, _, _ := runCLI(t); rc != exitUsage {
		t.Errorf("no arguments: exit %d; want 2", rc)
	}
}

// TestDefaultDemo runs `deepglass run` with no argument: the embedded demo must agree
// with Kaufman's solution at every temperature. Its wall time (about 6 s on a quiet
// machine) is logged, not tested: tests share the machine, and speed is a benchmark's
// business.
func TestDefaultDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the full demo")
	}
	start := time.Now()
	rc, stdout, stderr := runCLI(t, "run", "-json", "-out", t.TempDir())
	if rc != 0 {
		t.Fatalf("exit %d: %s", rc, stderr)
	}
	t.Logf("demo took %v", time.Since(start))
	s := summaryOf(t, stdout)
	if len(s.Points) < 5 {
		t.Fatalf("demo has %d points", len(s.Points))
	}
	for _, p := range s.Points {
		if z := (p.Energy.Mean - p.Exact.Energy) / p.Energy.Err; !(math.Abs(z) < 4) {
			t.Errorf("demo T=%g: e = %v vs Kaufman %.6f (%.1fσ)", p.T, p.Energy, p.Exact.Energy, z)
		}
	}
}
