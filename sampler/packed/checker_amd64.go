//go:build amd64 && !purego

package packed

import "golang.org/x/sys/cpu"

// checkerAVX512 reports whether checkerSweep runs its assembly kernel: AVX-512
// Foundation (Skylake-SP and later, Zen 4). checkerVPOPCNT says whether it counts flips
// with VPOPCNTQ (Ice Lake and later, Zen 4) rather than word by word.
var (
	checkerAVX512  = cpu.X86.HasAVX512F
	checkerVPOPCNT = cpu.X86.HasAVX512VPOPCNTDQ
)

// WideSIMD reports whether SweepWide runs its AVX-512 kernels (the assembly of
// checker_amd64.s, in any build on amd64 without the purego tag, on a CPU with AVX-512);
// otherwise it runs the portable twin, which gives the same bits.
func WideSIMD() bool { return checkerAVX512 }

// checkerArgs is what checkerPass reads (offsets fixed in checker_amd64.s, checked by
// TestCheckerArgsLayout): the first word of the row being updated and of its
// neighbour rows, of the coupling rows, and the pass.
type checkerArgs struct {
	row, up, dn, fw, bk  *uint64 // spins: this row, y−1, y+1, z+1, z−1 (fw, bk: cubic only)
	jx, jy, jyu, jz, jzb *uint64 // couplings: x bonds of the row, y bonds of the row and of row y−1, z bonds of the row and of row z−1
	blocks, dim, parity  int     // blocks of 16 columns, 2 or 3, 0 (even columns) or 1
	off                  *[64]uint32
	gen                  *wideGen
	cnt                  *[WideWords]uint64 // flips per word, accumulated
	vpopcnt              int                // 1: count flips with VPOPCNTQ
	wide                 int                // 1: a row of a wide chain (8 words per site, typewriter order)
}

// checkerPass updates the columns of one parity of one row (checker_amd64.s).
//
//go:noescape
func checkerPass(a *checkerArgs)

// checkerSweep runs the assembly kernel when the CPU has it, else the portable one.
func checkerSweep(m *Model, q *[3][64]uint64, s []uint64, g *wideGen) int {
	if !checkerAVX512 {
		return checkerSweepGo(m, q, s, g)
	}
	return sweepAsm(m, q, s, g, false)
}

// wideSweepAsm is sweepWide2D or sweepWide3D in the assembly kernel.
func wideSweepAsm(m *Model, q *[3][64]uint64, s []uint64, g *wideGen) int {
	return sweepAsm(m, q, s, g, true)
}

// sweepAsm runs checkerPass over every row of s, plane by plane: in each row the even
// columns, then the odd, for a 64-lane chain; the sites in typewriter order, the eight
// words of a site one vector, for a wide chain.
func sweepAsm(m *Model, q *[3][64]uint64, s []uint64, g *wideGen, wide bool) int {
	l, dim := m.Lattice.L, m.Lattice.Dim
	off := checkerOffsets(q, dim)
	var cnt [WideWords]uint64
	a := checkerArgs{blocks: l / 16, dim: dim, off: &off, gen: g, cnt: &cnt}
	w, passes := 1, 2 // words per site, passes per row
	if wide {
		a.blocks, a.wide, w, passes = l, 1, WideWords, 1
	}
	if checkerVPOPCNT {
		a.vpopcnt = 1
	}
	jx, jy := m.J[0], m.J[1]
	planes, l2 := 1, l*l
	if dim == 3 {
		planes = l
	}
	for z := range planes {
		pl := z * l2
		zb, zf := (z+l-1)%l*l2, (z+1)%l*l2
		for y := range l {
			row, up, dn := pl+y*l, pl+(y+l-1)%l*l, pl+(y+1)%l*l
			a.row, a.up, a.dn = &s[w*row], &s[w*up], &s[w*dn]
			a.jx, a.jy, a.jyu = &jx[row], &jy[row], &jy[up]
			if dim == 3 {
				a.fw, a.bk = &s[w*(zf+y*l)], &s[w*(zb+y*l)]
				a.jz, a.jzb = &m.J[2][row], &m.J[2][zb+y*l]
			}
			for p := range passes {
				a.parity = p
				checkerPass(&a)
			}
		}
	}
	n := 0
	for _, c := range cnt {
		n += int(c)
	}
	return n
}

// checkerOffsets returns, for bit j = 0 … 63 of the thresholds, the byte offset 64·c of
// the class union c that compares with a one there (bit k−1 of c set when bit j of
// q_k is set; classes 1 and 2 on the square lattice, 1 to 3 on the cubic), the index
// into the unions (sel) of the assembly kernel.
func checkerOffsets(q *[3][64]uint64, dim int) (off [64]uint32) {
	classes := 3
	if dim == 2 {
		classes = 2
	}
	for j := range off {
		var c uint32
		for k := range classes {
			c |= uint32(q[k][j]&1) << k
		}
		off[j] = 64 * c
	}
	return off
}
