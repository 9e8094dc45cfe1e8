//go:build !(goexperiment.simd && amd64)

package packed

// WideSIMD reports whether SweepWide runs its AVX-512 kernels: only in builds with
// GOEXPERIMENT=simd on amd64, on a CPU with AVX-512.
func WideSIMD() bool { return false }

func sweepWideSIMD(m *Model, q *[3][64]uint64, s []uint64, g *wideGen) int {
	panic("packed: no SIMD kernels in this build")
}
