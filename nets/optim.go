package nets

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
)

// Optimizer is the update rule of training.
type Optimizer int

// The optimizers, each as PyTorch 1.13 implements it (torch.optim.SGD, Adam), with
// d = g + λθ the gradient g of the minibatch loss plus weight decay λ:
const (
	// SGD: θ ← θ − η d.
	SGD Optimizer = iota
	// Momentum (heavy ball): v ← μ v + d, θ ← θ − η v (v = 0 before the first step).
	Momentum
	// Adam (Kingma & Ba 2015): m ← β₁m + (1−β₁)d, v ← β₂v + (1−β₂)d²,
	// θ ← θ − (η/(1−β₁ᵗ)) m / (√v/√(1−β₂ᵗ) + ε).
	Adam
)

var optNames = []string{"sgd", "momentum", "adam"}

// String returns the name ParseOptimizer accepts.
func (o Optimizer) String() string {
	if o >= 0 && int(o) < len(optNames) {
		return optNames[o]
	}
	return fmt.Sprintf("optimizer(%d)", int(o))
}

// ParseOptimizer parses sgd, momentum or adam.
func ParseOptimizer(s string) (Optimizer, error) {
	for i, n := range optNames {
		if strings.EqualFold(s, n) {
			return Optimizer(i), nil
		}
	}
	return 0, fmt.Errorf("optimizer %q: want sgd, momentum or adam", s)
}

// optim is an engine with an optimizer's state: one training step at a time.
type optim[T float] struct {
	*engine[T]
	o     Options
	v, m  []T // momentum buffer or Adam's second moment; Adam's first moment
	t     int // Adam's step count
	noise *rand.Rand
}

// trainCore is an optim of either precision.
type trainCore interface {
	step(d *Data, idx []int32, lr float64) (loss, gnorm float64, clipped bool)
	evaluate(d *Data) (loss, acc float64)
	setParams(p []float64)
	getParams(p []float64)
	optState() (v, m []float64, t int)
	setOptState(v, m []float64, t int)
	weightNorms(dst []float64)
}

// newOptim returns an optim whose buffers hold batches of up to rows samples (the
// minibatches of o and the batches of evaluations, but no more than the data hold).
func newOptim[T float](sizes []int, act Activation, loss Loss, o Options, rows int, noise *rand.Rand) *optim[T] {
	s := &optim[T]{engine: newEngine[T](sizes, act, loss, rows), o: o, noise: noise}
	n := len(s.p)
	switch o.Optimizer {
	case Momentum:
		s.v = make([]T, n)
	case Adam:
		s.v, s.m = make([]T, n), make([]T, n)
	}
	return s
}

// step trains on the rows idx of d with learning rate lr: forward, backward,
// clipping, update and Langevin noise. It returns the minibatch loss, the norm of its gradient (before clipping,
// without weight decay) and whether the gradient was clipped. A non-finite loss
// leaves the parameters unchanged.
func (s *optim[T]) step(d *Data, idx []int32, eta float64) (loss, gnorm float64, clipped bool) {
	nb := s.load(d, idx)
	s.forward(nb)
	loss, _ = s.lossGrad(nb, true)
	if math.IsNaN(loss) || math.IsInf(loss, 0) {
		return loss, math.NaN(), false
	}
	s.backward(nb)
	p := s.p
	g := s.g[:len(p)]
	sq := 0.0
	for _, x := range g {
		sq += float64(x) * float64(x)
	}
	gnorm = math.Sqrt(sq)
	if s.o.Clip > 0 {
		// torch.nn.utils.clip_grad_norm_: scale by max_norm/(‖g‖ + 1e-6) when below 1.
		if c := s.o.Clip / (gnorm + 1e-6); c < 1 {
			ct := T(c)
			for i := range g {
				g[i] *= ct
			}
			clipped = true
		}
	}
	lr, wd := T(eta), T(s.o.WeightDecay)
	switch s.o.Optimizer {
	case SGD:
		if s.o.T > 0 {
			// Langevin: the noise of variance 2ηT per step makes exp(−(L + λ|θ|²/2)/T)
			// stationary for small η.
			sigma := math.Sqrt(2 * eta * s.o.T)
			for i := range p {
				p[i] -= lr*(g[i]+wd*p[i]) + T(sigma*s.noise.NormFloat64())
			}
		} else if wd != 0 {
			for i := range p {
				p[i] -= lr * (g[i] + wd*p[i])
			}
		} else {
			for i := range p {
				p[i] -= lr * g[i]
			}
		}
	case Momentum:
		mu := T(s.o.Momentum)
		v := s.v[:len(p)]
		// Stochastic-gradient Hamiltonian Monte Carlo (Chen, Fox & Guestrin 2014) in
		// PyTorch's velocity form: noise of variance 2(1−μ)T/η in v.
		sigma := 0.0
		if s.o.T > 0 {
			sigma = math.Sqrt(2 * (1 - s.o.Momentum) * s.o.T / eta)
		}
		for i := range p {
			di := g[i] + wd*p[i]
			if sigma > 0 {
				di += T(sigma * s.noise.NormFloat64())
			}
			v[i] = mu*v[i] + di
			p[i] -= lr * v[i]
		}
	case Adam:
		s.t++
		b1, b2 := s.o.Beta1, s.o.Beta2
		bc1 := 1 - math.Pow(b1, float64(s.t))
		bc2 := math.Sqrt(1 - math.Pow(b2, float64(s.t)))
		stepSize := T(eta / bc1)
		tb1, tb2, eps, bc2t := T(b1), T(b2), T(s.o.Eps), T(bc2)
		m, v := s.m[:len(p)], s.v[:len(p)]
		for i := range p {
			di := g[i] + wd*p[i]
			m[i] = tb1*m[i] + (1-tb1)*di
			v[i] = tb2*v[i] + (1-tb2)*di*di
			denom := T(math.Sqrt(float64(v[i])))/bc2t + eps
			p[i] -= stepSize * m[i] / denom
		}
	}
	return loss, gnorm, clipped
}

func (s *optim[T]) optState() (v, m []float64, t int) {
	return toFloat64(s.v), toFloat64(s.m), s.t
}

func (s *optim[T]) setOptState(v, m []float64, t int) {
	for i, x := range v {
		s.v[i] = T(x)
	}
	for i, x := range m {
		s.m[i] = T(x)
	}
	s.t = t
}

func (s *optim[T]) weightNorms(dst []float64) {
	for l, w := range s.w {
		sq := 0.0
		for _, x := range w {
			sq += float64(x) * float64(x)
		}
		dst[l] = math.Sqrt(sq)
	}
}

func toFloat64[T float](x []T) []float64 {
	if x == nil {
		return nil
	}
	out := make([]float64, len(x))
	for i, v := range x {
		out[i] = float64(v)
	}
	return out
}
