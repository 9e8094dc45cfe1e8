package sim

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"

	"github.com/deepglass/deepglass/models"
)

// The registry: one entry per model kind and per sampler. Config validation, defaults,
// model building, the flags and help of `deepglass run` and the checks of which
// combinations run all read these tables, so a new model is one file in models/ plus
// one entry in [modelKinds] (docs/adding-a-model.md walks through one).

// A Param is an optional config field that some models or samplers take: its JSON/YAML
// key, the flag of `deepglass run` that sets it, a doc line, and how to set and test it.
type Param struct {
	// Key is the field's JSON/YAML key, e.g. "patterns".
	Key string
	// Flag is the flag of `deepglass run` that sets it, e.g. "-patterns".
	Flag string
	// Doc is the flag's help line.
	Doc string
	set func(c *Config, v string) error
	on  func(c *Config) bool
}

// String returns "key (flag)".
func (p Param) String() string { return p.Key + " (" + p.Flag + ")" }

// Set parses v into the param's field of c.
func (p Param) Set(c *Config, v string) error {
	if err := p.set(c, v); err != nil {
		return fmt.Errorf("flag %s %q: %w", p.Flag, v, err)
	}
	return nil
}

// IsSet reports whether c sets the param.
func (p Param) IsSet(c *Config) bool { return p.on(c) }

// Params returns the optional config fields of models and samplers (see [Param]), for
// command-line flags.
func Params() []Param { return slices.Clone(params) }

func stringParam(key, flag, doc string, field func(c *Config) *string) Param {
	return Param{key, flag, doc,
		func(c *Config, v string) error { *field(c) = v; return nil },
		func(c *Config) bool { return *field(c) != "" }}
}

func intParam(key, flag, doc string, field func(c *Config) *int) Param {
	return Param{key, flag, doc,
		func(c *Config, v string) error {
			n, err := strconv.Atoi(strings.TrimSpace(v))
			if err != nil {
				return errors.New("not an integer")
			}
			*field(c) = n
			return nil
		},
		func(c *Config) bool { return *field(c) != 0 }}
}

func floatParam(key, flag, doc string, field func(c *Config) *float64) Param {
	return Param{key, flag, doc,
		func(c *Config, v string) error {
			x, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err != nil {
				return errors.New("not a number")
			}
			*field(c) = x
			return nil
		},
		func(c *Config) bool { return *field(c) != 0 }}
}

// params lists the optional config fields that belong to a model, a sampler or the
// packed kernels. Fields every run takes (T, therm, sweeps, measure_every, replicas,
// seed, packed) are not listed.
var params = []Param{
	stringParam("order", "-order", "site `order` of metropolis and heatbath (and pt's move): typewriter or random (default: the model's: typewriter on lattices, random otherwise; packed runs sweep in the order of their kernels, row-checkerboard for 64 lanes on square and cubic lattices whose side is a multiple of 16)",
		func(c *Config) *string { return &c.Order }),
	stringParam("start", "-start", "initial `state` of the chains: ordered (all +1), random, or pattern:K[:p] (stored pattern K of hopfield and mattis, the planted or native state 1 of planted and funnel, each spin flipped with probability p) (default ordered for ising, random otherwise)",
		func(c *Config) *string { return &c.Start }),
	stringParam("lattice", "-lattice", "`lattice` of ising and ea: chain:L, square:L or cubic:L (periodic boundaries)",
		func(c *Config) *string { return &c.Lattice }),
	intParam("n", "-N", "number of spins `N` of sk, hopfield, mattis, curieweiss, rem, pspin, funnel and planted", func(c *Config) *int { return &c.N }),
	stringParam("couplings", "-couplings", "edge-list or G-set `file` (implies -model graph)",
		func(c *Config) *string { return &c.Couplings }),
	stringParam("bonds", "-bonds", "coupling `distribution` of ea and sk: pm or gauss",
		func(c *Config) *string { return &c.Bonds }),
	floatParam("j0", "-J0", "ferromagnetic bias `J0` of sk (couplings of mean J0/N) and strength of the planted pattern of planted", func(c *Config) *float64 { return &c.J0 }),
	floatParam("field", "-field", "uniform `field` h of ising and curieweiss", func(c *Config) *float64 { return &c.Field }),
	intParam("patterns", "-patterns", "`number` of stored patterns of hopfield", func(c *Config) *int { return &c.Patterns }),
	intParam("p", "-p", "order `p` of the interactions of pspin (default 3; 2 is SK)", func(c *Config) *int { return &c.P }),
	intParam("degree", "-degree", "terms per spin of a diluted pspin model (`c`; default 0: dense)", func(c *Config) *int { return &c.Degree }),
	floatParam("epsilon", "-epsilon", "stability `ε` of the native state of funnel (its energy is −Nε)", func(c *Config) *float64 { return &c.Epsilon }),
	stringParam("levels", "-levels", "spins per level of grem, e.g. `10,10`", func(c *Config) *string { return &c.Levels }),
	stringParam("shares", "-shares", "variance share per level of grem, summing to 1, e.g. `0.8,0.2` (default: equal)", func(c *Config) *string { return &c.Shares }),
	{"samples", "-samples", "`number` of disorder realizations (models with disorder)",
		func(c *Config, v string) error {
			n, err := strconv.Atoi(strings.TrimSpace(v))
			if err != nil {
				return errors.New("not an integer")
			}
			c.Samples = n
			return nil
		},
		func(c *Config) bool { return c.Samples > 1 }},
	stringParam("move", "-move", "`move` that pt composes: metropolis (default) or heatbath",
		func(c *Config) *string { return &c.Move }),
	stringParam("ladder", "-ladder", "pt `ladder`: fixed (default), constant (equal swap acceptance) or feedback (Katzgraber et al. 2006)",
		func(c *Config) *string { return &c.Ladder }),
	intParam("anneal_sweeps", "-anneal-sweeps", "`sweeps` of one annealing pass (default: from the coupling scale)",
		func(c *Config) *int { return &c.AnnealSweeps }),
	intParam("restarts", "-restarts", "maximum `number` of annealing restarts (default: until -time-limit or -target)",
		func(c *Config) *int { return &c.Restarts }),
	floatParam("time_limit", "-time-limit", "annealing wall-time limit in `seconds` (default 30)",
		func(c *Config) *float64 { return &c.TimeLimit }),
	floatParam("target", "-target", "annealing `target` for time-to-target: a cut (G-set files) or an energy per spin",
		func(c *Config) *float64 { return &c.Target }),
	intParam("bins", "-bins", "energy `bins` of wanglandau for models with continuous energies (default 64; integer energies get one bin per level)",
		func(c *Config) *int { return &c.Bins }),
	intParam("population", "-population", "target `size` R of each population of pa (default 1000; 1024 with -packed)",
		func(c *Config) *int { return &c.Population }),
	floatParam("pa_overlap", "-pa-overlap", "target overlap `α` of successive reweighted populations of pa, which sets its adaptive steps (1 − α of the population culled per step; default 0.85)",
		func(c *Config) *float64 { return &c.PAOverlap }),
	stringParam("resampling", "-resampling", "`rule` of pa's resampling: nearest (default) or multinomial",
		func(c *Config) *string { return &c.Resampling }),
	intParam("lanes", "-lanes", "`lanes` per replica of a packed run: 64 (default) or 512 (wide kernels: metropolis, pt and anneal on ising and ea)",
		func(c *Config) *int { return &c.Lanes }),
}

// reporter collects validation problems, each naming its field.
type reporter func(field, format string, args ...any)

// ModelKind is one entry of the model registry.
type ModelKind struct {
	// Name is the value of Config.Model (and -model).
	Name string
	// Doc is one line for help texts.
	Doc string
	// Params lists the keys of the optional config fields the model takes (see
	// [Param]); a config that sets any other model or sampler field is refused.
	Params []string
	// Disorder says whether disorder samples differ (couplings or patterns drawn per
	// sample); a model without it refuses samples > 1, which would repeat one run.
	Disorder bool
	// Samplers lists the samplers that run on the model.
	Samplers []string
	// Order and Start are the defaults of Config.Order and Config.Start.
	Order, Start string
	// Defaults fills the model's own unset fields (nil: nothing to fill).
	Defaults func(c *Config)
	// Validate reports the problems of the model's fields.
	Validate func(c *Config, bad reporter)
	// Build builds the model of sample s, drawing its disorder from rng.
	Build func(c Config, rng *rand.Rand) (Instance, error)
	// Size returns the number of spins and the bytes the built model holds (nil: the
	// model is read from a file and sized when read). It sees a validated config.
	Size func(c Config) (spins int, bytes int64)
	// Packed validates a packed config (nil: the model has no packed kernels).
	Packed func(c *Config, bad reporter)
	// Typewriter says whether Metropolis in typewriter order (sites in index order,
	// as the packed kernels always sweep) samples the model correctly: nil error when
	// sim's ergodicity matrix has confirmed it against exact values, else the reason it
	// does not, or is not known to. A nil func means "not verified": the model's runs
	// default to random order and refuse typewriter Metropolis. (Before the tie rule of
	// sampler.Metropolis, a deterministic order forced every ΔE ≤ 0 flip and trapped
	// rings, small lattices and Hopfield models: chain:1000 at T = 1 gave e = −0.996
	// for −0.762.)
	Typewriter func(c *Config) error
	// Patterns returns the number of distinguished states the built instance holds
	// (Instance.Patterns: stored, planted or native patterns), which start values
	// pattern:K may name (nil: none).
	Patterns func(c *Config) int
}

// String returns the name and the doc line.
func (m ModelKind) String() string { return m.Name + ": " + m.Doc }

// SamplerKind is one entry of the sampler registry.
type SamplerKind struct {
	// Name is the value of Config.Sampler (and -sampler).
	Name string
	// Doc is one line for help texts.
	Doc string
	// Params lists the keys of the optional config fields the sampler takes.
	Params []string
	// Defaults fills the sampler's own unset fields (nil: nothing).
	Defaults func(c *Config)
	// Validate reports the problems of the sampler's fields and of its combination
	// with the model (nil: nothing to check).
	Validate func(c *Config, m ModelKind, bad reporter)
	// Packed says whether the sampler has packed kernels.
	Packed bool
	// Requires says what the sampler needs of a model, for the refusal of a model
	// that does not list it (e.g. "a sparse model without a field").
	Requires string
}

// String returns the name and the doc line.
func (s SamplerKind) String() string { return s.Name + ": " + s.Doc }

// modelKinds is the model registry, in the order help texts list it.
var modelKinds = []ModelKind{
	{
		Name:     "ising",
		Doc:      "Ising ferromagnet (J = 1) on chain:L, square:L or cubic:L with periodic boundaries, optional uniform field",
		Params:   []string{"lattice", "field"},
		Samplers: []string{"metropolis", "heatbath", "wolff", "sw", "pt", "anneal", "wanglandau", "pa"},
		Order:    "typewriter", Start: "ordered",
		Validate: validateLattice,
		Build: func(c Config, _ *rand.Rand) (Instance, error) {
			l, err := models.ParseLattice(c.Lattice)
			if err != nil {
				return Instance{}, &InputError{fmt.Errorf("lattice: %w", err)}
			}
			return Instance{Model: models.NewIsing(l, 1, c.Field), Lattice: &l}, nil
		},
		Size:       latticeSize,
		Typewriter: anyTypewriter,
		Packed: func(c *Config, bad reporter) {
			if c.Field != 0 {
				bad("packed", "packed kernels do not support a field")
			}
		},
	},
	{
		Name:     "ea",
		Doc:      "Edwards–Anderson spin glass on chain:L, square:L or cubic:L, bonds pm (±1) or gauss",
		Params:   []string{"lattice", "bonds"},
		Disorder: true,
		Samplers: []string{"metropolis", "heatbath", "wolff", "sw", "pt", "anneal", "wanglandau", "pa"},
		Order:    "typewriter", Start: "random",
		Defaults: func(c *Config) { setDefault(&c.Bonds, "pm") },
		Validate: func(c *Config, bad reporter) {
			validateLattice(c, bad)
			validateBonds(c, bad)
		},
		Build: func(c Config, rng *rand.Rand) (Instance, error) {
			l, err := models.ParseLattice(c.Lattice)
			if err != nil {
				return Instance{}, &InputError{fmt.Errorf("lattice: %w", err)}
			}
			b, err := models.ParseBondDist(c.Bonds)
			if err != nil {
				return Instance{}, &InputError{fmt.Errorf("bonds: %w", err)}
			}
			return Instance{Model: models.NewEA(l, b, rng), Lattice: &l}, nil
		},
		Size:       latticeSize,
		Typewriter: anyTypewriter,
		Packed: func(c *Config, bad reporter) {
			if c.Bonds != "pm" {
				bad("packed", "packed ea needs bonds pm (±1), not %q", c.Bonds)
			}
		},
	},
	{
		Name:     "sk",
		Doc:      "Sherrington–Kirkpatrick spin glass of N spins, couplings of mean J0/N and variance 1/N, bonds gauss or pm",
		Params:   []string{"n", "bonds", "j0"},
		Disorder: true,
		Samplers: []string{"metropolis", "heatbath", "pt", "anneal", "wanglandau", "pa"},
		Order:    "random", Start: "random",
		Defaults: func(c *Config) { setDefault(&c.Bonds, "gauss") },
		Validate: func(c *Config, bad reporter) {
			validateN(c, bad)
			validateBonds(c, bad)
		},
		Build: func(c Config, rng *rand.Rand) (Instance, error) {
			b, err := models.ParseBondDist(c.Bonds)
			if err != nil {
				return Instance{}, &InputError{fmt.Errorf("bonds: %w", err)}
			}
			return Instance{Model: models.NewSK(c.N, c.J0, b, rng)}, nil
		},
		Size:       denseSize,
		Typewriter: anyTypewriter,
	},
	{
		Name:     "hopfield",
		Doc:      "Hopfield network of N spins storing P random patterns by the Hebb rule",
		Params:   []string{"n", "patterns"},
		Disorder: true,
		Samplers: []string{"metropolis", "heatbath", "pt", "anneal", "wanglandau", "pa"},
		Order:    "random", Start: "random",
		Validate:   validatePatterns,
		Build:      buildHopfield,
		Size:       denseSize,
		Typewriter: anyTypewriter,
		Patterns:   func(c *Config) int { return c.Patterns },
	},
	{
		Name:     "mattis",
		Doc:      "Mattis model: the Hopfield network with one pattern (a gauge-transformed ferromagnet)",
		Params:   []string{"n", "patterns"},
		Disorder: true,
		Samplers: []string{"metropolis", "heatbath", "pt", "anneal", "wanglandau", "pa"},
		Order:    "random", Start: "random",
		Defaults: func(c *Config) {
			if c.Patterns == 0 {
				c.Patterns = 1
			}
		},
		Validate: func(c *Config, bad reporter) {
			validatePatterns(c, bad)
			if c.Patterns != 1 {
				bad("patterns", "mattis has exactly one pattern")
			}
		},
		Build:      buildHopfield,
		Size:       denseSize,
		Typewriter: anyTypewriter,
		Patterns:   func(*Config) int { return 1 },
	},
	{
		Name:       "curieweiss",
		Doc:        "Curie–Weiss ferromagnet of N spins: every pair coupled by J/N = 1/N, optional uniform field (exact for any N)",
		Params:     []string{"n", "field"},
		Samplers:   []string{"metropolis", "heatbath", "pt", "anneal", "wanglandau", "pa"},
		Order:      "random",
		Start:      "ordered",
		Validate:   validateN,
		Build:      buildCurieWeiss,
		Size:       denseSize,
		Typewriter: anyTypewriter,
	},
	{
		Name:       "rem",
		Doc:        "Derrida's random energy model: 2^N Gaussian levels of variance N/2 hashed from the instance seed (N ≤ 64)",
		Params:     []string{"n"},
		Disorder:   true,
		Samplers:   glassySamplers,
		Order:      "random",
		Start:      "random",
		Defaults:   glassyDefaults,
		Validate:   validateIndexN,
		Build:      buildREM,
		Size:       indexSize,
		Typewriter: anyTypewriter,
	},
	{
		Name:       "grem",
		Doc:        "Derrida's generalized REM: levels of spins (-levels 10,10) with variance shares (-shares 0.8,0.2), N ≤ 64",
		Params:     []string{"levels", "shares"},
		Disorder:   true,
		Samplers:   glassySamplers,
		Order:      "random",
		Start:      "random",
		Defaults:   gremDefaults,
		Validate:   validateGREM,
		Build:      buildGREM,
		Size:       indexSize,
		Typewriter: anyTypewriter,
	},
	{
		Name:       "pspin",
		Doc:        "Ising p-spin glass of N spins (-p, default 3): dense, or diluted with -degree terms per spin; var J = p!/(2N^(p−1))",
		Params:     []string{"n", "p", "degree"},
		Disorder:   true,
		Samplers:   glassySamplers,
		Order:      "random",
		Start:      "random",
		Defaults:   pspinDefaults,
		Validate:   validatePSpin,
		Build:      buildPSpin,
		Size:       pspinSize,
		Typewriter: anyTypewriter,
	},
	{
		Name:       "funnel",
		Doc:        "Bryngelson–Wolynes funnel: a native state at energy −Nε (-epsilon) below a REM of N ≤ 64 spins; reports p_native and q_native",
		Params:     []string{"n", "epsilon"},
		Disorder:   true,
		Samplers:   glassySamplers,
		Order:      "random",
		Start:      "random",
		Defaults:   glassyDefaults,
		Validate:   validateFunnel,
		Build:      buildFunnel,
		Size:       indexSize,
		Typewriter: anyTypewriter,
		Patterns:   func(*Config) int { return 1 },
	},
	{
		Name:       "planted",
		Doc:        "SK with a planted pattern ξ: J_ij = (J0/N) ξ_i ξ_j + z_ij/√N, bonds gauss or pm; reports the overlap q_xi with ξ",
		Params:     []string{"n", "j0", "bonds"},
		Disorder:   true,
		Samplers:   glassySamplers,
		Order:      "random",
		Start:      "random",
		Defaults:   plantedDefaults,
		Validate:   validatePlanted,
		Build:      buildPlanted,
		Size:       denseSize,
		Typewriter: anyTypewriter,
		Patterns:   func(*Config) int { return 1 },
	},
	{
		Name:     "graph",
		Doc:      "couplings read from an edge-list or G-set file (-couplings FILE; implies -model graph)",
		Params:   []string{"couplings"},
		Samplers: []string{"metropolis", "heatbath", "wolff", "sw", "pt", "anneal", "wanglandau", "pa"},
		Order:    "random", Start: "random",
		Validate: func(c *Config, bad reporter) {
			if c.Couplings == "" {
				bad("couplings", "model graph needs a coupling file")
			}
		},
		Build: func(c Config, _ *rand.Rand) (Instance, error) {
			m, g, err := models.ReadCouplings(c.Couplings)
			if err != nil {
				return Instance{}, &InputError{fmt.Errorf("couplings: %w", err)}
			}
			return Instance{Model: m, Graph: g}, nil
		},
		Packed:     func(*Config, reporter) {}, // ±J of one magnitude, checked when the file is read
		Typewriter: anyTypewriter,
	},
}

// samplerKinds is the sampler registry, in the order help texts list it.
var samplerKinds = []SamplerKind{
	{Name: "metropolis", Doc: "single-spin Metropolis, one chain per temperature and replica", Params: []string{"order", "start"},
		Validate: validateOrder, Packed: true},
	{Name: "heatbath", Doc: "single-spin heat bath (Glauber), one chain per temperature and replica", Params: []string{"order", "start"},
		Validate: validateOrder},
	{
		Name: "wolff", Doc: "Wolff single-cluster updates (sparse models without a field)", Params: []string{"start"},
		Validate: validateCluster, Requires: "a sparse model (ising, ea or graph)",
	},
	{
		Name: "sw", Doc: "Swendsen–Wang multi-cluster updates (sparse models without a field)", Params: []string{"start"},
		Validate: validateCluster, Requires: "a sparse model (ising, ea or graph)",
	},
	{
		Name: "pt", Doc: "parallel tempering over the temperatures, one ladder per replica",
		Params: []string{"move", "ladder", "order", "start"},
		Defaults: func(c *Config) {
			if c.Replicas == 0 {
				c.Replicas = 2
			}
			setDefault(&c.Move, "metropolis")
			setDefault(&c.Ladder, "fixed")
		},
		Validate: validatePT,
		Packed:   true,
	},
	{
		Name: "anneal", Doc: "simulated-annealing restarts for ground states",
		Params: []string{"anneal_sweeps", "restarts", "time_limit", "target"},
		Defaults: func(c *Config) {
			if c.TimeLimit == 0 {
				c.TimeLimit = 30
			}
		},
		Validate: validateAnneal,
		Packed:   true,
	},
	{
		Name: "wanglandau", Doc: "Wang–Landau flat-histogram walks (1/t schedule) for the density of states g(E); f, e, c, s at every T with errors over walks",
		Params: []string{"bins"},
		Defaults: func(c *Config) {
			if c.Replicas == 0 {
				c.Replicas = 8
			}
		},
		Validate: validateWangLandau,
	},
	{
		Name: "pa", Doc: "population annealing: -population R replicas annealed from T = ∞ through the temperatures in adaptive steps, resampled and swept -sweeps times per step; f, s, e, q² with errors over independent populations (-replicas, default 8)",
		Params:   []string{"population", "pa_overlap", "resampling", "move", "order"},
		Defaults: paDefaults,
		Validate: validatePA,
		Packed:   true,
	},
}

// ModelKinds returns the model registry, in the order help texts list it.
func ModelKinds() []ModelKind { return slices.Clone(modelKinds) }

// SamplerKinds returns the sampler registry, in the order help texts list it.
func SamplerKinds() []SamplerKind { return slices.Clone(samplerKinds) }

// LookupModel returns the registry entry of a model kind.
func LookupModel(name string) (ModelKind, bool) {
	for _, m := range modelKinds {
		if m.Name == name {
			return m, true
		}
	}
	return ModelKind{}, false
}

// LookupSampler returns the registry entry of a sampler.
func LookupSampler(name string) (SamplerKind, bool) {
	for _, s := range samplerKinds {
		if s.Name == name {
			return s, true
		}
	}
	return SamplerKind{}, false
}

// modelNames and samplerNames list the registered names.
func modelNames() []string {
	out := make([]string, len(modelKinds))
	for i, m := range modelKinds {
		out[i] = m.Name
	}
	return out
}

func samplerNames() []string {
	out := make([]string, len(samplerKinds))
	for i, s := range samplerKinds {
		out[i] = s.Name
	}
	return out
}

// setDefault sets *p to v when it is empty.
func setDefault(p *string, v string) {
	if *p == "" {
		*p = v
	}
}

func validateLattice(c *Config, bad reporter) {
	if c.Lattice == "" {
		bad("lattice", "model %s needs a lattice (chain:L, square:L or cubic:L)", c.Model)
	} else if _, err := models.ParseLattice(c.Lattice); err != nil {
		bad("lattice", "%v", err)
	}
}

func validateBonds(c *Config, bad reporter) {
	if _, err := models.ParseBondDist(c.Bonds); err != nil {
		bad("bonds", "%v", err)
	}
}

// maxDense is the largest number of spins of a dense model.
const maxDense = 1 << 16

func validateN(c *Config, bad reporter) {
	if c.N < 2 {
		bad("n", "model %s needs n ≥ 2 spins, have %d", c.Model, c.N)
	} else if c.N > maxDense {
		bad("n", "%d spins is more than a dense model can hold here (max %d)", c.N, maxDense)
	}
}

func validatePatterns(c *Config, bad reporter) {
	validateN(c, bad)
	if c.Patterns < 1 {
		bad("patterns", "model %s needs at least one pattern", c.Model)
	} else if c.N >= 2 && c.Patterns > c.N {
		bad("patterns", "%d patterns exceed n = %d", c.Patterns, c.N)
	}
}

func buildCurieWeiss(c Config, _ *rand.Rand) (Instance, error) {
	n, h := c.N, c.Field
	return Instance{Model: models.NewCurieWeiss(n, 1, h),
		Exact: func(beta float64) models.Thermo { return models.CurieWeissExact(n, 1, h, beta) }}, nil
}

func buildHopfield(c Config, rng *rand.Rand) (Instance, error) {
	pats := models.RandomPatterns(c.Patterns, c.N, rng)
	return Instance{Model: models.NewHopfield(pats), Observables: patternOverlaps(pats), Patterns: pats}, nil
}

// maxPatternObservables bounds the pattern overlaps a run reports.
const maxPatternObservables = 16

// patternOverlaps are the observables |m_μ| = |(1/N) Σ_i ξ_i^μ s_i| of the first
// patterns (at most maxPatternObservables): the retrieval order parameters of the
// Hopfield model (Amit, Gutfreund & Sompolinsky 1985). The absolute value, because the
// Hamiltonian is even in s.
func patternOverlaps(pats [][]int8) []Observable {
	var out []Observable
	for mu, xi := range pats[:min(len(pats), maxPatternObservables)] {
		out = append(out, Observable{
			Name: fmt.Sprintf("abs_m%d", mu+1),
			Doc:  fmt.Sprintf("|m_%d|: overlap with stored pattern %d", mu+1, mu+1),
			Value: func(s []int8) float64 {
				var sum int
				for i, x := range xi {
					sum += int(x) * int(s[i])
				}
				return math.Abs(float64(sum)) / float64(len(xi))
			},
		})
	}
	return out
}

// latticeSize sizes a lattice model: the sparse couplings (CSR offsets, neighbours,
// float and int8 couplings, fields) and the bond list it is built from.
func latticeSize(c Config) (int, int64) {
	l, err := models.ParseLattice(c.Lattice)
	if err != nil {
		return 0, 0
	}
	n := int64(l.N())
	z := int64(l.Coordination())
	return int(n), n*(4+8+1+8) + n*z*(4+8+1) + n*z/2*24
}

// denseSize sizes a dense model: the N×N coupling matrix, twice while it is built.
func denseSize(c Config) (int, int64) {
	n := int64(c.N)
	return c.N, 2 * 8 * n * n
}

// anyTypewriter allows typewriter Metropolis: with the tie rule of sampler.Metropolis
// (ΔE = 0 flips decided by a coin), the ergodicity matrix finds it right on every model
// and lattice it runs (chains and sides 2–4 included) against exact values.
func anyTypewriter(*Config) error { return nil }

// typewriterSafe reports whether the model's typewriter Metropolis is confirmed for c.
func typewriterSafe(c *Config) bool {
	m, ok := LookupModel(c.Model)
	return ok && m.Typewriter != nil && m.Typewriter(c) == nil
}

// validateOrder refuses typewriter Metropolis where it is wrong or unverified.
func validateOrder(c *Config, m ModelKind, bad reporter) {
	metropolis := c.Sampler == "metropolis" || ((c.Sampler == "pt" || c.Sampler == "pa") && c.Move == "metropolis")
	if c.Order != "typewriter" || !metropolis || m.Name == "" {
		return
	}
	var err error
	if m.Typewriter == nil {
		err = fmt.Errorf("typewriter Metropolis is not verified on model %s (deterministic order forces ΔE ≤ 0 flips, which breaks ergodicity where ΔE = 0 moves are common); use -order random (the default)", m.Name)
	} else {
		err = m.Typewriter(c)
	}
	switch {
	case err == nil:
	case c.Packed:
		bad("packed", "the packed kernels sweep sites in index order (typewriter), and %v; run without -packed", err)
	default:
		bad("order", "%v", err)
	}
}

func validateCluster(c *Config, m ModelKind, bad reporter) {
	if c.Field != 0 {
		bad("sampler", "%s does not support a field", c.Sampler)
	}
}

func validatePT(c *Config, m ModelKind, bad reporter) {
	if c.Move == "metropolis" {
		validateOrder(c, m, bad)
	}
	if len(c.T) == 1 {
		bad("T", "pt needs at least two temperatures")
	}
	seen := map[float64]bool{}
	for _, t := range c.T {
		if seen[t] {
			bad("T", "pt needs distinct temperatures, %v is repeated", t)
		}
		seen[t] = true
	}
	switch c.Move {
	case "metropolis", "heatbath":
	default:
		bad("move", "pt composes metropolis or heatbath, not %q", c.Move)
	}
	switch c.Ladder {
	case "fixed", "constant", "feedback":
		if c.Ladder != "fixed" && c.Therm < 100 {
			bad("ladder", "an adaptive ladder needs at least 100 thermalization sweeps to adapt in")
		}
	default:
		bad("ladder", "unknown ladder %q (want fixed, constant or feedback)", c.Ladder)
	}
}

func validateAnneal(c *Config, _ ModelKind, bad reporter) {
	if c.AnnealSweeps < 0 || c.Restarts < 0 || c.TimeLimit < 0 || c.TimeLimit != c.TimeLimit {
		bad("sampler", "anneal_sweeps, restarts and time_limit must be ≥ 0")
	}
	if c.Replicas != 1 || c.Samples != 1 {
		bad("sampler", "anneal runs one disorder sample with independent restarts (replicas and samples must be 1)")
	}
}

// validateParams refuses every optional field that neither the model, nor the sampler,
// nor the packed kernels take: a flag that would have no effect is an error.
func validateParams(c *Config, m ModelKind, s SamplerKind, bad reporter) {
	takes := map[string]string{}
	for _, k := range m.Params {
		takes[k] = "model"
	}
	for _, k := range s.Params {
		takes[k] = "sampler"
	}
	if s.Name == "" { // unknown sampler, reported elsewhere: do not guess at its fields
		for _, sk := range samplerKinds {
			for _, k := range sk.Params {
				takes[k] = "sampler"
			}
		}
	}
	if m.Disorder {
		takes["samples"] = "model"
	}
	if c.Packed {
		takes["lanes"] = "packed"
	}
	for _, p := range params {
		if !p.on(c) || takes[p.Key] != "" {
			continue
		}
		switch {
		case p.Key == "samples":
			bad(p.Key, "%s: model %s has no disorder, so every sample would repeat the same run (use -replicas for independent copies)", p.Flag, m.Name)
		case p.Key == "lanes":
			bad(p.Key, "%s needs -packed", p.Flag)
		case p.Key == "couplings":
			bad(p.Key, "%s: a coupling file implies model graph, not %s", p.Flag, m.Name)
		default:
			owners := paramOwners(p.Key)
			bad(p.Key, "%s has no effect with model %s and sampler %s (it is for %s)", p.Flag, m.Name, s.Name, strings.Join(owners, ", "))
		}
	}
}

// paramOwners names the models and samplers that take param key.
func paramOwners(key string) []string {
	var out []string
	for _, m := range modelKinds {
		if slices.Contains(m.Params, key) {
			out = append(out, "model "+m.Name)
		}
	}
	for _, s := range samplerKinds {
		if slices.Contains(s.Params, key) {
			out = append(out, "sampler "+s.Name)
		}
	}
	return out
}

// modelHelp and samplerHelp list the registry for help texts: one line per entry.
func modelHelp() string {
	var b strings.Builder
	for _, m := range modelKinds {
		fmt.Fprintf(&b, "  %-10s %s\n", m.Name, m.Doc)
	}
	return b.String()
}

func samplerHelp() string {
	var b strings.Builder
	for _, s := range samplerKinds {
		fmt.Fprintf(&b, "  %-10s %s\n", s.Name, s.Doc)
	}
	return b.String()
}

// RegistryHelp describes every registered model and sampler, one line each, for help
// texts.
func RegistryHelp() string {
	return "Models (-model):\n" + modelHelp() + "\nSamplers (-sampler):\n" + samplerHelp()
}
