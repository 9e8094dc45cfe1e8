package sampler

import (
	"fmt"

	"github.com/deepglass/deepglass/models"
)

// SwendsenWang does Swendsen–Wang cluster updates (Swendsen & Wang 1987) at inverse
// temperature Beta. One Sweep activates every satisfied bond (J_ij s_i s_j > 0) with
// probability 1−e^{−2β|J_ij|}, labels the clusters of activated bonds by union–find, and
// flips each cluster with probability 1/2. As for [Wolff], any couplings are allowed but
// fields are not, and the clusters percolate at low temperature unless the model is a
// ferromagnet.
//
// Random numbers: one uint64 per satisfied bond, in CSR order (site i, then its bonds to
// sites j > i); then one bit per cluster, 64 per uint64, clusters taken in the order of
// their root sites.
//
// A sweep visits every spin once, so it adds N to both Proposed and Accepted. A
// SwendsenWang holds scratch space, so it must not be used by more than one goroutine at
// a time. Sweeps allocate nothing once the scratch space exists, except after Model or
// Beta changed. As for [Wolff], a copy (b := *a) makes its own tables and scratch space
// on its first sweep.
type SwendsenWang struct {
	Model *models.Sparse
	Beta  float64

	owner  *SwendsenWang // the sampler that made bonds' tables and the scratch space
	bonds  bondCache
	parent []int32 // union–find forest; a root's entry is −(size of its tree)
	flip   []bool  // flip[i]: site i's cluster flips (after labelling)
}

// NewSwendsenWang returns a Swendsen–Wang sampler for m at inverse temperature beta. It
// panics if m has a non-zero field or beta is negative or NaN.
func NewSwendsenWang(m *models.Sparse, beta float64) *SwendsenWang {
	if m == nil {
		panic("sampler: NewSwendsenWang with nil model")
	}
	sw := &SwendsenWang{Model: m, Beta: beta}
	sw.prepare()
	return sw
}

// prepare brings tables and scratch space up to date.
func (sw *SwendsenWang) prepare() {
	if sw.Model == nil {
		panic("sampler: SwendsenWang with nil model")
	}
	if sw.owner != sw {
		sw.owner = sw
		sw.bonds.disown()
		sw.parent, sw.flip = nil, nil
	}
	sw.bonds.update("SwendsenWang", sw.Model, sw.Beta)
	if n := sw.Model.N(); len(sw.parent) != n {
		sw.parent = make([]int32, n)
		sw.flip = make([]bool, n)
	}
}

// String describes the sampler, e.g. "swendsen-wang β=0.44 on ising square:16 (N=256,
// bonds=512)".
func (sw *SwendsenWang) String() string {
	return fmt.Sprintf("swendsen-wang β=%g on %v", sw.Beta, sw.Model)
}

// find returns the root of i's tree, halving the path on the way.
func find(parent []int32, i int32) int32 {
	for parent[i] >= 0 {
		if g := parent[parent[i]]; g >= 0 {
			parent[i] = g
		}
		i = parent[i]
	}
	return i
}

// union merges the trees of i and j, hanging the smaller under the larger.
func union(parent []int32, i, j int32) {
	ri, rj := find(parent, i), find(parent, j)
	if ri == rj {
		return
	}
	if parent[ri] > parent[rj] { // ri's tree is smaller
		ri, rj = rj, ri
	}
	parent[ri] += parent[rj]
	parent[rj] = ri
}

// Sweep does one Swendsen–Wang update of c: c.S, c.E (exactly, from the bonds between
// flipped and unflipped clusters) and the counters.
func (sw *SwendsenWang) Sweep(c *Chain) {
	checkChain("SwendsenWang.Sweep", c, sw.Model.N())
	sw.prepare()
	p, s, src := sw.Model, c.S, c.Src
	n := len(s)
	start, nbr := p.Start[:n+1], p.Nbr
	parent, flip := sw.parent[:n], sw.flip[:n]
	for i := range parent {
		parent[i] = -1
	}

	// Activate bonds.
	if jint := p.JInt; jint != nil {
		thr := &sw.bonds.thrInt
		for i := 0; i < n; i++ {
			si := int(s[i])
			for k := start[i]; k < start[i+1]; k++ {
				j := nbr[k]
				if int(j) <= i {
					continue
				}
				jj := int(jint[k])
				if jj*si*int(s[j]) > 0 && src.Uint64()>>11 < thr[uint8(max(jj, -jj))&127] {
					union(parent, int32(i), j)
				}
			}
		}
	} else {
		jf, thr := p.J, sw.bonds.thrBond[:len(p.J)]
		for i := 0; i < n; i++ {
			si := float64(s[i])
			for k := start[i]; k < start[i+1]; k++ {
				j := nbr[k]
				if int(j) <= i {
					continue
				}
				if jf[k]*si*float64(s[j]) > 0 && src.Uint64()>>11 < thr[k] {
					union(parent, int32(i), j)
				}
			}
		}
	}

	// Decide each cluster at its root, then spread the decision to every site.
	var bitsLeft uint
	var word uint64
	for i := range parent {
		if parent[i] < 0 {
			if bitsLeft == 0 {
				word, bitsLeft = src.Uint64(), 64
			}
			flip[i] = word&1 != 0
			word >>= 1
			bitsLeft--
		}
	}
	for i := range parent {
		flip[i] = flip[find(parent, int32(i))]
	}

	// ΔE = 2 Σ J_ij s_i s_j over bonds whose ends flip differently (old spins). Site i's
	// bonds to j > i are summed before s_i flips and before any such s_j flips.
	if jint := p.JInt; jint != nil {
		var de int
		for i := 0; i < n; i++ {
			fi := flip[i]
			si := int(s[i])
			for k := start[i]; k < start[i+1]; k++ {
				if j := nbr[k]; int(j) > i && flip[j] != fi {
					de += int(jint[k]) * si * int(s[j])
				}
			}
			if fi {
				s[i] = -s[i]
			}
		}
		c.E += float64(2 * de)
	} else {
		jf := p.J
		var de float64
		for i := 0; i < n; i++ {
			fi := flip[i]
			si := float64(s[i])
			for k := start[i]; k < start[i+1]; k++ {
				if j := nbr[k]; int(j) > i && flip[j] != fi {
					de += jf[k] * si * float64(s[j])
				}
			}
			if fi {
				s[i] = -s[i]
			}
		}
		c.E += 2 * de
	}
	c.Accepted += int64(n)
	c.Proposed += int64(n)
}
