package main

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/deepglass/deepglass/learn"
)

func TestTrainSummary(t *testing.T) {
	dir := t.TempDir()
	rc, stdout, stderr := runCLI(t, "train", "-data", "bas:3", "-hidden", "6", "-method", "pt", "-epochs", "40",
		"-batch", "7", "-lr", "0.1", "-momentum", "0.5", "-seed", "3", "-temperatures", "1:4:5",
		"-ais-steps", "300", "-out", dir, "-json")
	if rc != exitOK {
		t.Fatalf("exit %d: %s", rc, stderr)
	}
	var sum struct {
		NV, NH  int
		History []struct {
			Epoch       int
			LogLik      *float64 `json:"loglik"`
			LogLikExact bool     `json:"loglik_exact"`
		}
		LogLik struct {
			PerSample float64 `json:"per_sample"`
			Exact     bool
		}
		LogZ struct {
			Exact  *float64
			AIS    float64
			AISErr float64 `json:"ais_err"`
		}
		Flags struct{ Betas []float64 }
		Perf  struct {
			SamplesPerSecond float64 `json:"samples_per_second"`
		}
	}
	if err := json.Unmarshal([]byte(stdout), &sum); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, stdout)
	}
	b, err := os.ReadFile(filepath.Join(dir, "summary.json"))
	if err != nil || string(b) != stdout {
		t.Errorf("summary.json differs from stdout (%v)", err)
	}
	if sum.NV != 9 || sum.NH != 6 || len(sum.History) != 40 || sum.History[39].Epoch != 40 || !sum.History[0].LogLikExact {
		t.Errorf("summary: nv %d nh %d, %d epochs", sum.NV, sum.NH, len(sum.History))
	}
	if !sum.LogLik.Exact || sum.LogZ.Exact == nil || sum.Perf.SamplesPerSecond <= 0 {
		t.Fatalf("loglik %+v logz %+v perf %+v", sum.LogLik, sum.LogZ, sum.Perf)
	}
	if got := *sum.History[39].LogLik; got != sum.LogLik.PerSample {
		t.Errorf("last epoch loglik %v, final %v", got, sum.LogLik.PerSample)
	}
	if math.Abs(sum.LogZ.AIS-*sum.LogZ.Exact) > 4*sum.LogZ.AISErr+1e-3 {
		t.Errorf("AIS ln Z %v ± %v vs exact %v", sum.LogZ.AIS, sum.LogZ.AISErr, *sum.LogZ.Exact)
	}
	if len(sum.Flags.Betas) != 5 || sum.Flags.Betas[4] != 1 || sum.Flags.Betas[0] != 0.25 {
		t.Errorf("betas %v", sum.Flags.Betas)
	}
	// The saved model reproduces the final log-likelihood.
	r, err := learn.Load(filepath.Join(dir, "model"))
	if err != nil {
		t.Fatal(err)
	}
	lz, _ := r.LogZ()
	if ll := r.LogLikelihood(learn.BarsAndStripes(3), lz); math.Abs(ll-sum.LogLik.PerSample) > 1e-12 {
		t.Errorf("saved model: loglik %v, summary %v", ll, sum.LogLik.PerSample)
	}
}

func TestTrainBadFlags(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-hidden", "4"}, "-data"},
		{[]string{"-data", "bas:3", "-method", "sgd"}, "-method"},
		{[]string{"-data", "bas:3", "-lr", "-1"}, "-lr"},
		{[]string{"-data", "bas:3", "-hidden", "0"}, "-hidden"},
		{[]string{"-data", "bas:3", "-momentum", "1"}, "-momentum"},
		{[]string{"-data", "bas:3", "-l1-warmup", "-2"}, "-l1-warmup"},
		{[]string{"-data", "bas:3", "-method", "pt", "-temperatures", "2:4:3"}, "-temperatures"},
		{[]string{"-data", "bas:3", "-temperatures", "1,2"}, "-temperatures"},
		{[]string{"-data", "nope.csv"}, "nope.csv"},
		{[]string{"-data", "ising:L=8,T=0,n=3"}, "-data"},
		{[]string{"-data", "bas:3", "-epochs", "x"}, "-epochs"},
	} {
		rc, _, stderr := runCLI(t, append([]string{"train", "-out", t.TempDir()}, c.args...)...)
		if rc != exitUsage || !strings.Contains(stderr, c.want) {
			t.Errorf("train %v: exit %d, stderr %q; want exit 2 naming %s", c.args, rc, stderr, c.want)
		}
	}
}
