package main

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeClock is a clock the test moves by hand.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// TestStatusLines: without a terminal, a status line at most every 30 s of the
// clock, with the fraction done, the elapsed time and the ETA, and a last line when
// the work finishes if any line was written.
func TestStatusLines(t *testing.T) {
	var buf bytes.Buffer
	clk := &fakeClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	p := newStatusProgress(&buf, "deepglass train", "epochs", statusEvery, clk.now)
	p.SetInt(1, 100)
	clk.advance(20 * time.Second)
	p.SetInt(20, 100)
	if buf.Len() != 0 {
		t.Fatalf("a status line before 30 s: %q", buf.String())
	}
	clk.advance(20 * time.Second) // 40 s
	p.SetInt(40, 100)
	clk.advance(10 * time.Second) // 50 s: 10 s after the last line
	p.SetInt(50, 100)
	clk.advance(30 * time.Second) // 80 s
	p.SetInt(80, 100)
	p.Finish()
	p.Finish() // once only
	want := "deepglass train: 40% (40/100 epochs), 40s elapsed, ETA 1m0s\n" +
		"deepglass train: 80% (80/100 epochs), 1m20s elapsed, ETA 20s\n" +
		"deepglass train: stopped at 80% (80/100 epochs) after 1m20s\n"
	if got := buf.String(); got != want {
		t.Errorf("status lines:\n%s\nwant:\n%s", got, want)
	}

	// Fractions (figures), unknown totals, completion, and concurrent callers.
	buf.Reset()
	p = newStatusProgress(&buf, "deepglass figure ising-exact", "", time.Minute, clk.now)
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 100 {
				p.Fraction(float64(g*100+i) / 1000)
			}
		}()
	}
	wg.Wait()
	clk.advance(2 * time.Minute)
	p.Fraction(0.25)
	clk.advance(time.Minute)
	p.Fraction(1)
	p.Finish()
	want = "deepglass figure ising-exact: 25%, 2m0s elapsed, ETA 6m0s\n" +
		"deepglass figure ising-exact: 100%, 3m0s elapsed\n" +
		"deepglass figure ising-exact: done, 100% in 3m0s\n"
	if got := buf.String(); got != want {
		t.Errorf("status lines:\n%s\nwant:\n%s", got, want)
	}

	buf.Reset()
	p = newStatusProgress(&buf, "deepglass run", "sweeps", time.Second, clk.now)
	clk.advance(2 * time.Second)
	p.Set(1234, 0)
	if got := buf.String(); got != "deepglass run: 1234 sweeps, 2s elapsed\n" {
		t.Errorf("unknown total: %q", got)
	}

	// A short run writes nothing; a nil progress does nothing.
	buf.Reset()
	p = startProgress(&buf, "deepglass train", "epochs")
	p.SetInt(5, 10)
	p.Finish()
	var nilp *progress
	nilp.Set(1, 2)
	nilp.Fraction(0.5)
	nilp.Finish()
	if buf.Len() != 0 || strings.Contains(buf.String(), "\x1b") {
		t.Errorf("short run wrote %q", buf.String())
	}
}
