package sim

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/deepglass/deepglass/models"
)

// The registry's helpers for the random-energy and p-spin models, the funnel and the
// planted SK (docs/funnels.md), and for start values pattern:K.

// glassySamplers are the samplers of the glassy models.
var glassySamplers = []string{"metropolis", "heatbath", "pt", "anneal", "wanglandau", "pa"}

// glassyDefaults gives single-temperature samplers two replicas on the glassy models.
// Below the freezing temperature a single-spin chain stays in the valley it fell into
// for longer than any run, and its energy fluctuates there as if in equilibrium: one
// chain's error bar and its split-R̂ (halves of the same valley) both look fine, and
// a wrong number would be reported silently. Two chains from independent random starts
// fall into different valleys, and R̂ across them flags the disagreement (the rhat
// warning), at twice the cost; pt already runs two replicas.
func glassyDefaults(c *Config) {
	if c.Replicas == 0 && (c.Sampler == "metropolis" || c.Sampler == "heatbath") {
		c.Replicas = 2
	}
}

// validateIndexN checks the spins of a model whose energies are hashed from the
// state's 64-bit index.
func validateIndexN(c *Config, bad reporter) {
	if c.N < 2 || c.N > models.MaxIndexN {
		bad("n", "model %s needs 2 ≤ n ≤ %d spins (its energies are hashed from the state's %d-bit index), have %d",
			c.Model, models.MaxIndexN, models.MaxIndexN, c.N)
	}
}

// indexSize sizes a model whose energies are hashed: nothing of size 2^N is stored.
func indexSize(c Config) (int, int64) {
	n := c.N
	if c.Model == "grem" {
		n = 0
		if spins, err := parseInts(c.Levels); err == nil {
			for _, k := range spins {
				n += k
			}
		}
	}
	return n, 1024 + 16*int64(n)
}

func buildREM(c Config, rng *rand.Rand) (Instance, error) {
	return Instance{Model: models.NewREM(c.N, 1, rng)}, nil
}

// gremDefaults gives every level the same variance share when none are given.
func gremDefaults(c *Config) {
	glassyDefaults(c)
	if c.Shares != "" {
		return
	}
	spins, err := parseInts(c.Levels)
	if err != nil || len(spins) == 0 {
		return
	}
	shares := make([]string, len(spins))
	for k := range shares {
		shares[k] = strconv.FormatFloat(1/float64(len(spins)), 'g', -1, 64)
	}
	c.Shares = strings.Join(shares, ",")
}

func validateGREM(c *Config, bad reporter) {
	if c.Levels == "" {
		bad("levels", "model grem needs the spins of each level (-levels 10,10)")
		return
	}
	spins, err := parseInts(c.Levels)
	if err != nil {
		bad("levels", "%v", err)
		return
	}
	shares, err := parseFloats(c.Shares)
	if err != nil {
		bad("shares", "%v", err)
		return
	}
	if err := models.ValidateGREM(spins, shares); err != nil {
		bad("levels", "%v", err)
	}
}

func buildGREM(c Config, rng *rand.Rand) (Instance, error) {
	spins, err1 := parseInts(c.Levels)
	shares, err2 := parseFloats(c.Shares)
	if err := errors.Join(err1, err2); err != nil {
		return Instance{}, &InputError{fmt.Errorf("levels, shares: %w", err)}
	}
	return Instance{Model: models.NewGREM(spins, shares, 1, rng)}, nil
}

// maxDiluted is the largest number of spins of a diluted p-spin model.
const maxDiluted = 1 << 24

func pspinDefaults(c *Config) {
	glassyDefaults(c)
	if c.P == 0 {
		c.P = 3
	}
}

func validatePSpin(c *Config, bad reporter) {
	if c.Degree == 0 && c.N > maxDense || c.N > maxDiluted {
		bad("n", "%d spins is more than a pspin model can hold here (dense: at most %d, diluted: %d)", c.N, maxDense, maxDiluted)
		return
	}
	if err := models.ValidatePSpin(c.N, c.P, c.Degree); err != nil {
		bad("p", "pspin: %v", err)
	}
}

// pspinSize sizes a p-spin model: per term, its sites twice (terms and the site
// index) and its coupling.
func pspinSize(c Config) (int, int64) {
	terms := float64(c.N) * float64(c.Degree) / float64(max(c.P, 1))
	if c.Degree == 0 {
		terms = 1
		for i := 1; i <= c.P; i++ {
			terms = terms * float64(c.N-c.P+i) / float64(i)
		}
	}
	return c.N, int64(terms*float64(8*c.P+8)) + 8*int64(c.N)
}

// buildPSpin builds the dense or diluted p-spin model; the dense p = 2 model is built
// as the pairwise Dense model with the same energies, which every sampler has fast
// kernels for.
func buildPSpin(c Config, rng *rand.Rand) (Instance, error) {
	if c.Degree > 0 {
		return Instance{Model: models.NewDilutedPSpin(c.N, c.P, c.Degree, 1, rng)}, nil
	}
	ps := models.NewPSpin(c.N, c.P, 1, rng)
	if c.P == 2 {
		return Instance{Model: ps.Dense()}, nil
	}
	return Instance{Model: ps}, nil
}

func validateFunnel(c *Config, bad reporter) {
	validateIndexN(c, bad)
	if !(c.Epsilon > 0) || math.IsInf(c.Epsilon, 0) {
		bad("epsilon", "model funnel needs a stability ε > 0 of its native state (-epsilon; the BW folding transition needs ε > √ln 2 ≈ 0.83), have %v", c.Epsilon)
	}
}

// maxExactObservable is the largest N for which a run computes the exact thermal
// average of a model's observable by enumeration.
const maxExactObservable = 20

// buildFunnel builds the BW funnel with the observables p_native (the indicator of the
// native state, whose mean is P_native) and q_native (the overlap with it), and the
// exact P_native by enumeration for N ≤ 20 (docs/references/funnels.md §2).
func buildFunnel(c Config, rng *rand.Rand) (Instance, error) {
	f := models.NewFunnel(c.N, 1, c.Epsilon, rng)
	xi := f.Native()
	pNative := Observable{
		Name: "p_native",
		Doc:  "indicator of the native state: its mean is the probability P_native of the folded state",
		Value: func(s []int8) float64 {
			for i, x := range xi {
				if s[i] != x {
					return 0
				}
			}
			return 1
		},
	}
	if c.N <= maxExactObservable {
		pNative.Exact = f.PNative
	}
	qNative := Observable{Name: "q_native", Doc: "overlap (1/N) Σ ξ_i s_i with the native state ξ",
		Value: func(s []int8) float64 { return models.Overlap(xi, s) }}
	return Instance{Model: f, Observables: []Observable{pNative, qNative}, Patterns: [][]int8{xi}}, nil
}

func plantedDefaults(c *Config) {
	glassyDefaults(c)
	setDefault(&c.Bonds, "gauss")
}

func validatePlanted(c *Config, bad reporter) {
	validateN(c, bad)
	validateBonds(c, bad)
}

// buildPlanted builds SK with a planted pattern ξ and the observables q_xi, the
// overlap with ξ, and abs_q_xi = |q_xi|: the Hamiltonian is even in s, so in
// equilibrium q_xi averages to 0 and |q_xi| is the order parameter of the planted
// (ferromagnetic, after the gauge transformation) phase.
func buildPlanted(c Config, rng *rand.Rand) (Instance, error) {
	b, err := models.ParseBondDist(c.Bonds)
	if err != nil {
		return Instance{}, &InputError{fmt.Errorf("bonds: %w", err)}
	}
	d, xi := models.NewPlanted(c.N, c.J0, b, rng)
	obs := []Observable{
		{Name: "q_xi", Doc: "overlap (1/N) Σ ξ_i s_i with the planted pattern ξ",
			Value: func(s []int8) float64 { return models.Overlap(xi, s) }},
		{Name: "abs_q_xi", Doc: "|q_xi|: the absolute overlap with the planted pattern",
			Value: func(s []int8) float64 { return math.Abs(models.Overlap(xi, s)) }},
	}
	return Instance{Model: d, Observables: obs, Patterns: [][]int8{xi}}, nil
}

// parseStartPattern parses a start value pattern:K or pattern:K:P (pattern K, counted
// from 1, each spin flipped with probability P).
func parseStartPattern(v string) (k int, noise float64, err error) {
	parts := strings.Split(v, ":")
	if parts[0] != "pattern" || len(parts) < 2 || len(parts) > 3 {
		return 0, 0, fmt.Errorf("unknown initial state %q (want ordered, random or pattern:K[:p])", v)
	}
	k, err = strconv.Atoi(strings.TrimSpace(parts[1]))
	if err != nil || k < 1 {
		return 0, 0, fmt.Errorf("initial state %q: the pattern number K must be an integer ≥ 1", v)
	}
	if len(parts) == 3 {
		noise, err = strconv.ParseFloat(strings.TrimSpace(parts[2]), 64)
		if err != nil || !(noise >= 0 && noise <= 1) {
			return 0, 0, fmt.Errorf("initial state %q: the flip probability p must be a number in [0, 1]", v)
		}
	}
	return k, noise, nil
}

// validateStart checks the start value: ordered, random, or pattern:K[:p] naming one
// of the model's patterns.
func validateStart(c *Config, m ModelKind, bad reporter) {
	switch c.Start {
	case "", "ordered", "random":
		return
	}
	k, _, err := parseStartPattern(c.Start)
	switch {
	case err != nil:
		bad("start", "%v", err)
	case m.Name == "":
	case m.Patterns == nil:
		bad("start", "model %s has no stored, planted or native pattern to start from (pattern:K is for hopfield, mattis, planted and funnel)", m.Name)
	case k > m.Patterns(c):
		bad("start", "pattern %d: model %s has %d pattern(s)", k, m.Name, m.Patterns(c))
	}
}

// patternStart returns the initial state of a chain started from a pattern (start
// pattern:K[:p]): pattern K with each spin flipped with probability p, drawn from src
// (nothing is drawn for p = 0). ok is false for other start values.
func patternStart(start string, in Instance, src rand.Source) (s []int8, ok bool) {
	k, noise, err := parseStartPattern(start)
	if err != nil || k > len(in.Patterns) {
		return nil, false
	}
	s = append([]int8(nil), in.Patterns[k-1]...)
	if noise > 0 {
		s = models.CorruptPattern(s, noise, rand.New(src))
	}
	return s, true
}

func parseInts(v string) ([]int, error) {
	var out []int
	for _, x := range strings.Split(v, ",") {
		k, err := strconv.Atoi(strings.TrimSpace(x))
		if err != nil {
			return nil, fmt.Errorf("%q is not an integer", strings.TrimSpace(x))
		}
		out = append(out, k)
	}
	return out, nil
}

func parseFloats(v string) ([]float64, error) {
	var out []float64
	for _, x := range strings.Split(v, ",") {
		f, err := strconv.ParseFloat(strings.TrimSpace(x), 64)
		if err != nil {
			return nil, fmt.Errorf("%q is not a number", strings.TrimSpace(x))
		}
		out = append(out, f)
	}
	return out, nil
}
