//go:build amd64 && !purego

package packed

import (
	"testing"
	"unsafe"
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
