package sim

import (
	"fmt"
	"math"

	"github.com/deepglass/deepglass/analysis"
)

// Packed runs whose config leaves measure_every unset choose it per unit from the
// integrated autocorrelation time of the energy, estimated during thermalization: a
// pilot records the lane energies of the first replica at every temperature over the
// last pilotSweeps(therm) sweeps of thermalization, averages the lanes' normalised
// autocorrelation functions, and integrates it with Sokal's automatic window
// (c = analysis.DefaultWindowC). The unit then measures every max(1, ⌊τ_int/2⌋) sweeps
// (τ_int the largest over the unit's temperatures), but at least minMeasurements
// times. Measurements closer than τ_int/2 add little information and cost time.
// The pilot only reads the chains: the chains' trajectory, and every number of a run
// with a given measure_every, are those of the run that sets it.
const (
	pilotMaxSweeps  = 2048 // the longest pilot window
	pilotMinSweeps  = 8    // shorter thermalizations measure every sweep
	pilotLanes      = 32   // lanes recorded per temperature
	minMeasurements = 1000 // the automatic measure_every keeps at least this many
)

// autoMeasureEvery reports whether the run chooses measure_every itself.
func autoMeasureEvery(c Config) bool {
	return c.Packed && c.MeasureEvery == 0 && c.Sampler != "anneal" && c.Sampler != "pa"
}

// pilotSweeps returns the length of the pilot window of a thermalization of therm
// sweeps, 0 for none.
func pilotSweeps(therm int) int {
	w := min(therm/2, pilotMaxSweeps)
	if w < pilotMinSweeps {
		return 0
	}
	return w
}

// pilot holds the lane energies of the pilot window.
type pilot struct {
	from  int       // the window is sweeps from+1 … from+w (sweep numbers after the sweep)
	w     int       // window length
	lanes int       // lanes per temperature
	e     []float64 // e[(j·lanes + l)·w + t]: energy of lane l at temperature j after sweep from+1+t
}

func newPilot(therm, nt, lanes int) *pilot {
	w := pilotSweeps(therm)
	if w == 0 {
		return nil
	}
	lanes = min(lanes, pilotLanes)
	return &pilot{from: therm - w, w: w, lanes: lanes, e: make([]float64, nt*lanes*w)}
}

// record stores the lane energies after sweep number sweep, if it is in the window:
// energies(j) returns the lane energies of the first replica at temperature j.
func (p *pilot) record(sweep, nt int, energies func(j int) []int64) {
	t := sweep - p.from - 1
	if t < 0 || t >= p.w {
		return
	}
	for j := range nt {
		e := energies(j)
		stride := len(e) / p.lanes
		for l := range p.lanes {
			p.e[(j*p.lanes+l)*p.w+t] = float64(e[l*stride])
		}
	}
}

// tau returns the integrated autocorrelation time of the energy: for each temperature
// the lanes' autocorrelation functions averaged and summed with Sokal's window, and
// the largest over the temperatures. A window that never closes gives the sum over
// half the pilot, a lower bound.
func (p *pilot) tau(nt int) float64 {
	maxLag := p.w / 2
	tau := 0.5
	for j := range nt {
		rho := make([]float64, maxLag+1)
		for l := range p.lanes {
			x := p.e[(j*p.lanes+l)*p.w : (j*p.lanes+l+1)*p.w]
			for t, r := range analysis.Autocorrelation(x, maxLag) {
				rho[t] += r / float64(p.lanes)
			}
		}
		tj := 0.5
		for t := 1; t <= maxLag; t++ {
			tj += rho[t]
			if float64(t) >= analysis.DefaultWindowC*tj {
				break
			}
		}
		tau = max(tau, tj)
	}
	return tau
}

// everyFromTau returns the measurement interval for an energy autocorrelation time
// tau in a run of sweeps measured sweeps.
func everyFromTau(tau float64, sweeps int) int {
	e := 1
	if tau >= 2 && !math.IsInf(tau, 0) {
		e = int(tau / 2)
	}
	return max(1, min(e, sweeps/minMeasurements))
}

// chooseEvery fixes the measurement interval of an automatic unit at the end of its
// thermalization and allocates its observables.
func (r *runner) chooseEvery(u *unit) {
	u.tau = math.NaN()
	u.every = 1
	if u.pilot != nil {
		u.tau = u.pilot.tau(len(u.temps))
		u.every = everyFromTau(u.tau, r.c.Sweeps)
	}
	u.pilot = nil
	r.allocObservables(u)
}

// encodeMeasure writes what the unit section does not hold: the measurement interval
// in effect, the pilot and the time spent measuring (section measure/NNNNNN).
func encodeMeasure(u *unit) []byte {
	var e Encoder
	e.PutUint64(1) // version of this section
	e.PutInt64(int64(u.every))
	e.PutFloat64(u.tau)
	e.PutInt64(u.measureNanos)
	if u.pilot == nil {
		e.PutInt64s(nil)
		e.PutFloat64s(nil)
		return e.Bytes()
	}
	e.PutInt64s([]int64{int64(u.pilot.from), int64(u.pilot.w), int64(u.pilot.lanes)})
	e.PutFloat64s(u.pilot.e)
	return e.Bytes()
}

// restoreMeasure reads the section encodeMeasure wrote, before the unit's own; a
// checkpoint without it (from before the section existed) has measure_every set and
// no measurement time.
func (r *runner) restoreMeasure(u *unit, ck *Checkpoint) error {
	name := fmt.Sprintf("measure/%06d", u.index)
	if _, ok := ck.Sections[name]; !ok {
		return nil
	}
	d := ck.Decoder(name)
	if v := d.GetUint64(); d.Err() == nil && v != 1 {
		return fmt.Errorf("unit %d: measure section version %d, want 1", u.index, v)
	}
	every, tau, nanos := int(d.GetInt64()), d.GetFloat64(), d.GetInt64()
	geom, e := d.GetInt64s(), d.GetFloat64s()
	if err := d.Finish(); err != nil {
		return err
	}
	u.measureNanos = nanos
	if !autoMeasureEvery(r.c) {
		return nil
	}
	switch {
	case every > 0:
		u.every, u.tau, u.pilot = every, tau, nil
		r.allocObservables(u)
	case len(geom) == 3 && u.pilot != nil:
		p := u.pilot
		if int(geom[0]) != p.from || int(geom[1]) != p.w || int(geom[2]) != p.lanes || len(e) != len(p.e) {
			return fmt.Errorf("unit %d: pilot window differs", u.index)
		}
		copy(p.e, e)
	}
	return nil
}
