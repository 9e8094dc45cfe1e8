package main

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// statusEvery is the time between two status lines when stderr is not a terminal.
const statusEvery = 30 * time.Second

// progress shows the progress of a long command on stderr. On a terminal it draws a
// progress bar. Elsewhere (a Slurm log, a pipe, a file) it writes a status line such
// as
//
//	deepglass train: 41% (41/100 epochs), 2m3s elapsed, ETA 2m57s
//
// at most every 30 s, when the work reports progress, and a last line when it
// finishes if it wrote any before; a command shorter than 30 s writes none.
//
// Set and Fraction may be called from any goroutine; all methods of a nil *progress do
// nothing. Use:
//
//	p := startProgress(stderr, "deepglass run", "sweeps")
//	opts.Progress = p.Set // func(done, total int64)
//	…
//	p.Finish()
type progress struct {
	name  string // the command, e.g. "deepglass train"
	unit  string // what done and total count, e.g. "epochs"; "" for Fraction
	w     io.Writer
	bar   *progressbar.ProgressBar // nil when w is not a terminal
	every time.Duration
	now   func() time.Time

	mu          sync.Mutex
	start, last time.Time
	done, total int64
	frac        float64 // fraction done, in [0, 1]
	lines       int     // status lines written
	finished    bool
}

// startProgress starts the progress display of the command name on w, counting unit
// ("" when the work reports fractions).
func startProgress(w io.Writer, name, unit string) *progress {
	p := newStatusProgress(w, name, unit, statusEvery, time.Now)
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		desc := unit
		if desc == "" {
			desc = name
		}
		opts := []progressbar.Option{
			progressbar.OptionSetWriter(f),
			progressbar.OptionSetDescription(desc),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionThrottle(100 * time.Millisecond),
			progressbar.OptionSetWidth(30),
			progressbar.OptionClearOnFinish(),
		}
		if unit != "" {
			opts = append(opts, progressbar.OptionShowCount())
		}
		p.bar = progressbar.NewOptions64(-1, opts...)
	}
	return p
}

// newStatusProgress is startProgress without a terminal: status lines on w every
// interval of the clock now.
func newStatusProgress(w io.Writer, name, unit string, every time.Duration, now func() time.Time) *progress {
	t := now()
	return &progress{name: name, unit: unit, w: w, every: every, now: now, start: t, last: t}
}

// fractionScale is the resolution of a fraction on the progress bar.
const fractionScale = 1000

// Set reports that done of total units are done (total ≤ 0: unknown).
func (p *progress) Set(done, total int64) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done, p.total = done, total
	p.frac = -1
	if total > 0 {
		p.frac = min(max(float64(done)/float64(total), 0), 1)
	}
	if p.bar != nil {
		if total > 0 {
			p.bar.ChangeMax64(total)
		}
		_ = p.bar.Set64(done) // a terminal write error is no reason to stop the work
		return
	}
	p.status(false)
}

// SetInt is Set for work that counts in int (learn.Options.Progress).
func (p *progress) SetInt(done, total int) { p.Set(int64(done), int64(total)) }

// Fraction reports that the fraction f ∈ [0, 1] of the work is done
// (figures.Options.Progress).
func (p *progress) Fraction(f float64) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.frac = min(max(f, 0), 1)
	if p.bar != nil {
		p.bar.ChangeMax64(fractionScale)
		_ = p.bar.Set64(int64(p.frac * fractionScale))
		return
	}
	p.status(false)
}

// Finish ends the display: it clears the bar, or writes a last status line if any
// was written.
func (p *progress) Finish() {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.finished {
		return
	}
	p.finished = true
	if p.bar != nil {
		_ = p.bar.Finish()
		fmt.Fprintln(p.w)
		return
	}
	if p.lines > 0 {
		p.status(true)
	}
}

// status writes a status line if the interval has passed since the last one (or if
// final); p.mu is held.
func (p *progress) status(final bool) {
	t := p.now()
	if !final && t.Sub(p.last) < p.every {
		return
	}
	p.last = t
	p.lines++
	elapsed := t.Sub(p.start)
	var what string
	switch {
	case p.unit != "" && p.total > 0:
		what = fmt.Sprintf("%.0f%% (%d/%d %s)", 100*p.frac, p.done, p.total, p.unit)
	case p.unit != "":
		what = fmt.Sprintf("%d %s", p.done, p.unit)
	default:
		what = fmt.Sprintf("%.0f%%", 100*p.frac)
	}
	line := fmt.Sprintf("%s: %s, %s elapsed", p.name, what, roundDuration(elapsed))
	switch {
	case final:
		line = fmt.Sprintf("%s: stopped at %s after %s", p.name, what, roundDuration(elapsed))
		if p.frac >= 1 {
			line = fmt.Sprintf("%s: done, %s in %s", p.name, what, roundDuration(elapsed))
		}
	case p.frac > 0 && p.frac < 1:
		eta := time.Duration(float64(elapsed) * (1 - p.frac) / p.frac)
		line += ", ETA " + roundDuration(eta)
	}
	fmt.Fprintln(p.w, line)
}

// roundDuration formats d to the second (to the millisecond below one second).
func roundDuration(d time.Duration) string {
	if d < time.Second {
		return d.Round(time.Millisecond).String()
	}
	return d.Round(time.Second).String()
}
