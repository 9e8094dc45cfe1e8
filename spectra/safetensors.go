package spectra

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"sort"
	"strings"

	"github.com/deepglass/deepglass/npy"
)

// Tensor is a named array of float64 values in C order.
type Tensor struct {
	Name  string
	Shape []int
	Data  []float64
	// Dtype is the type the values were stored as ("<f4", "F16", …).
	Dtype string
}

// String returns the name, the shape and the dtype.
func (t Tensor) String() string { return fmt.Sprintf("%s %v %s", t.Name, t.Shape, t.Dtype) }

// Layers returns the layers of the tensor ([NewLayers]).
func (t Tensor) Layers(conv ConvMode) ([]Layer, error) {
	return NewLayers(t.Name, t.Shape, t.Data, conv)
}

// ReadNPY reads the NPY file name as a tensor named name.
func ReadNPY(name string) (Tensor, error) {
	a, err := npy.ReadFile(name)
	if err != nil {
		return Tensor{}, err
	}
	return Tensor{Name: name, Shape: a.Shape, Data: a.Data, Dtype: a.Dtype}, nil
}

// A safetensors file (github.com/huggingface/safetensors) is an 8-byte little-endian
// header length n, n bytes of JSON header, then the data buffer. The header maps each
// tensor name to {"dtype", "shape", "data_offsets": [begin, end]} (byte offsets into
// the buffer, little-endian values, C order); the optional key "__metadata__" maps
// strings to strings.

// maxSafetensorsHeader bounds the header, as the reference implementation does (100 MB).
const maxSafetensorsHeader = 100 << 20

// STInfo describes one tensor of a safetensors file.
type STInfo struct {
	Name       string
	Dtype      string
	Shape      []int
	Begin, End int64 // byte offsets into the data buffer
}

// String returns the name, dtype and shape.
func (i STInfo) String() string { return fmt.Sprintf("%s %s %v", i.Name, i.Dtype, i.Shape) }

// Safetensors is an open safetensors file: its header, parsed and checked.
type Safetensors struct {
	// Tensors lists the tensors in the order of their data.
	Tensors  []STInfo
	Metadata map[string]string
	r        io.ReaderAt
	start    int64 // offset of the data buffer
	closer   io.Closer
	name     string
}

// String returns the number of tensors.
func (s *Safetensors) String() string {
	return fmt.Sprintf("safetensors %s: %d tensors", s.name, len(s.Tensors))
}

// stSize is the byte size of each dtype of the format.
var stSize = map[string]int{"F64": 8, "F32": 4, "F16": 2, "BF16": 2, "I64": 8, "I32": 4, "I16": 2, "I8": 1,
	"U64": 8, "U32": 4, "U16": 2, "U8": 1, "BOOL": 1, "F8_E4M3": 1, "F8_E5M2": 1}

// OpenSafetensors opens the named file and checks its header; Close releases it.
func OpenSafetensors(name string) (*Safetensors, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, fmt.Errorf("safetensors: %w", err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("safetensors: %w", err)
	}
	s, err := parseSafetensors(f, st.Size())
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("safetensors: %s: %w", name, err)
	}
	s.closer, s.name = f, name
	return s, nil
}

// ParseSafetensors checks the header of a safetensors file of the given size read
// through r.
func ParseSafetensors(r io.ReaderAt, size int64) (*Safetensors, error) {
	s, err := parseSafetensors(r, size)
	if err != nil {
		return nil, fmt.Errorf("safetensors: %w", err)
	}
	return s, nil
}

// Close closes the file of [OpenSafetensors].
func (s *Safetensors) Close() error {
	if s.closer != nil {
		return s.closer.Close()
	}
	return nil
}

func parseSafetensors(r io.ReaderAt, size int64) (*Safetensors, error) {
	var lb [8]byte
	if size < 8 {
		return nil, fmt.Errorf("file of %d bytes has no header length", size)
	}
	if _, err := r.ReadAt(lb[:], 0); err != nil {
		return nil, fmt.Errorf("header length: %w", err)
	}
	n := binary.LittleEndian.Uint64(lb[:])
	if n > maxSafetensorsHeader {
		return nil, fmt.Errorf("header of %d bytes is longer than %d", n, maxSafetensorsHeader)
	}
	if int64(n) > size-8 {
		return nil, fmt.Errorf("header of %d bytes in a file of %d bytes", n, size)
	}
	hb := make([]byte, n)
	if _, err := r.ReadAt(hb, 8); err != nil && !(errors.Is(err, io.EOF) && len(hb) == 0) {
		return nil, fmt.Errorf("header: %w", err)
	}
	if len(bytes.TrimLeft(hb, " ")) == 0 || bytes.TrimLeft(hb, " ")[0] != '{' {
		return nil, errors.New("header is not a JSON object")
	}
	s := &Safetensors{r: r, start: 8 + int64(n), Metadata: map[string]string{}}
	buf := size - s.start
	dec := json.NewDecoder(bytes.NewReader(hb))
	dec.UseNumber()
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, errors.New("header is not a JSON object")
	}
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("header: %w", err)
		}
		key, ok := tok.(string)
		if !ok {
			return nil, errors.New("header: a key is not a string")
		}
		if seen[key] {
			return nil, fmt.Errorf("header: key %q given twice", key)
		}
		seen[key] = true
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, fmt.Errorf("header: %q: %w", key, err)
		}
		if key == "__metadata__" {
			if err := json.Unmarshal(raw, &s.Metadata); err != nil {
				return nil, fmt.Errorf("header: __metadata__ is not a map of strings: %w", err)
			}
			continue
		}
		info, err := parseEntry(key, raw, buf)
		if err != nil {
			return nil, err
		}
		s.Tensors = append(s.Tensors, info)
	}
	if _, err := dec.Token(); err != nil {
		return nil, fmt.Errorf("header: %w", err)
	}
	if dec.More() {
		return nil, errors.New("header: text after the object")
	}
	if rest, _ := io.ReadAll(dec.Buffered()); len(bytes.TrimSpace(rest)) > 0 {
		return nil, errors.New("header: text after the object")
	}
	// The buffer must be covered exactly: no overlaps, no holes.
	sort.SliceStable(s.Tensors, func(i, j int) bool {
		a, b := s.Tensors[i], s.Tensors[j]
		return a.Begin < b.Begin || (a.Begin == b.Begin && a.End < b.End)
	})
	var at int64
	for _, t := range s.Tensors {
		switch {
		case t.Begin < at:
			return nil, fmt.Errorf("tensor %q at bytes [%d, %d) overlaps the one before (which ends at %d)", t.Name, t.Begin, t.End, at)
		case t.Begin > at:
			return nil, fmt.Errorf("bytes [%d, %d) of the data belong to no tensor (hole before %q)", at, t.Begin, t.Name)
		}
		at = t.End
	}
	if at != buf {
		return nil, fmt.Errorf("the tensors cover %d bytes of a %d-byte data buffer", at, buf)
	}
	return s, nil
}

// parseEntry checks one tensor entry of the header against a buffer of buf bytes.
func parseEntry(name string, raw json.RawMessage, buf int64) (STInfo, error) {
	var e struct {
		Dtype   *string   `json:"dtype"`
		Shape   *[]int64  `json:"shape"`
		Offsets *[]uint64 `json:"data_offsets"`
	}
	d := json.NewDecoder(bytes.NewReader(raw))
	d.DisallowUnknownFields()
	if err := d.Decode(&e); err != nil {
		return STInfo{}, fmt.Errorf("tensor %q: %w", name, err)
	}
	if e.Dtype == nil || e.Shape == nil || e.Offsets == nil {
		return STInfo{}, fmt.Errorf("tensor %q: needs dtype, shape and data_offsets", name)
	}
	size, ok := stSize[*e.Dtype]
	if !ok {
		return STInfo{}, fmt.Errorf("tensor %q: unknown dtype %q", name, *e.Dtype)
	}
	if len(*e.Offsets) != 2 {
		return STInfo{}, fmt.Errorf("tensor %q: data_offsets has %d values, want 2", name, len(*e.Offsets))
	}
	begin, end := (*e.Offsets)[0], (*e.Offsets)[1]
	if begin > end || end > uint64(buf) {
		return STInfo{}, fmt.Errorf("tensor %q: data_offsets [%d, %d] outside the %d-byte data buffer", name, begin, end, buf)
	}
	n := uint64(1)
	shape := make([]int, len(*e.Shape))
	for i, v := range *e.Shape {
		if v < 0 || v > math.MaxInt32 {
			return STInfo{}, fmt.Errorf("tensor %q: bad dimension %d", name, v)
		}
		shape[i] = int(v)
		if v > 0 && n > math.MaxInt64/uint64(v)/uint64(size) {
			return STInfo{}, fmt.Errorf("tensor %q: shape %v too large", name, *e.Shape)
		}
		n *= uint64(v)
	}
	if n*uint64(size) != end-begin {
		return STInfo{}, fmt.Errorf("tensor %q: shape %v of %s needs %d bytes, data_offsets give %d", name, shape, *e.Dtype, n*uint64(size), end-begin)
	}
	return STInfo{Name: name, Dtype: *e.Dtype, Shape: shape, Begin: int64(begin), End: int64(end)}, nil
}

// Read reads the tensor described by info and converts its values to float64. Types
// other than floats (F64, F32, F16, BF16), integers and BOOL return an error.
func (s *Safetensors) Read(info STInfo) (Tensor, error) {
	if strings.HasPrefix(info.Dtype, "F8") {
		return Tensor{}, fmt.Errorf("safetensors: tensor %q: dtype %s not supported", info.Name, info.Dtype)
	}
	size := stSize[info.Dtype]
	b := make([]byte, info.End-info.Begin)
	if _, err := s.r.ReadAt(b, s.start+info.Begin); err != nil && !(errors.Is(err, io.EOF) && len(b) == 0) {
		return Tensor{}, fmt.Errorf("safetensors: tensor %q: %w", info.Name, err)
	}
	data := make([]float64, len(b)/max(size, 1))
	le := binary.LittleEndian
	for i := range data {
		p := b[i*size:]
		var v float64
		switch info.Dtype {
		case "F64":
			v = math.Float64frombits(le.Uint64(p))
		case "F32":
			v = float64(math.Float32frombits(le.Uint32(p)))
		case "F16":
			v = npy.Float16(le.Uint16(p))
		case "BF16":
			v = float64(math.Float32frombits(uint32(le.Uint16(p)) << 16))
		case "I64":
			v = float64(int64(le.Uint64(p)))
		case "I32":
			v = float64(int32(le.Uint32(p)))
		case "I16":
			v = float64(int16(le.Uint16(p)))
		case "I8":
			v = float64(int8(p[0]))
		case "U64":
			v = float64(le.Uint64(p))
		case "U32":
			v = float64(le.Uint32(p))
		case "U16":
			v = float64(le.Uint16(p))
		case "U8":
			v = float64(p[0])
		case "BOOL":
			if p[0] != 0 {
				v = 1
			}
		}
		data[i] = v
	}
	return Tensor{Name: info.Name, Shape: info.Shape, Data: data, Dtype: info.Dtype}, nil
}

// WriteSafetensors writes float64 tensors (dtype F64) with optional metadata to w, in
// the order given: a small writer for tests and for exporting deepglass models.
func WriteSafetensors(w io.Writer, tensors []Tensor, metadata map[string]string) error {
	type entry struct {
		Dtype   string   `json:"dtype"`
		Shape   []int    `json:"shape"`
		Offsets [2]int64 `json:"data_offsets"`
	}
	header := map[string]any{}
	if len(metadata) > 0 {
		header["__metadata__"] = metadata
	}
	var at int64
	for _, t := range tensors {
		n := 1
		for _, d := range t.Shape {
			n *= d
		}
		if n != len(t.Data) {
			return fmt.Errorf("safetensors: tensor %q: shape %v needs %d values, got %d", t.Name, t.Shape, n, len(t.Data))
		}
		if _, dup := header[t.Name]; dup || t.Name == "__metadata__" {
			return fmt.Errorf("safetensors: tensor name %q used twice or reserved", t.Name)
		}
		header[t.Name] = entry{"F64", t.Shape, [2]int64{at, at + 8*int64(n)}}
		at += 8 * int64(n)
	}
	hb, err := json.Marshal(header)
	if err != nil {
		return fmt.Errorf("safetensors: %w", err)
	}
	for len(hb)%8 != 0 {
		hb = append(hb, ' ')
	}
	var lb [8]byte
	binary.LittleEndian.PutUint64(lb[:], uint64(len(hb)))
	if _, err := w.Write(append(lb[:], hb...)); err != nil {
		return fmt.Errorf("safetensors: %w", err)
	}
	b := make([]byte, 8)
	for _, t := range tensors {
		for _, v := range t.Data {
			binary.LittleEndian.PutUint64(b, math.Float64bits(v))
			if _, err := w.Write(b); err != nil {
				return fmt.Errorf("safetensors: %w", err)
			}
		}
	}
	return nil
}
