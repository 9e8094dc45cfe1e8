package netrg_test

import (
	"context"
	"math"
	"sync"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/deepglass/deepglass/learn"
	"github.com/deepglass/deepglass/models"
	"github.com/deepglass/deepglass/rg"
	"github.com/deepglass/deepglass/rg/netrg"
)

func TestShape(t *testing.T) {
	const l = 16
	// A point field: centre on the site, all mass inside any window, width 0.
	f := make([]float64, l*l)
	f[5*l+3] = -2
	s := netrg.Shape(f, l, 2)
	if math.Abs(s.CX-3) > 1e-12 || math.Abs(s.CY-5) > 1e-12 || s.Share != 1 || s.Width > 1e-12 || s.Radius50 > 1e-12 {
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
	s = netrg.Shape(f, l, 2)
	if math.Abs(s.CX-15.5) > 1e-9 || math.Abs(s.CY-7.5) > 1e-9 || math.Abs(s.Share-1) > 1e-12 ||
		math.Abs(s.Width-math.Sqrt(0.5)) > 1e-9 || math.Abs(s.Radius50-math.Sqrt(0.5)) > 1e-9 {
		t.Errorf("boundary block: %v", s)
	}
	// A point core of mass 3 on a background of total mass 1 spread over the other
	// sites: the rms radius is set by the background (≈ 0.41·L/2), the half-mass
	// radius by the core (0).
	for i := range f {
		f[i] = 1.0 / float64(l*l-1)
	}
	f[5*l+5] = 3
	if s := netrg.Shape(f, l, 2); s.Radius50 > 1e-9 || !(s.Width > 2) {
		t.Errorf("core on background: %v, want half-mass radius 0 and rms width > 2", s)
	}
	// A uniform field has no centre, but any w×w window holds w²/L² of it.
	for i := range f {
		f[i] = 0.3
	}
	if s := netrg.Shape(f, l, 4); math.Abs(s.Share-16.0/256) > 1e-12 {
		t.Errorf("uniform field: %v, want share %v", s, 16.0/256)
	}
	if s := netrg.Shape(f, l, 16); s.Share != 1 {
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
	if !mat.Equal(netrg.ReceptiveFields(d, 1), a.W) {
		t.Error("layer 1 field is not W1")
	}
	var want mat.Dense
	want.Mul(a.W, b.W)
	if !mat.Equal(netrg.ReceptiveFields(d, 2), &want) {
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
	if a := netrg.BlockAgreement(data, data, l, 2); a != 1 {
		t.Errorf("agreement with itself %v", a)
	}
	if a := netrg.BlockAgreement(data, [][]float64{flip}, l, 2); a != 0 {
		t.Errorf("agreement with its flip %v", a)
	}
	// Block sums of spins: +2, −4, +4 and 0 (skipped).
	half := []float64{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}
	if a := netrg.BlockAgreement(data, [][]float64{half}, l, 2); math.Abs(a-2.0/3) > 1e-12 {
		t.Errorf("agreement with all up %v, want 2/3", a)
	}
}

var (
	quickStackOnce sync.Once
	quickStack     *netrg.Stack
	quickStackErr  error
)

// trainedQuickStack trains MehtaSchwabSpec(true, 1) once for all tests.
func trainedQuickStack(t *testing.T) *netrg.Stack {
	t.Helper()
	quickStackOnce.Do(func() {
		quickStack, quickStackErr = netrg.TrainStack(context.Background(), netrg.MehtaSchwabSpec(true, 1))
	})
	if quickStackErr != nil {
		t.Fatal(quickStackErr)
	}
	return quickStack
}

// TestStackLocality is the must-show of issue 6 on the CI-sized recipe: stacked
// RBMs trained on near-critical 16×16 Ising data (K = 0.408) with L1 sparsity have
// local receptive fields, > 70% of |W| mass inside a (2·2^ℓ)² window, and the
// field width grows with the layer. TestStackLocalityFull checks the 32×32 recipe.
func TestStackLocality(t *testing.T) {
	checkLocality(t, trainedQuickStack(t).Report(500), 2)
}

// TestStackLocalityFull is the must-show on the 32×32 recipe (layers
// 1024-256-64-16), at two seeds: about a minute each on two cores.
func TestStackLocalityFull(t *testing.T) {
	if testing.Short() {
		t.Skip("32×32 stacks: -short")
	}
	for _, seed := range []uint64{1, 2} {
		s, err := netrg.TrainStack(context.Background(), netrg.MehtaSchwabSpec(false, seed))
		if err != nil {
			t.Fatal(err)
		}
		checkLocality(t, s.Report(500), 3)
	}
}

// checkLocality checks the shares and the growth of the width, the half-mass
// radius (the rms radius, which is logged, also measures the weak background a
// field spreads over the lattice: at L = 32 it is ≈ 6 for every layer), and that
// the reconstructions keep the block spins.
func checkLocality(t *testing.T, rep netrg.StackReport, layers int) {
	t.Helper()
	t.Logf("%v", rep)
	if len(rep.Layers) != layers {
		t.Fatalf("%d layers, want %d", len(rep.Layers), layers)
	}
	for _, l := range rep.Layers {
		if !(l.Share > 0.7) {
			t.Errorf("layer %d: share %.3f ± %.3f of |W| in the %d×%d window, want > 0.7", l.Layer, l.Share, l.ShareErr, l.Window, l.Window)
		}
	}
	for k := 1; k < len(rep.Layers); k++ {
		a, b := rep.Layers[k-1], rep.Layers[k]
		if d, e := b.Radius50-a.Radius50, math.Hypot(a.Radius50Err, b.Radius50Err); !(d > 4*e) {
			t.Errorf("half-mass radius layer %d %.3f ± %.3f, layer %d %.3f ± %.3f: not growing by 4σ",
				a.Layer, a.Radius50, a.Radius50Err, b.Layer, b.Radius50, b.Radius50Err)
		}
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
	ens := netrg.MapEnsemble(s.DBN, data, 16, 32, 1)
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
	tab := netrg.CompareFixedPoints(nil, ens, 16)
	t.Logf("\n%v", tab)
	if len(tab.Rows) != 3+3*3 || tab.Rows[0].Value.Mean != rg.TcIsing {
		t.Errorf("table has %d rows:\n%v", len(tab.Rows), tab)
	}
}
