//go:build !amd64 || purego

package packed

const checkerAVX512 = false

// checkerSweep is the portable kernel on this platform.
func checkerSweep(m *Model, q *[3][64]uint64, s []uint64, g *wideGen) int {
	return checkerSweepGo(m, q, s, g)
}

// WideSIMD reports whether SweepWide runs its AVX-512 kernels: not on this platform or
// with the purego tag.
func WideSIMD() bool { return false }

func wideSweepAsm(m *Model, q *[3][64]uint64, s []uint64, g *wideGen) int {
	panic("packed: no assembly kernels in this build")
}
