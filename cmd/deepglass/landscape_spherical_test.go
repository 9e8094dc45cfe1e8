package main

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLandscapeSphericalUsage(t *testing.T) {
	for _, c := range []struct {
		args []string
		rc   int
		msg  string
	}{
		{[]string{"-h"}, exitOK, "Usage: deepglass landscape -model spherical"},
		{[]string{"-p", "7"}, exitUsage, "flag -p 7"},
		{[]string{"-N", "1"}, exitUsage, "flag -N 1"},
		{[]string{"-norm", "xyz"}, exitUsage, "flag -norm"},
		{[]string{"-method", "newton"}, exitUsage, "flag -method"},
		{[]string{"-model", "sk"}, exitUsage, "flag -model"},
		{[]string{"-starts", "0"}, exitUsage, "flag -starts 0"},
		{[]string{"-tol", "NaN"}, exitUsage, "flag -tol"},
		{[]string{"-N", "100000", "-p", "4"}, exitUsage, "GB"},
		{[]string{"-bogus"}, exitUsage, "flag provided but not defined"},
		{[]string{"extra"}, exitUsage, "unexpected argument"},
	} {
		var out, errb bytes.Buffer
		rc := landscapeSpherical(context.Background(), c.args, &out, &errb)
		if rc != c.rc || !strings.Contains(out.String()+errb.String(), c.msg) {
			t.Errorf("landscapeSpherical(%q) = %d, output %q; want %d and %q", c.args, rc, out.String()+errb.String(), c.rc, c.msg)
		}
	}
}

func TestLandscapeSphericalRun(t *testing.T) {
	dir := t.TempDir()
	var out, errb bytes.Buffer
	args := []string{"-model", "spherical", "-p", "3", "-N", "20", "-starts", "6", "-instances", "2", "-seed", "3", "-out", dir, "-json", "-threads", "2"}
	if rc := landscapeSpherical(context.Background(), args, &out, &errb); rc != exitOK {
		t.Fatalf("rc = %d: %s", rc, errb.String())
	}
	file, err := os.ReadFile(filepath.Join(dir, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(bytes.TrimSpace(file), bytes.TrimSpace(out.Bytes())) {
		t.Error("-json output differs from summary.json")
	}
	var s struct {
		Model     string  `json:"model"`
		N         int     `json:"n"`
		Threshold float64 `json:"threshold"`
		Minima    struct {
			Energies            []float64 `json:"energies"`
			Index               []int     `json:"index"`
			Mean, Std           float64
			ShareAboveThreshold *float64 `json:"share_above_threshold"`
			Histogram           struct {
				Edges  []float64 `json:"edges"`
				Counts []int     `json:"counts"`
			} `json:"histogram"`
		} `json:"minima"`
		Complexity struct {
			U      []float64 `json:"u"`
			Minima []float64 `json:"minima"`
		} `json:"complexity"`
	}
	if err := json.Unmarshal(file, &s); err != nil {
		t.Fatal(err)
	}
	m := s.Minima
	if s.Model != "spherical" || s.N != 20 || len(m.Energies) != 12 || len(m.Index) != 12 || m.ShareAboveThreshold == nil {
		t.Fatalf("summary: %s", file)
	}
	var mean float64
	for _, e := range m.Energies {
		mean += e / 12
	}
	if math.Abs(mean-m.Mean) > 1e-12 || math.Abs(s.Threshold+2*math.Sqrt(2.0/3)) > 1e-12 || len(m.Histogram.Counts) != 30 || len(s.Complexity.U) == 0 {
		t.Errorf("summary: mean %v (energies give %v), threshold %v", m.Mean, mean, s.Threshold)
	}
	// The same seed with another thread count gives the same numbers, and the table
	// prints.
	dir2 := t.TempDir()
	out.Reset()
	args2 := []string{"-p", "3", "-N", "20", "-starts", "6", "-instances", "2", "-seed", "3", "-out", dir2, "-threads", "1"}
	if rc := landscapeSpherical(context.Background(), args2, &out, &errb); rc != exitOK {
		t.Fatalf("rc = %d: %s", rc, errb.String())
	}
	if !strings.Contains(out.String(), "threshold −E∞ = -1.632993") {
		t.Errorf("table:\n%s", out.String())
	}
	file2, _ := os.ReadFile(filepath.Join(dir2, "summary.json"))
	var s2 struct {
		Minima struct {
			Energies []float64 `json:"energies"`
		} `json:"minima"`
	}
	if err := json.Unmarshal(file2, &s2); err != nil {
		t.Fatal(err)
	}
	for i := range s2.Minima.Energies {
		if s2.Minima.Energies[i] != m.Energies[i] {
			t.Fatalf("threads 1 vs 2: energy %d = %v vs %v", i, s2.Minima.Energies[i], m.Energies[i])
		}
	}
}

// An interrupted run writes what it has, marked interrupted, and exits 3.
func TestLandscapeSphericalInterrupted(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out, errb bytes.Buffer
	if rc := landscapeSpherical(ctx, []string{"-N", "20", "-starts", "4", "-out", dir}, &out, &errb); rc != exitInterrupted {
		t.Fatalf("rc = %d; want %d: %s", rc, exitInterrupted, errb.String())
	}
	file, err := os.ReadFile(filepath.Join(dir, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	var s map[string]any
	if err := json.Unmarshal(file, &s); err != nil {
		t.Fatalf("summary.json with NaN statistics: %v\n%s", err, file)
	}
	if s["interrupted"] != true {
		t.Errorf("summary: %s", file)
	}
}
