package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestREADMERunsWarnNothing runs every `deepglass run` command of README.md as written
// (plus -out) and requires that none prints a warning: the front page must not show a
// user numbers deepglass itself distrusts.
func TestREADMERunsWarnNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the README's studies (about 30 s of CPU)")
	}
	b, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	var cmds [][]string
	for _, line := range strings.Split(string(b), "\n") {
		line = strings.TrimPrefix(strings.TrimSpace(line), "$ ")
		if i := strings.Index(line, "#"); i >= 0 {
			line = strings.TrimSpace(line[:i])
		}
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "deepglass" && f[1] == "run" {
			cmds = append(cmds, f[1:])
		}
	}
	if len(cmds) < 2 {
		t.Fatalf("found %d `deepglass run` commands in README.md; want the demo and the tempering example", len(cmds))
	}
	for _, args := range cmds {
		rc, _, errb := runCLI(t, append(args, "-out", t.TempDir())...)
		if rc != exitOK {
			t.Errorf("deepglass %s: exit %d\n%s", strings.Join(args, " "), rc, errb)
			continue
		}
		if strings.Contains(errb, "warning") {
			t.Errorf("deepglass %s warns:\n%s", strings.Join(args, " "), errb)
		}
	}
}
