package netrg

import (
	"fmt"
	"math"
	"strings"

	"github.com/deepglass/deepglass/analysis"
	"github.com/deepglass/deepglass/learn"
	"github.com/deepglass/deepglass/rg"
	"github.com/deepglass/deepglass/sampler"
)

// LayerEnsemble is what the first Layer layers of a stack map an ensemble of
// configurations onto: the statistics of the sampled reconstructions v′
// ([Reconstruct] with sampling), per spin, with jackknife errors over blocks of
// configurations. Layer 0 is the ensemble itself.
type LayerEnsemble struct {
	Layer  int               `json:"layer"`
	AbsM   analysis.Estimate `json:"abs_magnetization"` // ⟨|m|⟩ per spin
	Energy analysis.Estimate `json:"energy"`            // ⟨e⟩ per spin, J = 1
	Binder analysis.Estimate `json:"binder"`            // U₄ = 1 − ⟨m⁴⟩/(3⟨m²⟩²)
}

// String returns e.g. "layer 1: |m| 0.61(1), e −1.40(1), U₄ 0.58(2)".
func (e LayerEnsemble) String() string {
	return fmt.Sprintf("layer %d: |m| %v, e %v, U₄ %v", e.Layer, e.AbsM, e.Energy, e.Binder)
}

// MapEnsemble returns the [LayerEnsemble] of data (L×L configurations, units
// {0,1}) for layers 0…len(d.Layers), with jackknife errors over blocks of
// consecutive rows (≤ 0 means [analysis.DefaultBlocks]; rows should be nearly
// independent, as Wolff samples near T_c are). Layer ℓ samples from
// NewStream(seed, PurposeData, ℓ, 2).
func MapEnsemble(d *learn.DBN, data [][]float64, l, blocks int, seed uint64) []LayerEnsemble {
	if blocks <= 0 {
		blocks = analysis.DefaultBlocks
	}
	blocks = min(blocks, len(data))
	var out []LayerEnsemble
	for layer := 0; layer <= len(d.Layers); layer++ {
		rec := Reconstruct(d, data, layer, sampler.NewStream(seed, sampler.PurposeData, layer, 2))
		m1, m2, m4, e := make([]float64, blocks), make([]float64, blocks), make([]float64, blocks), make([]float64, blocks)
		per := len(rec) / blocks
		for b := range blocks {
			for _, v := range rec[b*per : (b+1)*per] {
				var m float64
				for _, u := range v {
					m += 2*u - 1
				}
				m = math.Abs(m) / float64(l*l)
				m1[b] += m / float64(per)
				m2[b] += m * m / float64(per)
				m4[b] += m * m * m * m / float64(per)
				e[b] += learn.IsingEnergy(v) / float64(per)
			}
		}
		id := func(x []float64) float64 { return x[0] }
		out = append(out, LayerEnsemble{Layer: layer,
			AbsM:   analysis.Jackknife(id, m1),
			Energy: analysis.Jackknife(id, e),
			Binder: analysis.Jackknife(func(x []float64) float64 { return 1 - x[1]/(3*x[0]*x[0]) }, m2, m4)})
	}
	return out
}

// FixedPointRow is one line of [FixedPointTable].
type FixedPointRow struct {
	Quantity string            `json:"quantity"` // e.g. "T*", "y_T", "U4"
	Source   string            `json:"source"`   // e.g. "exact", "RBM flow (all) from T=0"
	Value    analysis.Estimate `json:"value"`
	Note     string            `json:"note,omitempty"`
}

// String returns e.g. "T*  RBM flow (all) from T=0  2.31(4)".
func (r FixedPointRow) String() string {
	s := fmt.Sprintf("%-6s %-40s %v", r.Quantity, r.Source, r.Value)
	if r.Note != "" {
		s += "  (" + r.Note + ")"
	}
	return s
}

// FixedPointTable puts the physics fixed point beside the networks'.
type FixedPointTable struct {
	Rows []FixedPointRow `json:"rows"`
}

// String returns the table, one row per line.
func (t FixedPointTable) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%-6s %-40s %s\n", "qty", "source", "value")
	for _, r := range t.Rows {
		fmt.Fprintln(&b, r)
	}
	return b.String()
}

// Add appends a row (for example MCRG estimates of y_T from the physics half).
func (t *FixedPointTable) Add(quantity, source string, v analysis.Estimate, note string) {
	t.Rows = append(t.Rows, FixedPointRow{Quantity: quantity, Source: source, Value: v, Note: note})
}

// ExactIsingFixedPoint returns the rows of the exact 2D Ising critical point: T_c =
// 2/ln(1+√2), y_T = 1/ν = 1 (docs/references/ising2d.md §1) and, for the torus, the Binder
// cumulant U* = 0.61069 (Salas & Sokal 2000; docs/references/ising2d.md §6; the error is the
// last digit given).
func ExactIsingFixedPoint() FixedPointTable {
	var t FixedPointTable
	t.Add("T*", "exact (Onsager)", analysis.Estimate{Mean: rg.TcIsing}, "")
	t.Add("y_T", "exact", analysis.Estimate{Mean: 1}, "1/ν")
	t.Add("U4", "Salas & Sokal 2000 (torus, L→∞)", analysis.Estimate{Mean: 0.61069, Err: 0.00001}, "")
	return t
}

// CompareFixedPoints returns the exact rows followed by the flows' fixed-point
// temperatures (one row per training set and start) and, per stacked layer, |m|, e
// and U₄ of the critical ensemble mapped by the layers (ens from [MapEnsemble]
// with data at T_c; the source says the lattice size L).
func CompareFixedPoints(flows []FlowResult, ens []LayerEnsemble, l int) FixedPointTable {
	t := ExactIsingFixedPoint()
	for _, f := range flows {
		for _, s := range f.Starts {
			t.Add("T*", fmt.Sprintf("RBM flow (%s) from T=%g", f.Train, s.FromT), s.FixedPointT, "")
		}
	}
	for _, e := range ens {
		src := fmt.Sprintf("stack layer %d, %d×%d T_c ensemble", e.Layer, l, l)
		note := ""
		if e.Layer == 0 {
			note = "the data"
		}
		t.Add("|m|", src, e.AbsM, note)
		t.Add("e", src, e.Energy, note)
		t.Add("U4", src, e.Binder, note)
	}
	return t
}
