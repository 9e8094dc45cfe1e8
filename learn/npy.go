package learn

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

	"gonum.org/v1/gonum/mat"

	"github.com/deepglass/deepglass/analysis"
	"github.com/deepglass/deepglass/models"
)

// NPY files (NumPy format version 1.0, numpy.lib.format) hold one array:
//
//	"\x93NUMPY" 0x01 0x00, a little-endian uint16 header length HLEN,
//	HLEN bytes of ASCII header: a Python dict literal such as
//	    {'descr': '<f8', 'fortran_order': False, 'shape': (16, 12), }
//	padded with spaces and ending in '\n' so that 10 + HLEN is a multiple of 64,
//	then the values: here always '<f8', little-endian IEEE-754 float64, in row-major
//	(C) order, or column-major if fortran_order is True.
//
// WriteNPY writes C order; ReadNPY reads 1-D and 2-D '<f8' arrays in either order,
// and nothing else. np.load reads the files WriteNPY writes, and np.save writes files
// ReadNPY reads (np.save(f, np.asarray(w, dtype='<f8'))).

var npyMagic = []byte("\x93NUMPY\x01\x00")

// maxNPYElements bounds the array size ReadNPY accepts (2³¹ float64 values, 16 GiB).
const maxNPYElements = 1 << 31

// WriteNPY writes m as a 2-D float64 NPY array in C order.
func WriteNPY(w io.Writer, m mat.Matrix) error {
	r, c := m.Dims()
	header := fmt.Sprintf("{'descr': '<f8', 'fortran_order': False, 'shape': (%d, %d), }", r, c)
	pad := 64 - (len(npyMagic)+2+len(header)+1)%64
	if pad == 64 {
		pad = 0
	}
	header += strings.Repeat(" ", pad) + "\n"
	bw := bufio.NewWriter(w)
	bw.Write(npyMagic)
	var b [8]byte
	binary.LittleEndian.PutUint16(b[:2], uint16(len(header)))
	bw.Write(b[:2])
	bw.WriteString(header)
	for i := range r {
		for j := range c {
			binary.LittleEndian.PutUint64(b[:], math.Float64bits(m.At(i, j)))
			bw.Write(b[:])
		}
	}
	return bw.Flush()
}

var (
	npyDescr   = regexp.MustCompile(`'descr'\s*:\s*'([^']*)'`)
	npyFortran = regexp.MustCompile(`'fortran_order'\s*:\s*(True|False)`)
	npyShape   = regexp.MustCompile(`'shape'\s*:\s*\(([^)]*)\)`)
)

// ReadNPY reads a 1-D or 2-D '<f8' NPY array (version 1.0 or 2.0 header) as a
// matrix; a 1-D array of length n becomes n×1. It returns an error for anything else.
func ReadNPY(r io.Reader) (*mat.Dense, error) {
	var pre [8]byte
	if _, err := io.ReadFull(r, pre[:]); err != nil {
		return nil, fmt.Errorf("npy: %w", err)
	}
	if !bytes.Equal(pre[:6], npyMagic[:6]) {
		return nil, errors.New("npy: not an NPY file (bad magic)")
	}
	var hlen int
	switch pre[6] {
	case 1:
		var b [2]byte
		if _, err := io.ReadFull(r, b[:]); err != nil {
			return nil, fmt.Errorf("npy: header length: %w", err)
		}
		hlen = int(binary.LittleEndian.Uint16(b[:]))
	case 2:
		var b [4]byte
		if _, err := io.ReadFull(r, b[:]); err != nil {
			return nil, fmt.Errorf("npy: header length: %w", err)
		}
		hlen = int(binary.LittleEndian.Uint32(b[:]))
		if hlen > 1<<20 {
			return nil, fmt.Errorf("npy: header of %d bytes is too long", hlen)
		}
	default:
		return nil, fmt.Errorf("npy: unsupported version %d.%d", pre[6], pre[7])
	}
	hb := make([]byte, hlen)
	if _, err := io.ReadFull(r, hb); err != nil {
		return nil, fmt.Errorf("npy: header: %w", err)
	}
	h := string(hb)
	d := npyDescr.FindStringSubmatch(h)
	if d == nil || d[1] != "<f8" {
		return nil, fmt.Errorf("npy: dtype %q not supported (want '<f8')", firstGroup(d))
	}
	fo := npyFortran.FindStringSubmatch(h)
	if fo == nil {
		return nil, errors.New("npy: header has no fortran_order")
	}
	sh := npyShape.FindStringSubmatch(h)
	if sh == nil {
		return nil, errors.New("npy: header has no shape")
	}
	var dims []int
	for _, f := range strings.Split(sh[1], ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		n, err := strconv.Atoi(f)
		if err != nil || n < 1 || n > maxNPYElements {
			return nil, fmt.Errorf("npy: bad shape (%s)", sh[1])
		}
		dims = append(dims, n)
	}
	var rows, cols int
	switch len(dims) {
	case 1:
		rows, cols = dims[0], 1
	case 2:
		rows, cols = dims[0], dims[1]
	default:
		return nil, fmt.Errorf("npy: shape (%s): want 1 or 2 dimensions", sh[1])
	}
	if rows > maxNPYElements/cols {
		return nil, fmt.Errorf("npy: shape (%s) too large", sh[1])
	}
	// Read in chunks, so a short file with a huge shape fails before allocating it all.
	n := rows * cols
	data := make([]float64, 0, min(n, 1<<16))
	buf := make([]byte, 8*4096)
	for len(data) < n {
		k := min(n-len(data), 4096)
		if _, err := io.ReadFull(r, buf[:8*k]); err != nil {
			return nil, fmt.Errorf("npy: data (%d of %d values read): %w", len(data), n, err)
		}
		for i := range k {
			data = append(data, math.Float64frombits(binary.LittleEndian.Uint64(buf[8*i:])))
		}
	}
	if fo[1] == "True" {
		m := mat.NewDense(cols, rows, data)
		return mat.DenseCopyOf(m.T()), nil
	}
	return mat.NewDense(rows, cols, data), nil
}

func firstGroup(m []string) string {
	if len(m) < 2 {
		return ""
	}
	return m[1]
}

// modelMeta is the JSON metadata [Save] writes beside the weights.
type modelMeta struct {
	Format  string    `json:"format"` // "deepglass-rbm"
	Units   string    `json:"units"`  // "0/1"
	NV      int       `json:"nv"`
	NH      int       `json:"nh"`
	Weights string    `json:"weights"` // NPY file name, relative to the JSON file
	A       []float64 `json:"a"`
	B       []float64 `json:"b"`
	Info    any       `json:"info,omitempty"`
}

// Save writes r as PATH.json (metadata, biases and info, any JSON-encodable value
// such as the training options and data spec) and PATH.npy (the NV×NH weights,
// C order; see [WriteNPY]), with PATH = prefix.
func Save(prefix string, r *models.RBM, info any) error {
	npy := prefix + ".npy"
	f, err := os.Create(npy)
	if err != nil {
		return fmt.Errorf("save: %w", err)
	}
	if err := WriteNPY(f, r.W); err != nil {
		f.Close()
		return fmt.Errorf("save %s: %w", npy, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("save %s: %w", npy, err)
	}
	meta := modelMeta{Format: "deepglass-rbm", Units: "0/1", NV: r.NV(), NH: r.NH(),
		Weights: filepath.Base(npy), A: r.A, B: r.B, Info: info}
	b, err := analysis.MarshalJSONIndent(meta, "", "  ") // NaN biases of a diverged run as null
	if err != nil {
		return fmt.Errorf("save: %w", err)
	}
	if err := os.WriteFile(prefix+".json", append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("save: %w", err)
	}
	return nil
}

// Load reads an RBM written by [Save] from PATH.json and the NPY file it names.
func Load(prefix string) (*models.RBM, error) {
	name := prefix + ".json"
	b, err := os.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("load: %w", err)
	}
	var meta modelMeta
	if err := json.Unmarshal(b, &meta); err != nil {
		return nil, fmt.Errorf("load %s: %w", name, err)
	}
	// Save writes non-finite biases (a diverged run) as null: read them back as NaN,
	// not as the 0 that encoding/json leaves.
	var nulls struct {
		A []*float64 `json:"a"`
		B []*float64 `json:"b"`
	}
	if json.Unmarshal(b, &nulls) == nil {
		for i, p := range nulls.A {
			if p == nil && i < len(meta.A) {
				meta.A[i] = math.NaN()
			}
		}
		for j, p := range nulls.B {
			if p == nil && j < len(meta.B) {
				meta.B[j] = math.NaN()
			}
		}
	}
	if meta.Format != "deepglass-rbm" || meta.NV < 1 || meta.NH < 1 || len(meta.A) != meta.NV || len(meta.B) != meta.NH {
		return nil, fmt.Errorf("load %s: not a deepglass-rbm file or inconsistent shape (nv=%d nh=%d len(a)=%d len(b)=%d)",
			name, meta.NV, meta.NH, len(meta.A), len(meta.B))
	}
	npy := filepath.Join(filepath.Dir(name), meta.Weights)
	f, err := os.Open(npy)
	if err != nil {
		return nil, fmt.Errorf("load: %w", err)
	}
	defer f.Close()
	w, err := ReadNPY(bufio.NewReader(f))
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", npy, err)
	}
	if r, c := w.Dims(); r != meta.NV || c != meta.NH {
		return nil, fmt.Errorf("load %s: weights are %d×%d, metadata says %d×%d", npy, r, c, meta.NV, meta.NH)
	}
	return &models.RBM{W: w, A: meta.A, B: meta.B}, nil
}
