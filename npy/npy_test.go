package npy

import (
	"bytes"
	"encoding/binary"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// want returns the values testdata/gen.py stores for n elements of a dtype kind.
func want(kind byte, n int) []float64 {
	v := make([]float64, n)
	for k := range v {
		switch kind {
		case 'f':
			v[k] = float64(k-5) * 0.5
		case 'i':
			v[k] = float64(k - 5)
		case 'u':
			v[k] = float64(k)
		default:
			v[k] = float64(k % 2)
		}
	}
	return v
}

// TestReadNumpyFiles reads files written by numpy itself (testdata/gen.py).
func TestReadNumpyFiles(t *testing.T) {
	cases := []struct {
		file  string
		kind  byte
		shape []int
	}{
		{"le_f8_3x4.npy", 'f', []int{3, 4}}, {"le_f4_3x4.npy", 'f', []int{3, 4}}, {"le_f2_3x4.npy", 'f', []int{3, 4}},
		{"be_f8_3x4.npy", 'f', []int{3, 4}}, {"be_f4_3x4.npy", 'f', []int{3, 4}},
		{"i1_3x4.npy", 'i', []int{3, 4}}, {"le_i2_3x4.npy", 'i', []int{3, 4}}, {"le_i4_3x4.npy", 'i', []int{3, 4}},
		{"le_i8_3x4.npy", 'i', []int{3, 4}}, {"be_i8_3x4.npy", 'i', []int{3, 4}},
		{"u1_3x4.npy", 'u', []int{3, 4}}, {"le_u2_3x4.npy", 'u', []int{3, 4}}, {"le_u4_3x4.npy", 'u', []int{3, 4}},
		{"le_u8_3x4.npy", 'u', []int{3, 4}}, {"b1_3x4.npy", 'b', []int{3, 4}},
		{"f8_c_2x3x4.npy", 'f', []int{2, 3, 4}}, {"f8_fortran_2x3x4.npy", 'f', []int{2, 3, 4}},
		{"f4_fortran_5x3.npy", 'f', []int{5, 3}}, {"f8_1d_7.npy", 'f', []int{7}},
		{"f8_v2_3x4.npy", 'f', []int{3, 4}}, {"f8_v3_3x4.npy", 'f', []int{3, 4}},
		{"f8_empty_0x3.npy", 'f', []int{0, 3}},
	}
	for _, c := range cases {
		a, err := ReadFile(filepath.Join("testdata", c.file))
		if err != nil {
			t.Errorf("%s: %v", c.file, err)
			continue
		}
		w := &Array{Shape: c.shape, Data: want(c.kind, product(c.shape))}
		if !Equal(a, w) {
			t.Errorf("%s: read %v %v; want %v %v", c.file, a.Shape, a.Data, w.Shape, w.Data)
		}
	}
	a, err := ReadFile("testdata/f8_0d.npy")
	if err != nil || len(a.Shape) != 0 || len(a.Data) != 1 || a.Data[0] != 2.5 {
		t.Errorf("0-d array: %v %v", a, err)
	}
}

func product(s []int) int {
	n := 1
	for _, d := range s {
		n *= d
	}
	return n
}

// TestFloat16 checks the half-precision specials against numpy's conversion
// (testdata/gen.py: max, min normal, min subnormal, −0, ±inf, NaN, 1/3).
func TestFloat16(t *testing.T) {
	a, err := ReadFile("testdata/f2_special.npy")
	if err != nil {
		t.Fatal(err)
	}
	w := []float64{65504, 6.103515625e-05, 5.960464477539063e-08, math.Copysign(0, -1), math.Inf(1), math.Inf(-1), math.NaN(), 0.333251953125}
	if !Equal(a, &Array{Shape: []int{8}, Data: w}) || !math.Signbit(a.Data[3]) {
		t.Errorf("float16 specials: %v; want %v", a.Data, w)
	}
	// Every finite half converts exactly: float32 of the same value round-trips.
	for h := range uint32(1 << 16) {
		v := Float16(uint16(h))
		if math.IsNaN(v) || math.IsInf(v, 0) {
			continue
		}
		if float64(float32(v)) != v {
			t.Fatalf("Float16(%#04x) = %v is not exact", h, v)
		}
	}
}

func TestRefused(t *testing.T) {
	for file, msg := range map[string]string{
		"bad_complex.npy": "not supported", "bad_unicode.npy": "not supported",
		"bad_structured.npy": "structured", "bad_object.npy": "pickle",
	} {
		_, err := ReadFile(filepath.Join("testdata", file))
		if err == nil || !strings.Contains(err.Error(), msg) || !strings.Contains(err.Error(), file) {
			t.Errorf("%s: error %v; want one containing %q and the file name", file, err, msg)
		}
	}
}

func TestMalformed(t *testing.T) {
	good, err := Bytes([]int{2, 3}, []float64{1, 2, 3, 4, 5, 6})
	if err != nil {
		t.Fatal(err)
	}
	hdr := func(h string) []byte {
		b := append([]byte(magic), 1, 0, byte(len(h)), byte(len(h)>>8))
		return append(b, h...)
	}
	cases := map[string][]byte{
		"empty":             nil,
		"short magic":       []byte("\x93NUM"),
		"bad magic":         []byte("\x93NUMPX\x01\x00"),
		"version 4":         []byte(magic + "\x04\x00\x10\x00"),
		"no header length":  []byte(magic + "\x01\x00"),
		"truncated header":  append([]byte(magic), 1, 0, 100, 0, '{'),
		"truncated data":    good[:len(good)-3],
		"no data":           good[:64],
		"not a dict":        hdr("['descr', '<f8']"),
		"missing shape":     hdr("{'descr': '<f8', 'fortran_order': False}"),
		"missing descr":     hdr("{'fortran_order': False, 'shape': (2,)}"),
		"extra key":         hdr("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), 'x': 1}"),
		"duplicate key":     hdr("{'descr': '<f8', 'descr': '<f8', 'fortran_order': False, 'shape': (2,)}"),
		"bad bool":          hdr("{'descr': '<f8', 'fortran_order': 0, 'shape': (2,)}"),
		"negative dim":      hdr("{'descr': '<f8', 'fortran_order': False, 'shape': (-2,)}"),
		"float dim":         hdr("{'descr': '<f8', 'fortran_order': False, 'shape': (2.5,)}"),
		"huge shape":        hdr("{'descr': '<f8', 'fortran_order': False, 'shape': (100000, 100000, 100000)}"),
		"overflowing shape": hdr("{'descr': '<f8', 'fortran_order': False, 'shape': (999999999999999999, 999999999999999999)}"),
		"bad dtype":         hdr("{'descr': '<f16', 'fortran_order': False, 'shape': (2,)}"),
		"unterminated":      hdr("{'descr': '<f8, 'fortran_order': False, 'shape': (2,)}"),
		"trailing text":     hdr("{'descr': '<f8', 'fortran_order': False, 'shape': (2,)} x"),
	}
	for name, b := range cases {
		a, err := Read(bytes.NewReader(b))
		if err == nil {
			t.Errorf("%s: read %v; want an error", name, a)
			continue
		}
		if !strings.HasPrefix(err.Error(), "npy: ") {
			t.Errorf("%s: error %q lacks the npy prefix", name, err)
		}
	}
	_, err = Read(bytes.NewReader(good[:len(good)-8]))
	if err == nil || !strings.Contains(err.Error(), "5 of 6 values") {
		t.Errorf("truncated data: %v; want it to say 5 of 6 values", err)
	}
	// A header beyond the limit is refused before it is read.
	_, err = ReadLimits(bytes.NewReader(append([]byte(magic), 2, 0, 0, 0, 0, 1)), Limits{MaxHeader: 1000})
	if err == nil || !strings.Contains(err.Error(), "limit") {
		t.Errorf("long header: %v", err)
	}
	_, err = ReadLimits(bytes.NewReader(good), Limits{MaxElements: 5})
	if err == nil {
		t.Error("6 elements read with a limit of 5")
	}
}

func TestRoundTrip(t *testing.T) {
	data := []float64{0, -1.5, math.Pi, 1e-300, math.Inf(-1), math.NaN(), math.MaxFloat64, 7, 8, 9, 10, 11}
	for _, shape := range [][]int{{12}, {3, 4}, {2, 3, 2}, {1, 1, 1, 12}} {
		var b bytes.Buffer
		if err := Write(&b, shape, data); err != nil {
			t.Fatal(err)
		}
		raw := b.Bytes()
		hlen := int(binary.LittleEndian.Uint16(raw[8:10]))
		if (10+hlen)%64 != 0 || raw[9+hlen] != '\n' || len(raw) != 10+hlen+8*len(data) {
			t.Errorf("%v: layout: header %d bytes, file %d bytes", shape, hlen, len(raw))
		}
		a, err := Read(bytes.NewReader(raw))
		if err != nil || !Equal(a, &Array{Shape: shape, Data: data}) || a.Dtype != "<f8" {
			t.Errorf("%v: round trip %v, %v", shape, a, err)
		}
	}
	f32 := []float32{1, -2.5, float32(math.Inf(1)), 3.25}
	var b bytes.Buffer
	if err := WriteFloat32(&b, []int{2, 2}, f32); err != nil {
		t.Fatal(err)
	}
	a, err := Read(&b)
	if err != nil || a.Dtype != "<f4" || !Equal(a, &Array{Shape: []int{2, 2}, Data: []float64{1, -2.5, math.Inf(1), 3.25}}) {
		t.Errorf("float32 round trip: %v %v", a, err)
	}
	if err := Write(&b, []int{2, 2}, data); err == nil {
		t.Error("Write accepted 12 values for shape (2, 2)")
	}
	if err := Write(&b, []int{-1}, nil); err == nil {
		t.Error("Write accepted a negative dimension")
	}
	// 0-d and a long header (version 2.0).
	for _, shape := range [][]int{{}, make([]int, 64)} {
		n := 1
		for i := range shape {
			shape[i] = 1
		}
		raw, err := Bytes(shape, make([]float64, n))
		if err != nil {
			t.Fatal(err)
		}
		if a, err := Read(bytes.NewReader(raw)); err != nil || len(a.Shape) != len(shape) {
			t.Errorf("shape %v: %v %v", shape, a, err)
		}
	}
}

// TestNumpyLoadsWrites has numpy read what Write and WriteFloat32 produce, when
// /usr/bin/python3 with numpy is present (Debian's python3-numpy).
func TestNumpyLoadsWrites(t *testing.T) {
	py := "/usr/bin/python3"
	if err := exec.Command(py, "-c", "import numpy").Run(); err != nil {
		t.Skip("no python3 with numpy")
	}
	dir := t.TempDir()
	if err := WriteFile(filepath.Join(dir, "a.npy"), []int{2, 3, 2}, want('f', 12)); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(filepath.Join(dir, "b.npy"))
	if err != nil {
		t.Fatal(err)
	}
	if err := WriteFloat32(f, []int{3}, []float32{1.5, -2, 0.25}); err != nil {
		t.Fatal(err)
	}
	f.Close()
	script := `import numpy as np, sys
a = np.load(sys.argv[1]); b = np.load(sys.argv[2])
assert a.dtype == np.float64 and a.shape == (2, 3, 2), (a.dtype, a.shape)
assert (a.ravel() == (np.arange(12) - 5) * 0.5).all()
assert b.dtype == np.float32 and b.tolist() == [1.5, -2.0, 0.25], b
print("ok")`
	out, err := exec.Command(py, "-c", script, filepath.Join(dir, "a.npy"), filepath.Join(dir, "b.npy")).CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) != "ok" {
		t.Errorf("numpy could not read our files: %v\n%s", err, out)
	}
}

func TestStrings(t *testing.T) {
	a := &Array{Shape: []int{3}, Data: []float64{1, 2, 3}, Dtype: "<f4"}
	if a.String() != "npy array (3,) <f4" || a.Size() != 3 {
		t.Errorf("String() = %q, Size() = %d", a.String(), a.Size())
	}
	if (*Array)(nil).String() == "" || (Limits{}).String() == "" {
		t.Error("empty String()")
	}
}

// FuzzRead checks that Read never panics and that what it accepts is consistent:
// the data match the shape, and no more values were produced than the input holds.
// The seed corpus is testdata/fuzz/FuzzRead plus the numpy files of testdata.
func FuzzRead(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.npy")
	for _, name := range files {
		if b, err := os.ReadFile(name); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(magic + "\x02\x00\x10\x00\x00\x00{'shape': (9,)}"))
	f.Fuzz(func(t *testing.T, b []byte) {
		a, err := Read(bytes.NewReader(b))
		if err != nil {
			if !strings.HasPrefix(err.Error(), "npy: ") {
				t.Fatalf("error without prefix: %v", err)
			}
			return
		}
		if a.Size() != len(a.Data) {
			t.Fatalf("shape %v holds %d values, data %d", a.Shape, a.Size(), len(a.Data))
		}
		if len(a.Data) > len(b) {
			t.Fatalf("%d values from %d bytes", len(a.Data), len(b))
		}
	})
}
