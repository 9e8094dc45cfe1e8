package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestTrainFloat32 trains in single precision from the CLI: the summary records it, and
// -float32 with -method pt is a usage error naming the flag.
func TestTrainFloat32(t *testing.T) {
	rc, stdout, stderr := runCLI(t, "train", "-data", "bas:3", "-hidden", "6", "-method", "pcd", "-epochs", "5",
		"-batch", "7", "-seed", "3", "-float32", "-out", t.TempDir(), "-json")
	if rc != exitOK {
		t.Fatalf("exit %d: %s", rc, stderr)
	}
	var sum struct {
		Options string
		Flags   struct{ Float32 bool }
		LogLik  struct {
			PerSample float64 `json:"per_sample"`
		}
	}
	if err := json.Unmarshal([]byte(stdout), &sum); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, stdout)
	}
	if !sum.Flags.Float32 || !strings.Contains(sum.Options, "float32") || !(sum.LogLik.PerSample < 0) {
		t.Errorf("summary: %+v", sum)
	}
	rc, _, stderr = runCLI(t, "train", "-data", "bas:3", "-hidden", "6", "-method", "pt", "-epochs", "5", "-float32")
	if rc != exitUsage || !strings.Contains(stderr, "-float32") {
		t.Errorf("-float32 -method pt: exit %d, %q; want 2 naming the flag", rc, stderr)
	}
}
