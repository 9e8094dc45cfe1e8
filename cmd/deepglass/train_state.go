package main

import (
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/deepglass/deepglass/learn"
	"github.com/deepglass/deepglass/sim"
)

// trainConfig is DIR/config.json of `deepglass train`: the flags of the run (with the
// measurement interval resolved), from which `deepglass train -resume DIR` continues
// it. Fields may be added, never renamed.
type trainConfig struct {
	Command string `json:"command"` // "train"
	Version string `json:"version"`
	Data    string `json:"data"`
	// DataFile is the absolute path of a CSV file given as Data, so that -resume finds
	// it from any directory.
	DataFile     string  `json:"data_file,omitempty"`
	Hidden       int     `json:"hidden"`
	Method       string  `json:"method"`
	K            int     `json:"k"`
	Epochs       int     `json:"epochs"`
	Batch        int     `json:"batch"`
	LR           float64 `json:"lr"`
	LRDecay      float64 `json:"lr_decay"`
	Momentum     float64 `json:"momentum"`
	L2           float64 `json:"l2"`
	L1           float64 `json:"l1"`
	L1Warmup     int     `json:"l1_warmup"`
	Chains       int     `json:"chains"`
	Temperatures string  `json:"temperatures,omitempty"`
	Seed         uint64  `json:"seed"`
	MonitorEvery int     `json:"monitor_every"`
	AISChains    int     `json:"ais_chains"`
	AISSteps     int     `json:"ais_steps"`
	PL           bool    `json:"pl"`
	Save         string  `json:"save,omitempty"`
}

func configOf(f trainFlags, every int) trainConfig {
	file := f.dataFile
	if file == "" && !strings.HasPrefix(f.data, "bas:") && !strings.HasPrefix(f.data, "ising:") {
		if abs, err := filepath.Abs(f.data); err == nil {
			file = abs
		}
	}
	return trainConfig{Command: "train", Version: sim.Version, Data: f.data, DataFile: file, Hidden: f.hidden, Method: f.method,
		K: f.k, Epochs: f.epochs, Batch: f.batch, LR: f.lr, LRDecay: f.decay, Momentum: f.momentum, L2: f.l2, L1: f.l1,
		L1Warmup: f.l1Warmup, Chains: f.chains, Temperatures: f.temps, Seed: f.seed, MonitorEvery: every,
		AISChains: f.aisChains, AISSteps: f.aisSteps, PL: f.pl, Save: f.save}
}

// flags returns the flags the config records.
func (c trainConfig) flags() trainFlags {
	return trainFlags{data: c.Data, dataFile: c.DataFile, hidden: c.Hidden, method: c.Method, k: c.K, epochs: c.Epochs, batch: c.Batch,
		lr: c.LR, decay: c.LRDecay, momentum: c.Momentum, l2: c.L2, l1: c.L1, l1Warmup: c.L1Warmup, chains: c.Chains,
		temps: c.Temperatures, seed: c.Seed, every: c.MonitorEvery, aisChains: c.AISChains, aisSteps: c.AISSteps,
		pl: c.PL, save: c.Save}
}

// hash identifies the run in its checkpoint: the SHA-256 of the config's JSON without
// the version, so that a later deepglass resumes the run.
func (c trainConfig) hash() [32]byte {
	c.Version = ""
	b, err := json.Marshal(c)
	if err != nil { // only non-finite numbers fail, and the flags are checked before
		b = fmt.Appendf(nil, "%#v", c)
	}
	return sha256.Sum256(b)
}

func writeTrainConfig(dir string, c trainConfig) error {
	b, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return err
	}
	return sim.WriteFileAtomic(filepath.Join(dir, "config.json"), append(b, '\n'))
}

func readTrainConfig(dir string) (trainConfig, error) {
	var c trainConfig
	path := filepath.Join(dir, "config.json")
	b, err := os.ReadFile(path)
	if err != nil {
		return c, err
	}
	if err := json.Unmarshal(b, &c); err != nil {
		return c, fmt.Errorf("%s: %w", path, err)
	}
	if c.Command != "train" {
		return c, fmt.Errorf("%s is the config of %q, not of a training run", path, c.Command)
	}
	return c, nil
}

// trainCheckpointName is the checkpoint of an interrupted training run, beside
// config.json; trainSection is its section holding the learn.State.
const (
	trainCheckpointName = "checkpoint.bin"
	trainSection        = "train"
	trainStateFormat    = 1
)

// writeTrainCheckpoint writes st as DIR/checkpoint.bin (atomically, keeping the
// previous one as checkpoint.bin.prev).
func writeTrainCheckpoint(dir string, c trainConfig, st *learn.State) error {
	ck := &sim.Checkpoint{ConfigHash: c.hash(), Version: sim.Version, Created: time.Now().UTC()}
	ck.Set(trainSection, encodeTrainState(st))
	return sim.WriteCheckpoint(filepath.Join(dir, trainCheckpointName), ck)
}

// readTrainCheckpoint reads the state of DIR/checkpoint.bin, checking that it belongs
// to the run of config c. warning is set when the previous checkpoint had to be used.
func readTrainCheckpoint(dir string, c trainConfig) (st *learn.State, warning error, err error) {
	ck, err := sim.ReadCheckpoint(filepath.Join(dir, trainCheckpointName), c.hash())
	if err != nil {
		return nil, nil, err
	}
	d := ck.Decoder(trainSection)
	st, err = decodeTrainState(d)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", filepath.Join(dir, trainCheckpointName), err)
	}
	return st, ck.Warning, nil
}

// removeTrainCheckpoints deletes the checkpoints of a finished run.
func removeTrainCheckpoints(dir string) error {
	var errs []error
	for _, name := range []string{trainCheckpointName, trainCheckpointName + ".prev"} {
		if err := os.Remove(filepath.Join(dir, name)); err != nil && !errors.Is(err, os.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// encodeTrainState encodes st field by field, little-endian (sim.Encoder).
func encodeTrainState(st *learn.State) []byte {
	var e sim.Encoder
	e.PutUint64(trainStateFormat)
	e.PutInt64(int64(st.Epoch))
	e.PutInt64(int64(st.Batch))
	e.PutString(st.Options)
	e.PutBytes(st.Data[:])
	for _, s := range [][]float64{st.W, st.A, st.B, st.VelW, st.VelA, st.VelB, st.Hidden} {
		e.PutFloat64s(s)
	}
	e.PutInt64s(ints64(st.Order))
	e.PutBytes(st.DataStream)
	e.PutBytes(st.ChainStream)
	e.PutUint64(uint64(len(st.Ladders)))
	for _, l := range st.Ladders {
		sim.EncodeTempering(&e, l.Tempering)
		e.PutBytes(l.Swap)
		e.PutUint64(uint64(len(l.Chains)))
		for _, c := range l.Chains {
			e.PutFloat64s(c.V)
			e.PutFloat64s(c.H)
			e.PutInt64(c.Steps)
			e.PutBytes(c.Stream)
		}
	}
	e.PutUint64(uint64(len(st.Epochs)))
	for _, ep := range st.Epochs {
		e.PutInt64(int64(ep.Epoch))
		exact := uint64(0)
		if ep.LogLikExact {
			exact = 1
		}
		e.PutUint64(exact)
		for _, x := range []float64{ep.LR, ep.LogLik, ep.LogZ, ep.LogZErr, ep.Recon, ep.PseudoLL, ep.Seconds} {
			e.PutFloat64(x)
		}
	}
	e.PutInt64(st.Samples)
	e.PutFloat64(st.Seconds)
	return e.Bytes()
}

// maxTrainCount bounds the counts of ladders, chains and epochs a state may hold.
const maxTrainCount = 1 << 24

// decodeTrainState reads what encodeTrainState wrote. learn.Train checks that the
// state fits the run.
func decodeTrainState(d *sim.Decoder) (*learn.State, error) {
	var tooMany error
	count := func(what string) int {
		n := d.GetUint64()
		if d.Err() == nil && n > maxTrainCount && tooMany == nil {
			tooMany = fmt.Errorf("training state: %d %s", n, what)
		}
		if tooMany != nil {
			return 0
		}
		return int(n)
	}
	if v := d.GetUint64(); d.Err() == nil && v != trainStateFormat {
		return nil, fmt.Errorf("training state format %d, this deepglass reads %d", v, trainStateFormat)
	}
	st := &learn.State{Epoch: int(d.GetInt64()), Batch: int(d.GetInt64()), Options: d.GetString()}
	copy(st.Data[:], d.GetBytes())
	for _, p := range []*[]float64{&st.W, &st.A, &st.B, &st.VelW, &st.VelA, &st.VelB, &st.Hidden} {
		*p = d.GetFloat64s()
	}
	if len(st.Hidden) == 0 {
		st.Hidden = nil
	}
	st.Order = ints(d.GetInt64s())
	st.DataStream, st.ChainStream = d.GetBytes(), d.GetBytes()
	nl := count("ladders")
	for range nl {
		if d.Err() != nil {
			break
		}
		var l learn.LadderState
		l.Tempering = sim.DecodeTempering(d)
		l.Swap = d.GetBytes()
		nc := count("chains")
		for range nc {
			if d.Err() != nil {
				break
			}
			l.Chains = append(l.Chains, learn.ChainState{V: d.GetFloat64s(), H: d.GetFloat64s(), Steps: d.GetInt64(), Stream: d.GetBytes()})
		}
		st.Ladders = append(st.Ladders, l)
	}
	ne := count("epochs")
	for range ne {
		if d.Err() != nil {
			break
		}
		ep := learn.Epoch{Epoch: int(d.GetInt64()), LogLikExact: d.GetUint64() == 1}
		for _, p := range []*float64{&ep.LR, &ep.LogLik, &ep.LogZ, &ep.LogZErr, &ep.Recon, &ep.PseudoLL, &ep.Seconds} {
			*p = d.GetFloat64()
		}
		st.Epochs = append(st.Epochs, ep)
	}
	st.Samples, st.Seconds = d.GetInt64(), d.GetFloat64()
	if tooMany != nil {
		return nil, tooMany
	}
	if err := d.Finish(); err != nil {
		return nil, fmt.Errorf("training state: %w", err)
	}
	return st, nil
}

func ints64(s []int) []int64 {
	out := make([]int64, len(s))
	for i, v := range s {
		out[i] = int64(v)
	}
	return out
}

func ints(s []int64) []int {
	out := make([]int, len(s))
	for i, v := range s {
		out[i] = int(v)
	}
	return out
}
