package models

import (
	"fmt"
	"math"
)

// NewCurieWeiss returns the Curie–Weiss (infinite-range) ferromagnet of n spins,
//
//	H = −(J/N) Σ_{i<j} s_i s_j − h Σ_i s_i,
//
// as a [Dense] model: every pair coupled by J/N, so that the energy is extensive and
// the model orders below T_c = J (mean-field theory is exact for it as N → ∞). It
// panics unless n ≥ 2 and j, h are finite.
func NewCurieWeiss(n int, j, h float64) *Dense {
	if n < 2 || math.IsNaN(j) || math.IsInf(j, 0) || math.IsNaN(h) || math.IsInf(h, 0) {
		panic(fmt.Sprintf("models: NewCurieWeiss(%d, %v, %v) needs n ≥ 2 and finite J, h", n, j, h))
	}
	c := make([]float64, n*n)
	for a := range n {
		for b := range n {
			if a != b {
				c[a*n+b] = j / float64(n)
			}
		}
	}
	var field []float64
	if h != 0 {
		field = make([]float64, n)
		for i := range field {
			field[i] = h
		}
	}
	d := NewDense(n, c, field)
	d.Name = fmt.Sprintf("curieweiss N=%d J=%g h=%g", n, j, h)
	return d
}

// CurieWeissExact returns the exact thermal averages of the Curie–Weiss model of n
// spins at inverse temperature beta for any n: the energy depends on the state only
// through M = Σ s_i, E(M) = −(J/2N)(M² − N) − hM, so
//
//	Z = Σ_{k=0}^{N} C(N, k) e^{−βE(N − 2k)},
//
// a sum of N + 1 terms (taken with log-sum-exp and ln C(N, k) from lgamma). It is the
// oracle of the model at sizes enumeration cannot reach.
func CurieWeissExact(n int, j, h, beta float64) Thermo {
	nf := float64(n)
	lw := make([]float64, n+1)
	maxw := math.Inf(-1)
	for k := 0; k <= n; k++ {
		m := nf - 2*float64(k)
		e := -(j/(2*nf))*(m*m-nf) - h*m
		lg1, _ := math.Lgamma(nf + 1)
		lg2, _ := math.Lgamma(float64(k) + 1)
		lg3, _ := math.Lgamma(nf - float64(k) + 1)
		lw[k] = lg1 - lg2 - lg3 - beta*e
		maxw = max(maxw, lw[k])
	}
	t := Thermo{Beta: beta, N: n}
	var z float64
	for k := 0; k <= n; k++ {
		w := math.Exp(lw[k] - maxw)
		m := nf - 2*float64(k)
		e := -(j/(2*nf))*(m*m-nf) - h*m
		mm := m / nf
		z += w
		t.E += w * e
		t.E2 += w * e * e
		t.M += w * mm
		t.AbsM += w * math.Abs(mm)
		t.M2 += w * mm * mm
		t.M4 += w * mm * mm * mm * mm
	}
	t.E, t.E2, t.M, t.AbsM, t.M2, t.M4 = t.E/z, t.E2/z, t.M/z, t.AbsM/z, t.M2/z, t.M4/z
	t.LnZ = maxw + math.Log(z)
	return t
}
