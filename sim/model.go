package sim

import (
	"errors"
	"fmt"
	"math/rand/v2"

	"github.com/deepglass/deepglass/models"
	"github.com/deepglass/deepglass/sampler"
)

// InputError marks an error caused by the user's input (a config, a coupling file, a
// flag) rather than by the program; the command exits with status 2 on it.
type InputError struct{ Err error }

func (e *InputError) Error() string { return e.Err.Error() }

// Unwrap returns the underlying error.
func (e *InputError) Unwrap() error { return e.Err }

// IsInputError reports whether err was caused by invalid input.
func IsInputError(err error) bool {
	var ie *InputError
	return errors.As(err, &ie)
}

// Instance is a built model together with what the run reports about it.
type Instance struct {
	Model models.Model
	// Graph describes the coupling file of a graph model, nil otherwise; for G-set files
	// it converts energies to cuts.
	Graph *models.Graph
	// Lattice is the lattice of ising and ea, nil otherwise.
	Lattice *models.Lattice
	// Exact, if set, gives the model's exact thermal averages at inverse temperature
	// beta (a closed form, a sum over a few states): runs report them beside the
	// measured values at any size, before enumeration or the lattice solutions.
	Exact func(beta float64) models.Thermo
	// Observables are the model's own quantities, measured on every chain state at
	// every measurement besides the energy, magnetization and overlaps (Hopfield:
	// the overlaps with the stored patterns). Packed runs do not measure them.
	Observables []Observable
	// Patterns are the model's distinguished states: the stored patterns ξ^μ of
	// hopfield and mattis, the planted pattern ξ of planted, the native state of
	// funnel. Start values pattern:K start the chains from Patterns[K−1]; deepglass
	// landscape takes overlaps with Patterns[0].
	Patterns [][]int8
}

// Observable is a model-specific quantity of a spin state: a unit measures it on the
// state of every replica at every measurement, averages it over the replicas, and the
// point reports its mean with its error under Name (summary.json "observables").
type Observable struct {
	// Name is the key in summary.json, e.g. "abs_m1".
	Name string
	// Doc says what it is, e.g. "|m_1|: overlap with pattern 1".
	Doc string
	// Value returns the quantity of state s; it must not keep or change s.
	Value func(s []int8) float64
	// Exact, if set, returns the exact thermal average of the quantity at each inverse
	// temperature (nil when it cannot be computed, e.g. too many spins); runs report it
	// beside the measured mean (ExactPoint.Observables) and warn when they disagree.
	Exact func(betas []float64) []float64
}

// String returns the name and the doc.
func (o Observable) String() string { return o.Name + ": " + o.Doc }

// String describes the instance.
func (in Instance) String() string { return fmt.Sprint(in.Model) }

// BuildModel builds the model of a validated config for disorder sample s. The disorder
// (couplings, patterns) comes from the stream (seed, disorder, s, 0). Errors reading a
// coupling file are [InputError]s naming the file and line.
func BuildModel(c Config, s int) (Instance, error) {
	m, ok := LookupModel(c.Model)
	if !ok {
		return Instance{}, &InputError{fmt.Errorf("model: unknown model %q", c.Model)}
	}
	return m.Build(c, rand.New(sampler.NewStream(c.Seed, sampler.PurposeDisorder, s, 0)))
}

// NewSweeper returns the sampler named by the config for model m at inverse
// temperature beta.
func NewSweeper(c Config, m models.Model, beta float64) (sampler.Sweeper, error) {
	order, err := sampler.ParseOrder(c.Order)
	if err != nil {
		return nil, &InputError{fmt.Errorf("order: %w", err)}
	}
	switch c.Sampler {
	case "metropolis":
		return sampler.NewMetropolis(m, beta, order), nil
	case "heatbath":
		return sampler.NewHeatBath(m, beta, order), nil
	case "wolff", "sw":
		sp, ok := m.(*models.Sparse)
		if !ok {
			return nil, &InputError{fmt.Errorf("sampler: %s needs a sparse model (ising, ea or graph)", c.Sampler)}
		}
		if sp.HasField() {
			return nil, &InputError{fmt.Errorf("sampler: %s does not support a field", c.Sampler)}
		}
		if c.Sampler == "wolff" {
			return sampler.NewWolff(sp, beta), nil
		}
		return sampler.NewSwendsenWang(sp, beta), nil
	}
	return nil, &InputError{fmt.Errorf("sampler: unknown sampler %q", c.Sampler)}
}
