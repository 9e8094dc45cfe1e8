package models

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strings"
)

// GREM is Derrida's generalized random energy model (J. Physique Lett. 46, L401
// (1985); J. Phys. C 19, 2613 (1986)) with K levels. The N spins are split into K
// consecutive blocks of Spins[0], …, Spins[K−1] sites; a configuration is a path down a
// tree whose level k has α_k^N = 2^{Spins[k]} branches per node (α_k = 2^{Spins[k]/N}),
// and its energy is the sum over levels of independent Gaussians
//
//	E(s) = Σ_k ε_k(s_1 … s_{n_1+…+n_k}),   Var ε_k = Shares[k]·N J²/2,
//
// one per node of the tree: ε_k depends on the spins of blocks 1…k only. With
// Σ Shares = 1, every configuration has the REM's variance N J²/2, and two
// configurations that agree on the first k blocks have covariance
// (Shares[0]+…+Shares[k−1])·N J²/2. One level is the [REM]. Energies are derived from
// the instance seed by hashing, as for the REM, level by level; nothing of size 2^N is
// stored.
type GREM struct {
	n      int
	j      float64
	seed   uint64
	spins  []int
	shares []float64
	start  []int // first site of each level, and N
	keys   []uint64
	scales []float64
	masks  []uint64 // bits of the sites of levels 0…k
	level  []int    // level of each site
	// Name describes the model, e.g. "grem N=20 levels=10,10 shares=0.8,0.2".
	Name string
}

// NewGREM returns a GREM with the given spins per level and variance shares (each > 0,
// summing to 1 within 1e-9; they are rescaled to sum to 1 exactly) and coupling scale
// j, whose instance seed is one draw of rng. It panics on invalid arguments: at least
// one level, every level at least one spin, at most 64 spins in all.
func NewGREM(spins []int, shares []float64, j float64, rng *rand.Rand) *GREM {
	if rng == nil {
		panic("models: NewGREM with nil rng")
	}
	return NewGREMSeed(spins, shares, j, rng.Uint64())
}

// NewGREMSeed is [NewGREM] with an explicit instance seed.
func NewGREMSeed(spins []int, shares []float64, j float64, seed uint64) *GREM {
	if err := ValidateGREM(spins, shares); err != nil {
		panic("models: NewGREM: " + err.Error())
	}
	n := 0
	for _, k := range spins {
		n += k
	}
	checkREM("NewGREM", n, j)
	var total float64
	for _, a := range shares {
		total += a
	}
	g := &GREM{n: n, j: j, seed: seed, spins: append([]int(nil), spins...), shares: make([]float64, len(shares)),
		start: make([]int, len(spins)+1), level: make([]int, n)}
	var mask uint64
	for k := range spins {
		g.shares[k] = shares[k] / total
		g.start[k+1] = g.start[k] + spins[k]
		for i := g.start[k]; i < g.start[k+1]; i++ {
			mask |= 1 << uint(i)
			g.level[i] = k
		}
		g.masks = append(g.masks, mask)
		g.keys = append(g.keys, remKey(seed, uint64(k)))
		g.scales = append(g.scales, j*math.Sqrt(g.shares[k]*float64(n)/2))
	}
	g.Name = fmt.Sprintf("grem N=%d levels=%s shares=%s J=%g", n, joinInts(spins), joinFloats(g.shares), j)
	return g
}

// ValidateGREM reports whether spins and shares describe a GREM: the same number of
// levels (at least one), every level at least one spin and at most 64 in all, every
// share positive and finite, the shares summing to 1 within 1e-9.
func ValidateGREM(spins []int, shares []float64) error {
	if len(spins) == 0 {
		return fmt.Errorf("no levels")
	}
	if len(shares) != len(spins) {
		return fmt.Errorf("%d levels of spins but %d variance shares", len(spins), len(shares))
	}
	n := 0
	for k, s := range spins {
		if s < 1 {
			return fmt.Errorf("level %d has %d spins (want ≥ 1)", k+1, s)
		}
		n += s
	}
	if n > MaxIndexN {
		return fmt.Errorf("%d spins in all (at most %d)", n, MaxIndexN)
	}
	var total float64
	for k, a := range shares {
		if !(a > 0) || math.IsInf(a, 0) {
			return fmt.Errorf("level %d has variance share %v (want > 0)", k+1, a)
		}
		total += a
	}
	if math.Abs(total-1) > 1e-9 {
		return fmt.Errorf("variance shares sum to %v (want 1)", total)
	}
	return nil
}

func joinInts(x []int) string {
	s := make([]string, len(x))
	for i, v := range x {
		s[i] = fmt.Sprint(v)
	}
	return strings.Join(s, ",")
}

func joinFloats(x []float64) string {
	s := make([]string, len(x))
	for i, v := range x {
		s[i] = fmt.Sprintf("%.4g", v)
	}
	return strings.Join(s, ",")
}

// N returns the number of spins.
func (g *GREM) N() int { return g.n }

// Levels returns the number of levels K.
func (g *GREM) Levels() int { return len(g.spins) }

// Spins returns the number of spins of each level.
func (g *GREM) Spins() []int { return append([]int(nil), g.spins...) }

// Shares returns the variance share of each level (summing to 1).
func (g *GREM) Shares() []float64 { return append([]float64(nil), g.shares...) }

// Limit returns the N → ∞ thermodynamics of this GREM's tree ([GREMLimit]).
func (g *GREM) Limit() GREMLimit {
	l := GREMLimit{J: g.j}
	for k, s := range g.spins {
		l.LnAlpha = append(l.LnAlpha, float64(s)/float64(g.n)*math.Ln2)
		l.Shares = append(l.Shares, g.shares[k])
	}
	return l
}

// EnergyIndex returns the energy of the state of index k ([StateIndex]).
func (g *GREM) EnergyIndex(k uint64) float64 {
	var e float64
	for l, key := range g.keys {
		e += g.scales[l] * remNormal(key, k&g.masks[l])
	}
	return e
}

// Energy returns the total energy of s.
func (g *GREM) Energy(s []int8) float64 {
	if len(s) != g.n {
		panic("models: GREM.Energy spin length mismatch")
	}
	return g.EnergyIndex(StateIndex(s))
}

// DeltaE returns E(s with spin i flipped) − E(s): only the levels from the one of site
// i down change.
func (g *GREM) DeltaE(s []int8, i int) float64 {
	k := StateIndex(s)
	k2 := k ^ 1<<uint(i)
	var d float64
	for l := g.level[i]; l < len(g.keys); l++ {
		d += g.scales[l] * (remNormal(g.keys[l], k2&g.masks[l]) - remNormal(g.keys[l], k&g.masks[l]))
	}
	return d
}

// String describes the model.
func (g *GREM) String() string { return fmt.Sprintf("%s (N=%d, seed %#x)", g.Name, g.n, g.seed) }

// GREMLimit is the N → ∞ thermodynamics of a GREM (Derrida 1985; docs/references/
// funnels.md §1): level k has α_k^N branches per node (LnAlpha[k] = ln α_k, summing to
// ln 2 for Ising spins) and variance share Shares[k] (summing to 1), with coupling
// scale J.
//
// Levels freeze in groups: the groups are the pieces of the least concave majorant of
// the points (Σ_{l≤k} ln α_l, Σ_{l≤k} a_l), and a group of entropy ΔS and share ΔA
// freezes at T = (J/2)√(ΔA/ΔS). The group temperatures decrease down the tree. Above
// its temperature a group contributes −T ΔS − ΔA J²/(4T) to f, below it −J√(ΔA ΔS).
// With two levels and a₁/ln α₁ > a₂/ln α₂ there are two transitions; otherwise the
// levels freeze together at the REM's T_c.
type GREMLimit struct {
	LnAlpha, Shares []float64
	J               float64
}

// gremGroup is one group of levels that freeze together.
type gremGroup struct{ dS, dA float64 }

// groups returns the freezing groups, top of the tree first.
func (l GREMLimit) groups() []gremGroup {
	if len(l.LnAlpha) != len(l.Shares) || len(l.Shares) == 0 {
		panic("models: GREMLimit needs as many shares as levels, at least one")
	}
	// Upper concave hull of the cumulative points, starting at (0, 0).
	type pt struct{ s, a float64 }
	pts := []pt{{0, 0}}
	var cs, ca float64
	for k := range l.LnAlpha {
		cs += l.LnAlpha[k]
		ca += l.Shares[k]
		pts = append(pts, pt{cs, ca})
	}
	hull := []pt{pts[0]}
	for _, p := range pts[1:] {
		for len(hull) >= 2 {
			a, b := hull[len(hull)-2], hull[len(hull)-1]
			// Drop b if it lies on or below the chord from a to p (slopes non-increasing).
			if (b.a-a.a)*(p.s-a.s) <= (p.a-a.a)*(b.s-a.s) {
				hull = hull[:len(hull)-1]
				continue
			}
			break
		}
		hull = append(hull, p)
	}
	var out []gremGroup
	for k := 1; k < len(hull); k++ {
		out = append(out, gremGroup{hull[k].s - hull[k-1].s, hull[k].a - hull[k-1].a})
	}
	return out
}

// FreezingTemperatures returns the temperatures at which the groups of levels freeze,
// highest first (one for a REM-like tree, K for a tree whose levels all freeze apart).
func (l GREMLimit) FreezingTemperatures() []float64 {
	var ts []float64
	for _, g := range l.groups() {
		ts = append(ts, l.J/2*math.Sqrt(g.dA/g.dS))
	}
	sort.Sort(sort.Reverse(sort.Float64Slice(ts)))
	return ts
}

// FreeEnergy returns the free energy per spin at temperature t.
func (l GREMLimit) FreeEnergy(t float64) float64 {
	var f float64
	for _, g := range l.groups() {
		if tg := l.J / 2 * math.Sqrt(g.dA/g.dS); t > tg {
			f += -t*g.dS - g.dA*l.J*l.J/(4*t)
		} else {
			f += -l.J * math.Sqrt(g.dA*g.dS)
		}
	}
	return f
}

// Energy returns the energy per spin at temperature t.
func (l GREMLimit) Energy(t float64) float64 {
	var e float64
	for _, g := range l.groups() {
		if tg := l.J / 2 * math.Sqrt(g.dA/g.dS); t > tg {
			e += -g.dA * l.J * l.J / (2 * t)
		} else {
			e += -l.J * math.Sqrt(g.dA*g.dS)
		}
	}
	return e
}

// GroundState returns the ground-state energy per spin −J Σ_groups √(ΔA ΔS).
func (l GREMLimit) GroundState() float64 { return l.Energy(0) }

// String describes the tree and its freezing temperatures.
func (l GREMLimit) String() string {
	return fmt.Sprintf("GREM limit ln α=%s shares=%s J=%g: freezing at T=%s, e0=%.6g",
		joinFloats(l.LnAlpha), joinFloats(l.Shares), l.J, joinFloats(l.FreezingTemperatures()), l.GroundState())
}
