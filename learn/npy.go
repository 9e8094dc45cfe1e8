package learn

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"

	"gonum.org/v1/gonum/mat"

	"github.com/deepglass/deepglass/analysis"
	"github.com/deepglass/deepglass/internal/atomicfile"
	"github.com/deepglass/deepglass/models"
	"github.com/deepglass/deepglass/npy"
)

// NPY files (NumPy's format, see package [npy]) hold one array. WriteNPY writes a
// matrix as a 2-D '<f8' array in C order; ReadNPY reads 1-D and 2-D '<f8' arrays
// (format version 1.0, 2.0 or 3.0) in either order, and nothing else. np.load reads
// the files WriteNPY writes, and np.save writes files ReadNPY reads
// (np.save(f, np.asarray(w, dtype='<f8'))). Both are thin wrappers of package npy,
// which reads every float and integer dtype and any number of dimensions.

// WriteNPY writes m as a 2-D float64 NPY array in C order.
func WriteNPY(w io.Writer, m mat.Matrix) error {
	r, c := m.Dims()
	data := make([]float64, 0, r*c)
	for i := range r {
		for j := range c {
			data = append(data, m.At(i, j))
		}
	}
	return npy.Write(w, []int{r, c}, data)
}

// ReadNPY reads a 1-D or 2-D '<f8' NPY array as a matrix; a 1-D array of length n
// becomes n×1. It returns an error for anything else (other dtypes, other ranks,
// empty arrays).
func ReadNPY(r io.Reader) (*mat.Dense, error) {
	a, err := npy.Read(r)
	if err != nil {
		return nil, err
	}
	if a.Dtype != "<f8" {
		return nil, fmt.Errorf("npy: dtype %q not supported (want '<f8')", a.Dtype)
	}
	var rows, cols int
	switch len(a.Shape) {
	case 1:
		rows, cols = a.Shape[0], 1
	case 2:
		rows, cols = a.Shape[0], a.Shape[1]
	default:
		return nil, fmt.Errorf("npy: shape %v: want 1 or 2 dimensions", a.Shape)
	}
	if rows < 1 || cols < 1 {
		return nil, fmt.Errorf("npy: empty array of shape %v", a.Shape)
	}
	return mat.NewDense(rows, cols, a.Data), nil
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
	if err := atomicfile.Write(npy, func(w io.Writer) error { return WriteNPY(w, r.W) }); err != nil {
		return fmt.Errorf("save %s: %w", npy, err)
	}
	meta := modelMeta{Format: "deepglass-rbm", Units: "0/1", NV: r.NV(), NH: r.NH(),
		Weights: filepath.Base(npy), A: r.A, B: r.B, Info: info}
	b, err := analysis.MarshalJSONIndent(meta, "", "  ") // NaN biases of a diverged run as null
	if err != nil {
		return fmt.Errorf("save: %w", err)
	}
	if err := atomicfile.WriteFile(prefix+".json", append(b, '\n')); err != nil {
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
