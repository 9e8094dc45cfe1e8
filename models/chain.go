package models

import (
	"errors"
	"fmt"
	"math"
)

// ChainTransfer returns the exact energy moments of a periodic chain (a ring of N
// sites, site i coupled to i+1 mod N, any couplings and fields: the Ising or
// Edwards–Anderson model on chain:L) at each inverse temperature, by the 2×2 transfer
// matrix: with T_i(s, s') = exp(β(J_i s s' + h_i s)), Z = Tr Π_i T_i. ⟨E⟩ = −∂ln Z/∂β
// and ⟨E²⟩ = Z⁻¹ ∂²Z/∂β² come from carrying the first and second β-derivatives
// through the matrix product (forward-mode differentiation), rescaled at every site so
// that no length overflows. The magnetization moments of the returned Thermo are
// not computed (NaN). On chain:2 the two bonds between the sites both enter, as in
// the model.
//
// For the ferromagnet without field, Z = (2 cosh βJ)^N + (2 sinh βJ)^N and
// e → −J tanh βJ per spin as N → ∞ (Baxter, Exactly Solved Models, ch. 2).
func ChainTransfer(p *Sparse, betas []float64) ([]Thermo, error) {
	n := p.N()
	if n < 2 {
		return nil, errors.New("models: ChainTransfer needs at least 2 sites")
	}
	// J[i] couples i and i+1 mod n: every site must have exactly those neighbours.
	J := make([]float64, n)
	for i := range n {
		if p.Degree(i) != 2 {
			return nil, fmt.Errorf("models: ChainTransfer: site %d has %d neighbours, not a ring", i, p.Degree(i))
		}
		next := (i + 1) % n
		found := false
		for k := p.Start[i]; k < p.Start[i+1]; k++ {
			if int(p.Nbr[k]) == next {
				J[i] += p.J[k]
				found = true
				if n == 2 { // both bonds of chain:2 join 0 and 1; count each once here
					break
				}
			}
		}
		if !found {
			return nil, fmt.Errorf("models: ChainTransfer: site %d is not coupled to site %d, not a ring", i, next)
		}
	}
	if n == 2 {
		// Sites 0 and 1 share two bonds: T_0 carries one, T_1 the other.
		var js []float64
		for k := p.Start[0]; k < p.Start[1]; k++ {
			js = append(js, p.J[k])
		}
		J[0], J[1] = js[0], js[1]
	}
	out := make([]Thermo, len(betas))
	for b, beta := range betas {
		out[b] = chainThermo(J, p.H, beta)
	}
	return out, nil
}

// d2 is a number with its first and second derivative with respect to β.
type d2 struct{ v, d, dd float64 }

func (a d2) mul(b d2) d2 {
	return d2{a.v * b.v, a.d*b.v + a.v*b.d, a.dd*b.v + 2*a.d*b.d + a.v*b.dd}
}

func (a d2) add(b d2) d2 { return d2{a.v + b.v, a.d + b.d, a.dd + b.dd} }

// expd returns exp(βx) with its β-derivatives.
func expd(beta, x float64) d2 {
	e := math.Exp(beta * x)
	return d2{e, x * e, x * x * e}
}

func chainThermo(J, h []float64, beta float64) Thermo {
	n := len(J)
	spin := [2]float64{1, -1}
	// M = Π T_i, kept as M = exp(logScale) · m.
	var m [2][2]d2
	m[0][0], m[1][1] = d2{v: 1}, d2{v: 1}
	logScale := 0.0
	for i := range n {
		var t [2][2]d2
		for a := range 2 {
			for b := range 2 {
				t[a][b] = expd(beta, J[i]*spin[a]*spin[b]+h[i]*spin[a])
			}
		}
		var r [2][2]d2
		for a := range 2 {
			for b := range 2 {
				r[a][b] = m[a][0].mul(t[0][b]).add(m[a][1].mul(t[1][b]))
			}
		}
		// Rescale by the largest value (a constant in β: derivatives scale alike).
		big := 0.0
		for a := range 2 {
			for b := range 2 {
				big = max(big, math.Abs(r[a][b].v))
			}
		}
		for a := range 2 {
			for b := range 2 {
				r[a][b] = d2{r[a][b].v / big, r[a][b].d / big, r[a][b].dd / big}
			}
		}
		logScale += math.Log(big)
		m = r
	}
	z := m[0][0].add(m[1][1])
	e := -z.d / z.v
	e2 := z.dd / z.v
	nan := math.NaN()
	return Thermo{Beta: beta, LnZ: logScale + math.Log(z.v), N: n, E: e, E2: e2, M: nan, AbsM: nan, M2: nan, M4: nan}
}
