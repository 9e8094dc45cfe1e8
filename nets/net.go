package nets

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/deepglass/deepglass/sampler"
)

// MaxParams bounds the number of parameters of a net (2²⁸: 1 GiB in float32, 2 GiB
// for the float64 copy of Net), and MaxWidth the width of a layer.
const (
	MaxParams = 1 << 28
	MaxWidth  = 1 << 22
)

// Net is a fully connected feed-forward network (a multilayer perceptron): layer l
// maps a_l ∈ ℝ^{Sizes[l]} to z_{l+1} = W_l a_l + b_l, and a_{l+1} = φ(z_{l+1}) on
// the hidden layers; the last layer's z are the outputs (logits), which the loss
// reads. W[l] is Sizes[l+1]×Sizes[l], row-major (the layout of PyTorch's
// nn.Linear.weight); B[l] has Sizes[l+1] entries.
//
// The parameters live in one float64 array, W₀, b₀, W₁, b₁, … (see [Net.Params]); W and
// B are views of it, so write into them but do not reslice or replace them. Training
// ([Train]) runs in float32 by default and writes its parameters back here.
type Net struct {
	Sizes []int
	Act   Activation
	Loss  Loss
	W, B  [][]float64
	p     []float64
}

// ParseLayers parses widths such as "784,300,100,10": at least an input and an output
// layer, every width from 1 to [MaxWidth], at most [MaxParams] parameters in all.
func ParseLayers(s string) ([]int, error) {
	fields := strings.Split(s, ",")
	sizes := make([]int, 0, len(fields))
	for _, f := range fields {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil {
			return nil, fmt.Errorf("layers %q: %q is not a width", s, f)
		}
		sizes = append(sizes, n)
	}
	if err := checkSizes(sizes); err != nil {
		return nil, fmt.Errorf("layers %q: %w", s, err)
	}
	return sizes, nil
}

func checkSizes(sizes []int) error {
	if len(sizes) < 2 {
		return fmt.Errorf("%d layer(s): want at least 2 widths (input, output)", len(sizes))
	}
	total := 0
	for l, n := range sizes {
		if n < 1 || n > MaxWidth {
			return fmt.Errorf("layer %d has width %d: want 1 to %d", l, n, MaxWidth)
		}
		if l > 0 {
			total += sizes[l-1]*n + n
			if sizes[l-1] > MaxParams/n || total > MaxParams {
				return fmt.Errorf("more than %d parameters", MaxParams)
			}
		}
	}
	return nil
}

// NewNet returns a net with the given widths, hidden activation and loss, all
// parameters zero (see [Net.Initialize]). It returns an error for impossible widths.
func NewNet(sizes []int, act Activation, loss Loss) (*Net, error) {
	if err := checkSizes(sizes); err != nil {
		return nil, fmt.Errorf("nets: %w", err)
	}
	if !act.valid() {
		return nil, fmt.Errorf("nets: unknown activation %d", int(act))
	}
	if loss != CrossEntropy && loss != Squared {
		return nil, fmt.Errorf("nets: unknown loss %d", int(loss))
	}
	n := &Net{Sizes: append([]int(nil), sizes...), Act: act, Loss: loss}
	n.p = make([]float64, numParams(sizes))
	n.views()
	return n, nil
}

// views points W and B into p.
func (n *Net) views() {
	L := len(n.Sizes) - 1
	n.W, n.B = make([][]float64, L), make([][]float64, L)
	off := 0
	for l := range L {
		in, out := n.Sizes[l], n.Sizes[l+1]
		n.W[l] = n.p[off : off+in*out : off+in*out]
		off += in * out
		n.B[l] = n.p[off : off+out : off+out]
		off += out
	}
}

// Params returns all parameters as one slice, W₀ (row-major), b₀, W₁, b₁, …: the
// storage itself, not a copy.
func (n *Net) Params() []float64 { return n.p }

// NumParams returns the number of weights and biases.
func (n *Net) NumParams() int { return len(n.p) }

// Layers returns the widths as "784-300-100-10".
func (n *Net) Layers() string {
	s := make([]string, len(n.Sizes))
	for i, w := range n.Sizes {
		s[i] = strconv.Itoa(w)
	}
	return strings.Join(s, "-")
}

// String describes the net, e.g. "MLP 784-300-100-10 relu xent (266610 parameters)".
func (n *Net) String() string {
	return fmt.Sprintf("MLP %s %v %v (%d parameters)", n.Layers(), n.Act, n.Loss, len(n.p))
}

// Clone returns a deep copy.
func (n *Net) Clone() *Net {
	c := &Net{Sizes: append([]int(nil), n.Sizes...), Act: n.Act, Loss: n.Loss, p: append([]float64(nil), n.p...)}
	c.views()
	return c
}

// Initialize draws the parameters from init with the stream
// NewStream(seed, PurposeDisorder, 0, 0): layer by layer, the weights row by row,
// then the biases.
func (n *Net) Initialize(init Init, seed uint64) {
	rng := rand.New(sampler.NewStream(seed, sampler.PurposeDisorder, 0, 0))
	for l, w := range n.W {
		in, out := float64(n.Sizes[l]), float64(n.Sizes[l+1])
		switch init.Kind {
		case Glorot:
			a := math.Sqrt(6 / (in + out))
			for i := range w {
				w[i] = a * (2*rng.Float64() - 1)
			}
			clear(n.B[l])
		case He:
			s := math.Sqrt(2 / in)
			for i := range w {
				w[i] = s * rng.NormFloat64()
			}
			clear(n.B[l])
		case Gaussian:
			s := math.Sqrt(init.SigmaW2 / in)
			for i := range w {
				w[i] = s * rng.NormFloat64()
			}
			sb := math.Sqrt(init.SigmaB2)
			for i := range n.B[l] {
				n.B[l][i] = sb * rng.NormFloat64()
			}
		default:
			panic(fmt.Sprintf("nets: unknown init kind %d", int(init.Kind)))
		}
	}
}

// Interpolate sets n to (1−α)·a + α·b, parameter by parameter; the three nets must
// have the same widths.
func (n *Net) Interpolate(a, b *Net, alpha float64) {
	if len(a.p) != len(n.p) || len(b.p) != len(n.p) {
		panic("nets: Interpolate between nets of different sizes")
	}
	for i := range n.p {
		n.p[i] = (1-alpha)*a.p[i] + alpha*b.p[i]
	}
}

// Gradient computes, in float64, the mean loss of the net on the samples rows of d
// (all samples if rows is nil) and its gradient with respect to every parameter, in
// the layout of [Net.Params]; grad must have NumParams entries. This is the reference
// computation that finite differences and PyTorch are checked against.
func (n *Net) Gradient(grad []float64, d *Data, rows []int) (float64, error) {
	if len(grad) != len(n.p) {
		panic("nets: Gradient: len(grad) != NumParams")
	}
	if err := n.compatible(d); err != nil {
		return 0, err
	}
	idx := make([]int32, 0, d.N)
	if rows == nil {
		for i := range d.N {
			idx = append(idx, int32(i))
		}
	} else {
		for _, r := range rows {
			if r < 0 || r >= d.N {
				return 0, fmt.Errorf("nets: Gradient: row %d outside 0…%d", r, d.N-1)
			}
			idx = append(idx, int32(r))
		}
	}
	if len(idx) == 0 {
		return 0, errors.New("nets: Gradient: no rows")
	}
	e := newEngine[float64](n.Sizes, n.Act, n.Loss, len(idx))
	copy(e.p, n.p)
	nb := e.load(d, idx)
	e.forward(nb)
	loss, _ := e.lossGrad(nb, true)
	e.backward(nb)
	copy(grad, e.g)
	return loss, nil
}

// Metrics are the mean loss and the accuracy (fraction classified correctly) of a net
// on a data set.
type Metrics struct {
	Loss     float64 `json:"loss"`
	Accuracy float64 `json:"accuracy"`
}

// String returns "loss 0.0712 accuracy 0.9801".
func (m Metrics) String() string { return fmt.Sprintf("loss %.4g accuracy %.4f", m.Loss, m.Accuracy) }

// Evaluate returns the mean loss and the accuracy of the net on d, computed in float32
// as in training (Evaluate64 computes in float64).
func (n *Net) Evaluate(d *Data) (Metrics, error) { return evaluate[float32](n, d) }

// Evaluate64 is Evaluate in float64.
func (n *Net) Evaluate64(d *Data) (Metrics, error) { return evaluate[float64](n, d) }

func evaluate[T float](n *Net, d *Data) (Metrics, error) {
	if err := n.compatible(d); err != nil {
		return Metrics{}, err
	}
	e := newEngine[T](n.Sizes, n.Act, n.Loss, min(d.N, evalBatch))
	e.setParams(n.p)
	l, a := e.evaluate(d)
	return Metrics{l, a}, nil
}

// evalBatch is the batch size of evaluations.
const evalBatch = 500

// Predict returns the outputs (logits) of the net for one input x.
func (n *Net) Predict(x []float64) []float64 {
	if len(x) != n.Sizes[0] {
		panic(fmt.Sprintf("nets: Predict: %d inputs, want %d", len(x), n.Sizes[0]))
	}
	e := newEngine[float64](n.Sizes, n.Act, n.Loss, 1)
	copy(e.p, n.p)
	copy(e.x, x)
	e.forward(1)
	return append([]float64(nil), e.z[len(e.z)-1]...)
}

// compatible checks that d fits the net's input and output widths.
func (n *Net) compatible(d *Data) error {
	if d.D != n.Sizes[0] {
		return fmt.Errorf("nets: data %s have %d inputs, the net %s wants %d", d.Name, d.D, n.Layers(), n.Sizes[0])
	}
	if d.Classes > n.Sizes[len(n.Sizes)-1] {
		return fmt.Errorf("nets: data %s have %d classes, the net %s has %d outputs", d.Name, d.Classes, n.Layers(), n.Sizes[len(n.Sizes)-1])
	}
	return nil
}

// WeightNorms returns the Frobenius norm of each layer's weight matrix.
func (n *Net) WeightNorms() []float64 {
	out := make([]float64, len(n.W))
	for l, w := range n.W {
		out[l] = norm64(w)
	}
	return out
}

func norm64(x []float64) float64 {
	s := 0.0
	for _, v := range x {
		s += v * v
	}
	return math.Sqrt(s)
}
