package main

import (
	"strings"
	"testing"
)

// TestRunPA: deepglass run -sampler pa prints the free energy beside Kaufman's, and
// refuses flags pa cannot honour with exit status 2, naming the flag.
func TestRunPA(t *testing.T) {
	rc, stdout, stderr := runCLI(t, "run", "-model", "ising", "-lattice", "square:8", "-sampler", "pa", "-T", "3,2",
		"-population", "256", "-replicas", "4", "-packed", "-seed", "1", "-out", t.TempDir())
	if rc != exitOK {
		t.Fatalf("exit %d: %s", rc, stderr)
	}
	for _, w := range []string{"f/spin", "exact f", "ρ_t"} {
		if !strings.Contains(stdout, w) {
			t.Errorf("the table lacks %q:\n%s", w, stdout)
		}
	}
	base := []string{"run", "-model", "ising", "-lattice", "square:8", "-sampler", "pa", "-T", "3,2"}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-therm", "100"}, "therm"},
		{[]string{"-replicas", "1"}, "replicas"},
		{[]string{"-population", "1"}, "population"},
		{[]string{"-pa-overlap", "1"}, "pa_overlap"},
		{[]string{"-resampling", "stratified"}, "resampling"},
		{[]string{"-move", "wolff"}, "move"},
		{[]string{"-ladder", "feedback"}, "-ladder"},
		{[]string{"-packed", "-lanes", "512"}, "lanes"},
		{[]string{"-population", "x"}, "-population"},
	} {
		rc, _, stderr := runCLI(t, append(append(base, tc.args...), "-out", t.TempDir())...)
		if rc != exitUsage || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 naming %s", tc.args, rc, stderr, tc.want)
		}
	}
}
