package analysis

import (
	"math"
	"math/bits"

	"gonum.org/v1/gonum/dsp/fourier"
)

// DefaultWindowC is the constant c of Sokal's automatic window used when TauInt is
// given c ≤ 0, and by [Series.Estimate].
const DefaultWindowC = 6

// TauInt returns the integrated autocorrelation time of the series x,
//
//	τ_int(W) = 1/2 + Σ_{t=1}^{W} ρ(t),
//
// where ρ(t) = C(t)/C(0) is the normalised autocovariance
// C(t) = (1/n) Σ_{i<n-t} (x_i − x̄)(x_{i+t} − x̄), and the window W is chosen by
// Sokal's automatic windowing as the smallest W ≥ 1 with W ≥ c·τ_int(W). A c ≤ 0
// (or NaN) means [DefaultWindowC]; c = 4 to 10 is usual, larger being safer for
// slowly decaying correlations. τ_int is in units of the spacing of x, so that the
// squared error of the mean of x is 2·τ_int·Var(x)/n and uncorrelated data have
// τ_int = 1/2.
//
// The estimate is reliable only for n ≫ τ_int (Sokal asks for n ≳ 1000·τ_int); its
// statistical error is given by [TauIntErr]. A constant series (including a single
// value) has τ_int = 1/2 and window 0; an empty series gives NaN. Long series use an
// FFT, so 10⁶ values take a fraction of a second; TauInt allocates O(n) scratch space.
func TauInt(x []float64, c float64) (tau float64, window int) {
	n := len(x)
	if n == 0 {
		return math.NaN(), 0
	}
	if !(c > 0) {
		c = DefaultWindowC
	}
	var mean float64
	for _, v := range x {
		mean += v
	}
	mean /= float64(n)
	var c0 float64
	for _, v := range x {
		c0 += (v - mean) * (v - mean)
	}
	if c0 == 0 {
		return 0.5, 0
	}
	// Short windows are found by computing C(t) directly, O(n) per lag. Beyond
	// directLags lags, an FFT computes all of them at once in O(n log n).
	directLags := min(n-1, 2*bits.Len(uint(n))+8)
	tau = 0.5
	for w := 1; w <= directLags; w++ {
		tau += lagProduct(x, mean, w) / c0
		if float64(w) >= c*tau {
			return tau, w
		}
	}
	if directLags == n-1 {
		return tau, n - 1 // unreachable in exact arithmetic: τ_int(n−1) = 0
	}
	return windowTau(autocorrFFT(x, mean), c)
}

// TauIntErr returns the statistical error of an integrated autocorrelation time tau
// estimated with window W from n values, by the Madras–Sokal formula
//
//	δτ_int ≈ τ_int·sqrt(2(2W+1)/n).
func TauIntErr(tau float64, window, n int) float64 {
	if n <= 0 {
		return math.NaN()
	}
	return tau * math.Sqrt(2*float64(2*window+1)/float64(n))
}

// windowTau applies Sokal's automatic windowing to the autocorrelation function rho
// (rho[0] = 1).
func windowTau(rho []float64, c float64) (tau float64, window int) {
	tau = 0.5
	for w := 1; w < len(rho); w++ {
		tau += rho[w]
		if float64(w) >= c*tau {
			return tau, w
		}
	}
	return tau, len(rho) - 1
}

// lagProduct returns n·C(t) = Σ_{i<n−t} (x_i − mean)(x_{i+t} − mean).
func lagProduct(x []float64, mean float64, t int) float64 {
	a, b := x[:len(x)-t], x[t:]
	b = b[:len(a)]
	// Four partial sums break the dependency chain of the additions.
	var s0, s1, s2, s3 float64
	i := 0
	for ; i+4 <= len(a); i += 4 {
		s0 += (a[i] - mean) * (b[i] - mean)
		s1 += (a[i+1] - mean) * (b[i+1] - mean)
		s2 += (a[i+2] - mean) * (b[i+2] - mean)
		s3 += (a[i+3] - mean) * (b[i+3] - mean)
	}
	for ; i < len(a); i++ {
		s0 += (a[i] - mean) * (b[i] - mean)
	}
	return (s0 + s1) + (s2 + s3)
}

// autocorrDirect returns the normalised autocorrelation ρ(t), t < len(x), of x about
// mean by direct summation, O(n²). The variance of x must not be zero.
func autocorrDirect(x []float64, mean float64) []float64 {
	n := len(x)
	rho := make([]float64, n)
	for t := range rho {
		rho[t] = lagProduct(x, mean, t)
	}
	c0 := rho[0]
	for t := range rho {
		rho[t] /= c0
	}
	return rho
}

// autocorrFFT returns the normalised autocorrelation ρ(t), t < len(x), of x about mean
// by FFT, O(n log n). The variance of x must not be zero.
func autocorrFFT(x []float64, mean float64) []float64 {
	n := len(x)
	m := fastLen(2*n - 1) // zero padding to ≥ 2n−1 turns the circular correlation into a linear one
	seq := make([]float64, m)
	for i, v := range x {
		seq[i] = v - mean
	}
	fft := fourier.NewFFT(m)
	coeff := fft.Coefficients(nil, seq)
	for k, z := range coeff {
		coeff[k] = complex(real(z)*real(z)+imag(z)*imag(z), 0)
	}
	seq = fft.Sequence(seq, coeff)
	rho := seq[:n]
	c0 := rho[0]
	for t := range rho {
		rho[t] /= c0
	}
	return rho
}

// fastLen returns the smallest n' ≥ n whose only prime factors are 2, 3 and 5, a
// length for which the FFT is O(n log n).
func fastLen(n int) int {
	for m := max(n, 1); ; m++ {
		r := m
		for _, p := range [...]int{2, 3, 5} {
			for r%p == 0 {
				r /= p
			}
		}
		if r == 1 {
			return m
		}
	}
}

// Autocorrelation returns the normalised autocorrelation function ρ(t) = C(t)/C(0)
// of the series x for the lags t = 0, 1, …, maxLag (at most len(x)−1), with C(t) as
// in [TauInt], computed by FFT in O(n log n); [TauInt] is ½ + Σ_{t=1}^{W} ρ(t). A
// constant series gives ρ(0) = 1 and ρ(t) = 0 beyond; an empty one gives nil. It
// panics if maxLag < 0.
func Autocorrelation(x []float64, maxLag int) []float64 {
	if maxLag < 0 {
		panic("analysis: Autocorrelation with negative maxLag")
	}
	n := len(x)
	if n == 0 {
		return nil
	}
	maxLag = min(maxLag, n-1)
	var mean float64
	for _, v := range x {
		mean += v
	}
	mean /= float64(n)
	constant := true
	for _, v := range x {
		constant = constant && v == x[0]
	}
	if constant {
		rho := make([]float64, maxLag+1)
		rho[0] = 1
		return rho
	}
	return autocorrFFT(x, mean)[: maxLag+1 : maxLag+1]
}
