package models_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/deepglass/deepglass/models"
)

// torus returns the ferromagnetic Ising model (J = 1) on the periodic rows×cols square
// lattice, site (r, c) at r*cols + c; a side of 2 has both bonds between neighbours.
func torus(rows, cols int) *models.Sparse {
	var bonds []models.Bond
	for r := range rows {
		for c := range cols {
			i := r*cols + c
			bonds = append(bonds,
				models.Bond{I: i, J: r*cols + (c+1)%cols, W: 1},
				models.Bond{I: i, J: ((r+1)%rows)*cols + c, W: 1})
		}
	}
	return models.NewSparse(rows*cols, bonds, nil)
}

// TestKaufmanVsExact compares with enumeration of all states (docs/references/ising2d.md §2 note 4:
// agreement to 1e-11 expected; we ask 1e-10).
func TestKaufmanVsExact(t *testing.T) {
	temps := []float64{0.5, 1, 1.5, 2, tc, 2.5, 3, 5, 20}
	for _, sz := range [][2]int{{2, 2}, {3, 3}, {4, 4}, {3, 4}, {4, 3}, {2, 5}} {
		m := torus(sz[0], sz[1])
		betas := make([]float64, len(temps))
		for k, T := range temps {
			betas[k] = 1 / T
		}
		for k, ex := range models.ExactBetas(m, betas) {
			beta := betas[k]
			got := models.Kaufman(sz[0], sz[1], beta)
			for _, c := range []struct {
				what      string
				got, want float64
			}{
				{"lnZ", got.LnZ, ex.LnZ},
				{"e", got.E, ex.EnergyPerSpin()},
				{"c", got.C, ex.SpecificHeat()},
				{"f", got.F, ex.FreeEnergyPerSpin()},
			} {
				tol := 1e-10 * math.Abs(c.want)
				if c.what == "c" && beta > 1 {
					// Exact's c comes from ⟨E²⟩ - ⟨E⟩², which loses ~1e-16·⟨E⟩²/N
					// absolutely; at T = 0.5 that is the larger error.
					tol = math.Max(tol, 1e-12)
				}
				if math.Abs(c.got-c.want) > tol {
					t.Errorf("%d×%d T=%.4g: %s = %.15g; enumeration %.15g", sz[0], sz[1], 1/beta, c.what, c.got, c.want)
				}
			}
		}
	}
}

// dos4x4 is the exact density of states g(E) of the periodic 4×4 Ising model
// (docs/references/ising2d.md §4; the 0 entry matches OEIS A364781).
var dos4x4 = map[int]float64{-32: 2, -24: 32, -20: 64, -16: 424, -12: 1728, -8: 6688, -4: 13568,
	0: 20524, 4: 13568, 8: 6688, 12: 1728, 16: 424, 20: 64, 24: 32, 32: 2}

// fromDOS returns ln Z, e and c per spin of the 4×4 model from dos4x4, with sums
// relative to the ground state so that c keeps full precision at low T.
func fromDOS(beta float64) (lnZ, e, c float64) {
	var z, x1, x2 float64
	for en, g := range dos4x4 {
		x := float64(en + 32)
		w := g * math.Exp(-beta*x)
		z += w
		x1 += w * x
		x2 += w * x * x
	}
	mean := x1 / z
	return math.Log(z) + 32*beta, (mean - 32) / 16, beta * beta * (x2/z - mean*mean) / 16
}

// TestKaufmanVsDOS checks Kaufman and Exact against the 4×4 density of states over a
// wide range of temperatures, including where c is exponentially small.
func TestKaufmanVsDOS(t *testing.T) {
	m := models.NewIsing(models.Square(4), 1, 0)
	for _, beta := range []float64{1e-6, 0.01, 0.1, 0.2, 0.2027, 0.203, 0.3, 0.5, 0.8, 0.81, 1, 2, 3, 5} {
		lnZ, e, c := fromDOS(beta)
		k := models.Kaufman(4, 4, beta)
		if !closeRel(k.LnZ, lnZ, 1e-13) || math.Abs(k.E-e) > 1e-13 || math.Abs(k.C-c) > 1e-12*math.Max(c, 1e-6) {
			t.Errorf("β=%v: Kaufman lnZ, e, c = %.16g, %.16g, %.16g; DOS %.16g, %.16g, %.16g", beta, k.LnZ, k.E, k.C, lnZ, e, c)
		}
		if beta > 2 {
			continue // Exact's c loses relative precision as c → 0 (see TestKaufmanVsExact)
		}
		ex := models.Exact(m, beta)
		if !closeRel(ex.LnZ, lnZ, 1e-13) || math.Abs(ex.EnergyPerSpin()-e) > 1e-12 || math.Abs(ex.SpecificHeat()-c) > 1e-10*c {
			t.Errorf("β=%v: Exact lnZ, e, c = %.16g, %.16g, %.16g; DOS %.16g, %.16g, %.16g",
				beta, ex.LnZ, ex.EnergyPerSpin(), ex.SpecificHeat(), lnZ, e, c)
		}
	}
}

// Exact finite-size tables, docs/references/ising2d.md §3 (periodic L×L, per spin); rows are the
// temperatures kaufmanTemps, columns the sizes. The T_c row is T = 2/ln(1+√2).
var (
	kaufmanTemps = []float64{1.00, 1.50, 2.00, 2.20, tc, 2.30, 2.40, 2.50, 3.00, 3.50, 4.00, 5.00}
	kaufmanSizes = []int{4, 8, 16, 32, 64, 128}
	tableE       = [][]float64{
		{-1.9971584403, -1.9971602041, -1.9971602041, -1.9971602041, -1.9971602041, -1.9971602041, -1.9971602041},
		{-1.9506425615, -1.9511154309, -1.9511165731, -1.9511165731, -1.9511165731, -1.9511165731, -1.9511165731},
		{-1.7553802888, -1.7456831703, -1.7455306690, -1.7455645270, -1.7455645753, -1.7455645753, -1.7455645753},
		{-1.6187428214, -1.5680417631, -1.5501059979, -1.5465862811, -1.5464791531, -1.5464891240, -1.5464891441},
		{-1.5656237876, -1.4915891074, -1.4530648528, -1.4336584661, -1.4239383898, -1.4190762721, -math.Sqrt2},
		{-1.5413114925, -1.4558735917, -1.4060679256, -1.3754658052, -1.3555903705, -1.3451304061, -1.3428663877},
		{-1.4606597705, -1.3372199279, -1.2550431980, -1.2126012540, -1.2042317258, -1.2039748021, -1.2039744679},
		{-1.3791164823, -1.2223206433, -1.1313179844, -1.1072916610, -1.1060829925, -1.1060792038, -1.1060792037},
		{-1.0170696270, -0.8413154279, -0.8176893679, -0.8173097389, -0.8173095925, -0.8173095925, -0.8173095925},
		{-0.7761500504, -0.6649053812, -0.6601329132, -0.6601217311, -0.6601217310, -0.6601217310, -0.6601217310},
		{-0.6254861297, -0.5584911366, -0.5572728327, -0.5572722406, -0.5572722406, -0.5572722406, -0.5572722406},
		{-0.4561353695, -0.4283680589, -0.4282288387, -0.4282288332, -0.4282288332, -0.4282288332, -0.4282288332},
	} // last column: L = ∞ (Onsager)
	tableC = [][]float64{
		{0.0234093975, 0.0233795648, 0.0233795647, 0.0233795647, 0.0233795647, 0.0233795647},
		{0.2003498730, 0.1972961246, 0.1972745404, 0.1972745402, 0.1972745402, 0.1972745402},
		{0.6055326572, 0.7141226029, 0.7255087677, 0.7248739782, 0.7248714486, 0.7248714486},
		{0.7505083112, 1.0584007288, 1.2905355141, 1.4010736005, 1.4148932006, 1.4142813515},
		{0.7832668259, 1.1455592399, 1.4987049594, 1.8467675900, 2.1922113931, 2.5363313351},
		{0.7943297493, 1.1709567697, 1.5449209876, 1.9008166133, 2.1250491112, 2.0008413725},
		{0.8147730466, 1.1841490554, 1.4081700788, 1.2835878865, 1.1340592471, 1.1230636090},
		{0.8125152294, 1.1004758894, 1.0649768829, 0.8858125011, 0.8618550832, 0.8616983618},
		{0.6031347143, 0.4839664714, 0.4043325742, 0.4013819475, 0.4013795759, 0.4013795759},
		{0.3757555370, 0.2619840554, 0.2478236178, 0.2477520460, 0.2477520447, 0.2477520447},
		{0.2401086548, 0.1742505045, 0.1711916109, 0.1711884115, 0.1711884115, 0.1711884115},
		{0.1195461888, 0.0979141720, 0.0976521999, 0.0976521776, 0.0976521776, 0.0976521776},
	}
	tableF = [][]float64{ // L = 4, 8, 16, 32
		{-2.0436700876, -2.0111787084, -2.0030558899, -2.0010251852},
		{-2.0734700542, -2.0246888629, -2.0125045947, -2.0094585377},
		{-2.1381708898, -2.0732681837, -2.0570016440, -2.0529394289},
		{-2.1828216590, -2.1140437464, -2.0966661546, -2.0922361339},
		{-2.2013814130, -2.1323882146, -2.1153261879, -2.1110693669},
		{-2.2101787111, -2.1413305513, -2.1246354966, -2.1206597741},
		{-2.2409809078, -2.1736710508, -2.1591652170, -2.1567921612},
		{-2.2751707850, -2.2109136235, -2.1995004566, -2.1984333686},
		{-2.4901937729, -2.4497535778, -2.4476639667, -2.4476481985},
		{-2.7563458180, -2.7332783326, -2.7328504006, -2.7328499174},
		{-3.0503177562, -3.0365390384, -3.0364259406, -3.0364259141},
		{-3.6785844870, -3.6726677674, -3.6726540616, -3.6726540614},
	}
)

// TestKaufmanTables checks the docs/references/ising2d.md §3 tables: e and f to 1e-9, c to 1e-8
// (docs/references/ising2d.md §8), the tables having 10 decimals.
func TestKaufmanTables(t *testing.T) {
	for r, T := range kaufmanTemps {
		for col, l := range kaufmanSizes {
			k := models.Kaufman(l, l, 1/T)
			if math.Abs(k.E-tableE[r][col]) > 1e-9 {
				t.Errorf("L=%d T=%.4g: e = %.10f; table %.10f", l, T, k.E, tableE[r][col])
			}
			if math.Abs(k.C-tableC[r][col]) > 1e-8 {
				t.Errorf("L=%d T=%.4g: c = %.10f; table %.10f", l, T, k.C, tableC[r][col])
			}
			if col < len(tableF[r]) && math.Abs(k.F-tableF[r][col]) > 1e-9 {
				t.Errorf("L=%d T=%.4g: f = %.10f; table %.10f", l, T, k.F, tableF[r][col])
			}
			if want := k.LnZ / float64(l*l) * -T; math.Abs(k.F-want) > 1e-12 {
				t.Errorf("L=%d T=%.4g: f = %v but -T lnZ/N = %v", l, T, k.F, want)
			}
		}
	}
}

// TestKaufmanLargeL checks c(T_c, L) for L = 256…1024 against docs/references/ising2d.md §5 (five
// decimals) and e(T_c, L) against e = -√2 - 0.62244/L, "to 5 digits for L ≥ 64".
func TestKaufmanLargeL(t *testing.T) {
	for _, tt := range []struct {
		l int
		c float64
	}{{256, 2.87979}, {512, 3.22291}, {1024, 3.56586}} {
		k := models.Kaufman(tt.l, tt.l, 1/tc)
		if math.Abs(k.C-tt.c) > 5e-6 {
			t.Errorf("L=%d: c(T_c) = %.7f; want %.5f", tt.l, k.C, tt.c)
		}
		if want := -math.Sqrt2 - 0.62244/float64(tt.l); math.Abs(k.E-want) > 1e-5/float64(tt.l) {
			t.Errorf("L=%d: e(T_c) = %.10f; want %.10f", tt.l, k.E, want)
		}
	}
}

// TestKaufmanLimits checks β = 0 (ln Z = N ln 2), the ground-state limit (e = -2,
// c → 0, ln Z → 2Nβ + ln 2), the rows ↔ cols symmetry and the panics.
func TestKaufmanLimits(t *testing.T) {
	if k := models.Kaufman(5, 7, 0); !closeRel(k.LnZ, 35*math.Ln2, 1e-15) || k.E != 0 || k.C != 0 {
		t.Errorf("β=0: %v; want lnZ = 35 ln 2, e = c = 0", k)
	}
	for _, beta := range []float64{50, 400, 1e6} {
		k := models.Kaufman(6, 5, beta)
		// c is ~β² e^{-8β}; its rounding error ~β² e^{-4β}·1e-16 is still far below 1e-50.
		if k.E != -2 || math.Abs(k.C) > 1e-50 || !closeRel(k.LnZ, 60*beta+math.Ln2, 1e-15) {
			t.Errorf("β=%v: %v; want e = -2, c ≈ 0, lnZ = 60β + ln 2", beta, k)
		}
	}
	for _, beta := range []float64{1e-300, 1e-9} { // e ≈ -2β, c ≈ 2β² to O(β⁴) for L ≥ 3
		k := models.Kaufman(6, 5, beta)
		if !closeRel(k.E, -2*beta, 1e-6) || !closeRel(k.C, 2*beta*beta, 1e-6) {
			t.Errorf("β=%v: %v; want e = -2β, c = 2β²", beta, k)
		}
	}
	for _, beta := range []float64{0.3, 1 / tc, 0.7} {
		a, b := models.Kaufman(3, 5, beta), models.Kaufman(5, 3, beta)
		if !closeRel(a.LnZ, b.LnZ, 1e-13) || !closeRel(a.E, b.E, 1e-12) || !closeRel(a.C, b.C, 1e-11) {
			t.Errorf("β=%v: 3×5 %v but 5×3 %v", beta, a, b)
		}
	}
	mustPanic(t, "Kaufman(1, 4)", func() { models.Kaufman(1, 4, 1) })
	mustPanic(t, "Kaufman(4, 1)", func() { models.Kaufman(4, 1, 1) })
	mustPanic(t, "Kaufman(β<0)", func() { models.Kaufman(4, 4, -1) })
	mustPanic(t, "Kaufman(NaN)", func() { models.Kaufman(4, 4, math.NaN()) })
	if got, want := models.Kaufman(4, 4, 0.5).String(), "4×4 β=0.5 e=-1.75538028878 c=0.60553265721 f=-2.13817088984 lnZ=17.1053671187"; got != want {
		t.Errorf("String() = %q; want %q", got, want)
	}
}

// TestOnsagerEnergy checks the L = ∞ column of the docs/references/ising2d.md §3 energy table
// and u(T_c) = -√2 (§1.1).
func TestOnsagerEnergy(t *testing.T) {
	for r, T := range kaufmanTemps {
		want := tableE[r][len(tableE[r])-1]
		if got := models.OnsagerEnergy(1 / T); math.Abs(got-want) > 1e-9 {
			t.Errorf("T=%.4g: u = %.10f; want %.10f", T, got, want)
		}
	}
	kc := math.Log(1+math.Sqrt2) / 2
	for _, beta := range []float64{kc, math.Nextafter(kc, 0), math.Nextafter(kc, 1)} {
		if got := models.OnsagerEnergy(beta); math.Abs(got+math.Sqrt2) > 1e-12 {
			t.Errorf("β=%v (K_c ± ulp): u = %v; want -√2", beta, got)
		}
	}
	if got := models.OnsagerEnergy(0); got != 0 {
		t.Errorf("u(β=0) = %v; want 0", got)
	}
	if got := models.OnsagerEnergy(1000); got != -2 {
		t.Errorf("u(β=1000) = %v; want -2", got)
	}
	mustPanic(t, "OnsagerEnergy(-1)", func() { models.OnsagerEnergy(-1) })
}

// TestYangMagnetization checks docs/references/ising2d.md §1: m(1.0), m(1.5), m(2.0), m(2.2), and
// m = 0 at and above T_c.
func TestYangMagnetization(t *testing.T) {
	for _, tt := range []struct{ T, m float64 }{
		{1.0, 0.9992757520}, {1.5, 0.9864996026}, {2.0, 0.9113193779}, {2.2, 0.7847551314},
		{tc, 0}, {2.3, 0}, {5, 0}, {math.Inf(1), 0}, {1e-3, 1},
	} {
		if got := models.YangMagnetization(1 / tt.T); math.Abs(got-tt.m) > 1e-10 {
			t.Errorf("T=%v: m = %.10f; want %.10f", tt.T, got, tt.m)
		}
	}
	mustPanic(t, "YangMagnetization(NaN)", func() { models.YangMagnetization(math.NaN()) })
}

// ExampleKaufman compares Kaufman's exact solution of the 4×4 torus at T_c with
// enumeration of its 2^16 states, and shows how the specific heat grows with L.
func ExampleKaufman() {
	beta := math.Log(1+math.Sqrt2) / 2 // 1/T_c
	k := models.Kaufman(4, 4, beta)
	ex := models.Exact(models.NewIsing(models.Square(4), 1, 0), beta)
	fmt.Printf("4×4: e = %.8f (Kaufman), %.8f (enumeration)\n", k.E, ex.EnergyPerSpin())
	for _, l := range []int{8, 64, 512} {
		fmt.Printf("L=%d: c(T_c) = %.5f\n", l, models.Kaufman(l, l, beta).C)
	}
	fmt.Printf("L=∞: e(T_c) = %.5f\n", models.OnsagerEnergy(beta))
	// Output:
	// 4×4: e = -1.56562379 (Kaufman), -1.56562379 (enumeration)
	// L=8: c(T_c) = 1.14556
	// L=64: c(T_c) = 2.19221
	// L=512: c(T_c) = 3.22291
	// L=∞: e(T_c) = -1.41421
}
