package nets

import (
	"bytes"
	"encoding/binary"
	"encoding/gob"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
)

// A checkpoint file is the magic line, a gob-encoded checkpoint, and the CRC-32 (IEEE)
// of the gob bytes, little-endian. It holds everything Run needs to continue bit for
// bit: parameters, optimizer state, both random streams, the epoch's order and
// position, the partial sums of the epoch and the history.

const (
	checkpointMagic   = "deepglass nets checkpoint\n"
	checkpointVersion = 1
	maxCheckpoint     = 1 << 34 // 16 GiB
)

type checkpoint struct {
	Version           int
	Sizes             []int
	Act               Activation
	Loss              Loss
	Options           Options
	TrainHash         uint64
	TrainN            int
	TestHash          uint64
	TestN             int
	Params            []float64
	OptV, OptM        []float64
	AdamT             int
	Epoch, Step       int
	Perm              []int32
	Shuffle, Noise    []byte
	Acc               accum
	History           History
	TrainName, TestNm string
}

// Checkpoint writes the trainer's complete state to w (see [ResumeTrainer]).
func (t *Trainer) Checkpoint(w io.Writer) error {
	c := checkpoint{Version: checkpointVersion, Sizes: t.net.Sizes, Act: t.net.Act, Loss: t.net.Loss,
		Options: t.opts, TrainHash: t.train.Hash(), TrainN: t.train.N, TrainName: t.train.Name,
		Params: make([]float64, len(t.net.p)), Epoch: t.epoch, Step: t.step, Perm: t.perm, Acc: t.acc, History: t.hist}
	if t.test != nil {
		c.TestHash, c.TestN, c.TestNm = t.test.Hash(), t.test.N, t.test.Name
	}
	t.core.getParams(c.Params)
	c.OptV, c.OptM, c.AdamT = t.core.optState()
	var err error
	if c.Shuffle, err = t.shuffle.MarshalBinary(); err != nil {
		return fmt.Errorf("nets: checkpoint: %w", err)
	}
	if c.Noise, err = t.noise.MarshalBinary(); err != nil {
		return fmt.Errorf("nets: checkpoint: %w", err)
	}
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(&c); err != nil {
		return fmt.Errorf("nets: checkpoint: %w", err)
	}
	var sum [4]byte
	binary.LittleEndian.PutUint32(sum[:], crc32.ChecksumIEEE(buf.Bytes()))
	if _, err := io.WriteString(w, checkpointMagic); err != nil {
		return fmt.Errorf("nets: checkpoint: %w", err)
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("nets: checkpoint: %w", err)
	}
	if _, err := w.Write(sum[:]); err != nil {
		return fmt.Errorf("nets: checkpoint: %w", err)
	}
	return nil
}

// decodeCheckpoint reads and checks a checkpoint.
func decodeCheckpoint(r io.Reader) (*checkpoint, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxCheckpoint))
	if err != nil {
		return nil, fmt.Errorf("nets: checkpoint: %w", err)
	}
	if !bytes.HasPrefix(b, []byte(checkpointMagic)) {
		return nil, errors.New("nets: not a nets checkpoint (bad magic)")
	}
	b = b[len(checkpointMagic):]
	if len(b) < 4 {
		return nil, errors.New("nets: checkpoint truncated")
	}
	body, sum := b[:len(b)-4], binary.LittleEndian.Uint32(b[len(b)-4:])
	if crc32.ChecksumIEEE(body) != sum {
		return nil, errors.New("nets: checkpoint corrupt (checksum mismatch)")
	}
	var c checkpoint
	if err := gob.NewDecoder(bytes.NewReader(body)).Decode(&c); err != nil {
		return nil, fmt.Errorf("nets: checkpoint: %w", err)
	}
	if c.Version != checkpointVersion {
		return nil, fmt.Errorf("nets: checkpoint version %d, want %d", c.Version, checkpointVersion)
	}
	if err := checkSizes(c.Sizes); err != nil {
		return nil, fmt.Errorf("nets: checkpoint: %w", err)
	}
	n := numParams(c.Sizes)
	opts := c.Options.withDefaults()
	switch {
	case !c.Act.valid() || (c.Loss != CrossEntropy && c.Loss != Squared):
		return nil, errors.New("nets: checkpoint: unknown activation or loss")
	case opts.Validate() != nil:
		return nil, fmt.Errorf("nets: checkpoint: %w", opts.Validate())
	case len(c.Params) != n:
		return nil, fmt.Errorf("nets: checkpoint: %d parameters, the widths need %d", len(c.Params), n)
	case opts.Optimizer == Momentum && len(c.OptV) != n, opts.Optimizer == Adam && (len(c.OptV) != n || len(c.OptM) != n):
		return nil, errors.New("nets: checkpoint: optimizer state does not match the parameters")
	case c.TrainN < 1 || len(c.Perm) != c.TrainN:
		return nil, errors.New("nets: checkpoint: minibatch order does not match the data")
	case c.Epoch < 0 || c.Epoch > opts.Epochs || c.Step < 0 || c.Step > (c.TrainN+opts.Batch-1)/opts.Batch:
		return nil, fmt.Errorf("nets: checkpoint: position epoch %d step %d out of range", c.Epoch, c.Step)
	}
	seen := make([]bool, c.TrainN)
	for _, i := range c.Perm {
		if i < 0 || int(i) >= c.TrainN || seen[i] {
			return nil, errors.New("nets: checkpoint: minibatch order is not a permutation")
		}
		seen[i] = true
	}
	return &c, nil
}

// ResumeTrainer restores a trainer from a checkpoint written by [Trainer.Checkpoint],
// with a new net of the saved widths. train and test must be the data the run started
// with (checked by hash); progress and checkpoint hooks are taken from hooks (only its
// Progress, OnEpoch, Checkpoint and CheckpointEvery fields are used).
func ResumeTrainer(r io.Reader, train, test *Data, hooks Options) (*Trainer, error) {
	c, err := decodeCheckpoint(r)
	if err != nil {
		return nil, err
	}
	if train == nil || train.N != c.TrainN || train.Hash() != c.TrainHash {
		return nil, fmt.Errorf("nets: checkpoint was made on other training data (%s, %d samples)", c.TrainName, c.TrainN)
	}
	if (test == nil) != (c.TestN == 0) || (test != nil && (test.N != c.TestN || test.Hash() != c.TestHash)) {
		return nil, fmt.Errorf("nets: checkpoint was made on other test data (%s, %d samples)", c.TestNm, c.TestN)
	}
	net, err := NewNet(c.Sizes, c.Act, c.Loss)
	if err != nil {
		return nil, err
	}
	copy(net.p, c.Params)
	opts := c.Options
	opts.Progress, opts.OnEpoch, opts.Checkpoint, opts.CheckpointEvery = hooks.Progress, hooks.OnEpoch, hooks.Checkpoint, hooks.CheckpointEvery
	t, err := NewTrainer(net, train, test, opts)
	if err != nil {
		return nil, err
	}
	if err := t.shuffle.UnmarshalBinary(c.Shuffle); err != nil {
		return nil, fmt.Errorf("nets: checkpoint: data stream: %w", err)
	}
	if err := t.noise.UnmarshalBinary(c.Noise); err != nil {
		return nil, fmt.Errorf("nets: checkpoint: noise stream: %w", err)
	}
	t.perm = c.Perm
	t.epoch, t.step, t.acc, t.hist = c.Epoch, c.Step, c.Acc, c.History
	t.core.setOptState(c.OptV, c.OptM, c.AdamT)
	return t, nil
}
