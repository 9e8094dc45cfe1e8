package packed

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"testing"

	"github.com/deepglass/deepglass/models"
	"github.com/deepglass/deepglass/sampler"
)

// zcheck fails t unless |got − want| < 4σ (σ = err, which must be finite and > 0).
func zcheck(t *testing.T, name string, got sampler.PAEstimate, want float64) {
	t.Helper()
	z := (got.Mean - want) / got.Err
	if !(got.Err > 0) || !(math.Abs(z) < 4) {
		t.Errorf("%s = %.6f ± %.2g; want %.6f (z = %.2f)", name, got.Mean, got.Err, want, z)
	} else {
		t.Logf("%s = %.6f ± %.2g; exact %.6f (z = %+.2f)", name, got.Mean, got.Err, want, z)
	}
}

// TestPAKaufman anneals the 2D Ising ferromagnet L = 16 with packed lanes through T_c
// and compares ln Z and the energy with Kaufman's exact finite-lattice solution
// (docs/references/scale.md §2).
func TestPAKaufman(t *testing.T) {
	const l = 16
	pm, err := NewModel(models.NewIsing(models.Square(l), 1, 0))
	if err != nil {
		t.Fatal(err)
	}
	betas := []float64{0.3, 0.4406868, 0.6}
	pa, err := NewPopulationAnnealing(pm, sampler.PAOptions{Betas: betas, R: 2048, Populations: 6, Sweeps: 10, Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	if err := pa.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Logf("%v\n%s", pa, pa.Report())
	for k, pt := range pa.Points() {
		ex := models.Kaufman(l, l, betas[k])
		zcheck(t, fmt.Sprintf("β=%g ln Z/N", pt.Beta), sampler.PAEstimate{Mean: pt.LnZ.Mean / (l * l), Err: pt.LnZ.Err / (l * l)}, ex.LnZ/(l*l))
		zcheck(t, fmt.Sprintf("β=%g f", pt.Beta), pt.FreeEnergy, ex.F)
		zcheck(t, fmt.Sprintf("β=%g e", pt.Beta), pt.Energy, ex.E)
		if len(pt.Warnings) > 0 {
			t.Errorf("β=%g: %v", pt.Beta, pt.Warnings)
		}
	}
}

// TestPATransferMatrix anneals two 2D ±J L = 8 samples with packed lanes and compares
// ln Z and the energy with the transfer matrix.
func TestPATransferMatrix(t *testing.T) {
	betas := []float64{0.5, 1, 1.6}
	for s := range 2 {
		p := models.NewEA(models.Square(8), models.PlusMinus, disorder(60+s))
		exact, err := models.TransferMatrix2D(p, models.Square(8), betas)
		if err != nil {
			t.Fatal(err)
		}
		pm, err := NewModel(p)
		if err != nil {
			t.Fatal(err)
		}
		pa, err := NewPopulationAnnealing(pm, sampler.PAOptions{Betas: betas, R: 1024, Populations: 6, Sweeps: 10, Seed: 7, Sample: s})
		if err != nil {
			t.Fatal(err)
		}
		if err := pa.Run(context.Background()); err != nil {
			t.Fatal(err)
		}
		t.Logf("sample %d: %v\n%s", s, pa, pa.Report())
		for k, pt := range pa.Points() {
			zcheck(t, fmt.Sprintf("sample %d β=%g ln Z/N", s, pt.Beta), sampler.PAEstimate{Mean: pt.LnZ.Mean / 64, Err: pt.LnZ.Err / 64}, exact[k].LnZ/64)
			zcheck(t, fmt.Sprintf("sample %d β=%g e", s, pt.Beta), pt.Energy, exact[k].EnergyPerSpin())
		}
	}
}

// TestPADeterministic requires identical runs for any number of workers, and a run
// saved and restored halfway (State, Restore into a new run) to finish exactly as an
// uninterrupted one, for packed populations (TestPADeterministic of package sampler tests scalar ones).
func TestPADeterministic(t *testing.T) {
	p := models.NewEA(models.Square(6), models.PlusMinus, disorder(53))
	pm, _ := NewModel(p)
	betas := []float64{0.3, 0.8, 1.5}
	{
		mk := func(workers int) *sampler.PopulationAnnealing {
			o := sampler.PAOptions{Betas: betas, R: 150, Populations: 3, Sweeps: 3, Seed: 9, Sample: 2, Workers: workers}
			pa, err := NewPopulationAnnealing(pm, o)
			if err != nil {
				t.Fatal(err)
			}
			return pa
		}
		a, b := mk(1), mk(3)
		if err := a.Run(context.Background()); err != nil {
			t.Fatal(err)
		}
		for b.Steps() < a.Steps()/2 {
			b.Step()
		}
		st := b.State()
		c := mk(2)
		if err := c.Restore(st); err != nil {
			t.Fatal(err)
		}
		if err := c.Run(context.Background()); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(a.Points(), c.Points()) || !reflect.DeepEqual(a.Schedule(), c.Schedule()) {
			t.Errorf("restored run with other workers differs:\n%v\n%v", a.Points(), c.Points())
		}
		if !reflect.DeepEqual(a.State(), c.State()) {
			t.Errorf("final states differ")
		}
		// The state survives JSON (NaN errors of one population as null).
		js, err := json.Marshal(st)
		if err != nil {
			t.Fatal(err)
		}
		var back sampler.PAState
		if err := json.Unmarshal(js, &back); err != nil {
			t.Fatal(err)
		}
		d := mk(2)
		if err := d.Restore(back); err != nil {
			t.Fatal(err)
		}
		if err := d.Run(context.Background()); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(a.Points(), d.Points()) {
			t.Errorf("run restored from JSON differs")
		}
		bad := st
		bad.LnZ = bad.LnZ[:1]
		if err := mk(1).Restore(bad); err == nil {
			t.Errorf("a state with one population was restored")
		}
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if err := mk(1).Run(ctx); err == nil {
			t.Error("Run with a cancelled context returned nil")
		}
	}
}
