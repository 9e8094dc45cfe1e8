package packed

import (
	"fmt"
	"math"
	"math/bits"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/deepglass/deepglass/models"
	"github.com/deepglass/deepglass/sampler"
)

// randomPMGraph returns a random ±scale graph on n sites: every pair is a bond with
// probability p, antiferromagnetic with probability 1/2.
func randomPMGraph(n int, p, scale float64, rng *rand.Rand) *models.Sparse {
	var bonds []models.Bond
	for i := range n {
		for j := i + 1; j < n; j++ {
			if rng.Float64() < p {
				w := scale
				if rng.IntN(2) == 0 {
					w = -scale
				}
				bonds = append(bonds, models.Bond{I: i, J: j, W: w})
			}
		}
	}
	return models.NewSparse(n, bonds, nil)
}

func TestPackedGraphLaneEnergies(t *testing.T) {
	ps := []*models.Sparse{randomPMGraph(20, 0.3, 0.5, disorder(1))}
	for k := 1; k < 5; k++ {
		q := randomPMGraph(20, 0.3, 0.5, disorder(1)) // same graph, other signs
		for e := range q.J {
			if disorder(k).IntN(2) == 0 { // deterministic per k, not per bond: flip all
				q.J[e] = -q.J[e]
			}
		}
		ps = append(ps, q)
	}
	pm, err := NewGraphLanes(ps)
	if err != nil {
		t.Fatal(err)
	}
	c := NewChain(pm, sampler.NewStream(1, sampler.PurposeChain, 0, 0))
	mv := NewMetropolis(pm, 0.7, IndependentLanes)
	if a := testing.AllocsPerRun(10, func() { mv.Sweep(c) }); a != 0 {
		t.Errorf("%v allocations per sweep; want 0", a)
	}
	var e [Lanes]int64
	s := make([]int8, pm.N())
	for range 5 {
		mv.Sweep(c)
		pm.LaneEnergies(e[:], c.S)
		for l := range Lanes {
			want := ps[l%len(ps)].Energy(c.Lane(s, l))
			if got := float64(e[l]) * pm.Scale(); got != want {
				t.Fatalf("lane %d: energy %v; want %v", l, got, want)
			}
		}
	}
}

// TestPackedGraphExact checks the graph kernel against exact enumeration on random ±J
// graphs (degrees up to about 10, couplings ±1 and ±0.5), with independent lanes.
func TestPackedGraphExact(t *testing.T) {
	for k, tc := range []struct {
		n     int
		p     float64
		scale float64
		temps []float64
	}{
		{14, 0.3, 1, []float64{0.7, 2}},
		{12, 0.6, 0.5, []float64{0.5}},
	} {
		p := randomPMGraph(tc.n, tc.p, tc.scale, disorder(20+k))
		pm, err := NewGraphLanes([]*models.Sparse{p})
		if err != nil {
			t.Fatal(err)
		}
		for _, temp := range tc.temps {
			t.Run(fmt.Sprintf("n=%d/T=%g", tc.n, temp), func(t *testing.T) {
				beta := 1 / temp
				mv := NewMetropolis(pm, beta, IndependentLanes)
				c := NewChain(pm, sampler.NewStream(61, sampler.PurposeChain, k, 0))
				e := packedRun(pm, mv, c, 1000, 10000)
				for l := range e {
					for i := range e[l] {
						e[l][i] *= pm.Scale()
					}
				}
				checkLaneMean(t, "e", e, models.Exact(p, beta).EnergyPerSpin())
			})
		}
	}
}

// TestPackedGraphEdgeList runs the graph kernel on a 2D ±J instance read from an
// edge-list file and compares with the exact transfer matrix, and with the lattice
// kernel on the same instance.
func TestPackedGraphEdgeList(t *testing.T) {
	l := models.Square(6)
	p := models.NewEA(l, models.PlusMinus, disorder(31))
	var sb strings.Builder
	for _, b := range p.Bonds() {
		fmt.Fprintf(&sb, "%d %d %g\n", b.I+1, b.J+1, b.W)
	}
	g, _, err := models.ParseCouplings(strings.NewReader(sb.String()), "ea6.txt")
	if err != nil {
		t.Fatal(err)
	}
	pm, err := NewGraphLanes([]*models.Sparse{g})
	if err != nil {
		t.Fatal(err)
	}
	beta := 1 / 1.2
	th, err := models.TransferMatrix2D(p, l, []float64{beta})
	if err != nil {
		t.Fatal(err)
	}
	mv := NewMetropolis(pm, beta, IndependentLanes)
	c := NewChain(pm, sampler.NewStream(67, sampler.PurposeChain, 0, 0))
	checkLaneMean(t, "e", packedRun(pm, mv, c, 2000, 10000), th[0].EnergyPerSpin())
}

func TestPackedGraphErrors(t *testing.T) {
	rng := disorder(3)
	mixed := models.NewSparse(3, []models.Bond{{I: 0, J: 1, W: 1}, {I: 1, J: 2, W: 0.5}}, nil)
	field := models.NewSparse(2, []models.Bond{{I: 0, J: 1, W: 1}}, []float64{0.1, 0})
	a, b := randomPMGraph(10, 0.5, 1, rng), randomPMGraph(10, 0.5, 1, rng)
	var star []models.Bond
	for j := 1; j <= MaxDegree+1; j++ {
		star = append(star, models.Bond{I: 0, J: j, W: 1})
	}
	for _, tc := range []struct {
		ps   []*models.Sparse
		want string
	}{
		{[]*models.Sparse{mixed}, "one |J|"},
		{[]*models.Sparse{field}, "field"},
		{[]*models.Sparse{a, b}, "graph of model 0"},
		{[]*models.Sparse{models.NewSparse(MaxDegree+2, star, nil)}, "degree"},
		{nil, "want 1 to 64"},
	} {
		_, err := NewGraphLanes(tc.ps)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("error %v; want one containing %q", err, tc.want)
		}
	}
}

// TestBernoulliLanes checks both per-lane Bernoulli draws (bit-by-bit comparison, and
// the sparse draw for small q): each lane of und is set with probability q, lanes
// outside und never, and lanes are independent (pair rate q²).
func TestBernoulliLanes(t *testing.T) {
	for _, q := range []float64{0.5, 0.17, 0.05, 0.03, 1e-3} {
		for _, sparse := range []bool{false, true} {
			if sparse && q >= 0.25 {
				continue
			}
			var x xoshiro
			x.seed(sampler.NewStream(5, sampler.PurposeChain, 0, 0))
			g := &Graph{MaxDegree: 1, Scale: 1}
			gq := newGraphQ(g, -math.Log(q)/2) // q[1] = q
			if sparse {                        // the table, also for q ≥ sparseQ
				p := 1.0
				for n := range gq.none[1] {
					gq.none[1][n] = fixed64(p)
					p *= 1 - q
				}
			}
			const m = 200000
			und := uint64(0xF0F0F0F0F0F0F0F0)
			var ones, pair, first, last float64
			for range m {
				var r uint64
				if sparse {
					r = x.bernoulliSparse(und, gq.q[1], &gq.none[1])
				} else {
					r = x.bernoulliLanes(und, gq.q[1])
				}
				if r&^und != 0 {
					t.Fatalf("q=%v: lanes outside the set chosen: %x", q, r&^und)
				}
				ones += float64(bits.OnesCount64(r))
				pair += float64((r >> 4) & (r >> 5) & 1)
				first += float64(r >> 4 & 1)
				last += float64(r >> 63)
			}
			n := float64(m * bits.OnesCount64(und))
			z := func(name string, got, n, p float64) {
				t.Helper()
				if z := (got - n*p) / math.Sqrt(n*p*(1-p)); !(math.Abs(z) < 4) {
					t.Errorf("q=%v sparse=%v %s: %v of %v; want rate %v (z = %.2f)", q, sparse, name, got, n, p, z)
				}
			}
			z("ones", ones, n, q)
			z("first lane", first, m, q)
			z("last lane", last, m, q)
			z("pairs", pair, m, q*q)
		}
	}
}
