package models

import (
	"fmt"
	"math"
	"math/big"
	"math/bits"
)

// IsingDOS is the exact density of states of the ferromagnetic Ising model
// H = −Σ_⟨ij⟩ s_i s_j on a periodic Rows×Cols square lattice: G[k] configurations
// have energy E[k]. Energies run from −2N to 2N in steps of 4 (N = Rows·Cols); levels
// that no configuration has (±(2N − 4)) have G = 0.
type IsingDOS struct {
	Rows, Cols int
	E          []int
	G          []*big.Int
}

// String describes the lattice and the number of levels.
func (d *IsingDOS) String() string {
	return fmt.Sprintf("exact Ising DOS %d×%d (%d levels)", d.Rows, d.Cols, len(d.E))
}

// LnG returns ln g(E) for every level (−Inf where g = 0).
func (d *IsingDOS) LnG() []float64 {
	out := make([]float64, len(d.G))
	for k, g := range d.G {
		out[k] = bigLog(g)
	}
	return out
}

// bigLog returns ln x of a non-negative big integer (−Inf for 0).
func bigLog(x *big.Int) float64 {
	if x.Sign() == 0 {
		return math.Inf(-1)
	}
	f, _ := new(big.Float).SetInt(x).Float64()
	if !math.IsInf(f, 0) {
		return math.Log(f)
	}
	sh := x.BitLen() - 60
	f, _ = new(big.Float).SetInt(new(big.Int).Rsh(x, uint(sh))).Float64()
	return math.Log(f) + float64(sh)*math.Ln2
}

// ExactIsingDOS returns the exact density of states of the Ising ferromagnet on the
// periodic rows×cols lattice (both sides even, at least 2; for a side of 2 the lattice
// has both bonds between neighbours, as [Square](2) has) by Beale's method (Phys. Rev.
// Lett. 76, 78 (1996)): Kaufman's partition function is a polynomial in x = e^{−2K},
//
//	Z e^{−2NK} = Σ_u g_u x^u   (u = number of unsatisfied bonds, E = −2N + 2u),
//
// whose coefficients are the g(E). Kaufman's four products over γ_l (see [Kaufman]) pair
// l with 2n − l into 2 ± 2T_m(cosh γ_l), polynomials (Chebyshev T_m) in
// cosh γ_l = A − cos(πl/n), A = (1+x²)²/(2x(1−x²)); the products over the cosines are
// norms over the roots of the Chebyshev polynomials T_{n/2} (odd l) and U_{n/2−1} (even
// l), computed as resultants; the unpaired l = 0 and l = n factors are rational in x
// (e^{γ₀} = (1−x)/(x(1+x)), e^{γ_n} = (1+x)/(x(1−x))). Everything is exact modular
// arithmetic: the polynomial is evaluated modulo several primes near 2⁶¹ at N + 1
// integer points, interpolated, and the coefficients are recovered by the Chinese
// remainder theorem. The result is checked: the g sum to 2^N, and a further point is
// evaluated against the interpolant. L = 16 takes well under a second.
//
// It returns an error for odd or too small sides, or more than 4096 sites.
func ExactIsingDOS(rows, cols int) (*IsingDOS, error) {
	if rows < 2 || cols < 2 || rows%2 != 0 || cols%2 != 0 {
		return nil, fmt.Errorf("exact Ising DOS needs even sides ≥ 2, have %d×%d", rows, cols)
	}
	n := rows * cols
	if n > 4096 {
		return nil, fmt.Errorf("exact Ising DOS of %d×%d: at most 4096 sites", rows, cols)
	}
	// Coefficients are at most 2^N: primes whose product exceeds 2^{N+64}.
	nprimes := (n+64)/60 + 1
	primes := dosPrimes(nprimes)
	res := make([][]uint64, nprimes) // res[i][k] = g_{2k} mod primes[i]
	for i, p := range primes {
		res[i] = isingDOSMod(rows, cols, p)
	}
	// Chinese remainder theorem, coefficient by coefficient (Garner's mixed radix).
	d := &IsingDOS{Rows: rows, Cols: cols}
	total := new(big.Int)
	for k := 0; k <= n; k++ {
		x := new(big.Int)
		mod := big.NewInt(1)
		for i, p := range primes {
			bp := new(big.Int).SetUint64(p)
			// x ≡ res[i][k] (mod p): x += mod·t with t = (r − x)·mod⁻¹ mod p.
			r := new(big.Int).SetUint64(res[i][k])
			t := new(big.Int).Sub(r, x)
			t.Mod(t, bp)
			inv := new(big.Int).ModInverse(new(big.Int).Mod(mod, bp), bp)
			t.Mul(t, inv).Mod(t, bp)
			x.Add(x, t.Mul(t, mod))
			mod.Mul(mod, bp)
		}
		d.E = append(d.E, -2*n+4*k)
		d.G = append(d.G, x)
		total.Add(total, x)
	}
	if want := new(big.Int).Lsh(big.NewInt(1), uint(n)); total.Cmp(want) != 0 {
		return nil, fmt.Errorf("exact Ising DOS %d×%d: the g(E) sum to %v, not 2^%d (internal error)", rows, cols, total, n)
	}
	return d, nil
}

// dosPrimes returns k primes just below 2⁶¹, largest first.
func dosPrimes(k int) []uint64 {
	var out []uint64
	for c := uint64(1)<<61 - 1; len(out) < k; c -= 2 {
		if new(big.Int).SetUint64(c).ProbablyPrime(20) {
			out = append(out, c)
		}
	}
	return out
}

// fp is arithmetic modulo a prime p < 2⁶³.
type fp uint64

func (p fp) mul(a, b uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	return bits.Rem64(hi, lo, uint64(p))
}
func (p fp) add(a, b uint64) uint64 {
	s := a + b
	if s >= uint64(p) {
		s -= uint64(p)
	}
	return s
}
func (p fp) sub(a, b uint64) uint64 {
	if a >= b {
		return a - b
	}
	return a + uint64(p) - b
}
func (p fp) pow(a uint64, e uint64) uint64 {
	r := uint64(1)
	for ; e > 0; e >>= 1 {
		if e&1 == 1 {
			r = p.mul(r, a)
		}
		a = p.mul(a, a)
	}
	return r
}
func (p fp) inv(a uint64) uint64 {
	if a%uint64(p) == 0 {
		panic("models: ExactIsingDOS: division by zero modulo a prime")
	}
	return p.pow(a, uint64(p)-2)
}
func (p fp) of(x int64) uint64 {
	m := x % int64(p)
	if m < 0 {
		m += int64(p)
	}
	return uint64(m)
}

// poly is a polynomial over GF(p), coefficient k of w^k at index k, trimmed.
type poly []uint64

func trim(a poly) poly {
	for len(a) > 0 && a[len(a)-1] == 0 {
		a = a[:len(a)-1]
	}
	return a
}

// polyMod returns a mod f for monic f.
func (p fp) polyMod(a, f poly) poly {
	a = append(poly(nil), a...)
	df := len(f) - 1
	for len(a)-1 >= df && len(a) > 0 {
		c := a[len(a)-1]
		sh := len(a) - 1 - df
		for k := 0; k <= df; k++ {
			a[sh+k] = p.sub(a[sh+k], p.mul(c, f[k]))
		}
		a = trim(a[:len(a)-1])
	}
	return trim(a)
}

// norm returns Π_{f(α)=0} g(α) for monic f (a resultant), by Euclid's algorithm.
func (p fp) norm(f, g poly) uint64 {
	g = p.polyMod(g, f)
	a := len(f) - 1
	if a == 0 {
		return 1
	}
	if len(g) == 0 {
		return 0
	}
	d := len(g) - 1
	lc := g[d]
	r := p.pow(lc, uint64(a))
	if d == 0 {
		return r
	}
	il := p.inv(lc)
	mon := make(poly, len(g))
	for k := range g {
		mon[k] = p.mul(g[k], il)
	}
	r = p.mul(r, p.norm(mon, f))
	if (a*d)%2 == 1 {
		r = p.sub(0, r)
	}
	return r
}

// chebyshev returns the monic versions of T_q and U_{q−1} over GF(p).
func (p fp) chebyshev(q int) (t, u poly) {
	// T_0 = 1, T_1 = w, T_{k+1} = 2w T_k − T_{k−1}; U_0 = 1, U_1 = 2w, same recursion.
	next := func(a, b poly) poly { // 2w·b − a
		out := make(poly, len(b)+1)
		for k, c := range b {
			out[k+1] = p.add(out[k+1], p.mul(2, c))
		}
		for k, c := range a {
			out[k] = p.sub(out[k], c)
		}
		return trim(out)
	}
	t0, t1 := poly{1}, poly{0, 1}
	for k := 1; k < q; k++ {
		t0, t1 = t1, next(t0, t1)
	}
	t = t1
	if q == 0 {
		t = t0
	}
	u0, u1 := poly{1}, poly{0, 2}
	for k := 1; k < q-1; k++ {
		u0, u1 = u1, next(u0, u1)
	}
	u = u1
	if q-1 == 0 {
		u = u0
	}
	monic := func(a poly) poly {
		il := p.inv(a[len(a)-1])
		out := make(poly, len(a))
		for k := range a {
			out[k] = p.mul(a[k], il)
		}
		return out
	}
	return monic(t), monic(u)
}

// isingDOSMod returns g_{2k} mod p, k = 0…N, for the m×n torus.
func isingDOSMod(m, n int, prime uint64) []uint64 {
	p := fp(prime)
	nsite := m * n
	q := n / 2
	tq, uq := p.chebyshev(q)
	h := uint64(m / 2)
	// P(x) = Z x^N at an integer x.
	eval := func(xi int64) uint64 {
		x := p.of(xi)
		x2 := p.mul(x, x)
		one := uint64(1)
		a := p.mul(p.mul(p.add(one, x2), p.add(one, x2)), p.inv(p.mul(p.mul(2, x), p.sub(one, x2))))
		// Chebyshev T_m(A − w) as a polynomial in w.
		c := poly{a, p.sub(0, 1)} // A − w
		t0, t1 := poly{1}, c
		for k := 1; k < m; k++ {
			nx := make(poly, len(t1)+1)
			for i, v := range t1 { // 2(A − w)·t1
				nx[i] = p.add(nx[i], p.mul(p.mul(2, a), v))
				nx[i+1] = p.sub(nx[i+1], p.mul(2, v))
			}
			for i, v := range t0 {
				nx[i] = p.sub(nx[i], v)
			}
			t0, t1 = t1, trim(nx)
		}
		tm := t1
		if m == 1 {
			tm = c
		}
		plus := append(poly(nil), tm...) // 2 + 2T_m
		minus := append(poly(nil), tm...)
		for i := range plus {
			plus[i] = p.mul(2, plus[i])
			minus[i] = plus[i]
		}
		plus[0] = p.add(plus[0], 2)
		minus[0] = p.sub(minus[0], 2)
		plus, minus = trim(plus), trim(minus)
		z1 := p.norm(tq, plus)
		z2 := p.norm(tq, minus)
		z3 := p.norm(uq, plus)
		z4 := p.norm(uq, minus)
		e0 := p.mul(p.sub(one, x), p.inv(p.mul(x, p.add(one, x)))) // e^{γ0}
		en := p.mul(p.add(one, x), p.inv(p.mul(x, p.sub(one, x)))) // e^{γn}
		e0h, enh := p.pow(e0, h), p.pow(en, h)
		e0m, enm := p.inv(e0h), p.inv(enh)
		z3 = p.mul(z3, p.mul(p.add(e0h, e0m), p.add(enh, enm)))
		z4 = p.mul(z4, p.mul(p.sub(e0h, e0m), p.sub(enh, enm)))
		sum := p.add(p.add(z1, z2), p.add(z3, z4))
		pre := p.pow(p.mul(p.sub(one, x2), p.inv(x)), uint64(nsite/2))
		v := p.mul(p.mul(p.inv(2), pre), sum)
		return p.mul(v, p.pow(x, uint64(nsite)))
	}
	// Q(y) = P(x), y = x², of degree N: N + 1 nodes x = 2, 3, …, N + 2.
	ys := make([]uint64, nsite+1)
	vs := make([]uint64, nsite+1)
	for j := range ys {
		xi := int64(j + 2)
		ys[j] = p.mul(p.of(xi), p.of(xi))
		vs[j] = eval(xi)
	}
	// Newton divided differences, then the monomial coefficients.
	dd := append([]uint64(nil), vs...)
	for lvl := 1; lvl <= nsite; lvl++ {
		for j := nsite; j >= lvl; j-- {
			dd[j] = p.mul(p.sub(dd[j], dd[j-1]), p.inv(p.sub(ys[j], ys[j-lvl])))
		}
	}
	coef := make([]uint64, nsite+1)
	for j := nsite; j >= 0; j-- { // coef = coef·(y − ys[j]) + dd[j]
		for k := nsite; k >= 1; k-- {
			coef[k] = p.sub(coef[k-1], p.mul(coef[k], ys[j]))
		}
		coef[0] = p.sub(p.add(dd[j], 0), p.mul(coef[0], ys[j]))
	}
	// Check the interpolant (and so the evenness of P) at one more point.
	xi := int64(nsite + 5)
	y := p.mul(p.of(xi), p.of(xi))
	var qv uint64
	for k := nsite; k >= 0; k-- {
		qv = p.add(p.mul(qv, y), coef[k])
	}
	if qv != eval(xi) {
		panic(fmt.Sprintf("models: ExactIsingDOS %d×%d: interpolation check failed modulo %d", m, n, prime))
	}
	return coef
}
