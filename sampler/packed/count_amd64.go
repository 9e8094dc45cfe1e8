//go:build amd64 && !purego

package packed

// countSIMD reports whether the span kernels of laneCount run vector code: the AVX-512
// assembly of count_amd64.s, on a CPU with AVX-512 Foundation (as the row-checkerboard
// kernels, checkerAVX512).
var countSIMD = checkerAVX512

// zeroBlock stands for an absent word source of countVecs (read with stride 0).
var zeroBlock [wideBlock]uint64

// countVecs counts the vecs·8 words a[k] ⊕ b[k] ⊕ d[k] ⊕ e[k] into c, word k in phase
// k mod 8: blocks of 128 words (sixteen vectors) through the Harley–Seal tree (the
// scheme of count.go on eight words at once), the remaining vectors by ripple-carry
// addition; sb, sd, se are the byte strides per block of b, d and e (0 for zeroBlock).
// With bcast = 1, d holds one word per vector (a site of a wide chain), broadcast to
// its eight words, and sd is 128.
//
//go:noescape
func countVecs(c *laneCount, a, b, d, e *uint64, sb, sd, se, vecs, bcast int)

// spanAsm counts a[k] ⊕ b[k] ⊕ d[k] ⊕ e[k] (nil sources left out) for k < len(a):
// whole vectors in assembly, the rest word by word, word k in phase k mod 8.
func (c *laneCount) spanAsm(a, b, d, e []uint64) {
	n := len(a)
	vecs := n / WideWords
	if vecs > 0 {
		src := func(x []uint64) (*uint64, int) {
			if x == nil {
				return &zeroBlock[0], 0
			}
			return &x[0], wideBlock * 8
		}
		pb, sb := src(b)
		pd, sd := src(d)
		pe, se := src(e)
		countVecs(c, &a[0], pb, pd, pe, sb, sd, se, vecs, 0)
	}
	for k := vecs * WideWords; k < n; k++ {
		x := a[k]
		if b != nil {
			x ^= b[k]
		}
		if d != nil {
			x ^= d[k]
		}
		if e != nil {
			x ^= e[k]
		}
		c.add(k&(WideWords-1), x)
	}
}

func (c *laneCount) span1SIMD(a []uint64)       { c.spanAsm(a, nil, nil, nil) }
func (c *laneCount) span2SIMD(a, b []uint64)    { c.spanAsm(a, b[:len(a)], nil, nil) }
func (c *laneCount) span3SIMD(a, b, j []uint64) { c.spanAsm(a, b[:len(a)], j[:len(a)], nil) }
func (c *laneCount) span4SIMD(a, b, d, e []uint64) {
	c.spanAsm(a, b[:len(a)], d[:len(a)], e[:len(a)])
}

// wspan3SIMD counts a[k] ⊕ b[k] ⊕ j[k/8] (one J word per site of a wide chain), word k
// in phase k mod 8.
func (c *laneCount) wspan3SIMD(a, b, j []uint64) {
	n := len(a)
	vecs := n / WideWords
	if vecs > 0 {
		countVecs(c, &a[0], &b[0], &j[0], &zeroBlock[0], wideBlock*8, 128, 0, vecs, 1)
	}
	for k := vecs * WideWords; k < n; k++ {
		c.add(k&(WideWords-1), a[k]^b[k]^j[k/WideWords])
	}
}
