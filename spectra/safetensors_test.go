package spectra

import (
	"bytes"
	"encoding/binary"
	"os"
	"strings"
	"testing"
)

// TestSafetensorsRead reads testdata/model.safetensors, written by an independent
// writer of the format (testdata/gen_safetensors.py).
func TestSafetensorsRead(t *testing.T) {
	s, err := OpenSafetensors("testdata/model.safetensors")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.Metadata["format"] != "pt" || len(s.Tensors) != 8 {
		t.Fatalf("metadata %v, %d tensors", s.Metadata, len(s.Tensors))
	}
	for _, info := range s.Tensors {
		tn, err := s.Read(info)
		if err != nil {
			t.Fatal(err)
		}
		for k, v := range tn.Data {
			var want float64
			switch info.Dtype {
			case "F64", "F32", "F16", "BF16":
				want = float64(k-5) / 4
				if info.Name == "conv" {
					want = float64(k) / 8
				}
			case "I32":
				want = float64(k - 5)
			case "U8":
				want = float64(k)
			case "BOOL":
				want = float64(k % 2)
			}
			if v != want {
				t.Errorf("%v[%d] = %v; want %v", info, k, v, want)
				break
			}
		}
		if info.Name == "conv" {
			ls, err := tn.Layers(ConvPooled)
			if err != nil || len(ls) != 1 || ls[0].Kind != "conv2d" || len(ls[0].Mats) != 4 {
				t.Errorf("conv layers %v %v", ls, err)
			}
		}
	}
}

// st builds a safetensors file from a header and a buffer.
func st(header string, buf int) []byte {
	b := binary.LittleEndian.AppendUint64(nil, uint64(len(header)))
	return append(append(b, header...), make([]byte, buf)...)
}

func TestSafetensorsMalformed(t *testing.T) {
	cases := map[string][]byte{
		"empty":        nil,
		"short":        {1, 2, 3},
		"huge header":  binary.LittleEndian.AppendUint64(nil, 1<<40),
		"past the end": binary.LittleEndian.AppendUint64(nil, 100),
		"not json":     st("hello", 0),
		"array":        st("[1, 2]", 0),
		"bad dtype":    st(`{"a":{"dtype":"F128","shape":[1],"data_offsets":[0,16]}}`, 16),
		"overlap": st(`{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},`+
			`"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}`, 12),
		"hole":          st(`{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}`, 8),
		"out of range":  st(`{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}`, 4),
		"trailing data": st(`{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}`, 8),
		"size mismatch": st(`{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}`, 8),
		"reversed":      st(`{"a":{"dtype":"F32","shape":[0],"data_offsets":[8,0]}}`, 8),
		"negative dim":  st(`{"a":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}`, 8),
		"duplicate": st(`{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},`+
			`"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}`, 8),
		"unknown field":  st(`{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4],"x":1}}`, 4),
		"missing shape":  st(`{"a":{"dtype":"F32","data_offsets":[0,4]}}`, 4),
		"bad metadata":   st(`{"__metadata__":{"a":1}}`, 0),
		"three offsets":  st(`{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4,4]}}`, 4),
		"trailing text":  st(`{} x`, 0),
		"overflow shape": st(`{"a":{"dtype":"F64","shape":[2147483647,2147483647,2147483647],"data_offsets":[0,8]}}`, 8),
	}
	for name, b := range cases {
		if s, err := ParseSafetensors(bytes.NewReader(b), int64(len(b))); err == nil {
			t.Errorf("%s: accepted %v", name, s)
		} else if !strings.HasPrefix(err.Error(), "safetensors: ") {
			t.Errorf("%s: error %q lacks the prefix", name, err)
		}
	}
	// A valid file with an F8 tensor parses, but reading that tensor is refused.
	b := st(`{"a":{"dtype":"F8_E4M3","shape":[2],"data_offsets":[0,2]}}`, 2)
	s, err := ParseSafetensors(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Read(s.Tensors[0]); err == nil {
		t.Error("F8 tensor read")
	}
	if _, err := OpenSafetensors("testdata/none.safetensors"); err == nil {
		t.Error("missing file opened")
	}
}

func TestSafetensorsWrite(t *testing.T) {
	in := []Tensor{{Name: "w1", Shape: []int{2, 3}, Data: []float64{1, 2, 3, 4, 5, 6}}, {Name: "b", Shape: []int{0}}}
	var b bytes.Buffer
	if err := WriteSafetensors(&b, in, map[string]string{"k": "v"}); err != nil {
		t.Fatal(err)
	}
	s, err := ParseSafetensors(bytes.NewReader(b.Bytes()), int64(b.Len()))
	if err != nil {
		t.Fatal(err)
	}
	if s.Metadata["k"] != "v" || len(s.Tensors) != 2 {
		t.Fatalf("%v %v", s.Metadata, s.Tensors)
	}
	for _, info := range s.Tensors {
		tn, err := s.Read(info)
		if err != nil {
			t.Fatal(err)
		}
		if tn.Name == "w1" && (len(tn.Data) != 6 || tn.Data[5] != 6) {
			t.Errorf("w1 = %v", tn.Data)
		}
	}
	if err := WriteSafetensors(&b, []Tensor{{Name: "x", Shape: []int{2}, Data: []float64{1}}}, nil); err == nil {
		t.Error("wrong length written")
	}
}

// FuzzSafetensors checks that parsing and reading never panic and that what is
// accepted covers the buffer exactly. Seeds: testdata/model.safetensors, a small
// valid file and testdata/fuzz/FuzzSafetensors.
func FuzzSafetensors(f *testing.F) {
	if b, err := os.ReadFile("testdata/model.safetensors"); err == nil {
		f.Add(b)
	}
	f.Add(st(`{"a":{"dtype":"BF16","shape":[2,1],"data_offsets":[0,4]},"__metadata__":{"x":"y"}}`, 4))
	f.Add(st(`{}`, 0))
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := ParseSafetensors(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			return
		}
		var covered int64
		for _, info := range s.Tensors {
			covered += info.End - info.Begin
			tn, err := s.Read(info)
			if err != nil {
				continue
			}
			n := 1
			for _, d := range tn.Shape {
				n *= d
			}
			if n != len(tn.Data) {
				t.Fatalf("%v: %d values", info, len(tn.Data))
			}
		}
		if covered != int64(len(b))-s.start {
			t.Fatalf("tensors cover %d of %d bytes", covered, int64(len(b))-s.start)
		}
	})
}
