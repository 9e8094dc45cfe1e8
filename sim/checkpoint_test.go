package sim

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/crc32"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
)

// testCheckpoint returns a small checkpoint with every kind of field set.
var goldenHash = [32]byte{0x09, 0xc2, 0xe3, 0x47, 0x4a, 0x84, 0xb6, 0x6a, 0x7a, 0xf3, 0x70, 0x92, 0xf4, 0xd8, 0x05, 0x85,
	0xd5, 0xbe, 0xd0, 0xab, 0x3c, 0x53, 0xe8, 0x16, 0x96, 0x09, 0x23, 0x44, 0x45, 0x1a, 0x02, 0x42}

func testCheckpoint() *Checkpoint {
	var e Encoder
	e.PutUint64(42)
	e.PutFloat64s([]float64{1.5, -2})
	return &Checkpoint{
		// A fixed hash (once ConfigHash of an SK config), so that this golden pins the
		// file format and not the config defaults.
		ConfigHash: goldenHash,
		Version:    "0.1.0-test",
		Created:    time.Date(2025, 3, 14, 15, 9, 26, 535897932, time.FixedZone("CET", 3600)),
		Sections: map[string][]byte{
			"state": e.Bytes(),
			"empty": {},
			"ü":     []byte("non-ASCII name"),
		},
	}
}

// withCRC returns body followed by its CRC-32C, as a checkpoint file ends.
func withCRC(body []byte) []byte {
	return binary.LittleEndian.AppendUint32(slices.Clone(body), crc32.Checksum(body, castagnoli))
}

func mustMarshal(t testing.TB, ck *Checkpoint) []byte {
	t.Helper()
	b, err := ck.MarshalBinary()
	if err != nil {
		t.Fatalf("MarshalBinary: %v", err)
	}
	return b
}

func sameCheckpoint(a, b *Checkpoint) bool {
	if a.ConfigHash != b.ConfigHash || a.Version != b.Version || !a.Created.Equal(b.Created) ||
		len(a.Sections) != len(b.Sections) {
		return false
	}
	for name, data := range a.Sections {
		if other, ok := b.Sections[name]; !ok || !bytes.Equal(data, other) {
			return false
		}
	}
	return true
}

func TestCheckpointRoundTrip(t *testing.T) {
	for _, ck := range []*Checkpoint{
		testCheckpoint(),
		{}, // zero time, no version, no sections
		{Version: Version, Created: time.Unix(-1, 999999999), Sections: map[string][]byte{"a": make([]byte, 1<<16)}},
	} {
		b := mustMarshal(t, ck)
		got, err := ParseCheckpoint(b)
		if err != nil {
			t.Fatalf("ParseCheckpoint(MarshalBinary(%v)): %v", ck, err)
		}
		if !sameCheckpoint(got, ck) {
			t.Errorf("round trip of %v gave %v", ck, got)
		}
		if got.Created.Location() != time.UTC {
			t.Errorf("Created = %v; want it in UTC", got.Created)
		}
		if ck.Created.IsZero() != got.Created.IsZero() {
			t.Errorf("Created.IsZero() = %v after round trip; want %v", got.Created.IsZero(), ck.Created.IsZero())
		}
		if again := mustMarshal(t, got); !bytes.Equal(again, b) {
			t.Errorf("re-encoding the parsed %v changed its bytes", ck)
		}
	}

	// The bytes do not depend on the map's insertion order.
	a, b := testCheckpoint(), testCheckpoint()
	b.Sections = map[string][]byte{}
	for _, name := range slices.Backward(a.Names()) {
		b.Set(name, a.Sections[name])
	}
	if !bytes.Equal(mustMarshal(t, a), mustMarshal(t, b)) {
		t.Error("the encoding depends on the order sections were added")
	}
	if got, want := a.Names(), []string{"empty", "state", "ü"}; !slices.Equal(got, want) {
		t.Errorf("Names() = %q; want %q", got, want)
	}
}

func TestCheckpointMarshalErrors(t *testing.T) {
	for name, ck := range map[string]*Checkpoint{
		"empty name":    {Sections: map[string][]byte{"": nil}},
		"long name":     {Sections: map[string][]byte{strings.Repeat("x", 1<<16): nil}},
		"non-UTF8 name": {Sections: map[string][]byte{"\xff": nil}},
		"long version":  {Version: strings.Repeat("v", 1<<16)},
	} {
		if _, err := ck.MarshalBinary(); err == nil {
			t.Errorf("MarshalBinary with %s succeeded; want an error", name)
		}
	}
}

// checkpointV1Golden is testCheckpoint() in format version 1. If this test fails, the
// format changed: existing checkpoints must still parse, so bump CheckpointFormat and
// keep reading version 1 rather than editing this value.
const checkpointV1Golden = "" +
	"4447434b0100" + // magic, format 1
	"09c2e3474a84b66a7af37092f4d80585d5bed0ab3c53e81696092344451a0242" + // config hash
	"0a00302e312e302d74657374" + // version "0.1.0-test"
	"9638d467000000004c27f11f" + // created 2025-03-14T14:09:26.535897932Z
	"03000000" + // 3 sections
	"0500656d7074790000000000000000" + // "empty", 0 bytes
	"050073746174652000000000000000" + // "state", 32 bytes:
	"2a000000000000000200000000000000" + //   uint64 42, 2 float64s:
	"000000000000f83f00000000000000c0" + //   1.5, -2
	"0200c3bc0e000000000000006e6f6e2d4153434949206e616d65" + // "ü", 14 bytes
	"402188ed" // CRC-32C

func TestCheckpointGolden(t *testing.T) {
	got := mustMarshal(t, testCheckpoint())
	want, err := hex.DecodeString(checkpointV1Golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("the checkpoint encoding changed:\n got %x\nwant %x", got, want)
	}
	ck, err := ParseCheckpoint(want)
	if err != nil {
		t.Fatalf("ParseCheckpoint(golden v1): %v", err)
	}
	if !sameCheckpoint(ck, testCheckpoint()) {
		t.Errorf("golden v1 parsed as %v; want %v", ck, testCheckpoint())
	}
}

func TestParseCheckpointCorruption(t *testing.T) {
	good := mustMarshal(t, testCheckpoint())
	for i := range good {
		for _, flip := range []byte{0x01, 0x80, 0xff} {
			b := slices.Clone(good)
			b[i] ^= flip
			if _, err := ParseCheckpoint(b); !errors.Is(err, ErrCorruptCheckpoint) {
				t.Fatalf("byte %d ^ %#x: ParseCheckpoint error = %v; want ErrCorruptCheckpoint", i, flip, err)
			}
		}
	}
	for n := range len(good) {
		if _, err := ParseCheckpoint(good[:n]); !errors.Is(err, ErrCorruptCheckpoint) {
			t.Fatalf("truncated to %d of %d bytes: ParseCheckpoint error = %v; want ErrCorruptCheckpoint", n, len(good), err)
		}
	}
	if _, err := ParseCheckpoint(append(slices.Clone(good), 0)); !errors.Is(err, ErrCorruptCheckpoint) {
		t.Errorf("with a byte appended: ParseCheckpoint error = %v; want ErrCorruptCheckpoint", err)
	}
	_, err := ParseCheckpoint([]byte("PK\x03\x04 a zip file, not a checkpoint at all"))
	if err == nil || !strings.Contains(err.Error(), "not a deepglass checkpoint") {
		t.Errorf("ParseCheckpoint(zip) error = %v; want one saying it is not a checkpoint", err)
	}
	_, err = ParseCheckpoint(good[:len(good)-1])
	if err == nil || !strings.Contains(err.Error(), "corrupt") {
		t.Errorf("ParseCheckpoint(truncated) error = %v; want one saying corrupt", err)
	}
}

// TestParseCheckpointMalformed feeds files with a valid checksum but a broken
// structure, as a buggy writer or a hostile file would produce.
func TestParseCheckpointMalformed(t *testing.T) {
	le := binary.LittleEndian
	// header returns everything up to and including the section count.
	header := func(format uint16, nsec uint32, count uint32) []byte {
		b := []byte(checkpointMagic)
		b = le.AppendUint16(b, format)
		b = append(b, make([]byte, 32)...)
		b = le.AppendUint16(b, 1)
		b = append(b, 'v')
		b = le.AppendUint64(b, 1e9)
		b = le.AppendUint32(b, nsec)
		return le.AppendUint32(b, count)
	}
	section := func(b []byte, name string, n uint64, data string) []byte {
		b = le.AppendUint16(b, uint16(len(name)))
		b = append(b, name...)
		b = le.AppendUint64(b, n)
		return append(b, data...)
	}
	two := func(first, second string) []byte {
		return section(section(header(1, 0, 2), first, 1, "x"), second, 1, "y")
	}
	cases := map[string][]byte{
		"format 0":           header(0, 0, 0),
		"nanoseconds":        header(1, 1e9, 0),
		"huge section count": header(1, 0, math.MaxUint32),
		"missing section":    header(1, 0, 1),
		"huge section":       section(header(1, 0, 1), "a", math.MaxUint64, "x"),
		"section past end":   section(header(1, 0, 1), "a", 5, "xy"),
		"huge name":          append(header(1, 0, 1), 0xff, 0xff, 'a'),
		"empty name":         section(header(1, 0, 1), "", 1, "x"),
		"non-UTF8 name":      section(header(1, 0, 1), "\xfe", 1, "x"),
		"duplicate section":  two("a", "a"),
		"unsorted sections":  two("b", "a"),
		"trailing bytes":     append(section(header(1, 0, 1), "a", 1, "x"), 0),
		"non-UTF8 version":   append(append(header(1, 0, 0)[:38], 1, 0, 0xff), header(1, 0, 0)[41:]...),
		"short version":      append(header(1, 0, 0)[:38], 0xff, 0),
	}
	if _, err := ParseCheckpoint(withCRC(two("a", "b"))); err != nil {
		t.Fatalf("the well-formed control case fails: %v", err)
	}
	for name, body := range cases {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		_, err := ParseCheckpoint(withCRC(body))
		runtime.ReadMemStats(&after)
		if !errors.Is(err, ErrCorruptCheckpoint) {
			t.Errorf("%s: ParseCheckpoint error = %v; want ErrCorruptCheckpoint", name, err)
		}
		if grew := after.TotalAlloc - before.TotalAlloc; grew > 1<<20 {
			t.Errorf("%s: ParseCheckpoint allocated %d bytes", name, grew)
		}
	}
}

func TestParseCheckpointNewerFormat(t *testing.T) {
	good := mustMarshal(t, testCheckpoint())
	future := slices.Clone(good[:len(good)-4])
	binary.LittleEndian.PutUint16(future[4:], CheckpointFormat+1)
	// A future format may lay out the rest differently; only the checksum must hold.
	future = withCRC(append(future, "fields of the future"...))
	_, err := ParseCheckpoint(future)
	if !errors.Is(err, ErrNewerCheckpoint) || !strings.Contains(err.Error(), "written by a newer deepglass") {
		t.Errorf("ParseCheckpoint(format %d) error = %v; want one saying written by a newer deepglass", CheckpointFormat+1, err)
	}
	// A damaged format field is corruption, not the future.
	damaged := slices.Clone(good)
	binary.LittleEndian.PutUint16(damaged[4:], CheckpointFormat+1)
	if _, err := ParseCheckpoint(damaged); !errors.Is(err, ErrCorruptCheckpoint) {
		t.Errorf("ParseCheckpoint(damaged format field) error = %v; want ErrCorruptCheckpoint", err)
	}
}

func TestConfigHash(t *testing.T) {
	c := Config{Model: "ea", Lattice: "square:8", T: Temperatures{0.5, 1}, Sampler: "metropolis", Sweeps: 100, Seed: 1}
	h := ConfigHash(c)
	if ConfigHash(c) != h {
		t.Fatal("ConfigHash is not deterministic")
	}
	explicit := c
	explicit.Defaults()
	if ConfigHash(explicit) != h {
		t.Error("spelling out the defaults changed the hash")
	}
	other := c
	other.Seed = 2
	if ConfigHash(other) == h {
		t.Error("configs with different seeds have the same hash")
	}
	fromJSON, err := ParseConfig([]byte(`{"model":"ea","lattice":"square:8","T":"0.5,1","sampler":"metropolis","sweeps":100,"seed":1}`), "c.json")
	if err != nil {
		t.Fatal(err)
	}
	fromYAML, err := ParseConfig([]byte("seed: 1\nsweeps: 100\nsampler: metropolis\nT: [0.5, 1]\nlattice: square:8\nmodel: ea\n"), "c.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if ConfigHash(fromJSON) != h || ConfigHash(fromYAML) != h {
		t.Error("the same config read from JSON and YAML has different hashes")
	}
	// Configs that JSON cannot encode still hash, distinctly.
	nan1, nan2 := c, c
	nan1.J0, nan2.J0 = math.NaN(), math.Inf(1)
	if ConfigHash(nan1) == ConfigHash(nan2) || ConfigHash(nan1) == h {
		t.Error("unencodable configs share a hash")
	}

	// If this fails, existing checkpoints can no longer be resumed: a Config field was
	// added without omitempty, or its JSON encoding changed. Prefer omitempty; update
	// the value only on purpose, with a CHANGELOG entry.
	const golden = "4a340b8b512b015ef3cbd5db1264283fc03792b89ce63406f073fe14f2b9f971"
	if got := hex.EncodeToString(h[:]); got != golden {
		t.Errorf("ConfigHash(%v) = %s; want %s", c, got, golden)
	}
}

// ckWriteFile writes a file for a test.
func ckWriteFile(t *testing.T, name string, data []byte) {
	t.Helper()
	if err := os.WriteFile(name, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestWriteCheckpoint(t *testing.T) {
	for _, link := range []bool{true, false} {
		t.Run(fmt.Sprintf("link=%v", link), func(t *testing.T) { testWriteCheckpoint(t, link) })
	}
}

func testWriteCheckpoint(t *testing.T, link bool) {
	dir := t.TempDir()
	path := filepath.Join(dir, "checkpoint.bin")
	first, second := testCheckpoint(), testCheckpoint()
	second.Set("state", []byte("second"))
	for _, ck := range []*Checkpoint{first, second} {
		if err := writeCheckpoint(path, ck, link); err != nil {
			t.Fatal(err)
		}
	}
	ck, err := ReadCheckpoint(path, first.ConfigHash)
	if err != nil || ck.Warning != nil || !sameCheckpoint(ck, second) {
		t.Fatalf("ReadCheckpoint after two writes = %v (warning %v), %v; want the second", ck, ck.Warning, err)
	}
	prev, err := ParseCheckpoint(ckReadFile(t, path+".prev"))
	if err != nil || !sameCheckpoint(prev, first) {
		t.Errorf("%s.prev holds %v, %v; want the first checkpoint", path, prev, err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Errorf("the run directory holds %v; want only checkpoint.bin and checkpoint.bin.prev", entries)
	}

	// Partial temporary files left by a crash are replaced.
	ckWriteFile(t, path+".tmp", []byte("DGCK partial"))
	ckWriteFile(t, path+".prev.tmp", []byte("DGCK partial"))
	if err := writeCheckpoint(path, first, link); err != nil {
		t.Fatal(err)
	}
	if ck, err := ReadCheckpoint(path, first.ConfigHash); err != nil || !sameCheckpoint(ck, first) {
		t.Errorf("ReadCheckpoint after a write over a stale .tmp = %v, %v; want the first checkpoint", ck, err)
	}
	prev, err = ParseCheckpoint(ckReadFile(t, path+".prev"))
	if err != nil || !sameCheckpoint(prev, second) {
		t.Errorf("%s.prev holds %v, %v; want the second checkpoint", path, prev, err)
	}

	// After a crash between the renames of the rotation without hard links, the next
	// write keeps the only complete checkpoint as .prev.
	if err := os.Rename(path, path+".prev"); err != nil {
		t.Fatal(err)
	}
	if err := writeCheckpoint(path, second, link); err != nil {
		t.Fatal(err)
	}
	prev, err = ParseCheckpoint(ckReadFile(t, path+".prev"))
	if err != nil || !sameCheckpoint(prev, first) {
		t.Errorf("after a write with checkpoint.bin missing, .prev holds %v, %v; want the first checkpoint", prev, err)
	}

	err = writeCheckpoint(filepath.Join(dir, "no such dir", "checkpoint.bin"), first, link)
	if err == nil || !strings.Contains(err.Error(), "no such dir") {
		t.Errorf("WriteCheckpoint into a missing directory: error = %v; want one naming the path", err)
	}
	if err := writeCheckpoint(path, &Checkpoint{Sections: map[string][]byte{"": nil}}, link); err == nil {
		t.Error("WriteCheckpoint of an unencodable checkpoint succeeded")
	}
}

func ckReadFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestReadCheckpointFallback(t *testing.T) {
	old, cur := testCheckpoint(), testCheckpoint()
	old.Set("state", []byte("old"))
	cur.Set("state", []byte("current"))
	oldB, curB := mustMarshal(t, old), mustMarshal(t, cur)
	truncated := curB[:len(curB)/2]
	flipped := slices.Clone(curB)
	flipped[50] ^= 4
	const missing = "missing"

	cases := []struct {
		name      string
		path      string // content of checkpoint.bin, or missing
		prev      string // content of checkpoint.bin.prev, or missing
		want      *Checkpoint
		warning   error  // wrapped by Warning when want came from .prev
		err       error  // wrapped by the error when want is nil
		notExists bool   // whether the error wraps fs.ErrNotExist
		mentions  string // in the warning or error
	}{
		{name: "both", path: string(curB), prev: string(oldB), want: cur},
		{name: "no prev", path: string(curB), prev: missing, want: cur},
		{name: "killed between renames", path: missing, prev: string(oldB), want: old, warning: fs.ErrNotExist, mentions: "checkpoint.bin.prev"},
		{name: "truncated", path: string(truncated), prev: string(oldB), want: old, warning: ErrCorruptCheckpoint, mentions: "checkpoint.bin: corrupt"},
		{name: "bit flip", path: string(flipped), prev: string(oldB), want: old, warning: ErrCorruptCheckpoint, mentions: "checksum mismatch"},
		{name: "empty", path: "", prev: string(oldB), want: old, warning: ErrCorruptCheckpoint, mentions: "empty file"},
		{name: "nothing", path: missing, prev: missing, err: fs.ErrNotExist, notExists: true},
		{name: "corrupt, no prev", path: string(truncated), prev: missing, err: ErrCorruptCheckpoint, mentions: "no "},
		{name: "both corrupt", path: string(truncated), prev: string(flipped), err: ErrCorruptCheckpoint, mentions: "checkpoint.bin.prev: corrupt"},
		{name: "only a corrupt prev", path: missing, prev: string(truncated), err: ErrCorruptCheckpoint, mentions: "checkpoint.bin.prev: corrupt"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "checkpoint.bin")
			if c.path != missing {
				ckWriteFile(t, path, []byte(c.path))
			}
			if c.prev != missing {
				ckWriteFile(t, path+".prev", []byte(c.prev))
			}
			ck, err := ReadCheckpoint(path, cur.ConfigHash)
			if c.want == nil {
				if err == nil || !errors.Is(err, c.err) || errors.Is(err, fs.ErrNotExist) != c.notExists ||
					!strings.Contains(err.Error(), c.mentions) || !strings.Contains(err.Error(), path) {
					t.Errorf("ReadCheckpoint = %v, %v; want an error wrapping %v (ErrNotExist: %v) naming %s and mentioning %q",
						ck, err, c.err, c.notExists, path, c.mentions)
				}
				return
			}
			if err != nil || !sameCheckpoint(ck, c.want) {
				t.Fatalf("ReadCheckpoint = %v, %v; want %v", ck, err, c.want)
			}
			switch {
			case c.warning == nil && ck.Warning != nil:
				t.Errorf("Warning = %v; want none", ck.Warning)
			case c.warning != nil && (!errors.Is(ck.Warning, c.warning) || !strings.Contains(ck.Warning.Error(), c.mentions)):
				t.Errorf("Warning = %v; want one wrapping %v and mentioning %q", ck.Warning, c.warning, c.mentions)
			}
		})
	}
}

func TestReadCheckpointConfigMismatch(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "checkpoint.bin")
	ck := testCheckpoint()
	if err := WriteCheckpoint(path, ck); err != nil {
		t.Fatal(err)
	}
	want := ConfigHash(Config{Model: "sk", N: 8, T: Temperatures{1, 2}, Sampler: "metropolis", Sweeps: 10, Seed: 4})
	check := func(path string) {
		t.Helper()
		_, err := ReadCheckpoint(path, want)
		var mismatch *ConfigMismatchError
		if !errors.As(err, &mismatch) || mismatch.Have != ck.ConfigHash || mismatch.Want != want {
			t.Fatalf("ReadCheckpoint with another config hash: error = %v; want a ConfigMismatchError", err)
		}
		for _, s := range []string{path, "different config", "start a new run directory"} {
			if !strings.Contains(err.Error(), s) {
				t.Errorf("error %q does not mention %q", err, s)
			}
		}
	}
	check(path)
	// The fallback is checked too.
	if err := os.Rename(path, path+".prev"); err != nil {
		t.Fatal(err)
	}
	check(path + ".prev")
}

func TestEncoderDecoder(t *testing.T) {
	var e Encoder
	e.PutUint64(math.MaxUint64)
	e.PutInt64(math.MinInt64)
	e.PutFloat64(math.Copysign(0, -1))
	e.PutFloat64(math.NaN())
	e.PutBytes([]byte{0, 1, 255})
	e.PutBytes(nil)
	e.PutString("spins ±1")
	e.PutInt8s([]int8{1, -1, -128, 127})
	e.PutFloat64s([]float64{math.Inf(-1), 1e-310, math.Pi})
	e.PutInt64s([]int64{-1, 0, math.MaxInt64})
	e.PutInt8s(nil)

	d := NewDecoder(e.Bytes())
	if v := d.GetUint64(); v != math.MaxUint64 {
		t.Errorf("GetUint64() = %d", v)
	}
	if v := d.GetInt64(); v != math.MinInt64 {
		t.Errorf("GetInt64() = %d", v)
	}
	if v := d.GetFloat64(); v != 0 || !math.Signbit(v) {
		t.Errorf("GetFloat64() = %v; want -0", v)
	}
	if v := d.GetFloat64(); !math.IsNaN(v) {
		t.Errorf("GetFloat64() = %v; want NaN", v)
	}
	if v := d.GetBytes(); !bytes.Equal(v, []byte{0, 1, 255}) {
		t.Errorf("GetBytes() = %v", v)
	}
	if v := d.GetBytes(); v == nil || len(v) != 0 {
		t.Errorf("GetBytes() = %#v; want empty, non-nil", v)
	}
	if v := d.GetString(); v != "spins ±1" {
		t.Errorf("GetString() = %q", v)
	}
	if v := d.GetInt8s(); !slices.Equal(v, []int8{1, -1, -128, 127}) {
		t.Errorf("GetInt8s() = %v", v)
	}
	if v := d.GetFloat64s(); !slices.Equal(v, []float64{math.Inf(-1), 1e-310, math.Pi}) {
		t.Errorf("GetFloat64s() = %v", v)
	}
	if v := d.GetInt64s(); !slices.Equal(v, []int64{-1, 0, math.MaxInt64}) {
		t.Errorf("GetInt64s() = %v", v)
	}
	if v := d.GetInt8s(); v == nil || len(v) != 0 {
		t.Errorf("GetInt8s() = %#v; want empty, non-nil", v)
	}
	if err := d.Finish(); err != nil {
		t.Errorf("Finish() = %v", err)
	}

	// Truncating the encoding anywhere gives an error, never a panic.
	full := e.Bytes()
	for n := range len(full) {
		d := NewDecoder(full[:n])
		d.GetUint64()
		d.GetInt64()
		d.GetFloat64()
		d.GetFloat64()
		d.GetBytes()
		d.GetBytes()
		d.GetString()
		d.GetInt8s()
		d.GetFloat64s()
		d.GetInt64s()
		d.GetInt8s()
		if d.Err() == nil || d.Finish() == nil {
			t.Fatalf("decoding %d of %d bytes gave no error", n, len(full))
		}
	}

	e.Reset()
	e.PutUint64(7)
	d = NewDecoder(append(e.Bytes(), 1))
	d.GetUint64()
	if d.Err() != nil || d.Finish() == nil || !strings.Contains(d.Finish().Error(), "1 bytes left unread") {
		t.Errorf("Finish() with a byte left = %v; want an error", d.Finish())
	}
}

func TestDecoderHostileLengths(t *testing.T) {
	var e Encoder
	e.PutUint64(1 << 61) // a length that would need exabytes
	e.PutUint64(99)
	hostile := e.Bytes()
	gets := map[string]func(d *Decoder) any{
		"bytes":    func(d *Decoder) any { return d.GetBytes() },
		"string":   func(d *Decoder) any { return d.GetString() },
		"int8s":    func(d *Decoder) any { return d.GetInt8s() },
		"float64s": func(d *Decoder) any { return d.GetFloat64s() },
		"int64s":   func(d *Decoder) any { return d.GetInt64s() },
	}
	for name, get := range gets {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		d := NewDecoder(hostile)
		get(d)
		runtime.ReadMemStats(&after)
		if grew := after.TotalAlloc - before.TotalAlloc; grew > 1<<20 {
			t.Errorf("%s: %d bytes allocated for a hostile length", name, grew)
		}
		first := d.Err()
		if first == nil || !strings.Contains(first.Error(), name) {
			t.Fatalf("%s: Err() = %v; want an error naming %s", name, first, name)
		}
		// The error is sticky: later reads return zero values and keep the first error.
		if v := d.GetUint64(); v != 0 || d.Err() != first {
			t.Errorf("%s: after an error GetUint64() = %d, Err() = %v; want 0, %v", name, v, d.Err(), first)
		}
	}

	ck := testCheckpoint()
	d := ck.Decoder("chains")
	if d.GetUint64() != 0 || d.Err() == nil || !strings.Contains(d.Err().Error(), `no section "chains"`) {
		t.Errorf("Decoder of a missing section: Err() = %v; want one naming it", d.Err())
	}
	d = ck.Decoder("state")
	if d.GetUint64() != 42 || !slices.Equal(d.GetFloat64s(), []float64{1.5, -2}) || d.Finish() != nil {
		t.Errorf("decoding section state: %v", d)
	}
	d.GetUint64()
	if err := d.Err(); err == nil || !strings.Contains(err.Error(), `section "state"`) {
		t.Errorf("reading past the end of section state: Err() = %v; want an error naming the section", err)
	}
}

func FuzzParseCheckpoint(f *testing.F) {
	good := mustMarshal(f, testCheckpoint())
	f.Add(good)
	f.Add(mustMarshal(f, &Checkpoint{}))
	f.Add(good[:len(good)/2])
	f.Add([]byte(checkpointMagic))
	f.Add([]byte{})
	future := slices.Clone(good)
	binary.LittleEndian.PutUint16(future[4:], CheckpointFormat+1)
	f.Add(withCRC(future[:len(future)-4]))
	f.Fuzz(func(t *testing.T, b []byte) {
		// Random bytes rarely carry a valid checksum, so parse each input twice: as it
		// is, and with its last four bytes replaced by the right checksum, which lets
		// the fuzzer reach the structural checks.
		inputs := [][]byte{b}
		if len(b) >= 4 {
			inputs = append(inputs, withCRC(b[:len(b)-4]))
		}
		for _, in := range inputs {
			ck, err := ParseCheckpoint(in)
			if err != nil {
				if !errors.Is(err, ErrCorruptCheckpoint) && !errors.Is(err, ErrNewerCheckpoint) {
					t.Errorf("ParseCheckpoint(%x) error %v wraps neither sentinel", in, err)
				}
				continue
			}
			again, err := ck.MarshalBinary()
			if err != nil || !bytes.Equal(again, in) {
				t.Errorf("ParseCheckpoint(%x) re-encodes as %x, %v", in, again, err)
			}
			_ = ck.String()
			for _, name := range ck.Names() {
				d := ck.Decoder(name)
				d.GetString()
				d.GetFloat64s()
				d.GetInt8s()
				d.GetInt64s()
				d.GetBytes()
				_ = d.Finish()
			}
		}
	})
}

func FuzzDecoder(f *testing.F) {
	var e Encoder
	e.PutString("x")
	e.PutFloat64s([]float64{1, 2})
	e.PutInt8s([]int8{1, -1})
	f.Add([]byte{4, 5, 6, 7}, e.Bytes())
	f.Fuzz(func(t *testing.T, ops, data []byte) {
		d := NewDecoder(data)
		for _, op := range ops {
			switch op % 8 {
			case 0:
				d.GetUint64()
			case 1:
				d.GetInt64()
			case 2:
				d.GetFloat64()
			case 3:
				d.GetBytes()
			case 4:
				d.GetString()
			case 5:
				d.GetInt8s()
			case 6:
				d.GetFloat64s()
			case 7:
				d.GetInt64s()
			}
		}
		_ = d.Finish()
		_ = d.String()
	})
}
