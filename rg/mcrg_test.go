package rg

import (
	"context"
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/deepglass/deepglass/analysis"
	"github.com/deepglass/deepglass/models"
)

// Kc is the critical coupling of the square-lattice Ising model, ln(1+√2)/2
// (docs/references/ising2d.md §1).
var Kc = math.Log(1+math.Sqrt2) / 2

func within(t *testing.T, name string, e analysis.Estimate, exact float64) {
	t.Helper()
	if z := (e.Mean - exact) / e.Err; !(math.Abs(z) < 4) {
		t.Errorf("%s = %v; exact %.6g (z = %.2f)", name, e, exact, z)
	} else {
		t.Logf("%s = %v; exact %.6g (z = %.2f)", name, e, exact, z)
	}
}

// TestMCRGChainDecimation checks the whole MCRG pipeline against an exact RG: decimation
// with b = 2 maps the Ising chain at coupling K and field h = 0 onto the chain with
// tanh K' = tanh² K and no other couplings, so with one coupling per sector the
// linearized RG is exact: dK'/dK = 2t/(1+t²) = tanh 2K, and the field recursion
// h' = h + ½ ln[cosh(2K+h)/cosh(2K−h)] gives dh'/dh = 1 + tanh 2K at h = 0
// (Nelson & Fisher, Ann. Phys. 91, 226 (1975); derived in the test's comment).
// Corrections for the periodic chain of L sites are O(tanh^L K).
func TestMCRGChainDecimation(t *testing.T) {
	const k0 = 0.5
	r, err := MCRG{Lattice: models.Lattice{Dim: 1, L: 64}, Beta: k0, Rule: Decimation, Levels: 3,
		Couplings: 1, Measurements: 20000, Seed: 3}.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	k := k0
	for n, lv := range r.Levels {
		lt, lh := math.Tanh(2*k), 1+math.Tanh(2*k)
		within(t, lv.String()+" y_T", lv.YT, math.Log(lt)/math.Ln2)
		within(t, lv.String()+" y_H", lv.YH, math.Log(lh)/math.Ln2)
		if lv.From != 64>>n || lv.To != 32>>n {
			t.Errorf("level %d: from %d to %d", n, lv.From, lv.To)
		}
		k = math.Atanh(math.Tanh(k) * math.Tanh(k))
	}
}

// TestMCRGSquareCritical is docs/references/rg.md §4's test: 2D Ising at K_c, L = 64, b = 2
// majority rule, 3 even couplings, level 32→16: y_T ∈ [0.95, 1.02] (exact 1) and
// y_H (magnetization only) ∈ [1.865, 1.890] (exact 15/8).
func TestMCRGSquareCritical(t *testing.T) {
	r, err := MCRG{Lattice: models.Square(64), Beta: Kc, Levels: 3, Couplings: 3,
		Measurements: 20000, Seed: 1}.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%.1f s\n%s", r.Seconds, r.Table())
	lv := r.Levels[1]
	if lv.From != 32 || lv.To != 16 {
		t.Fatalf("level 1 is %d→%d", lv.From, lv.To)
	}
	if lv.YT.Mean < 0.95 || lv.YT.Mean > 1.02 {
		t.Errorf("y_T(3 couplings, 32→16) = %v; want in [0.95, 1.02]", lv.YT)
	}
	if lv.YH.Mean < 1.865 || lv.YH.Mean > 1.890 {
		t.Errorf("y_H(32→16) = %v; want in [1.865, 1.890]", lv.YH)
	}
	if lv.YT != lv.YTByCouplings[2] || lv.YH != lv.YHByCouplings[0] {
		t.Errorf("headline exponents %v %v are not those of 3 even and 1 odd couplings", lv.YT, lv.YH)
	}
}

// TestMCRGThreads: results depend on the seed and the number of chains, not on how
// many run at once.
func TestMCRGThreads(t *testing.T) {
	run := func(threads int) string {
		r, err := MCRG{Lattice: models.Square(16), Beta: Kc, Levels: 2, Measurements: 2000, Chains: 3,
			Threads: threads, Seed: 9}.Run(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(r.Levels)
		return string(b)
	}
	if a, b := run(1), run(3); a != b {
		t.Errorf("1 thread: %s\n3 threads: %s", a, b)
	}
}

func TestMCRGValidate(t *testing.T) {
	cases := []struct {
		m    MCRG
		want []string
	}{
		{MCRG{Lattice: models.Square(64), Beta: Kc, Levels: 6}, []string{"coarse side"}},
		{MCRG{Lattice: models.Square(64), Beta: Kc, Levels: 5}, []string{"last blocked side 2 < 4"}},
		{MCRG{Lattice: models.Square(64), Beta: -1, Couplings: 6, OddCouplings: 4, Sampler: "metropolis"},
			[]string{"beta", "couplings 6", "odd couplings 4", "sampler"}},
		{MCRG{Lattice: models.Square(64), Beta: Kc, Measurements: 10, Chains: 2}, []string{"measurements 10"}},
		{MCRG{Lattice: models.Square(1), Beta: Kc}, []string{"lattice", "levels 0"}},
	}
	for _, c := range cases {
		_, err := c.m.Run(context.Background())
		for _, w := range c.want {
			if err == nil || !strings.Contains(err.Error(), w) {
				t.Errorf("%v: error %v; want it to mention %q", c.m, err, w)
			}
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := (MCRG{Lattice: models.Square(16), Beta: Kc}).Run(ctx); err == nil {
		t.Error("Run with a cancelled context succeeded")
	}
}
