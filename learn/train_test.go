package learn

import (
	"context"
	"math"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/deepglass/deepglass/models"
)

func TestParseMethod(t *testing.T) {
	for _, m := range []Method{CD, PCD, PT} {
		got, err := ParseMethod(m.String())
		if err != nil || got != m {
			t.Errorf("ParseMethod(%q) = %v, %v", m.String(), got, err)
		}
	}
	if _, err := ParseMethod("sgd"); err == nil {
		t.Error("ParseMethod(sgd) succeeded")
	}
}

func TestTrainBadOptions(t *testing.T) {
	data := BarsAndStripes(3)
	for _, o := range []Options{
		{Method: PCD, Epochs: 1, LR: 0},
		{Method: PCD, Epochs: 1, LR: 0.1, Momentum: 1},
		{Method: PCD, Epochs: 1, LR: 0.1, K: -1},
		{Method: PCD, Epochs: 1, LR: 0.1, L2: -1},
		{Method: PCD, Epochs: 1, LR: 0.1, L1: 0.1, L1Warmup: -1},
		{Method: PT, Epochs: 1, LR: 0.1, Betas: []float64{0.5, 0.9}},
		{Method: PT, Epochs: 1, LR: 0.1, Betas: []float64{0.5, 0.4, 1}},
		{Method: Method(7), Epochs: 1, LR: 0.1},
	} {
		r, _ := NewRBM(data, 4, 1)
		if _, err := Train(context.Background(), r, data, o); err == nil {
			t.Errorf("Train(%v) succeeded", o)
		}
	}
	r, _ := NewRBM(data, 4, 1)
	if _, err := Train(context.Background(), r, BarsAndStripes(2), Options{Epochs: 1, LR: 0.1}); err == nil {
		t.Error("Train with data of the wrong width succeeded")
	}
	if _, err := Train(context.Background(), r, [][]float64{{0, 1, 2, 0, 0, 0, 0, 0, 0}}, Options{Epochs: 1, LR: 0.1}); err == nil {
		t.Error("Train with a value of 2 succeeded")
	}
}

// TestL1Proximal checks the L1 step on zero gradients: every weight moves toward 0
// by lr·L1 per update and stops at exactly 0; with momentum 0 nothing else moves.
func TestL1Proximal(t *testing.T) {
	data := BarsAndStripes(3)
	r := models.NewRBM(9, 2)
	w := []float64{0.35, -0.35, 0.05, -0.05, 0, 1}
	for k, x := range w {
		r.W.Set(k%9, k/9, x)
	}
	tr, err := newTrainer(r, data, Options{Method: CD, LR: 0.1, L1: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer tr.close()
	tr.grad.Zero()
	for step := range 4 {
		tr.step(0.1)
		for k, x := range w {
			want := math.Copysign(math.Max(0, math.Abs(x)-0.1*float64(step+1)), x)
			if got := r.W.At(k%9, k/9); math.Abs(got-want) > 1e-12 || (want == 0 && got != 0) {
				t.Fatalf("step %d: w[%d] = %v, want %v", step+1, k, got, want)
			}
		}
	}
}

// TestL1Warmup checks that a warmed-up penalty prunes less than the full one and
// that the warm-up shows in the options' string.
func TestL1Warmup(t *testing.T) {
	data := BarsAndStripes(4)
	zeros := func(o Options) int {
		r := trainOnce(t, data, 8, o)
		n := 0
		for _, x := range r.W.RawMatrix().Data {
			if x == 0 {
				n++
			}
		}
		return n
	}
	o := Options{Method: CD, Epochs: 3, Batch: 10, LR: 0.1, L1: 0.2, Seed: 2}
	full := zeros(o)
	o.L1Warmup = 3
	warm := zeros(o)
	if !(full > warm) {
		t.Errorf("zero weights: %d with the full penalty, %d warmed up over 3 epochs", full, warm)
	}
	if s := o.String(); !strings.Contains(s, "l1-warmup=3") {
		t.Errorf("String() = %q", s)
	}
}

// trainOnce trains a fresh RBM and returns it.
func trainOnce(t *testing.T, data [][]float64, nh int, o Options) *models.RBM {
	t.Helper()
	r, err := NewRBM(data, nh, o.Seed)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Train(context.Background(), r, data, o); err != nil {
		t.Fatal(err)
	}
	return r
}

// TestReproducible trains with GOMAXPROCS 1 and 4 on matrices large enough for
// gonum's parallel GEMM, for every method, and requires identical weights.
func TestReproducible(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	data := make([][]float64, 300)
	for d := range data {
		data[d] = make([]float64, 200)
		for i := range data[d] {
			data[d][i] = float64(rng.IntN(2))
		}
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	for _, m := range []Method{CD, PCD, PT} {
		o := Options{Method: m, K: 2, Epochs: 2, Batch: 128, LR: 0.05, Momentum: 0.5, L2: 1e-4, L1: 1e-4, Seed: 9,
			Chains: 130, Betas: []float64{0.5, 1}}
		runtime.GOMAXPROCS(1)
		a := trainOnce(t, data, 300, o)
		runtime.GOMAXPROCS(4)
		b := trainOnce(t, data, 300, o)
		if !mat.Equal(a.W, b.W) || !floatsEqual(a.A, b.A) || !floatsEqual(a.B, b.B) {
			t.Errorf("%v: weights depend on GOMAXPROCS", m)
		}
		o.Seed++
		c := trainOnce(t, data, 300, o)
		if mat.Equal(a.W, c.W) {
			t.Errorf("%v: weights do not depend on the seed", m)
		}
	}
}

// TestUpdateAllocs checks that a minibatch update allocates nothing.
func TestUpdateAllocs(t *testing.T) {
	data := BarsAndStripes(4)
	for _, m := range []Method{CD, PCD, PT} {
		r, _ := NewRBM(data, 8, 1)
		tr, err := newTrainer(r, data, Options{Method: m, K: 2, Batch: 7, LR: 0.1, Momentum: 0.5, L1: 1e-3})
		if err != nil {
			t.Fatal(err)
		}
		if n := testing.AllocsPerRun(20, func() { tr.epoch(context.Background(), 0.1, 0) }); n != 0 {
			t.Errorf("%v: %v allocations per epoch", m, n)
		}
		tr.close()
	}
}

// TestGradientExact checks the update against the exact log-likelihood gradient on a
// small RBM: with PT chains run long at a tiny learning rate, the change of the
// weights over one epoch of full-batch updates is lr·∇LL up to sampling noise. The
// exact gradient comes from central differences of the exact log-likelihood.
func TestGradientExact(t *testing.T) {
	data := BarsAndStripes(3)[:10]
	r := models.RandomRBM(9, 4, 0.5, rand.New(rand.NewPCG(3, 4)))
	for i := range r.A {
		r.A[i] = 0.3 * float64(i%3-1)
	}
	ll := func() float64 {
		lz, _ := r.LogZ()
		return r.LogLikelihood(data, lz)
	}
	const h = 1e-5
	grad := mat.NewDense(9, 4, nil)
	for i := range 9 {
		for j := range 4 {
			w := r.W.At(i, j)
			r.W.Set(i, j, w+h)
			up := ll()
			r.W.Set(i, j, w-h)
			grad.Set(i, j, (up-ll())/(2*h))
			r.W.Set(i, j, w)
		}
	}
	// Average many one-step updates from the same weights: the PT chains move on,
	// the weights are reset after every step.
	const lr, steps = 1.0, 4000
	tr, err := newTrainer(r, data, Options{Method: PT, K: 1, LR: lr, Chains: 20, Betas: []float64{0.25, 0.5, 0.75, 1}, Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer tr.close()
	w0 := mat.DenseCopyOf(r.W)
	a0, b0 := append([]float64(nil), r.A...), append([]float64(nil), r.B...)
	sum, sq := mat.NewDense(9, 4, nil), mat.NewDense(9, 4, nil)
	d := mat.NewDense(9, 4, nil)
	for k := range steps + 200 {
		tr.epoch(context.Background(), lr, 0)
		d.Sub(r.W, w0)
		r.W.Copy(w0)
		copy(r.A, a0)
		copy(r.B, b0)
		if k < 200 {
			continue // burn-in of the chains
		}
		sum.Add(sum, d)
		d.MulElem(d, d)
		sq.Add(sq, d)
	}
	worst := 0.0
	for i := range 9 {
		for j := range 4 {
			mean := sum.At(i, j) / steps
			se := math.Sqrt((sq.At(i, j)/steps - mean*mean) / steps)
			z := math.Abs(mean-lr*grad.At(i, j)) / se
			worst = math.Max(worst, z)
		}
	}
	// 36 weights; successive PT states are correlated, so se underestimates a bit.
	if worst > 5 {
		t.Errorf("update differs from lr·∇LL: worst |z| = %.2f", worst)
	}
	t.Logf("worst |z| over 36 weights: %.2f", worst)
}

func TestPseudoLikelihoodAndRecon(t *testing.T) {
	r := models.RandomRBM(6, 3, 0.8, rand.New(rand.NewPCG(7, 8)))
	r.A[2], r.B[1] = 0.4, -0.7
	data := [][]float64{{1, 0, 1, 1, 0, 0}, {0, 0, 0, 1, 1, 1}, {1, 1, 1, 1, 1, 1}}
	want := 0.0
	for _, v := range data {
		for i := range v {
			u := append([]float64(nil), v...)
			u[i] = 1 - u[i]
			// ln p(v_i|v_-i) = ln e^{-F(v)} / (e^{-F(v)} + e^{-F(u)})
			fv, fu := r.FreeEnergy(v), r.FreeEnergy(u)
			want += -fv - math.Log(math.Exp(-fv)+math.Exp(-fu))
		}
	}
	want /= float64(len(data))
	if got := PseudoLikelihood(r, data); math.Abs(got-want) > 1e-12 {
		t.Errorf("PseudoLikelihood = %v, want %v", got, want)
	}
	recon := 0.0
	x, y := make([]float64, 3), make([]float64, 6)
	for _, v := range data {
		r.HiddenProbs(x, v)
		r.VisibleProbs(y, x)
		for i := range v {
			recon += (v[i] - y[i]) * (v[i] - y[i])
		}
	}
	if got := ReconError(r, data); math.Abs(got-recon/18) > 1e-15 {
		t.Errorf("ReconError = %v, want %v", got, recon/18)
	}
}

func TestMeanFreeEnergy(t *testing.T) {
	r := models.RandomRBM(16, 7, 1, rand.New(rand.NewPCG(1, 1)))
	r.B[3] = 2
	data := BarsAndStripes(4)
	for len(data) < 600 { // more than one block of 256 rows
		data = append(data, data...)
	}
	want := 0.0
	for _, v := range data {
		want += r.FreeEnergy(v)
	}
	want /= float64(len(data))
	if got := MeanFreeEnergy(r, data); math.Abs(got-want) > 1e-12*math.Abs(want) {
		t.Errorf("MeanFreeEnergy = %v, want %v", got, want)
	}
}

// TestBernoulliTable checks that the table-accelerated draw decides exactly as
// uniform < Sigmoid(x) with the same stream, over x in and out of the grid.
func TestBernoulliTable(t *testing.T) {
	a, b := rand.NewPCG(1, 2), rand.NewPCG(1, 2)
	xs := rand.New(rand.NewPCG(3, 4))
	for n := range 1_000_000 {
		x := 40 * (xs.Float64() - 0.5)
		if n%7 == 0 {
			x = float64(xs.IntN(2049)-1024) / 64 // grid points exactly
		}
		got := bernoulli(a, x)
		want := 0.0
		if uniform(b) < models.Sigmoid(x) {
			want = 1
		}
		if got != want {
			t.Fatalf("x = %v: bernoulli %v, direct %v", x, got, want)
		}
	}
}
