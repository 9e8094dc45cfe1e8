// Package meanfield is the mean-field theory of signal propagation in deep random
// networks (Poole et al. 2016, arXiv 1606.05340; Schoenholz et al. 2017, arXiv
// 1611.01232), with simulations of wide random nets to test it.
//
// A random net has layers h^{l+1} = W^{l+1} φ(h^l) + b^{l+1} of width N, weights
// W_ij ~ N(0, σ_w²/N) and biases b_i ~ N(0, σ_b²), all independent. For N → ∞ the
// squared length q^l = |h^l|²/N of a pre-activation vector and the correlation
// c^l = h_a·h_b/(|h_a||h_b|) of two of them follow deterministic maps:
//
//	q^{l+1} = σ_w² ∫Dz φ(√q^l z)² + σ_b²                                  (length map)
//	q_ab^{l+1} = σ_w² ∫Dz₁Dz₂ φ(u_a) φ(u_b) + σ_b²,                         (covariance map)
//	u_a = √q_a z₁,  u_b = √q_b (c z₁ + √(1−c²) z₂),  c^{l+1} = q_ab^{l+1}/√(q_a^{l+1} q_b^{l+1})
//
// with Dz the standard Gaussian measure. At the fixed point q* of the length map,
// c = 1 is always a fixed point of the correlation map, with slope
//
//	χ₁ = σ_w² ∫Dz φ′(√q* z)²:
//
// for χ₁ < 1 (ordered phase) nearby inputs converge, c* = 1; for χ₁ > 1 (chaotic
// phase) they separate and c^l tends to a c* < 1. Deviations from the fixed points
// decay as e^{−l/ξ}, with the depth scales
//
//	ξ_q = −1/ln[χ₁ + σ_w² ∫Dz φ″(√q* z) φ(√q* z)],   ξ_c = −1/ln χ_c,
//	χ_c = σ_w² ∫Dz₁Dz₂ φ′(u₁) φ′(u₂)  at q*, c*;
//
// ξ_c diverges on the order–chaos boundary χ₁ = 1. The sources and equation numbers
// are in docs/references/chaos.md.
//
// # Nonlinearities
//
// A [Phi] is a struct of plain functions (no generics, no interfaces), so a
// nonlinearity written as a Go func works from compiled code and from a notebook
// (gomacro) alike. Its derivative is optional: without one, [Phi.Deriv] uses a
// finite-difference stencil that stays on one side of the declared kinks. The
// built-ins are [Tanh], [Erf], [ReLU], [HardTanh], [Sigmoid] and [Linear].
//
// # Gaussian integrals
//
// [Quad] computes ∫Dz g(z) and the correlated two-dimensional integrals. The default,
// [Adaptive], is adaptive Gauss–Kronrod (7–15 points) on z ∈ [−10, 10] with
// breakpoints at the kinks of φ and φ′, to a relative tolerance of 1e-12: it is exact
// to rounding for polynomials, reaches 1e-12 on kinked and saturating nonlinearities
// and needs no tuning to the scale of φ. [GaussHermite] is the classical n-point
// Gauss–Hermite product rule: fast and exact for polynomials of degree < 2n, but its
// error grows with q for saturating φ (tanh: 1e-13 at q = 1, 1e-6 at q = 5 with
// 128 points) and decays only algebraically at kinks. The tests state both
// accuracies against closed forms (ReLU's arc-cosine kernel, erf's arcsin kernel,
// hard-tanh, linear).
//
// # Simulations
//
// [Simulate] propagates pairs of inputs through independent random nets of finite
// width, drawing each net's weights from its own PCG stream, and measures q^l and
// c^l with errors over nets; [Circle] propagates Poole's great circle of inputs and
// measures its length; [FitDecay] measures decay lengths with jackknife errors.
package meanfield
