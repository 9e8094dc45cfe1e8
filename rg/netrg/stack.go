// Package netrg is the network half of deepglass's renormalization group: what trained
// networks do to critical configurations, compared with the physics of package rg
// (block spins, MCRG). It holds:
//
//   - variational RG with stacked RBMs (Mehta & Schwab 2014, arXiv:1410.3831):
//     [TrainStack] trains a deep belief net layer by layer ([learn.Stack]) on 2D Ising
//     configurations near T_c; [ReceptiveFields] multiplies the weight matrices
//     W₁·W₂·…·W_ℓ into one map over the visible lattice per hidden unit of layer ℓ;
//     [MeasureLocality] gives the share of |field| mass inside a (2·2^ℓ)² window
//     around each field's centre (circular mean on the periodic lattice), the
//     field's half-mass radius (its core) and its rms radius; [Reconstruct] maps
//     v → h₁ → … → h_ℓ → … → v′ and
//     [BlockAgreement] compares v′ with majority-rule block spins of v at b = 2^ℓ;
//   - RBM flows (Iso, Shiba & Yokoo 2018, arXiv:1801.07172): [FlowData] makes L×L
//     Ising configurations at T = 0…6, [TrainThermometer] fits a softmax regression
//     that reads T from a configuration, and [FlowLab.Run] iterates v → h → v′ from
//     T = 0 and T = 6 starts and reads the temperature along the flow
//     ([FlowLab.RunScan] also at stages of the training);
//   - [CompareFixedPoints]: a table putting the exact fixed point (rg.TcIsing, y_T) beside
//     the network's (the flow's fixed point, and what each stacked layer maps the
//     critical ensemble onto: |m|, e and the Binder cumulant with jackknife errors).
//
// Mehta & Schwab's recipe is a 40×40 lattice at K = 0.408 (T = 2.451), layers
// 1600-400-100-25, CD with L1 sparsity on the weights (docs/references/rg.md §1); the
// two-core version [MehtaSchwabSpec](false) uses 32×32 and layers 1024-256-64-16,
// and the CI-sized MehtaSchwabSpec(true) 16×16 and layers 256-64-16.
package netrg

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"

	"gonum.org/v1/gonum/mat"

	"github.com/deepglass/deepglass/learn"
)

// KMehtaSchwab is the coupling K = J/T of Mehta & Schwab's training data (2014,
// §"Deep learning the 2D Ising model"; docs/references/rg.md §1): just above T_c
// (K_c = 0.4407).
const KMehtaSchwab = 0.408

// StackSpec is the recipe of a variational-RG experiment: Ising data and the stack
// of RBMs trained on them.
type StackSpec struct {
	L       int           // linear size of the periodic square lattice
	T       float64       // temperature of the data (J = k_B = 1)
	Samples int           // number of Wolff samples
	Hidden  []int         // hidden units per layer, e.g. 64, 16
	Layer   learn.Options // training options of every layer (layer l uses Seed + l)
	Seed    uint64        // data seed; the layers use Layer.Seed
}

// MehtaSchwabSpec returns the recipe. quick is the CI-sized one: a 16×16 lattice,
// 2000 samples, layers 64, 16 and 40 epochs per layer. Otherwise: 32×32, 5000
// samples, layers 256, 64, 16 (Mehta & Schwab's 1024-256-64-16 on our smaller
// lattice; docs/references/rg.md §1) and 30 epochs per layer. Both use K = 0.408, CD-1,
// batch 50, learning rate 0.1, momentum 0.5 and an L1 penalty of 0.04 (proximal
// step, see [learn.Options]) that rises from 0 over the first 5 epochs. Without
// L1 the fields are not local, as Mehta & Schwab found; at full strength from the
// start it prunes the small initial weights before features form (at L = 32,
// L1 = 0.03 without warm-up left layer 2 with no weights at all). The strength
// was chosen on the 32×32 recipe at seed 1 from 0.02, 0.025, 0.03, 0.04 (layer-1
// shares 0.67, 0.70, 0.74, 0.80; see the README), and holds at other seeds and
// on the quick recipe (TestStackLocality, TestStackLocalityFull). The 5-epoch
// warm-up is the only length tried: long enough for features to form, short
// against the 30 epochs per layer.
func MehtaSchwabSpec(quick bool, seed uint64) StackSpec {
	s := StackSpec{L: 32, T: 1 / KMehtaSchwab, Samples: 5000, Hidden: []int{256, 64, 16}, Seed: seed,
		Layer: learn.Options{Method: learn.CD, K: 1, Epochs: 30, Batch: 50, LR: 0.1, Momentum: 0.5, L1: 0.04, L1Warmup: 5,
			Seed: seed, Monitor: learn.Monitor{Every: -1}}}
	if quick {
		s.L, s.Samples, s.Hidden = 16, 2000, []int{64, 16}
		s.Layer.Epochs = 40
	}
	return s
}

// String returns a one-line description.
func (s StackSpec) String() string {
	sizes := []string{fmt.Sprint(s.L * s.L)}
	for _, h := range s.Hidden {
		sizes = append(sizes, fmt.Sprint(h))
	}
	return fmt.Sprintf("%d×%d Ising at T=%.4g, %d samples (seed %d); layers %s; %v", s.L, s.L, s.T, s.Samples, s.Seed,
		strings.Join(sizes, "-"), s.Layer)
}

// Stack is a trained stack with its data.
type Stack struct {
	Spec    StackSpec
	DBN     *learn.DBN
	Data    [][]float64 // training configurations, units {0,1}
	Energy  []float64   // energy per spin of each configuration
	History []learn.History
}

// String returns a summary.
func (s *Stack) String() string {
	return fmt.Sprintf("%v trained on %d configurations of %d×%d Ising at T=%.4g", s.DBN, len(s.Data), s.Spec.L, s.Spec.L, s.Spec.T)
}

// TrainStack generates the data of spec (Wolff, [learn.IsingData]) and trains the
// stack greedily ([learn.Stack], hidden probabilities propagated upward). It returns
// an error for an invalid spec or when ctx is cancelled.
func TrainStack(ctx context.Context, spec StackSpec) (*Stack, error) {
	if len(spec.Hidden) == 0 {
		return nil, fmt.Errorf("stack: no layers")
	}
	data, e, err := learn.IsingData(learn.IsingSpec{L: spec.L, T: spec.T, N: spec.Samples, Seed: spec.Seed})
	if err != nil {
		return nil, fmt.Errorf("stack: %w", err)
	}
	d, h, err := learn.Stack(ctx, data, spec.Hidden, learn.StackOptions{Layer: spec.Layer})
	if err != nil {
		return nil, fmt.Errorf("stack: %w", err)
	}
	return &Stack{Spec: spec, DBN: d, Data: data, Energy: e, History: h}, nil
}

// ReceptiveFields returns the effective receptive fields of the hidden units of
// layer ℓ (1 = the first hidden layer): the NV×NH_ℓ product W₁·W₂·…·W_ℓ, whose column
// j is a map of hidden unit j over the visible lattice (Mehta & Schwab 2014, Fig. 4).
// It panics if layer is out of range.
func ReceptiveFields(d *learn.DBN, layer int) *mat.Dense {
	if layer < 1 || layer > len(d.Layers) {
		panic(fmt.Sprintf("rg: ReceptiveFields layer %d of %d", layer, len(d.Layers)))
	}
	f := mat.DenseCopyOf(d.Layers[0].W)
	for _, r := range d.Layers[1:layer] {
		var p mat.Dense
		p.Mul(f, r.W)
		f = &p
	}
	return f
}

// FieldShape describes one receptive field on the periodic L×L lattice.
type FieldShape struct {
	CX, CY float64 // centre of |field| mass (circular mean per axis), in lattice units
	Share  float64 // share of |field| mass inside the window
	Width  float64 // rms radius of |field| about the centre, minimal-image distances
	// Radius50 is the half-mass radius: the smallest distance from the centre within
	// which the sites hold at least half of Σ|field|. Unlike Width it is set by the
	// core of the field, not by a weak background spread over the whole lattice
	// (whose rms radius is L/√6 ≈ 0.41·L).
	Radius50 float64
	Mass     float64 // Σ|field|
}

// String returns e.g. "centre (3.2, 7.9), share 0.84, width 1.9, mass 3.1".
func (f FieldShape) String() string {
	return fmt.Sprintf("centre (%.3g, %.3g), share %.3g, width %.3g, half-mass radius %.3g, mass %.3g", f.CX, f.CY, f.Share, f.Width, f.Radius50, f.Mass)
}

// Shape measures the field f (L² values, row-major, site = y·L + x) on the periodic
// L×L lattice with weights |f|: the centre is the circular mean of x and of y
// (angle 2πx/L), the window is the w×w block of sites nearest to the centre
// (all sites if w ≥ L), and the width is sqrt(Σ|f| d²/Σ|f|) with d the
// minimal-image distance to the centre. It panics if len(f) ≠ L² or w < 1.
func Shape(f []float64, l, w int) FieldShape {
	if len(f) != l*l || w < 1 {
		panic(fmt.Sprintf("rg: Shape of %d values on %d×%d with window %d", len(f), l, l, w))
	}
	var sx, cx, sy, cy, tot float64
	k := 2 * math.Pi / float64(l)
	for y := range l {
		for x := range l {
			a := math.Abs(f[y*l+x])
			sx += a * math.Sin(k*float64(x))
			cx += a * math.Cos(k*float64(x))
			sy += a * math.Sin(k*float64(y))
			cy += a * math.Cos(k*float64(y))
			tot += a
		}
	}
	if tot == 0 {
		return FieldShape{CX: math.NaN(), CY: math.NaN(), Share: math.NaN(), Width: math.NaN(), Radius50: math.NaN()}
	}
	ang := func(s, c float64) float64 {
		t := math.Atan2(s, c) / k
		if t < 0 {
			t += float64(l)
		}
		return t
	}
	s := FieldShape{CX: ang(sx, cx), CY: ang(sy, cy), Mass: tot}
	// The window: w consecutive sites per axis starting at round(c − (w−1)/2).
	x0, y0 := int(math.Round(s.CX-float64(w-1)/2)), int(math.Round(s.CY-float64(w-1)/2))
	in := func(u, u0 int) bool { return w >= l || mod(u-u0, l) < w }
	var inside, r2 float64
	type site struct{ d2, a float64 }
	sites := make([]site, 0, l*l)
	for y := range l {
		dy := minImage(float64(y)-s.CY, l)
		for x := range l {
			a := math.Abs(f[y*l+x])
			if in(x, x0) && in(y, y0) {
				inside += a
			}
			dx := minImage(float64(x)-s.CX, l)
			d2 := dx*dx + dy*dy
			r2 += a * d2
			sites = append(sites, site{d2, a})
		}
	}
	s.Share, s.Width = inside/tot, math.Sqrt(r2/tot)
	slices.SortFunc(sites, func(p, q site) int { return cmp.Compare(p.d2, q.d2) })
	var cum float64
	for _, st := range sites {
		cum += st.a
		if cum >= tot/2 {
			s.Radius50 = math.Sqrt(st.d2)
			break
		}
	}
	return s
}

func mod(a, n int) int { return ((a % n) + n) % n }

// minImage returns d shifted by a multiple of l into [−l/2, l/2).
func minImage(d float64, l int) float64 {
	fl := float64(l)
	return d - fl*math.Floor(d/fl+0.5)
}

// Locality summarizes the receptive fields of one layer.
type Locality struct {
	Layer  int `json:"layer"`  // 1 = first hidden layer
	Units  int `json:"units"`  // hidden units of the layer
	Window int `json:"window"` // side of the window, 2·2^ℓ
	// Share is the mean over units of the share of |field| mass inside the window,
	// ShareErr its standard error over units; Uniform is the share of a uniform
	// field (w²/L²), the value without any locality.
	Share    float64 `json:"share"`
	ShareErr float64 `json:"share_err"`
	Uniform  float64 `json:"uniform"`
	// MinShare is the smallest share of any unit.
	MinShare float64 `json:"min_share"`
	// MassShare is the share of the layer's total |field| mass inside the units'
	// windows, Σ_j inside_j / Σ_j mass_j: units whose weights L1 drove to nearly
	// zero (whose small fields are spread like noise) count by their mass.
	MassShare float64 `json:"mass_share"`
	// Width is the mean rms radius over units, WidthErr its standard error; Uniform
	// fields have width L/sqrt(6).
	Width    float64 `json:"width"`
	WidthErr float64 `json:"width_err"`
	// Radius50 is the mean half-mass radius over units (see [FieldShape]),
	// Radius50Err its standard error: the size of the fields' cores.
	Radius50    float64 `json:"radius50"`
	Radius50Err float64 `json:"radius50_err"`
}

// String returns e.g. "layer 1 (64 units): 0.83(2) of |W| in 4×4 (uniform 0.06), width 1.9(1)".
func (l Locality) String() string {
	return fmt.Sprintf("layer %d (%d units): %.3f±%.3f of |W| in %d×%d (uniform %.3f, min %.3f, mass-weighted %.3f), width %.3f±%.3f, half-mass radius %.3f±%.3f",
		l.Layer, l.Units, l.Share, l.ShareErr, l.Window, l.Window, l.Uniform, l.MinShare, l.MassShare, l.Width, l.WidthErr, l.Radius50, l.Radius50Err)
}

// MeasureLocality returns the locality of the receptive fields of every layer of d
// on the L×L lattice (window 2·2^ℓ at layer ℓ). It panics if L² is not the number
// of visible units.
func MeasureLocality(d *learn.DBN, l int) []Locality {
	if len(d.Layers) == 0 || d.Layers[0].NV() != l*l {
		panic(fmt.Sprintf("rg: MeasureLocality of %v on %d×%d", d, l, l))
	}
	var out []Locality
	col := make([]float64, l*l)
	for layer := 1; layer <= len(d.Layers); layer++ {
		f := ReceptiveFields(d, layer)
		_, nh := f.Dims()
		w := 2 << layer
		loc := Locality{Layer: layer, Units: nh, Window: w, Uniform: math.Min(1, float64(w*w)/float64(l*l)), MinShare: math.Inf(1)}
		var shares, widths, radii []float64
		var in, mass float64
		for j := range nh {
			mat.Col(col, j, f)
			s := Shape(col, l, w)
			shares, widths, radii = append(shares, s.Share), append(widths, s.Width), append(radii, s.Radius50)
			loc.MinShare = math.Min(loc.MinShare, s.Share)
			in, mass = in+s.Share*s.Mass, mass+s.Mass
		}
		loc.MassShare = in / mass
		loc.Share, loc.ShareErr = meanErr(shares)
		loc.Width, loc.WidthErr = meanErr(widths)
		loc.Radius50, loc.Radius50Err = meanErr(radii)
		out = append(out, loc)
	}
	return out
}

// meanErr returns the mean and its standard error (NaN for fewer than 2 values).
func meanErr(x []float64) (mean, err float64) {
	n := float64(len(x))
	for _, v := range x {
		mean += v
	}
	mean /= n
	var ss float64
	for _, v := range x {
		ss += (v - mean) * (v - mean)
	}
	if len(x) < 2 {
		return mean, math.NaN()
	}
	return mean, math.Sqrt(ss / (n - 1) / n)
}

// Reconstruct maps each row of data up through the first layers of d and back down:
// v → h₁ → … → h_layer → … → v′. Upward it uses the hidden probabilities
// P(h=1|·); downward the visible probabilities P(v=1|h) of each layer, so that v′
// holds probabilities. If src is not nil, the top layer's hidden units are sampled
// (one draw per unit) and every downward step samples binary units, so that v′ is a
// configuration; layer 0 returns the data.
func Reconstruct(d *learn.DBN, data [][]float64, layer int, src *rand.PCG) [][]float64 {
	if layer < 0 || layer > len(d.Layers) {
		panic(fmt.Sprintf("rg: Reconstruct to layer %d of %d", layer, len(d.Layers)))
	}
	up := d.Propagate(data, layer)
	if layer == 0 {
		return up
	}
	out := make([][]float64, len(data))
	for n, h := range up {
		cur := append([]float64(nil), h...)
		if src != nil {
			sample(src, cur)
		}
		for l := layer - 1; l >= 0; l-- {
			r := d.Layers[l]
			v := r.VisibleProbs(make([]float64, r.NV()), cur)
			if src != nil {
				sample(src, v)
			}
			cur = v
		}
		out[n] = cur
	}
	return out
}

// sample replaces each probability p in x by 1 with probability p, else 0.
func sample(src *rand.PCG, x []float64) {
	for i, p := range x {
		if float64(src.Uint64()>>11)*0x1p-53 < p {
			x[i] = 1
		} else {
			x[i] = 0
		}
	}
}

// blockSums returns the sums of spins 2v−1 over the b×b blocks of the L×L lattice
// (row-major blocks). This is the network half's own minimal block-spin helper; the
// physics half of rg has the full majority-rule and decimation transformations.
func blockSums(v []float64, l, b int) []float64 {
	nb := l / b
	out := make([]float64, nb*nb)
	for y := range l {
		for x := range l {
			out[(y/b)*nb+x/b] += 2*v[y*l+x] - 1
		}
	}
	return out
}

// BlockAgreement returns the share of b×b blocks (b = 2^layer) in which the
// majority-rule block spin of the configuration (the sign of the block sum of
// spins) agrees with the sign of the block sum of its reconstruction, over all
// rows; blocks whose spins sum to zero in the configuration are skipped (their
// majority spin would be a coin flip). rec holds the reconstructions of data
// ([Reconstruct]), as probabilities or configurations. It panics if b does not
// divide L.
func BlockAgreement(data, rec [][]float64, l, b int) float64 {
	if b < 1 || l%b != 0 || len(data) != len(rec) {
		panic(fmt.Sprintf("rg: BlockAgreement with block %d on %d×%d, %d and %d rows", b, l, l, len(data), len(rec)))
	}
	var agree, total float64
	for n := range data {
		s, r := blockSums(data[n], l, b), blockSums(rec[n], l, b)
		for k, sk := range s {
			if sk == 0 {
				continue
			}
			total++
			if sk*r[k] > 0 {
				agree++
			}
		}
	}
	return agree / total
}

// StackReport is the per-layer summary of a trained stack: locality, width and
// agreement of reconstructions with block spins.
type StackReport struct {
	Spec   string     `json:"spec"`
	Layers []Locality `json:"layers"`
	// Agreement[ℓ−1] is [BlockAgreement] of the mean-field reconstruction through
	// layer ℓ with majority block spins at b = 2^ℓ.
	Agreement []float64 `json:"block_agreement"`
}

// String returns one line per layer.
func (r StackReport) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n", r.Spec)
	for k, l := range r.Layers {
		fmt.Fprintf(&b, "%v; reconstruction agrees with %d×%d majority block spins in %.3f of blocks\n", l, 1<<l.Layer, 1<<l.Layer, r.Agreement[k])
	}
	return b.String()
}

// Report measures the locality of every layer and the block agreement of
// mean-field reconstructions of the first rows (at most maxRows) of the data.
func (s *Stack) Report(maxRows int) StackReport {
	rep := StackReport{Spec: s.Spec.String(), Layers: MeasureLocality(s.DBN, s.Spec.L)}
	rows := s.Data[:min(len(s.Data), maxRows)]
	for layer := 1; layer <= len(s.DBN.Layers); layer++ {
		b := 1 << layer
		if s.Spec.L%b != 0 {
			rep.Agreement = append(rep.Agreement, math.NaN())
			continue
		}
		rep.Agreement = append(rep.Agreement, BlockAgreement(rows, Reconstruct(s.DBN, rows, layer, nil), s.Spec.L, b))
	}
	return rep
}
