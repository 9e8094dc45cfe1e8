package landscape

import (
	"math"

	"github.com/deepglass/deepglass/models"
)

// Quencher runs steepest-descent quenches of one model, keeping scratch space between
// calls: it is for one goroutine at a time.
type Quencher struct {
	Model models.Model
	h     []float64 // local fields (pairwise and p-spin models)
	de    []float64 // ΔE of every flip (other models)
}

// NewQuencher returns a quencher for m.
func NewQuencher(m models.Model) *Quencher {
	if m == nil {
		panic("landscape: NewQuencher with nil model")
	}
	return &Quencher{Model: m}
}

// Quench moves s to a single-flip local minimum by steepest descent: while some flip
// lowers the energy, it flips the spin whose flip lowers it most (the lowest site among
// equal ones). It returns the number of flips and the energy change. Pairwise and
// p-spin models keep local fields (O(N) per flip for dense couplings); other models
// recompute every ΔE after each flip. Flips that lower the energy by less than 1e-12
// of the largest |ΔE| at the start count as level (round-off).
func (q *Quencher) Quench(s []int8) (flips int, de float64) {
	n := q.Model.N()
	if len(s) != n {
		panic("landscape: Quench spin length mismatch")
	}
	switch m := q.Model.(type) {
	case *models.Dense:
		q.h = grow(q.h, n)
		for i := range s {
			q.h[i] = m.LocalField(s, i)
		}
		return q.descend(s, func(i int) {
			row := m.J[i*n : i*n+n]
			d := 2 * float64(s[i]) // s[i] after the flip
			for j, w := range row {
				q.h[j] += w * d
			}
		})
	case *models.Sparse:
		q.h = grow(q.h, n)
		for i := range s {
			q.h[i] = m.LocalField(s, i)
		}
		return q.descend(s, func(i int) {
			d := 2 * float64(s[i])
			for k := m.Start[i]; k < m.Start[i+1]; k++ {
				q.h[m.Nbr[k]] += m.J[k] * d
			}
		})
	case *models.PSpin:
		q.h = m.LocalFields(grow(q.h, n), s)
		return q.descendPSpin(m, s)
	}
	return q.descendAny(s)
}

func grow(x []float64, n int) []float64 {
	if cap(x) < n {
		return make([]float64, n)
	}
	return x[:n]
}

// tolerance returns the round-off threshold for the fields h and spins s.
func tolerance(h []float64) float64 {
	var m float64
	for _, x := range h {
		m = math.Max(m, math.Abs(x))
	}
	return 1e-12 * math.Max(2*m, 1e-300)
}

// descend runs steepest descent with ΔE_i = 2 s_i h_i; update(i) is called after s_i
// has flipped, to update the fields.
func (q *Quencher) descend(s []int8, update func(i int)) (flips int, de float64) {
	tol := tolerance(q.h)
	for {
		best, bestD := -1, -tol
		for i, v := range s {
			if d := 2 * float64(v) * q.h[i]; d < bestD {
				best, bestD = i, d
			}
		}
		if best < 0 {
			return flips, de
		}
		s[best] = -s[best]
		update(best)
		flips++
		de += bestD
	}
}

func (q *Quencher) descendPSpin(m *models.PSpin, s []int8) (flips int, de float64) {
	tol := tolerance(q.h)
	for {
		best, bestD := -1, -tol
		for i, v := range s {
			if d := 2 * float64(v) * q.h[i]; d < bestD {
				best, bestD = i, d
			}
		}
		if best < 0 {
			return flips, de
		}
		de += m.Flip(q.h, s, best)
		flips++
	}
}

func (q *Quencher) descendAny(s []int8) (flips int, de float64) {
	m := q.Model
	q.de = grow(q.de, len(s))
	for i := range s {
		q.de[i] = m.DeltaE(s, i)
	}
	tol := 1e-12 * math.Max(math.Abs(m.Energy(s)), 1)
	for {
		best, bestD := -1, -tol
		for i, d := range q.de {
			if d < bestD {
				best, bestD = i, d
			}
		}
		if best < 0 {
			return flips, de
		}
		s[best] = -s[best]
		flips++
		de += bestD
		for i := range s {
			q.de[i] = m.DeltaE(s, i)
		}
	}
}
