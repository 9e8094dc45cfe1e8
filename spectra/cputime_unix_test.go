//go:build unix

package spectra

import (
	"syscall"
	"time"
)

// cpuTime returns the user plus system CPU time of the process: on a shared machine
// it measures the work of a benchmark better than the wall clock.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
