package sim

import (
	"errors"
	"fmt"

	"github.com/deepglass/deepglass/models"
	"github.com/deepglass/deepglass/sampler"
)

// validatePacked adds the problems of a packed config to bad.
func (c *Config) validatePacked(bad func(field, format string, args ...any)) {
	switch c.Model {
	case "ising", "graph":
	case "ea":
		if c.Bonds != "pm" {
			bad("packed", "packed ea needs bonds pm (±1), not %q", c.Bonds)
		}
	default:
		bad("packed", "packed kernels are for ±J models (ising, ea with bonds pm, graph), not %s", c.Model)
	}
	if c.Field != 0 {
		bad("packed", "packed kernels do not support a field")
	}
	switch c.Sampler {
	case "metropolis", "anneal":
	case "pt":
		if c.Move != "metropolis" {
			bad("packed", "packed pt composes metropolis, not %q", c.Move)
		}
		if c.Ladder != "fixed" {
			bad("packed", "packed pt runs a fixed ladder, not %q", c.Ladder)
		}
	default:
		bad("packed", "packed kernels run metropolis, pt or anneal, not %q", c.Sampler)
	}
	if c.Order != "typewriter" {
		bad("packed", "packed kernels sweep sites in index order (order typewriter), not %q", c.Order)
	}
}

// packModel returns the packed form of m: the lattice kernels for square and cubic
// lattices, the graph kernels otherwise. Models that are not ±J give an InputError.
func packModel(m models.Model) (*sampler.PackedModel, error) {
	p, ok := m.(*models.Sparse)
	if !ok {
		return nil, &InputError{fmt.Errorf("packed: model %v is not sparse", m)}
	}
	var pm *sampler.PackedModel
	var err error
	if p.Lattice != nil && (p.Lattice.Dim == 2 || p.Lattice.Dim == 3) {
		pm, err = sampler.NewPackedModel(p)
	} else {
		pm, err = sampler.NewPackedGraphLanes([]*models.Sparse{p})
	}
	if err != nil {
		return nil, &InputError{err}
	}
	return pm, nil
}

// packedUnit is the packed state of a unit: per replica, one packed chain (64 lanes)
// per temperature.
type packedUnit struct {
	model  *sampler.PackedModel
	chains [][]*sampler.PackedChain      // [replica][j]; for pt, pts[replica].Chains
	moves  [][]*sampler.PackedMetropolis // [replica][j], metropolis only
	pts    []*sampler.PackedTempering    // per replica, pt only
	// scratch for measurements
	e        [sampler.PackedLanes]int64
	m, q, ql [sampler.PackedLanes]float64
}

// initPacked builds the packed chains of u.
func (r *runner) initPacked(u *unit, betas []float64) error {
	c := r.c
	pm, err := packModel(u.inst.Model)
	if err != nil {
		return err
	}
	pk := &packedUnit{model: pm, chains: make([][]*sampler.PackedChain, u.reps)}
	for rep := range pk.chains {
		pk.chains[rep] = make([]*sampler.PackedChain, len(u.temps))
		for j, k := range u.temps {
			ch := sampler.NewPackedChain(pm, sampler.NewStream(c.Seed, sampler.PurposeChain, u.sample, rep*len(c.T)+k))
			if c.Start == "ordered" {
				clear(ch.S) // every lane all +1
			}
			pk.chains[rep][j] = ch
		}
	}
	if c.Sampler == "pt" {
		for rep := range pk.chains {
			pk.pts = append(pk.pts, sampler.NewPackedTempering(pm, betas, sampler.IndependentLanes, pk.chains[rep],
				sampler.NewStream(c.Seed, sampler.PurposeSwap, u.sample, rep)))
		}
	} else {
		pk.moves = make([][]*sampler.PackedMetropolis, u.reps)
		for rep := range pk.moves {
			for _, b := range betas {
				pk.moves[rep] = append(pk.moves[rep], sampler.NewPackedMetropolis(pm, b, sampler.IndependentLanes))
			}
		}
	}
	u.pk = pk
	return nil
}

// step sweeps every packed chain once.
func (pk *packedUnit) step() {
	if pk.pts != nil {
		for _, t := range pk.pts {
			t.Sweep()
		}
		return
	}
	for rep, ms := range pk.moves {
		for j, m := range ms {
			m.Sweep(pk.chains[rep][j])
		}
	}
}

// measurePacked records one measurement at temperature j of a packed unit: averages
// over every lane of every replica, and overlaps between lane ℓ of replica a and lane
// ℓ of replica b for every pair a < b. It also tracks the lowest energy seen, and
// reports whether it improved.
func (u *unit) measurePacked(j, idx, sweep int) (improved bool) {
	pk := u.pk
	var m moments
	n := float64(u.n)
	scale := pk.model.Scale()
	for rep := range pk.chains {
		ch := pk.chains[rep][j]
		pk.model.LaneEnergies(pk.e[:], ch.S)
		ch.LaneMagnetizations(pk.m[:])
		for l, el := range pk.e {
			E := float64(el) * scale
			if E < u.bestE {
				u.bestE, u.bestSwp, improved = E, sweep, true
			}
			m.state(E/n, pk.m[l])
		}
	}
	o := u.obs[j]
	if u.reps >= 2 {
		for a := 0; a < u.reps; a++ {
			for b := a + 1; b < u.reps; b++ {
				ca, cb := pk.chains[a][j], pk.chains[b][j]
				ca.LaneOverlaps(pk.q[:], cb)
				pk.model.LaneLinkOverlaps(pk.ql[:], ca.S, cb.S)
				for l, q := range pk.q {
					m.overlap(q, pk.ql[l], o.hist)
				}
			}
		}
	}
	m.record(o, idx)
	return improved
}

// counters returns the accepted and proposed lane updates of chain (rep, j).
func (pk *packedUnit) counters(rep, j int) (int64, int64) {
	c := pk.chains[rep][j]
	return c.Accepted, c.Proposed
}

// swapAcceptance returns the exchange acceptance of pair (j, j+1), averaged over
// replicas.
func (pk *packedUnit) swapAcceptance(j int) float64 {
	var s float64
	for _, t := range pk.pts {
		s += t.SwapAcceptance()[j]
	}
	return s / float64(len(pk.pts))
}

// encode appends the packed chains, and the tempering state of a running unit, to e.
func (pk *packedUnit) encode(e *Encoder) {
	for _, cs := range pk.chains {
		for _, ch := range cs {
			ints := make([]int64, len(ch.S))
			for i, w := range ch.S {
				ints[i] = int64(w)
			}
			e.PutInt64s(ints)
			e.PutInt64(ch.Accepted)
			e.PutInt64(ch.Proposed)
			b, _ := ch.Src.MarshalBinary() // PCG.MarshalBinary never fails
			e.PutBytes(b)
		}
	}
	for _, t := range pk.pts {
		e.PutInt64s(t.Tried)
		e.PutInt64s(t.Swapped)
		e.PutInt64(int64(t.Parity()))
		b, _ := t.Src.MarshalBinary()
		e.PutBytes(b)
	}
}

// decode restores what encode wrote; done units have no tempering state.
func (pk *packedUnit) decode(d *Decoder, done bool) error {
	for _, cs := range pk.chains {
		for _, ch := range cs {
			ints := d.GetInt64s()
			if d.Err() == nil && len(ints) != len(ch.S) {
				return errors.New("packed chain size does not match the model")
			}
			for i := range ints {
				ch.S[i] = uint64(ints[i])
			}
			ch.Accepted, ch.Proposed = d.GetInt64(), d.GetInt64()
			if err := ch.Src.UnmarshalBinary(d.GetBytes()); d.Err() == nil && err != nil {
				return fmt.Errorf("packed chain stream: %w", err)
			}
		}
	}
	if done {
		return d.Err()
	}
	for _, t := range pk.pts {
		tried, swapped := d.GetInt64s(), d.GetInt64s()
		parity := d.GetInt64()
		if d.Err() == nil && (len(tried) != len(t.Tried) || len(swapped) != len(t.Swapped)) {
			return errors.New("packed tempering counters do not match the ladder")
		}
		copy(t.Tried, tried)
		copy(t.Swapped, swapped)
		t.SetParity(int(parity))
		if err := t.Src.UnmarshalBinary(d.GetBytes()); d.Err() == nil && err != nil {
			return fmt.Errorf("packed tempering stream: %w", err)
		}
		t.Refresh()
	}
	return d.Err()
}
