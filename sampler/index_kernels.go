package sampler

import (
	"math/bits"

	"github.com/deepglass/deepglass/models"
)

// indexModel is a model whose energies are looked up from the state's 64-bit index
// (models.StateIndex): the random-energy models REM, GREM and the BW funnel, which
// store nothing of size 2^N. Their single-spin kernels keep the index and the current
// energy, so that a proposal costs one lookup, where DeltaE costs two and a pass over
// the spins.
type indexModel interface {
	models.Model
	EnergyIndex(k uint64) float64
}

// metropolisIndex is the Metropolis kernel of index models: the decisions of
// metropolisAny, with energies looked up (so c.E carries no round-off).
func metropolisIndex(m indexModel, beta float64, random bool, c *Chain) (acc int64) {
	s, src := c.S, c.Src
	n := len(s)
	k := models.StateIndex(s)
	e := m.EnergyIndex(k)
	for t := 0; t < n; t++ {
		i := t
		if random {
			hi, _ := bits.Mul64(src.Uint64(), uint64(n))
			i = int(hi)
		}
		k2 := k ^ 1<<uint(i)
		e2 := m.EnergyIndex(k2)
		dE := e2 - e
		if dE < 0 || dE == 0 && random || uniform(src) < acceptance(beta, dE) {
			s[i] = -s[i]
			k, e = k2, e2
			acc++
		}
	}
	c.E = e
	return acc
}

// heatBathIndex is the heat-bath kernel of index models: the decisions of heatBathAny,
// with energies looked up.
func heatBathIndex(m indexModel, beta float64, random bool, c *Chain) (acc int64) {
	s, src := c.S, c.Src
	n := len(s)
	k := models.StateIndex(s)
	e := m.EnergyIndex(k)
	for t := 0; t < n; t++ {
		i := t
		if random {
			hi, _ := bits.Mul64(src.Uint64(), uint64(n))
			i = int(hi)
		}
		k2 := k ^ 1<<uint(i)
		e2 := m.EnergyIndex(k2)
		old := s[i]
		up := uniform(src) < heatBathUp(beta, (e2-e)*float64(old))
		if up != (old > 0) {
			s[i] = -old
			k, e = k2, e2
			acc++
		}
	}
	c.E = e
	return acc
}
