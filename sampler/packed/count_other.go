//go:build !amd64 || purego

package packed

// countSIMD reports whether the span kernels of laneCount run vector code: not on this
// platform or with the purego tag (see count_amd64.go).
const countSIMD = false

func (c *laneCount) span1SIMD(a []uint64)          { panic("packed: no SIMD kernels in this build") }
func (c *laneCount) span2SIMD(a, b []uint64)       { panic("packed: no SIMD kernels in this build") }
func (c *laneCount) span3SIMD(a, b, j []uint64)    { panic("packed: no SIMD kernels in this build") }
func (c *laneCount) wspan3SIMD(a, b, j []uint64)   { panic("packed: no SIMD kernels in this build") }
func (c *laneCount) span4SIMD(a, b, d, e []uint64) { panic("packed: no SIMD kernels in this build") }
