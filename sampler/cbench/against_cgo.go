//go:build cgo

package cbench

import (
	"errors"
	"time"

	"github.com/deepglass/deepglass/sampler/internal/cref"
)

// cL and cBeta are the C reference's lattice side and inverse temperature in
// RunAgainstC: the kernel-speed figure's L = 256 at T = 2.269.
const (
	cL    = 256
	cBeta = 1 / 2.269
)

// RunAgainstC runs work rounds times, each run followed by sweeps of the C reference
// (2D Ising, L = 256, T = 2.269) for about the same wall time, and returns the speeds
// of both per round. work returns the spin updates it did (one spin of one lane for
// packed kernels). Times are wall times on a possibly shared machine: compare the
// speedups, round by round.
func RunAgainstC(rounds int, work func() (updates float64, err error)) (Against, error) {
	if rounds < 1 {
		return Against{}, errors.New("cbench: RunAgainstC needs at least one round")
	}
	cc := cref.New(cL, cBeta, 1)
	cc.Sweep(16)
	t0 := time.Now()
	cc.Sweep(4)
	cPer := max(time.Since(t0)/4, time.Microsecond) // one C sweep, refined every round
	var a Against
	for range rounds {
		t0 := time.Now()
		u, err := work()
		if err != nil {
			return a, err
		}
		d := time.Since(t0)
		if !(u > 0) {
			return a, errors.New("cbench: RunAgainstC: the work did no updates")
		}
		n := max(1, int(d/cPer))
		t1 := time.Now()
		cc.Sweep(n)
		dc := time.Since(t1)
		cPer = max(dc/time.Duration(n), time.Microsecond)
		ns := float64(d.Nanoseconds()) / u
		cns := float64(dc.Nanoseconds()) / float64(n*cL*cL)
		a.NsPerUpdate = append(a.NsPerUpdate, ns)
		a.CNsPerUpdate = append(a.CNsPerUpdate, cns)
		a.Speedup = append(a.Speedup, cns/ns)
	}
	return a, nil
}
