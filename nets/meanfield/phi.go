package meanfield

import (
	"errors"
	"fmt"
	"math"
	"strings"
)

// Phi is a nonlinearity φ: plain functions, so that a Go func (compiled, or defined
// in a notebook cell and run by the interpreter) can be used directly.
type Phi struct {
	// Name labels the nonlinearity in tables and summaries.
	Name string
	// F is φ itself. It must be defined (finite) on the whole real line.
	F func(x float64) float64
	// D is φ′. If nil, Deriv differentiates F numerically.
	D func(x float64) float64
	// Kinks are the points where φ or φ′ is not smooth (ReLU: 0; hard tanh: ±1).
	// The quadrature puts breakpoints there, and the numerical derivative does not
	// straddle them. Smooth nonlinearities leave it empty.
	Kinks []float64
}

// String returns the name and whether the derivative is analytic or numerical.
func (p Phi) String() string {
	name := p.Name
	if name == "" {
		name = "φ"
	}
	d := "φ′ given"
	if p.D == nil {
		d = "φ′ numerical"
	}
	if len(p.Kinks) > 0 {
		return fmt.Sprintf("%s (%s, kinks at %v)", name, d, p.Kinks)
	}
	return fmt.Sprintf("%s (%s)", name, d)
}

// Validate reports a missing F or non-finite values of φ and φ′ at a few points.
func (p Phi) Validate() error {
	if p.F == nil {
		return fmt.Errorf("nonlinearity %q has no function F", p.Name)
	}
	var errs []error
	for _, k := range p.Kinks {
		if math.IsNaN(k) || math.IsInf(k, 0) {
			errs = append(errs, fmt.Errorf("nonlinearity %q: kink %v is not finite", p.Name, k))
		}
	}
	for _, x := range []float64{-3, -1, -0.5, 0, 0.5, 1, 3} {
		if v := p.F(x); math.IsNaN(v) || math.IsInf(v, 0) {
			errs = append(errs, fmt.Errorf("nonlinearity %q: φ(%g) = %v", p.Name, x, v))
		}
		if v := p.Deriv(x); math.IsNaN(v) || math.IsInf(v, 0) {
			errs = append(errs, fmt.Errorf("nonlinearity %q: φ′(%g) = %v", p.Name, x, v))
		}
	}
	return errors.Join(errs...)
}

// Deriv returns φ′(x): D(x) if D is set, otherwise a finite difference of F. Away
// from kinks it is the fourth-order central stencil with step h = 1e-3·max(1, |x|)
// (error ≈ h⁴φ⁽⁵⁾/30 + 1e-13); within 2h of a kink it is the second-order one-sided
// stencil on x's side of the kink, with a step small enough not to cross it.
func (p Phi) Deriv(x float64) float64 {
	if p.D != nil {
		return p.D(x)
	}
	f := p.F
	h := 1e-3 * math.Max(1, math.Abs(x))
	// Distances to the nearest kink at or left of x, and strictly right of x.
	dl, dr := math.Inf(1), math.Inf(1)
	for _, k := range p.Kinks {
		if k <= x {
			dl = math.Min(dl, x-k)
		} else {
			dr = math.Min(dr, k-x)
		}
	}
	if math.Min(dl, dr) >= 2*h {
		return (f(x-2*h) - 8*f(x-h) + 8*f(x+h) - f(x+2*h)) / (12 * h)
	}
	// One-sided, away from the nearer kink (at a kink: the right derivative), with a
	// step that does not reach the kink on the other side.
	hs := 6e-6 * math.Max(1, math.Abs(x))
	if dr < dl {
		hs = math.Min(hs, dl/2.5)
		return (3*f(x) - 4*f(x-hs) + f(x-2*hs)) / (2 * hs)
	}
	hs = math.Min(hs, dr/2.5)
	return (-3*f(x) + 4*f(x+hs) - f(x+2*hs)) / (2 * hs)
}

// Tanh returns φ = tanh, φ′ = sech² (computed as 1/cosh², accurate to the last bit
// far out where 1 − tanh² cancels).
func Tanh() Phi {
	return Phi{Name: "tanh", F: math.Tanh, D: func(x float64) float64 {
		c := math.Cosh(x)
		return 1 / (c * c)
	}}
}

// Erf returns φ = erf(x), φ′ = (2/√π) e^{−x²}. Its Gaussian kernel is known in
// closed form (an arcsine; docs/references/chaos.md §3).
func Erf() Phi {
	return Phi{Name: "erf", F: math.Erf, D: func(x float64) float64 {
		return 2 / math.SqrtPi * math.Exp(-x*x)
	}}
}

// ReLU returns φ = max(0, x), φ′ = 1 for x > 0 and 0 otherwise, kink at 0.
func ReLU() Phi {
	return Phi{Name: "relu", F: func(x float64) float64 { return math.Max(0, x) }, D: func(x float64) float64 {
		if x > 0 {
			return 1
		}
		return 0
	}, Kinks: []float64{0}}
}

// HardTanh returns φ = max(−1, min(1, x)), φ′ = 1 for |x| < 1 and 0 otherwise,
// kinks at ±1.
func HardTanh() Phi {
	return Phi{Name: "hardtanh", F: func(x float64) float64 { return math.Max(-1, math.Min(1, x)) }, D: func(x float64) float64 {
		if math.Abs(x) < 1 {
			return 1
		}
		return 0
	}, Kinks: []float64{-1, 1}}
}

// Sigmoid returns the logistic function φ = 1/(1 + e^{−x}), φ′ = φ(1 − φ) (computed as
// e^{−|x|}/(1 + e^{−|x|})², without cancellation).
func Sigmoid() Phi {
	s := func(x float64) float64 { return 1 / (1 + math.Exp(-x)) }
	return Phi{Name: "sigmoid", F: s, D: func(x float64) float64 {
		e := math.Exp(-math.Abs(x))
		return e / ((1 + e) * (1 + e))
	}}
}

// Linear returns φ = x, φ′ = 1.
func Linear() Phi {
	return Phi{Name: "linear", F: func(x float64) float64 { return x }, D: func(float64) float64 { return 1 }}
}

// PhiNames lists the built-in nonlinearities that PhiByName knows.
func PhiNames() []string { return []string{"tanh", "erf", "relu", "hardtanh", "sigmoid", "linear"} }

// PhiByName returns the built-in nonlinearity called name (case-insensitive; see
// PhiNames).
func PhiByName(name string) (Phi, error) {
	switch strings.ToLower(strings.TrimSpace(name)) {
	case "tanh":
		return Tanh(), nil
	case "erf":
		return Erf(), nil
	case "relu":
		return ReLU(), nil
	case "hardtanh", "hard-tanh", "htanh":
		return HardTanh(), nil
	case "sigmoid", "logistic":
		return Sigmoid(), nil
	case "linear", "identity":
		return Linear(), nil
	}
	return Phi{}, fmt.Errorf("unknown nonlinearity %q (want one of %s)", name, strings.Join(PhiNames(), ", "))
}
