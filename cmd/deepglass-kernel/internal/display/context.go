package display

import (
	"context"
	"sync"
)

// The context of the running cell: interpreted code stops at once on an interrupt, but
// a compiled call (sim.Run, learn.Train, rg.MCRG …) can only stop when it is asked to,
// through its context. Context is a deepglass extension: gophernotes has no
// equivalent.
var (
	cellMu     sync.Mutex
	cellCtx    = context.Background()
	cellCancel context.CancelFunc
)

// Context returns a context that is cancelled when the user interrupts the running
// cell. Pass it to long deepglass calls, e.g. sim.Run(display.Context(), cfg, opts), so
// that an interrupt stops them (deepglass checks its context every few sweeps) and the
// cell ends with the part done so far.
func Context() context.Context {
	cellMu.Lock()
	defer cellMu.Unlock()
	return cellCtx
}

// BeginCell gives the cell about to run a fresh context; the kernel calls it.
func BeginCell() {
	cellMu.Lock()
	defer cellMu.Unlock()
	if cellCancel != nil {
		cellCancel()
	}
	cellCtx, cellCancel = context.WithCancel(context.Background())
}

// InterruptCell cancels the running cell's context; the kernel calls it on an interrupt.
func InterruptCell() {
	cellMu.Lock()
	defer cellMu.Unlock()
	if cellCancel != nil {
		cellCancel()
	}
}
