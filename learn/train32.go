package learn

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"

	"github.com/deepglass/deepglass/models"
	"github.com/deepglass/deepglass/sampler"
)

// trainer32 is the minibatch update of [trainer] in single precision (Options.Float32):
// the data, the weights and the work matrices are float32 and the products run on
// gonum's blas32 (OpenBLAS sgemm with the openblas tag). It draws the same random
// numbers in the same order as trainer, so that a float32 run follows the float64 run
// of the same options up to the rounding of float32 (a Bernoulli decision differs only
// when its uniform falls between the two precisions' probabilities). The biases stay
// float64. The RBM's weights are updated from the float32 ones by sync.
type trainer32 struct {
	r      *models.RBM
	opts   Options
	k      int
	l1     float64
	nv, nh int

	data    []float32 // D×NV
	order   []int
	shuf    *rand.Rand
	shufSrc *rand.PCG // shuf's stream
	src     *rand.PCG

	w          []float32 // NV×NH
	wT         []float32 // NH×NV, W transposed (pure-Go BLAS only, see gibbs)
	full, part *batch32
	nc         int
	hc         []float32 // persistent hidden states (PCD), nc×NH

	grad, vel  []float32 // NV×NH
	gradA      []float64
	gradB      []float64
	velA, velB []float64
}

// batch32 is batchWork in float32: S = [V0; Vc] ((nb+nc)×NV), X = S·W and Q
// ((nb+nc)×NH), hc (nc×NH) and yc (nc×NV).
type batch32 struct {
	nb, nc       int
	s, x, q      []float32
	hc, yc       []float32
	nbScl, ncScl float64
}

func newTrainer32(r *models.RBM, data [][]float64, opts Options) (*trainer32, error) {
	opts, err := opts.resolve(len(data))
	if err != nil {
		return nil, err
	}
	if opts.Method == PT {
		return nil, errors.New("float32 training runs cd and pcd, not pt")
	}
	nv, nh, nd := r.NV(), r.NH(), len(data)
	t := &trainer32{r: r, opts: opts, k: opts.K, l1: opts.L1, nv: nv, nh: nh,
		data:    make([]float32, nd*nv),
		order:   make([]int, nd),
		shufSrc: sampler.NewStream(opts.Seed, sampler.PurposeData, 0, 0),
		src:     sampler.NewStream(opts.Seed, sampler.PurposeChain, 0, 0),
		w:       make([]float32, nv*nh),
		grad:    make([]float32, nv*nh), vel: make([]float32, nv*nh),
		gradA: make([]float64, nv), gradB: make([]float64, nh),
		velA: make([]float64, nv), velB: make([]float64, nh),
		nc: opts.Chains,
	}
	t.shuf = rand.New(t.shufSrc)
	for d, row := range data {
		for i, x := range row {
			t.data[d*nv+i] = float32(x)
		}
		t.order[d] = d
	}
	for i := range nv {
		for j := range nh {
			t.w[i*nh+j] = float32(r.W.At(i, j))
		}
	}
	if pureGoBLAS {
		t.wT = make([]float32, nh*nv)
		t.transpose()
	}
	t.full = t.newBatch(opts.Batch)
	if rem := nd % opts.Batch; rem != 0 {
		t.part = t.newBatch(rem)
	}
	if opts.Method == PCD {
		// As trainer: chains start from hidden samples of random data rows.
		t.hc = make([]float32, t.nc*nh)
		x := make([]float64, nh)
		for c := range t.nc {
			r.HiddenInput(x, data[t.shuf.IntN(nd)])
			for j, xj := range x {
				t.hc[c*nh+j] = float32(bernoulli(t.src, xj))
			}
		}
	}
	return t, nil
}

func (t *trainer32) newBatch(nb int) *batch32 {
	nc := t.nc
	if t.opts.Method == CD {
		nc = nb
	}
	n := nb + nc
	return &batch32{nb: nb, nc: nc,
		s: make([]float32, n*t.nv), x: make([]float32, n*t.nh), q: make([]float32, n*t.nh),
		hc: make([]float32, nc*t.nh), yc: make([]float32, nc*t.nv),
		nbScl: 1 / float64(nb), ncScl: 1 / float64(nc)}
}

// gen returns the rows × cols row-major matrix in data.
func gen(rows, cols int, data []float32) blas32.General {
	return blas32.General{Rows: rows, Cols: cols, Stride: cols, Data: data[:rows*cols]}
}

func (t *trainer32) options() Options     { return t.opts }
func (t *trainer32) setL1(l1 float64)     { t.l1 = l1 }
func (t *trainer32) close()               {}
func (t *trainer32) swapRates() []float64 { return nil }

// sync copies the float32 weights into the RBM.
func (t *trainer32) sync() {
	for i := range t.nv {
		row := t.r.W.RawRowView(i)
		for j := range t.nh {
			row[j] = float64(t.w[i*t.nh+j])
		}
	}
}

// epoch makes one pass over the data in a freshly shuffled order, or finishes the pass
// whose first from minibatches are done, checking ctx before each minibatch (as
// trainer.epoch).
func (t *trainer32) epoch(ctx context.Context, lr float64, from int) (done, rows int, err error) {
	nb := t.opts.Batch
	for b := from; b*nb < len(t.order); b++ {
		if err := ctx.Err(); err != nil {
			return b, rows, err
		}
		if b == 0 {
			t.shuf.Shuffle(len(t.order), func(i, j int) { t.order[i], t.order[j] = t.order[j], t.order[i] })
		}
		start := b * nb
		w := t.full
		if start+nb > len(t.order) {
			w = t.part
		}
		t.update(w, t.order[start:start+w.nb], lr)
		rows += w.nb
	}
	return 0, rows, nil
}

// dataHash is trainer.dataHash of the data as float64 (every float32 is exact in
// float64, so a run's data hash the same in both precisions).
func (t *trainer32) dataHash() [32]byte {
	h := sha256.New()
	rows := len(t.order)
	buf := make([]byte, 8*t.nv)
	binary.LittleEndian.PutUint64(buf, uint64(rows))
	h.Write(buf[:8])
	for d := range rows {
		for j, x := range t.data[d*t.nv : (d+1)*t.nv] {
			binary.LittleEndian.PutUint64(buf[8*j:], math.Float64bits(float64(x)))
		}
		h.Write(buf)
	}
	var out [32]byte
	h.Sum(out[:0])
	return out
}

// state is trainer.state for the float32 run: weights and velocities as float64 (exact
// copies of the float32 values), so that a resume restores them bit for bit.
func (t *trainer32) state(e, batch int, hist History) (*State, error) {
	t.sync()
	f64 := func(x []float32) []float64 {
		out := make([]float64, len(x))
		for i, v := range x {
			out[i] = float64(v)
		}
		return out
	}
	s := &State{Epoch: e, Batch: batch, Options: optionsKey(t.opts), Data: t.dataHash(),
		W: f64(t.w), A: slices.Clone(t.r.A), B: slices.Clone(t.r.B),
		VelW: f64(t.vel), VelA: slices.Clone(t.velA), VelB: slices.Clone(t.velB),
		Order: slices.Clone(t.order), Epochs: slices.Clone(hist.Epochs), Samples: hist.Samples, Seconds: hist.Seconds}
	var err error
	if s.DataStream, err = t.shufSrc.MarshalBinary(); err != nil {
		return nil, err
	}
	if s.ChainStream, err = t.src.MarshalBinary(); err != nil {
		return nil, err
	}
	if t.hc != nil {
		s.Hidden = f64(t.hc)
	}
	return s, nil
}

// restore sets the float32 run to s, after the checks of trainer.restore.
func (t *trainer32) restore(s *State) error {
	if s.Options != optionsKey(t.opts) {
		return fmt.Errorf("resume: the training options differ from the interrupted run's\n  were: %s\n  now:  %s", s.Options, optionsKey(t.opts))
	}
	if s.Data != t.dataHash() {
		return errors.New("resume: the training data differ from the interrupted run's")
	}
	nv, nh, nd := t.nv, t.nh, len(t.order)
	batches := (nd + t.opts.Batch - 1) / t.opts.Batch
	switch {
	case s.Epoch < 0 || s.Epoch >= t.opts.Epochs || s.Batch < 0 || s.Batch >= batches:
		return fmt.Errorf("resume: epoch %d, minibatch %d is outside the run (%d epochs of %d minibatches)", s.Epoch, s.Batch, t.opts.Epochs, batches)
	case len(s.W) != nv*nh || len(s.A) != nv || len(s.B) != nh || len(s.VelW) != nv*nh || len(s.VelA) != nv || len(s.VelB) != nh:
		return fmt.Errorf("resume: the state's parameters do not fit a %d×%d RBM", nv, nh)
	case !isPermutation(s.Order, nd):
		return fmt.Errorf("resume: the state's data order is not a permutation of %d rows", nd)
	case t.hc != nil && len(s.Hidden) != t.nc*nh, t.hc == nil && s.Hidden != nil:
		return errors.New("resume: the state's persistent chains do not fit the options")
	case len(s.Ladders) != 0:
		return errors.New("resume: float32 training has no tempering ladders")
	case s.Samples < 0 || !(s.Seconds >= 0):
		return errors.New("resume: negative counters in the state")
	}
	if err := t.shufSrc.UnmarshalBinary(s.DataStream); err != nil {
		return fmt.Errorf("resume: data stream: %w", err)
	}
	if err := t.src.UnmarshalBinary(s.ChainStream); err != nil {
		return fmt.Errorf("resume: chain stream: %w", err)
	}
	for i, v := range s.W {
		t.w[i] = float32(v)
	}
	for i, v := range s.VelW {
		t.vel[i] = float32(v)
	}
	copy(t.r.A, s.A)
	copy(t.r.B, s.B)
	copy(t.velA, s.VelA)
	copy(t.velB, s.VelB)
	copy(t.order, s.Order)
	for i, v := range s.Hidden {
		t.hc[i] = float32(v)
	}
	if t.wT != nil {
		t.transpose()
	}
	t.sync()
	return nil
}

// update is trainer.update in float32. It allocates nothing.
func (t *trainer32) update(w *batch32, idx []int, lr float64) {
	r, nv, nh := t.r, t.nv, t.nh
	for b, d := range idx {
		copy(w.s[b*nv:(b+1)*nv], t.data[d*nv:(d+1)*nv])
	}
	W := gen(nv, nh, t.w)
	n := w.nb + w.nc
	v0, vc := gen(w.nb, nv, w.s), gen(w.nc, nv, w.s[w.nb*nv:])
	switch t.opts.Method {
	case CD:
		x0 := gen(w.nb, nh, w.x)
		blas32.Gemm(blas.NoTrans, blas.NoTrans, 1, v0, W, 0, x0)
		for b := range w.nb {
			x, h := w.x[b*nh:(b+1)*nh], w.hc[b*nh:(b+1)*nh]
			for j, xj := range x {
				h[j] = float32(bernoulli(t.src, float64(xj)+r.B[j]))
			}
		}
		t.gibbs(w, w.hc)
		blas32.Gemm(blas.NoTrans, blas.NoTrans, 1, vc, W, 0, gen(w.nc, nh, w.x[w.nb*nh:]))
	case PCD:
		t.gibbs(w, t.hc)
		blas32.Gemm(blas.NoTrans, blas.NoTrans, 1, gen(n, nv, w.s), W, 0, gen(n, nh, w.x))
	}
	clear(t.gradB)
	for row := range n {
		scale := w.nbScl
		if row >= w.nb {
			scale = -w.ncScl
		}
		x, q := w.x[row*nh:(row+1)*nh], w.q[row*nh:(row+1)*nh]
		var hrow []float32
		if t.opts.Method == PCD && row >= w.nb {
			hrow = t.hc[(row-w.nb)*nh : (row-w.nb+1)*nh]
		}
		for j, xj := range x {
			p := models.Sigmoid(float64(xj) + r.B[j])
			q[j] = float32(scale * p)
			t.gradB[j] += scale * p
			if hrow != nil {
				hrow[j] = float32(bernoulliP(t.src, p))
			}
		}
	}
	clear(t.gradA)
	for row := range n {
		scale := w.nbScl
		if row >= w.nb {
			scale = -w.ncScl
		}
		for i, v := range w.s[row*nv : (row+1)*nv] {
			t.gradA[i] += scale * float64(v)
		}
	}
	blas32.Gemm(blas.Trans, blas.NoTrans, 1, gen(n, nv, w.s), gen(n, nh, w.q), 0, gen(nv, nh, t.grad))
	t.step(lr)
}

// gibbs is trainer.gibbs in float32.
func (t *trainer32) gibbs(w *batch32, h []float32) {
	r, nv, nh := t.r, t.nv, t.nh
	W := gen(nv, nh, t.w)
	H, Yc := gen(w.nc, nh, h), gen(w.nc, nv, w.yc)
	vc := gen(w.nc, nv, w.s[w.nb*nv:])
	xc := gen(w.nc, nh, w.x[w.nb*nh:])
	for s := range t.k {
		if t.wT != nil {
			// gonum's pure-Go Sgemm computes H·Wᵀ by dot products, several times slower
			// per multiply-add than H·(Wᵀ stored) by axpys.
			blas32.Gemm(blas.NoTrans, blas.NoTrans, 1, H, gen(nh, nv, t.wT), 0, Yc)
		} else {
			blas32.Gemm(blas.NoTrans, blas.Trans, 1, H, W, 0, Yc)
		}
		for c := range w.nc {
			y, v := w.yc[c*nv:(c+1)*nv], vc.Data[c*nv:(c+1)*nv]
			for i, yi := range y {
				v[i] = float32(bernoulli(t.src, float64(yi)+r.A[i]))
			}
		}
		if s == t.k-1 {
			break
		}
		blas32.Gemm(blas.NoTrans, blas.NoTrans, 1, vc, W, 0, xc)
		for c := range w.nc {
			x, hr := xc.Data[c*nh:(c+1)*nh], h[c*nh:(c+1)*nh]
			for j, xj := range x {
				hr[j] = float32(bernoulli(t.src, float64(xj)+r.B[j]))
			}
		}
	}
}

// step is trainer.step in float32 for the weights.
func (t *trainer32) step(lr float64) {
	r := t.r
	mom, l2, l1 := float32(t.opts.Momentum), float32(t.opts.L2), t.l1
	lr32 := float32(lr)
	thr := float32(lr * l1)
	for k, g := range t.grad {
		wij := t.w[k]
		g -= l2 * wij
		t.vel[k] = mom*t.vel[k] + lr32*g
		w := wij + t.vel[k]
		if l1 != 0 {
			switch {
			case w > thr:
				w -= thr
			case w < -thr:
				w += thr
			default:
				w = 0
			}
		}
		t.w[k] = w
	}
	if t.wT != nil {
		t.transpose()
	}
	for i, g := range t.gradA {
		t.velA[i] = t.opts.Momentum*t.velA[i] + lr*g
		r.A[i] += t.velA[i]
	}
	for j, g := range t.gradB {
		t.velB[j] = t.opts.Momentum*t.velB[j] + lr*g
		r.B[j] += t.velB[j]
	}
}

// transpose writes W into wT in blocks of 32×32, which stay in cache.
func (t *trainer32) transpose() {
	const b = 32
	nv, nh := t.nv, t.nh
	for i0 := 0; i0 < nv; i0 += b {
		for j0 := 0; j0 < nh; j0 += b {
			for i := i0; i < min(i0+b, nv); i++ {
				row := t.w[i*nh : (i+1)*nh]
				for j := j0; j < min(j0+b, nh); j++ {
					t.wT[j*nv+i] = row[j]
				}
			}
		}
	}
}
