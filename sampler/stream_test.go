package sampler

import (
	"testing"
	"unsafe"
)

// TestStreamGolden pins the mapping from (seed, purpose, sample, replica) to random
// streams: every result of deepglass depends on it, so a change here changes every
// number users have published. These values were produced by this implementation
// (SplitMix64 chain, then PCG-DXSM from math/rand/v2) when the mapping was fixed; a
// change needs a CHANGELOG entry, never a silent update of this table.
func TestStreamGolden(t *testing.T) {
	cases := []struct {
		seed            uint64
		purpose         Purpose
		sample, replica int
		want            [3]uint64
	}{
		{0, 2, 0, 0, [3]uint64{0xe1f5bac13eedf012, 0xbaa29a450c9ca30d, 0xbca483b51cb19024}},
		{1, 2, 0, 0, [3]uint64{0x4ba1a7f75d28b930, 0xedc1f2486cc289de, 0xd00f4135353d5c54}},
		{1, 1, 0, 0, [3]uint64{0x7a4942aabf0d6e6d, 0x3f1ef7f25e52807e, 0x7efd1c153c9a008d}},
		{1, 2, 3, 5, [3]uint64{0x565824829d569747, 0xa0cd8b191310b161, 0x72a08118b65e8d35}},
		{42, 3, 7, 1, [3]uint64{0xc461fc29231040b1, 0xf354d315a21b2622, 0x387f24a41aaeb702}},
	}
	for _, c := range cases {
		s := NewStream(c.seed, c.purpose, c.sample, c.replica)
		for k, w := range c.want {
			if got := s.Uint64(); got != w {
				t.Errorf("NewStream(%d, %v, %d, %d) draw %d = %#x; want %#x", c.seed, c.purpose, c.sample, c.replica, k, got, w)
			}
		}
	}
}

// TestStreamsDoNotShareCacheLines checks that streams are 128 bytes apart or more, so
// chains swept on different cores do not false-share.
func TestStreamsDoNotShareCacheLines(t *testing.T) {
	var addrs []uintptr
	for r := 0; r < 64; r++ {
		addrs = append(addrs, uintptr(unsafe.Pointer(NewStream(1, PurposeChain, 0, r))))
	}
	for i, a := range addrs {
		if a%64 != 0 {
			t.Errorf("stream %d at %#x is not cache-line aligned", i, a)
		}
		for _, b := range addrs[:i] {
			if d := int64(a) - int64(b); d > -128 && d < 128 {
				t.Fatalf("streams at %#x and %#x are %d bytes apart", a, b, d)
			}
		}
	}
}
