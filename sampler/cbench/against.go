package cbench

import (
	"fmt"
	"slices"
)

// Against is the speed of a piece of work (a whole `deepglass run`, say) beside the
// plain C Metropolis kernel (sampler/internal/cref) on the 2D Ising model at T = 2.269,
// measured in alternating rounds so that both see the same machine load.
type Against struct {
	// NsPerUpdate and CNsPerUpdate are, per round, the work's wall time per spin update
	// and the C kernel's wall time per attempted flip.
	NsPerUpdate, CNsPerUpdate []float64
	// Speedup is, per round, CNsPerUpdate / NsPerUpdate: how many times the C kernel's
	// speed the work ran at.
	Speedup []float64
}

// Median returns the median speedup over the rounds.
func (a Against) Median() float64 { return median(a.Speedup) }

// String returns e.g. "speedup median 23.1 (rounds 22.0 23.1 24.5), 0.31 ns/update, C 7.2".
func (a Against) String() string {
	return fmt.Sprintf("speedup median %.3g (rounds %.3g), %.3g ns/update, C %.3g", a.Median(), a.Speedup,
		median(a.NsPerUpdate), median(a.CNsPerUpdate))
}

func median(x []float64) float64 {
	if len(x) == 0 {
		return 0
	}
	s := slices.Clone(x)
	slices.Sort(s)
	if n := len(s); n%2 == 0 {
		return (s[n/2-1] + s[n/2]) / 2
	}
	return s[len(s)/2]
}
