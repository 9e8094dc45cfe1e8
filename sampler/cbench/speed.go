package cbench

import "fmt"

// KernelSpeed is the measured speed of one kernel beside the plain C Metropolis
// reference (sampler/internal/cref), measured in alternating blocks so that both see
// the same machine load.
type KernelSpeed struct {
	Kernel string
	L      int
	// NsPerUpdate is wall time per spin update: one spin of one lane for packed
	// kernels, one spin per sweep for cluster moves (a Wolff sweep flips N spins on
	// average, a Swendsen–Wang sweep updates every cluster once).
	NsPerUpdate float64
	// CNsPerUpdate is the C reference's time per attempted flip in the same run.
	CNsPerUpdate float64
	// Ratio is NsPerUpdate / CNsPerUpdate.
	Ratio float64
}

// String returns e.g. "packed L=256: 0.62 ns/update, C 7.1, ratio 0.087".
func (k KernelSpeed) String() string {
	return fmt.Sprintf("%s L=%d: %.3g ns/update, C %.3g, ratio %.3g", k.Kernel, k.L, k.NsPerUpdate, k.CNsPerUpdate, k.Ratio)
}

// KernelNames lists the kernels MeasureKernels times, in order.
// "packed-wide" is SweepWide (512 lanes): its AVX-512 kernel on AVX-512 CPUs, its
// portable twin otherwise (see packed.WideSIMD).
var KernelNames = []string{"metropolis", "heatbath", "wolff", "sw", "packed", "packed-shared", "packed-graph", "packed-wide"}
