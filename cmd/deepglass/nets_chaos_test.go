package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestNetsDispatchChaos runs `deepglass nets meanfield` and `nets propagate` through
// the nets subcommand table; the tests below call the commands directly.
func TestNetsDispatchChaos(t *testing.T) {
	for _, sub := range []string{"meanfield", "propagate"} {
		var out, errb bytes.Buffer
		if rc := cmdNets(context.Background(), []string{sub, "-h"}, &out, &errb); rc != exitOK {
			t.Errorf("deepglass nets %s -h: exit %d, %s", sub, rc, errb.String())
		}
		if !strings.Contains(out.String()+errb.String(), "deepglass nets "+sub) {
			t.Errorf("deepglass nets %s -h: usage missing: %q", sub, out.String()+errb.String())
		}
	}
}

func TestNetsMeanfieldSummary(t *testing.T) {
	dir := t.TempDir()
	var out, errb bytes.Buffer
	rc := cmdNetsMeanfield(context.Background(), []string{"-phi", "tanh", "-sw2", "1.7610,3", "-sb2", "0.05,0.3", "-out", dir, "-json"}, &out, &errb)
	if rc != exitOK {
		t.Fatalf("exit %d: %s", rc, errb.String())
	}
	var sum struct {
		Phi        string   `json:"phi"`
		QStar      *float64 `json:"q_star"`
		CStar      *float64 `json:"c_star"`
		Chi1       *float64 `json:"chi1"`
		XiQ        *float64 `json:"xi_q"`
		XiC        *float64 `json:"xi_c"`
		Boundary   *float64 `json:"boundary"`
		Points     []struct{ SW2, SB2, Chi1 float64 }
		Boundaries []struct{ SB2, SW2 float64 }
	}
	if err := json.Unmarshal(out.Bytes(), &sum); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, out.String())
	}
	if b, err := os.ReadFile(filepath.Join(dir, "summary.json")); err != nil || string(b) != out.String() {
		t.Errorf("summary.json differs from stdout (%v)", err)
	}
	if sum.Phi != "tanh" || sum.QStar == nil || sum.CStar == nil || sum.XiQ == nil || sum.XiC == nil || sum.Chi1 == nil || sum.Boundary == nil ||
		len(sum.Points) != 4 || len(sum.Boundaries) != 2 {
		t.Fatalf("summary: %s", out.String())
	}
	// docs/references/chaos.md §4: χ₁ = 1 at (1.7610, 0.05); boundary at σ_b² = 0.3: 2.50513.
	if math.Abs(*sum.Chi1-1) > 1e-4 || math.Abs(*sum.Boundary-1.7610) > 5e-5 || math.Abs(sum.Boundaries[1].SW2-2.50513) > 1e-5 {
		t.Errorf("χ₁ = %v, boundaries %+v: %s", *sum.Chi1, sum.Boundaries, out.String())
	}
	// Text table.
	out.Reset()
	if rc := cmdNetsMeanfield(context.Background(), []string{"-phi", "relu", "-sw2", "2", "-sb2", "0.1", "-out", dir}, &out, &errb); rc != exitOK {
		t.Fatalf("exit %d: %s", rc, errb.String())
	}
	if !strings.Contains(out.String(), "boundary χ₁ = 1 at σ_b² = 0.1: σ_w² = 2.000000") {
		t.Errorf("table: %s", out.String())
	}
	// ReLU at σ_w² = 2: ξ_c infinite, written as null.
	out.Reset()
	if rc := cmdNetsMeanfield(context.Background(), []string{"-phi", "relu", "-sw2", "2", "-sb2", "0.1", "-out", dir, "-json"}, &out, &errb); rc != exitOK {
		t.Fatalf("exit %d: %s", rc, errb.String())
	}
	if !strings.Contains(out.String(), `"xi_c": null`) || !strings.Contains(out.String(), `"q_star": null`) {
		t.Errorf("infinite ξ_c and q* should be null: %s", out.String())
	}
}

func TestNetsPropagateSummary(t *testing.T) {
	dir := t.TempDir()
	var out, errb bytes.Buffer
	rc := cmdNetsPropagate(context.Background(), []string{"-phi", "tanh", "-sw2", "3", "-sb2", "0.05", "-width", "300", "-depth", "6",
		"-nets", "300", "-c0", "0.5,0.9", "-circle", "64", "-circle-nets", "3", "-seed", "4", "-out", dir, "-json"}, &out, &errb)
	if rc != exitOK {
		t.Fatalf("exit %d: %s", rc, errb.String())
	}
	var sum struct {
		Method string `json:"method"`
		Theory struct {
			QStar float64 `json:"q_star"`
		} `json:"theory"`
		Layers []struct {
			L       int                         `json:"l"`
			Q       struct{ Mean, Err float64 } `json:"q"`
			QTheory float64                     `json:"q_theory"`
			C       []struct{ Mean, Err float64 }
			CTheory []float64 `json:"c_theory"`
		} `json:"layers"`
		MaxAbsZ *float64 `json:"max_abs_z"`
		XiCFit  *struct {
			Mean, Err, Theory float64
			From, To          int
		} `json:"xi_c_fit"`
		Circle *struct {
			Length []struct{ Mean, Err float64 }
			Rate   struct{ Mean, Err float64 }
		} `json:"circle"`
	}
	if err := json.Unmarshal(out.Bytes(), &sum); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, out.String())
	}
	if sum.Method != "gram" || len(sum.Layers) != 7 || sum.MaxAbsZ == nil || sum.XiCFit == nil || sum.Circle == nil || len(sum.Circle.Length) != 7 {
		t.Fatalf("summary: %s", out.String())
	}
	if *sum.MaxAbsZ > 4.5 {
		t.Errorf("max |z| = %v", *sum.MaxAbsZ)
	}
	if l := sum.Layers[6]; len(l.C) != 2 || len(l.CTheory) != 2 || l.Q.Err <= 0 || math.Abs(l.Q.Mean-l.QTheory) > 5*l.Q.Err {
		t.Errorf("layer 6: %+v", l)
	}
	if x := sum.XiCFit; math.Abs(x.Theory-9.051) > 1e-3 || x.Err <= 0 || x.To <= x.From {
		t.Errorf("xi_c_fit: %+v", x)
	}
	if sum.Circle.Rate.Err <= 0 {
		t.Errorf("circle: %+v", sum.Circle)
	}
}

func TestNetsChaosUsage(t *testing.T) {
	cases := []struct {
		f    func(context.Context, []string, io.Writer, io.Writer) int
		args []string
		want int
	}{
		{cmdNetsMeanfield, []string{"-h"}, exitOK},
		{cmdNetsPropagate, []string{"-h"}, exitOK},
		{cmdNetsMeanfield, []string{"-phi", "swish"}, exitUsage},
		{cmdNetsMeanfield, []string{"-sw2", "-1"}, exitUsage},
		{cmdNetsMeanfield, []string{"-sb2", "x"}, exitUsage},
		{cmdNetsMeanfield, []string{"-quad", "simpson"}, exitUsage},
		{cmdNetsMeanfield, []string{"extra"}, exitUsage},
		{cmdNetsMeanfield, []string{"-nope"}, exitUsage},
		{cmdNetsPropagate, []string{"-width", "1"}, exitUsage},
		{cmdNetsPropagate, []string{"-nets", "1"}, exitUsage},
		{cmdNetsPropagate, []string{"-c0", "1.5"}, exitUsage},
		{cmdNetsPropagate, []string{"-method", "magic"}, exitUsage},
		{cmdNetsPropagate, []string{"-q0", "-2"}, exitUsage},
		{cmdNetsPropagate, []string{"-sw2", "NaN"}, exitUsage},
		{cmdNetsPropagate, []string{"-circle", "3"}, exitUsage},
	}
	for _, c := range cases {
		var out, errb bytes.Buffer
		if rc := c.f(context.Background(), append(c.args, "-out", t.TempDir()), &out, &errb); rc != c.want {
			t.Errorf("%v: exit %d; want %d (%s)", c.args, rc, c.want, errb.String())
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out, errb bytes.Buffer
	if rc := cmdNetsPropagate(ctx, []string{"-width", "50", "-depth", "3", "-nets", "4", "-out", t.TempDir()}, &out, &errb); rc != exitInterrupted {
		t.Errorf("cancelled propagate: exit %d; want %d (%s)", rc, exitInterrupted, errb.String())
	}
	if rc := cmdNetsMeanfield(ctx, []string{"-out", t.TempDir()}, &out, &errb); rc != exitInterrupted {
		t.Errorf("cancelled meanfield: exit %d; want %d (%s)", rc, exitInterrupted, errb.String())
	}
}
