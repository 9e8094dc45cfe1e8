package sampler

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/deepglass/deepglass/models"
)

// EnergyBins divides an energy window into Bins bins of width Width: bin k holds the
// total energies in [Min + (k−½)·Width, Min + (k+½)·Width), centred on Min + k·Width.
// For a model whose energies lie on a grid (the Ising model: steps of 4), give the
// grid's lowest point and step, so that every bin holds one level exactly. For
// continuous energies, the bins are a histogram and ln g(k) counts the states in bin k.
type EnergyBins struct {
	Min, Width float64
	Bins       int
}

// GridBins returns the bins of the energy grid lo, lo+step, …, hi.
func GridBins(lo, hi, step float64) EnergyBins {
	return EnergyBins{Min: lo, Width: step, Bins: int(math.Round((hi-lo)/step)) + 1}
}

// Validate reports whether the bins are usable: finite Min, Width > 0, Bins ≥ 1.
func (b EnergyBins) Validate() error {
	if math.IsNaN(b.Min) || math.IsInf(b.Min, 0) {
		return fmt.Errorf("energy bins: minimum %v is not finite", b.Min)
	}
	if !(b.Width > 0) || math.IsInf(b.Width, 0) {
		return fmt.Errorf("energy bins: width %v (want a finite width > 0)", b.Width)
	}
	if b.Bins < 1 || b.Bins > 1<<26 {
		return fmt.Errorf("energy bins: %d bins (want 1 … 2^26)", b.Bins)
	}
	return nil
}

// Index returns the bin of total energy e, or −1 outside the window.
func (b EnergyBins) Index(e float64) int {
	x := math.Floor((e-b.Min)/b.Width + 0.5)
	if !(x >= 0 && x < float64(b.Bins)) {
		return -1
	}
	return int(x)
}

// Center returns the energy at the centre of bin k.
func (b EnergyBins) Center(k int) float64 { return b.Min + float64(k)*b.Width }

// String describes the window, e.g. "64 bins of width 4 from -512".
func (b EnergyBins) String() string {
	return fmt.Sprintf("%d bins of width %g from %g", b.Bins, b.Width, b.Min)
}

// Wang–Landau stages.
const (
	// WLHalving is the first stage: ln f is halved whenever every bin visited so far
	// has been visited again since the last halving.
	WLHalving = 0
	// WLOneOverT is the second stage: ln f = 1/t, with t the number of proposals per
	// visited bin (Belardinelli & Pereyra 2007).
	WLOneOverT = 1
)

// WangLandau estimates the density of states g(E) of a model by the flat-histogram
// random walk of Wang & Landau (Phys. Rev. Lett. 86, 2050 (2001)) with the 1/t
// refinement of Belardinelli & Pereyra (Phys. Rev. E 75, 046701 (2007); J. Chem. Phys.
// 127, 184105 (2007)).
//
// Single-spin flips at random sites move between energy bins, and a move from bin a to
// bin b is accepted with probability min(1, g(a)/g(b)), which drives the walk towards a
// flat histogram; after every proposal ln g of the current bin grows by ln f. Moves
// that leave the window are rejected. In the first stage ([WLHalving]) ln f starts at
// 1 and is halved whenever every visited bin has been visited again (checked every
// CheckEvery sweeps); as soon as ln f falls below 1/t, where t = proposals / visited
// bins, the second stage ([WLOneOverT]) sets ln f = 1/t after every sweep. The error of
// ln g then falls as t^{−1/2}, whereas the original halving schedule saturates at an
// error set by its final ln f. The walk is done ([WangLandau.Done]) once ln f ≤
// LnFFinal.
//
// Why not multicanonical sampling: it needs a good initial weight and iterates
// fixed-weight runs whose histograms must be stitched; the 1/t walk finds the weights
// by itself from ln g = 0, has no free schedule parameter, and converges as a plain Monte
// Carlo estimate does, so its error can be measured from independent walks.
//
// A bin is "visited" once the walk has been in it; the walk never learns that a bin is
// empty (for the Ising model, E = −2N + 4), so empty bins do not hold it up. A bin
// visited for the first time gets the smallest ln g of the visited bins, and a first
// visit in the second stage returns the walk to the first stage with its current ln f.
//
// Sweep switches on the model's concrete type once per sweep: [*models.Sparse] and
// [*models.Dense] use their local fields, [*models.PSpin] keeps incremental local
// fields, [*models.REM], [*models.GREM] and [*models.Funnel] keep the state's index and
// look energies up; any other model goes through DeltaE. A WangLandau holds the state of
// one walk: use one per chain, from one goroutine.
type WangLandau struct {
	Model models.Model
	Bins  EnergyBins
	// CheckEvery is the number of sweeps between checks of the first-stage criterion
	// (default 10).
	CheckEvery int
	// LnFFinal is ln f at which the walk is done (default 1e-6).
	LnFFinal float64

	// LnG holds ln g per bin up to an additive constant (0 for bins never visited);
	// Hist counts the visits per bin since the last halving; Visited marks the bins the
	// walk has been in.
	LnG     []float64
	Hist    []int64
	Visited []bool
	// LnF is the current modification factor ln f.
	LnF float64
	// Stage is WLHalving or WLOneOverT.
	Stage int
	// Proposals counts single-spin proposals, Sweeps the sweeps, Halvings the
	// reductions of ln f in the first stage, Rejected the proposals that would have left
	// the window, LateBins the bins first visited in the second stage.
	Proposals, Sweeps, Halvings, Rejected, LateBins int64

	nVisited int
	cur      int // bin of the chain's energy, after the last sweep
	scratch  wlScratch
}

// wlScratch holds what a kernel keeps between proposals for one chain.
type wlScratch struct {
	chain  *Chain
	first  *int8     // &chain.S[0] when the scratch was made
	prop   int64     // chain.Proposed when the scratch was last valid
	fields []float64 // p-spin local fields
	index  uint64    // state index for the random-energy models
}

// NewWangLandau returns a Wang–Landau walk of m over the bins b, with ln g = 0, ln f =
// 1 and the default CheckEvery and LnFFinal. It panics if m is nil or b is invalid.
func NewWangLandau(m models.Model, b EnergyBins) *WangLandau {
	if m == nil {
		panic("sampler: NewWangLandau with nil model")
	}
	if err := b.Validate(); err != nil {
		panic("sampler: NewWangLandau: " + err.Error())
	}
	return &WangLandau{
		Model: m, Bins: b, CheckEvery: 10, LnFFinal: 1e-6,
		LnG: make([]float64, b.Bins), Hist: make([]int64, b.Bins), Visited: make([]bool, b.Bins),
		LnF: 1, cur: -1,
	}
}

// Invalidate makes the next sweep rebuild what the walk keeps between sweeps (the
// p-spin local fields, the state index of the random-energy models) from the chain's
// spins, as a walk restored from a checkpoint does. A caller that checkpoints walks
// calls it wherever a checkpoint may be taken, so that a resumed walk repeats the
// uninterrupted one bit for bit (incrementally updated fields differ from rebuilt ones
// in the last bits).
func (w *WangLandau) Invalidate() { w.scratch = wlScratch{} }

// Done reports whether ln f has reached LnFFinal.
func (w *WangLandau) Done() bool { return w.LnF <= w.LnFFinal }

// VisitedBins returns the number of bins visited so far.
func (w *WangLandau) VisitedBins() int { return w.nVisited }

// T returns the Belardinelli–Pereyra time t = proposals / visited bins.
func (w *WangLandau) T() float64 {
	if w.nVisited == 0 {
		return 0
	}
	return float64(w.Proposals) / float64(w.nVisited)
}

// String summarises the walk.
func (w *WangLandau) String() string {
	stage := "halving"
	if w.Stage == WLOneOverT {
		stage = "1/t"
	}
	return fmt.Sprintf("wang-landau %s stage, ln f=%.3g, t=%.4g, %d of %d bins visited, %d sweeps, on %v",
		stage, w.LnF, w.T(), w.nVisited, w.Bins.Bins, w.Sweeps, w.Model)
}

// Run sweeps c until the walk is done, maxSweeps sweeps have been made by this call
// (if maxSweeps > 0), or ctx is cancelled (then it returns ctx's error; the walk stays
// consistent and can be continued or checkpointed). It returns an error if the chain's
// energy lies outside the window: start the chain inside it (for example from a state
// found by annealing), or widen the window.
func (w *WangLandau) Run(ctx context.Context, c *Chain, maxSweeps int64) error {
	for k := int64(0); !w.Done() && (maxSweeps <= 0 || k < maxSweeps); k++ {
		if k%64 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		if err := w.sweep(c); err != nil {
			return err
		}
	}
	return nil
}

// Sweep makes one sweep of N proposals on c. It panics if c's energy lies outside the
// window (see Run, which returns an error instead).
func (w *WangLandau) Sweep(c *Chain) {
	if err := w.sweep(c); err != nil {
		panic("sampler: WangLandau.Sweep: " + err.Error())
	}
}

// resyncEvery is how often (in sweeps) a walk on a model with float energies
// recomputes the chain's energy from its spins.
const resyncEvery = 256

func (w *WangLandau) sweep(c *Chain) error {
	checkChain("WangLandau.Sweep", c, w.Model.N())
	if len(w.LnG) != w.Bins.Bins || len(w.Hist) != w.Bins.Bins || len(w.Visited) != w.Bins.Bins {
		panic("sampler: WangLandau bins and tables differ in size")
	}
	if w.Sweeps%resyncEvery == 0 {
		c.Resync(w.Model)
	}
	w.cur = w.Bins.Index(c.E)
	if w.cur < 0 {
		return fmt.Errorf("chain energy %v outside the window (%v)", c.E, w.Bins)
	}
	w.visit(w.cur)
	var acc int64
	switch m := w.Model.(type) {
	case *models.Sparse:
		acc = w.sweepSparse(m, c)
	case *models.Dense:
		acc = w.sweepDense(m, c)
	case *models.PSpin:
		acc = w.sweepPSpin(m, c)
	case *models.REM:
		acc = w.sweepREM(m, c)
	case *models.GREM:
		acc = w.sweepGREM(m, c)
	case *models.Funnel:
		acc = w.sweepFunnel(m, c)
	default:
		acc = w.sweepAny(m, c)
	}
	n := int64(len(c.S))
	c.Accepted += acc
	c.Proposed += n
	w.Proposals += n
	w.Sweeps++
	w.scratch.prop = c.Proposed
	w.update()
	return nil
}

// visit marks bin k visited, giving it the smallest ln g of the visited bins.
func (w *WangLandau) visit(k int) {
	if w.Visited[k] {
		return
	}
	lo := math.Inf(1)
	for j, v := range w.Visited {
		if v {
			lo = min(lo, w.LnG[j])
		}
	}
	if math.IsInf(lo, 1) {
		lo = 0
	}
	w.LnG[k] = lo
	w.Visited[k] = true
	w.nVisited++
	clear(w.Hist)
	if w.Stage == WLOneOverT {
		w.Stage = WLHalving
		w.LateBins++
	}
}

// step decides one proposal with energy change de from the current bin, records the
// visit, and reports whether to flip.
func (w *WangLandau) step(c *Chain, de float64) bool {
	k := w.Bins.Index(c.E + de)
	accept := false
	switch {
	case k < 0:
		w.Rejected++
	case k == w.cur:
		accept = true
	default:
		if !w.Visited[k] {
			w.visit(k)
		}
		d := w.LnG[w.cur] - w.LnG[k]
		accept = d >= 0 || uniform(c.Src) < math.Exp(d)
	}
	if accept {
		c.E += de
		w.cur = k
	}
	w.LnG[w.cur] += w.LnF
	w.Hist[w.cur]++
	return accept
}

// update applies the end-of-sweep rules of the schedule.
func (w *WangLandau) update() {
	t := w.T()
	switch w.Stage {
	case WLHalving:
		if w.CheckEvery <= 0 || w.Sweeps%int64(w.CheckEvery) == 0 {
			all := true
			for k, v := range w.Visited {
				if v && w.Hist[k] == 0 {
					all = false
					break
				}
			}
			if all {
				w.LnF /= 2
				w.Halvings++
				clear(w.Hist)
			}
		}
		if t > 0 && w.LnF < 1/t {
			w.Stage = WLOneOverT
			w.LnF = 1 / t
		}
	case WLOneOverT:
		w.LnF = 1 / t
	}
}

func (w *WangLandau) sweepAny(m models.Model, c *Chain) (acc int64) {
	s, n := c.S, uint64(len(c.S))
	for range n {
		i := site(c.Src, n)
		if w.step(c, m.DeltaE(s, i)) {
			s[i] = -s[i]
			acc++
		}
	}
	return acc
}

func (w *WangLandau) sweepSparse(p *models.Sparse, c *Chain) (acc int64) {
	s, n := c.S, uint64(len(c.S))
	for range n {
		i := site(c.Src, n)
		if w.step(c, 2*float64(s[i])*p.LocalField(s, i)) {
			s[i] = -s[i]
			acc++
		}
	}
	return acc
}

func (w *WangLandau) sweepDense(d *models.Dense, c *Chain) (acc int64) {
	s, n := c.S, uint64(len(c.S))
	for range n {
		i := site(c.Src, n)
		if w.step(c, 2*float64(s[i])*d.LocalField(s, i)) {
			s[i] = -s[i]
			acc++
		}
	}
	return acc
}

// valid reports whether the scratch still describes chain c: the same chain and spin
// array, and no sweeps by anyone else since.
func (w *WangLandau) valid(c *Chain) bool {
	sc := &w.scratch
	return sc.chain == c && sc.first == &c.S[0] && sc.prop == c.Proposed
}

func (w *WangLandau) remember(c *Chain) {
	w.scratch.chain, w.scratch.first = c, &c.S[0]
}

func (w *WangLandau) sweepPSpin(p *models.PSpin, c *Chain) (acc int64) {
	s, n := c.S, uint64(len(c.S))
	if !w.valid(c) || w.Sweeps%resyncEvery == 0 {
		w.scratch.fields = p.LocalFields(w.scratch.fields, s)
		w.remember(c)
	}
	f := w.scratch.fields
	for range n {
		i := site(c.Src, n)
		if w.step(c, 2*float64(s[i])*f[i]) {
			p.Flip(f, s, i)
			acc++
		}
	}
	return acc
}

// indexStart returns the state index of c, kept between sweeps for the random-energy
// models, whose energies are looked up by index.
func (w *WangLandau) indexStart(c *Chain) uint64 {
	if !w.valid(c) {
		w.scratch.index = models.StateIndex(c.S)
		w.remember(c)
	}
	return w.scratch.index
}

func (w *WangLandau) sweepREM(r *models.REM, c *Chain) (acc int64) {
	s, n := c.S, uint64(len(c.S))
	k := w.indexStart(c)
	e0 := r.EnergyIndex(k)
	for range n {
		i := site(c.Src, n)
		k2 := k ^ 1<<uint(i)
		e1 := r.EnergyIndex(k2)
		if w.step(c, e1-e0) {
			s[i] = -s[i]
			k, e0 = k2, e1
			c.E = e1 // exact: no drift for looked-up energies
			acc++
		}
	}
	w.scratch.index = k
	return acc
}

func (w *WangLandau) sweepGREM(g *models.GREM, c *Chain) (acc int64) {
	s, n := c.S, uint64(len(c.S))
	k := w.indexStart(c)
	e0 := g.EnergyIndex(k)
	for range n {
		i := site(c.Src, n)
		k2 := k ^ 1<<uint(i)
		e1 := g.EnergyIndex(k2)
		if w.step(c, e1-e0) {
			s[i] = -s[i]
			k, e0 = k2, e1
			c.E = e1
			acc++
		}
	}
	w.scratch.index = k
	return acc
}

func (w *WangLandau) sweepFunnel(f *models.Funnel, c *Chain) (acc int64) {
	s, n := c.S, uint64(len(c.S))
	k := w.indexStart(c)
	e0 := f.EnergyIndex(k)
	for range n {
		i := site(c.Src, n)
		k2 := k ^ 1<<uint(i)
		e1 := f.EnergyIndex(k2)
		if w.step(c, e1-e0) {
			s[i] = -s[i]
			k, e0 = k2, e1
			c.E = e1
			acc++
		}
	}
	w.scratch.index = k
	return acc
}

// Energies returns the centres of the visited bins, in increasing order.
func (w *WangLandau) Energies() []float64 {
	var out []float64
	for k, v := range w.Visited {
		if v {
			out = append(out, w.Bins.Center(k))
		}
	}
	return out
}

// LnDOS returns ln g of the visited bins, in the order of [WangLandau.Energies],
// normalised so that Σ g = total (for Ising spins pass 2^N, as lnTotal = N ln 2).
func (w *WangLandau) LnDOS(lnTotal float64) []float64 {
	var out []float64
	lmax := math.Inf(-1)
	for k, v := range w.Visited {
		if v {
			out = append(out, w.LnG[k])
			lmax = max(lmax, w.LnG[k])
		}
	}
	var z float64
	for _, l := range out {
		z += math.Exp(l - lmax)
	}
	shift := lnTotal - lmax - math.Log(z)
	for k := range out {
		out[k] += shift
	}
	return out
}

// WangLandauState is the state of a [WangLandau] walk apart from its chain (whose
// spins, energy, counters and stream the caller saves), for checkpoints. All slices
// are copies.
type WangLandauState struct {
	Bins                                            EnergyBins
	LnG                                             []float64
	Hist                                            []int64
	Visited                                         []bool
	LnF                                             float64
	Stage                                           int
	Proposals, Sweeps, Halvings, Rejected, LateBins int64
}

// String summarises the state.
func (s WangLandauState) String() string {
	return fmt.Sprintf("wang-landau state (%v), ln f=%.3g, stage %d, %d sweeps", s.Bins, s.LnF, s.Stage, s.Sweeps)
}

// State returns a copy of the walk's state.
func (w *WangLandau) State() WangLandauState {
	return WangLandauState{
		Bins: w.Bins, LnG: append([]float64(nil), w.LnG...), Hist: append([]int64(nil), w.Hist...),
		Visited: append([]bool(nil), w.Visited...), LnF: w.LnF, Stage: w.Stage,
		Proposals: w.Proposals, Sweeps: w.Sweeps, Halvings: w.Halvings, Rejected: w.Rejected, LateBins: w.LateBins,
	}
}

// Restore sets the walk's state from s (copying it). It returns an error, and changes
// nothing, if s is inconsistent: invalid bins, tables of the wrong length, a
// non-finite ln g or ln f, an unknown stage or negative counters.
func (w *WangLandau) Restore(s WangLandauState) error {
	if err := s.check(); err != nil {
		return err
	}
	w.Bins = s.Bins
	w.LnG = append([]float64(nil), s.LnG...)
	w.Hist = append([]int64(nil), s.Hist...)
	w.Visited = append([]bool(nil), s.Visited...)
	w.LnF, w.Stage = s.LnF, s.Stage
	w.Proposals, w.Sweeps, w.Halvings, w.Rejected, w.LateBins = s.Proposals, s.Sweeps, s.Halvings, s.Rejected, s.LateBins
	w.nVisited = 0
	for _, v := range w.Visited {
		if v {
			w.nVisited++
		}
	}
	w.scratch = wlScratch{}
	w.cur = -1
	return nil
}

func (s WangLandauState) check() error {
	if err := s.Bins.Validate(); err != nil {
		return fmt.Errorf("wang-landau state: %w", err)
	}
	n := s.Bins.Bins
	if len(s.LnG) != n || len(s.Hist) != n || len(s.Visited) != n {
		return fmt.Errorf("wang-landau state: tables of %d, %d, %d entries for %d bins", len(s.LnG), len(s.Hist), len(s.Visited), n)
	}
	for k, l := range s.LnG {
		if math.IsNaN(l) || math.IsInf(l, 0) {
			return fmt.Errorf("wang-landau state: ln g[%d] = %v", k, l)
		}
		if s.Hist[k] < 0 {
			return fmt.Errorf("wang-landau state: histogram[%d] = %d", k, s.Hist[k])
		}
	}
	if !(s.LnF > 0) || math.IsInf(s.LnF, 0) {
		return fmt.Errorf("wang-landau state: ln f = %v (want > 0)", s.LnF)
	}
	if s.Stage != WLHalving && s.Stage != WLOneOverT {
		return fmt.Errorf("wang-landau state: unknown stage %d", s.Stage)
	}
	if s.Proposals < 0 || s.Sweeps < 0 || s.Halvings < 0 || s.Rejected < 0 || s.LateBins < 0 {
		return errors.New("wang-landau state: negative counter")
	}
	return nil
}

// wlMagic starts an encoded WangLandauState; the last byte is the format version.
var wlMagic = [8]byte{'d', 'g', 'w', 'l', 's', 't', 0, 1}

// MarshalBinary encodes the state: a magic and version, the bins, the tables and the
// counters, little-endian.
func (s WangLandauState) MarshalBinary() ([]byte, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	b := append([]byte(nil), wlMagic[:]...)
	b = binary.LittleEndian.AppendUint64(b, math.Float64bits(s.Bins.Min))
	b = binary.LittleEndian.AppendUint64(b, math.Float64bits(s.Bins.Width))
	b = binary.LittleEndian.AppendUint64(b, uint64(s.Bins.Bins))
	for k := range s.LnG {
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(s.LnG[k]))
		b = binary.LittleEndian.AppendUint64(b, uint64(s.Hist[k]))
		v := byte(0)
		if s.Visited[k] {
			v = 1
		}
		b = append(b, v)
	}
	b = binary.LittleEndian.AppendUint64(b, math.Float64bits(s.LnF))
	for _, x := range []int64{int64(s.Stage), s.Proposals, s.Sweeps, s.Halvings, s.Rejected, s.LateBins} {
		b = binary.LittleEndian.AppendUint64(b, uint64(x))
	}
	return b, nil
}

// UnmarshalBinary decodes a state encoded by MarshalBinary. It returns an error, never
// panics, on malformed input.
func (s *WangLandauState) UnmarshalBinary(data []byte) error {
	if len(data) < len(wlMagic) || [8]byte(data[:8]) != wlMagic {
		return errors.New("wang-landau state: not a state (bad magic or version)")
	}
	data = data[8:]
	u64 := func() (uint64, bool) {
		if len(data) < 8 {
			return 0, false
		}
		v := binary.LittleEndian.Uint64(data)
		data = data[8:]
		return v, true
	}
	short := errors.New("wang-landau state: truncated")
	var out WangLandauState
	mn, ok1 := u64()
	w, ok2 := u64()
	nb, ok3 := u64()
	if !ok1 || !ok2 || !ok3 {
		return short
	}
	if nb > 1<<26 || uint64(len(data)) < nb*17 {
		return short
	}
	out.Bins = EnergyBins{Min: math.Float64frombits(mn), Width: math.Float64frombits(w), Bins: int(nb)}
	out.LnG = make([]float64, nb)
	out.Hist = make([]int64, nb)
	out.Visited = make([]bool, nb)
	for k := range out.LnG {
		l, _ := u64()
		h, _ := u64()
		out.LnG[k] = math.Float64frombits(l)
		out.Hist[k] = int64(h)
		switch data[0] {
		case 0:
		case 1:
			out.Visited[k] = true
		default:
			return fmt.Errorf("wang-landau state: visited flag %d", data[0])
		}
		data = data[1:]
	}
	lf, ok := u64()
	if !ok {
		return short
	}
	out.LnF = math.Float64frombits(lf)
	var c [6]int64
	for i := range c {
		v, ok := u64()
		if !ok {
			return short
		}
		c[i] = int64(v)
	}
	if len(data) != 0 {
		return fmt.Errorf("wang-landau state: %d trailing bytes", len(data))
	}
	if c[0] != WLHalving && c[0] != WLOneOverT {
		return fmt.Errorf("wang-landau state: unknown stage %d", c[0])
	}
	out.Stage = int(c[0])
	out.Proposals, out.Sweeps, out.Halvings, out.Rejected, out.LateBins = c[1], c[2], c[3], c[4], c[5]
	if err := out.check(); err != nil {
		return err
	}
	*s = out
	return nil
}

// wlNewStart returns a chain of m whose energy lies in the bins: a random state from
// src if it does, otherwise the state reached from it by greedy descent (towards the
// window's centre) of at most 100 sweeps. It is how tests and commands start a walk
// whose window excludes typical random states.
func wlNewStart(m models.Model, b EnergyBins, src *rand.PCG) (*Chain, bool) {
	c := NewChain(m, src)
	target := b.Center(b.Bins / 2)
	for sweep := 0; sweep < 100 && b.Index(c.E) < 0; sweep++ {
		for i := range c.S {
			d := m.DeltaE(c.S, i)
			if math.Abs(c.E+d-target) < math.Abs(c.E-target) {
				c.S[i] = -c.S[i]
				c.E += d
				if b.Index(c.E) >= 0 {
					break
				}
			}
		}
	}
	return c, b.Index(c.E) >= 0
}

// NewWangLandauChain returns a chain of m for a walk over the bins b: a uniformly random
// state drawn from src, moved by single flips towards the centre of the window until
// its energy lies inside. It returns an error if that fails (within 100 sweeps).
func NewWangLandauChain(m models.Model, b EnergyBins, src *rand.PCG) (*Chain, error) {
	if err := b.Validate(); err != nil {
		return nil, err
	}
	c, ok := wlNewStart(m, b, src)
	if !ok {
		return nil, fmt.Errorf("no state in the energy window (%v) found from a random start: widen it", b)
	}
	c.Resync(m)
	return c, nil
}
