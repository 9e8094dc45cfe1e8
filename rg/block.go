package rg

import (
	"fmt"
	"math/rand/v2"

	"github.com/deepglass/deepglass/models"
)

// Rule is how a block of spins becomes one block spin.
type Rule int

const (
	// Majority sets the block spin to the sign of the sum of the block's spins, and
	// to ±1 with probability 1/2 each when the sum is zero (possible when b is even).
	Majority Rule = iota
	// Decimation keeps the spin at the block's first site (bX, bY, bZ).
	Decimation
)

// String returns "majority" or "decimation", the names ParseRule reads.
func (r Rule) String() string {
	switch r {
	case Majority:
		return "majority"
	case Decimation:
		return "decimation"
	}
	return fmt.Sprintf("rule(%d)", int(r))
}

// ParseRule reads "majority" or "decimation".
func ParseRule(s string) (Rule, error) {
	switch s {
	case "majority":
		return Majority, nil
	case "decimation":
		return Decimation, nil
	}
	return 0, fmt.Errorf("rule %q: want majority or decimation", s)
}

// MarshalText writes the rule's name, so that settings record it in JSON.
func (r Rule) MarshalText() ([]byte, error) {
	if r != Majority && r != Decimation {
		return nil, fmt.Errorf("rg: unknown %v", r)
	}
	return []byte(r.String()), nil
}

// UnmarshalText reads a name that ParseRule accepts.
func (r *Rule) UnmarshalText(b []byte) error {
	v, err := ParseRule(string(b))
	if err != nil {
		return err
	}
	*r = v
	return nil
}

// BlockSpin is one block-spin transformation from the periodic lattice Fine to the
// lattice of side Fine.L/B: each block of B^Dim sites becomes one site.
type BlockSpin struct {
	Fine models.Lattice
	B    int
	Rule Rule
}

// NewBlockSpin returns the transformation with block side b of the lattice fine by
// rule. It returns an error if the lattice is invalid, b < 2, b does not divide the
// side, the coarse side would be below 2 or the rule is unknown.
func NewBlockSpin(fine models.Lattice, b int, rule Rule) (BlockSpin, error) {
	t := BlockSpin{Fine: fine, B: b, Rule: rule}
	if err := t.validate(); err != nil {
		return BlockSpin{}, err
	}
	return t, nil
}

func (t BlockSpin) validate() error {
	if err := t.Fine.Validate(); err != nil {
		return fmt.Errorf("block spin: lattice %v: %w", t.Fine, err)
	}
	switch {
	case t.B < 2:
		return fmt.Errorf("block spin: block side %d < 2", t.B)
	case t.Fine.L%t.B != 0:
		return fmt.Errorf("block spin: block side %d does not divide the lattice side %d", t.B, t.Fine.L)
	case t.Fine.L/t.B < 2:
		return fmt.Errorf("block spin: coarse side %d/%d < 2", t.Fine.L, t.B)
	case t.Rule != Majority && t.Rule != Decimation:
		return fmt.Errorf("block spin: unknown %v", t.Rule)
	}
	return nil
}

// Coarse returns the blocked lattice, of side Fine.L/B.
func (t BlockSpin) Coarse() models.Lattice {
	return models.Lattice{Dim: t.Fine.Dim, L: t.Fine.L / t.B}
}

// Ties reports whether the majority rule can meet a block with zero sum, which
// happens when B^Dim, the number of spins in a block, is even.
func (t BlockSpin) Ties() bool { return t.Rule == Majority && t.B%2 == 0 }

// String describes the transformation, e.g. "majority b=2 square:64 → square:32".
func (t BlockSpin) String() string {
	return fmt.Sprintf("%v b=%d %v → %v", t.Rule, t.B, t.Fine, t.Coarse())
}

// Apply writes the block spins of the fine configuration src to dst. Ties of the
// majority rule take the top bit of one src.Uint64() each, in the order of the coarse
// sites; rng may be nil when there can be no ties (see Ties). Apply allocates
// nothing. It panics if the lengths of dst or src are wrong, or if ties are possible
// and rng is nil.
func (t BlockSpin) Apply(dst, src []int8, rng *rand.PCG) {
	l, b := t.Fine.L, t.B
	lc := l / b
	if len(src) != t.Fine.N() || len(dst) != t.Coarse().N() || b < 2 || l%b != 0 {
		panic(fmt.Sprintf("rg: BlockSpin.Apply(%v) with %d fine and %d coarse spins", t, len(src), len(dst)))
	}
	if t.Ties() && rng == nil {
		panic("rg: BlockSpin.Apply: majority rule with even blocks needs a random stream for ties")
	}
	// Extents of the coarse lattice and of a block along y and z (1 below 2 or 3 dimensions).
	ny, nz, by, bz := 1, 1, 1, 1
	if t.Fine.Dim >= 2 {
		ny, by = lc, b
	}
	if t.Fine.Dim >= 3 {
		nz, bz = lc, b
	}
	sy, sz := l, l*l // strides of the fine lattice
	k := 0
	for cz := range nz {
		for cy := range ny {
			row := cy*b*sy + cz*b*sz
			if t.Rule == Decimation {
				for cx := range lc {
					dst[k] = src[row+cx*b]
					k++
				}
				continue
			}
			for cx := range lc {
				base := row + cx*b
				sum := 0
				for dz := range bz {
					for dy := range by {
						off := base + dy*sy + dz*sz
						for _, v := range src[off : off+b] {
							sum += int(v)
						}
					}
				}
				switch {
				case sum > 0:
					dst[k] = 1
				case sum < 0:
					dst[k] = -1
				default:
					dst[k] = int8(1 - 2*int(rng.Uint64()>>63))
				}
				k++
			}
		}
	}
}

// Pyramid applies the same block-spin rule level after level: level 0 is the
// configuration itself, level k its k-th blocking, of side L/b^k. It owns the buffers
// of the blocked configurations, so it must not be used by more than one goroutine at
// a time.
type Pyramid struct {
	// Steps[k] maps level k to level k+1.
	Steps []BlockSpin
	buf   [][]int8
}

// NewPyramid returns levels ≥ 1 successive blockings of side b of lattice l by rule.
// It returns an error if a level cannot be formed (b^levels must divide L and leave a
// side of at least 2).
func NewPyramid(l models.Lattice, b int, rule Rule, levels int) (*Pyramid, error) {
	if levels < 1 {
		return nil, fmt.Errorf("block spin: %d levels < 1", levels)
	}
	p := &Pyramid{buf: make([][]int8, levels+1)}
	fine := l
	for k := range levels {
		t, err := NewBlockSpin(fine, b, rule)
		if err != nil {
			return nil, fmt.Errorf("level %d: %w", k+1, err)
		}
		p.Steps = append(p.Steps, t)
		fine = t.Coarse()
		p.buf[k+1] = make([]int8, fine.N())
	}
	return p, nil
}

// Levels returns the number of blockings.
func (p *Pyramid) Levels() int { return len(p.Steps) }

// Lattice returns the lattice of level k, 0 ≤ k ≤ Levels().
func (p *Pyramid) Lattice(k int) models.Lattice {
	if k == 0 {
		return p.Steps[0].Fine
	}
	return p.Steps[k-1].Coarse()
}

// Apply blocks s level by level and returns the configurations of levels 0 (s
// itself) to Levels(). The blocked configurations live in buffers of p that the next
// call overwrites; Apply allocates nothing. Ties draw from rng as in
// [BlockSpin.Apply].
func (p *Pyramid) Apply(s []int8, rng *rand.PCG) [][]int8 {
	p.buf[0] = s
	for k, t := range p.Steps {
		t.Apply(p.buf[k+1], p.buf[k], rng)
	}
	return p.buf
}

// String describes the levels, e.g. "majority b=2: square:64 → square:32 → square:16".
func (p *Pyramid) String() string {
	if len(p.Steps) == 0 {
		return "empty pyramid"
	}
	s := fmt.Sprintf("%v b=%d: %v", p.Steps[0].Rule, p.Steps[0].B, p.Steps[0].Fine)
	for _, t := range p.Steps {
		s += fmt.Sprintf(" → %v", t.Coarse())
	}
	return s
}
