package learn

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"

	"gonum.org/v1/gonum/mat"

	"github.com/deepglass/deepglass/models"
	"github.com/deepglass/deepglass/sampler"
)

// DBN is a deep belief net: a stack of RBMs, each trained on the hidden units of the
// one below (Hinton, Osindero & Teh 2006). Layers[0] sees the data.
type DBN struct {
	Layers []*models.RBM
}

// String returns a summary such as "DBN 1024-256-64-16".
func (d *DBN) String() string {
	if d == nil || len(d.Layers) == 0 {
		return "DBN <empty>"
	}
	sizes := []string{fmt.Sprint(d.Layers[0].NV())}
	for _, r := range d.Layers {
		sizes = append(sizes, fmt.Sprint(r.NH()))
	}
	return "DBN " + strings.Join(sizes, "-")
}

// StackOptions configures [Stack].
type StackOptions struct {
	// Layer holds the training options of every layer; layer l uses seed Layer.Seed+l.
	Layer Options
	// PerLayer, if not nil, overrides Layer for layer l when PerLayer[l] is not nil.
	PerLayer []*Options
	// Sample propagates binary samples of the hidden units upward instead of their
	// probabilities P(h=1|v). Samples come from NewStream(seed, PurposeData, l+1, 0).
	Sample bool
}

// String returns a summary of the options.
func (o StackOptions) String() string {
	up := "probabilities"
	if o.Sample {
		up = "samples"
	}
	return fmt.Sprintf("stack (%v), propagating %s", o.Layer, up)
}

// Stack trains a DBN greedily, layer by layer (Hinton, Osindero & Teh 2006): layer l
// is an RBM with hidden[l] hidden units, initialised by [NewRBM] and trained by
// [Train] on the data propagated through the layers below. It returns the DBN and the
// history of every layer.
func Stack(ctx context.Context, data [][]float64, hidden []int, opts StackOptions) (*DBN, []History, error) {
	if len(hidden) == 0 {
		return nil, nil, fmt.Errorf("stack: no layers")
	}
	d := &DBN{}
	var hists []History
	in := data
	for l, nh := range hidden {
		o := opts.Layer
		if l < len(opts.PerLayer) && opts.PerLayer[l] != nil {
			o = *opts.PerLayer[l]
		}
		o.Seed += uint64(l)
		r, err := NewRBM(in, nh, o.Seed)
		if err != nil {
			return nil, nil, fmt.Errorf("stack: layer %d: %w", l, err)
		}
		h, err := Train(ctx, r, in, o)
		hists = append(hists, h)
		if err != nil {
			return nil, hists, fmt.Errorf("stack: layer %d: %w", l, err)
		}
		d.Layers = append(d.Layers, r)
		if l < len(hidden)-1 {
			var src *rand.PCG
			if opts.Sample {
				src = sampler.NewStream(o.Seed-uint64(l), sampler.PurposeData, l+1, 0)
			}
			in = Up(r, in, src)
		}
	}
	return d, hists, nil
}

// Up returns the hidden probabilities P(h=1|v) of r for every row of data, or, if src
// is not nil, binary samples drawn from them (one draw per unit, rows in order). It
// computes them with one matrix product.
func Up(r *models.RBM, data [][]float64, src *rand.PCG) [][]float64 {
	if len(data) == 0 {
		return nil
	}
	nv, nh := r.NV(), r.NH()
	v := mat.NewDense(len(data), nv, nil)
	for d, row := range data {
		if len(row) != nv {
			panic(fmt.Sprintf("learn: Up: row %d has %d values, the RBM %d visible units", d, len(row), nv))
		}
		v.SetRow(d, row)
	}
	x := mat.NewDense(len(data), nh, nil)
	x.Mul(v, r.W)
	out := make([][]float64, len(data))
	for d := range out {
		row := x.RawRowView(d)
		for j, xj := range row {
			p := models.Sigmoid(xj + r.B[j])
			if src != nil {
				p = bernoulliP(src, p)
			}
			row[j] = p
		}
		out[d] = row
	}
	return out
}

// Propagate returns the representation of data at layer top (0 = the data, l = the
// hidden units of Layers[l-1]) as hidden probabilities, layer by layer.
func (d *DBN) Propagate(data [][]float64, top int) [][]float64 {
	if top < 0 || top > len(d.Layers) {
		panic(fmt.Sprintf("learn: DBN.Propagate to layer %d of %d", top, len(d.Layers)))
	}
	for _, r := range d.Layers[:top] {
		data = Up(r, data, nil)
	}
	return data
}
