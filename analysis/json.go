package analysis

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"
)

// MarshalJSON returns the JSON encoding of v, as [json.Marshal] does, except that a
// float that is NaN or ±Inf, which encoding/json refuses ("json: unsupported value:
// NaN"), is written as null. Every writer of deepglass results (summary.json of every
// command, the figures' NAME.json, printed -json output) goes through it, so no number
// can make an output unwritable: in deepglass JSON a null number means that the
// quantity is undefined or was not measured (a specific heat whose β² overflows, an
// exponent of a frozen configuration, an epoch without a measurement).
//
// Values that encoding/json encodes are encoded by it, byte for byte. Only when it
// fails on an unsupported value does MarshalJSON encode v itself, following the rules
// of encoding/json (struct tags with omitempty, omitzero and string, embedded structs,
// json.Marshaler and encoding.TextMarshaler, sorted map keys, []byte as base64, HTML
// escaping) with non-finite floats as null. A Marshaler's own MarshalJSON that fails
// still fails.
func MarshalJSON(v any) ([]byte, error) {
	b, err := json.Marshal(v)
	var unsupported *json.UnsupportedValueError
	if !errors.As(err, &unsupported) {
		return b, err
	}
	var buf bytes.Buffer
	if err := encodeFinite(&buf, reflect.ValueOf(v), 0); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// MarshalJSONIndent is [MarshalJSON] with the layout of [json.MarshalIndent].
func MarshalJSONIndent(v any, prefix, indent string) ([]byte, error) {
	b, err := MarshalJSON(v)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := json.Indent(&buf, b, prefix, indent); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

var (
	marshalerType     = reflect.TypeFor[json.Marshaler]()
	textMarshalerType = reflect.TypeFor[encoding.TextMarshaler]()
	isZeroerType      = reflect.TypeFor[interface{ IsZero() bool }]()
)

// maxJSONDepth bounds the nesting that encodeFinite follows, as encoding/json bounds
// pointer chains: deeper values are reported as cycles.
const maxJSONDepth = 1000

// encodeFinite appends the JSON of v to buf, with non-finite floats as null.
func encodeFinite(buf *bytes.Buffer, v reflect.Value, depth int) error {
	if depth > maxJSONDepth {
		return &json.UnsupportedValueError{Value: v, Str: "encountered a cycle or nesting deeper than 1000"}
	}
	if !v.IsValid() {
		buf.WriteString("null")
		return nil
	}
	t := v.Type()
	k := t.Kind()
	// Marshalers first, in encoding/json's order: the pointer's methods when v is
	// addressable, then the type's own.
	switch {
	case k != reflect.Pointer && v.CanAddr() && reflect.PointerTo(t).Implements(marshalerType):
		return appendMarshaler(buf, v.Addr())
	case t.Implements(marshalerType):
		return appendMarshaler(buf, v)
	case k != reflect.Pointer && v.CanAddr() && reflect.PointerTo(t).Implements(textMarshalerType):
		return appendText(buf, v.Addr())
	case t.Implements(textMarshalerType):
		return appendText(buf, v)
	}
	switch k {
	case reflect.Bool:
		buf.WriteString(strconv.FormatBool(v.Bool()))
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		buf.WriteString(strconv.FormatInt(v.Int(), 10))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		buf.WriteString(strconv.FormatUint(v.Uint(), 10))
	case reflect.Float32, reflect.Float64:
		return appendFloat(buf, v)
	case reflect.String:
		return appendJSON(buf, v.String())
	case reflect.Interface, reflect.Pointer:
		if v.IsNil() {
			buf.WriteString("null")
			return nil
		}
		return encodeFinite(buf, v.Elem(), depth+1)
	case reflect.Struct:
		return encodeStruct(buf, v, depth)
	case reflect.Map:
		return encodeMap(buf, v, depth)
	case reflect.Slice:
		if v.IsNil() {
			buf.WriteString("null")
			return nil
		}
		if e := t.Elem(); e.Kind() == reflect.Uint8 && !reflect.PointerTo(e).Implements(marshalerType) &&
			!reflect.PointerTo(e).Implements(textMarshalerType) {
			return appendJSON(buf, v.Bytes()) // base64, as encoding/json writes []byte
		}
		fallthrough
	case reflect.Array:
		buf.WriteByte('[')
		for i := range v.Len() {
			if i > 0 {
				buf.WriteByte(',')
			}
			if err := encodeFinite(buf, v.Index(i), depth+1); err != nil {
				return err
			}
		}
		buf.WriteByte(']')
	default:
		return &json.UnsupportedTypeError{Type: t}
	}
	return nil
}

// appendFloat writes a float as encoding/json does, or null if it is not finite.
func appendFloat(buf *bytes.Buffer, v reflect.Value) error {
	x := v.Float()
	if math.IsNaN(x) || math.IsInf(x, 0) {
		buf.WriteString("null")
		return nil
	}
	if v.Kind() == reflect.Float32 {
		return appendJSON(buf, float32(x))
	}
	return appendJSON(buf, x)
}

// appendJSON appends what encoding/json writes for a value it can always encode.
func appendJSON(buf *bytes.Buffer, x any) error {
	b, err := json.Marshal(x)
	if err != nil {
		return err
	}
	buf.Write(b)
	return nil
}

// appendMarshaler calls v's MarshalJSON (null for a nil pointer or interface) and
// appends its output compacted and HTML-escaped, as encoding/json does.
func appendMarshaler(buf *bytes.Buffer, v reflect.Value) error {
	if (v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface) && v.IsNil() {
		buf.WriteString("null")
		return nil
	}
	b, err := v.Interface().(json.Marshaler).MarshalJSON()
	if err != nil {
		return &json.MarshalerError{Type: v.Type(), Err: err}
	}
	var c bytes.Buffer
	if err := json.Compact(&c, b); err != nil {
		return &json.MarshalerError{Type: v.Type(), Err: err}
	}
	json.HTMLEscape(buf, c.Bytes())
	return nil
}

// appendText writes v's MarshalText as a JSON string (null for a nil pointer).
func appendText(buf *bytes.Buffer, v reflect.Value) error {
	if (v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface) && v.IsNil() {
		buf.WriteString("null")
		return nil
	}
	b, err := v.Interface().(encoding.TextMarshaler).MarshalText()
	if err != nil {
		return &json.MarshalerError{Type: v.Type(), Err: err}
	}
	return appendJSON(buf, string(b))
}

func encodeStruct(buf *bytes.Buffer, v reflect.Value, depth int) error {
	buf.WriteByte('{')
	first := true
fields:
	for _, f := range cachedFields(v.Type()) {
		fv := v
		for _, i := range f.index {
			if fv.Kind() == reflect.Pointer {
				if fv.IsNil() {
					continue fields // a field of a nil embedded pointer
				}
				fv = fv.Elem()
			}
			fv = fv.Field(i)
		}
		if f.omitEmpty && isEmptyValue(fv) || f.omitZero && isZeroValue(fv) {
			continue
		}
		if !first {
			buf.WriteByte(',')
		}
		first = false
		if err := appendJSON(buf, f.name); err != nil {
			return err
		}
		buf.WriteByte(':')
		if f.quoted && !(fv.Kind() == reflect.Pointer && fv.IsNil()) {
			if err := appendQuoted(buf, fv); err != nil {
				return err
			}
			continue
		}
		if err := encodeFinite(buf, fv, depth+1); err != nil {
			return err
		}
	}
	buf.WriteByte('}')
	return nil
}

// appendQuoted writes a field with the ",string" option: its JSON inside a string
// (null, unquoted, for a non-finite float).
func appendQuoted(buf *bytes.Buffer, v reflect.Value) error {
	for v.Kind() == reflect.Pointer {
		v = v.Elem()
	}
	if k := v.Kind(); (k == reflect.Float32 || k == reflect.Float64) && (math.IsNaN(v.Float()) || math.IsInf(v.Float(), 0)) {
		buf.WriteString("null")
		return nil
	}
	var inner bytes.Buffer
	if err := encodeFinite(&inner, v, 0); err != nil {
		return err
	}
	return appendJSON(buf, inner.String())
}

func encodeMap(buf *bytes.Buffer, v reflect.Value, depth int) error {
	if v.IsNil() {
		buf.WriteString("null")
		return nil
	}
	kt := v.Type().Key()
	switch kt.Kind() {
	case reflect.String, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
	default:
		if !kt.Implements(textMarshalerType) {
			return &json.UnsupportedTypeError{Type: v.Type()}
		}
	}
	type entry struct {
		key string
		val reflect.Value
	}
	entries := make([]entry, 0, v.Len())
	for it := v.MapRange(); it.Next(); {
		key, err := mapKey(it.Key())
		if err != nil {
			return err
		}
		entries = append(entries, entry{key, it.Value()})
	}
	slices.SortFunc(entries, func(a, b entry) int { return strings.Compare(a.key, b.key) })
	buf.WriteByte('{')
	for i, e := range entries {
		if i > 0 {
			buf.WriteByte(',')
		}
		if err := appendJSON(buf, e.key); err != nil {
			return err
		}
		buf.WriteByte(':')
		if err := encodeFinite(buf, e.val, depth+1); err != nil {
			return err
		}
	}
	buf.WriteByte('}')
	return nil
}

// mapKey resolves a map key to its JSON name as encoding/json does.
func mapKey(k reflect.Value) (string, error) {
	if k.Kind() == reflect.String {
		return k.String(), nil
	}
	if tm, ok := k.Interface().(encoding.TextMarshaler); ok {
		if k.Kind() == reflect.Pointer && k.IsNil() {
			return "", nil
		}
		b, err := tm.MarshalText()
		return string(b), err
	}
	switch k.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(k.Int(), 10), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return strconv.FormatUint(k.Uint(), 10), nil
	}
	return "", &json.UnsupportedTypeError{Type: k.Type()}
}

func isEmptyValue(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Interface, reflect.Pointer:
		return v.IsZero()
	}
	return false
}

// isZeroValue is encoding/json's omitzero test: the value's IsZero method if it has
// one, else reflect's zero test.
func isZeroValue(v reflect.Value) bool {
	t := v.Type()
	switch {
	case t.Implements(isZeroerType):
		if (v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface) && v.IsNil() {
			return true
		}
		if v.Kind() == reflect.Interface && v.Elem().Kind() == reflect.Pointer && v.Elem().IsNil() {
			return true
		}
		return v.Interface().(interface{ IsZero() bool }).IsZero()
	case t.Kind() != reflect.Pointer && reflect.PointerTo(t).Implements(isZeroerType):
		if !v.CanAddr() {
			c := reflect.New(t).Elem()
			c.Set(v)
			v = c
		}
		return v.Addr().Interface().(interface{ IsZero() bool }).IsZero()
	}
	return v.IsZero()
}

// jsonField is a field of a struct as encoding/json encodes it.
type jsonField struct {
	name                        string
	index                       []int
	tagged                      bool
	omitEmpty, omitZero, quoted bool
}

var fieldCache sync.Map // reflect.Type → []jsonField

func cachedFields(t reflect.Type) []jsonField {
	if f, ok := fieldCache.Load(t); ok {
		return f.([]jsonField)
	}
	f, _ := fieldCache.LoadOrStore(t, typeFields(t))
	return f.([]jsonField)
}

// typeFields returns the fields encoding/json encodes for struct type t, in its order:
// exported fields and the fields promoted from embedded structs, breadth first, where a
// name at a shallower depth hides deeper ones and two at the same depth cancel out
// unless exactly one of them is tagged.
func typeFields(t reflect.Type) []jsonField {
	type candidate struct {
		jsonField
		typ reflect.Type
	}
	var current []candidate
	next := []candidate{{typ: t}}
	var count, nextCount map[reflect.Type]int
	visited := map[reflect.Type]bool{}
	var fields []jsonField
	for len(next) > 0 {
		current, next = next, current[:0]
		count, nextCount = nextCount, map[reflect.Type]int{}
		for _, f := range current {
			if visited[f.typ] {
				continue
			}
			visited[f.typ] = true
			for i := range f.typ.NumField() {
				sf := f.typ.Field(i)
				if sf.Anonymous {
					ft := sf.Type
					if ft.Kind() == reflect.Pointer {
						ft = ft.Elem()
					}
					if !sf.IsExported() && ft.Kind() != reflect.Struct {
						continue
					}
				} else if !sf.IsExported() {
					continue
				}
				tag := sf.Tag.Get("json")
				if tag == "-" {
					continue
				}
				name, opts, _ := strings.Cut(tag, ",")
				if !validTagName(name) {
					name = ""
				}
				index := append(slices.Clone(f.index), i)
				ft := sf.Type
				if ft.Name() == "" && ft.Kind() == reflect.Pointer {
					ft = ft.Elem()
				}
				if name != "" || !sf.Anonymous || ft.Kind() != reflect.Struct {
					field := jsonField{name: name, index: index, tagged: name != "",
						omitEmpty: hasOption(opts, "omitempty"), omitZero: hasOption(opts, "omitzero")}
					if field.name == "" {
						field.name = sf.Name
					}
					if hasOption(opts, "string") {
						switch ft.Kind() {
						case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
							reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
							reflect.Float32, reflect.Float64, reflect.String:
							field.quoted = true
						}
					}
					fields = append(fields, field)
					if count[f.typ] > 1 {
						// The embedding type appeared more than once at this depth: make
						// the name collide with itself so that it cancels out.
						fields = append(fields, field)
					}
					continue
				}
				nextCount[ft]++
				if nextCount[ft] == 1 {
					next = append(next, candidate{jsonField{name: ft.Name(), index: index}, ft})
				}
			}
		}
	}
	slices.SortFunc(fields, func(a, b jsonField) int {
		if c := strings.Compare(a.name, b.name); c != 0 {
			return c
		}
		if c := len(a.index) - len(b.index); c != 0 {
			return c
		}
		if a.tagged != b.tagged {
			if a.tagged {
				return -1
			}
			return 1
		}
		return slices.Compare(a.index, b.index)
	})
	out := fields[:0]
	for i := 0; i < len(fields); {
		j := i + 1
		for j < len(fields) && fields[j].name == fields[i].name {
			j++
		}
		group := fields[i:j]
		if len(group) == 1 || len(group[0].index) < len(group[1].index) || group[0].tagged != group[1].tagged {
			out = append(out, group[0])
		}
		i = j
	}
	slices.SortFunc(out, func(a, b jsonField) int { return slices.Compare(a.index, b.index) })
	return out
}

func hasOption(opts, name string) bool {
	for opts != "" {
		var o string
		o, opts, _ = strings.Cut(opts, ",")
		if o == name {
			return true
		}
	}
	return false
}

// validTagName is encoding/json's test of a name in a struct tag.
func validTagName(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		switch {
		case strings.ContainsRune("!#$%&()*+-./:;<=>?@[]^_{|}~ ", c):
		case !unicode.IsLetter(c) && !unicode.IsDigit(c):
			return false
		}
	}
	return true
}

var unmarshalerType = reflect.TypeFor[json.Unmarshaler]()

// NullToNaN sets to NaN every float in *v (v a non-nil pointer) that data, the JSON
// that v was decoded from, gives as null. encoding/json leaves a float untouched
// (zero, in a fresh value) when it reads null, so a number that [MarshalJSON] wrote
// as null would come back as 0; after NullToNaN it comes back as NaN. Values of types
// with their own UnmarshalJSON are left to it; pointers to floats stay nil.
func NullToNaN(data []byte, v any) error {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return errors.New("analysis: NullToNaN needs a non-nil pointer")
	}
	var tree any
	if err := json.Unmarshal(data, &tree); err != nil {
		return err
	}
	nullToNaN(rv.Elem(), tree, 0)
	return nil
}

func nullToNaN(v reflect.Value, tree any, depth int) {
	if depth > maxJSONDepth || !v.IsValid() {
		return
	}
	if v.CanAddr() && reflect.PointerTo(v.Type()).Implements(unmarshalerType) {
		return
	}
	switch v.Kind() {
	case reflect.Float32, reflect.Float64:
		if tree == nil && v.CanSet() {
			v.SetFloat(math.NaN())
		}
	case reflect.Pointer:
		if !v.IsNil() && tree != nil {
			nullToNaN(v.Elem(), tree, depth+1)
		}
	case reflect.Interface:
		// The dynamic value was decoded as any: a null became nil, not a float.
	case reflect.Slice, reflect.Array:
		list, ok := tree.([]any)
		if !ok {
			return
		}
		for i := range min(v.Len(), len(list)) {
			nullToNaN(v.Index(i), list[i], depth+1)
		}
	case reflect.Map:
		obj, ok := tree.(map[string]any)
		if !ok || v.IsNil() || v.Type().Key().Kind() != reflect.String {
			return
		}
		et := v.Type().Elem()
		for k, x := range obj {
			key := reflect.ValueOf(k).Convert(v.Type().Key())
			e := v.MapIndex(key)
			if !e.IsValid() {
				continue
			}
			c := reflect.New(et).Elem() // map elements are not addressable
			c.Set(e)
			nullToNaN(c, x, depth+1)
			v.SetMapIndex(key, c)
		}
	case reflect.Struct:
		obj, ok := tree.(map[string]any)
		if !ok {
			return
		}
	fields:
		for _, f := range cachedFields(v.Type()) {
			x, ok := obj[f.name]
			if !ok {
				for k, y := range obj { // encoding/json matches names case-insensitively
					if strings.EqualFold(k, f.name) {
						x, ok = y, true
						break
					}
				}
			}
			if !ok {
				continue
			}
			fv := v
			for _, i := range f.index {
				if fv.Kind() == reflect.Pointer {
					if fv.IsNil() {
						continue fields
					}
					fv = fv.Elem()
				}
				fv = fv.Field(i)
			}
			nullToNaN(fv, x, depth+1)
		}
	}
}
