package main

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRGBadFlags(t *testing.T) {
	cases := []struct {
		name string
		args []string
		want string // in stderr
	}{
		{"no subcommand", []string{"rg"}, "Usage"},
		{"unknown subcommand", []string{"rg", "nosuch"}, "unknown subcommand"},
		{"unknown flag", []string{"rg", "mcrg", "-frobnicate"}, "frobnicate"},
		{"side", []string{"rg", "mcrg", "-L", "1"}, "-L"},
		{"dimension", []string{"rg", "block", "-d", "4"}, "-d"},
		{"temperature", []string{"rg", "mcrg", "-T", "-2"}, "-T"},
		{"two temperatures", []string{"rg", "mcrg", "-T", "2,3"}, "-T"},
		{"bad T", []string{"rg", "block", "-T", "warm"}, "-T"},
		{"rule", []string{"rg", "mcrg", "-rule", "vote"}, "-rule"},
		{"block side", []string{"rg", "mcrg", "-L", "64", "-b", "3"}, "-b"},
		{"levels", []string{"rg", "mcrg", "-L", "64", "-levels", "6"}, "-levels"},
		{"last side", []string{"rg", "mcrg", "-L", "64", "-levels", "5"}, "levels 5"},
		{"couplings", []string{"rg", "mcrg", "-couplings", "6"}, "-couplings"},
		{"odd couplings", []string{"rg", "mcrg", "-odd-couplings", "0"}, "-odd-couplings"},
		{"samples", []string{"rg", "block", "-samples", "10"}, "-samples"},
		{"sampler", []string{"rg", "mcrg", "-sampler", "metropolis"}, "-sampler"},
		{"positional", []string{"rg", "mcrg", "extra"}, "extra"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rc, _, stderr := runCLI(t, c.args...)
			if rc != exitUsage || !strings.Contains(stderr, c.want) {
				t.Errorf("%v: rc %d, stderr %q; want rc %d naming %q", c.args, rc, stderr, exitUsage, c.want)
			}
		})
	}
	if rc, out, _ := runCLI(t, "help", "rg"); rc != exitOK || !strings.Contains(out, "rg mcrg") {
		t.Errorf("help rg: rc %d, %q", rc, out)
	}
}

// TestRGMCRG runs a small MCRG and checks the summary's fields (names as in issue 6).
func TestRGMCRG(t *testing.T) {
	dir := t.TempDir()
	rc, out, errb := runCLI(t, "rg", "mcrg", "-L", "16", "-T", "2.269185", "-levels", "2", "-couplings", "3",
		"-samples", "2000", "-seed", "2", "-out", dir, "-json")
	if rc != exitOK {
		t.Fatalf("rc %d, stderr %s", rc, errb)
	}
	data, err := os.ReadFile(filepath.Join(dir, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.TrimSpace(string(data)) != strings.TrimSpace(out) {
		t.Errorf("summary.json differs from stdout")
	}
	var sum struct {
		Levels []struct {
			From, To      int
			YT            map[string]float64   `json:"y_T"`
			YH            map[string]float64   `json:"y_H"`
			YTByCouplings []map[string]float64 `json:"y_T_by_couplings"`
			YHByCouplings []map[string]float64 `json:"y_H_by_couplings"`
		} `json:"levels"`
	}
	if err := json.Unmarshal(data, &sum); err != nil {
		t.Fatal(err)
	}
	if len(sum.Levels) != 2 || sum.Levels[0].From != 16 || sum.Levels[0].To != 8 || sum.Levels[1].To != 4 {
		t.Fatalf("levels %+v", sum.Levels)
	}
	for _, l := range sum.Levels {
		if l.YT["err"] <= 0 || l.YH["err"] <= 0 || math.Abs(l.YT["mean"]-l.YTByCouplings[2]["mean"]) > 0 ||
			len(l.YTByCouplings) != 5 || len(l.YHByCouplings) != 3 {
			t.Errorf("level %+v", l)
		}
	}
}

func TestRGBlock(t *testing.T) {
	rc, out, errb := runCLI(t, "rg", "block", "-L", "16", "-T", "2,3", "-levels", "2", "-samples", "1000")
	if rc != exitOK {
		t.Fatalf("rc %d, stderr %s", rc, errb)
	}
	for _, w := range []string{"U4", "|m|", "level"} {
		if !strings.Contains(out, w) {
			t.Errorf("table lacks %q:\n%s", w, out)
		}
	}
	if n := strings.Count(out, "\n"); n != 2+2*3 {
		t.Errorf("table has %d lines; want 8:\n%s", n, out)
	}
}
