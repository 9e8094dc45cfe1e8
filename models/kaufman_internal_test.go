package models

import (
	"math"
	"testing"
)

// TestKaufmanForms checks that the direct and reduced forms of ln Z agree where
// Kaufman switches between them (w = 0.2), so the switch leaves no seam.
func TestKaufmanForms(t *testing.T) {
	low := -math.Log(kaufmanW) / 2 // e^{-2K} = w
	high := math.Atanh(kaufmanW)   // tanh K = w
	for _, sz := range [][2]int{{2, 2}, {4, 4}, {3, 7}, {32, 32}} {
		m, n := sz[0], sz[1]
		for _, k := range []float64{low * 0.999, low, low * 1.001} {
			a := kaufmanDirect(m, n, jet{k, 1, 0})
			b := kaufmanReduced(m, n, jet{k, 1, 0}, jet{k, 1, 0}.scale(-2).exp(), 1)
			checkJets(t, m, n, k, a, b)
		}
		for _, k := range []float64{high * 0.999, high, high * 1.001} {
			a := kaufmanDirect(m, n, jet{k, 1, 0})
			b := kaufmanReduced(m, n, jet{k, 1, 0}, jet{k, 1, 0}.tanh(), -1)
			checkJets(t, m, n, k, a, b)
		}
	}
}

func checkJets(t *testing.T, m, n int, k float64, a, b jet) {
	t.Helper()
	nn := float64(m * n)
	if math.Abs(a.v-b.v) > 1e-13*math.Abs(a.v) || math.Abs(a.d-b.d) > 1e-12*nn || math.Abs(a.dd-b.dd) > 1e-11*nn {
		t.Errorf("%d×%d K=%v: direct %+v; reduced %+v", m, n, k, a, b)
	}
}

// TestJet checks the jet arithmetic against closed-form derivatives.
func TestJet(t *testing.T) {
	x := jet{0.7, 1, 0}
	tests := []struct {
		name      string
		got       jet
		f, f1, f2 float64
	}{
		{"x²/(1+x)", x.mul(x).div(x.addConst(1)), 0.49 / 1.7, (2*0.7*1.7 - 0.49) / (1.7 * 1.7), 2 / (1.7 * 1.7 * 1.7)},
		{"exp", x.exp(), math.Exp(0.7), math.Exp(0.7), math.Exp(0.7)},
		{"log", x.log(), math.Log(0.7), 1 / 0.7, -1 / 0.49},
		{"sqrt", x.sqrt(), math.Sqrt(0.7), 0.5 / math.Sqrt(0.7), -0.25 / math.Pow(0.7, 1.5)},
		{"pow3", x.pow(3), 0.343, 3 * 0.49, 6 * 0.7},
		{"ln2cosh", x.ln2cosh(), math.Log(2 * math.Cosh(0.7)), math.Tanh(0.7), 1 / (math.Cosh(0.7) * math.Cosh(0.7))},
		{"ln2sinh", x.ln2sinh(), math.Log(2 * math.Sinh(0.7)), 1 / math.Tanh(0.7), -1 / (math.Sinh(0.7) * math.Sinh(0.7))},
		{"lntanh", x.lntanh(), math.Log(math.Tanh(0.7)), 2 / math.Sinh(1.4), -4 * math.Cosh(1.4) / (math.Sinh(1.4) * math.Sinh(1.4))},
		{"acosh1p", x.acosh1p(), math.Acosh(1.7), 1 / math.Sqrt(1.7*1.7-1), -1.7 / math.Pow(1.7*1.7-1, 1.5)},
		{"tanh", x.tanh(), math.Tanh(0.7), 1 - math.Tanh(0.7)*math.Tanh(0.7),
			-2 * math.Tanh(0.7) * (1 - math.Tanh(0.7)*math.Tanh(0.7))},
		{"log1p", x.log1p(), math.Log1p(0.7), 1 / 1.7, -1 / (1.7 * 1.7)},
	}
	for _, tt := range tests {
		if math.Abs(tt.got.v-tt.f) > 1e-14 || math.Abs(tt.got.d-tt.f1) > 1e-13 || math.Abs(tt.got.dd-tt.f2) > 1e-12 {
			t.Errorf("%s: %+v; want {%v %v %v}", tt.name, tt.got, tt.f, tt.f1, tt.f2)
		}
	}
}
