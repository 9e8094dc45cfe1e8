package sampler

import (
	"context"
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/optimize"

	"github.com/deepglass/deepglass/models"
)

// DescentMethod selects how [SphericalDescent] goes downhill on the sphere.
type DescentMethod int

const (
	// ProjectedGD is Riemannian gradient descent: σ ← R(σ − η grad H(σ)), with the
	// retraction R(x) = √N x/|x| (projected gradient descent), and step control: a step is accepted if it lowers H by at least
	// 10⁻⁴·η|grad H|² (Armijo), else η is halved and the step retried; after an
	// accepted step η grows by 25%, up to MaxStep. Once that decrease is below the
	// rounding of H (|grad H|² η < 10⁻¹³|H|), a step is accepted if it lowers
	// |grad H| instead, which a stable step does near a minimum. One gradient per
	// trial step. It follows the gradient flow closely and ends in the basin the
	// flow leads to.
	ProjectedGD DescentMethod = iota
	// LBFGS is gonum/optimize's L-BFGS (with its More–Thuente line search) on the
	// radial chart f(x) = H(√N x/|x|), x ∈ ℝ^N∖{0}: f is smooth, its critical
	// points are the rays through the critical points of H on the sphere (with the
	// same index on the tangent directions), and ∇f(x) = (√N/|x|) grad H(σ) is
	// tangent, so no constraint is needed. (A co-author of Choromanska et al. descends
	// the same chart by plain gradient steps: docs/references/spherical.md §1.) Fewer gradients than ProjectedGD, but
	// its long steps can leave the basin of the gradient flow. If the line search
	// stops above Tol (at the rounding floor of H), ProjectedGD finishes the descent.
	LBFGS
)

// String returns "gd" or "lbfgs".
func (m DescentMethod) String() string {
	switch m {
	case ProjectedGD:
		return "gd"
	case LBFGS:
		return "lbfgs"
	}
	return fmt.Sprintf("DescentMethod(%d)", int(m))
}

// ParseDescentMethod reads "gd" or "lbfgs".
func ParseDescentMethod(s string) (DescentMethod, error) {
	switch s {
	case "gd":
		return ProjectedGD, nil
	case "lbfgs":
		return LBFGS, nil
	}
	return 0, fmt.Errorf("unknown descent method %q (want gd or lbfgs)", s)
}

// SphericalDescent minimizes a spherical p-spin Hamiltonian locally from a given
// point of the sphere |σ|² = N until the root mean square of the Riemannian
// gradient, |grad H|/√N, falls below Tol. The zero value of every field but Model
// picks a default.
type SphericalDescent struct {
	Model  *models.Spherical
	Method DescentMethod
	// Tol is the stopping threshold of |grad H|/√N (default 1e-7).
	Tol float64
	// MaxIter bounds the iterations (default 200000).
	MaxIter int
	// Step is ProjectedGD's initial step η (default 0.05 in the ABC normalization,
	// 0.05·√2 in Crisanti–Sommers', whose gradients are √2 times smaller), and
	// MaxStep its largest (default 20·Step).
	Step, MaxStep float64
}

// DescentResult is where a descent ended.
type DescentResult struct {
	// Energy is H/N at the end point, per spin.
	Energy float64
	// GradRMS is |grad H|/√N there.
	GradRMS float64
	// Iterations counts accepted steps (ProjectedGD) or major iterations (LBFGS);
	// Gradients counts evaluations of ∇H (each gives H too).
	Iterations, Gradients int
	// Converged is GradRMS < Tol.
	Converged bool
}

// String summarises the result.
func (r DescentResult) String() string {
	return fmt.Sprintf("e=%.8f |grad|=%.2g after %d iterations (%d gradients), converged=%v", r.Energy, r.GradRMS, r.Iterations, r.Gradients, r.Converged)
}

func (d *SphericalDescent) defaults() (tol float64, maxIter int, step, maxStep float64) {
	tol, maxIter, step, maxStep = d.Tol, d.MaxIter, d.Step, d.MaxStep
	if tol <= 0 {
		tol = 1e-7
	}
	if maxIter <= 0 {
		maxIter = 200000
	}
	if step <= 0 {
		step = 0.05
		if d.Model.Norm() == models.CrisantiSommers {
			step *= math.Sqrt2
		}
	}
	if maxStep <= 0 {
		maxStep = 20 * step
	}
	return
}

// Run descends from s, which must lie on the sphere |σ|² = N, and leaves the end
// point in s. It returns ctx.Err() (with the point reached so far in s) if ctx is
// cancelled; it checks ctx every 64 iterations. A descent that does not reach Tol
// within MaxIter iterations returns Converged = false and no error.
func (d *SphericalDescent) Run(ctx context.Context, s []float64) (DescentResult, error) {
	if d.Model == nil {
		panic("sampler: SphericalDescent with nil Model")
	}
	if len(s) != d.Model.N() {
		panic("sampler: SphericalDescent: spin length mismatch")
	}
	switch d.Method {
	case ProjectedGD:
		return d.gd(ctx, s)
	case LBFGS:
		r, err := d.lbfgs(ctx, s)
		if err != nil || r.Converged {
			return r, err
		}
		// L-BFGS's line search stops once f no longer changes within rounding,
		// which can be above a tight Tol: finish with gradient steps, which near a
		// minimum can go on lowering |grad H| below the rounding of H.
		p, err := d.gd(ctx, s)
		p.Iterations += r.Iterations
		p.Gradients += r.Gradients
		return p, err
	}
	panic(fmt.Sprintf("sampler: SphericalDescent: unknown method %d", int(d.Method)))
}

func sumSq(v []float64) float64 {
	var s float64
	for _, x := range v {
		s += x * x
	}
	return s
}

func (d *SphericalDescent) gd(ctx context.Context, s []float64) (DescentResult, error) {
	m := d.Model
	n := m.N()
	tol, maxIter, eta, maxStep := d.defaults()
	g := make([]float64, n)
	trial := make([]float64, n)
	gt := make([]float64, n)
	e := m.TangentGradient(g, s)
	gg := sumSq(g)
	res := DescentResult{Gradients: 1}
	limit := tol * tol * float64(n)
	for res.Iterations < maxIter && gg >= limit {
		if res.Iterations%64 == 0 {
			if err := ctx.Err(); err != nil {
				res.Energy, res.GradRMS = e/float64(n), math.Sqrt(gg/float64(n))
				return res, err
			}
		}
		for {
			for i := range s {
				trial[i] = s[i] - eta*g[i]
			}
			models.Normalize(trial)
			et := m.TangentGradient(gt, trial)
			res.Gradients++
			ggt := sumSq(gt)
			decrease := eta * gg
			var ok bool
			if decrease < 1e-13*math.Abs(e) {
				ok = ggt < gg // rounding regime: a stable step lowers the gradient
			} else {
				ok = et <= e-1e-4*decrease
			}
			if ok {
				copy(s, trial)
				g, gt = gt, g
				e, gg = et, ggt
				eta = math.Min(eta*1.25, maxStep)
				break
			}
			eta /= 2
			if eta < 1e-300 {
				// No step lowers H or the gradient: a point of the rounding floor.
				res.Energy, res.GradRMS = e/float64(n), math.Sqrt(gg/float64(n))
				res.Converged = gg < limit
				return res, nil
			}
		}
		res.Iterations++
	}
	res.Energy, res.GradRMS = e/float64(n), math.Sqrt(gg/float64(n))
	res.Converged = gg < limit
	return res, nil
}

// errCancelled marks an L-BFGS run stopped by its context.
var errCancelled = errors.New("sampler: descent cancelled")

var statusCancelled = optimize.NewStatus("Cancelled", true, errCancelled)

// tangentConverger stops gonum's L-BFGS when the RMS of the Riemannian gradient
// falls below tol, or when ctx is cancelled.
type tangentConverger struct {
	ctx context.Context
	tol float64
	n   int
}

func (c *tangentConverger) Init(int) {}

func (c *tangentConverger) Converged(loc *optimize.Location) optimize.Status {
	if c.ctx.Err() != nil {
		return statusCancelled
	}
	// ∇f(x) = (√N/|x|) grad H(σ): |grad H| = |x| |∇f| / √N.
	rms := math.Sqrt(sumSq(loc.X)*sumSq(loc.Gradient)) / float64(c.n)
	if rms < c.tol {
		return optimize.GradientThreshold
	}
	return optimize.NotTerminated
}

func (d *SphericalDescent) lbfgs(ctx context.Context, s []float64) (DescentResult, error) {
	m := d.Model
	n := m.N()
	tol, maxIter, _, _ := d.defaults()
	sig := make([]float64, n)
	gs := make([]float64, n)
	rootN := math.Sqrt(float64(n))
	grads := 0
	// gonum asks for f and ∇f at the same x one after the other: one gradient pass
	// gives both, cached for the x it was computed at.
	var cx []float64
	var ce float64
	eval := func(x []float64) {
		if cx != nil && equalSlices(cx, x) {
			return
		}
		c := rootN / math.Sqrt(sumSq(x))
		for i, v := range x {
			sig[i] = c * v
		}
		ce = m.TangentGradient(gs, sig)
		for i := range gs {
			gs[i] *= c
		}
		grads++
		cx = append(cx[:0], x...)
	}
	prob := optimize.Problem{
		Func: func(x []float64) float64 {
			eval(x)
			return ce
		},
		Grad: func(grad, x []float64) {
			eval(x)
			copy(grad, gs)
		},
	}
	settings := &optimize.Settings{
		Converger:       &tangentConverger{ctx: ctx, tol: tol, n: n},
		MajorIterations: maxIter,
	}
	result, err := optimize.Minimize(prob, s, settings, &optimize.LBFGS{})
	if result == nil {
		return DescentResult{}, fmt.Errorf("spherical descent: %w", err)
	}
	copy(s, result.X)
	models.Normalize(s)
	e := m.TangentGradient(gs, s)
	grads++
	gg := sumSq(gs)
	res := DescentResult{
		Energy: e / float64(n), GradRMS: math.Sqrt(gg / float64(n)),
		Iterations: result.Stats.MajorIterations, Gradients: grads, Converged: gg < tol*tol*float64(n),
	}
	if result.Status == statusCancelled {
		return res, ctx.Err()
	}
	// Other early stops (line-search failure at the rounding floor, the iteration
	// limit) leave Converged to say how far the descent got.
	return res, nil
}

func equalSlices(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
