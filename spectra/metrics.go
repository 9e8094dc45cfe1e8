package spectra

import (
	"fmt"
	"math"
)

// Metrics are WeightWatcher's norm metrics of an ESD (apply_norm_metrics), computed
// on all its eigenvalues λ (WeightWatcher's convention: no 1/N).
type Metrics struct {
	// Norm is Σλ = ‖W‖²_F, LogNorm its log10.
	Norm, LogNorm float64
	// SpectralNorm is λ_max = ‖W‖²₂, LogSpectralNorm its log10.
	SpectralNorm, LogSpectralNorm float64
	// AlphaWeighted is α̂ = α·log10 λ_max.
	AlphaWeighted float64
	// LogAlphaNorm is log10 Σ λ^α.
	LogAlphaNorm float64
	// StableRank is Σλ/λ_max.
	StableRank float64
	// MatrixRank counts the singular values above max(σ)·N·ε.
	MatrixRank int
	// Entropy is the matrix entropy −Σ p ln p / ln(rank), p = λ/Σλ (terms with
	// p = 0 count 0; rank 1 is taken as 1.000001, as WeightWatcher does).
	Entropy float64
}

// String returns the main metrics.
func (m Metrics) String() string {
	return fmt.Sprintf("log_norm=%.4g log_spectral_norm=%.4g alpha_weighted=%.4g log_alpha_norm=%.4g stable_rank=%.4g entropy=%.4g",
		m.LogNorm, m.LogSpectralNorm, m.AlphaWeighted, m.LogAlphaNorm, m.StableRank, m.Entropy)
}

// ComputeMetrics returns the metrics of the eigenvalues evals of a layer with larger
// dimension N, for the power-law exponent alpha (the α metrics are NaN when alpha is
// NaN or ≤ 0, e.g. after a failed fit).
func ComputeMetrics(evals []float64, alpha float64, N int) Metrics {
	var m Metrics
	lmax := 0.0
	for _, v := range evals {
		m.Norm += v
		lmax = max(lmax, v)
	}
	m.SpectralNorm = lmax
	m.LogNorm = math.Log10(m.Norm)
	m.LogSpectralNorm = math.Log10(lmax)
	m.StableRank = m.Norm / lmax
	m.AlphaWeighted, m.LogAlphaNorm = math.NaN(), math.NaN()
	if alpha > 0 {
		m.AlphaWeighted = alpha * m.LogSpectralNorm
		s := 0.0
		for _, v := range evals {
			s += math.Pow(v, alpha)
		}
		m.LogAlphaNorm = math.Log10(s)
	}
	tol := math.Sqrt(lmax) * float64(N) * 0x1p-52
	for _, v := range evals {
		if math.Sqrt(v) > tol {
			m.MatrixRank++
		}
	}
	rank := float64(m.MatrixRank)
	if m.MatrixRank == 1 {
		rank = 1.000001
	}
	h := 0.0
	for _, v := range evals {
		if p := v / m.Norm; p > 0 {
			h -= p * math.Log(p)
		}
	}
	m.Entropy = h / math.Log(rank)
	return m
}

// JensenShannon is WeightWatcher's rand_distance between two ESDs of the same length,
// compared element by element as sorted vectors: with m = (p + q)/2 and p, q, m each
// normalized to sum 1, √((KL(p‖m) + KL(q‖m))/2), natural logarithms.
func JensenShannon(p, q []float64) (float64, error) {
	if len(p) != len(q) || len(p) == 0 {
		return math.NaN(), fmt.Errorf("spectra: Jensen–Shannon distance of %d and %d values", len(p), len(q))
	}
	var sp, sq float64
	for i := range p {
		if !(p[i] >= 0) || !(q[i] >= 0) {
			return math.NaN(), fmt.Errorf("spectra: Jensen–Shannon distance of a negative or NaN value")
		}
		sp += p[i]
		sq += q[i]
	}
	sm := (sp + sq) / 2
	kl := func(a []float64, sa float64) float64 {
		d := 0.0
		for i, v := range a {
			if v == 0 {
				continue
			}
			pv, mv := v/sa, (p[i]+q[i])/2/sm
			d += pv * math.Log(pv/mv)
		}
		return d
	}
	return math.Sqrt(max(0, (kl(p, sp)+kl(q, sq))/2)), nil
}
