package sampler

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/deepglass/deepglass/models"
)

// zcheck fails t unless |got − want| < 4σ (σ = err, which must be finite and > 0).
func zcheck(t *testing.T, name string, got PAEstimate, want float64) {
	t.Helper()
	z := (got.Mean - want) / got.Err
	if !(got.Err > 0) || !(math.Abs(z) < 4) {
		t.Errorf("%s = %.6f ± %.2g; want %.6f (z = %.2f)", name, got.Mean, got.Err, want, z)
	} else {
		t.Logf("%s = %.6f ± %.2g; exact %.6f (z = %+.2f)", name, got.Mean, got.Err, want, z)
	}
}

// TestPAExact anneals a 2D ±J L = 4 sample with scalar Metropolis and compares ln Z (as
// the free energy per spin), the energy, |m| and m² at three temperatures with exact
// enumeration, for both resampling rules.
func TestPAExact(t *testing.T) {
	p := models.NewEA(models.Square(4), models.PlusMinus, disorder(51))
	betas := []float64{0.4, 1, 2}
	for _, rule := range []PAResampling{NearestResampling, MultinomialResampling} {
		t.Run(rule.String(), func(t *testing.T) {
			pa, err := NewPopulationAnnealing(p, func(b float64) Sweeper { return NewMetropolis(p, b, Typewriter) },
				PAOptions{Betas: betas, R: 500, Populations: 8, Sweeps: 5, Resampling: rule, Seed: 3})
			if err != nil {
				t.Fatal(err)
			}
			if err := pa.Run(context.Background()); err != nil {
				t.Fatal(err)
			}
			t.Logf("%v\n%s", pa, pa.Report())
			for k, pt := range pa.Points() {
				ex := models.Exact(p, betas[k])
				zcheck(t, fmt.Sprintf("β=%g f", pt.Beta), pt.FreeEnergy, ex.FreeEnergyPerSpin())
				zcheck(t, fmt.Sprintf("β=%g e", pt.Beta), pt.Energy, ex.EnergyPerSpin())
				zcheck(t, fmt.Sprintf("β=%g |m|", pt.Beta), pt.AbsM, ex.AbsM)
				zcheck(t, fmt.Sprintf("β=%g m²", pt.Beta), pt.M2, ex.M2)
				if s := ex.Beta * (ex.EnergyPerSpin() - ex.FreeEnergyPerSpin()); true {
					zcheck(t, fmt.Sprintf("β=%g s", pt.Beta), pt.Entropy, s)
				}
				if pt.Beta != betas[k] || !(pt.Population > 0) || !(pt.RhoT >= 1) || !(pt.FamilyEntropy > 0) {
					t.Errorf("point %d: %+v", k, pt)
				}
			}
		})
	}
}

// TestPAMatchesTempering compares the energies and ⟨q²⟩ of population annealing with
// those of parallel tempering (two independent sampler.Tempering runs for the overlap)
// on a 2D ±J L = 6 sample, within 4σ of their combined errors.
func TestPAMatchesTempering(t *testing.T) {
	p := models.NewEA(models.Square(6), models.PlusMinus, disorder(52))
	betas := GeometricBetas(0.5, 2.0, 6)
	move := func(b float64) Sweeper { return NewMetropolis(p, b, Typewriter) }
	pa, err := NewPopulationAnnealing(p, move, PAOptions{Betas: betas, R: 500, Populations: 8, Sweeps: 5, Seed: 11})
	if err != nil {
		t.Fatal(err)
	}
	if err := pa.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Logf("%v\n%s", pa, pa.Report())
	// Two independent PT runs.
	var pts [2]*Tempering
	for a := range pts {
		chains := make([]*Chain, len(betas))
		for k := range chains {
			chains[k] = NewChain(p, NewStream(12, PurposeChain, a, k))
		}
		pts[a] = NewTempering(betas, move, chains, NewStream(12, PurposeSwap, a, 0))
		pts[a].SetWorkers(1)
		defer pts[a].Close()
	}
	const therm, sweeps = 2000, 40000
	for range therm {
		pts[0].Sweep()
		pts[1].Sweep()
	}
	n := float64(p.N())
	e := make([][]float64, len(betas))
	q2 := make([][]float64, len(betas))
	for range sweeps {
		pts[0].Sweep()
		pts[1].Sweep()
		for k := range betas {
			a, b := pts[0].ChainAt(k), pts[1].ChainAt(k)
			e[k] = append(e[k], (a.E+b.E)/(2*n))
			q := models.Overlap(a.S, b.S)
			q2[k] = append(q2[k], q*q)
		}
	}
	for k, pt := range pa.Points() {
		for _, c := range []struct {
			name string
			pa   PAEstimate
			pt   []float64
		}{{"e", pt.Energy, e[k]}, {"q²", pt.Q2, q2[k]}} {
			m, err, tau, blen := batchStats(c.pt, 40)
			if tau*20 > float64(blen) {
				t.Errorf("β=%.3f %s: PT batches of %d not ≫ τ ≈ %.1f", pt.Beta, c.name, blen, tau)
			}
			z := (c.pa.Mean - m) / math.Hypot(c.pa.Err, err)
			if !(math.Abs(z) < 4) || !(c.pa.Err > 0) {
				t.Errorf("β=%.3f %s: PA %.5f ± %.5f, PT %.5f ± %.5f (z = %.2f)", pt.Beta, c.name, c.pa.Mean, c.pa.Err, m, err, z)
			} else {
				t.Logf("β=%.3f %s: PA %.5f ± %.5f, PT %.5f ± %.5f (z = %+.2f)", pt.Beta, c.name, c.pa.Mean, c.pa.Err, m, err, z)
			}
		}
	}
}

// TestPADeterministic requires identical runs for any number of workers, and a run
// saved and restored halfway (State, Restore into a new run) to finish exactly as an
// uninterrupted one, for scalar populations (sampler/packed tests packed ones).
func TestPADeterministic(t *testing.T) {
	p := models.NewEA(models.Square(6), models.PlusMinus, disorder(53))
	betas := []float64{0.3, 0.8, 1.5}
	{
		mk := func(workers int) *PopulationAnnealing {
			o := PAOptions{Betas: betas, R: 150, Populations: 3, Sweeps: 3, Seed: 9, Sample: 2, Workers: workers}
			pa, err := NewPopulationAnnealing(p, func(b float64) Sweeper { return NewMetropolis(p, b, Typewriter) }, o)
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
		var back PAState
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

// TestPAResampling checks the resampling rules: nearest-integer copies have the mean
// R τ_i/Σ τ (within 4σ over many draws) and differ from it by less than 1; multinomial
// draws give exactly R replicas with the same means.
func TestPAResampling(t *testing.T) {
	e := []float64{0, 1, 2, 3, 5, 8}
	const db, r, draws = 0.5, 20, 20000
	w := make([]float64, len(e))
	var sum float64
	for i, x := range e {
		w[i] = math.Exp(-db * x)
		sum += w[i]
	}
	for _, rule := range []PAResampling{NearestResampling, MultinomialResampling} {
		src := NewStream(1, PurposeSwap, 0, 0)
		counts := make([][]float64, len(e))
		for range draws {
			lnQ, parents, _ := reweight(e, db, r, rule, src)
			if want := math.Log(sum / float64(len(e))); math.Abs(lnQ-want) > 1e-12 {
				t.Fatalf("%v: ln Q = %v; want %v", rule, lnQ, want)
			}
			c := make([]float64, len(e))
			for _, p := range parents {
				c[p]++
			}
			if rule == MultinomialResampling && len(parents) != r {
				t.Fatalf("multinomial: %d replicas; want %d", len(parents), r)
			}
			for i := range e {
				rho := r * w[i] / sum
				if rule == NearestResampling && math.Abs(c[i]-rho) >= 1 {
					t.Fatalf("nearest: replica %d has %v copies for ρ = %v", i, c[i], rho)
				}
				counts[i] = append(counts[i], c[i])
			}
		}
		for i := range e {
			var m, v float64
			for _, c := range counts[i] {
				m += c
			}
			m /= draws
			for _, c := range counts[i] {
				v += (c - m) * (c - m)
			}
			se := math.Sqrt(v / (draws - 1) / draws)
			want := r * w[i] / sum
			if se == 0 && m != want || se > 0 && !(math.Abs(m-want) < 4*se) {
				t.Errorf("%v: replica %d: mean copies %.4f ± %.4f; want %.4f", rule, i, m, se, want)
			}
		}
	}
}

func TestPAOptionsValidate(t *testing.T) {
	for _, o := range []PAOptions{
		{},
		{Betas: []float64{1, 0.5}},
		{Betas: []float64{1}, R: 1},
		{Betas: []float64{1}, Overlap: 1.5},
		{Betas: []float64{0.5, 1}, Schedule: []float64{0.2, 0.5, 0.9}},
		{Betas: []float64{1}, Sweeps: -1},
	} {
		if err := o.Validate(); err == nil {
			t.Errorf("%+v: no error", o)
		}
	}
	if err := (PAOptions{Betas: []float64{0.5, 1}, Schedule: []float64{0.2, 0.5, 1}}).Validate(); err != nil {
		t.Error(err)
	}
}

// ExamplePopulationAnnealing anneals a 2D ±J sample and prints its free energy per
// spin beside the exact value.
func ExamplePopulationAnnealing() {
	p := models.NewEA(models.Square(4), models.PlusMinus, disorder(51))
	pa, err := NewPopulationAnnealing(p, func(b float64) Sweeper { return NewMetropolis(p, b, Typewriter) },
		PAOptions{Betas: []float64{1}, R: 500, Populations: 4, Sweeps: 5, Seed: 1})
	if err != nil {
		panic(err)
	}
	if err := pa.Run(context.Background()); err != nil {
		panic(err)
	}
	pt := pa.Points()[0]
	fmt.Printf("f = %.3f (exact %.3f)\n", pt.FreeEnergy.Mean, models.Exact(p, 1).FreeEnergyPerSpin())
	// Output: f = -1.494 (exact -1.493)
}

// TestPAOnePopulation runs one population: no errors (NaN) and no overlaps, and the
// point still encodes as JSON.
func TestPAOnePopulation(t *testing.T) {
	p := models.NewEA(models.Square(4), models.PlusMinus, disorder(54))
	pa, err := NewPopulationAnnealing(p, func(b float64) Sweeper { return NewMetropolis(p, b, Typewriter) },
		PAOptions{Betas: []float64{1}, R: 100, Populations: 1, Sweeps: 2})
	if err != nil {
		t.Fatal(err)
	}
	if err := pa.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	pt := pa.Points()[0]
	if !math.IsNaN(pt.Energy.Err) || !math.IsNaN(pt.Q2.Mean) || math.IsNaN(pt.Energy.Mean) {
		t.Errorf("one population: %+v", pt)
	}
	b, err := json.Marshal(pt)
	if err != nil || !strings.Contains(string(b), `"Q2":{"mean":null,"err":null}`) {
		t.Errorf("JSON: %s, %v", b, err)
	}
}
