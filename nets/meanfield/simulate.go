package meanfield

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"strconv"
	"time"

	"github.com/deepglass/deepglass/internal/pool"
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
)

// Stat is a mean over independent nets with its standard error.
type Stat struct {
	Mean, Err float64
}

// String returns the mean with the error in the last digits, e.g. 0.4321(12).
func (s Stat) String() string {
	if math.IsNaN(s.Err) || math.IsInf(s.Err, 0) || s.Err <= 0 || math.IsNaN(s.Mean) || math.IsInf(s.Mean, 0) {
		return strconv.FormatFloat(s.Mean, 'g', 6, 64)
	}
	// Two significant digits of the error.
	d := int(math.Floor(math.Log10(s.Err))) - 1
	if d >= 0 {
		return fmt.Sprintf("%.0f(%.0f)", s.Mean, s.Err)
	}
	scale := math.Pow(10, float64(-d))
	return fmt.Sprintf("%.*f(%.0f)", -d, s.Mean, math.Round(s.Err*scale))
}

// meanErr returns the mean of xs and its standard error (NaN error for one value).
func meanErr(xs []float64) Stat {
	n := float64(len(xs))
	m := 0.0
	for _, x := range xs {
		m += x
	}
	m /= n
	v := 0.0
	for _, x := range xs {
		v += (x - m) * (x - m)
	}
	if len(xs) < 2 {
		return Stat{m, math.NaN()}
	}
	return Stat{m, math.Sqrt(v / (n - 1) / n)}
}

// Stream purposes of the simulations (part of the reproducibility contract).
const (
	purposeNet    = 1 // a net of Simulate: its inputs, weights and biases
	purposeCircle = 2 // a net of Circle
)

// splitMix64 is the finaliser of SplitMix64 (Steele, Lea & Flood 2014).
func splitMix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// NewStream returns the PCG stream of net m for the given seed and purpose (1:
// Simulate, 2: Circle), hashed with SplitMix64 as the streams of package sampler:
// distinct (seed, purpose, m) give independent streams, the same tuple the same one.
func NewStream(seed uint64, purpose, m int) *rand.PCG {
	x := splitMix64(seed)
	x = splitMix64(x ^ uint64(purpose))
	x = splitMix64(x ^ uint64(m))
	return rand.NewPCG(x, splitMix64(x^0x6a09e667f3bcc909))
}

// SimMethod selects how Simulate draws the random nets.
type SimMethod int

// Simulation methods.
const (
	// Weights draws every layer's N×N weight matrix and N biases and multiplies: the
	// net itself, O(N²) per layer.
	Weights SimMethod = iota
	// Gram draws, layer by layer, only what the inputs see of the fresh weights and
	// biases. Given layer l, the pre-activations of the K inputs at layer l+1 are
	// independent over units i, each K-vector Gaussian with covariance
	// G = (σ_w²/N) AᵀA + σ_b² 11ᵀ, A = φ(h^l) (N×K): exactly the law of the explicit
	// net, at O(N K²) per layer. It works in the coordinates h₀, δ_k = h_k − h₀, so
	// that 1 − c is computed without cancellation.
	Gram
)

// String returns the name of the method.
func (m SimMethod) String() string {
	switch m {
	case Weights:
		return "weights"
	case Gram:
		return "gram"
	}
	return fmt.Sprintf("SimMethod(%d)", int(m))
}

// SimSpec describes independent random nets of finite width and the inputs they
// propagate. The inputs are layer-0 pre-activations: input 0 and input k+1 have
// squared length Q0 = |h⁰|²/N and correlation C0[k] exactly.
type SimSpec struct {
	Phi      Phi
	SW2, SB2 float64
	// Width N, Depth L (layers after the input) and the number of independent nets.
	Width, Depth, Nets int
	Q0                 float64
	C0                 []float64
	Seed               uint64
	// Method draws the nets: Weights (zero value) or Gram.
	Method SimMethod
	// Threads is the number of nets simulated at once (0: GOMAXPROCS). Results do not
	// depend on it.
	Threads int
}

// String summarizes the spec.
func (s SimSpec) String() string {
	return fmt.Sprintf("%s σ_w²=%.6g σ_b²=%.6g: %d nets of width %d, depth %d (%v), q⁰=%.4g, c⁰=%v, seed %d",
		s.Phi.Name, s.SW2, s.SB2, s.Nets, s.Width, s.Depth, s.Method, s.Q0, s.C0, s.Seed)
}

// Validate reports every problem with the spec at once.
func (s SimSpec) Validate() error {
	errs := []error{Net{Phi: s.Phi, SW2: s.SW2, SB2: s.SB2}.Validate()}
	if s.Width < 2 || s.Width > 1<<16 {
		errs = append(errs, fmt.Errorf("width %d: want 2 to 65536", s.Width))
	}
	if s.Depth < 0 || s.Depth > 100000 {
		errs = append(errs, fmt.Errorf("depth %d: want 0 to 100000", s.Depth))
	}
	if s.Nets < 2 {
		errs = append(errs, fmt.Errorf("nets %d: want at least 2 (errors are over nets)", s.Nets))
	}
	if !(s.Q0 > 0) || math.IsInf(s.Q0, 0) {
		errs = append(errs, fmt.Errorf("input length q⁰ = %v: want a finite value > 0", s.Q0))
	}
	if len(s.C0)+1 > s.Width {
		errs = append(errs, fmt.Errorf("%d input pairs: want fewer than the width %d", len(s.C0), s.Width))
	}
	for k, c := range s.C0 {
		if !(c >= -1 && c <= 1) {
			errs = append(errs, fmt.Errorf("input correlation c⁰[%d] = %v: want −1 ≤ c ≤ 1", k, c))
		}
	}
	if s.Threads < 0 {
		errs = append(errs, fmt.Errorf("threads %d: want ≥ 0", s.Threads))
	}
	if s.Method != Weights && s.Method != Gram {
		errs = append(errs, fmt.Errorf("simulation method %d unknown", int(s.Method)))
	}
	return errors.Join(errs...)
}

// SimResult holds the measurements of Simulate, layer l = 0 … Depth.
type SimResult struct {
	Spec SimSpec
	// Q[l] is q^l = |h^l|²/N of input 0, C[k][l] the correlation of inputs 0 and k+1.
	Q []Stat
	C [][]Stat
	// QNet[m][l] and CNet[k][m][l] are the values of net m (for fits with jackknife
	// errors, FitDecay).
	QNet [][]float64
	CNet [][][]float64
	// Seconds is the wall time.
	Seconds float64
}

// String summarizes the result.
func (r *SimResult) String() string {
	if len(r.Q) == 0 {
		return "no simulation"
	}
	L := len(r.Q) - 1
	s := fmt.Sprintf("%v: q^%d = %v", r.Spec, L, r.Q[L])
	for k := range r.C {
		s += fmt.Sprintf(", c^%d[%d] = %v", L, k, r.C[k][L])
	}
	return s + fmt.Sprintf(" (%.2f s)", r.Seconds)
}

// layer holds the buffers of one worker: weights, biases and activations.
type layer struct {
	n, k     int
	w        []float64 // n×n row-major
	b        []float64
	h, a, hn []float64 // n×k row-major: pre-activations, φ(h), next pre-activations
}

func newLayer(n, k int) *layer {
	return &layer{n: n, k: k, w: make([]float64, n*n), b: make([]float64, n),
		h: make([]float64, n*k), a: make([]float64, n*k), hn: make([]float64, n*k)}
}

// step draws the next layer's weights and biases from r and maps h to W φ(h) + b.
func (y *layer) step(phi func(float64) float64, sw, sb float64, r *rand.Rand) {
	for i := range y.w {
		y.w[i] = sw * r.NormFloat64()
	}
	for i := range y.b {
		y.b[i] = sb * r.NormFloat64()
	}
	for i, v := range y.h {
		y.a[i] = phi(v)
	}
	n, k := y.n, y.k
	for i := 0; i < n; i++ {
		row := y.hn[i*k : (i+1)*k]
		for j := range row {
			row[j] = y.b[i]
		}
	}
	W := blas64.General{Rows: n, Cols: n, Stride: n, Data: y.w}
	A := blas64.General{Rows: n, Cols: k, Stride: k, Data: y.a}
	H := blas64.General{Rows: n, Cols: k, Stride: k, Data: y.hn}
	blas64.Gemm(blas.NoTrans, blas.NoTrans, 1, W, A, 1, H)
	y.h, y.hn = y.hn, y.h
}

// orthonormal fills the k columns of x (n×k row-major) with orthonormal vectors:
// Gaussian draws from r, Gram–Schmidt (twice, for accuracy).
func orthonormal(x []float64, n, k int, r *rand.Rand) {
	for i := range x {
		x[i] = r.NormFloat64()
	}
	for j := 0; j < k; j++ {
		for pass := 0; pass < 2; pass++ {
			for p := 0; p < j; p++ {
				d := 0.0
				for i := 0; i < n; i++ {
					d += x[i*k+j] * x[i*k+p]
				}
				for i := 0; i < n; i++ {
					x[i*k+j] -= d * x[i*k+p]
				}
			}
		}
		s := 0.0
		for i := 0; i < n; i++ {
			s += x[i*k+j] * x[i*k+j]
		}
		s = 1 / math.Sqrt(s)
		for i := 0; i < n; i++ {
			x[i*k+j] *= s
		}
	}
}

// inputs fills x (n×k row-major, input j in column j) with the inputs of s: q⁰ = Q0
// and correlation C0[j−1] with input 0, in a random orientation drawn from r. u is
// scratch of the same size.
func inputs(x, u []float64, n, k int, s SimSpec, r *rand.Rand) {
	orthonormal(u, n, k, r)
	scale := math.Sqrt(float64(n) * s.Q0)
	for i := 0; i < n; i++ {
		u0 := u[i*k]
		x[i*k] = scale * u0
		for j, c := range s.C0 {
			x[i*k+j+1] = scale * (c*u0 + math.Sqrt((1-c)*(1+c))*u[i*k+j+1])
		}
	}
}

// run propagates the inputs of s through one explicit net drawn from r, writing q^l of
// input 0 to qs and the correlations to cs; false if ctx was cancelled.
func (y *layer) run(ctx context.Context, s SimSpec, r *rand.Rand, qs []float64, cs [][]float64) bool {
	n, k := y.n, y.k
	inputs(y.h, y.a, n, k, s, r)
	sw, sb := math.Sqrt(s.SW2/float64(n)), math.Sqrt(s.SB2)
	measure := func(l int) {
		var q0 float64
		for i := 0; i < n; i++ {
			q0 += y.h[i*k] * y.h[i*k]
		}
		qs[l] = q0 / float64(n)
		for j := range cs {
			var d, qj float64
			for i := 0; i < n; i++ {
				d += y.h[i*k] * y.h[i*k+j+1]
				qj += y.h[i*k+j+1] * y.h[i*k+j+1]
			}
			cs[j][l] = d / math.Sqrt(q0*qj)
		}
	}
	measure(0)
	for l := 1; l < len(qs); l++ {
		if ctx.Err() != nil {
			return false
		}
		y.step(s.Phi.F, sw, sb, r)
		measure(l)
	}
	return true
}

// gram holds the buffers of the Gram method: h₀ and the differences δ_j = h_j − h₀.
type gram struct {
	n, k int
	h0   []float64
	d    [][]float64 // k−1 differences
	a0   []float64
	ad   [][]float64 // φ(h₀ + δ_j) − φ(h₀)
	m, c []float64   // k×k covariance and its Cholesky factor
	z    []float64
}

func newGram(n, k int) *gram {
	g := &gram{n: n, k: k, h0: make([]float64, n), a0: make([]float64, n), m: make([]float64, k*k), c: make([]float64, k*k), z: make([]float64, k)}
	for j := 1; j < k; j++ {
		g.d = append(g.d, make([]float64, n))
		g.ad = append(g.ad, make([]float64, n))
	}
	return g
}

// run is layer.run by the Gram method.
func (g *gram) run(ctx context.Context, s SimSpec, r *rand.Rand, qs []float64, cs [][]float64) bool {
	n, k := g.n, g.k
	x, u := make([]float64, n*k), make([]float64, n*k)
	inputs(x, u, n, k, s, r)
	for i := 0; i < n; i++ {
		g.h0[i] = x[i*k]
		for j := range g.d {
			g.d[j][i] = x[i*k+j+1] - x[i*k]
		}
	}
	measure := func(l int) {
		var q0 float64
		for _, v := range g.h0 {
			q0 += v * v
		}
		qs[l] = q0 / float64(n)
		for j, d := range g.d {
			var hd, dd float64 // h₀·δ, δ·δ
			for i, v := range d {
				hd += g.h0[i] * v
				dd += v * v
			}
			qj := q0 + 2*hd + dd
			n0, nj := math.Sqrt(q0), math.Sqrt(qj)
			dn := (2*hd + dd) / (nj + n0) // |h_j| − |h₀| without cancellation
			cs[j][l] = 1 - (dd-dn*dn)/(2*n0*nj)
		}
	}
	measure(0)
	sw := s.SW2 / float64(n)
	phi := s.Phi.F
	for l := 1; l < len(qs); l++ {
		if ctx.Err() != nil {
			return false
		}
		for i, v := range g.h0 {
			g.a0[i] = phi(v)
		}
		for j, d := range g.d {
			ad := g.ad[j]
			for i, v := range d {
				ad[i] = phi(g.h0[i]+v) - g.a0[i]
			}
		}
		// Covariance of (h₀, δ₁, …) at the next layer.
		vec := func(p int) []float64 {
			if p == 0 {
				return g.a0
			}
			return g.ad[p-1]
		}
		for p := 0; p < k; p++ {
			for q := 0; q <= p; q++ {
				a, b := vec(p), vec(q)
				dot := 0.0
				for i := range a {
					dot += a[i] * b[i]
				}
				v := sw * dot
				if p == 0 && q == 0 {
					v += s.SB2 // the bias is common to all inputs: it is in h₀ only
				}
				g.m[p*k+q], g.m[q*k+p] = v, v
			}
		}
		cholesky(g.c, g.m, k)
		for i := 0; i < n; i++ {
			for p := range g.z {
				g.z[p] = r.NormFloat64()
			}
			for p := 0; p < k; p++ {
				v := 0.0
				for q := 0; q <= p; q++ {
					v += g.c[p*k+q] * g.z[q]
				}
				if p == 0 {
					g.h0[i] = v
				} else {
					g.d[p-1][i] = v
				}
			}
		}
		measure(l)
	}
	return true
}

// cholesky writes the lower Cholesky factor of the k×k positive semi-definite m to
// c; a pivot that rounding makes ≤ 0 gives a zero column (semi-definite case).
func cholesky(c, m []float64, k int) {
	clear(c)
	for j := 0; j < k; j++ {
		d := m[j*k+j]
		for p := 0; p < j; p++ {
			d -= c[j*k+p] * c[j*k+p]
		}
		if d <= 0 {
			continue
		}
		d = math.Sqrt(d)
		c[j*k+j] = d
		for i := j + 1; i < k; i++ {
			v := m[i*k+j]
			for p := 0; p < j; p++ {
				v -= c[i*k+p] * c[j*k+p]
			}
			c[i*k+j] = v / d
		}
	}
}

// forNets runs f(m, worker) for m = 0 … nets−1 on threads goroutines, stopping early
// when ctx is cancelled (internal/pool).
func forNets(ctx context.Context, nets, threads int, f func(m, worker int)) error {
	return pool.Each(ctx, nets, threads, func(_ context.Context, m, w int) error {
		f(m, w)
		return nil
	})
}

// Simulate propagates the inputs of s through s.Nets independent random nets and
// measures q^l and c^l at every layer, with standard errors over nets. Net m draws its
// inputs' orientation, weights and biases from NewStream(s.Seed, 1, m), so the result
// is the same for any number of threads. When ctx is cancelled it returns ctx.Err().
func Simulate(ctx context.Context, s SimSpec) (*SimResult, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	start := time.Now()
	n, k, L := s.Width, len(s.C0)+1, s.Depth
	res := &SimResult{Spec: s, QNet: make([][]float64, s.Nets), CNet: make([][][]float64, len(s.C0))}
	for j := range res.CNet {
		res.CNet[j] = make([][]float64, s.Nets)
	}
	threads := s.Threads
	if threads <= 0 {
		threads = runtime.GOMAXPROCS(0)
	}
	bufs := make([]*layer, threads)
	grams := make([]*gram, threads)
	err := forNets(ctx, s.Nets, threads, func(m, w int) {
		r := rand.New(NewStream(s.Seed, purposeNet, m))
		qs := make([]float64, L+1)
		cs := make([][]float64, len(s.C0))
		for j := range cs {
			cs[j] = make([]float64, L+1)
		}
		var ok bool
		if s.Method == Gram {
			if grams[w] == nil {
				grams[w] = newGram(n, k)
			}
			ok = grams[w].run(ctx, s, r, qs, cs)
		} else {
			if bufs[w] == nil {
				bufs[w] = newLayer(n, k)
			}
			ok = bufs[w].run(ctx, s, r, qs, cs)
		}
		if !ok {
			return
		}
		res.QNet[m] = qs
		for j := range cs {
			res.CNet[j][m] = cs[j]
		}
	})
	if err != nil {
		return nil, err
	}
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	col := make([]float64, s.Nets)
	res.Q = make([]Stat, L+1)
	for l := 0; l <= L; l++ {
		for m := range col {
			col[m] = res.QNet[m][l]
		}
		res.Q[l] = meanErr(col)
	}
	res.C = make([][]Stat, len(s.C0))
	for j := range res.C {
		res.C[j] = make([]Stat, L+1)
		for l := 0; l <= L; l++ {
			for m := range col {
				col[m] = res.CNet[j][m][l]
			}
			res.C[j][l] = meanErr(col)
		}
	}
	res.Seconds = time.Since(start).Seconds()
	return res, nil
}

// CircleSpec describes Poole et al.'s experiment: the great circle
// h⁰(θ) = √(N Q0) (u₀ cos θ + u₁ sin θ), θ = 2πk/Points, propagated through Nets
// independent random nets.
type CircleSpec struct {
	Phi                        Phi
	SW2, SB2                   float64
	Width, Depth, Nets, Points int
	Q0                         float64
	Seed                       uint64
	Threads                    int
}

// String summarizes the spec.
func (s CircleSpec) String() string {
	return fmt.Sprintf("%s σ_w²=%.6g σ_b²=%.6g: circle of %d points, q⁰=%.4g, %d nets of width %d, depth %d, seed %d",
		s.Phi.Name, s.SW2, s.SB2, s.Points, s.Q0, s.Nets, s.Width, s.Depth, s.Seed)
}

// Validate reports every problem with the spec at once.
func (s CircleSpec) Validate() error {
	err := SimSpec{Phi: s.Phi, SW2: s.SW2, SB2: s.SB2, Width: s.Width, Depth: s.Depth, Nets: s.Nets, Q0: s.Q0, Threads: s.Threads}.Validate()
	if s.Points < 8 || s.Points > 100000 {
		err = errors.Join(err, fmt.Errorf("circle points %d: want 8 to 100000", s.Points))
	}
	return err
}

// CircleResult holds the length of the image of the circle at layers 0 … Depth.
type CircleResult struct {
	Spec CircleSpec
	// Length[l] is the length of the closed polygon through the images of the points,
	// divided by √N (the circle itself has 2π√q⁰), over nets; LengthNet[m][l] per net.
	Length    []Stat
	LengthNet [][]float64
	// Square[l] is K Σ_k |h_{k+1} − h_k|²/N, the squared length the polygon would
	// have with all K chords equal (≥ Length² by Cauchy–Schwarz); SquareNet per net.
	// Its mean follows the maps exactly (to O(1/N)): each chord² is 2N q^l (1 − c^l)
	// on average. The mean of Length is lower at finite N, by a factor that falls
	// with depth: a chord is the square root of a sum whose relative fluctuations
	// accumulate from layer to layer, so its fitted rate is lower by O(1/N).
	Square    []Stat
	SquareNet [][]float64
	Seconds   float64
}

// String summarizes the result.
func (r *CircleResult) String() string {
	if len(r.Length) == 0 {
		return "no circle"
	}
	L := len(r.Length) - 1
	return fmt.Sprintf("%v: length/√N %v at layer 0, %v at layer %d (%.2f s)", r.Spec, r.Length[0], r.Length[L], L, r.Seconds)
}

// Circle propagates the great circle of s through independent random nets and
// measures the length of its image at every layer. In mean-field theory the length
// element grows by √χ₁(q^l) per layer: with q⁰ = q*, length/√N = 2π√q* χ₁^{l/2}
// while the polygon resolves the curve (chords much shorter than √(2Nq*(1−c*))).
// Net m draws from NewStream(s.Seed, 2, m).
func Circle(ctx context.Context, s CircleSpec) (*CircleResult, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	start := time.Now()
	n, k, L := s.Width, s.Points, s.Depth
	res := &CircleResult{Spec: s, LengthNet: make([][]float64, s.Nets), SquareNet: make([][]float64, s.Nets)}
	threads := s.Threads
	if threads <= 0 {
		threads = runtime.GOMAXPROCS(0)
	}
	bufs := make([]*layer, threads)
	sw, sb := math.Sqrt(s.SW2/float64(n)), math.Sqrt(s.SB2)
	err := forNets(ctx, s.Nets, threads, func(m, w int) {
		if bufs[w] == nil {
			bufs[w] = newLayer(n, k)
		}
		y := bufs[w]
		r := rand.New(NewStream(s.Seed, purposeCircle, m))
		u := make([]float64, 2*n)
		orthonormal(u, n, 2, r)
		scale := math.Sqrt(float64(n) * s.Q0)
		for p := 0; p < k; p++ {
			th := 2 * math.Pi * float64(p) / float64(k)
			ct, st := math.Cos(th), math.Sin(th)
			for i := 0; i < n; i++ {
				y.h[i*k+p] = scale * (ct*u[2*i] + st*u[2*i+1])
			}
		}
		ls, sq := make([]float64, L+1), make([]float64, L+1)
		d2 := make([]float64, k)
		measure := func(l int) {
			clear(d2)
			for i := 0; i < n; i++ {
				row := y.h[i*k : (i+1)*k]
				for p := 0; p < k-1; p++ {
					d := row[p+1] - row[p]
					d2[p] += d * d
				}
				d := row[0] - row[k-1]
				d2[k-1] += d * d
			}
			sum, sum2 := 0.0, 0.0
			for _, v := range d2 {
				sum += math.Sqrt(v)
				sum2 += v
			}
			ls[l] = sum / math.Sqrt(float64(n))
			sq[l] = float64(k) * sum2 / float64(n)
		}
		measure(0)
		for l := 1; l <= L; l++ {
			if ctx.Err() != nil {
				return
			}
			y.step(s.Phi.F, sw, sb, r)
			measure(l)
		}
		res.LengthNet[m], res.SquareNet[m] = ls, sq
	})
	if err != nil {
		return nil, err
	}
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	res.Length, res.Square = make([]Stat, L+1), make([]Stat, L+1)
	col := make([]float64, s.Nets)
	for l := 0; l <= L; l++ {
		for m := range col {
			col[m] = res.LengthNet[m][l]
		}
		res.Length[l] = meanErr(col)
		for m := range col {
			col[m] = res.SquareNet[m][l]
		}
		res.Square[l] = meanErr(col)
	}
	res.Seconds = time.Since(start).Seconds()
	return res, nil
}

// CircleTheory returns the mean-field length/√N of the image of the circle at layers
// 0 … depth. With points = 0 it is the length of the curve, 2π√q⁰ ∏_{j<l} √χ₁(q^j)
// (the length element grows by √χ₁ per layer; q^j the iterates of the length map);
// with points = K it is the length of the K-gon through the images of the points,
// K √(2 q^l (1 − c^l)), with c^l the correlation map iterated from neighbouring
// points, c⁰ = cos(2π/K): the square root of the mean of CircleResult.Square,
// including the loss of resolution once neighbours decorrelate (c^l → c*).
func (n Net) CircleTheory(q0 float64, points, depth int) []float64 {
	out := make([]float64, depth+1)
	if points > 0 {
		qs, cs := n.Correlations(q0, math.Cos(2*math.Pi/float64(points)), depth)
		for l := range out {
			out[l] = float64(points) * math.Sqrt(2*qs[l]*(1-cs[l]))
		}
		return out
	}
	qs := n.Lengths(q0, depth)
	out[0] = 2 * math.Pi * math.Sqrt(q0)
	for l := 1; l <= depth; l++ {
		out[l] = out[l-1] * math.Sqrt(n.Chi1(qs[l-1]))
	}
	return out
}
