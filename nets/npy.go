package nets

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// NPY files (NumPy format 1.0, numpy.lib.format): "\x93NUMPY" 0x01 0x00, a
// little-endian uint16 header length, an ASCII dict such as
// {'descr': '<f4', 'fortran_order': False, 'shape': (300, 784), } padded with spaces
// to a multiple of 64 bytes and ending in '\n', then the values in C order.
//
// This is a minimal float32/float64 NPY writer and reader for the weights of nets
// (learn.WriteNPY writes float64 matrices only); np.load and torch.from_numpy read what
// WriteNPY writes.

var npyMagic = []byte("\x93NUMPY\x01\x00")

// WriteNPY writes x as an NPY array of the given shape, as '<f4' (float32) or, if
// f64 is true, '<f8'. The product of shape must be len(x).
func WriteNPY(w io.Writer, x []float64, shape []int, f64 bool) error {
	n := 1
	dims := make([]string, len(shape))
	for i, d := range shape {
		n *= d
		dims[i] = strconv.Itoa(d)
	}
	if n != len(x) || len(shape) == 0 {
		return fmt.Errorf("npy: shape %v does not hold %d values", shape, len(x))
	}
	descr, size := "<f4", 4
	if f64 {
		descr, size = "<f8", 8
	}
	shp := strings.Join(dims, ", ")
	if len(shape) == 1 {
		shp += ","
	}
	header := fmt.Sprintf("{'descr': '%s', 'fortran_order': False, 'shape': (%s), }", descr, shp)
	if pad := 64 - (len(npyMagic)+2+len(header)+1)%64; pad < 64 {
		header += strings.Repeat(" ", pad)
	}
	header += "\n"
	bw := bufio.NewWriter(w)
	bw.Write(npyMagic)
	binary.Write(bw, binary.LittleEndian, uint16(len(header)))
	bw.WriteString(header)
	var b [8]byte
	for _, v := range x {
		if size == 4 {
			binary.LittleEndian.PutUint32(b[:], math.Float32bits(float32(v)))
		} else {
			binary.LittleEndian.PutUint64(b[:], math.Float64bits(v))
		}
		bw.Write(b[:size])
	}
	return bw.Flush()
}

var (
	npyDescr   = regexp.MustCompile(`'descr'\s*:\s*'([^']*)'`)
	npyFortran = regexp.MustCompile(`'fortran_order'\s*:\s*(True|False)`)
	npyShape   = regexp.MustCompile(`'shape'\s*:\s*\(([^)]*)\)`)
)

// ReadNPY reads a C-order '<f4' or '<f8' NPY array (format 1.0 or 2.0) and returns
// its values as float64 and its shape.
func ReadNPY(r io.Reader) ([]float64, []int, error) {
	var pre [8]byte
	if _, err := io.ReadFull(r, pre[:]); err != nil {
		return nil, nil, fmt.Errorf("npy: %w", err)
	}
	if !bytes.Equal(pre[:6], npyMagic[:6]) {
		return nil, nil, errors.New("npy: not an NPY file (bad magic)")
	}
	var hlen int
	switch pre[6] {
	case 1:
		var b [2]byte
		if _, err := io.ReadFull(r, b[:]); err != nil {
			return nil, nil, fmt.Errorf("npy: header length: %w", err)
		}
		hlen = int(binary.LittleEndian.Uint16(b[:]))
	case 2:
		var b [4]byte
		if _, err := io.ReadFull(r, b[:]); err != nil {
			return nil, nil, fmt.Errorf("npy: header length: %w", err)
		}
		hlen = int(binary.LittleEndian.Uint32(b[:]))
		if hlen > 1<<20 {
			return nil, nil, fmt.Errorf("npy: header of %d bytes is too long", hlen)
		}
	default:
		return nil, nil, fmt.Errorf("npy: unsupported version %d.%d", pre[6], pre[7])
	}
	hb := make([]byte, hlen)
	if _, err := io.ReadFull(r, hb); err != nil {
		return nil, nil, fmt.Errorf("npy: header: %w", err)
	}
	h := string(hb)
	d := npyDescr.FindStringSubmatch(h)
	if d == nil || (d[1] != "<f4" && d[1] != "<f8") {
		return nil, nil, fmt.Errorf("npy: dtype %q not supported (want '<f4' or '<f8')", strings.Join(d, ""))
	}
	size := 4
	if d[1] == "<f8" {
		size = 8
	}
	if fo := npyFortran.FindStringSubmatch(h); fo == nil || fo[1] != "False" {
		return nil, nil, errors.New("npy: want fortran_order False (C order)")
	}
	sh := npyShape.FindStringSubmatch(h)
	if sh == nil {
		return nil, nil, errors.New("npy: header has no shape")
	}
	var shape []int
	n := 1
	for _, f := range strings.Split(sh[1], ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		k, err := strconv.Atoi(f)
		if err != nil || k < 1 || k > MaxParams || n > MaxParams/k {
			return nil, nil, fmt.Errorf("npy: bad shape (%s)", sh[1])
		}
		n *= k
		shape = append(shape, k)
	}
	if len(shape) == 0 {
		return nil, nil, errors.New("npy: scalar arrays not supported")
	}
	// Read in chunks, so a short file with a huge shape fails before allocating it all.
	x := make([]float64, 0, min(n, 1<<16))
	buf := make([]byte, size*4096)
	for len(x) < n {
		k := min(n-len(x), 4096)
		if _, err := io.ReadFull(r, buf[:size*k]); err != nil {
			return nil, nil, fmt.Errorf("npy: data (%d of %d values read): %w", len(x), n, err)
		}
		for i := range k {
			if size == 4 {
				x = append(x, float64(math.Float32frombits(binary.LittleEndian.Uint32(buf[4*i:]))))
			} else {
				x = append(x, math.Float64frombits(binary.LittleEndian.Uint64(buf[8*i:])))
			}
		}
	}
	return x, shape, nil
}

// modelMeta is model.json, the metadata [Save] writes beside the NPY files.
type modelMeta struct {
	Format     string      `json:"format"` // "deepglass-mlp"
	Sizes      []int       `json:"sizes"`
	Activation string      `json:"activation"`
	Loss       string      `json:"loss"`
	DType      string      `json:"dtype"` // "float32" or "float64"
	Layers     []layerMeta `json:"layers"`
	Info       any         `json:"info,omitempty"`
}

type layerMeta struct {
	Weight string `json:"weight"` // NPY file, Sizes[l+1]×Sizes[l]
	Bias   string `json:"bias"`   // NPY file, Sizes[l+1]
}

// Save writes the net to dir (created if needed): model.json (widths, activation,
// loss, file names and info, any JSON-encodable value) and, per layer l, the weight
// matrix layerL.weight.npy (Sizes[l+1]×Sizes[l], as PyTorch's nn.Linear.weight) and
// the bias layerL.bias.npy, in float32 or, if f64 is true, float64.
func Save(dir string, n *Net, f64 bool, info any) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("save: %w", err)
	}
	meta := modelMeta{Format: "deepglass-mlp", Sizes: n.Sizes, Activation: n.Act.String(), Loss: n.Loss.String(),
		DType: "float32", Info: info}
	if f64 {
		meta.DType = "float64"
	}
	write := func(name string, x []float64, shape ...int) error {
		var buf bytes.Buffer
		if err := WriteNPY(&buf, x, shape, f64); err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dir, name), buf.Bytes(), 0o644)
	}
	for l := range n.W {
		lm := layerMeta{Weight: fmt.Sprintf("layer%d.weight.npy", l), Bias: fmt.Sprintf("layer%d.bias.npy", l)}
		if err := write(lm.Weight, n.W[l], n.Sizes[l+1], n.Sizes[l]); err != nil {
			return fmt.Errorf("save %s: %w", dir, err)
		}
		if err := write(lm.Bias, n.B[l], n.Sizes[l+1]); err != nil {
			return fmt.Errorf("save %s: %w", dir, err)
		}
		meta.Layers = append(meta.Layers, lm)
	}
	b, err := json.MarshalIndent(meta, "", "  ")
	if err != nil {
		return fmt.Errorf("save: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "model.json"), append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("save: %w", err)
	}
	return nil
}

// Load reads a net written by [Save] from dir.
func Load(dir string) (*Net, error) {
	name := filepath.Join(dir, "model.json")
	b, err := os.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("load: %w", err)
	}
	var meta modelMeta
	if err := json.Unmarshal(b, &meta); err != nil {
		return nil, fmt.Errorf("load %s: %w", name, err)
	}
	if meta.Format != "deepglass-mlp" {
		return nil, fmt.Errorf("load %s: format %q, want deepglass-mlp", name, meta.Format)
	}
	act, err := ParseActivation(meta.Activation)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", name, err)
	}
	loss, err := ParseLoss(meta.Loss)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", name, err)
	}
	n, err := NewNet(meta.Sizes, act, loss)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", name, err)
	}
	if len(meta.Layers) != len(n.W) {
		return nil, fmt.Errorf("load %s: %d layer files for %d layers", name, len(meta.Layers), len(n.W))
	}
	read := func(file string, dst []float64, shape ...int) error {
		p := filepath.Join(dir, filepath.Base(file))
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		x, sh, err := ReadNPY(bufio.NewReader(f))
		if err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		if fmt.Sprint(sh) != fmt.Sprint(shape) {
			return fmt.Errorf("%s: shape %v, want %v", p, sh, shape)
		}
		copy(dst, x)
		return nil
	}
	for l, lm := range meta.Layers {
		if err := read(lm.Weight, n.W[l], n.Sizes[l+1], n.Sizes[l]); err != nil {
			return nil, fmt.Errorf("load: %w", err)
		}
		if err := read(lm.Bias, n.B[l], n.Sizes[l+1]); err != nil {
			return nil, fmt.Errorf("load: %w", err)
		}
	}
	return n, nil
}
