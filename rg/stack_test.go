package rg_test

import (
	"context"
	"math"
	"sync"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/deepglass/deepglass/learn"
	"github.com/deepglass/deepglass/models"
	"github.com/deepglass/deepglass/rg"
)

func TestShape(t *testing.T) {
	const l = 16
	// A point field: centre on the site, all mass inside any window, width 0.
	f := make([]float64, l*l)
	f[5*l+3] = -2
	s := rg.Shape(f, l, 2)
	if math.Abs(s.CX-3) > 1e-12 || math.Abs(s.CY-5) > 1e-12 || s.Share != 1 || s.Width > 1e-12 {
		t.Errorf("point field: %v", s)
	}
	// A 2×2 block across the periodic boundary at x = 15, 0 and y = 7, 8: centre
	// (15.5, 7.5), everything inside the 2×2 window, width sqrt(1/4 + 1/4).
	f = make([]float64, l*l)
	for _, y := range []int{7, 8} {
		for _, x := range []int{15, 0} {
			f[y*l+x] = 1
		}
	}
	s = rg.Shape(f, l, 2)
	if math.Abs(s.CX-15.5) > 1e-9 || math.Abs(s.CY-7.5) > 1e-9 || math.Abs(s.Share-1) > 1e-12 || math.Abs(s.Width-math.Sqrt(0.5)) > 1e-9 {
		t.Errorf("boundary block: %v", s)
	}
	// A uniform field has no centre, but any w×w window holds w²/L² of it.
	for i := range f {
		f[i] = 0.3
	}
	if s := rg.Shape(f, l, 4); math.Abs(s.Share-16.0/256) > 1e-12 {
		t.Errorf("uniform field: %v, want share %v", s, 16.0/256)
	}
	if s := rg.Shape(f, l, 16); s.Share != 1 {
		t.Errorf("window = lattice: share %v", s.Share)
	}
}

func TestReceptiveFieldsProduct(t *testing.T) {
	a := models.NewRBM(4, 3)
	b := models.NewRBM(3, 2)
	for i := range 4 {
		for j := range 3 {
			a.W.Set(i, j, float64(i+2*j))
		}
	}
	for j := range 3 {
		for k := range 2 {
			b.W.Set(j, k, float64(j-k))
		}
	}
	d := &learn.DBN{Layers: []*models.RBM{a, b}}
	if !mat.Equal(rg.ReceptiveFields(d, 1), a.W) {
		t.Error("layer 1 field is not W1")
	}
	var want mat.Dense
	want.Mul(a.W, b.W)
	if !mat.Equal(rg.ReceptiveFields(d, 2), &want) {
		t.Error("layer 2 field is not W1·W2")
	}
}

func TestBlockAgreement(t *testing.T) {
	const l = 4
	v := []float64{1, 1, 0, 0, 1, 0, 0, 0, 1, 1, 1, 1, 1, 1, 0, 0}
	flip := make([]float64, len(v))
	for i, u := range v {
		flip[i] = 1 - u
	}
	data := [][]float64{v}
	if a := rg.BlockAgreement(data, data, l, 2); a != 1 {
		t.Errorf("agreement with itself %v", a)
	}
	if a := rg.BlockAgreement(data, [][]float64{flip}, l, 2); a != 0 {
		t.Errorf("agreement with its flip %v", a)
	}
	// Block sums of spins: +2, −4, +4 and 0 (skipped).
	half := []float64{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}
	if a := rg.BlockAgreement(data, [][]float64{half}, l, 2); math.Abs(a-2.0/3) > 1e-12 {
		t.Errorf("agreement with all up %v, want 2/3", a)
	}
}

var (
	quickStackOnce sync.Once
	quickStack     *rg.Stack
	quickStackErr  error
)

// trainedQuickStack trains MehtaSchwabSpec(true, 1) once for all tests.
func trainedQuickStack(t *testing.T) *rg.Stack {
	t.Helper()
	quickStackOnce.Do(func() {
		quickStack, quickStackErr = rg.TrainStack(context.Background(), rg.MehtaSchwabSpec(true, 1))
	})
	if quickStackErr != nil {
		t.Fatal(quickStackErr)
	}
	return quickStack
}

// TestStackLocality is the must-show of issue 6 on the CI-sized recipe: stacked
// RBMs trained on near-critical 16×16 Ising data (K = 0.408) with L1 sparsity have
// local receptive fields, > 70% of |W| mass inside a (2·2^ℓ)² window, and the
// field width grows with the layer.
//
// This holds for the CI-sized recipe only. Measured at seed 1 (see the README): on the
// 32×32 recipe, MehtaSchwabSpec(false, 1), the shares are 0.476(8), 0.599(10) and
// 0.710(21) for layers 1–3 after 30 epochs per layer (0.517(5), 0.636(2), 0.761(3)
// after 60), and the widths (9.2, 8.3, 8.7) do not grow: the fields hold a local
// core over a spread background.
func TestStackLocality(t *testing.T) {
	s := trainedQuickStack(t)
	rep := s.Report(500)
	t.Logf("%v", rep)
	if len(rep.Layers) != 2 {
		t.Fatalf("%d layers", len(rep.Layers))
	}
	for _, l := range rep.Layers {
		if !(l.Share > 0.7) {
			t.Errorf("layer %d: share %.3f ± %.3f of |W| in the %d×%d window, want > 0.7", l.Layer, l.Share, l.ShareErr, l.Window, l.Window)
		}
	}
	a, b := rep.Layers[0], rep.Layers[1]
	if d, e := b.Width-a.Width, math.Hypot(a.WidthErr, b.WidthErr); !(d > 4*e) {
		t.Errorf("width layer 1 %.3f ± %.3f, layer 2 %.3f ± %.3f: not growing by 4σ", a.Width, a.WidthErr, b.Width, b.WidthErr)
	}
	for k, ag := range rep.Agreement {
		// A reconstruction that kept nothing would agree with the block spins in
		// half of the blocks.
		if !(ag > 0.8) {
			t.Errorf("layer %d: reconstruction agrees with block spins in %.3f of blocks", k+1, ag)
		}
	}
}

// TestMapEnsemble maps 16×16 configurations at T_c through the stack. Layer 0 is
// the data: its energy must match Kaufman's exact value within 4σ.
func TestMapEnsemble(t *testing.T) {
	s := trainedQuickStack(t)
	data, _, err := learn.IsingData(learn.IsingSpec{L: 16, T: rg.TcIsing, N: 1024, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	ens := rg.MapEnsemble(s.DBN, data, 16, 32, 1)
	if len(ens) != 3 {
		t.Fatalf("%d layers", len(ens))
	}
	exact := models.Kaufman(16, 16, 1/rg.TcIsing).E
	if e := ens[0].Energy; math.Abs(e.Mean-exact) > 4*e.Err {
		t.Errorf("layer 0 energy %v, Kaufman %.6f", e, exact)
	}
	for _, e := range ens {
		t.Log(e)
		if !(e.Binder.Err > 0) || !(e.AbsM.Mean > 0 && e.AbsM.Mean < 1) {
			t.Errorf("layer %d: %v", e.Layer, e)
		}
	}
	tab := rg.CompareFixedPoints(nil, ens, 16)
	t.Logf("\n%v", tab)
	if len(tab.Rows) != 3+3*3 || tab.Rows[0].Value.Mean != rg.TcIsing {
		t.Errorf("table has %d rows:\n%v", len(tab.Rows), tab)
	}
}
