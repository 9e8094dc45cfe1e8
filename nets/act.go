package nets

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Activation is the nonlinearity of the hidden layers (the output layer is linear).
type Activation int

// The activations: φ(z) and, for backpropagation, φ'(z).
const (
	ReLU    Activation = iota // max(z, 0); φ'(0) = 0 as in PyTorch
	Tanh                      // tanh z
	Sigmoid                   // 1/(1 + e^{−z})
	Erf                       // erf z (the error function; mean-field theory's favourite)
	Linear                    // z
)

var actNames = []string{"relu", "tanh", "sigmoid", "erf", "linear"}

// String returns the name ParseActivation accepts.
func (a Activation) String() string {
	if a >= 0 && int(a) < len(actNames) {
		return actNames[a]
	}
	return fmt.Sprintf("activation(%d)", int(a))
}

// ParseActivation parses relu, tanh, sigmoid, erf or linear.
func ParseActivation(s string) (Activation, error) {
	for i, n := range actNames {
		if strings.EqualFold(s, n) {
			return Activation(i), nil
		}
	}
	return 0, fmt.Errorf("activation %q: want one of %s", s, strings.Join(actNames, ", "))
}

func (a Activation) valid() bool { return a >= ReLU && a <= Linear }

// Loss is the training objective, averaged over the samples of a batch.
type Loss int

// The losses. Both take the net's linear outputs z (one per class) and the label y.
const (
	// CrossEntropy is −ln softmax(z)_y (PyTorch's CrossEntropyLoss).
	CrossEntropy Loss = iota
	// Squared is ½ Σ_k (z_k − t_k)² with t the one-hot encoding of y.
	Squared
)

// String returns the name ParseLoss accepts.
func (l Loss) String() string {
	switch l {
	case CrossEntropy:
		return "xent"
	case Squared:
		return "mse"
	}
	return fmt.Sprintf("loss(%d)", int(l))
}

// ParseLoss parses xent (softmax cross-entropy; also "ce", "cross-entropy") or mse
// (squared loss; also "squared").
func ParseLoss(s string) (Loss, error) {
	switch strings.ToLower(s) {
	case "xent", "ce", "cross-entropy", "crossentropy":
		return CrossEntropy, nil
	case "mse", "squared", "square":
		return Squared, nil
	}
	return 0, fmt.Errorf("loss %q: want xent (softmax cross-entropy) or mse (squared)", s)
}

// InitKind names a weight initialization.
type InitKind int

// The initializations; biases start at zero except for Gaussian.
const (
	// Glorot draws W uniformly from ±√(6/(fan_in + fan_out)) (Glorot & Bengio 2010;
	// PyTorch's xavier_uniform_).
	Glorot InitKind = iota
	// He draws W from N(0, 2/fan_in) (He et al. 2015; kaiming_normal_ for ReLU).
	He
	// Gaussian draws W from N(0, σ_w²/fan_in) and b from N(0, σ_b²), the
	// parametrization of mean-field theory (Poole et al. 2016; Schoenholz et al. 2017).
	Gaussian
)

// String returns glorot, he or gaussian.
func (k InitKind) String() string {
	switch k {
	case Glorot:
		return "glorot"
	case He:
		return "he"
	case Gaussian:
		return "gaussian"
	}
	return fmt.Sprintf("init(%d)", int(k))
}

// Init is an initialization: a kind, and σ_w², σ_b² for Gaussian.
type Init struct {
	Kind             InitKind
	SigmaW2, SigmaB2 float64
}

// String returns the form ParseInit accepts.
func (in Init) String() string {
	switch in.Kind {
	case Glorot, He:
		return in.Kind.String()
	case Gaussian:
		return fmt.Sprintf("gaussian:sw2=%g,sb2=%g", in.SigmaW2, in.SigmaB2)
	}
	return in.Kind.String()
}

// ParseInit parses glorot, he, or gaussian:sw2=S,sb2=B (σ_w² and σ_b²; gaussian
// alone means σ_w² = 1, σ_b² = 0).
func ParseInit(s string) (Init, error) {
	name, args, _ := strings.Cut(strings.ToLower(s), ":")
	switch name {
	case "glorot", "xavier":
		if args == "" {
			return Init{Kind: Glorot}, nil
		}
	case "he", "kaiming":
		if args == "" {
			return Init{Kind: He}, nil
		}
	case "gaussian", "gauss":
		in := Init{Kind: Gaussian, SigmaW2: 1}
		if args == "" {
			return in, nil
		}
		for _, kv := range strings.Split(args, ",") {
			k, v, ok := strings.Cut(strings.TrimSpace(kv), "=")
			x, err := strconv.ParseFloat(v, 64)
			if !ok || err != nil || !(x >= 0) || math.IsInf(x, 0) {
				return in, fmt.Errorf("init %q: %q: want sw2=VALUE or sb2=VALUE with a finite value ≥ 0", s, kv)
			}
			switch k {
			case "sw2":
				in.SigmaW2 = x
			case "sb2":
				in.SigmaB2 = x
			default:
				return in, fmt.Errorf("init %q: unknown key %q (want sw2, sb2)", s, k)
			}
		}
		return in, nil
	}
	return Init{}, fmt.Errorf("init %q: want glorot, he or gaussian[:sw2=S,sb2=B]", s)
}

// DefaultInit returns He for ReLU and Glorot for the other activations.
func DefaultInit(a Activation) Init {
	if a == ReLU {
		return Init{Kind: He}
	}
	return Init{Kind: Glorot}
}

// activate sets a = φ(z) elementwise.
func activate[T float](act Activation, a, z []T) {
	a = a[:len(z)]
	switch act {
	case ReLU:
		switch a := any(a).(type) {
		case []float32:
			relu32(a, any(z).([]float32))
		case []float64:
			relu64(a, any(z).([]float64))
		}
	case Tanh:
		for i, v := range z {
			a[i] = T(math.Tanh(float64(v)))
		}
	case Sigmoid:
		for i, v := range z {
			a[i] = T(1 / (1 + math.Exp(-float64(v))))
		}
	case Erf:
		for i, v := range z {
			a[i] = T(math.Erf(float64(v)))
		}
	case Linear:
		copy(a, z)
	default:
		panic("nets: unknown activation")
	}
}

// backAct multiplies d by φ'(z) elementwise, where a = φ(z).
func backAct[T float](act Activation, d, z, a []T) {
	z, a = z[:len(d)], a[:len(d)]
	switch act {
	case ReLU:
		switch d := any(d).(type) {
		case []float32:
			reluBack32(d, any(z).([]float32))
		case []float64:
			reluBack64(d, any(z).([]float64))
		}
	case Tanh:
		for i, v := range a {
			d[i] *= 1 - v*v
		}
	case Sigmoid:
		for i, v := range a {
			d[i] *= v * (1 - v)
		}
	case Erf:
		for i, v := range z {
			x := float64(v)
			d[i] *= T(2 / math.SqrtPi * math.Exp(-x*x))
		}
	case Linear:
	default:
		panic("nets: unknown activation")
	}
}

// The ReLU kernels are branch-free (the signs of pre-activations are random, and a
// mispredicted branch per element cost more than the matrix products of small nets):
// pos32(b) is all ones if the float with bits b is > 0 (not −0, not a negative NaN),
// else 0, because −b and ^b both have the sign bit set only for b > 0.

func pos32(b uint32) uint32 { return uint32(int32(-b&^b) >> 31) }
func pos64(b uint64) uint64 { return uint64(int64(-b&^b) >> 63) }

// relu32 sets a = max(z, 0).
func relu32(a, z []float32) {
	a = a[:len(z)]
	for i, v := range z {
		b := math.Float32bits(v)
		a[i] = math.Float32frombits(b & pos32(b))
	}
}

func relu64(a, z []float64) {
	a = a[:len(z)]
	for i, v := range z {
		b := math.Float64bits(v)
		a[i] = math.Float64frombits(b & pos64(b))
	}
}

// reluBack32 zeroes d where z ≤ 0.
func reluBack32(d, z []float32) {
	z = z[:len(d)]
	for i, v := range z {
		d[i] = math.Float32frombits(math.Float32bits(d[i]) & pos32(math.Float32bits(v)))
	}
}

func reluBack64(d, z []float64) {
	z = z[:len(d)]
	for i, v := range z {
		d[i] = math.Float64frombits(math.Float64bits(d[i]) & pos64(math.Float64bits(v)))
	}
}
