//lint:file-ignore ST1005 errors about the temperature list begin with the name of its flag and field, T (capital by physics convention).

package sim

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/deepglass/deepglass/sampler"
	"github.com/deepglass/deepglass/sampler/packed"
)

// Config describes a study: a model, a sampler, temperatures and a measurement schedule.
// The JSON and YAML keys are the lower-case names given in the field tags; they are a
// contract with users' scripts: fields may be added, never renamed.
type Config struct {
	// Model is one of ising, ea, sk, hopfield (mattis is hopfield with one pattern) or
	// graph (couplings read from a file; implied by Couplings).
	Model string `json:"model" yaml:"model"`
	// Lattice is "square:L" or "cubic:L" for ising and ea.
	Lattice string `json:"lattice,omitempty" yaml:"lattice,omitempty"`
	// N is the number of spins of sk and hopfield.
	N int `json:"n,omitempty" yaml:"n,omitempty"`
	// Couplings is an edge-list or G-set file for the graph model.
	Couplings string `json:"couplings,omitempty" yaml:"couplings,omitempty"`
	// Bonds is the coupling distribution of ea and sk: "pm" (±1) or "gauss" (N(0,1)).
	Bonds string `json:"bonds,omitempty" yaml:"bonds,omitempty"`
	// J0 is the mean coupling of sk times N (the ferromagnetic bias; 0 is the pure
	// spin glass, J0 > 1 orders ferromagnetically).
	J0 float64 `json:"j0,omitempty" yaml:"j0,omitempty"`
	// Field is a uniform field h on every spin (ising only).
	Field float64 `json:"field,omitempty" yaml:"field,omitempty"`
	// Patterns is the number P of random stored patterns of hopfield.
	Patterns int `json:"patterns,omitempty" yaml:"patterns,omitempty"`
	// P is the order of the interactions of pspin (p ≥ 2; default 3; p = 2 is SK).
	P int `json:"p,omitempty" yaml:"p,omitempty"`
	// Degree is the number of p-spin terms each spin of a diluted pspin model lies in
	// (0: the dense model, every p-set coupled).
	Degree int `json:"degree,omitempty" yaml:"degree,omitempty"`
	// Epsilon is the stability ε of the native state of funnel: its energy is −Nε.
	Epsilon float64 `json:"epsilon,omitempty" yaml:"epsilon,omitempty"`
	// Levels lists the spins of each level of grem, e.g. "10,10" (N is their sum).
	Levels string `json:"levels,omitempty" yaml:"levels,omitempty"`
	// Shares lists the variance share of each level of grem, summing to 1, e.g.
	// "0.8,0.2" (default: equal shares).
	Shares string `json:"shares,omitempty" yaml:"shares,omitempty"`
	// Bins is the number of energy bins of wanglandau for models whose energies are
	// not on an integer grid (default 64); integer models use one bin per level.
	Bins int `json:"bins,omitempty" yaml:"bins,omitempty"`
	// Population is the target number R of replicas of each population of pa
	// (default 1000; 1024 = 16 words of 64 lanes with packed).
	Population int `json:"population,omitempty" yaml:"population,omitempty"`
	// PAOverlap is the target overlap α of successive reweighted populations of pa,
	// which sets its adaptive temperature steps: 1 − α is the fraction of the
	// population each step culls (default 0.85).
	PAOverlap float64 `json:"pa_overlap,omitempty" yaml:"pa_overlap,omitempty"`
	// Resampling is pa's resampling rule: nearest (default; Wang, Machta &
	// Katzgraber 2015) or multinomial.
	Resampling string `json:"resampling,omitempty" yaml:"resampling,omitempty"`

	// T holds the temperatures: one independent run per value. In files it is a number,
	// a list, or a string spec as on the command line ("0.5,1,2" or the geometric ladder
	// "0.2:2.0:24").
	T Temperatures `json:"T" yaml:"T"`
	// Sampler is metropolis, heatbath, wolff, sw (one independent chain per temperature
	// and replica), pt (parallel tempering over the temperatures, one ladder per
	// replica) or anneal (simulated annealing restarts, for ground states).
	Sampler string `json:"sampler" yaml:"sampler"`
	// Move is the single-temperature move that pt composes: metropolis (default) or
	// heatbath.
	Move string `json:"move,omitempty" yaml:"move,omitempty"`
	// Ladder is how pt places its temperatures: fixed (as given in T, the default),
	// constant (adapted during thermalization towards equal swap acceptance between
	// all neighbours) or feedback (the feedback-optimized ladder of Katzgraber, Trebst,
	// Huse & Troyer 2006, which maximizes round trips). Adaptive ladders keep the lowest
	// and highest temperature and report the temperatures they chose.
	Ladder string `json:"ladder,omitempty" yaml:"ladder,omitempty"`
	// AnnealSweeps is the number of sweeps of one annealing pass (default: chosen from
	// the coupling scale of the model).
	AnnealSweeps int `json:"anneal_sweeps,omitempty" yaml:"anneal_sweeps,omitempty"`
	// Restarts bounds the number of annealing restarts (default: until the time limit
	// or the target).
	Restarts int `json:"restarts,omitempty" yaml:"restarts,omitempty"`
	// TimeLimit bounds the wall time of annealing, in seconds (default 30).
	TimeLimit float64 `json:"time_limit,omitempty" yaml:"time_limit,omitempty"`
	// Target is what time-to-target is measured against: a cut for G-set files, an
	// energy per spin otherwise. Annealing stops early once it is reached.
	Target float64 `json:"target,omitempty" yaml:"target,omitempty"`
	// Order is the site order of local samplers: typewriter (the default for ising and
	// ea lattices: cache-friendly) or random (the default for sk, hopfield, mattis and
	// graphs: where ΔE = 0 moves are common, as with Hopfield couplings or on small
	// antiferromagnetic rings, typewriter Metropolis can cycle deterministically
	// through degenerate states of a small system; off lattices the cost is small).
	Order string `json:"order,omitempty" yaml:"order,omitempty"`
	// Start is the initial state of every chain: "ordered" (all spins along the field,
	// or +1) or "random". The default is ordered for ising, where a random start
	// quenched below T_c can freeze into a long-lived stripe state, and random for
	// the rest.
	Start string `json:"start,omitempty" yaml:"start,omitempty"`
	// Therm is the number of thermalization sweeps before measuring.
	Therm int `json:"therm" yaml:"therm"`
	// Sweeps is the number of measured sweeps.
	Sweeps int `json:"sweeps" yaml:"sweeps"`
	// MeasureEvery is the number of sweeps between measurements (default 1). Packed
	// runs that leave it unset (0) choose it from the energy's autocorrelation time
	// during thermalization, per unit: every max(1, ⌊τ_int/2⌋) sweeps, keeping at least
	// 1000 measurements; the summary states the choice (measure_every_auto and each
	// point's measure_every).
	MeasureEvery int `json:"measure_every,omitempty" yaml:"measure_every,omitempty"`
	// Replicas is the number of independent copies per temperature (default 1; 2 for
	// pt, and for metropolis and heatbath on rem, grem, pspin, funnel and planted, so
	// that R̂ across chains can tell a stuck chain); with two or more, the spin-glass
	// overlaps between them are measured. For wanglandau it is the number of
	// independent walks (default 8), whose spread gives the errors.
	Replicas int `json:"replicas,omitempty" yaml:"replicas,omitempty"`
	// Samples is the number of disorder realizations (default 1); with two or more,
	// points hold disorder averages with errors over samples.
	Samples int `json:"samples,omitempty" yaml:"samples,omitempty"`
	// Seed determines every random number of the run.
	Seed uint64 `json:"seed" yaml:"seed"`
	// Packed runs bit-packed (multi-spin coded) kernels: every chain is 64 independent
	// lanes in machine words, with independent per-lane acceptance draws. For ±J models
	// only: ising without field, ea with bonds pm, graph with couplings ±J of one
	// magnitude (degree ≤ 63); samplers metropolis, pt (move metropolis, ladder fixed)
	// and anneal (64 restarts per pass). Each replica is then 64 lanes of the same
	// sample, and overlaps pair lane ℓ of one replica with lane ℓ of another. Sites are
	// swept in order row-checkerboard (rows in turn, in each row the even columns, then
	// the odd) by 64-lane metropolis, pt and pa on square and cubic lattices whose side
	// is a multiple of 16, in index order (order typewriter) otherwise.
	Packed bool `json:"packed,omitempty" yaml:"packed,omitempty"`
	// Lanes is the number of lanes per replica of a packed run: 64 (the default) or 512,
	// the wide kernels (packed.Metropolis.SweepWide, packed.WideTempering and
	// packed.WideAnnealRestarts: metropolis, pt and anneal on ising and ea square and
	// cubic lattices), which run AVX-512 code on CPUs that have it and give the same
	// numbers on any.
	Lanes int `json:"lanes,omitempty" yaml:"lanes,omitempty"`

	seedGiven bool // ParseConfig saw a seed key
}

// SeedGiven reports whether the config was parsed from a file or text that sets the
// seed (see [ParseConfig]); a command draws a random seed for one that does not.
func (c Config) SeedGiven() bool { return c.seedGiven }

// Models lists the model names Config accepts (the registry's, see [ModelKinds]).
var Models = modelNames()

// Samplers lists the sampler names Config accepts (see [SamplerKinds]).
var Samplers = samplerNames()

// Defaults fills unset optional fields: model graph when Couplings is set,
// measure_every 1 (packed runs choose it at run time, see Config.MeasureEvery), replicas 1 (2 for pt), samples 1, the sampler's defaults (pt: move
// metropolis, ladder fixed; anneal: time limit 30 s), and the model's: its site order
// and initial state (typewriter and ordered for the ising lattices, random otherwise)
// and its own fields (bonds pm for ea and gauss for sk, one pattern for mattis).
func (c *Config) Defaults() {
	if c.Model == "" && c.Couplings != "" {
		c.Model = "graph"
	}
	if c.MeasureEvery == 0 && (!c.Packed || c.Sampler == "anneal") {
		c.MeasureEvery = 1 // packed runs choose it (see autoMeasureEvery)
	}
	s, sok := LookupSampler(c.Sampler)
	if sok && s.Defaults != nil {
		s.Defaults(c)
	}
	// The model's defaults come before the replicas' own: a glassy model may ask
	// single-temperature samplers for two replicas (see glassyDefaults).
	m, mok := LookupModel(c.Model)
	if mok && m.Defaults != nil {
		m.Defaults(c)
	}
	if c.Replicas == 0 {
		c.Replicas = 1
	}
	if c.Samples == 0 {
		c.Samples = 1
	}
	if c.Packed && c.Lanes == 0 {
		c.Lanes = packed.Lanes
	}
	if sok && slices.Contains(s.Params, "order") {
		order := "typewriter"
		switch {
		case c.Packed:
			order = packedOrder(c)
		case mok:
			order = m.Order
			if m.Order == "typewriter" && !typewriterSafe(c) {
				order = "random"
			}
		}
		setDefault(&c.Order, order)
	}
	if sok && slices.Contains(s.Params, "start") {
		start := "random"
		if mok {
			start = m.Start
		}
		setDefault(&c.Start, start)
	}
}

// Validate reports every problem of the config at once, each naming its field (and
// the flag that sets it). It does not read files; [BuildModel] does.
func (c *Config) Validate() error {
	var errs []error
	bad := func(field, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s: %s", field, fmt.Sprintf(format, args...)))
	}
	m, mok := LookupModel(c.Model)
	switch {
	case c.Model == "":
		bad("model", "missing (want one of %s)", strings.Join(Models, ", "))
	case !mok:
		bad("model", "unknown model %q (want one of %s)", c.Model, strings.Join(Models, ", "))
	default:
		m.Validate(c, bad)
	}
	if math.IsNaN(c.J0) || math.IsInf(c.J0, 0) {
		bad("j0", "must be finite")
	}
	if math.IsNaN(c.Field) || math.IsInf(c.Field, 0) {
		bad("field", "must be finite")
	}
	anneal := c.Sampler == "anneal"
	if len(c.T) == 0 && !anneal {
		bad("T", "no temperature given")
	}
	for _, t := range c.T {
		if !(t > 0) || math.IsInf(t, 0) {
			bad("T", "temperature %v must be positive and finite", t)
		}
	}
	s, sok := LookupSampler(c.Sampler)
	switch {
	case c.Sampler == "":
		bad("sampler", "missing (want one of %s)", strings.Join(Samplers, ", "))
	case !sok:
		bad("sampler", "unknown sampler %q (want one of %s)", c.Sampler, strings.Join(Samplers, ", "))
	case mok && !slices.Contains(m.Samplers, c.Sampler):
		why := ""
		if s.Requires != "" {
			why = "it needs " + s.Requires + "; "
		}
		bad("sampler", "%s does not run on model %s (%ssamplers for %s: %s)", c.Sampler, m.Name, why, m.Name, strings.Join(m.Samplers, ", "))
	case s.Validate != nil:
		s.Validate(c, m, bad)
	}
	if mok {
		validateParams(c, m, s, bad)
	}
	if c.Order != "" && !c.Packed { // validatePacked checks packed orders
		if _, err := sampler.ParseOrder(c.Order); err != nil {
			bad("order", "%v", err)
		}
	}
	validateStart(c, m, bad)
	if c.Therm < 0 {
		bad("therm", "must be ≥ 0, have %d", c.Therm)
	}
	if !anneal {
		if c.Sweeps < 1 {
			bad("sweeps", "must be ≥ 1, have %d", c.Sweeps)
		}
		switch {
		case c.Sampler == "pa": // sweeps per temperature step; validatePA checks the rest
		case autoMeasureEvery(*c):
			if c.Sweeps == 1 {
				bad("sweeps", "1 sweep gives fewer than 2 measurements")
			}
		case c.MeasureEvery < 1:
			bad("measure_every", "must be ≥ 1, have %d", c.MeasureEvery)
		case c.Sweeps >= 1 && c.Sweeps/c.MeasureEvery < 2:
			bad("measure_every", "sweeps/measure_every = %d gives fewer than 2 measurements", c.Sweeps/c.MeasureEvery)
		}
	}
	if math.IsNaN(c.Target) || math.IsInf(c.Target, 0) {
		bad("target", "must be finite")
	}
	if c.Replicas < 1 || c.Replicas > 64 {
		bad("replicas", "must be between 1 and 64, have %d", c.Replicas)
	}
	if c.Samples < 1 || c.Samples > 1<<20 {
		bad("samples", "must be between 1 and 2^20, have %d", c.Samples)
	}
	if c.Packed {
		c.validatePacked(m, s, bad)
	}
	return errors.Join(errs...)
}

// Temperatures is a list of temperatures that reads from JSON or YAML as a number, a
// list of numbers, or a string spec accepted by [ParseTemperatures].
type Temperatures []float64

// String returns the temperatures as a comma-separated list.
func (ts Temperatures) String() string {
	parts := make([]string, len(ts))
	for i, t := range ts {
		parts[i] = strconv.FormatFloat(t, 'g', -1, 64)
	}
	return strings.Join(parts, ",")
}

// UnmarshalJSON reads a number, a list of numbers or a string spec.
func (ts *Temperatures) UnmarshalJSON(b []byte) error {
	var one float64
	if err := json.Unmarshal(b, &one); err == nil {
		*ts = Temperatures{one}
		return nil
	}
	var list []float64
	if err := json.Unmarshal(b, &list); err == nil {
		*ts = list
		return nil
	}
	var spec string
	if err := json.Unmarshal(b, &spec); err != nil {
		return fmt.Errorf("T: want a number, a list or a string like \"0.5,1,2\" or \"0.2:2.0:24\", got %s", b)
	}
	v, err := ParseTemperatures(spec)
	if err != nil {
		return err
	}
	*ts = v
	return nil
}

// UnmarshalYAML reads a number, a list of numbers or a string spec.
func (ts *Temperatures) UnmarshalYAML(n *yaml.Node) error {
	switch n.Kind {
	case yaml.SequenceNode:
		var list []float64
		if err := n.Decode(&list); err != nil {
			return fmt.Errorf("T: line %d: %w", n.Line, err)
		}
		*ts = list
		return nil
	case yaml.ScalarNode:
		v, err := ParseTemperatures(n.Value)
		if err != nil {
			return fmt.Errorf("line %d: %w", n.Line, err)
		}
		*ts = v
		return nil
	}
	return fmt.Errorf("T: line %d: want a number, a list or a string spec", n.Line)
}

// ParseTemperatures parses one temperature ("2.5"), a comma-separated list
// ("0.5,1,2"), or a geometric ladder "min:max:n" of n temperatures from min to max.
func ParseTemperatures(spec string) ([]float64, error) {
	spec = strings.TrimSpace(spec)
	if spec == "" {
		return nil, errors.New("T: empty temperature list")
	}
	if parts := strings.Split(spec, ":"); len(parts) > 1 {
		if len(parts) != 3 {
			return nil, fmt.Errorf("T: ladder %q: want min:max:n", spec)
		}
		lo, err1 := strconv.ParseFloat(strings.TrimSpace(parts[0]), 64)
		hi, err2 := strconv.ParseFloat(strings.TrimSpace(parts[1]), 64)
		n, err3 := strconv.Atoi(strings.TrimSpace(parts[2]))
		if err1 != nil || err2 != nil || err3 != nil {
			return nil, fmt.Errorf("T: ladder %q: want min:max:n with numbers min, max and an integer n", spec)
		}
		if !(lo > 0) || !(hi > 0) || math.IsInf(lo, 0) || math.IsInf(hi, 0) {
			return nil, fmt.Errorf("T: ladder %q: temperatures must be positive and finite", spec)
		}
		if n < 1 || n > 10000 {
			return nil, fmt.Errorf("T: ladder %q: n = %d must be between 1 and 10000", spec, n)
		}
		if n == 1 {
			if lo != hi {
				return nil, fmt.Errorf("T: ladder %q: one temperature needs min = max", spec)
			}
			return []float64{lo}, nil
		}
		out := make([]float64, n)
		r := math.Pow(hi/lo, 1/float64(n-1))
		for k := range out {
			out[k] = lo * math.Pow(r, float64(k))
		}
		out[n-1] = hi
		return out, nil
	}
	var out []float64
	for _, f := range strings.Split(spec, ",") {
		t, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
		if err != nil {
			return nil, fmt.Errorf("T: %q is not a number", strings.TrimSpace(f))
		}
		out = append(out, t)
	}
	return out, nil
}

// ParseConfig decodes a config from JSON or YAML (chosen by the file name's extension;
// anything but .json is read as YAML, of which JSON is a subset). Unknown keys are
// errors. The result has defaults filled in but is not validated.
func ParseConfig(data []byte, name string) (Config, error) {
	var c Config
	if strings.EqualFold(filepath.Ext(name), ".json") {
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&c); err != nil {
			return Config{}, fmt.Errorf("%s: %w", name, jsonErrorLine(data, err))
		}
	} else {
		dec := yaml.NewDecoder(bytes.NewReader(data))
		dec.KnownFields(true)
		if err := dec.Decode(&c); err != nil && !errors.Is(err, io.EOF) { // an empty file is the zero config
			return Config{}, fmt.Errorf("%s: %w", name, err)
		}
	}
	c.seedGiven = hasKey(data, name, "seed")
	c.Defaults()
	return c, nil
}

// hasKey reports whether the top level of a JSON or YAML config has the key.
func hasKey(data []byte, name, key string) bool {
	var m map[string]any
	if strings.EqualFold(filepath.Ext(name), ".json") {
		if json.Unmarshal(data, &m) != nil {
			return false
		}
	} else if yaml.Unmarshal(data, &m) != nil {
		return false
	}
	_, ok := m[key]
	return ok
}

// jsonErrorLine adds the line number to a JSON syntax or type error.
func jsonErrorLine(data []byte, err error) error {
	var off int64 = -1
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		off = se.Offset
	case errors.As(err, &te):
		off = te.Offset
	}
	if off < 0 || off > int64(len(data)) {
		return err
	}
	line := 1 + bytes.Count(data[:off], []byte("\n"))
	return fmt.Errorf("line %d: %w", line, err)
}

// ReadConfig reads and decodes a config file (see ParseConfig).
func ReadConfig(path string) (Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Config{}, err
	}
	return ParseConfig(data, path)
}

// String returns the config as one line of JSON.
func (c Config) String() string {
	b, err := json.Marshal(c)
	if err != nil {
		return fmt.Sprintf("config(%v)", err)
	}
	return string(b)
}
