package spectra

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/mat"
)

// Method selects how the eigenvalues λ = σ² of a weight matrix are computed.
type Method int

const (
	// MethodAuto uses MethodGram in the openblas build when the matrix is large and
	// the Gram matrix's rounding is far below the eigenvalue threshold, MethodSVD
	// otherwise.
	MethodAuto Method = iota
	// MethodSVD computes the singular values (no vectors): gonum's Dgesvd in the
	// pure-Go build, LAPACK's dgesdd (as NumPy and SciPy do) in the openblas build.
	MethodSVD
	// MethodGram computes the eigenvalues of the M×M Gram matrix WᵀW (M the smaller
	// dimension): a BLAS-3 product then a symmetric eigensolver (dsyrk + dsyevd in the
	// openblas build), about three times faster than the SVD for large matrices; its
	// absolute error is of order M·ε·λ_max, so eigenvalues far below λ_max lose
	// relative accuracy: when M·ε·λ_max exceeds Threshold/10 the SVD is used instead
	// (the ESD's Method says which route ran).
	MethodGram
)

var methodNames = []string{"auto", "svd", "gram"}

// String returns "auto", "svd" or "gram".
func (m Method) String() string {
	if m < 0 || int(m) >= len(methodNames) {
		return fmt.Sprintf("Method(%d)", int(m))
	}
	return methodNames[m]
}

// ParseMethod parses "auto", "svd" or "gram".
func ParseMethod(s string) (Method, error) {
	for i, n := range methodNames {
		if s == n {
			return Method(i), nil
		}
	}
	return 0, fmt.Errorf("unknown method %q (want auto, svd or gram)", s)
}

// ConvMode selects how a 4-D convolution kernel becomes matrices.
type ConvMode int

const (
	// ConvPooled (WeightWatcher's default, pool=True) pools the eigenvalues of the k²
	// slices of a kernel into one ESD; each slice is scaled by √(c/2) with c = 1
	// (WeightWatcher's conv2d_norm with its conv2d_count left at 1 when pooling).
	ConvPooled ConvMode = iota
	// ConvSlices (WeightWatcher's pool=False) makes each of the k² slices a layer of
	// its own, scaled by √(k²/2) (conv2d_count = k²).
	ConvSlices
)

// String returns "pooled" or "slices".
func (c ConvMode) String() string {
	if c == ConvSlices {
		return "slices"
	}
	return "pooled"
}

// Layer is one weight tensor to analyze: a matrix, or the slices of a convolution
// kernel. N ≥ M are the dimensions of each matrix; its ESD has M·len(Mats) values.
type Layer struct {
	Name string
	// Mats holds the matrix, or the k² slices of a kernel, scaled (see [ConvMode]).
	Mats []*mat.Dense
	N, M int
	// RF is the receptive field, k² for a pooled kernel, else 1.
	RF int
	// Kind is "dense", "conv2d" (pooled) or "conv2d-slice".
	Kind string
	// Scale is the factor applied to the kernel's slices (1 for dense layers).
	Scale float64
	// Shape is the shape of the tensor the layer came from.
	Shape []int
}

// String returns the name, the kind and the dimensions.
func (l Layer) String() string {
	return fmt.Sprintf("%s: %s %d×%d ×%d (tensor %v)", l.Name, l.Kind, l.N, l.M, len(l.Mats), l.Shape)
}

// ErrNotMatrix is returned by [NewLayers] for tensors that are not weight matrices
// (biases, scalars, 3-D and ≥5-D tensors): callers usually skip them.
var ErrNotMatrix = errors.New("not a weight matrix")

// MatrixLayer makes a dense layer of w (copied).
func MatrixLayer(name string, w mat.Matrix) Layer {
	r, c := w.Dims()
	return Layer{Name: name, Mats: []*mat.Dense{mat.DenseCopyOf(w)}, N: max(r, c), M: min(r, c), RF: 1, Kind: "dense",
		Scale: 1, Shape: []int{r, c}}
}

// NewLayers makes the layers of a tensor of the given shape (C order): a 2-D tensor is
// a dense layer; a 4-D tensor is a convolution kernel, split into its k² slices as
// WeightWatcher does — (out, in, kh, kw) as PyTorch stores it when s0+s1 ≥ s2+s3, else
// (kh, kw, in, out) as Keras does — pooled into one layer or one layer per slice. Other
// ranks return an error wrapping [ErrNotMatrix].
func NewLayers(name string, shape []int, data []float64, conv ConvMode) ([]Layer, error) {
	n := 1
	for _, d := range shape {
		n *= d
	}
	if n != len(data) {
		return nil, fmt.Errorf("%s: shape %v needs %d values, got %d", name, shape, n, len(data))
	}
	for _, d := range shape {
		if d < 1 {
			return nil, fmt.Errorf("%s: empty tensor of shape %v", name, shape)
		}
	}
	switch len(shape) {
	case 2:
		w := mat.NewDense(shape[0], shape[1], slices.Clone(data))
		return []Layer{{Name: name, Mats: []*mat.Dense{w}, N: max(shape[0], shape[1]), M: min(shape[0], shape[1]), RF: 1,
			Kind: "dense", Scale: 1, Shape: slices.Clone(shape)}}, nil
	case 4:
		return convLayers(name, shape, data, conv), nil
	}
	return nil, fmt.Errorf("%s: %d-D tensor of shape %v: %w", name, len(shape), shape, ErrNotMatrix)
}

// convLayers splits a 4-D kernel into its slices (WeightWatcher's conv2D_Wmats).
func convLayers(name string, shape []int, data []float64, conv ConvMode) []Layer {
	s0, s1, s2, s3 := shape[0], shape[1], shape[2], shape[3]
	last := s0+s1 >= s2+s3 // kernel dimensions last: (out, in, kh, kw)
	var rows, cols, ki, kj int
	if last {
		rows, cols, ki, kj = s0, s1, s2, s3
	} else {
		rows, cols, ki, kj = s2, s3, s0, s1
	}
	rf := ki * kj
	count := 1.0
	if conv == ConvSlices {
		count = float64(rf)
	}
	scale := math.Sqrt(count / 2)
	var mats []*mat.Dense
	for i := range ki {
		for j := range kj {
			w := mat.NewDense(rows, cols, nil)
			for a := range rows {
				for b := range cols {
					var off int
					if last {
						off = ((a*s1+b)*s2+i)*s3 + j
					} else {
						off = ((i*s1+j)*s2+a)*s3 + b
					}
					w.Set(a, b, scale*data[off])
				}
			}
			mats = append(mats, w)
		}
	}
	N, M := max(rows, cols), min(rows, cols)
	if conv == ConvSlices {
		var out []Layer
		for k, w := range mats {
			out = append(out, Layer{Name: fmt.Sprintf("%s[%d,%d]", name, k/kj, k%kj), Mats: []*mat.Dense{w}, N: N, M: M, RF: 1,
				Kind: "conv2d-slice", Scale: scale, Shape: slices.Clone(shape)})
		}
		return out
	}
	return []Layer{{Name: name, Mats: mats, N: N, M: M, RF: rf, Kind: "conv2d", Scale: scale, Shape: slices.Clone(shape)}}
}

// ESD is the empirical spectral density of a layer: its eigenvalues.
type ESD struct {
	// Evals holds λ = σ², the squared singular values of every matrix of the layer,
	// ascending: WeightWatcher's convention, without the 1/N of the correlation
	// matrix X = WᵀW/N (see [ESD.Normalized]).
	Evals []float64
	N, M  int
	RF    int
	// SVMax is the largest singular value; RankLoss the number of singular values
	// (over all slices) at or below max(σ)·N·ε (WeightWatcher's rank_loss).
	SVMax    float64
	RankLoss int
	// Method is how the eigenvalues were computed.
	Method Method
}

// String returns the size and the range of the ESD.
func (e ESD) String() string {
	if len(e.Evals) == 0 {
		return "ESD (empty)"
	}
	return fmt.Sprintf("ESD of %d eigenvalues in [%.4g, %.4g] (N=%d M=%d, %v)", len(e.Evals), e.Evals[0], e.Evals[len(e.Evals)-1], e.N, e.M, e.Method)
}

// Normalized returns λ/N, the eigenvalues of the correlation matrix X = WᵀW/N in
// Martin & Mahoney's normalization (N the larger dimension). The power-law exponent α
// does not depend on it; the norm metrics do.
func (e ESD) Normalized() []float64 {
	out := make([]float64, len(e.Evals))
	for i, v := range e.Evals {
		out[i] = v / float64(e.N)
	}
	return out
}

// checkFinite returns an error naming the count of NaN and ±Inf entries of w.
func checkFinite(w *mat.Dense) error {
	r, c := w.Dims()
	bad := 0
	for i := range r {
		for _, v := range w.RawRowView(i) {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				bad++
			}
		}
	}
	if bad > 0 {
		return fmt.Errorf("%d of %d entries are NaN or ±Inf", bad, r*c)
	}
	return nil
}

// ComputeESD returns the ESD of the layer's matrices, pooled. With MethodAuto every
// matrix of the layer uses the same route (the SVD if any of them needs it). It
// returns an error for NaN or infinite entries.
func ComputeESD(l Layer, m Method) (ESD, error) {
	e := ESD{N: l.N, M: l.M, RF: l.RF, Method: m}
	for _, w := range l.Mats {
		if err := checkFinite(w); err != nil {
			return e, fmt.Errorf("%s: %w", l.Name, err)
		}
	}
	per := make([][]float64, len(l.Mats))
	how := make([]Method, len(l.Mats))
	var err error
	for i, w := range l.Mats {
		if per[i], how[i], err = eigenvalues(w, m); err != nil {
			return e, fmt.Errorf("%s: %w", l.Name, err)
		}
	}
	if m == MethodAuto && slices.Contains(how, MethodSVD) && slices.Contains(how, MethodGram) {
		for i, w := range l.Mats {
			if how[i] == MethodGram {
				if per[i], how[i], err = eigenvalues(w, MethodSVD); err != nil {
					return e, fmt.Errorf("%s: %w", l.Name, err)
				}
			}
		}
	}
	for i, ev := range per {
		e.Method = how[i]
		smax := 0.0
		for _, v := range ev {
			smax = max(smax, math.Sqrt(v))
		}
		tol := smax * float64(l.N) * 0x1p-52
		for _, v := range ev {
			if math.Sqrt(v) <= tol {
				e.RankLoss++
			}
		}
		e.SVMax = max(e.SVMax, smax)
		e.Evals = append(e.Evals, ev...)
	}
	slices.Sort(e.Evals)
	return e, nil
}

// Eigenvalues returns λ = σ² (ascending) of the min(r, c) singular values σ of w.
func Eigenvalues(w mat.Matrix, m Method) ([]float64, error) {
	d := mat.DenseCopyOf(w)
	if err := checkFinite(d); err != nil {
		return nil, fmt.Errorf("spectra: %w", err)
	}
	ev, _, err := eigenvalues(d, m)
	if err != nil {
		return nil, fmt.Errorf("spectra: %w", err)
	}
	return ev, nil
}

// eigenvalues computes λ = σ² ascending by method m (Auto resolved), returning the
// method used. w is not modified. It fails only when LAPACK does not converge.
func eigenvalues(w *mat.Dense, m Method) ([]float64, Method, error) {
	r, c := w.Dims()
	if m == MethodAuto {
		m = MethodSVD
		if fastGram && min(r, c) >= 256 {
			m = MethodGram
		}
	}
	if m == MethodGram {
		ev, err := gramEigenvalues(w)
		if err != nil {
			return nil, m, err
		}
		// The Gram route is exact to about M·ε·λ_max in absolute terms: keep it only
		// when that error is well below the eigenvalue threshold of the fits, so that
		// no eigenvalue crosses it by rounding.
		lmax := 0.0
		if len(ev) > 0 {
			lmax = slices.Max(ev)
		}
		if float64(min(r, c))*lmax*0x1p-52 > Threshold/10 {
			ev, err := svdSquared(w)
			return ev, MethodSVD, err
		}
		for i, v := range ev {
			ev[i] = max(v, 0)
		}
		slices.Sort(ev)
		return ev, MethodGram, nil
	}
	ev, err := svdSquared(w)
	return ev, MethodSVD, err
}

// svdSquared returns the squared singular values of w, ascending.
func svdSquared(w *mat.Dense) ([]float64, error) {
	s, err := singularValues(w)
	if err != nil {
		return nil, err
	}
	for i, v := range s {
		s[i] = v * v
	}
	slices.Sort(s)
	return s, nil
}

// Threshold is WeightWatcher's EVALS_THRESH: eigenvalues at or below it are left out
// of the power-law fit (not of the norm metrics).
const Threshold = 1e-5
