package npy

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/deepglass/deepglass/internal/atomicfile"
)

// magic starts every NPY file.
const magic = "\x93NUMPY"

// Array is an n-dimensional array of float64 values in C (row-major) order.
type Array struct {
	// Shape holds the dimensions, outermost first; it is empty for a 0-d array (one value).
	Shape []int
	// Data holds the product of Shape values, the last index varying fastest.
	Data []float64
	// Dtype is the descriptor the values were stored as, e.g. "<f4"; [Read] sets it,
	// the writers ignore it.
	Dtype string
}

// String returns the shape and the dtype, e.g. "npy array (3, 4) <f8".
func (a *Array) String() string {
	if a == nil {
		return "npy array <nil>"
	}
	d := a.Dtype
	if d == "" {
		d = "float64"
	}
	return fmt.Sprintf("npy array %s %s", shapeString(a.Shape), d)
}

// Size returns the number of elements, the product of the shape.
func (a *Array) Size() int {
	n := 1
	for _, d := range a.Shape {
		n *= d
	}
	return n
}

// Limits bound what [ReadLimits] accepts, so that a malformed or hostile header
// cannot make it allocate without bound.
type Limits struct {
	// MaxHeader is the longest header in bytes; 0 means 1 MiB.
	MaxHeader int
	// MaxElements is the largest number of elements; 0 means 2³¹ (16 GiB of float64).
	MaxElements int64
}

func (l Limits) maxHeader() int {
	if l.MaxHeader <= 0 {
		return 1 << 20
	}
	return l.MaxHeader
}

func (l Limits) maxElements() int64 {
	if l.MaxElements <= 0 {
		return 1 << 31
	}
	return l.MaxElements
}

// String describes the limits.
func (l Limits) String() string {
	return fmt.Sprintf("header ≤ %d bytes, ≤ %d elements", l.maxHeader(), l.maxElements())
}

// Read reads one array with the default [Limits].
func Read(r io.Reader) (*Array, error) { return ReadLimits(r, Limits{}) }

// ReadLimits reads one array from r, converting its values to float64 in C order. It
// returns an error (prefixed "npy: ") for a file that is not NPY, an unsupported
// version or dtype, a malformed header, a shape beyond l, or missing data.
func ReadLimits(r io.Reader, l Limits) (*Array, error) {
	a, err := read(r, l)
	if err != nil {
		return nil, fmt.Errorf("npy: %w", err)
	}
	return a, nil
}

// ReadFile reads the array in the named file; errors name the file.
func ReadFile(name string) (*Array, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, fmt.Errorf("npy: %w", err)
	}
	defer f.Close()
	a, err := read(bufio.NewReaderSize(f, 1<<16), Limits{})
	if err != nil {
		return nil, fmt.Errorf("npy: %s: %w", name, err)
	}
	return a, nil
}

// dtype is a parsed descriptor: the byte order, the kind (f, i, u, b) and the size.
type dtype struct {
	big  bool
	kind byte
	size int
}

// parseDtype parses a descriptor such as "<f8", "|u1", ">i4" or "|b1".
func parseDtype(s string) (dtype, error) {
	if len(s) < 2 {
		return dtype{}, fmt.Errorf("dtype %q not supported", s)
	}
	var d dtype
	switch s[0] {
	case '<', '|', '=': // '=' is native: little-endian on every platform Go runs this on
		s = s[1:]
	case '>':
		d.big = true
		s = s[1:]
	}
	if strings.HasPrefix(s, "O") {
		return dtype{}, errors.New("object arrays (Python pickles) are not supported")
	}
	if len(s) < 2 {
		return dtype{}, fmt.Errorf("dtype %q not supported", s)
	}
	d.kind = s[0]
	n, err := strconv.Atoi(s[1:])
	if err != nil {
		return dtype{}, fmt.Errorf("dtype %q not supported", s)
	}
	d.size = n
	ok := false
	switch d.kind {
	case 'f':
		ok = n == 2 || n == 4 || n == 8
	case 'i', 'u':
		ok = n == 1 || n == 2 || n == 4 || n == 8
	case 'b':
		ok = n == 1
	}
	if !ok {
		return dtype{}, fmt.Errorf("dtype %q not supported (want a float f2/f4/f8, an integer i1…i8/u1…u8 or bool b1)", s)
	}
	return d, nil
}

// header is the content of the header dict.
type header struct {
	descr   string
	fortran bool
	shape   []int
}

func read(r io.Reader, l Limits) (*Array, error) {
	var pre [8]byte
	if _, err := io.ReadFull(r, pre[:]); err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, errors.New("not an NPY file (shorter than its magic)")
		}
		return nil, err
	}
	if string(pre[:6]) != magic {
		return nil, errors.New("not an NPY file (bad magic)")
	}
	var hlen int
	switch pre[6] {
	case 1:
		var b [2]byte
		if _, err := io.ReadFull(r, b[:]); err != nil {
			return nil, fmt.Errorf("header length: %w", err)
		}
		hlen = int(binary.LittleEndian.Uint16(b[:]))
	case 2, 3:
		var b [4]byte
		if _, err := io.ReadFull(r, b[:]); err != nil {
			return nil, fmt.Errorf("header length: %w", err)
		}
		hlen = int(binary.LittleEndian.Uint32(b[:]))
	default:
		return nil, fmt.Errorf("unsupported format version %d.%d", pre[6], pre[7])
	}
	if hlen > l.maxHeader() {
		return nil, fmt.Errorf("header of %d bytes is longer than the limit of %d", hlen, l.maxHeader())
	}
	hb := make([]byte, hlen)
	if _, err := io.ReadFull(r, hb); err != nil {
		return nil, fmt.Errorf("header truncated (%d bytes announced): %w", hlen, err)
	}
	h, err := parseHeader(string(hb))
	if err != nil {
		return nil, fmt.Errorf("header %q: %w", truncate(string(hb), 120), err)
	}
	dt, err := parseDtype(h.descr)
	if err != nil {
		return nil, err
	}
	n := int64(1)
	for _, d := range h.shape {
		if d < 0 {
			return nil, fmt.Errorf("negative dimension in shape %s", shapeString(h.shape))
		}
		if d > 0 && n > l.maxElements()/int64(d) {
			return nil, fmt.Errorf("shape %s has more than %d elements", shapeString(h.shape), l.maxElements())
		}
		n *= int64(d)
	}
	if n > l.maxElements() {
		return nil, fmt.Errorf("shape %s has more than %d elements", shapeString(h.shape), l.maxElements())
	}
	data, err := readValues(r, int(n), dt)
	if err != nil {
		return nil, fmt.Errorf("data of shape %s %s: %w", shapeString(h.shape), h.descr, err)
	}
	if h.fortran && len(h.shape) > 1 {
		data = fromFortran(data, h.shape)
	}
	return &Array{Shape: h.shape, Data: data, Dtype: h.descr}, nil
}

// readValues reads n values of type dt in chunks, so that a short file with a huge
// shape fails before the whole array is allocated.
func readValues(r io.Reader, n int, dt dtype) ([]float64, error) {
	const chunk = 1 << 13
	data := make([]float64, 0, min(n, 1<<16))
	buf := make([]byte, dt.size*chunk)
	for len(data) < n {
		k := min(n-len(data), chunk)
		if m, err := io.ReadFull(r, buf[:dt.size*k]); err != nil {
			if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
				return nil, fmt.Errorf("truncated: %d of %d values present", len(data)+m/dt.size, n)
			}
			return nil, err
		}
		for i := range k {
			data = append(data, decode(buf[dt.size*i:], dt))
		}
	}
	return data, nil
}

// decode converts one value of type dt at the start of b.
func decode(b []byte, dt dtype) float64 {
	var order binary.ByteOrder = binary.LittleEndian
	if dt.big {
		order = binary.BigEndian
	}
	switch dt.kind {
	case 'f':
		switch dt.size {
		case 8:
			return math.Float64frombits(order.Uint64(b))
		case 4:
			return float64(math.Float32frombits(order.Uint32(b)))
		default:
			return Float16(order.Uint16(b))
		}
	case 'i':
		switch dt.size {
		case 1:
			return float64(int8(b[0]))
		case 2:
			return float64(int16(order.Uint16(b)))
		case 4:
			return float64(int32(order.Uint32(b)))
		default:
			return float64(int64(order.Uint64(b)))
		}
	case 'u':
		switch dt.size {
		case 1:
			return float64(b[0])
		case 2:
			return float64(order.Uint16(b))
		case 4:
			return float64(order.Uint32(b))
		default:
			return float64(order.Uint64(b))
		}
	default: // 'b'
		if b[0] != 0 {
			return 1
		}
		return 0
	}
}

// Float16 converts an IEEE 754 half-precision value (binary16) to float64, exactly:
// subnormals, infinities and NaN included.
func Float16(h uint16) float64 {
	sign := 1.0
	if h&0x8000 != 0 {
		sign = -1
	}
	exp := int(h>>10) & 0x1f
	frac := float64(h & 0x3ff)
	switch exp {
	case 0:
		return sign * math.Ldexp(frac, -24)
	case 0x1f:
		if frac != 0 {
			return math.NaN()
		}
		return math.Inf(int(sign))
	}
	return sign * math.Ldexp(1024+frac, exp-25)
}

// fromFortran reorders values stored column-major (first index fastest) into C order.
func fromFortran(src []float64, shape []int) []float64 {
	dst := make([]float64, len(src))
	if len(src) == 0 {
		return dst
	}
	k := len(shape)
	cstride := make([]int, k) // C-order stride of each axis
	cstride[k-1] = 1
	for i := k - 2; i >= 0; i-- {
		cstride[i] = cstride[i+1] * shape[i+1]
	}
	idx := make([]int, k)
	off := 0 // C offset of idx
	for _, v := range src {
		dst[off] = v
		for a := 0; a < k; a++ { // advance the Fortran counter: axis 0 fastest
			idx[a]++
			off += cstride[a]
			if idx[a] < shape[a] {
				break
			}
			off -= idx[a] * cstride[a]
			idx[a] = 0
		}
	}
	return dst
}

// Write writes a float64 array of the given shape ('<f8', C order) to w. It returns an
// error if len(data) is not the product of shape or a dimension is negative.
func Write(w io.Writer, shape []int, data []float64) error {
	bw := bufio.NewWriter(w)
	if err := writeHeader(bw, "<f8", shape, len(data)); err != nil {
		return err
	}
	var b [8]byte
	for _, v := range data {
		binary.LittleEndian.PutUint64(b[:], math.Float64bits(v))
		bw.Write(b[:])
	}
	return bw.Flush()
}

// WriteFloat32 writes a float32 array of the given shape ('<f4', C order) to w.
func WriteFloat32(w io.Writer, shape []int, data []float32) error {
	bw := bufio.NewWriter(w)
	if err := writeHeader(bw, "<f4", shape, len(data)); err != nil {
		return err
	}
	var b [4]byte
	for _, v := range data {
		binary.LittleEndian.PutUint32(b[:], math.Float32bits(v))
		bw.Write(b[:])
	}
	return bw.Flush()
}

// WriteFile writes a float64 array to the named file (created or replaced, atomically).
func WriteFile(name string, shape []int, data []float64) error {
	if err := atomicfile.Write(name, func(w io.Writer) error { return Write(w, shape, data) }); err != nil {
		return fmt.Errorf("npy: %s: %w", name, err)
	}
	return nil
}

func writeHeader(w *bufio.Writer, descr string, shape []int, n int) error {
	size := 1
	for _, d := range shape {
		if d < 0 {
			return fmt.Errorf("npy: negative dimension in shape %s", shapeString(shape))
		}
		size *= d
	}
	if size != n {
		return fmt.Errorf("npy: shape %s needs %d values, got %d", shapeString(shape), size, n)
	}
	h := fmt.Sprintf("{'descr': '%s', 'fortran_order': False, 'shape': %s, }", descr, shapeString(shape))
	version, lenBytes := byte(1), 2
	if len(magic)+2+2+len(h)+1 > 1<<16 {
		version, lenBytes = 2, 4
	}
	total := len(magic) + 2 + lenBytes + len(h) + 1
	if pad := (64 - total%64) % 64; pad > 0 {
		h += strings.Repeat(" ", pad)
	}
	h += "\n"
	w.WriteString(magic)
	w.Write([]byte{version, 0})
	var b [4]byte
	if version == 1 {
		binary.LittleEndian.PutUint16(b[:], uint16(len(h)))
	} else {
		binary.LittleEndian.PutUint32(b[:], uint32(len(h)))
	}
	w.Write(b[:lenBytes])
	w.WriteString(h)
	return nil
}

// shapeString formats a shape as Python does: (), (3,), (3, 4).
func shapeString(shape []int) string {
	switch len(shape) {
	case 0:
		return "()"
	case 1:
		return fmt.Sprintf("(%d,)", shape[0])
	}
	parts := make([]string, len(shape))
	for i, d := range shape {
		parts[i] = strconv.Itoa(d)
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// parseHeader parses the header dict: exactly the keys 'descr' (a string),
// 'fortran_order' (True or False) and 'shape' (a tuple of non-negative integers).
func parseHeader(s string) (header, error) {
	p := &parser{s: strings.TrimRight(s, " \t\r\n\x00")}
	var h header
	seen := map[string]bool{}
	if !p.eat('{') {
		return h, errors.New("not a dict")
	}
	for {
		if p.eat('}') {
			break
		}
		key, err := p.str()
		if err != nil {
			return h, fmt.Errorf("key: %w", err)
		}
		if !p.eat(':') {
			return h, fmt.Errorf("no ':' after key %q", key)
		}
		if seen[key] {
			return h, fmt.Errorf("key %q given twice", key)
		}
		seen[key] = true
		switch key {
		case "descr":
			if p.peek() == '[' {
				return h, errors.New("structured dtypes (a list descr) are not supported")
			}
			if h.descr, err = p.str(); err != nil {
				return h, fmt.Errorf("descr: %w", err)
			}
		case "fortran_order":
			switch {
			case p.word("True"):
				h.fortran = true
			case p.word("False"):
			default:
				return h, errors.New("fortran_order is not True or False")
			}
		case "shape":
			if h.shape, err = p.tuple(); err != nil {
				return h, fmt.Errorf("shape: %w", err)
			}
		default:
			return h, fmt.Errorf("unexpected key %q", key)
		}
		if p.eat(',') {
			continue
		}
		if !p.eat('}') {
			return h, errors.New("expected ',' or '}'")
		}
		break
	}
	if p.skip(); p.i != len(p.s) {
		return h, errors.New("text after the dict")
	}
	for _, k := range []string{"descr", "fortran_order", "shape"} {
		if !seen[k] {
			return h, fmt.Errorf("no %q", k)
		}
	}
	return h, nil
}

// parser reads the subset of Python literal syntax that NPY headers use.
type parser struct {
	s string
	i int
}

func (p *parser) skip() {
	for p.i < len(p.s) && (p.s[p.i] == ' ' || p.s[p.i] == '\t' || p.s[p.i] == '\n' || p.s[p.i] == '\r') {
		p.i++
	}
}

func (p *parser) peek() byte {
	p.skip()
	if p.i < len(p.s) {
		return p.s[p.i]
	}
	return 0
}

func (p *parser) eat(c byte) bool {
	if p.peek() == c {
		p.i++
		return true
	}
	return false
}

func (p *parser) word(w string) bool {
	p.skip()
	if strings.HasPrefix(p.s[p.i:], w) {
		p.i += len(w)
		return true
	}
	return false
}

// str reads a quoted string without escapes (NPY headers need none).
func (p *parser) str() (string, error) {
	q := p.peek()
	if q != '\'' && q != '"' {
		return "", errors.New("expected a quoted string")
	}
	j := strings.IndexByte(p.s[p.i+1:], q)
	if j < 0 {
		return "", errors.New("unterminated string")
	}
	v := p.s[p.i+1 : p.i+1+j]
	if strings.ContainsRune(v, '\\') {
		return "", errors.New("escapes in strings are not supported")
	}
	p.i += j + 2
	return v, nil
}

// tuple reads (), (n,) or (n1, n2, …), integers optionally with Python 2's L suffix.
func (p *parser) tuple() ([]int, error) {
	if !p.eat('(') {
		return nil, errors.New("expected a tuple")
	}
	shape := []int{}
	for {
		if p.eat(')') {
			return shape, nil
		}
		p.skip()
		j := p.i
		for j < len(p.s) && p.s[j] >= '0' && p.s[j] <= '9' {
			j++
		}
		if j == p.i {
			return nil, errors.New("expected a non-negative integer")
		}
		if j-p.i > 18 {
			return nil, errors.New("dimension too large")
		}
		d, err := strconv.Atoi(p.s[p.i:j])
		if err != nil {
			return nil, err
		}
		shape = append(shape, d)
		p.i = j
		if p.i < len(p.s) && (p.s[p.i] == 'L' || p.s[p.i] == 'l') {
			p.i++
		}
		if len(shape) > 64 {
			return nil, errors.New("more than 64 dimensions")
		}
		if p.eat(',') {
			continue
		}
		if p.eat(')') {
			return shape, nil
		}
		return nil, errors.New("expected ',' or ')'")
	}
}

// Equal reports whether a and b have the same shape and the same values (NaN equal to
// NaN); the dtype is not compared.
func Equal(a, b *Array) bool {
	if len(a.Shape) != len(b.Shape) || len(a.Data) != len(b.Data) {
		return false
	}
	for i := range a.Shape {
		if a.Shape[i] != b.Shape[i] {
			return false
		}
	}
	for i := range a.Data {
		x, y := a.Data[i], b.Data[i]
		if x != y && !(math.IsNaN(x) && math.IsNaN(y)) {
			return false
		}
	}
	return true
}

// Bytes returns the NPY encoding of a float64 array (a convenience for tests and
// small arrays).
func Bytes(shape []int, data []float64) ([]byte, error) {
	var b bytes.Buffer
	if err := Write(&b, shape, data); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
