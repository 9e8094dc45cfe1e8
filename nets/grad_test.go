package nets

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// testNet returns a 6-5-4-3 net with Gaussian weights (σ_w² = 1.5, σ_b² = 0.1, so the
// biases are not zero) and 9 samples of 3-class blobs in 6 dimensions.
func testNet(t testing.TB, act Activation, loss Loss, seed uint64) (*Net, *Data) {
	t.Helper()
	n, err := NewNet([]int{6, 5, 4, 3}, act, loss)
	if err != nil {
		t.Fatal(err)
	}
	n.Initialize(Init{Kind: Gaussian, SigmaW2: 1.5, SigmaB2: 0.1}, seed)
	d, _, err := Blobs(BlobsSpec{D: 6, Classes: 3, N: 9, NTest: 1, Sep: 2, Seed: seed})
	if err != nil {
		t.Fatal(err)
	}
	return n, d
}

// lossAt returns the float64 mean loss of n on d.
func lossAt(t testing.TB, n *Net, d *Data) float64 {
	g := make([]float64, n.NumParams())
	l, err := n.Gradient(g, d, nil)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// minAbsPreact returns the smallest |z| of the hidden pre-activations over d: a ReLU
// kink closer than the finite-difference step would spoil the comparison.
func minAbsPreact(n *Net, d *Data) float64 {
	e := newEngine[float64](n.Sizes, n.Act, n.Loss, d.N)
	copy(e.p, n.p)
	idx := make([]int32, d.N)
	for i := range idx {
		idx[i] = int32(i)
	}
	e.forward(e.load(d, idx))
	m := math.Inf(1)
	for l := 0; l < len(e.z)-1; l++ {
		for _, v := range e.z[l][:d.N*n.Sizes[l+1]] {
			m = min(m, math.Abs(v))
		}
	}
	return m
}

// TestGradientFiniteDifferences: the backpropagated gradient equals fourth-order
// central finite differences, (8[L(θ+h)−L(θ−h)] − [L(θ+2h)−L(θ−2h)])/(12h) with
// h = 1e-4 (error O(h⁴) ≈ 1e-16 plus rounding ≈ 1e-12), to 1e-6 relative in every
// component (relative to max(|g_i|, 1e-8)), for every activation and both losses.
func TestGradientFiniteDifferences(t *testing.T) {
	const h = 1e-4
	for _, act := range []Activation{ReLU, Tanh, Sigmoid, Erf, Linear} {
		for _, loss := range []Loss{CrossEntropy, Squared} {
			n, d := testNet(t, act, loss, 3)
			if act == ReLU {
				if m := minAbsPreact(n, d); m < 20*h {
					t.Fatalf("relu: a pre-activation %g lies within the finite-difference steps of the kink", m)
				}
			}
			g := make([]float64, n.NumParams())
			if _, err := n.Gradient(g, d, nil); err != nil {
				t.Fatal(err)
			}
			p := n.Params()
			worst, at := 0.0, 0
			for i := range p {
				x := p[i]
				f := func(dx float64) float64 { p[i] = x + dx; return lossAt(t, n, d) }
				fd := (8*(f(h)-f(-h)) - (f(2*h) - f(-2*h))) / (12 * h)
				p[i] = x
				if rel := math.Abs(fd-g[i]) / max(math.Abs(g[i]), 1e-8); rel > worst {
					worst, at = rel, i
				}
			}
			t.Logf("%v %v: max relative difference %.2g (parameter %d of %d)", act, loss, worst, at, len(p))
			if worst > 1e-6 {
				t.Errorf("%v %v: gradient differs from finite differences by %.3g relative at parameter %d", act, loss, worst, at)
			}
		}
	}
}

// TestGradientFloat32: the float32 engine's gradient agrees with the float64 one to
// float32 accuracy (1e-4 of the largest component).
func TestGradientFloat32(t *testing.T) {
	n, d := testNet(t, Tanh, CrossEntropy, 4)
	g64 := make([]float64, n.NumParams())
	if _, err := n.Gradient(g64, d, nil); err != nil {
		t.Fatal(err)
	}
	e := newEngine[float32](n.Sizes, n.Act, n.Loss, d.N)
	e.setParams(n.p)
	idx := []int32{0, 1, 2, 3, 4, 5, 6, 7, 8}
	nb := e.load(d, idx)
	e.forward(nb)
	e.lossGrad(nb, true)
	e.backward(nb)
	scale := 0.0
	for _, v := range g64 {
		scale = max(scale, math.Abs(v))
	}
	for i, v := range e.g {
		if math.Abs(float64(v)-g64[i]) > 1e-4*scale {
			t.Errorf("float32 gradient %d = %v; float64 %v", i, v, g64[i])
		}
	}
}

const python = "/usr/bin/python3"

// haveTorch reports whether /usr/bin/python3 can import torch.
func haveTorch() bool {
	return exec.Command(python, "-c", "import torch").Run() == nil
}

// torchRun is one optimizer run compared with PyTorch.
type torchRun struct {
	Name      string    `json:"name"`
	Optimizer string    `json:"optimizer"`
	LR        float64   `json:"lr"`
	Momentum  float64   `json:"momentum"`
	WD        float64   `json:"wd"`
	Clip      float64   `json:"clip"`
	Batches   [][]int32 `json:"batches"`
}

// TestTorchGradients: for the same weights and batch, the float64 gradient equals
// PyTorch's (Debian python3-torch 1.13, float64) to 1e-10 of the largest component,
// for every activation and both losses; and three steps of SGD (weight decay,
// clipping), momentum and Adam (weight decay) give the same parameters to 1e-10.
// The PyTorch side is nets/testdata/torch/grad.py. The test runs where
// /usr/bin/python3 imports torch (CI installs python3-torch) and is skipped, saying
// so, elsewhere.
func TestTorchGradients(t *testing.T) {
	if !haveTorch() {
		t.Skip("/usr/bin/python3 cannot import torch (apt-get install python3-torch)")
	}
	script, _ := filepath.Abs(filepath.Join("testdata", "torch", "grad.py"))
	type tcase struct {
		act  Activation
		loss Loss
		dir  string
		net  *Net
		data *Data
	}
	batches := [][]int32{{0, 1, 2, 3}, {4, 5, 6, 7, 8}, {8, 2, 5}}
	runs := []torchRun{
		{Name: "sgd", Optimizer: "sgd", LR: 0.3, WD: 0.01, Clip: 0.5, Batches: batches},
		{Name: "momentum", Optimizer: "momentum", LR: 0.1, Momentum: 0.9, WD: 0.001, Batches: batches},
		{Name: "adam", Optimizer: "adam", LR: 0.01, WD: 0.01, Batches: batches},
	}
	var cases []tcase
	args := []string{script}
	for _, act := range []Activation{ReLU, Tanh, Sigmoid, Erf, Linear} {
		for _, loss := range []Loss{CrossEntropy, Squared} {
			n, d := testNet(t, act, loss, 5)
			dir := filepath.Join(t.TempDir(), fmt.Sprintf("%v-%v", act, loss))
			if err := Save(filepath.Join(dir, "model"), n, true, nil); err != nil {
				t.Fatal(err)
			}
			x, y := make([]float64, len(d.X)), make([]float64, d.N)
			for i, v := range d.X {
				x[i] = float64(v)
			}
			for i, v := range d.Y {
				y[i] = float64(v)
			}
			writeNPY(t, filepath.Join(dir, "x.npy"), x, d.N, d.D)
			writeNPY(t, filepath.Join(dir, "y.npy"), y, d.N)
			b, _ := json.Marshal(runs)
			if err := os.WriteFile(filepath.Join(dir, "steps.json"), b, 0o644); err != nil {
				t.Fatal(err)
			}
			cases = append(cases, tcase{act, loss, dir, n, d})
			args = append(args, dir)
		}
	}
	// One Python process for all cases: importing torch takes seconds.
	if out, err := exec.Command(python, args...).CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", script, err, out)
	}
	for _, c := range cases {
		n, d, dir := c.net, c.data, c.dir
		g := make([]float64, n.NumParams())
		l, err := n.Gradient(g, d, nil)
		if err != nil {
			t.Fatal(err)
		}
		var tl struct{ Loss float64 }
		lb, _ := os.ReadFile(filepath.Join(dir, "loss.json"))
		if err := json.Unmarshal(lb, &tl); err != nil {
			t.Fatal(err)
		}
		if math.Abs(l-tl.Loss) > 1e-12*math.Abs(tl.Loss) {
			t.Errorf("%v %v: loss %v; torch %v", c.act, c.loss, l, tl.Loss)
		}
		rel := compareNet(t, filepath.Join(dir, "grad"), n, g)
		msg := fmt.Sprintf("%v %v: gradient max|Δ|/max|g| = %.2g; after 3 steps max|Δθ|/max|θ|:", c.act, c.loss, rel)
		if rel > 1e-10 {
			t.Errorf("%v %v: gradient differs from torch by %.3g relative", c.act, c.loss, rel)
		}
		for _, r := range runs {
			o := Options{Epochs: 1, LR: r.LR, Momentum: r.Momentum, WeightDecay: r.WD, Clip: r.Clip, Float64: true}
			o.Optimizer, _ = ParseOptimizer(r.Optimizer)
			s := newOptim[float64](n.Sizes, n.Act, n.Loss, o.withDefaults(), d.N, nil)
			s.setParams(n.p)
			clipped := 0
			for _, idx := range r.Batches {
				if _, _, c := s.step(d, idx, r.LR); c {
					clipped++
				}
			}
			if r.Clip > 0 && clipped == 0 {
				t.Errorf("%s: the clipping threshold %g clipped no step", r.Name, r.Clip)
			}
			p := make([]float64, len(s.p))
			s.getParams(p)
			rel := compareNet(t, filepath.Join(dir, r.Name), n, p)
			msg += fmt.Sprintf(" %s %.2g", r.Name, rel)
			if rel > 1e-10 {
				t.Errorf("%v %v %s: parameters after 3 steps differ from torch by %.3g relative", c.act, c.loss, r.Name, rel)
			}
		}
		t.Log(msg)
	}
}

func writeNPY(t testing.TB, path string, x []float64, shape ...int) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := WriteNPY(f, x, shape, true); err != nil {
		t.Fatal(err)
	}
}

// compareNet reads per-layer NPY files from dir and returns max |Δ| / max |want| of
// got (in the layout of Params) against them.
func compareNet(t testing.TB, dir string, n *Net, got []float64) float64 {
	t.Helper()
	var want []float64
	for l := range n.W {
		for _, name := range []string{"weight", "bias"} {
			f, err := os.Open(filepath.Join(dir, fmt.Sprintf("layer%d.%s.npy", l, name)))
			if err != nil {
				t.Fatal(err)
			}
			x, _, err := ReadNPY(f)
			f.Close()
			if err != nil {
				t.Fatal(err)
			}
			want = append(want, x...)
		}
	}
	if len(want) != len(got) {
		t.Fatalf("%s: %d values, want %d", dir, len(want), len(got))
	}
	diff, scale := 0.0, 0.0
	for i := range want {
		diff = max(diff, math.Abs(got[i]-want[i]))
		scale = max(scale, math.Abs(want[i]))
	}
	return diff / scale
}
