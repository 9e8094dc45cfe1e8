package sim

import (
	"encoding/json"
	"fmt"
	"math"
	"runtime/debug"
	"time"

	"github.com/deepglass/deepglass/analysis"
)

// Version is the deepglass version written into every config.json and summary.json.
const Version = "0.1.0-dev"

// Revision returns the VCS revision the binary was built from, or "" when unknown.
func Revision() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return ""
	}
	rev, dirty := "", false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if rev != "" && dirty {
		rev += "-dirty"
	}
	return rev
}

// Options control how Run executes and where it writes; they never change results.
type Options struct {
	// Out is the run directory to write; "" writes nothing.
	Out string
	// Threads is the number of goroutines sweeping at once; 0 means GOMAXPROCS.
	Threads int
	// Progress, if set, is called from one goroutine about ten times a second with the
	// sweeps done so far and the total.
	Progress func(done, total int64)
	// Shard and Shards select the disorder samples s with s mod Shards = Shard; with
	// Shards ≤ 1 every sample runs. [Aggregate] merges the shards' run directories.
	Shard, Shards int
	// CheckpointEvery, if positive, writes Out/checkpoint.bin that often. An
	// interrupted run (cancelled context) always writes one when Out is set.
	CheckpointEvery time.Duration
	// Resume continues the run in Out from its checkpoint.bin.
	Resume bool
	// Log, if set, receives messages the user should see while the run goes on (a
	// failed checkpoint write, a resume from the previous checkpoint); they are in the
	// summary's warnings too.
	Log func(msg string)
}

// Summary is the content of summary.json. Field names are a contract with users'
// scripts: they may be added, never renamed.
type Summary struct {
	Version     string `json:"version"`
	Revision    string `json:"revision,omitempty"`
	Model       string `json:"model"`
	Description string `json:"description"`
	N           int    `json:"n"`
	Seed        uint64 `json:"seed"`
	Sampler     string `json:"sampler"`
	// Samples is the number of disorder samples averaged in Points; Replicas the number
	// of independent copies per temperature and sample.
	Samples  int `json:"samples"`
	Replicas int `json:"replicas"`
	// Lanes is the number of independent systems per replica of a packed run (64 or
	// 512), and absent otherwise.
	Lanes int `json:"lanes,omitempty"`
	// MeasureEveryAuto is true when the run chose the number of sweeps between
	// measurements itself, per point (Point.MeasureEvery) from the autocorrelation
	// time of the energy; MeasureEvery is then the largest over the points.
	MeasureEvery     int  `json:"measure_every,omitempty"`
	MeasureEveryAuto bool `json:"measure_every_auto,omitempty"`
	// Shard is "i/n" for the summary of one shard of a sharded run.
	Shard       string       `json:"shard,omitempty"`
	Points      []Point      `json:"points"`
	GroundState *GroundState `json:"ground_state,omitempty"`
	// Tempering holds the parallel-tempering diagnostics (pt only).
	Tempering *TemperingStats `json:"tempering,omitempty"`
	// DensityOfStates holds ln g(E) and the thermodynamics from it (wanglandau only;
	// Points is then empty).
	DensityOfStates *DensityOfStates `json:"density_of_states,omitempty"`
	// Equilibration holds the logarithmically binned energy and overlaps per
	// temperature (disorder averages with several samples).
	Equilibration []LogBin `json:"equilibration,omitempty"`
	Perf          Perf     `json:"perf"`
	// Interrupted is true when the run was cancelled before it finished; Points then
	// holds only the samples and temperatures that finished.
	Interrupted bool `json:"interrupted,omitempty"`
	// Warnings lists every warning of the run: those of the points and those about the
	// run as a whole (checkpoints, tempering).
	Warnings []Warning `json:"warnings,omitempty"`
}

// Point holds the results at one temperature. Every quantity is per spin. With one
// sample, errors are one standard error of the thermal mean, from binning (Sokal's
// window on bin means) for averages and from the jackknife for derived quantities; with
// several samples, Points hold disorder averages [·] with errors over samples, derived
// ratios (binder, binder_sg) from the jackknife over samples.
type Point struct {
	T                float64           `json:"T"`
	Energy           analysis.Estimate `json:"energy"`
	AbsMagnetization analysis.Estimate `json:"abs_magnetization"`
	M2               analysis.Estimate `json:"m2"`
	M4               analysis.Estimate `json:"m4"`
	// SpecificHeat is β²N(⟨e²⟩ − ⟨e⟩²).
	SpecificHeat analysis.Estimate `json:"specific_heat"`
	// Susceptibility is βN(⟨m²⟩ − ⟨|m|⟩²).
	Susceptibility analysis.Estimate `json:"susceptibility"`
	// Binder is U₄ = 1 − ⟨m⁴⟩/(3⟨m²⟩²).
	Binder analysis.Estimate `json:"binder"`
	// With two or more replicas: moments of the overlap q = (1/N) Σ s_i^a s_i^b over
	// replica pairs, the link overlap, the spin-glass Binder ratio
	// g = (3 − ⟨q⁴⟩/⟨q²⟩²)/2 and χ_SG = N⟨q²⟩.
	Q2          *analysis.Estimate `json:"q2,omitempty"`
	Q4          *analysis.Estimate `json:"q4,omitempty"`
	AbsQ        *analysis.Estimate `json:"abs_q,omitempty"`
	LinkOverlap *analysis.Estimate `json:"link_overlap,omitempty"`
	BinderSG    *analysis.Estimate `json:"binder_sg,omitempty"`
	ChiSG       *analysis.Estimate `json:"chi_sg,omitempty"`
	// Acceptance is the fraction of accepted single-spin updates (1 for cluster moves;
	// for pt, over all temperatures of the ladder).
	Acceptance float64 `json:"acceptance"`
	// SwapAcceptance is, for pt, the acceptance of exchanges between this temperature
	// and the next colder one.
	SwapAcceptance *float64 `json:"swap_acceptance,omitempty"`
	// Identity checks an exact equilibrium identity of Gaussian couplings (SK with
	// J0 = 0: [e] = −(β/2)(1 − [q²]); Gaussian EA: [e] = −(zβ/2)(1 − [q_l])), with
	// several samples and replicas.
	Identity     *Identity `json:"identity,omitempty"`
	Samples      int       `json:"samples"`
	Measurements int       `json:"measurements"`
	BinLen       int       `json:"bin_len"`
	// MeasureEvery is the number of sweeps between measurements that the run chose
	// for this point, and MeasureEveryTau the energy's integrated autocorrelation time
	// (in sweeps) it was chosen from, estimated during thermalization; both only when
	// the run chose them (packed runs without measure_every, see
	// Config.MeasureEvery). With several samples: the largest interval and the mean τ.
	MeasureEvery    int      `json:"measure_every,omitempty"`
	MeasureEveryTau *float64 `json:"measure_every_tau,omitempty"`
	// Exact holds exact values where deepglass knows them: enumeration for N ≤ 20
	// (disorder-averaged over samples), Kaufman's solution for the 2D Ising ferromagnet.
	Exact *ExactPoint `json:"exact,omitempty"`
	// Observables holds the means of the model's own observables (Hopfield: the
	// overlaps |m_μ| with the stored patterns), by name; see Instance.Observables.
	// With several samples: their averages over samples.
	Observables map[string]analysis.Estimate `json:"observables,omitempty"`
	// Convergence holds the convergence diagnostic R̂ across chains and the effective
	// sample size of the energy and |m| (with several samples: the worst R̂ and the
	// smallest ESS over samples).
	Convergence []Convergence `json:"convergence,omitempty"`
	// FreeEnergy f = −T ln Z/N and Entropy s = (e − f)/T per spin (pa only), from
	// population annealing's normalizations, with jackknife errors over populations
	// (with several samples: disorder averages [f], [s] with errors over samples).
	FreeEnergy *analysis.Estimate `json:"free_energy,omitempty"`
	Entropy    *analysis.Estimate `json:"entropy,omitempty"`
	// PA holds population annealing's equilibration measures (pa only).
	PA *PAStats `json:"pa,omitempty"`
	// Warnings name what makes this point's numbers untrustworthy (see [Warning]).
	Warnings []Warning `json:"warnings,omitempty"`
}

// Convergence is the convergence diagnostic of one observable at one temperature.
type Convergence struct {
	Observable string `json:"observable"`
	// Chains is the number of independent chains compared: replicas, times the lanes
	// of packed replicas. R̂ splits each chain into halves, so one chain still gives a
	// value.
	Chains int `json:"chains"`
	// RHat is the rank-normalized split-R̂ of Vehtari et al. (2021) on the chains'
	// batch means (see analysis.RHat).
	RHat float64 `json:"rhat"`
	// ESS is the effective sample size of the estimate: chains × measurements / (2τ_int).
	ESS float64 `json:"ess"`
}

// MarshalJSON writes an undefined (NaN) or infinite R̂ or ESS as null.
func (c Convergence) MarshalJSON() ([]byte, error) {
	num := func(x float64) *float64 {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil
		}
		return &x
	}
	return json.Marshal(struct {
		Observable string   `json:"observable"`
		Chains     int      `json:"chains"`
		RHat       *float64 `json:"rhat"`
		ESS        *float64 `json:"ess"`
	}{c.Observable, c.Chains, num(c.RHat), num(c.ESS)})
}

// UnmarshalJSON reads what MarshalJSON writes; null becomes NaN.
func (c *Convergence) UnmarshalJSON(b []byte) error {
	var w struct {
		Observable string   `json:"observable"`
		Chains     int      `json:"chains"`
		RHat       *float64 `json:"rhat"`
		ESS        *float64 `json:"ess"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	val := func(p *float64) float64 {
		if p == nil {
			return math.NaN()
		}
		return *p
	}
	*c = Convergence{Observable: w.Observable, Chains: w.Chains, RHat: val(w.RHat), ESS: val(w.ESS)}
	return nil
}

// Warning is one reason not to trust a number: a stuck chain, too short a run, chains
// that disagree, a tempering ladder that does not mix, a failed exact identity.
type Warning struct {
	// Code is a short stable name: zero-variance, exact-mismatch, short-run,
	// no-tau, rhat, swap-rate, no-round-trip, identity, checkpoint, pa-equilibration.
	Code string `json:"code"`
	// T is the temperature of a point warning, absent for warnings about the run.
	T *float64 `json:"T,omitempty"`
	// Message says what was seen and what to do.
	Message string `json:"message"`
	// Samples counts the disorder samples with this warning (several samples only).
	Samples int `json:"samples,omitempty"`
}

// String returns the warning as one line.
func (w Warning) String() string {
	s := w.Code + ": " + w.Message
	if w.T != nil {
		s = fmt.Sprintf("T = %g: %s", *w.T, s)
	}
	return s
}

// Identity compares the disorder-averaged energy with the value an exact identity
// predicts from the overlaps; Diff is their difference with its error over samples,
// which must be consistent with zero in equilibrium.
type Identity struct {
	Name      string            `json:"name"`
	Energy    analysis.Estimate `json:"energy"`
	Predicted analysis.Estimate `json:"predicted"`
	Diff      analysis.Estimate `json:"diff"`
}

// ExactPoint holds exact per-spin values at one temperature.
type ExactPoint struct {
	Source           string   `json:"source"`
	Energy           float64  `json:"energy"`
	SpecificHeat     float64  `json:"specific_heat"`
	AbsMagnetization *float64 `json:"abs_magnetization,omitempty"`
	Binder           *float64 `json:"binder,omitempty"`
	// FreeEnergy is −T ln Z/N (pa runs only).
	FreeEnergy *float64 `json:"free_energy,omitempty"`
	// Observables holds the exact thermal averages of the model's own observables
	// that have them (funnel: p_native), by name.
	Observables map[string]float64 `json:"observables,omitempty"`
}

// GroundState is the lowest-energy state found: by annealing, or the lowest energy
// seen at the end of any sweep of any chain. With several samples, Energy is the
// average over samples of each sample's lowest energy.
type GroundState struct {
	Energy float64  `json:"energy"` // per spin
	Cut    *float64 `json:"cut,omitempty"`
	T      float64  `json:"T,omitempty"`
	// Sweeps counts the sweeps made up to the one that found it (for anneal, the sweeps
	// of all restarts in the run); Seconds is the wall time from the start of the run.
	Sweeps   int64   `json:"sweeps"`
	Seconds  float64 `json:"seconds"`
	Restarts int     `json:"restarts,omitempty"`
	// TimeToTarget reports, when a target was given, the first time 99%, 99.5% and
	// 100% of it were reached.
	TimeToTarget []TargetTime `json:"time_to_target,omitempty"`
}

// TargetTime is the wall time and the number of sweeps (over all restarts) it took to
// reach a fraction of the target.
type TargetTime struct {
	Fraction float64 `json:"fraction"`
	// Target is the cut (G-set) or energy per spin to reach.
	Target  float64 `json:"target"`
	Reached bool    `json:"reached"`
	Seconds float64 `json:"seconds,omitempty"`
	Sweeps  int64   `json:"sweeps,omitempty"`
}

// TemperingStats are the parallel-tempering diagnostics: the ladder used, the number
// of round trips (coldest → hottest → coldest) of all chains and their mean duration in
// sweeps, and the replica flow f(T), the fraction of chains at each temperature that
// last visited the hottest one (linear in the index for a well-mixing ladder).
type TemperingStats struct {
	T             []float64 `json:"T"`
	RoundTrips    int64     `json:"round_trips"`
	MeanRoundTrip float64   `json:"mean_round_trip"`
	Flow          []float64 `json:"flow"`
}

// Perf records the cost of the run. SpinUpdates counts attempted single-spin updates
// (spins visited by cluster moves) over all chains, thermalization included;
// NsPerUpdate is the time spent sweeping and measuring, multiplied by the threads
// sweeping, divided by SpinUpdates.
//
// SweepSeconds and MeasureSeconds split that time (in thread-seconds, as NsPerUpdate
// counts it): the sweeps (with tempering's exchanges) and the measurements (energies,
// magnetizations, overlaps and their series). IOSeconds is the wall time spent writing
// the run directory: config.json, checkpoints, the per-sample results, series.csv and
// the other tables, all but summary.json itself. Runs that do not measure during the
// sweeps (anneal, wanglandau) report their sampling as SweepSeconds.
type Perf struct {
	SpinUpdates    float64 `json:"spin_updates"`
	Seconds        float64 `json:"seconds"`
	NsPerUpdate    float64 `json:"ns_per_update"`
	Threads        int     `json:"threads"`
	SweepSeconds   float64 `json:"sweep_seconds"`
	MeasureSeconds float64 `json:"measure_seconds"`
	IOSeconds      float64 `json:"io_seconds"`
}

// String renders the summary as a table, one row per temperature.
func (s *Summary) String() string { return FormatTable(s) }

// SampleResult is the result of one disorder sample, written to
// samples/sample-NNNNNN.json in the run directory; [Aggregate] combines them.
type SampleResult struct {
	Sample     int    `json:"sample"`
	ConfigHash string `json:"config_hash"`
	// Points are in the order of the config's temperatures.
	Points      []Point         `json:"points"`
	PQ          [][]float64     `json:"p_q,omitempty"` // P(q) per point over qBins bins of [-1, 1]
	LogBins     []LogBin        `json:"log_bins,omitempty"`
	GroundState *GroundState    `json:"ground_state,omitempty"`
	Tempering   *TemperingStats `json:"tempering,omitempty"`
	// PopulationAnnealing holds the steps of a pa run.
	PopulationAnnealing *PARun `json:"population_annealing,omitempty"`
	Perf                Perf   `json:"perf"`
}
