package rbmsample

import (
	"fmt"
	"math/rand/v2"

	"github.com/deepglass/deepglass/models"
	"github.com/deepglass/deepglass/sampler"
)

// RBMChain is one Markov chain over the units of a [models.RBM]: visible and hidden
// values (0 or 1, as float64), a private stream and scratch space, so that steps
// allocate nothing.
type RBMChain struct {
	V, H  []float64 // visible and hidden units, each 0 or 1
	Src   *rand.PCG // never shared between chains
	Steps int64     // block-Gibbs steps taken

	x []float64 // scratch: hidden inputs
	y []float64 // scratch: visible inputs
}

// NewRBMChain returns a chain for r with visible units drawn uniformly from src (one
// draw per 64 units) and hidden units zero; the first step resamples the hidden
// units from the visible ones. It panics if src is nil.
func NewRBMChain(r *models.RBM, src *rand.PCG) *RBMChain {
	if src == nil {
		panic("rbmsample: NewRBMChain with nil source")
	}
	nv, nh := r.NV(), r.NH()
	c := &RBMChain{V: make([]float64, nv), H: make([]float64, nh), Src: src,
		x: make([]float64, nh), y: make([]float64, nv)}
	for i := 0; i < nv; i += 64 {
		w := src.Uint64()
		for b := 0; b < 64 && i+b < nv; b++ {
			c.V[i+b] = float64(w >> uint(b) & 1)
		}
	}
	return c
}

// String returns a summary such as "RBM chain nv=16 nh=12 steps=1000 ⟨v⟩=0.44 ⟨h⟩=0.5".
func (c *RBMChain) String() string {
	return fmt.Sprintf("RBM chain nv=%d nh=%d steps=%d ⟨v⟩=%.3g ⟨h⟩=%.3g",
		len(c.V), len(c.H), c.Steps, rbmMeanOf(c.V), rbmMeanOf(c.H))
}

func rbmMeanOf(x []float64) float64 {
	if len(x) == 0 {
		return 0
	}
	s := 0.0
	for _, v := range x {
		s += v
	}
	return s / float64(len(x))
}

// BlockGibbs samples an RBM at inverse temperature Beta, p_β(v, h) ∝ e^{-βE(v,h)}: each
// step draws all hidden units from P_β(h|v), then all visible units from P_β(v|h),
// with P_β(h_j = 1|v) = σ(β(b_j + (Wᵀv)_j)) and P_β(v_i = 1|h) = σ(β(a_i + (Wh)_i)).
// Each unit takes one draw, hidden units first (index order), then visible units.
type BlockGibbs struct {
	RBM  *models.RBM
	Beta float64
}

// String returns a summary such as "BlockGibbs β=1 RBM nv=16 nh=12 |W|max=1.9".
func (g BlockGibbs) String() string {
	return fmt.Sprintf("BlockGibbs β=%g %v", g.Beta, g.RBM)
}

// Step performs one block-Gibbs step (h|v, then v|h) on c. It allocates nothing. It
// panics if c does not match the RBM's shape.
func (g BlockGibbs) Step(c *RBMChain) {
	checkRBMChain(g.RBM, c)
	rbmSampleHidden(g.RBM, g.Beta, c.V, c.H, c.x, c.Src)
	rbmSampleVisible(g.RBM, g.Beta, nil, c.H, c.V, c.y, c.Src)
	c.Steps++
}

// Run performs n steps on c.
func (g BlockGibbs) Run(c *RBMChain, n int) {
	for range n {
		g.Step(c)
	}
}

func checkRBMChain(r *models.RBM, c *RBMChain) {
	if len(c.V) != r.NV() || len(c.H) != r.NH() || len(c.x) != len(c.H) || len(c.y) != len(c.V) {
		panic(fmt.Sprintf("rbmsample: RBM chain (nv=%d, nh=%d) does not match %v; use NewRBMChain", len(c.V), len(c.H), r))
	}
	if c.Src == nil {
		panic("rbmsample: RBM chain with nil source")
	}
}

// rbmSampleHidden sets x to the hidden inputs b + Wᵀv and draws h_j = 1 with probability
// σ(β x_j), one draw per unit in index order.
func rbmSampleHidden(r *models.RBM, beta float64, v, h, x []float64, src *rand.PCG) {
	raw := r.W.RawMatrix()
	w, stride, nh := raw.Data, raw.Stride, len(h)
	copy(x, r.B)
	for i, vi := range v {
		if vi == 0 {
			continue
		}
		row := w[i*stride : i*stride+nh]
		x = x[:len(row)]
		if vi == 1 {
			for j, wij := range row {
				x[j] += wij
			}
		} else {
			for j, wij := range row {
				x[j] += vi * wij
			}
		}
	}
	for j, xj := range x {
		h[j] = rbmBernoulli(src, beta*xj)
	}
}

// rbmSampleVisible sets y_i = β(a_i + (Wh)_i) + (1-β)·a0_i (the last term only if a0 is not
// nil) and draws v_i = 1 with probability σ(y_i), one draw per unit in index order.
func rbmSampleVisible(r *models.RBM, beta float64, a0, h, v, y []float64, src *rand.PCG) {
	raw := r.W.RawMatrix()
	w, stride, nh := raw.Data, raw.Stride, len(h)
	for i := range v {
		row := w[i*stride : i*stride+nh]
		s := r.A[i]
		for j, hj := range h[:len(row)] {
			s += row[j] * hj
		}
		s *= beta
		if a0 != nil {
			s += (1 - beta) * a0[i]
		}
		y[i] = s
		v[i] = rbmBernoulli(src, s)
	}
}

// rbmBernoulli returns 1 with probability σ(x) = 1/(1+e^{-x}), else 0, from one draw.
func rbmBernoulli(src *rand.PCG, x float64) float64 {
	if uniform(src) < models.Sigmoid(x) {
		return 1
	}
	return 0
}

// RBMTempering is parallel tempering over temperatures of one RBM: one [RBMChain] per
// β, a block-Gibbs step of every chain at its β, then proposed exchanges of
// neighbouring temperatures, even pairs and odd pairs alternately, by the exchange
// core [sampler.Exchange] that every tempering shares. Exchanges permute slots rather than
// copying units: Chains[Slot[k]] currently sits at Betas[k]. A swap of (v, h) states
// a at β_k and b at β_{k+1} is accepted with probability
// min(1, exp((β_{k+1} - β_k)(E(b) - E(a)))), E the joint energy, which leaves the product
// of the joint distributions p_β(v, h) invariant. Chains are stepped one after the
// other; each draws only from its own stream and swap decisions only from Src.
type RBMTempering struct {
	// sampler.Exchange holds the ladder (Betas, the last usually 1), Slot, the statistics and Src.
	*sampler.Exchange
	RBM    *models.RBM
	Chains []*RBMChain
}

// NewRBMTempering returns parallel tempering for r at betas (strictly increasing,
// finite, ≥ 0) with chains[k] starting at betas[k]. It panics if the ladder is
// invalid, the numbers of chains and temperatures differ, a chain does not match r,
// or src is nil or shared with a chain.
func NewRBMTempering(r *models.RBM, betas []float64, chains []*RBMChain, src *rand.PCG) *RBMTempering {
	if src == nil {
		panic("rbmsample: NewRBMTempering with nil source")
	}
	if len(chains) != len(betas) {
		panic(fmt.Sprintf("rbmsample: NewRBMTempering with %d chains for %d temperatures", len(chains), len(betas)))
	}
	for k, c := range chains {
		checkRBMChain(r, c)
		if c.Src == src {
			panic(fmt.Sprintf("rbmsample: NewRBMTempering: chain %d shares the swap source", k))
		}
	}
	return &RBMTempering{Exchange: sampler.NewExchange(betas, 1, src), RBM: r, Chains: append([]*RBMChain(nil), chains...)}
}

// Sweep makes one block-Gibbs step of every chain at its temperature, then proposes
// exchanges of the even pairs (0,1), (2,3)… or the odd pairs (1,2), (3,4)…, alternately.
// It allocates nothing.
func (t *RBMTempering) Sweep() {
	for k, b := range t.Betas {
		BlockGibbs{RBM: t.RBM, Beta: b}.Step(t.Chains[t.Slot[k]])
	}
	for k := t.Parity(); k+1 < len(t.Betas); k += 2 {
		a, b := t.Chains[t.Slot[k]], t.Chains[t.Slot[k+1]]
		t.Propose(k, 0, (t.Betas[k+1]-t.Betas[k])*(t.RBM.Energy(b.V, b.H)-t.RBM.Energy(a.V, a.H)))
	}
	t.EndRound()
}

// Cold returns the chain currently at the largest β.
func (t *RBMTempering) Cold() *RBMChain { return t.Chains[t.Slot[len(t.Slot)-1]] }

// ChainAt returns the chain currently at Betas[k].
func (t *RBMTempering) ChainAt(k int) *RBMChain { return t.Chains[t.Slot[k]] }

// String returns a summary such as "RBM tempering K=8 β=0.3…1 …".
func (t *RBMTempering) String() string {
	return fmt.Sprintf("RBM tempering %v", t.Exchange)
}

// uniform returns a uniform float64 in [0, 1) from the top 53 bits of one draw, as the
// samplers of package sampler do.
func uniform(src *rand.PCG) float64 { return float64(src.Uint64()>>11) * 0x1p-53 }
