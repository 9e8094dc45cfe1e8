package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// cancelAfter is a context whose Err reports cancellation from its (n+1)-th call on.
// Training checks its context once before every minibatch, so `deepglass train` run
// with it is interrupted after n minibatches, as by a SIGINT at that moment.
type cancelAfter struct {
	context.Context
	n atomic.Int64
}

func newCancelAfter(n int64) *cancelAfter {
	c := &cancelAfter{Context: context.Background()}
	c.n.Store(n)
	return c
}

func (c *cancelAfter) Err() error {
	if c.n.Add(-1) < 0 {
		return context.Canceled
	}
	return nil
}

// trainResult is a training summary.json without what depends on the machine or
// the directory: timings and the path of the model.
func trainResult(t *testing.T, dir string) map[string]any {
	t.Helper()
	m := readJSON(t, filepath.Join(dir, "summary.json"))
	delete(m, "perf")
	delete(m, "model")
	for _, e := range m["history"].([]any) {
		delete(e.(map[string]any), "seconds")
	}
	return m
}

// TestTrainInterruptResume interrupts `deepglass train` (in process, through its
// context) inside an epoch, at an epoch boundary and twice in a row, for every method:
// it must exit 3 with summary.json holding the history so far and a checkpoint, and
// `-resume DIR` must give exactly the summary of the uninterrupted run.
func TestTrainInterruptResume(t *testing.T) {
	for _, method := range []string{"cd", "pcd", "pt"} {
		args := []string{"train", "-data", "bas:3", "-hidden", "5", "-method", method, "-epochs", "12", "-batch", "4",
			"-lr", "0.1", "-momentum", "0.5", "-l1", "0.001", "-l1-warmup", "3", "-seed", "7", "-monitor-every", "3", "-pl",
			"-ais-steps", "100", "-ais-chains", "20"}
		if method == "pt" {
			args = append(args, "-temperatures", "1:4:4")
		}
		full := filepath.Join(t.TempDir(), "full")
		if rc, _, stderr := runCLI(t, append(args, "-out", full)...); rc != exitOK {
			t.Fatalf("%s: uninterrupted: exit %d: %s", method, rc, stderr)
		}
		want := trainResult(t, full)
		// 14 rows in batches of 4: 4 minibatches per epoch.
		for _, stops := range [][]int64{{6}, {8}, {0}, {5, 17}} {
			dir := filepath.Join(t.TempDir(), "stopped")
			var out, errb bytes.Buffer
			for i, n := range stops {
				a := append(args, "-out", dir)
				if i > 0 {
					a = []string{"train", "-resume", dir}
				}
				out.Reset()
				errb.Reset()
				if rc := runContext(newCancelAfter(n), a, &out, &errb); rc != exitInterrupted {
					t.Fatalf("%s stopped after %v minibatches: exit %d (%s); want 3", method, stops[:i+1], rc, errb.String())
				}
				if !strings.Contains(errb.String(), "deepglass train -resume "+dir) {
					t.Errorf("%s: the message does not say how to resume:\n%s", method, errb.String())
				}
				sum := readJSON(t, filepath.Join(dir, "summary.json"))
				if sum["complete"] != false {
					t.Errorf("%s: interrupted summary says complete", method)
				}
				if _, err := os.Stat(filepath.Join(dir, "checkpoint.bin")); err != nil {
					t.Fatalf("%s: no checkpoint: %v", method, err)
				}
			}
			if rc := runContext(context.Background(), []string{"train", "-resume", dir, "-json"}, &out, &errb); rc != exitOK {
				t.Fatalf("%s resumed after %v: exit %d: %s", method, stops, rc, errb.String())
			}
			if got := trainResult(t, dir); !reflect.DeepEqual(got, want) {
				t.Errorf("%s stopped after %v minibatches: the resumed summary differs from the uninterrupted one\n got %v\nwant %v",
					method, stops, got, want)
			}
			if _, err := os.Stat(filepath.Join(dir, "checkpoint.bin")); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("%s: checkpoint left after the run finished: %v", method, err)
			}
		}
	}
}

// TestTrainInterruptedHistory: the summary of an interrupted run holds the epochs
// measured so far (3 of them after 10 epochs measured every 3), the log-likelihood
// of the weights so far (exact here), and null for what it did not compute.
func TestTrainInterruptedHistory(t *testing.T) {
	dir := t.TempDir()
	var out, errb bytes.Buffer
	args := []string{"train", "-data", "bas:3", "-hidden", "5", "-epochs", "20", "-batch", "7", "-seed", "1",
		"-monitor-every", "3", "-out", dir, "-json"}
	if rc := runContext(newCancelAfter(2*10+1), args, &out, &errb); rc != exitInterrupted {
		t.Fatalf("exit %d: %s", rc, errb.String())
	}
	var sum struct {
		Complete bool
		History  []struct{ Epoch int }
		LogLik   struct {
			PerSample *float64 `json:"per_sample"`
		}
		LogZ struct {
			Exact *float64
			AIS   *float64
		}
		Perf struct{ Samples int64 }
	}
	if err := json.Unmarshal(out.Bytes(), &sum); err != nil {
		t.Fatalf("-json output: %v\n%s", err, out.String())
	}
	if sum.Complete || len(sum.History) != 3 || sum.History[2].Epoch != 9 || sum.LogLik.PerSample == nil ||
		sum.LogZ.Exact == nil || sum.LogZ.AIS != nil || sum.Perf.Samples != 10*14+7 {
		t.Errorf("interrupted summary:\n%s", out.String())
	}
}

// TestTrainResumeRefused: -resume takes no other flag, needs a checkpoint and a
// training directory.
func TestTrainResumeRefused(t *testing.T) {
	dir := t.TempDir()
	if rc, _, stderr := runCLI(t, "train", "-data", "bas:3", "-hidden", "4", "-epochs", "2", "-out", dir); rc != exitOK {
		t.Fatalf("exit %d: %s", rc, stderr)
	}
	other := t.TempDir()
	if err := os.WriteFile(filepath.Join(other, "config.json"), []byte(`{"command": "run"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-resume", dir, "-epochs", "5"}, "flag -epochs"},
		{[]string{"-resume", dir, "-data", "bas:4"}, "flag -data"},
		{[]string{"-resume", dir}, "no checkpoint to resume"},
		{[]string{"-resume", other}, "not of a training run"},
		{[]string{"-resume", filepath.Join(dir, "none")}, "-resume"},
	} {
		rc, _, stderr := runCLI(t, append([]string{"train"}, c.args...)...)
		if rc != exitUsage || !strings.Contains(stderr, c.want) {
			t.Errorf("train %v: exit %d, stderr %q; want exit 2 with %q", c.args, rc, stderr, c.want)
		}
	}
}

// TestTrainNonFinite: a diverging run (weights overflow to ±Inf and NaN) used to exit
// 1 with "json: unsupported value: +Inf"; it writes its summary with null numbers and
// a warning. A temperature that is not a number is refused naming its flag.
func TestTrainNonFinite(t *testing.T) {
	dir := t.TempDir()
	rc, stdout, stderr := runCLI(t, "train", "-data", "bas:3", "-hidden", "4", "-epochs", "50", "-lr", "1e308",
		"-momentum", "0.9", "-out", dir, "-json")
	if rc != exitOK {
		t.Fatalf("exit %d: %s", rc, stderr)
	}
	sum := readJSON(t, filepath.Join(dir, "summary.json"))
	if sum["loglik"].(map[string]any)["per_sample"] != nil || len(sum["warnings"].([]any)) == 0 ||
		!strings.Contains(stderr, "not finite") || !json.Valid([]byte(stdout)) {
		t.Errorf("diverged run: summary %v\nstderr %s", sum, stderr)
	}
	readJSON(t, filepath.Join(dir, "model.json"))
	rc, _, stderr = runCLI(t, "train", "-data", "bas:3", "-method", "pt", "-temperatures", "1,nan", "-out", t.TempDir())
	if rc != exitUsage || !strings.Contains(stderr, "flag -temperatures") {
		t.Errorf("-temperatures 1,nan: exit %d, %s", rc, stderr)
	}
}

// TestTrainSIGINTResume sends SIGINT to a training process: it must exit 3 with a
// checkpoint and summary.json, and -resume must finish it with exactly the summary of
// an uninterrupted run.
func TestTrainSIGINTResume(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("needs SIGINT")
	}
	args := []string{"train", "-data", "bas:4", "-hidden", "16", "-method", "pt", "-epochs", "1500", "-batch", "10",
		"-lr", "0.1", "-momentum", "0.5", "-seed", "2", "-monitor-every", "100", "-ais-steps", "200", "-ais-chains", "20"}
	base := t.TempDir()
	full := filepath.Join(base, "full")
	start := time.Now()
	if out, err := cli(nil, append(args, "-out", full)...).CombinedOutput(); err != nil {
		t.Fatalf("uninterrupted run: %v\n%s", err, out)
	}
	took := time.Since(start)
	dir := filepath.Join(base, "stopped")
	p := cli(nil, append(args, "-out", dir)...)
	var errb bytes.Buffer
	p.Stderr = &errb
	if err := p.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(took / 3)
	p.Process.Signal(syscall.SIGINT)
	err := p.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != exitInterrupted {
		t.Fatalf("interrupted run: %v (%s); want exit status 3", err, errb.String())
	}
	if _, err := os.Stat(filepath.Join(dir, "checkpoint.bin")); err != nil {
		t.Fatalf("no checkpoint: %v", err)
	}
	if sum := readJSON(t, filepath.Join(dir, "summary.json")); sum["complete"] != false {
		t.Errorf("interrupted summary: complete = %v", sum["complete"])
	}
	if out, err := cli(nil, "train", "-resume", dir).CombinedOutput(); err != nil {
		t.Fatalf("resume: %v\n%s", err, out)
	}
	if a, b := trainResult(t, full), trainResult(t, dir); !reflect.DeepEqual(a, b) {
		t.Errorf("resumed summary differs from the uninterrupted one")
	}
}

// TestTrainResumeCSV: a run on a CSV file given by a relative path resumes from
// another working directory, and is refused if the file changed meanwhile.
func TestTrainResumeCSV(t *testing.T) {
	work := t.TempDir()
	rows := "1,0,0,1\n0,1,1,0\n1,1,0,0\n0,0,1,1\n1,0,1,0\n0,1,0,1\n"
	if err := os.WriteFile(filepath.Join(work, "d.csv"), []byte(rows), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(work)
	dir := filepath.Join(t.TempDir(), "run")
	args := []string{"train", "-data", "d.csv", "-hidden", "3", "-epochs", "6", "-batch", "2", "-seed", "1", "-out", dir}
	var out, errb bytes.Buffer
	if rc := runContext(newCancelAfter(5), args, &out, &errb); rc != exitInterrupted {
		t.Fatalf("exit %d: %s", rc, errb.String())
	}
	t.Chdir(t.TempDir())
	if rc := runContext(context.Background(), []string{"train", "-resume", dir}, &out, &errb); rc != exitOK {
		t.Fatalf("resume from another directory: exit %d: %s", rc, errb.String())
	}
	if sum := readJSON(t, filepath.Join(dir, "summary.json")); sum["data"] != "d.csv" || sum["complete"] != true {
		t.Errorf("summary: data %v, complete %v", sum["data"], sum["complete"])
	}
	// Interrupt again, change the file, resume: refused.
	t.Chdir(work)
	if rc := runContext(newCancelAfter(5), args, &out, &errb); rc != exitInterrupted {
		t.Fatalf("exit %d: %s", rc, errb.String())
	}
	if err := os.WriteFile(filepath.Join(work, "d.csv"), []byte(strings.Replace(rows, "1,0,0,1", "1,0,0,0", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	errb.Reset()
	if rc := runContext(context.Background(), []string{"train", "-resume", dir}, &out, &errb); rc != exitUsage ||
		!strings.Contains(errb.String(), "data differ") {
		t.Errorf("resume with changed data: exit %d: %s", rc, errb.String())
	}
}
