package sim

import (
	"context"
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/deepglass/deepglass/analysis"
	"github.com/deepglass/deepglass/sampler"
)

// checkpointName is the checkpoint file of a run directory.
const checkpointName = "checkpoint.bin"

// unitStateVersion versions the payload of a unit section.
const unitStateVersion = 4

// unit status in a checkpoint.
const (
	unitPending = 0 // not started: rerun from scratch
	unitRunning = 1 // state saved mid-run
	unitDone    = 2 // finished: results saved
)

// marshalState returns the binary form of m: a PCG stream or an analysis.Series, whose
// MarshalBinary cannot fail; an error is a programming error.
func marshalState(m encoding.BinaryMarshaler) []byte {
	b, err := m.MarshalBinary()
	if err != nil {
		panic("sim: " + err.Error())
	}
	return b
}

// encodeUnit writes the state of a started unit.
func encodeUnit(u *unit) ([]byte, error) {
	var e Encoder
	e.PutUint64(unitStateVersion)
	e.PutInt64(int64(u.sweep))
	e.PutFloat64(u.bestE)
	e.PutInt64(int64(u.bestSwp))
	e.PutFloat64(u.bestAt)
	e.PutInt64(u.nanos)
	e.PutInt64(u.updates())
	ints := make([]int64, len(u.temps))
	for i, k := range u.temps {
		ints[i] = int64(k)
	}
	e.PutInt64s(ints)
	e.PutInt64s(u.acc0)
	e.PutInt64s(u.prop0)
	u.eng.encode(&e)
	for _, o := range u.obs {
		for _, s := range o.series() {
			b := marshalState(s)
			e.PutBytes(b)
		}
		e.PutInt64s(o.hist)
		e.PutInt64s(o.log.count)
		e.PutFloat64s(o.log.e)
		e.PutFloat64s(o.log.q2)
		e.PutFloat64s(o.log.ql)
		e.PutFloat64s(o.log.abs)
	}
	if u.done {
		b, err := analysis.MarshalJSON(unitResult{Points: u.result, PQ: u.pq, LogBins: u.logBins, Tempering: u.tstats})
		if err != nil {
			return nil, fmt.Errorf("unit %d: encoding its results: %w", u.index, err)
		}
		e.PutBytes(b)
	}
	return e.Bytes(), nil
}

// unitResult is the JSON form of a finished unit's results in a checkpoint.
type unitResult struct {
	Points  []Point     `json:"points"`
	PQ      [][]float64 `json:"pq"`
	LogBins []LogBin    `json:"log_bins"`
	// Tempering is a pt unit's diagnostics.
	Tempering *TemperingStats `json:"tempering,omitempty"`
}

// series lists the observables' series in a fixed order.
func (o *observables) series() []*analysis.Series {
	s := []*analysis.Series{o.e, o.e2, o.am, o.m2, o.m4}
	if o.q2 != nil {
		s = append(s, o.q2, o.q4, o.aq, o.ql)
	}
	s = append(s, o.chainE...)
	s = append(s, o.chainM...)
	return append(s, o.extra...)
}

// updates counts the unit's attempted spin updates.
func (u *unit) updates() int64 {
	var n int64
	if u.eng == nil { // not started
		return 0
	}
	for rep := range u.reps {
		for j := range u.temps {
			_, p := u.eng.counters(rep, j)
			n += p
		}
	}
	return n
}

// EncodeTempering appends the state of a tempering ladder (sampler.Exchange.State) to
// e, for checkpoints; DecodeTempering reads it back.
func EncodeTempering(e *Encoder, s sampler.TemperingState) {
	e.PutFloat64s(s.Betas)
	slot := make([]int64, len(s.Slot))
	for i, v := range s.Slot {
		slot[i] = int64(v)
	}
	e.PutInt64s(slot)
	e.PutInt64s(s.Tried)
	e.PutInt64s(s.Swapped)
	e.PutFloat64s(s.ProbSum)
	e.PutInt64(int64(s.Parity))
	e.PutInt64(s.Sweeps)
	e.PutInt8s(s.Label)
	e.PutInt64s(s.TripStart)
	e.PutInt64(s.RoundTrips)
	e.PutInt64(s.TripSweeps)
	e.PutInt64s(s.FlowHot)
	e.PutInt64s(s.FlowCold)
}

// DecodeTempering reads what EncodeTempering wrote; errors stay in d.
func DecodeTempering(d *Decoder) sampler.TemperingState {
	var s sampler.TemperingState
	s.Betas = d.GetFloat64s()
	for _, v := range d.GetInt64s() {
		s.Slot = append(s.Slot, int(v))
	}
	s.Tried = d.GetInt64s()
	s.Swapped = d.GetInt64s()
	s.ProbSum = d.GetFloat64s()
	s.Parity = int(d.GetInt64())
	s.Sweeps = d.GetInt64()
	s.Label = d.GetInt8s()
	s.TripStart = d.GetInt64s()
	s.RoundTrips = d.GetInt64()
	s.TripSweeps = d.GetInt64()
	s.FlowHot = d.GetInt64s()
	s.FlowCold = d.GetInt64s()
	return s
}

// restoreUnit sets a freshly initialised unit to the state in d.
func (r *runner) restoreUnit(u *unit, d *Decoder, done bool) error {
	if v := d.GetUint64(); d.Err() == nil && v != unitStateVersion {
		return fmt.Errorf("unit %d: state version %d, want %d", u.index, v, unitStateVersion)
	}
	u.sweep = int(d.GetInt64())
	u.bestE = d.GetFloat64()
	u.bestSwp = int(d.GetInt64())
	u.bestAt = d.GetFloat64()
	u.nanos = d.GetInt64()
	d.GetInt64() // updates: recomputed from the chains
	temps := d.GetInt64s()
	if d.Err() == nil && len(temps) != len(u.temps) {
		return fmt.Errorf("unit %d: %d temperatures, want %d", u.index, len(temps), len(u.temps))
	}
	for i, k := range temps {
		if int(k) != u.temps[i] {
			return fmt.Errorf("unit %d: temperature order differs", u.index)
		}
	}
	acc0, prop0 := d.GetInt64s(), d.GetInt64s()
	if d.Err() == nil && (len(acc0) != len(u.acc0) || len(prop0) != len(u.prop0)) {
		return fmt.Errorf("unit %d: counter lengths differ", u.index)
	}
	copy(u.acc0, acc0)
	copy(u.prop0, prop0)
	if err := u.eng.decode(d, done); err != nil {
		return fmt.Errorf("unit %d: %w", u.index, err)
	}
	if !done {
		u.adapted = true // only adapted units are saved running
	}
	for _, o := range u.obs {
		for _, s := range o.series() {
			if b := d.GetBytes(); d.Err() == nil {
				if err := s.UnmarshalBinary(b); err != nil {
					return fmt.Errorf("unit %d: %w", u.index, err)
				}
			}
		}
		hist := d.GetInt64s()
		if d.Err() == nil && len(hist) != len(o.hist) {
			return fmt.Errorf("unit %d: P(q) histogram of %d bins, want %d", u.index, len(hist), len(o.hist))
		}
		copy(o.hist, hist)
		o.log.count = d.GetInt64s()
		o.log.e, o.log.q2, o.log.ql, o.log.abs = d.GetFloat64s(), d.GetFloat64s(), d.GetFloat64s(), d.GetFloat64s()
		if d.Err() == nil {
			n := len(o.log.count)
			if len(o.log.e) != n || len(o.log.q2) != n || len(o.log.ql) != n || len(o.log.abs) != n {
				return fmt.Errorf("unit %d: logarithmic bins differ in length", u.index)
			}
		}
	}
	if done {
		var res unitResult
		if b := d.GetBytes(); d.Err() == nil {
			if err := json.Unmarshal(b, &res); err != nil {
				return fmt.Errorf("unit %d: results: %w", u.index, err)
			}
			if err := analysis.NullToNaN(b, &res); err != nil {
				return fmt.Errorf("unit %d: results: %w", u.index, err)
			}
		}
		u.result, u.pq, u.logBins, u.tstats, u.done = res.Points, res.PQ, res.LogBins, res.Tempering, true
	}
	if err := d.Finish(); err != nil {
		return fmt.Errorf("unit %d: %w", u.index, err)
	}
	return nil
}

// checkpoint encodes the whole run: unit statuses and the states of started units.
func (r *runner) checkpoint() (*Checkpoint, error) {
	ck := NewCheckpoint(r.c)
	var head Encoder
	head.PutInt64(int64(r.opts.Shard))
	head.PutInt64(int64(r.opts.Shards))
	head.PutInt64(int64(len(r.units)))
	for _, u := range r.units {
		status := unitPending
		switch {
		case u.done:
			status = unitDone
		case u.eng != nil && u.adapted:
			status = unitRunning
		}
		head.PutInt64(int64(status))
		if status != unitPending {
			b, err := encodeUnit(u)
			if err != nil {
				return nil, err
			}
			ck.Set(fmt.Sprintf("unit/%06d", u.index), b)
			ck.Set(fmt.Sprintf("measure/%06d", u.index), encodeMeasure(u))
		}
	}
	ck.Set("units", head.Bytes())
	return ck, nil
}

func (r *runner) writeCheckpoint() error {
	defer func(t0 time.Time) { r.ioNanos.Add(int64(time.Since(t0))) }(time.Now())
	ck, err := r.checkpoint()
	if err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	return writeCheckpointFile(filepath.Join(r.opts.Out, checkpointName), ck)
}

// writeCheckpointFile writes a run's checkpoints; tests replace it to make writes fail.
var writeCheckpointFile = WriteCheckpoint

// startCheckpoints writes a checkpoint every Options.CheckpointEvery, pausing the
// units at a sweep boundary for it. A write that fails does not stop the run (its
// work is still in memory and the next write may succeed), but stop returns the
// failures as a warning for the summary, and the run's end reports them.
func (r *runner) startCheckpoints(ctx context.Context) (stop func() []Warning) {
	if r.opts.CheckpointEvery <= 0 || r.opts.Out == "" {
		return func() []Warning { return nil }
	}
	quit := make(chan struct{})
	finished := make(chan struct{})
	var first error
	failures, writes := 0, 0
	go func() {
		defer close(finished)
		tick := time.NewTicker(r.opts.CheckpointEvery)
		defer tick.Stop()
		for {
			select {
			case <-quit:
				return
			case <-ctx.Done():
				return
			case <-tick.C:
				r.coord.pause()
				err := r.writeCheckpoint()
				r.coord.resume()
				writes++
				if err != nil {
					failures++
					if first == nil {
						first = err
					}
				}
			}
		}
	}()
	return func() []Warning {
		close(quit)
		<-finished
		if failures == 0 {
			return nil
		}
		return []Warning{{Code: "checkpoint", Message: fmt.Sprintf(
			"%d of %d periodic checkpoint writes failed (first: %v): an interruption would have lost work", failures, writes, first)}}
	}
}

// restore reads Out/checkpoint.bin and sets the units to its state.
func (r *runner) restore() error {
	path := filepath.Join(r.opts.Out, checkpointName)
	ck, err := ReadCheckpoint(path, ConfigHash(r.c))
	if err == nil && ck.Warning != nil {
		r.warnings = append(r.warnings, Warning{Code: "checkpoint", Message: fmt.Sprintf("resumed from the previous checkpoint: %v", ck.Warning)})
		if r.opts.Log != nil {
			r.opts.Log("resume: " + ck.Warning.Error())
		}
	}
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return &InputError{fmt.Errorf("resume %s: no checkpoint to resume (the run finished, or never wrote one)", r.opts.Out)}
		}
		return &InputError{fmt.Errorf("resume: %w", err)}
	}
	d := ck.Decoder("units")
	shard, shards, n := int(d.GetInt64()), int(d.GetInt64()), int(d.GetInt64())
	if d.Err() == nil && (shard != r.opts.Shard || shards != r.opts.Shards || n != len(r.units)) {
		return &InputError{fmt.Errorf("resume %s: checkpoint is of shard %d/%d with %d units, this run is shard %d/%d with %d",
			path, shard, shards, n, r.opts.Shard, r.opts.Shards, len(r.units))}
	}
	status := make([]int64, n)
	for i := range status {
		status[i] = d.GetInt64()
	}
	if err := d.Finish(); err != nil {
		return &InputError{fmt.Errorf("resume %s: %w", path, err)}
	}
	for i, st := range status {
		if st == unitPending {
			continue
		}
		u := r.units[i]
		if err := r.initUnit(u); err != nil {
			return err
		}
		if err := r.restoreMeasure(u, ck); err != nil {
			return &InputError{fmt.Errorf("resume %s: %w", path, err)}
		}
		if err := r.restoreUnit(u, ck.Decoder(fmt.Sprintf("unit/%06d", i)), st == unitDone); err != nil {
			return &InputError{fmt.Errorf("resume %s: %w", path, err)}
		}
		r.done.Add(int64(u.sweep))
		if u.done {
			u.obsDone(len(r.samples()) == 1)
			r.forget(u.sample)
		}
	}
	return nil
}

// removeCheckpoints deletes the checkpoint files of a finished run.
func removeCheckpoints(dir string) {
	for _, f := range []string{checkpointName, checkpointName + ".prev"} {
		os.Remove(filepath.Join(dir, f))
	}
}
