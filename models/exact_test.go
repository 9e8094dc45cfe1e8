package models_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/deepglass/deepglass/models"
)

// TestExactCritical checks Exact against docs/references/ising2d.md §4 (exact transfer matrix
// with big integers), periodic L×L Ising at T_c: e, c, ⟨|m|⟩, ⟨m²⟩, ⟨m⁴⟩ to 1e-9 (the
// table has 12 decimals), U₄ to 1e-9 (9 decimals) and χ, χ' to 1e-7 (7 decimals).
func TestExactCritical(t *testing.T) {
	tests := []struct {
		l                                   int
		e, c, absM, m2, m4, u4, chi, chiAbs float64
	}{
		{2, -1.697056274848, 0.403946087946, 0.899264068712, 0.874264068712, 0.855514068712, 0.626903958, 1.5411065, 0.1156154},
		{3, -1.611246381531, 0.628736105646, 0.871071935474, 0.809429989272, 0.746613605228, 0.620146561, 3.2103460, 0.2009413},
		{4, -1.565623787638, 0.783266825929, 0.843860444813, 0.761358908569, 0.665691213267, 0.617199318, 5.3683331, 0.3473208},
	}
	for _, tt := range tests {
		ex := models.Exact(models.NewIsing(models.Square(tt.l), 1, 0), 1/tc)
		n := float64(tt.l * tt.l)
		for _, c := range []struct {
			what      string
			got, want float64
			tol       float64
		}{
			{"e", ex.EnergyPerSpin(), tt.e, 1e-9},
			{"c", ex.SpecificHeat(), tt.c, 1e-9},
			{"⟨|m|⟩", ex.AbsM, tt.absM, 1e-9},
			{"⟨m²⟩", ex.M2, tt.m2, 1e-9},
			{"⟨m⁴⟩", ex.M4, tt.m4, 1e-9},
			{"U₄", ex.Binder(), tt.u4, 1e-9},
			{"χ", ex.Beta * n * ex.M2, tt.chi, 1e-7},
			{"χ'", ex.Susceptibility(), tt.chiAbs, 1e-7},
			{"⟨m⟩", ex.M, 0, 1e-12}, // zero by symmetry
		} {
			if math.Abs(c.got-c.want) > c.tol {
				t.Errorf("L=%d: %s = %.12f; want %.12f", tt.l, c.what, c.got, c.want)
			}
		}
	}
}

// TestExactT2 checks the L = 4, T = 2.0 values quoted in docs/references/ising2d.md §4.
func TestExactT2(t *testing.T) {
	ex := models.Exact(models.NewIsing(models.Square(4), 1, 0), 0.5)
	for _, c := range []struct {
		what      string
		got, want float64
	}{
		{"e", ex.EnergyPerSpin(), -1.755380288777},
		{"c", ex.SpecificHeat(), 0.605532657210},
		{"⟨|m|⟩", ex.AbsM, 0.918943267402},
		{"⟨m²⟩", ex.M2, 0.868921681642},
		{"U₄", ex.Binder(), 0.644810791188},
		{"f", ex.FreeEnergyPerSpin(), -2.1381708898}, // §1.3, 10 decimals
	} {
		if math.Abs(c.got-c.want) > 1e-9 {
			t.Errorf("%s = %.12f; want %.12f", c.what, c.got, c.want)
		}
	}
}

// TestExactBetas checks that one enumeration at several β gives what separate
// enumerations give, for a model whose ground state is not the first state visited.
func TestExactBetas(t *testing.T) {
	m := models.NewEA(models.Square(3), models.Gaussian, rand.New(rand.NewPCG(9, 9)))
	betas := []float64{0.1, 1, 3}
	all := models.ExactBetas(m, betas)
	for k, beta := range betas {
		one := models.Exact(m, beta)
		if one != all[k] {
			t.Errorf("β=%v: Exact %v; ExactBetas %v", beta, one, all[k])
		}
	}
	mustPanic(t, "Exact(N=25)", func() { models.Exact(models.NewIsing(models.Square(5), 1, 0.1), 1) })
}

// TestExactFieldModel checks Exact on a model in a field against brute-force sums
// written out here, independently of the enumeration order and the reference shifts.
func TestExactFieldModel(t *testing.T) {
	m := models.NewSK(8, 0.5, models.Gaussian, rand.New(rand.NewPCG(5, 5)))
	h := []float64{0.3, -0.1, 0.2, 0, 0.5, -0.4, 0.1, 0.05}
	d := models.NewDense(8, m.J, h)
	const beta = 1.3
	var z, e1, e2, am, m2, m4, mm float64
	s := make([]int8, 8)
	for k := range 1 << 8 {
		mag := 0
		for i := range s {
			s[i] = int8(1 - 2*(k>>i&1))
			mag += int(s[i])
		}
		e := d.Energy(s)
		w := math.Exp(-beta * e)
		x := float64(mag) / 8
		z += w
		e1 += w * e
		e2 += w * e * e
		mm += w * x
		am += w * math.Abs(x)
		m2 += w * x * x
		m4 += w * x * x * x * x
	}
	ex := models.Exact(d, beta)
	for _, c := range []struct {
		what      string
		got, want float64
	}{
		{"lnZ", ex.LnZ, math.Log(z)}, {"E", ex.E, e1 / z}, {"E²", ex.E2, e2 / z},
		{"m", ex.M, mm / z}, {"|m|", ex.AbsM, am / z}, {"m²", ex.M2, m2 / z}, {"m⁴", ex.M4, m4 / z},
	} {
		if !closeRel(c.got, c.want, 1e-12) {
			t.Errorf("%s = %.15g; want %.15g", c.what, c.got, c.want)
		}
	}
}

// ExampleExact enumerates the 2^16 states of the 4×4 Ising model at T_c
// (docs/references/ising2d.md §4 lists the same numbers).
func ExampleExact() {
	m := models.NewIsing(models.Square(4), 1, 0)
	th := models.Exact(m, math.Log(1+math.Sqrt2)/2)
	fmt.Printf("e = %.6f, c = %.6f, <|m|> = %.6f, U4 = %.6f\n",
		th.EnergyPerSpin(), th.SpecificHeat(), th.AbsM, th.Binder())
	// Output:
	// e = -1.565624, c = 0.783267, <|m|> = 0.843860, U4 = 0.617199
}
