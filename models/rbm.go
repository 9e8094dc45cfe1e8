package models

import (
	"encoding/json"
	"fmt"
	"math"
	"math/bits"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
)

// RBM is a Bernoulli–Bernoulli restricted Boltzmann machine with NV visible and NH
// hidden units. Units take the values 0 and 1 (not ±1 like the spins of [Model]); they
// are passed as []float64 holding 0 or 1, so they feed matrix products directly. For
// ±1 units, [SpinRBM] builds the equivalent {0,1} machine. The
// energy of a joint configuration is
//
//	E(v, h) = -aᵀv - bᵀh - vᵀWh,
//
// with W the NV×NH weight matrix, A the visible and B the hidden biases, and
// p(v, h) = e^{-E(v,h)}/Z. Summing out the hidden units gives the free energy
//
//	F(v) = -aᵀv - Σ_j softplus(b_j + (Wᵀv)_j),  p(v) = e^{-F(v)}/Z,
//
// where softplus(x) = ln(1 + eˣ).
//
// Methods do not modify the receiver, so one RBM can be shared by concurrently running
// chains as long as nobody trains it at the same time. Training code may change W, A
// and B in place but must keep their shapes.
type RBM struct {
	W *mat.Dense // NV×NH weights; W.At(i, j) couples visible i to hidden j
	A []float64  // visible biases, length NV
	B []float64  // hidden biases, length NH
}

// MaxExactRBM is the largest size of the smaller layer for which [RBM.LogZ] enumerates.
const MaxExactRBM = MaxExactN

// NewRBM returns an RBM with nv visible and nh hidden units and all weights and biases
// zero. It panics if nv < 1 or nh < 1.
func NewRBM(nv, nh int) *RBM {
	if nv < 1 || nh < 1 {
		panic(fmt.Sprintf("models: NewRBM needs nv, nh ≥ 1, have %d, %d", nv, nh))
	}
	return &RBM{W: mat.NewDense(nv, nh, nil), A: make([]float64, nv), B: make([]float64, nh)}
}

// RandomRBM returns an RBM with weights drawn independently from N(0, sigma²), in
// row-major order (visible index outer), and zero biases. It panics if nv < 1, nh < 1,
// sigma is negative or not finite, or rng is nil.
func RandomRBM(nv, nh int, sigma float64, rng *rand.Rand) *RBM {
	if !(sigma >= 0) || math.IsInf(sigma, 0) {
		panic(fmt.Sprintf("models: RandomRBM needs a finite sigma ≥ 0, have %v", sigma))
	}
	if rng == nil {
		panic("models: RandomRBM with nil rng")
	}
	r := NewRBM(nv, nh)
	w := r.W.RawMatrix().Data
	for k := range w {
		w[k] = sigma * rng.NormFloat64()
	}
	return r
}

// SpinRBM converts an RBM with ±1 units, energy
//
//	E_±(s, t) = -aᵀs - bᵀt - sᵀWt,  s ∈ {-1,+1}^nv, t ∈ {-1,+1}^nh,
//
// with w of shape len(a)×len(b), into the equivalent {0,1} RBM over u = (s+1)/2 and
// g = (t+1)/2: W' = 4W, a' = 2a - 2W·1, b' = 2b - 2Wᵀ1, and E_±(s, t) = E'(u, g) +
// shift with shift = Σa + Σb - 1ᵀW1. Everything else then applies to ±1 units through
// the returned RBM: ln Z_± = ln Z' - shift, F_±(s) = F'(u) + shift, and samplers of r
// give samples of u. It panics if the shapes do not match.
func SpinRBM(w *mat.Dense, a, b []float64) (r *RBM, shift float64) {
	nv, nh := w.Dims()
	if len(a) != nv || len(b) != nh {
		panic(fmt.Sprintf("models: SpinRBM: W is %d×%d but len(a)=%d, len(b)=%d", nv, nh, len(a), len(b)))
	}
	r = NewRBM(nv, nh)
	for i := range nv {
		r.A[i] = 2 * a[i]
		shift += a[i]
	}
	for j := range nh {
		r.B[j] = 2 * b[j]
		shift += b[j]
	}
	for i := range nv {
		for j := range nh {
			wij := w.At(i, j)
			r.W.Set(i, j, 4*wij)
			r.A[i] -= 2 * wij
			r.B[j] -= 2 * wij
			shift -= wij
		}
	}
	return r, shift
}

// NV returns the number of visible units.
func (r *RBM) NV() int { return len(r.A) }

// NH returns the number of hidden units.
func (r *RBM) NH() int { return len(r.B) }

// String returns a one-line summary such as "RBM nv=16 nh=12 |W|max=1.93".
func (r *RBM) String() string {
	if r == nil || r.W == nil {
		return "RBM <nil>"
	}
	wmax := 0.0
	for _, w := range r.W.RawMatrix().Data {
		wmax = math.Max(wmax, math.Abs(w))
	}
	return fmt.Sprintf("RBM nv=%d nh=%d |W|max=%.3g", r.NV(), r.NH(), wmax)
}

// check panics unless W has shape NV×NH.
func (r *RBM) check() {
	nv, nh := r.W.Dims()
	if nv != len(r.A) || nh != len(r.B) {
		panic(fmt.Sprintf("models: RBM W is %d×%d but len(A)=%d, len(B)=%d", nv, nh, len(r.A), len(r.B)))
	}
}

// weights returns W's row-major storage and its stride.
func (r *RBM) weights() ([]float64, int) {
	raw := r.W.RawMatrix()
	return raw.Data, raw.Stride
}

// Energy returns E(v, h) = -aᵀv - bᵀh - vᵀWh. It panics if the lengths of v and h do
// not match NV and NH.
func (r *RBM) Energy(v, h []float64) float64 {
	r.check()
	if len(v) != len(r.A) || len(h) != len(r.B) {
		panic("models: RBM.Energy: length mismatch")
	}
	w, stride := r.weights()
	e := 0.0
	for j, hj := range h {
		e -= r.B[j] * hj
	}
	for i, vi := range v {
		if vi == 0 {
			continue
		}
		row := w[i*stride : i*stride+len(h)]
		s := r.A[i]
		for j, hj := range h {
			s += row[j] * hj
		}
		e -= vi * s
	}
	return e
}

// HiddenInput sets dst[j] = b_j + (Wᵀv)_j, the input of hidden unit j, and returns
// dst. It panics on length mismatch.
func (r *RBM) HiddenInput(dst, v []float64) []float64 {
	r.check()
	if len(v) != len(r.A) || len(dst) != len(r.B) {
		panic("models: RBM.HiddenInput: length mismatch")
	}
	w, stride := r.weights()
	copy(dst, r.B)
	for i, vi := range v {
		if vi == 0 {
			continue
		}
		row := w[i*stride : i*stride+len(dst)]
		for j, wij := range row {
			dst[j] += vi * wij
		}
	}
	return dst
}

// VisibleInput sets dst[i] = a_i + (Wh)_i, the input of visible unit i, and returns
// dst. It panics on length mismatch.
func (r *RBM) VisibleInput(dst, h []float64) []float64 {
	r.check()
	if len(h) != len(r.B) || len(dst) != len(r.A) {
		panic("models: RBM.VisibleInput: length mismatch")
	}
	w, stride := r.weights()
	for i := range dst {
		row := w[i*stride : i*stride+len(h)]
		s := r.A[i]
		for j, hj := range h {
			s += row[j] * hj
		}
		dst[i] = s
	}
	return dst
}

// HiddenProbs sets dst[j] = P(h_j = 1 | v) = σ(b_j + (Wᵀv)_j), with σ the logistic
// function, and returns dst. It panics on length mismatch.
func (r *RBM) HiddenProbs(dst, v []float64) []float64 {
	r.HiddenInput(dst, v)
	for j, x := range dst {
		dst[j] = Sigmoid(x)
	}
	return dst
}

// VisibleProbs sets dst[i] = P(v_i = 1 | h) = σ(a_i + (Wh)_i) and returns dst. It
// panics on length mismatch.
func (r *RBM) VisibleProbs(dst, h []float64) []float64 {
	r.VisibleInput(dst, h)
	for i, x := range dst {
		dst[i] = Sigmoid(x)
	}
	return dst
}

// FreeEnergy returns F(v) = -aᵀv - Σ_j softplus(b_j + (Wᵀv)_j) = -ln Σ_h e^{-E(v,h)}.
// It allocates nothing. It panics if len(v) != NV.
func (r *RBM) FreeEnergy(v []float64) float64 {
	r.check()
	if len(v) != len(r.A) {
		panic("models: RBM.FreeEnergy: length mismatch")
	}
	w, stride := r.weights()
	f := 0.0
	for i, vi := range v {
		f -= r.A[i] * vi
	}
	for j, bj := range r.B {
		x := bj
		for i, vi := range v {
			x += vi * w[i*stride+j]
		}
		f -= Softplus(x)
	}
	return f
}

// FreeEnergyHidden returns the free energy of a hidden configuration with the visible
// units summed out, -bᵀh - Σ_i softplus(a_i + (Wh)_i) = -ln Σ_v e^{-E(v,h)}. It
// panics if len(h) != NH.
func (r *RBM) FreeEnergyHidden(h []float64) float64 {
	r.check()
	if len(h) != len(r.B) {
		panic("models: RBM.FreeEnergyHidden: length mismatch")
	}
	w, stride := r.weights()
	f := 0.0
	for j, hj := range h {
		f -= r.B[j] * hj
	}
	for i, ai := range r.A {
		row := w[i*stride : i*stride+len(h)]
		x := ai
		for j, hj := range h {
			x += row[j] * hj
		}
		f -= Softplus(x)
	}
	return f
}

// LogZ returns the exact ln Z, summing over the configurations of the smaller layer
// ([RBM.LogZVisible] or [RBM.LogZHidden]). It returns an error if both layers have
// more than [MaxExactRBM] units. The cost is 2^min(NV,NH)·(max(NV,NH) exp + one log),
// plus O(NV·NH) per 4096 terms for resynchronisation: about 0.03 s for 16×16 and 0.5 s
// for 20×20 on one core of a 2026 VM, so 24×24 takes about 10 s.
func (r *RBM) LogZ() (float64, error) {
	nv, nh := r.NV(), r.NH()
	switch {
	case nh <= nv && nh <= MaxExactRBM:
		return r.LogZHidden(), nil
	case nv <= MaxExactRBM:
		return r.LogZVisible(), nil
	}
	return math.NaN(), fmt.Errorf("models: RBM.LogZ: both layers exceed %d units (nv=%d, nh=%d)", MaxExactRBM, nv, nh)
}

// LogZVisible returns ln Z = ln Σ_v e^{-F(v)}, enumerating all 2^NV visible
// configurations in Gray-code order. It panics if NV > [MaxExactRBM].
func (r *RBM) LogZVisible() float64 {
	r.check()
	if len(r.A) > MaxExactRBM {
		panic(fmt.Sprintf("models: RBM.LogZVisible: nv=%d > %d", len(r.A), MaxExactRBM))
	}
	w, stride := r.weights()
	return logZGray(len(r.A), len(r.B), r.A, r.B, func(i, j int) float64 { return w[i*stride+j] })
}

// LogZHidden returns ln Z = ln Σ_h e^{bᵀh} Π_i (1 + e^{a_i + (Wh)_i}), enumerating all
// 2^NH hidden configurations in Gray-code order. It panics if NH > [MaxExactRBM].
func (r *RBM) LogZHidden() float64 {
	r.check()
	if len(r.B) > MaxExactRBM {
		panic(fmt.Sprintf("models: RBM.LogZHidden: nh=%d > %d", len(r.B), MaxExactRBM))
	}
	w, stride := r.weights()
	return logZGray(len(r.B), len(r.A), r.B, r.A, func(j, i int) float64 { return w[i*stride+j] })
}

// logZGray returns ln Σ_{s∈{0,1}^n} exp(cᵀs + Σ_k softplus(d_k + Σ_i s_i M(i,k))),
// with s the enumerated layer (n units, biases c) and the other layer (m units,
// biases d) summed out analytically. Configurations are visited in Gray-code order,
// updating the inputs incrementally and recomputing them every 4096 terms to bound
// rounding drift. Terms are combined by a streaming log-sum-exp.
func logZGray(n, m int, c, d []float64, coupling func(i, k int) float64) float64 {
	// Copy the couplings into an n×m row-major table for cache-friendly updates.
	mm := make([]float64, n*m)
	for i := range n {
		for k := range m {
			mm[i*m+k] = coupling(i, k)
		}
	}
	s := make([]bool, n)
	x := make([]float64, m)
	var lin float64
	resync := func() {
		copy(x, d)
		lin = 0
		for i, on := range s {
			if !on {
				continue
			}
			lin += c[i]
			row := mm[i*m : (i+1)*m]
			for k := range x {
				x[k] += row[k]
			}
		}
	}
	resync()
	maxT, sum := math.Inf(-1), 0.0
	total := uint64(1) << n
	for g := uint64(0); g < total; g++ {
		if g > 0 {
			i := bits.TrailingZeros64(g) // Gray code: step g flips bit tz(g)
			row := mm[i*m : (i+1)*m]
			s[i] = !s[i]
			if s[i] {
				lin += c[i]
				for k := range x {
					x[k] += row[k]
				}
			} else {
				lin -= c[i]
				for k := range x {
					x[k] -= row[k]
				}
			}
			if g&4095 == 0 {
				resync()
			}
		}
		// t = lin + Σ_k softplus(x_k), with one exp per unit and one log per term:
		// softplus(x) = max(x, 0) + ln(1 + e^{-|x|}), the second terms multiplied in p.
		// Each factor lies in (1, 2], so p is folded into t every 512 factors.
		t, p := lin, 1.0
		for k, xk := range x {
			if xk > 0 {
				t += xk
				p *= 1 + math.Exp(-xk)
			} else {
				p *= 1 + math.Exp(xk)
			}
			if k&511 == 511 {
				t += math.Log(p)
				p = 1
			}
		}
		t += math.Log(p)
		if t > maxT {
			sum = sum*math.Exp(maxT-t) + 1
			maxT = t
		} else {
			sum += math.Exp(t - maxT)
		}
	}
	return maxT + math.Log(sum)
}

// LogLikelihood returns the mean log-likelihood per sample (1/D) Σ_d ln p(v_d) =
// -(1/D) Σ_d F(v_d) - ln Z of data, given logZ = ln Z (from [RBM.LogZ] or an AIS
// estimate). It returns NaN for empty data and panics if a row's length is not NV.
func (r *RBM) LogLikelihood(data [][]float64, logZ float64) float64 {
	if len(data) == 0 {
		return math.NaN()
	}
	s := 0.0
	for _, v := range data {
		s -= r.FreeEnergy(v)
	}
	return s/float64(len(data)) - logZ
}

// Softplus returns ln(1 + eˣ), computed without overflow or loss of precision for
// large |x|.
func Softplus(x float64) float64 {
	if x > 0 {
		if x > 40 {
			return x + math.Exp(-x)
		}
		return x + math.Log1p(math.Exp(-x))
	}
	if x < -40 {
		return math.Exp(x)
	}
	return math.Log1p(math.Exp(x))
}

// Sigmoid returns the logistic function 1/(1 + e^{-x}).
func Sigmoid(x float64) float64 {
	if x >= 0 {
		return 1 / (1 + math.Exp(-x))
	}
	e := math.Exp(x)
	return e / (1 + e)
}

// rbmJSON is the JSON form of an RBM.
type rbmJSON struct {
	NV int       `json:"nv"`
	NH int       `json:"nh"`
	A  []float64 `json:"a"`
	B  []float64 `json:"b"`
	W  []float64 `json:"w"` // row-major, NV×NH
}

// MarshalJSON encodes the RBM as {"nv", "nh", "a", "b", "w"}, with w the weights in
// row-major order (visible index outer).
func (r *RBM) MarshalJSON() ([]byte, error) {
	r.check()
	nv, nh := r.NV(), r.NH()
	w := make([]float64, 0, nv*nh)
	for i := range nv {
		w = append(w, r.W.RawRowView(i)...)
	}
	return json.Marshal(rbmJSON{NV: nv, NH: nh, A: r.A, B: r.B, W: w})
}

// UnmarshalJSON decodes the form written by [RBM.MarshalJSON], checking shapes.
func (r *RBM) UnmarshalJSON(data []byte) error {
	var j rbmJSON
	if err := json.Unmarshal(data, &j); err != nil {
		return fmt.Errorf("models: RBM: %w", err)
	}
	if j.NV < 1 || j.NH < 1 || len(j.A) != j.NV || len(j.B) != j.NH || len(j.W) != j.NV*j.NH {
		return fmt.Errorf("models: RBM: inconsistent shape nv=%d nh=%d len(a)=%d len(b)=%d len(w)=%d",
			j.NV, j.NH, len(j.A), len(j.B), len(j.W))
	}
	for _, s := range [][]float64{j.A, j.B, j.W} {
		for _, x := range s {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return fmt.Errorf("models: RBM: non-finite parameter %v", x)
			}
		}
	}
	*r = RBM{W: mat.NewDense(j.NV, j.NH, j.W), A: j.A, B: j.B}
	return nil
}
