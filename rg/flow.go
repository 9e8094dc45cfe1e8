package rg

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/deepglass/deepglass/analysis"
	"github.com/deepglass/deepglass/models"
)

// BlockFlow follows the ferromagnetic Ising model under repeated block-spin
// transformations: at each inverse temperature it samples configurations with a
// cluster sampler, blocks them level by level and measures, on every level, the
// Binder cumulant U₄ = 1 − ⟨m⁴⟩/(3⟨m²⟩²) of the block spins, their mean |m| and their
// nearest-neighbour energy per spin e = −⟨Σ_⟨ij⟩ s_i s_j⟩/N_level (J = 1; a measure
// of short-range order, not the energy of the unknown blocked Hamiltonian). At T_c
// the flow stays near the fixed point (U₄ ≈ U*, 0.61069 on the periodic square:
// docs/references/ising2d.md §6); below T_c it runs to order (U₄ → 2/3, |m| → 1, e → −Dim), above
// to disorder (U₄ → 0, e → 0).
//
// The zero value of a field means its default (see Defaults).
type BlockFlow struct {
	// Lattice is the periodic lattice sampled (chain, square or cubic).
	Lattice models.Lattice `json:"lattice"`
	// Betas are the inverse temperatures.
	Betas []float64 `json:"betas"`
	// B is the block side (default 2), Rule the rule (default Majority), Levels the
	// number of blockings (default: as many as leave a side ≥ 2).
	B      int  `json:"b"`
	Rule   Rule `json:"rule"`
	Levels int  `json:"levels"`
	// Sampler is "wolff" (default) or "sw".
	Sampler string `json:"sampler"`
	// Therm, Measurements, Chains, Blocks and Seed are as in [MCRG]: Measurements per
	// temperature (default 10⁴), shared out over Chains chains (default 2).
	Therm        int    `json:"therm"`
	Measurements int    `json:"measurements"`
	Chains       int    `json:"chains"`
	Threads      int    `json:"-"`
	Blocks       int    `json:"blocks"`
	Seed         uint64 `json:"seed"`
	// Progress, if not nil, is called with the measurements done over all
	// temperatures; it may be called from several goroutines, one at a time.
	Progress func(done, total int64) `json:"-"`
}

// String describes the recipe.
func (f BlockFlow) String() string {
	return fmt.Sprintf("block flow %v β=%v %v b=%d levels=%d %s measurements=%d chains=%d seed=%d",
		f.Lattice, f.Betas, f.Rule, f.B, f.Levels, f.Sampler, f.Measurements, f.Chains, f.Seed)
}

// Defaults fills the zero fields with their defaults.
func (f *BlockFlow) Defaults() {
	m := MCRG{B: f.B, Sampler: f.Sampler, Therm: f.Therm, Measurements: f.Measurements, Chains: f.Chains, Blocks: f.Blocks}
	m.Defaults()
	f.B, f.Sampler, f.Therm, f.Measurements, f.Chains, f.Blocks = m.B, m.Sampler, m.Therm, m.Measurements, m.Chains, m.Blocks
	if f.Levels == 0 && f.Lattice.Validate() == nil && f.B >= 2 {
		for l := f.Lattice.L; l%f.B == 0 && l/f.B >= 2; l /= f.B {
			f.Levels++
		}
	}
}

// Validate reports every problem of the (defaulted) settings at once.
func (f BlockFlow) Validate() error {
	var errs []error
	add := func(format string, a ...any) { errs = append(errs, fmt.Errorf(format, a...)) }
	if err := f.Lattice.Validate(); err != nil {
		add("lattice %v: %w", f.Lattice, err)
	} else if _, err := NewPyramid(f.Lattice, f.B, f.Rule, f.Levels); err != nil {
		add("%w", err)
	}
	if len(f.Betas) == 0 {
		add("no temperatures")
	}
	for _, b := range f.Betas {
		if !(b > 0) || math.IsInf(b, 0) {
			add("beta %g: want a finite β > 0", b)
		}
	}
	errs = append(errs, checkSampling(f.Sampler, f.Therm, f.Chains, f.Blocks, f.Measurements)...)
	return errors.Join(errs...)
}

// FlowPoint is one temperature at one blocking level.
type FlowPoint struct {
	Beta  float64 `json:"beta"`
	T     float64 `json:"T"`
	Level int     `json:"level"`
	// L is the side of the blocked lattice.
	L                int               `json:"L"`
	Binder           analysis.Estimate `json:"binder"`
	AbsMagnetization analysis.Estimate `json:"abs_magnetization"`
	// Energy is the nearest-neighbour energy per block spin (see [BlockFlow]).
	Energy analysis.Estimate `json:"energy"`
}

// String returns e.g. "T=2.269 level 1 (L=32): U4 0.611(2) |m| 0.62(1) e -1.21(1)".
func (p FlowPoint) String() string {
	return fmt.Sprintf("T=%.6g level %d (L=%d): U4 %v |m| %v e %v", p.T, p.Level, p.L, p.Binder, p.AbsMagnetization, p.Energy)
}

// BlockFlowResult is the outcome of [BlockFlow.Run]: Points ordered by temperature
// (as given), then level.
type BlockFlowResult struct {
	Settings BlockFlow   `json:"settings"`
	Points   []FlowPoint `json:"points"`
	Seconds  float64     `json:"seconds"`
}

// String returns the table.
func (r *BlockFlowResult) String() string { return r.Table() }

// Table formats the points as an aligned table.
func (r *BlockFlowResult) Table() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%-10s %5s %5s  %-14s %-14s %-14s\n", "T", "level", "L", "U4", "|m|", "e (nn, per spin)")
	for _, p := range r.Points {
		fmt.Fprintf(&b, "%-10.6g %5d %5d  %-14v %-14v %-14v\n", p.T, p.Level, p.L, p.Binder, p.AbsMagnetization, p.Energy)
	}
	return b.String()
}

// Run samples and blocks at every temperature and returns the flow table. It
// returns an error if the settings are invalid (after Defaults) or ctx is done.
func (f BlockFlow) Run(ctx context.Context) (*BlockFlowResult, error) {
	f.Defaults()
	if err := f.Validate(); err != nil {
		return nil, fmt.Errorf("block flow: %w", err)
	}
	start := time.Now()
	binLen := max(1, f.Measurements/(16*f.Blocks))
	nt := len(f.Betas)
	acc := make([][]*Moments, nt*f.Chains) // [temperature·Chains + chain][level]
	prog := &progress{f: f.Progress, total: int64(f.Measurements * nt)}
	err := parallel(ctx, len(acc), f.Threads, func(ctx context.Context, j int) error {
		it, k := j/f.Chains, j%f.Chains
		pyr, err := NewPyramid(f.Lattice, f.B, f.Rule, f.Levels)
		if err != nil {
			return err
		}
		mom := make([]*Moments, f.Levels+1)
		for l := range mom {
			mom[l] = NewMoments(pyr.Lattice(l), binLen)
		}
		acc[j] = mom
		// Chain k of temperature it draws from streams (seed, ·, 0, it·Chains + k).
		return sampleBlocked(ctx, pyr, f.Betas[it], f.Sampler, f.Seed, j, f.Therm, share(f.Measurements, f.Chains, k), prog,
			func(cfg [][]int8) {
				for l, s := range cfg {
					mom[l].Add(s)
				}
			})
	})
	if err != nil {
		return nil, fmt.Errorf("block flow: %w", err)
	}
	res := &BlockFlowResult{Settings: f}
	for it, beta := range f.Betas {
		mom := acc[it*f.Chains]
		for _, o := range acc[it*f.Chains+1 : (it+1)*f.Chains] {
			for l := range mom {
				mom[l].Merge(o[l])
			}
		}
		for l, m := range mom {
			res.Points = append(res.Points, FlowPoint{
				Beta: beta, T: 1 / beta, Level: l, L: m.Lattice.L,
				Binder: m.Binder(f.Blocks), AbsMagnetization: m.AbsMagnetization(f.Blocks), Energy: m.Energy(f.Blocks),
			})
		}
	}
	res.Seconds = time.Since(start).Seconds()
	return res, nil
}
