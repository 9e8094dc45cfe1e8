package models_test

import "syscall"

// threadCPU returns the CPU time (user + system) of the calling OS thread in
// nanoseconds: getrusage(RUSAGE_THREAD), RUSAGE_THREAD = 1 on Linux.
func threadCPU() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(1, &ru); err != nil {
		return 0
	}
	return float64(ru.Utime.Nano() + ru.Stime.Nano())
}
