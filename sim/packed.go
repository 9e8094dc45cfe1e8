package sim

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/deepglass/deepglass/models"
	"github.com/deepglass/deepglass/sampler"
	"github.com/deepglass/deepglass/sampler/packed"
)

// validatePacked adds the problems of a packed config to bad.
func (c *Config) validatePacked(m ModelKind, s SamplerKind, bad reporter) {
	if m.Name != "" {
		if m.Packed == nil {
			bad("packed", "packed kernels are for ±J models (ising, ea with bonds pm, graph), not %s", m.Name)
		} else {
			m.Packed(c, bad)
		}
	}
	if s.Name != "" && !s.Packed {
		bad("packed", "packed kernels run metropolis, pt, anneal or pa, not %q", c.Sampler)
	}
	if c.Sampler == "pt" {
		if c.Move != "metropolis" {
			bad("packed", "packed pt composes metropolis, not %q", c.Move)
		}
		if c.Ladder != "fixed" {
			bad("packed", "packed pt runs a fixed ladder, not %q", c.Ladder)
		}
	}
	if o := packedOrder(c); c.Order != "" && c.Order != o {
		bad("order", "the packed kernels of this run sweep sites in order %s (64-lane metropolis, pt and pa: row-checkerboard on square and cubic lattices whose side is a multiple of 16, typewriter otherwise), not %q", o, c.Order)
	}
	switch c.Lanes {
	case packed.Lanes:
	case packed.Lanes * packed.WideWords:
		l, err := models.ParseLattice(c.Lattice)
		if (c.Model != "ising" && c.Model != "ea") || (err == nil && l.Dim < 2) {
			bad("lanes", "512 lanes (the wide kernels) run ising and ea on square and cubic lattices")
		}
	default:
		bad("lanes", "a packed run has 64 or 512 lanes per replica, not %d", c.Lanes)
	}
}

// packedOrder is the site order of c's packed kernels: row-checkerboard (rows in turn,
// in each row the even columns, then the odd; see packed.Metropolis) for 64 lanes of
// metropolis, pt and pa on square and cubic lattices whose side is a multiple of 16,
// typewriter (index order) otherwise.
func packedOrder(c *Config) string {
	if c.Lanes != 0 && c.Lanes != packed.Lanes || (c.Sampler != "metropolis" && c.Sampler != "pt" && c.Sampler != "pa") ||
		c.Model == "graph" || c.Lattice == "" {
		return "typewriter"
	}
	if l, err := models.ParseLattice(c.Lattice); err == nil && packed.RowCheckerboard(l) {
		return "row-checkerboard"
	}
	return "typewriter"
}

// packModel returns the packed form of m: the lattice kernels for square and cubic
// lattices, the graph kernels otherwise. Models that are not ±J give an InputError.
func packModel(m models.Model) (*packed.Model, error) {
	p, ok := m.(*models.Sparse)
	if !ok {
		return nil, &InputError{fmt.Errorf("packed: model %v is not sparse", m)}
	}
	var pm *packed.Model
	var err error
	if p.Lattice != nil && (p.Lattice.Dim == 2 || p.Lattice.Dim == 3) {
		pm, err = packed.NewModel(p)
	} else {
		pm, err = packed.NewGraphLanes([]*models.Sparse{p})
	}
	if err != nil {
		return nil, &InputError{err}
	}
	return pm, nil
}

// packedEngine runs bit-packed (multi-spin coded) chains: per replica, one packed chain
// (64 lanes, chains) or one wide chain (512 lanes, wide) per temperature, swept by
// packed Metropolis or packed tempering (wide: packed.Metropolis.SweepWide and
// packed.WideTempering). Each lane is an independent chain.
type packedEngine struct {
	model  *packed.Model
	chains [][]*packed.Chain       // [replica][j]; for pt, pts[replica].Chains
	wide   [][]*packed.WideChain   // [replica][j], with lanes 512 instead of chains; for pt, wpts[replica].Chains
	moves  [][]*packed.Metropolis  // [replica][j], metropolis only
	pts    []*packed.Tempering     // per replica, pt only
	wpts   []*packed.WideTempering // per replica, pt with 512 lanes only
	// scratch for measurements: lane ℓ of word w of a chain is element 64w + ℓ (one
	// word for 64-lane chains)
	e        [packed.WideLanes]int64
	m, q, ql [packed.WideLanes]float64
	reps     int
	beta     []float64
}

// groups returns the number of 64-lane words per chain: 1, or 8 for wide chains.
func (pk *packedEngine) groups() int {
	if pk.wide != nil {
		return packed.WideWords
	}
	return 1
}

// newPackedEngine builds the packed chains of u.
func (r *runner) newPackedEngine(u *unit, betas []float64) (engine, error) {
	c := r.c
	pm, err := packModel(u.inst.Model)
	if err != nil {
		return nil, err
	}
	pk := &packedEngine{model: pm, reps: u.reps, beta: betas}
	if c.Lanes == packed.Lanes*packed.WideWords {
		pk.wide = make([][]*packed.WideChain, u.reps)
		for rep := range pk.wide {
			for _, k := range u.temps {
				ch := packed.NewWideChain(pm, sampler.NewStream(c.Seed, sampler.PurposeChain, u.sample, rep*len(c.T)+k))
				if c.Start == "ordered" {
					clear(ch.S)
				}
				pk.wide[rep] = append(pk.wide[rep], ch)
			}
		}
	} else {
		pk.chains = make([][]*packed.Chain, u.reps)
		for rep := range pk.chains {
			for _, k := range u.temps {
				ch := packed.NewChain(pm, sampler.NewStream(c.Seed, sampler.PurposeChain, u.sample, rep*len(c.T)+k))
				if c.Start == "ordered" {
					clear(ch.S) // every lane all +1
				}
				pk.chains[rep] = append(pk.chains[rep], ch)
			}
		}
	}
	if c.Sampler == "pt" && pk.wide != nil {
		for rep := range pk.wide {
			pk.wpts = append(pk.wpts, packed.NewWideTempering(pm, betas, pk.wide[rep],
				sampler.NewStream(c.Seed, sampler.PurposeSwap, u.sample, rep)))
		}
	} else if c.Sampler == "pt" {
		for rep := range pk.chains {
			pk.pts = append(pk.pts, packed.NewTempering(pm, betas, packed.IndependentLanes, pk.chains[rep],
				sampler.NewStream(c.Seed, sampler.PurposeSwap, u.sample, rep)))
		}
	} else {
		pk.moves = make([][]*packed.Metropolis, u.reps)
		for rep := range pk.moves {
			for _, b := range betas {
				pk.moves[rep] = append(pk.moves[rep], packed.NewMetropolis(pm, b, packed.IndependentLanes))
			}
		}
	}
	return pk, nil
}

// sweep sweeps every packed chain once.
func (pk *packedEngine) sweep() {
	if pk.pts != nil {
		for _, t := range pk.pts {
			t.Sweep()
		}
		return
	}
	if pk.wpts != nil {
		for _, t := range pk.wpts {
			t.Sweep()
		}
		return
	}
	for rep, ms := range pk.moves {
		for j, m := range ms {
			if pk.wide != nil {
				m.SweepWide(pk.wide[rep][j])
			} else {
				m.Sweep(pk.chains[rep][j])
			}
		}
	}
}

// measure records one measurement at temperature j of a packed unit: averages over
// every lane of every replica, and overlaps between lane ℓ of replica a and lane ℓ of
// replica b for every pair a < b. It returns the lowest lane energy it saw. Every
// observable is counted bit-sliced (packed.Model.LaneEnergies and its kin, see
// docs/packed-measurement.md), wide chains in place.
func (pk *packedEngine) measure(u *unit, j, idx int) float64 {
	lowest := math.Inf(1)
	var m moments
	n := float64(u.n)
	scale := pk.model.Scale()
	o := u.obs[j]
	lanes := packed.Lanes * pk.groups()
	e, mag, q, ql := pk.e[:lanes], pk.m[:lanes], pk.q[:lanes], pk.ql[:lanes]
	k := 0 // chain (lane) index
	for rep := range u.reps {
		if pk.wide != nil {
			c := pk.wide[rep][j]
			pk.model.WideLaneEnergies(e, c)
			c.LaneMagnetizations(mag)
		} else {
			c := pk.chains[rep][j]
			pk.model.LaneEnergies(e, c.S)
			c.LaneMagnetizations(mag)
		}
		for l, el := range e {
			E := float64(el) * scale
			lowest = min(lowest, E)
			m.state(E/n, mag[l])
			o.chainE[k].Add(E / n)
			o.chainM[k].Add(math.Abs(mag[l]))
			k++
		}
	}
	for a := 0; a < u.reps; a++ {
		for b := a + 1; b < u.reps; b++ {
			if pk.wide != nil {
				ca, cb := pk.wide[a][j], pk.wide[b][j]
				ca.LaneOverlaps(q, cb)
				pk.model.WideLaneLinkOverlaps(ql, ca, cb)
			} else {
				ca, cb := pk.chains[a][j], pk.chains[b][j]
				ca.LaneOverlaps(q, cb)
				pk.model.LaneLinkOverlaps(ql, ca.S, cb.S)
			}
			for l, x := range q {
				m.overlap(x, ql[l], o.hist)
			}
		}
	}
	m.record(o, idx)
	return lowest
}

// pilotEnergies returns the lane energies of the first replica at temperature j (in
// units of the model's Scale), for the pilot of an automatic measure_every: the
// tempering's own when it keeps them, counted bit-sliced otherwise. The slice is
// scratch, valid until the next call or measurement.
func (pk *packedEngine) pilotEnergies(j int) []int64 {
	switch {
	case pk.pts != nil:
		return pk.pts[0].E[j][:]
	case pk.wpts != nil:
		return pk.wpts[0].E[j][:]
	case pk.wide != nil:
		pk.model.WideLaneEnergies(pk.e[:], pk.wide[0][j])
		return pk.e[:]
	}
	pk.model.LaneEnergies(pk.e[:packed.Lanes], pk.chains[0][j].S)
	return pk.e[:packed.Lanes]
}

func (pk *packedEngine) lowest() float64         { return math.Inf(1) }
func (pk *packedEngine) resync(models.Model)     {}
func (pk *packedEngine) betas() []float64        { return pk.beta }
func (pk *packedEngine) adapt(string, int) error { return nil }
func (pk *packedEngine) setWorkers(int) int      { return 1 }
func (pk *packedEngine) close()                  {}
func (pk *packedEngine) release()                { pk.moves, pk.pts, pk.wpts = nil, nil, nil }
func (pk *packedEngine) numChains() int          { return pk.reps * packed.Lanes * pk.groups() }
func (pk *packedEngine) exchanges() []*sampler.Exchange {
	var xs []*sampler.Exchange
	for _, t := range pk.pts {
		xs = append(xs, t.Exchange)
	}
	for _, t := range pk.wpts {
		xs = append(xs, t.Exchange)
	}
	return xs
}

// counters returns the accepted and proposed lane updates of chain (rep, j).
func (pk *packedEngine) counters(rep, j int) (int64, int64) {
	if pk.wide != nil {
		c := pk.wide[rep][j]
		return c.Accepted, c.Proposed
	}
	c := pk.chains[rep][j]
	return c.Accepted, c.Proposed
}

// state returns the spins, counters and stream of chain (rep, j), for checkpoints.
func (pk *packedEngine) state(rep, j int) (s []uint64, acc, prop *int64, src *rand.PCG) {
	if pk.wide != nil {
		c := pk.wide[rep][j]
		return c.S, &c.Accepted, &c.Proposed, c.Src
	}
	c := pk.chains[rep][j]
	return c.S, &c.Accepted, &c.Proposed, c.Src
}

// encode appends the packed chains, and the tempering state of a running unit, to e.
func (pk *packedEngine) encode(e *Encoder) {
	for rep := range pk.reps {
		for j := range pk.beta {
			s, acc, prop, src := pk.state(rep, j)
			ints := make([]int64, len(s))
			for i, w := range s {
				ints[i] = int64(w)
			}
			e.PutInt64s(ints)
			e.PutInt64(*acc)
			e.PutInt64(*prop)
			b := marshalState(src)
			e.PutBytes(b)
		}
	}
	for _, x := range pk.exchanges() {
		EncodeTempering(e, x.State())
		b := marshalState(x.Src)
		e.PutBytes(b)
	}
}

// decode restores what encode wrote; done units have no tempering state.
func (pk *packedEngine) decode(d *Decoder, done bool) error {
	for rep := range pk.reps {
		for j := range pk.beta {
			s, acc, prop, src := pk.state(rep, j)
			ints := d.GetInt64s()
			if d.Err() == nil && len(ints) != len(s) {
				return errors.New("packed chain size does not match the model")
			}
			for i := range ints {
				s[i] = uint64(ints[i])
			}
			*acc, *prop = d.GetInt64(), d.GetInt64()
			if err := src.UnmarshalBinary(d.GetBytes()); d.Err() == nil && err != nil {
				return fmt.Errorf("packed chain stream: %w", err)
			}
		}
	}
	if done {
		return d.Err()
	}
	for k, x := range pk.exchanges() {
		st := DecodeTempering(d)
		if d.Err() != nil {
			break
		}
		if err := x.Restore(st); err != nil {
			return fmt.Errorf("packed tempering: %w", err)
		}
		if err := x.Src.UnmarshalBinary(d.GetBytes()); d.Err() == nil && err != nil {
			return fmt.Errorf("packed tempering stream: %w", err)
		}
		if pk.wpts != nil {
			pk.wpts[k].Refresh()
		} else {
			pk.pts[k].Refresh()
		}
	}
	return d.Err()
}
