package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/deepglass/deepglass/nets"
	"github.com/deepglass/deepglass/nets/mnist"
)

const blobsSpec = "blobs:d=20,k=5,n=1000,ntest=500,seed=2"

type netsSum struct {
	Command string
	Layers  []int
	History []map[string]any
	Train   struct{ Loss, Accuracy *float64 }
	Test    struct{ Loss, Accuracy *float64 }
	Perf    struct {
		SamplesPerSecond float64 `json:"samples_per_second"`
	}
	Diverged *struct{ Epoch, Step int }
	Complete bool
}

func TestNetsTrainEvalInterpolate(t *testing.T) {
	dir := t.TempDir()
	rc, stdout, stderr := runCLI(t, "nets", "train", "-data", blobsSpec, "-layers", "20,16,5", "-act", "tanh",
		"-optimizer", "momentum", "-lr", "0.02", "-batch", "32", "-epochs", "4", "-wd", "1e-4", "-clip", "5", "-seed", "3", "-out", dir, "-json")
	if rc != exitOK {
		t.Fatalf("exit %d: %s", rc, stderr)
	}
	var s netsSum
	if err := json.Unmarshal([]byte(stdout), &s); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, stdout)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "summary.json")); err != nil || string(b) != stdout {
		t.Errorf("summary.json differs from stdout (%v)", err)
	}
	if s.Command != "nets train" || len(s.History) != 4 || s.Test.Accuracy == nil || *s.Test.Accuracy < 0.9 || !s.Complete || s.Perf.SamplesPerSecond <= 0 {
		t.Fatalf("summary %+v", s)
	}
	for _, k := range []string{"train_loss", "train_accuracy", "test_loss", "test_accuracy", "grad_norm", "weight_norms"} {
		if _, ok := s.History[3][k]; !ok {
			t.Errorf("history lacks %s: %v", k, s.History[3])
		}
	}
	// The saved model gives the same test metrics; eval reads the data from config.json.
	rc, stdout, stderr = runCLI(t, "nets", "eval", "-model", filepath.Join(dir, "model"), "-json")
	if rc != exitOK {
		t.Fatalf("eval: exit %d: %s", rc, stderr)
	}
	var e netsSum
	json.Unmarshal([]byte(stdout), &e)
	if e.Test.Loss == nil || *e.Test.Loss != *s.Test.Loss || *e.Test.Accuracy != *s.Test.Accuracy {
		t.Errorf("eval test %v, train run %v", e.Test, s.Test)
	}
	n, err := nets.Load(filepath.Join(dir, "model"))
	if err != nil || n.Layers() != "20-16-5" {
		t.Fatalf("model: %v %v", n, err)
	}
	rc, stdout, stderr = runCLI(t, "nets", "interpolate", "-run", dir, "-alpha", "0,0.5,1")
	if rc != exitOK || !strings.Contains(stdout, "0.500") {
		t.Fatalf("interpolate: exit %d: %s%s", rc, stdout, stderr)
	}
	if rc, out, _ := runCLI(t, "nets", "-h"); rc != exitOK || !strings.Contains(out, "interpolate") {
		t.Errorf("nets -h: exit %d: %s", rc, out)
	}
	for _, sub := range []string{"train", "eval", "interpolate"} {
		if rc, _, errOut := runCLI(t, "nets", sub, "-h"); rc != exitOK || !strings.Contains(errOut, "Usage") {
			t.Errorf("nets %s -h: exit %d", sub, rc)
		}
	}
}

// badMNIST writes a directory of MNIST files, corrupting one as told.
func badMNIST(t *testing.T, how string) string {
	t.Helper()
	dir := t.TempDir()
	idx := func(dims []int, data []byte) []byte {
		var b bytes.Buffer
		mnist.WriteIDX(&b, &mnist.IDX{Dims: dims, Data: data})
		return b.Bytes()
	}
	gz := func(b []byte) []byte {
		var z bytes.Buffer
		w := gzip.NewWriter(&z)
		w.Write(b)
		w.Close()
		return z.Bytes()
	}
	im := idx([]int{3, 28, 28}, make([]byte, 3*784))
	files := map[string][]byte{
		mnist.TrainImages + ".gz": gz(im), mnist.TrainLabels + ".gz": gz(idx([]int{3}, []byte{1, 2, 3})),
		mnist.TestImages + ".gz": gz(im), mnist.TestLabels + ".gz": gz(idx([]int{3}, []byte{4, 5, 6})),
	}
	switch how {
	case "truncated":
		files[mnist.TrainImages+".gz"] = gz(im[:1000])
	case "corrupt":
		b := files[mnist.TestImages+".gz"]
		b[len(b)/2] ^= 0xff
	case "mismatched":
		files[mnist.TestLabels+".gz"] = gz(idx([]int{2}, []byte{4, 5}))
	case "missing":
		delete(files, mnist.TestLabels+".gz")
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestNetsBadInput: bad flags, impossible layer specs and corrupt, truncated or
// mismatched MNIST files exit 2 with a message naming the problem.
func TestNetsBadInput(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"-layers", "20,0,5"}, "layer 1 has width 0"},
		{[]string{"-layers", "20"}, "want at least 2 widths"},
		{[]string{"-layers", "20,x,5"}, `"x" is not a width`},
		{[]string{"-layers", "30,10,5"}, "20 inputs"},
		{[]string{"-layers", "20,10,3"}, "5 classes"},
		{[]string{"-act", "swish"}, "flag -act"},
		{[]string{"-optimizer", "lbfgs"}, "flag -optimizer"},
		{[]string{"-lr", "-1"}, "-lr -1"},
		{[]string{"-lr", "NaN"}, "-lr NaN"},
		{[]string{"-epochs", "0"}, "-epochs 0"},
		{[]string{"-batch", "0"}, "flag -batch"},
		{[]string{"-T", "0.1", "-optimizer", "adam"}, "not adam"},
		{[]string{"-init", "gaussian:sw2=-1"}, "flag -init"},
		{[]string{"-data", "blobs:d=2"}, "flag -data"},
		{[]string{"-data", "mnist:size=40"}, "flag -data"},
		{[]string{"-data", "mnist", "-mnist", "/no/such/dir"}, "lacks"},
		{[]string{"-data", "mnist", "-mnist", badMNIST(t, "missing")}, "lacks " + mnist.TestLabels},
		{[]string{"-data", "mnist", "-mnist", badMNIST(t, "truncated")}, "truncated"},
		{[]string{"-data", "mnist", "-mnist", badMNIST(t, "corrupt")}, "t10k-images-idx3-ubyte.gz"},
		{[]string{"-data", "mnist", "-mnist", badMNIST(t, "mismatched")}, "3 images but 2 labels"},
		{[]string{"extra"}, "unexpected argument"},
	}
	for _, c := range cases {
		args := append([]string{"nets", "train", "-data", blobsSpec, "-layers", "20,8,5", "-epochs", "1", "-out", t.TempDir()}, c.args...)
		rc, _, stderr := runCLI(t, args...)
		if rc != exitUsage || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", c.args, rc, stderr, c.want)
		}
	}
	if rc, _, stderr := runCLI(t, "nets", "train", "-resume", t.TempDir()); rc != exitUsage || !strings.Contains(stderr, "config.json") {
		t.Errorf("-resume of an empty directory: exit %d, %s", rc, stderr)
	}
	for _, args := range [][]string{{"nets"}, {"nets", "bogus"}, {"nets", "eval"}, {"nets", "eval", "-model", t.TempDir()},
		{"nets", "interpolate"}, {"nets", "interpolate", "-run", t.TempDir()}, {"nets", "interpolate", "-from", "a", "-to", "b", "-alpha", "0:1:1"}} {
		if rc, _, _ := runCLI(t, args...); rc != exitUsage {
			t.Errorf("%v: exit %d; want 2", args, rc)
		}
	}
}

// TestNetsDiverge: a NaN loss stops the run with exit 1, a message, and the history
// (with the diverged epoch) saved in summary.json.
func TestNetsDiverge(t *testing.T) {
	dir := t.TempDir()
	rc, _, stderr := runCLI(t, "nets", "train", "-data", blobsSpec, "-layers", "20,50,50,5", "-optimizer", "momentum",
		"-lr", "1000", "-epochs", "20", "-out", dir)
	if rc != exitError || !strings.Contains(stderr, "diverged") || !strings.Contains(stderr, "summary.json") {
		t.Fatalf("exit %d, stderr %s", rc, stderr)
	}
	var s netsSum
	b, err := os.ReadFile(filepath.Join(dir, "summary.json"))
	if err != nil || json.Unmarshal(b, &s) != nil {
		t.Fatalf("summary.json: %v\n%s", err, b)
	}
	if s.Diverged == nil || len(s.History) == 0 || s.Complete {
		t.Errorf("summary %+v", s)
	}
}

// TestNetsInterruptResume sends SIGINT to a training process: it exits 3 with a
// checkpoint, and -resume finishes with the weights and history of an uninterrupted run.
func TestNetsInterruptResume(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("needs SIGINT")
	}
	train := []string{"nets", "train", "-data", "blobs:d=50,k=10,n=4000,ntest=500,seed=4", "-layers", "50,100,10",
		"-optimizer", "sgd", "-lr", "0.01", "-T", "1e-6", "-batch", "32", "-epochs", "6", "-seed", "5"}
	base := t.TempDir()
	full := filepath.Join(base, "full")
	start := time.Now()
	if out, err := cli(nil, append(train, "-out", full)...).CombinedOutput(); err != nil {
		t.Fatalf("uninterrupted run: %v\n%s", err, out)
	}
	took := time.Since(start)
	dir := filepath.Join(base, "stopped")
	p := cli(nil, append(train, "-out", dir, "-checkpoint-every", "0")...)
	var errb bytes.Buffer
	p.Stderr = &errb
	if err := p.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(took / 2)
	p.Process.Signal(syscall.SIGINT)
	err := p.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != exitInterrupted {
		t.Fatalf("interrupted run: %v; want exit status 3\n%s", err, errb.String())
	}
	var partial netsSum
	b, _ := os.ReadFile(filepath.Join(dir, "summary.json"))
	if json.Unmarshal(b, &partial) != nil || partial.Complete {
		t.Fatalf("interrupted summary: %s", b)
	}
	if out, err := cli(nil, "nets", "train", "-resume", dir).CombinedOutput(); err != nil {
		t.Fatalf("resume: %v\n%s", err, out)
	}
	a, bb := netsHistory(t, full), netsHistory(t, dir)
	if !reflect.DeepEqual(a, bb) {
		t.Errorf("resumed history differs:\n%v\n%v", a, bb)
	}
	m1, _ := nets.Load(filepath.Join(full, "model"))
	m2, _ := nets.Load(filepath.Join(dir, "model"))
	if m1 == nil || m2 == nil || !reflect.DeepEqual(m1.Params(), m2.Params()) {
		t.Error("resumed weights differ from the uninterrupted run's")
	}
	t.Logf("interrupted after %d of 6 epochs", len(partial.History))
}

// netsHistory returns the history of summary.json without the timings.
func netsHistory(t *testing.T, dir string) []map[string]any {
	t.Helper()
	var s netsSum
	b, err := os.ReadFile(filepath.Join(dir, "summary.json"))
	if err != nil || json.Unmarshal(b, &s) != nil {
		t.Fatalf("%s: %v", dir, err)
	}
	for _, e := range s.History {
		delete(e, "seconds")
	}
	return s.History
}

// TestNetsGOMAXPROCS: the same seed gives bit-identical weights and history with
// GOMAXPROCS 1 and 2 for 784-300-100-10 on MNIST (gonum's gemm runs in parallel at
// these sizes when it can).
func TestNetsGOMAXPROCS(t *testing.T) {
	var dirs []string
	for _, procs := range []string{"1", "2"} {
		dir := filepath.Join(t.TempDir(), "p"+procs)
		args := []string{"nets", "train", "-data", "mnist:n=1500,ntest=500", "-layers", "784,300,100,10", "-optimizer", "adam",
			"-lr", "0.001", "-epochs", "2", "-seed", "7", "-out", dir}
		if out, err := cli([]string{"GOMAXPROCS=" + procs}, args...).CombinedOutput(); err != nil {
			t.Fatalf("GOMAXPROCS=%s: %v\n%s", procs, err, out)
		}
		dirs = append(dirs, dir)
	}
	if a, b := netsHistory(t, dirs[0]), netsHistory(t, dirs[1]); !reflect.DeepEqual(a, b) {
		t.Errorf("histories differ")
	}
	m1, err1 := nets.Load(filepath.Join(dirs[0], "model"))
	m2, err2 := nets.Load(filepath.Join(dirs[1], "model"))
	if err1 != nil || err2 != nil || !reflect.DeepEqual(m1.Params(), m2.Params()) {
		t.Errorf("weights differ between GOMAXPROCS 1 and 2 (%v, %v)", err1, err2)
	}
}

// TestTrainMNISTRBM: deepglass train reads binarized MNIST for RBMs.
func TestTrainMNISTRBM(t *testing.T) {
	rc, stdout, stderr := runCLI(t, "train", "-data", "mnist:n=200", "-hidden", "8", "-epochs", "1", "-monitor-every", "-1",
		"-ais-chains", "2", "-ais-steps", "10", "-out", t.TempDir(), "-json")
	if rc != exitOK {
		t.Fatalf("exit %d: %s", rc, stderr)
	}
	var s struct {
		NV, NH   int
		NSamples int `json:"n_samples"`
	}
	if err := json.Unmarshal([]byte(stdout), &s); err != nil || s.NV != 784 || s.NH != 8 || s.NSamples != 200 {
		t.Errorf("summary %+v (%v)", s, err)
	}
}
