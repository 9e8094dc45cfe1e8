package analysis

import (
	"encoding/json"
	"math"
	"testing"
)

func TestEstimateString(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	tests := []struct {
		mean, err float64
		want      string
	}{
		{0.43213, 0.00123, "0.4321(12)"},
		{1.845413096194419955, 6.7e-17, "1.84541309619442"}, // an error at rounding level
		{1.845413096194419955, 6.7e-13, "1.84541309619442(67)"},
		{0.43213, -0.00123, "0.4321(12)"}, // the sign of the error is ignored
		{1.23456, 0.001, "1.2346(10)"},
		{1.23456, 0.000996, "1.2346(10)"}, // 99.6 rounds to 100: one digit fewer
		{0.5, 0.00995, "0.500(10)"},       // half up from the decimal 0.00995
		{0.5, 0.00994, "0.5000(99)"},
		{0.5, 0.0995, "0.50(10)"},
		{-1.41421356, 0.000271, "-1.41421(27)"},
		{-1.41421356, 0.000275, "-1.41421(28)"},
		{1, 0.1, "1.00(10)"},
		{0.99996, 0.00001, "0.999960(10)"},
		{0.00012, 0.00003, "0.000120(30)"},
		// Errors from 1 to 10 keep their decimal point.
		{12.3, 1.5, "12.3(1.5)"},
		{12.34, 1.0, "12.3(1.0)"},
		{12.34, 0.99, "12.34(99)"},
		{12.34, 0.996, "12.3(1.0)"},
		{9.99996, 1, "10.0(1.0)"},
		{1234.5, 2.3, "1234.5(2.3)"},
		{123456.7, 1.2, "123456.7(1.2)"},
		// Errors of 10 and more are written in full.
		{1234.5, 23, "1235(23)"},
		{1234.5, 230, "1230(230)"},
		{-1234.5, 99.6, "-1230(100)"},
		// A mean that rounds to zero has no sign.
		{-0.001, 0.5, "0.00(50)"},
		{0, 0.5, "0.00(50)"},
		// Scientific notation outside 1e-4 ≤ |x| < 1e6.
		{1.2e-5, 3e-7, "1.200(30)e-05"},
		{-1.2e-5, 3e-7, "-1.200(30)e-05"},
		{6.02214e23, 1.2e21, "6.022(12)e+23"},
		{1234567, 1200, "1.2346(12)e+06"},
		{3e-9, 2e-8, "0.3(2.0)e-08"},
		{1, 1e7, "0.0(1.0)e+07"},
		// Special values.
		{3, 0, "3"},
		{0.1, 0, "0.1"},
		{-2.5e-7, 0, "-2.5e-07"},
		{nan, 0.1, "NaN"},
		{nan, nan, "NaN"},
		{inf, 1, "+Inf"},
		{-inf, 1, "-Inf"},
		{0.5, nan, "0.5(NaN)"},
		{0.5, inf, "0.5(+Inf)"},
	}
	for _, tt := range tests {
		got := Estimate{Mean: tt.mean, Err: tt.err}.String()
		if got != tt.want {
			t.Errorf("Estimate{Mean: %g, Err: %g}.String() = %q; want %q", tt.mean, tt.err, got, tt.want)
		}
	}
}

func TestTwoDigits(t *testing.T) {
	tests := []struct {
		d      float64
		k, exp int
	}{
		{1, 10, 0},
		{0.00123, 12, -3},
		{0.00125, 13, -3},
		{0.00995, 10, -2},
		{99.5, 10, 2},
		{99.4, 99, 1},
		{5e-324, 50, -324}, // smallest subnormal, shortest form 5e-324
		{math.MaxFloat64, 18, 308},
	}
	for _, tt := range tests {
		if k, exp := twoDigits(tt.d); k != tt.k || exp != tt.exp {
			t.Errorf("twoDigits(%g) = %d, %d; want %d, %d", tt.d, k, exp, tt.k, tt.exp)
		}
	}
}

func TestEstimateJSON(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		e    Estimate
		want string
	}{
		{Estimate{Mean: -1.41, Err: 0.002, Tau: 3.1, N: 1000}, `{"mean":-1.41,"err":0.002,"tau":3.1,"n":1000}`},
		{Estimate{Mean: 0.5, Err: 0.01}, `{"mean":0.5,"err":0.01}`},
		{Estimate{Mean: 0.5, Err: nan, Tau: nan, N: 3}, `{"mean":0.5,"err":null,"tau":null,"n":3}`},
		{Estimate{Mean: nan, Err: nan}, `{"mean":null,"err":null}`},
	}
	for _, tt := range tests {
		b, err := json.Marshal(tt.e)
		if err != nil {
			t.Fatalf("json.Marshal(%#v): %v", tt.e, err)
		}
		if string(b) != tt.want {
			t.Errorf("json.Marshal(%#v) = %s; want %s", tt.e, b, tt.want)
		}
		var got Estimate
		if err := json.Unmarshal(b, &got); err != nil {
			t.Fatalf("json.Unmarshal(%s): %v", b, err)
		}
		if !sameEstimate(got, tt.e) {
			t.Errorf("json.Unmarshal(%s) = %#v; want %#v", b, got, tt.e)
		}
	}

	// Infinities are written as null and read back as NaN.
	b, err := json.Marshal(Estimate{Mean: math.Inf(-1), Err: math.Inf(1)})
	if err != nil || string(b) != `{"mean":null,"err":null}` {
		t.Errorf("json.Marshal(±Inf) = %s, %v; want nulls", b, err)
	}

	// Inside other values, through pointers, and with null or absent fields.
	type point struct {
		T      float64   `json:"T"`
		Energy Estimate  `json:"energy"`
		Binder *Estimate `json:"binder,omitempty"`
		All    []Estimate
	}
	in := point{T: 1, Energy: Estimate{Mean: -1.5, Err: nan, Tau: 2, N: 10}, Binder: &Estimate{Mean: 0.6, Err: 0.01},
		All: []Estimate{{Mean: nan}, {Mean: 1, Err: 2}}}
	b, err = json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	var out point
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatalf("json.Unmarshal(%s): %v", b, err)
	}
	if !sameEstimate(out.Energy, in.Energy) || out.Binder == nil || !sameEstimate(*out.Binder, *in.Binder) ||
		len(out.All) != 2 || !sameEstimate(out.All[0], in.All[0]) || !sameEstimate(out.All[1], in.All[1]) {
		t.Errorf("round trip of %s = %+v; want %+v", b, out, in)
	}

	var e Estimate
	if err := json.Unmarshal([]byte(`{"mean":2}`), &e); err != nil || !sameEstimate(e, Estimate{Mean: 2}) {
		t.Errorf(`json.Unmarshal({"mean":2}) = %#v, %v; want absent fields zero`, e, err)
	}
	e = Estimate{Mean: 1, Err: 2}
	if err := json.Unmarshal([]byte(`null`), &e); err != nil || !sameEstimate(e, Estimate{Mean: 1, Err: 2}) {
		t.Errorf("json.Unmarshal(null) = %#v, %v; want no change", e, err)
	}
	if err := json.Unmarshal([]byte(`{"mean":"x"}`), &e); err == nil {
		t.Errorf(`json.Unmarshal({"mean":"x"}) succeeded; want an error`)
	}
}

// sameEstimate reports whether a and b are identical, treating NaNs as equal.
func sameEstimate(a, b Estimate) bool {
	same := func(x, y float64) bool { return x == y || math.IsNaN(x) && math.IsNaN(y) }
	return same(a.Mean, b.Mean) && same(a.Err, b.Err) && same(a.Tau, b.Tau) && a.N == b.N
}
