package sim

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/deepglass/deepglass/models"
	"github.com/deepglass/deepglass/sampler"
)

// engine is the Monte Carlo contract of a unit, in the spirit of Carlo.jl's
// init/sweep/measure/checkpoint: a unit's chains — independent chains of a
// single-temperature sampler ([chainEngine]), parallel-tempering ladders
// ([temperingEngine]) or bit-packed lanes ([packedEngine]) — behind one interface, so
// that the run loop, checkpoints and summaries never ask which. An engine is called
// once per sweep and once per measurement, never per spin: the hot loops stay in the
// samplers' concrete kernels. A new representation is one more implementation.
type engine interface {
	// sweep advances every chain of the unit by one sweep (tempering: and one round of
	// exchanges).
	sweep()
	// lowest returns the lowest total energy among the current states, or +Inf when
	// the engine only knows it at measurements (packed lanes).
	lowest() float64
	// measure records one measurement of the unit's j-th temperature into the unit's
	// observables (index idx of the measurement) and returns the lowest total energy
	// it saw.
	measure(u *unit, j, idx int) float64
	// counters returns the accepted and proposed single-spin updates of replica rep at
	// the unit's j-th temperature.
	counters(rep, j int) (acc, prop int64)
	// chains returns the number of independent chains per temperature (for R̂).
	numChains() int
	// resync recomputes incrementally tracked energies.
	resync(m models.Model)
	// betas returns the inverse temperatures of the unit's temperatures now (an
	// adaptive ladder may have moved them).
	betas() []float64
	// exchanges returns the exchange cores of tempering ladders, one per replica, or nil.
	exchanges() []*sampler.Exchange
	// adapt places an adaptive ladder during thermalization (tempering only).
	adapt(ladder string, sweeps int) error
	// setWorkers sets the goroutines one sweep may use and returns how many it does.
	setWorkers(n int) int
	// close releases goroutines the engine started.
	close()
	// encode appends the engine's state to e; decode restores it on a freshly built
	// engine (done: the unit had finished, and only what its results need is saved).
	encode(e *Encoder)
	decode(d *Decoder, done bool) error
	// release drops what a finished unit no longer needs (moves, ladders).
	release()
}

// newEngine builds the engine of unit u at the inverse temperatures betas (increasing
// for pt).
func (r *runner) newEngine(u *unit, betas []float64) (engine, error) {
	c := r.c
	if c.Packed {
		return r.newPackedEngine(u, betas)
	}
	cs := chainSet{model: u.inst.Model}
	cs.c = make([][]*sampler.Chain, u.reps)
	for rep := range cs.c {
		cs.c[rep] = make([]*sampler.Chain, len(u.temps))
		for j, k := range u.temps {
			src := sampler.NewStream(c.Seed, sampler.PurposeChain, u.sample, rep*len(c.T)+k)
			cs.c[rep][j] = r.newChain(u.inst, src)
		}
	}
	if c.Sampler == "pt" {
		moveConfig := Config{Sampler: c.Move, Order: c.Order}
		if _, err := NewSweeper(moveConfig, u.inst.Model, betas[0]); err != nil {
			return nil, err
		}
		move := func(beta float64) sampler.Sweeper {
			sw, err := NewSweeper(moveConfig, u.inst.Model, beta)
			if err != nil { // the same config and model worked above
				panic("sim: pt move: " + err.Error())
			}
			return sw
		}
		e := &temperingEngine{chainSet: cs, pts: make([]*sampler.Tempering, u.reps)}
		for rep := range e.pts {
			e.pts[rep] = sampler.NewTempering(betas, move, cs.c[rep], sampler.NewStream(c.Seed, sampler.PurposeSwap, u.sample, rep))
		}
		return e, nil
	}
	e := &chainEngine{chainSet: cs, moves: make([][]sampler.Sweeper, u.reps), beta: betas}
	for rep := range e.moves {
		e.moves[rep] = make([]sampler.Sweeper, len(u.temps))
		for j := range u.temps {
			sw, err := NewSweeper(c, u.inst.Model, betas[j])
			if err != nil {
				return nil, err
			}
			e.moves[rep][j] = sw
		}
	}
	return e, nil
}

// newChain returns a chain of the instance's model from the config's initial state.
func (r *runner) newChain(in Instance, src *rand.PCG) *sampler.Chain {
	m := in.Model
	if s, ok := patternStart(r.c.Start, in, src); ok {
		return sampler.NewChainFrom(m, s, src)
	}
	if r.c.Start != "ordered" {
		return sampler.NewChain(m, src)
	}
	up := make([]int8, m.N())
	for i := range up {
		up[i] = 1
		if r.c.Field < 0 {
			up[i] = -1
		}
	}
	return sampler.NewChainFrom(m, up, src)
}

// chainSet is what the scalar engines share: the chains, c[replica][j] in identity
// order (for tempering, the chains of ladder `replica`, which travel between
// temperatures).
type chainSet struct {
	model models.Model
	c     [][]*sampler.Chain
}

func (s *chainSet) numChains() int { return len(s.c) }

func (s *chainSet) lowest() float64 {
	low := math.Inf(1)
	for _, cs := range s.c {
		for _, ch := range cs {
			low = min(low, ch.E)
		}
	}
	return low
}

func (s *chainSet) resync(m models.Model) {
	for _, cs := range s.c {
		for _, ch := range cs {
			ch.Resync(m)
		}
	}
}

func (s *chainSet) counters(rep, j int) (int64, int64) {
	ch := s.c[rep][j]
	return ch.Accepted, ch.Proposed
}

func (s *chainSet) encode(e *Encoder) {
	for _, cs := range s.c {
		for _, ch := range cs {
			e.PutInt8s(ch.S)
			e.PutFloat64(ch.E)
			e.PutInt64(ch.Accepted)
			e.PutInt64(ch.Proposed)
			b := marshalState(ch.Src)
			e.PutBytes(b)
		}
	}
}

func (s *chainSet) decode(d *Decoder) error {
	for _, cs := range s.c {
		for _, ch := range cs {
			v := d.GetInt8s()
			if d.Err() == nil && len(v) != len(ch.S) {
				return fmt.Errorf("chain of %d spins, want %d", len(v), len(ch.S))
			}
			copy(ch.S, v)
			ch.E = d.GetFloat64()
			ch.Accepted = d.GetInt64()
			ch.Proposed = d.GetInt64()
			if b := d.GetBytes(); d.Err() == nil {
				if err := ch.Src.UnmarshalBinary(b); err != nil {
					return fmt.Errorf("random stream: %w", err)
				}
			}
		}
	}
	return nil
}

// chainEngine runs independent chains of a single-temperature sampler: moves[rep][j]
// sweeps chain c[rep][j] at β_j.
type chainEngine struct {
	chainSet
	moves [][]sampler.Sweeper
	beta  []float64
}

func (e *chainEngine) sweep() {
	for rep, ms := range e.moves {
		for j, m := range ms {
			m.Sweep(e.c[rep][j])
		}
	}
}

func (e *chainEngine) measure(u *unit, j, idx int) float64 {
	return u.measureChains(j, idx, func(rep, j int) *sampler.Chain { return e.c[rep][j] })
}

// encode saves the chains and the moves' own state: the calibrated number of cluster
// updates per sweep of Wolff samplers (recalibrating on resume would change the chain).
func (e *chainEngine) encode(enc *Encoder) {
	e.chainSet.encode(enc)
	for _, ms := range e.moves {
		for _, m := range ms {
			if w, ok := m.(*sampler.Wolff); ok {
				enc.PutInt64(int64(w.Clusters))
			}
		}
	}
}

func (e *chainEngine) decode(d *Decoder, done bool) error {
	if err := e.chainSet.decode(d); err != nil || done {
		return err
	}
	for _, ms := range e.moves {
		for _, m := range ms {
			if w, ok := m.(*sampler.Wolff); ok {
				w.Clusters = int(d.GetInt64())
			}
		}
	}
	return nil
}

func (e *chainEngine) betas() []float64               { return e.beta }
func (e *chainEngine) exchanges() []*sampler.Exchange { return nil }
func (e *chainEngine) adapt(string, int) error        { return nil }
func (e *chainEngine) setWorkers(int) int             { return 1 }
func (e *chainEngine) close()                         {}
func (e *chainEngine) release()                       { e.moves = nil }

// temperingEngine runs one parallel-tempering ladder per replica over the unit's
// temperatures.
type temperingEngine struct {
	chainSet
	pts     []*sampler.Tempering
	workers int
}

func (e *temperingEngine) sweep() {
	for _, t := range e.pts {
		t.Sweep()
	}
}

func (e *temperingEngine) measure(u *unit, j, idx int) float64 {
	return u.measureChains(j, idx, func(rep, j int) *sampler.Chain { return e.pts[rep].ChainAt(j) })
}

func (e *temperingEngine) betas() []float64 { return e.pts[0].Betas }

func (e *temperingEngine) exchanges() []*sampler.Exchange {
	xs := make([]*sampler.Exchange, len(e.pts))
	for i, t := range e.pts {
		xs[i] = t.Exchange
	}
	return xs
}

// adapt runs the adaptive ladder on the first replica's ladder for sweeps sweeps, then
// gives every replica that ladder.
func (e *temperingEngine) adapt(ladder string, sweeps int) error {
	t0 := e.pts[0]
	switch ladder {
	case "constant":
		t0.AdaptConstantAcceptance(sweeps)
	case "feedback":
		rounds := 5
		t0.AdaptFeedback(rounds, max(1, sweeps/rounds))
	default:
		return nil
	}
	for _, t := range e.pts[1:] {
		st := t.State()
		st.Betas = append([]float64(nil), t0.Betas...)
		if err := t.Restore(st); err != nil {
			return fmt.Errorf("copying the adapted ladder to the other replicas: %w", err)
		}
	}
	return nil
}

func (e *temperingEngine) setWorkers(n int) int {
	for _, t := range e.pts {
		t.SetWorkers(n)
	}
	e.workers = n
	return n
}

func (e *temperingEngine) close() {
	for _, t := range e.pts {
		t.Close()
	}
}

func (e *temperingEngine) encode(enc *Encoder) {
	e.chainSet.encode(enc)
	for _, t := range e.pts {
		EncodeTempering(enc, t.State())
		b := marshalState(t.Src)
		enc.PutBytes(b)
	}
}

func (e *temperingEngine) decode(d *Decoder, done bool) error {
	if err := e.chainSet.decode(d); err != nil {
		return err
	}
	if done {
		return nil
	}
	for _, t := range e.pts {
		st := DecodeTempering(d)
		if d.Err() != nil {
			break
		}
		if err := t.Restore(st); err != nil {
			return err
		}
		if b := d.GetBytes(); d.Err() == nil {
			if err := t.Src.UnmarshalBinary(b); err != nil {
				return fmt.Errorf("swap stream: %w", err)
			}
		}
	}
	return nil
}

func (e *temperingEngine) release() { e.pts = nil }
