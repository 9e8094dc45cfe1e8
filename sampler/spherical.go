package sampler

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/deepglass/deepglass/models"
)

// SphericalChain is one Markov chain of a spherical p-spin model: a point of the
// sphere |σ|² = N, its energy, its Riemannian gradient and a private random stream.
// The continuous counterpart of [Chain]; [SphericalHMC] and [SphericalLangevin]
// advance it.
type SphericalChain struct {
	// S is the configuration, on the sphere Σσ_i² = N.
	S []float64
	// E is the total energy H(S).
	E float64
	// Src is the chain's random stream; it is never shared with another chain.
	Src *rand.PCG
	// Accepted and Proposed count HMC trajectories (Langevin steps count as
	// proposed and accepted); Sweeps counts calls to Sweep.
	Accepted, Proposed, Sweeps int64

	g   []float64 // Riemannian gradient of H at S
	rng *rand.Rand
}

// NewSphericalChain returns a chain of m at a uniformly random point of the sphere
// drawn from src.
func NewSphericalChain(m *models.Spherical, src *rand.PCG) *SphericalChain {
	if src == nil {
		panic("sampler: NewSphericalChain with nil source")
	}
	c := &SphericalChain{S: make([]float64, m.N()), Src: src}
	models.RandomSphere(c.S, c.Src)
	c.resync(m)
	return c
}

// NewSphericalChainFrom returns a chain of m starting from a copy of s, projected
// onto the sphere.
func NewSphericalChainFrom(m *models.Spherical, s []float64, src *rand.PCG) *SphericalChain {
	if src == nil {
		panic("sampler: NewSphericalChainFrom with nil source")
	}
	if len(s) != m.N() {
		panic("sampler: NewSphericalChainFrom spin length mismatch")
	}
	c := &SphericalChain{S: append([]float64(nil), s...), Src: src}
	models.Normalize(c.S)
	c.resync(m)
	return c
}

// random returns a rand.Rand reading c.Src, made once: NormFloat64 keeps no state
// of its own in math/rand/v2, so the chain's state is the PCG's.
func (c *SphericalChain) random() *rand.Rand {
	if c.rng == nil {
		c.rng = rand.New(c.Src)
	}
	return c.rng
}

// resync recomputes E and the gradient from S.
func (c *SphericalChain) resync(m *models.Spherical) {
	if len(c.g) != len(c.S) {
		c.g = make([]float64, len(c.S))
	}
	c.E = m.TangentGradient(c.g, c.S)
}

// Resync recomputes E (and the cached gradient) from S and returns the drift it
// removed (new minus old). Call it after changing S by hand.
func (c *SphericalChain) Resync(m *models.Spherical) float64 {
	old := c.E
	c.resync(m)
	return c.E - old
}

// Energy returns the total energy H(S).
func (c *SphericalChain) Energy() float64 { return c.E }

// Acceptance returns Accepted/Proposed, or 0 before any proposal.
func (c *SphericalChain) Acceptance() float64 {
	if c.Proposed == 0 {
		return 0
	}
	return float64(c.Accepted) / float64(c.Proposed)
}

// String summarises the chain.
func (c *SphericalChain) String() string {
	return fmt.Sprintf("N=%d E=%g e=%.5g acc=%.3g sweeps=%d", len(c.S), c.E, c.E/float64(len(c.S)), c.Acceptance(), c.Sweeps)
}

// SphericalState is the state of a [SphericalChain] for a checkpoint: plain data,
// encodable with encoding/json or gob.
type SphericalState struct {
	S                          []float64
	E                          float64
	Accepted, Proposed, Sweeps int64
	// Src is the PCG's MarshalBinary encoding.
	Src []byte
}

// String summarises the state.
func (s SphericalState) String() string {
	return fmt.Sprintf("spherical state N=%d E=%g sweeps=%d", len(s.S), s.E, s.Sweeps)
}

// State returns a copy of the chain's state.
func (c *SphericalChain) State() SphericalState {
	b, _ := c.Src.MarshalBinary() // PCG.MarshalBinary never fails
	return SphericalState{S: append([]float64(nil), c.S...), E: c.E, Accepted: c.Accepted, Proposed: c.Proposed, Sweeps: c.Sweeps, Src: b}
}

// Restore sets the chain to st, a state of a chain of m. It returns an error, and
// changes nothing, if st does not fit m: a wrong length, a point off the sphere, an
// energy that is not m's energy of the point (a state of another instance), bad
// counters or a bad stream encoding. The chain continues exactly as the chain
// that st was taken from.
func (c *SphericalChain) Restore(m *models.Spherical, st SphericalState) error {
	n := m.N()
	if len(st.S) != n {
		return fmt.Errorf("spherical state has %d spins, want %d", len(st.S), n)
	}
	var ss float64
	for _, x := range st.S {
		ss += x * x
	}
	if !(math.Abs(ss-float64(n)) <= 1e-9*float64(n)) {
		return fmt.Errorf("spherical state is off the sphere: |σ|² = %g, want %d", ss, n)
	}
	e := m.Energy(st.S)
	if !(math.Abs(e-st.E) <= 1e-9*math.Max(1, math.Abs(e))) {
		return fmt.Errorf("spherical state energy %g differs from the model's %g: a state of another instance", st.E, e)
	}
	if st.Accepted < 0 || st.Proposed < st.Accepted || st.Sweeps < 0 {
		return errors.New("spherical state: bad counters")
	}
	var src rand.PCG
	if err := src.UnmarshalBinary(st.Src); err != nil {
		return fmt.Errorf("spherical state stream: %w", err)
	}
	if c.Src == nil {
		c.Src = new(rand.PCG)
	}
	*c.Src = src
	c.rng = nil
	c.S = append(c.S[:0], st.S...)
	c.Accepted, c.Proposed, c.Sweeps = st.Accepted, st.Proposed, st.Sweeps
	c.resync(m)
	return nil
}

// tangentNormal fills v with a standard Gaussian vector of the tangent space at s.
func tangentNormal(v, s []float64, rng *rand.Rand) {
	for i := range v {
		v[i] = rng.NormFloat64()
	}
	models.Project(v, s)
}

// SphericalHMC is Hamiltonian (hybrid) Monte Carlo on the sphere at inverse
// temperature Beta, with the geodesic integrator of Byrne & Girolami (Scand. J.
// Stat. 40, 825 (2013)): a sweep draws a tangent Gaussian momentum v, runs Steps
// leapfrog steps
//
//	v ← v − (ε/2) β grad H(σ);  (σ, v) ← geodesic flow for time ε;  v ← v − (ε/2) β grad H(σ)
//
// (the geodesic flow on the sphere of radius r = √N is exact: with a = |v|,
// σ ← σ cos(aε/r) + (r/a) v sin(aε/r), v ← −(a/r) σ sin(aε/r) + v cos(aε/r)), and
// accepts the end point with probability min(1, exp(−ΔK − βΔH)), K = |v|²/2. The
// integrator is reversible and preserves the volume of the tangent bundle, so the
// chain samples exp(−βH) with respect to the uniform measure of the sphere exactly:
// no discretization bias, whatever ε (which only sets the acceptance). The step is
// drawn uniformly from [0.8ε, 1.2ε] for every trajectory (independently of the
// state) to avoid periodic orbits. With Steps = 1 it is the Metropolis-adjusted
// Langevin algorithm on the sphere.
//
// Cost: Steps gradients per sweep. A SphericalHMC holds scratch space: use one per
// goroutine (a PT move factory returning a fresh one per β does this).
type SphericalHMC struct {
	Model *models.Spherical
	Beta  float64
	// Step is the leapfrog step ε (0: [DefaultHMCStep]), Steps the number of
	// leapfrog steps per sweep (0: 10).
	Step  float64
	Steps int

	v, g, s0 []float64
}

// NewSphericalHMC returns HMC on m at inverse temperature beta with the default
// step and trajectory length.
func NewSphericalHMC(m *models.Spherical, beta float64) *SphericalHMC {
	if !(beta >= 0) || math.IsInf(beta, 0) {
		panic("sampler: NewSphericalHMC needs a finite β ≥ 0")
	}
	return &SphericalHMC{Model: m, Beta: beta}
}

// SetBeta sets the inverse temperature (the step follows it if it is the default).
func (h *SphericalHMC) SetBeta(beta float64) { h.Beta = beta }

// DefaultHMCStep returns the default leapfrog step of [SphericalHMC] for m at β:
// 0.35·(N/100)^{−1/4}/√max(1, βs), s = 1 for Crisanti–Sommers and √2 for ABC, which
// gave acceptances of 0.63–0.80 at N = 50–200 and T = 0.5–1 (CS; TestSphericalParamagnet
// checks 0.5–0.95 at N = 24); the N^{−1/4} is the usual scaling of the HMC energy
// error with dimension.
func DefaultHMCStep(m *models.Spherical, beta float64) float64 {
	s := 1.0
	if m.Norm() == models.ABC {
		s = math.Sqrt2
	}
	return 0.35 * math.Pow(float64(m.N())/100, -0.25) / math.Sqrt(math.Max(1, beta*s))
}

// String describes the sampler.
func (h *SphericalHMC) String() string {
	return fmt.Sprintf("spherical HMC β=%g ε=%g steps=%d", h.Beta, h.step(), h.steps())
}

func (h *SphericalHMC) step() float64 {
	if h.Step > 0 {
		return h.Step
	}
	return DefaultHMCStep(h.Model, h.Beta)
}

func (h *SphericalHMC) steps() int {
	if h.Steps > 0 {
		return h.Steps
	}
	return 10
}

// Sweep runs one HMC trajectory from c and accepts or rejects its end point.
func (h *SphericalHMC) Sweep(c *SphericalChain) {
	m := h.Model
	n := len(c.S)
	if n != m.N() {
		panic("sampler: SphericalHMC.Sweep: chain of another size")
	}
	if len(h.v) != n {
		h.v, h.g, h.s0 = make([]float64, n), make([]float64, n), make([]float64, n)
	}
	if len(c.g) != n {
		c.resync(m)
	}
	rng := c.random()
	eps := h.step() * (0.8 + 0.4*rng.Float64())
	beta := h.Beta
	v, g, s := h.v, h.g, c.S
	copy(h.s0, s)
	copy(g, c.g)
	tangentNormal(v, s, rng)
	k0 := 0.5 * sumSq(v)
	e := c.E
	r := math.Sqrt(float64(n))
	for range h.steps() {
		for i := range v {
			v[i] -= 0.5 * eps * beta * g[i]
		}
		a := math.Sqrt(sumSq(v))
		if a > 0 {
			cs, sn := math.Cos(a*eps/r), math.Sin(a*eps/r)
			for i := range s {
				x, w := s[i], v[i]
				s[i] = x*cs + (r/a)*w*sn
				v[i] = -(a/r)*x*sn + w*cs
			}
		}
		// Remove the rounding drift off the sphere and its tangent space.
		models.Normalize(s)
		models.Project(v, s)
		e = m.TangentGradient(g, s)
		for i := range v {
			v[i] -= 0.5 * eps * beta * g[i]
		}
	}
	dh := beta*(e-c.E) + 0.5*sumSq(v) - k0
	c.Proposed++
	c.Sweeps++
	if dh <= 0 || rng.Float64() < math.Exp(-dh) {
		c.E = e
		copy(c.g, g)
		c.Accepted++
		return
	}
	copy(s, h.s0)
}

// SphericalLangevin is overdamped Langevin dynamics on the sphere at inverse
// temperature Beta, dσ = −grad H dt + √(2T) dW projected on the tangent space,
// integrated by the projected Euler–Maruyama scheme
//
//	σ ← R(σ − Dt·grad H(σ) + √(2T·Dt) P_σ ξ),  ξ ~ N(0, I_N),  R(x) = √N x/|x|,
//
// Steps times per sweep (time Steps·Dt). The retraction supplies the drift of
// Brownian motion on the sphere, −T(N−1)/N σ dt, to first order, so the scheme has
// weak order 1: its stationary distribution is exp(−βH) up to a bias of order Dt
// (in the energy per spin: measured in TestSphericalLangevinBias) and there is no
// accept step. Use [SphericalHMC] for exact equilibrium (and in parallel tempering);
// use Langevin for the physical dynamics (quenches, aging, the threshold). At
// β = ∞ (T = 0) it is gradient descent with the fixed step Dt.
type SphericalLangevin struct {
	Model *models.Spherical
	Beta  float64
	// Dt is the time step (0: 0.01 for Crisanti–Sommers, 0.005 for ABC), Steps
	// the number of steps per sweep (0: 1).
	Dt    float64
	Steps int

	v, g []float64
}

// NewSphericalLangevin returns Langevin dynamics on m at inverse temperature
// beta > 0 (+Inf for T = 0) with the default time step.
func NewSphericalLangevin(m *models.Spherical, beta float64) *SphericalLangevin {
	if !(beta > 0) {
		panic("sampler: NewSphericalLangevin needs β > 0")
	}
	return &SphericalLangevin{Model: m, Beta: beta}
}

// SetBeta sets the inverse temperature.
func (l *SphericalLangevin) SetBeta(beta float64) { l.Beta = beta }

// String describes the dynamics.
func (l *SphericalLangevin) String() string {
	return fmt.Sprintf("spherical Langevin β=%g dt=%g steps=%d", l.Beta, l.dt(), max(l.Steps, 1))
}

func (l *SphericalLangevin) dt() float64 {
	if l.Dt > 0 {
		return l.Dt
	}
	if l.Model.Norm() == models.ABC {
		return 0.005
	}
	return 0.01
}

// Sweep advances c by Steps time steps.
func (l *SphericalLangevin) Sweep(c *SphericalChain) {
	m := l.Model
	n := len(c.S)
	if n != m.N() {
		panic("sampler: SphericalLangevin.Sweep: chain of another size")
	}
	if len(l.v) != n {
		l.v, l.g = make([]float64, n), make([]float64, n)
	}
	if len(c.g) != n {
		c.resync(m)
	}
	rng := c.random()
	dt := l.dt()
	noise := 0.0
	if !math.IsInf(l.Beta, 1) {
		noise = math.Sqrt(2 * dt / l.Beta)
	}
	s, g := c.S, c.g
	for range max(l.Steps, 1) {
		if noise > 0 {
			tangentNormal(l.v, s, rng)
			for i := range s {
				s[i] += -dt*g[i] + noise*l.v[i]
			}
		} else {
			for i := range s {
				s[i] -= dt * g[i]
			}
		}
		models.Normalize(s)
		c.E = m.TangentGradient(g, s)
		c.Proposed++
		c.Accepted++
	}
	c.Sweeps++
}
