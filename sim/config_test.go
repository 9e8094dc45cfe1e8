package sim

import (
	"math"
	"strings"
	"testing"
)

func TestParseTemperatures(t *testing.T) {
	cases := []struct {
		spec string
		want []float64
		err  string
	}{
		{"2.5", []float64{2.5}, ""},
		{"0.5, 1,2", []float64{0.5, 1, 2}, ""},
		{"1:4:3", []float64{1, 2, 4}, ""},
		{"2:2:1", []float64{2}, ""},
		{"", nil, "empty"},
		{"a", nil, "not a number"},
		{"1:2", nil, "min:max:n"},
		{"0:2:3", nil, "positive"},
		{"1:2:0", nil, "between 1 and 10000"},
		{"1:2:x", nil, "integer n"},
	}
	for _, c := range cases {
		got, err := ParseTemperatures(c.spec)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("ParseTemperatures(%q) error = %v; want one containing %q", c.spec, err, c.err)
			}
			continue
		}
		if err != nil || len(got) != len(c.want) {
			t.Fatalf("ParseTemperatures(%q) = %v, %v; want %v", c.spec, got, err, c.want)
		}
		for i := range got {
			if math.Abs(got[i]-c.want[i]) > 1e-12 {
				t.Errorf("ParseTemperatures(%q)[%d] = %v; want %v", c.spec, i, got[i], c.want[i])
			}
		}
	}
}

func TestParseConfigFormats(t *testing.T) {
	yml := "model: ea\nlattice: cubic:4\nbonds: gauss\nT: 0.5:2:4\nsampler: heatbath\nsweeps: 100\nseed: 3\n"
	js := `{"model":"ea","lattice":"cubic:4","bonds":"gauss","T":"0.5:2:4","sampler":"heatbath","sweeps":100,"seed":3}`
	a, err := ParseConfig([]byte(yml), "c.yaml")
	if err != nil {
		t.Fatal(err)
	}
	b, err := ParseConfig([]byte(js), "c.json")
	if err != nil {
		t.Fatal(err)
	}
	if a.String() != b.String() {
		t.Errorf("YAML and JSON differ:\n%s\n%s", a, b)
	}
	if len(a.T) != 4 || a.MeasureEvery != 1 || a.Order != "typewriter" {
		t.Errorf("defaults not filled: %s", a)
	}
	if err := a.Validate(); err != nil {
		t.Errorf("valid config rejected: %v", err)
	}
	for _, list := range []string{"T: [1, 2.5]\n", "T: 2\n"} {
		c, err := ParseConfig([]byte("model: ising\n"+list), "c.yml")
		if err != nil || len(c.T) == 0 {
			t.Errorf("%q: %v %v", list, c.T, err)
		}
	}
}

func TestParseConfigErrors(t *testing.T) {
	cases := []struct{ name, data, want string }{
		{"c.yaml", "model: ising\ncolour: red\n", "colour"},
		{"c.json", `{"model":"ising","colour":"red"}`, "colour"},
		{"c.json", "{\"model\":\n\"ising\",,}", "line 2"},
		{"c.yaml", "model: ising\nT: [a]\n", "line 2"},
		{"c.yaml", "sweeps: many\n", "line 1"},
	}
	for _, c := range cases {
		_, err := ParseConfig([]byte(c.data), c.name)
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), c.name) {
			t.Errorf("ParseConfig(%q) error = %v; want one naming %s and %q", c.data, err, c.name, c.want)
		}
	}
}

func TestValidateReportsEverything(t *testing.T) {
	c := Config{Model: "ising", Lattice: "square:1", T: Temperatures{-1, 2}, Sampler: "nope", Sweeps: 0, Therm: -3, Bonds: "pm", Start: "cold"}
	c.Defaults()
	err := c.Validate()
	if err == nil {
		t.Fatal("invalid config accepted")
	}
	for _, field := range []string{"lattice:", "T:", "sampler:", "sweeps:", "therm:", "bonds:", "start:"} {
		if !strings.Contains(err.Error(), field) {
			t.Errorf("Validate error does not report %s:\n%v", field, err)
		}
	}
	for _, ok := range []Config{
		{Model: "ising", Lattice: "square:8", T: Temperatures{2}, Sampler: "wolff", Sweeps: 10},
		{Model: "sk", N: 32, J0: 1.5, T: Temperatures{1}, Sampler: "metropolis", Sweeps: 10},
		{Model: "hopfield", N: 32, Patterns: 3, T: Temperatures{1}, Sampler: "heatbath", Sweeps: 10},
		{Couplings: "g.txt", T: Temperatures{1}, Sampler: "sw", Sweeps: 10},
	} {
		ok.Defaults()
		if err := ok.Validate(); err != nil {
			t.Errorf("%s rejected: %v", ok, err)
		}
	}
}

func FuzzParseConfig(f *testing.F) {
	f.Add([]byte("model: ising\nlattice: square:8\nT: 1:2:3\nsampler: wolff\nsweeps: 10\n"), false)
	f.Add([]byte(`{"model":"sk","n":8,"T":[1,2],"sampler":"metropolis","sweeps":4}`), true)
	f.Add([]byte("T: [1, {a: 2}]\n"), false)
	f.Fuzz(func(t *testing.T, data []byte, isJSON bool) {
		name := "f.yaml"
		if isJSON {
			name = "f.json"
		}
		c, err := ParseConfig(data, name)
		if err != nil {
			return
		}
		_ = c.Validate() // must not panic
		_ = c.String()
	})
}
