package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLandscapeCLI(t *testing.T) {
	dir := t.TempDir()
	rc, out, errb := runCLI(t, "landscape", "-model", "sk", "-N", "12", "-out", dir)
	if rc != exitOK {
		t.Fatalf("rc = %d; stderr %s", rc, errb)
	}
	if !strings.Contains(out, "exact landscape") || !strings.Contains(out, "ground basin") {
		t.Errorf("table:\n%s", out)
	}
	data, err := os.ReadFile(filepath.Join(dir, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	var s struct {
		Model     string `json:"model"`
		N         int    `json:"n"`
		Landscape struct {
			Method       string                       `json:"method"`
			States       int64                        `json:"states"`
			Minima       int                          `json:"minima"`
			Symmetric    bool                         `json:"symmetric"`
			GroundEnergy float64                      `json:"ground_energy"`
			GroundBasin  float64                      `json:"ground_basin"`
			Barriers     *struct{ Mean, Max float64 } `json:"barriers"`
			Lowest       []struct {
				Energy  float64  `json:"energy"`
				Barrier *float64 `json:"barrier"`
			} `json:"lowest"`
		} `json:"landscape"`
	}
	if err := json.Unmarshal(data, &s); err != nil {
		t.Fatalf("summary.json: %v\n%s", err, data)
	}
	l := s.Landscape
	if s.Model != "sk" || s.N != 12 || l.Method != "exact" || l.States != 4096 || !l.Symmetric || l.Minima < 2 || l.Minima%2 != 0 {
		t.Errorf("summary: %s", data)
	}
	if !(l.GroundEnergy < -0.3 && l.GroundEnergy > -1) || !(l.GroundBasin > 0 && l.GroundBasin <= 1) || l.Barriers == nil {
		t.Errorf("summary: %s", data)
	}
	if len(l.Lowest) == 0 || l.Lowest[0].Barrier != nil || l.Lowest[0].Energy != l.GroundEnergy {
		t.Errorf("lowest minima: %s", data)
	}
	for _, f := range []string{"minima.csv", "landscape.png", "landscape.svg"} {
		if st, err := os.Stat(filepath.Join(dir, f)); err != nil || st.Size() == 0 {
			t.Errorf("%s: %v", f, err)
		}
	}
	// Sampled mode, JSON to stdout, and a model with a reference state.
	rc, out, errb = runCLI(t, "landscape", "-model", "planted", "-N", "40", "-J0", "2", "-quenches", "64", "-therm", "100", "-json")
	if rc != exitOK {
		t.Fatalf("planted: rc = %d; stderr %s", rc, errb)
	}
	if !strings.Contains(out, `"method": "pt"`) || !strings.Contains(out, `"reference": "planted pattern"`) || !strings.Contains(out, `"barriers": null`) {
		t.Errorf("planted -json:\n%s", out)
	}
	rc, _, errb = runCLI(t, "landscape", "-couplings", filepath.Join("..", "..", "testdata", "ea4x4_pm.txt"), "-model", "graph")
	if rc != exitOK {
		t.Errorf("-couplings: rc = %d; stderr %s", rc, errb)
	}
	for _, m := range [][]string{{"-model", "rem", "-N", "10"}, {"-model", "funnel", "-N", "10", "-epsilon", "1.2"}, {"-model", "grem", "-levels", "5,5", "-shares", "0.7,0.3"},
		{"-model", "pspin", "-N", "10", "-p", "4"}, {"-model", "mattis", "-N", "10"}, {"-model", "ea", "-lattice", "square:3", "-bonds", "pm"},
		{"-model", "pspin", "-N", "30", "-p", "3", "-degree", "3", "-method", "anneal", "-quenches", "20"}} {
		if rc, _, errb := runCLI(t, append([]string{"landscape"}, m...)...); rc != exitOK {
			t.Errorf("%v: rc = %d; stderr %s", m, rc, errb)
		}
	}
}

func TestLandscapeCLIErrors(t *testing.T) {
	if rc, out, _ := runCLI(t, "landscape", "-h"); rc != exitOK || !strings.Contains(out, "disconnectivity") {
		t.Errorf("-h: rc = %d, output %q", rc, out)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-model", "potts"}, "unknown model"},
		{[]string{"-model", "spherical", "-p", "7", "-N", "10"}, "-p 7"}, // dispatched to the spherical landscape
		{[]string{"-model", "sk", "-N", "1"}, "-N"},
		{[]string{"-model", "rem", "-N", "70"}, "-N"},
		{[]string{"-model", "rem", "-N", "30", "-mode", "exact"}, "-mode exact"},
		{[]string{"-model", "grem", "-levels", "5,5", "-shares", "0.5,0.6"}, "shares"},
		{[]string{"-model", "pspin", "-N", "10", "-p", "1"}, "p = 1"},
		{[]string{"-model", "sk", "-mode", "fast"}, "-mode"},
		{[]string{"-model", "sk", "-N", "30", "-method", "magic"}, "-method"},
		{[]string{"-model", "sk", "-N", "30", "-T", "0:1:4"}, "-T"},
		{[]string{"-couplings", "/nonexistent/g.txt"}, "/nonexistent/g.txt"},
		{[]string{"-couplings", "x.txt", "-model", "sk"}, "implies -model graph"},
		{[]string{"-frobnicate"}, "frobnicate"},
		{[]string{"-model", "sk", "extra"}, "unexpected argument"},
		{[]string{"-model", "funnel", "-J", "0"}, "-J"},
	} {
		rc, _, errb := runCLI(t, append([]string{"landscape"}, c.args...)...)
		if rc != exitUsage || !strings.Contains(errb, c.want) {
			t.Errorf("%v: rc = %d, stderr %q; want %d mentioning %q", c.args, rc, errb, exitUsage, c.want)
		}
	}
	if got := modelArg([]string{"-N", "3", "--model=spherical"}); got != "spherical" {
		t.Errorf("modelArg = %q", got)
	}
	if got := modelArg([]string{"-model", "rem"}); got != "rem" {
		t.Errorf("modelArg = %q", got)
	}
}

func TestLandscapeInterrupted(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out, errb bytes.Buffer
	if rc := runContext(ctx, []string{"landscape", "-model", "rem", "-N", "20"}, &out, &errb); rc != exitInterrupted {
		t.Errorf("rc = %d; want %d (stderr %q)", rc, exitInterrupted, errb.String())
	}
}
