package packed

import (
	"fmt"
	"math"
	"testing"

	"github.com/deepglass/deepglass/models"
	"github.com/deepglass/deepglass/sampler"
)

// wideRun sweeps c therm times, then records every lane's energy per spin after each
// of sweeps sweeps: e[64w + ℓ][t].
func wideRun(pm *Model, mv *Metropolis, c *WideChain, therm, sweeps int) [][]float64 {
	for range therm {
		mv.SweepWide(c)
	}
	e := make([][]float64, 64*WideWords)
	for l := range e {
		e[l] = make([]float64, sweeps)
	}
	word := &Chain{S: make([]uint64, pm.N())}
	var buf [Lanes]int64
	n := float64(pm.N())
	for t := range sweeps {
		mv.SweepWide(c)
		for w := range WideWords {
			c.Word(word, w)
			pm.LaneEnergies(buf[:], word.S)
			for l, v := range buf {
				e[64*w+l][t] = float64(v) / n
			}
		}
	}
	return e
}

// TestWideExact checks the wide kernels (whichever this build runs, see WideSIMD)
// against Kaufman's 2D Ising energies and exact enumeration of ±J samples.
func TestWideExact(t *testing.T) {
	t.Logf("SIMD kernels: %v", WideSIMD())
	ising, _ := NewModel(models.NewIsing(models.Square(16), 1, 0))
	ising8, _ := NewModel(models.NewIsing(models.Square(8), 1, 0))
	sq := models.NewEA(models.Square(4), models.PlusMinus, disorder(71))
	sqm, _ := NewModel(sq)
	cu := models.NewEA(models.Cubic(2), models.PlusMinus, disorder(72))
	cum, _ := NewModel(cu)
	for k, tc := range []struct {
		name  string
		pm    *Model
		temp  float64
		exact float64
	}{
		{"ising8/T=2.269", ising8, 2.269, models.Kaufman(8, 8, 1/2.269).E},
		{"ising16/T=3", ising, 3, models.Kaufman(16, 16, 1/3.0).E},
		{"ising16/T=2", ising, 2, models.Kaufman(16, 16, 1/2.0).E},
		{"ea-square4/T=1", sqm, 1, models.Exact(sq, 1).EnergyPerSpin()},
		{"ea-cubic2/T=1.5", cum, 1.5, models.Exact(cu, 1/1.5).EnergyPerSpin()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mv := NewMetropolis(tc.pm, 1/tc.temp, IndependentLanes)
			c := NewWideChain(tc.pm, sampler.NewStream(81, sampler.PurposeChain, k, 0))
			checkLaneMean(t, "e", wideRun(tc.pm, mv, c, 1000, 8000), tc.exact)
		})
	}
}

// TestWideLanesUncorrelated checks that lanes of the same word and of different words
// are uncorrelated: the mean pairwise correlation of 64 lanes' energy series (8 lanes
// from each word) is consistent with zero.
func TestWideLanesUncorrelated(t *testing.T) {
	pm, _ := NewModel(models.NewEA(models.Square(8), models.PlusMinus, disorder(11)))
	mv := NewMetropolis(pm, 0.5, IndependentLanes)
	c := NewWideChain(pm, sampler.NewStream(53, sampler.PurposeChain, 0, 0))
	e := wideRun(pm, mv, c, 500, 6000)
	var pick [][]float64
	for l := 0; l < len(e); l += 8 {
		pick = append(pick, e[l])
	}
	rho, se := meanLaneCorrelation(pick, 16)
	t.Logf("mean pairwise correlation %.5f ± %.5f over %d lanes", rho, se, len(pick))
	if !(math.Abs(rho) < 4*se) {
		t.Errorf("mean pairwise correlation %.5f ± %.5f; want 0 within 4σ", rho, se)
	}
	if a := testing.AllocsPerRun(5, func() { mv.SweepWide(c) }); a != 0 {
		t.Errorf("%v allocations per sweep; want 0", a)
	}
	_ = fmt.Sprint(c)
}

// TestDecideWideRates checks the acceptance decisions of the wide kernels lane by
// lane: with a quarter of every word's lanes in the tie class and a quarter in each of
// classes 1, 2, 3 (and one lane already flipped), each class flips at its exact rate —
// TieAcceptance = 15/16 and q_k = e^{−4βk} — within 4σ of the binomial error, in the
// first and in the last lane of its quarter; the pre-flipped lane always stays flipped.
func TestDecideWideRates(t *testing.T) {
	const beta = 0.3
	q := wideThresholds(beta)
	var g wideGen
	g.seed(sampler.NewStream(91, sampler.PurposeChain, 0, 0))
	var tie [WideWords]uint64
	var k [3][WideWords]uint64
	for w := range WideWords {
		tie[w] = 0xffff &^ 1 // lane 0 is forced
		k[0][w], k[1][w], k[2][w] = 0xffff<<16, 0xffff<<32, 0xffff<<48
	}
	const n = 200000
	var count [64]float64
	for range n {
		var flip [WideWords]uint64
		for w := range flip {
			flip[w] = 1
		}
		decideWide(&q, &tie, &k, &flip, &g)
		for w := range WideWords {
			if flip[w]&1 == 0 {
				t.Fatal("a forced lane was not flipped")
			}
			for l := range 64 {
				count[l] += float64(flip[w] >> l & 1)
			}
		}
	}
	want := [4]float64{sampler.TieAcceptance, math.Exp(-4 * beta), math.Exp(-8 * beta), math.Exp(-12 * beta)}
	for c, p := range want {
		for _, l := range []int{16*c + 1, 16*c + 15} {
			m := float64(n * WideWords)
			sd := math.Sqrt(m * p * (1 - p))
			if z := (count[l] - m*p) / sd; !(math.Abs(z) < 4) {
				t.Errorf("class %d lane %d: %v flips of %v; want %.1f ± %.1f (z = %.2f)", c, l, count[l], m, m*p, sd, z)
			}
		}
	}
}
