//go:build unix

// Benchmarks and measurements of Anneal on the G-set samples. The file needs unix for
// the process CPU time (syscall.Getrusage).

package sampler

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// BenchmarkAnnealSweep measures one sweep of the integer annealing kernel on G22 at
// fixed β (after 200 sweeps there), beside a Metropolis sweep at the same β.
func BenchmarkAnnealSweep(b *testing.B) {
	p, _ := loadGset(b, "G22")
	for _, beta := range []float64{0.1, 0.5, 1, 2, 3.5} {
		b.Run(fmt.Sprintf("anneal/beta=%g", beta), func(b *testing.B) {
			c := NewChain(p, NewStream(1, PurposeChain, 0, 0))
			k := newAnnealInt(p)
			k.load(c.S)
			k.setBeta(beta)
			for range 200 {
				k.sweep(c.S, c.Src, false)
			}
			var acc int64
			for b.Loop() {
				a, _ := k.sweep(c.S, c.Src, false)
				acc += a
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*p.N()), "ns/flip")
			b.ReportMetric(float64(acc)/float64(b.N*p.N()), "accept")
		})
		b.Run(fmt.Sprintf("metropolis/beta=%g", beta), func(b *testing.B) {
			c := NewChain(p, NewStream(1, PurposeChain, 0, 0))
			mh := NewMetropolis(p, beta, Typewriter)
			for range 200 {
				mh.Sweep(c)
			}
			c.Accepted, c.Proposed = 0, 0
			for b.Loop() {
				mh.Sweep(c)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*p.N()), "ns/flip")
			b.ReportMetric(c.Acceptance(), "accept")
		})
	}
}

// BenchmarkAnnealG22 times one default anneal of G22 (sweeps and quench), in ns per
// attempted flip, and reports the mean cut.
func BenchmarkAnnealG22(b *testing.B) {
	p, g := loadGset(b, "G22")
	a := NewAnneal(p, DefaultSchedule(p))
	var flips int64
	var cut float64
	r := 0
	for b.Loop() {
		c := NewChain(p, NewStream(1, PurposeChain, 0, r))
		_, e := a.Run(c)
		flips += c.Proposed
		cut += g.Cut(e)
		r++
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(flips), "ns/flip")
	b.ReportMetric(cut/float64(r), "cut")
}

// gsetBest are the best known cuts of the six G-set samples (testdata/gset/README.md:
// Benlic & Hao 2013 and later improvements).
var gsetBest = map[string]int{"G1": 11624, "G11": 564, "G14": 3064, "G22": 13359, "G43": 6660, "G55": 10299}

// TestGsetTTS measures the time to 99%, 99.5% and 100% of the best known cut with
// AnnealRestarts of the default schedule on 2 workers, for seeds 1…10 and a 40 s limit
// per seed. It takes up to half an hour, so it runs only when DEEPGLASS_GSET_TTS is set:
// to "1" for G1, G22, G43 and G55, or to a comma-separated list of graphs. The table goes
// to the test log and to DEEPGLASS_GSET_TTS_OUT (default /tmp/gset_tts.txt):
//
//	DEEPGLASS_GSET_TTS=1 go test ./sampler -run TestGsetTTS -v -timeout 60m
func TestGsetTTS(t *testing.T) {
	which := os.Getenv("DEEPGLASS_GSET_TTS")
	if which == "" {
		t.Skip("set DEEPGLASS_GSET_TTS=1 to measure G-set times to target")
	}
	graphs := []string{"G1", "G22", "G43", "G55"}
	if which != "1" {
		graphs = strings.Split(which, ",")
	}
	out := os.Getenv("DEEPGLASS_GSET_TTS_OUT")
	if out == "" {
		out = "/tmp/gset_tts.txt"
	}
	const (
		seeds   = 10
		workers = 2
		limit   = 40 * time.Second
	)
	fracs := []float64{0.99, 0.995, 1}
	var b strings.Builder
	fmt.Fprintf(&b, "AnnealRestarts, default schedule, %d workers, seeds 1…%d, %v limit per seed, GOMAXPROCS=%d\n",
		workers, seeds, limit, runtime.GOMAXPROCS(0))
	fmt.Fprintf(&b, "%-4s %5s %-34s %6s %7s %8s %12s %8s %10s\n", "", "N", "schedule", "target", "cut", "reached", "median s", "max s", "med sweeps")
	for _, name := range graphs {
		p, g := loadGset(t, name)
		best, ok := gsetBest[name]
		if !ok {
			t.Fatalf("no best known cut for %s", name)
		}
		s := DefaultSchedule(p)
		targets := make([]float64, len(fracs))
		cuts := make([]int, len(fracs))
		for j, f := range fracs {
			cuts[j] = int(math.Ceil(f*float64(best) - 1e-9))
			targets[j] = g.TotalWeight - 2*float64(cuts[j])
		}
		secs := make([][]float64, len(fracs)) // +Inf when not reached
		sweeps := make([][]float64, len(fracs))
		for seed := uint64(1); seed <= seeds; seed++ {
			res := AnnealRestarts(context.Background(), p, s, seed, workers, targets, limit, 0)
			t.Logf("%s seed %d: cut %v, %v", name, seed, g.Cut(res.BestE), res)
			for j := range fracs {
				secs[j] = append(secs[j], math.Inf(1))
				sweeps[j] = append(sweeps[j], math.Inf(1))
				for _, h := range res.Hits {
					if h.Target == targets[j] {
						secs[j][seed-1] = h.Seconds
						sweeps[j][seed-1] = float64(h.Sweeps)
					}
				}
			}
		}
		for j, f := range fracs {
			reached := 0
			maxS := 0.0
			for _, x := range secs[j] {
				if !math.IsInf(x, 1) {
					reached++
					maxS = max(maxS, x)
				}
			}
			fmt.Fprintf(&b, "%-4s %5d %-34v %5.1f%% %7d %5d/%-2d %12s %8.3g %10s\n", name, p.N(), s, 100*f, cuts[j],
				reached, seeds, medianString(secs[j], "%.3g"), maxS, medianString(sweeps[j], "%.0f"))
		}
	}
	t.Log("\n" + b.String())
	if err := os.WriteFile(out, []byte(b.String()), 0o644); err != nil {
		t.Error(err)
	}
}

// medianString formats the median of x (which may hold +Inf for "not reached") with
// format, or "> limit" when the median is not reached.
func medianString(x []float64, format string) string {
	y := slices.Clone(x)
	slices.Sort(y)
	n := len(y)
	m := y[n/2]
	if n%2 == 0 {
		m = (y[n/2-1] + y[n/2]) / 2
	}
	if math.IsInf(m, 1) {
		return "not reached"
	}
	return fmt.Sprintf(format, m)
}

// TestGsetScan runs single anneals of G-set graphs and reports, for each schedule, the
// mean and best cut, the CPU time per anneal, and for 99%, 99.5%, 99.9% and 100% of the
// best known cut the fraction p of anneals that reached it and the expected time to
// reach it by restarts on one core, time/p. It is the tool the default schedule was
// tuned with, and runs only when DEEPGLASS_GSET_SCAN lists schedules as
// graph:sweeps:βstart:βend:kind:runs, separated by ";" (a β of 0 is the default's):
//
//	DEEPGLASS_GSET_SCAN='G22:5000:0:0:linear:100;G22:5000:0.25:2.5:linear:100' \
//		go test ./sampler -run TestGsetScan -v -timeout 60m
func TestGsetScan(t *testing.T) {
	spec := os.Getenv("DEEPGLASS_GSET_SCAN")
	if spec == "" {
		t.Skip("set DEEPGLASS_GSET_SCAN to scan G-set schedules")
	}
	for _, one := range strings.Split(spec, ";") {
		f := strings.Split(one, ":")
		if len(f) != 6 {
			t.Fatalf("scan %q: want graph:sweeps:βstart:βend:kind:runs", one)
		}
		p, g := loadGset(t, f[0])
		best, ok := gsetBest[f[0]]
		if !ok {
			t.Fatalf("no best known cut for %s", f[0])
		}
		sweeps, err1 := strconv.Atoi(f[1])
		b0, err2 := strconv.ParseFloat(f[2], 64)
		b1, err3 := strconv.ParseFloat(f[3], 64)
		runs, err4 := strconv.Atoi(f[5])
		if err := errors.Join(err1, err2, err3, err4); err != nil {
			t.Fatalf("scan %q: %v", one, err)
		}
		s := DefaultSchedule(p)
		if b0 != 0 {
			s.BetaStart = b0
		}
		if b1 != 0 {
			s.BetaEnd = b1
		}
		s.Sweeps, s.Kind = sweeps, f[4]
		a := NewAnneal(p, s)
		fracs := []float64{0.99, 0.995, 0.999, 1}
		reached := make([]int, len(fracs))
		var sum, top float64
		cpu0 := cpuSeconds()
		for r := range runs {
			_, e := a.Run(NewChain(p, NewStream(99, PurposeChain, 0, r)))
			cut := g.Cut(e)
			sum += cut
			top = max(top, cut)
			for j, fr := range fracs {
				if cut >= math.Ceil(fr*float64(best)-1e-9) {
					reached[j]++
				}
			}
		}
		ms := (cpuSeconds() - cpu0) * 1000 / float64(runs)
		var b strings.Builder
		fmt.Fprintf(&b, "%-4s %-36v mean %8.1f best %6.0f %8.2f ms CPU | p, time/p (ms):", f[0], s, sum/float64(runs), top, ms)
		for j, fr := range fracs {
			if reached[j] == 0 {
				fmt.Fprintf(&b, "  %g%% 0/%d", 100*fr, runs)
				continue
			}
			pr := float64(reached[j]) / float64(runs)
			fmt.Fprintf(&b, "  %g%% %.3g %.4g", 100*fr, pr, ms/pr)
		}
		t.Log(b.String())
	}
}

// cpuSeconds returns the user CPU time of the process, which on a shared machine
// measures work better than wall time does.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return math.NaN()
	}
	return float64(ru.Utime.Sec) + float64(ru.Utime.Usec)*1e-6
}
