package main

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestMIBadInput(t *testing.T) {
	cases := []struct {
		name string
		args []string
		want string // in stderr
	}{
		{"no input", []string{"mi"}, "no input"},
		{"unit", []string{"mi", "corpus:pi", "-unit", "syllable"}, "-unit"},
		{"method", []string{"mi", "corpus:pi", "-method", "magic"}, "-method"},
		{"blocks", []string{"mi", "corpus:pi", "-blocks", "1"}, "-blocks"},
		{"fit", []string{"mi", "corpus:pi", "-fit", "5"}, "-fit"},
		{"fit order", []string{"mi", "corpus:pi", "-fit", "9:8"}, "-fit"},
		{"dmax", []string{"mi", "corpus:pi", "-dmax", "-3"}, "-dmax"},
		{"vocab", []string{"mi", "corpus:pi", "-vocab", "1"}, "-vocab"},
		{"missing file", []string{"mi", "no/such/file.txt"}, "no/such/file.txt"},
		{"unknown corpus", []string{"mi", "corpus:klingon"}, "klingon"},
		{"bad key", []string{"mi", "markov:k=2,colour=red"}, "colour"},
		{"bad value", []string{"mi", "tree:q=1"}, "q=1"},
		{"bad matrix", []string{"mi", "markov:P=0.5:0.6/0.5:0.5"}, "sums to"},
		{"not key=value", []string{"mi", "ising:L=8,T"}, `"T"`},
		{"ising dmax", []string{"mi", "ising:L=8,n=4", "-dmax", "8"}, "-dmax"},
		{"too short", []string{"mi", "markov:n=100", "-dmax", "200"}, "d = 99"},
		{"unknown flag", []string{"mi", "corpus:pi", "-frobnicate"}, "frobnicate"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rc, _, stderr := runCLI(t, c.args...)
			if rc != exitUsage || !strings.Contains(stderr, c.want) {
				t.Errorf("%v: rc %d, stderr %q; want rc %d naming %q", c.args, rc, stderr, exitUsage, c.want)
			}
		})
	}
	if rc, out, _ := runCLI(t, "help", "mi"); rc != exitOK || !strings.Contains(out, "deepglass mi FILE|SPEC") {
		t.Errorf("help mi: rc %d, %q", rc, out)
	}
	if rc, _, stderr := runContextCLI(t, canceled(), "mi", "ising:L=64,n=100"); rc != exitInterrupted || !strings.Contains(stderr, "interrupted") {
		t.Errorf("cancelled: rc %d, stderr %q; want %d", rc, stderr, exitInterrupted)
	}
}

func canceled() context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return ctx
}

// runContextCLI is runCLI with a context.
func runContextCLI(t *testing.T, ctx context.Context, args ...string) (int, string, string) {
	t.Helper()
	var out, errb strings.Builder
	rc := runContext(ctx, args, &out, &errb)
	return rc, out.String(), errb.String()
}

// TestMIMarkov runs deepglass mi on a Markov chain and checks summary.json: the
// fields the issue names, I(d) against the exact values it carries, and the fit.
func TestMIMarkov(t *testing.T) {
	dir := t.TempDir()
	rc, out, errb := runCLI(t, "mi", "markov:k=3,lambda=0.9,n=300000", "-dmax", "40", "-seed", "3", "-out", dir, "-json")
	if rc != exitOK {
		t.Fatalf("rc %d, stderr %s", rc, errb)
	}
	data, err := os.ReadFile(filepath.Join(dir, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.TrimSpace(out) != strings.TrimSpace(string(data)) {
		t.Error("-json output differs from summary.json")
	}
	var s struct {
		Seed   uint64 `json:"seed"`
		Method string `json:"method"`
		MI     struct {
			D     []int     `json:"d"`
			I     []float64 `json:"I"`
			Err   []float64 `json:"err"`
			Exact []float64 `json:"exact"`
		} `json:"mi"`
		Fit struct {
			Model       string  `json:"model"`
			Exponent    float64 `json:"exponent"`
			ExponentErr float64 `json:"exponent_err"`
			DMin        int     `json:"dmin"`
			DMax        int     `json:"dmax"`
			Preferred   string  `json:"preferred"`
			DeltaAIC    float64 `json:"delta_aic"`
			Power       struct {
				Exponent float64 `json:"exponent"`
			} `json:"power"`
		} `json:"fit"`
		Inputs []json.RawMessage `json:"inputs"`
	}
	if err := json.Unmarshal(data, &s); err != nil {
		t.Fatalf("summary.json: %v\n%s", err, data)
	}
	if s.Seed != 3 || s.Method != "shuffle+jackknife" || len(s.Inputs) != 1 || len(s.MI.D) != 34 || len(s.MI.Exact) != 34 {
		t.Fatalf("summary: seed %d, method %q, %d inputs, %d distances, %d exact", s.Seed, s.Method, len(s.Inputs), len(s.MI.D), len(s.MI.Exact))
	}
	for i, d := range s.MI.D {
		if z := (s.MI.I[i] - s.MI.Exact[i]) / s.MI.Err[i]; math.Abs(z) > 4 {
			t.Errorf("I(%d) = %g ± %g; exact %g", d, s.MI.I[i], s.MI.Err[i], s.MI.Exact[i])
		}
	}
	// Distances 1…32, 35, 38 (DefaultDistances). I ∝ λ^{2d}: an exponential with rate 2 ln λ = −0.2107 is preferred.
	if s.Fit.Model != "exponential" || s.Fit.Preferred != "exponential" || s.Fit.DMin != 1 || math.Abs(s.Fit.Exponent-2*math.Log(0.9)) > 4*s.Fit.ExponentErr+0.02 {
		t.Errorf("fit: %+v", s.Fit)
	}
	for _, f := range []string{"mi.png", "mi.svg"} {
		if st, err := os.Stat(filepath.Join(dir, f)); err != nil || st.Size() == 0 {
			t.Errorf("%s: %v", f, err)
		}
	}
}

// TestMITableAndIsing runs two inputs (a file and Ising configurations above T_c)
// and checks the table and the correlation-length fields.
func TestMITableAndIsing(t *testing.T) {
	dir := t.TempDir()
	text := filepath.Join(dir, "text.txt")
	if err := os.WriteFile(text, []byte(strings.Repeat("the quick brown fox jumps over the lazy dog. ", 400)), 0o644); err != nil {
		t.Fatal(err)
	}
	rc, out, errb := runCLI(t, "mi", text, "ising:L=16,T=3,n=64", "-dmax", "8", "-fit", "1:6", "-out", dir)
	if rc != exitOK {
		t.Fatalf("rc %d, stderr %s", rc, errb)
	}
	for _, want := range []string{"text.txt", "ising:L=16,T=3,n=64", "I (bits)", "correlation length ξ", "ΔAIC"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	data, err := os.ReadFile(filepath.Join(dir, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	var s struct {
		MI     any `json:"mi"`
		Inputs []struct {
			Kind string `json:"kind"`
			Fit  struct {
				Xi      *float64 `json:"xi"`
				XiExact *float64 `json:"xi_exact"`
			} `json:"fit"`
		} `json:"inputs"`
	}
	if err := json.Unmarshal(data, &s); err != nil {
		t.Fatal(err)
	}
	if s.MI != nil || len(s.Inputs) != 2 || s.Inputs[1].Kind != "ising" || s.Inputs[1].Fit.XiExact == nil ||
		math.Abs(*s.Inputs[1].Fit.XiExact-1/(2*(math.Atanh(math.Exp(-2.0/3))-1.0/3))) > 1e-12 {
		t.Errorf("summary: %s", data)
	}
}
