package nets

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/deepglass/deepglass/analysis"
	"github.com/deepglass/deepglass/sampler"
)

func blobs(t testing.TB, d, k, n int, seed uint64) (*Data, *Data) {
	t.Helper()
	tr, te, err := Blobs(BlobsSpec{D: d, Classes: k, N: n, NTest: n / 2, Sep: 3, Seed: seed})
	if err != nil {
		t.Fatal(err)
	}
	return tr, te
}

func newNet(t testing.TB, sizes []int, act Activation, seed uint64) *Net {
	t.Helper()
	n, err := NewNet(sizes, act, CrossEntropy)
	if err != nil {
		t.Fatal(err)
	}
	n.Initialize(DefaultInit(act), seed)
	return n
}

// TestTrainBlobs: every optimizer learns well-separated clusters.
func TestTrainBlobs(t *testing.T) {
	tr, te := blobs(t, 20, 5, 2000, 1)
	for _, o := range []Options{
		{Optimizer: SGD, LR: 0.1},
		{Optimizer: Momentum, LR: 0.02},
		{Optimizer: Adam, LR: 0.003},
		{Optimizer: SGD, LR: 0.1, Float64: true, WeightDecay: 1e-3, Clip: 1},
	} {
		o.Epochs, o.Batch, o.Seed = 5, 32, 2
		n := newNet(t, []int{20, 32, 5}, Tanh, 2)
		h, err := Train(context.Background(), n, tr, te, o)
		if err != nil {
			t.Fatal(err)
		}
		last := h.Last()
		t.Logf("%v: %v", o, last)
		if last.TestAccuracy < 0.9 || !(last.TrainLoss < h.Epochs[0].RunningLoss) {
			t.Errorf("%v: %v", o, last)
		}
		if len(last.WeightNorms) != 2 || last.GradNorm <= 0 || h.Samples != 5*2000 || h.Steps != 5*63 {
			t.Errorf("%v: history %+v", o, h)
		}
	}
}

// TestOnEpochSeesWeights: in OnEpoch the net holds the parameters after that epoch:
// they change from epoch to epoch, and the last epoch's are the final ones.
func TestOnEpochSeesWeights(t *testing.T) {
	tr, te := blobs(t, 20, 5, 500, 1)
	n := newNet(t, []int{20, 16, 5}, Tanh, 2)
	init := slices.Clone(n.Params())
	var seen [][]float64
	o := Options{Epochs: 3, Batch: 16, LR: 0.1, Seed: 2, OnEpoch: func(Epoch) { seen = append(seen, slices.Clone(n.Params())) }}
	if _, err := Train(context.Background(), n, tr, te, o); err != nil {
		t.Fatal(err)
	}
	prev := init
	for e, p := range seen {
		if slices.Equal(p, prev) {
			t.Errorf("epoch %d: OnEpoch saw the parameters of the epoch before", e+1)
		}
		prev = p
	}
	if !slices.Equal(seen[len(seen)-1], n.Params()) {
		t.Error("the last OnEpoch saw parameters other than the final ones")
	}
}

// TestDeterministicGOMAXPROCS: the same seed gives bit-identical weights with
// GOMAXPROCS 1 and 2, for a net large enough that gonum's gemm runs in parallel
// (more than 4 blocks of 64×64 in the output), in float32 and float64.
func TestDeterministicGOMAXPROCS(t *testing.T) {
	tr, te := blobs(t, 100, 10, 1000, 3)
	for _, f64 := range []bool{false, true} {
		var params [][]float64
		for _, procs := range []int{1, 2} {
			prev := runtime.GOMAXPROCS(procs)
			n := newNet(t, []int{100, 300, 100, 10}, ReLU, 3)
			_, err := Train(context.Background(), n, tr, te, Options{Epochs: 2, Batch: 256, LR: 0.05, Optimizer: Momentum, Seed: 3, Float64: f64})
			runtime.GOMAXPROCS(prev)
			if err != nil {
				t.Fatal(err)
			}
			params = append(params, n.Params())
		}
		for i := range params[0] {
			if math.Float64bits(params[0][i]) != math.Float64bits(params[1][i]) {
				t.Fatalf("float64=%v: parameter %d: %v with GOMAXPROCS=1, %v with 2", f64, i, params[0][i], params[1][i])
			}
		}
	}
}

// TestResume: a run interrupted in the middle of an epoch, checkpointed and resumed
// ends with the same weights, bit for bit, and the same history as a run without
// interruption, for every optimizer and with Langevin noise.
func TestResume(t *testing.T) {
	tr, te := blobs(t, 10, 3, 300, 4)
	for _, o := range []Options{
		{Optimizer: SGD, LR: 0.05, T: 1e-4, WeightDecay: 1e-3},
		{Optimizer: Momentum, LR: 0.01, T: 1e-4, Clip: 0.5},
		{Optimizer: Adam, LR: 0.003},
	} {
		o.Epochs, o.Batch, o.Seed = 3, 16, 5
		ref := newNet(t, []int{10, 8, 3}, Sigmoid, 5)
		want, err := Train(context.Background(), ref, tr, te, o)
		if err != nil {
			t.Fatal(err)
		}
		for _, boundary := range []bool{false, true} {
			ctx, cancel := context.WithCancel(context.Background())
			var ckpt bytes.Buffer
			o2 := o
			if boundary {
				o2.OnEpoch = func(e Epoch) {
					if e.Epoch == 1 {
						cancel()
					}
				}
			} else {
				o2.Progress = func(p Progress) {
					if p.Epoch == 2 && p.Step >= 7 {
						cancel()
					}
				}
			}
			o2.Checkpoint = func(tt *Trainer) error { ckpt.Reset(); return tt.Checkpoint(&ckpt) }
			n := newNet(t, []int{10, 8, 3}, Sigmoid, 5)
			_, err = Train(ctx, n, tr, te, o2)
			if !errors.Is(err, context.Canceled) || ckpt.Len() == 0 {
				t.Fatalf("%v: interrupted run: err %v, checkpoint %d bytes", o, err, ckpt.Len())
			}
			res, err := ResumeTrainer(bytes.NewReader(ckpt.Bytes()), tr, te, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if res.epoch != 1 || (res.step == 0) != boundary {
				t.Fatalf("resumed at epoch %d step %d; want epoch 2 (boundary %v)", res.epoch, res.step, boundary)
			}
			got, err := res.Run(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			p, q := ref.Params(), res.Net().Params()
			for i := range p {
				if math.Float64bits(p[i]) != math.Float64bits(q[i]) {
					t.Fatalf("%v: parameter %d: %v resumed, %v straight", o, i, q[i], p[i])
				}
			}
			if len(got.Epochs) != 3 || got.Steps != want.Steps || got.Samples != want.Samples {
				t.Fatalf("%v: history %+v; want %+v", o, got, want)
			}
			for k := range want.Epochs {
				a, b := want.Epochs[k], got.Epochs[k]
				if a.RunningLoss != b.RunningLoss || a.TestLoss != b.TestLoss || a.GradNorm != b.GradNorm || a.Clipped != b.Clipped {
					t.Errorf("%v: epoch %d: resumed %v, straight %v", o, k+1, b, a)
				}
			}
		}
	}
	// Resuming on other data is refused.
	n := newNet(t, []int{10, 8, 3}, Sigmoid, 5)
	tt, _ := NewTrainer(n, tr, te, Options{Epochs: 1, LR: 0.1})
	var buf bytes.Buffer
	if err := tt.Checkpoint(&buf); err != nil {
		t.Fatal(err)
	}
	other, _ := blobs(t, 10, 3, 300, 99)
	if _, err := ResumeTrainer(bytes.NewReader(buf.Bytes()), other, te, Options{}); err == nil || !strings.Contains(err.Error(), "other training data") {
		t.Errorf("resume on other data: %v", err)
	}
	b := buf.Bytes()
	b[len(b)/2] ^= 1
	if _, err := ResumeTrainer(bytes.NewReader(b), tr, te, Options{}); err == nil || !strings.Contains(err.Error(), "checksum") {
		t.Errorf("corrupt checkpoint: %v", err)
	}
}

func FuzzCheckpoint(f *testing.F) {
	tr, te := blobs(f, 3, 2, 10, 1)
	n := newNet(f, []int{3, 2, 2}, Tanh, 1)
	tt, _ := NewTrainer(n, tr, te, Options{Epochs: 1, LR: 0.1, Optimizer: Adam})
	var buf bytes.Buffer
	tt.Checkpoint(&buf)
	f.Add(buf.Bytes())
	f.Add([]byte(checkpointMagic + "xxxx"))
	f.Fuzz(func(t *testing.T, b []byte) {
		if _, err := ResumeTrainer(bytes.NewReader(b), tr, te, Options{}); err == nil && !bytes.Equal(b, buf.Bytes()) {
			// Any accepted checkpoint must be usable.
			res, _ := ResumeTrainer(bytes.NewReader(b), tr, te, Options{})
			res.Run(context.Background())
		}
	})
}

// TestDiverge: a learning rate far too large drives the loss to NaN or infinity; the
// run stops with ErrDiverged, its history (the diverged epoch measured) can be written
// as JSON, and nothing panics.
func TestDiverge(t *testing.T) {
	tr, te := blobs(t, 20, 5, 500, 6)
	n := newNet(t, []int{20, 50, 50, 5}, ReLU, 6)
	h, err := Train(context.Background(), n, tr, te, Options{Epochs: 50, Batch: 50, LR: 1e3, Optimizer: Momentum, Seed: 6})
	if !errors.Is(err, ErrDiverged) || h.Diverged == nil {
		t.Fatalf("err %v, history %v", err, h)
	}
	t.Logf("%v (%v)", err, h)
	b, err := json.Marshal(h)
	if err != nil {
		t.Fatalf("json: %v", err)
	}
	if !strings.Contains(string(b), `"diverged":{"epoch":`) || !strings.Contains(string(b), "null") {
		t.Errorf("json %s", b)
	}
	last := h.Last()
	if last.Epoch != h.Diverged.Epoch || !math.IsNaN(last.RunningLoss) && !math.IsInf(last.RunningLoss, 0) {
		t.Errorf("last epoch %v; diverged %+v", last, h.Diverged)
	}
}

// TestStepAllocs: a training step allocates nothing, for every optimizer, with and
// without noise, in both precisions (gonum's gemm runs serially at these sizes; its
// parallel path for large matrices starts goroutines, which allocate).
func TestStepAllocs(t *testing.T) {
	tr, _ := blobs(t, 100, 10, 256, 7)
	idx := make([]int32, 32)
	for i := range idx {
		idx[i] = int32(3 * i)
	}
	for _, o := range []Options{
		{Optimizer: SGD, LR: 0.01},
		{Optimizer: SGD, LR: 0.01, T: 0.01, WeightDecay: 0.1, Clip: 0.1},
		{Optimizer: Momentum, LR: 0.01, T: 0.01},
		{Optimizer: Adam, LR: 0.001, WeightDecay: 0.1},
	} {
		o.Epochs = 1
		o = o.withDefaults()
		for _, act := range []Activation{ReLU, Erf} {
			s32 := newOptim[float32]([]int{100, 25, 10}, act, CrossEntropy, o, 500, rand.New(rand.NewPCG(1, 2)))
			s64 := newOptim[float64]([]int{100, 25, 10}, act, CrossEntropy, o, 500, rand.New(rand.NewPCG(1, 2)))
			if a := testing.AllocsPerRun(20, func() { s32.step(tr, idx, o.LR) }); a != 0 {
				t.Errorf("%v %v float32: %v allocations per step", o, act, a)
			}
			if a := testing.AllocsPerRun(20, func() { s64.step(tr, idx, o.LR) }); a != 0 {
				t.Errorf("%v %v float64: %v allocations per step", o, act, a)
			}
		}
	}
}

// lyapunov solves Σ = A Σ Aᵀ + Q by iteration (A stable).
func lyapunov(a, q *mat.Dense) *mat.Dense {
	n, _ := a.Dims()
	s := mat.NewDense(n, n, nil)
	var tmp, next mat.Dense
	for range 200000 {
		tmp.Mul(a, s)
		next.Mul(&tmp, a.T())
		next.Add(&next, q)
		if mat.EqualApprox(&next, s, 1e-15) {
			break
		}
		s.Copy(&next)
	}
	return s
}

// TestLangevinGaussian: with a quadratic loss (one linear unit, squared loss, the
// whole data set as one batch) SGLD and its momentum form are linear recursions with
// Gaussian noise, whose stationary covariance solves the discrete Lyapunov equation
// Σ = AΣAᵀ + Q exactly. The sampled covariance of (w, b) agrees with it within 4σ
// (σ from binned series). For small η, Σ → T·(H + λ)⁻¹, the Gibbs distribution
// exp(−(L + λ|θ|²/2)/T), which Σ is logged against.
func TestLangevinGaussian(t *testing.T) {
	d, _, err := Blobs(BlobsSpec{D: 1, Classes: 1, N: 20, NTest: 1, Sep: 1, Seed: 8})
	if err != nil {
		t.Fatal(err)
	}
	// H = [[⟨x²⟩, ⟨x⟩], [⟨x⟩, 1]] for L = ½⟨(w x + b − 1)²⟩; θ* solves (H + λ)θ* = (⟨x⟩, 1).
	var mx, mxx float64
	for _, v := range d.X {
		mx += float64(v) / float64(d.N)
		mxx += float64(v) * float64(v) / float64(d.N)
	}
	const lr, T, wd = 0.05, 0.01, 0.1
	h := mat.NewSymDense(2, []float64{mxx + wd, mx, mx, 1 + wd})
	var star mat.VecDense
	if err := star.SolveVec(h, mat.NewVecDense(2, []float64{mx, 1})); err != nil {
		t.Fatal(err)
	}
	var gibbs mat.Dense
	gibbs.Inverse(h)
	gibbs.Scale(T, &gibbs)
	idx := make([]int32, d.N)
	for i := range idx {
		idx[i] = int32(i)
	}
	for _, opt := range []Optimizer{SGD, Momentum} {
		o := Options{Epochs: 1, Batch: d.N, LR: lr, T: T, WeightDecay: wd, Optimizer: opt, Float64: true}.withDefaults()
		var a, q *mat.Dense
		switch opt {
		case SGD: // δθ' = (1 − ηH)δθ + √(2ηT) ξ
			a = mat.NewDense(2, 2, nil)
			a.Scale(-lr, h)
			a.Set(0, 0, 1+a.At(0, 0))
			a.Set(1, 1, 1+a.At(1, 1))
			q = mat.NewDense(2, 2, []float64{2 * lr * T, 0, 0, 2 * lr * T})
		case Momentum: // v' = μv + Hδθ + sξ, δθ' = δθ − η v', s² = 2(1−μ)T/η; state (δθ, v)
			mu := o.Momentum
			s2 := 2 * (1 - mu) * T / lr
			a = mat.NewDense(4, 4, nil)
			for i := range 2 {
				for j := range 2 {
					hij := h.At(i, j)
					a.Set(2+i, j, hij)
					a.Set(i, j, -lr*hij)
				}
				a.Set(i, i, 1+a.At(i, i))
				a.Set(i, 2+i, -lr*mu)
				a.Set(2+i, 2+i, mu)
			}
			q = mat.NewDense(4, 4, nil)
			for i := range 2 {
				q.Set(i, i, lr*lr*s2)
				q.Set(2+i, 2+i, s2)
				q.Set(i, 2+i, -lr*s2)
				q.Set(2+i, i, -lr*s2)
			}
		}
		exact := lyapunov(a, q)
		s := newOptim[float64]([]int{1, 1}, Linear, Squared, o, d.N, rand.New(sampler.NewStream(9, sampler.PurposeChain, int(opt), 0)))
		copy(s.p, []float64{star.AtVec(0), star.AtVec(1)})
		const steps, therm = 400000, 2000
		ww, bb, wb := analysis.NewSeries(1000), analysis.NewSeries(1000), analysis.NewSeries(1000)
		for k := range steps + therm {
			s.step(d, idx, lr)
			if k >= therm {
				dw, db := s.p[0]-star.AtVec(0), s.p[1]-star.AtVec(1)
				ww.Add(dw * dw)
				bb.Add(db * db)
				wb.Add(dw * db)
			}
		}
		for _, c := range []struct {
			name  string
			s     *analysis.Series
			exact float64
			gibbs float64
		}{{"⟨δw²⟩", ww, exact.At(0, 0), gibbs.At(0, 0)}, {"⟨δb²⟩", bb, exact.At(1, 1), gibbs.At(1, 1)}, {"⟨δw δb⟩", wb, exact.At(0, 1), gibbs.At(0, 1)}} {
			e := c.s.Estimate()
			z := (e.Mean - c.exact) / e.Err
			t.Logf("%v: %s = %v, exact %.6g (z = %+.2f), small-η limit T(H+λ)⁻¹ %.6g", opt, c.name, e, c.exact, z, c.gibbs)
			if !(math.Abs(z) < 4) {
				t.Errorf("%v: %s = %v; exact %.6g (z = %.2f)", opt, c.name, e, c.exact, z)
			}
		}
	}
}

// TestBadNets: impossible layer specs and options give errors, not panics.
func TestBadNets(t *testing.T) {
	for _, s := range []string{"", "10", "10,,3", "10,0,3", "784,-1,10", "a,b", "100000,100000,100000", "100000,20000,10", "10,5000000,10"} {
		if _, err := ParseLayers(s); err == nil {
			t.Errorf("ParseLayers(%q) succeeded", s)
		}
	}
	if _, err := ParseLayers("784, 300,100,10"); err != nil {
		t.Error(err)
	}
	err := Options{Epochs: 0, LR: -1, Momentum: 1, T: 1, Optimizer: Adam, Clip: math.NaN()}.Validate()
	for _, want := range []string{"epochs 0", "lr -1", "momentum 1", "clip NaN", "not adam"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Validate: %v; want %q", err, want)
		}
	}
	tr, te := blobs(t, 5, 3, 20, 1)
	n := newNet(t, []int{6, 3}, Tanh, 1)
	if _, err := Train(context.Background(), n, tr, te, Options{Epochs: 1, LR: 0.1}); err == nil || !strings.Contains(err.Error(), "5 inputs") {
		t.Errorf("mismatched inputs: %v", err)
	}
	n = newNet(t, []int{5, 2}, Tanh, 1)
	if _, err := Train(context.Background(), n, tr, te, Options{Epochs: 1, LR: 0.1}); err == nil || !strings.Contains(err.Error(), "3 classes") {
		t.Errorf("too few outputs: %v", err)
	}
	// A minibatch larger than the data trains on the whole set each step.
	n = newNet(t, []int{5, 3}, Tanh, 1)
	if h, err := Train(context.Background(), n, tr, te, Options{Epochs: 2, LR: 0.1, Batch: 1 << 40}); err != nil || h.Steps != 2 {
		t.Errorf("huge batch: %v, %d steps", err, h.Steps)
	}
	if _, err := NewData("x", []float32{1, float32(math.NaN())}, []uint8{0}, 2, 2); err == nil {
		t.Error("NaN input accepted")
	}
	for _, spec := range []string{"blobs:d=2", "blobs:d=x,k=2,n=3", "nope", "mnist:size=40", "mnist:foo=1", "blobs:d=2,d=3,k=2,n=4"} {
		if _, _, err := ParseData(spec, t.TempDir()); err == nil {
			t.Errorf("ParseData(%q) succeeded", spec)
		}
	}
}

func TestSaveLoad(t *testing.T) {
	n := newNet(t, []int{7, 5, 3}, Erf, 11)
	for _, f64 := range []bool{false, true} {
		dir := t.TempDir()
		if err := Save(dir, n, f64, map[string]string{"data": "x"}); err != nil {
			t.Fatal(err)
		}
		m, err := Load(dir)
		if err != nil {
			t.Fatal(err)
		}
		if m.String() != n.String() {
			t.Errorf("loaded %v; saved %v", m, n)
		}
		for i, v := range n.Params() {
			want := v
			if !f64 {
				want = float64(float32(v))
			}
			if m.Params()[i] != want {
				t.Fatalf("float64=%v: parameter %d = %v; want %v", f64, i, m.Params()[i], want)
			}
		}
	}
}

func FuzzReadNPY(f *testing.F) {
	var b bytes.Buffer
	WriteNPY(&b, []float64{1, 2, 3, 4, 5, 6}, []int{2, 3}, false)
	f.Add(b.Bytes())
	b.Reset()
	WriteNPY(&b, []float64{1, 2}, []int{2}, true)
	f.Add(b.Bytes())
	f.Fuzz(func(t *testing.T, data []byte) {
		x, shape, err := ReadNPY(bytes.NewReader(data))
		if err != nil {
			return
		}
		n := 1
		for _, d := range shape {
			n *= d
		}
		if n != len(x) || 4*n > len(data) {
			t.Fatalf("shape %v with %d values from %d bytes", shape, len(x), len(data))
		}
	})
}
