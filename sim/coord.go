package sim

import (
	"sync"
	"sync/atomic"
	"time"
)

// coordinator lets the checkpoint writer stop every running unit at a sweep boundary:
// request sets a flag that units check between chunks of sweeps; once every active unit
// has parked (or finished), the writer encodes the units' states, and release lets them
// go on. Units that start while a checkpoint is being taken wait for it.
type coordinator struct {
	mu      sync.Mutex
	cond    *sync.Cond
	pausing atomic.Bool
	active  int
	parked  int
}

func (c *coordinator) init() { c.cond = sync.NewCond(&c.mu) }

// enter registers a unit that starts running; it waits while a checkpoint is taken.
func (c *coordinator) enter() {
	c.mu.Lock()
	for c.pausing.Load() {
		c.cond.Wait()
	}
	c.active++
	c.mu.Unlock()
}

// leave unregisters a unit that stopped running.
func (c *coordinator) leave() {
	c.mu.Lock()
	c.active--
	c.cond.Broadcast()
	c.mu.Unlock()
}

// checkpointPoint parks the calling unit while a checkpoint is being taken.
func (c *coordinator) checkpointPoint() {
	if !c.pausing.Load() {
		return
	}
	c.mu.Lock()
	c.parked++
	c.cond.Broadcast()
	for c.pausing.Load() {
		c.cond.Wait()
	}
	c.parked--
	c.mu.Unlock()
}

// pause waits until every active unit has parked and returns with them parked; resume
// releases them.
func (c *coordinator) pause() {
	c.mu.Lock()
	c.pausing.Store(true)
	for c.parked < c.active {
		c.cond.Wait()
	}
	c.mu.Unlock()
}

func (c *coordinator) resume() {
	c.mu.Lock()
	c.pausing.Store(false)
	c.cond.Broadcast()
	c.mu.Unlock()
}

// startProgress calls report about ten times a second until the returned stop
// function is called, which reports a last time.
func startProgress(report func(done, total int64), done *atomic.Int64, total int64) (stop func()) {
	if report == nil {
		return func() {}
	}
	quit := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-quit:
				report(done.Load(), total)
				return
			case <-tick.C:
				report(done.Load(), total)
			}
		}
	}()
	return func() { close(quit); <-finished }
}
