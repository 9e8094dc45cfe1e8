package sim

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
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
	"syscall"
	"time"
	"unicode/utf8"
)

// CheckpointFormat is the version of the checkpoint file format that this deepglass
// writes, and the newest one it reads.
const CheckpointFormat uint16 = 1

const (
	checkpointMagic = "DGCK"
	// checkpointMinLen is the length of a checkpoint with an empty version string and
	// no sections: magic, format, hash, version length, seconds, nanoseconds, section
	// count and checksum.
	checkpointMinLen = 4 + 2 + 32 + 2 + 8 + 4 + 4 + 4
	maxStringLen     = math.MaxUint16
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

var (
	// ErrCorruptCheckpoint is wrapped by every error about a checkpoint file that is
	// damaged, truncated or not a checkpoint at all.
	ErrCorruptCheckpoint = errors.New("corrupt checkpoint")
	// ErrNewerCheckpoint is wrapped by the error about an intact checkpoint whose format
	// is newer than [CheckpointFormat].
	ErrNewerCheckpoint = errors.New("checkpoint written by a newer deepglass")
)

// Checkpoint is the content of checkpoint.bin: a header that ties it to a run, and named
// sections of opaque bytes that the run loop fills, typically with an [Encoder], and
// reads back with [Checkpoint.Decoder].
//
// # File layout
//
// All integers are little-endian; there is no reflection-based encoding, so the bytes
// do not depend on the Go version. Format version 1:
//
//	size  field
//	4     magic "DGCK"
//	2     format version, uint16 (CheckpointFormat)
//	32    config hash: SHA-256 of the canonical config JSON (see ConfigHash)
//	2     length v of the deepglass version string, uint16
//	v     deepglass version that wrote the file, UTF-8
//	8     creation time: seconds since 1970-01-01T00:00:00Z, int64
//	4     creation time: nanoseconds within the second, uint32 < 1e9
//	4     number of sections, uint32
//	      then, for each section, in strictly increasing byte order of the names:
//	2       length k of the name, uint16 (k ≥ 1)
//	k       name, UTF-8
//	8       length m of the data, uint64
//	m       data
//	4     CRC-32C (Castagnoli) of every byte before it, uint32
//
// Every future format keeps the magic, the format version in bytes 4–5 and the CRC-32C
// of all preceding bytes in the last four, so a reader can always tell a damaged file
// ([ErrCorruptCheckpoint]) from one written by a newer deepglass ([ErrNewerCheckpoint]).
// The encoding is canonical: [ParseCheckpoint] accepts only what
// [Checkpoint.MarshalBinary] produces, so re-encoding a parsed checkpoint gives the same
// bytes.
type Checkpoint struct {
	// ConfigHash identifies the run's config; see [ConfigHash].
	ConfigHash [32]byte
	// Version is the deepglass version that wrote the checkpoint.
	Version string
	// Created is when the checkpoint was made. It is stored to the nanosecond, in UTC.
	Created time.Time
	// Sections maps section names (non-empty UTF-8, at most 65535 bytes) to their data.
	// Sections are written in sorted order of their names, whatever the map order.
	Sections map[string][]byte

	// Warning is set by [ReadCheckpoint] when it could not use the checkpoint file it
	// was asked for and fell back to the previous one (path+".prev"). It says why, for
	// the caller to print; it wraps the reason (fs.ErrNotExist or
	// ErrCorruptCheckpoint, say). It is not part of the file.
	Warning error
}

// NewCheckpoint returns an empty checkpoint for the run of config c, stamped with this
// deepglass's [Version] and the current time.
func NewCheckpoint(c Config) *Checkpoint {
	return &Checkpoint{
		ConfigHash: ConfigHash(c),
		Version:    Version,
		Created:    time.Now().UTC(),
		Sections:   map[string][]byte{},
	}
}

// ConfigHash returns the SHA-256 of the canonical JSON of c: c with [Config.Defaults]
// applied, encoded by encoding/json. Struct fields encode in declaration order and
// Config holds no maps, so the JSON, and therefore the hash, is deterministic. Configs
// that differ only in spelled-out defaults have the same hash.
//
// Adding a Config field without `omitempty` changes the hash of every config, which
// makes existing checkpoints unresumable; a golden test guards this.
func ConfigHash(c Config) [32]byte {
	c.Defaults()
	b, err := json.Marshal(c)
	if err != nil {
		// Only non-finite numbers fail to encode, and Validate rejects them; hash the
		// Go syntax instead so that such configs still get distinct hashes.
		b = fmt.Appendf(nil, "unencodable config %#v", c)
	}
	return sha256.Sum256(b)
}

// Set stores data as section name, creating the Sections map if needed.
func (ck *Checkpoint) Set(name string, data []byte) {
	if ck.Sections == nil {
		ck.Sections = map[string][]byte{}
	}
	ck.Sections[name] = data
}

// Names returns the section names in sorted order, the order in which they are written.
func (ck *Checkpoint) Names() []string {
	names := make([]string, 0, len(ck.Sections))
	for name := range ck.Sections {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

// Decoder returns a [Decoder] over section name. If there is no such section, the
// decoder starts out with an error naming it, which [Decoder.Err] reports.
func (ck *Checkpoint) Decoder(name string) *Decoder {
	d := &Decoder{what: fmt.Sprintf("section %q: ", name)}
	data, ok := ck.Sections[name]
	if !ok {
		d.err = fmt.Errorf("checkpoint has no section %q", name)
		return d
	}
	d.data = data
	return d
}

// String describes the checkpoint in one line: who wrote it when, for which config, and
// the size of each section.
func (ck *Checkpoint) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "checkpoint by deepglass %s at %s for config %x…, %d sections",
		ck.Version, ck.Created.UTC().Format(time.RFC3339), ck.ConfigHash[:6], len(ck.Sections))
	for i, name := range ck.Names() {
		sep := ", "
		if i == 0 {
			sep = ": "
		}
		fmt.Fprintf(&b, "%s%s (%d bytes)", sep, name, len(ck.Sections[name]))
	}
	return b.String()
}

// MarshalBinary implements [encoding.BinaryMarshaler]: it encodes the checkpoint in the
// format described at [Checkpoint]. It fails only for a version string or section name
// that the format cannot hold (longer than 65535 bytes, invalid UTF-8, or an empty name).
func (ck *Checkpoint) MarshalBinary() ([]byte, error) {
	if len(ck.Version) > maxStringLen || !utf8.ValidString(ck.Version) {
		return nil, fmt.Errorf("checkpoint: version string %.40q… is too long or not UTF-8", ck.Version)
	}
	names := ck.Names()
	if uint64(len(names)) > math.MaxUint32 {
		return nil, fmt.Errorf("checkpoint: %d sections is too many", len(names))
	}
	size := checkpointMinLen + len(ck.Version)
	for _, name := range names {
		if name == "" || len(name) > maxStringLen || !utf8.ValidString(name) {
			return nil, fmt.Errorf("checkpoint: bad section name %.40q (want 1 to 65535 bytes of UTF-8)", name)
		}
		size += 2 + len(name) + 8 + len(ck.Sections[name])
	}
	le := binary.LittleEndian
	b := make([]byte, 0, size)
	b = append(b, checkpointMagic...)
	b = le.AppendUint16(b, CheckpointFormat)
	b = append(b, ck.ConfigHash[:]...)
	b = le.AppendUint16(b, uint16(len(ck.Version)))
	b = append(b, ck.Version...)
	b = le.AppendUint64(b, uint64(ck.Created.Unix()))
	b = le.AppendUint32(b, uint32(ck.Created.Nanosecond()))
	b = le.AppendUint32(b, uint32(len(names)))
	for _, name := range names {
		data := ck.Sections[name]
		b = le.AppendUint16(b, uint16(len(name)))
		b = append(b, name...)
		b = le.AppendUint64(b, uint64(len(data)))
		b = append(b, data...)
	}
	b = le.AppendUint32(b, crc32.Checksum(b, castagnoli))
	return b, nil
}

// ParseCheckpoint decodes a checkpoint encoded by [Checkpoint.MarshalBinary]. The
// sections of the result share memory with data. It returns an error wrapping
// [ErrCorruptCheckpoint] for anything that is not an intact checkpoint (wrong magic,
// truncated, checksum mismatch, malformed), and one wrapping [ErrNewerCheckpoint] for an
// intact checkpoint in a format newer than [CheckpointFormat]. It never panics, and
// allocates nothing in proportion to lengths read from data.
func ParseCheckpoint(data []byte) (*Checkpoint, error) {
	corrupt := func(format string, args ...any) error {
		return fmt.Errorf("%w: %s", ErrCorruptCheckpoint, fmt.Sprintf(format, args...))
	}
	switch {
	case len(data) == 0:
		return nil, corrupt("empty file")
	case string(data[:min(len(data), 4)]) != checkpointMagic[:min(len(data), 4)]:
		return nil, corrupt("not a deepglass checkpoint (it starts with %q, not %q)",
			data[:min(len(data), 4)], checkpointMagic)
	case len(data) < checkpointMinLen:
		return nil, corrupt("truncated to %d bytes (the smallest checkpoint has %d)", len(data), checkpointMinLen)
	}
	le := binary.LittleEndian
	body := data[:len(data)-4]
	if sum, want := crc32.Checksum(body, castagnoli), le.Uint32(data[len(data)-4:]); sum != want {
		return nil, corrupt("checksum mismatch (CRC-32C %08x, stored %08x): the file is damaged or truncated", sum, want)
	}
	switch format := le.Uint16(data[4:]); {
	case format > CheckpointFormat:
		return nil, fmt.Errorf("%w (format version %d; deepglass %s reads up to version %d): upgrade deepglass to resume it",
			ErrNewerCheckpoint, format, Version, CheckpointFormat)
	case format == 0:
		return nil, corrupt("format version 0")
	}

	d := &Decoder{data: body, off: 6}
	ck := &Checkpoint{}
	copy(ck.ConfigHash[:], d.raw(32, "config hash"))
	ck.Version = string(d.raw(uint64(d.uint16("version length")), "version"))
	sec := int64(d.GetUint64())
	nsec := d.uint32("nanoseconds")
	count := d.uint32("section count")
	if d.err != nil {
		return nil, corrupt("%v", d.err)
	}
	if !utf8.ValidString(ck.Version) {
		return nil, corrupt("version string %q is not UTF-8", ck.Version)
	}
	if nsec >= 1e9 {
		return nil, corrupt("creation time has %d nanoseconds", nsec)
	}
	ck.Created = time.Unix(sec, int64(nsec)).UTC()
	// Each section takes at least 11 bytes, which bounds the map's size hint.
	if uint64(count) > uint64(d.remaining())/11 {
		return nil, corrupt("%d sections cannot fit in %d bytes", count, d.remaining())
	}
	ck.Sections = make(map[string][]byte, count)
	last := ""
	for i := range count {
		name := string(d.raw(uint64(d.uint16("section name length")), "section name"))
		n := d.GetUint64()
		data := d.raw(n, fmt.Sprintf("section %q", name))
		switch {
		case d.err != nil:
			return nil, corrupt("section %d of %d: %v", i+1, count, d.err)
		case name == "" || !utf8.ValidString(name):
			return nil, corrupt("section %d of %d has the bad name %q", i+1, count, name)
		case i > 0 && name <= last:
			return nil, corrupt("section %q follows %q: sections must be in increasing order", name, last)
		}
		ck.Sections[name] = data[:len(data):len(data)]
		last = name
	}
	if d.remaining() != 0 {
		return nil, corrupt("%d bytes after the last section", d.remaining())
	}
	return ck, nil
}

// ConfigMismatchError is the error of [ReadCheckpoint] for a checkpoint written by a run
// with a different config.
type ConfigMismatchError struct {
	Path       string   // the checkpoint file
	Have, Want [32]byte // the checkpoint's config hash, and the one asked for
}

func (e *ConfigMismatchError) Error() string {
	return fmt.Sprintf("%s was written for a different config (hash %x…, this config has %x…); "+
		"rerun with the same config or start a new run directory", e.Path, e.Have[:6], e.Want[:6])
}

// WriteCheckpoint writes ck to path atomically and durably, keeping the checkpoint it
// replaces as path+".prev":
//
//  1. write path+".tmp" and fsync it;
//  2. hard-link path (if it exists) as path+".prev.tmp" and rename that to path+".prev";
//  3. rename path+".tmp" to path and fsync the directory.
//
// A crash at any moment therefore leaves the old or the new checkpoint complete in path,
// and the one before it (or the same) in path+".prev". A crash during step 1 leaves a
// partial path+".tmp", which the next call overwrites. On file systems without hard
// links, step 2 instead renames path to path+".prev"; a crash between that and step 3 leaves no path but a complete path+".prev", which is where
// [ReadCheckpoint] then looks. Only one process may write a given path at a time.
func WriteCheckpoint(path string, ck *Checkpoint) error {
	return writeCheckpoint(path, ck, true)
}

// writeCheckpoint is WriteCheckpoint; link = false pretends the file system has no hard
// links, for tests.
func writeCheckpoint(path string, ck *Checkpoint, link bool) error {
	data, err := ck.MarshalBinary()
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	tmp, dir := path+".tmp", filepath.Dir(path)
	if err := writeSynced(tmp, data); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := keepPrevious(path, link); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("writing %s: keeping the previous checkpoint: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := syncDir(dir); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

// keepPrevious makes path+".prev" the checkpoint now at path, if there is one.
func keepPrevious(path string, link bool) error {
	prev := path + ".prev"
	if link {
		ln := prev + ".tmp"
		os.Remove(ln) // left by a crash between Link and Rename
		switch err := os.Link(path, ln); {
		case err == nil:
			if err := os.Rename(ln, prev); err != nil {
				os.Remove(ln)
				return err
			}
			return nil // the caller's directory sync makes this rename durable too
		case errors.Is(err, fs.ErrNotExist):
			return nil // see below
		}
		// No hard links here: fall back to renaming.
	}
	switch err := os.Rename(path, prev); {
	case err == nil:
		// Should the caller's rename reach the disk before this one, prev stays one
		// checkpoint older, but some complete checkpoint is always on disk: no need to
		// sync the directory in between.
		return nil
	case errors.Is(err, fs.ErrNotExist):
		// The first checkpoint, or the last write stopped between its renames: then
		// prev is the newest complete checkpoint and stays.
		return nil
	default:
		return err
	}
}

func writeSynced(name string, data []byte) error {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	_, werr := f.Write(data)
	serr := f.Sync()
	cerr := f.Close()
	return errors.Join(werr, serr, cerr)
}

// syncDir makes renames in dir durable. Windows cannot sync a directory (its renames
// are durable once they return), and some file systems refuse with EINVAL.
func syncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	cerr := d.Close()
	if errors.Is(err, syscall.EINVAL) || errors.Is(err, errors.ErrUnsupported) {
		err = nil
	}
	if err != nil {
		return fmt.Errorf("syncing directory %s: %w", dir, err)
	}
	return cerr
}

// ReadCheckpoint reads the checkpoint at path, written by [WriteCheckpoint] for the run
// whose config has hash want (see [ConfigHash]).
//
// If path is missing or unreadable, it falls back to path+".prev", the checkpoint
// before, and says so in the returned checkpoint's Warning, which the caller should
// print. When neither file exists, the error wraps fs.ErrNotExist: there is nothing to
// resume. A checkpoint written for another config is refused with a
// [*ConfigMismatchError]. Every error names the file at fault.
func ReadCheckpoint(path string, want [32]byte) (*Checkpoint, error) {
	ck, err := readCheckpointFile(path)
	if err == nil {
		return ck, checkConfigHash(path, ck, want)
	}
	prev := path + ".prev"
	pck, perr := readCheckpointFile(prev)
	switch {
	case perr == nil:
		if err := checkConfigHash(prev, pck, want); err != nil {
			return nil, err
		}
		pck.Warning = fmt.Errorf("%w; using the previous checkpoint %s (written %s) instead",
			err, prev, pck.Created.Format(time.RFC3339))
		return pck, nil
	case errors.Is(perr, fs.ErrNotExist) && errors.Is(err, fs.ErrNotExist):
		return nil, err // nothing to resume
	case errors.Is(perr, fs.ErrNotExist):
		return nil, fmt.Errorf("%w (and there is no %s to fall back on)", err, prev)
	case errors.Is(err, fs.ErrNotExist):
		// Do not wrap fs.ErrNotExist: there is a checkpoint, only a damaged one.
		return nil, fmt.Errorf("%v; %w", err, perr)
	default:
		return nil, fmt.Errorf("%w; %w", err, perr)
	}
}

func readCheckpointFile(path string) (*Checkpoint, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err // names the file
	}
	ck, err := ParseCheckpoint(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return ck, nil
}

func checkConfigHash(path string, ck *Checkpoint, want [32]byte) error {
	if ck.ConfigHash != want {
		return &ConfigMismatchError{Path: path, Have: ck.ConfigHash, Want: want}
	}
	return nil
}

// Encoder appends values to a byte slice in the little-endian, length-prefixed encoding
// that [Decoder] reads, for checkpoint sections. Slices and strings are written as their
// length (uint64) followed by their elements. The zero Encoder is ready to use.
type Encoder struct {
	buf []byte
}

// Bytes returns the encoded bytes. They alias the encoder's buffer until the next Put
// or Reset.
func (e *Encoder) Bytes() []byte { return e.buf }

// Len returns the number of bytes encoded so far.
func (e *Encoder) Len() int { return len(e.buf) }

// Reset empties the encoder, keeping its buffer.
func (e *Encoder) Reset() { e.buf = e.buf[:0] }

// Grow makes room for n more bytes.
func (e *Encoder) Grow(n int) { e.buf = slices.Grow(e.buf, n) }

// String describes the encoder.
func (e *Encoder) String() string { return fmt.Sprintf("sim.Encoder(%d bytes)", len(e.buf)) }

// PutUint64 appends v.
func (e *Encoder) PutUint64(v uint64) { e.buf = binary.LittleEndian.AppendUint64(e.buf, v) }

// PutInt64 appends v in two's complement.
func (e *Encoder) PutInt64(v int64) { e.PutUint64(uint64(v)) }

// PutFloat64 appends the IEEE 754 bits of v, so every value, NaNs included, is exact.
func (e *Encoder) PutFloat64(v float64) { e.PutUint64(math.Float64bits(v)) }

// PutBytes appends the length of b and b.
func (e *Encoder) PutBytes(b []byte) {
	e.PutUint64(uint64(len(b)))
	e.buf = append(e.buf, b...)
}

// PutString appends the length of s and s.
func (e *Encoder) PutString(s string) {
	e.PutUint64(uint64(len(s)))
	e.buf = append(e.buf, s...)
}

// PutInt8s appends the length of s and its elements, one byte each (spins).
func (e *Encoder) PutInt8s(s []int8) {
	e.PutUint64(uint64(len(s)))
	e.Grow(len(s))
	for _, v := range s {
		e.buf = append(e.buf, byte(v))
	}
}

// PutFloat64s appends the length of s and its elements.
func (e *Encoder) PutFloat64s(s []float64) {
	e.PutUint64(uint64(len(s)))
	e.Grow(8 * len(s))
	for _, v := range s {
		e.buf = binary.LittleEndian.AppendUint64(e.buf, math.Float64bits(v))
	}
}

// PutInt64s appends the length of s and its elements.
func (e *Encoder) PutInt64s(s []int64) {
	e.PutUint64(uint64(len(s)))
	e.Grow(8 * len(s))
	for _, v := range s {
		e.buf = binary.LittleEndian.AppendUint64(e.buf, uint64(v))
	}
}

// Decoder reads what an [Encoder] wrote. Its getters record the first error (a value
// that runs past the end of the data) and from then on return zero values; check
// [Decoder.Err] or [Decoder.Finish] once at the end. A Decoder never panics and checks
// every length against the bytes left before allocating. Slices and strings it returns
// are copies; a zero-length slice decodes as an empty, non-nil one.
//
// The getters are named GetXxx so that String can describe the decoder.
type Decoder struct {
	what string // prefix of error messages
	data []byte
	off  int
	err  error
}

// NewDecoder returns a decoder reading data.
func NewDecoder(data []byte) *Decoder { return &Decoder{data: data} }

// Err returns the first error met, or nil.
func (d *Decoder) Err() error { return d.err }

// Finish returns the first error met or, if all went well but bytes are left over, an
// error saying so: a reader that does not consume everything has a different layout in
// mind than the writer had.
func (d *Decoder) Finish() error {
	if d.err == nil && d.remaining() != 0 {
		d.err = fmt.Errorf("%s%d bytes left unread after byte %d", d.what, d.remaining(), d.off)
	}
	return d.err
}

// String describes the decoder's position.
func (d *Decoder) String() string {
	s := fmt.Sprintf("sim.Decoder(%sbyte %d of %d", d.what, d.off, len(d.data))
	if d.err != nil {
		s += ", " + d.err.Error()
	}
	return s + ")"
}

func (d *Decoder) remaining() int { return len(d.data) - d.off }

// raw returns the next n bytes, without copying, or nil after recording an error.
func (d *Decoder) raw(n uint64, what string) []byte {
	if d.err != nil {
		return nil
	}
	if n > uint64(d.remaining()) {
		d.err = fmt.Errorf("%sbyte %d: %s needs %d bytes, %d left", d.what, d.off, what, n, d.remaining())
		return nil
	}
	b := d.data[d.off : d.off+int(n)]
	d.off += int(n)
	return b
}

func (d *Decoder) uint16(what string) uint16 {
	if b := d.raw(2, what); b != nil {
		return binary.LittleEndian.Uint16(b)
	}
	return 0
}

func (d *Decoder) uint32(what string) uint32 {
	if b := d.raw(4, what); b != nil {
		return binary.LittleEndian.Uint32(b)
	}
	return 0
}

// count reads a length prefix and checks that that many elements of size bytes fit in
// what is left.
func (d *Decoder) count(size int, what string) (int, bool) {
	at := d.off
	n := d.GetUint64()
	if d.err != nil {
		return 0, false
	}
	if n > uint64(d.remaining()/size) {
		d.err = fmt.Errorf("%sbyte %d: %s of length %d need %d bytes per element, %d left",
			d.what, at, what, n, size, d.remaining())
		return 0, false
	}
	return int(n), true
}

// GetUint64 reads a uint64.
func (d *Decoder) GetUint64() uint64 {
	if b := d.raw(8, "uint64"); b != nil {
		return binary.LittleEndian.Uint64(b)
	}
	return 0
}

// GetInt64 reads an int64.
func (d *Decoder) GetInt64() int64 { return int64(d.GetUint64()) }

// GetFloat64 reads a float64.
func (d *Decoder) GetFloat64() float64 { return math.Float64frombits(d.GetUint64()) }

// GetBytes reads a byte slice.
func (d *Decoder) GetBytes() []byte {
	n, ok := d.count(1, "bytes")
	if !ok {
		return nil
	}
	return slices.Clone(d.raw(uint64(n), "bytes"))
}

// GetString reads a string.
func (d *Decoder) GetString() string {
	n, ok := d.count(1, "string")
	if !ok {
		return ""
	}
	return string(d.raw(uint64(n), "string"))
}

// GetInt8s reads an []int8.
func (d *Decoder) GetInt8s() []int8 {
	n, ok := d.count(1, "int8s")
	if !ok {
		return nil
	}
	s := make([]int8, n)
	for i, v := range d.raw(uint64(n), "int8s") {
		s[i] = int8(v)
	}
	return s
}

// GetFloat64s reads a []float64.
func (d *Decoder) GetFloat64s() []float64 {
	n, ok := d.count(8, "float64s")
	if !ok {
		return nil
	}
	b := d.raw(8*uint64(n), "float64s")
	s := make([]float64, n)
	for i := range s {
		s[i] = math.Float64frombits(binary.LittleEndian.Uint64(b[8*i:]))
	}
	return s
}

// GetInt64s reads an []int64.
func (d *Decoder) GetInt64s() []int64 {
	n, ok := d.count(8, "int64s")
	if !ok {
		return nil
	}
	b := d.raw(8*uint64(n), "int64s")
	s := make([]int64, n)
	for i := range s {
		s[i] = int64(binary.LittleEndian.Uint64(b[8*i:]))
	}
	return s
}
