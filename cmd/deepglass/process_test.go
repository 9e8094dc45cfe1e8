package main

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"syscall"
	"testing"
	"time"
)

// TestMain lets the test binary act as the deepglass command, so tests can start it as
// a separate process: with DEEPGLASS_AS_CLI=1 it runs main's logic on its arguments.
func TestMain(m *testing.M) {
	if os.Getenv("DEEPGLASS_AS_CLI") == "1" {
		os.Exit(runProcess(os.Args[1:]))
	}
	os.Exit(m.Run())
}

// cli returns a command that runs deepglass with args in a separate process.
func cli(env []string, args ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(append(os.Environ(), "DEEPGLASS_AS_CLI=1"), env...)
	return cmd
}

func summaryWithoutTiming(t *testing.T, dir string) map[string]any {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	delete(m, "perf")
	if gs, ok := m["ground_state"].(map[string]any); ok {
		delete(gs, "seconds")
	}
	return m
}

// TestShardsAsProcesses runs a study as three concurrent shard processes, the way a
// Slurm job array (SLURM_ARRAY_TASK_ID) or a Kubernetes Indexed Job
// (JOB_COMPLETION_INDEX) does, aggregates them, and requires exactly the summary of the
// unsharded run.
func TestShardsAsProcesses(t *testing.T) {
	study := []string{"run", "-model", "ea", "-lattice", "square:4", "-bonds", "pm", "-T", "0.5:2:6",
		"-sampler", "pt", "-therm", "500", "-sweeps", "4000", "-samples", "8", "-seed", "17"}
	base := t.TempDir()
	full := filepath.Join(base, "full")
	if out, err := cli(nil, append(study, "-out", full)...).CombinedOutput(); err != nil {
		t.Fatalf("unsharded run: %v\n%s", err, out)
	}
	var procs []*exec.Cmd
	var dirs []string
	for i := 0; i < 3; i++ {
		dir := filepath.Join(base, "shard", string(rune('0'+i)))
		env := []string{"SLURM_ARRAY_TASK_ID=" + string(rune('0'+i))}
		if i == 2 {
			env = []string{"JOB_COMPLETION_INDEX=2"}
		}
		p := cli(env, append(study, "-shards", "3", "-out", dir)...)
		if err := p.Start(); err != nil {
			t.Fatal(err)
		}
		procs = append(procs, p)
		dirs = append(dirs, dir)
	}
	for i, p := range procs {
		if err := p.Wait(); err != nil {
			t.Fatalf("shard %d: %v", i, err)
		}
	}
	agg := filepath.Join(base, "agg")
	rc, _, stderr := runCLI(t, append([]string{"aggregate", "-out", agg}, dirs...)...)
	if rc != 0 {
		t.Fatalf("aggregate: exit %d: %s", rc, stderr)
	}
	if a, b := summaryWithoutTiming(t, full), summaryWithoutTiming(t, agg); !reflect.DeepEqual(a, b) {
		t.Errorf("aggregated shards differ from the unsharded run")
	}
	if rc, _, stderr := runCLI(t, append([]string{"aggregate"}, dirs[:2]...)...); rc != exitUsage {
		t.Errorf("aggregate of 2 of 3 shards: exit %d (%s); want 2", rc, stderr)
	}
}

// TestInterruptResume sends SIGINT to a running PT study: it must exit with status 3
// leaving a checkpoint, and `-resume` must finish it with exactly the summary of an
// uninterrupted run.
func TestInterruptResume(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("needs SIGINT")
	}
	study := []string{"run", "-model", "ea", "-lattice", "cubic:4", "-bonds", "gauss", "-T", "0.5:2:8",
		"-sampler", "pt", "-therm", "1000", "-sweeps", "30000", "-samples", "2", "-seed", "9"}
	base := t.TempDir()
	full := filepath.Join(base, "full")
	start := time.Now()
	if out, err := cli(nil, append(study, "-out", full)...).CombinedOutput(); err != nil {
		t.Fatalf("uninterrupted run: %v\n%s", err, out)
	}
	took := time.Since(start)
	dir := filepath.Join(base, "stopped")
	p := cli(nil, append(study, "-out", dir, "-checkpoint-every", "50ms")...)
	if err := p.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(took / 3)
	p.Process.Signal(syscall.SIGINT)
	err := p.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != exitInterrupted {
		t.Fatalf("interrupted run: %v; want exit status 3", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "checkpoint.bin")); err != nil {
		t.Fatalf("no checkpoint: %v", err)
	}
	if out, err := cli(nil, "run", "-resume", dir).CombinedOutput(); err != nil {
		t.Fatalf("resume: %v\n%s", err, out)
	}
	if a, b := summaryWithoutTiming(t, full), summaryWithoutTiming(t, dir); !reflect.DeepEqual(a, b) {
		t.Errorf("resumed summary differs from the uninterrupted one")
	}
}

// TestGOMAXPROCSIndependent runs the same PT study with GOMAXPROCS=1 and 2: the
// summaries must be identical.
func TestGOMAXPROCSIndependent(t *testing.T) {
	study := []string{"run", "-model", "ea", "-lattice", "cubic:3", "-bonds", "pm", "-T", "0.6:2:8",
		"-sampler", "pt", "-therm", "300", "-sweeps", "3000", "-samples", "3", "-seed", "4"}
	var dirs []string
	for _, procs := range []string{"1", "2"} {
		dir := filepath.Join(t.TempDir(), "p"+procs)
		if out, err := cli([]string{"GOMAXPROCS=" + procs}, append(study, "-out", dir)...).CombinedOutput(); err != nil {
			t.Fatalf("GOMAXPROCS=%s: %v\n%s", procs, err, out)
		}
		dirs = append(dirs, dir)
	}
	if a, b := summaryWithoutTiming(t, dirs[0]), summaryWithoutTiming(t, dirs[1]); !reflect.DeepEqual(a, b) {
		t.Errorf("GOMAXPROCS=1 and 2 give different summaries")
	}
}
