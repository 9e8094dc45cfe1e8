package figures_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/deepglass/deepglass/sim/figures"
)

func TestGsetTimeToTarget(t *testing.T) {
	f, ok := figures.Lookup("gset-time-to-target")
	if !ok {
		t.Fatal(`Lookup("gset-time-to-target") failed`)
	}
	start := time.Now()
	r, err := f.Run(context.Background(), figures.Options{Quick: true, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("gset-time-to-target quick: %v\n%s", time.Since(start).Round(time.Millisecond), figures.FormatChecks(r.Checks))
	dir := os.Getenv("FIGURES_OUT")
	if dir == "" {
		dir = t.TempDir()
	}
	if err := figures.Write(dir, "gset-time-to-target", r); err != nil {
		t.Fatal(err)
	}
	for _, c := range r.Checks {
		if !c.OK {
			t.Errorf("check failed: %v", c)
		}
	}
}
