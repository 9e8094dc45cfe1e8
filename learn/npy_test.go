package learn

import (
	"bytes"
	"encoding/binary"
	"math"
	"math/rand/v2"
	"path/filepath"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/deepglass/deepglass/models"
)

func TestNPYRoundTrip(t *testing.T) {
	m := mat.NewDense(3, 5, nil)
	for k := range 15 {
		m.Set(k/5, k%5, float64(k)-math.Pi+1e-300*float64(k))
	}
	m.Set(2, 4, math.Inf(-1))
	var buf bytes.Buffer
	if err := WriteNPY(&buf, m); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	hlen := int(binary.LittleEndian.Uint16(b[8:10]))
	if (10+hlen)%64 != 0 || b[9+hlen] != '\n' || len(b) != 10+hlen+8*15 {
		t.Errorf("layout: header %d bytes, file %d bytes", hlen, len(b))
	}
	got, err := ReadNPY(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if !mat.Equal(got, m) {
		t.Errorf("round trip:\n%v\nwant\n%v", mat.Formatted(got), mat.Formatted(m))
	}
}

// TestNPYNumpyBytes reads a file as numpy 1.24 writes it for
// np.save(f, np.array([[1., 2., 3.], [4., 5., 6.]], order='F')) — fortran order —
// and a 1-D array.
func TestNPYNumpyBytes(t *testing.T) {
	build := func(header string, vals ...float64) []byte {
		pad := 64 - (10+len(header)+1)%64
		header += string(bytes.Repeat([]byte(" "), pad%64)) + "\n"
		b := append([]byte("\x93NUMPY\x01\x00"), byte(len(header)), byte(len(header)>>8))
		b = append(b, header...)
		for _, v := range vals {
			b = binary.LittleEndian.AppendUint64(b, math.Float64bits(v))
		}
		return b
	}
	f := build("{'descr': '<f8', 'fortran_order': True, 'shape': (2, 3), }", 1, 4, 2, 5, 3, 6)
	m, err := ReadNPY(bytes.NewReader(f))
	if err != nil {
		t.Fatal(err)
	}
	if !mat.Equal(m, mat.NewDense(2, 3, []float64{1, 2, 3, 4, 5, 6})) {
		t.Errorf("fortran order read as\n%v", mat.Formatted(m))
	}
	v, err := ReadNPY(bytes.NewReader(build("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }", 7, 8)))
	if err != nil || v.At(1, 0) != 8 {
		t.Errorf("1-D: %v, %v", v, err)
	}
	for _, bad := range [][]byte{
		build("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", 7),
		build("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2, 2), }", 7),
		build("{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }", 7, 8),
		[]byte("\x93NUMPX\x01\x00"),
	} {
		if _, err := ReadNPY(bytes.NewReader(bad)); err == nil {
			t.Errorf("ReadNPY(%q) succeeded", bad[:min(len(bad), 60)])
		}
	}
}

func FuzzReadNPY(f *testing.F) {
	var buf bytes.Buffer
	WriteNPY(&buf, mat.NewDense(2, 2, []float64{1, 2, 3, 4}))
	f.Add(buf.Bytes())
	f.Add([]byte("\x93NUMPY\x02\x00\x10\x00\x00\x00{'shape': (9,)}"))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := ReadNPY(bytes.NewReader(b))
		if err != nil {
			return
		}
		r, c := m.Dims()
		if r < 1 || c < 1 || 8*r*c > len(b) {
			t.Fatalf("%d×%d matrix from %d bytes", r, c, len(b))
		}
	})
}

func TestSaveLoad(t *testing.T) {
	r := models.RandomRBM(7, 5, 1, rand.New(rand.NewPCG(1, 2)))
	for i := range r.A {
		r.A[i] = float64(i) / 3
	}
	r.B[4] = -2.5
	prefix := filepath.Join(t.TempDir(), "model")
	if err := Save(prefix, r, map[string]any{"data": "bas:4"}); err != nil {
		t.Fatal(err)
	}
	got, err := Load(prefix)
	if err != nil {
		t.Fatal(err)
	}
	if !mat.Equal(got.W, r.W) || !floatsEqual(got.A, r.A) || !floatsEqual(got.B, r.B) {
		t.Errorf("round trip changed the model: %v vs %v", got, r)
	}
	if _, err := Load(filepath.Join(t.TempDir(), "none")); err == nil {
		t.Error("Load of a missing file succeeded")
	}
}

func floatsEqual(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestSaveLoadNonFinite: a diverged model (NaN and infinite biases, NaN weights) is
// saved, with null in model.json, and loads back with NaN in place of each null.
func TestSaveLoadNonFinite(t *testing.T) {
	r := models.RandomRBM(3, 2, 1, rand.New(rand.NewPCG(1, 2)))
	r.A[1], r.B[0] = math.NaN(), math.Inf(1)
	r.W.Set(2, 1, math.NaN())
	prefix := filepath.Join(t.TempDir(), "model")
	if err := Save(prefix, r, map[string]any{"lr": math.Inf(1)}); err != nil {
		t.Fatalf("Save of a model with NaN: %v", err)
	}
	got, err := Load(prefix)
	if err != nil {
		t.Fatal(err)
	}
	if !math.IsNaN(got.A[1]) || !math.IsNaN(got.B[0]) || got.A[0] != r.A[0] || got.B[1] != r.B[1] || !math.IsNaN(got.W.At(2, 1)) {
		t.Errorf("loaded a = %v, b = %v, w21 = %v; want NaN where the saved values were not finite", got.A, got.B, got.W.At(2, 1))
	}
}
