package sampler

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// Tempering is parallel tempering (replica exchange; Swendsen & Wang, PRL 57, 2607
// (1986); Hukushima & Nemoto, J. Phys. Soc. Jpn. 65, 1604 (1996)) over any
// single-temperature sampler: one chain per inverse temperature, each swept by its own
// [Sweeper], with exchanges of neighbouring temperatures after every sweep.
//
// Exchanges permute temperature slots, never spin arrays: Chains[Slot[k]] is the chain
// that currently sits at Betas[k] and is swept by Moves[k]. [Tempering.ChainAt] returns
// it. The chains keep their identities (and their random streams) as they travel
// through the temperatures.
//
// # One sweep
//
// [Tempering.Sweep] sweeps every slot once (concurrently, see below), then proposes an
// exchange for every other neighbouring pair (k, k+1): pairs with k even on one sweep,
// k odd on the next. A proposal with log ratio d = (β_{k+1} − β_k)(E_{k+1} − E_k), where
// E_k is the total energy of the chain at slot k, is accepted with probability
// min(1, e^d): for d ≥ 0 without a draw, otherwise iff one uniform from Src is below e^d.
// This keeps the product of the Boltzmann distributions at the slot temperatures
// invariant (detailed balance of the pair swap).
//
// # Reproducibility and concurrency
//
// Each chain draws only from its own Src and the exchanges draw only from t.Src, in a
// fixed order, so results are bit-identical for any GOMAXPROCS and any number of
// workers. [Tempering.SetWorkers] sets the number of workers, the caller included.
// With one worker (or GOMAXPROCS = 1) Sweep runs everything on the calling goroutine
// and starts no goroutine. With w > 1 workers the first Sweep starts w−1 helper
// goroutines, which live until [Tempering.Close]: between sweeps they spin for up to
// 100 µs, so that back-to-back sweeps do not pay for waking a parked thread, then
// park. Call Close (defer t.Close()) when done; a Tempering that becomes unreachable
// without Close has its helpers stopped by a runtime cleanup, later. Slots are handed
// out dynamically, so Moves[k] may run on any goroutine and concurrently with
// Moves[j]: they must not share mutable state (a move factory returning a fresh
// [Metropolis], [HeatBath] or [Wolff] per β satisfies this). While a helper sweeps a
// chain, the chain's Src points to a copy of its stream private to the worker, whose
// state is copied back afterwards, so that streams that share a cache line are not
// written from two cores; a Move must not keep c.Src beyond its Sweep. Sweep allocates
// nothing, except when the number of workers changes.
//
// A Tempering is not safe for concurrent use, and must not be copied after its first
// Sweep.
//
// # Diagnostics
//
// Tried[k] and Swapped[k] count exchange proposals and acceptances of pair (k, k+1);
// [Tempering.Acceptance] is their ratio. Every chain carries a label: the extreme
// temperature it visited last, the hottest (slot 0) or the coldest (slot K−1). A round
// trip is a visit to the coldest slot, then the hottest, then the coldest again;
// [Tempering.RoundTrips] counts them and [Tempering.MeanRoundTrip] is the mean number of
// sweeps between the two cold ends. [Tempering.Flow] is the fraction f(k) of labelled
// chains at slot k whose label is "hottest" (the replica flow of Katzgraber, Trebst,
// Huse & Troyer, J. Stat. Mech. P03018 (2006), whose f counts the other label, so
// theirs is 1 − ours): f = 1 at the hottest slot and 0 at the coldest; the ladder of
// [Tempering.AdaptFeedback], which minimises round-trip times, makes f linear in k.
type Tempering struct {
	// Exchange holds the ladder (Betas), the slots (Chains[Slot[k]] sits at Betas[k]),
	// the exchange statistics and the swap stream Src; it is the core all temperings
	// share.
	*Exchange
	// Moves[k] samples at Betas[k]; NewTempering builds them with the move factory.
	Moves []Sweeper
	// Chains are the replicas; Chains[Slot[k]] sits at Betas[k].
	Chains []*Chain

	move func(beta float64) Sweeper

	workers int // requested; 0 means GOMAXPROCS
	pool    *sweepPool
	cleanup runtime.Cleanup
}

// NewTempering returns parallel tempering over chains at the inverse temperatures
// betas (finite, ≥ 0, strictly increasing), with Moves[k] = move(betas[k]). Chain k
// starts at slot k. The chains must be distinct with distinct, non-nil streams, none of
// them src. NewTempering copies betas and chains; the Tempering keeps move to rebuild
// the Moves when an adaptive ladder changes Betas. It panics on invalid arguments.
func NewTempering(betas []float64, move func(beta float64) Sweeper, chains []*Chain, src *rand.PCG) *Tempering {
	if err := checkLadder(betas); err != nil {
		panic("sampler: NewTempering: " + err.Error())
	}
	if move == nil {
		panic("sampler: NewTempering with nil move factory")
	}
	if src == nil {
		panic("sampler: NewTempering with nil source")
	}
	if len(chains) != len(betas) {
		panic(fmt.Sprintf("sampler: NewTempering with %d chains for %d temperatures", len(chains), len(betas)))
	}
	seen := make(map[any]bool, 2*len(chains)+1)
	seen[src] = true
	for k, c := range chains {
		if c == nil || c.Src == nil {
			panic(fmt.Sprintf("sampler: NewTempering: chain %d is nil or has no source", k))
		}
		if seen[c] || seen[c.Src] {
			panic(fmt.Sprintf("sampler: NewTempering: chain %d or its source is shared", k))
		}
		seen[c], seen[c.Src] = true, true
		if len(c.S) != len(chains[0].S) {
			panic("sampler: NewTempering: chains have different sizes")
		}
	}
	t := &Tempering{
		Exchange: NewExchange(betas, 1, src),
		Chains:   append([]*Chain(nil), chains...),
		move:     move,
	}
	t.rebuildMoves()
	return t
}

// checkLadder reports whether betas is a usable ladder: non-empty, finite, ≥ 0 and
// strictly increasing.
func checkLadder(betas []float64) error {
	if len(betas) == 0 {
		return errors.New("no temperatures")
	}
	for k, b := range betas {
		if !(b >= 0) || math.IsInf(b, 0) {
			return fmt.Errorf("β[%d] = %v (want finite β ≥ 0)", k, b)
		}
		if k > 0 && !(b > betas[k-1]) {
			return fmt.Errorf("β[%d] = %v ≤ β[%d] = %v (want strictly increasing)", k, b, k-1, betas[k-1])
		}
	}
	return nil
}

// rebuildMoves sets Moves[k] = move(Betas[k]).
func (t *Tempering) rebuildMoves() {
	if t.move == nil {
		panic("sampler: Tempering has no move factory (build it with NewTempering)")
	}
	if len(t.Moves) != len(t.Betas) {
		t.Moves = make([]Sweeper, len(t.Betas))
	}
	for k, b := range t.Betas {
		mv := t.move(b)
		if mv == nil {
			panic(fmt.Sprintf("sampler: Tempering move factory returned nil for β = %v", b))
		}
		t.Moves[k] = mv
	}
}

// ChainAt returns the chain currently at Betas[k].
func (t *Tempering) ChainAt(k int) *Chain { return t.Chains[t.Slot[k]] }

// Sweep sweeps the chain at every slot once, then proposes one round of exchanges
// (even pairs and odd pairs on alternate calls) and updates the diagnostics.
func (t *Tempering) Sweep() {
	t.sweepSlots()
	t.exchange()
}

// swapLogRatio returns the log acceptance ratio (β_{k+1} − β_k)(E_{k+1} − E_k) of
// exchanging the chains at slots k and k+1.
func (t *Tempering) swapLogRatio(k int) float64 {
	a, b := t.Chains[t.Slot[k]], t.Chains[t.Slot[k+1]]
	return (t.Betas[k+1] - t.Betas[k]) * (b.E - a.E)
}

// exchange proposes exchanges of the pairs (k, k+1) with k ≡ parity (mod 2) and
// closes the round.
func (t *Tempering) exchange() {
	for k := t.parity; k+1 < len(t.Betas); k += 2 {
		t.Propose(k, 0, t.swapLogRatio(k))
	}
	t.EndRound()
}

// String summarises the ladder and the diagnostics.
func (t *Tempering) String() string {
	return fmt.Sprintf("tempering %v, workers %d", t.Exchange, t.effectiveWorkers())
}

// SetWorkers sets the number of goroutines, the caller included, that sweep slots: at
// most n, never more than GOMAXPROCS or the number of temperatures; n = 0 (the default)
// means GOMAXPROCS. Results do not depend on it. It panics if n < 0.
func (t *Tempering) SetWorkers(n int) {
	if n < 0 {
		panic(fmt.Sprintf("sampler: Tempering.SetWorkers(%d)", n))
	}
	t.workers = n
}

// effectiveWorkers returns the number of workers the next Sweep uses.
func (t *Tempering) effectiveWorkers() int {
	procs := runtime.GOMAXPROCS(0)
	w := t.workers
	if w == 0 || w > procs {
		w = procs
	}
	return max(1, min(w, len(t.Betas)))
}

// Close stops the helper goroutines, if any. The Tempering stays usable: a later Sweep
// with more than one worker starts new ones. Close is idempotent.
func (t *Tempering) Close() {
	if t.pool != nil {
		t.cleanup.Stop()
		t.pool.close()
		t.pool = nil
	}
}

// sweepSlots sweeps the chain at every slot with its move.
func (t *Tempering) sweepSlots() {
	w := t.effectiveWorkers()
	if w <= 1 {
		if t.pool != nil {
			t.Close()
		}
		for k, mv := range t.Moves {
			mv.Sweep(t.Chains[t.Slot[k]])
		}
		return
	}
	if t.pool == nil || t.pool.helpers != w-1 {
		t.Close()
		t.pool = newSweepPool(w - 1)
		t.cleanup = runtime.AddCleanup(t, (*sweepPool).close, t.pool)
	}
	t.pool.run(t.Moves, t.Chains, t.Slot)
}

// spinFor is how long an idle helper polls for the next round before it parks, and
// spinCheck how many polls it makes between clock reads. 100 µs covers the gap between
// back-to-back sweeps (a few µs) with a wide margin, while bounding the CPU an idle
// helper burns; waking a parked thread costs tens of µs, as much as a whole sweep of
// 16 × 512 spins.
const (
	spinFor   = 100 * time.Microsecond
	spinCheck = 64
)

// sweepPool is a set of helper goroutines that sweep slots together with the caller. It
// holds no reference to the Tempering, so that a runtime cleanup can stop it.
//
// Protocol: the caller writes the job (moves, chains, slot, n), resets next and done,
// and opens round r by storing seq = 2r (even). A helper that sees a new even seq
// registers in active and re-reads seq: if it changed, it backs off; otherwise the job
// is stable until it leaves active. Workers claim slots with next.Add and count finished
// slots in done. When done reaches n, the caller closes the round (seq = 2r+1) and
// waits until active is 0, after which no helper touches the job, and it may be
// rewritten. All these variables are atomics, which are sequentially consistent in Go:
// either the caller sees a helper's registration or the helper sees the closed round.
type sweepPool struct {
	helpers int
	src     []*paddedPCG // per worker, the caller's first

	moves  []Sweeper
	chains []*Chain
	slot   []int
	n      int64

	seq    atomic.Uint64
	next   atomic.Int64
	done   atomic.Int64
	active atomic.Int32

	mu       sync.Mutex
	cond     sync.Cond
	sleepers atomic.Int32
	closed   atomic.Bool
	wg       sync.WaitGroup

	failMu sync.Mutex
	fail   any // the first panic of a round's sweeps, re-raised by run
	failed bool
}

// newSweepPool starts a pool with h helper goroutines.
func newSweepPool(h int) *sweepPool {
	p := &sweepPool{helpers: h, src: make([]*paddedPCG, h+1)}
	for w := range p.src {
		p.src[w] = new(paddedPCG)
	}
	p.cond.L = &p.mu
	p.seq.Store(1) // closed: no round yet
	p.wg.Add(h)
	for w := range h {
		go p.helper(p.src[w+1])
	}
	return p
}

// paddedPCG is a random stream alone on its cache lines (128 bytes: two lines, against
// adjacent-line prefetch).
type paddedPCG struct {
	pcg rand.PCG
	_   [128 - 16]byte
}

// helper runs rounds until the pool is closed.
func (p *sweepPool) helper(src *paddedPCG) {
	defer p.wg.Done()
	var seen uint64 = 1
	for {
		g, ok := p.await(seen)
		if !ok {
			return
		}
		seen = g
		p.active.Add(1)
		if p.seq.Load() == g {
			p.work(src)
		}
		p.active.Add(-1)
	}
}

// await waits for an open round other than seen and returns its seq, or false once the
// pool is closed. It spins for spinFor, then parks.
func (p *sweepPool) await(seen uint64) (uint64, bool) {
	open := func() (uint64, bool) {
		g := p.seq.Load()
		return g, g&1 == 0 && g != seen
	}
	var t0 time.Time
	for i := 0; ; i++ {
		if p.closed.Load() {
			return 0, false
		}
		if g, ok := open(); ok {
			return g, true
		}
		if i%spinCheck == spinCheck-1 {
			if t0.IsZero() {
				t0 = time.Now()
			} else if time.Since(t0) > spinFor {
				break
			}
			runtime.Gosched()
		}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.sleepers.Add(1)
	defer p.sleepers.Add(-1)
	for {
		if p.closed.Load() {
			return 0, false
		}
		if g, ok := open(); ok {
			return g, true
		}
		p.cond.Wait()
	}
}

// work claims and sweeps slots until none are left, running each chain on the
// worker's own copy of its stream.
func (p *sweepPool) work(src *paddedPCG) {
	for {
		k := p.next.Add(1) - 1
		if k >= p.n {
			return
		}
		p.sweep(int(k), &src.pcg)
		p.done.Add(1)
	}
}

// sweep sweeps slot k with the chain's stream temporarily replaced by local, which
// starts in the stream's state and whose final state is copied back: the draws are the
// same, but two workers never write to one cache line. (NewStream allocates 16-byte
// PCGs, four to a line; streams of chains swept concurrently in place slowed the 3D EA
// benchmark down with two workers instead of speeding it up.) A panic is recorded
// instead of being allowed to kill the program from a helper goroutine.
func (p *sweepPool) sweep(k int, local *rand.PCG) {
	c := p.chains[p.slot[k]]
	orig := c.Src
	*local = *orig
	c.Src = local
	defer func() {
		*orig = *local
		c.Src = orig
		if r := recover(); r != nil {
			p.failMu.Lock()
			if !p.failed {
				p.fail, p.failed = r, true
			}
			p.failMu.Unlock()
		}
	}()
	p.moves[k].Sweep(c)
}

// run sweeps every slot with the helpers and returns when all are done. If a sweep
// panicked, run panics with the first panic's value once the round is over.
func (p *sweepPool) run(moves []Sweeper, chains []*Chain, slot []int) {
	p.moves, p.chains, p.slot = moves, chains, slot
	p.n = int64(len(moves))
	p.next.Store(0)
	p.done.Store(0)
	g := p.seq.Load() + 1 // even: open the next round
	p.seq.Store(g)
	if p.sleepers.Load() > 0 {
		p.mu.Lock()
		p.cond.Broadcast()
		p.mu.Unlock()
	}
	p.work(p.src[0])
	for i := 0; p.done.Load() < p.n; i++ {
		if i%spinCheck == spinCheck-1 {
			runtime.Gosched()
		}
	}
	p.seq.Store(g + 1) // close the round
	for i := 0; p.active.Load() != 0; i++ {
		if i%spinCheck == spinCheck-1 {
			runtime.Gosched()
		}
	}
	if p.failed {
		r := p.fail
		p.fail, p.failed = nil, false
		panic(r)
	}
}

// close stops the helpers and waits for them to exit. It is idempotent.
func (p *sweepPool) close() {
	if p.closed.Swap(true) {
		return
	}
	p.mu.Lock()
	p.cond.Broadcast()
	p.mu.Unlock()
	p.wg.Wait()
}

// Restore sets the tempering state from s (copying it), rebuilding the Moves if the
// ladder differs from the current one. It returns an error, and changes nothing, if s
// does not fit: wrong lengths for this number of chains, a ladder that is not strictly
// increasing, a Slot that is not a permutation, or values out of range.
func (t *Tempering) Restore(s TemperingState) error {
	if err := t.check(s); err != nil {
		return err
	}
	rebuild := false
	for k, b := range s.Betas {
		if b != t.Betas[k] {
			rebuild = true
		}
	}
	if rebuild && t.move == nil {
		return errors.New("tempering state has a different ladder and the Tempering has no move factory")
	}
	t.restore(s)
	if rebuild {
		t.rebuildMoves()
	}
	return nil
}
