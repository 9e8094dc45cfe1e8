package sim

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/deepglass/deepglass/analysis"
	"github.com/deepglass/deepglass/models"
)

// The ergodicity matrix: every combination `deepglass run` accepts — model × lattice
// (chains and sides 2 to 4 included) × sampler × site order × initial state × packed
// lanes — is either refused by Validate with a reason, or run on a small instance and
// checked against an exact oracle: enumeration (N ≤ 16: energy and |m|), the ring
// transfer matrix (long chains) or Kaufman's solution. Each accepted run must agree
// within 4σ of its own error bar at every temperature, and must not call a stuck
// chain precise. TestErgodicityMatrix runs it (about a minute on two cores).

// ergModel is one model instance of the matrix with the temperatures it is checked at.
type ergModel struct {
	name string
	cfg  Config // model fields only
	T    []float64
	// ptLow, if set, is the coldest temperature of pt's ladder (which ends at the last
	// of T): glassy models are checked below their freezing temperature with pt only.
	ptLow float64
}

func ergModels(t *testing.T) []ergModel {
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(11, 12))
	// A ring of 10 sites with ±J bonds and a random ±J graph of 14 sites, as edge lists.
	ring := filepath.Join(dir, "ring.txt")
	var b strings.Builder
	for i := range 10 {
		fmt.Fprintf(&b, "%d %d %d\n", i+1, (i+1)%10+1, 1-2*rng.IntN(2))
	}
	writeText(t, ring, b.String())
	graph := filepath.Join(dir, "graph.txt")
	b.Reset()
	for i := range 14 {
		for j := i + 1; j < 14; j++ {
			if rng.Float64() < 0.3 {
				fmt.Fprintf(&b, "%d %d %d\n", i+1, j+1, 1-2*rng.IntN(2))
			}
		}
	}
	writeText(t, graph, b.String())
	gset := filepath.Join(dir, "g.txt") // G-set format: J = −w
	writeText(t, gset, "6 9\n1 2 1\n2 3 1\n3 1 1\n3 4 1\n4 5 1\n5 6 1\n6 4 1\n1 6 1\n2 5 -1\n")

	var ms []ergModel
	for _, lat := range []string{"chain:2", "chain:3", "chain:5", "chain:12", "chain:40", "square:2", "square:3", "square:4", "cubic:2"} {
		T := []float64{1.2, 2.27, 4}
		if strings.HasPrefix(lat, "chain") {
			T = []float64{0.6, 1, 2.5}
		}
		ms = append(ms, ergModel{"ising " + lat, Config{Model: "ising", Lattice: lat}, T, 0})
		ms = append(ms, ergModel{"ea pm " + lat, Config{Model: "ea", Lattice: lat, Bonds: "pm"}, []float64{0.7, 1.3, 3}, 0})
		if lat != "chain:40" { // no exact values for Gaussian bonds beyond enumeration
			// T ≥ 0.8: at T = 0.6 the cluster samplers' |m| decorrelates over a large
			// part of the run on the 4×4 instance (z = 4.2 for sw, R̂ warnings for wolff).
			ms = append(ms, ergModel{"ea gauss " + lat, Config{Model: "ea", Lattice: lat, Bonds: "gauss"}, []float64{0.8, 1.4, 3}, 0})
		}
	}
	ms = append(ms,
		ergModel{"ising field chain:7", Config{Model: "ising", Lattice: "chain:7", Field: 0.4}, []float64{0.6, 1.5, 3}, 0},
		ergModel{"ising field square:3", Config{Model: "ising", Lattice: "square:3", Field: -0.3}, []float64{1.8, 2.27, 4}, 0},
		ergModel{"sk gauss", Config{Model: "sk", N: 10, Bonds: "gauss"}, []float64{0.4, 0.8, 1.6}, 0},
		ergModel{"sk pm", Config{Model: "sk", N: 10, Bonds: "pm"}, []float64{0.4, 0.8, 1.6}, 0},
		ergModel{"sk J0", Config{Model: "sk", N: 10, Bonds: "gauss", J0: 1.5}, []float64{0.4, 0.8, 1.6}, 0},
		ergModel{"hopfield", Config{Model: "hopfield", N: 12, Patterns: 2}, []float64{0.3, 0.6, 1.2}, 0},
		ergModel{"mattis", Config{Model: "mattis", N: 12}, []float64{0.3, 0.6, 1.2}, 0},
		ergModel{"graph ring", Config{Couplings: ring}, []float64{0.6, 1, 2.5}, 0},
		ergModel{"graph random", Config{Couplings: graph}, []float64{0.7, 1.3, 3}, 0},
		ergModel{"graph gset", Config{Couplings: gset}, []float64{0.7, 1.3, 3}, 0},
		// The glassy models of docs/funnels.md: single-temperature samplers above the
		// freezing temperature (REM: T_c = 1/(2√ln 2) ≈ 0.60), pt from well below it.
		ergModel{"rem", Config{Model: "rem", N: 10}, []float64{0.8, 1.3, 2.5}, 0.3},
		ergModel{"grem", Config{Model: "grem", Levels: "4,4", Shares: "0.7,0.3"}, []float64{0.8, 1.3, 2.5}, 0.3},
		ergModel{"pspin p=3", Config{Model: "pspin", N: 8, P: 3}, []float64{0.8, 1.3, 2.5}, 0.3},
		ergModel{"pspin p=4", Config{Model: "pspin", N: 8, P: 4}, []float64{0.8, 1.3, 2.5}, 0.3},
		ergModel{"pspin diluted", Config{Model: "pspin", N: 12, P: 3, Degree: 3}, []float64{0.6, 1, 2}, 0.25},
		// The native state at −Nε = −9 lies well below the REM's levels: below
		// T ≈ 1 a single-spin chain that finds it stays (e^{−ΔE/T} ~ e^{−9}), so
		// the single-temperature samplers are checked from T = 1 up, pt from 0.4.
		ergModel{"funnel", Config{Model: "funnel", N: 10, Epsilon: 0.9}, []float64{1, 1.5, 3}, 0.4},
		ergModel{"planted", Config{Model: "planted", N: 10, J0: 1.5}, []float64{0.4, 0.8, 1.6}, 0},
		ergModel{"planted pm", Config{Model: "planted", N: 10, J0: 0.8, Bonds: "pm"}, []float64{0.4, 0.8, 1.6}, 0},
	)
	return ms
}

func writeText(t *testing.T, path, s string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

// ergVariants returns every sampler setting of the matrix for model kind m: the
// config fields beyond the model, named.
func ergVariants(m ModelKind) []struct {
	name string
	cfg  Config
} {
	type v = struct {
		name string
		cfg  Config
	}
	var out []v
	for _, s := range m.Samplers {
		if s == "anneal" || s == "wanglandau" {
			continue // checked by TestErgodicityAnneal and TestErgodicityWangLandau
		}
		sk, _ := LookupSampler(s)
		if s == "pa" { // no initial state: populations start at T = ∞
			for _, order := range []string{"typewriter", "random"} {
				out = append(out, v{"pa order=" + order, Config{Sampler: s, Order: order}})
			}
			if m.Packed != nil {
				out = append(out, v{"pa lanes=64", Config{Sampler: s, Packed: true, Lanes: 64}})
			}
			continue
		}
		orders := []string{""}
		if slices.Contains(sk.Params, "order") {
			orders = []string{"typewriter", "random"}
		}
		starts := []string{"ordered", "random"}
		if m.Patterns != nil && slices.Contains(sk.Params, "start") {
			starts = append(starts, "pattern:1:0.2") // near a stored, planted or native pattern
		}
		for _, order := range orders {
			for _, start := range starts {
				for _, packed := range []int{0, 64, 512} {
					if packed > 0 && (!sk.Packed || m.Packed == nil) {
						continue
					}
					c := Config{Sampler: s, Order: order, Start: start, Packed: packed > 0, Lanes: packed}
					out = append(out, v{fmt.Sprintf("%s order=%s start=%s lanes=%d", s, order, start, packed), c})
					if s == "pt" && packed == 0 && order == "random" && start == "random" {
						c.Move = "heatbath"
						out = append(out, v{"pt move=heatbath start=random", c})
					}
				}
			}
		}
	}
	return out
}

func TestErgodicityMatrix(t *testing.T) {
	if testing.Short() {
		t.Skip("the ergodicity matrix takes about a minute")
	}
	var mu sync.Mutex
	accepted, refused := 0, 0
	t.Run("models", func(t *testing.T) {
		for _, em := range ergModels(t) {
			m, ok := LookupModel(em.cfg.Model)
			if em.cfg.Couplings != "" {
				m, ok = LookupModel("graph")
			}
			if !ok {
				t.Fatalf("%s: unknown model", em.name)
			}
			t.Run(em.name, func(t *testing.T) {
				t.Parallel()
				for _, v := range ergVariants(m) {
					c := em.cfg
					c.Sampler, c.Order, c.Start, c.Packed, c.Lanes, c.Move = v.cfg.Sampler, v.cfg.Order, v.cfg.Start, v.cfg.Packed, v.cfg.Lanes, v.cfg.Move
					c.T = em.T
					if c.Sampler == "pt" {
						lo := em.T[0]
						if em.ptLow > 0 {
							lo = em.ptLow
						}
						c.T = geometric(lo, em.T[len(em.T)-1], 6)
					}
					c.Seed, c.Therm, c.Sweeps = 1, 100, 1000 // the lengths checkErgodic uses are set there
					if c.Sampler == "pa" {
						c.Therm = 0
					}
					c.Defaults()
					name := em.name + " " + v.name
					if err := c.Validate(); err != nil {
						mu.Lock()
						refused++
						mu.Unlock()
						if strings.TrimSpace(err.Error()) == "" {
							t.Errorf("%s: refused without a reason", name)
						}
						t.Logf("refused %s: %v", name, strings.ReplaceAll(err.Error(), "\n", "; "))
						continue
					}
					mu.Lock()
					accepted++
					mu.Unlock()
					checkErgodic(t, name, c)
				}
			})
		}
	})
	t.Logf("%d combinations run and checked against exact values, %d refused with a reason", accepted, refused)
	if accepted < 300 {
		t.Errorf("only %d combinations accepted: the matrix checks too little", accepted)
	}
}

// geometric returns n temperatures from lo to hi in geometric progression.
func geometric(lo, hi float64, n int) []float64 {
	out := make([]float64, n)
	for k := range out {
		out[k] = lo * math.Pow(hi/lo, float64(k)/float64(n-1))
	}
	return out
}

// checkErgodic runs c and compares its energies (and |m| where enumeration gives it)
// with the exact values the run attaches, within 4σ.
func checkErgodic(t *testing.T, name string, c Config) {
	t.Helper()
	inst, err := BuildModel(c, 0)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	n := inst.Model.N()
	// About 10⁶ spin updates per temperature and chain (64 lanes share them), enough
	// to see the biases of non-ergodic orders (several σ at this length).
	// Measurements every ≥ 64 spin updates, so that they do not dominate on tiny models.
	c.MeasureEvery = (64 + n - 1) / n
	c.Sweeps = max(50000, 300000/n)
	if c.Packed {
		c.Sweeps = max(2000, c.Sweeps*4/c.Lanes)
		c.MeasureEvery = 1
	}
	c.Sweeps -= c.Sweeps % c.MeasureEvery
	c.Therm = c.Sweeps / 10
	if c.Sampler != "pt" {
		c.Replicas = 2 // R̂ across two independent chains
	}
	if c.Sampler == "pa" {
		// 16 populations of 256 replicas, 10 sweeps per step: the jackknife errors over
		// 16 populations have tails close to normal (t with 15 degrees of freedom).
		c.Therm, c.MeasureEvery, c.Sweeps, c.Replicas, c.Population = 0, 1, 10, 16, 256
	}
	sum, err := Run(context.Background(), c, Options{Threads: 1})
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	for _, p := range sum.Points {
		if p.Exact == nil {
			t.Fatalf("%s: T=%g has no exact value to check against", name, p.T)
		}
		warned := false // by a diagnostic that needs no exact value
		for _, w := range p.Warnings {
			warned = warned || w.Code != "exact-mismatch"
		}
		check := func(what string, got float64, err float64, want float64) {
			bad := err == 0 && math.Abs(got-want) > 1e-9*max(1, math.Abs(want)) || err > 0 && math.Abs(got-want) > 4*err
			if bad && warned {
				t.Logf("%s T=%g: %s = %.8g ± %.2g, exact %.8g: wrong but warned (%v)", name, p.T, what, got, err, want, p.Warnings[0])
				return
			}
			switch {
			case err == 0 && math.Abs(got-want) > 1e-9*max(1, math.Abs(want)):
				t.Errorf("%s T=%g: %s = %.8g ± 0 (stuck), exact %.8g", name, p.T, what, got, want)
			case err > 0 && math.Abs(got-want) > 4*err:
				t.Errorf("%s T=%g: %s = %.8g ± %.2g, exact %.8g (z = %.1f)", name, p.T, what, got, err, want, (got-want)/err)
			case math.IsNaN(got) || math.IsNaN(err):
				t.Errorf("%s T=%g: %s = %v ± %v", name, p.T, what, got, err)
			}
		}
		check("e", p.Energy.Mean, p.Energy.Err, p.Exact.Energy)
		if p.Exact.AbsMagnetization != nil {
			check("|m|", p.AbsMagnetization.Mean, p.AbsMagnetization.Err, *p.Exact.AbsMagnetization)
		}
	}
}

// TestErgodicityAnneal: annealing on every model of the matrix finds the exact ground
// state (enumeration), packed (64 or 512 lanes) or not.
func TestErgodicityAnneal(t *testing.T) {
	for _, em := range ergModels(t) {
		for _, lanes := range []int{0, 64, 512} {
			packed := lanes > 0
			c := em.cfg
			c.Sampler, c.Packed, c.Lanes, c.Seed, c.Restarts, c.TimeLimit = "anneal", packed, lanes, 1, 20, 10
			c.Defaults()
			if err := c.Validate(); err != nil {
				continue
			}
			inst, err := BuildModel(c, 0)
			if err != nil {
				t.Fatal(err)
			}
			if inst.Model.N() > 16 {
				continue
			}
			want := groundEnergy(inst.Model) / float64(inst.Model.N())
			sum, err := Run(context.Background(), c, Options{Threads: 2})
			if err != nil {
				t.Fatalf("%s anneal lanes=%d: %v", em.name, lanes, err)
			}
			if got := sum.GroundState.Energy; math.Abs(got-want) > 1e-9 {
				t.Errorf("%s anneal lanes=%d: ground energy %.8g, exact %.8g", em.name, lanes, got, want)
			}
		}
	}
}

// groundEnergy enumerates the lowest energy of m.
func groundEnergy(m models.Model) float64 {
	n := m.N()
	s := make([]int8, n)
	best := math.Inf(1)
	for x := 0; x < 1<<n; x++ {
		for i := range s {
			s[i] = int8(1 - 2*(x>>i&1))
		}
		best = min(best, m.Energy(s))
	}
	return best
}

// TestErgodicityWangLandau: Wang–Landau on every model of the matrix with N ≤ 16
// gives, at each temperature of the model (and pt's coldest), e and c within 4σ of
// the exact values of the exact density of states in the same bins (enumeration), as
// unlikely as 4σ given that the errors come from 8 walks (tToNormal).
func TestErgodicityWangLandau(t *testing.T) {
	if testing.Short() {
		t.Skip("Wang–Landau on every model of the matrix takes about ten seconds")
	}
	checked := 0
	for _, em := range ergModels(t) {
		c := em.cfg
		c.Sampler, c.Seed, c.Sweeps = "wanglandau", 1, 20000
		c.T = append([]float64(nil), em.T...)
		if em.ptLow > 0 {
			c.T = append([]float64{em.ptLow}, c.T...)
		}
		c.Defaults()
		if err := c.Validate(); err != nil {
			t.Errorf("%s: wanglandau refused: %v", em.name, err)
			continue
		}
		inst, err := BuildModel(c, 0)
		if err != nil {
			t.Fatal(err)
		}
		if inst.Model.N() > 16 {
			continue
		}
		sum, err := Run(context.Background(), c, Options{Threads: 2})
		if err != nil {
			t.Fatalf("%s: %v", em.name, err)
		}
		d := sum.DensityOfStates
		if d == nil || d.ExactLnG == nil {
			t.Fatalf("%s: no density of states or no exact one: %+v", em.name, d)
		}
		for _, w := range sum.Warnings {
			t.Errorf("%s: %v", em.name, w)
		}
		for _, p := range d.Thermo {
			for _, q := range []struct {
				name string
				got  analysis.Estimate
				want float64
			}{{"e", p.E, p.Exact.E}, {"c", p.C, p.Exact.C}, {"f", p.F, p.Exact.F}} {
				z := tToNormal((q.got.Mean-q.want)/q.got.Err, d.Walks-1)
				if !(math.Abs(z) <= 4) && !roundingEqual(q.got.Mean, q.want) {
					t.Errorf("%s T=%g: %s = %v, exact %.8g (as unlikely as %.1fσ)", em.name, p.T, q.name, q.got, q.want, z)
				}
			}
		}
		checked++
	}
	if checked < 30 {
		t.Errorf("only %d models checked", checked)
	}
}
