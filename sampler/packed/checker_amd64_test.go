//go:build amd64 && !purego

package packed

import (
	"testing"
	"unsafe"

	"golang.org/x/sys/cpu"

	"github.com/deepglass/deepglass/models"
	"github.com/deepglass/deepglass/sampler"
)

// TestCheckerArgsLayout keeps the field offsets of checkerArgs in step with the
// A_* offsets of checker_amd64.s.
func TestCheckerArgsLayout(t *testing.T) {
	var a checkerArgs
	for _, f := range []struct {
		name     string
		off, asm uintptr
	}{
		{"row", unsafe.Offsetof(a.row), 0}, {"up", unsafe.Offsetof(a.up), 8}, {"dn", unsafe.Offsetof(a.dn), 16},
		{"fw", unsafe.Offsetof(a.fw), 24}, {"bk", unsafe.Offsetof(a.bk), 32}, {"jx", unsafe.Offsetof(a.jx), 40},
		{"jy", unsafe.Offsetof(a.jy), 48}, {"jyu", unsafe.Offsetof(a.jyu), 56}, {"jz", unsafe.Offsetof(a.jz), 64},
		{"jzb", unsafe.Offsetof(a.jzb), 72}, {"blocks", unsafe.Offsetof(a.blocks), 80}, {"dim", unsafe.Offsetof(a.dim), 88},
		{"parity", unsafe.Offsetof(a.parity), 96}, {"off", unsafe.Offsetof(a.off), 104}, {"gen", unsafe.Offsetof(a.gen), 112},
		{"cnt", unsafe.Offsetof(a.cnt), 120}, {"vpopcnt", unsafe.Offsetof(a.vpopcnt), 128},
		{"wide", unsafe.Offsetof(a.wide), 136},
	} {
		if f.off != f.asm {
			t.Errorf("checkerArgs.%s at %d; checker_amd64.s reads it at %d", f.name, f.off, f.asm)
		}
	}
	var g wideGen
	if unsafe.Offsetof(g.s1) != 64 || unsafe.Offsetof(g.s2) != 128 || unsafe.Offsetof(g.s3) != 192 {
		t.Error("wideGen layout differs from checker_amd64.s (s0 … s3 at 0, 64, 128, 192)")
	}
}

// TestCheckerScalarCount runs the assembly kernel with its flip count word by word
// (CPUs without VPOPCNTQ) and requires the counts and spins of the twin.
func TestCheckerScalarCount(t *testing.T) {
	if !checkerAVX512 {
		t.Skip("no AVX-512")
	}
	defer func(v bool) { checkerVPOPCNT = v }(checkerVPOPCNT)
	checkerVPOPCNT = false
	TestCheckerSweepTwins(t)
}

// TestWideAsmMatchesPortable runs the wide kernels of the assembly (wideSweepAsm) and
// the portable ones from the same state and seed and requires identical spins and
// counts, with and without VPOPCNTQ.
func TestWideAsmMatchesPortable(t *testing.T) {
	if !checkerAVX512 {
		t.Skip("no AVX-512")
	}
	defer func(v bool) { checkerVPOPCNT = v }(checkerVPOPCNT)
	for _, vp := range []bool{true, false} {
		checkerVPOPCNT = vp && cpu.X86.HasAVX512VPOPCNTDQ
		for _, p := range []*models.Sparse{models.NewEA(models.Square(12), models.PlusMinus, disorder(73)),
			models.NewEA(models.Cubic(6), models.PlusMinus, disorder(74)), models.NewIsing(models.Square(17), 1, 0)} {
			pm, err := NewModel(p)
			if err != nil {
				t.Fatal(err)
			}
			for _, beta := range []float64{0, 0.44, 0.6, 3} {
				mv := NewMetropolis(pm, beta, IndependentLanes)
				a := NewWideChain(pm, sampler.NewStream(5, sampler.PurposeChain, 0, 0))
				b := NewWideChain(pm, sampler.NewStream(5, sampler.PurposeChain, 0, 0))
				for sweep := range 10 {
					var ga, gb wideGen
					ga.seed(a.Src)
					gb.seed(b.Src)
					a.Accepted += int64(wideSweepAsm(pm, mv.wideQ, a.S, &ga))
					if pm.Lattice.Dim == 2 {
						b.Accepted += int64(sweepWide2D(pm, mv.wideQ, b.S, &gb))
					} else {
						b.Accepted += int64(sweepWide3D(pm, mv.wideQ, b.S, &gb))
					}
					for i := range a.S {
						if a.S[i] != b.S[i] {
							t.Fatalf("%v β=%g vpopcnt %v sweep %d: word %d differs", pm, beta, checkerVPOPCNT, sweep, i)
						}
					}
					if ga != gb {
						t.Fatalf("%v β=%g sweep %d: generators differ", pm, beta, sweep)
					}
				}
				if a.Accepted != b.Accepted {
					t.Errorf("%v β=%g: accepted %d vs %d", pm, beta, a.Accepted, b.Accepted)
				}
			}
		}
	}
}
