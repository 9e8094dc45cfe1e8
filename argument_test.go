package deepglass_test

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// argumentDir holds the figure outputs (NAME.json, NAME.csv) that docs/argument.md
// quotes; `deepglass figure argument -out docs/figures/argument` draws them.
const argumentDir = "docs/figures/argument"

// marker is a number (or a word) of docs/argument.md followed by its source:
//
//	−1.5992<!-- choromanska-spin-glass.json config/sizes/4/mean -->
//	1.97<!-- rbm-spectra.csv T=1.8,layer=1,epoch=30 alpha -->
//	full<!-- rbm-flow.json config/mode -->
//
// A JSON path is split at "/"; a number indexes an array, and [TEXT] picks the
// element of an array whose "name" starts with TEXT. A CSV source names the row by
// column=value pairs and then the column. An optional last word transforms the value:
// neg (−v), abs (|v|) or ×K (v·K).
var marker = regexp.MustCompile(`([−-]?[0-9]+(?:\.[0-9]+)?(?:e[−-]?[0-9]+)?|[A-Za-z][A-Za-z0-9_.+-]*)\s?<!-- ([a-z0-9-]+)\.(json|csv) (.+?) -->`)

var (
	markerText = regexp.MustCompile(`<!--.*?-->`)
	paramSet   = regexp.MustCompile(`\{[^}]*\}`)
)

// decimal is a number with a decimal point, and an exponent if any.
var decimal = regexp.MustCompile(`[0-9]+\.[0-9]+(?:e[−-]?[0-9]+)?`)

// TestArgumentNumbers: every marked number of docs/argument.md is the value of the
// figure output it names, rounded to the digits shown; every decimal number of a
// "**Measured.**" paragraph is marked, except recipe parameters written "NAME = value"; every marked figure is named, with its
// command, in the same section; and every output in docs/figures/argument is quoted.
func TestArgumentNumbers(t *testing.T) {
	doc, err := os.ReadFile("docs/argument.md")
	if err != nil {
		t.Fatal(err)
	}
	text := string(doc)
	cited := map[string]bool{}
	n := 0
	for _, sec := range strings.Split(text, "\n## ") {
		title, _, _ := strings.Cut(sec, "\n")
		for _, m := range marker.FindAllStringSubmatch(sec, -1) {
			n++
			written, name, ext, src := m[1], m[2], m[3], m[4]
			cited[name] = true
			if !strings.Contains(sec, "deepglass figure "+name) {
				t.Errorf("section %q quotes %s.%s but does not name `deepglass figure %s`", title, name, ext, name)
			}
			got, err := argumentValue(name, ext, src)
			if err != nil {
				t.Errorf("section %q: %s: %v", title, m[0], err)
				continue
			}
			if msg := matches(written, got); msg != "" {
				t.Errorf("section %q: %s: the source holds %v: %s", title, m[0], got, msg)
			}
		}
		for _, line := range strings.Split(sec, "\n") {
			if !strings.HasPrefix(line, "**Measured") {
				continue
			}
			// Markers hold numbers of their own; sets of parameters ({0.01, 0.1}) are
			// recipe, not measurement.
			line = markerText.ReplaceAllString(line, "<!---->")
			line = paramSet.ReplaceAllString(line, "{}")
			for _, loc := range decimal.FindAllStringIndex(line, -1) {
				// Recipe parameters (η = 0.1, J0 = 0.5) are written "NAME = value".
				if strings.HasSuffix(line[:loc[0]], "= ") || strings.HasSuffix(line[:loc[0]], "= −") {
					continue
				}
				if !strings.HasPrefix(strings.TrimLeft(line[loc[1]:], " "), "<!--") {
					t.Errorf("section %q: %q in a Measured paragraph has no source marker", title, line[loc[0]:loc[1]])
				}
			}
		}
	}
	if n < 40 {
		t.Errorf("docs/argument.md has %d source markers; want at least 40", n)
	}
	files, err := filepath.Glob(filepath.Join(argumentDir, "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".json")
		if name != "argument" && !cited[name] {
			t.Errorf("%s is not quoted by docs/argument.md", f)
		}
	}
}

// matches reports why the written token does not show v ("" if it does): a word must
// equal v, a number must be v rounded to the digits written (1.0e14: to 0.05e14).
func matches(written string, v any) string {
	if s, ok := v.(string); ok {
		if s != written {
			return "not " + written
		}
		return ""
	}
	f, ok := v.(float64)
	if !ok {
		return "not a number or a string"
	}
	if math.Abs(f-parseWritten(written)) > halfUnit(written)*(1+1e-9)+1e-12 {
		return "not " + written + " to the digits shown"
	}
	return ""
}

// parseWritten parses a number as written (− for minus), or NaN.
func parseWritten(written string) float64 {
	w, err := strconv.ParseFloat(strings.ReplaceAll(written, "−", "-"), 64)
	if err != nil {
		return math.NaN()
	}
	return w
}

// halfUnit is half a unit of the last digit written.
func halfUnit(written string) float64 {
	mant, exp, _ := strings.Cut(strings.ReplaceAll(written, "−", "-"), "e")
	dec := 0
	if _, frac, ok := strings.Cut(mant, "."); ok {
		dec = len(frac)
	}
	e, _ := strconv.Atoi(exp)
	return 0.5 * math.Pow(10, float64(e-dec))
}

// argumentValue returns the value that src names in docs/figures/argument/NAME.EXT.
func argumentValue(name, ext, src string) (any, error) {
	fields := strings.Fields(src)
	op := ""
	if k := len(fields) - 1; k > 0 && (fields[k] == "neg" || fields[k] == "abs" || strings.HasPrefix(fields[k], "×")) {
		op, fields = fields[k], fields[:k]
	}
	var v any
	var err error
	if ext == "json" {
		v, err = jsonValue(filepath.Join(argumentDir, name+".json"), strings.Join(fields, " "))
	} else {
		if len(fields) != 2 {
			return nil, fmt.Errorf("a CSV source is ROW COLUMN, not %q", src)
		}
		v, err = csvValue(filepath.Join(argumentDir, name+".csv"), fields[0], fields[1])
	}
	if err != nil || op == "" {
		return v, err
	}
	f, ok := v.(float64)
	if !ok {
		return nil, fmt.Errorf("%s of a non-number", op)
	}
	switch {
	case op == "neg":
		return -f, nil
	case op == "abs":
		return math.Abs(f), nil
	default:
		k, err := strconv.ParseFloat(strings.TrimPrefix(op, "×"), 64)
		if err != nil {
			return nil, err
		}
		return f * k, nil
	}
}

func jsonValue(file, path string) (any, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		return nil, err
	}
	for _, key := range strings.Split(path, "/") {
		switch x := v.(type) {
		case map[string]any:
			var ok bool
			if v, ok = x[key]; !ok {
				return nil, fmt.Errorf("no key %q", key)
			}
		case []any:
			if strings.HasPrefix(key, "[") && strings.HasSuffix(key, "]") {
				prefix, found := key[1:len(key)-1], false
				for _, e := range x {
					if m, ok := e.(map[string]any); ok {
						if s, _ := m["name"].(string); strings.HasPrefix(s, prefix) {
							v, found = e, true
							break
						}
					}
				}
				if !found {
					return nil, fmt.Errorf("no element named %q…", prefix)
				}
				continue
			}
			i, err := strconv.Atoi(key)
			if err != nil || i < 0 || i >= len(x) {
				return nil, fmt.Errorf("bad index %q (length %d)", key, len(x))
			}
			v = x[i]
		default:
			return nil, fmt.Errorf("%q: not an object or an array", key)
		}
	}
	return v, nil
}

func csvValue(file, row, col string) (any, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, err
	}
	index := map[string]int{}
	for i, h := range recs[0] {
		index[h] = i
	}
	ci, ok := index[col]
	if !ok {
		return nil, fmt.Errorf("no column %q", col)
	}
	type cond struct {
		col     int
		written string
	}
	var conds []cond
	for _, kv := range strings.Split(row, ",") {
		k, w, ok := strings.Cut(kv, "=")
		i, found := index[k]
		if !ok || !found {
			return nil, fmt.Errorf("bad row selector %q", kv)
		}
		conds = append(conds, cond{i, w})
	}
next:
	for _, rec := range recs[1:] {
		for _, c := range conds {
			// A row is selected by its value rounded to the digits written
			// (T=2.269), strictly: x=2 does not select 1.5 or 2.5.
			x, err := strconv.ParseFloat(rec[c.col], 64)
			if err != nil || !(math.Abs(x-parseWritten(c.written)) < halfUnit(c.written)) {
				continue next
			}
		}
		return strconv.ParseFloat(rec[ci], 64)
	}
	return nil, fmt.Errorf("no row %s", row)
}
