//go:build !(goexperiment.simd && amd64)

package packed

// countSIMD reports whether the span kernels of laneCount run vector code: only in builds
// with GOEXPERIMENT=simd on amd64, on a CPU with AVX-512.
const countSIMD = false

func (c *laneCount) span1SIMD(a []uint64)          { panic("packed: no SIMD kernels in this build") }
func (c *laneCount) span2SIMD(a, b []uint64)       { panic("packed: no SIMD kernels in this build") }
func (c *laneCount) span3SIMD(a, b, j []uint64)    { panic("packed: no SIMD kernels in this build") }
func (c *laneCount) wspan3SIMD(a, b, j []uint64)   { panic("packed: no SIMD kernels in this build") }
func (c *laneCount) span4SIMD(a, b, d, e []uint64) { panic("packed: no SIMD kernels in this build") }
