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

func TestRGFlowSummary(t *testing.T) {
	dir := t.TempDir()
	var out, errb bytes.Buffer
	rc := cmdRGFlow(context.Background(), []string{"-train", "high", "-L", "6", "-hidden", "16", "-epochs", "5", "-samples", "40",
		"-steps", "10", "-chains", "4", "-scan-every", "2", "-seed", "2", "-out", dir, "-json"}, &out, &errb)
	if rc != exitOK {
		t.Fatalf("exit %d: %s", rc, errb.String())
	}
	var sum struct {
		Train  string `json:"train"`
		Starts []struct {
			FromT       *float64 `json:"from_T"`
			FixedPointT struct {
				Mean *float64 `json:"mean"`
				Err  *float64 `json:"err"`
			} `json:"fixed_point_T"`
			Series []struct{ Mean, Err float64 } `json:"series"`
			Chains []float64                     `json:"chains"`
		} `json:"starts"`
		Scan []struct {
			Epochs      int                           `json:"epochs"`
			FixedPointT []struct{ Mean, Err float64 } `json:"fixed_point_T"`
		} `json:"training_scan"`
	}
	if err := json.Unmarshal(out.Bytes(), &sum); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, out.String())
	}
	b, err := os.ReadFile(filepath.Join(dir, "summary.json"))
	if err != nil || string(b) != out.String() {
		t.Errorf("summary.json differs from stdout (%v)", err)
	}
	if sum.Train != "high" || len(sum.Starts) != 2 {
		t.Fatalf("summary %s", out.String())
	}
	for k, s := range sum.Starts {
		if s.FromT == nil || *s.FromT != []float64{0, 6}[k] || s.FixedPointT.Mean == nil || s.FixedPointT.Err == nil || len(s.Series) != 11 || len(s.Chains) != 4 {
			t.Errorf("start %d: %s", k, out.String())
		}
	}
	// -scan-every 2 with 5 epochs: after 2, 4 and 5.
	if len(sum.Scan) != 3 || sum.Scan[0].Epochs != 2 || sum.Scan[2].Epochs != 5 || len(sum.Scan[2].FixedPointT) != 2 ||
		sum.Scan[2].FixedPointT[1].Mean != *sum.Starts[1].FixedPointT.Mean {
		t.Errorf("training_scan: %s", out.String())
	}
}

func TestRGStackSummary(t *testing.T) {
	dir := t.TempDir()
	var out, errb bytes.Buffer
	rc := cmdRGStack(context.Background(), []string{"-L", "8", "-layers", "16,4", "-samples", "100", "-epochs", "3", "-critical", "64",
		"-seed", "3", "-out", dir}, &out, &errb)
	if rc != exitOK {
		t.Fatalf("exit %d: %s", rc, errb.String())
	}
	if !strings.Contains(out.String(), "layer 2 (4 units)") || !strings.Contains(out.String(), "U4") {
		t.Errorf("table:\n%s", out.String())
	}
	b, err := os.ReadFile(filepath.Join(dir, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	var sum struct {
		Layers []struct {
			Layer          int     `json:"layer"`
			Window         int     `json:"window"`
			Share          float64 `json:"share"`
			Width          float64 `json:"width"`
			BlockAgreement float64 `json:"block_agreement"`
		} `json:"layers"`
		Critical []struct {
			Binder struct{ Mean, Err float64 } `json:"binder"`
		} `json:"critical"`
	}
	if err := json.Unmarshal(b, &sum); err != nil {
		t.Fatal(err)
	}
	if len(sum.Layers) != 2 || sum.Layers[1].Window != 8 || !(sum.Layers[0].Share > 0) || len(sum.Critical) != 3 {
		t.Errorf("summary.json:\n%s", b)
	}
}

func TestRGNetBadFlags(t *testing.T) {
	for _, c := range []struct {
		stack bool
		args  []string
		want  string
	}{
		{false, []string{"-train", "mid"}, "-train"},
		{false, []string{"-mode", "x"}, "-mode"},
		{false, []string{"-L", "1"}, "-L"},
		{false, []string{"-hidden", "0"}, "-hidden"},
		{false, []string{"-steps", "1"}, "-steps"},
		{false, []string{"-samples", "0"}, "-samples"},
		{false, []string{"-epochs", "0"}, "-epochs"},
		{false, []string{"-scan-every", "-1"}, "-scan-every"},
		{false, []string{"-nosuch"}, "-nosuch"},
		{false, []string{"extra"}, "extra"},
		{true, []string{"-layers", "64,x"}, "-layers"},
		{true, []string{"-T", "-1"}, "-T"},
		{true, []string{"-l1", "-0.1"}, "-l1"},
		{true, []string{"-l1-warmup", "-1"}, "-l1-warmup"},
		{true, []string{"-L", "1"}, "-L"},
		{true, []string{"-epochs", "0"}, "-epochs"},
	} {
		var out, errb bytes.Buffer
		cmd := cmdRGFlow
		if c.stack {
			cmd = cmdRGStack
		}
		if rc := cmd(context.Background(), c.args, &out, &errb); rc != exitUsage || !strings.Contains(errb.String(), c.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit %d naming %s", c.args, rc, errb.String(), exitUsage, c.want)
		}
	}
	var out, errb bytes.Buffer
	if rc := cmdRGFlow(context.Background(), []string{"-h"}, &out, &errb); rc != exitOK || !strings.Contains(errb.String(), "from_T") {
		t.Errorf("-h: exit %d, %q", rc, errb.String())
	}
}
