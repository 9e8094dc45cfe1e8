package nets

import (
	"math"
	"testing"
)

// TestReLUKernels: the branch-free kernels agree with max(z, 0) and z > 0 on the
// special values too.
func TestReLUKernels(t *testing.T) {
	zs := []float64{-2, -1e-300, math.Copysign(0, -1), 0, 1e-300, 3, math.Inf(1), math.Inf(-1), math.NaN(), -math.NaN(), math.SmallestNonzeroFloat64}
	for _, z := range zs {
		want, wantD := 0.0, 0.0
		if z > 0 || (math.IsNaN(z) && !math.Signbit(z)) {
			want, wantD = z, 1.5
		}
		a, d := []float64{7}, []float64{1.5}
		relu64(a, []float64{z})
		reluBack64(d, []float64{z})
		a32, d32 := []float32{7}, []float32{1.5}
		relu32(a32, []float32{float32(z)})
		reluBack32(d32, []float32{float32(z)})
		same := func(x, y float64) bool { return x == y || math.IsNaN(x) && math.IsNaN(y) }
		if !same(a[0], want) || d[0] != wantD {
			t.Errorf("float64 z=%v: relu %v, back %v; want %v, %v", z, a[0], d[0], want, wantD)
		}
		w32 := float64(float32(want))
		if float32(z) == 0 && z != 0 { // underflows to ±0 in float32
			w32, wantD = 0, 0
		}
		if !same(float64(a32[0]), w32) || float64(d32[0]) != wantD {
			t.Errorf("float32 z=%v: relu %v, back %v; want %v, %v", z, a32[0], d32[0], w32, wantD)
		}
	}
}

func TestParseRoundTrip(t *testing.T) {
	for _, in := range []Init{{Kind: Glorot}, {Kind: He}, {Kind: Gaussian, SigmaW2: 1.76, SigmaB2: 0.05}, {Kind: Gaussian}} {
		got, err := ParseInit(in.String())
		if err != nil || got != in {
			t.Errorf("ParseInit(%q) = %v, %v; want %v", in.String(), got, err, in)
		}
	}
	for a := ReLU; a <= Linear; a++ {
		if got, err := ParseActivation(a.String()); err != nil || got != a {
			t.Errorf("ParseActivation(%q) = %v, %v", a, got, err)
		}
	}
	for _, o := range []Optimizer{SGD, Momentum, Adam} {
		if got, err := ParseOptimizer(o.String()); err != nil || got != o {
			t.Errorf("ParseOptimizer(%q) = %v, %v", o, got, err)
		}
	}
	for _, l := range []Loss{CrossEntropy, Squared} {
		if got, err := ParseLoss(l.String()); err != nil || got != l {
			t.Errorf("ParseLoss(%q) = %v, %v", l, got, err)
		}
	}
	for _, bad := range []string{"gaussian:sw2=x", "gaussian:q=1", "he:1", "lecun"} {
		if _, err := ParseInit(bad); err == nil {
			t.Errorf("ParseInit(%q) succeeded", bad)
		}
	}
}

// TestGaussianInitVariance: Init{Gaussian, σ_w², σ_b²} draws W_ij ~ N(0, σ_w²/N_in)
// and b_i ~ N(0, σ_b²), the convention of the mean-field papers (package
// nets/meanfield): per layer, N_in times the sample variance of the weights is σ_w²
// and the sample variance of the biases σ_b², within 4 standard errors
// (σ²√(2/(n−1)) for n Gaussian samples), and both means are 0 within 4σ.
func TestGaussianInitVariance(t *testing.T) {
	sizes := []int{196, 300, 300, 300, 10}
	n, err := NewNet(sizes, Tanh, CrossEntropy)
	if err != nil {
		t.Fatal(err)
	}
	const sw2, sb2 = 1.76, 0.05
	n.Initialize(Init{Kind: Gaussian, SigmaW2: sw2, SigmaB2: sb2}, 3)
	check := func(name string, x []float64, want float64) {
		t.Helper()
		var m, v float64
		for _, a := range x {
			m += a
		}
		m /= float64(len(x))
		for _, a := range x {
			v += (a - m) * (a - m)
		}
		v /= float64(len(x) - 1)
		k := float64(len(x))
		if z := (v - want) / (want * math.Sqrt(2/(k-1))); math.Abs(z) > 4 {
			t.Errorf("%s: variance %.6g, want %.6g (z = %.2f, %d samples)", name, v, want, z, len(x))
		}
		if z := m / math.Sqrt(want/k); math.Abs(z) > 4 {
			t.Errorf("%s: mean %.3g, want 0 (z = %.2f)", name, m, z)
		}
	}
	for l := range n.W {
		check("W"+string(rune('0'+l)), n.W[l], sw2/float64(sizes[l]))
		if sizes[l+1] >= 100 {
			check("b"+string(rune('0'+l)), n.B[l], sb2)
		}
	}
	// The biases of all layers together (the last layer has only 10).
	var all []float64
	for l := range n.B {
		all = append(all, n.B[l]...)
	}
	check("b", all, sb2)
}
