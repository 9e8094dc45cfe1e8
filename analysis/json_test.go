package analysis

import (
	"bytes"
	"encoding/json"
	"math"
	"net/netip"
	"reflect"
	"strings"
	"testing"
	"time"
)

type jsonInner struct {
	A float64 `json:"a"`
	B string  `json:"b,omitempty"`
	C []int   `json:"c,omitzero"`
}

type jsonEmbedded struct {
	X float64
	Y int `json:"y"`
}

type jsonHidden struct {
	X float64 // the same name at the same depth as jsonEmbedded.X: both disappear
	Z float32 `json:"z"`
}

type jsonUnexported struct {
	Promoted float64 `json:"promoted"`
}

type jsonText int

func (t jsonText) MarshalText() ([]byte, error) {
	return []byte("t" + strings.Repeat("!", int(t))), nil
}

type jsonPtrMarshaler struct{ v float64 }

func (p *jsonPtrMarshaler) MarshalJSON() ([]byte, error) { return []byte(`{ "v" : "<ptr>" }`), nil }

type jsonZeroer struct{ n int }

func (z jsonZeroer) IsZero() bool { return z.n < 0 }

type jsonOuter struct {
	jsonEmbedded
	*jsonHidden
	jsonUnexported
	Inner    jsonInner            `json:"inner"`
	PInner   *jsonInner           `json:"p_inner"`
	NilInner *jsonInner           `json:"nil_inner,omitempty"`
	Any      any                  `json:"any"`
	Floats   []float64            `json:"floats"`
	F32      float32              `json:"f32"`
	Arr      [3]float64           `json:"arr"`
	Bytes    []byte               `json:"bytes"`
	ByteArr  [2]byte              `json:"byte_arr"`
	Map      map[string]float64   `json:"map"`
	IntMap   map[int]string       `json:"int_map"`
	TextMap  map[jsonText]float64 `json:"text_map"`
	Text     jsonText             `json:"text"`
	PtrM     jsonPtrMarshaler     `json:"ptr_m"`
	Est      Estimate             `json:"est"`
	Time     time.Time            `json:"time"`
	Addr     netip.Addr           `json:"addr"`
	Raw      json.RawMessage      `json:"raw"`
	Quoted   float64              `json:"quoted,string"`
	QInt     int                  `json:",string"`
	//lint:ignore SA5008 the name "-" written as encoding/json documents it
	Dash    int        `json:"-,"`
	Skip    int        `json:"-"`
	Empty   string     `json:",omitempty"`
	Zero    jsonZeroer `json:"zero,omitzero"`
	NonZero jsonZeroer `json:"nonzero,omitzero"`
	HTML    string     `json:"html"`
	unexp   float64
}

func jsonSample(x float64) *jsonOuter {
	return &jsonOuter{
		jsonEmbedded:   jsonEmbedded{X: x, Y: 2},
		jsonHidden:     &jsonHidden{X: 9, Z: 1.1},
		jsonUnexported: jsonUnexported{Promoted: x},
		Inner:          jsonInner{A: x, C: []int{}},
		PInner:         &jsonInner{A: -x, B: "b", C: []int{1}},
		Any:            map[string]any{"k": []any{x, 1.5e300, "s", nil, true}},
		Floats:         []float64{x, 1e-7, 1e21, 0, -0.5},
		F32:            float32(0.1),
		Arr:            [3]float64{x, 2, 3},
		Bytes:          []byte("hello"),
		ByteArr:        [2]byte{1, 2},
		Map:            map[string]float64{"z": x, "a": 1},
		IntMap:         map[int]string{10: "ten", -2: "minus two", 3: "three"},
		TextMap:        map[jsonText]float64{2: x, 0: 1},
		Text:           3,
		Est:            Estimate{Mean: x, Err: 0.1, Tau: 1.5, N: 10},
		Time:           time.Date(2026, 1, 2, 3, 4, 5, 6, time.UTC),
		Addr:           netip.MustParseAddr("10.0.0.1"),
		Raw:            json.RawMessage(`[1, 2,  {"a" : "<b>"}]`),
		Quoted:         x,
		QInt:           7,
		Dash:           4,
		Skip:           5,
		Zero:           jsonZeroer{-1},
		NonZero:        jsonZeroer{1},
		HTML:           "<a href=\"x\">&amp;</a> \u2028",
		unexp:          x,
	}
}

// TestMarshalJSONLikeEncodingJSON requires the encoder of non-finite values to write
// exactly what encoding/json writes for values it can encode: struct tags, embedding,
// marshalers, maps, byte slices, escaping.
func TestMarshalJSONLikeEncodingJSON(t *testing.T) {
	values := []any{
		jsonSample(0.25), *jsonSample(-3), []any{jsonSample(1), nil, 2}, map[string]any{"a": jsonSample(2)},
		nil, 1.5, float32(2.5), "x<y", []byte(nil), []float64(nil), map[string]int(nil), struct{}{},
		[]*jsonPtrMarshaler{{1}, nil}, []jsonPtrMarshaler{{1}}, &[]jsonText{1, 2},
	}
	for _, v := range values {
		want, err := json.Marshal(v)
		if err != nil {
			t.Fatalf("%T: %v", v, err)
		}
		var buf bytes.Buffer
		if err := encodeFinite(&buf, reflect.ValueOf(v), 0); err != nil {
			t.Fatalf("%T: %v", v, err)
		}
		if got := buf.String(); got != string(want) {
			t.Errorf("%T:\n got %s\nwant %s", v, got, want)
		}
		if got, _ := MarshalJSON(v); !bytes.Equal(got, want) {
			t.Errorf("MarshalJSON(%T) differs from json.Marshal", v)
		}
		wantI, _ := json.MarshalIndent(v, ">", "\t")
		if got, _ := MarshalJSONIndent(v, ">", "\t"); !bytes.Equal(got, wantI) {
			t.Errorf("MarshalJSONIndent(%T) differs from json.MarshalIndent", v)
		}
	}
}

// TestMarshalJSONNonFinite writes NaN and ±Inf as null wherever they occur, and the
// result is the finite encoding with those numbers replaced by null.
func TestMarshalJSONNonFinite(t *testing.T) {
	for _, x := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		if _, err := json.Marshal(jsonSample(x)); err == nil {
			t.Fatal("encoding/json accepted a non-finite value: the test checks nothing")
		}
		got, err := MarshalJSON(jsonSample(x))
		if err != nil {
			t.Fatalf("%v: %v", x, err)
		}
		// The same value with a finite sentinel where x was, then the sentinel's
		// numbers replaced by null, must give the same bytes.
		const sentinel = 123.456
		want, err := json.Marshal(jsonSample(sentinel))
		if err != nil {
			t.Fatal(err)
		}
		w := strings.ReplaceAll(string(want), `"123.456"`, "null") // the ,string field
		w = strings.ReplaceAll(w, "-123.456", "null")
		w = strings.ReplaceAll(w, "123.456", "null")
		if string(got) != w {
			t.Errorf("%v:\n got %s\nwant %s", x, got, w)
		}
		var back map[string]any
		if err := json.Unmarshal(got, &back); err != nil {
			t.Errorf("%v: output is not JSON: %v", x, err)
		}
		if p, ok := back["promoted"]; !ok || p != nil || back["floats"].([]any)[0] != nil {
			t.Errorf("%v: promoted = %v (present %v), floats[0] = %v; want null", x, p, ok, back["floats"].([]any)[0])
		}
	}
	for _, c := range []struct {
		v    any
		want string
	}{
		{math.NaN(), "null"},
		{float32(math.Inf(1)), "null"},
		{[]float64{1, math.Inf(-1)}, "[1,null]"},
		{map[string]any{"b": math.NaN(), "a": []float32{float32(math.NaN()), 0.5}}, `{"a":[null,0.5],"b":null}`},
		{struct {
			A float64 `json:"a,omitempty"`
			B *float64
		}{math.NaN(), new(float64)}, `{"a":null,"B":0}`},
	} {
		got, err := MarshalJSON(c.v)
		if err != nil || string(got) != c.want {
			t.Errorf("MarshalJSON(%#v) = %s, %v; want %s", c.v, got, err, c.want)
		}
	}
	got, err := MarshalJSONIndent(map[string]float64{"x": math.NaN()}, "", "  ")
	if err != nil || string(got) != "{\n  \"x\": null\n}" {
		t.Errorf("MarshalJSONIndent: %q, %v", got, err)
	}
}

// TestMarshalJSONErrors keeps encoding/json's errors for what is not a number problem.
func TestMarshalJSONErrors(t *testing.T) {
	type node struct {
		F    float64
		Next *node
	}
	n := &node{F: math.NaN()}
	n.Next = n // a cycle: encoding/json reports it as an unsupported value too
	if _, err := MarshalJSON(n); err == nil {
		t.Error("cycle: no error")
	}
	if _, err := MarshalJSON(struct{ C chan int }{}); err == nil {
		t.Error("channel: no error")
	}
	if _, err := MarshalJSON(struct {
		F float64
		C func()
	}{F: math.NaN()}); err == nil {
		t.Error("func beside NaN: no error")
	}
}

// TestNullToNaN: what MarshalJSON wrote as null reads back as NaN, not 0.
func TestNullToNaN(t *testing.T) {
	type inner struct {
		X float64
		P *float64 `json:"p"`
	}
	type doc struct {
		A   float64            `json:"a"`
		B   float32            `json:"b"`
		S   []float64          `json:"s"`
		M   map[string]float64 `json:"m"`
		In  inner              `json:"in"`
		PIn *inner             `json:"pin"`
		E   Estimate           `json:"e"`
		OK  float64            `json:"ok"`
		jsonEmbedded
	}
	nan := math.NaN()
	src := doc{A: nan, B: float32(math.Inf(1)), S: []float64{1, nan}, M: map[string]float64{"x": nan, "y": 2},
		In: inner{X: nan}, PIn: &inner{X: nan}, E: Estimate{Mean: nan, Err: 1}, OK: 3, jsonEmbedded: jsonEmbedded{X: nan, Y: 1}}
	b, err := MarshalJSON(src)
	if err != nil {
		t.Fatal(err)
	}
	var got doc
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	if got.A != 0 {
		t.Fatal("encoding/json read null as something other than 0: the test checks nothing")
	}
	if err := NullToNaN(b, &got); err != nil {
		t.Fatal(err)
	}
	if !math.IsNaN(got.A) || !math.IsNaN(float64(got.B)) || got.S[0] != 1 || !math.IsNaN(got.S[1]) || !math.IsNaN(got.M["x"]) ||
		got.M["y"] != 2 || !math.IsNaN(got.In.X) || got.In.P != nil || !math.IsNaN(got.PIn.X) || !math.IsNaN(got.E.Mean) ||
		got.E.Err != 1 || got.OK != 3 || !math.IsNaN(got.X) || got.Y != 1 {
		t.Errorf("after NullToNaN: %+v (pin %+v)", got, got.PIn)
	}
	if NullToNaN(b, got) == nil {
		t.Error("NullToNaN of a non-pointer: no error")
	}
}
