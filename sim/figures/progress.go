package figures

import "sync"

// progress shares a figure's Options.Progress among its inner runs (sim runs,
// trainings, RG runs): part k has a weight, its relative cost, and reports the
// fraction of its own work done; the figure's fraction is the weighted mean.
// Options.Progress is called under a lock, so never from two goroutines at once.
//
// A nil *progress (Options.Progress is nil) hands out nil callbacks, which the inner
// runs treat as "no progress wanted". Progress reports never touch a random stream,
// so no figure's numbers depend on them.
type progress struct {
	report func(fraction float64)
	mu     sync.Mutex
	weight []float64
	frac   []float64
	sum    float64
}

// newProgress returns the progress of a figure made of parts with the given
// relative costs (at least one part), or nil if o.Progress is nil.
func (o Options) newProgress(weights ...float64) *progress {
	if o.Progress == nil {
		return nil
	}
	p := &progress{report: o.Progress, weight: weights, frac: make([]float64, len(weights))}
	for _, w := range weights {
		p.sum += w
	}
	return p
}

// equalParts returns n weights of 1.
func equalParts(n int) []float64 {
	w := make([]float64, n)
	for i := range w {
		w[i] = 1
	}
	return w
}

// set records that part k is done to fraction f and reports the figure's fraction.
func (p *progress) set(k int, f float64) {
	if p == nil || !(p.sum > 0) {
		return
	}
	f = min(max(f, 0), 1)
	p.mu.Lock()
	defer p.mu.Unlock()
	p.frac[k] = f
	var done float64
	for i, w := range p.weight {
		done += w * p.frac[i]
	}
	p.report(min(done/p.sum, 1))
}

// run returns the progress callback of part k for sim.Options.Progress and the RG
// runs' Progress (done and total in any unit), or nil.
func (p *progress) run(k int) func(done, total int64) {
	if p == nil {
		return nil
	}
	return func(done, total int64) {
		if total > 0 {
			p.set(k, float64(done)/float64(total))
		}
	}
}

// epochs returns the progress callback of part k for learn.Options.Progress, or nil.
func (p *progress) epochs(k int) func(done, total int) {
	if p == nil {
		return nil
	}
	return func(done, total int) {
		if total > 0 {
			p.set(k, float64(done)/float64(total))
		}
	}
}

// upTo records that parts 0 … k−1 are done.
func (p *progress) upTo(k int) {
	for i := range k {
		p.set(i, 1)
	}
}

// finish records that every part is done.
func (p *progress) finish() {
	if p != nil {
		p.upTo(len(p.weight))
	}
}
