package mi

import (
	"context"
	"errors"
	"fmt"
)

// Lattice2D returns the spin–spin mutual information I(r) (bits) of ±1 configurations
// of an l×l periodic square lattice (site x + l·y, as models.Square numbers them), for
// pairs r sites apart along either lattice axis, pooled over all sites, both axes and
// all configurations. Distances default to 1…l/2 (Options.Distances, or DMax to cut
// them); jackknife blocks are runs of consecutive configurations (at most one block
// per configuration). A spin other than ±1 or a configuration of the wrong length is
// an error naming it.
func Lattice2D(ctx context.Context, configs [][]int8, l int, o Options) (*Result, error) {
	if l < 2 {
		return nil, fmt.Errorf("mi: lattice side %d < 2", l)
	}
	if o.Distances == nil {
		dmax := l / 2
		if o.DMax > 0 {
			dmax = min(dmax, o.DMax)
		}
		o.Distances = make([]int, dmax)
		for i := range o.Distances {
			o.Distances[i] = i + 1
		}
	}
	if o.Blocks == 0 {
		o.Blocks = max(2, min(DefaultBlocks, len(configs)))
	}
	if err := o.validate(); err != nil {
		return nil, err
	}
	if len(configs) < o.Blocks {
		return nil, fmt.Errorf("mi: %d configurations for %d blocks", len(configs), o.Blocks)
	}
	n := l * l
	for c, s := range configs {
		if len(s) != n {
			return nil, fmt.Errorf("mi: configuration %d has %d spins, want %d", c, len(s), n)
		}
		for i, v := range s {
			if v != 1 && v != -1 {
				return nil, fmt.Errorf("mi: configuration %d, site %d: spin %d is not ±1", c, i, v)
			}
		}
	}
	ds := o.Distances
	if ds[len(ds)-1] >= l {
		return nil, fmt.Errorf("mi: distance %d ≥ lattice side %d", ds[len(ds)-1], l)
	}
	g := o.Blocks
	// Per block and distance: pairs P, Σ s over first (= second) positions, Σ s s'.
	type sums struct{ m, c int64 }
	acc := make([][]sums, len(ds))
	for i := range acc {
		acc[i] = make([]sums, g)
	}
	for c, s := range configs {
		if c%16 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		b := c * g / len(configs)
		var m int64
		for _, v := range s {
			m += int64(v)
		}
		for i, r := range ds {
			acc[i][b].m += m
			acc[i][b].c += axisCorr(s, l, r)
		}
	}
	a := newAccumulator(2, g, o.Method)
	res := newResult(o.Method, 2, ds, g)
	per := int64(2 * n) // pairs per configuration: n per axis
	for i := range ds {
		a.reset()
		for b := range g {
			cnt := int64(0)
			for c := range configs {
				if c*g/len(configs) == b {
					cnt++
				}
			}
			p := cnt * per
			m2, cc := 2*acc[i][b].m, acc[i][b].c // Σ s over first positions of both axes
			// With s, s' = ±1: n_{s s'} = (P + s Σs + s' Σs' + s s' Σ s s')/4.
			npp := (p + m2 + m2 + cc) / 4
			nmm := (p - m2 - m2 + cc) / 4
			npm := (p - cc) / 4
			a.addCell(1, 1, b, npp)
			a.addCell(0, 0, b, nmm)
			a.addCell(1, 0, b, npm)
			a.addCell(0, 1, b, npm)
		}
		if err := a.finish(res, i); err != nil {
			return nil, fmt.Errorf("mi: r = %d: %w", ds[i], err)
		}
	}
	if res.Pairs[0] == 0 {
		return nil, errors.New("mi: no pairs")
	}
	return res, nil
}

// axisCorr returns Σ_i s_i (s_{i+r x̂} + s_{i+r ŷ}) on the periodic l×l lattice.
func axisCorr(s []int8, l, r int) int64 {
	var c int64
	for y := range l {
		row := s[y*l : (y+1)*l]
		down := s[((y+r)%l)*l : ((y+r)%l+1)*l]
		var acc int64
		for x := range l {
			xr := x + r
			if xr >= l {
				xr -= l
			}
			acc += int64(row[x] * (row[xr] + down[x]))
		}
		c += acc
	}
	return c
}
