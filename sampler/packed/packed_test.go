package packed

import (
	"fmt"
	"math"
	"math/bits"
	"testing"

	"github.com/deepglass/deepglass/models"
	"github.com/deepglass/deepglass/sampler"
)

// packedEA returns k ±J samples on l.
func packedEA(l models.Lattice, k int) []*models.Sparse {
	ps := make([]*models.Sparse, k)
	for i := range ps {
		ps[i] = models.NewEA(l, models.PlusMinus, disorder(100+i))
	}
	return ps
}

// checkLaneEnergies fails t unless every lane's packed energy equals the unpacked
// Energy of that lane under its own model.
func checkLaneEnergies(t *testing.T, pm *Model, ps []*models.Sparse, c *Chain) {
	t.Helper()
	var e [Lanes]int64
	pm.LaneEnergies(e[:], c.S)
	s := make([]int8, pm.N())
	for l := range Lanes {
		want := ps[l%len(ps)].Energy(c.Lane(s, l))
		if float64(e[l]) != want {
			t.Fatalf("lane %d: LaneEnergies = %d; want %v", l, e[l], want)
		}
	}
}

func TestPackedLaneEnergies(t *testing.T) {
	for _, tc := range []struct {
		name string
		ps   []*models.Sparse
	}{
		{"ising/square:5", []*models.Sparse{models.NewIsing(models.Square(5), 1, 0)}},
		{"ising/cubic:3", []*models.Sparse{models.NewIsing(models.Cubic(3), 1, 0)}},
		{"ea/square:2", packedEA(models.Square(2), 64)},
		{"ea/square:6x64", packedEA(models.Square(6), 64)},
		{"ea/square:7x3", packedEA(models.Square(7), 3)},
		{"ea/cubic:2", packedEA(models.Cubic(2), 64)},
		{"ea/cubic:4x64", packedEA(models.Cubic(4), 64)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pm, err := NewModelLanes(tc.ps)
			if err != nil {
				t.Fatal(err)
			}
			for _, draws := range []Draws{IndependentLanes, SharedDraw} {
				c := NewChain(pm, sampler.NewStream(1, sampler.PurposeChain, 0, 0))
				checkLaneEnergies(t, pm, tc.ps, c)
				mv := NewMetropolis(pm, 0.7, draws)
				for range 20 {
					mv.Sweep(c)
				}
				checkLaneEnergies(t, pm, tc.ps, c)
				// SetLane round trip.
				s := c.Lane(make([]int8, pm.N()), 5)
				c.SetLane(7, s)
				if got := c.Lane(make([]int8, pm.N()), 7); fmt.Sprint(got) != fmt.Sprint(s) {
					t.Fatalf("SetLane/Lane round trip: %v; want %v", got, s)
				}
			}
		})
	}
}

func TestPackedModelErrors(t *testing.T) {
	gauss := models.NewEA(models.Square(4), models.Gaussian, disorder(1))
	field := models.NewIsing(models.Square(4), 1, 0.5)
	j2 := models.NewIsing(models.Square(4), 2, 0)
	graph := models.NewSparse(3, []models.Bond{{I: 0, J: 1, W: 1}, {I: 1, J: 2, W: -1}}, nil)
	other := models.NewIsing(models.Square(5), 1, 0)
	sq := models.NewIsing(models.Square(4), 1, 0)
	for name, ps := range map[string][]*models.Sparse{
		"gauss": {gauss}, "field": {field}, "J=2": {j2}, "graph": {graph},
		"mixed lattices": {sq, other}, "none": {},
	} {
		if _, err := NewModelLanes(ps); err == nil {
			t.Errorf("%s: NewModelLanes succeeded; want an error", name)
		}
	}
	if _, err := NewModel(sq); err != nil {
		t.Errorf("NewModel(ising square:4): %v", err)
	}
}

// packedRun thermalises c and returns the energy per spin of every lane after each of
// sweeps sweeps: e[l][t].
func packedRun(pm *Model, mv *Metropolis, c *Chain, therm, sweeps int) [][]float64 {
	for range therm {
		mv.Sweep(c)
	}
	e := make([][]float64, Lanes)
	for l := range e {
		e[l] = make([]float64, sweeps)
	}
	var buf [Lanes]int64
	n := float64(pm.N())
	for t := range sweeps {
		mv.Sweep(c)
		pm.LaneEnergies(buf[:], c.S)
		for l, v := range buf {
			e[l][t] = float64(v) / n
		}
	}
	return e
}

// checkLaneMean compares the mean over lanes and sweeps of e[l][t] with want. The error
// comes from the spread of the 64 lane means (the lanes are independent chains); each
// lane's own batch analysis checks that the run is much longer than τ.
func checkLaneMean(t *testing.T, name string, e [][]float64, want float64) {
	t.Helper()
	var means []float64
	var tauMax float64
	blen := 0
	for _, x := range e {
		m, _, tau, bl := batchStats(x, 20)
		means = append(means, m)
		tauMax = max(tauMax, tau)
		blen = bl
	}
	if tauMax*20 > float64(blen) {
		t.Errorf("%s: batches of %d sweeps are not ≫ τ ≈ %.1f; lengthen the run", name, blen, tauMax)
	}
	var mean, v float64
	for _, m := range means {
		mean += m
	}
	mean /= float64(len(means))
	for _, m := range means {
		v += (m - mean) * (m - mean)
	}
	err := math.Sqrt(v / float64(len(means)-1) / float64(len(means)))
	z := (mean - want) / err
	if !(math.Abs(z) < 4) {
		t.Errorf("%s: e = %.6f ± %.6f; want %.6f (z = %.2f)", name, mean, err, want, z)
	} else {
		t.Logf("%s: e = %.6f ± %.6f (τ ≤ %.1f); exact %.6f (z = %+.2f)", name, mean, err, tauMax, want, z)
	}
}

func TestPackedIsingKaufman(t *testing.T) {
	const l = 16
	pm, err := NewModel(models.NewIsing(models.Square(l), 1, 0))
	if err != nil {
		t.Fatal(err)
	}
	for k, temp := range []float64{2.0, 2.269, 3.0} {
		t.Run(fmt.Sprintf("T=%g", temp), func(t *testing.T) {
			beta := 1 / temp
			mv := NewMetropolis(pm, beta, IndependentLanes)
			c := NewChain(pm, sampler.NewStream(41, sampler.PurposeChain, k, 0))
			e := packedRun(pm, mv, c, 2000, 20000)
			checkLaneMean(t, "e", e, models.Kaufman(l, l, beta).E)
		})
	}
}

func TestPackedEAExact(t *testing.T) {
	cases := []struct {
		name  string
		p     *models.Sparse
		temps []float64
	}{
		{"square:4", models.NewEA(models.Square(4), models.PlusMinus, disorder(7)), []float64{1.0, 2.0}},
		{"cubic:2", models.NewEA(models.Cubic(2), models.PlusMinus, disorder(8)), []float64{1.5, 3.0}},
	}
	for k, tc := range cases {
		pm, err := NewModel(tc.p)
		if err != nil {
			t.Fatal(err)
		}
		for _, temp := range tc.temps {
			t.Run(fmt.Sprintf("%s/T=%g", tc.name, temp), func(t *testing.T) {
				beta := 1 / temp
				mv := NewMetropolis(pm, beta, IndependentLanes)
				c := NewChain(pm, sampler.NewStream(43, sampler.PurposeChain, k, 0))
				e := packedRun(pm, mv, c, 1000, 10000)
				checkLaneMean(t, "e", e, models.Exact(tc.p, beta).EnergyPerSpin())
			})
		}
	}
}

func TestPackedEATransferMatrix(t *testing.T) {
	l := models.Square(8)
	p := models.NewEA(l, models.PlusMinus, disorder(9))
	pm, err := NewModel(p)
	if err != nil {
		t.Fatal(err)
	}
	betas := []float64{1 / 1.5, 1 / 2.5}
	th, err := models.TransferMatrix2D(p, l, betas)
	if err != nil {
		t.Fatal(err)
	}
	for k, beta := range betas {
		t.Run(fmt.Sprintf("T=%g", 1/beta), func(t *testing.T) {
			mv := NewMetropolis(pm, beta, IndependentLanes)
			c := NewChain(pm, sampler.NewStream(47, sampler.PurposeChain, k, 0))
			e := packedRun(pm, mv, c, 2000, 10000)
			checkLaneMean(t, "e", e, th[k].EnergyPerSpin())
		})
	}
}

// meanLaneCorrelation splits the lanes' series into nb blocks and returns the mean and
// standard error over blocks of the mean Pearson correlation over all lane pairs.
func meanLaneCorrelation(e [][]float64, nb int) (mean, err float64) {
	blen := len(e[0]) / nb
	rho := make([]float64, nb)
	z := make([][]float64, len(e))
	for b := range nb {
		for l, x := range e {
			x = x[b*blen : (b+1)*blen]
			var m, v float64
			for _, u := range x {
				m += u
			}
			m /= float64(blen)
			z[l] = z[l][:0]
			for _, u := range x {
				z[l] = append(z[l], u-m)
				v += (u - m) * (u - m)
			}
			if v == 0 {
				v = 1 // a frozen lane correlates with nothing
			}
			s := 1 / math.Sqrt(v)
			for i := range z[l] {
				z[l][i] *= s
			}
		}
		var sum float64
		pairs := 0
		for a := range z {
			for c := a + 1; c < len(z); c++ {
				var r float64
				for i, u := range z[a] {
					r += u * z[c][i]
				}
				sum += r
				pairs++
			}
		}
		rho[b] = sum / float64(pairs)
	}
	for _, r := range rho {
		mean += r
	}
	mean /= float64(nb)
	var v float64
	for _, r := range rho {
		v += (r - mean) * (r - mean)
	}
	return mean, math.Sqrt(v / float64(nb-1) / float64(nb))
}

// TestPackedLanesUncorrelated runs 64 replicas of one ±J sample and checks that the
// lanes' energy series are uncorrelated with independent draws (mean pairwise
// correlation within 4σ of 0) and correlated with SharedDraw (more than 4σ above 0).
func TestPackedLanesUncorrelated(t *testing.T) {
	p := models.NewEA(models.Square(8), models.PlusMinus, disorder(11))
	pm, err := NewModel(p)
	if err != nil {
		t.Fatal(err)
	}
	const beta = 1 / 2.0
	for _, draws := range []Draws{IndependentLanes, SharedDraw} {
		t.Run(draws.String(), func(t *testing.T) {
			mv := NewMetropolis(pm, beta, draws)
			c := NewChain(pm, sampler.NewStream(53, sampler.PurposeChain, 0, 0))
			e := packedRun(pm, mv, c, 500, 8000)
			rho, se := meanLaneCorrelation(e, 16)
			t.Logf("%v: mean pairwise correlation %.5f ± %.5f", draws, rho, se)
			if draws == IndependentLanes && !(math.Abs(rho) < 4*se) {
				t.Errorf("independent lanes: mean pairwise correlation %.5f ± %.5f; want 0 within 4σ", rho, se)
			}
			if draws == SharedDraw && !(rho > 4*se && rho > 0.01) {
				t.Errorf("shared draw: mean pairwise correlation %.5f ± %.5f; want > 4σ above 0", rho, se)
			}
		})
	}
}

func TestPackedZeroAllocs(t *testing.T) {
	for _, l := range []models.Lattice{models.Square(16), models.Cubic(6)} {
		pm, err := NewModelLanes(packedEA(l, 64))
		if err != nil {
			t.Fatal(err)
		}
		for _, draws := range []Draws{IndependentLanes, SharedDraw} {
			mv := NewMetropolis(pm, 0.5, draws)
			c := NewChain(pm, sampler.NewStream(1, sampler.PurposeChain, 0, 0))
			if a := testing.AllocsPerRun(20, func() { mv.Sweep(c) }); a != 0 {
				t.Errorf("%v %v: %v allocations per sweep; want 0", l, draws, a)
			}
			var e [Lanes]int64
			if a := testing.AllocsPerRun(5, func() { pm.LaneEnergies(e[:], c.S) }); a != 0 {
				t.Errorf("%v: LaneEnergies: %v allocations; want 0", l, a)
			}
		}
	}
}

// TestPackedBernoulliMasks checks the mask generator on both paths (tables for 64q ≥ 1,
// sparse draws below): the number of ones per mask follows Binomial(64, q) (z-tests on
// the mean and on P(K = 0), P(K = 1)), and lanes 0 and 63 have rate q.
func TestPackedBernoulliMasks(t *testing.T) {
	for _, q := range []float64{0.5, 0.17, 0.03, 0.005, 1e-4} {
		t.Run(fmt.Sprint(q), func(t *testing.T) {
			bb := newByteBernoulli(q)
			var g xoshiro
			g.seed(sampler.NewStream(3, sampler.PurposeChain, 0, 0))
			const m = 400000
			var ones, lane0, lane63 float64
			var hist [65]float64
			for range m {
				x := g.mask(bb)
				k := bits.OnesCount64(x)
				ones += float64(k)
				hist[k]++
				lane0 += float64(x & 1)
				lane63 += float64(x >> 63)
			}
			z := func(name string, got, n, p float64) {
				t.Helper()
				sd := math.Sqrt(n * p * (1 - p))
				if d := (got - n*p) / sd; !(math.Abs(d) < 4) {
					t.Errorf("sparse=%v %s = %v; want %v ± %.1f (z = %.2f)", bb.sparse, name, got, n*p, sd, d)
				}
			}
			z("ones", ones, 64*m, q) // Var of the total is 64m·q(1−q) for independent bits
			z("K=0", hist[0], m, math.Pow(1-q, 64))
			z("K=1", hist[1], m, 64*q*math.Pow(1-q, 63))
			z("lane 0", lane0, m, q)
			z("lane 63", lane63, m, q)
		})
	}
}

func TestPackedLaneObservables(t *testing.T) {
	pm, err := NewModelLanes(packedEA(models.Square(5), 64))
	if err != nil {
		t.Fatal(err)
	}
	a := NewChain(pm, sampler.NewStream(5, sampler.PurposeChain, 0, 0))
	b := NewChain(pm, sampler.NewStream(5, sampler.PurposeChain, 0, 1))
	a.SetLane(3, b.Lane(make([]int8, pm.N()), 3)) // lane 3: overlap 1
	var m, q [Lanes]float64
	a.LaneMagnetizations(m[:])
	a.LaneOverlaps(q[:], b)
	sa, sb := make([]int8, pm.N()), make([]int8, pm.N())
	for l := range Lanes {
		a.Lane(sa, l)
		b.Lane(sb, l)
		var sum float64
		for _, v := range sa {
			sum += float64(v)
		}
		if want := sum / float64(len(sa)); m[l] != want {
			t.Errorf("lane %d: magnetization %v; want %v", l, m[l], want)
		}
		if want := models.Overlap(sa, sb); math.Abs(q[l]-want) > 1e-15 {
			t.Errorf("lane %d: overlap %v; want %v", l, q[l], want)
		}
	}
	if q[3] != 1 {
		t.Errorf("lane 3: overlap %v; want 1", q[3])
	}
}

// TestPackedTemperingDeterministic checks that two runs from the same seeds give
// bit-identical lanes (no dependence on scheduling or GOMAXPROCS: nothing runs concurrently
// and every draw comes from a fixed stream in a fixed order).
func TestPackedTemperingDeterministic(t *testing.T) {
	p := models.NewEA(models.Cubic(3), models.PlusMinus, disorder(31))
	betas := sampler.GeometricBetas(0.8, 2.0, 4)
	run := func() []uint64 {
		_, pt := packedPTSetup(t, p, betas, 71)
		for range 50 {
			pt.Sweep()
		}
		var out []uint64
		for _, c := range pt.Chains {
			out = append(out, c.S...)
		}
		return out
	}
	if a, b := run(), run(); fmt.Sprint(a) != fmt.Sprint(b) {
		t.Error("two runs from the same seeds differ")
	}
}

// TestTieQ checks that tieQ, the tie acceptance of the shared-draw kernels as a 64-bit
// binary fraction, is sampler.TieAcceptance.
func TestTieQ(t *testing.T) {
	if got := float64(uint64(tieQ)) / (1 << 64); got != sampler.TieAcceptance {
		t.Errorf("tieQ/2⁶⁴ = %v; sampler.TieAcceptance = %v", got, sampler.TieAcceptance)
	}
}
